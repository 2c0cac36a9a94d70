//! The application for a pension certificate (regulation 26-1, appendix 1, form 1), filled from
//! the stored application: whom it is filed with and by whom, what is asked for (paper or card,
//! first or a replacement and why), the data for production in the order of §II.1, the legal
//! representative (§I.2, §II.2), the applicant's signature line, and the office's acceptance mark
//! framed at the bottom, as on a paper application registered at the counter.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::font::{Fonts, fonts};
use crate::layout::{BoxStyle, FontKind, Layout, Page, PageGeometry, TableStyle, TextStyle};
use crate::render::{DocInfo, render as render_pdf};
use crate::{Field, PdfError, check_texts};

/// Form 1 as filled in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApplicationForm {
    /// The application's registration number, e.g. "З-2026-0000042".
    pub number: String,
    pub filed_on: NaiveDate,
    /// The territorial body it is filed with.
    pub body: String,
    /// Who files it: the person, or the legal representative "for" the person.
    pub applicant: String,
    /// What is asked for, as a sentence's end: "паперове пенсійне посвідчення (форма 2)".
    pub request: String,
    /// "вперше", or the replacement and its reason (§I.3).
    pub ground: String,
    /// The data for production (§II.1), in order.
    pub data: Vec<Field>,
    /// The legal representative's details; empty when the person files for themself.
    pub representative: Vec<Field>,
    /// The specialist who accepted it.
    pub accepted_by: String,
    /// A code to scan for the application's status (a signed link), printed in the mark.
    pub status_code: Option<crate::Matrix>,
}

const REFERENCE: TextStyle = TextStyle { font: FontKind::Regular, size: 8.0, gray: 60 };
const TITLE: TextStyle = TextStyle { font: FontKind::Bold, size: 13.0, gray: 0 };
const TEXT: TextStyle = TextStyle { font: FontKind::Regular, size: 10.5, gray: 0 };
const HEADING: TextStyle = TextStyle { font: FontKind::Bold, size: 10.5, gray: 0 };
const FIELDS: TableStyle = TableStyle {
    label: TextStyle { font: FontKind::Regular, size: 10.0, gray: 80 },
    value: TextStyle { font: FontKind::Regular, size: 10.0, gray: 0 },
    label_share: 0.42,
    gap: 12.0,
    padding: 3.0,
    rule: Some((0.4, 170)),
};
const MARK: TableStyle = TableStyle {
    label: TextStyle { font: FontKind::Regular, size: 9.5, gray: 60 },
    value: TextStyle { font: FontKind::Bold, size: 9.5, gray: 0 },
    label_share: 0.35,
    gap: 10.0,
    padding: 1.5,
    rule: None,
};
const MARK_FRAME: BoxStyle = BoxStyle { width: 1.0, gray: 0, padding: 8.0, heading_gap: 3.0, space_above: 18.0 };
/// The status code's side: 25 mm, which phone cameras read from a printed page.
const STATUS_CODE_SIDE: f32 = 25.0 * 72.0 / 25.4;
const FOOTER: TextStyle = TextStyle { font: FontKind::Regular, size: 8.0, gray: 110 };

/// What the appendix's corner says, so a printed form is recognised as form 1.
pub(crate) const REFERENCE_TEXT: &str = "Додаток 1 до Порядку оформлення, виготовлення та видачі документів, що підтверджують \
     призначення особі пенсії (пункт 2 розділу І)";

pub(crate) fn render(form: &ApplicationForm, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let pages = compose(form, fonts)?;
    let title = format!("Заява на виготовлення пенсійного посвідчення № {}", form.number);
    render_pdf(&pages, &PageGeometry::A4, fonts, &DocInfo { title: &title, language: "uk", created })
}

fn texts(form: &ApplicationForm) -> Vec<(String, &str)> {
    let mut t: Vec<(String, &str)> = vec![
        ("number".into(), &form.number),
        ("body".into(), &form.body),
        ("applicant".into(), &form.applicant),
        ("request".into(), &form.request),
        ("ground".into(), &form.ground),
        ("accepted by".into(), &form.accepted_by),
    ];
    for (part, fields) in [("data", &form.data), ("representative", &form.representative)] {
        for (i, f) in fields.iter().enumerate() {
            t.push((format!("label of {part} field {}", i + 1), &f.label));
            t.push((format!("value of {part} field {}", i + 1), &f.value));
        }
    }
    t
}

