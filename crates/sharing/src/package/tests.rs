//! Privacy rules of SPEC §2.1 at the package level: only the requesting
//! branch can open it, and only the trusted hub's signature is accepted.
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::TestPki;
use dossier_crypto::x509::CertProfile;
use dossier_domain::sharing::DocumentType;

use super::*;
use crate::wire::Recipient;

fn metadata() -> Metadata {
    let mut data = serde_json::Map::new();
    data.insert("taxpayer-card".into(), serde_json::json!({"docNumber": "1759013776", "lastNameUA": "Шевченко"}));
    Metadata {
        request_id: "3f1c6a2e-0000-4000-8000-000000000001".into(),
        barcode: "1213187292345".into(),
        document_types: vec![DocumentType::TaxpayerCard],
        data,
        recipient: Recipient {
            acquirer_id: "pfu".into(),
            acquirer_name: "Пенсійний фонд".into(),
            branch_id: "00000-1".into(),
            branch_name: "Центр обслуговування".into(),
        },
        formed_at: "2026-11-21T10:00:00Z".into(),
        formed_at_local: "21.11.2026 12:00:00".into(),
        consent: None,
    }
}

#[test]
fn a_package_opens_only_for_its_branch_and_only_from_the_trusted_hub() {
    let pki = TestPki::new().unwrap();
    let hub = pki.party("Hub", CertProfile::DocumentSigning).unwrap();
    let branch = pki.party("Branch", CertProfile::AgencyEncryption).unwrap();
    let other_fund = pki.party("Other fund", CertProfile::AgencyEncryption).unwrap();
    let impostor = pki.party("Impostor", CertProfile::DocumentSigning).unwrap();
    let chain = pki.chain();
    let id = SigningIdentity { key: &hub.key, certificate: &hub.certificate, chain: &chain };
    let pdf = b"%PDF-1.7 pretend".to_vec();
    let meta = metadata();

    let package = seal(&id, &branch.certificate, &pdf, &meta).unwrap();
    assert_eq!(package.file_name, "taxpayer-card.pdf.p7s.p7e");
    assert!(!package.file.windows(pdf.len()).any(|w| w == pdf.as_slice()), "the file travels encrypted");
    let round = Package::from_parts(package.file_name.clone(), package.file.clone(), &package.encode_data()).unwrap();
    assert_eq!(round, package);

    let trust = pki.trust();
    let opened = open(&package, &branch.certificate, &branch.key, &SoftwareProvider, &trust, &hub.certificate).unwrap();
    assert_eq!(opened.pdf.as_slice(), pdf.as_slice());
    assert_eq!(opened.metadata, meta);

    // Another fund's key cannot open it.
    let err = open(&package, &other_fund.certificate, &other_fund.key, &SoftwareProvider, &trust, &hub.certificate);
    assert!(matches!(err, Err(OpenError::NotForUs)), "{:?}", err.err());

    // A valid signature by another certificate of the same CA is refused (pinned hub).
    let forged_id = SigningIdentity { key: &impostor.key, certificate: &impostor.certificate, chain: &chain };
    let forged = seal(&forged_id, &branch.certificate, &pdf, &meta).unwrap();
    let err = open(&forged, &branch.certificate, &branch.key, &SoftwareProvider, &trust, &hub.certificate);
    assert!(matches!(err, Err(OpenError::WrongSigner { .. })), "{:?}", err.err());
}
