//! Signatures that outlive their algorithms (EN 319 102-1 §5.2.8 and §5.6):
//! under a policy that declares ECDSA P-256 broken from a date, a P-256
//! signature validated after that date is INDETERMINATE /
//! CRYPTO_CONSTRAINTS_FAILURE_NO_POE — unless a document time-stamp made
//! with sound algorithms (P-384) before that date proves it existed then,
//! which is what the archive's re-time-stamping is for; for CMS, an
//! archive time-stamp (CAdES-LTA) does the same. A renewal made with the
//! expiring algorithm proves nothing.
use std::time::{Duration, SystemTime};

use dossier_crypto::expiry::{AlgorithmPolicy, Expiry, KeyFamily, Weak};
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf, timestamp_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::pades::validate::{PdfReport, verify_pdf};
use dossier_crypto::signed::{
    SignOptions, SigningIdentity, VerifyInput, add_archive_timestamp, add_signature_timestamp, sign, verify,
};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::TestPki;
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{
    CheckStatus, Indication, RevocationPolicy, SignatureReport, SubIndication, TrustContext,
};
use dossier_crypto::x509::CertProfile;
use dossier_crypto::{Algorithm, KeyPair};

const YEAR: Duration = Duration::from_secs(365 * 86_400);

fn unit(pki: &TestPki, name: &str) -> TimeStampAuthority {
    let party = pki.party(name, CertProfile::TimeStamping).unwrap();
    TimeStampAuthority::new(Box::new(party.key), party.certificate, pki.chain())
}

/// Both hierarchies trusted, validated at `at` with P-256 broken from `p256_ends`.
fn context(roots: &[&TestPki], at: SystemTime, p256_ends: SystemTime) -> TrustContext {
    TrustContext {
        anchors: roots.iter().map(|p| p.root.certificate.clone()).collect(),
        revocation: RevocationPolicy::Skip,
        at: Some(at),
        algorithms: AlgorithmPolicy::default()
            .with(Expiry { weak: Weak::Key { family: KeyFamily::Ecdsa, up_to_bits: 256 }, on: p256_ends }),
        ..TrustContext::default()
    }
}

fn algorithm_notes(report: &SignatureReport) -> Vec<&str> {
    report.checks.iter().filter(|c| c.code == "algorithm").map(|c| c.detail.as_str()).collect()
}

fn signature_of(r: &PdfReport) -> &SignatureReport {
    &r.signatures.iter().find(|s| s.kind == "signature").unwrap().report
}

#[test]
fn a_p256_signature_stays_valid_after_p256_expires_when_a_p384_time_stamp_proved_it_before() {
    let old = TestPki::new().unwrap();
    let signer = old.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
    let chain = old.chain();
    let id = SigningIdentity { key: &signer.key as &dyn KeyPair, certificate: &signer.certificate, chain: &chain };
    let b_t =
        sign_pdf(&minimal_pdf("Pension record"), &id, Some(&unit(&old, "TSA 2026")), &PadesOptions::default()).unwrap();
    let strong = TestPki::with_algorithm(Algorithm::EcP384).unwrap();
    let renewed = timestamp_pdf(&b_t, &unit(&strong, "TSA P-384")).unwrap();
    let renewed_weakly = timestamp_pdf(&b_t, &unit(&old, "TSA 2026 again")).unwrap();

    let now = SystemTime::now();
    let p256_ends = now + 3 * YEAR;
    let before = context(&[&old, &strong], now + YEAR, p256_ends);
    let after = context(&[&old, &strong], now + 5 * YEAR, p256_ends);

    // Before the expiry every version validates, and nothing is said of algorithms.
    for doc in [&b_t, &renewed, &renewed_weakly] {
        let r = verify_pdf(&SoftwareProvider, doc, &before).unwrap();
        assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
        assert!(algorithm_notes(signature_of(&r)).is_empty(), "{r:#?}");
    }

    // After it, the signature alone proves nothing…
    let r = verify_pdf(&SoftwareProvider, &b_t, &after).unwrap();
    assert_eq!(r.indication, Indication::Indeterminate, "{r:#?}");
    assert_eq!(r.sub_indication, Some(SubIndication::CryptoConstraintsFailureNoPoe), "{r:#?}");
    let notes = algorithm_notes(signature_of(&r));
    assert!(notes.iter().any(|n| n.contains("ECDSA keys of 256 bits or fewer expired")), "{notes:?}");

    // …the P-384 time-stamp made before the expiry keeps it valid, and the report says why…
    let r = verify_pdf(&SoftwareProvider, &renewed, &after).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
    let s = signature_of(&r);
    assert!(
        s.checks
            .iter()
            .any(|c| c.code == "algorithm" && c.status == CheckStatus::Passed && c.detail.contains("proven to exist")),
        "{s:#?}"
    );
    assert_eq!(
        r.signatures.iter().find(|s| s.kind == "document_timestamp").unwrap().report.indication,
        Indication::TotalPassed
    );

    // …and a renewal made with P-256 itself is no proof once P-256 is broken.
    let r = verify_pdf(&SoftwareProvider, &renewed_weakly, &after).unwrap();
    assert_ne!(r.indication, Indication::TotalPassed, "{r:#?}");
    let stamp = &r.signatures.iter().find(|s| s.kind == "document_timestamp").unwrap().report;
    assert_eq!(stamp.sub_indication, Some(SubIndication::CryptoConstraintsFailureNoPoe), "{stamp:#?}");
}

