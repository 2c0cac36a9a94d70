//! Every signer of a SignedData counts: OpenSSL makes a message with two
//! signers; broken in the second signer's signature, `openssl cms -verify`
//! refuses it and so does Dossier (the worst signer decides). A
//! counter-signature is reported with its signer and whether it signs the
//! signature's value. Skipped without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use cms::content_info::ContentInfo;
use cms::signed_data::{SignedData, SignerIdentifier, SignerInfo, SignerInfos};
use der::asn1::SetOfVec;
use der::{Any, Decode, Encode};
use dossier_crypto::container::PinContainer;
use dossier_crypto::signed::{SignOptions, SigningIdentity, VerifyInput, sign, verify};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::{Party, TestPki};
use dossier_crypto::validation::{CheckStatus, Indication, SignatureReport, SubIndication};
use dossier_crypto::x509::{CertProfile, to_pem};

fn available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

fn openssl(args: &[&str], dir: &Path) -> Output {
    Command::new("openssl").args(args).current_dir(dir).output().unwrap()
}

fn write_party(party: &Party, name: &str, dir: &Path) {
    std::fs::write(dir.join(format!("{name}.pem")), to_pem(&party.certificate).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(&party.key, "1234", 3, 1000).unwrap();
    std::fs::write(dir.join(format!("{name}.key")), &sealed.encrypted_pkcs8_pem).unwrap();
}

fn signed_data(der: &[u8]) -> SignedData {
    ContentInfo::from_der(der).unwrap().content.decode_as::<SignedData>().unwrap()
}

fn encode(sd: SignedData) -> Vec<u8> {
    let content = Any::encode_from(&sd).unwrap();
    ContentInfo { content_type: const_oid::db::rfc5911::ID_SIGNED_DATA, content }.to_der().unwrap()
}

fn serial_of(si: &SignerInfo) -> Vec<u8> {
    match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => ias.serial_number.as_bytes().to_vec(),
        SignerIdentifier::SubjectKeyIdentifier(_) => Vec::new(),
    }
}

#[test]
fn a_broken_second_signer_fails_the_message_as_openssl_says() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let first = pki.party("First Signer", CertProfile::QesIdCard).unwrap();
    let second = pki.party("Second Signer", CertProfile::QesIdCard).unwrap();
    write_party(&first, "first", p);
    write_party(&second, "second", p);
    std::fs::write(p.join("root.pem"), to_pem(&pki.root.certificate).unwrap()).unwrap();
    std::fs::write(p.join("issuing.pem"), to_pem(&pki.issuing.certificate).unwrap()).unwrap();
    std::fs::write(p.join("data.txt"), b"pension record, two approvals").unwrap();
    #[rustfmt::skip]
    let out = openssl(&[
        "cms", "-sign", "-binary", "-nodetach", "-md", "sha256", "-in", "data.txt",
        "-signer", "first.pem", "-inkey", "first.key", "-signer", "second.pem", "-inkey", "second.key",
        "-passin", "pass:1234", "-certfile", "issuing.pem", "-outform", "DER", "-out", "two.der",
    ], p);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let two = std::fs::read(p.join("two.der")).unwrap();
    let trust = pki.trust();
    let v = verify(&SoftwareProvider, &two, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
    assert_eq!(v.other_signers.len(), 1);

    // Break the second signer's signature value.
    let mut sd = signed_data(&two);
    let second_serial = second.certificate.tbs_certificate().serial_number().as_bytes().to_vec();
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let target = infos.iter_mut().find(|si| serial_of(si) == second_serial).unwrap();
    let mut sig = target.signature.as_bytes().to_vec();
    let last = sig.len() - 2;
    sig[last] ^= 0x01;
    target.signature = der::asn1::OctetString::new(sig).unwrap();
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).unwrap());
    std::fs::write(p.join("broken.der"), encode(sd)).unwrap();

    #[rustfmt::skip]
    let out = openssl(&[
        "cms", "-verify", "-binary", "-inform", "DER", "-in", "broken.der",
        "-CAfile", "root.pem", "-certfile", "issuing.pem", "-out", "/dev/null",
    ], p);
    assert!(!out.status.success(), "OpenSSL accepted a message with a broken second signer");
    let broken = std::fs::read(p.join("broken.der")).unwrap();
    let v = verify(&SoftwareProvider, &broken, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.indication, Indication::TotalFailed, "{:?}", v.report);
    assert_eq!(v.report.sub_indication, Some(SubIndication::SigCryptoFailure));
    // Whichever order the SET OF puts them in, exactly one signer's own signature check failed: the second's.
    let own_signature_failed =
        |r: &&SignatureReport| r.checks.iter().any(|c| c.code == "signature" && c.status == CheckStatus::Failed);
    let failed: Vec<_> = [&v.report].into_iter().chain(&v.other_signers).filter(own_signature_failed).collect();
    assert_eq!(failed.len(), 1, "exactly one signer is broken");
    assert!(failed[0].signer.as_ref().unwrap().subject.contains("Second Signer"));
}

