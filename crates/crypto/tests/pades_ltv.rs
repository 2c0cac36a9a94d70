//! PAdES B-LT and B-LTA: a B-T signature whose chain and CRL are stored in
//! the document (`/DSS`) validates with revocation required and nothing
//! given but the root; a document time-stamp over the DSS makes it B-LTA.
//! The update adding the DSS is a change the modification analysis permits;
//! qpdf finds the file clean, and pyHanko validates the signature of the
//! B-LTA file. Years later, after every certificate in it has expired and
//! its CRLs have gone stale, the document still validates from its own
//! data: revocation evidence issued after a proven signing time says what
//! the status was then (past signature validation). Tools skipped when
//! missing, failed under CI=true.
use std::process::Command;
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use der::Encode;
use dossier_crypto::KeyPair;
use dossier_crypto::ca::CertificationCentre;
use dossier_crypto::pades::pdf::{ValidationData, add_dss, dss_contents};
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf, timestamp_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::pades::validate::verify_pdf;
use dossier_crypto::signed::SigningIdentity;
use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{Indication, RevocationPolicy, SubIndication, TrustContext};
use dossier_crypto::x509::{CertProfile, to_pem};
use x509_cert::name::Name;

fn tool(name: &str, probe: &[&str]) -> bool {
    let ok = Command::new(name).args(probe).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but `{name}` is missing");
    }
    ok
}

/// A centre, a signer it certified for 30 days, and its time-stamping unit.
struct Setup {
    ca: CertificationCentre,
    chain: Vec<x509_cert::Certificate>,
    key: SoftwareKey,
    cert: x509_cert::Certificate,
    tsa: TimeStampAuthority,
}

fn setup() -> Setup {
    let ca = CertificationCentre::init(
        Arc::new(SoftwareProvider),
        Name::from_str("CN=Root,C=UA").unwrap(),
        Name::from_str("CN=Issuing,C=UA").unwrap(),
    )
    .unwrap();
    let chain = vec![ca.issuing_certificate().clone()];
    let party = |cn, profile| dossier_crypto::testing::centre_party(&ca, cn, profile).unwrap();
    let (key, cert) = party("Olena Petrenko", CertProfile::DocumentSigning);
    let (tsa_key, tsa_cert) = party("Dossier TSA", CertProfile::TimeStamping);
    let tsa = TimeStampAuthority::new(Box::new(tsa_key), tsa_cert, chain.clone());
    Setup { ca, chain, key, cert, tsa }
}

