//! CMS SignedData and RFC 3161 time-stamps checked by OpenSSL in both
//! directions: `openssl cms -verify` accepts what Dossier signs, Dossier
//! accepts what `openssl cms -sign` makes with Dossier's certificates, and
//! `openssl ts -verify` accepts Dossier's TSA responses. Tampering fails on
//! both sides. Every signer of a message counts: broken in its second
//! signer, a message OpenSSL makes with two is refused by both; a
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
use dossier_crypto::tsp::TimeStampAuthority;
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

/// Writes the PKI and a party's certificate and (PIN-encrypted) key for OpenSSL.
fn write_party(pki: &TestPki, party: &Party, dir: &Path) {
    std::fs::write(dir.join("root.pem"), to_pem(&pki.root.certificate).unwrap()).unwrap();
    std::fs::write(dir.join("issuing.pem"), to_pem(&pki.issuing.certificate).unwrap()).unwrap();
    std::fs::write(dir.join("cert.pem"), to_pem(&party.certificate).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(&party.key, "1234", 3, 1000).unwrap();
    std::fs::write(dir.join("key.pem"), &sealed.encrypted_pkcs8_pem).unwrap();
}

fn ours(pki: &TestPki, party: &Party, content: &[u8], detached: bool) -> Vec<u8> {
    let chain = pki.chain();
    let id = SigningIdentity { key: &party.key, certificate: &party.certificate, chain: &chain };
    sign(&id, content, &SignOptions { detached, ..SignOptions::default() }).unwrap()
}

#[test]
fn openssl_verifies_our_attached_and_detached_signatures_and_refuses_tampering() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let party = pki.party("Hub Signer", CertProfile::DocumentSigning).unwrap();
    write_party(&pki, &party, p);
    let content = b"{\"requestId\":\"r-1\",\"documentType\":\"id-card\"}";
    std::fs::write(p.join("data.json"), content).unwrap();

    std::fs::write(p.join("attached.der"), ours(&pki, &party, content, false)).unwrap();
    let out = openssl(
        &["cms", "-verify", "-binary", "-inform", "DER", "-in", "attached.der", "-CAfile", "root.pem", "-out", "got"],
        p,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(std::fs::read(p.join("got")).unwrap(), content);

    std::fs::write(p.join("detached.der"), ours(&pki, &party, content, true)).unwrap();
    let detached = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "detached.der", "-content", "data.json"];
    let out = openssl(&[&detached[..], &["-CAfile", "root.pem", "-out", "/dev/null"]].concat(), p);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));

    let mut tampered = content.to_vec();
    tampered[3] ^= 1;
    std::fs::write(p.join("data.json"), &tampered).unwrap();
    let out = openssl(&[&detached[..], &["-CAfile", "root.pem", "-out", "/dev/null"]].concat(), p);
    assert!(!out.status.success(), "OpenSSL accepted tampered content");
}

#[test]
fn we_verify_openssl_signatures_made_with_our_certificates() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let party = pki.party("Citizen Signer", CertProfile::QesIdCard).unwrap();
    write_party(&pki, &party, p);
    let content = b"consent: request r-7, acquirer PFU, branch 26101";
    std::fs::write(p.join("data.txt"), content).unwrap();
    let sign_args = |extra: &[&str], out: &str| {
        let base = [
            "cms",
            "-sign",
            "-binary",
            "-cades",
            "-in",
            "data.txt",
            "-signer",
            "cert.pem",
            "-inkey",
            "key.pem",
            "-passin",
            "pass:1234",
            "-certfile",
            "issuing.pem",
            "-outform",
            "DER",
            "-md",
            "sha256",
            "-out",
        ];
        let mut v: Vec<String> = base.iter().map(|s| s.to_string()).collect();
        v.push(out.into());
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    for (extra, name) in [(&["-nodetach"][..], "attached.der"), (&[][..], "detached.der")] {
        let args = sign_args(extra, name);
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = openssl(&refs, p);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    }
    let trust = pki.trust();
    let attached = std::fs::read(p.join("attached.der")).unwrap();
    let v = verify(&SoftwareProvider, &attached, &VerifyInput::attached(), &trust);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
    assert_eq!(v.content.as_deref(), Some(&content[..]));
    assert!(v.report.checks.iter().any(|c| c.code == "signing_certificate"));

    let detached = std::fs::read(p.join("detached.der")).unwrap();
    let v = verify(&SoftwareProvider, &detached, &VerifyInput::detached(&[content]), &trust);
    assert_eq!(v.report.indication, Indication::TotalPassed, "{:?}", v.report);
    let v = verify(&SoftwareProvider, &detached, &VerifyInput::detached(&[b"consent: request r-8"]), &trust);
    assert_eq!(v.report.indication, Indication::TotalFailed);
    assert_eq!(v.report.sub_indication, Some(SubIndication::HashFailure));
}

#[test]
fn openssl_ts_verifies_our_time_stamp_responses() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let tsu = pki.party("Dossier Time-Stamping Unit", CertProfile::TimeStamping).unwrap();
    write_party(&pki, &tsu, p);
    let tsa = TimeStampAuthority::new(Box::new(tsu.key), tsu.certificate, pki.chain());
    std::fs::write(p.join("doc.pdf"), b"%PDF-1.7 pretend").unwrap();
    let q = openssl(&["ts", "-query", "-data", "doc.pdf", "-sha256", "-cert", "-out", "req.tsq"], p);
    assert!(q.status.success(), "{}", String::from_utf8_lossy(&q.stderr));
    let response = tsa.respond(&std::fs::read(p.join("req.tsq")).unwrap());
    std::fs::write(p.join("resp.tsr"), response).unwrap();
    let v = openssl(
        &["ts", "-verify", "-data", "doc.pdf", "-in", "resp.tsr", "-CAfile", "root.pem", "-untrusted", "issuing.pem"],
        p,
    );
    assert!(
        String::from_utf8_lossy(&v.stdout).contains("Verification: OK"),
        "{}{}",
        String::from_utf8_lossy(&v.stdout),
        String::from_utf8_lossy(&v.stderr)
    );
    std::fs::write(p.join("doc.pdf"), b"%PDF-1.7 pretenD").unwrap();
    let v = openssl(
        &["ts", "-verify", "-data", "doc.pdf", "-in", "resp.tsr", "-CAfile", "root.pem", "-untrusted", "issuing.pem"],
        p,
    );
    assert!(!String::from_utf8_lossy(&v.stdout).contains("Verification: OK"));
    // A request that is not DER gets a rejection, not silence.
    let rejected = tsa.respond(b"not a request");
    assert!(!rejected.is_empty());
}

fn write_named_party(party: &Party, name: &str, dir: &Path) {
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
    write_named_party(&first, "first", p);
    write_named_party(&second, "second", p);
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
