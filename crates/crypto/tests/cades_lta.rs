//! CAdES-LTA (EN 319 122-1 §5.5.3): an archive-time-stamp-v3 over a B-LT
//! message — its signature, content, unsigned attributes and the validation
//! data it carries, indexed by an ATSHashIndexV3 in the token. The message
//! validates years on with revocation required; data added after the stamp
//! (the next CRL, the next archive time-stamp) leaves it valid; data it
//! indexed that is removed, or a signer field changed, makes it prove
//! nothing. A second archive time-stamp covers the first. No validator we
//! did not write is available here for archive-time-stamp-v3 (EU DSS is
//! Java, not installable from the allowed registries): OpenSSL checks that
//! the result is still a CMS it verifies.
use std::process::Command;
use std::time::{Duration, SystemTime};

use der::{Decode, Encode};
use dossier_crypto::signed::{
    SignOptions, VerifyInput, add_archive_timestamp, add_signature_timestamp, add_validation_data, sign, verify,
};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::CentreSetup;
use dossier_crypto::validation::{CheckStatus, Indication, RevocationPolicy, SignatureReport, TrustContext};
use dossier_crypto::x509::to_pem;

fn archive_checks(r: &SignatureReport) -> Vec<(CheckStatus, &str)> {
    r.checks.iter().filter(|c| c.code == "archive_timestamp").map(|c| (c.status, c.detail.as_str())).collect()
}

#[test]
fn a_cades_lta_message_keeps_its_proof_and_notices_what_was_taken_from_it() {
    let setup = CentreSetup::new().unwrap();
    let (ca, tsa, id) = (&setup.ca, &setup.tsa, setup.signer());
    let issuing = ca.issuing_certificate().clone();
    let content = b"pension record 2026";
    let b_t = add_signature_timestamp(&sign(&id, content, &SignOptions::default()).unwrap(), tsa).unwrap();

    std::thread::sleep(Duration::from_millis(1100)); // genTime and thisUpdate are whole seconds
    let day = Duration::from_secs(86_400);
    let crl_now = |n| {
        let now = SystemTime::now();
        ca.crl(&[], now, now + day, n).unwrap()
    };
    let issuing_der = issuing.to_der().unwrap();
    let b_lt = add_validation_data(&b_t, std::slice::from_ref(&issuing_der), &[crl_now(1)], &[]).unwrap();
    let lta = add_archive_timestamp(&b_lt, None, tsa).unwrap();
    std::thread::sleep(Duration::from_millis(1100));
    // The CA's next CRL, issued after the archive time-stamp: its unit's status then.
    let lta_completed = add_validation_data(&lta, &[], &[crl_now(2)], &[]).unwrap();

    let now = SystemTime::now();
    let at = |t| TrustContext {
        anchors: vec![ca.root_certificate().clone()],
        revocation: RevocationPolicy::Require,
        at: Some(t),
        ..TrustContext::default()
    };
    let later = now + Duration::from_secs(2 * 365 * 86_400);
    for (when, name) in [(now, "now"), (later, "two years on")] {
        let v = verify(&SoftwareProvider, &lta_completed, &VerifyInput::attached(), &at(when));
        assert_eq!(v.report.indication, Indication::TotalPassed, "{name}: {:#?}", v.report);
        assert_eq!(v.content.as_deref(), Some(&content[..]));
        let checks = archive_checks(&v.report);
        assert_eq!(checks.len(), 1, "{checks:?}");
        assert_eq!(checks[0].0, CheckStatus::Passed, "{checks:?}");
    }

    // A second archive time-stamp covers the first: both valid.
    let twice = add_archive_timestamp(&lta_completed, None, tsa).unwrap();
    let v = verify(&SoftwareProvider, &twice, &VerifyInput::attached(), &at(now));
    let checks = archive_checks(&v.report);
    assert_eq!(checks.iter().filter(|(s, _)| *s == CheckStatus::Passed).count(), 2, "{checks:?}");

    // The CRL the stamp indexed taken out: the stamp proves nothing.
    let cut = without_crls(&lta);
    let v = verify(&SoftwareProvider, &cut, &VerifyInput::attached(), &at(now));
    let checks = archive_checks(&v.report);
    assert!(checks.iter().any(|(s, d)| *s == CheckStatus::Failed && d.contains("removed")), "{checks:?}");

    // A detached message: the content is given to the stamp and to the check.
    let detached = add_signature_timestamp(
        &sign(&id, content, &SignOptions { detached: true, ..SignOptions::default() }).unwrap(),
        tsa,
    )
    .unwrap();
    let parts: [&[u8]; 1] = [content];
    let stamped = add_archive_timestamp(&detached, Some(&parts), tsa).unwrap();
    let lenient = TrustContext { revocation: RevocationPolicy::Skip, ..at(now) };
    let v = verify(&SoftwareProvider, &stamped, &VerifyInput::detached(&parts), &lenient);
    assert_eq!(archive_checks(&v.report).first().map(|c| c.0), Some(CheckStatus::Passed), "{:#?}", v.report);
    let other: [&[u8]; 1] = [b"another record"];
    let v = verify(&SoftwareProvider, &stamped, &VerifyInput::detached(&other), &lenient);
    assert_ne!(v.report.indication, Indication::TotalPassed);
    assert_eq!(archive_checks(&v.report).first().map(|c| c.0), Some(CheckStatus::Failed), "{:#?}", v.report);
    assert!(add_archive_timestamp(&detached, None, tsa).is_err(), "a detached message needs its content");

    let openssl = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !openssl && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    if openssl {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path();
        std::fs::write(p.join("root.pem"), to_pem(ca.root_certificate()).unwrap()).unwrap();
        std::fs::write(p.join("lta.der"), &twice).unwrap();
        #[rustfmt::skip]
        let out = Command::new("openssl").current_dir(p).args([
            "cms", "-verify", "-crl_check", "-binary", "-inform", "DER", "-in", "lta.der", "-CAfile", "root.pem",
            "-out", "/dev/null",
        ]).output().unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
}

/// The message with its `crls` field removed.
fn without_crls(cms_der: &[u8]) -> Vec<u8> {
    let mut ci = cms::content_info::ContentInfo::from_der(cms_der).unwrap();
    let mut sd: cms::signed_data::SignedData = ci.content.decode_as().unwrap();
    sd.crls = None;
    ci.content = der::Any::encode_from(&sd).unwrap();
    ci.to_der().unwrap()
}
