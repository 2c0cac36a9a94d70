//! The OCR workers' failure paths: a recogniser that cannot run, and a stored
//! scan that is gone, fail their page; after the configured attempts the page
//! goes to a person — the document waits in review with every field "not
//! found", and nothing stays claimed to come back forever. And the signed
//! result: made when the last page settles if the fund has a document seal,
//! on demand otherwise, watched by the fixity check.
use std::sync::Arc;

use chrono::Utc;
use dossier_app::digitization::{self, DigitizationSettings, OpenDossier};
use dossier_app::{App, AppConfig, Caller, Via};
use dossier_domain::digitization::AgencyCode;
use dossier_domain::org::Role;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{
    Actor, Audit, Digitization, DigitizedDocuments, DigitizedStatus, FieldStatus, NewAccount, NewUnit, Org, People,
    SqlStore, Staff, Store,
};

struct Setup {
    app: Arc<App>,
    store: Arc<SqlStore>,
    caller: Caller,
    dir: tempfile::TempDir,
}

async fn setup(program: &str) -> Setup {
    setup_with(program, None).await
}

/// A document seal from a throw-away PKI.
fn seal() -> dossier_app::trust::DocumentSeal {
    use dossier_crypto::testing::TestPki;
    let pki = TestPki::new().unwrap();
    let party = pki.party("Центральне управління", dossier_crypto::x509::CertProfile::DocumentSigning).unwrap();
    dossier_app::trust::DocumentSeal { key: party.key, certificate: party.certificate, chain: pki.chain() }
}

async fn setup_with(program: &str, seal: Option<dossier_app::trust::DocumentSeal>) -> Setup {
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
    let trust = dossier_app::trust::TrustServices::default().with_seal(seal);
    let app =
        App::new(dyn_store, blobs, AppConfig::default()).await.unwrap().with_digitization(settings).with_trust(trust);
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
    let req = OpenDossier { procedure: "1.001234".into(), person_id: None, applicant: None };
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

/// A stand-in recogniser: reads the page from stdin and reports one word in
/// Tesseract's TSV, as the real one would.
fn stand_in(dir: &std::path::Path) -> String {
    let path = dir.join("ocr.sh");
    std::fs::write(
        &path,
        "#!/bin/sh\ncat >/dev/null\nprintf 'level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n         5\\t1\\t1\\t1\\t1\\t1\\t300\\t400\\t600\\t90\\t96\\tШЕВЧЕНКО\\n'\n",
    )
    .unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn spec_2_5_a_copy_converted_from_paper_carries_the_agency_s_signature_made_once_and_watched_by_fixity() {
    let dir = tempfile::tempdir().unwrap();
    let s = setup_with(&stand_in(dir.path()), Some(seal())).await;
    let doc = one_document(&s).await;
    assert_eq!(digitization::worker::run_once(&s.app, 2).await.unwrap(), 1);
    let (d, _) = s.store.digitized_document(doc).await.unwrap().unwrap();
    let made = d.result.expect("the worker made the result");
    let (pdf, name) = digitization::result_pdf(&s.app, &s.caller, doc).await.unwrap();
    assert_eq!(name, format!("{}.pdf", d.result_code));
    assert!(pdf.starts_with(b"%PDF-") && pdf.windows(10).any(|w| w == b"/ByteRange"), "a signed PDF");
    assert_eq!(BlobStore::sha256_hex(&pdf), made.sha256);
    // Asked again, the same file: made once.
    let (again, _) = digitization::result_pdf(&s.app, &s.caller, doc).await.unwrap();
    assert_eq!(again, pdf);
    assert_eq!(digitization::fixity(&s.app).await.unwrap().damaged_results, Vec::<uuid::Uuid>::new());
    // One byte of the stored (encrypted) result changed: fixity names the document. Blob
    // names are keyed hashes; the result is the one written after the page.
    let blob = walk(&s.dir.path().join("blobs"))
        .into_iter()
        .max_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).unwrap())
        .expect("the result's blob");
    let mut bytes = std::fs::read(&blob).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&blob, bytes).unwrap();
    let report = digitization::fixity(&s.app).await.unwrap();
    assert_eq!(report.damaged_results, vec![doc]);
    assert_eq!(report.checked, 2, "the page and the result");
}

