//! The acts of certificate production (regulation 26-1): the acceptance-transfer act (appendix
//! 3, form 3) that moves certificates central fund → region → district, and the destruction act
//! (§III, §I.4) signed by every member of the commission. A4 portrait: heading, the parties or
//! the commission, a ruled list of the certificates, the count, and a signature line per person.

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::font::{Fonts, fonts};
use crate::layout::{FontKind, GridStyle, Layout, Page, PageGeometry, TextStyle};
use crate::render::{DocInfo, render as render_pdf};
use crate::{PdfError, check_texts};

/// One certificate listed in an act.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActLine {
    pub certificate_no: String,
    /// The owner's full name.
    pub owner: String,
    /// A remark (on acceptance: missing, damaged…; on destruction: the reason).
    pub remark: String,
}

/// A person who signs an act, with the capacity they sign in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signatory {
    /// E.g. "Передав", "Голова комісії".
    pub role: String,
    pub name: String,
}

/// Form 3: central fund → region, or region → district.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TransferAct {
    pub number: String,
    pub date: NaiveDate,
    /// The body handing the certificates over, and the one accepting them.
    pub from: String,
    pub to: String,
    pub lines: Vec<ActLine>,
    /// Discrepancies recorded on acceptance; empty when none.
    pub discrepancies: String,
    /// The responsible persons of both sides (appointed by order).
    pub signatories: Vec<Signatory>,
}

/// The act of a destruction commission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DestructionAct {
    pub number: String,
    pub date: NaiveDate,
    /// The territorial body whose commission acts.
    pub body: String,
    /// The order appointing the commission, e.g. "наказ від 02.11.2026 № 145".
    pub order: String,
    pub lines: Vec<ActLine>,
    /// The chair first, then the members: each signs.
    pub commission: Vec<Signatory>,
}

const TITLE: TextStyle = TextStyle { font: FontKind::Bold, size: 13.0, gray: 0 };
const TEXT: TextStyle = TextStyle { font: FontKind::Regular, size: 10.5, gray: 0 };
const GRID: GridStyle = GridStyle {
    header: TextStyle { font: FontKind::Bold, size: 9.0, gray: 0 },
    cell: TextStyle { font: FontKind::Regular, size: 9.5, gray: 0 },
    padding: 3.0,
};
const FOOTER: TextStyle = TextStyle { font: FontKind::Regular, size: 8.0, gray: 110 };
const SHARES: [f32; 4] = [0.5, 1.4, 2.6, 1.8];

pub(crate) fn render_transfer(act: &TransferAct, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let pages = compose_transfer(act, fonts)?;
    let title = format!("Акт приймання-передавання пенсійних посвідчень № {}", act.number);
    render_pdf(&pages, &PageGeometry::A4, fonts, &DocInfo { title: &title, language: "uk", created })
}

pub(crate) fn render_destruction(act: &DestructionAct, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    let fonts = fonts()?;
    let pages = compose_destruction(act, fonts)?;
    let title = format!("Акт знищення пенсійних посвідчень № {}", act.number);
    render_pdf(&pages, &PageGeometry::A4, fonts, &DocInfo { title: &title, language: "uk", created })
}

/// The texts of an act, each named by its place, for the printable check.
fn texts<'a>(head: &[(&str, &'a str)], lines: &'a [ActLine], people: &'a [Signatory]) -> Vec<(String, &'a str)> {
    let mut t: Vec<(String, &str)> = head.iter().map(|(p, v)| ((*p).to_owned(), *v)).collect();
    for (i, l) in lines.iter().enumerate() {
        t.push((format!("certificate number of line {}", i + 1), &l.certificate_no));
        t.push((format!("owner of line {}", i + 1), &l.owner));
        t.push((format!("remark of line {}", i + 1), &l.remark));
    }
    for (i, s) in people.iter().enumerate() {
        t.push((format!("role of signatory {}", i + 1), &s.role));
        t.push((format!("name of signatory {}", i + 1), &s.name));
    }
    t
}

/// The numbered certificate list and the count under it.
fn certificate_list(layout: &mut Layout<'_>, lines: &[ActLine], remark_heading: &str) {
    let header = vec![vec![
        "№ з/п".to_owned(),
        "№ пенсійного посвідчення".to_owned(),
        "Прізвище, ім’я, по батькові власника".to_owned(),
        remark_heading.to_owned(),
    ]];
    let rows: Vec<Vec<String>> = lines
        .iter()
        .enumerate()
        .map(|(i, l)| vec![(i + 1).to_string(), l.certificate_no.clone(), l.owner.clone(), l.remark.clone()])
        .collect();
    layout.grid(&SHARES, &header, &rows, &GRID);
    layout.space(8.0);
    layout.paragraph(&format!("Усього: {} пенсійних посвідчень.", lines.len()), TEXT);
}

/// One signature line per person: capacity, a line to sign on, the name.
fn signatures(layout: &mut Layout<'_>, people: &[Signatory]) {
    layout.space(18.0);
    for s in people {
        layout.paragraph(&format!("{}:  ____________________  {}", s.role, s.name), TEXT);
        layout.space(10.0);
    }
}

pub(crate) fn compose_transfer(act: &TransferAct, fonts: &Fonts) -> Result<Vec<Page>, PdfError> {
    let head = [("from", act.from.as_str()), ("to", act.to.as_str()), ("discrepancies", act.discrepancies.as_str())];
    check_texts(&fonts.regular, &texts(&head, &act.lines, &act.signatories))?;
    let mut layout = Layout::new(fonts, PageGeometry::A4);
    layout.paragraph("АКТ", TITLE);
    layout.paragraph("приймання-передавання пенсійних посвідчень", TITLE);
    layout.paragraph(&format!("№ {} від {}", act.number, act.date.format("%d.%m.%Y")), TEXT);
    layout.space(8.0);
    layout.paragraph(&format!("Передає: {}", act.from), TEXT);
    layout.paragraph(&format!("Приймає: {}", act.to), TEXT);
    layout.space(8.0);
    certificate_list(&mut layout, &act.lines, "Примітка");
    let found = if act.discrepancies.trim().is_empty() { "не виявлено" } else { act.discrepancies.as_str() };
    layout.paragraph(&format!("Розбіжності під час приймання: {found}."), TEXT);
    signatures(&mut layout, &act.signatories);
    Ok(layout.finish(FOOTER))
}

pub(crate) fn compose_destruction(act: &DestructionAct, fonts: &Fonts) -> Result<Vec<Page>, PdfError> {
    let head = [("body", act.body.as_str()), ("order", act.order.as_str())];
    check_texts(&fonts.regular, &texts(&head, &act.lines, &act.commission))?;
    let mut layout = Layout::new(fonts, PageGeometry::A4);
    layout.paragraph("АКТ", TITLE);
    layout.paragraph("знищення пенсійних посвідчень", TITLE);
    layout.paragraph(&format!("№ {} від {}", act.number, act.date.format("%d.%m.%Y")), TEXT);
    layout.space(8.0);
    layout.paragraph(&format!("Комісія {} у складі, призначеному ({}):", act.body, act.order), TEXT);
    for s in &act.commission {
        layout.paragraph(&format!("{} — {}", s.role, s.name), TEXT);
    }
    layout.space(6.0);
    layout.paragraph("знищила такі пенсійні посвідчення:", TEXT);
    layout.space(6.0);
    certificate_list(&mut layout, &act.lines, "Підстава знищення");
    signatures(&mut layout, &act.commission);
    Ok(layout.finish(FOOTER))
}
