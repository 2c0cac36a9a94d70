//! Recognition by the real Tesseract (Debian's `tesseract-ocr` with the
//! `ukr`, `vie` and `eng` models) of pages Dossier renders itself and
//! poppler's `pdftoppm` rasterises at 300 dpi. Skipped when the tools are
//! missing, except under CI=true (`.ci/run` installs them).
use std::path::{Path, PathBuf};
use std::process::Command;

use dossier_domain::digitization::{ColourMode, DocumentKind, FieldKind, ScanProfile, extract};
use dossier_pdf::{DocumentCopy, Field, Stamp};
use dossier_scan::{Segmentation, Tesseract, header};

fn tools_present() -> bool {
    let ok =
        |tool: &str| Command::new(tool).arg("-v").output().is_ok_and(|o| o.status.success() || !o.stderr.is_empty());
    let present = ok("tesseract") && ok("pdftoppm");
    if !present {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but tesseract or pdftoppm is missing");
    }
    present
}

/// Renders `fields` as a one-page document and rasterises it at 300 dpi into `dir`.
fn scanned(dir: &Path, title: &str, fields: &[(&str, &str)]) -> PathBuf {
    let copy = DocumentCopy {
        title: title.into(),
        fields: fields.iter().map(|(l, v)| Field::new(*l, *v)).collect(),
        issuer_note: String::new(),
        stamp: Stamp { heading: "—".into(), lines: vec![] },
    };
    let created = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00+02:00").expect("a time");
    let pdf = dossier_pdf::render_document_copy_at(&copy, created).expect("renders");
    std::fs::write(dir.join("page.pdf"), pdf).expect("written");
    let status = Command::new("pdftoppm")
        .args(["-r", "300", "-png", "-singlefile"])
        .arg(dir.join("page.pdf"))
        .arg(dir.join("page"))
        .status()
        .expect("pdftoppm runs");
    assert!(status.success());
    dir.join("page.png")
}

#[tokio::test]
async fn a_ukrainian_page_is_read_with_words_confidences_and_boxes() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = scanned(
        dir.path(),
        "Картка платника податків",
        &[("Прізвище", "Шевчук"), ("Ім’я", "Олена"), ("РНОКПП", "1759013776"), ("Дата народження", "28.02.1948")],
    );
    let bytes = std::fs::read(&page).expect("the page");
    let image = header::read(&bytes).expect("a PNG header");
    assert_eq!(image.colour, ColourMode::Colour);
    // pdftoppm writes its resolution into the PNG, so the page meets the profile as a scanner's would.
    assert_eq!(ScanProfile::default().check(&image), Ok(()), "{image:?}");
    let text = Tesseract::default().recognise(&bytes, "ukr+eng", Segmentation::Auto, 300).await.expect("recognised");
    let all = text.text();
    for expected in ["Шевчук", "Олена", "1759013776", "28.02.1948"] {
        assert!(all.contains(expected), "{expected} not in {all}");
    }
    for w in text.words() {
        assert!(w.bbox.left + w.bbox.width <= image.width && w.bbox.top + w.bbox.height <= image.height, "{w:?}");
    }
    assert!(text.confidence() > 80.0, "{}", text.confidence());

    // The fields, found by their labels whatever order Tesseract read the columns in;
    // every value accepted without a person is the printed one.
    let fields = extract(DocumentKind::UaTaxpayerCard, &[text]);
    let printed = [
        (FieldKind::Surname, "Шевчук"),
        (FieldKind::GivenName, "Олена"),
        (FieldKind::BirthDate, "1948-02-28"),
        (FieldKind::Rnokpp, "1759013776"),
    ];
    for f in &fields {
        let expected = printed.iter().find(|(k, _)| *k == f.field).map(|(_, v)| *v);
        match expected {
            Some(v) => assert_eq!(f.value.as_deref(), Some(v), "{f:?}"),
            None => assert!(f.needs_review(), "not printed, yet accepted: {f:?}"),
        }
        if !f.needs_review() {
            assert_eq!(f.value.as_deref(), expected, "accepted without a person: {f:?}");
        }
    }
}

