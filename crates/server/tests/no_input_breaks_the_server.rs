//! "No input makes the server panic or answer 500": random bodies, query
//! strings and ids thrown at every API route, through the real router.
use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::http::{Request, header};
use dossier_app::{App, AppConfig};
use dossier_crypto::secrets::{hash_password, token_hash};
use dossier_domain::org::{Role, UnitKind};
use dossier_domain::production::BatchLevel;
use dossier_server::router;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewAccount, NewUnit, SqlStore};
use dossier_store::{
    Applications as _, Documents as _, Intake as _, Org as _, People as _, Production as _, Staff as _,
};
use proptest::prelude::*;
use tower::ServiceExt;

struct Env {
    app: axum::Router,
    store: Arc<SqlStore>,
    token: String,
    /// A central production officer's token: produces certificates.
    producer: String,
    /// The central fund's responsible person for acceptance-transfer acts.
    responsible: String,
    central: i64,
    region: i64,
    /// Applications on record: what list bodies name (besides unknown ids).
    applications: Vec<String>,
    /// The region's responsible person for acts, and an act sent to the region.
    receiver: String,
    act: String,
    /// A regional officer's token: the role that may bulk-import.
    importer: String,
    /// A CA operator's token: the role that may certify and revoke.
    ca_operator: String,
    person: String,
    unit: i64,
    _dir: tempfile::TempDir,
}

