//! ECDSA on P-521 from OpenSSL: a P-521 root certifies a P-521 signer
//! (ecdsa-with-SHA512), which signs CMS with SHA-512 and SHA-256; Dossier
//! verifies the chain and the signatures, refuses altered content, and its
//! centre checks a P-521 key's request. Dossier itself signs on P-256/P-384
//! only. Skipped without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use der::Decode;
use dossier_crypto::signed::{VerifyInput, verify};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::validation::{Indication, RevocationPolicy, TrustContext, pem_or_der};
use x509_cert::Certificate;

fn available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

fn run(args: &[&str], dir: &Path) -> Output {
    let out = Command::new("openssl").args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "openssl {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn cert(path: &Path) -> Certificate {
    Certificate::from_der(&pem_or_der(&std::fs::read(path).unwrap(), "CERTIFICATE").unwrap()).unwrap()
}

#[test]
fn p521_chains_and_signatures_from_openssl_verify() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("signer.ext"), "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n")
        .unwrap();
    #[rustfmt::skip]
    let steps: &[&[&str]] = &[
        &["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-nodes", "-keyout", "root.key",
          "-out", "root.pem", "-days", "30", "-sha512", "-subj", "/CN=P-521 Root",
          "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        &["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-521", "-nodes", "-keyout", "signer.key",
          "-out", "signer.csr", "-sha512", "-subj", "/CN=P-521 Signer"],
        &["x509", "-req", "-in", "signer.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
          "-days", "30", "-sha512", "-extfile", "signer.ext", "-out", "signer.pem"],
    ];
    for args in steps {
        run(args, p);
    }
    let trust = TrustContext {
        anchors: vec![cert(&p.join("root.pem"))],
        revocation: RevocationPolicy::Skip,
        ..TrustContext::default()
    };
    std::fs::write(p.join("data.txt"), b"pension record from another fund").unwrap();
    for md in ["sha512", "sha256"] {
        #[rustfmt::skip]
        run(&["cms", "-sign", "-binary", "-nodetach", "-in", "data.txt", "-signer", "signer.pem", "-inkey",
              "signer.key", "-md", md, "-outform", "DER", "-out", "signed.der"], p);
        let mut signed = std::fs::read(p.join("signed.der")).unwrap();
        let v = verify(&SoftwareProvider, &signed, &VerifyInput::attached(), &trust);
        assert_eq!(v.report.indication, Indication::TotalPassed, "{md}: {:?}", v.report);
        let at = signed.windows(7).position(|w| w == b"pension").unwrap();
        signed[at] ^= 0x20;
        let v = verify(&SoftwareProvider, &signed, &VerifyInput::attached(), &trust);
        assert_eq!(v.report.indication, Indication::TotalFailed, "{md} altered: {:?}", v.report);
    }

    // The centre checks the proof of possession of a P-521 key's request.
    let csr = std::fs::read(p.join("signer.csr")).unwrap();
    let req = dossier_crypto::x509::verify_request(&SoftwareProvider, &csr).unwrap();
    assert!(!req.public_key_der.is_empty());
    let mut der = pem_or_der(&csr, "CERTIFICATE REQUEST").unwrap();
    let last = der.len() - 3;
    der[last] ^= 0x01;
    assert!(dossier_crypto::x509::verify_request(&SoftwareProvider, &der).is_err(), "a broken proof is refused");
}