pub(crate) fn compose(form: &ApplicationForm, fonts: &Fonts) -> Result<Vec<Page>, PdfError> {
    check_texts(&fonts.regular, &texts(form))?;
    let date = form.filed_on.format("%d.%m.%Y").to_string();
    let mut layout = Layout::new(fonts, PageGeometry::A4);
    layout.paragraph(REFERENCE_TEXT, REFERENCE);
    layout.space(10.0);
    layout.paragraph(&format!("До: {}", form.body), TEXT);
    layout.paragraph(&format!("Від: {}", form.applicant), TEXT);
    layout.space(12.0);
    layout.paragraph("ЗАЯВА", TITLE);
    layout.paragraph("на виготовлення пенсійного посвідчення", TITLE);
    layout.space(8.0);
    layout.paragraph(&format!("Прошу виготовити {} — {}.", form.request, form.ground), TEXT);
    layout.space(8.0);
    layout.paragraph("Дані для виготовлення пенсійного посвідчення (пункт 1 розділу ІІ):", HEADING);
    layout.table(form.data.iter().map(|f| (f.label.as_str(), f.value.as_str())), &FIELDS);
    if !form.representative.is_empty() {
        layout.space(8.0);
        layout.paragraph("Законний представник (пункт 2 розділу І):", HEADING);
        layout.table(form.representative.iter().map(|f| (f.label.as_str(), f.value.as_str())), &FIELDS);
    }
    layout.space(10.0);
    layout.paragraph("Зазначені дані підтверджую.", TEXT);
    layout.space(14.0);
    layout.paragraph(&format!("{date}          Підпис заявника  ____________________"), TEXT);
    let mut mark = vec![
        ("Реєстраційний номер", form.number.as_str()),
        ("Дата прийняття", date.as_str()),
        ("Прийняв", form.accepted_by.as_str()),
        ("Підпис", "____________________"),
    ];
    if form.status_code.is_some() {
        mark.push(("Стан заяви", "відскануйте QR-код праворуч"));
    }
    let code = form.status_code.as_ref().map(|m| (m, STATUS_CODE_SIDE));
    layout.bottom_box_with_code("Заяву прийнято", HEADING, mark, &MARK, MARK_FRAME, code)?;
    Ok(layout.finish(FOOTER))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::Item;

    fn sample(representative: bool) -> ApplicationForm {
        ApplicationForm {
            number: "З-2026-0000042".into(),
            filed_on: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
            body: "Миргородське об’єднане управління Пенсійного фонду України Полтавської області".into(),
            applicant: "Ґалаґан Мар’яна Євгенівна".into(),
            request: "паперове пенсійне посвідчення (форма 2)".into(),
            ground: "вперше".into(),
            data: vec![
                Field::new("РНОКПП", "3012345678"),
                Field::new("Прізвище, ім’я, по батькові", "Ґалаґан Мар’яна Євгенівна"),
                Field::new("Дата народження", "08.02.1948"),
                Field::new("Стать", "жіноча"),
                Field::new("Номер особового рахунку", "1234567"),
                Field::new("Вид пенсії", "за віком"),
                Field::new("Строк дії", "безстроково"),
            ],
            representative: if representative {
                vec![Field::new("Прізвище, ім’я, по батькові", "Шевчук Ольга Петрівна")]
            } else {
                vec![]
            },
            accepted_by: "Остапенко Ірина Петрівна".into(),
            status_code: None,
        }
    }

    fn baseline(pages: &[Page], wanted: &str) -> Option<f32> {
        pages[0].items.iter().find_map(|item| match item {
            Item::Text { text, baseline, .. } if text == wanted => Some(*baseline),
            _ => None,
        })
    }

    #[test]
    fn form_1_data_in_the_order_of_section_ii_1_then_the_representative_then_the_mark() {
        let fonts = fonts().expect("fonts");
        let pages = compose(&sample(true), fonts).expect("layout");
        assert_eq!(pages.len(), 1);
        let order = ["ЗАЯВА", "3012345678", "08.02.1948", "за віком", "Шевчук Ольга Петрівна", "Заяву прийнято"];
        let ys: Vec<f32> = order.iter().map(|w| baseline(&pages, w).unwrap_or_else(|| panic!("{w} printed"))).collect();
        assert!(ys.windows(2).all(|w| w[0] < w[1]), "{order:?} top to bottom: {ys:?}");
    }

    #[test]
    fn form_1_prints_the_status_code_inside_the_mark_beside_its_text() {
        let fonts = fonts().expect("fonts");
        let mut form = sample(false);
        form.status_code = Some(crate::Matrix { width: 21, dark: (0..21 * 21).map(|i| i % 3 == 0).collect() });
        let pages = compose(&form, fonts).expect("layout");
        let frame = pages[0].items.iter().find_map(|i| match i {
            Item::Frame { x, y, w, h, .. } => Some((*x, *y, *w, *h)),
            _ => None,
        });
        let cells = pages[0].items.iter().find_map(|i| match i {
            Item::Cells { x, y, cell, .. } => Some((*x, *y, *cell)),
            _ => None,
        });
        let ((fx, fy, fw, fh), (cx, cy, cell)) = (frame.expect("the mark"), cells.expect("the code"));
        let side = cell * 21.0;
        assert!(cx > fx && cx + side < fx + fw && cy > fy && cy + side < fy + fh, "inside the mark");
        assert!((side - STATUS_CODE_SIDE).abs() < 0.01);
        assert!(baseline(&pages, "відскануйте QR-код праворуч").is_some());
    }

    #[test]
    fn form_1_without_a_representative_has_no_representative_heading() {
        let fonts = fonts().expect("fonts");
        let pages = compose(&sample(false), fonts).expect("layout");
        assert!(baseline(&pages, "Законний представник (пункт 2 розділу І):").is_none());
    }

    #[test]
    fn form_1_refuses_an_unprintable_value_naming_its_place() {
        let fonts = fonts().expect("fonts");
        let mut form = sample(false);
        form.data[1].value = "Іван 中".into();
        let err = compose(&form, fonts).unwrap_err();
        assert!(matches!(&err, PdfError::UnsupportedCharacter { place, .. } if place == "value of data field 2"));
    }
}
