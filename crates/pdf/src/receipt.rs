//! The receipt of a digitization dossier (SPEC §2.5): what the office
//! received, from whom and for which procedure, each paper with its
//! digitization-result code, and the mark at the bottom with the QR code that
//! carries the case. Every text comes in the office's language from the caller.

use chrono::{DateTime, FixedOffset};

use crate::font::{Fonts, fonts};
use crate::layout::{BoxStyle, FontKind, GridStyle, Layout, Page, PageGeometry, TableStyle, TextStyle};
use crate::render::{DocInfo, render as render_pdf};
use crate::{Field, Matrix, PdfError, check_texts};

/// A dossier's receipt as printed.
#[derive(Debug, Clone, PartialEq)]
pub struct DossierReceipt {
    /// BCP 47 tag of the texts, e.g. "vi".
    pub language: String,
    /// The receiving office, at the head.
    pub office: String,
    pub title: String,
    /// The dossier's data: code, procedure, applicant, when received.
    pub fields: Vec<Field>,
    pub documents_heading: String,
    /// The papers table's column headings, then one row per paper; no
    /// headings and no rows: no table (nor its heading).
    pub columns: Vec<String>,
    /// Each column's share of the width, one per heading.
    pub column_shares: Vec<f32>,
    pub documents: Vec<Vec<String>>,
    /// The mark: its heading and rows (who received, signature line).
    pub mark_heading: String,
    pub mark: Vec<Field>,
    /// The QR code of the case.
    pub code: Matrix,
}

const OFFICE: TextStyle = TextStyle { font: FontKind::Regular, size: 10.0, gray: 40 };
const TITLE: TextStyle = TextStyle { font: FontKind::Bold, size: 14.0, gray: 0 };
const HEADING: TextStyle = TextStyle { font: FontKind::Bold, size: 10.5, gray: 0 };
const FIELDS: TableStyle = TableStyle {
    label: TextStyle { font: FontKind::Regular, size: 10.0, gray: 80 },
    value: TextStyle { font: FontKind::Regular, size: 10.0, gray: 0 },
    label_share: 0.35,
    gap: 12.0,
    padding: 3.0,
    rule: Some((0.4, 170)),
};
const GRID: GridStyle = GridStyle {
    header: TextStyle { font: FontKind::Bold, size: 9.0, gray: 0 },
    cell: TextStyle { font: FontKind::Regular, size: 9.5, gray: 0 },
    padding: 3.0,
};
/// A dossier receipt's papers table: ordinal, result code, paper, pages.
pub const PAPER_COLUMN_SHARES: [f32; 4] = [0.06, 0.37, 0.43, 0.14];
const MARK: TableStyle = TableStyle {
    label: TextStyle { font: FontKind::Regular, size: 9.5, gray: 60 },
    value: TextStyle { font: FontKind::Bold, size: 9.5, gray: 0 },
    label_share: 0.4,
    gap: 10.0,
    padding: 1.5,
    rule: None,
};
const MARK_FRAME: BoxStyle = BoxStyle { width: 1.0, gray: 0, padding: 8.0, heading_gap: 3.0, space_above: 18.0 };
/// 40 mm: the code holds up to 600 bytes (about 93 modules a side), and a
/// phone reads modules of 0.4 mm from an office printer's page.
const CODE_SIDE: f32 = 40.0 * 72.0 / 25.4;
const FOOTER: TextStyle = TextStyle { font: FontKind::Regular, size: 8.0, gray: 110 };

pub(crate) fn render(receipt: &DossierReceipt, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let pages = compose(receipt, fonts)?;
    let info = DocInfo { title: &receipt.title, language: &receipt.language, created };
    render_pdf(&pages, &PageGeometry::A4, fonts, &info)
}

fn texts(r: &DossierReceipt) -> Vec<(String, &str)> {
    let mut t: Vec<(String, &str)> = vec![
        ("office".into(), &r.office),
        ("title".into(), &r.title),
        ("documents heading".into(), &r.documents_heading),
        ("mark heading".into(), &r.mark_heading),
    ];
    for (part, fields) in [("dossier", &r.fields), ("mark", &r.mark)] {
        for (i, f) in fields.iter().enumerate() {
            t.push((format!("label of {part} field {}", i + 1), &f.label));
            t.push((format!("value of {part} field {}", i + 1), &f.value));
        }
    }
    for (i, c) in r.columns.iter().enumerate() {
        t.push((format!("column {}", i + 1), c));
    }
    for (i, row) in r.documents.iter().enumerate() {
        for cell in row {
            t.push((format!("paper {}", i + 1), cell));
        }
    }
    t
}

