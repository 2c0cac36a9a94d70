//! A walk through the UI over the real router and a temporary SQLite store:
//! sign in, search, register a person, add a representative, file, amend and
//! withdraw an application.
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use dossier_app::{App, AppConfig};
use dossier_domain::org::{Role, UnitKind};
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewAccount, NewUnit, Org as _, SqlStore, Staff as _, Store};
use tower::ServiceExt;

struct Env {
    app: axum::Router,
    cookie: String,
    csrf: String,
}

async fn unit(store: &SqlStore, parent: Option<i64>, kind: UnitKind, code: &str, uk: &str, en: &str) -> i64 {
    let u =
        NewUnit { parent_id: parent, kind, code: code.into(), name_uk: uk.into(), name_en: en.into(), address: None };
    store.create_unit(&Actor::system("test"), u).await.expect("unit").id
}

/// Sends a request; every HTML answer (pages and error pages alike) must carry
/// the security headers and stay out of caches.
async fn send(app: &axum::Router, req: Request<Body>) -> (StatusCode, axum::http::HeaderMap, String) {
    let path = req.uri().to_string();
    let resp = app.clone().oneshot(req).await.expect("response");
    let status = resp.status();
    let headers = resp.headers().clone();
    let html =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if html {
        assert_eq!(dossier_http::headers::page_header_problems(&headers), Vec::<String>::new(), "{path}");
    }
    let body = axum::body::to_bytes(resp.into_body(), 10 << 20).await.expect("body");
    (status, headers, String::from_utf8_lossy(&body).into_owned())
}

fn get(path: &str, cookie: &str) -> Request<Body> {
    Request::get(path).header(header::COOKIE, cookie).body(Body::empty()).expect("request")
}

fn post(path: &str, cookie: &str, form: &[(&str, &str)]) -> Request<Body> {
    let body: String = form
        .iter()
        .map(|(k, v)| format!("{}={}", super::view::pct(k), super::view::pct(v)))
        .collect::<Vec<_>>()
        .join("&");
    Request::post(path)
        .header(header::COOKIE, cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(body))
        .expect("request")
}

fn csrf_of(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("csrf field") + marker.len();
    html[start..].split('"').next().unwrap_or("").to_owned()
}

fn location(h: &axum::http::HeaderMap) -> String {
    h.get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned()
}

