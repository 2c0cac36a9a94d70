//! The document copy judged by tools we did not write: qpdf (structure), poppler (text, positions,
//! fonts) and lopdf (the parser our signer uses for incremental updates).
//!
//! A missing tool skips its check with a message, except under CI=true where it fails.

use std::io::ErrorKind;
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, FixedOffset};
use dossier_pdf::{DocumentCopy, Field, PdfError, Stamp, render_document_copy, render_document_copy_at};

const LONG_ADDRESS: &str = "Україна, Київська область, Бучанський район, місто Ірпінь, вулиця Університетська, \
                            будинок 2-Є, квартира 117, гуртожиток Державного податкового університету (корпус «Ґ»)";

fn sample() -> DocumentCopy {
    DocumentCopy {
        title: "Копія електронного документа: ID-картка".into(),
        fields: vec![
            Field::new("Прізвище", "Ґалаґан"),
            Field::new("Ім’я", "Мар’яна"),
            Field::new("По батькові", "Євгенівна"),
            Field::new("Дата народження", "01.02.1990"),
            Field::new("Місце народження", "с. Їжаківка, Полтавська обл."),
            Field::new("Запис у реєстрі (УНЗР)", "19900201-01234"),
            // A short label: a wrapped label would interleave with the value in -layout text.
            Field::new("Місце проживання", LONG_ADDRESS),
            Field::new("Номер документа", "001234567"),
            Field::new("Дата видачі", "15.03.2021"),
            Field::new("Дійсний до", "15.03.2031"),
            Field::new("Орган, що видав", "8031"),
        ],
        issuer_note: "Документ видано: Державна міграційна служба України (реєстр)".into(),
        stamp: Stamp {
            heading: "Копію сформовано для".into(),
            lines: vec![
                Field::new("Отримувач", "Пенсійний фонд України"),
                Field::new("Відділення", "Сервісний центр № 3 Головного управління ПФУ в Київській області"),
                Field::new("Дата і час формування", "21.11.2026 14:05:31 (Київ)"),
                Field::new("Запит", "0192f6c4-5a1b-7c3d-9e8f-a1b2c3d4e5f6"),
            ],
        },
    }
}

fn created() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-21T14:05:31+02:00").expect("valid date")
}

fn render(copy: &DocumentCopy) -> Vec<u8> {
    render_document_copy_at(copy, created()).expect("renders")
}

/// Whether `tool` can be run; under CI=true a missing tool is a failure, not a skip.
fn have(tool: &str) -> bool {
    match Command::new(tool).arg("-v").output() {
        Err(e) if e.kind() == ErrorKind::NotFound => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "{tool} is required when CI=true (apt-get install qpdf poppler-utils)"
            );
            eprintln!("skipping: {tool} is not installed (apt-get install qpdf poppler-utils)");
            false
        }
        _ => true,
    }
}

fn write_temp(pdf: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().expect("temp file");
    std::fs::write(file.path(), pdf).expect("write pdf");
    file
}