pub(crate) fn compose(r: &DossierReceipt, fonts: &Fonts) -> Result<Vec<Page>, PdfError> {
    check_texts(&fonts.regular, &texts(r))?;
    let mut layout = Layout::new(fonts, PageGeometry::A4);
    layout.paragraph(&r.office, OFFICE);
    layout.space(10.0);
    layout.paragraph(&r.title, TITLE);
    layout.space(8.0);
    layout.table(r.fields.iter().map(|f| (f.label.as_str(), f.value.as_str())), &FIELDS);
    if !(r.columns.is_empty() && r.documents.is_empty()) {
        layout.space(12.0);
        layout.paragraph(&r.documents_heading, HEADING);
        layout.space(4.0);
        layout.grid(&r.column_shares, std::slice::from_ref(&r.columns), &r.documents, &GRID);
    }
    let mark = r.mark.iter().map(|f| (f.label.as_str(), f.value.as_str()));
    layout.bottom_box_with_code(&r.mark_heading, HEADING, mark, &MARK, MARK_FRAME, Some((&r.code, CODE_SIDE)))?;
    Ok(layout.finish(FOOTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Item;

    fn sample(papers: usize) -> DossierReceipt {
        DossierReceipt {
            language: "vi".into(),
            office: "Bảo hiểm xã hội quận Ba Đình".into(),
            title: "Giấy tiếp nhận hồ sơ".into(),
            fields: vec![
                Field::new("Mã hồ sơ", "000.00.31.H29-261204-0007"),
                Field::new("Thủ tục", "1.001234"),
                Field::new("Số định danh người nộp", "001089012345"),
            ],
            documents_heading: "Giấy tờ đã số hóa".into(),
            columns: vec!["STT".into(), "Mã kết quả".into(), "Giấy tờ".into(), "Trang".into()],
            column_shares: PAPER_COLUMN_SHARES.to_vec(),
            documents: (1..=papers)
                .map(|i| {
                    vec![
                        i.to_string(),
                        format!("000.00.31.H29-261204-0007.KQ{i:02}"),
                        "Căn cước công dân".into(),
                        "2".into(),
                    ]
                })
                .collect(),
            mark_heading: "Đã tiếp nhận".into(),
            mark: vec![Field::new("Người tiếp nhận", "Nguyễn Thị Lan")],
            code: Matrix { width: 25, dark: (0..25 * 25).map(|i| i % 2 == 0).collect() },
        }
    }

    #[test]
    fn the_receipt_lists_every_paper_and_puts_the_code_in_the_mark_at_the_bottom() {
        let fonts = fonts().expect("fonts");
        let pages = compose(&sample(3), fonts).expect("layout");
        assert_eq!(pages.len(), 1);
        let texts: Vec<&str> = pages[0]
            .items
            .iter()
            .filter_map(|i| match i {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect();
        for wanted in ["Giấy tiếp nhận hồ sơ", "000.00.31.H29-261204-0007.KQ03", "Nguyễn Thị Lan"] {
            assert!(texts.contains(&wanted), "{wanted} printed: {texts:?}");
        }
        let cells = pages[0].items.iter().find_map(|i| match i {
            Item::Cells { cell, .. } => Some(*cell),
            _ => None,
        });
        assert!((cells.expect("the code") * 25.0 - CODE_SIDE).abs() < 0.01);
    }

    #[test]
    fn a_long_dossier_runs_onto_more_pages_with_the_mark_on_the_last() {
        let fonts = fonts().expect("fonts");
        let pages = compose(&sample(60), fonts).expect("layout");
        assert!(pages.len() > 1);
        let has_code = |p: &Page| p.items.iter().any(|i| matches!(i, Item::Cells { .. }));
        assert!(has_code(&pages[pages.len() - 1]));
        assert!(!pages[..pages.len() - 1].iter().any(has_code));
    }

    #[test]
    fn a_dossier_without_papers_yet_still_prints() {
        let fonts = fonts().expect("fonts");
        let pages = compose(&sample(0), fonts).expect("layout");
        assert_eq!(pages.len(), 1);
    }

    #[test]
    fn an_unprintable_name_is_refused_naming_its_place() {
        let fonts = fonts().expect("fonts");
        let mut r = sample(1);
        r.documents[0][2] = "文件".into();
        let err = compose(&r, fonts).unwrap_err();
        assert!(matches!(&err, PdfError::UnsupportedCharacter { place, .. } if place == "paper 1"));
    }
}