#[test]
fn a_p384_signature_is_untouched_by_a_p256_expiry() {
    let strong = TestPki::with_algorithm(Algorithm::EcP384).unwrap();
    let signer = strong.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
    let chain = strong.chain();
    let id = SigningIdentity { key: &signer.key as &dyn KeyPair, certificate: &signer.certificate, chain: &chain };
    let cms = sign(&id, b"pension record", &SignOptions::default()).unwrap();
    let now = SystemTime::now();
    // Validated within its certificate's year: the P-256 rule does not apply to P-384.
    let ctx = context(&[&strong], now + Duration::from_secs(86_400), now);
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &ctx);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:#?}", v.report);
    assert!(algorithm_notes(&v.report).is_empty());
}

#[test]
fn a_cms_signature_and_its_time_stamp_made_with_an_expired_algorithm_prove_nothing_alone() {
    let old = TestPki::new().unwrap();
    let signer = old.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
    let chain = old.chain();
    let id = SigningIdentity { key: &signer.key as &dyn KeyPair, certificate: &signer.certificate, chain: &chain };
    let b_t =
        add_signature_timestamp(&sign(&id, b"pension record", &SignOptions::default()).unwrap(), &unit(&old, "TSA"))
            .unwrap();
    let now = SystemTime::now();
    let v =
        verify(&SoftwareProvider, &b_t, &VerifyInput::attached(), &context(&[&old], now + 5 * YEAR, now + 3 * YEAR));
    assert_eq!(v.report.sub_indication, Some(SubIndication::CryptoConstraintsFailureNoPoe), "{:#?}", v.report);
    let ts = v.report.timestamp.as_ref().unwrap();
    assert_eq!(ts.sub_indication, Some(SubIndication::CryptoConstraintsFailureNoPoe), "the stamp's own P-256: {ts:#?}");
    // Validated before the expiry, the same message passes.
    let v =
        verify(&SoftwareProvider, &b_t, &VerifyInput::attached(), &context(&[&old], now + YEAR / 2, now + 3 * YEAR));
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:#?}", v.report);
}

#[test]
fn a_cades_lta_archive_time_stamp_made_with_p384_keeps_a_p256_message_valid_after_p256_expires() {
    let old = TestPki::new().unwrap();
    let signer = old.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
    let chain = old.chain();
    let id = SigningIdentity { key: &signer.key as &dyn KeyPair, certificate: &signer.certificate, chain: &chain };
    let b_t =
        add_signature_timestamp(&sign(&id, b"pension record", &SignOptions::default()).unwrap(), &unit(&old, "TSA"))
            .unwrap();
    let strong = TestPki::with_algorithm(Algorithm::EcP384).unwrap();
    let lta = add_archive_timestamp(&b_t, None, &unit(&strong, "TSA P-384")).unwrap();
    let lta_weak = add_archive_timestamp(&b_t, None, &unit(&old, "TSA again")).unwrap();
    let now = SystemTime::now();
    let after = context(&[&old, &strong], now + 5 * YEAR, now + 3 * YEAR);

    let v = verify(&SoftwareProvider, &lta, &VerifyInput::attached(), &after);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:#?}", v.report);
    assert!(
        v.report.timestamp.as_ref().is_some_and(|t| t.is_passed()),
        "the signature time-stamp, proven by the archive one"
    );

    let v = verify(&SoftwareProvider, &lta_weak, &VerifyInput::attached(), &after);
    assert_eq!(v.report.sub_indication, Some(SubIndication::CryptoConstraintsFailureNoPoe), "{:#?}", v.report);

    // Stamped with P-384 on top of the P-256 one: the newer proves the older.
    let both = add_archive_timestamp(&lta_weak, None, &unit(&strong, "TSA P-384")).unwrap();
    let v = verify(&SoftwareProvider, &both, &VerifyInput::attached(), &after);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:#?}", v.report);
    let passed = v.report.checks.iter().filter(|c| c.code == "archive_timestamp" && c.status == CheckStatus::Passed);
    assert_eq!(passed.count(), 2, "{:#?}", v.report);
}
