//! The document copy judged by tools we did not write: qpdf (structure), poppler (text, positions,
//! fonts) and lopdf (the parser our signer uses for incremental updates).
//!
//! A missing tool skips its check with a message, except under CI=true where it fails.

mod tools;

use chrono::NaiveDate;
use chrono::{DateTime, FixedOffset};
use dossier_pdf::{
    ActLine, ApplicationForm, CardBack, CardSex, DestructionAct, DocumentCopy, Field, Journal, JournalEntry, PdfError,
    Picture, Signatory, Stamp, TransferAct, render_application_form, render_card_backs, render_destruction_act,
    render_document_copy, render_document_copy_at, render_journal, render_transfer_act,
};
use tools::{bbox_word, bbox_words, have, image_boxes, pdftotext, run, squash, write_temp};

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
    let word = |wanted: &str| {
        let w = bbox_word(&html, wanted);
        (w.page, w.y_min, w.y_max)
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

// ---- The card back (form 5): positions read back from the PDF ----

const MM: f32 = 72.0 / 25.4;
/// Needs three of the card's value lines.
const THREE_LINE_KIND: &str = "по інвалідності внаслідок загального захворювання, I група, зір";

fn card(surname: &str) -> CardBack {
    CardBack {
        okzo: 1_234_567,
        card_id: "5168742000000042".into(),
        surname: surname.into(),
        given_name: "Мар’яна".into(),
        patronymic: "Євгенівна".into(),
        sex: CardSex::Female,
        birth_date: NaiveDate::from_ymd_opt(1948, 2, 8).expect("date"),
        pension_kind: "по інвалідності внаслідок загального захворювання".into(),
        valid_until: NaiveDate::from_ymd_opt(2029, 1, 5).expect("date"),
        photo: None,
        signature: None,
    }
}

/// A flat grey PNG of `w` × `h` pixels (RGB or greyscale).
fn png_picture(w: u32, h: u32, colour: png::ColorType) -> Picture {
    let channels = if colour == png::ColorType::Rgb { 3 } else { 1 };
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(colour);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&vec![128; (w * h * channels) as usize]).expect("data");
    writer.finish().expect("end");
    Picture::new(out, "test").expect("a PNG")
}

#[test]
fn card_back_photo_and_signature_images_are_placed_in_their_fields_at_their_sizes() {
    let mut c = card("Ґалаґан");
    // A photo of the prescribed 25 × 30 proportions; a signature wider than its field's.
    c.photo = Some(png_picture(250, 300, png::ColorType::Rgb));
    c.signature = Some(png_picture(400, 64, png::ColorType::Grayscale));
    let pdf = render_card_backs(&[c], created()).expect("renders");
    if have("qpdf") {
        let file = write_temp(&pdf);
        let (ok, out) = run("qpdf", &["--check"], file.path());
        assert!(ok && out.contains("No syntax or stream encoding errors found"), "{out}");
    }
    let Some(boxes) = image_boxes(&pdf) else { return };
    assert_eq!(boxes.len(), 2, "{boxes:?}");
    let mm = |pt: f32| pt / MM;
    let close = |a: f32, b: f32| (a - b).abs() < 0.3;
    // Zone 3: at the left margin, 25 mm wide and 30 mm high, below the stripe.
    let [top, left, width, height] = boxes[0];
    assert!(close(mm(left), 2.0) && close(mm(width), 25.0) && close(mm(height), 30.0), "photo {boxes:?}");
    assert!(mm(top) > 15.82, "the photo starts below the magnetic stripe");
    // Zone 6: 26.6 × 5.5 mm in the bottom right corner; the wider signature takes its width,
    // keeps its proportions (400:64) and is centred in the field's height.
    let [top, left, width, height] = boxes[1];
    let field_top = 53.98 - 1.2 - 5.5;
    assert!(close(mm(left), 85.60 - 2.0 - 26.6) && close(mm(width), 26.6), "signature {boxes:?}");
    assert!(close(mm(height), 26.6 * 64.0 / 400.0), "proportions kept: {boxes:?}");
    assert!(close(mm(top) - field_top, field_top + 5.5 - mm(top + height)), "centred: {boxes:?}");
}

fn card_html(cards: &[CardBack]) -> Option<String> {
    if !have("pdftotext") {
        return None;
    }
    Some(pdftotext(&render_card_backs(cards, created()).expect("renders"), &["-bbox"]))
}

