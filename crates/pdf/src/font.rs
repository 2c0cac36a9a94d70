//! DejaVu Sans, read once per process.
//!
//! We place glyphs ourselves (one glyph per character, advance widths from `hmtx`, no kerning
//! or ligatures) instead of shaping with krilla's `simple-text`/rustybuzz: line breaking then
//! measures text with exactly the numbers the PDF is drawn with, so a wrapped line can never
//! come out wider than its column, and measuring is a table look-up rather than a shaping run.
//! Ukrainian, Latin and digits need nothing more; the missing kerning is invisible at 10 pt.

use std::collections::HashMap;
use std::sync::LazyLock;

use krilla::text::Font;
use skrifa::instance::{LocationRef, Size};
use skrifa::{FontRef, MetadataProvider};

use crate::PdfError;
use crate::wrap::is_break_space;

/// Code points below this are kept in a plain table: Basic Latin, Latin-1, Latin Extended,
/// IPA, spacing/combining marks, Greek and Cyrillic (U+0400–U+052F), i.e. everything a
/// Ukrainian document normally holds, looked up without hashing.
const TABLE_END: u32 = 0x0530;

/// A glyph and how far it advances the pen, in em (multiply by the font size for points).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct GlyphInfo {
    pub id: u32,
    pub advance: f32,
}

/// One face of the font: krilla's handle for embedding plus our own cmap/advance tables.
pub(crate) struct Face {
    /// krilla's font; cloning it is an `Arc` clone, and krilla subsets it per document.
    pub font: Font,
    table: Vec<Option<GlyphInfo>>,
    other: HashMap<u32, GlyphInfo>,
    /// Ascender and descender (negative) in em, for placing baselines in a line box.
    pub ascent: f32,
    pub descent: f32,
}

impl Face {
    fn load(data: &'static [u8]) -> Result<Self, String> {
        let font_ref = FontRef::new(data).map_err(|e| e.to_string())?;
        let metrics = font_ref.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em);
        if units_per_em <= 0.0 {
            return Err("units per em is zero".to_owned());
        }
        let glyph_metrics = font_ref.glyph_metrics(Size::unscaled(), LocationRef::default());
        let mut table = vec![None; TABLE_END as usize];
        let mut other = HashMap::new();
        for (code_point, glyph) in font_ref.charmap().mappings() {
            // Glyph 0 is .notdef: a character mapped to it has no real glyph (and PDF/A forbids it).
            if glyph.to_u32() == 0 {
                continue;
            }
            let advance = glyph_metrics.advance_width(glyph).unwrap_or(0.0) / units_per_em;
            let info = GlyphInfo { id: glyph.to_u32(), advance };
            match table.get_mut(code_point as usize) {
                Some(slot) => *slot = Some(info),
                None => {
                    other.insert(code_point, info);
                }
            }
        }
        let font = Font::new(data.into(), 0).ok_or("krilla could not read the font")?;
        Ok(Self { font, table, other, ascent: metrics.ascent / units_per_em, descent: metrics.descent / units_per_em })
    }

    pub fn glyph(&self, c: char) -> Option<GlyphInfo> {
        let code_point = u32::from(c);
        match self.table.get(code_point as usize) {
            Some(slot) => *slot,
            None => self.other.get(&code_point).copied(),
        }
    }

    /// Advance of `c` in em; 0 for a character without a glyph (callers check text first).
    pub fn advance(&self, c: char) -> f32 {
        self.glyph(c).map_or(0.0, |g| g.advance)
    }

    /// Width of `text` in points at `size`, as it will be drawn.
    pub fn width(&self, text: &str, size: f32) -> f32 {
        text.chars().map(|c| self.advance(c)).sum::<f32>() * size
    }

    /// The first character of `text` that cannot be printed. Line breaks and breaking spaces
    /// are fine: wrapping turns them into line ends and plain spaces.
    pub fn first_missing(&self, text: &str) -> Option<char> {
        text.chars().find(|&c| c != '\n' && !is_break_space(c) && self.glyph(c).is_none())
    }
}

/// The faces a form can use.
pub(crate) struct Fonts {
    pub regular: Face,
    pub bold: Face,
}

/// Parsed once: building the tables walks the whole cmap (about 6 000 glyphs per face).
static FONTS: LazyLock<Result<Fonts, String>> = LazyLock::new(|| {
    Ok(Fonts {
        regular: Face::load(dejavu::sans::regular()).map_err(|e| format!("DejaVu Sans: {e}"))?,
        bold: Face::load(dejavu::sans::bold()).map_err(|e| format!("DejaVu Sans Bold: {e}"))?,
    })
});

pub(crate) fn fonts() -> Result<&'static Fonts, PdfError> {
    FONTS.as_ref().map_err(|e| PdfError::Font(e.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ukrainian_letters_and_typographic_apostrophe_have_glyphs() {
        let fonts = fonts().expect("fonts load");
        for face in [&fonts.regular, &fonts.bold] {
            assert_eq!(
                face.first_missing("АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ абвгґдеєжзиіїйклмнопрстуфхцчшщьюя ’ʼ'№«»—"),
                None
            );
            assert!(face.advance('Ж') > face.advance('і'));
            assert!(face.ascent > 0.0 && face.descent < 0.0);
        }
    }

    #[test]
    fn every_character_the_domain_lets_onto_a_document_has_a_glyph() {
        let fonts = fonts().expect("fonts load");
        let all: String =
            (0..=0x2116u32).filter_map(char::from_u32).filter(|c| dossier_domain::text::is_printable(*c)).collect();
        assert!(all.chars().count() > 500, "{}", all.chars().count());
        for face in [&fonts.regular, &fonts.bold] {
            let missing: String = all.chars().filter(|c| face.first_missing(&c.to_string()).is_some()).collect();
            assert_eq!(missing, "");
        }
    }

    #[test]
    fn characters_outside_the_font_are_reported() {
        let fonts = fonts().expect("fonts load");
        assert_eq!(fonts.regular.first_missing("Іван 中"), Some('中'));
        assert_eq!(fonts.regular.first_missing("a\u{1}b"), Some('\u{1}'));
        assert_eq!(fonts.regular.first_missing("рядок\nрядок\tтаб"), None);
    }
}
