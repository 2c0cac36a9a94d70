//! Turns laid-out pages into a PDF/A-2b file with krilla.

use chrono::{DateTime, Datelike, FixedOffset, Timelike};
use krilla::color::luma;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::metadata::{self, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::surface::Surface;
use krilla::text::{GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::PdfError;
use crate::font::{Face, Fonts};
use crate::layout::{FontKind, Item, Page, PageGeometry};

/// Document-level metadata written to the info dictionary and XMP.
pub(crate) struct DocInfo<'a> {
    pub title: &'a str,
    /// BCP 47 language tag of the text, e.g. "uk".
    pub language: &'a str,
    /// Required by PDF/A-2 (krilla refuses to export without it).
    pub created: DateTime<FixedOffset>,
}

pub(crate) fn render(
    pages: &[Page],
    geometry: &PageGeometry,
    fonts: &Fonts,
    info: &DocInfo,
) -> Result<Vec<u8>, PdfError> {
    let mut document = archival_document(info)?;
    let page_settings = page_settings(geometry.width, geometry.height)?;
    let mut glyphs = Vec::new();
    for page in pages {
        let mut pdf_page = document.start_page_with(page_settings.clone());
        let mut surface = pdf_page.surface();
        for item in &page.items {
            draw(&mut surface, item, fonts, &mut glyphs)?;
        }
        surface.finish();
        pdf_page.finish();
    }
    finish(document)
}

/// A krilla document that refuses to be written unless it is PDF/A-2b, with `info` as its
/// metadata.
pub(crate) fn archival_document(info: &DocInfo) -> Result<Document, PdfError> {
    // PDF/A-2b: krilla checks every rule it can (embedded fonts, no .notdef, device-independent
    // colour with an output intent, XMP identification) and fails the export instead of writing
    // a file that only looks archival. Tagging is left off: level B does not need a structure
    // tree and the copy stays smaller.
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|e| PdfError::Export(format!("PDF/A-2b configuration: {e:?}")))?;
    let settings = SerializeSettings { configuration, enable_tagging: false, ..SerializeSettings::default() };
    let mut document = Document::new_with(settings);
    document.set_metadata(
        Metadata::new()
            .title(info.title.to_owned())
            .language(info.language.to_owned())
            .creator("Dossier".to_owned())
            .creation_date(pdf_date(info.created)?),
    );
    Ok(document)
}

pub(crate) fn page_settings(width: f32, height: f32) -> Result<PageSettings, PdfError> {
    PageSettings::from_wh(width, height).ok_or_else(|| PdfError::Export(format!("invalid page size {width}×{height}")))
}

pub(crate) fn finish(document: Document) -> Result<Vec<u8>, PdfError> {
    document.finish().map_err(|e| PdfError::Export(describe(&e)))
}

pub(crate) fn draw(
    surface: &mut Surface,
    item: &Item,
    fonts: &Fonts,
    glyphs: &mut Vec<KrillaGlyph>,
) -> Result<(), PdfError> {
    match item {
        Item::Text { x, baseline, style, text } => {
            let face = match style.font {
                FontKind::Regular => &fonts.regular,
                FontKind::Bold => &fonts.bold,
            };
            shape(face, text, glyphs)?;
            surface.set_stroke(None);
            surface.set_fill(Some(Fill { paint: luma::Color::new(style.gray).into(), ..Fill::default() }));
            surface.draw_glyphs(Point::from_xy(*x, *baseline), glyphs, face.font.clone(), text, style.size, false);
        }
        Item::Line { x1, y1, x2, y2, width, gray } => {
            let mut path = PathBuilder::new();
            path.move_to(*x1, *y1);
            path.line_to(*x2, *y2);
            stroke(surface, path, *width, *gray);
        }
        Item::Frame { x, y, w, h, width, gray } => {
            if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                let mut path = PathBuilder::new();
                path.push_rect(rect);
                stroke(surface, path, *width, *gray);
            }
        }
        Item::Cells { x, y, cell, matrix } => {
            // One path of squares, filled black: a scanner needs full contrast.
            let mut path = PathBuilder::new();
            for (i, dark) in matrix.dark.iter().enumerate() {
                let (row, col) = (i / matrix.width.max(1), i % matrix.width.max(1));
                if let (true, Some(rect)) =
                    (*dark, Rect::from_xywh(x + col as f32 * cell, y + row as f32 * cell, *cell, *cell))
                {
                    path.push_rect(rect);
                }
            }
            if let Some(path) = path.finish() {
                surface.set_stroke(None);
                surface.set_fill(Some(Fill { paint: luma::Color::new(0).into(), ..Fill::default() }));
                surface.draw_path(&path);
            }
        }
        Item::Image { x, y, w, h, picture } => {
            if let Some(size) = Size::from_wh(*w, *h) {
                surface.push_transform(&Transform::from_translate(*x, *y));
                surface.draw_image(picture.image().clone(), size);
                surface.pop();
            }
        }
    }
    Ok(())
}

fn stroke(surface: &mut Surface, path: PathBuilder, width: f32, gray: u8) {
    // A degenerate path (zero length) has nothing to draw.
    if let Some(path) = path.finish() {
        surface.set_fill(None);
        surface.set_stroke(Some(Stroke { paint: luma::Color::new(gray).into(), width, ..Stroke::default() }));
        surface.draw_path(&path);
    }
}

/// One glyph per character, with the advances layout measured with (see `font`). Each glyph
/// carries its character's byte range so krilla can write a ToUnicode map: text stays
/// searchable and copyable.
pub(crate) fn shape(face: &Face, text: &str, glyphs: &mut Vec<KrillaGlyph>) -> Result<(), PdfError> {
    glyphs.clear();
    for (start, c) in text.char_indices() {
        let glyph =
            face.glyph(c).ok_or_else(|| PdfError::UnsupportedCharacter { character: c, place: "text".to_owned() })?;
        glyphs.push(KrillaGlyph::new(
            GlyphId::new(glyph.id),
            glyph.advance,
            0.0,
            0.0,
            0.0,
            start..start + c.len_utf8(),
            None,
        ));
    }
    Ok(())
}

fn pdf_date(at: DateTime<FixedOffset>) -> Result<metadata::DateTime, PdfError> {
    // PDF dates have four-digit years.
    let year = u16::try_from(at.year()).ok().filter(|y| *y <= 9999).ok_or(PdfError::DateOutOfRange(at.to_rfc3339()))?;
    let offset_minutes = at.offset().local_minus_utc() / 60;
    // Both fit: |offset| < 24 h, so hours < 24 and minutes < 60.
    let offset_hour = i8::try_from(offset_minutes / 60).unwrap_or(0);
    let offset_minute = u8::try_from((offset_minutes % 60).abs()).unwrap_or(0);
    Ok(metadata::DateTime::new(year)
        .month(at.month() as u8)
        .day(at.day() as u8)
        .hour(at.hour() as u8)
        .minute(at.minute() as u8)
        .second(at.second() as u8)
        .utc_offset_hour(offset_hour)
        .utc_offset_minute(offset_minute))
}

/// krilla's `Display` only counts validation errors; name them so a failure can be acted on.
fn describe(error: &krilla::error::KrillaError) -> String {
    match error {
        krilla::error::KrillaError::Validation(errors) => {
            let list: Vec<String> = errors.iter().map(|(e, _)| format!("{e:?}")).collect();
            format!("PDF/A-2b validation failed: {}", list.join("; "))
        }
        other => other.to_string(),
    }
}
