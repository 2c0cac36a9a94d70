//! A digitized paper as an archival PDF: each scanned page as an image the size the paper was,
//! the words recognised on it as an invisible text layer over their places (so the file is
//! searchable and its text selectable in any viewer), and the digitizing office's seal mark at
//! the top right of the first page, where Vietnam's rules on electronic documents put an
//! organisation's signature image (Decree 30/2020/NĐ-CP, Appendix I).
//!
//! The text layer is drawn with a fill opacity of zero rather than with text rendering mode 3:
//! krilla offers no rendering mode, and a fully transparent fill is invisible on screen and on
//! paper while extraction, search and selection read it like any text. Each word is stretched
//! horizontally to its recognised box, so a selection covers the word the eye sees.

use chrono::{DateTime, FixedOffset};
use krilla::color::luma;
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::num::NormalizedF32;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::KrillaGlyph;

use crate::font::{Face, Fonts, fonts};
use crate::layout::{FontKind, Item, TextStyle};
use crate::picture::{Picture, fit};
use crate::render::{DocInfo, archival_document, draw, finish, page_settings, shape};
use crate::wrap::wrap;
use crate::{PdfError, check_texts};

/// A paper scanned page by page, with what was read on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedDocument {
    /// The document's title in the file's metadata (e.g. its kind and result code).
    pub title: String,
    /// BCP 47 tag of the paper's language ("uk", "vi").
    pub language: String,
    pub pages: Vec<ScannedPage>,
    pub seal: SealMark,
}

/// One scanned page: its image, the resolution it was scanned at (which gives the paper's size)
/// and the words recognised on it, placed in the image's pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct ScannedPage {
    pub picture: Picture,
    pub dpi: f32,
    pub words: Vec<PlacedWord>,
}

/// A recognised word and its box in pixels from the image's top left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlacedWord {
    pub text: String,
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

/// The office's mark on the first page: the seal's picture (a drawn ring when none is
/// configured) beside its lines — office name first, then the time and the codes.
#[derive(Debug, Clone, PartialEq)]
pub struct SealMark {
    pub lines: Vec<String>,
    pub picture: Option<Picture>,
}

/// Where the seal mark stands on the first page, in PDF user space (points, origin at the
/// bottom left), for a signature widget to cover it: `[x1, y1, x2, y2]`.
pub type SealRect = [f32; 4];

const SEAL_WIDTH: f32 = 205.0;
const SEAL_MARGIN: f32 = 14.0;
const SEAL_PADDING: f32 = 5.0;
const SEAL_RING: f32 = 44.0;
const SEAL_TEXT: TextStyle = TextStyle { font: FontKind::Regular, size: 7.0, gray: 0 };
const SEAL_NAME: TextStyle = TextStyle { font: FontKind::Bold, size: 7.5, gray: 0 };
/// Resolutions outside this range are a broken header, not a paper: a page is sized by it.
const DPI_RANGE: std::ops::RangeInclusive<f32> = 50.0..=2400.0;

pub(crate) fn render(doc: &ScannedDocument, created: DateTime<FixedOffset>) -> Result<(Vec<u8>, SealRect), PdfError> {
    let fonts = fonts()?;
    let places: Vec<(String, &str)> =
        doc.seal.lines.iter().enumerate().map(|(i, l)| (format!("seal line {}", i + 1), l.as_str())).collect();
    check_texts(&fonts.bold, &places)?;
    if doc.pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let mut document = archival_document(&DocInfo { title: &doc.title, language: &doc.language, created })?;
    let mut seal_rect = [0.0; 4];
    let mut glyphs = Vec::new();
    for (i, page) in doc.pages.iter().enumerate() {
        let (width, height) = page_size(page)?;
        let mut pdf_page = document.start_page_with(page_settings(width, height)?);
        let mut surface = pdf_page.surface();
        if let Some(size) = Size::from_wh(width, height) {
            surface.draw_image(page.picture.image().clone(), size);
        }
        let scale = 72.0 / page.dpi;
        for word in &page.words {
            invisible_word(&mut surface, &fonts.regular, word, scale, &mut glyphs);
        }
        if i == 0 {
            let (items, rect) = seal(&doc.seal, fonts, width);
            for item in &items {
                draw(&mut surface, item, fonts, &mut glyphs)?;
            }
            if doc.seal.picture.is_none() {
                ring(&mut surface, rect);
            }
            seal_rect = [rect.0, height - rect.1 - rect.3, rect.0 + rect.2, height - rect.1];
        }
        surface.finish();
        pdf_page.finish();
    }
    Ok((finish(document)?, seal_rect))
}

/// The paper's size in points: pixels at the scan's resolution.
fn page_size(page: &ScannedPage) -> Result<(f32, f32), PdfError> {
    if !DPI_RANGE.contains(&page.dpi) {
        return Err(PdfError::BadResolution(page.dpi));
    }
    let (w, h) = page.picture.pixels();
    Ok((w as f32 * 72.0 / page.dpi, h as f32 * 72.0 / page.dpi))
}

