//! Several app servers (issue 22 §2): two `dossier serve` on one PostgreSQL
//! behind HAProxy (Debian's, round robin, health-checked on `/readyz`). A
//! session started through one works on the other; CSRF, the login lock-out
//! and the guessed-code budget are the database's, not a process's; and the
//! budget counts per client behind the balancer, whatever the client writes
//! into `X-Forwarded-For` itself. The workers of both servers share the
//! work: OCR pages and the intake's resends to the hub each done once.
use std::net::IpAddr;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

const METRICS: &str = "cluster-test-metrics-token-0123456789";

struct Balancer(Child);

impl Drop for Balancer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// HAProxy, round robin over `servers`, each health-checked by `GET check` (a
/// connection alone when `check` is empty).
fn haproxy(dir: &std::path::Path, front: u16, servers: &[u16], check: &str) -> Balancer {
    let backends: String =
        servers.iter().enumerate().map(|(i, p)| format!("  server app{i} 127.0.0.1:{p} check inter 300ms\n")).collect();
    let check = if check.is_empty() { String::new() } else { format!("  option httpchk GET {check}\n") };
    let cfg = format!(
        "global\n  maxconn 512\ndefaults\n  mode http\n  timeout connect 2s\n  timeout client 30s\n  timeout server 30s\n  \
         option forwardfor\nfrontend fund\n  bind 127.0.0.1:{front}\n  default_backend apps\nbackend apps\n  balance roundrobin\n\
         {check}{backends}"
    );
    let file = dir.join("haproxy.cfg");
    std::fs::write(&file, cfg).unwrap();
    let child = Command::new("haproxy").arg("-db").arg("-f").arg(&file).stdout(Stdio::null()).spawn().expect("haproxy");
    Balancer(child)
}

/// The PostgreSQL of the tests when it and HAProxy are there; `None` (a skip)
/// outside CI when either is missing.
fn postgres_and_haproxy() -> Option<String> {
    let ci = std::env::var("CI").as_deref() == Ok("true");
    let Ok(pg) = std::env::var("DOSSIER_TEST_PG_URL") else {
        assert!(!ci, "CI=true but DOSSIER_TEST_PG_URL is not set");
        return None;
    };
    if !Command::new("haproxy").arg("-v").output().is_ok_and(|o| o.status.success()) {
        assert!(!ci, "CI=true but haproxy is missing");
        return None;
    }
    Some(pg)
}

