//! The hub end to end, in process: its router on 127.0.0.1:0 and a fake
//! acquirer receiver (axum on 127.0.0.1:0). Drives branch registration →
//! wallet login → code → document request → the wallet sees it → approve
//! with the PIN → the receiver gets a package that opens with the branch key,
//! whose PDF and consent verify and whose stamp names the acquirer and branch.
#[path = "support/interop.rs"]
mod interop;

use std::sync::{Arc, Mutex};

use axum::extract::{Multipart, State};
use axum::http::HeaderMap;
use axum::routing::post;
use axum::{Json, Router};
use chrono::Utc;
use dossier_crypto::container::PinContainer;
use dossier_crypto::secrets::{hash_password, token_hash};
use dossier_crypto::signed::{self, VerifyInput};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::testing::{Party, TestPki};
use dossier_crypto::validation::Indication;
use dossier_crypto::x509::{CertProfile, to_pem};
use dossier_domain::sharing::{Consent, DocumentType, RequestStatus};
use dossier_hub::store::{Acquirer, CitizenKey, HubActor, HubStore, NewCitizen, NewSignatureRequest, SqlHubStore};
use dossier_hub::{HubConfig, HubKeys, HubState, delivery};
use dossier_sharing::package::{self, Package};
use serde_json::{Value, json};

#[derive(Default)]
struct Inbox {
    /// (trace header, package) per acknowledged delivery.
    got: Vec<(String, Package)>,
    /// Deliveries to refuse before acknowledging.
    fail_first: usize,
    seen: usize,
}

async fn receive(State(inbox): State<Arc<Mutex<Inbox>>>, headers: HeaderMap, mut form: Multipart) -> Json<Value> {
    let trace = headers.get("x-document-request-trace-id").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let (mut file, mut name, mut meta) = (Vec::new(), String::new(), String::new());
    while let Ok(Some(field)) = form.next_field().await {
        match field.name().unwrap_or("") {
            "encryptedFile" => file = field.bytes().await.unwrap().to_vec(),
            "encryptedFileName" => name = field.text().await.unwrap(),
            "encodeData" => meta = field.text().await.unwrap(),
            _ => {}
        }
    }
    let mut inbox = inbox.lock().unwrap();
    inbox.seen += 1;
    if inbox.seen <= inbox.fail_first {
        return Json(json!({"success": false}));
    }
    inbox.got.push((trace, Package::from_parts(name, file, &meta).unwrap()));
    Json(json!({"success": true}))
}

async fn serve(router: Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await.unwrap() });
    format!("http://{addr}")
}

struct World {
    pki: TestPki,
    branch: Party,
    hub_cert: x509_cert::Certificate,
    state: HubState,
    base: String,
    inbox: Arc<Mutex<Inbox>>,
    token: String,
    http: reqwest::Client,
    _dir: tempfile::TempDir,
}

async fn world(fail_first: usize) -> World {
    world_with(fail_first, false).await
}