/// A counter-signature over the first signer's signature value, made by a second party.
fn countersigned(pki: &TestPki, signer: &Party, counter: &Party, alter: bool) -> Vec<u8> {
    let chain = pki.chain();
    let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
    let cms = sign(&id, b"statement of pension record", &SignOptions::default()).unwrap();
    let mut sd = signed_data(&cms);
    let mut infos: Vec<SignerInfo> = sd.signer_infos.0.into_vec();
    let mut value = infos[0].signature.as_bytes().to_vec();
    if alter {
        value[5] ^= 0x01;
    }
    // The counter-signer signs the signature value (detached): its SignerInfo is the counter-signature.
    let counter_id = SigningIdentity { key: &counter.key, certificate: &counter.certificate, chain: &chain };
    let counter_cms = sign(&counter_id, &value, &SignOptions { detached: true, ..SignOptions::default() }).unwrap();
    let counter_sd = signed_data(&counter_cms);
    let counter_si = counter_sd.signer_infos.0.iter().next().unwrap().clone();
    let attr = x509_cert::attr::Attribute {
        oid: const_oid::db::rfc5911::ID_COUNTERSIGNATURE,
        values: SetOfVec::try_from(vec![Any::encode_from(&counter_si).unwrap()]).unwrap(),
    };
    infos[0].unsigned_attrs = Some(SetOfVec::try_from(vec![attr]).unwrap());
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).unwrap());
    // The counter-signer's certificate travels in the message.
    let mut certs = sd.certificates.take().unwrap().0.into_vec();
    certs.push(cms::cert::CertificateChoices::Certificate(counter.certificate.clone()));
    sd.certificates = Some(cms::signed_data::CertificateSet(SetOfVec::try_from(certs).unwrap()));
    encode(sd)
}

#[test]
fn counter_signatures_are_reported_without_changing_the_verdict() {
    let pki = TestPki::new().unwrap();
    let signer = pki.party("Olena Petrenko", CertProfile::QesIdCard).unwrap();
    let notary = pki.party("Fund Registrar", CertProfile::DocumentSigning).unwrap();
    let trust = pki.trust();
    let good =
        verify(&SoftwareProvider, &countersigned(&pki, &signer, &notary, false), &VerifyInput::attached(), &trust);
    assert_eq!(good.report.indication, Indication::TotalPassed, "{:?}", good.report);
    let check = good.report.checks.iter().find(|c| c.code == "countersignature").expect("reported");
    assert_eq!(check.status, CheckStatus::Passed);
    assert!(check.detail.contains("Fund Registrar"), "{check:?}");

    let bad = verify(&SoftwareProvider, &countersigned(&pki, &signer, &notary, true), &VerifyInput::attached(), &trust);
    assert_eq!(bad.report.indication, Indication::TotalPassed, "the signature itself is intact");
    let check = bad.report.checks.iter().find(|c| c.code == "countersignature").expect("reported");
    assert_eq!(check.status, CheckStatus::Failed, "{check:?}");
}
