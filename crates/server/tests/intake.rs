//! The fund's intake against a fake hub on loopback (issue 4, part 3 and the
//! fund's side of parts 4 and 5): requests, every refusal's message, the
//! guess limit, an unreachable hub, deliveries opened, checked, matched,
//! stored encrypted and acknowledged once, the review queue, live status by
//! SSE, two specialists with one code, and no personal data in the logs.
use std::collections::HashMap;
use std::io::Write;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use axum::Json;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use axum::routing::{get, post};
use dossier_app::intake::{BranchKey, Intake, IntakeConfig};
use dossier_app::{App, AppConfig};
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::secrets::token_hash;
use dossier_crypto::signed::SigningIdentity;
use dossier_crypto::testing::{Party, TestPki};
use dossier_crypto::x509::CertProfile;
use dossier_domain::intake::IntakeStatus;
use dossier_domain::org::{Role, UnitKind};
use dossier_domain::sharing::{DocumentType, RequestStatus};
use dossier_domain::{Lang, Message, i18n::text};
use dossier_sharing::package::{Package, seal};
use dossier_sharing::wire::{
    AcquirerAnswer, AcquirerError, DocumentRequest, Metadata, PART_FILE, PART_FILE_NAME, PART_METADATA, Recipient,
    StatusAnswer, TRACE_HEADER,
};
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewAccount, NewUnit, SharingBranch, SqlStore};
use dossier_store::{Audit as _, Documents as _, Intake as _, Org as _, People as _, Staff as _};
use serde_json::{Value, json};

const RNOKPP: &str = "1759013776";
const SURNAME: &str = "Шевченко";
const ACQUIRER: &str = "pfu";
const HUB_TOKEN: &str = "acquirer-secret-token";
const BRANCH: &str = "hub-branch-7";

// ---- captured logs: every test's tracing output lands here ----

static LOGS: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct Capture;
impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut l) = LOGS.lock() {
            l.extend_from_slice(buf);
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let sub = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::new("trace"))
            .with_writer(|| Capture)
            .with_ansi(false)
            .finish();
        let _ = tracing::subscriber::set_global_default(sub);
    });
}

fn logs() -> String {
    String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned()
}

// ---- the fake hub ----

#[derive(Clone)]
struct FakeCode {
    document_type: DocumentType,
    used: bool,
    expired: bool,
}

#[derive(Default)]
struct Hub {
    codes: Mutex<HashMap<String, FakeCode>>,
    requests: Mutex<HashMap<String, (String, RequestStatus)>>,
    received: Mutex<Vec<DocumentRequest>>,
    down: AtomicBool,
}

fn refusal(status: StatusCode, code: &str) -> axum::response::Response {
    let body = AcquirerAnswer {
        success: false,
        error: Some(AcquirerError {
            code: code.into(), message: "відмова".into(), message_en: "refused".into()
        }),
        document_type: None,
    };
    (status, Json(body)).into_response()
}

fn authorized(h: &HeaderMap) -> bool {
    h.get("authorization").and_then(|v| v.to_str().ok()) == Some(&format!("Bearer {HUB_TOKEN}"))
}

async fn hub_request(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Json(req): Json<DocumentRequest>,
) -> axum::response::Response {
    if hub.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    hub.received.lock().unwrap().push(req.clone());
    // Single use, decided under one lock: of two at once exactly one wins.
    let mut codes = hub.codes.lock().unwrap();
    let Some(code) = codes.get_mut(&req.barcode) else { return refusal(StatusCode::NOT_FOUND, "unknown") };
    if code.used {
        return refusal(StatusCode::CONFLICT, "already_used");
    }
    if code.expired {
        return refusal(StatusCode::GONE, "expired");
    }
    if req.document_type.is_some_and(|t| t != code.document_type) {
        return refusal(StatusCode::UNPROCESSABLE_ENTITY, "type_mismatch");
    }
    code.used = true;
    hub.requests.lock().unwrap().insert(req.request_id.clone(), (req.barcode.clone(), RequestStatus::WaitingConsent));
    Json(AcquirerAnswer { success: true, error: None, document_type: None }).into_response()
}

