//! A small flow layout for forms: A4 pages with margins, wrapped paragraphs, horizontal rules, a
//! two-column label/value table and a framed box. It produces a display list ([`Page`] of
//! [`Item`]s) in points, origin at the top left, y growing downwards (krilla's convention), which
//! `render` turns into PDF. Keeping layout free of krilla lets tests check positions and paging
//! directly.
//!
//! Not a general engine: content flows top to bottom, breaking to a new page when the next line
//! does not fit. Forms that need more (columns, repeated headers) should grow this deliberately.

use crate::PdfError;
use crate::font::{Face, Fonts};
use crate::picture::Picture;
use crate::wrap::wrap;

/// Page size and margins, in points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct PageGeometry {
    pub width: f32,
    pub height: f32,
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

const MM: f32 = 72.0 / 25.4;

impl PageGeometry {
    /// A4 portrait with the margins of Ukrainian office documents (ДСТУ 4163): 30 mm on the left
    /// for binding into a case file, 15 mm right, 20 mm top and bottom.
    pub const A4: Self = Self {
        width: 210.0 * MM,
        height: 297.0 * MM,
        top: 20.0 * MM,
        right: 15.0 * MM,
        bottom: 20.0 * MM,
        left: 30.0 * MM,
    };

    /// A4 landscape for wide registers (the issue journal): the binding margin stays on the left.
    pub const A4_LANDSCAPE: Self = Self {
        width: 297.0 * MM,
        height: 210.0 * MM,
        top: 20.0 * MM,
        right: 15.0 * MM,
        bottom: 20.0 * MM,
        left: 30.0 * MM,
    };

    pub fn content_width(&self) -> f32 {
        self.width - self.left - self.right
    }

    pub fn content_bottom(&self) -> f32 {
        self.height - self.bottom
    }

    pub fn content_height(&self) -> f32 {
        self.content_bottom() - self.top
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FontKind {
    Regular,
    Bold,
}

/// How a run of text looks. `gray` is 0 (black) … 255 (white): forms are printed in one colour,
/// and using grey only keeps a single ICC profile in the PDF/A output.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle {
    pub font: FontKind,
    pub size: f32,
    pub gray: u8,
}

impl TextStyle {
    /// Line pitch: 1.3 × size reads comfortably for Cyrillic with its tall capitals and descenders.
    pub fn line_height(&self) -> f32 {
        self.size * 1.3
    }
}

/// A label/value table: labels in a fixed share of the width, values in the rest.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TableStyle {
    pub label: TextStyle,
    pub value: TextStyle,
    /// Share of the table width given to the label column.
    pub label_share: f32,
    /// Gap between the columns.
    pub gap: f32,
    /// Space above and below the text of each row.
    pub padding: f32,
    /// A hairline under each row: (line width, gray).
    pub rule: Option<(f32, u8)>,
}

/// One thing drawn on a page. Coordinates in points from the top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Item {
    /// One line of text; `baseline` is the y of the baseline.
    Text { x: f32, baseline: f32, style: TextStyle, text: String },
    /// A straight line.
    Line { x1: f32, y1: f32, x2: f32, y2: f32, width: f32, gray: u8 },
    /// An unfilled rectangle.
    Frame { x: f32, y: f32, w: f32, h: f32, width: f32, gray: u8 },
    /// A picture scaled to the box `(x, y)`–`(x + w, y + h)` (already fitted, see `picture::fit`).
    Image { x: f32, y: f32, w: f32, h: f32, picture: Picture },
    /// A matrix code with its top-left corner at `(x, y)`, each module `cell` points square.
    Cells { x: f32, y: f32, cell: f32, matrix: crate::Matrix },
}

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Page {
    pub items: Vec<Item>,
}

/// A table row broken into lines, before it is placed.
struct RowLines {
    label: Vec<String>,
    value: Vec<String>,
}