#[test]
fn card_back_zones_1_and_2_sit_above_and_below_the_magnetic_stripe() {
    let Some(html) = card_html(&[card("Ґалаґан")]) else { return };
    // ISO/IEC 7811-6: the stripe runs from 5.54 mm to 15.82 mm below the top edge.
    let contact = bbox_word(&html, "Контакт-центр");
    assert!(contact.y_max <= 5.54 * MM, "zone 1 bottom at {} mm", contact.y_max / MM);
    let number = bbox_word(&html, "0001234567");
    assert!(number.y_min >= 15.82 * MM, "zone 2 top at {} mm", number.y_min / MM);
    let caption = bbox_word(&html, "посвідчення");
    assert!((caption.y_max - number.y_max).abs() < 1.0, "the number is on the caption's line");
    assert!(number.x_min > caption.x_max);
}

#[test]
fn card_back_okzo_has_ten_characters_with_leading_zeros_and_dates_are_dd_mm_yyyy() {
    let Some(html) = card_html(&[card("Ґалаґан")]) else { return };
    if let Ok(dir) = std::env::var("DOSSIER_PDF_SAMPLES") {
        // For a look: DOSSIER_PDF_SAMPLES=/tmp cargo test -p dossier-pdf --test render card_back_okzo
        std::fs::write(format!("{dir}/journal.pdf"), render_journal(&journal(30), created()).expect("renders")).ok();
    }
    bbox_word(&html, "0001234567");
    bbox_word(&html, "08.02.1948");
    bbox_word(&html, "05.01.2029");
    bbox_word(&html, "жіноча");
}

#[test]
fn card_back_text_keeps_two_mm_from_the_side_edges_and_zone_4_is_right_of_the_photo() {
    let Some(html) = card_html(&[card("Ґалаґан")]) else { return };
    let width = 85.60 * MM;
    for w in ["Контакт-центр", "Пенсійне", "5168742000000042", "Прізвище", "Ґалаґан", "загального"]
    {
        let b = bbox_word(&html, w);
        assert!(
            b.x_min >= 2.0 * MM - 0.3 && b.x_max <= width - 2.0 * MM + 0.3,
            "{w} at {}–{} mm",
            b.x_min / MM,
            b.x_max / MM
        );
    }
    // Photo: 2 mm margin + 25 mm; then 3.5 mm before the text of zones 4 and 5.
    for w in ["Прізвище", "Стать", "Термін"] {
        let b = bbox_word(&html, w);
        assert!(b.x_min >= (2.0 + 25.0 + 3.5) * MM - 0.3, "{w} starts at {} mm", b.x_min / MM);
    }
    // The card id is printed under the photo.
    let id = bbox_word(&html, "5168742000000042");
    assert!(id.x_max <= (2.0 + 25.0) * MM + 0.3 && id.y_min > bbox_word(&html, "Стать").y_min);
}

#[test]
fn card_back_two_line_surname_pushes_the_rest_down_and_leaves_two_lines_for_the_pension_kind() {
    let long = "Ґалаґан-Рибалко Семенюк-Запорожець";
    let Some(html) = card_html(&[card("Ґалаґан"), card(long)]) else { return };
    let on = |page: usize, w: &str| {
        bbox_words(&html, w).into_iter().find(|b| b.page == page).unwrap_or_else(|| panic!("{w} not on page {page}"))
    };
    let line = |page: usize| on(page, "Стать").y_min - on(page, "По").y_min;
    // Page 2: the surname took two lines, so "Ім’я" and everything after move one line down.
    let shift = on(1, "Ім’я").y_min - on(0, "Ім’я").y_min;
    assert!((shift - line(0)).abs() < 0.5, "moved {shift} pt, one line is {} pt", line(0));
    assert!(on(1, "Семенюк-Запорожець").y_min > on(1, "Ґалаґан-Рибалко").y_min, "the surname's second line");
    // The pension kind (two lines here) ends above zone 5 on both pages.
    for page in [0, 1] {
        let kind_end = on(page, "захворювання").y_max;
        assert!(kind_end < on(page, "Термін").y_min, "page {page}: the kind runs into zone 5");
    }
    // Three lines of pension kind fit after a one-line surname, not after a two-line one.
    let mut three = card("Ґалаґан");
    three.pension_kind = THREE_LINE_KIND.into();
    render_card_backs(std::slice::from_ref(&three), created()).expect("three lines after a one-line surname");
    three.surname = long.into();
    let err = render_card_backs(&[three], created()).expect_err("only two lines are left");
    assert!(matches!(err, PdfError::DoesNotFit { field: "pension kind", lines: 2 }), "{err}");
    // Zone 5 stays where it is.
    assert!((on(0, "Термін").y_min - on(1, "Термін").y_min).abs() < 0.5);
}

#[test]
fn card_back_signature_label_is_two_mm_left_of_the_signature_field() {
    let Some(html) = card_html(&[card("Ґалаґан")]) else { return };
    let label = bbox_word(&html, "власника");
    let field_left = (85.60 - 2.0 - 26.6) * MM;
    let gap = (field_left - label.x_max) / MM;
    assert!((1.7..=2.4).contains(&gap), "gap {gap} mm");
}

