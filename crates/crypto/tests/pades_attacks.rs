//! Modification analysis against an attack corpus: `tests/attacks/make_corpus.py`
//! has pyHanko sign a small payment order with a Dossier certificate, then
//! writes incremental updates that must make the signature fail (page content
//! rewritten, a page added, the font redefined, shadow content revealed, the
//! catalogue's page tree swapped, JavaScript, a FieldMDP-locked field refilled,
//! a comment after a DocMDP P=2 certification, signature wrapping, bytes after
//! %%EOF) and later revisions that must leave it valid (a second signature,
//! form filling, a comment, a DSS, the same after a P=2 certification).
//!
//! Every corpus file gets two tests, named after it:
//! * `pyhanko::<file>`: `pyhanko sign validate` judges it as the manifest
//!   expects: attacks INVALID, legitimate files VALID, except where the
//!   manifest records pyHanko's own disagreement (`"pyhanko": "accepts"` for
//!   bytes after %%EOF, which its revision-based diff never sees;
//!   `"pyhanko": "rejects"` for a comment, since its default policy has no
//!   rule for non-widget annotations).
//! * `dossier::<file>`: `verify_pdf` never TOTAL-PASSES an attack, and passes
//!   every signature of a legitimate file.
//!
//! The corpus is built once per test run. Skipped without python3 and
//! pyHanko, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicUsize, Ordering};

use dossier_crypto::container::PinContainer;
use dossier_crypto::pades::validate::verify_pdf;
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::TestPki;
use dossier_crypto::validation::{CheckStatus, Indication, TrustContext};
use dossier_crypto::x509::{CertProfile, to_pem};

const MAKE_CORPUS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/attacks/make_corpus.py");
const PIN: &str = "1234";

fn tool(name: &str, probe: &[&str]) -> bool {
    let ok = Command::new(name).args(probe).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but `{name} {}` fails", probe.join(" "));
    }
    ok
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// One corpus file with pyHanko's verdict on it.
struct Entry {
    file: String,
    attack: bool,
    what: String,
    /// What pyHanko is expected to say when it disagrees with `attack`.
    pyhanko_expected_ok: bool,
    pyhanko_why: Option<String>,
    /// pyHanko's exit status was 0 and every signature's bottom line said VALID.
    pyhanko_ok: bool,
    /// The "The signature is judged …" lines, one per signature.
    pyhanko_bottom_lines: Vec<String>,
    pyhanko_output: String,
    bytes: Vec<u8>,
}

struct Corpus {
    trust: TrustContext,
    entries: Vec<Entry>,
}

/// The corpus, built and judged by pyHanko once; `None` when the tools are missing.
fn corpus() -> Option<&'static Corpus> {
    static CORPUS: OnceLock<Option<Corpus>> = OnceLock::new();
    CORPUS
        .get_or_init(|| {
            if !tool("python3", &["-c", "import pyhanko.sign, pyhanko.pdf_utils"]) || !tool("pyhanko", &["--version"]) {
                eprintln!("skipping: python3 with pyHanko or the pyhanko command is missing");
                return None;
            }
            Some(build())
        })
        .as_ref()
}

fn build() -> Corpus {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let signer = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
    std::fs::write(p.join("root.pem"), to_pem(&pki.root.certificate).unwrap()).unwrap();
    std::fs::write(p.join("issuing.pem"), to_pem(&pki.issuing.certificate).unwrap()).unwrap();
    std::fs::write(p.join("signer.pem"), to_pem(&signer.certificate).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(&signer.key, PIN, 3, 1000).unwrap();
    std::fs::write(p.join("signer.key"), &sealed.encrypted_pkcs8_pem).unwrap();

    let out = Command::new("python3")
        .args([MAKE_CORPUS, "signer.key", PIN, "signer.pem", "issuing.pem", "corpus"])
        .current_dir(p)
        .output()
        .unwrap();
    assert!(out.status.success(), "make_corpus.py failed:\n{}", text(&out));
    let corpus = p.join("corpus");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(corpus.join("manifest.json")).unwrap()).unwrap();
    let manifest = manifest.as_array().expect("the manifest is a list");

    // pyHanko takes about a second a file: a few at a time.
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(2, 4));
    let next = AtomicUsize::new(0);
    let verdicts: Vec<(usize, Output)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut done = Vec::new();
                    loop {
                        let i = next.fetch_add(1, Ordering::SeqCst);
                        let Some(e) = manifest.get(i) else { break done };
                        done.push((i, pyhanko_validate(p, e["file"].as_str().unwrap())));
                    }
                })
            })
            .collect();
        handles.into_iter().flat_map(|h| h.join().unwrap()).collect()
    });

    let mut entries: Vec<Entry> = manifest
        .iter()
        .map(|e| {
            let file = e["file"].as_str().expect("file").to_owned();
            let attack = e["attack"].as_bool().expect("attack");
            let pyhanko_expected_ok = match e.get("pyhanko").and_then(|v| v.as_str()) {
                None => !attack,
                Some("accepts") => true,
                Some("rejects") => false,
                Some(other) => panic!("{file}: unknown pyhanko expectation {other:?}"),
            };
            Entry {
                bytes: std::fs::read(corpus.join(&file)).unwrap(),
                what: e["what"].as_str().expect("what").to_owned(),
                pyhanko_why: e.get("pyhanko_why").and_then(|v| v.as_str()).map(str::to_owned),
                file,
                attack,
                pyhanko_expected_ok,
                pyhanko_ok: false,
                pyhanko_bottom_lines: Vec::new(),
                pyhanko_output: String::new(),
            }
        })
        .collect();
    for (i, out) in verdicts {
        let e = &mut entries[i];
        e.pyhanko_output = text(&out);
        e.pyhanko_bottom_lines =
            e.pyhanko_output.lines().filter(|l| l.starts_with("The signature is judged")).map(str::to_owned).collect();
        e.pyhanko_ok = out.status.success()
            && !e.pyhanko_bottom_lines.is_empty()
            && e.pyhanko_bottom_lines.iter().all(|l| l == "The signature is judged VALID.");
    }
    Corpus { trust: pki.trust(), entries }
}