async fn hub_status(
    State(hub): State<Arc<Hub>>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> axum::response::Response {
    if hub.down.load(Ordering::SeqCst) {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    if !authorized(&headers) {
        return refusal(StatusCode::UNAUTHORIZED, "unauthorized");
    }
    let id = q.get("requestId").cloned().unwrap_or_default();
    match hub.requests.lock().unwrap().get(&id) {
        Some((_, status)) => Json(StatusAnswer {
            success: true,
            request_id: id,
            status: *status,
            updated_at: chrono::Utc::now().to_rfc3339(),
        })
        .into_response(),
        None => refusal(StatusCode::NOT_FOUND, "unknown"),
    }
}

async fn hub_branch(headers: HeaderMap, Json(body): Json<Value>) -> axum::response::Response {
    if !authorized(&headers) || body["encryptionCertificate"].as_str().is_none_or(|p| !p.contains("BEGIN CERTIFICATE"))
    {
        return refusal(StatusCode::BAD_REQUEST, "bad_request");
    }
    Json(json!({"_id": BRANCH})).into_response()
}

async fn start_hub() -> (Arc<Hub>, String) {
    let hub = Arc::new(Hub::default());
    let app = axum::Router::new()
        .route("/api/v1/acquirers/document-request", post(hub_request))
        .route("/api/v1/acquirers/document-request/status", get(hub_status))
        .route("/api/v1/acquirers/branch", post(hub_branch))
        .with_state(hub.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (hub, url)
}

// ---- the fund ----

struct Env {
    hub: Arc<Hub>,
    fund: String,
    app: Arc<App>,
    intake: Arc<Intake>,
    pki: TestPki,
    hub_party: Party,
    branch_cert: x509_cert::Certificate,
    district: i64,
    person: uuid::Uuid,
    specialist: String,
    specialist2: String,
    http: reqwest::Client,
    dir: tempfile::TempDir,
    sql: Arc<SqlStore>,
}

async fn env() -> Env {
    capture_logs();
    let (hub, hub_url) = start_hub().await;
    let dir = tempfile::tempdir().unwrap();
    let store = SqlStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap();
    let sys = Actor::system("test");
    let mk = |parent, kind, code: &str| NewUnit {
        parent_id: parent,
        kind,
        code: code.into(),
        name_uk: code.into(),
        name_en: code.into(),
        address: None,
    };
    let c = store.create_unit(&sys, mk(None, UnitKind::CentralFund, "C")).await.unwrap();
    let r = store.create_unit(&sys, mk(Some(c.id), UnitKind::RegionalOffice, "R")).await.unwrap();
    let d = store.create_unit(&sys, mk(Some(r.id), UnitKind::DistrictOffice, "D")).await.unwrap();
    let sc = store.create_unit(&sys, mk(Some(d.id), UnitKind::ServiceCentre, "SC")).await.unwrap();
    let mut tokens = vec![];
    for login in ["s1", "s2"] {
        let acc = store
            .create_account(
                &sys,
                NewAccount {
                    login: login.into(),
                    full_name: login.into(),
                    role: Role::Specialist,
                    unit_id: sc.id,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap();
        let token = format!("dsr_{login}");
        store.create_api_token(&sys, acc.id, "t", &token_hash(&token)).await.unwrap();
        tokens.push(token);
    }
    let p = dossier_domain::person::PersonInput {
        rnokpp: Some(RNOKPP.into()),
        surname: SURNAME.into(),
        given_name: "Тарас".into(),
        birth_date: "1948-02-28".into(),
        sex: "male".into(),
        ..Default::default()
    }
    .validate(chrono::Utc::now().date_naive())
    .unwrap();
    let person = store.create_person(&sys, d.id, &p).await.unwrap().id;
    // The district is the registered branch; its service centre requests through it.
    let branch = SharingBranch {
        unit_id: d.id,
        branch_id: BRANCH.into(),
        name: "D".into(),
        scopes: vec![DocumentType::TaxpayerCard, DocumentType::IdCard],
        registered_at: chrono::Utc::now(),
    };
    store.save_sharing_branch(&sys, &branch).await.unwrap();

    let pki = TestPki::new().unwrap();
    let hub_party = pki.party("Hub", CertProfile::DocumentSigning).unwrap();
    let branch_party = pki.party("Branch D", CertProfile::AgencyEncryption).unwrap();
    let branch_cert = branch_party.certificate.clone();
    let mut keys = HashMap::new();
    keys.insert(d.id, BranchKey { certificate: branch_party.certificate, key: Arc::new(branch_party.key) });
    let config = IntakeConfig {
        hub_url,
        acquirer_id: ACQUIRER.into(),
        token: HUB_TOKEN.into(),
        hub_certificate: hub_party.certificate.clone(),
        public_url: None,
        poll_interval: Duration::from_millis(10),
    };
    let intake = Arc::new(Intake::new(config, keys).unwrap());
    let blobs = BlobStore::local(&dir.path().join("blobs"), MasterKey::generate()).unwrap();
    let sql = Arc::new(store);
    let app = App::new(sql.clone(), blobs, AppConfig::default())
        .await
        .unwrap()
        .with_trust(dossier_app::trust::TrustServices::new(pki.trust(), None))
        .with_intake(intake.clone());
    let app = Arc::new(app);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let fund = format!("http://{}", listener.local_addr().unwrap());
    let service = dossier_server::router(app.clone());
    tokio::spawn(dossier_server::serve(listener, service, std::future::pending()));
    Env {
        hub,
        fund,
        app,
        intake,
        pki,
        hub_party,
        branch_cert,
        district: d.id,
        person,
        specialist: tokens[0].clone(),
        specialist2: tokens[1].clone(),
        http: reqwest::Client::new(),
        dir,
        sql,
    }
}

/// A fresh valid code the fake hub knows.
fn code(env: &Env, document_type: DocumentType) -> String {
    let c = dossier_domain::sharing::SharingCode::from_random(rand::random::<u8>).to_string();
    env.hub.codes.lock().unwrap().insert(c.clone(), FakeCode { document_type, used: false, expired: false });
    c
}

impl Env {
    async fn request(&self, token: &str, barcode: &str, document_type: &str) -> (StatusCode, Value) {
        let resp = self
            .http
            .post(format!("{}/api/v1/sharing/requests", self.fund))
            .bearer_auth(token)
            .json(&json!({"barcode": barcode, "documentType": document_type}))
            .send()
            .await
            .unwrap();
        let status = StatusCode::from_u16(resp.status().as_u16()).unwrap();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    fn metadata(&self, request_id: &str, barcode: &str, data: Value) -> Metadata {
        let mut map = serde_json::Map::new();
        map.insert("taxpayer-card".into(), data);
        Metadata {
            request_id: request_id.into(),
            barcode: barcode.into(),
            document_types: vec![DocumentType::TaxpayerCard],
            data: map,
            recipient: Recipient {
                acquirer_id: ACQUIRER.into(),
                acquirer_name: "Пенсійний фонд України".into(),
                branch_id: BRANCH.into(),
                branch_name: "D".into(),
            },
            formed_at: "2026-11-21T10:00:00Z".into(),
            formed_at_local: "21.11.2026 12:00:00".into(),
            consent: Some("Y29uc2VudA==".into()),
        }
    }

    /// What the hub does after consent: a PAdES copy, signed and sealed to `to`.
    fn seal(&self, meta: &Metadata, to: &x509_cert::Certificate) -> Package {
        let chain = self.pki.chain();
        let id = SigningIdentity { key: &self.hub_party.key, certificate: &self.hub_party.certificate, chain: &chain };
        let pdf = sign_pdf(&minimal_pdf(&format!("{SURNAME} {RNOKPP}")), &id, None, &PadesOptions::default()).unwrap();
        seal(&id, to, &pdf, meta).unwrap()
    }

    async fn deliver(&self, package: &Package, trace: &str) -> (StatusCode, Value) {
        let form = reqwest::multipart::Form::new()
            .part(PART_FILE, reqwest::multipart::Part::bytes(package.file.clone()).file_name(package.file_name.clone()))
            .text(PART_FILE_NAME, package.file_name.clone())
            .text(PART_METADATA, package.encode_data());
        let resp = self
            .http
            .post(format!("{}/api/v1/sharing/deliveries", self.fund))
            .header(TRACE_HEADER, trace)
            .multipart(form)
            .send()
            .await
            .unwrap();
        let status = StatusCode::from_u16(resp.status().as_u16()).unwrap();
        (status, resp.json().await.unwrap_or(Value::Null))
    }

    /// A request accepted by the hub, ready for delivery: (request id, barcode).
    async fn live_request(&self) -> (String, String) {
        let barcode = code(self, DocumentType::TaxpayerCard);
        let (status, body) = self.request(&self.specialist, &barcode, "taxpayer-card").await;
        assert_eq!(status, StatusCode::CREATED, "{body}");
        (body["id"].as_str().unwrap().to_owned(), barcode)
    }
}

fn detail_is(body: &Value, key: &'static str, args: &[(&'static str, &str)]) {
    let message = args.iter().fold(Message::new(key), |m, (name, value)| m.with(name, value));
    assert_eq!(body["detail"]["uk"], message.render(Lang::UK), "{body}");
    assert_eq!(body["detail"]["en"], message.render(Lang::EN), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_typed_code_becomes_a_request_waiting_for_consent() {
    let env = env().await;
    let barcode = code(&env, DocumentType::TaxpayerCard);
    let (status, body) = env.request(&env.specialist, &barcode, "taxpayer-card").await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    assert_eq!(body["status"], "waiting_consent");
    assert_eq!(body["statusText"]["uk"], text("sharing.status.waiting_consent", Lang::UK));
    let sent = env.hub.received.lock().unwrap().clone();
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].branch_id, BRANCH, "the service centre requests through its district's branch");
    assert_eq!(sent[0].request_id, body["id"].as_str().unwrap());
    assert_eq!(sent[0].document_type, Some(DocumentType::TaxpayerCard));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_check_digit_never_leaves_the_fund() {
    let env = env().await;
    let (status, body) = env.request(&env.specialist, "1213187292346", "taxpayer-card").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(body["errors"][0]["field"], "barcode");
    assert_eq!(body["errors"][0]["code"], "sharing.code.checksum");
    assert_eq!(body["errors"][0]["uk"], text("sharing.code.checksum", Lang::UK));
    assert!(env.hub.received.lock().unwrap().is_empty(), "nothing reached the hub");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_refusal_is_explained_in_ukrainian_and_english() {
    let env = env().await;
    // Unknown: a valid check digit the hub never issued.
    let (status, body) = env.request(&env.specialist, "1213187292345", "taxpayer-card").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("unknown")));
    detail_is(&body, "sharing.code.unknown", &[]);
    // Expired.
    let expired = code(&env, DocumentType::TaxpayerCard);
    env.hub.codes.lock().unwrap().get_mut(&expired).unwrap().expired = true;
    let (_, body) = env.request(&env.specialist, &expired, "taxpayer-card").await;
    assert_eq!(body["code"], "expired");
    detail_is(&body, "sharing.code.expired", &[]);
    // Type mismatch: the code was made for the ID card.
    let id_card = code(&env, DocumentType::IdCard);
    let (_, body) = env.request(&env.specialist, &id_card, "taxpayer-card").await;
    assert_eq!(body["code"], "type_mismatch");
    detail_is(&body, "sharing.type_mismatch", &[("type", "taxpayer-card")]);
    // Already used.
    let used = code(&env, DocumentType::TaxpayerCard);
    env.hub.codes.lock().unwrap().get_mut(&used).unwrap().used = true;
    let (status, body) = env.request(&env.specialist, &used, "taxpayer-card").await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::CONFLICT, Some("already_used")));
    detail_is(&body, "sharing.code.used", &[]);
    // Not in the branch's scopes: refused at the fund, never sent.
    let before = env.hub.received.lock().unwrap().len();
    let birth = code(&env, DocumentType::BirthCertificate);
    let (_, body) = env.request(&env.specialist2, &birth, "birth-certificate").await;
    assert_eq!(body["code"], "type_not_allowed");
    detail_is(&body, "sharing.type_not_allowed", &[("type", "birth-certificate")]);
    assert_eq!(env.hub.received.lock().unwrap().len(), before);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn guessing_codes_is_rate_limited_per_specialist_and_branch() {
    let env = env().await;
    for _ in 0..5 {
        let (status, _) = env.request(&env.specialist, "1213187292346", "taxpayer-card").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let resp = env
        .http
        .post(format!("{}/api/v1/sharing/requests", env.fund))
        .bearer_auth(&env.specialist)
        .json(&json!({"barcode": code(&env, DocumentType::TaxpayerCard), "documentType": "taxpayer-card"}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 429);
    let wait: u64 = resp.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!(wait > 0 && wait <= 600);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], "rate_limited");
    // The branch counts too: the colleague at the same branch waits as well.
    let (status, _) = env.request(&env.specialist2, &code(&env, DocumentType::TaxpayerCard), "taxpayer-card").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    // Every attempt is audited, without the full code.
    let audit = env.sql.audit_of(&format!("sharing_branch:{BRANCH}"), 50).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "sharing.code.attempt").count(), 5);
    assert!(audit.iter().all(|e| !e.details.to_string().contains("1213187292346")));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unreachable_hub_keeps_the_request_and_the_worker_sends_it_later() {
    let env = env().await;
    env.hub.down.store(true, Ordering::SeqCst);
    let barcode = code(&env, DocumentType::TaxpayerCard);
    let (status, body) = env.request(&env.specialist, &barcode, "taxpayer-card").await;
    assert_eq!(status, StatusCode::ACCEPTED, "{body}");
    assert_eq!(body["status"], "submitting");
    assert_eq!(body["error"]["uk"], text("sharing.hub_unreachable", Lang::UK));
    assert_eq!(body["error"]["en"], text("sharing.hub_unreachable", Lang::EN));
    let id = uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    env.hub.down.store(false, Ordering::SeqCst);
    // The worker picks it up once its back-off has passed.
    let mut status = IntakeStatus::Submitting;
    for _ in 0..100 {
        dossier_app::intake::worker::step(&env.app, &env.intake).await.unwrap();
        status = env.sql.sharing_request(id).await.unwrap().unwrap().status;
        if status != IntakeStatus::Submitting {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(status, IntakeStatus::WaitingConsent);
    assert_eq!(env.hub.received.lock().unwrap().len(), 1, "sent once it could be");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_specialists_with_the_same_code_exactly_one_succeeds() {
    let env = env().await;
    let barcode = code(&env, DocumentType::TaxpayerCard);
    let (a, b) = tokio::join!(
        env.request(&env.specialist, &barcode, "taxpayer-card"),
        env.request(&env.specialist2, &barcode, "taxpayer-card")
    );
    let mut statuses = [a.0, b.0];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::CREATED, StatusCode::CONFLICT], "{a:?} {b:?}");
    let loser = if a.0 == StatusCode::CONFLICT { a.1 } else { b.1 };
    assert_eq!(loser["code"], "already_used");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_delivery_is_opened_matched_stored_encrypted_and_acknowledged_once() {
    let env = env().await;
    let (id, barcode) = env.live_request().await;
    let meta = env.metadata(&id, &barcode, json!({"docNumber": RNOKPP, "lastNameUA": SURNAME, "firstNameUA": "Тарас"}));
    let package = env.seal(&meta, &env.branch_cert);
    let (status, body) = env.deliver(&package, &id).await;
    assert_eq!((status, &body), (StatusCode::OK, &json!({"success": true})));
    // The hub retries until it hears success: a repeat is acknowledged, not stored again.
    let (status, body) = env.deliver(&package, &id).await;
    assert_eq!((status, &body), (StatusCode::OK, &json!({"success": true})));
    let docs = env.sql.documents(env.person).await.unwrap();
    assert_eq!(docs.len(), 2, "the PDF and the signed metadata, once");
    let rid = uuid::Uuid::parse_str(&id).unwrap();
    let copy = env.sql.sharing_copy(rid).await.unwrap().unwrap();
    assert_eq!(copy.person_id, Some(env.person));
    assert_eq!(copy.report["pdf"]["indication"], "TOTAL-PASSED", "{}", copy.report);
    assert_eq!(copy.stamp["branchId"], BRANCH);
    assert_eq!(copy.consent.as_deref(), Some("Y29uc2VudA=="));
    // Encrypted at rest: no blob file holds the PDF's text.
    for f in walk(&env.dir.path().join("blobs")) {
        let bytes = std::fs::read(&f).unwrap();
        assert!(!bytes.windows(5).any(|w| w == b"%PDF-"), "plaintext PDF in {}", f.display());
    }
    // The counter sees it delivered, with the copy and its provenance.
    let view: Value = env
        .http
        .get(format!("{}/api/v1/sharing/requests/{id}", env.fund))
        .bearer_auth(&env.specialist)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "delivered");
    assert_eq!(view["copy"]["person_id"], env.person.to_string());
    let pdf = env
        .http
        .get(format!("{}/api/v1/sharing/requests/{id}/copy", env.fund))
        .bearer_auth(&env.specialist)
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.status().as_u16(), 200);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF-"));
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_package_for_another_fund_is_refused_and_nothing_is_stored() {
    let env = env().await;
    let (id, barcode) = env.live_request().await;
    let other = env.pki.party("Another fund", CertProfile::AgencyEncryption).unwrap();
    let meta = env.metadata(&id, &barcode, json!({"docNumber": RNOKPP}));
    let (status, body) = env.deliver(&env.seal(&meta, &other.certificate), &id).await;
    // Retrying cannot make it readable: a 4xx with a stable code, not a 5xx.
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("not_for_us")));
    assert!(env.sql.documents(env.person).await.unwrap().is_empty());
    let r = env.sql.sharing_request(uuid::Uuid::parse_str(&id).unwrap()).await.unwrap().unwrap();
    assert_eq!(r.status, IntakeStatus::WaitingConsent);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stamp_naming_another_branch_or_acquirer_is_refused() {
    let env = env().await;
    let (id, barcode) = env.live_request().await;
    let mut meta = env.metadata(&id, &barcode, json!({"docNumber": RNOKPP}));
    meta.recipient.branch_id = "someone-elses-branch".into();
    let (status, body) = env.deliver(&env.seal(&meta, &env.branch_cert), &id).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("branch_mismatch")));
    let mut meta = env.metadata(&id, &barcode, json!({"docNumber": RNOKPP}));
    meta.recipient.acquirer_id = "another-fund".into();
    let (_, body) = env.deliver(&env.seal(&meta, &env.branch_cert), &id).await;
    assert_eq!(body["code"], "acquirer_mismatch");
    // A trace header naming another request than the signed metadata.
    let meta = env.metadata(&id, &barcode, json!({"docNumber": RNOKPP}));
    let (other_id, _) = env.live_request().await;
    let (_, body) = env.deliver(&env.seal(&meta, &env.branch_cert), &other_id).await;
    assert_eq!(body["code"], "trace_mismatch");
    // No request of ours at all.
    let (status, _) = env.deliver(&env.seal(&meta, &env.branch_cert), &uuid::Uuid::new_v4().to_string()).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(env.sql.documents(env.person).await.unwrap().is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unmatched_copy_waits_in_the_review_queue_until_assigned() {
    let env = env().await;
    let (id, barcode) = env.live_request().await;
    // A valid RNOKPP nobody in the registry has.
    let meta = env.metadata(&id, &barcode, json!({"docNumber": "3000000008"}));
    let (status, _) = env.deliver(&env.seal(&meta, &env.branch_cert), &id).await;
    assert_eq!(status, StatusCode::OK);
    let queue: Value = env
        .http
        .get(format!("{}/api/v1/sharing/review", env.fund))
        .bearer_auth(&env.specialist)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(queue["items"].as_array().unwrap().len(), 1, "{queue}");
    assert_eq!(queue["items"][0]["request_id"], id);
    let resp = env
        .http
        .post(format!("{}/api/v1/sharing/review/{id}/assign", env.fund))
        .bearer_auth(&env.specialist)
        .json(&json!({"personId": env.person}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(env.sql.documents(env.person).await.unwrap().len(), 2);
    let _ = env.district;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counter_follows_a_decline_live_by_server_sent_events() {
    let env = env().await;
    let (id, _) = env.live_request().await;
    let mut resp = env
        .http
        .get(format!("{}/api/v1/sharing/requests/{id}/events", env.fund))
        .bearer_auth(&env.specialist)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    let first = String::from_utf8(resp.chunk().await.unwrap().unwrap().to_vec()).unwrap();
    assert!(first.contains("waiting_consent"), "{first}");
    // The citizen declines; the worker's poll notices and the page is told.
    env.hub.requests.lock().unwrap().get_mut(&id).unwrap().1 = RequestStatus::Declined;
    let mut seen = String::new();
    for _ in 0..100 {
        dossier_app::intake::worker::step(&env.app, &env.intake).await.unwrap();
        if let Ok(Ok(Some(chunk))) = tokio::time::timeout(Duration::from_millis(100), resp.chunk()).await {
            seen.push_str(&String::from_utf8_lossy(&chunk));
            if seen.contains("\"declined\"") {
                break;
            }
        }
    }
    assert!(seen.contains("\"status\":\"declined\""), "{seen}");
    assert!(seen.contains(text("sharing.declined", Lang::EN)), "{seen}");
}

/// Runs a delivery (matched, refused, mismatched) and then reads every log
/// line this test binary produced: no identifier or name may be among them.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn personal_identifiers_and_decrypted_content_never_reach_the_logs() {
    let env = env().await;
    let (id, barcode) = env.live_request().await;
    let meta = env.metadata(&id, &barcode, json!({"docNumber": RNOKPP, "lastNameUA": SURNAME}));
    let other = env.pki.party("Another fund", CertProfile::AgencyEncryption).unwrap();
    env.deliver(&env.seal(&meta, &other.certificate), &id).await;
    let mut wrong = meta.clone();
    wrong.recipient.branch_id = "x".into();
    env.deliver(&env.seal(&wrong, &env.branch_cert), &id).await;
    let (status, _) = env.deliver(&env.seal(&meta, &env.branch_cert), &id).await;
    assert_eq!(status, StatusCode::OK);
    tokio::time::sleep(Duration::from_millis(50)).await;
    let logs = logs();
    assert!(logs.contains("delivery refused"), "the capture works");
    for secret in [RNOKPP, SURNAME, "Тарас", &barcode, HUB_TOKEN] {
        assert!(!logs.contains(secret), "{secret:?} appeared in the logs");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_counter_page_works_as_a_plain_form_and_status_page() {
    let env = env().await;
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page = http.get(format!("{}/sharing", env.fund)).bearer_auth(&env.specialist).send().await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(text("intake.nav", Lang::UK)), "nav link");
    assert!(
        html.contains("value=\"taxpayer-card\"") && !html.contains("value=\"birth-certificate\""),
        "only the branch's scopes"
    );
    // A wrong check digit: the form again, with the message.
    let resp = http
        .post(format!("{}/sharing", env.fund))
        .bearer_auth(&env.specialist)
        .form(&[("csrf", ""), ("barcode", "1213187292346"), ("document_type", "taxpayer-card")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    assert!(resp.text().await.unwrap().contains(text("sharing.code.checksum", Lang::UK)));
    // A good code: to the request's page, which shows the status.
    let barcode = code(&env, DocumentType::TaxpayerCard);
    let resp = http
        .post(format!("{}/sharing", env.fund))
        .bearer_auth(&env.specialist)
        .form(&[("csrf", ""), ("barcode", barcode.as_str()), ("document_type", "taxpayer-card")])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 303);
    let location = resp.headers()["location"].to_str().unwrap().to_owned();
    assert!(location.starts_with("/sharing/requests/"), "{location}");
    let html = http.get(format!("{}{location}", env.fund)).bearer_auth(&env.specialist).send().await.unwrap();
    let html = html.text().await.unwrap();
    assert!(html.contains(text("sharing.status.waiting_consent", Lang::UK)));
    assert!(html.contains("/static/intake.js"));
    // Delivered: the page shows the copy, its verdict and the person.
    let id = location.trim_start_matches("/sharing/requests/");
    let meta = env.metadata(id, &barcode, json!({"docNumber": RNOKPP}));
    assert_eq!(env.deliver(&env.seal(&meta, &env.branch_cert), id).await.0, StatusCode::OK);
    let html = http.get(format!("{}{location}", env.fund)).bearer_auth(&env.specialist).send().await.unwrap();
    let html = html.text().await.unwrap();
    assert!(html.contains(&format!("/api/v1/sharing/requests/{id}/copy")));
    assert!(html.contains(&format!("/persons/{}", env.person)));
    assert!(html.contains("verdict valid"), "the PAdES copy is judged valid");
    let js = http.get(format!("{}/static/intake.js", env.fund)).send().await.unwrap();
    assert_eq!(js.status().as_u16(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_request_the_hub_never_took_fails_cleanly_once_its_code_cannot_be_valid() {
    let env = env().await;
    env.hub.down.store(true, Ordering::SeqCst);
    let (status, body) = env.request(&env.specialist, &code(&env, DocumentType::TaxpayerCard), "taxpayer-card").await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let id = uuid::Uuid::parse_str(body["id"].as_str().unwrap()).unwrap();
    // Pretend the code was typed four minutes ago (longer than a code lives).
    let past = (chrono::Utc::now() - chrono::Duration::minutes(4)).to_rfc3339();
    let sql = format!("UPDATE sharing_requests SET created_at = '{past}', next_check_at = '{past}'");
    env.sql.execute_raw(dossier_store::audit::Log::Change, &sql).await.unwrap();
    dossier_app::intake::worker::step(&env.app, &env.intake).await.unwrap();
    let r = env.sql.sharing_request(id).await.unwrap().unwrap();
    assert_eq!(r.status, IntakeStatus::Failed, "failed, not lost and not pending forever");
    assert_eq!(r.last_error.as_deref(), Some("sharing.hub_unreachable"));
    let view: Value = env
        .http
        .get(format!("{}/api/v1/sharing/requests/{id}", env.fund))
        .bearer_auth(&env.specialist)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(view["status"], "failed");
    assert_eq!(view["error"]["en"], text("sharing.hub_unreachable", Lang::EN));
}
