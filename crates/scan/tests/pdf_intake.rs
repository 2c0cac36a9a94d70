//! Scans that arrive as PDFs, made by tools we did not write: img2pdf wraps a
//! PNG (PNG-predicted Flate) and a JPEG (DCT, as it is) the way scanner
//! software does, qpdf encrypts and multiplies pages. A born-digital PDF (our
//! own renderer's) is refused as not a scan. Skipped when the tools are
//! missing, except under CI=true (`.ci/run` installs them).
use std::path::{Path, PathBuf};
use std::process::Command;

use dossier_scan::pdf::{PdfScanError, pages};
use dossier_scan::{Format, header};

fn tools_present() -> bool {
    let ok = |cmd: &mut Command| cmd.output().is_ok_and(|o| o.status.success());
    let present = ok(Command::new("pdftoppm").arg("-v"))
        && ok(Command::new("qpdf").arg("--version"))
        && ok(Command::new("python3").args(["-c", "import img2pdf"]));
    if !present {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but pdftoppm, qpdf or img2pdf is missing");
    }
    present
}

fn run(cmd: &mut Command) {
    let out = cmd.output().expect("the tool runs");
    assert!(out.status.success(), "{:?}: {}", cmd, String::from_utf8_lossy(&out.stderr));
}

/// A one-page document by Dossier's renderer (born digital), and its page rasterised at 300 dpi
/// as PNG and as JPEG.
fn paper(dir: &Path) -> (PathBuf, PathBuf, PathBuf) {
    let copy = dossier_pdf::DocumentCopy {
        title: "Картка платника податків".into(),
        fields: vec![dossier_pdf::Field::new("РНОКПП", "1759013776")],
        issuer_note: String::new(),
        stamp: dossier_pdf::Stamp { heading: "—".into(), lines: vec![] },
    };
    let created = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00+02:00").expect("a time");
    let born_digital = dir.join("digital.pdf");
    std::fs::write(&born_digital, dossier_pdf::render_document_copy_at(&copy, created).expect("renders")).unwrap();
    for (format, name) in [("-png", "page"), ("-jpeg", "page")] {
        run(Command::new("pdftoppm").args(["-r", "300", format, "-singlefile"]).arg(&born_digital).arg(dir.join(name)));
    }
    (born_digital, dir.join("page.png"), dir.join("page.jpg"))
}

#[test]
fn a_scanner_s_pdf_gives_back_each_page_s_image_with_its_resolution() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (_, png, jpeg) = paper(dir.path());
    let scanned = dir.path().join("scanned.pdf");
    run(Command::new("python3").args(["-m", "img2pdf"]).arg(&png).arg(&jpeg).arg("-o").arg(&scanned));
    let got = pages(&std::fs::read(&scanned).unwrap(), 50).expect("two scanned pages");
    assert_eq!(got.len(), 2);
    // Page 1: a PNG again, the same size, its resolution from the page's size.
    assert_eq!(Format::sniff(&got[0].image), Some(Format::Png));
    let original = std::fs::read(&png).unwrap();
    let (h, o) = (header::read(&got[0].image).expect("a readable PNG"), header::read(&original).unwrap());
    assert_eq!((h.width, h.height, h.colour), (o.width, o.height, o.colour));
    assert!((got[0].dpi.0 - 300.0).abs() < 0.5 && (got[0].dpi.1 - 300.0).abs() < 0.5, "{:?}", got[0].dpi);
    // And the same pixels, decoded.
    assert_eq!(pixels(&got[0].image), pixels(&original));
    // Page 2: the JPEG exactly as scanned — never decoded and compressed again.
    assert_eq!(got[1].image, std::fs::read(&jpeg).unwrap());
}

fn pixels(png: &[u8]) -> Vec<u8> {
    let mut reader = png::Decoder::new(std::io::Cursor::new(png)).read_info().expect("a PNG");
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let info = reader.next_frame(&mut buf).expect("its pixels");
    buf.truncate(info.buffer_size());
    buf
}

#[test]
fn a_born_digital_encrypted_or_oversized_pdf_is_refused_with_the_reason() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let (digital, png, _) = paper(dir.path());
    let bytes = std::fs::read(&digital).unwrap();
    assert!(matches!(pages(&bytes, 50), Err(PdfScanError::NotAScan { page: 1, .. })), "text, not a scan");

    let scanned = dir.path().join("scanned.pdf");
    run(Command::new("python3").args(["-m", "img2pdf"]).arg(&png).arg("-o").arg(&scanned));
    for user_password in ["secret", ""] {
        let locked = dir.path().join("locked.pdf");
        run(Command::new("qpdf").args(["--encrypt", user_password, "owner", "256", "--"]).arg(&scanned).arg(&locked));
        assert_eq!(pages(&std::fs::read(&locked).unwrap(), 50), Err(PdfScanError::Encrypted), "{user_password:?}");
    }
    let many = dir.path().join("many.pdf");
    let mut qpdf = Command::new("qpdf");
    qpdf.args(["--empty", "--pages"]);
    for _ in 0..51 {
        qpdf.arg(&scanned).arg("1");
    }
    run(qpdf.arg("--").arg(&many));
    assert_eq!(pages(&std::fs::read(&many).unwrap(), 50), Err(PdfScanError::TooManyPages(51)));
    // Cut short: damaged, not a panic.
    let whole = std::fs::read(&scanned).unwrap();
    assert!(pages(&whole[..whole.len() / 2], 50).is_err());
}