#[test]
fn b_lt_validates_from_the_documents_own_data_and_b_lta_adds_a_time_stamp() {
    let Setup { ca, key, cert, tsa, .. } = setup();
    // Signed without the chain in the CMS: the DSS must supply it.
    let id = SigningIdentity { key: &key as &dyn KeyPair, certificate: &cert, chain: &[] };
    let b_t = sign_pdf(&minimal_pdf("Pension record"), &id, Some(&tsa), &PadesOptions::default()).unwrap();

    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let crl = ca.crl(&[], now - day, now + day, 1).unwrap();
    let strict = TrustContext {
        anchors: vec![ca.root_certificate().clone()],
        revocation: RevocationPolicy::Require,
        ..TrustContext::default()
    };
    // Without the validation data: no chain, no CRL — never valid.
    let r = verify_pdf(&SoftwareProvider, &b_t, &strict).unwrap();
    assert_ne!(r.indication, Indication::TotalPassed, "{r:#?}");

    let issuing = ca.issuing_certificate().to_der().unwrap();
    let b_lt = add_dss(&b_t, &data(vec![issuing.clone(), issuing.clone()], vec![crl.clone()])).unwrap();
    assert!(b_lt.starts_with(&b_t), "an incremental update");
    let stored = dss_contents(&b_lt).unwrap();
    assert_eq!((stored.certs.len(), stored.crls.len()), (1, 1), "the same certificate is stored once");
    let r = verify_pdf(&SoftwareProvider, &b_lt, &strict).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
    assert_eq!(r.signatures[0].level, "PAdES-BASELINE-LT");
    assert!(r.signatures[0].modifications.allowed());

    // Adding the same data again adds nothing new.
    let again = add_dss(&b_lt, &data(vec![issuing.clone()], vec![crl.clone()])).unwrap();
    assert_eq!(dss_contents(&again).unwrap().certs.len(), 1);

    let b_lta = timestamp_pdf(&b_lt, &tsa).unwrap();
    let r = verify_pdf(&SoftwareProvider, &b_lta, &strict).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
    assert_eq!(r.signatures[0].level, "PAdES-BASELINE-LTA");

    // A DSS CRL that lists the signer makes the signature fail, as a given one would.
    let revoked = dossier_crypto::ca::Revoked {
        serial: cert.tbs_certificate().serial_number().as_bytes().to_vec(),
        at: now - Duration::from_secs(3600),
        reason: dossier_crypto::ca::RevocationReason::KeyCompromise,
    };
    let bad_crl = ca.crl(std::slice::from_ref(&revoked), now - day, now + day, 2).unwrap();
    let listed = add_dss(&b_t, &data(vec![issuing.clone()], vec![bad_crl])).unwrap();
    let r = verify_pdf(&SoftwareProvider, &listed, &strict).unwrap();
    assert_ne!(r.indication, Indication::TotalPassed, "{r:#?}");
    assert!(matches!(r.sub_indication, Some(SubIndication::Revoked | SubIndication::RevokedNoPoe)), "{r:#?}");

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(p.join("lta.pdf"), &b_lta).unwrap();
    if tool("qpdf", &["--version"]) {
        let out = Command::new("qpdf").arg("--check").arg(p.join("lta.pdf")).output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(out.status.success() && text.contains("No syntax or stream encoding errors"), "{text}");
    }
    if tool("pyhanko", &["--version"]) {
        std::fs::write(p.join("root.pem"), to_pem(ca.root_certificate()).unwrap()).unwrap();
        std::fs::write(p.join("issuing.pem"), to_pem(ca.issuing_certificate()).unwrap()).unwrap();
        #[rustfmt::skip]
        let out = Command::new("pyhanko").current_dir(p).args([
            "sign", "validate", "--trust", "root.pem", "--trust-replace", "--no-revocation-check",
            "--other-certs", "issuing.pem", "--pretty-print", "lta.pdf",
        ]).output().unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(out.status.success(), "{text}");
        assert!(text.contains("judged VALID") || text.contains("INTACT"), "{text}");
    }
}

fn data(certs: Vec<Vec<u8>>, crls: Vec<Vec<u8>>) -> ValidationData {
    ValidationData { certs, crls, ocsps: Vec::new() }
}

