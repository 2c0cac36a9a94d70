//! A sharing package checked with tools we did not write (issue 4): OpenSSL
//! decrypts both parts with the branch's key (`openssl cms -decrypt`),
//! verifies the hub's signatures inside (`openssl cms -verify` against the
//! CA root) and gets back the exact PDF and metadata; pyHanko judges the
//! PAdES copy VALID; another fund's key opens nothing. Skipped without the
//! tools, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use dossier_crypto::container::PinContainer;
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::signed::SigningIdentity;
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::testing::TestPki;
use dossier_crypto::x509::{CertProfile, to_pem};
use dossier_domain::sharing::DocumentType;
use dossier_server::sharing::package::seal;
use dossier_server::sharing::wire::{Metadata, Recipient};
use x509_cert::Certificate;

fn tool(name: &str, args: &[&str]) -> bool {
    let ok = Command::new(name).args(args).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the {name} command is missing");
    }
    if !ok {
        eprintln!("skipping: no {name} command");
    }
    ok
}

fn run(cmd: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(cmd).args(args).current_dir(dir).output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Writes the certificate and its key as PKCS#8 PEM for OpenSSL (through a
/// PIN container: the crate never exports bare keys).
fn export(dir: &Path, name: &str, cert: &Certificate, key: &SoftwareKey) {
    std::fs::write(dir.join(format!("{name}.pem")), to_pem(cert).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(key, "1234", 3, 1000).unwrap();
    std::fs::write(dir.join(format!("{name}.sealed")), &sealed.encrypted_pkcs8_pem).unwrap();
    let out = run(
        "openssl",
        &["pkey", "-in", &format!("{name}.sealed"), "-passin", "pass:1234", "-out", &format!("{name}.key")],
        dir,
    );
    assert!(out.status.success(), "{}", text(&out));
}

fn metadata() -> Metadata {
    let mut data = serde_json::Map::new();
    data.insert(
        "taxpayer-card".into(),
        serde_json::json!({"creationDate": "01.02.2003", "docNumber": "1759013776", "lastNameUA": "Шевченко",
            "firstNameUA": "Тарас", "middleNameUA": "Григорович", "birthday": "28.02.1948"}),
    );
    Metadata {
        request_id: "0193a5d0-7c1e-7000-8000-000000000042".into(),
        barcode: "1213187292345".into(),
        document_types: vec![DocumentType::TaxpayerCard],
        data,
        recipient: Recipient {
            acquirer_id: "pfu".into(),
            acquirer_name: "Пенсійний фонд України".into(),
            branch_id: "branch-1".into(),
            branch_name: "Сервісний центр № 1".into(),
        },
        formed_at: "2026-11-21T10:00:00Z".into(),
        formed_at_local: "21.11.2026 12:00:00".into(),
        consent: None,
    }
}

#[test]
fn openssl_opens_a_package_with_the_branch_key_and_pyhanko_accepts_the_copy() {
    if !tool("openssl", &["version"]) {
        return;
    }
    let pki = TestPki::new().unwrap();
    let hub = pki.party("Dossier hub", CertProfile::DocumentSigning).unwrap();
    let branch = pki.party("Branch 1", CertProfile::AgencyEncryption).unwrap();
    let other = pki.party("Another fund", CertProfile::AgencyEncryption).unwrap();
    let chain = pki.chain();
    let id = SigningIdentity { key: &hub.key, certificate: &hub.certificate, chain: &chain };
    let pdf = sign_pdf(&minimal_pdf("Копія документа"), &id, None, &PadesOptions::default()).unwrap();
    let meta = metadata();
    let package = seal(&id, &branch.certificate, &pdf, &meta).unwrap();

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    export(p, "branch", &branch.certificate, &branch.key);
    export(p, "other", &other.certificate, &other.key);
    std::fs::write(p.join("root.pem"), to_pem(&pki.root.certificate).unwrap()).unwrap();
    std::fs::write(p.join(&package.file_name), &package.file).unwrap();
    std::fs::write(p.join("metadata.json.p7s.p7e"), &package.metadata).unwrap();

    for (sealed, signed, plain) in
        [(package.file_name.as_str(), "doc.pdf.p7s", "doc.pdf"), ("metadata.json.p7s.p7e", "meta.p7s", "meta.json")]
    {
        let dec = ["cms", "-decrypt", "-inform", "DER", "-in", sealed, "-recip", "branch.pem", "-inkey", "branch.key"];
        let out = run("openssl", &[&dec[..], &["-out", signed]].concat(), p);
        assert!(out.status.success(), "openssl cms -decrypt: {}", text(&out));
        let verify = ["cms", "-verify", "-inform", "DER", "-in", signed, "-CAfile", "root.pem", "-purpose", "any"];
        let out = run("openssl", &[&verify[..], &["-out", plain]].concat(), p);
        assert!(out.status.success(), "openssl cms -verify: {}", text(&out));
        assert!(text(&out).contains("Verification successful"), "{}", text(&out));

        // Another fund's key opens nothing.
        let dec = ["cms", "-decrypt", "-inform", "DER", "-in", sealed, "-recip", "other.pem", "-inkey", "other.key"];
        let out = run("openssl", &[&dec[..], &["-out", "stolen"]].concat(), p);
        assert!(!out.status.success(), "another fund's key decrypted the package");
    }
    assert_eq!(std::fs::read(p.join("doc.pdf")).unwrap(), pdf);
    let json: Metadata = serde_json::from_slice(&std::fs::read(p.join("meta.json")).unwrap()).unwrap();
    assert_eq!(json, meta);

    if tool("pyhanko", &["--version"]) {
        let args = [
            "sign",
            "validate",
            "--trust",
            "root.pem",
            "--trust-replace",
            "--no-revocation-check",
            "--pretty-print",
            "doc.pdf",
        ];
        let out = run("pyhanko", &args, p);
        assert!(out.status.success() && text(&out).contains("judged VALID"), "{}", text(&out));
    }
}