#[tokio::test]
async fn a_vietnamese_page_keeps_its_diacritics() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = scanned(
        dir.path(),
        "Căn cước công dân",
        &[("Họ và tên", "Nguyễn Thị Hương"), ("Số định danh cá nhân", "001195012345"), ("Quê quán", "Hà Nội")],
    );
    let bytes = std::fs::read(&page).expect("the page");
    let text = Tesseract::default().recognise(&bytes, "vie", Segmentation::Auto, 300).await.expect("recognised");
    let all = text.text();
    for expected in ["Nguyễn", "Hương", "001195012345", "Nội"] {
        assert!(all.contains(expected), "{expected} not in {all}");
    }
}

#[tokio::test]
async fn a_page_that_is_not_an_image_fails_cleanly() {
    if !tools_present() {
        return;
    }
    let r = Tesseract::default().recognise(b"\x89PNG\r\n\x1a\nnot really", "eng", Segmentation::Block, 300).await;
    assert!(r.is_err(), "{r:?}");
}

/// A sheet fed in upside down and tilted by 6° — what Tesseract alone reads
/// nothing from — is found tilted, turned back, found upside down by
/// Tesseract's orientation detection, turned, and then read.
#[tokio::test]
async fn issue_20_a_tilted_upside_down_page_is_put_upright_and_read() {
    use dossier_scan::upright;
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary folder");
    let page = scanned(
        dir.path(),
        "Картка платника податків",
        &[("Прізвище", "Шевчук"), ("Ім’я", "Олена"), ("РНОКПП", "1759013776"), ("Дата народження", "28.02.1948")],
    );
    let upright_page = upright::decode(&std::fs::read(&page).expect("the page")).expect("decodes");
    let fed = upright::rotate(&upright::turn_clockwise(&upright_page, 180), 6.0);
    let tesseract = Tesseract::default();
    let as_fed =
        tesseract.recognise(&upright::encode_png(&fed, 300.0), "ukr+eng", Segmentation::Auto, 300).await.expect("runs");
    assert!(!as_fed.text().contains("1759013776"), "read as fed: {}", as_fed.text());

    let skew = upright::skew_degrees(&fed);
    assert!((skew - 6.0).abs() < 0.5, "skew {skew}");
    let straight = upright::rotate(&fed, -skew);
    let png = upright::encode_png(&straight, 300.0);
    assert_eq!(tesseract.orientation(&png, 300).await.expect("detects"), Some(180));
    let turned = upright::encode_png(&upright::turn_clockwise(&straight, 180), 300.0);
    let text = tesseract.recognise(&turned, "ukr+eng", Segmentation::Auto, 300).await.expect("recognised");
    for expected in ["Шевчук", "1759013776", "28.02.1948"] {
        assert!(text.text().contains(expected), "{expected} not in {}", text.text());
    }
    // An upright page needs no turn.
    let png = upright::encode_png(&upright_page, 300.0);
    assert_eq!(tesseract.orientation(&png, 300).await.expect("detects"), None);

    // All of it as the OCR workers read a page: the words, and the upright page they are on.
    let read = tesseract.read_upright(upright::encode_png(&fed, 300.0), "ukr+eng", 300.0).await.expect("read");
    assert!(read.text.text().contains("1759013776"), "{}", read.text.text());
    let page = read.upright.expect("turned");
    assert!(page.correction.starts_with("turned 180°, deskewed 6."), "{}", page.correction);
    assert_eq!((page.width, page.height), (fed.width, fed.height));
    let straight = tesseract.read_upright(png, "ukr+eng", 300.0).await.expect("read");
    assert!(straight.upright.is_none(), "an upright page is read as it is");
}
