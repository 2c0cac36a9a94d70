//! PAdES checked by tools we did not write, both ways:
//! * Dossier's B-T signature: pyHanko `sign validate` / `sign adesverify`,
//!   poppler `pdfsig` (NSS trust store), `openssl cms -verify` over the
//!   ByteRange bytes and `qpdf --check` all accept it; after one flipped byte
//!   inside the signed range every one of them refuses it, and so do we.
//! * A PDF signed by pyHanko with a Dossier certificate is TOTAL-PASSED here;
//!   tampered, it is TOTAL-FAILED.
//!
//! Each tool's test is skipped when the tool is missing, and fails under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use dossier_crypto::container::PinContainer;
use dossier_crypto::pades::pdf::find_signatures;
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::pades::validate::verify_pdf;
use dossier_crypto::signed::SigningIdentity;
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::TestPki;
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{Indication, SubIndication};
use dossier_crypto::x509::{CertProfile, to_pem};

fn tool(name: &str, probe: &[&str]) -> bool {
    // The tool exists if it starts; some (certutil -H) exit non-zero on purpose.
    let ok = Command::new(name).args(probe).output().is_ok();
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but `{name}` is missing");
    }
    ok
}

fn run(cmd: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(cmd).args(args).current_dir(dir).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

struct Fixture {
    dir: tempfile::TempDir,
    pki: TestPki,
    signed: Vec<u8>,
    tampered: Vec<u8>,
}

/// A one-page PDF signed B-T by Dossier, and a copy with one byte flipped inside the signed range.
fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let pki = TestPki::new().unwrap();
    let signer = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
    let tsu = pki.party("Dossier TSA", CertProfile::TimeStamping).unwrap();
    let tsa = TimeStampAuthority::new(Box::new(tsu.key), tsu.certificate, pki.chain());
    let chain = pki.chain();
    let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
    let original = minimal_pdf("Pension certificate copy");
    let opts =
        PadesOptions { reason: Some("Copy certified".into()), location: Some("Kyiv".into()), ..Default::default() };
    let signed = sign_pdf(&original, &id, Some(&tsa), &opts).unwrap();
    let mut tampered = signed.clone();
    // A byte of the page text, inside the first signed range.
    let at = original.windows(7).position(|w| w == b"Pension").unwrap();
    tampered[at] ^= 0x20;
    let p = dir.path();
    std::fs::write(p.join("signed.pdf"), &signed).unwrap();
    std::fs::write(p.join("tampered.pdf"), &tampered).unwrap();
    std::fs::write(p.join("root.pem"), to_pem(&pki.root.certificate).unwrap()).unwrap();
    std::fs::write(p.join("issuing.pem"), to_pem(&pki.issuing.certificate).unwrap()).unwrap();
    std::fs::write(p.join("signer.pem"), to_pem(&signer.certificate).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(&signer.key, "1234", 3, 1000).unwrap();
    std::fs::write(p.join("signer.key"), &sealed.encrypted_pkcs8_pem).unwrap();
    std::fs::write(p.join("original.pdf"), &original).unwrap();
    Fixture { dir, pki, signed, tampered }
}

#[test]
fn pades_cms_has_no_signing_time_and_tampering_fails_spec_5() {
    let f = fixture();
    let trust = f.pki.trust();
    let ok = verify_pdf(&SoftwareProvider, &f.signed, &trust).unwrap();
    assert_eq!(ok.indication, Indication::TotalPassed, "{ok:#?}");
    assert_eq!(ok.signatures.len(), 1);
    assert_eq!(ok.signatures[0].level, "PAdES-BASELINE-T");
    assert!(ok.signatures[0].covers_whole_file);
    // SPEC §5: the PAdES CMS has no signing-time attribute; the claimed time is the PDF's /M.
    let sig = &find_signatures(&f.signed).unwrap()[0];
    let parts = sig.signed_bytes(&f.signed).unwrap();
    let cms = dossier_crypto::signed::verify(
        &SoftwareProvider,
        &sig.contents,
        &dossier_crypto::signed::VerifyInput::detached(&[&parts]),
        &trust,
    );
    assert!(cms.report.is_passed(), "{:?}", cms.report);
    assert_eq!(cms.signing_time, None, "PAdES CMS must not carry a signing-time attribute");
    assert!(sig.signing_time.as_deref().is_some_and(|m| m.starts_with("D:")));
    assert!(ok.signatures[0].report.claimed_signing_time.is_some());
    let bad = verify_pdf(&SoftwareProvider, &f.tampered, &trust).unwrap();
    assert_eq!(bad.indication, Indication::TotalFailed);
    assert_eq!(bad.sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn qpdf_finds_our_signed_pdf_clean() {
    if !tool("qpdf", &["--version"]) {
        return;
    }
    let f = fixture();
    let out = run("qpdf", &["--check", "signed.pdf"], f.dir.path());
    assert!(out.status.success(), "{}", text(&out));
    assert!(text(&out).contains("No syntax or stream encoding errors"), "{}", text(&out));
}

#[test]
fn openssl_verifies_the_cms_over_the_byte_range() {
    if !tool("openssl", &["version"]) {
        return;
    }
    let f = fixture();
    let p = f.dir.path();
    for (file, bytes, expect_ok) in [("signed", &f.signed, true), ("tampered", &f.tampered, false)] {
        let sig = &find_signatures(bytes).unwrap()[0];
        std::fs::write(p.join(format!("{file}.p7s")), &sig.contents).unwrap();
        std::fs::write(p.join(format!("{file}.bin")), sig.signed_bytes(bytes).unwrap()).unwrap();
        let out = run(
            "openssl",
            &[
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                &format!("{file}.p7s"),
                "-content",
                &format!("{file}.bin"),
                "-CAfile",
                "root.pem",
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ],
            p,
        );
        assert_eq!(out.status.success(), expect_ok, "{file}: {}", text(&out));
    }
}

#[test]
fn pdfsig_says_valid_and_trusted_and_sees_tampering() {
    if !tool("pdfsig", &["-v"]) || !tool("certutil", &["-H"]) {
        return;
    }
    let f = fixture();
    let p = f.dir.path();
    std::fs::create_dir(p.join("nss")).unwrap();
    assert!(run("certutil", &["-N", "-d", "sql:nss", "--empty-password"], p).status.success());
    let add = run("certutil", &["-A", "-d", "sql:nss", "-n", "root", "-t", "CT,C,C", "-i", "root.pem"], p);
    assert!(add.status.success(), "{}", text(&add));
    let out = text(&run("pdfsig", &["-nssdir", "sql:nss", "signed.pdf"], p));
    assert!(out.contains("Signature is Valid."), "{out}");
    assert!(out.contains("Certificate is Trusted."), "{out}");
    assert!(out.contains("Total document signed"), "{out}");
    let out = text(&run("pdfsig", &["-nssdir", "sql:nss", "tampered.pdf"], p));
    assert!(!out.contains("Signature is Valid."), "{out}");
}

fn pyhanko() -> bool {
    tool("pyhanko", &["--version"])
}

#[test]
fn pyhanko_validates_our_signature_and_refuses_tampering() {
    if !pyhanko() {
        return;
    }
    let f = fixture();
    let p = f.dir.path();
    let args =
        ["sign", "validate", "--trust", "root.pem", "--trust-replace", "--no-revocation-check", "--pretty-print"];
    let ok = run("pyhanko", &[&args[..], &["signed.pdf"]].concat(), p);
    assert!(ok.status.success(), "{}", text(&ok));
    assert!(text(&ok).contains("The signature is judged VALID"), "{}", text(&ok));
    let bad = run("pyhanko", &[&args[..], &["tampered.pdf"]].concat(), p);
    assert!(!bad.status.success(), "pyHanko accepted a tampered file: {}", text(&bad));

    let ades = ["sign", "adesverify", "--trust", "root.pem", "--trust-replace", "--no-revocation-check"];
    let ok = run("pyhanko", &[&ades[..], &["signed.pdf"]].concat(), p);
    // The AdES summary: `<field>:<hash>:INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED`.
    let summary = text(&ok);
    assert!(ok.status.success(), "{summary}");
    assert!(summary.contains(":INTACT:TRUSTED,TIMESTAMP_TOKEN<INTACT:TRUSTED>,UNTOUCHED"), "{summary}");
    let bad = run("pyhanko", &[&ades[..], &["tampered.pdf"]].concat(), p);
    assert!(!bad.status.success() && !text(&bad).contains(":INTACT:TRUSTED"), "{}", text(&bad));
}

#[test]
fn we_validate_a_pdf_signed_by_pyhanko_with_our_certificate() {
    if !pyhanko() {
        return;
    }
    let f = fixture();
    let p = f.dir.path();
    std::fs::write(p.join("pin.txt"), "1234").unwrap();
    let out = run(
        "pyhanko",
        &[
            "sign",
            "addsig",
            "--field",
            "PyHankoSig",
            "--use-pades",
            "pemder",
            "--key",
            "signer.key",
            "--cert",
            "signer.pem",
            "--chain",
            "issuing.pem",
            "--passfile",
            "pin.txt",
            "original.pdf",
            "theirs.pdf",
        ],
        p,
    );
    assert!(out.status.success(), "{}", text(&out));
    let theirs = std::fs::read(p.join("theirs.pdf")).unwrap();
    let report = verify_pdf(&SoftwareProvider, &theirs, &f.pki.trust()).unwrap();
    assert_eq!(report.indication, Indication::TotalPassed, "{report:#?}");
    assert_eq!(report.signatures[0].field_name, "PyHankoSig");
    let mut tampered = theirs.clone();
    let at = theirs.windows(7).position(|w| w == b"Pension").unwrap();
    tampered[at] ^= 0x20;
    let report = verify_pdf(&SoftwareProvider, &tampered, &f.pki.trust()).unwrap();
    assert_eq!(report.indication, Indication::TotalFailed, "{report:#?}");
}

#[test]
fn a_signature_shown_over_a_seal_mark_stands_where_asked_and_pyhanko_judges_it_valid() {
    let f = fixture();
    let chain = f.pki.chain();
    let signer = f.pki.party("Digitizing office", CertProfile::DocumentSigning).unwrap();
    let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
    let rect = [380.5, 700.0, 580.25, 790.0];
    let opts = PadesOptions { rect: Some(rect), ..Default::default() };
    let signed = sign_pdf(&minimal_pdf("Digitized paper"), &id, None, &opts).unwrap();
    let doc = lopdf::Document::load_mem(&signed).unwrap();
    let widget = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .find(|d| d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|n| n == b"Widget"))
        .unwrap();
    let got: Vec<f32> =
        widget.get(b"Rect").unwrap().as_array().unwrap().iter().map(|o| o.as_float().unwrap()).collect();
    assert_eq!(got, rect);
    if !pyhanko() {
        return;
    }
    let p = f.dir.path();
    std::fs::write(p.join("visible.pdf"), &signed).unwrap();
    let args =
        ["sign", "validate", "--trust", "root.pem", "--trust-replace", "--no-revocation-check", "--pretty-print"];
    let ok = run("pyhanko", &[&args[..], &["visible.pdf"]].concat(), p);
    assert!(text(&ok).contains("The signature is judged VALID"), "{}", text(&ok));
}
