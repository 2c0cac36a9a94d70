//! The copy of a citizen's digital document: title, the document's fields as a table, the
//! issuer note, and the stamp (recipient, branch, time of formation) framed at the bottom.

use chrono::{DateTime, FixedOffset};

use crate::font::{Fonts, fonts};
use crate::layout::{BoxStyle, FontKind, Layout, Page, PageGeometry, TableStyle, TextStyle};
use crate::render::{DocInfo, render as render_pdf};
use crate::{DocumentCopy, PdfError};

const TITLE: TextStyle = TextStyle { font: FontKind::Bold, size: 14.0, gray: 0 };
/// Labels a little lighter than values: the eye finds the data first.
const FIELDS: TableStyle = TableStyle {
    label: TextStyle { font: FontKind::Regular, size: 10.0, gray: 80 },
    value: TextStyle { font: FontKind::Regular, size: 10.0, gray: 0 },
    label_share: 0.38,
    gap: 12.0,
    padding: 3.5,
    rule: Some((0.4, 170)),
};
const NOTE: TextStyle = TextStyle { font: FontKind::Regular, size: 9.0, gray: 60 };
const STAMP_HEADING: TextStyle = TextStyle { font: FontKind::Bold, size: 10.5, gray: 0 };
const STAMP: TableStyle = TableStyle {
    label: TextStyle { font: FontKind::Regular, size: 9.5, gray: 60 },
    value: TextStyle { font: FontKind::Bold, size: 9.5, gray: 0 },
    label_share: 0.33,
    gap: 10.0,
    padding: 1.5,
    rule: None,
};
/// A heavier frame than the table rules, so the stamp reads as a stamp.
const STAMP_FRAME: BoxStyle = BoxStyle { width: 1.5, gray: 0, padding: 9.0, heading_gap: 3.0, space_above: 18.0 };
const FOOTER: TextStyle = TextStyle { font: FontKind::Regular, size: 8.0, gray: 110 };

pub(crate) fn render(copy: &DocumentCopy, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    check_printable(copy, fonts)?;
    let geometry = PageGeometry::A4;
    let pages = compose(copy, fonts, geometry)?;
    render_pdf(&pages, &geometry, fonts, &DocInfo { title: &copy.title, language: "uk", created })
}

pub(crate) fn compose(copy: &DocumentCopy, fonts: &Fonts, geometry: PageGeometry) -> Result<Vec<Page>, PdfError> {
    let mut layout = Layout::new(fonts, geometry);
    layout.paragraph(&copy.title, TITLE);
    layout.space(4.0);
    layout.rule(1.0, 0);
    layout.space(6.0);
    layout.table(copy.fields.iter().map(|f| (f.label.as_str(), f.value.as_str())), &FIELDS);
    if !copy.issuer_note.trim().is_empty() {
        layout.space(10.0);
        layout.paragraph(&copy.issuer_note, NOTE);
    }
    let stamp = copy.stamp.lines.iter().map(|f| (f.label.as_str(), f.value.as_str()));
    layout.bottom_box(&copy.stamp.heading, STAMP_HEADING, stamp, &STAMP, STAMP_FRAME)?;
    Ok(layout.finish(FOOTER))
}

/// Refuses, before any layout, text the font cannot print, naming where it is (not what it
/// says: values are personal data and errors end up in logs).
fn check_printable(copy: &DocumentCopy, fonts: &Fonts) -> Result<(), PdfError> {
    let mut texts: Vec<(String, &str, FontKind)> = vec![
        ("title".to_owned(), &copy.title, TITLE.font),
        ("issuer note".to_owned(), &copy.issuer_note, NOTE.font),
        ("stamp heading".to_owned(), &copy.stamp.heading, STAMP_HEADING.font),
    ];
    for (i, field) in copy.fields.iter().enumerate() {
        texts.push((format!("label of field {}", i + 1), &field.label, FIELDS.label.font));
        texts.push((format!("value of field {}", i + 1), &field.value, FIELDS.value.font));
    }
    for (i, line) in copy.stamp.lines.iter().enumerate() {
        texts.push((format!("label of stamp line {}", i + 1), &line.label, STAMP.label.font));
        texts.push((format!("value of stamp line {}", i + 1), &line.value, STAMP.value.font));
    }
    for (place, text, font) in texts {
        let face = match font {
            FontKind::Regular => &fonts.regular,
            FontKind::Bold => &fonts.bold,
        };
        if let Some(character) = face.first_missing(text) {
            return Err(PdfError::UnsupportedCharacter { character, place });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Item;
    use crate::{Field, Stamp};

    fn copy(fields: usize) -> DocumentCopy {
        DocumentCopy {
            title: "Копія електронного документа: ID-картка".into(),
            fields: (0..fields).map(|i| Field::new(format!("Поле {i}"), format!("Значення {i}"))).collect(),
            issuer_note: "Документ видано: Державна міграційна служба України (реєстр)".into(),
            stamp: Stamp {
                heading: "Копію сформовано для".into(),
                lines: vec![Field::new("Отримувач", "Пенсійний фонд"), Field::new("Відділення", "Відділ № 1")],
            },
        }
    }

    fn position(pages: &[Page], wanted: &str) -> Option<(usize, f32)> {
        pages.iter().enumerate().find_map(|(n, page)| {
            page.items.iter().find_map(|item| match item {
                Item::Text { text, baseline, .. } if text == wanted => Some((n, *baseline)),
                _ => None,
            })
        })
    }

    #[test]
    fn stamp_is_on_the_last_page_below_the_last_field() {
        for fields in [3, 40, 90] {
            let fonts = fonts().expect("fonts");
            let pages = compose(&copy(fields), fonts, PageGeometry::A4).expect("layout");
            let last_field = position(&pages, &format!("Значення {}", fields - 1)).expect("last field");
            let stamp = position(&pages, "Копію сформовано для").expect("stamp heading");
            assert_eq!(stamp.0, pages.len() - 1, "{fields} fields");
            assert!(stamp.0 > last_field.0 || stamp.1 > last_field.1, "{fields} fields");
            let frames = pages.iter().flat_map(|p| &p.items).filter(|i| matches!(i, Item::Frame { .. })).count();
            assert_eq!(frames, 1);
        }
    }

    #[test]
    fn unprintable_character_is_refused_with_its_place_not_its_text() {
        let fonts = fonts().expect("fonts");
        let mut c = copy(3);
        c.fields[1].value = "Іван 中".into();
        let err = check_printable(&c, fonts).unwrap_err();
        assert!(
            matches!(&err, PdfError::UnsupportedCharacter { character: '中', place } if place == "value of field 2")
        );
        assert!(!err.to_string().contains("Іван"), "{err}");
        assert!(err.to_string().contains("U+4E2D"), "{err}");
    }
}