#[test]
fn card_backs_pass_qpdf_check() {
    if !have("qpdf") {
        return;
    }
    let file = write_temp(&render_card_backs(&[card("Ґалаґан"), card("Шевченко")], created()).expect("renders"));
    let (ok, out) = run("qpdf", &["--check"], file.path());
    assert!(ok && out.contains("No syntax or stream encoding errors found"), "{out}");
}

// ---- The issue journal (form 6) ----

fn journal(entries: usize) -> Journal {
    Journal {
        body: "Управління в Шевченківському районі м. Києва".into(),
        period: "за період з 01.11.2026 по 30.11.2026".into(),
        entries: (0..entries)
            .map(|i| JournalEntry {
                certificate_no: format!("{:07}", 4200 + i),
                act: "№ 12 від 05.11.2026".into(),
                recipient: format!("Ґалаґан Мар’яна Євгенівна-{i}"),
                document: "паспорт КВ 123456, виданий 12.03.1998".into(),
                issued_by: "Мельник О. (КЕП) 21.11.2026".into(),
                received_by: String::new(),
            })
            .collect(),
    }
}

#[test]
fn journal_prints_the_seven_columns_in_order_with_entries_under_them() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_journal(&journal(3), created()).expect("renders");
    let text = squash(&pdftotext(&pdf, &["-layout"]));
    for want in ["ЖУРНАЛ", "обліку пенсійних посвідчень", "Шевченківському", "за період з 01.11.2026 по 30.11.2026"]
    {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    let html = pdftotext(&pdf, &["-bbox"]);
    // Headings left to right as the form numbers them, and each entry's values under theirs.
    // ("отримала" also ends column 4's heading: column 7's is the rightmost.)
    let heads = ["з/п", "пенсійного", "акта", "Прізвище,", "Документ,", "видала"];
    let mut xs: Vec<f32> = heads.iter().map(|h| bbox_word(&html, h).x_min).collect();
    xs.push(bbox_words(&html, "отримала").iter().map(|b| b.x_min).fold(0.0, f32::max));
    assert!(xs.windows(2).all(|w| w[0] < w[1]), "{xs:?}");
    let cert = bbox_word(&html, "0004201");
    assert!(cert.x_min > xs[0] && cert.x_max < xs[2], "certificate number in column 2");
    let name = bbox_word(&html, "Ґалаґан");
    assert!(name.x_min >= xs[3] - 1.0 && name.x_max <= xs[4], "recipient in column 4");
    assert!(cert.y_min > bbox_word(&html, "пенсійного").y_max, "entries below the headings");
}

#[test]
fn journal_for_a_long_period_continues_with_the_headings_on_every_page() {
    if !have("pdftotext") {
        return;
    }
    let pdf = render_journal(&journal(80), created()).expect("renders");
    let html = pdftotext(&pdf, &["-bbox"]);
    let pages = html.matches("<page ").count();
    assert!(pages >= 3, "{pages} pages");
    assert_eq!(bbox_words(&html, "з/п").len(), pages, "the headings on every page");
    for i in 0..80 {
        assert_eq!(bbox_words(&html, &format!("{:07}", 4200 + i)).len(), 1, "entry {i} once");
    }
    if have("qpdf") {
        let file = write_temp(&pdf);
        let (ok, out) = run("qpdf", &["--check"], file.path());
        assert!(ok && out.contains("No syntax or stream encoding errors found"), "{out}");
    }
}

// ---- Acts: acceptance-transfer (form 3) and destruction ----

fn act_lines(n: usize, remark: &str) -> Vec<ActLine> {
    (0..n)
        .map(|i| ActLine {
            certificate_no: format!("{:07}", 7300 + i),
            owner: format!("Їжаченко Євген Ґеоргійович-{i}"),
            remark: remark.into(),
        })
        .collect()
}

fn signatory(role: &str, name: &str) -> Signatory {
    Signatory { role: role.into(), name: name.into() }
}