impl RowLines {
    fn count(&self) -> usize {
        self.label.len().max(self.value.len())
    }
}

/// Places content page by page. `y` is the top of the free space on the current page.
pub(crate) struct Layout<'f> {
    fonts: &'f Fonts,
    geometry: PageGeometry,
    pages: Vec<Page>,
    y: f32,
}

impl<'f> Layout<'f> {
    pub fn new(fonts: &'f Fonts, geometry: PageGeometry) -> Self {
        Self { fonts, geometry, pages: vec![Page::default()], y: geometry.top }
    }

    fn face(&self, style: &TextStyle) -> &'f Face {
        match style.font {
            FontKind::Regular => &self.fonts.regular,
            FontKind::Bold => &self.fonts.bold,
        }
    }

    fn wrap(&self, text: &str, style: &TextStyle, width: f32) -> Vec<String> {
        let face = self.face(style);
        let size = style.size;
        wrap(text, width, |c| face.advance(c) * size)
    }

    /// Distance from the top of a line box to the baseline: the font's own ascender/descender
    /// centred in the line pitch, so lines of different sizes sit consistently.
    fn baseline_offset(&self, style: &TextStyle, line_height: f32) -> f32 {
        let face = self.face(style);
        let glyph_height = (face.ascent - face.descent) * style.size;
        (line_height - glyph_height) / 2.0 + face.ascent * style.size
    }

    fn items(&mut self) -> &mut Vec<Item> {
        // `pages` is never empty: `new` creates the first page and pages are only added.
        let last = self.pages.len() - 1;
        &mut self.pages[last].items
    }

    #[cfg(test)]
    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// The top of the free space on the current page.
    #[cfg(test)]
    pub fn cursor(&self) -> f32 {
        self.y
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page::default());
        self.y = self.geometry.top;
    }

    /// Starts a new page unless `height` more points fit on this one.
    fn make_room(&mut self, height: f32) {
        if self.y + height > self.geometry.content_bottom() && self.y > self.geometry.top {
            self.new_page();
        }
    }

    /// Vertical space. At the top of a page it is dropped: a gap there only looks like a mistake.
    pub fn space(&mut self, height: f32) {
        if self.y > self.geometry.top {
            self.y = (self.y + height).min(self.geometry.content_bottom());
        }
    }

    /// A wrapped paragraph across the full content width; long ones continue on the next page.
    pub fn paragraph(&mut self, text: &str, style: TextStyle) {
        let line_height = style.line_height();
        let baseline = self.baseline_offset(&style, line_height);
        let x = self.geometry.left;
        for line in self.wrap(text, &style, self.geometry.content_width()) {
            self.make_room(line_height);
            let y = self.y;
            if !line.is_empty() {
                self.items().push(Item::Text { x, baseline: y + baseline, style, text: line });
            }
            self.y += line_height;
        }
    }

    /// A horizontal rule across the content width.
    pub fn rule(&mut self, width: f32, gray: u8) {
        self.make_room(width);
        let y = self.y + width / 2.0;
        let (x1, x2) = (self.geometry.left, self.geometry.width - self.geometry.right);
        self.items().push(Item::Line { x1, y1: y, x2, y2: y, width, gray });
        self.y += width;
    }

    fn row_lines(&self, label: &str, value: &str, style: &TableStyle, width: f32) -> RowLines {
        let label_width = (width - style.gap) * style.label_share;
        let value_width = width - style.gap - label_width;
        RowLines {
            label: self.wrap(label, &style.label, label_width),
            value: self.wrap(value, &style.value, value_width),
        }
    }

    /// Label and value share baselines, so the pitch is that of the larger style.
    fn row_pitch(style: &TableStyle) -> f32 {
        style.label.line_height().max(style.value.line_height())
    }

    fn row_height(lines: &RowLines, style: &TableStyle) -> f32 {
        2.0 * style.padding + lines.count() as f32 * Self::row_pitch(style)
    }

    /// Pushes line `i` of a row whose line box starts at `top`.
    fn push_row_line(&mut self, lines: &RowLines, i: usize, x: f32, width: f32, top: f32, style: &TableStyle) {
        let pitch = Self::row_pitch(style);
        let value_x = x + (width - style.gap) * style.label_share + style.gap;
        let label_baseline = top + self.baseline_offset(&style.label, pitch);
        let value_baseline = top + self.baseline_offset(&style.value, pitch);
        if let Some(text) = lines.label.get(i).filter(|t| !t.is_empty()) {
            let text = text.clone();
            self.items().push(Item::Text { x, baseline: label_baseline, style: style.label, text });
        }
        if let Some(text) = lines.value.get(i).filter(|t| !t.is_empty()) {
            let text = text.clone();
            self.items().push(Item::Text { x: value_x, baseline: value_baseline, style: style.value, text });
        }
    }

    /// A label/value table across the content width. A row is kept on one page when it fits on
    /// a page at all (moved whole to the next page otherwise); only a row taller than a page is
    /// split between lines.
    pub fn table<'a>(&mut self, rows: impl IntoIterator<Item = (&'a str, &'a str)>, style: &TableStyle) {
        let (x, width) = (self.geometry.left, self.geometry.content_width());
        let pitch = Self::row_pitch(style);
        for (label, value) in rows {
            let lines = self.row_lines(label, value, style, width);
            self.make_room(Self::row_height(&lines, style));
            let mut top = self.y + style.padding;
            for i in 0..lines.count() {
                if top + pitch > self.geometry.content_bottom() {
                    self.new_page();
                    top = self.y + style.padding;
                }
                self.push_row_line(&lines, i, x, width, top, style);
                top += pitch;
            }
            self.y = top + style.padding;
            if let Some((rule_width, gray)) = style.rule {
                let y = self.y;
                self.items().push(Item::Line { x1: x, y1: y, x2: x + width, y2: y, width: rule_width, gray });
            }
        }
    }

    /// A ruled table of `shares.len()` columns (widths in proportion to `shares`) across the
    /// content width. The header rows are repeated at the top of every page the table reaches;
    /// a row is never split (a row taller than a page runs over the bottom margin rather than
    /// be cut — journal rows are a few lines).
    pub fn grid(&mut self, shares: &[f32], header: &[Vec<String>], rows: &[Vec<String>], style: &GridStyle) {
        let (x0, width) = (self.geometry.left, self.geometry.content_width());
        let total: f32 = shares.iter().sum::<f32>().max(f32::EPSILON);
        let widths: Vec<f32> = shares.iter().map(|s| width * s / total).collect();
        let mut edges = vec![x0];
        for w in &widths {
            edges.push(edges[edges.len() - 1] + w);
        }
        let wrap_row = |row: &[String], st: &TextStyle| -> Vec<Vec<String>> {
            widths
                .iter()
                .enumerate()
                .map(|(i, w)| self.wrap(row.get(i).map_or("", |c| c), st, w - 2.0 * style.padding))
                .collect()
        };
        let height = |cells: &[Vec<String>], st: &TextStyle| {
            2.0 * style.padding + cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * st.line_height()
        };
        let sized = |r: &[String], st: &TextStyle| {
            let cells = wrap_row(r, st);
            let h = height(&cells, st);
            (cells, h)
        };
        let header: Vec<(Vec<Vec<String>>, f32)> = header.iter().map(|r| sized(r, &style.header)).collect();
        let body: Vec<(Vec<Vec<String>>, f32)> = rows.iter().map(|r| sized(r, &style.cell)).collect();
        let header_height: f32 = header.iter().map(|(_, h)| h).sum();

        let mut top = self.start_grid_page(&edges, header_height, body.first().map_or(0.0, |(_, h)| *h));
        for (cells, h) in &header {
            self.grid_row(cells, &edges, &style.header, style.padding, *h);
        }
        for (cells, h) in &body {
            if self.y + h > self.geometry.content_bottom() && self.y > top + header_height {
                self.grid_verticals(&edges, top);
                self.new_page();
                top = self.start_grid_page(&edges, header_height, *h);
                for (cells, h) in &header {
                    self.grid_row(cells, &edges, &style.header, style.padding, *h);
                }
            }
            self.grid_row(cells, &edges, &style.cell, style.padding, *h);
        }
        self.grid_verticals(&edges, top);
    }

    /// Makes room for the header and one row, draws the top rule; returns the grid's top.
    fn start_grid_page(&mut self, edges: &[f32], header_height: f32, first_row: f32) -> f32 {
        self.make_room(header_height + first_row);
        let top = self.y;
        let (x1, x2) = (edges[0], edges[edges.len() - 1]);
        self.items().push(Item::Line { x1, y1: top, x2, y2: top, width: GRID_RULE.0, gray: GRID_RULE.1 });
        top
    }

    /// One row of cells at the cursor, then the rule under it.
    fn grid_row(&mut self, cells: &[Vec<String>], edges: &[f32], st: &TextStyle, padding: f32, height: f32) {
        let pitch = st.line_height();
        let baseline = self.baseline_offset(st, pitch);
        let top = self.y + padding;
        for (c, lines) in cells.iter().enumerate() {
            for (i, text) in lines.iter().enumerate().filter(|(_, t)| !t.is_empty()) {
                let item = Item::Text {
                    x: edges[c] + padding,
                    baseline: top + i as f32 * pitch + baseline,
                    style: *st,
                    text: text.clone(),
                };
                self.items().push(item);
            }
        }
        self.y += height;
        let (x1, x2, y) = (edges[0], edges[edges.len() - 1], self.y);
        self.items().push(Item::Line { x1, y1: y, x2, y2: y, width: GRID_RULE.0, gray: GRID_RULE.1 });
    }

    /// The column rules of this page's part of the grid, from `top` to the cursor.
    fn grid_verticals(&mut self, edges: &[f32], top: f32) {
        let bottom = self.y;
        for &x in edges {
            self.items().push(Item::Line { x1: x, y1: top, x2: x, y2: bottom, width: GRID_RULE.0, gray: GRID_RULE.1 });
        }
    }

    /// A framed box with a heading and a label/value table, standing on the bottom margin of the
    /// last page (a new page if it does not fit under the content so far): where a reader looks
    /// for a stamp, and where it cannot be mistaken for part of the document's data.
    /// It is never split; one taller than a page is an error.
    pub fn bottom_box<'a>(
        &mut self,
        heading: &str,
        heading_style: TextStyle,
        rows: impl IntoIterator<Item = (&'a str, &'a str)>,
        style: &TableStyle,
        frame: BoxStyle,
    ) -> Result<(), PdfError> {
        self.bottom_box_with_code(heading, heading_style, rows, style, frame, None)
    }

    /// [`Layout::bottom_box`] with a matrix code (`side` points square) in its
    /// top right corner, the text kept to its left.
    pub fn bottom_box_with_code<'a>(
        &mut self,
        heading: &str,
        heading_style: TextStyle,
        rows: impl IntoIterator<Item = (&'a str, &'a str)>,
        style: &TableStyle,
        frame: BoxStyle,
        code: Option<(&crate::Matrix, f32)>,
    ) -> Result<(), PdfError> {
        let beside = code.map_or(0.0, |(_, side)| side + frame.padding);
        let inner_x = self.geometry.left + frame.padding;
        let inner_width = self.geometry.content_width() - 2.0 * frame.padding - beside;
        let heading_lines = self.wrap(heading, &heading_style, inner_width);
        let rows: Vec<RowLines> = rows.into_iter().map(|(l, v)| self.row_lines(l, v, style, inner_width)).collect();
        let heading_height = heading_lines.len() as f32 * heading_style.line_height();
        let rows_height: f32 = rows.iter().map(|r| Self::row_height(r, style)).sum();
        let text_height = heading_height + frame.heading_gap + rows_height;
        let height = 2.0 * frame.padding + text_height.max(code.map_or(0.0, |(_, side)| side));
        let available = self.geometry.content_height();
        if height > available {
            return Err(PdfError::StampTooLarge { needed: height, available });
        }
        let bottom = self.geometry.content_bottom();
        if bottom - height < self.y + frame.space_above && self.y > self.geometry.top {
            self.new_page();
        }
        let top = bottom - height;
        let (x, w) = (self.geometry.left, self.geometry.content_width());
        self.items().push(Item::Frame { x, y: top, w, h: height, width: frame.width, gray: frame.gray });
        if let Some((matrix, side)) = code {
            let cell = side / matrix.width.max(1) as f32;
            let code_x = x + w - frame.padding - side;
            self.items().push(Item::Cells { x: code_x, y: top + frame.padding, cell, matrix: matrix.clone() });
        }

        let mut y = top + frame.padding;
        let heading_pitch = heading_style.line_height();
        let heading_baseline = self.baseline_offset(&heading_style, heading_pitch);
        for text in heading_lines.into_iter().filter(|t| !t.is_empty()) {
            self.items().push(Item::Text { x: inner_x, baseline: y + heading_baseline, style: heading_style, text });
            y += heading_pitch;
        }
        y += frame.heading_gap;
        for row in &rows {
            let mut line_top = y + style.padding;
            for i in 0..row.count() {
                self.push_row_line(row, i, inner_x, inner_width, line_top, style);
                line_top += Self::row_pitch(style);
            }
            y = line_top + style.padding;
        }
        self.y = bottom;
        Ok(())
    }

    /// Finishes the layout, numbering the pages "n / N" centred in the bottom margin, so a page
    /// separated from a multi-page copy can be recognised as incomplete.
    pub fn finish(mut self, footer: TextStyle) -> Vec<Page> {
        let total = self.pages.len();
        let baseline = self.geometry.height - self.geometry.bottom / 2.0;
        let centre = self.geometry.left + self.geometry.content_width() / 2.0;
        for (i, page) in self.pages.iter_mut().enumerate() {
            let text = format!("{} / {total}", i + 1);
            let x = centre - self.fonts.regular.width(&text, footer.size) / 2.0;
            page.items.push(Item::Text { x, baseline, style: TextStyle { font: FontKind::Regular, ..footer }, text });
        }
        self.pages
    }
}

