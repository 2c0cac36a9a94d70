//! "No input makes the server panic or answer 500": random bodies, query
//! strings and ids thrown at every API route, through the real router.
use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::http::{Request, header};
use dossier_app::{App, AppConfig};
use dossier_crypto::secrets::{hash_password, token_hash};
use dossier_domain::org::{Role, UnitKind};
use dossier_server::router;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewAccount, NewUnit, SqlStore};
use dossier_store::{Intake as _, Org as _, People as _, Staff as _};
use proptest::prelude::*;
use tower::ServiceExt;

struct Env {
    app: axum::Router,
    token: String,
    /// A regional officer's token: the role that may bulk-import.
    importer: String,
    /// A CA operator's token: the role that may certify and revoke.
    ca_operator: String,
    person: String,
    unit: i64,
    _dir: tempfile::TempDir,
}

async fn setup() -> Env {
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
    let acc = store
        .create_account(
            &sys,
            NewAccount {
                login: "s".into(),
                full_name: "S".into(),
                role: Role::DistrictOfficer,
                unit_id: d.id,
                password_hash: hash_password("password-123456").unwrap(),
            },
        )
        .await
        .unwrap();
    let token = "dsr_test-token".to_owned();
    store.create_api_token(&sys, acc.id, "t", &token_hash(&token)).await.unwrap();
    let regional = store
        .create_account(
            &sys,
            NewAccount {
                login: "r".into(),
                full_name: "R".into(),
                role: Role::RegionalOfficer,
                unit_id: r.id,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let importer = "dsr_importer".to_owned();
    store.create_api_token(&sys, regional.id, "i", &token_hash(&importer)).await.unwrap();
    let p = dossier_domain::person::PersonInput {
        rnokpp: Some("1759013776".into()),
        surname: "Шевчук".into(),
        given_name: "Петро".into(),
        birth_date: "1948-02-28".into(),
        sex: "male".into(),
        ..Default::default()
    }
    .validate(chrono::Utc::now().date_naive())
    .unwrap();
    let person = store.create_person(&sys, d.id, &p).await.unwrap().id.to_string();
    let ca_unit = store.create_unit(&sys, mk(Some(c.id), UnitKind::CertificationCentre, "CA")).await.unwrap();
    let operator = store
        .create_account(
            &sys,
            NewAccount {
                login: "ca".into(),
                full_name: "CA".into(),
                role: Role::CaOperator,
                unit_id: ca_unit.id,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    let ca_operator = "dsr_ca".to_owned();
    store.create_api_token(&sys, operator.id, "c", &token_hash(&ca_operator)).await.unwrap();
    let centre = dossier_crypto::ca::CertificationCentre::init(
        Arc::new(dossier_crypto::software::SoftwareProvider),
        "CN=Root".parse().unwrap(),
        "CN=Issuing".parse().unwrap(),
    )
    .unwrap();
    let ca = Arc::new(dossier_app::certification::Ca::new(centre).unwrap());
    let blobs = BlobStore::local(&dir.path().join("blobs"), MasterKey::generate()).unwrap();
    // Document sharing on, with a registered branch and a hub that does not
    // answer (port 9): the sharing routes run their full checks.
    let pki = dossier_crypto::testing::TestPki::new().unwrap();
    let hub = pki.party("Hub", dossier_crypto::x509::CertProfile::DocumentSigning).unwrap();
    let branch = pki.party("Branch", dossier_crypto::x509::CertProfile::AgencyEncryption).unwrap();
    let scopes = dossier_domain::sharing::DocumentType::ALL.to_vec();
    let registered = dossier_store::SharingBranch {
        unit_id: d.id,
        branch_id: "branch-1".into(),
        name: "D".into(),
        scopes,
        registered_at: chrono::Utc::now(),
    };
    store.save_sharing_branch(&sys, &registered).await.unwrap();
    let config = dossier_app::intake::IntakeConfig {
        hub_url: "http://127.0.0.1:9".into(),
        acquirer_id: "pfu".into(),
        token: "pfu.secret".into(),
        hub_certificate: hub.certificate,
        public_url: None,
        poll_interval: std::time::Duration::from_secs(2),
    };
    let key = dossier_app::intake::BranchKey { certificate: branch.certificate, key: Arc::new(branch.key) };
    let intake = dossier_app::intake::Intake::new(config, [(d.id, key)].into_iter().collect()).unwrap();
    let app =
        App::new(Arc::new(store), blobs, AppConfig::default()).await.unwrap().with_ca(ca).with_intake(Arc::new(intake));
    Env { app: router(Arc::new(app)), token, importer, ca_operator, person, unit: d.id, _dir: dir }
}

const ROUTES: &[(&str, &str)] = &[
    ("POST", "/api/v1/persons"),
    ("PUT", "/api/v1/persons/{p}"),
    ("PUT", "/api/v1/persons/{p}/photo"),
    ("PUT", "/api/v1/persons/{p}/signature"),
    ("POST", "/api/v1/persons/{p}/representatives"),
    ("POST", "/api/v1/persons/{p}/applications"),
    ("PUT", "/api/v1/applications/{x}"),
    ("POST", "/api/v1/applications/{x}/withdraw"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/tokens"),
    ("GET", "/api/v1/persons?{q}"),
    ("GET", "/api/v1/applications?{q}"),
    ("GET", "/api/v1/persons/{x}"),
    ("GET", "/api/v1/documents/{x}/content"),
    ("POST", "/login"),
    ("POST", "/api/v1/persons/import?unit_id={u}"),
    ("GET", "/?{q}"),
    ("POST", "/api/v1/ca/certificates"),
    ("GET", "/api/v1/ca/certificates/{x}"),
    ("POST", "/api/v1/ca/certificates/{x}/revoke"),
    ("GET", "/ca/crl"),
    ("POST", "/api/v1/sharing/requests"),
    ("GET", "/api/v1/sharing/requests/{x}"),
    ("GET", "/api/v1/sharing/requests/{x}/copy"),
    ("POST", "/api/v1/sharing/deliveries"),
    ("GET", "/api/v1/sharing/review"),
    ("POST", "/api/v1/sharing/review/{x}/assign"),
    ("POST", "/sharing"),
];

/// Bodies shaped like what clients send, and garbage.
fn bodies() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        any::<Vec<u8>>(),
        "\\PC{0,200}".prop_map(String::into_bytes),
        (prop::sample::select(vec!["surname", "rnokpp", "birth_date", "sex", "pension_kind", "form", "issue_unit_id", "disability", "replacement", "kind", "login", "password"]), "\\PC{0,30}", any::<i64>())
            .prop_map(|(k, v, n)| format!(r#"{{"{k}": "{v}", "issue_unit_id": {n}, "disability": {{"group": "{v}"}}, "replacement": {{"reason": "{v}"}}}}"#).into_bytes()),
        Just(r#"{"surname":"Шевчук","given_name":"Петро","birth_date":"9999-99-99","sex":"male","rnokpp":"1759013776"}"#.as_bytes().to_vec()),
        (prop::sample::select(vec!["qes-id-card", "card-key", "document-signing", "key-compromise", ""]), "\\PC{0,40}")
            .prop_map(|(p, v)| format!(r#"{{"csr": "{v}", "profile": "{p}", "person": "{v}", "unit": "{v}", "card_application_id": "{v}", "validity_days": 0, "reason": "{p}"}}"#).into_bytes()),
        (prop_oneof![Just("1213187292345".to_owned()), "[0-9]{0,14}"], prop::sample::select(vec!["taxpayer-card", "internal-passport", "x"]))
            .prop_map(|(c, t)| format!(r#"{{"barcode": "{c}", "documentType": "{t}", "personId": "{c}"}}"#).into_bytes()),
        Just(b"--x\r\nContent-Disposition: form-data; name=\"encodeData\"\r\n\r\n!!\r\n--x--\r\n".to_vec()),
        Just(br#"{"pension_kind":"disability","form":"card","issue_unit_id":-1,"disability":{"group":"1","subgroup":"b","cause":"child_of_war","until":"01.01.0001"}}"#.to_vec()),
    ]
}

fn ids() -> impl Strategy<Value = String> {
    prop_oneof!["[0-9a-f-]{0,40}", "\\PC{0,20}", Just("00000000-0000-0000-0000-000000000000".to_owned())]
}

fn pct(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

fn queries() -> impl Strategy<Value = String> {
    (
        prop::sample::select(vec!["rnokpp", "okzo", "name", "limit", "offset", "stage", "by", "q", "document_no"]),
        "\\PC{0,20}",
    )
        .prop_map(|(k, v)| format!("{k}={}&limit={}", pct(&v), pct(&v)))
}

/// One runtime and one environment for all cases: the store's pools and its
/// audit writer live on the runtime that built them, and building the
/// environment (argon2, migrations) per case would dominate the run.
static RT: LazyLock<tokio::runtime::Runtime> =
    LazyLock::new(|| tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap());
static ENV: LazyLock<Env> = LazyLock::new(|| RT.block_on(setup()));

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn no_request_gets_a_server_error(route in 0..ROUTES.len(), body in bodies(), id in ids(), q in queries(), content_type in prop::sample::select(vec!["application/json", "application/x-www-form-urlencoded", "image/png", "text/plain", "text/csv", "multipart/form-data; boundary=x"])) {
        let env = &*ENV;
        let (method, path) = ROUTES[route];
        let path = path.replace("{p}", &env.person).replace("{x}", &pct(&id)).replace("{q}", &q).replace("{u}", &env.unit.to_string());
        let token = if path.starts_with("/api/v1/persons/import") {
            &env.importer
        } else if path.starts_with("/api/v1/ca/") {
            &env.ca_operator
        } else {
            &env.token
        };
        let req = Request::builder()
            .method(method)
            .uri(path.clone())
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, content_type)
            .body(Body::from(body))
            .unwrap();
        let status = RT.block_on(env.app.clone().oneshot(req)).unwrap().status();
        prop_assert!(status.as_u16() < 500, "{} {} answered {}", method, path, status);
    }
}

#[test]
fn the_environment_answers_a_valid_request() {
    let env = &*ENV;
    let req = Request::get(format!("/api/v1/persons/{}", env.person))
        .header(header::AUTHORIZATION, format!("Bearer {}", env.token))
        .body(Body::empty())
        .unwrap();
    assert_eq!(RT.block_on(env.app.clone().oneshot(req)).unwrap().status(), 200);
}