#[test]
fn transfer_act_names_both_sides_lists_every_certificate_and_ends_with_both_signatures() {
    if !have("pdftotext") {
        return;
    }
    let act = TransferAct {
        number: "12".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 5).expect("date"),
        from: "Пенсійний фонд України".into(),
        to: "Головне управління ПФУ в м. Києві".into(),
        lines: act_lines(70, ""),
        discrepancies: "посвідчення 0007305 пошкоджене".into(),
        signatories: vec![signatory("Передав", "Коваль Ірина Петрівна"), signatory("Прийняв", "Бондар Олег Іванович")],
    };
    let pdf = render_transfer_act(&act, created()).expect("renders");
    let text = squash(&pdftotext(&pdf, &["-layout"]));
    for want in [
        "приймання-передавання пенсійних посвідчень",
        "№ 12 від 05.11.2026",
        "Передає: Пенсійний фонд України",
        "Приймає: Головне управління ПФУ в м. Києві",
        "Усього: 70 пенсійних посвідчень.",
        "Розбіжності під час приймання: посвідчення 0007305 пошкоджене.",
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    let html = pdftotext(&pdf, &["-bbox"]);
    for i in 0..70 {
        // 0007305 is also named in the discrepancies.
        let expected = if i == 5 { 2 } else { 1 };
        assert_eq!(bbox_words(&html, &format!("{:07}", 7300 + i)).len(), expected, "certificate {i} listed once");
    }
    // The signatures come after the list, on the last page.
    let last = bbox_word(&html, "0007369");
    let signed = bbox_word(&html, "Бондар");
    assert!(signed.page > last.page || (signed.page == last.page && signed.y_min > last.y_max));
    let file = write_temp(&pdf);
    if have("qpdf") {
        let (ok, out) = run("qpdf", &["--check"], file.path());
        assert!(ok && out.contains("No syntax or stream encoding errors found"), "{out}");
    }
}

#[test]
fn destruction_act_names_the_order_and_every_member_who_signs() {
    if !have("pdftotext") {
        return;
    }
    let commission = vec![
        signatory("Голова комісії", "Мельник Оксана Іванівна"),
        signatory("Член комісії", "Гнатюк Тарас Петрович"),
        signatory("Член комісії", "Шевчук Петро Іванович"),
    ];
    let act = DestructionAct {
        number: "3".into(),
        date: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        body: "Управління в Шевченківському районі м. Києва".into(),
        order: "наказ від 02.11.2026 № 145".into(),
        lines: act_lines(2, "смерть власника (§ I.4)"),
        commission,
    };
    let pdf = render_destruction_act(&act, created()).expect("renders");
    let text = squash(&pdftotext(&pdf, &["-layout"]));
    for want in ["знищення пенсійних посвідчень", "№ 3 від 20.11.2026", "наказ від 02.11.2026 № 145", "Усього: 2"]
    {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    // Each member appears twice: in the composition and on a signature line.
    for name in ["Мельник", "Гнатюк", "Шевчук"] {
        assert_eq!(text.matches(name).count(), 2, "{name}");
    }
    assert_eq!(text.matches("____________________").count(), 3, "one signature line per member");
}

// ---- Form 1: the filled application ----

#[test]
fn application_form_1_reads_back_with_every_value_and_passes_qpdf_check() {
    if !have("pdftotext") {
        return;
    }
    let form = ApplicationForm {
        number: "З-2026-0000042".into(),
        filed_on: NaiveDate::from_ymd_opt(2026, 11, 20).expect("date"),
        body: "Управління в Шевченківському районі м. Києва".into(),
        applicant: "Шевчук Ольга Петрівна, законний представник Ґалаґана Юрія Олеговича".into(),
        request: "електронне пенсійне посвідчення (платіжна картка)".into(),
        ground: "замість втраченого".into(),
        data: vec![
            Field::new("РНОКПП", "3012345678"),
            Field::new("Прізвище, ім’я, по батькові", "Ґалаґан Юрій Олегович"),
            Field::new("Дата народження", "08.02.2014"),
            Field::new("Вид пенсії", "у разі втрати годувальника"),
        ],
        representative: vec![Field::new("Документ про статус", "рішення суду від 01.03.2024 № 2-45/24")],
        accepted_by: "Остапенко Ірина Петрівна".into(),
        status_code: None,
    };
    let pdf = render_application_form(&form, created()).expect("renders");
    let text = squash(&pdftotext(&pdf, &["-layout"]));
    for want in [
        "Додаток 1 до Порядку",
        "ЗАЯВА",
        "на виготовлення пенсійного посвідчення",
        "До: Управління в Шевченківському районі м. Києва",
        "Прошу виготовити електронне пенсійне посвідчення (платіжна картка) — замість втраченого.",
        "3012345678",
        "Ґалаґан Юрій Олегович",
        "08.02.2014",
        "рішення суду від 01.03.2024 № 2-45/24",
        "Заяву прийнято",
        "З-2026-0000042",
        "Остапенко Ірина Петрівна",
    ] {
        assert!(text.contains(want), "{want:?} not in {text}");
    }
    assert_eq!(xmp_property(&xmp(&pdf), "pdfaid:part"), Some("2"));
    let file = write_temp(&pdf);
    if have("qpdf") {
        let (ok, out) = run("qpdf", &["--check"], file.path());
        assert!(ok && out.contains("No syntax or stream encoding errors found"), "{out}");
    }
}