#[tokio::test]
async fn without_a_seal_there_is_no_signed_result_and_the_download_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let s = setup_with(&stand_in(dir.path()), None).await;
    let doc = one_document(&s).await;
    let early = digitization::result_pdf(&s.app, &s.caller, doc).await.unwrap_err();
    assert_eq!(early.code, "conflict", "pages still wait: {early:?}");
    digitization::worker::run_once(&s.app, 2).await.unwrap();
    assert!(s.store.digitized_document(doc).await.unwrap().unwrap().0.result.is_none());
    let e = digitization::result_pdf(&s.app, &s.caller, doc).await.unwrap_err();
    assert_eq!(e.code, "seal_missing");
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let p = entry.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

/// A stand-in recogniser that reads a taxpayer card: a surname and an RNOKPP on their rows.
fn card_reader(dir: &std::path::Path, surname: &str) -> String {
    let path = dir.join("card.sh");
    let row = |line: u32, word: u32, left: u32, top: u32, text: &str| {
        format!("5\\t1\\t1\\t1\\t{line}\\t{word}\\t{left}\\t{top}\\t300\\t60\\t96\\t{text}\\n")
    };
    let tsv = [
        "level\\tpage_num\\tblock_num\\tpar_num\\tline_num\\tword_num\\tleft\\ttop\\twidth\\theight\\tconf\\ttext\\n"
            .to_owned(),
        row(1, 1, 100, 200, "Прізвище"),
        row(1, 2, 900, 200, surname),
        row(2, 1, 100, 400, "РНОКПП"),
        row(2, 2, 900, 400, "1759013776"),
    ]
    .concat();
    std::fs::write(&path, format!("#!/bin/sh\ncat >/dev/null\nprintf '{tsv}'\n")).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

/// A region and a district under the caller's office (people are registered
/// at a district), known to the app.
async fn district(s: &Setup) -> i64 {
    let actor = Actor::system("test");
    let unit = |parent, kind, code: &str| NewUnit {
        parent_id: Some(parent),
        kind,
        code: code.into(),
        name_uk: code.into(),
        name_en: code.into(),
        address: None,
    };
    let region = unit(s.caller.unit.id, dossier_domain::org::UnitKind::RegionalOffice, "R");
    let region = s.store.create_unit(&actor, region).await.unwrap().id;
    let district = unit(region, dossier_domain::org::UnitKind::DistrictOffice, "D");
    let district = s.store.create_unit(&actor, district).await.unwrap().id;
    s.app.reload_units().await.unwrap();
    district
}

/// Issue 20: a field that disagrees with the register goes to a person. The
/// card's RNOKPP is a registered person's whose record has another surname:
/// the surname waits for a person though it was read surely; the RNOKPP,
/// which agrees, is accepted.
#[tokio::test]
async fn issue_20_a_field_that_disagrees_with_the_register_goes_to_a_person() {
    let dir = tempfile::tempdir().unwrap();
    let s = setup(&card_reader(dir.path(), "ШЕВЧУК")).await;
    let input = dossier_domain::person::PersonInput {
        rnokpp: Some("1759013776".into()),
        surname: "Шевченко".into(),
        given_name: "Олег".into(),
        birth_date: "1948-02-28".into(),
        sex: "male".into(),
        ..Default::default()
    };
    let data = input.validate(Utc::now().date_naive()).unwrap();
    let district = district(&s).await;
    s.store.create_person(&Actor::system("test"), district, &data).await.unwrap();
    let req = OpenDossier { procedure: "1.001234".into(), person_id: None, applicant: None };
    let dossier = digitization::open_dossier(&s.app, &s.caller, &req).await.unwrap();
    let doc = digitization::add_document(&s.app, &s.caller, dossier.id, "ua-taxpayer-card", &[sheet()], Utc::now())
        .await
        .unwrap();
    assert_eq!(digitization::worker::run_once(&s.app, 2).await.unwrap(), 1);
    let (d, fields) = s.store.digitized_document(doc.id).await.unwrap().unwrap();
    assert_eq!(d.status, DigitizedStatus::Review);
    let field = |k: dossier_domain::digitization::FieldKind| fields.iter().find(|f| f.field == k).unwrap();
    let surname = field(dossier_domain::digitization::FieldKind::Surname);
    assert_eq!((surname.value.as_deref(), surname.status), (Some("Шевчук"), FieldStatus::Review), "{surname:?}");
    assert!(surname.problems.iter().any(|m| m.key == "digitization.register_disagrees"), "{surname:?}");
    assert_eq!(field(dossier_domain::digitization::FieldKind::Rnokpp).status, FieldStatus::Accepted);
}

/// SPEC §2.5 "reusable in other related procedures": registering a person
/// from a paper takes its settled fields, and the person, the dossier's tie to
/// them and the history of where their record came from land together. A
/// registration refused (here: the RNOKPP is already someone's) leaves no
/// person, no tie and no history.
#[tokio::test]
async fn spec_2_5_a_paper_s_settled_fields_register_a_person_with_their_source_or_nothing_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let s = setup(&card_reader(dir.path(), "ШЕВЧУК")).await;
    let actor = Actor::system("test");
    let district = district(&s).await;
    let req = OpenDossier { procedure: "1.001234".into(), person_id: None, applicant: None };
    let dossier = digitization::open_dossier(&s.app, &s.caller, &req).await.unwrap();
    let doc = digitization::add_document(&s.app, &s.caller, dossier.id, "ua-taxpayer-card", &[sheet()], Utc::now())
        .await
        .unwrap();
    assert_eq!(digitization::worker::run_once(&s.app, 2).await.unwrap(), 1);
    let (_, fields) = s.store.digitized_document(doc.id).await.unwrap().unwrap();
    for f in fields.iter().filter(|f| f.status == FieldStatus::Review) {
        let value = match f.field.code() {
            "given_name" => "Тарас",
            "patronymic" => "Григорович",
            "birth_date" => "28.02.1948",
            other => panic!("unexpected field in review: {other}"),
        };
        digitization::decide(&s.app, &s.caller, doc.id, f.field.code(), Some(value), Utc::now()).await.unwrap();
    }
    let draft = digitization::reuse::person_draft(&s.app, &s.caller, doc.id).await.unwrap();
    let mut input = draft.input();
    assert_eq!((input.surname.as_str(), input.rnokpp.as_deref()), ("Шевчук", Some("1759013776")));
    input.sex = "male".into();
    // Someone already holds the RNOKPP: refused, and nothing of it stays.
    let mut holder = input.clone();
    holder.surname = "Шевченко".into();
    let holder = holder.validate(Utc::now().date_naive()).unwrap();
    s.store.create_person(&actor, district, &holder).await.unwrap();
    let entries = s.store.audit_verify(&[]).await.unwrap().entries();
    let refused = digitization::reuse::register_person(&s.app, &s.caller, Some(district), &input, doc.id).await;
    let refused = refused.unwrap_err();
    assert_eq!(refused.kind, dossier_app::ErrorKind::Conflict, "{refused:?}");
    assert_eq!(s.store.digitization_dossier(dossier.id).await.unwrap().unwrap().person_id, None);
    assert_eq!(s.store.audit_verify(&[]).await.unwrap().entries(), entries, "no history of a person never made");
    // Without the clash, the person is registered with the paper as their source.
    input.rnokpp = None;
    input.religious_refusal = true;
    input.passport = Some("МЕ123456".into());
    let person = digitization::reuse::register_person(&s.app, &s.caller, Some(district), &input, doc.id).await.unwrap();
    assert_eq!(s.store.digitization_dossier(dossier.id).await.unwrap().unwrap().person_id, Some(person.id));
    let history = s.store.audit_of(&format!("person:{}", person.id), 10).await.unwrap();
    let from = history.iter().find(|e| e.action == "person.from_paper").expect("the record's source");
    let details: serde_json::Value = serde_json::from_str(&from.details).unwrap();
    let taken: Vec<&str> = details["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(
        taken.contains(&"surname") && !taken.contains(&"rnokpp"),
        "the typed-over RNOKPP is not the paper's: {details}"
    );
}