fn pyhanko_validate(dir: &Path, file: &str) -> Output {
    Command::new("pyhanko")
        .args(["sign", "validate", "--trust", "root.pem", "--trust-replace", "--no-revocation-check", "--pretty-print"])
        .arg(Path::new("corpus").join(file))
        .current_dir(dir)
        .output()
        .unwrap()
}

fn entry(corpus: &'static Corpus, name: &str) -> &'static Entry {
    let file = format!("{name}.pdf");
    corpus.entries.iter().find(|e| e.file == file).unwrap_or_else(|| panic!("{file} is not in the manifest"))
}

/// pyHanko judges the file as the manifest says it should.
fn check_pyhanko(name: &str) {
    let Some(corpus) = corpus() else { return };
    let e = entry(corpus, name);
    eprintln!("{name}: pyHanko {:?}", e.pyhanko_bottom_lines);
    let verdict = |ok: bool| if ok { "VALID" } else { "INVALID" };
    assert_eq!(
        e.pyhanko_ok,
        e.pyhanko_expected_ok,
        "{name} ({}): pyHanko said {} ({:?}), expected {}{}\n{}\n{}",
        if e.attack { "attack" } else { "legitimate" },
        verdict(e.pyhanko_ok),
        e.pyhanko_bottom_lines,
        verdict(e.pyhanko_expected_ok),
        e.pyhanko_why.as_deref().map(|w| format!(" because {w}")).unwrap_or_default(),
        e.what,
        e.pyhanko_output,
    );
}

/// Dossier never TOTAL-PASSES an attack, and passes every signature of a legitimate file.
fn check_dossier(name: &str) {
    let Some(corpus) = corpus() else { return };
    let e = entry(corpus, name);
    let report = verify_pdf(&SoftwareProvider, &e.bytes, &corpus.trust);
    if e.attack {
        // Refusing to parse the file is also a refusal.
        if let Ok(report) = report {
            // Why it was refused, for `--nocapture` readers.
            let failed: Vec<String> = report
                .signatures
                .iter()
                .flat_map(|s| {
                    s.report
                        .checks
                        .iter()
                        .filter(|c| c.status == CheckStatus::Failed)
                        .map(move |c| format!("{}: {} {}", s.field_name, c.code, c.detail))
                })
                .collect();
            eprintln!("{name}: {:?} {:?} {failed:?}", report.indication, report.sub_indication);
            assert_ne!(
                report.indication,
                Indication::TotalPassed,
                "{name}: Dossier TOTAL-PASSED an attack: {}\n{report:#?}",
                e.what
            );
        }
    } else {
        let report = report.unwrap_or_else(|err| panic!("{name}: Dossier could not read a legitimate file: {err}"));
        assert!(!report.signatures.is_empty(), "{name}: no signature found\n{report:#?}");
        assert_eq!(report.indication, Indication::TotalPassed, "{name}: {}\n{report:#?}", e.what);
        for s in &report.signatures {
            assert_eq!(s.report.indication, Indication::TotalPassed, "{name}: {} failed\n{report:#?}", s.field_name);
        }
    }
}

macro_rules! corpus_tests {
    ($($name:ident),* $(,)?) => {
        const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// pyHanko's verdict, one test per corpus file.
        mod pyhanko {
            $(#[test] fn $name() { super::check_pyhanko(stringify!($name)); })*
        }

        /// Dossier's verdict, one test per corpus file.
        mod dossier {
            $(#[test] fn $name() { super::check_dossier(stringify!($name)); })*
        }
    };
}

corpus_tests! {
    // The signed originals.
    signed,
    certified_p2,
    // Attacks: the signature must not pass.
    content_replaced,
    page_added,
    font_redefined,
    shadow_hide,
    shadow_replace,
    annotation_appearance_replaced,
    locked_field_refilled,
    root_hidden_page_tree,
    javascript_on_open,
    bytes_after_eof,
    signature_wrapping,
    certified_p2_annotation_added,
    // Legitimate later revisions: every signature must pass.
    second_signature,
    note_filled,
    comment_added,
    dss_added,
    certified_p2_signed_again,
    certified_p2_note_filled,
}

/// A file added to the corpus gets its tests too.
#[test]
fn every_corpus_file_has_its_tests() {
    let Some(corpus) = corpus() else { return };
    let mut in_manifest: Vec<&str> = corpus.entries.iter().map(|e| e.file.trim_end_matches(".pdf")).collect();
    let mut tested = NAMES.to_vec();
    in_manifest.sort_unstable();
    tested.sort_unstable();
    assert_eq!(in_manifest, tested);
    for e in &corpus.entries {
        assert!(e.bytes.starts_with(b"%PDF-"), "{}", e.file);
    }
}