/// `foreign_key`: the citizen's certificate comes from a CA the hub does not trust.
async fn world_with(fail_first: usize, foreign_key: bool) -> World {
    let pki = TestPki::new().unwrap();
    let hub_party = pki.party("Dossier Hub", CertProfile::DocumentSigning).unwrap();
    let branch = pki.party("Branch 1", CertProfile::AgencyEncryption).unwrap();
    let citizen_party = if foreign_key {
        TestPki::new().unwrap().party("Шевченко Тарас", CertProfile::QesIdCard).unwrap()
    } else {
        pki.party("Шевченко Тарас", CertProfile::QesIdCard).unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let store = SqlHubStore::open(&format!("sqlite://{}", dir.path().join("hub.db").display())).await.unwrap();
    let store: Arc<dyn HubStore> = Arc::new(store);

    let inbox = Arc::new(Mutex::new(Inbox { fail_first, ..Inbox::default() }));
    let receiver = serve(Router::new().route("/delivery", post(receive)).with_state(inbox.clone())).await;

    let sys = HubActor::system("test");
    store
        .save_acquirer(
            &sys,
            Acquirer {
                id: "pfu".into(),
                name: "Пенсійний фонд України".into(),
                endpoint: format!("{receiver}/delivery"),
                token_hash: token_hash("s3cret"),
                login_redirect_uri: None,
            },
        )
        .await
        .unwrap();
    let citizen = store
        .create_citizen(
            &sys,
            NewCitizen {
                login: "1759013776".into(),
                password_hash: hash_password("pw-2026").unwrap(),
                display_name: "Тарас Шевченко".into(),
                rnokpp: "1759013776".into(),
            },
        )
        .await
        .unwrap();
    let data = json!({"creationDate": "01.02.2010", "docNumber": "1759013776", "lastNameUA": "Шевченко",
                      "firstNameUA": "Тарас", "middleNameUA": "Григорович", "birthday": "09.03.1988"});
    store.add_document(&sys, citizen.id, DocumentType::TaxpayerCard, &data, b"registry-cms").await.unwrap();
    // A small PBKDF2 work factor keeps the test quick; the rules are the same.
    let container = PinContainer::seal_with_iterations(&citizen_party.key, "1234", 3, 1000).unwrap();
    store
        .set_citizen_key(
            &sys,
            CitizenKey {
                citizen_id: citizen.id,
                container_json: container.to_json(),
                certificate_pem: to_pem(&citizen_party.certificate).unwrap(),
            },
        )
        .await
        .unwrap();

    let hub_cert = hub_party.certificate.clone();
    let keys = HubKeys {
        signing_key: hub_party.key,
        signing_certificate: hub_party.certificate,
        chain: pki.chain(),
        trust: pki.trust(),
        login: dossier_hub::login::LoginKeys::new(
            dossier_crypto::software::SoftwareKey::generate(dossier_crypto::Algorithm::EcP256).unwrap(),
            vec![],
        )
        .unwrap()
        .into(),
    };
    let state = HubState::new(store, HubConfig::default(), keys);
    let base = serve(dossier_hub::router(state.clone())).await;
    World {
        pki,
        branch,
        hub_cert,
        state,
        base,
        inbox,
        token: "pfu.s3cret".into(),
        http: reqwest::Client::new(),
        _dir: dir,
    }
}

impl World {
    async fn acq(&self, path: &str, body: Value) -> (u16, Value) {
        let r =
            self.http.post(format!("{}{path}", self.base)).bearer_auth(&self.token).json(&body).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn register_branch(&self) -> String {
        let (status, v) = self
            .acq(
                "/api/v1/acquirers/branch",
                json!({"name": "Центр обслуговування №1", "address": "Київ, вул. Бастіонна, 9",
                       "scopes": ["taxpayer-card", "internal-passport"],
                       "encryptionCertificate": to_pem(&self.branch.certificate).unwrap()}),
            )
            .await;
        assert_eq!(status, 200, "{v}");
        v["_id"].as_str().unwrap().to_owned()
    }

    async fn wallet_login(&self) -> String {
        let r = self
            .http
            .post(format!("{}/wallet/api/login", self.base))
            .json(&json!({"login": "1759013776", "password": "pw-2026"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        r.json::<Value>().await.unwrap()["token"].as_str().unwrap().to_owned()
    }

    async fn wallet(&self, token: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        let req = match body {
            Some(b) => self.http.post(format!("{}{path}", self.base)).json(&b),
            None => self.http.get(format!("{}{path}", self.base)),
        };
        let r = req.bearer_auth(token).send().await.unwrap();
        (r.status().as_u16(), r.json().await.unwrap_or(Value::Null))
    }

    async fn request_document(&self, branch: &str) -> (String, String, String) {
        let wt = self.wallet_login().await;
        let (s, code) = self.wallet(&wt, "/wallet/api/codes", Some(json!({"documentType": "taxpayer-card"}))).await;
        assert_eq!(s, 200, "{code}");
        let barcode = code["code"].as_str().unwrap().to_owned();
        let request_id = uuid::Uuid::new_v4().to_string();
        let (s, v) = self
            .acq(
                "/api/v1/acquirers/document-request",
                json!({"branchId": branch, "barcode": barcode, "requestId": request_id}),
            )
            .await;
        assert_eq!((s, &v), (200, &json!({"success": true, "documentType": "taxpayer-card"})));
        (wt, barcode, request_id)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_runs_from_code_to_an_opened_verified_package() {
    let w = world(0).await;
    let branch = w.register_branch().await;
    let (wt, barcode, request_id) = w.request_document(&branch).await;

    // The wallet sees the request naming the fund, the branch and the document.
    let (_, list) = w.wallet(&wt, "/wallet/api/requests", None).await;
    assert_eq!(list[0]["acquirer"], "Пенсійний фонд України");
    assert_eq!(list[0]["branch"], "Центр обслуговування №1");
    assert_eq!(list[0]["documentType"], "taxpayer-card");
    assert_eq!(list[0]["status"], "waiting_consent");
    let id = list[0]["id"].as_str().unwrap().to_owned();

    // Nothing leaves the hub before consent.
    assert_eq!(delivery::run_once(&w.state, Utc::now()).await, 0);
    assert!(w.inbox.lock().unwrap().got.is_empty());

    // A wrong PIN counts down the key's tries and shares nothing.
    let (s, v) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/approve"), Some(json!({"pin": "9999"}))).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("wrong_pin")), "{v}");
    assert_eq!(w.state.store.outbox_len().await.unwrap(), 0);

    let (s, v) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/approve"), Some(json!({"pin": "1234"}))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(v["status"], "approved");
    assert_eq!(delivery::run_once(&w.state, Utc::now()).await, 1);

    let (trace, pkg) = w.inbox.lock().unwrap().got.pop().expect("delivered");
    assert_eq!(trace, request_id);
    let opened =
        package::open(&pkg, &w.branch.certificate, &w.branch.key, &SoftwareProvider, &w.pki.trust(), &w.hub_cert)
            .unwrap();
    let md = &opened.metadata;
    assert_eq!((md.request_id.as_str(), md.barcode.as_str()), (request_id.as_str(), barcode.as_str()));
    assert_eq!(md.recipient.acquirer_name, "Пенсійний фонд України");
    assert_eq!(md.recipient.branch_id, branch);
    assert_eq!(md.recipient.branch_name, "Центр обслуговування №1");
    assert_eq!(md.data["taxpayer-card"]["docNumber"], "1759013776");
    let pdf_report =
        dossier_crypto::pades::validate::verify_pdf(&SoftwareProvider, &opened.pdf, &w.pki.trust()).unwrap();
    assert_eq!(pdf_report.indication, Indication::TotalPassed, "{pdf_report:?}");

    // The consent travels along and verifies: this request, this branch.
    use base64::Engine as _;
    let consent_cms = base64::engine::general_purpose::STANDARD.decode(md.consent.as_ref().unwrap()).unwrap();
    let verified = signed::verify(&SoftwareProvider, &consent_cms, &VerifyInput::attached(), &w.pki.trust());
    assert_eq!(verified.report.indication, Indication::TotalPassed);
    let consent: Consent = serde_json::from_slice(&verified.content.unwrap()).unwrap();
    assert_eq!((consent.request_id.as_str(), consent.branch_id.as_str()), (request_id.as_str(), branch.as_str()));

    // Delivered, and the package is gone from the hub.
    assert_eq!(w.state.store.outbox_len().await.unwrap(), 0);
    let r = w
        .http
        .get(format!("{}/api/v1/acquirers/document-request/status", w.base))
        .query(&[("barcode", barcode.as_str()), ("requestId", request_id.as_str())])
        .bearer_auth(&w.token)
        .send()
        .await
        .unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["status"], "delivered");

    // The code was single use.
    let (s, v) = w
        .acq(
            "/api/v1/acquirers/document-request",
            json!({"branchId": branch, "barcode": barcode, "requestId": "again"}),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (409, Some("already_used")));
    assert!(w.state.store.audit_verify().await.unwrap().logs.iter().all(|l| l.first_broken.is_none()));
}

/// Interop on what the hub really sends: the package captured at the
/// acquirer's endpoint opens with `openssl cms -decrypt` and the branch key,
/// `openssl cms -verify` accepts the hub's signatures, pyHanko judges the
/// rendered PAdES copy VALID, and another fund's key opens nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openssl_and_pyhanko_accept_a_package_captured_from_the_delivery() {
    let w = world(0).await;
    let branch = w.register_branch().await;
    let (wt, barcode, request_id) = w.request_document(&branch).await;
    let (_, list) = w.wallet(&wt, "/wallet/api/requests", None).await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (s, v) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/approve"), Some(json!({"pin": "1234"}))).await;
    assert_eq!(s, 200, "{v}");
    assert_eq!(delivery::run_once(&w.state, Utc::now()).await, 1);
    let (_, captured) = w.inbox.lock().unwrap().got.pop().expect("delivered");

    let other = w.pki.party("Another fund", CertProfile::AgencyEncryption).unwrap();
    let root = w.pki.root.certificate.clone();
    let Some((pdf, json)) =
        tokio::task::spawn_blocking(move || interop::open_with_tools(&captured, &w.branch, &other, &root))
            .await
            .unwrap()
    else {
        return;
    };
    assert!(pdf.starts_with(b"%PDF-"));
    let meta: Value = serde_json::from_slice(&json).unwrap();
    assert_eq!((meta["requestId"].as_str(), meta["barcode"].as_str()), (Some(&*request_id), Some(&*barcode)));
    assert_eq!(meta["recipient"]["branchName"], "Центр обслуговування №1");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn delivery_is_retried_with_backoff_until_acknowledged() {
    let w = world(2).await;
    let branch = w.register_branch().await;
    let (wt, _, _) = w.request_document(&branch).await;
    let (_, list) = w.wallet(&wt, "/wallet/api/requests", None).await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (s, _) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/approve"), Some(json!({"pin": "1234"}))).await;
    assert_eq!(s, 200);
    let t0 = Utc::now();
    assert_eq!(delivery::run_once(&w.state, t0).await, 1, "first attempt, refused");
    assert_eq!(delivery::run_once(&w.state, t0).await, 0, "not due before the back-off");
    assert_eq!(delivery::run_once(&w.state, t0 + chrono::Duration::seconds(3)).await, 1, "second, refused");
    assert_eq!(delivery::run_once(&w.state, t0 + chrono::Duration::seconds(4)).await, 0, "back-off grew");
    assert_eq!(delivery::run_once(&w.state, t0 + chrono::Duration::minutes(1)).await, 1, "third, acknowledged");
    assert_eq!(w.inbox.lock().unwrap().got.len(), 1);
    assert_eq!(w.state.store.outbox_len().await.unwrap(), 0, "package deleted after ack");
    let r = w.state.store.request(id.parse().unwrap()).await.unwrap().unwrap();
    assert_eq!(r.status, RequestStatus::Delivered);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refusals_scope_decline_and_rate_limit() {
    let w = world(0).await;
    let branch = w.register_branch().await;
    // A branch limited to birth certificates may not take a taxpayer-card code.
    let (s, v) = w
        .acq(
            "/api/v1/acquirers/branch",
            json!({"name": "Відділ РАЦС", "scopes": ["birth-certificate"],
                   "encryptionCertificate": to_pem(&w.branch.certificate).unwrap()}),
        )
        .await;
    assert_eq!(s, 200);
    let narrow = v["_id"].as_str().unwrap().to_owned();
    let wt = w.wallet_login().await;
    let (_, code) = w.wallet(&wt, "/wallet/api/codes", Some(json!({"documentType": "taxpayer-card"}))).await;
    let barcode = code["code"].as_str().unwrap();
    let (s, v) = w
        .acq("/api/v1/acquirers/document-request", json!({"branchId": narrow, "barcode": barcode, "requestId": "r1"}))
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (403, Some("type_not_allowed")), "{v}");
    assert!(v["error"]["message"].as_str().unwrap().len() > 5 && v["error"]["messageEn"].as_str().is_some());
    // Type mismatch: the specialist expects an ID card.
    let (s, v) = w
        .acq(
            "/api/v1/acquirers/document-request",
            json!({"branchId": branch, "barcode": barcode, "requestId": "r2", "documentType": "internal-passport"}),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (422, Some("type_mismatch")));
    // Identification checks and shares nothing.
    let (s, v) =
        w.acq("/api/v1/acquirers/document-identification", json!({"branchId": branch, "barcode": barcode})).await;
    assert_eq!((s, v["documentType"].as_str()), (200, Some("taxpayer-card")));
    // Decline ends the request.
    let (s, _) = w
        .acq("/api/v1/acquirers/document-request", json!({"branchId": branch, "barcode": barcode, "requestId": "r3"}))
        .await;
    assert_eq!(s, 200);
    let (_, list) = w.wallet(&wt, "/wallet/api/requests", None).await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (s, v) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/decline"), Some(json!({}))).await;
    assert_eq!((s, v["status"].as_str()), (200, Some("declined")));
    let (s, _) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/approve"), Some(json!({"pin": "1234"}))).await;
    assert_eq!(s, 409, "a declined request cannot be approved");
    delivery::run_once(&w.state, Utc::now()).await;
    assert!(w.inbox.lock().unwrap().got.is_empty());
    // Unknown codes: 10 refusals (the 2 above count too), then 429 with Retry-After.
    let mut last = 0;
    for i in 0..12 {
        let (s, _) = w
            .acq(
                "/api/v1/acquirers/document-request",
                json!({"branchId": narrow, "barcode": "1213187292345", "requestId": format!("g{i}")}),
            )
            .await;
        last = s;
    }
    assert_eq!(last, 429);
    // A wrong token is refused.
    let r = w
        .http
        .post(format!("{}/api/v1/acquirers/document-identification", w.base))
        .bearer_auth("pfu.wrong")
        .json(&json!({"branchId": branch, "barcode": barcode}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_consent_signature_that_does_not_chain_to_the_ca_shares_nothing() {
    let w = world_with(0, true).await;
    let branch = w.register_branch().await;
    let (wt, _, _) = w.request_document(&branch).await;
    let (_, list) = w.wallet(&wt, "/wallet/api/requests", None).await;
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let (s, v) = w.wallet(&wt, &format!("/wallet/api/requests/{id}/approve"), Some(json!({"pin": "1234"}))).await;
    assert_eq!((s, v["code"].as_str()), (403, Some("consent_signature_invalid")), "{v}");
    assert_eq!(w.state.store.outbox_len().await.unwrap(), 0);
    assert_eq!(delivery::run_once(&w.state, Utc::now()).await, 0);
    assert!(w.inbox.lock().unwrap().got.is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_expired_code_is_refused_and_the_wallet_hears_of_new_requests_live() {
    let w = world(0).await;
    let branch = w.register_branch().await;
    let citizen = w.state.store.citizen_by_login("1759013776").await.unwrap().unwrap();
    // A code shown more than 3 minutes ago.
    let mut draw = || dossier_domain::sharing::SharingCode::parse("1213187292345").unwrap();
    let old = Utc::now() - chrono::Duration::minutes(4);
    w.state
        .store
        .issue_code(&HubActor::citizen(citizen.id), citizen.id, DocumentType::TaxpayerCard, old, &mut draw)
        .await
        .unwrap();
    let (s, v) = w
        .acq(
            "/api/v1/acquirers/document-request",
            json!({"branchId": branch, "barcode": "1213187292345", "requestId": "x1"}),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (410, Some("expired")));
    // Wrong check digit.
    let (s, v) = w
        .acq(
            "/api/v1/acquirers/document-request",
            json!({"branchId": branch, "barcode": "1213187292346", "requestId": "x2"}),
        )
        .await;
    assert_eq!((s, v["error"]["code"].as_str()), (400, Some("invalid_code")));

    // Server-Sent Events: subscribe, then a request arrives.
    let wt = w.wallet_login().await;
    let mut resp = w.http.get(format!("{}/wallet/events", w.base)).bearer_auth(&wt).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    let (_, code) = w.wallet(&wt, "/wallet/api/codes", Some(json!({"documentType": "taxpayer-card"}))).await;
    let (s, _) = w
        .acq(
            "/api/v1/acquirers/document-request",
            json!({"branchId": branch, "barcode": code["code"], "requestId": "x3"}),
        )
        .await;
    assert_eq!(s, 200);
    let mut seen = String::new();
    while !seen.contains("event: request") || !seen.contains("waiting_consent") {
        let chunk =
            tokio::time::timeout(std::time::Duration::from_secs(30), resp.chunk()).await.unwrap().unwrap().unwrap();
        seen.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(seen.contains("Пенсійний фонд України") && seen.contains("Центр обслуговування №1"), "{seen}");
    assert!(!seen.contains("1759013776"), "no personal data in the event");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deeplink_flow_leads_the_wallet_to_the_same_request_screen() {
    let w = world(0).await;
    let branch = w.register_branch().await;
    let (s, v) = w
        .acq(
            &format!("/api/v1/acquirers/branch/{branch}/offer"),
            json!({"name": "Призначення пенсії", "scopes": ["taxpayer-card"]}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let offer = v["_id"].as_str().unwrap().to_owned();
    let (s, v) = w
        .acq(
            &format!("/api/v1/acquirers/branch/{branch}/offer-request/dynamic"),
            json!({"offerId": offer, "requestId": "dl-1"}),
        )
        .await;
    assert_eq!(s, 200, "{v}");
    let deeplink = v["deeplink"].as_str().unwrap().to_owned();
    // The deeplink names the configured public URL; this test's hub listens elsewhere.
    let token = deeplink.strip_prefix("http://127.0.0.1:8090/wallet/offer/").expect("a wallet deeplink");
    let deeplink = format!("{}/wallet/offer/{token}", w.base);
    let wt = w.wallet_login().await;
    let no_redirect = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = no_redirect.get(&deeplink).bearer_auth(&wt).send().await.unwrap();
    assert_eq!(r.status(), 303);
    let (_, list) = w.wallet(&wt, "/wallet/api/requests", None).await;
    assert_eq!(list[0]["status"], "waiting_consent");
    assert_eq!(list[0]["documentType"], "taxpayer-card");
    // The branch lists itself.
    let r = w.http.get(format!("{}/api/v1/acquirers/branches", w.base)).bearer_auth(&w.token).send().await.unwrap();
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["branches"][0]["_id"], branch.as_str());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wallet_pages_render_in_both_languages() {
    let w = world(0).await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let login_page = client.get(format!("{}/wallet", w.base)).send().await.unwrap().text().await.unwrap();
    assert!(login_page.contains("Вхід до гаманця"));
    let r = client
        .post(format!("{}/wallet/login", w.base))
        .form(&[("login", "1759013776"), ("password", "pw-2026")])
        .send()
        .await
        .unwrap();
    let home = r.text().await.unwrap();
    assert!(home.contains("Мої документи") && home.contains("Картка платника податків"), "{home}");
    let en = client.get(format!("{}/wallet?lang=en", w.base)).send().await.unwrap().text().await.unwrap();
    assert!(en.contains("My documents"));
    let csrf = home.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let code_page = client
        .post(format!("{}/wallet/documents/taxpayer-card/code", w.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(code_page.contains("class=\"ean13\"") && code_page.contains("data-expires="), "{code_page}");
    // A form without the CSRF token is refused.
    let r = client
        .post(format!("{}/wallet/documents/taxpayer-card/code", w.base))
        .form(&[("csrf", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_wallet_page_carries_the_security_headers() {
    let w = world(0).await;
    let client = reqwest::Client::builder().cookie_store(true).build().unwrap();
    let check = |r: &reqwest::Response, what: &str| {
        let html =
            r.headers().get("content-type").and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
        assert!(html, "{what}: not a page");
        // Consent is asked on these pages: no framing by another site, nothing cached.
        assert_eq!(dossier_http::headers::page_header_problems(r.headers()), Vec::<String>::new(), "{what}");
    };
    let r = client.get(format!("{}/wallet", w.base)).send().await.unwrap();
    check(&r, "login page");
    let r = client
        .post(format!("{}/wallet/login", w.base))
        .form(&[("login", "1759013776"), ("password", "no")])
        .send()
        .await
        .unwrap();
    check(&r, "login refused");
    let r = client
        .post(format!("{}/wallet/login", w.base))
        .form(&[("login", "1759013776"), ("password", "pw-2026")])
        .send()
        .await
        .unwrap();
    check(&r, "documents");
    let home = r.text().await.unwrap();
    let csrf = home.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let r = client
        .post(format!("{}/wallet/documents/taxpayer-card/code", w.base))
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    check(&r, "the code");
    for path in [
        "/wallet/requests",
        "/wallet?lang=en",
        "/wallet/offer/not-a-token",
        "/wallet/codes/00000000-0000-0000-0000-000000000000",
    ] {
        let r = client.get(format!("{}{path}", w.base)).send().await.unwrap();
        check(&r, path);
    }
    // A stale link is told to the citizen as a page, in their language.
    let r = client.get(format!("{}/wallet/offer/not-a-token?lang=uk", w.base)).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(r.text().await.unwrap().contains("посилання вже недійсне"));
    let r = client
        .post(format!("{}/wallet/documents/taxpayer-card/code", w.base))
        .form(&[("csrf", "forged")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    check(&r, "a forged form");
}

/// Signature requests: a fund asks a citizen to sign a text; the citizen
/// signs it on the wallet's page with the key's PIN (a wrong PIN is refused),
/// the browser goes back to the fund, and the fund reads a CMS signature
/// whose content is exactly the text. Only the named citizen sees the page,
/// only the asking fund reads the outcome, a request is decided once, and the
/// wallet returns only to the fund's registered origin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fund_has_a_citizen_sign_a_text_in_the_wallet() {
    use base64::Engine as _;
    use dossier_sharing::Refusal;
    use dossier_sharing::client::{AcquirerClient, HubError};
    use dossier_sharing::wire::{SignatureRequest, SignatureStatus};

    let w = world(0).await;
    let sys = HubActor::system("test");
    let pfu = AcquirerClient::new(&w.base, &w.token).unwrap();
    let document = "Заява про призначення пенсії за віком.\nПрошу призначити мені пенсію з 01.05.2026.\n<кінець>";
    let ask = |return_url: &str| SignatureRequest {
        rnokpp: "1759013776".into(),
        title: "Заява про призначення пенсії".into(),
        document: document.into(),
        return_url: return_url.into(),
    };
    let back = "https://fund.example/applications/7?step=2";

    // An acquirer without a registered login redirect URI has nowhere to return the citizen to.
    assert_eq!(pfu.request_signature(&ask(back)).await, Err(HubError::Rejected(Refusal::BadRequest)));
    for (id, secret) in [("pfu", "s3cret"), ("other", "0ther")] {
        let a = Acquirer {
            id: id.into(),
            name: if id == "pfu" {
                "Пенсійний фонд України".into()
            } else {
                "Інший фонд".into()
            },
            endpoint: "http://127.0.0.1:9/d".into(),
            token_hash: token_hash(secret),
            login_redirect_uri: Some("https://fund.example/account/callback".into()),
        };
        w.state.store.save_acquirer(&sys, a).await.unwrap();
    }
    let other = AcquirerClient::new(&w.base, "other.0ther").unwrap();
    // The wallet returns only to the registered origin; the citizen must exist; the fields follow the rules.
    for foreign in ["https://evil.example/applications/7", "http://fund.example/a", "https://fund.example:8443/a"] {
        assert_eq!(pfu.request_signature(&ask(foreign)).await, Err(HubError::Rejected(Refusal::BadRequest)));
    }
    let r = w
        .http
        .post(format!("{}/api/v1/acquirers/signature-requests", w.base))
        .bearer_auth(&w.token)
        .json(&json!({"rnokpp": "0000000000", "title": "Заява", "document": "Текст", "returnUrl": back}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let v: Value = r.json().await.unwrap();
    assert_eq!((v["success"].as_bool(), v["error"]["code"].as_str()), (Some(false), Some("unknown_citizen")), "{v}");
    for bad in [
        SignatureRequest { rnokpp: "17590137".into(), ..ask(back) },
        SignatureRequest { title: " ".into(), ..ask(back) },
        SignatureRequest { document: "x".repeat(16_385), ..ask(back) },
    ] {
        assert_eq!(pfu.request_signature(&bad).await, Err(HubError::Rejected(Refusal::BadRequest)));
    }
    let unauthorized = AcquirerClient::new(&w.base, "pfu.wrong").unwrap();
    assert_eq!(unauthorized.request_signature(&ask(back)).await, Err(HubError::Rejected(Refusal::Unauthorized)));

    let created = pfu.request_signature(&ask(back)).await.unwrap();
    let id = created.id.clone();
    assert_eq!(created.sign_url, format!("http://127.0.0.1:8090/wallet/sign/{id}"), "the hub's public URL");
    let expires = chrono::DateTime::parse_from_rfc3339(&created.expires_at).unwrap().with_timezone(&Utc);
    assert!((expires - Utc::now() - chrono::Duration::minutes(15)).num_seconds().abs() <= 5);
    let outcome = pfu.signature_outcome(&id).await.unwrap();
    assert_eq!((outcome.status, outcome.signature.as_deref()), (SignatureStatus::Waiting, None));
    // Another fund reads nothing of it.
    assert_eq!(other.signature_outcome(&id).await, Err(HubError::Rejected(Refusal::UnknownRequest)));
    assert_eq!(pfu.signature_outcome("not-an-id").await, Err(HubError::Rejected(Refusal::UnknownRequest)));

    // The citizen's browser: the page asks to sign in first and comes back.
    let browser =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let page_url = format!("{}/wallet/sign/{id}", w.base);
    let login = browser.get(&page_url).send().await.unwrap().text().await.unwrap();
    assert!(login.contains(&format!("name=\"next\" value=\"/wallet/sign/{id}\"")), "{login}");
    let r = browser
        .post(format!("{}/wallet/login", w.base))
        .form(&[("login", "1759013776"), ("password", "pw-2026"), ("next", &format!("/wallet/sign/{id}"))])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("/wallet/sign/{id}").as_str());
    let r = browser.get(&page_url).send().await.unwrap();
    assert_eq!(r.status(), 200);
    assert_eq!(dossier_http::headers::page_header_problems(r.headers()), Vec::<String>::new());
    let csp = r.headers()["content-security-policy"].to_str().unwrap().to_owned();
    assert!(csp.ends_with("form-action 'self' https://fund.example"), "{csp}");
    let html = r.text().await.unwrap();
    assert!(html.contains("<h1>Заява про призначення пенсії</h1>"), "{html}");
    assert!(html.contains("Пенсійний фонд України") && html.contains("Тарас Шевченко"));
    assert!(
        html.contains("Прошу призначити мені пенсію з 01.05.2026.\n&#60;кінець&#62;</pre>"),
        "the whole text, escaped: {html}"
    );
    assert!(html.contains("autocomplete=\"off\"") && html.contains("inputmode=\"numeric\""));
    let csrf = html.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let en = browser.get(format!("{page_url}?lang=en")).send().await.unwrap().text().await.unwrap();
    assert!(en.contains("The text you sign") && en.contains(">Sign</button>") && en.contains(">Decline</button>"));
    // (`?lang=` is remembered: back to Ukrainian for what follows.)
    browser.get(format!("{page_url}?lang=uk")).send().await.unwrap();

    // Another citizen finds nothing there.
    let citizen = w.state.store.citizen_by_login("1759013776").await.unwrap().unwrap();
    w.state
        .store
        .create_citizen(
            &sys,
            NewCitizen {
                login: "2345678901".into(),
                password_hash: hash_password("pw-other").unwrap(),
                display_name: "Леся Українка".into(),
                rnokpp: "2345678901".into(),
            },
        )
        .await
        .unwrap();
    let stranger =
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let r = stranger
        .post(format!("{}/wallet/login", w.base))
        .form(&[("login", "2345678901"), ("password", "pw-other")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    let r = stranger.get(&page_url).send().await.unwrap();
    assert_eq!(r.status(), 404);
    assert!(!r.text().await.unwrap().contains("кінець"));
    let home = stranger.get(format!("{}/wallet", w.base)).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains(&format!("/wallet/sign/{id}")), "another citizen's wallet does not list it");
    let stranger_csrf = home.split("name=\"csrf\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let r = stranger
        .post(&page_url)
        .form(&[("csrf", stranger_csrf.as_str()), ("decision", "decline")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 404);
    let r = browser.get(format!("{}/wallet/sign/{}", w.base, uuid::Uuid::now_v7())).send().await.unwrap();
    assert_eq!(r.status(), 404);

    // The citizen's own wallet lists the text waiting, with who asks, so it is found without the fund's link.
    let home = browser.get(format!("{}/wallet", w.base)).send().await.unwrap().text().await.unwrap();
    assert!(home.contains("Чекають на ваш підпис") && home.contains(&format!("href=\"/wallet/sign/{id}\"")), "{home}");
    assert!(home.contains("Заява про призначення пенсії") && home.contains("Пенсійний фонд України"), "{home}");

    // A forged form and a wrong PIN sign nothing; the page says how many tries are left.
    let r = browser
        .post(&page_url)
        .form(&[("csrf", "forged"), ("decision", "sign"), ("pin", "1234")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    let r = browser
        .post(&page_url)
        .form(&[("csrf", csrf.as_str()), ("decision", "sign"), ("pin", "9999")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 403);
    assert!(r.headers().get("location").is_none());
    let html = r.text().await.unwrap();
    assert!(html.contains("Неправильний PIN. Залишилося спроб: 2.") && html.contains("name=\"pin\""), "{html}");
    assert_eq!(pfu.signature_outcome(&id).await.unwrap().status, SignatureStatus::Waiting);

    // The right PIN signs, and the browser goes back to the fund with the request's id.
    let r = browser
        .post(&page_url)
        .form(&[("csrf", csrf.as_str()), ("decision", "sign"), ("pin", "1234")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(r.headers()["location"], format!("{back}&signature_request={id}").as_str());
    let home = browser.get(format!("{}/wallet", w.base)).send().await.unwrap().text().await.unwrap();
    assert!(!home.contains(&format!("/wallet/sign/{id}")), "a signed text leaves the list");

    // The fund reads the signature: CMS, content attached, exactly the text, the citizen's certificate.
    let outcome = pfu.signature_outcome(&id).await.unwrap();
    assert_eq!(outcome.status, SignatureStatus::Signed);
    assert!(outcome.signed_at.is_some());
    let cms = base64::engine::general_purpose::STANDARD.decode(outcome.signature.as_deref().unwrap()).unwrap();
    assert_eq!(outcome.signature_der().as_deref(), Some(&cms[..]));
    let verified = signed::verify(&SoftwareProvider, &cms, &VerifyInput::attached(), &w.pki.trust());
    assert_eq!(verified.report.indication, Indication::TotalPassed, "{:?}", verified.report);
    assert_eq!(verified.content.as_deref(), Some(document.as_bytes()));
    let key = w.state.store.citizen_key(citizen.id).await.unwrap().unwrap();
    let cert = dossier_crypto::ca::certificate_from_pem(key.certificate_pem.as_bytes()).unwrap();
    let fingerprint = base16ct::lower::encode_string(&dossier_crypto::digest::sha256(
        &dossier_crypto::ca::certificate_der(&cert).unwrap(),
    ));
    assert_eq!(verified.report.signer.map(|s| s.fingerprint), Some(fingerprint));

    // A decided request is decided: a second signature or a decline is refused on the page, without a redirect.
    for decision in ["sign", "decline"] {
        let r = browser
            .post(&page_url)
            .form(&[("csrf", csrf.as_str()), ("decision", decision), ("pin", "1234")])
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 409, "{decision}");
        assert!(r.headers().get("location").is_none());
        let html = r.text().await.unwrap();
        assert!(html.contains("Цей текст уже підписано.") && !html.contains("name=\"pin\""), "{html}");
        assert!(html.contains(&format!("href=\"{}\"", format!("{back}&signature_request={id}").replace('&', "&#38;"))));
    }
    assert_eq!(pfu.signature_outcome(&id).await.unwrap().status, SignatureStatus::Signed);

    // Declining sends the browser back as well; nothing is signed.
    let declined = pfu.request_signature(&ask("https://fund.example/applications/8")).await.unwrap();
    let r = browser
        .post(format!("{}/wallet/sign/{}", w.base, declined.id))
        .form(&[("csrf", csrf.as_str()), ("decision", "decline")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 303);
    assert_eq!(
        r.headers()["location"],
        format!("https://fund.example/applications/8?signature_request={}", declined.id).as_str()
    );
    let outcome = pfu.signature_outcome(&declined.id).await.unwrap();
    assert_eq!((outcome.status, outcome.signature, outcome.signed_at), (SignatureStatus::Declined, None, None));

    // A request past its 15 minutes reads as expired and cannot be signed.
    let long_ago = Utc::now() - chrono::Duration::minutes(20);
    let stale = w
        .state
        .store
        .create_signature_request(
            &HubActor::acquirer("pfu"),
            NewSignatureRequest {
                acquirer_id: "pfu".into(),
                citizen_id: citizen.id,
                title: "Стара заява".into(),
                document: "Текст".into(),
                return_url: back.into(),
                created_at: long_ago,
                expires_at: long_ago + chrono::Duration::minutes(15),
            },
        )
        .await
        .unwrap();
    assert_eq!(pfu.signature_outcome(&stale.id.to_string()).await.unwrap().status, SignatureStatus::Expired);
    let stale_url = format!("{}/wallet/sign/{}", w.base, stale.id);
    let html = browser.get(&stale_url).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Час на підпис минув") && !html.contains("name=\"pin\""), "{html}");
    let r = browser
        .post(&stale_url)
        .form(&[("csrf", csrf.as_str()), ("decision", "sign"), ("pin", "1234")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 409);
    assert!(r.headers().get("location").is_none());

    // Every step is audited under the request.
    let actions = w.state.store.audit_actions(&format!("signature:{id}")).await.unwrap();
    assert_eq!(actions, ["hub.signature.requested", "hub.signature.pin_refused", "hub.signature.signed"]);
    let actions = w.state.store.audit_actions(&format!("signature:{}", declined.id)).await.unwrap();
    assert_eq!(actions, ["hub.signature.requested", "hub.signature.declined"]);
    assert!(w.state.store.audit_verify().await.unwrap().logs.iter().all(|l| l.first_broken.is_none()));
}
