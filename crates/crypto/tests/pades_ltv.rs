//! PAdES B-LT and B-LTA: a B-T signature whose chain and CRL are stored in
//! the document (`/DSS`) validates with revocation required and nothing
//! given but the root; a document time-stamp over the DSS makes it B-LTA.
//! The update adding the DSS is a change the modification analysis permits;
//! qpdf finds the file clean, and pyHanko validates the signature of the
//! B-LTA file. Tools skipped when missing, failed under CI=true.
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

fn party(ca: &CertificationCentre, cn: &str, profile: CertProfile) -> (SoftwareKey, x509_cert::Certificate) {
    dossier_crypto::testing::centre_party(ca, cn, profile).unwrap()
}

#[test]
fn b_lt_validates_from_the_documents_own_data_and_b_lta_adds_a_time_stamp() {
    let ca = CertificationCentre::init(
        Arc::new(SoftwareProvider),
        Name::from_str("CN=Root,C=UA").unwrap(),
        Name::from_str("CN=Issuing,C=UA").unwrap(),
    )
    .unwrap();
    let chain = vec![ca.issuing_certificate().clone()];
    let (key, cert) = party(&ca, "Olena Petrenko", CertProfile::DocumentSigning);
    let (tsa_key, tsa_cert) = party(&ca, "Dossier TSA", CertProfile::TimeStamping);
    let tsa = TimeStampAuthority::new(Box::new(tsa_key), tsa_cert.clone(), chain.clone());
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
