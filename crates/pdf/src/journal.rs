//! The issue journal (regulation 26-1, appendix 6, form 6): "ЖУРНАЛ обліку пенсійних посвідчень"
//! of one territorial body for a period, on A4 landscape, with the form's seven columns and
//! their numbers row repeated on every page. Columns 1–4 come from acceptance by act; 5–7 from
//! the issue (the document presented, and the two signatures: the text of an electronic
//! signature record, or empty for ink on the printed page).

use chrono::{DateTime, FixedOffset};

use crate::font::{Fonts, fonts};
use crate::layout::{FontKind, GridStyle, Layout, Page, PageGeometry, TextStyle};
use crate::render::{DocInfo, render as render_pdf};
use crate::{PdfError, check_texts};

/// One line of the journal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    /// Column 2: the certificate's number.
    pub certificate_no: String,
    /// Column 3: number and date of the acceptance-transfer act, e.g. "№ 12 від 05.11.2026".
    pub act: String,
    /// Column 4: full name of the person who received the certificate.
    pub recipient: String,
    /// Column 5: the document presented at issue, with its details.
    pub document: String,
    /// Column 6: signature of the issuing specialist (record text, or empty for ink).
    pub issued_by: String,
    /// Column 7: signature of the recipient (record text, or empty for ink).
    pub received_by: String,
}

/// The journal of one territorial body for a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal {
    /// The territorial body's name (printed under the title, as the form's blank line asks).
    pub body: String,
    /// E.g. "за період з 01.11.2026 по 30.11.2026".
    pub period: String,
    pub entries: Vec<JournalEntry>,
}

const TITLE: TextStyle = TextStyle { font: FontKind::Bold, size: 12.0, gray: 0 };
const SUBTITLE: TextStyle = TextStyle { font: FontKind::Regular, size: 10.0, gray: 0 };
const GRID: GridStyle = GridStyle {
    header: TextStyle { font: FontKind::Regular, size: 8.0, gray: 0 },
    cell: TextStyle { font: FontKind::Regular, size: 9.0, gray: 0 },
    padding: 3.0,
};
const FOOTER: TextStyle = TextStyle { font: FontKind::Regular, size: 8.0, gray: 110 };

/// The form's column headings, in order.
pub(crate) const COLUMNS: [&str; 7] = [
    "№ з/п",
    "№ пенсійного посвідчення",
    "№ та дата акта приймання-передавання пенсійних посвідчень",
    "Прізвище, ім’я, по батькові особи, яка отримала пенсійне посвідчення",
    "Документ, що був пред’явлений під час отримання пенсійного посвідчення, із зазначенням його реквізитів",
    "Підпис особи, яка видала пенсійне посвідчення",
    "Підпис особи, яка отримала пенсійне посвідчення",
];
/// Column widths in proportion: the names and documents get the room.
const SHARES: [f32; 7] = [0.5, 1.1, 1.7, 2.0, 2.1, 1.3, 1.3];

pub(crate) fn render(journal: &Journal, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let pages = compose(journal, fonts)?;
    let title = "Журнал обліку пенсійних посвідчень";
    render_pdf(&pages, &PageGeometry::A4_LANDSCAPE, fonts, &DocInfo { title, language: "uk", created })
}

pub(crate) fn compose(journal: &Journal, fonts: &Fonts) -> Result<Vec<Page>, PdfError> {
    let mut texts = vec![("body".to_owned(), journal.body.as_str()), ("period".to_owned(), journal.period.as_str())];
    for (i, e) in journal.entries.iter().enumerate() {
        for (field, value) in [
            ("certificate number", &e.certificate_no),
            ("act", &e.act),
            ("recipient", &e.recipient),
            ("document", &e.document),
            ("issuer's signature", &e.issued_by),
            ("recipient's signature", &e.received_by),
        ] {
            texts.push((format!("{field} of entry {}", i + 1), value.as_str()));
        }
    }
    check_texts(&fonts.regular, &texts)?;
    let mut layout = Layout::new(fonts, PageGeometry::A4_LANDSCAPE);
    layout.paragraph("ЖУРНАЛ", TITLE);
    layout.paragraph("обліку пенсійних посвідчень", TITLE);
    layout.paragraph(&format!("в {}", journal.body), SUBTITLE);
    if !journal.period.trim().is_empty() {
        layout.paragraph(&journal.period, SUBTITLE);
    }
    layout.space(8.0);
    let header = vec![COLUMNS.map(str::to_owned).to_vec(), (1..=7).map(|n| n.to_string()).collect()];
    let rows: Vec<Vec<String>> = journal
        .entries
        .iter()
        .enumerate()
        .map(|(i, e)| {
            vec![
                (i + 1).to_string(),
                e.certificate_no.clone(),
                e.act.clone(),
                e.recipient.clone(),
                e.document.clone(),
                e.issued_by.clone(),
                e.received_by.clone(),
            ]
        })
        .collect();
    layout.grid(&SHARES, &header, &rows, &GRID);
    Ok(layout.finish(FOOTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Item;

    pub(crate) fn journal(entries: usize) -> Journal {
        Journal {
            body: "Управління в Шевченківському районі м. Києва".into(),
            period: "за період з 01.11.2026 по 30.11.2026".into(),
            entries: (0..entries)
                .map(|i| JournalEntry {
                    certificate_no: format!("{:07}", 1000 + i),
                    act: "№ 12 від 05.11.2026".into(),
                    recipient: format!("Шевченко Тарас Григорович {i}"),
                    document: "паспорт громадянина України КВ 123456, виданий Шевченківським РВ 12.03.1998".into(),
                    issued_by: String::new(),
                    received_by: String::new(),
                })
                .collect(),
        }
    }

    fn texts_on(page: &Page, wanted: &str) -> usize {
        page.items.iter().filter(|i| matches!(i, Item::Text { text, .. } if text == wanted)).count()
    }

    #[test]
    fn the_column_headings_are_repeated_on_every_page() {
        let pages = compose(&journal(60), fonts().unwrap()).unwrap();
        assert!(pages.len() >= 3, "{} pages", pages.len());
        for page in &pages {
            assert_eq!(texts_on(page, "№ з/п"), 1, "the heading row on every page");
        }
    }

    #[test]
    fn every_entry_is_printed_once_and_numbered() {
        let pages = compose(&journal(60), fonts().unwrap()).unwrap();
        for i in 0..60 {
            let n: usize = pages.iter().map(|p| texts_on(p, &format!("{:07}", 1000 + i))).sum();
            assert_eq!(n, 1, "entry {i}");
        }
    }
}
