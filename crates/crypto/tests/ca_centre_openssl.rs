//! The certification centre's CRL checked by OpenSSL: `openssl crl -verify`
//! accepts it against the chain, `openssl verify -crl_check` reports a revoked
//! certificate as revoked and a good one OK; issued certificates carry the CRL
//! distribution point. Skipped without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dossier_crypto::ca::{
    CertificationCentre, RevocationReason, Revoked, SubjectName, random_serial, serial_from_hex, serial_hex,
};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::x509::{CertProfile, to_pem};
use x509_cert::name::Name;

fn openssl(args: &[&str], dir: &Path) -> Output {
    Command::new("openssl").args(args).current_dir(dir).output().unwrap()
}

fn text(o: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

fn available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

fn centre() -> CertificationCentre {
    let root = SubjectName {
        country: "UA".into(),
        organization: Some("Пенсійний фонд України".into()),
        common_name: "Dossier Root CA".into(),
        ..Default::default()
    };
    let issuing = SubjectName { common_name: "Dossier Issuing CA".into(), ..root.clone() };
    CertificationCentre::init(Arc::new(SoftwareProvider), root.to_name().unwrap(), issuing.to_name().unwrap())
        .unwrap()
        .with_crl_url(Some("http://dossier.example/ca/crl".into()))
}

/// A key and a DER request made by OpenSSL.
fn openssl_csr(dir: &Path, name: &str, subj: &str) -> Vec<u8> {
    let key = format!("{name}.key");
    let csr = format!("{name}.csr");
    let o = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", &key], dir);
    assert!(o.status.success(), "{}", text(&o));
    let o = openssl(&["req", "-new", "-key", &key, "-subj", subj, "-outform", "DER", "-out", &csr], dir);
    assert!(o.status.success(), "{}", text(&o));
    std::fs::read(dir.join(csr)).unwrap()
}

#[test]
fn openssl_accepts_the_crl_and_sees_the_revoked_certificate_revoked() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let ca = centre();
    std::fs::write(p.join("root.pem"), to_pem(ca.root_certificate()).unwrap()).unwrap();
    std::fs::write(p.join("issuing.pem"), to_pem(ca.issuing_certificate()).unwrap()).unwrap();
    let chain = format!("{}{}", to_pem(ca.root_certificate()).unwrap(), to_pem(ca.issuing_certificate()).unwrap());
    std::fs::write(p.join("chain.pem"), chain).unwrap();

    let year = Duration::from_secs(365 * 86_400);
    let good_csr = openssl_csr(p, "good", "/CN=Fund document signing/O=Pension Fund of Ukraine/C=UA");
    let good = ca.issue(&good_csr, CertProfile::DocumentSigning, None, year, &random_serial().unwrap()).unwrap();
    std::fs::write(p.join("good.pem"), to_pem(&good).unwrap()).unwrap();
    // The centre names the subject from the registry, whatever the request says.
    let bad_csr = openssl_csr(p, "bad", "/CN=Anything I like/C=UA");
    let subject = Name::from_str("CN=Petro Shevchuk,serialNumber=TINUA-1759013776,C=UA").unwrap();
    let bad = ca.issue(&bad_csr, CertProfile::QesIdCard, Some(subject), year, &random_serial().unwrap()).unwrap();
    std::fs::write(p.join("bad.pem"), to_pem(&bad).unwrap()).unwrap();

    let shown = text(&openssl(&["x509", "-in", "bad.pem", "-noout", "-text"], p));
    assert!(
        shown.contains("CRL Distribution Points") && shown.contains("URI:http://dossier.example/ca/crl"),
        "{shown}"
    );
    assert!(shown.contains("TINUA-1759013776") && !shown.contains("Anything I like"), "{shown}");

    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let revoked = [Revoked {
        serial: serial_from_hex(&serial_hex(&bad)).unwrap(),
        at: now - Duration::from_secs(60),
        reason: RevocationReason::KeyCompromise,
    }];
    let crl = ca.crl(&revoked, now - Duration::from_secs(30), now + day, 7).unwrap();
    std::fs::write(p.join("crl.der"), &crl).unwrap();

    // Signature, issuer and extensions as OpenSSL reads them.
    let v = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "chain.pem", "-noout", "-verify"], p);
    assert!(v.status.success() && text(&v).contains("verify OK"), "{}", text(&v));
    let shown = text(&openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], p));
    assert!(shown.contains("Version 2"), "{shown}");
    assert!(shown.contains("X509v3 CRL Number") && shown.contains("X509v3 Authority Key Identifier"), "{shown}");
    assert!(shown.contains("Key Compromise"), "{shown}");
    assert!(shown.to_lowercase().contains(&serial_hex(&bad)), "{shown}");

    // The revoked certificate is reported revoked, the good one OK.
    let o = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-out", "crl.pem"], p);
    assert!(o.status.success(), "{}", text(&o));
    let check = |leaf: &str| {
        openssl(
            &[
                "verify",
                "-x509_strict",
                "-crl_check",
                "-CAfile",
                "root.pem",
                "-untrusted",
                "issuing.pem",
                "-CRLfile",
                "crl.pem",
                leaf,
            ],
            p,
        )
    };
    let g = check("good.pem");
    assert!(g.status.success() && text(&g).contains("good.pem: OK"), "{}", text(&g));
    let b = check("bad.pem");
    assert!(!b.status.success() && text(&b).contains("certificate revoked"), "{}", text(&b));

    // A CRL with one byte changed no longer verifies.
    let mut tampered = crl.clone();
    let i = tampered.len() / 2;
    tampered[i] ^= 0x01;
    std::fs::write(p.join("tampered.der"), &tampered).unwrap();
    let t = openssl(&["crl", "-inform", "DER", "-in", "tampered.der", "-CAfile", "chain.pem", "-noout", "-verify"], p);
    assert!(!text(&t).contains("verify OK"), "{}", text(&t));
}

#[test]
fn an_empty_crl_verifies_and_lists_nothing() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let ca = centre();
    let chain = format!("{}{}", to_pem(ca.root_certificate()).unwrap(), to_pem(ca.issuing_certificate()).unwrap());
    std::fs::write(p.join("chain.pem"), chain).unwrap();
    let now = SystemTime::now();
    let crl = ca.crl(&[], now, now + Duration::from_secs(86_400), 1).unwrap();
    std::fs::write(p.join("crl.der"), &crl).unwrap();
    let v =
        openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "chain.pem", "-noout", "-verify", "-text"], p);
    assert!(v.status.success() && text(&v).contains("verify OK"), "{}", text(&v));
    assert!(text(&v).contains("No Revoked Certificates"), "{}", text(&v));
}
