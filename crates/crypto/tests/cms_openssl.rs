//! CMS SignedData and RFC 3161 time-stamps checked by OpenSSL in both
//! directions: `openssl cms -verify` accepts what Dossier signs, Dossier
//! accepts what `openssl cms -sign` makes with Dossier's certificates, and
//! `openssl ts -verify` accepts Dossier's TSA responses. Tampering fails on
//! both sides. Skipped without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use dossier_crypto::container::PinContainer;
use dossier_crypto::signed::{SignOptions, SigningIdentity, VerifyInput, sign, verify};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::{Party, TestPki};
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{Indication, SubIndication};
use dossier_crypto::x509::{CertProfile, to_pem};

fn available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

fn openssl(args: &[&str], dir: &Path) -> Output {
    Command::new("openssl").args(args).current_dir(dir).output().unwrap()
}

/// Writes the PKI and a party's certificate and (PIN-encrypted) key for OpenSSL.
fn write_party(pki: &TestPki, party: &Party, dir: &Path) {
    std::fs::write(dir.join("root.pem"), to_pem(&pki.root.certificate).unwrap()).unwrap();
    std::fs::write(dir.join("issuing.pem"), to_pem(&pki.issuing.certificate).unwrap()).unwrap();
    std::fs::write(dir.join("cert.pem"), to_pem(&party.certificate).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(&party.key, "1234", 3, 1000).unwrap();
    std::fs::write(dir.join("key.pem"), &sealed.encrypted_pkcs8_pem).unwrap();
}

fn ours(pki: &TestPki, party: &Party, content: &[u8], detached: bool) -> Vec<u8> {
    let chain = pki.chain();
    let id = SigningIdentity { key: &party.key, certificate: &party.certificate, chain: &chain };
    sign(&id, content, &SignOptions { detached, ..SignOptions::default() }).unwrap()
}

#[test]
fn openssl_verifies_our_attached_and_detached_signatures_and_refuses_tampering() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let party = pki.party("Hub Signer", CertProfile::DocumentSigning).unwrap();
    write_party(&pki, &party, p);
    let content = b"{\"requestId\":\"r-1\",\"documentType\":\"id-card\"}";
    std::fs::write(p.join("data.json"), content).unwrap();

    std::fs::write(p.join("attached.der"), ours(&pki, &party, content, false)).unwrap();
    let out = openssl(
        &["cms", "-verify", "-binary", "-inform", "DER", "-in", "attached.der", "-CAfile", "root.pem", "-out", "got"],
        p,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(p.join("got")).unwrap(), content);

    std::fs::write(p.join("detached.der"), ours(&pki, &party, content, true)).unwrap();
    let detached = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "detached.der", "-content", "data.json"];
    let out = openssl(&[&detached[..], &["-CAfile", "root.pem", "-out", "/dev/null"]].concat(), p);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut tampered = content.to_vec();
    tampered[3] ^= 1;
    std::fs::write(p.join("data.json"), &tampered).unwrap();
    let out = openssl(&[&detached[..], &["-CAfile", "root.pem", "-out", "/dev/null"]].concat(), p);
    assert!(!out.status.success(), "OpenSSL accepted tampered content");
}

#[test]
fn we_verify_openssl_signatures_made_with_our_certificates() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let party = pki.party("Citizen Signer", CertProfile::QesIdCard).unwrap();
    write_party(&pki, &party, p);
    let content = b"consent: request r-7, acquirer PFU, branch 26101";
    std::fs::write(p.join("data.txt"), content).unwrap();
    let sign_args = |extra: &[&str], out: &str| {
        let base = [
            "cms",
            "-sign",
            "-binary",
            "-cades",
            "-in",
            "data.txt",
            "-signer",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-passin",
            "pass:1234",
            "-certfile",
            "issuing.pem",
            "-outform",
            "DER",
            "-md",
            "sha256",
            "-out",
        ];
        let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        v.push(out.into());
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    for (extra, name) in [(&["-nodetach"][..], "attached.der"), (&[][..], "detached.der")] {
        let args = sign_args(extra, name);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = openssl(&refs, p);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let trust = pki.trust();
    let attached = std::fs::read(p.join("attached.der")).unwrap();
    let v = verify(&SoftwareProvider, &attached, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
    assert_eq!(v.content.as_deref(), Some(&content[..]));
    assert!(v.report.checks.iter().any(|c| c.code == "signing_certificate"));

    let detached = std::fs::read(p.join("detached.der")).unwrap();
    let v = verify(&SoftwareProvider, &detached, &VerifyInput::detached(&[content]), &trust);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
    let v = verify(&SoftwareProvider, &detached, &VerifyInput::detached(&[b"consent: request r-8"]), &trust);
    assert_eq!(v.report.indication, Indication::TotalFailed);
    assert_eq!(v.report.sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn openssl_ts_verifies_our_time_stamp_responses() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let tsu = pki.party("Dossier Time-Stamping Unit", CertProfile::TimeStamping).unwrap();
    write_party(&pki, &tsu, p);
    let tsa = TimeStampAuthority::new(Box::new(tsu.key), tsu.certificate, pki.chain());
    std::fs::write(p.join("doc.pdf"), b"%PDF-1.7 pretend").unwrap();
    let q = openssl(&["ts", "-query", "-data", "doc.pdf", "-sha256", "-cert", "-out", "req.tsq"], p);
    assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stderr));
    let response = tsa.respond(&std::fs::read(p.join("req.tsq")).unwrap());
    std::fs::write(p.join("resp.tsr"), response).unwrap();
    let v = openssl(
        &["ts", "-verify", "-data", "doc.pdf", "-in", "resp.tsr", "-CAfile", "root.pem", "-untrusted", "issuing.pem"],
        p,
    );
    assert!(
        String::from_utf8_lossy(&v.stdout).contains("Verification: OK"),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    std::fs::write(p.join("doc.pdf"), b"%PDF-1.7 pretenD").unwrap();
    let v = openssl(
        &["ts", "-verify", "-data", "doc.pdf", "-in", "resp.tsr", "-CAfile", "root.pem", "-untrusted", "issuing.pem"],
        p,
    );
    assert!(!String::from_utf8_lossy(&v.stdout).contains("Verification: OK"));
    // A request that is not DER gets a rejection, not silence.
    let rejected = tsa.respond(b"not a request");
    assert!(!rejected.is_empty());
}
