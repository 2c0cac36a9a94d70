//! Running the tools we did not write over our PDFs: qpdf and poppler's utilities.
//! A missing tool skips its check with a message, except under CI=true where it fails.
#![allow(dead_code)] // each test file uses its own share of these

use std::io::ErrorKind;
use std::path::Path;
use std::process::Command;

/// Whether `tool` can be run; under CI=true a missing tool is a failure, not a skip.
pub fn have(tool: &str) -> bool {
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

pub fn write_temp(pdf: &[u8]) -> tempfile::NamedTempFile {
    let file = tempfile::Builder::new().suffix(".pdf").tempfile().expect("temp file");
    std::fs::write(file.path(), pdf).expect("write pdf");
    file
}

pub fn run(tool: &str, args: &[&str], file: &Path) -> (bool, String) {
    let output = Command::new(tool).args(args).arg(file).output().expect("tool runs");
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

pub fn pdftotext(pdf: &[u8], args: &[&str]) -> String {
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
pub fn squash(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A word's box from `pdftotext -bbox` (points, y downwards from the page top).
pub struct WordBox {
    pub page: usize,
    pub x_min: f32,
    pub y_min: f32,
    pub x_max: f32,
    pub y_max: f32,
}

/// -bbox writes one `<word xMin=".." yMin=".." xMax=".." yMax="..">word</word>` per word, pages
/// in `<page>` elements. Finds the first occurrence of `wanted`.
pub fn bbox_word(html: &str, wanted: &str) -> WordBox {
    bbox_words(html, wanted)
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("word {wanted:?} not in pdftotext -bbox output"))
}

pub fn bbox_words(html: &str, wanted: &str) -> Vec<WordBox> {
    let mut found = vec![];
    for (page, body) in html.split("<page ").skip(1).enumerate() {
        for line in body.lines().filter(|l| l.contains(&format!(">{wanted}</word>"))) {
            let attr = |name: &str| -> f32 {
                let start = line.find(&format!("{name}=\"")).expect("attribute") + name.len() + 2;
                let end = start + line[start..].find('"').expect("closing quote");
                line[start..end].parse().expect("number")
            };
            found.push(WordBox {
                page,
                x_min: attr("xMin"),
                y_min: attr("yMin"),
                x_max: attr("xMax"),
                y_max: attr("yMax"),
            });
        }
    }
    found
}

/// `<image top left width height>` boxes of `pdf` in points, from `pdftohtml -xml -zoom 1`.
pub fn image_boxes(pdf: &[u8]) -> Option<Vec<[f32; 4]>> {
    if !have("pdftohtml") {
        return None;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let (input, base) = (dir.path().join("in.pdf"), dir.path().join("out"));
    std::fs::write(&input, pdf).expect("write");
    let status = Command::new("pdftohtml")
        .args(["-xml", "-zoom", "1", "-q"])
        .arg(&input)
        .arg(&base)
        .status()
        .expect("pdftohtml runs");
    assert!(status.success());
    let xml = std::fs::read_to_string(base.with_extension("xml")).expect("pdftohtml wrote XML");
    let attr = |line: &str, name: &str| -> f32 {
        let key = format!(" {name}=\"");
        let start = line.find(&key).expect("attribute") + key.len();
        line[start..].split('"').next().and_then(|v| v.parse().ok()).expect("a number")
    };
    Some(
        xml.lines()
            .filter(|l| l.trim_start().starts_with("<image"))
            .map(|l| ["top", "left", "width", "height"].map(|a| attr(l, a)))
            .collect(),
    )
}