async fn setup() -> (Env, i64, i64) {
    let dir = std::env::temp_dir().join(format!("dossier-web-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let url = format!("sqlite://{}?mode=rwc", dir.join("db.sqlite").display());
    let store = SqlStore::open(&url).await.expect("store");
    let root =
        unit(&store, None, UnitKind::CentralFund, "PFU", "Пенсійний фонд України", "Pension Fund of Ukraine").await;
    let region = unit(
        &store,
        Some(root),
        UnitKind::RegionalOffice,
        "R1",
        "Головне управління в Київській області",
        "Kyiv Oblast main office",
    )
    .await;
    let district = unit(
        &store,
        Some(region),
        UnitKind::DistrictOffice,
        "D1",
        "Управління в Бучанському районі",
        "Bucha district office",
    )
    .await;
    let bank = unit(&store, Some(root), UnitKind::Bank, "B1", "Ощадбанк", "Oschadbank").await;
    let branch = unit(&store, Some(bank), UnitKind::BankBranch, "B1-1", "Відділення №1", "Branch 1").await;
    let hash = dossier_crypto::secrets::hash_password("correct horse").expect("hash");
    store
        .create_account(
            &Actor::system("test"),
            NewAccount {
                login: "olena".into(),
                full_name: "Олена Коваль".into(),
                role: Role::DistrictOfficer,
                unit_id: district,
                password_hash: hash,
            },
        )
        .await
        .expect("account");
    let blobs = BlobStore::local(&dir.join("blobs"), MasterKey::generate()).expect("blobs");
    let store: Arc<dyn Store> = Arc::new(store);
    let app = App::new(store, blobs, AppConfig::default()).await.expect("app");
    let app = crate::router(Arc::new(app));

    // Not signed in: pages send to the login page.
    let (s, h, _) = send(&app, get("/", "")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/login");

    let (s, _, body) = send(&app, get("/login", "")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("name=\"login\"") && body.contains("name=\"password\""));

    let (s, _, body) = send(&app, post("/login", "", &[("login", "olena"), ("password", "wrong")])).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED);
    assert!(body.contains("Неправильний логін або пароль."), "{body}");

    let (s, h, _) = send(&app, post("/login", "", &[("login", "olena"), ("password", "correct horse")])).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/");
    let set = h.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).expect("cookie");
    let cookie = set.split(';').next().unwrap_or("").to_owned();

    let (s, _, body) = send(&app, get("/", &cookie)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("Олена Коваль"));
    let csrf = csrf_of(&body);
    (Env { app, cookie, csrf }, district, branch)
}

#[tokio::test]
async fn staff_walk_through() {
    let (env, district, branch) = setup().await;
    let Env { app, cookie, csrf } = &env;

    // Search with a mistyped RNOKPP: the precise message, next to the box.
    let (s, _, body) = send(app, get("/?by=rnokpp&q=1759013770", cookie)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Неправильна контрольна цифра РНОКПП"), "{body}");
    assert!(body.contains("aria-invalid=\"true\"") && body.contains("href=\"#f-q\""));

    // The person form: errors inline, values kept.
    let (s, _, body) = send(app, get("/persons/new", cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Управління в Бучанському районі"));
    let (s, _, body) =
        send(app, post("/persons/new", cookie, &[("csrf", csrf), ("surname", "Шевчук"), ("rnokpp", "1759013770")]))
            .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("value=\"Шевчук\"")
            && body.contains("id=\"f-rnokpp-error\"")
            && body.contains("href=\"#f-birth_date\""),
        "{body}"
    );

    // Without the CSRF token nothing happens.
    let (s, _, body) = send(app, post("/persons/new", cookie, &[("csrf", "forged"), ("surname", "Шевчук")])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    assert!(body.contains("Форма застаріла"));

    let d = district.to_string();
    let person = [
        ("csrf", csrf.as_str()),
        ("unit_id", d.as_str()),
        ("surname", "Шевчук"),
        ("given_name", "Петро"),
        ("patronymic", "Іванович"),
        ("birth_date", "1948-02-28"),
        ("sex", "male"),
        ("rnokpp", "1759013776"),
        ("okzo", "4521"),
    ];
    let (s, h, body) = send(app, post("/persons/new", cookie, &person)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let dossier = location(&h);
    assert!(dossier.starts_with("/persons/"));

    let (s, _, body) = send(app, get("/?by=rnokpp&q=1759013776", cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Шевчук Петро Іванович") && body.contains("28.02.1948"), "{body}");

    let (s, _, body) = send(app, get(&dossier, cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("1759013776") && body.contains("Особу зареєстровано"), "{body}");

    // A representative without the proof document is refused inline.
    let (s, _, body) = send(
        app,
        post(
            &format!("{dossier}/representatives"),
            cookie,
            &[("csrf", csrf), ("kind", "guardian"), ("surname", "Коваль"), ("given_name", "Ірина")],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("id=\"rep-proof_document-error\""), "{body}");

    // Form 1: a card application at the bank branch.
    let (s, _, body) = send(app, get(&format!("{dossier}/applications/new"), cookie)).await;
    assert_eq!(s, StatusCode::OK, "{body}");
    assert!(body.contains("<optgroup") && body.contains("Відділення №1"));
    let b = branch.to_string();
    let (s, _, body) = send(
        app,
        post(
            &format!("{dossier}/applications/new"),
            cookie,
            &[("csrf", csrf), ("pension_kind", "disability"), ("form", "card"), ("issue_unit_id", b.as_str())],
        ),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("href=\"#f-disability\""), "{body}");
    // §IV.2: the card's payment system is the person's choice, asked for on the form.
    assert!(body.contains("id=\"f-payment_system-error\""), "{body}");
    let app_form = [
        ("csrf", csrf.as_str()),
        ("pension_kind", "old_age"),
        ("form", "card"),
        ("issue_unit_id", b.as_str()),
        ("payment_system", "national"),
    ];
    let (s, h, body) = send(app, post(&format!("{dossier}/applications/new"), cookie, &app_form)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let application = location(&h);

    let (s, _, body) = send(app, get(&application, cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("Заяву прийнято") && body.contains("/edit"), "{body}");
    assert!(!body.contains("waits-for-photo"), "a card goes to no weekly batch");

    let (s, _, body) = send(app, get(&format!("{application}/edit"), cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains("value=\"old_age\" selected"), "{body}");
    let (s, _, _) = send(app, post(&format!("{application}/edit"), cookie, &app_form)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    // §III: amended to paper at the district, the application waits for the person's photo
    // (this person has none), and its page says so with the way to the upload.
    let paper_form =
        [("csrf", csrf.as_str()), ("pension_kind", "old_age"), ("form", "paper"), ("issue_unit_id", d.as_str())];
    let (s, _, body) = send(app, post(&format!("{application}/edit"), cookie, &paper_form)).await;
    assert_eq!(s, StatusCode::SEE_OTHER, "{body}");
    let (_, _, body) = send(app, get(&application, cookie)).await;
    assert!(body.contains("id=\"waits-for-photo\"") && body.contains("#photo\""), "{body}");

    let (s, _, body) = send(app, get("/applications", cookie)).await;
    assert_eq!(s, StatusCode::OK);
    assert!(body.contains(&application));

    let (s, _, _) = send(app, post(&format!("{application}/withdraw"), cookie, &[("note", "x")])).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _, _) =
        send(app, post(&format!("{application}/withdraw"), cookie, &[("csrf", csrf), ("note", "за бажанням особи")]))
            .await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    let (_, _, body) = send(app, get(&application, cookie)).await;
    assert!(body.contains("Заяву відкликано"));

    // English on request; unknown pages are friendly 404s.
    let (_, _, body) = send(app, get("/?lang=en", cookie)).await;
    assert!(body.contains("Find a person") && body.contains("lang=\"en\""));
    let (s, _, body) = send(app, get("/persons/not-a-uuid", cookie)).await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    assert!(body.contains("Не знайдено."));

    // Sign out.
    let (s, h, _) = send(app, post("/logout", cookie, &[("csrf", csrf)])).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/login");
    let (s, _, _) = send(app, get("/", cookie)).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn every_page_carries_the_security_headers() {
    let (env, _, _) = setup().await;
    let pages = [
        "/",
        "/login",
        "/persons/new",
        "/applications",
        "/signatures/verify",
        "/sharing",
        "/sharing/review",
        "/production",
        "/production/acts",
        "/production/journal",
        "/cards",
        "/persons/00000000-0000-0000-0000-000000000000",
        "/no/such/page",
    ];
    let mut seen_html = 0;
    for path in pages {
        let (_, h, _) = send(&env.app, get(path, &env.cookie)).await;
        // `send` checks the headers of every HTML answer: a page, a refusal, a 404.
        seen_html += usize::from(h.get(header::CONTENT_TYPE).is_some_and(|v| v.as_bytes().starts_with(b"text/html")));
    }
    assert!(seen_html >= 10, "{seen_html} of the pages answered in HTML");
}

#[tokio::test]
async fn language_switch_and_assets() {
    // The pure parts are covered in view.rs; here the router-level behaviour.
    let (env, _, _) = setup().await;
    let (s, h, _) = send(&env.app, get("/lang/en?back=//evil.example/", "")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/");
    assert!(h.get(header::SET_COOKIE).and_then(|v| v.to_str().ok()).is_some_and(|c| c.starts_with("dossier_lang=en")));
    let (s, h, _) = send(&env.app, get("/lang/uk?back=/persons/new", "")).await;
    assert_eq!(s, StatusCode::SEE_OTHER);
    assert_eq!(location(&h), "/persons/new");
    let (s, h, body) = send(&env.app, get("/static/app.css", "")).await;
    assert_eq!(s, StatusCode::OK);
    assert!(h.get(header::CACHE_CONTROL).and_then(|v| v.to_str().ok()).is_some_and(|c| c.contains("max-age=31536000")));
    assert!(body.contains(":focus"));
    let (s, _, _) = send(&env.app, get("/static/app.js", "")).await;
    assert_eq!(s, StatusCode::OK);
}
