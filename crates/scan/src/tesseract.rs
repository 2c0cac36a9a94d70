//! Recognition by Tesseract 5, run as its command-line program (Debian's
//! `tesseract-ocr` and language packages). The program rather than a library
//! binding: a page that crashes or hangs the recogniser takes down one
//! child process, not the server, and is killed at its deadline; there is
//! no C++ toolchain or bindgen in the build; and the cost of starting it
//! (loading the language models, ≈ 0.1–0.2 s) is small beside ≈ 1 s of
//! recognition per 300-dpi page (see BENCHMARKS.md "Digitization").
//!
//! Each run is single-threaded (`OMP_THREAD_LIMIT=1`: Tesseract's OpenMP
//! threading is several times slower on two cores, SPEC §6) — the worker
//! pool, one job per page, uses the cores instead. The page-segmentation
//! mode is always given: the program's and the library's defaults differ.
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use dossier_domain::digitization::{BBox, Line, PageText, Word};
use tokio::process::Command;

/// Tesseract's page-segmentation modes Dossier uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Segmentation {
    /// 3: fully automatic page layout (forms with columns and boxes).
    Auto,
    /// 6: one uniform block of text (a card's text area).
    Block,
}

impl Segmentation {
    fn arg(self) -> &'static str {
        match self {
            Segmentation::Auto => "3",
            Segmentation::Block => "6",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    #[error("languages must be Tesseract codes joined by '+', such as ukr+eng")]
    Languages,
    #[error("cannot start {0}: {1}")]
    Start(String, std::io::Error),
    #[error("recognition took longer than {0:?} and was stopped")]
    Timeout(Duration),
    #[error("tesseract failed: {0}")]
    Failed(String),
    #[error("tesseract's output did not parse: {0}")]
    Output(String),
}

/// How to run the program.
#[derive(Debug, Clone)]
pub struct Tesseract {
    pub program: PathBuf,
    /// Beyond this a page is abandoned (and, after its retries, given to a person).
    pub timeout: Duration,
}

impl Default for Tesseract {
    fn default() -> Self {
        Tesseract { program: PathBuf::from("tesseract"), timeout: Duration::from_secs(60) }
    }
}

impl Tesseract {
    /// Recognises a page image (PNG, JPEG or TIFF) in `languages`
    /// (`ukr+eng`, `vie`…), telling Tesseract its resolution. The image goes
    /// to the program on its standard input: a decrypted scan never lands on disk.
    pub async fn recognise(
        &self,
        image: &[u8],
        languages: &str,
        mode: Segmentation,
        dpi: u32,
    ) -> Result<PageText, OcrError> {
        let valid = !languages.is_empty()
            && languages.split('+').all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'));
        if !valid {
            return Err(OcrError::Languages);
        }
        let dpi = dpi.clamp(70, 2400).to_string();
        let out = self.run(image, &["-l", languages, "--psm", mode.arg(), "--dpi", &dpi, "tsv"]).await?;
        let tsv = String::from_utf8(out).map_err(|_| OcrError::Output("not UTF-8".into()))?;
        parse_tsv(&tsv)
    }

    /// Which way up the page is, by Tesseract's orientation and script
    /// detection (`--psm 0`, the `osd` data): the clockwise turn (90, 180 or
    /// 270) that puts it upright, or `None` when it is upright or Tesseract
    /// is not sure (too little text, confidence under 2).
    pub async fn orientation(&self, image: &[u8], dpi: u32) -> Result<Option<u16>, OcrError> {
        let dpi = dpi.clamp(70, 2400).to_string();
        let out = self.run(image, &["--psm", "0", "--dpi", &dpi]).await?;
        Ok(parse_osd(&String::from_utf8_lossy(&out)))
    }

