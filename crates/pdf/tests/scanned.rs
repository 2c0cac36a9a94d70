//! A digitized paper's PDF judged by tools we did not write: poppler finds the recognised words
//! where they were read (text layer over the scan), qpdf finds no structural error, and the page
//! is the paper's size at the scan's resolution.

mod tools;

use chrono::{DateTime, FixedOffset};
use dossier_pdf::{PdfError, Picture, PlacedWord, ScannedDocument, ScannedPage, SealMark, render_scanned};
use tools::{bbox_word, have, image_boxes, pdftotext, run, squash, write_temp};

fn created() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-12-04T10:15:00+02:00").expect("date")
}

/// A white page of `w`×`h` pixels, greyscale PNG.
fn blank_png(w: u32, h: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().expect("header");
    writer.write_image_data(&vec![255u8; (w * h) as usize]).expect("pixels");
    writer.finish().expect("png");
    out
}

fn word(text: &str, left: u32, top: u32, width: u32, height: u32) -> PlacedWord {
    PlacedWord { text: text.to_owned(), left, top, width, height }
}

/// An A4 page at 200 dpi (1654 × 2339 px) with a Ukrainian and a Vietnamese name on it.
fn sample() -> ScannedDocument {
    ScannedDocument {
        title: "ID-картка 000.00.31.H29-261204-0001.KQ01".to_owned(),
        language: "uk".to_owned(),
        pages: vec![ScannedPage {
            picture: Picture::new(blank_png(1654, 2339), "page 1").expect("png"),
            dpi: 200.0,
            words: vec![
                word("Шевченко", 200, 400, 400, 60),
                word("Nguyễn", 200, 1000, 300, 60),
                word("Văn", 520, 1000, 160, 60),
            ],
        }],
        seal: SealMark {
            lines: vec![
                "Головне управління Пенсійного фонду України в м. Києві".to_owned(),
                "Оцифровано 04.12.2026 10:15:00 +02:00".to_owned(),
                "000.00.31.H29-261204-0001.KQ01".to_owned(),
            ],
            picture: None,
        },
    }
}

#[test]
fn spec_9_a_scan_is_placed_at_100_percent_scale_the_page_is_the_paper_s_size_and_the_scan_fills_it() {
    let (pdf, _) = render_scanned(&sample(), created()).expect("renders");
    let doc = lopdf::Document::load_mem(&pdf).expect("lopdf loads it");
    let page = doc.get_pages().into_values().next().expect("a page");
    let media = doc.get_dictionary(page).and_then(|d| d.get(b"MediaBox")).and_then(|o| o.as_array()).expect("box");
    let number = |o: &lopdf::Object| o.as_float().or_else(|_| o.as_i64().map(|i| i as f32)).expect("number");
    // 1654 px at 200 dpi is 595.4 pt: A4's 595.3 within a pixel.
    assert!((number(&media[2]) - 595.44).abs() < 0.1 && (number(&media[3]) - 842.04).abs() < 0.1, "{media:?}");
    if let Some(images) = image_boxes(&pdf) {
        let [top, left, width, height] = images[0];
        assert!(top.abs() < 1.0 && left.abs() < 1.0 && width > 594.0 && height > 841.0, "{images:?}");
    }
}

#[test]
fn poppler_finds_every_recognised_word_where_it_was_read_with_its_diacritics() {
    if !have("pdftotext") {
        return;
    }
    let (pdf, _) = render_scanned(&sample(), created()).expect("renders");
    let text = squash(&pdftotext(&pdf, &[]));
    assert!(text.contains("Шевченко") && text.contains("Nguyễn Văn"), "{text}");
    let html = pdftotext(&pdf, &["-bbox"]);
    // 200 px at 200 dpi = 72 pt from the left; 400 px = 144 pt from the top; 400 px wide = 144 pt.
    let b = bbox_word(&html, "Шевченко");
    assert!((b.x_min - 72.0).abs() < 2.0 && (b.x_max - 216.0).abs() < 2.0, "x {}..{}", b.x_min, b.x_max);
    assert!(b.y_min > 140.0 && b.y_max < 170.0, "y {}..{}", b.y_min, b.y_max);
    // The seal's lines are real text too.
    assert!(text.contains("000.00.31.H29-261204-0001.KQ01"), "{text}");
}

