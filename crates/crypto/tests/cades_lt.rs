//! CAdES B-LT: a B-T message whose chain and CRL are stored in its own
//! `certificates` and `crls` fields validates two years on — after every
//! certificate in it has expired — from that data alone; OpenSSL's
//! `cms -verify -crl_check` takes the stored CRL too. Skipped without
//! `openssl`, failed under CI=true.
use std::process::Command;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use der::Encode;
use dossier_crypto::KeyPair;
use dossier_crypto::ca::CertificationCentre;
use dossier_crypto::signed::{
    SignOptions, SigningIdentity, VerifyInput, add_signature_timestamp, add_validation_data, sign, verify,
};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{Indication, RevocationPolicy, TrustContext};
use dossier_crypto::x509::{CertProfile, to_pem};
use x509_cert::name::Name;

#[test]
fn a_b_lt_message_validates_from_its_own_data_after_its_certificates_expired() {
    let ca = CertificationCentre::init(
        Arc::new(SoftwareProvider),
        Name::from_str("CN=Root,C=UA").unwrap(),
        Name::from_str("CN=Issuing,C=UA").unwrap(),
    )
    .unwrap();
    let party = |cn, profile| dossier_crypto::testing::centre_party(&ca, cn, profile).unwrap();
    let (key, cert) = party("Olena Petrenko", CertProfile::DocumentSigning);
    let (tsa_key, tsa_cert) = party("Dossier TSA", CertProfile::TimeStamping);
    let issuing = ca.issuing_certificate().clone();
    let tsa = TimeStampAuthority::new(Box::new(tsa_key), tsa_cert, vec![issuing.clone()]);
    let id = SigningIdentity { key: &key as &dyn KeyPair, certificate: &cert, chain: &[] };
    let content = b"pension record 2026";
    let b_t = add_signature_timestamp(&sign(&id, content, &SignOptions::default()).unwrap(), &tsa).unwrap();

    std::thread::sleep(Duration::from_millis(1100)); // genTime and thisUpdate are whole seconds
    let now = SystemTime::now();
    let crl = ca.crl(&[], now, now + Duration::from_secs(86_400), 1).unwrap();
    let issuing_der = issuing.to_der().unwrap();
    let b_lt = add_validation_data(&b_t, std::slice::from_ref(&issuing_der), std::slice::from_ref(&crl)).unwrap();
    let again = add_validation_data(&b_lt, std::slice::from_ref(&issuing_der), std::slice::from_ref(&crl)).unwrap();
    assert_eq!(again, b_lt, "what is there is not added twice");

    let at = |t| TrustContext {
        anchors: vec![ca.root_certificate().clone()],
        revocation: RevocationPolicy::Require,
        at: Some(t),
        ..TrustContext::default()
    };
    let later = now + Duration::from_secs(2 * 365 * 86_400);
    for (when, name) in [(now, "now"), (later, "two years on")] {
        let v = verify(&SoftwareProvider, &b_lt, &VerifyInput::attached(), &at(when));
        assert_eq!(v.report.indication, Indication::TotalPassed, "{name}: {:#?}", v.report);
        assert_eq!(v.content.as_deref(), Some(&content[..]));
    }
    let v = verify(&SoftwareProvider, &b_t, &VerifyInput::attached(), &at(later));
    assert_ne!(v.report.indication, Indication::TotalPassed, "B-T alone, two years on: {:#?}", v.report);

    let openssl = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !openssl && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    if openssl {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("root.pem"), to_pem(ca.root_certificate()).unwrap()).unwrap();
        std::fs::write(p.join("lt.der"), &b_lt).unwrap();
        std::fs::write(p.join("t.der"), &b_t).unwrap();
        let check = |file: &str| {
            #[rustfmt::skip]
            let out = Command::new("openssl").current_dir(p).args([
                "cms", "-verify", "-crl_check", "-binary", "-inform", "DER", "-in", file, "-CAfile", "root.pem",
                "-out", "/dev/null",
            ]).output().unwrap();
            (out.status.success(), String::from_utf8_lossy(&out.stderr).into_owned())
        };
        let (ok, err) = check("lt.der");
        assert!(ok, "OpenSSL with the CRL the message carries: {err}");
        let (ok, _) = check("t.der");
        assert!(!ok, "without it OpenSSL cannot check the signer's status either");
    }
}