    /// Runs the program on `image` (its standard input: a decrypted scan
    /// never lands on disk), one thread, within the deadline; its standard output.
    async fn run(&self, image: &[u8], args: &[&str]) -> Result<Vec<u8>, OcrError> {
        let mut cmd = Command::new(&self.program);
        cmd.arg("stdin")
            .arg("stdout")
            .args(args)
            .env("OMP_THREAD_LIMIT", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        let mut child = cmd.spawn().map_err(|e| OcrError::Start(self.program.display().to_string(), e))?;
        let stdin = child.stdin.take();
        let bytes = image.to_vec();
        // Written beside the wait: a program that stops reading early must not block us.
        let feed = tokio::spawn(async move {
            if let Some(mut stdin) = stdin {
                use tokio::io::AsyncWriteExt;
                let _ = stdin.write_all(&bytes).await;
            }
        });
        let out = tokio::time::timeout(self.timeout, child.wait_with_output())
            .await
            .map_err(|_| OcrError::Timeout(self.timeout))?
            .map_err(|e| OcrError::Failed(e.to_string()))?;
        feed.abort();
        if !out.status.success() {
            let err = String::from_utf8_lossy(&out.stderr);
            return Err(OcrError::Failed(err.lines().last().unwrap_or("no message").to_owned()));
        }
        Ok(out.stdout)
    }
}

/// The clockwise turn in Tesseract's OSD report ("Rotate: 90", "Orientation
/// confidence: 11.8"), if it is a quarter turn it is sure of.
fn parse_osd(report: &str) -> Option<u16> {
    let value = |key: &str| report.lines().find_map(|l| l.strip_prefix(key)).and_then(|v| v.trim().parse::<f32>().ok());
    let rotate = value("Rotate:")?;
    let confidence = value("Orientation confidence:")?;
    let turn = rotate.round() as u16;
    (confidence >= 2.0 && matches!(turn, 90 | 180 | 270)).then_some(turn)
}

/// Reads Tesseract's TSV: a header, then one row per page, block, paragraph,
/// line and word (`level` 1–5); the words (level 5) carry text, a confidence
/// and a box, and the numbers of their block, paragraph and line group them.
pub fn parse_tsv(tsv: &str) -> Result<PageText, OcrError> {
    let mut rows = tsv.lines();
    let header = rows.next().unwrap_or_default();
    if !header
        .starts_with("level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext")
    {
        return Err(OcrError::Output("an unexpected header".into()));
    }
    let mut page = PageText::default();
    let mut current: Option<(u32, u32, u32)> = None;
    for (i, row) in rows.enumerate() {
        let bad = || OcrError::Output(format!("row {}", i + 2));
        let cols: Vec<&str> = row.splitn(12, '\t').collect();
        if cols.len() < 11 {
            return Err(bad());
        }
        if cols[0] != "5" {
            continue;
        }
        let num = |k: usize| cols[k].parse::<u32>().map_err(|_| bad());
        let text = cols.get(11).map_or("", |t| t.trim());
        if text.is_empty() {
            continue;
        }
        let confidence: f32 = cols[10].parse().map_err(|_| bad())?;
        let bbox = BBox { left: num(6)?, top: num(7)?, width: num(8)?, height: num(9)? };
        let line = (num(2)?, num(3)?, num(4)?);
        if current != Some(line) {
            page.lines.push(Line::default());
            current = Some(line);
        }
        if let Some(l) = page.lines.last_mut() {
            l.words.push(Word { text: text.to_owned(), confidence: confidence.clamp(0.0, 100.0), bbox });
        }
    }
    Ok(page)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const HEADER: &str =
        "level\tpage_num\tblock_num\tpar_num\tline_num\tword_num\tleft\ttop\twidth\theight\tconf\ttext";

    #[test]
    fn words_are_grouped_into_their_lines() {
        let tsv = format!(
            "{HEADER}\n1\t1\t0\t0\t0\t0\t0\t0\t2480\t3508\t-1\t\n\
             4\t1\t1\t1\t1\t0\t100\t200\t900\t40\t-1\t\n\
             5\t1\t1\t1\t1\t1\t100\t200\t300\t40\t96.5\tПрізвище:\n\
             5\t1\t1\t1\t1\t2\t420\t200\t250\t40\t91.25\tШевчук\n\
             5\t1\t1\t1\t2\t1\t100\t260\t200\t40\t95\t\n\
             5\t1\t2\t1\t1\t1\t100\t400\t120\t40\t88\tІм'я:\n"
        );
        let page = parse_tsv(&tsv).expect("parses");
        assert_eq!(page.text(), "Прізвище: Шевчук\nІм'я:");
        let w = &page.lines[0].words[1];
        assert_eq!((w.confidence, w.bbox), (91.25, BBox { left: 420, top: 200, width: 250, height: 40 }));
    }

    #[test]
    fn the_orientation_report_gives_a_sure_quarter_turn_only() {
        let report = "Page number: 0\nOrientation in degrees: 270\nRotate: 90\nOrientation confidence: 11.81\nScript: Cyrillic\n";
        assert_eq!(parse_osd(report), Some(90));
        assert_eq!(parse_osd(&report.replace("11.81", "0.40")), None, "not sure");
        assert_eq!(parse_osd(&report.replace("Rotate: 90", "Rotate: 0")), None, "upright");
        assert_eq!(parse_osd("Too few characters. Skipping this page"), None);
    }

    #[test]
    fn a_foreign_or_broken_output_is_an_error() {
        assert!(parse_tsv("hello").is_err());
        assert!(parse_tsv(&format!("{HEADER}\n5\t1\t1")).is_err());
        assert!(parse_tsv(&format!("{HEADER}\n5\t1\t1\t1\t1\t1\tx\t0\t1\t1\t90\tword")).is_err());
        assert_eq!(parse_tsv(HEADER).expect("no words").lines.len(), 0);
    }

    #[tokio::test]
    async fn languages_cannot_smuggle_arguments() {
        let t = Tesseract::default();
        for bad in ["", "ukr+", "ukr eng", "ukr;rm", "--psm", "UKR"] {
            let r = t.recognise(b"not an image", bad, Segmentation::Block, 300).await;
            assert!(matches!(r, Err(OcrError::Languages)), "{bad}: {r:?}");
        }
    }

    /// SPEC §6: one thread per run (OpenMP is several times slower on two
    /// cores) and the page-segmentation mode always given. A stand-in program
    /// reports how it was called.
    #[cfg(unix)]
    #[tokio::test]
    async fn spec_6_tesseract_runs_single_threaded_with_an_explicit_segmentation_mode() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("a folder");
        let program = dir.path().join("tesseract");
        std::fs::write(&program, "#!/bin/sh\necho \"threads=$OMP_THREAD_LIMIT args=$*\" >&2\nexit 1\n")
            .expect("written");
        std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).expect("executable");
        let t = Tesseract { program, timeout: Duration::from_secs(10) };
        let r = t.recognise(b"image", "ukr+eng", Segmentation::Auto, 300).await;
        match r {
            Err(OcrError::Failed(called)) => {
                assert_eq!(called, "threads=1 args=stdin stdout -l ukr+eng --psm 3 --dpi 300 tsv");
            }
            other => panic!("{other:?}"),
        }
    }

    proptest! {
        #[test]
        fn no_output_panics_the_parser(body in "\\PC{0,300}") {
            let _ = parse_tsv(&format!("{HEADER}\n{body}"));
        }

        #[test]
        fn an_orientation_report_gives_only_a_quarter_turn(body in "(Rotate: |Orientation confidence: |\\PC){0,40}") {
            let turn = parse_osd(&body);
            proptest::prop_assert!(matches!(turn, None | Some(90 | 180 | 270)));
        }
    }
}