/// Width and gray of a grid's rules (a printed form's thin black lines).
const GRID_RULE: (f32, u8) = (0.5, 0);

/// The look of [`Layout::grid`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GridStyle {
    pub header: TextStyle,
    pub cell: TextStyle,
    /// Inside each cell, on every side.
    pub padding: f32,
}

/// The frame of [`Layout::bottom_box`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BoxStyle {
    /// Line width and gray of the frame.
    pub width: f32,
    pub gray: u8,
    /// Space between the frame and its content.
    pub padding: f32,
    /// Space between the heading and the table.
    pub heading_gap: f32,
    /// Minimum space between the content above and the frame.
    pub space_above: f32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::fonts;

    const BODY: TextStyle = TextStyle { font: FontKind::Regular, size: 10.0, gray: 0 };
    const TABLE: TableStyle =
        TableStyle { label: BODY, value: BODY, label_share: 0.4, gap: 12.0, padding: 3.0, rule: Some((0.3, 160)) };
    const FRAME: BoxStyle = BoxStyle { width: 1.0, gray: 0, padding: 8.0, heading_gap: 4.0, space_above: 12.0 };

    fn texts(page: &Page) -> Vec<(&str, f32, f32)> {
        page.items
            .iter()
            .filter_map(|item| match item {
                Item::Text { text, x, baseline, .. } => Some((text.as_str(), *x, *baseline)),
                _ => None,
            })
            .collect()
    }

    fn rows(n: usize) -> Vec<(String, String)> {
        (0..n).map(|i| (format!("Поле {i}"), format!("Значення {i}"))).collect()
    }

    /// How many one-line rows of TABLE fill a page: 3 + 13 + 3 points each.
    fn rows_per_page() -> usize {
        (PageGeometry::A4.content_height() / (2.0 * TABLE.padding + BODY.line_height())) as usize
    }

    fn table(layout: &mut Layout, rows: &[(String, String)]) {
        layout.table(rows.iter().map(|(l, v)| (l.as_str(), v.as_str())), &TABLE);
    }

    #[test]
    fn a_few_rows_stay_on_one_page_in_order() {
        let fonts = fonts().expect("fonts");
        let mut layout = Layout::new(fonts, PageGeometry::A4);
        table(&mut layout, &rows(5));
        let pages = layout.finish(BODY);
        assert_eq!(pages.len(), 1);
        let t = texts(&pages[0]);
        let baselines: Vec<f32> = t.iter().filter(|(s, ..)| s.starts_with("Значення")).map(|(.., y)| *y).collect();
        assert_eq!(baselines.len(), 5);
        assert!(baselines.windows(2).all(|w| w[0] < w[1]));
        // Label and value of a row share the baseline; values start right of the label column.
        let label = t.iter().find(|(s, ..)| *s == "Поле 0").expect("label");
        let value = t.iter().find(|(s, ..)| *s == "Значення 0").expect("value");
        assert_eq!(label.2, value.2);
        assert!(value.1 > label.1 + (PageGeometry::A4.content_width() - 12.0) * 0.4);
    }

    #[test]
    fn many_rows_flow_onto_further_pages_inside_the_margins() {
        let fonts = fonts().expect("fonts");
        let geometry = PageGeometry::A4;
        let mut layout = Layout::new(fonts, geometry);
        table(&mut layout, &rows(120));
        let pages = layout.finish(BODY);
        assert!(pages.len() >= 2, "{} pages", pages.len());
        let mut seen = 0;
        for (n, page) in pages.iter().enumerate() {
            for (text, x, baseline) in texts(page) {
                if text.contains(" / ") {
                    assert_eq!(text, format!("{} / {}", n + 1, pages.len()));
                    assert!(baseline > geometry.content_bottom());
                    continue;
                }
                assert!(baseline > geometry.top && baseline < geometry.content_bottom(), "{text} at {baseline}");
                assert!(x >= geometry.left && x + fonts.regular.width(text, 10.0) <= geometry.width - geometry.right);
                if let Some(i) = text.strip_prefix("Значення ") {
                    assert_eq!(i, seen.to_string(), "rows stay in order");
                    seen += 1;
                }
            }
        }
        assert_eq!(seen, 120, "no row lost at a page break");
    }

    #[test]
    fn a_long_value_wraps_inside_its_column_and_a_row_is_not_split_when_it_fits_a_page() {
        let fonts = fonts().expect("fonts");
        let geometry = PageGeometry::A4;
        let mut layout = Layout::new(fonts, geometry);
        table(&mut layout, &rows(rows_per_page() - 1));
        assert_eq!(layout.page_count(), 1);
        let long = "дуже довге значення ".repeat(20);
        layout.table([("Довге поле", long.as_str())], &TABLE);
        let pages = layout.finish(BODY);
        assert_eq!(pages.len(), 2, "the long row moved whole to page 2");
        let page2 = texts(&pages[1]);
        assert!(page2.iter().any(|(s, ..)| *s == "Довге поле"));
        let value_x = geometry.left + (geometry.content_width() - 12.0) * 0.4 + 12.0;
        let value_lines: Vec<_> = page2.iter().filter(|(s, ..)| *s != "Довге поле" && !s.contains(" / ")).collect();
        assert!(value_lines.len() > 3);
        for (text, x, _) in value_lines {
            assert_eq!(*x, value_x);
            assert!(x + fonts.regular.width(text, 10.0) <= geometry.width - geometry.right + 1e-3);
        }
    }

    #[test]
    fn a_row_taller_than_a_page_is_split_between_lines() {
        let fonts = fonts().expect("fonts");
        let mut layout = Layout::new(fonts, PageGeometry::A4);
        let huge = "рядок\n".repeat(80);
        layout.table([("Поле", huge.as_str())], &TABLE);
        let pages = layout.finish(BODY);
        assert_eq!(pages.len(), 2);
        let lines = pages.iter().flat_map(texts).filter(|(s, ..)| *s == "рядок").count();
        assert_eq!(lines, 80);
    }

    #[test]
    fn the_box_stands_on_the_bottom_margin_below_the_content() {
        let fonts = fonts().expect("fonts");
        let geometry = PageGeometry::A4;
        let mut layout = Layout::new(fonts, geometry);
        table(&mut layout, &rows(3));
        let content_end = layout.cursor();
        layout.bottom_box("Штамп", BODY, [("Отримувач", "Фонд")], &TABLE, FRAME).expect("fits");
        let pages = layout.finish(BODY);
        assert_eq!(pages.len(), 1);
        let frame = pages[0].items.iter().find_map(|i| match i {
            Item::Frame { y, h, .. } => Some((*y, *h)),
            _ => None,
        });
        let (y, h) = frame.expect("a frame");
        assert!((y + h - geometry.content_bottom()).abs() < 1e-3);
        assert!(y > content_end);
        let t = texts(&pages[0]);
        let heading = t.iter().find(|(s, ..)| *s == "Штамп").expect("heading");
        assert!(heading.2 > y && heading.2 < y + h);
    }

    #[test]
    fn the_box_moves_to_a_new_page_when_the_last_one_is_full() {
        let fonts = fonts().expect("fonts");
        let mut layout = Layout::new(fonts, PageGeometry::A4);
        table(&mut layout, &rows(rows_per_page()));
        assert_eq!(layout.page_count(), 1);
        let stamp = [("Отримувач", "Фонд"), ("Відділення", "Відділ"), ("Дата", "21.11.2026"), ("Запит", "1")];
        layout.bottom_box("Штамп", BODY, stamp, &TABLE, FRAME).expect("fits");
        let pages = layout.finish(BODY);
        assert_eq!(pages.len(), 2);
        assert!(pages[1].items.iter().any(|i| matches!(i, Item::Frame { .. })));
        assert!(!pages[0].items.iter().any(|i| matches!(i, Item::Frame { .. })));
    }

    #[test]
    fn a_box_taller_than_a_page_is_an_error_not_an_overflow() {
        let fonts = fonts().expect("fonts");
        let mut layout = Layout::new(fonts, PageGeometry::A4);
        let tall = "рядок\n".repeat(100);
        let err = layout.bottom_box("Штамп", BODY, [("Поле", tall.as_str())], &TABLE, FRAME).unwrap_err();
        assert!(matches!(err, PdfError::StampTooLarge { .. }), "{err}");
    }

    #[test]
    fn paragraphs_and_rules_advance_the_cursor_and_space_is_dropped_at_a_page_top() {
        let fonts = fonts().expect("fonts");
        let geometry = PageGeometry::A4;
        let mut layout = Layout::new(fonts, geometry);
        layout.space(50.0);
        assert_eq!(layout.cursor(), geometry.top);
        layout.paragraph("Заголовок", BODY);
        assert_eq!(layout.cursor(), geometry.top + BODY.line_height());
        layout.rule(1.0, 0);
        assert_eq!(layout.cursor(), geometry.top + BODY.line_height() + 1.0);
    }
}
