use proptest::prelude::*;

use super::*;
use crate::software::SoftwareProvider;
use crate::testing::TestPki;
use crate::tsp::TimeStampAuthority;
use crate::validation::{Indication, RevocationPolicy};
use crate::x509::CertProfile;

fn signer(pki: &TestPki) -> crate::testing::Party {
    pki.party("Olena Petrenko", CertProfile::QesIdCard).unwrap()
}

fn sign_with(pki: &TestPki, p: &crate::testing::Party, content: &[u8], detached: bool) -> Vec<u8> {
    let chain = pki.chain();
    let id = SigningIdentity { key: &p.key, certificate: &p.certificate, chain: &chain };
    sign(&id, content, &SignOptions { detached, ..SignOptions::default() }).unwrap()
}

#[test]
fn attached_signature_verifies_and_returns_the_content() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let cms = sign_with(&pki, &s, b"{\"doc\":\"id-card\"}", false);
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &pki.trust());
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
    assert_eq!(v.content.as_deref(), Some(&b"{\"doc\":\"id-card\"}"[..]));
    assert_eq!(v.report.signer.unwrap().common_name.as_deref(), Some("Olena Petrenko"));
    assert_eq!(v.report.chain.len(), 3);
}

#[test]
fn the_inline_content_info_is_the_generic_one_byte_for_byte() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    for detached in [false, true] {
        let cms = sign_with(&pki, &s, b"package", detached);
        let generic = ContentInfo::from_der(&cms).unwrap();
        assert_eq!(generic.content_type, ID_SIGNED_DATA);
        assert_eq!(generic.to_der().unwrap(), cms);
        let sd = generic.content.decode_as::<SignedData>().unwrap();
        assert_eq!(parse(&cms).unwrap(), sd);
        let econtent = sd.encap_content_info.econtent.map(|a| a.decode_as::<OctetString>().unwrap().into_bytes());
        assert_eq!(econtent.as_deref(), if detached { None } else { Some(&b"package"[..]) });
    }
    // Another content type is still named as such.
    let data = ContentInfo { content_type: ID_DATA, content: Any::new(der::Tag::OctetString, *b"x").unwrap() };
    assert_eq!(parse(&data.to_der().unwrap()).unwrap_err(), CryptoError::Malformed { what: "CMS: not SignedData" });
}

#[test]
fn detached_signature_over_changed_data_is_hash_failure() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let cms = sign_with(&pki, &s, b"original", true);
    let ok = verify(&SoftwareProvider, &cms, &VerifyInput::detached(&[b"orig", b"inal"]), &pki.trust());
    assert!(ok.report.is_passed(), "{:?}", ok.report);
    let bad = verify(&SoftwareProvider, &cms, &VerifyInput::detached(&[b"forged"]), &pki.trust());
    assert_eq!(bad.report.indication, Indication::TotalFailed);
    assert_eq!(bad.report.sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn detached_signature_without_data_is_signed_data_not_found() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let cms = sign_with(&pki, &s, b"x", true);
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &pki.trust());
    assert_eq!(v.report.sub_indication, Some(SubIndication::SignedDataNotFound));
}

#[test]
fn unknown_root_is_indeterminate_no_chain() {
    let pki = TestPki::new().unwrap();
    let other = TestPki::new().unwrap();
    let s = signer(&pki);
    let cms = sign_with(&pki, &s, b"x", false);
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &other.trust());
    assert_eq!(v.report.indication, Indication::Indeterminate);
    assert_eq!(v.report.sub_indication, Some(SubIndication::NoCertificateChainFound));
}

#[test]
fn encryption_certificate_cannot_sign() {
    let pki = TestPki::new().unwrap();
    let s = pki.party("Agency", CertProfile::AgencyEncryption).unwrap();
    let cms = sign_with(&pki, &s, b"x", false);
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &pki.trust());
    assert_eq!(v.report.sub_indication, Some(SubIndication::ChainConstraintsFailure));
}

#[test]
fn signature_after_validity_without_proof_of_time_is_out_of_bounds() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let cms = sign_with(&pki, &s, b"x", false);
    let mut trust = pki.trust();
    trust.at = Some(SystemTime::now() + std::time::Duration::from_secs(5 * 365 * 86_400));
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.sub_indication, Some(SubIndication::OutOfBoundsNoPoe));
}

#[test]
fn missing_crl_under_require_policy_is_try_later() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let cms = sign_with(&pki, &s, b"x", false);
    let mut trust = pki.trust();
    trust.revocation = RevocationPolicy::Require;
    let v = verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.sub_indication, Some(SubIndication::TryLater));
}

#[test]
fn timestamped_signature_is_b_t_and_checks_the_token() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let tsu = pki.party("Dossier TSA", CertProfile::TimeStamping).unwrap();
    let tsa = TimeStampAuthority::new(Box::new(tsu.key), tsu.certificate, pki.chain());
    let cms = sign_with(&pki, &s, b"pension", true);
    let bt = add_signature_timestamp(&cms, &tsa).unwrap();
    let v = verify(&SoftwareProvider, &bt, &VerifyInput::detached(&[b"pension"]), &pki.trust());
    assert!(v.report.is_passed(), "{:?}", v.report);
    let ts = v.report.timestamp.as_ref().expect("timestamp report");
    assert!(ts.is_passed(), "{ts:?}");
    assert!(v.report.proven_signing_time.is_some());
}

#[test]
fn a_time_stamp_from_a_non_tsa_certificate_is_not_accepted() {
    let pki = TestPki::new().unwrap();
    let s = signer(&pki);
    let fake = pki.party("Not a TSA", CertProfile::DocumentSigning).unwrap();
    let tsa = TimeStampAuthority::new(Box::new(fake.key), fake.certificate, pki.chain());
    let bt = add_signature_timestamp(&sign_with(&pki, &s, b"p", true), &tsa).unwrap();
    let v = verify(&SoftwareProvider, &bt, &VerifyInput::detached(&[b"p"]), &pki.trust());
    let ts = v.report.timestamp.as_ref().unwrap();
    assert_eq!(ts.sub_indication, Some(SubIndication::ChainConstraintsFailure));
    assert!(v.report.proven_signing_time.is_none());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn damaged_or_random_cms_never_panics(pos in 0usize..4000, bit in 0u8..8, cut in 0usize..4000, junk in proptest::collection::vec(any::<u8>(), 0..300)) {
        thread_local!(static FIXTURE: (TestPki, Vec<u8>) = {
            let pki = TestPki::new().unwrap();
            let s = pki.party("P", CertProfile::QesIdCard).unwrap();
            let cms = sign_with(&pki, &s, b"content", false);
            (pki, cms)
        });
        FIXTURE.with(|(pki, cms)| {
            let mut damaged = cms.clone();
            let i = pos % damaged.len();
            damaged[i] ^= 1 << bit;
            let _ = verify(&SoftwareProvider, &damaged, &VerifyInput::attached(), &pki.trust());
            let _ = verify(&SoftwareProvider, &cms[..cut % cms.len()], &VerifyInput::attached(), &pki.trust());
            let _ = verify(&SoftwareProvider, &junk, &VerifyInput::attached(), &pki.trust());
        });
    }
}
