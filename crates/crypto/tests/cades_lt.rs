//! CAdES B-LT: a B-T message whose chain and CRL are stored in its own
//! `certificates` and `crls` fields validates two years on — after every
//! certificate in it has expired — from that data alone; OpenSSL's
//! `cms -verify -crl_check` takes the stored CRL too. Skipped without
//! `openssl`, failed under CI=true.
use std::process::Command;
use std::str::FromStr;
use std::time::{Duration, SystemTime};

use der::Encode;
use dossier_crypto::signed::{SignOptions, VerifyInput, add_signature_timestamp, add_validation_data, sign, verify};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::CentreSetup;
use dossier_crypto::validation::{Indication, RevocationPolicy, TrustContext};
use dossier_crypto::x509::to_pem;
use x509_cert::name::Name;

#[test]
fn a_b_lt_message_validates_from_its_own_data_after_its_certificates_expired() {
    let setup = CentreSetup::new().unwrap();
    let (ca, tsa, id) = (&setup.ca, &setup.tsa, setup.signer());
    let issuing = ca.issuing_certificate().clone();
    let content = b"pension record 2026";
    let b_t = add_signature_timestamp(&sign(&id, content, &SignOptions::default()).unwrap(), tsa).unwrap();

    std::thread::sleep(Duration::from_millis(1100)); // genTime and thisUpdate are whole seconds
    let now = SystemTime::now();
    let crl = ca.crl(&[], now, now + Duration::from_secs(86_400), 1).unwrap();
    let issuing_der = issuing.to_der().unwrap();
    let b_lt = add_validation_data(&b_t, std::slice::from_ref(&issuing_der), std::slice::from_ref(&crl), &[]).unwrap();
    let again =
        add_validation_data(&b_lt, std::slice::from_ref(&issuing_der), std::slice::from_ref(&crl), &[]).unwrap();
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

/// The same with the signer's status as an OCSP answer from the centre's
/// delegated responder, stored as RFC 5940 `other` revocation info: the
/// message validates two years on with revocation required, a copy of it
/// taken apart by OpenSSL's own CMS parser shows the entry, and OpenSSL
/// still verifies the signature. Signing again over a message that carries
/// OCSP (a B-T added later) keeps the answer.
#[test]
fn a_b_lt_message_carries_ocsp_answers_as_rfc_5940_entries() {
    use dossier_crypto::ocsp::{CertState, OcspResponder, request};
    let setup = CentreSetup::new().unwrap();
    let (ca, tsa, id, cert, tsa_cert) = (&setup.ca, &setup.tsa, setup.signer(), &setup.cert, &setup.tsa_cert);
    let issuing = ca.issuing_certificate().clone();
    let b_b = sign(&id, b"pension record 2026", &SignOptions::default()).unwrap();
    let b_t = add_signature_timestamp(&b_b, tsa).unwrap();

    let responder_key = dossier_crypto::software::SoftwareKey::generate(dossier_crypto::Algorithm::EcP256).unwrap();
    let responder_cert = ca
        .certify_responder(&responder_key, Name::from_str("CN=OCSP,C=UA").unwrap(), Duration::from_secs(86_400))
        .unwrap();
    let responder = OcspResponder::new(&issuing, responder_cert, Box::new(responder_key)).unwrap();
    std::thread::sleep(Duration::from_millis(1100)); // producedAt after genTime, in whole seconds
    let now = SystemTime::now();
    let answer = |c: &x509_cert::Certificate| {
        let read = responder.read_request(&request(c, &issuing, None).unwrap()).unwrap();
        responder.respond(&read, &[CertState::Good], now, now + Duration::from_secs(3600)).unwrap()
    };
    let (signer_status, tsa_status) = (answer(cert), answer(tsa_cert));
    let issuing_der = issuing.to_der().unwrap();
    let b_lt = add_validation_data(
        &b_t,
        std::slice::from_ref(&issuing_der),
        &[],
        &[signer_status.clone(), tsa_status.clone()],
    )
    .unwrap();
    let again = add_validation_data(&b_lt, &[], &[], std::slice::from_ref(&signer_status)).unwrap();
    assert_eq!(again, b_lt, "an answer already there is not added twice");
    let carries = |cms: &[u8], answer: &[u8]| cms.windows(answer.len()).any(|w| w == answer);
    let stamped_later = add_signature_timestamp(
        &add_validation_data(&b_b, &[], &[], std::slice::from_ref(&signer_status)).unwrap(),
        tsa,
    )
    .unwrap();
    assert!(carries(&stamped_later, &signer_status), "re-encoding a message keeps its OCSP answers");

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
    }
    // The evidence is what made it pass: without it, status unknown.
    let v = verify(&SoftwareProvider, &b_t, &VerifyInput::attached(), &at(now));
    assert_ne!(v.report.indication, Indication::TotalPassed, "{:#?}", v.report);

    let openssl = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !openssl && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    if openssl {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("root.pem"), to_pem(ca.root_certificate()).unwrap()).unwrap();
        std::fs::write(p.join("lt.der"), &b_lt).unwrap();
        #[rustfmt::skip]
        let printed = Command::new("openssl").current_dir(p)
            .args(["cms", "-cmsout", "-print", "-inform", "DER", "-in", "lt.der"]).output().unwrap();
        let text = String::from_utf8_lossy(&printed.stdout);
        assert!(printed.status.success(), "{}", String::from_utf8_lossy(&printed.stderr));
        assert_eq!(text.matches("otherRevInfoFormat: undefined (1.3.6.1.5.5.7.16.2)").count(), 2, "{text}");
        #[rustfmt::skip]
        let out = Command::new("openssl").current_dir(p).args([
            "cms", "-verify", "-binary", "-inform", "DER", "-in", "lt.der", "-CAfile", "root.pem", "-out", "/dev/null",
        ]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}