#[test]
fn the_text_layer_draws_nothing_a_reader_can_see() {
    if !have("pdftoppm") {
        return;
    }
    // The seal is drawn, the words are not: rasterised, the area of the words stays white.
    let (pdf, _) = render_scanned(&sample(), created()).expect("renders");
    let file = write_temp(&pdf);
    let out = std::process::Command::new("pdftoppm")
        .args(["-r", "50", "-gray", "-x", "40", "-y", "90", "-W", "120", "-H", "300"])
        .arg(file.path())
        .output()
        .expect("pdftoppm runs");
    assert!(out.status.success());
    // A binary PGM: header "P5\n120 300\n255\n" then one byte per pixel.
    let pixels = &out.stdout[out.stdout.len() - 120 * 300..];
    assert!(pixels.iter().all(|&p| p > 250), "something visible was drawn where the words are");
}

#[test]
fn spec_9_the_converting_office_s_mark_stands_top_right_of_page_1_with_its_seal_name_and_signing_time() {
    let (pdf, [x1, y1, x2, y2]) = render_scanned(&sample(), created()).expect("renders");
    assert!(x2 > 560.0 && x2 <= 595.44 && x1 > 300.0, "x {x1}..{x2}");
    assert!(y2 > 800.0 && y2 <= 842.04 && y1 < y2, "y {y1}..{y2}");
    if !have("pdftotext") {
        return;
    }
    // The office's name and the time are read back from the mark's place (y from the top).
    let html = pdftotext(&pdf, &["-bbox"]);
    for word in ["Головне", "10:15:00"] {
        let b = bbox_word(&html, word);
        assert!(b.x_min >= x1 && b.x_max <= x2 && b.y_max <= 842.04 - y1, "{word} outside the mark");
    }
    // A configured seal picture is drawn inside the mark.
    let mut doc = sample();
    doc.seal.picture = Some(Picture::new(blank_png(300, 300), "seal").expect("png"));
    let (pdf, _) = render_scanned(&doc, created()).expect("renders");
    if let Some(images) = image_boxes(&pdf) {
        assert_eq!(images.len(), 2, "{images:?}");
        let [top, left, width, height] = images[1];
        assert!(left >= x1 && left + width <= x2 && top >= 842.04 - y2 && top + height <= 842.04 - y1, "{images:?}");
    }
}

#[test]
fn qpdf_finds_no_structural_error() {
    if !have("qpdf") {
        return;
    }
    let (pdf, _) = render_scanned(&sample(), created()).expect("renders");
    let file = write_temp(&pdf);
    let (ok, out) = run("qpdf", &["--check"], file.path());
    assert!(ok, "{out}");
}

#[test]
fn a_document_without_pages_or_with_a_broken_resolution_is_refused() {
    let mut doc = sample();
    doc.pages[0].dpi = 0.0;
    assert!(matches!(render_scanned(&doc, created()), Err(PdfError::BadResolution(_))));
    doc.pages.clear();
    assert!(matches!(render_scanned(&doc, created()), Err(PdfError::NoPages)));
}

#[test]
fn words_the_font_cannot_draw_are_left_out_of_the_layer_not_refused() {
    let mut doc = sample();
    doc.pages[0].words.push(word("中文", 100, 100, 50, 20));
    doc.pages[0].words.push(word("", 100, 200, 50, 20));
    doc.pages[0].words.push(word("x", 100, 300, 0, 0));
    assert!(render_scanned(&doc, created()).is_ok());
}
