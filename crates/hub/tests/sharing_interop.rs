//! A sharing package sealed here checked with tools we did not write
//! (issue 4): `openssl cms -decrypt` with the branch's key and `-verify`
//! against the CA root give back the exact PDF and metadata; pyHanko judges
//! the PAdES copy VALID; another fund's key opens nothing. `hub_flow.rs`
//! runs the same checks on a package captured from the hub's delivery.
#[path = "support/interop.rs"]
mod interop;

use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::signed::SigningIdentity;
use dossier_crypto::testing::TestPki;
use dossier_crypto::x509::CertProfile;
use dossier_domain::sharing::DocumentType;
use dossier_sharing::package::seal;
use dossier_sharing::wire::{Metadata, Recipient};

fn metadata() -> Metadata {
    let mut data = serde_json::Map::new();
    data.insert(
        "taxpayer-card".into(),
        serde_json::json!({"creationDate": "01.02.2003", "docNumber": "1759013776", "lastNameUA": "Шевченко",
            "firstNameUA": "Тарас", "middleNameUA": "Григорович", "birthday": "28.02.1948"}),
    );
    Metadata {
        request_id: "0193a5d0-7c1e-7000-8000-000000000042".into(),
        barcode: "1213187292345".into(),
        document_types: vec![DocumentType::TaxpayerCard],
        data,
        recipient: Recipient {
            acquirer_id: "pfu".into(),
            acquirer_name: "Пенсійний фонд України".into(),
            branch_id: "branch-1".into(),
            branch_name: "Сервісний центр № 1".into(),
        },
        formed_at: "2026-11-21T10:00:00Z".into(),
        formed_at_local: "21.11.2026 12:00:00".into(),
        consent: None,
    }
}

#[test]
fn openssl_opens_a_package_with_the_branch_key_and_pyhanko_accepts_the_copy() {
    let pki = TestPki::new().unwrap();
    let hub = pki.party("Dossier hub", CertProfile::DocumentSigning).unwrap();
    let branch = pki.party("Branch 1", CertProfile::AgencyEncryption).unwrap();
    let other = pki.party("Another fund", CertProfile::AgencyEncryption).unwrap();
    let chain = pki.chain();
    let id = SigningIdentity { key: &hub.key, certificate: &hub.certificate, chain: &chain };
    let pdf = sign_pdf(&minimal_pdf("Копія документа"), &id, None, &PadesOptions::default()).unwrap();
    let meta = metadata();
    let package = seal(&id, &branch.certificate, &pdf, &meta).unwrap();

    let Some((opened_pdf, json)) = interop::open_with_tools(&package, &branch, &other, &pki.root.certificate) else {
        return;
    };
    assert_eq!(opened_pdf, pdf);
    assert_eq!(serde_json::from_slice::<Metadata>(&json).unwrap(), meta);
}