/// A client whose connections come from `from` (any 127.0.0.0/8 address is this machine).
fn client_from(from: &str) -> reqwest::Client {
    reqwest::Client::builder().local_address(from.parse::<IpAddr>().unwrap()).build().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_app_servers_behind_haproxy_share_sessions_limits_and_counters() {
    let Some(pg) = postgres_and_haproxy() else { return };
    let db = PgDatabase::create(&pg, "dossier_cluster");
    let url = db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    servers_starting_at_once_migrate_once(&pg, dir.path());
    let data = dir.path().join("fund");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("master.key"), "5e".repeat(32)).unwrap();
    let data_s = data.to_str().unwrap();
    // The documents in the test's Garage cluster when there is one (CI), as a region runs it.
    let blobs = std::env::var("DOSSIER_TEST_S3").map(|b| format!("{b}/{}", db.name()));
    assert!(blobs.is_ok() || std::env::var("CI").as_deref() != Ok("true"), "CI=true but DOSSIER_TEST_S3 is not set");
    let blobs = blobs.unwrap_or_else(|_| data.join("blobs").display().to_string());
    // One OCR worker on each server: whichever claims a page first reads it.
    let config = dir.path().join("dossier.toml");
    std::fs::write(&config, "[digitization]\nagency_code = \"000.00.31.H29\"\nworkers = 1\n").unwrap();
    let config = config.to_str().unwrap();
    dossier_ok(
        &["demo", "--seed-only", "--data-dir", data_s, "--config", config, "--database-url", &url, "--blobs", &blobs],
        &[],
    );

    let hub = FakeHub::start().await;
    let env = [
        ("DOSSIER_CA_PIN", "2026".to_owned()),
        ("DOSSIER_TRUSTED_PROXIES", "127.0.0.1".to_owned()),
        ("DOSSIER_METRICS_TOKEN", METRICS.to_owned()),
        ("DOSSIER_HUB_URL", hub.url.clone()),
        ("DOSSIER_HUB_ACQUIRER_ID", "pfu".to_owned()),
        ("DOSSIER_HUB_TOKEN", "cluster-acquirer-token".to_owned()),
        ("DOSSIER_HUB_CERT", format!("{data_s}/keys/00000/document-signing.pem")),
    ];
    let ports = [free_port(), free_port()];
    let _servers: Vec<Running> = ports
        .iter()
        .map(|p| {
            let listen = format!("127.0.0.1:{p}");
            spawn_until(
                &[
                    "serve",
                    "--data-dir",
                    data_s,
                    "--config",
                    config,
                    "--database-url",
                    &url,
                    "--blobs",
                    &blobs,
                    "--listen",
                    &listen,
                ],
                &env,
                "Dossier is listening on",
            )
        })
        .collect();
    let front = free_port();
    let _lb = haproxy(dir.path(), front, &ports, "/readyz");
    let lb = format!("http://127.0.0.1:{front}");
    let direct = ports.map(|p| format!("http://127.0.0.1:{p}"));
    let mut up = false;
    for _ in 0..100 {
        if reqwest::get(format!("{lb}/readyz")).await.is_ok_and(|r| r.status() == StatusCode::OK) {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(up, "haproxy forwards to the servers");
    tokio::time::sleep(Duration::from_millis(800)).await; // both servers marked up by the health checks

    // A session started through the balancer works on each server, and through it again and again.
    let staff = login_at(&lb, "district").await;
    for _ in 0..6 {
        assert_eq!(staff.get("/api/v1/me").await.0, StatusCode::OK);
    }
    // The same session, sent straight to one server.
    let on = |who: &Client, base: &str| Client {
        http: who.http.clone(),
        cookie: who.cookie.clone(),
        csrf: who.csrf.clone(),
        base: base.to_owned(),
    };
    let (a, b) = (on(&staff, &direct[0]), on(&staff, &direct[1]));
    assert_eq!(a.get("/api/v1/me").await.0, StatusCode::OK);
    assert_eq!(b.get("/api/v1/me").await.0, StatusCode::OK);
    // Both servers answered the balancer's share (their own request counts say so).
    for base in &direct {
        let text = reqwest::Client::new().get(format!("{base}/metrics")).bearer_auth(METRICS).send().await.unwrap();
        let text = text.text().await.unwrap();
        let me = text
            .lines()
            .find(|l| {
                l.starts_with(
                    r#"dossier_http_request_duration_seconds_count{method="GET",route="/api/v1/me",status="200"}"#,
                )
            })
            .and_then(|l| l.rsplit(' ').next()?.parse::<u64>().ok())
            .unwrap_or(0);
        assert!(me >= 2, "{base} served its share: {me}");
    }
    // A document stored through A is read through B: the blob store is shared, not the server's.
    let clerk = login_at(&lb, "specialist").await;
    let (a2, b2) = (on(&clerk, &direct[0]), on(&clerk, &direct[1]));
    let units = units(&a2).await;
    let born = chrono::NaiveDate::from_ymd_opt(1958, 12, 1).unwrap();
    let rnokpp = dossier_domain::ident::Rnokpp::compose(born, 432, dossier_domain::person::Sex::Female).unwrap();
    let (s, person) = a2
        .post(
            "/api/v1/persons",
            json!({"unit_id": unit_id(&units, "26101"), "rnokpp": rnokpp.as_str(), "surname": "Кравець",
                   "given_name": "Олена", "birth_date": born.to_string(), "sex": "female"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{person}");
    let photo_path = format!("/api/v1/persons/{}/photo", person["id"].as_str().unwrap());
    let photo = png("stored through A");
    let r = a2.req(reqwest::Method::PUT, &photo_path).header("content-type", "image/png").body(photo.clone());
    assert_eq!(r.send().await.unwrap().status(), StatusCode::CREATED);
    let back = b2.req(reqwest::Method::GET, &photo_path).send().await.unwrap().bytes().await.unwrap();
    assert_eq!(back.as_ref(), photo.as_slice());

    ocr_reads_each_page_once_over_both_servers(&clerk, &direct).await;
    intake_resends_and_polls_each_request_once_over_both_servers(&db, &hub).await;

    // CSRF is the session's, kept in the database: a write on B with the token A's login gave.
    let r = b.req(reqwest::Method::POST, "/api/v1/auth/logout").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(a.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED, "signed out everywhere");

    // The lock-out counts failures on every server: five wrong passwords spread over A and B.
    let http = reqwest::Client::new();
    for i in 0..5 {
        let r = http
            .post(format!("{}/api/v1/auth/login", direct[i % 2]))
            .json(&json!({"login": "specialist", "password": "wrong-password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = http
        .post(format!("{}/api/v1/auth/login", direct[0]))
        .json(&json!({"login": "specialist", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "locked on A after failures on A and B");

    // Guessed codes: one client's budget (20 failures) spent through the balancer, on both servers.
    let ask = |client: reqwest::Client, n: usize, spoof: Option<&'static str>| {
        let url = format!("{lb}/api/v1/status");
        async move {
            let mut req = client
                .post(url)
                .json(&json!({"number": format!("З-2026-{:07}", 9_000_000 + n), "birth_date": "1960-01-01"}));
            if let Some(s) = spoof {
                req = req.header("x-forwarded-for", s);
            }
            req.send().await.unwrap().status()
        }
    };
    let guesser = client_from("127.0.0.2");
    for n in 0..20 {
        assert_eq!(ask(guesser.clone(), n, None).await, StatusCode::NOT_FOUND, "guess {n}");
    }
    assert_eq!(ask(guesser.clone(), 20, None).await, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(ask(guesser.clone(), 21, None).await, StatusCode::TOO_MANY_REQUESTS, "whichever server answers");
    assert_eq!(
        ask(guesser.clone(), 22, Some("198.51.100.23")).await,
        StatusCode::TOO_MANY_REQUESTS,
        "a forwarded-for header of its own does not make it someone else"
    );
    assert_eq!(ask(client_from("127.0.0.3"), 23, None).await, StatusCode::NOT_FOUND, "another client is not blocked");

    drop(_lb);
    drop(_servers);
    drop(db);
}

/// Two `dossier hub` processes on one PostgreSQL behind HAProxy: the limit on
/// refused codes per branch (10 in 10 minutes) is counted in the hub's
/// database, so guesses spread over both processes hit it at the eleventh,
/// not at the twenty-first.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_hubs_behind_haproxy_count_a_branch_s_guessed_codes_together() {
    let Some(pg) = postgres_and_haproxy() else { return };
    let db = PgDatabase::create(&pg, "dossier_hubs");
    let url = db.url.clone();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    dossier_ok(&["demo", "--seed-only", "--data-dir", data], &[]);
    fn with<'a>(url: &'a str, data: &'a str, args: &[&'a str]) -> Vec<&'a str> {
        [&["hub", "--hub-database-url", url, "--data-dir", data][..], args].concat()
    }
    let hub = |args: &[&'static str]| with(&url, data, args);
    dossier_ok(&hub(&["seed-demo"]), &[]);
    let token = dossier_ok(
        &hub(&["acquirer-add", "--id", "pfu", "--name", "Фонд", "--endpoint", "http://127.0.0.1:9/deliveries"]),
        &[],
    );
    let token = token.trim().to_owned();
    let ports = [free_port(), free_port()];
    let _hubs: Vec<Running> = ports
        .iter()
        .map(|p| {
            let listen = format!("127.0.0.1:{p}");
            spawn_until(&with(&url, data, &["--listen", &listen]), &[], "Dossier hub (wallet) at")
        })
        .collect();
    let front = free_port();
    let _lb = haproxy(dir.path(), front, &ports, "");
    let lb = format!("http://127.0.0.1:{front}/api/v1/acquirers");
    let http = reqwest::Client::new();
    let cert = std::fs::read_to_string(dir.path().join("keys/00000/agency-encryption.pem")).unwrap();
    let mut branch = None;
    for _ in 0..100 {
        let r = http
            .post(format!("{lb}/branch"))
            .bearer_auth(&token)
            .json(&json!({"name": "Центр 1", "address": "Київ", "scopes": ["taxpayer-card"],
                          "encryptionCertificate": cert}))
            .send()
            .await;
        if let Some(r) = r.ok().filter(|r| r.status().is_success()) {
            branch = r.json::<serde_json::Value>().await.unwrap()["_id"].as_str().map(str::to_owned);
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let branch = branch.expect("a branch registered through the balancer");
    tokio::time::sleep(Duration::from_millis(800)).await; // both hubs marked up by the health checks

    // Well-formed codes no wallet issued, spread round robin over the two hubs.
    let guess = |n: u32| {
        let digits: [u8; 12] =
            std::array::from_fn(|k| if k < 8 { 7 } else { ((n / 10u32.pow(11 - k as u32)) % 10) as u8 });
        let code = dossier_domain::sharing::SharingCode::from_digits(digits).unwrap();
        http.post(format!("{lb}/document-identification"))
            .bearer_auth(&token)
            .json(&json!({"branchId": branch, "barcode": code.as_str()}))
            .send()
    };
    for n in 0..10 {
        let r = guess(n).await.unwrap();
        assert_ne!(r.status(), StatusCode::TOO_MANY_REQUESTS, "guess {n} is within the limit");
        let v: serde_json::Value = r.json().await.unwrap();
        assert_eq!(v["error"]["code"], "unknown", "guess {n}: {v}");
    }
    for n in 10..12 {
        let r = guess(n).await.unwrap();
        assert_eq!(
            r.status(),
            StatusCode::TOO_MANY_REQUESTS,
            "guess {n}: the branch's 10 refusals were counted on both hubs"
        );
        assert!(r.headers().contains_key("retry-after"));
    }
    drop(_lb);
    drop(_hubs);
    drop(db);
}

/// Scans uploaded through the balancer are recognised by both servers' OCR
/// workers, each page by one of them only: the pages the two servers count as
/// read add up to the pages uploaded, and every document ends with one result.
async fn ocr_reads_each_page_once_over_both_servers(clerk: &Client, servers: &[String; 2]) {
    let Some(page) = crate::digitization::scanned_card(300) else { return };
    let (s, dossier) = clerk.post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234"})).await;
    assert_eq!(s, StatusCode::CREATED, "{dossier}");
    const DOCUMENTS: usize = 6;
    let mut ids = Vec::new();
    for _ in 0..DOCUMENTS {
        let pages = std::slice::from_ref(&page);
        let (s, doc) =
            crate::digitization::upload(clerk, dossier["id"].as_str().unwrap(), "ua-taxpayer-card", pages).await;
        assert_eq!(s, StatusCode::CREATED, "{doc}");
        ids.push(doc["id"].as_str().unwrap().to_owned());
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(240);
    for id in &ids {
        loop {
            let (_, v) = clerk.get(&format!("/api/v1/digitization/documents/{id}")).await;
            if v["document"]["status"] != "recognising" && v["document"]["result"].is_object() {
                assert!(matches!(v["document"]["status"].as_str(), Some("review" | "ready")), "{v:#}");
                break;
            }
            assert!(std::time::Instant::now() < deadline, "document {id} not recognised: {v:#}");
            tokio::time::sleep(Duration::from_millis(300)).await;
        }
    }
    let mut read = Vec::new();
    for base in servers {
        let r = reqwest::Client::new().get(format!("{base}/metrics")).bearer_auth(METRICS).send().await.unwrap();
        let text = r.text().await.unwrap();
        // A server whose worker read nothing may not have the series at all.
        let prefix = r#"dossier_ocr_pages_total{outcome="recognised"} "#;
        read.push(text.lines().find_map(|l| l.strip_prefix(prefix)).map_or(0, |v| v.parse::<i64>().unwrap()));
    }
    assert_eq!(read.iter().sum::<i64>(), DOCUMENTS as i64, "pages read per server: {read:?}");
    println!("ocr over two servers: pages read {read:?}");
}

/// What the hub heard: each document request and status poll, by requestId, with when.
#[derive(Default)]
struct Heard {
    requests: std::collections::HashMap<String, u32>,
    polls: std::collections::HashMap<String, Vec<std::time::Instant>>,
}

/// The hub's acquirer API as far as the fund's intake worker calls it: every
/// request accepted (after 20 ms), every status `waiting_consent`; it remembers each call.
struct FakeHub {
    url: String,
    heard: std::sync::Arc<std::sync::Mutex<Heard>>,
}

impl FakeHub {
    async fn start() -> FakeHub {
        use axum::extract::{Query, State};
        use axum::routing::{get, post};
        type Shared = std::sync::Arc<std::sync::Mutex<Heard>>;
        let heard = Shared::default();
        let router = axum::Router::new()
            .route(
                "/api/v1/acquirers/document-request",
                post(|State(h): State<Shared>, axum::Json(body): axum::Json<serde_json::Value>| async move {
                    let id = body["requestId"].as_str().unwrap_or_default().to_owned();
                    *h.lock().unwrap().requests.entry(id).or_default() += 1;
                    // A hub across a network: answers take a while, so workers without claims would overlap.
                    tokio::time::sleep(Duration::from_millis(20)).await;
                    axum::Json(json!({"success": true}))
                }),
            )
            .route(
                "/api/v1/acquirers/document-request/status",
                get(|State(h): State<Shared>, Query(q): Query<std::collections::HashMap<String, String>>| async move {
                    let id = q.get("requestId").cloned().unwrap_or_default();
                    h.lock().unwrap().polls.entry(id.clone()).or_default().push(std::time::Instant::now());
                    axum::Json(json!({"success": true, "requestId": id, "status": "waiting_consent",
                                      "updatedAt": "2026-12-05T00:00:00Z"}))
                }),
            )
            .with_state(heard.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        FakeHub { url, heard }
    }
}

/// Requests left `submitting` while the hub was down (as the counter leaves
/// them) are resent by the workers of both servers once the hub answers: the
/// hub hears each requestId once, and then each request's status polls come
/// one at a time at the polling pace — never two servers' polls together.
async fn intake_resends_and_polls_each_request_once_over_both_servers(db: &PgDatabase, hub: &FakeHub) {
    const REQUESTS: usize = 300;
    let query = |sql: &str| db.query(sql);
    query(&format!(
        "INSERT INTO sharing_requests (id, barcode, branch_id, unit_id, document_type, account_id, requested_by, \
         status, last_error, hub_attempts, next_check_at, created_at, updated_at, delivered_at, document_id) \
         SELECT gen_random_uuid(), lpad(g::text, 13, '0'), 'cluster-branch', (SELECT id FROM org_units WHERE code = '26101'), \
         'taxpayer-card', NULL, 'specialist', 'submitting', 'sharing.hub_unreachable', 1, now(), now(), now(), NULL, NULL \
         FROM generate_series(1, {REQUESTS}) g"
    ));
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while query("SELECT count(*) FROM sharing_requests WHERE status = 'waiting_consent'") != REQUESTS.to_string() {
        assert!(std::time::Instant::now() < deadline, "the resends did not all get through");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    tokio::time::sleep(Duration::from_secs(6)).await; // a few rounds of polls
    let heard = hub.heard.lock().unwrap();
    assert_eq!(heard.requests.len(), REQUESTS, "every request resent");
    let twice: Vec<_> = heard.requests.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "the hub heard {} requests more than once: {twice:?}", twice.len());
    assert_eq!(heard.polls.len(), REQUESTS, "every request polled");
    // The worker polls a request no sooner than 2 s after the last answer; two servers polling it
    // at once would show as two polls within moments of each other.
    let close = heard
        .polls
        .values()
        .filter(|at| at.windows(2).any(|w| w[1].duration_since(w[0]) < Duration::from_secs(1)))
        .count();
    assert_eq!(close, 0, "requests polled twice at once");
    let polls: usize = heard.polls.values().map(Vec::len).sum();
    println!("intake over two servers: {REQUESTS} resent once each; {polls} status polls, none doubled");
}

/// Two servers started at the same moment on an empty database: one
/// migrates, the other waits, both serve, each migration is recorded once.
fn servers_starting_at_once_migrate_once(pg: &str, dir: &std::path::Path) {
    use std::io::{BufRead, BufReader};
    let db = PgDatabase::create(pg, "dossier_race");
    let url = &db.url;
    let data = dir.join("race");
    std::fs::create_dir_all(&data).unwrap();
    std::fs::write(data.join("master.key"), "7a".repeat(32)).unwrap();
    let mut children: Vec<Child> = (0..2)
        .map(|_| {
            Command::new(bin())
                .args(["serve", "--listen", "127.0.0.1:0", "--database-url", url, "--data-dir"])
                .arg(&data)
                .env("DOSSIER_LOG", "warn")
                .stdout(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    for child in &mut children {
        let lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let ready = lines.map_while(Result::ok).any(|l| l.starts_with("Dossier is listening on"));
        assert!(ready, "each server starts on the database the other is migrating");
    }
    for mut child in children {
        let _ = child.kill();
        let _ = child.wait();
    }
    let counts = db.query("SELECT count(*) || ' ' || count(DISTINCT version) FROM schema_migrations");
    let (all, distinct) = counts.split_once(' ').unwrap();
    assert_eq!(all, distinct, "every migration recorded once");
    assert!(all.parse::<u32>().unwrap() > 20, "{counts}");
}