/// A staff account of `role` at `unit` and its API token (`dsr_<login>`).
async fn staff_token(store: &SqlStore, login: &str, role: Role, unit: i64) -> (String, uuid::Uuid) {
    let sys = Actor::system("test");
    let account = NewAccount {
        login: login.into(),
        full_name: login.into(),
        role,
        unit_id: unit,
        password_hash: hash_password("password-123456").unwrap(),
    };
    let a = store.create_account(&sys, account).await.unwrap();
    let token = format!("dsr_{login}");
    store.create_api_token(&sys, a.id, login, &token_hash(&token)).await.unwrap();
    (token, a.id)
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
    let (token, _) = staff_token(&store, "s", Role::DistrictOfficer, d.id).await;
    // A regional officer's token: the role that may bulk-import.
    let (importer, _) = staff_token(&store, "r", Role::RegionalOfficer, r.id).await;
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
    // Two more people, an application each (one person's two would hold each other as duplicates).
    let mut applications = vec![];
    let mut applicants = vec![];
    for (rnokpp, surname) in [("2008900124", "Коваль"), ("2008900241", "Бондар")] {
        let input = dossier_domain::person::PersonInput {
            rnokpp: Some(rnokpp.into()),
            surname: surname.into(),
            given_name: "Олена".into(),
            birth_date: "1955-01-01".into(),
            sex: "female".into(),
            ..Default::default()
        }
        .validate(chrono::Utc::now().date_naive())
        .unwrap();
        let who = store.create_person(&sys, d.id, &input).await.unwrap().id;
        let filed = dossier_domain::application::ApplicationInput {
            pension_kind: "old_age".into(),
            form: "paper".into(),
            issue_unit_id: Some(d.id),
            ..Default::default()
        };
        let a = store.create_application(&sys, who, &filed, chrono::Utc::now()).await.unwrap();
        applications.push(a.id.to_string());
        applicants.push(who);
    }
    let (producer, _) = staff_token(&store, "producer", Role::CentralProductionOfficer, c.id).await;
    let (responsible, central_resp) = staff_token(&store, "responsible", Role::TransferResponsible, c.id).await;
    let (receiver, region_resp) = staff_token(&store, "receiver", Role::TransferResponsible, r.id).await;
    // One act on its way from the central fund to the region, for its acceptance.
    for who in applicants {
        let photo = dossier_store::NewDocument {
            person_id: Some(who),
            kind: "photo".into(),
            content_type: "image/png".into(),
            sha256: "0".repeat(64),
            size: 1,
            source: "upload".into(),
        };
        store.add_document(&sys, photo, true).await.unwrap();
    }
    let week = dossier_domain::production::BatchWeek::of_acceptance(chrono::Utc::now());
    for (level, unit) in [(BatchLevel::District, d.id), (BatchLevel::Region, r.id), (BatchLevel::Central, c.id)] {
        store.submit_batch(&sys, Some(week), level, unit, chrono::Utc::now()).await.unwrap();
    }
    let ids: Vec<uuid::Uuid> = applications.iter().map(|a| a.parse().unwrap()).collect();
    let made = store.produce(&sys, &ids, chrono::Utc::now()).await.unwrap();
    assert_eq!(made.len(), 2, "both produced");
    for (account, unit) in [(central_resp, c.id), (region_resp, r.id)] {
        let order = dossier_store::NewAppointment {
            account_id: account,
            unit_id: unit,
            duty: dossier_domain::production::Duty::ResponsiblePerson,
            order_no: "1".into(),
            valid_from: chrono::Utc::now().date_naive() - chrono::Duration::days(1),
            valid_until: None,
        };
        store.appoint(&sys, &order).await.unwrap();
    }
    let central_resp = Actor { label: "responsible".into(), account_id: Some(central_resp) };
    let act = store.create_transfer_act(&central_resp, c.id, r.id, &ids[..1], chrono::Utc::now()).await.unwrap();
    let ca_unit = store.create_unit(&sys, mk(Some(c.id), UnitKind::CertificationCentre, "CA")).await.unwrap();
    let (ca_operator, _) = staff_token(&store, "ca", Role::CaOperator, ca_unit.id).await;
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
    let store = Arc::new(store);
    let app =
        App::new(store.clone(), blobs, AppConfig::default()).await.unwrap().with_ca(ca).with_intake(Arc::new(intake));
    Env {
        app: router(Arc::new(app)),
        store,
        token,
        producer,
        responsible,
        central: c.id,
        region: r.id,
        applications,
        receiver,
        act: act.id.to_string(),
        importer,
        ca_operator,
        person,
        unit: d.id,
        _dir: dir,
    }
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
    ("POST", "/api/v1/production/produce"),
    ("POST", "/api/v1/production/acts"),
    ("POST", "/api/v1/production/acts/{x}/accept"),
    ("POST", "/api/v1/production/destructions"),
    ("POST", "/api/v1/production/batches"),
    ("POST", "/api/v1/production/certificates/{x}/issue"),
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
        } else if path.starts_with("/api/v1/production/produce") {
            &env.producer
        } else if path.starts_with("/api/v1/production/acts") {
            &env.responsible
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

/// A list the API takes, as a client may send it wrong: empty, or naming one
/// item twice (among the applications on record and unknown ids).
fn lists(known: &'static [String]) -> impl Strategy<Value = Vec<String>> {
    let item = prop_oneof![
        prop::sample::select(known.to_vec()),
        Just("00000000-0000-0000-0000-000000000000".to_owned()),
        any::<u128>().prop_map(|n| uuid::Uuid::from_u128(n).to_string()),
    ];
    prop_oneof![
        Just(vec![]),
        (prop::collection::vec(item, 1..5), any::<prop::sample::Index>(), any::<prop::sample::Index>()).prop_map(
            |(mut v, from, at)| {
                // Repeat one of the items at some place.
                let repeated = v[from.index(v.len())].clone();
                let at = at.index(v.len() + 1);
                v.insert(at, repeated);
                v
            }
        ),
    ]
}

/// The same as [`ENV`], for the list cases alone: they count changes, which
/// the other cases (run at the same time) would make.
static LISTS: LazyLock<Env> = LazyLock::new(|| RT.block_on(setup()));

fn changes(env: &Env) -> i64 {
    use dossier_store::Audit as _;
    let report = RT.block_on(env.store.audit_verify(&[])).unwrap();
    report.of(dossier_store::audit::Log::Change).map_or(0, |l| l.entries)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Every route that takes a list refuses an empty one and one with a
    /// repeat by a 422 naming the field, and changes nothing.
    #[test]
    fn lists_with_a_repeat_or_nothing_are_refused_and_change_nothing(
        route in 0..4usize,
        list in lists(&LISTS.applications),
    ) {
        let env = &*LISTS;
        let quoted = |v: &[String]| serde_json::to_string(v).unwrap();
        let (path, token, body, field) = match route {
            0 => ("/api/v1/production/produce".to_owned(), &env.producer, format!(r#"{{"certificate_ids": {}}}"#, quoted(&list)), "certificate_ids"),
            1 => (
                "/api/v1/production/acts".to_owned(),
                &env.responsible,
                format!(r#"{{"from_unit_id": {}, "to_unit_id": {}, "certificate_ids": {}}}"#, env.central, env.region, quoted(&list)),
                "certificate_ids",
            ),
            2 => {
                let items: Vec<String> = list.iter().map(|id| format!(r#"{{"certificate_id": "{id}", "reason": "error_in_entries"}}"#)).collect();
                (
                    "/api/v1/production/destructions".to_owned(),
                    &env.token,
                    format!(r#"{{"unit_id": {}, "order_no": "1", "items": [{}]}}"#, env.unit, items.join(",")),
                    "items",
                )
            }
            _ => {
                // Received nothing is a legitimate answer (everything missing); a repeat is not.
                prop_assume!(!list.is_empty());
                (
                    format!("/api/v1/production/acts/{}/accept", env.act),
                    &env.receiver,
                    format!(r#"{{"received": {}, "damaged": []}}"#, quoted(&list)),
                    "received",
                )
            }
        };
        let before = changes(env);
        let req = Request::post(&path)
            .header(header::AUTHORIZATION, format!("Bearer {token}"))
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        let resp = RT.block_on(env.app.clone().oneshot(req)).unwrap();
        let status = resp.status().as_u16();
        let answer = RT.block_on(axum::body::to_bytes(resp.into_body(), 1 << 20)).unwrap();
        let answer = String::from_utf8_lossy(&answer);
        prop_assert_eq!(status, 422, "{} {} answered {}", path, body, answer);
        prop_assert!(answer.contains(field), "{} answered {}", path, answer);
        prop_assert_eq!(changes(env), before, "{} {} changed something", path, body);
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
