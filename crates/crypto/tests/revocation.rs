//! Revocation as a relying party sees it: a signature by a certificate the
//! centre's CRL lists is never TOTAL-PASSED; without a time-stamp it is
//! INDETERMINATE / REVOKED_NO_POE, with a time-stamp from after the
//! revocation it is TOTAL-FAILED / REVOKED; a current CRL that does not list
//! it lets the signature pass.
use std::str::FromStr;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use dossier_crypto::KeyPair;
use dossier_crypto::ca::{CertificationCentre, RevocationReason, Revoked};
use dossier_crypto::signed::{SignOptions, SigningIdentity, VerifyInput, add_signature_timestamp, sign, verify};
use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{Indication, RevocationPolicy, SubIndication, TrustContext};
use dossier_crypto::x509::CertProfile;
use x509_cert::name::Name;

fn party(ca: &CertificationCentre, cn: &str, profile: CertProfile) -> (SoftwareKey, x509_cert::Certificate) {
    dossier_crypto::testing::centre_party(ca, cn, profile).unwrap()
}

#[test]
fn revoked_signers_are_never_valid_and_good_ones_pass_with_a_current_crl() {
    let ca = CertificationCentre::init(
        Arc::new(SoftwareProvider),
        Name::from_str("CN=Root,C=UA").unwrap(),
        Name::from_str("CN=Issuing,C=UA").unwrap(),
    )
    .unwrap();
    let chain = vec![ca.issuing_certificate().clone()];
    let (key, cert) = party(&ca, "Signer", CertProfile::DocumentSigning);
    let (tsa_key, tsa_cert) = party(&ca, "TSA", CertProfile::TimeStamping);
    let tsa = TimeStampAuthority::new(Box::new(tsa_key), tsa_cert, chain.clone());
    let id = SigningIdentity { key: &key as &dyn KeyPair, certificate: &cert, chain: &chain };
    let cms = sign(&id, b"act", &SignOptions::default()).unwrap();
    let now = SystemTime::now();
    let day = Duration::from_secs(86_400);
    let serial = cert.tbs_certificate().serial_number().as_bytes().to_vec();

    let trust_with = |crl: Vec<u8>| {
        let mut t = TrustContext {
            anchors: vec![ca.root_certificate().clone()],
            revocation: RevocationPolicy::Require,
            ..TrustContext::default()
        };
        t.add_crl(&crl).unwrap();
        t
    };
    let good = trust_with(ca.crl(&[], now - day, now + day, 1).unwrap());
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &good);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);

    let revoked_an_hour_ago =
        Revoked { serial, at: now - Duration::from_secs(3600), reason: RevocationReason::KeyCompromise };
    let bad = trust_with(ca.crl(std::slice::from_ref(&revoked_an_hour_ago), now - day, now + day, 2).unwrap());
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &bad);
    assert_eq!(v.report.indication, Indication::Indeterminate);
    assert_eq!(v.report.sub_indication, Some(SubIndication::RevokedNoPoe));

    // A time-stamp made now proves the signature existed only after the revocation.
    let stamped = add_signature_timestamp(&cms, &tsa).unwrap();
    let v = verify(&SoftwareProvider, &stamped, &VerifyInput::attached(), &bad);
    assert_eq!(v.report.indication, Indication::TotalFailed, "{:?}", v.report);
    assert_eq!(v.report.sub_indication, Some(SubIndication::Revoked));

    // A stale CRL (nextUpdate passed) is no evidence at all.
    let stale = trust_with(ca.crl(&[], now - 3 * day, now - day, 3).unwrap());
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &stale);
    assert_eq!(v.report.sub_indication, Some(SubIndication::TryLater));
}