fn run(tool: &str, args: &[&str], file: &Path) -> (bool, String) {
    let output = Command::new(tool).args(args).arg(file).output().expect("tool runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

fn pdftotext(pdf: &[u8], args: &[&str]) -> String {
    let file = write_temp(pdf);
    let mut all: Vec<&str> = args.to_vec();
    all.push(file.path().to_str().expect("utf-8 temp path"));
    all.push("-");
    let output = Command::new("pdftotext").args(&all).output().expect("pdftotext runs");
    assert!(output.status.success(), "pdftotext failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("pdftotext writes UTF-8")
}

/// Whitespace runs to one space: a value wrapped over two lines reads back with a line break
/// and the other column's padding in between.
fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn qpdf_check_finds_no_errors() {
    if !have("qpdf") {
        return;
    }
    let file = write_temp(&render(&sample()));
    let (ok, out) = run("qpdf", &["--check"], file.path());
    assert!(ok, "qpdf --check failed:\n{out}");
    assert!(out.contains("No syntax or stream encoding errors found"), "{out}");
    assert!(!out.to_lowercase().contains("warning"), "{out}");
}

#[test]
fn pdftotext_reads_title_every_value_and_every_stamp_line_in_ukrainian() {
    if !have("pdftotext") {
        return;
    }
    let copy = sample();
    let text = squash(&pdftotext(&render(&copy), &["-layout"]));
    let mut expected = vec![copy.title.as_str(), copy.issuer_note.as_str(), copy.stamp.heading.as_str()];
    for field in copy.fields.iter().chain(&copy.stamp.lines) {
        expected.push(&field.value);
        expected.push(&field.label);
    }
    for want in expected {
        assert!(text.contains(&squash(want)), "{want:?} not found in:\n{text}");
    }
    // The letters that distinguish Ukrainian, and the typographic apostrophe, survive extraction.
    for letter in ["Ґ", "Є", "І", "Ї", "’"] {
        assert!(text.contains(letter), "{letter} not found");
    }
}

#[test]
fn stamp_heading_is_below_the_last_field_on_the_page() {
    if !have("pdftotext") {
        return;
    }
    let html = pdftotext(&render(&sample()), &["-bbox"]);
    // -bbox writes one <word xMin=".." yMin=".." xMax=".." yMax="..">word</word> per word,
    // pages in <page> elements; y grows downwards.
    let word = |wanted: &str| -> (usize, f32, f32) {
        for (page, body) in html.split("<page ").skip(1).enumerate() {
            for line in body.lines() {
                if line.contains(&format!(">{wanted}</word>")) {
                    let attr = |name: &str| -> f32 {
                        let start = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                        let end = start + line[start..].find('"').expect("closing quote");
                        line[start..end].parse().expect("number")
                    };
                    return (page, attr("yMin"), attr("yMax"));
                }
            }
        }
        panic!("word {wanted:?} not in pdftotext -bbox output");
    };
    let (field_page, _, field_bottom) = word("8031");
    let (stamp_page, stamp_top, _) = word("сформовано");
    assert!(
        stamp_page > field_page || (stamp_page == field_page && stamp_top > field_bottom),
        "stamp at page {stamp_page} y {stamp_top}, last field at page {field_page} y {field_bottom}"
    );
}

#[test]
fn fonts_are_embedded_subsets_of_dejavu_sans() {
    if !have("pdffonts") {
        return;
    }
    let file = write_temp(&render(&sample()));
    let (ok, out) = run("pdffonts", &[], file.path());
    assert!(ok, "{out}");
    let fonts: Vec<&str> = out.lines().skip(2).collect();
    assert_eq!(fonts.len(), 2, "regular and bold:\n{out}");
    for line in fonts {
        assert!(line.contains("DejaVuSans"), "{line}");
        // name type… encoding emb sub uni object-id generation
        let columns: Vec<&str> = line.split_whitespace().collect();
        let flags = &columns[columns.len().saturating_sub(5)..columns.len().saturating_sub(2)];
        assert_eq!(flags, ["yes", "yes", "yes"], "embedded, subset, with ToUnicode: {line}");
    }
}

/// The catalog's XMP metadata stream, via lopdf.
fn xmp(pdf: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(pdf).expect("lopdf parses");
    let catalog = doc.catalog().expect("catalog");
    let id = catalog.get(b"Metadata").and_then(|o| o.as_reference()).expect("/Metadata reference");
    let stream = doc.get_object(id).and_then(|o| o.as_stream()).expect("metadata stream");
    let bytes = stream.decompressed_content().unwrap_or_else(|_| stream.content.clone());
    String::from_utf8(bytes).expect("XMP is UTF-8")
}

/// The value of an XMP property written either as an element or as an attribute.
fn xmp_property<'a>(xmp: &'a str, name: &str) -> Option<&'a str> {
    if let Some(at) = xmp.find(&format!("<{name}>")) {
        let start = at + name.len() + 2;
        return xmp[start..].find('<').map(|end| &xmp[start..start + end]);
    }
    let at = xmp.find(&format!("{name}=\""))?;
    let start = at + name.len() + 2;
    xmp[start..].find('"').map(|end| &xmp[start..start + end])
}

#[test]
fn xmp_identifies_pdf_a_2b_with_title_language_and_date() {
    let pdf = render(&sample());
    assert!(pdf.starts_with(b"%PDF-1.7"), "PDF/A-2 is based on PDF 1.7");
    let xmp = xmp(&pdf);
    assert_eq!(xmp_property(&xmp, "pdfaid:part"), Some("2"), "{xmp}");
    assert_eq!(xmp_property(&xmp, "pdfaid:conformance"), Some("B"), "{xmp}");
    assert!(xmp.contains("Копія електронного документа: ID-картка"), "title in XMP: {xmp}");
    assert!(xmp.contains(">uk<"), "language in XMP: {xmp}");
    assert!(xmp.contains("2026-11-21T14:05:31+02:00"), "creation date in XMP: {xmp}");
}

#[test]
fn lopdf_loads_the_output_as_the_signer_will() {
    let pdf = render(&sample());
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf parses krilla's output");
    assert_eq!(doc.get_pages().len(), 1);
    // An incremental update appends to the trailer's /ID and /Root; both must be there.
    assert!(doc.trailer.get(b"ID").is_ok(), "trailer /ID");
    assert!(doc.trailer.get(b"Root").is_ok(), "trailer /Root");
    let catalog = doc.catalog().expect("catalog");
    let intents = catalog.get(b"OutputIntents").and_then(|o| doc.dereference(o)).and_then(|(_, o)| o.as_array());
    let intents = intents.expect("/OutputIntents");
    assert!(!intents.is_empty(), "PDF/A needs an output intent");
}

#[test]
fn many_fields_flow_onto_further_pages_with_the_stamp_on_the_last() {
    let mut copy = sample();
    copy.fields = (1..=70).map(|i| Field::new(format!("Поле № {i}"), format!("Значення поля {i}"))).collect();
    let pdf = render(&copy);
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf parses");
    let pages = doc.get_pages().len();
    assert!(pages >= 2, "{pages} pages");
    if !have("pdftotext") {
        return;
    }
    let last = pages.to_string();
    let last_page = squash(&pdftotext(&pdf, &["-layout", "-f", &last, "-l", &last]));
    assert!(last_page.contains("Копію сформовано для"), "{last_page}");
    // pdftotext -layout closes up the narrow gaps of "3 / 3".
    assert!(last_page.replace(' ', "").contains(&format!("{last}/{last}")), "page number: {last_page}");
    let all = squash(&pdftotext(&pdf, &["-layout"]));
    for i in 1..=70 {
        assert!(all.contains(&format!("Значення поля {i} ")), "field {i} lost");
    }
}

#[test]
fn same_copy_and_time_give_the_same_bytes() {
    assert_eq!(render(&sample()), render(&sample()));
}

#[test]
fn rendering_now_also_works() {
    let pdf = render_document_copy(&sample()).expect("renders");
    assert!(pdf.starts_with(b"%PDF-"));
}

#[test]
fn a_control_character_in_a_value_is_an_error_naming_the_field() {
    let mut copy = sample();
    copy.fields[2].value = "Євген\u{7}івна".into();
    match render_document_copy_at(&copy, created()) {
        Err(PdfError::UnsupportedCharacter { character: '\u{7}', place }) => assert_eq!(place, "value of field 3"),
        other => panic!("expected UnsupportedCharacter, got {other:?}"),
    }
}

#[test]
fn a_stamp_taller_than_a_page_is_an_error() {
    let mut copy = sample();
    copy.stamp.lines = (0..80).map(|i| Field::new(format!("Рядок {i}"), "значення")).collect();
    assert!(matches!(render_document_copy_at(&copy, created()), Err(PdfError::StampTooLarge { .. })));
}

#[test]
fn empty_copy_still_renders() {
    let copy = DocumentCopy {
        title: String::new(),
        fields: vec![Field::new("", "")],
        issuer_note: String::new(),
        stamp: Stamp { heading: String::new(), lines: vec![] },
    };
    let pdf = render(&copy);
    lopdf::Document::load_mem(&pdf).expect("lopdf parses");
}

#[test]
fn a_title_too_long_for_pdf_a_is_an_error_not_a_panic() {
    // PDF/A caps strings at 32 767 bytes; the title goes into the info dictionary.
    let mut copy = sample();
    copy.title = "Дуже довга назва ".repeat(2500);
    match render_document_copy_at(&copy, created()) {
        Err(PdfError::Export(message)) => assert!(message.contains("TooLongString"), "{message}"),
        other => panic!("expected an export error, got {:?}", other.map(|pdf| pdf.len())),
    }
}

mod any_input {
    use proptest::prelude::*;

    use super::*;

    /// Ukrainian and Latin letters, digits, punctuation, all kinds of spaces and breaks and a
    /// combining accent; now and then a character the font lacks (CJK, a control character).
    fn text() -> impl Strategy<Value = String> {
        let printable = "[а-яА-ЯґҐєЄіІїЇ’a-zA-Z0-9 .,:;№«»()\\-\t\n\r\u{a0}\u{301}]{0,120}";
        prop_oneof![
            300 => printable,
            1 => (printable, prop::sample::select(vec!['中', '\u{7}'])).prop_map(|(s, c)| format!("{s}{c}")),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

        /// Never a panic on input: any text renders to a file lopdf reads, or is refused with
        /// `UnsupportedCharacter` when the font cannot print it.
        #[test]
        fn renders_or_refuses_cleanly(
            title in text(),
            fields in prop::collection::vec((text(), text()), 0..40),
            note in text(),
            stamp in prop::collection::vec((text(), text()), 0..5),
        ) {
            let copy = DocumentCopy {
                title,
                fields: fields.into_iter().map(|(l, v)| Field::new(l, v)).collect(),
                issuer_note: note,
                stamp: Stamp { heading: "Копію сформовано для".into(), lines: stamp.into_iter().map(|(l, v)| Field::new(l, v)).collect() },
            };
            let printable = |s: &str| !s.contains(['中', '\u{7}']);
            let all_printable = printable(&copy.title) && printable(&copy.issuer_note)
                && copy.fields.iter().chain(&copy.stamp.lines).all(|f| printable(&f.label) && printable(&f.value));
            match render_document_copy_at(&copy, created()) {
                Ok(pdf) => {
                    prop_assert!(all_printable);
                    prop_assert!(lopdf::Document::load_mem(&pdf).is_ok());
                }
                Err(PdfError::UnsupportedCharacter { .. }) => prop_assert!(!all_printable),
                Err(other) => prop_assert!(false, "unexpected error {other}"),
            }
        }
    }
}
