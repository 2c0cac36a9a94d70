//! The OCR workers' failure paths: a recogniser that cannot run, and a stored
//! scan that is gone, fail their page; after the configured attempts the page
//! goes to a person — the document waits in review with every field "not
//! found", and nothing stays claimed to come back forever.
use std::sync::Arc;

use chrono::Utc;
use dossier_app::digitization::{self, DigitizationSettings, OpenDossier};
use dossier_app::{App, AppConfig, Caller, Via};
use dossier_domain::digitization::AgencyCode;
use dossier_domain::org::Role;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{
    Actor, DigitizedDocuments, DigitizedStatus, FieldStatus, NewAccount, NewUnit, Org, SqlStore, Staff, Store,
};

struct Setup {
    app: Arc<App>,
    store: Arc<SqlStore>,
    caller: Caller,
    dir: tempfile::TempDir,
}

async fn setup(program: &str) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap());
    let actor = Actor::system("test");
    let unit = NewUnit {
        parent_id: None,
        kind: dossier_domain::org::UnitKind::CentralFund,
        code: "C".into(),
        name_uk: "Центральне управління".into(),
        name_en: "Central office".into(),
        address: None,
    };
    let office = store.create_unit(&actor, unit).await.unwrap().id;
    let account = NewAccount {
        login: "clerk".into(),
        full_name: "Оксана Мельник".into(),
        role: Role::DistrictOfficer,
        unit_id: office,
        password_hash: "-".into(),
    };
    let account = store.create_account(&actor, account).await.unwrap();
    let mut settings = DigitizationSettings::new(AgencyCode::parse("000.00.31.H29").unwrap());
    settings.tesseract.program = program.into();
    settings.max_attempts = 1;
    let blobs = BlobStore::local(&dir.path().join("blobs"), MasterKey::generate()).unwrap();
    let dyn_store: Arc<dyn Store> = store.clone();
    let app = App::new(dyn_store, blobs, AppConfig::default()).await.unwrap().with_digitization(settings);
    let caller = app.caller(account, Via::Console).unwrap();
    Setup { app: Arc::new(app), store, caller, dir }
}

/// A blank A4 sheet at 300 dpi.
fn sheet() -> Vec<u8> {
    let mut out = vec![];
    {
        let mut e = png::Encoder::new(&mut out, 2480, 3508);
        e.set_color(png::ColorType::Grayscale);
        e.set_pixel_dims(Some(png::PixelDimensions { xppu: 11_811, yppu: 11_811, unit: png::Unit::Meter }));
        e.write_header().unwrap().write_image_data(&vec![250u8; 2480 * 3508]).unwrap();
    }
    out
}

async fn one_document(s: &Setup) -> uuid::Uuid {
    let req = OpenDossier { procedure: "1.001234".into(), person_id: None };
    let dossier = digitization::open_dossier(&s.app, &s.caller, &req).await.unwrap();
    let doc =
        digitization::add_document(&s.app, &s.caller, dossier.id, "ua-id-card", &[sheet()], Utc::now()).await.unwrap();
    doc.id
}

async fn given_to_a_person(s: &Setup, doc: uuid::Uuid) {
    assert_eq!(digitization::worker::run_once(&s.app, 2).await.unwrap(), 1, "the page was claimed and settled");
    let (d, fields) = s.store.digitized_document(doc).await.unwrap().unwrap();
    assert_eq!(d.status, DigitizedStatus::Review);
    assert!(!fields.is_empty() && fields.iter().all(|f| f.status == FieldStatus::Review));
    assert!(fields.iter().all(|f| f.problems[0].key == "digitization.not_found"), "{fields:?}");
    let later = Utc::now() + chrono::Duration::hours(1);
    assert!(
        s.store.claim_pages(later, chrono::Duration::minutes(10), 10).await.unwrap().is_empty(),
        "nothing comes back"
    );
}

#[tokio::test]
async fn a_page_the_recogniser_cannot_read_goes_to_a_person_after_its_attempts() {
    let s = setup("/nonexistent/tesseract").await;
    let doc = one_document(&s).await;
    given_to_a_person(&s, doc).await;
}

#[tokio::test]
async fn a_scan_gone_from_the_store_fails_its_page_instead_of_coming_back() {
    let s = setup("tesseract").await;
    let doc = one_document(&s).await;
    std::fs::remove_dir_all(s.dir.path().join("blobs")).unwrap();
    given_to_a_person(&s, doc).await;
}