#[test]
fn years_later_after_every_certificate_expired_the_document_validates_from_its_own_data() {
    // Certificates of 30 days; the document is judged two years on.
    let Setup { ca, key, cert, tsa, .. } = setup();
    let id = SigningIdentity { key: &key as &dyn KeyPair, certificate: &cert, chain: &[] };
    let b_t = sign_pdf(&minimal_pdf("Pension record"), &id, Some(&tsa), &PadesOptions::default()).unwrap();
    let issuing = ca.issuing_certificate().to_der().unwrap();
    let crl_now = |number| {
        let now = SystemTime::now();
        ca.crl(&[], now, now + Duration::from_secs(86_400), number).unwrap()
    };
    let later = SystemTime::now() + Duration::from_secs(2 * 365 * 86_400);
    let strict_at = |at| TrustContext {
        anchors: vec![ca.root_certificate().clone()],
        revocation: RevocationPolicy::Require,
        at: Some(at),
        ..TrustContext::default()
    };
    let verdicts = |pdf: &[u8]| {
        let r = verify_pdf(&SoftwareProvider, pdf, &strict_at(later)).unwrap();
        (r.signatures.iter().map(|s| (s.report.indication, s.report.sub_indication)).collect::<Vec<_>>(), r)
    };

    // A CRL issued before the signature says nothing of the time it was made:
    // neither the time-stamp's unit nor the signer is known good, so nothing
    // proves when the signature was made, and the signer's certificate is long expired.
    let before = ca.crl(&[], SystemTime::now() - Duration::from_secs(3600), SystemTime::now(), 1).unwrap();
    let old_news = add_dss(&b_t, &data(vec![issuing.clone()], vec![before])).unwrap();
    let (v, r) = verdicts(&old_news);
    assert_eq!(v[0], (Indication::Indeterminate, Some(SubIndication::OutOfBoundsNoPoe)), "{r:#?}");

    // B-LT with a CRL issued after the signature: valid two years on, stale as it is.
    std::thread::sleep(Duration::from_millis(1100)); // genTime and thisUpdate are whole seconds
    let b_lt = add_dss(&b_t, &data(vec![issuing.clone()], vec![crl_now(2)])).unwrap();
    let (v, r) = verdicts(&b_lt);
    assert_eq!(v, [(Indication::TotalPassed, None)], "{r:#?}");
    assert!(
        verify_pdf(&SoftwareProvider, &b_lt, &strict_at(SystemTime::now())).unwrap().indication
            == Indication::TotalPassed
    );

    // B-LTA: the document time-stamp came after that CRL, so its own unit's
    // status is unknown until an LTA update stores a CRL issued after it.
    std::thread::sleep(Duration::from_millis(1100));
    let b_lta = timestamp_pdf(&b_lt, &tsa).unwrap();
    let (v, r) = verdicts(&b_lta);
    assert_eq!(v[0], (Indication::TotalPassed, None), "{r:#?}");
    assert_eq!(v[1], (Indication::Indeterminate, Some(SubIndication::TryLater)), "{r:#?}");
    std::thread::sleep(Duration::from_millis(1100));
    let topped_up = add_dss(&b_lta, &data(vec![], vec![crl_now(3)])).unwrap();
    let (v, r) = verdicts(&topped_up);
    assert_eq!(v, [(Indication::TotalPassed, None), (Indication::TotalPassed, None)], "{r:#?}");
    assert_eq!(r.indication, Indication::TotalPassed);
    assert_eq!(r.signatures[0].level, "PAdES-BASELINE-LTA");

    // Revoked after the signature (key compromise a day later): still valid, the
    // time-stamp proves the signature came first. Revoked before: never.
    let signer_serial = cert.tbs_certificate().serial_number().as_bytes().to_vec();
    for (offset, valid) in [(86_400i64, true), (-86_400, false)] {
        let at = if offset > 0 {
            SystemTime::now() + Duration::from_secs(offset as u64)
        } else {
            SystemTime::now() - Duration::from_secs((-offset) as u64)
        };
        let revoked = dossier_crypto::ca::Revoked {
            serial: signer_serial.clone(),
            at,
            reason: dossier_crypto::ca::RevocationReason::KeyCompromise,
        };
        let issued = at.max(SystemTime::now());
        let crl = ca.crl(&[revoked], issued, issued + Duration::from_secs(86_400), 4).unwrap();
        let pdf = add_dss(&b_t, &data(vec![issuing.clone()], vec![crl])).unwrap();
        let (v, r) = verdicts(&pdf);
        if valid {
            assert_eq!(v, [(Indication::TotalPassed, None)], "revoked after signing: {r:#?}");
        } else {
            assert_eq!(v[0], (Indication::TotalFailed, Some(SubIndication::Revoked)), "revoked before: {r:#?}");
        }
    }
}

#[test]
fn a_document_time_stamp_proves_when_a_signature_without_its_own_existed() {
    let Setup { ca, chain, key, cert, tsa } = setup();
    // B-B: no time-stamp of its own.
    let id = SigningIdentity { key: &key as &dyn KeyPair, certificate: &cert, chain: &chain };
    let b_b = sign_pdf(&minimal_pdf("Pension record"), &id, None, &PadesOptions::default()).unwrap();
    let later = SystemTime::now() + Duration::from_secs(2 * 365 * 86_400);
    let ctx = TrustContext {
        anchors: vec![ca.root_certificate().clone()],
        revocation: RevocationPolicy::Require,
        at: Some(later),
        ..TrustContext::default()
    };
    let r = verify_pdf(&SoftwareProvider, &b_b, &ctx).unwrap();
    assert_eq!(r.sub_indication, Some(SubIndication::OutOfBoundsNoPoe), "expired and nothing proves when: {r:#?}");

    // A document time-stamp over it, then the CA's next CRL stored after that.
    let stamped = timestamp_pdf(&b_b, &tsa).unwrap();
    std::thread::sleep(Duration::from_millis(1100)); // genTime and thisUpdate are whole seconds
    let now = SystemTime::now();
    let crl = ca.crl(&[], now, now + Duration::from_secs(86_400), 1).unwrap();
    let issuing = ca.issuing_certificate().to_der().unwrap();
    let pdf = add_dss(&stamped, &data(vec![issuing], vec![crl])).unwrap();
    let r = verify_pdf(&SoftwareProvider, &pdf, &ctx).unwrap();
    assert_eq!(r.indication, Indication::TotalPassed, "{r:#?}");
    assert!(r.signatures[0].report.proven_signing_time.is_some(), "{r:#?}");
    assert_eq!(r.signatures[0].level, "PAdES-BASELINE-B");
}
