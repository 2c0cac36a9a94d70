//! What recognition read off a page: words with their confidence and their
//! place, grouped in lines — the input of field extraction and of the
//! searchable PDF's text layer. Produced by the OCR adapter (Tesseract's
//! TSV), consumed here without I/O.
use serde::{Deserialize, Serialize};

/// A rectangle on the page image, in pixels from its top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BBox {
    pub left: u32,
    pub top: u32,
    pub width: u32,
    pub height: u32,
}

impl BBox {
    /// The smallest rectangle holding both.
    pub fn union(self, other: BBox) -> BBox {
        let left = self.left.min(other.left);
        let top = self.top.min(other.top);
        // Saturating: boxes come from another program's output.
        let right = self.left.saturating_add(self.width).max(other.left.saturating_add(other.width));
        let bottom = self.top.saturating_add(self.height).max(other.top.saturating_add(other.height));
        BBox { left, top, width: right - left, height: bottom - top }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    /// 0–100, as the recogniser reports it.
    pub confidence: f32,
    pub bbox: BBox,
}

/// One line of text, its words left to right.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Line {
    pub words: Vec<Word>,
}

impl Line {
    pub fn text(&self) -> String {
        self.words.iter().map(|w| w.text.as_str()).collect::<Vec<_>>().join(" ")
    }
}

/// A page's recognised text.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct PageText {
    pub lines: Vec<Line>,
}

impl PageText {
    pub fn text(&self) -> String {
        self.lines.iter().map(Line::text).collect::<Vec<_>>().join("\n")
    }

    pub fn words(&self) -> impl Iterator<Item = &Word> {
        self.lines.iter().flat_map(|l| l.words.iter())
    }

    /// The mean word confidence, weighted by characters (a page of long
    /// confident words and one doubtful "1" is a confident page); 0 without words.
    pub fn confidence(&self) -> f32 {
        let (sum, chars) = self.words().fold((0.0f64, 0usize), |(s, n), w| {
            let c = w.text.chars().count();
            (s + f64::from(w.confidence) * c as f64, n + c)
        });
        if chars == 0 { 0.0 } else { (sum / chars as f64) as f32 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str, confidence: f32, left: u32) -> Word {
        Word { text: text.into(), confidence, bbox: BBox { left, top: 10, width: 40, height: 20 } }
    }

    #[test]
    fn a_page_reads_as_lines_and_weighs_confidence_by_characters() {
        let page = PageText {
            lines: vec![
                Line { words: vec![word("Прізвище:", 96.0, 10), word("Шевчук", 92.0, 60)] },
                Line { words: vec![word("1", 20.0, 10)] },
            ],
        };
        assert_eq!(page.text(), "Прізвище: Шевчук\n1");
        let c = page.confidence();
        assert!((c - (96.0 * 9.0 + 92.0 * 6.0 + 20.0) / 16.0).abs() < 0.01, "{c}");
        assert_eq!(PageText::default().confidence(), 0.0);
    }

    #[test]
    fn boxes_unite() {
        let a = BBox { left: 10, top: 20, width: 30, height: 10 };
        let b = BBox { left: 50, top: 15, width: 10, height: 30 };
        assert_eq!(a.union(b), BBox { left: 10, top: 15, width: 50, height: 30 });
        let huge = BBox { left: u32::MAX - 1, top: 0, width: 10, height: 1 };
        assert_eq!(a.union(huge).left, 10, "no overflow on absurd boxes");
    }
}
