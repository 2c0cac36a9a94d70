//! RSA, as other CAs and signers use it: a chain made by OpenSSL with RSA
//! keys (root and signer), messages signed by `openssl cms -sign` with
//! PKCS#1 v1.5 and with PSS, and a PDF signed by pyHanko with the RSA key —
//! all valid here as they are for OpenSSL and pyHanko; a 1024-bit key and a
//! SHA-1 signature are refused naming the rule. Skipped without the tools,
//! failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use der::Decode;
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::pades::validate::verify_pdf;
use dossier_crypto::signed::{VerifyInput, verify};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::validation::{Indication, RevocationPolicy, SubIndication, TrustContext, pem_or_der};
use x509_cert::Certificate;

fn tool(name: &str, probe: &[&str]) -> bool {
    let ok = Command::new(name).args(probe).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but `{name}` is missing");
    }
    ok
}

fn run(cmd: &str, args: &[&str], dir: &Path) -> Output {
    let out = Command::new(cmd).args(args).current_dir(dir).output().unwrap();
    assert!(out.status.success(), "{cmd} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    out
}

fn cert(path: &Path) -> Certificate {
    Certificate::from_der(&pem_or_der(&std::fs::read(path).unwrap(), "CERTIFICATE").unwrap()).unwrap()
}

/// An RSA root and an RSA signer of `bits` bits, made by OpenSSL in `dir`.
fn rsa_pki(dir: &Path, bits: &str) -> TrustContext {
    std::fs::write(
        dir.join("signer.ext"),
        "basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\n",
    )
    .unwrap();
    #[rustfmt::skip]
    let steps: &[&[&str]] = &[
        &["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "root.key", "-out", "root.pem", "-days", "30",
          "-subj", "/CN=RSA Test Root", "-addext", "basicConstraints=critical,CA:TRUE",
          "-addext", "keyUsage=critical,keyCertSign,cRLSign"],
        &["req", "-newkey", &format!("rsa:{bits}"), "-nodes", "-keyout", "signer.key", "-out", "signer.csr",
          "-subj", "/CN=RSA Signer"],
        &["x509", "-req", "-in", "signer.csr", "-CA", "root.pem", "-CAkey", "root.key", "-CAcreateserial",
          "-days", "30", "-sha256", "-extfile", "signer.ext", "-out", "signer.pem"],
    ];
    for args in steps {
        run("openssl", args, dir);
    }
    TrustContext {
        anchors: vec![cert(&dir.join("root.pem"))],
        revocation: RevocationPolicy::Skip,
        ..TrustContext::default()
    }
}

fn cms_sign(dir: &Path, extra: &[&str]) -> Vec<u8> {
    #[rustfmt::skip]
    let mut args = vec!["cms", "-sign", "-binary", "-nodetach", "-in", "data.txt", "-signer", "signer.pem",
        "-inkey", "signer.key", "-outform", "DER", "-out", "signed.der"];
    args.extend_from_slice(extra);
    run("openssl", &args, dir);
    std::fs::read(dir.join("signed.der")).unwrap()
}

#[test]
fn rsa_signatures_from_openssl_verify_pkcs1_and_pss() {
    if !tool("openssl", &["version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let trust = rsa_pki(p, "2048");
    std::fs::write(p.join("data.txt"), b"statement from another agency").unwrap();
    for (name, extra) in [
        ("PKCS#1 v1.5 SHA-256", &["-md", "sha256"][..]),
        ("PKCS#1 v1.5 SHA-512", &["-md", "sha512"][..]),
        ("PSS SHA-256", &["-md", "sha256", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest"][..]),
        ("PSS SHA-384", &["-md", "sha384", "-keyopt", "rsa_padding_mode:pss", "-keyopt", "rsa_pss_saltlen:digest"][..]),
    ] {
        let v = verify(&SoftwareProvider, &cms_sign(p, extra), &VerifyInput::attached(), &trust);
        assert_eq!(v.report.indication, Indication::TotalPassed, "{name}: {:?}", v.report);
    }
    // PSS is verified with the salt as long as the hash (RFC 4055's and ETSI TS 119 312's
    // choice, and the only one ring checks); OpenSSL's default, the longest salt, cannot
    // be confirmed: INDETERMINATE, never valid, never called forged.
    let longest = &["-md", "sha256", "-keyopt", "rsa_padding_mode:pss"][..];
    let v = verify(&SoftwareProvider, &cms_sign(p, longest), &VerifyInput::attached(), &trust);
    assert_eq!(v.report.sub_indication, Some(SubIndication::CryptoConstraintsFailure), "{:?}", v.report);
    // Altered content fails as it should.
    let mut signed = cms_sign(p, &["-md", "sha256"]);
    let at = signed.windows(9).position(|w| w == b"statement").unwrap();
    signed[at] ^= 0x20;
    let v = verify(&SoftwareProvider, &signed, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.indication, Indication::TotalFailed, "{:?}", v.report);
}

#[test]
fn short_rsa_keys_and_sha1_are_refused_naming_the_rule() {
    if !tool("openssl", &["version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let trust = rsa_pki(p, "1024");
    std::fs::write(p.join("data.txt"), b"statement").unwrap();
    let v = verify(&SoftwareProvider, &cms_sign(p, &["-md", "sha256"]), &VerifyInput::attached(), &trust);
    assert_eq!(v.report.sub_indication, Some(SubIndication::CryptoConstraintsFailure), "{:?}", v.report);
    assert!(v.report.checks.iter().any(|c| c.detail.contains("2048")), "{:?}", v.report);

    let trust = rsa_pki(p, "2048");
    let v = verify(&SoftwareProvider, &cms_sign(p, &["-md", "sha1"]), &VerifyInput::attached(), &trust);
    assert_ne!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
}

#[test]
fn a_pdf_signed_by_pyhanko_with_an_rsa_key_is_valid() {
    if !tool("openssl", &["version"]) || !tool("pyhanko", &["--version"]) {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let trust = rsa_pki(p, "2048");
    std::fs::write(p.join("in.pdf"), minimal_pdf("Pension record")).unwrap();
    #[rustfmt::skip]
    run("pyhanko", &["sign", "addsig", "--field", "Signature1", "pemder", "--key", "signer.key", "--cert",
        "signer.pem", "--no-pass", "in.pdf", "out.pdf"], p);
    let pdf = std::fs::read(p.join("out.pdf")).unwrap();
    let report = verify_pdf(&SoftwareProvider, &pdf, &trust).unwrap();
    assert_eq!(report.indication, Indication::TotalPassed, "{report:#?}");
}
