//! The certification centre checked by OpenSSL: our chain passes
//! `openssl verify -x509_strict`; a CSR made by `openssl req` is accepted and a
//! CSR with an altered signature refused; the CA, not the request, decides the
//! extensions. Skipped without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::Command;
use std::str::FromStr;
use std::time::Duration;

use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::x509::{CertProfile, issue, to_pem, verify_request};
use dossier_crypto::{Algorithm, CryptoError, KeyPair};
use x509_cert::name::Name;

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("openssl").args(args).current_dir(dir).output().unwrap()
}

fn available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

const YEAR: u64 = 365 * 86_400;

#[test]
fn chain_from_an_openssl_csr_passes_strict_verification() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let root_key = SoftwareKey::generate(Algorithm::EcP384).unwrap();
    let root_name = Name::from_str("CN=Dossier Root CA,O=Pension Fund of Ukraine,C=UA").unwrap();
    let root = issue(
        &root_key,
        None,
        root_name.clone(),
        &root_key.public_key_der(),
        CertProfile::RootCa,
        Duration::from_secs(20 * YEAR),
    )
    .unwrap();
    let ca_key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
    let ca_name = Name::from_str("CN=Dossier Issuing CA,O=Pension Fund of Ukraine,C=UA").unwrap();
    let ca = issue(
        &root_key,
        Some(&root_name),
        ca_name.clone(),
        &ca_key.public_key_der(),
        CertProfile::IssuingCa,
        Duration::from_secs(10 * YEAR),
    )
    .unwrap();
    std::fs::write(p.join("root.pem"), to_pem(&root).unwrap()).unwrap();
    std::fs::write(p.join("ca.pem"), to_pem(&ca).unwrap()).unwrap();

    // A citizen's request made by OpenSSL, asking (in vain) to be a CA.
    assert!(
        openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "citizen.key"], p)
            .status
            .success()
    );
    let out = openssl(
        &[
            "req",
            "-new",
            "-key",
            "citizen.key",
            "-subj",
            "/CN=Petro Shevchuk/serialNumber=TINUA-1759013776/C=UA",
            "-addext",
            "basicConstraints=critical,CA:TRUE",
            "-addext",
            "keyUsage=keyCertSign",
            "-outform",
            "DER",
            "-out",
            "req.der",
        ],
        p,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let csr = std::fs::read(p.join("req.der")).unwrap();
    let req = verify_request(&SoftwareProvider, &csr).unwrap();
    let leaf = issue(
        &ca_key,
        Some(&ca_name),
        req.subject,
        &req.public_key_der,
        CertProfile::QesIdCard,
        Duration::from_secs(2 * YEAR),
    )
    .unwrap();
    std::fs::write(p.join("leaf.pem"), to_pem(&leaf).unwrap()).unwrap();

    let v = openssl(&["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "ca.pem", "leaf.pem"], p);
    assert!(
        v.status.success() && String::from_utf8_lossy(&v.stdout).contains("leaf.pem: OK"),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );

    let text = String::from_utf8_lossy(&openssl(&["x509", "-in", "leaf.pem", "-noout", "-text"], p).stdout).to_string();
    assert!(text.contains("CA:FALSE"), "the CA decides basic constraints:\n{text}");
    assert!(text.contains("Non Repudiation") && !text.contains("Certificate Sign"), "{text}");
    assert!(text.contains("1.3.6.1.5.5.7.1.3") || text.contains("qcStatements"), "QES carries QCStatements:\n{text}");

    // The same request with one byte of its signature changed is refused.
    let mut bad = csr.clone();
    let last = bad.len() - 1;
    bad[last] ^= 0x01;
    assert!(matches!(
        verify_request(&SoftwareProvider, &bad),
        Err(CryptoError::BadSignature | CryptoError::Malformed { .. })
    ));
}

#[test]
fn profiles_refuse_validity_beyond_their_maximum() {
    let key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
    let name = Name::from_str("CN=x").unwrap();
    let r = issue(
        &key,
        Some(&name),
        name.clone(),
        &key.public_key_der(),
        CertProfile::QesIdCard,
        Duration::from_secs(3 * YEAR),
    );
    assert!(r.is_err(), "a QES certificate is valid for 2 years at most");
    let r = issue(
        &key,
        Some(&name),
        name.clone(),
        &key.public_key_der(),
        CertProfile::CardKey,
        Duration::from_secs(4 * YEAR),
    );
    assert!(r.is_err(), "card keys live at most 3 years");
}

#[test]
fn garbage_requests_are_refused_cleanly() {
    for input in [
        &b""[..],
        b"0",
        b"-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----\n",
        &[0x30, 0x82, 0xff, 0xff][..],
    ] {
        assert!(verify_request(&SoftwareProvider, input).is_err());
    }
}

/// §IV.6: a chip's key reaches the centre only as a self-signed request, which proves the
/// requester holds the private key without showing it. A request naming one key but signed by
/// another proves nothing and is refused; the key the centre takes from a request is the one
/// OpenSSL generated.
#[test]
fn iv_6_keys_are_certified_only_from_a_self_signed_request_proving_possession() {
    use x509_cert::der::{Decode, Encode};
    use x509_cert::request::CertReq;
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let request = |name: &str| {
        let key = format!("{name}.key");
        assert!(
            openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &key], p)
                .status
                .success()
        );
        let der = format!("{name}.der");
        let out = openssl(&["req", "-new", "-key", &key, "-subj", "/CN=chip", "-outform", "DER", "-out", &der], p);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let public = openssl(&["pkey", "-in", &key, "-pubout", "-outform", "DER"], p);
        (std::fs::read(p.join(der)).unwrap(), public.stdout)
    };
    let (a, a_public) = request("chip-1");
    let (b, _) = request("chip-2");
    assert_eq!(verify_request(&SoftwareProvider, &a).unwrap().public_key_der, a_public);

    // Key 1's request with key 2's signature: whoever sent it has not shown they hold key 1.
    let mut forged = CertReq::from_der(&a).unwrap();
    let other = CertReq::from_der(&b).unwrap();
    forged.signature = other.signature;
    let forged = forged.to_der().unwrap();
    assert!(matches!(verify_request(&SoftwareProvider, &forged), Err(CryptoError::BadSignature)));
    // A bare public key is not a request.
    assert!(verify_request(&SoftwareProvider, &a_public).is_err());
}

/// `openssl req` signs a P-384 key's request with SHA-256 unless told
/// otherwise: the centre checks the digest the request names. SHA-1 is
/// refused with the rule named, never as "possession not proven".
#[test]
fn requests_are_checked_with_the_digest_they_name() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    #[rustfmt::skip]
    let key = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out", "k.pem"], p);
    assert!(key.status.success());
    for digest in ["-sha256", "-sha384", "-sha512", "-sha1"] {
        #[rustfmt::skip]
        let out = openssl(&["req", "-new", "-key", "k.pem", "-subj", "/CN=Card key", digest, "-outform", "DER", "-out", "r.der"], p);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let req = std::fs::read(p.join("r.der")).unwrap();
        let verified = verify_request(&SoftwareProvider, &req);
        if digest == "-sha1" {
            assert!(matches!(verified, Err(CryptoError::WeakAlgorithm { .. })), "{verified:?}");
        } else {
            assert!(verified.is_ok(), "{digest}: {verified:?}");
        }
    }
}