/// Draws `word` fully transparent over its box: the font size is the box's height and the
/// glyphs are stretched to its width. Characters the font lacks are left out of the layer
/// (the recognised text itself is kept whole elsewhere); a word left empty is not drawn.
fn invisible_word(surface: &mut Surface, face: &Face, word: &PlacedWord, scale: f32, glyphs: &mut Vec<KrillaGlyph>) {
    let text: String = word.text.chars().filter(|c| !c.is_whitespace() && face.glyph(*c).is_some()).collect();
    let (w, h) = (word.width as f32 * scale, word.height as f32 * scale);
    let natural = face.width(&text, h);
    if text.is_empty() || natural <= 0.0 || w <= 0.0 || h <= 0.0 {
        return;
    }
    // Every character left has a glyph, so shaping cannot fail; if it did, the word is skipped.
    if shape(face, &text, glyphs).is_err() {
        return;
    }
    // The box is ink from the tallest letter to the lowest: put the baseline where the font's
    // descender would end at the box's bottom.
    let baseline = (word.top as f32 * scale) + h * face.ascent / (face.ascent - face.descent);
    surface.push_transform(&Transform::from_row(w / natural, 0.0, 0.0, 1.0, word.left as f32 * scale, baseline));
    surface.set_stroke(None);
    surface.set_fill(Some(Fill { paint: luma::Color::new(0).into(), opacity: NormalizedF32::ZERO, ..Fill::default() }));
    surface.draw_glyphs(Point::from_xy(0.0, 0.0), glyphs, face.font.clone(), &text, h, false);
    surface.pop();
}

/// A box `(x, y, w, h)` in points from the page's top left.
type Area = (f32, f32, f32, f32);

/// The seal mark's items and its box.
fn seal(mark: &SealMark, fonts: &Fonts, page_width: f32) -> (Vec<Item>, Area) {
    let width = SEAL_WIDTH.min(page_width - 2.0 * SEAL_MARGIN).max(SEAL_RING + 4.0 * SEAL_PADDING);
    let x = page_width - SEAL_MARGIN - width;
    let y = SEAL_MARGIN;
    let text_x = x + 2.0 * SEAL_PADDING + SEAL_RING;
    let text_width = (x + width - SEAL_PADDING - text_x).max(1.0);
    let mut items = Vec::new();
    let mut cursor = y + SEAL_PADDING;
    for (i, line) in mark.lines.iter().enumerate() {
        let style = if i == 0 { SEAL_NAME } else { SEAL_TEXT };
        let face = match style.font {
            FontKind::Regular => &fonts.regular,
            FontKind::Bold => &fonts.bold,
        };
        for part in wrap(line, text_width / style.size, |c| face.advance(c)) {
            cursor += style.size * face.ascent;
            items.push(Item::Text { x: text_x, baseline: cursor, style, text: part });
            cursor += style.line_height() - style.size * face.ascent;
        }
    }
    let height = (cursor + SEAL_PADDING - y).max(SEAL_RING + 2.0 * SEAL_PADDING);
    items.push(Item::Frame { x, y, w: width, h: height, width: 1.2, gray: 0 });
    if let Some(picture) = &mark.picture {
        let ring_y = y + (height - SEAL_RING) / 2.0;
        let (px, py, pw, ph) = fit((x + SEAL_PADDING, ring_y, SEAL_RING, SEAL_RING), picture.pixels());
        items.push(Item::Image { x: px, y: py, w: pw, h: ph, picture: picture.clone() });
    }
    (items, (x, y, width, height))
}

/// A seal's two rings, drawn when the office has no seal picture configured.
fn ring(surface: &mut Surface, (x, y, _, h): Area) {
    let (cx, cy) = (x + SEAL_PADDING + SEAL_RING / 2.0, y + h / 2.0);
    let mut path = PathBuilder::new();
    for r in [SEAL_RING / 2.0, SEAL_RING / 2.0 - 5.0, 3.0] {
        circle(&mut path, cx, cy, r);
    }
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke { paint: luma::Color::new(0).into(), width: 1.0, ..Stroke::default() }));
        surface.draw_path(&path);
    }
}

/// A circle as four cubic Béziers (the control distance 0.5523 r keeps the error under 0.03 %).
fn circle(path: &mut PathBuilder, cx: f32, cy: f32, r: f32) {
    let k = 0.552_284_8 * r;
    path.move_to(cx + r, cy);
    path.cubic_to(cx + r, cy + k, cx + k, cy + r, cx, cy + r);
    path.cubic_to(cx - k, cy + r, cx - r, cy + k, cx - r, cy);
    path.cubic_to(cx - r, cy - k, cx - k, cy - r, cx, cy - r);
    path.cubic_to(cx + k, cy - r, cx + r, cy - k, cx + r, cy);
    path.close();
}
