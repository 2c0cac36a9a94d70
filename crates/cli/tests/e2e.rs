//! End-to-end: the real `dossier` binary, started on port 0 with demo data in
//! a temporary folder, driven over HTTP and through its CLI.
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

const PASSWORD: &str = "demo-dossier-2026";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dossier")
}

/// A running `dossier demo`, killed on drop.
struct Server {
    child: Child,
    base: String,
    /// The demo hub's base URL and a wallet login the fund's registry knows.
    hub: String,
    wallet_login: Option<String>,
    dir: tempfile::TempDir,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start() -> Server {
        Self::start_logging("warn", None)
    }

    /// Starts with a log filter; `log_to` captures the server's log in a file.
    fn start_logging(filter: &str, log_to: Option<&Path>) -> Server {
        Self::start_with(filter, log_to, "")
    }

    /// Starts with `dossier.toml` settings.
    fn start_configured(toml: &str) -> Server {
        Self::start_with("warn", None, toml)
    }

    fn start_with(filter: &str, log_to: Option<&Path>, toml: &str) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("dossier.toml");
        std::fs::write(&config, toml).unwrap();
        let stderr = match log_to {
            Some(p) => Stdio::from(std::fs::File::create(p).unwrap()),
            None => Stdio::inherit(),
        };
        let mut child = Command::new(bin())
            .args(["demo", "--listen", "127.0.0.1:0", "--hub-listen", "127.0.0.1:0", "--data-dir"])
            .arg(dir.path())
            .arg("--config")
            .arg(&config)
            .env("DOSSIER_LOG", filter)
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let (mut hub, mut wallet_login) = (String::new(), None);
        let base = loop {
            let line = lines.next().expect("server exited before listening").unwrap();
            if let Some(rest) = line.strip_prefix("Dossier is listening on ") {
                break rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
            }
            if let Some(rest) = line.strip_prefix("Dossier hub is listening on ") {
                hub = rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
            }
            // "  1759013776   Шевченко Тарас" — a wallet login of a citizen the fund knows.
            let first = line.split_whitespace().next().unwrap_or("");
            if wallet_login.is_none() && first.len() == 10 && first.bytes().all(|b| b.is_ascii_digit()) {
                wallet_login = (!line.contains("not in the fund")).then(|| first.to_owned());
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server { child, base, hub, wallet_login, dir }
    }

    fn data(&self) -> &Path {
        self.dir.path()
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A signed-in API client (cookie + CSRF header sent by hand: the session
/// cookie is `Secure`, which a cookie jar would not send over plain HTTP).
struct Client {
    http: reqwest::Client,
    cookie: String,
    csrf: String,
    base: String,
}

async fn login(server: &Server, login: &str) -> Client {
    login_at(&server.base, login).await
}

async fn login_at(base: &str, login: &str) -> Client {
    let http = reqwest::Client::builder().timeout(Duration::from_secs(30)).build().unwrap();
    let resp = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"login": login, "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "login {login}");
    let set_cookie = resp.headers().get("set-cookie").unwrap().to_str().unwrap().to_owned();
    assert!(set_cookie.contains("HttpOnly") && set_cookie.contains("Secure") && set_cookie.contains("SameSite=Strict"));
    let cookie = set_cookie.split(';').next().unwrap().to_owned();
    let body: Value = resp.json().await.unwrap();
    Client { http, cookie, csrf: body["csrf"].as_str().unwrap().to_owned(), base: base.to_owned() }
}

impl Client {
    fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }
    async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.req(reqwest::Method::GET, path).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self.req(reqwest::Method::POST, path).json(&body).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
}

fn problem_fields(v: &Value) -> Vec<(String, String)> {
    v["errors"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
                .collect()
        })
        .unwrap_or_default()
}

/// A minimal PNG (signature + IHDR of 120×150): what the photo check reads.
fn png(marker: &str) -> Vec<u8> {
    png_sized(120, 150, marker)
}

/// A PNG header declaring `width` × `height` (the upload checks read the header only).
fn png_sized(width: u32, height: u32, marker: &str) -> Vec<u8> {
    let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
    v.extend_from_slice(&13u32.to_be_bytes());
    v.extend_from_slice(b"IHDR");
    v.extend_from_slice(&width.to_be_bytes());
    v.extend_from_slice(&height.to_be_bytes());
    v.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    v.extend_from_slice(marker.as_bytes());
    v.extend((0..4096u32).map(|i| (i * 31 % 251) as u8));
    v
}

async fn units(c: &Client) -> Vec<Value> {
    c.get("/api/v1/org/units").await.1.as_array().unwrap().clone()
}

fn unit_id(units: &[Value], code: &str) -> i64 {
    units.iter().find(|u| u["code"] == code).unwrap()["id"].as_i64().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_serves_api_with_rules_scope_audit_and_encryption() {
    let server = Server::start();
    let c = login(&server, "specialist").await;
    let units = units(&c).await;
    let district = unit_id(&units, "26101");

    // OpenAPI document and health.
    let spec: Value = reqwest::get(server.url("/api/openapi.json")).await.unwrap().json().await.unwrap();
    assert_eq!(spec["openapi"], "3.1.0");

    // Register a person; every kind of bad input gets a precise 4xx.
    let good = json!({"unit_id": district, "rnokpp": "1759013776", "surname": "Шевчук", "given_name": "Петро",
                      "patronymic": "Іванович", "birth_date": "1948-02-28", "sex": "male", "okzo": "4521"});
    let mut bad = good.clone();
    bad["rnokpp"] = json!("1759013770");
    let (s, v) = c.post("/api/v1/persons", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v), [("rnokpp".to_owned(), "rnokpp.checksum".to_owned())]);
    assert!(v["errors"][0]["uk"].as_str().unwrap().contains("контрольна цифра"));
    let mut bad = good.clone();
    bad["birth_date"] = json!("1948-03-01");
    let (s, v) = c.post("/api/v1/persons", bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0].1, "rnokpp.birth_mismatch");
    let r = c
        .req(reqwest::Method::POST, "/api/v1/persons")
        .header("content-type", "application/json")
        .body("{\"surname\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::BAD_REQUEST);
    assert_eq!(r.headers()["content-type"], "application/problem+json");
    let (s, person) = c.post("/api/v1/persons", good.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{person}");
    let pid = person["id"].as_str().unwrap().to_owned();
    let (s, _) = c.post("/api/v1/persons", good.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "the same RNOKPP twice");

    // Look-ups by each key.
    for q in ["rnokpp=1759013776", "okzo=4521", "name=%D1%88%D0%B5%D0%B2%D1%87%D1%83%D0%BA%20%D0%BF%D0%B5%D1%82"] {
        let (s, v) = c.get(&format!("/api/v1/persons?{q}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(v["items"][0]["id"], pid.as_str(), "{q}");
    }

    // Application: unknown pension kind, then a valid one, then the duplicate.
    let (s, v) = c
        .post(
            &format!("/api/v1/persons/{pid}/applications"),
            json!({"pension_kind": "pirate", "form": "paper", "issue_unit_id": district}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0], ("pension_kind".to_owned(), "common.unknown_value".to_owned()));
    let (s, app) = c
        .post(
            &format!("/api/v1/persons/{pid}/applications"),
            json!({"pension_kind": "old_age", "form": "paper", "issue_unit_id": district}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{app}");
    let (s, v) = c
        .post(
            &format!("/api/v1/persons/{pid}/applications"),
            json!({"pension_kind": "old_age", "form": "paper", "issue_unit_id": district}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        v["errors"][0]["en"].as_str().unwrap().contains(app["number"].as_str().unwrap()),
        "duplicate names the live application: {v}"
    );
    let (s, v) = c.get(&format!("/api/v1/applications/{}", app["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["stage"], "accepted");
    assert_eq!(v["events"][0]["event"], "file");
    let (s, v) = c
        .post(
            &format!("/api/v1/applications/{}/withdraw", app["id"].as_str().unwrap()),
            json!({"note": "на прохання особи"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(v["stage"], "withdrawn");

    // A minor needs a representative.
    let birth = chrono::Utc::now().date_naive() - chrono::Duration::days(9 * 365);
    let child_rnokpp = dossier_domain::ident::Rnokpp::compose(birth, 321, dossier_domain::person::Sex::Female).unwrap();
    let (s, child) = c
        .post("/api/v1/persons", json!({"unit_id": district, "rnokpp": child_rnokpp.as_str(), "surname": "Шевчук", "given_name": "Марʼяна", "birth_date": birth.to_string(), "sex": "female"}))
        .await;
    assert_eq!(s, StatusCode::CREATED, "{child}");
    let (s, v) = c
        .post(
            &format!("/api/v1/persons/{}/applications", child["id"].as_str().unwrap()),
            json!({"pension_kind": "loss_of_breadwinner", "form": "paper", "issue_unit_id": district}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0].1, "application.representative_required");

    // Photos: non-image and oversized are refused; a good one is stored encrypted.
    let put_photo = |bytes: Vec<u8>| {
        c.req(reqwest::Method::PUT, &format!("/api/v1/persons/{pid}/photo"))
            .header("content-type", "image/png")
            .body(bytes)
            .send()
    };
    assert_eq!(put_photo(b"GIF89a not a photo".to_vec()).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    let mut huge = png("x");
    huge.resize(3 * 1024 * 1024, 0);
    assert_eq!(put_photo(huge).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    let photo = png("PHOTO-OF-1759013776-Шевчук");
    assert_eq!(put_photo(photo.clone()).await.unwrap().status(), StatusCode::CREATED);
    let back = c
        .req(reqwest::Method::GET, &format!("/api/v1/persons/{pid}/photo"))
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(back.as_ref(), photo.as_slice());
    assert_nothing_readable_in(&server.data().join("blobs"), &["1759013776", "Шевчук"], &photo);

    // The specimen signature (the card's zone 6): a photo-shaped picture is too small to sign
    // with; a signature-shaped one is stored and served as it was given.
    let put_signature =
        |bytes: Vec<u8>| c.req(reqwest::Method::PUT, &format!("/api/v1/persons/{pid}/signature")).body(bytes).send();
    let r = put_signature(png("SIGNATURE")).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&v), [("signature".to_owned(), "person.signature_too_small".to_owned())]);
    let signature = png_sized(400, 64, "SIGNATURE-OF-1759013776");
    assert_eq!(put_signature(signature.clone()).await.unwrap().status(), StatusCode::CREATED);
    let got = c.req(reqwest::Method::GET, &format!("/api/v1/persons/{pid}/signature")).send().await.unwrap();
    assert_eq!(got.bytes().await.unwrap().as_ref(), signature.as_slice());

    // Scope: a specialist in Lviv cannot see or change this Kyiv person.
    let other = login(&server, "specialist2").await;
    assert_eq!(other.get(&format!("/api/v1/persons/{pid}")).await.0, StatusCode::NOT_FOUND);
    assert_eq!(other.get("/api/v1/persons?rnokpp=1759013776").await.1["items"].as_array().unwrap().len(), 0);
    let (s, _) = other
        .post(
            &format!("/api/v1/persons/{pid}/applications"),
            json!({"pension_kind": "long_service", "form": "paper", "issue_unit_id": district}),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    // Least privilege: a bank operator reads no registry data at all.
    let bank = login(&server, "bank").await;
    assert_eq!(bank.get("/api/v1/persons?name=a").await.0, StatusCode::FORBIDDEN);

    // CSRF: a cookie-authenticated write without the token is refused —
    // also when dressed up as an HTML form post to the API.
    let r = c.http.post(server.url("/api/v1/persons")).header("cookie", &c.cookie).json(&good).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let r = c
        .http
        .post(server.url(&format!("/api/v1/applications/{}/withdraw", app["id"].as_str().unwrap())))
        .header("cookie", &c.cookie)
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    // The dossier's history shows the reads and changes, and the denied attempt.
    let (s, hist) = c.get(&format!("/api/v1/persons/{pid}/history")).await;
    assert_eq!(s, StatusCode::OK);
    let actions: Vec<&str> = hist.as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    for a in [
        "person.create",
        "person.read",
        "application.create",
        "application.withdraw",
        "person.photo.set",
        "access.denied",
    ] {
        assert!(actions.contains(&a), "history lacks {a}: {actions:?}");
    }

    // Logout ends the session.
    let r = c.req(reqwest::Method::POST, "/api/v1/auth/logout").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(c.get("/api/v1/me").await.0, StatusCode::UNAUTHORIZED);

    // `dossier audit verify` passes, then catches a row edited in the database.
    audit_verify_catches_a_direct_edit(&server).await;
}

/// Runs `audit verify` (intact), edits an audit row directly, runs it again (broken).
async fn audit_verify_catches_a_direct_edit(server: &Server) {
    let verify = || Command::new(bin()).args(["audit", "verify", "--data-dir"]).arg(server.data()).output().unwrap();
    let ok = verify();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("change log intact") && out.contains("access log intact"), "{out}");
    let url = format!("sqlite://{}", server.data().join("dossier.db").display());
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    sqlx::query("UPDATE audit_log SET details = '{\"forged\":true}' WHERE seq = 10").execute(&pool).await.unwrap();
    pool.close().await;
    let broken = verify();
    assert!(!broken.status.success());
    let out = String::from_utf8_lossy(&broken.stdout);
    assert!(out.contains("change log BROKEN at entry 10"), "{out}");
    assert!(out.contains("access log intact"), "{out}");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = vec![];
    if let Ok(rd) = std::fs::read_dir(dir) {
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
        }
    }
    out
}

fn assert_nothing_readable_in(dir: &Path, needles: &[&str], photo: &[u8]) {
    let files = walk(dir);
    assert!(!files.is_empty(), "no blobs written under {}", dir.display());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.to_string_lossy();
        for n in needles {
            assert!(!bytes.windows(n.len()).any(|w| w == n.as_bytes()), "{n} found in {name}");
            assert!(!name.contains(n));
        }
        for chunk in photo.chunks(64).filter(|c| c.len() == 64) {
            assert!(!bytes.windows(64).any(|w| w == chunk), "photo bytes found in {name}");
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_locks_out_after_repeated_failures() {
    let server = Server::start();
    let http = reqwest::Client::new();
    for _ in 0..5 {
        let r = http
            .post(server.url("/api/v1/auth/login"))
            .json(&json!({"login": "district", "password": "wrong-password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    }
    let r = http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"login": "district", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::TOO_MANY_REQUESTS, "locked even with the right password");
    // An unknown login answers exactly like a wrong password.
    let r = http
        .post(server.url("/api/v1/auth/login"))
        .json(&json!({"login": "nobody", "password": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn api_tokens_authenticate_systems_without_csrf() {
    let server = Server::start();
    let out = Command::new(bin())
        .args(["token-create", "--login", "regional", "--name", "registry-sync", "--data-dir"])
        .arg(server.data())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let token = String::from_utf8(out.stdout).unwrap().trim().to_owned();
    let http = reqwest::Client::new();
    let r = http.get(server.url("/api/v1/applications?limit=5")).bearer_auth(&token).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert!(!v["items"].as_array().unwrap().is_empty(), "the region sees its districts' applications");
    let r = http.get(server.url("/api/v1/me")).bearer_auth("dsr_not-a-token").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
}

#[test]
fn csv_import_accepts_good_rows_and_reports_bad_ones() {
    let dir = tempfile::tempdir().unwrap();
    // The demo provides the org tree; the import runs beside the live server.
    let server = Server::start();
    let csv = dir.path().join("people.csv");
    let mut content = b"rnokpp,religious_refusal,passport,id_card,unzr,account_no,okzo,surname,given_name,patronymic,birth_date,sex,capacity,idp\n".to_vec();
    content.extend_from_slice("1759013776,false,,,,1,2,Шевчук,Петро,Іванович,1948-02-28,male,,false\n".as_bytes());
    content.extend_from_slice("1759013770,false,,,,1,2,Шевчук,Петро,Іванович,1948-02-28,male,,false\n".as_bytes());
    content.extend_from_slice(b",false,,,,1,2,\xff\xfe\xfd,Petro,,1948-02-28,male,,false\n");
    content.extend_from_slice(",true,КВ123456,,,,,Гнатюк,Марія,,1950-05-05,female,,false\n".as_bytes());
    std::fs::write(&csv, content).unwrap();
    let report = dir.path().join("report.csv");
    let out = Command::new(bin())
        .args(["import", "--unit", "13101", "--report"])
        .arg(&report)
        .arg(&csv)
        .arg("--data-dir")
        .arg(server.data())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "some rows were rejected: {stdout}");
    assert!(stdout.contains("2 rows imported, 2 rejected"), "{stdout}");
    let report = std::fs::read_to_string(report).unwrap();
    assert!(report.contains("3,rnokpp,"), "{report}");
    assert!(report.contains("4,surname,"), "{report}");
    assert!(!report.contains("Шевчук"), "the report holds no row content");
}

/// The browser scripts' folder when node, Chromium and the scripts' npm
/// dependencies are there (`.ci/run` installs them); otherwise `None` with a
/// notice — or a failure under CI=true, where their absence is an error.
fn browser_scripts() -> Option<(PathBuf, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/browser");
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let node_ok = Command::new("node").arg("--version").output().is_ok_and(|o| o.status.success());
    if node_ok && Path::new(&chromium).exists() && dir.join("node_modules/playwright-core").exists() {
        return Some((dir, chromium));
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but node, {chromium} or tests/browser/node_modules is missing (.ci/run installs them)");
    }
    eprintln!("skipping a browser test: node, Chromium or `npm ci` in tests/browser is missing");
    None
}

/// Runs `node tests/browser/SCRIPT ARGS` and expects its "passed" line.
fn run_browser_script(script: &str, args: &[&str]) {
    let Some((dir, chromium)) = browser_scripts() else { return };
    let out = Command::new("node").arg(dir.join(script)).args(args).env("CHROMIUM", &chromium).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("test passed"), "{stdout}");
}

/// The staff UI used by keyboard alone in headless Chromium
/// (`tests/browser/keyboard.mjs`).
#[test]
fn staff_ui_works_by_keyboard_alone() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    run_browser_script("keyboard.mjs", &[&server.base]);
}

/// The counter page and the wallet page driven in headless Chromium through a
/// whole share (`tests/browser/sharing.mjs`); the screenshots are kept in
/// `target/tmp/sharing-screens/` for the reviewer.
#[test]
fn a_share_in_the_browser_from_wallet_code_to_the_verified_copy() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sharing-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    let wallet_login = server.wallet_login.clone().expect("the demo prints wallet logins");
    run_browser_script("sharing.mjs", &[&server.base, &server.hub, &wallet_login, shots.to_str().unwrap()]);
    for name in ["wallet-2-code", "counter-1-wrong-check-digit", "wallet-3-request", "counter-3-delivered"] {
        let png = std::fs::read(shots.join(format!("{name}.png"))).unwrap();
        assert!(png.starts_with(b"\x89PNG"), "{name} is a PNG screenshot");
    }
}

/// The production pages in headless Chromium (`tests/browser/production.mjs`):
/// dashboard with the late batch flagged, an act, the card dispatch, and the
/// bank's refused identification shown on the card page.
#[test]
fn production_pages_in_the_browser_dashboard_acts_and_card_queues() {
    if browser_scripts().is_none() {
        return;
    }
    let server = Server::start();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("production-screens");
    let _ = std::fs::remove_dir_all(&shots);
    std::fs::create_dir_all(&shots).unwrap();
    run_browser_script("production.mjs", &[&server.base, shots.to_str().unwrap()]);
    let png = std::fs::read(shots.join("1-dashboard.png")).unwrap();
    assert!(png.starts_with(b"\x89PNG"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn csv_upload_is_all_or_nothing_with_precise_row_errors() {
    let server = Server::start();
    let c = login(&server, "regional").await;
    let district = unit_id(&units(&c).await, "26102");
    let header = "rnokpp,religious_refusal,passport,id_card,unzr,account_no,okzo,surname,given_name,patronymic,birth_date,sex,capacity,idp\n";
    let good = "1759013776,false,,,,1,2,Шевчук,Петро,Іванович,1948-02-28,male,,false\n";
    let upload = |body: Vec<u8>| {
        c.req(reqwest::Method::POST, &format!("/api/v1/persons/import?unit_id={district}"))
            .header("content-type", "text/csv")
            .body(body)
            .send()
    };
    let count = || async {
        let (_, v) = c.get("/api/v1/persons?rnokpp=1759013776").await;
        v["items"].as_array().map(Vec::len).unwrap_or(0)
    };

    // A row with a broken encoding: 422 naming line and field, nothing stored.
    let mut body = format!("{header}{good}").into_bytes();
    body.extend_from_slice(b",false,,,,1,2,\xff\xfe,Petro,,1948-02-28,male,,false\n");
    let r = upload(body).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let v: Value = r.json().await.unwrap();
    assert_eq!(problem_fields(&v), [("rows[3].surname".to_owned(), "common.bad_encoding".to_owned())]);
    assert_eq!(count().await, 0, "the good row was not stored either");

    // A wrong check digit is named the same way; a missing column too.
    let r = upload(format!("{header}1759013770,false,,,,1,2,Шевчук,Петро,,1948-02-28,male,,false\n").into_bytes())
        .await
        .unwrap();
    assert_eq!(
        problem_fields(&r.json::<Value>().await.unwrap())[0],
        ("rows[2].rnokpp".to_owned(), "rnokpp.checksum".to_owned())
    );
    let r = upload(b"rnokpp,surname\n1,2\n".to_vec()).await.unwrap();
    assert_eq!(
        problem_fields(&r.json::<Value>().await.unwrap())[0],
        ("header".to_owned(), "import.missing_column".to_owned())
    );
    let r = c
        .req(reqwest::Method::POST, "/api/v1/persons/import")
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // Good rows: stored; the same file again: refused whole as duplicates.
    let r = upload(format!("{header}{good}").into_bytes()).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(count().await, 1);
    let r = upload(format!("{header}{good}").into_bytes()).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        problem_fields(&r.json::<Value>().await.unwrap())[0],
        ("rows[2].rnokpp".to_owned(), "person.duplicate".to_owned())
    );

    // A specialist may not bulk-import.
    let s = login(&server, "specialist").await;
    let r = s
        .req(reqwest::Method::POST, "/api/v1/persons/import")
        .header("content-type", "text/csv")
        .body(header.to_owned())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
}

/// Personal identifiers never reach the log, even at the most verbose level.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_personal_data_in_logs_even_at_trace_level() {
    let logdir = tempfile::tempdir().unwrap();
    let log = logdir.path().join("server.log");
    let server = Server::start_logging("trace", Some(&log));
    let c = login(&server, "specialist").await;
    let district = unit_id(&units(&c).await, "26101");
    let body = json!({"unit_id": district, "rnokpp": "1759013776", "surname": "Шевчук", "given_name": "Петро",
                      "birth_date": "1948-02-28", "sex": "male"});
    assert_eq!(c.post("/api/v1/persons", body.clone()).await.0, StatusCode::CREATED);
    assert_eq!(c.post("/api/v1/persons", body).await.0, StatusCode::CONFLICT);
    assert_eq!(c.get("/api/v1/persons?rnokpp=1759013776").await.0, StatusCode::OK);
    assert_eq!(c.get("/api/v1/persons?rnokpp=1759013770").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    let r = c.http.get(server.url("/?by=rnokpp&q=1759013776")).header("cookie", &c.cookie).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("request"), "the log was captured: {} bytes", text.len());
    for secret in ["1759013776", "1759013770", "Шевчук", "Петро"] {
        assert!(!text.contains(secret), "{secret} leaked into the log");
    }
}

/// Runs the binary with DOSSIER_PIN set; returns (exit code, stdout, stderr).
fn dossier_with_pin(dir: &Path, pin: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin()).args(args).current_dir(dir).env("DOSSIER_PIN", pin).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn cli_signs_verifies_encrypts_and_decrypts_with_honest_exit_codes() {
    use dossier_crypto::container::PinContainer;
    use dossier_crypto::testing::TestPki;
    use dossier_crypto::x509::{CertProfile, to_pem};

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let signer = pki.party("Specialist Signer", CertProfile::DocumentSigning).unwrap();
    let fund = pki.party("Fund Intake", CertProfile::AgencyEncryption).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(p.join(name), bytes).unwrap();
    write("root.pem", to_pem(&pki.root.certificate).unwrap().as_bytes());
    write("issuing.pem", to_pem(&pki.issuing.certificate).unwrap().as_bytes());
    write("signer.pem", to_pem(&signer.certificate).unwrap().as_bytes());
    write("fund.pem", to_pem(&fund.certificate).unwrap().as_bytes());
    let seal = |k| PinContainer::seal_with_iterations(k, "2468", 3, 10_000).unwrap().encrypted_pkcs8_pem;
    write("signer.key", seal(&signer.key).as_bytes());
    write("fund.key", seal(&fund.key).as_bytes());
    write("in.pdf", &dossier_crypto::pades::testpdf::minimal_pdf("Statement of pension record"));

    let signing = ["--key", "signer.key", "--cert", "signer.pem", "--chain", "issuing.pem"];
    let (code, _, err) = dossier_with_pin(
        p,
        "2468",
        &[&["sign", "pdf", "in.pdf", "out.pdf"][..], &signing, &["--reason", "Copy"]].concat(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = dossier_with_pin(p, "0000", &[&["sign", "pdf", "in.pdf", "x.pdf"][..], &signing].concat());
    assert_ne!(code, 0);
    assert!(err.contains("wrong PIN"), "{err}");
    // A plain (unencrypted) PKCS#8 key is named as such, not taken for a wrong PIN.
    // (The file is judged by its PEM label, before any PIN is asked for.)
    write(
        "plain.key",
        b"-----BEGIN PRIVATE KEY-----\nMEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQc=\n-----END PRIVATE KEY-----\n",
    );
    let plain_signing = ["--key", "plain.key", "--cert", "signer.pem", "--chain", "issuing.pem"];
    let (code, _, err) =
        dossier_with_pin(p, "2468", &[&["sign", "pdf", "in.pdf", "y.pdf"][..], &plain_signing].concat());
    assert_ne!(code, 0);
    assert!(err.contains("unencrypted private key") && !err.contains("wrong PIN"), "{err}");

    let verify = ["verify", "pdf", "out.pdf", "--trust", "root.pem", "--revocation", "skip"];
    let (code, out, _) = dossier_with_pin(p, "", &verify);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Усі підписи дійсні"), "{out}");
    assert!(out.contains("Specialist Signer"), "{out}");
    let (code, out, _) = dossier_with_pin(p, "", &[&verify[..], &["--lang", "en", "--json"]].concat());
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED");
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-B");
    // Revocation required but no CRL given: INDETERMINATE, exit 2.
    let (code, out, _) = dossier_with_pin(p, "", &["verify", "pdf", "out.pdf", "--trust", "root.pem", "--lang", "en"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("TRY_LATER"), "{out}");
    // One byte changed inside the signed range: TOTAL-FAILED, exit 1.
    let mut signed = std::fs::read(p.join("out.pdf")).unwrap();
    let at = signed.windows(9).position(|w| w == b"Statement").unwrap();
    signed[at] ^= 0x20;
    write("tampered.pdf", &signed);
    let (code, out, _) =
        dossier_with_pin(p, "", &["verify", "pdf", "tampered.pdf", "--trust", "root.pem", "--revocation", "skip"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Документ змінено після підписання"), "{out}");
    // Not a PDF at all: the check cannot run, exit 3.
    write("junk.pdf", b"not a pdf");
    let (code, _, _) = dossier_with_pin(p, "", &["verify", "pdf", "junk.pdf", "--trust", "root.pem"]);
    assert_eq!(code, 3);

    // CMS attached: the content comes back out.
    write("meta.json", br#"{"requestId":"r-1"}"#);
    let (code, _, err) =
        dossier_with_pin(p, "2468", &[&["sign", "cms", "meta.json", "meta.p7m"][..], &signing].concat());
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = dossier_with_pin(
        p,
        "",
        &["verify", "cms", "meta.p7m", "--trust", "root.pem", "--revocation", "skip", "--out", "meta.out"],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read(p.join("meta.out")).unwrap(), br#"{"requestId":"r-1"}"#);

    // Envelope to the fund: only the fund's key opens it.
    let (code, _, err) = dossier_with_pin(p, "", &["encrypt", "out.pdf", "out.pdf.p7e", "--to", "fund.pem"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        dossier_with_pin(p, "2468", &["decrypt", "out.pdf.p7e", "back.pdf", "--key", "fund.key", "--cert", "fund.pem"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(p.join("back.pdf")).unwrap(), std::fs::read(p.join("out.pdf")).unwrap());
    let (code, _, _) =
        dossier_with_pin(p, "2468", &["decrypt", "out.pdf.p7e", "no.pdf", "--key", "signer.key", "--cert", "fund.pem"]);
    assert_ne!(code, 0);
    assert!(!p.join("no.pdf").exists());
}

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("openssl").args(args).current_dir(dir).output().expect("openssl")
}

fn openssl_available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

fn out_text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certification_centre_issues_checks_and_revokes_over_http() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let work = tempfile::tempdir().unwrap();
    let p = work.path();
    let http = reqwest::Client::new();

    // The trust anchor and the intermediate are public.
    for (path, file) in [("/ca/root.pem", "root.pem"), ("/ca/issuing.pem", "issuing.pem")] {
        let r = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let pem = r.text().await.unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
        std::fs::write(p.join(file), pem).unwrap();
    }

    // A specialist registers a person with an ID card; the CA operator certifies
    // a QES key for them from a request OpenSSL made.
    let specialist = login(&server, "specialist").await;
    let district = unit_id(&units(&specialist).await, "26101");
    let person = json!({"unit_id": district, "rnokpp": "1759013776", "surname": "Шевчук", "given_name": "Петро",
                        "birth_date": "1948-02-28", "sex": "male", "id_card": "001234567", "id_card_expires": "2035-01-01"});
    let (s, v) = specialist.post("/api/v1/persons", person).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["id_card_expires"], "2035-01-01");
    let o = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let o = openssl(&["req", "-new", "-key", "k.pem", "-subj", "/CN=Anyone/C=UA", "-out", "req.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let csr = std::fs::read_to_string(p.join("req.pem")).unwrap();

    let ca = login(&server, "ca").await;
    let (s, v) =
        ca.post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "qes-id-card", "person": "1759013776"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "good");
    let serial = v["serial"].as_str().unwrap().to_owned();
    std::fs::write(p.join("leaf.pem"), v["certificate_pem"].as_str().unwrap()).unwrap();
    let o = openssl(&["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem"], p);
    assert!(o.status.success() && out_text(&o).contains("leaf.pem: OK"), "{}", out_text(&o));
    let shown = out_text(&openssl(&["x509", "-in", "leaf.pem", "-noout", "-subject"], p));
    assert!(shown.contains("TINUA-1759013776") && !shown.contains("Anyone"), "the registry names the subject: {shown}");

    // OCSP: the certificate names the centre's responder, and OpenSSL's client
    // gets "good" from it, signed by a delegated responder it accepts.
    let ocsp_url = server.url("/ca/ocsp");
    let named = out_text(&openssl(&["x509", "-in", "leaf.pem", "-noout", "-ocsp_uri"], p));
    assert_eq!(named.trim(), ocsp_url, "{named}");
    let ask = |cert: &[&str]| {
        let mut args = vec!["ocsp", "-issuer", "issuing.pem", "-CAfile", "root.pem", "-verify_other", "issuing.pem"];
        args.extend_from_slice(cert);
        args.extend_from_slice(&["-url", &ocsp_url, "-resp_text"]);
        out_text(&openssl(&args, p))
    };
    let said = ask(&["-cert", "leaf.pem"]);
    assert!(said.contains("Response verify OK") && said.contains("leaf.pem: good"), "{said}");
    assert!(said.contains("OCSP Signing") || said.contains("Responder Id"), "{said}");
    let said = ask(&["-serial", "0x7a7a7a7a7a"]);
    assert!(
        said.contains("Response verify OK") && said.contains(": unknown"),
        "a serial the centre never issued: {said}"
    );
    // Rubbish is an OCSP answer too: malformedRequest, HTTP 200, no signature.
    let r =
        http.post(&ocsp_url).header("content-type", "application/ocsp-request").body("rubbish").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/ocsp-response");
    assert_eq!(&r.bytes().await.unwrap()[..], &[0x30, 0x03, 0x0a, 0x01, 0x01]);
    // RFC 6960 Appendix A.1: the same request by GET, base64 in the path.
    let o = openssl(&["ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-no_nonce", "-reqout", "req.ocsp"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(p.join("req.ocsp")).unwrap())
    };
    let path = format!("/ca/ocsp/{}", b64.replace('/', "%2F").replace('+', "%2B").replace('=', "%3D"));
    let r = http.get(server.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("max-age"), "no nonce: cacheable");
    std::fs::write(p.join("get.ocsp"), r.bytes().await.unwrap()).unwrap();
    let said = out_text(&openssl(
        &[
            "ocsp",
            "-respin",
            "get.ocsp",
            "-issuer",
            "issuing.pem",
            "-cert",
            "leaf.pem",
            "-CAfile",
            "root.pem",
            "-verify_other",
            "issuing.pem",
        ],
        p,
    ));
    assert!(said.contains("Response verify OK") && said.contains("leaf.pem: good"), "{said}");

    // The same request with one signature byte changed: no proof of possession.
    let o = openssl(&["req", "-in", "req.pem", "-outform", "DER", "-out", "req.der"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let mut der = std::fs::read(p.join("req.der")).unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    std::fs::write(p.join("bad.der"), der).unwrap();
    let o = openssl(&["req", "-inform", "DER", "-in", "bad.der", "-out", "bad.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let bad = std::fs::read_to_string(p.join("bad.pem")).unwrap();
    let (s, v) =
        ca.post("/api/v1/ca/certificates", json!({"csr": bad, "profile": "qes-id-card", "person": "1759013776"})).await;
    assert!(s.is_client_error(), "{s} {v}");
    assert_eq!(v["code"], "csr_rejected", "{v}");

    // The registry checks, with their reasons in both languages.
    let (s, v) = ca
        .post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "document-signing", "person": "1759013776"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["code"], "certification_refused");
    assert_eq!(problem_fields(&v), [("person".to_owned(), "certification.unit_profile_for_person".to_owned())]);
    assert!(v["errors"][0]["uk"].as_str().unwrap().contains("лише підрозділам"), "{v}");
    let (s, v) =
        ca.post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "card-key", "person": "1759013776"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0].1, "certification.card_application_required");

    // Card keys: for the holder of a card application whose keys were generated.
    let auditor = login(&server, "auditor").await;
    let (s, apps) = auditor.get("/api/v1/applications?stage=keys_generated&limit=1").await;
    assert_eq!(s, StatusCode::OK);
    let app = &apps["items"][0];
    assert!(app.is_object(), "the demo has cards whose keys await certification: {apps}");
    let (app_id, holder) = (app["id"].as_str().unwrap(), app["person_id"].as_str().unwrap());
    let body = json!({"csr": csr, "profile": "card-key", "person": holder, "card_application_id": app_id});
    let (s, v) = ca.post("/api/v1/ca/certificates", body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["card_application_id"], app_id);
    let body = json!({"csr": csr, "profile": "card-key", "person": "1759013776", "card_application_id": app_id});
    let (s, v) = ca.post("/api/v1/ca/certificates", body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0].1, "certification.card_application_other_person");

    // A specialist may not certify keys, nor look certificates up.
    let (s, _) = specialist
        .post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "qes-id-card", "person": "1759013776"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = specialist.get(&format!("/api/v1/ca/certificates/{serial}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Revocation: the CA operator revokes, the CRL fetched over HTTP lists it.
    let r = http.get(server.url("/ca/crl")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pkix-crl");
    let (s, _) =
        specialist.post(&format!("/api/v1/ca/certificates/{serial}/revoke"), json!({"reason": "key-compromise"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) =
        ca.post(&format!("/api/v1/ca/certificates/{serial}/revoke"), json!({"reason": "key-compromise"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "revoked");
    let (s, v) = ca.post(&format!("/api/v1/ca/certificates/{serial}/revoke"), json!({"reason": "superseded"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = ca.get(&format!("/api/v1/ca/certificates/{}", serial.to_uppercase())).await;
    assert_eq!((s, v["revocation_reason"].as_str()), (StatusCode::OK, Some("key-compromise")));
    // The responder says so at once, with the reason.
    let said = ask(&["-cert", "leaf.pem"]);
    assert!(said.contains("leaf.pem: revoked") && said.contains("Reason: keyCompromise"), "{said}");

    let crl = http.get(server.url("/ca/crl")).send().await.unwrap().bytes().await.unwrap();
    std::fs::write(p.join("crl.der"), &crl).unwrap();
    let shown = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], p);
    let text = out_text(&shown);
    assert!(text.to_lowercase().contains(&format!("serial number: {serial}")), "{text}");
    assert!(text.contains("Key Compromise"), "{text}");
    let chain = format!(
        "{}{}",
        std::fs::read_to_string(p.join("root.pem")).unwrap(),
        std::fs::read_to_string(p.join("issuing.pem")).unwrap()
    );
    std::fs::write(p.join("chain.pem"), chain).unwrap();
    let o = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "chain.pem", "-noout", "-verify"], p);
    assert!(out_text(&o).contains("verify OK"), "{}", out_text(&o));

    // The demo certified the central fund's own encryption and signing keys.
    for profile in ["agency-encryption", "document-signing"] {
        let pem = server.data().join("keys").join("00000").join(format!("{profile}.pem"));
        let o = Command::new("openssl")
            .args(["verify", "-x509_strict", "-CAfile"])
            .arg(p.join("root.pem"))
            .arg("-untrusted")
            .arg(p.join("issuing.pem"))
            .arg(&pem)
            .output()
            .unwrap();
        assert!(o.status.success(), "{profile}: {}", out_text(&o));
        assert!(server.data().join("keys").join("00000").join(format!("{profile}.key.json")).exists());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_commands_certify_revoke_and_publish_beside_a_running_server() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let work = tempfile::tempdir().unwrap();
    let p = work.path();
    let ca = |args: &[&str], pin: &str| {
        Command::new(bin())
            .arg("ca")
            .args(args)
            .arg("--data-dir")
            .arg(server.data())
            .env("DOSSIER_CA_PIN", pin)
            .env("DOSSIER_LOG", "warn")
            .current_dir(p)
            .output()
            .unwrap()
    };

    let o = ca(&["init"], "2026");
    assert!(!o.status.success() && out_text(&o).contains("--force"), "an existing centre is kept: {}", out_text(&o));
    let o = ca(&["export-root", "--out", "root.pem"], "");
    assert!(o.status.success(), "{}", out_text(&o));
    assert_eq!(std::fs::read(p.join("root.pem")).unwrap(), std::fs::read(server.data().join("ca/root.pem")).unwrap());

    let o = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let o = openssl(&["req", "-new", "-key", "k.pem", "-subj", "/CN=Kyiv office", "-out", "req.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let o = ca(&["issue", "--csr", "req.pem", "--profile", "qes-id-card", "--unit", "26101", "--out", "x.pem"], "2026");
    assert!(!o.status.success(), "a QES is for people");
    assert!(out_text(&o).contains("certified for a person only"), "{}", out_text(&o));
    let o = ca(
        &["issue", "--csr", "req.pem", "--profile", "document-signing", "--unit", "26101", "--out", "c.pem"],
        "2026",
    );
    assert!(o.status.success(), "{}", out_text(&o));
    let serial =
        String::from_utf8_lossy(&o.stdout).split_whitespace().skip_while(|w| *w != "serial").nth(1).unwrap().to_owned();
    let o = Command::new("openssl")
        .args(["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted"])
        .arg(server.data().join("ca/issuing.pem"))
        .arg("c.pem")
        .current_dir(p)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out_text(&o));

    // A centre whose issuing CA does not name the root's revocation list gets a new certificate
    // for the same key that does; what it certified before still chains (OpenSSL says so).
    let recertify = |pin: &str| {
        Command::new(bin())
            .args(["ca", "recertify-issuing", "--data-dir"])
            .arg(server.data())
            .env("DOSSIER_CA_PIN", pin)
            .env("DOSSIER_CA_PUBLIC_URL", "https://fund.example")
            .env("DOSSIER_LOG", "warn")
            .output()
            .unwrap()
    };
    let o = recertify("2026");
    assert!(o.status.success() && out_text(&o).contains("re-certified"), "{}", out_text(&o));
    let issuing_pem = server.data().join("ca/issuing.pem");
    let text = out_text(&openssl(&["x509", "-noout", "-text", "-in", issuing_pem.to_str().unwrap()], p));
    assert!(text.contains("https://fund.example/ca/root.crl"), "{text}");
    let o = Command::new("openssl")
        .args(["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted"])
        .arg(server.data().join("ca/issuing.pem"))
        .arg("c.pem")
        .current_dir(p)
        .output()
        .unwrap();
    assert!(o.status.success(), "issued before, chains to the new certificate: {}", out_text(&o));
    let o = recertify("2026");
    assert!(o.status.success() && out_text(&o).contains("nothing to do"), "{}", out_text(&o));

    let o = ca(&["revoke", &serial, "--reason", "superseded"], "");
    assert!(o.status.success(), "revoking needs no key: {}", out_text(&o));
    let o = ca(&["crl", "--out", "crl.der"], "0000");
    assert!(!o.status.success() && out_text(&o).contains("wrong PIN"), "{}", out_text(&o));
    let o = ca(&["crl", "--out", "crl.der"], "2026");
    assert!(o.status.success(), "{}", out_text(&o));
    let text = out_text(&openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], p));
    assert!(text.to_lowercase().contains(&format!("serial number: {serial}")) && text.contains("Superseded"), "{text}");

    // The running server serves the CRL the command published.
    let served = reqwest::get(server.url("/ca/crl")).await.unwrap().bytes().await.unwrap();
    assert_eq!(served.as_ref(), std::fs::read(p.join("crl.der")).unwrap().as_slice());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_signed_with_the_funds_keys_are_time_stamped_and_judged_over_http() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let keys = server.data().join("keys").join("00000");
    let p = server.data();
    std::fs::write(p.join("in.pdf"), dossier_crypto::pades::testpdf::minimal_pdf("Statement for Olena")).unwrap();
    let root = reqwest::get(server.url("/ca/root.pem")).await.unwrap().text().await.unwrap();
    std::fs::write(p.join("root.pem"), &root).unwrap();
    std::fs::write(
        p.join("issuing.pem"),
        reqwest::get(server.url("/ca/issuing.pem")).await.unwrap().text().await.unwrap(),
    )
    .unwrap();

    // The TSA answers OpenSSL, and OpenSSL trusts the answer.
    let q = openssl(&["ts", "-query", "-data", "in.pdf", "-sha256", "-cert", "-out", "req.tsq"], p);
    assert!(q.status.success(), "{}", out_text(&q));
    let reply = reqwest::Client::new()
        .post(server.url("/tsa"))
        .header("content-type", "application/timestamp-query")
        .body(std::fs::read(p.join("req.tsq")).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(reply.headers()["content-type"], "application/timestamp-reply");
    std::fs::write(p.join("resp.tsr"), reply.bytes().await.unwrap()).unwrap();
    let v = openssl(
        &["ts", "-verify", "-data", "in.pdf", "-in", "resp.tsr", "-CAfile", "root.pem", "-untrusted", "issuing.pem"],
        p,
    );
    assert!(out_text(&v).contains("Verification: OK"), "{}", out_text(&v));

    // The fund's document-signing key signs B-T through the server's TSA.
    let key = keys.join("document-signing.key.json");
    let cert = keys.join("document-signing.pem");
    let tsa = server.url("/tsa");
    let (code, _, err) = dossier_with_pin(
        p,
        "2026",
        &[
            "sign",
            "pdf",
            "in.pdf",
            "out.pdf",
            "--key",
            key.to_str().unwrap(),
            "--cert",
            cert.to_str().unwrap(),
            "--chain",
            "issuing.pem",
            "--tsa",
            &tsa,
        ],
    );
    assert_eq!(code, 0, "{err}");

    // The API judges it against the centre's root and current CRL.
    let specialist = login(&server, "specialist").await;
    let signed = std::fs::read(p.join("out.pdf")).unwrap();
    let r = specialist
        .req(reqwest::Method::POST, "/api/v1/signatures/verify-pdf")
        .body(signed.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED", "{report:#}");
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-T");
    assert!(
        report["signatures"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "revocation" && c["status"] == "passed")
    );

    // B-LTA: the chain and the centre's CRL stored in the document, then a document
    // time-stamp over them; it validates with revocation required and only the root given.
    let crl = reqwest::get(server.url("/ca/crl")).await.unwrap().bytes().await.unwrap();
    std::fs::write(p.join("ca.crl"), &crl).unwrap();
    #[rustfmt::skip]
    let (code, _, err) = dossier_with_pin(p, "2026", &[
        "sign", "pdf", "in.pdf", "lta.pdf", "--key", key.to_str().unwrap(), "--cert", cert.to_str().unwrap(),
        "--chain", "issuing.pem", "--tsa", &tsa, "--crl", "ca.crl", "--lta",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = dossier_with_pin(
        p,
        "",
        &["verify", "pdf", "lta.pdf", "--trust", "root.pem", "--revocation", "require", "--json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let lta: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lta["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{lta:#}");
    // CAdES B-LT: the chain and the CRL in the message itself; only the root
    // given. With --lta, an archive time-stamp over all of it (CAdES-LTA).
    #[rustfmt::skip]
    let (code, _, err) = dossier_with_pin(p, "2026", &[
        "sign", "cms", "in.pdf", "lt.p7s", "--key", key.to_str().unwrap(), "--cert", cert.to_str().unwrap(),
        "--chain", "issuing.pem", "--tsa", &tsa, "--crl", "ca.crl", "--lta",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = dossier_with_pin(p, "", &["verify", "cms", "lt.p7s", "--trust", "root.pem", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\"archive_timestamp\""), "{out}");
    // Validated as at a day when P-256 is declared broken: the archive time-stamp is P-256 too, so nothing proves it.
    let (code, out, _) = dossier_with_pin(
        p,
        "",
        &[
            "verify",
            "cms",
            "lt.p7s",
            "--trust",
            "root.pem",
            "--revocation",
            "skip",
            "--at",
            "2027-06-01",
            "--algorithm-expired",
            "ecdsa-256=2027-01-01",
            "--json",
        ],
    );
    assert_eq!(code, 2, "INDETERMINATE {out}");
    assert!(out.contains("CRYPTO_CONSTRAINTS_FAILURE_NO_POE"), "{out}");
    let (code, _, err) =
        dossier_with_pin(p, "", &["sign", "pdf", "in.pdf", "x.pdf", "--key", "k", "--cert", "c", "--lta"]);
    assert_ne!(code, 0);
    assert!(err.contains("--tsa"), "{err}");

    // The status the files do not give is asked for with --online: the
    // signer's certificate names the centre's OCSP responder.
    let (code, out, _) = dossier_with_pin(p, "", &["verify", "pdf", "out.pdf", "--trust", "root.pem", "--json"]);
    assert_eq!(code, 2, "no revocation data at hand: INDETERMINATE {out}");
    assert!(out.contains("TRY_LATER"), "{out}");
    let (code, out, err) =
        dossier_with_pin(p, "", &["verify", "pdf", "out.pdf", "--trust", "root.pem", "--online", "--json"]);
    assert_eq!(code, 0, "{out}{err}");

    // B-LTA with the responder's answer in the DSS instead of the CRL: one
    // response for the signer and the time-stamping unit.
    let tsu = keys.join("time-stamping.pem");
    #[rustfmt::skip]
    let o = openssl(&["ocsp", "-issuer", "issuing.pem", "-cert", cert.to_str().unwrap(), "-cert", tsu.to_str().unwrap(),
                      "-url", &server.url("/ca/ocsp"), "-CAfile", "root.pem", "-verify_other", "issuing.pem",
                      "-respout", "status.ocsp"], p);
    assert_eq!(out_text(&o).matches(": good").count(), 2, "{}", out_text(&o));
    #[rustfmt::skip]
    let (code, _, err) = dossier_with_pin(p, "2026", &[
        "sign", "pdf", "in.pdf", "lta-ocsp.pdf", "--key", key.to_str().unwrap(), "--cert", cert.to_str().unwrap(),
        "--chain", "issuing.pem", "--tsa", &tsa, "--ocsp", "status.ocsp", "--lta",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = dossier_with_pin(p, "", &["verify", "pdf", "lta-ocsp.pdf", "--trust", "root.pem", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let lta: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lta["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{lta:#}");
    // The re-time-stamping job: a report first, then the renewal, in place.
    let archive = p.join("archive");
    std::fs::create_dir_all(archive.join("2026")).unwrap();
    std::fs::copy(p.join("out.pdf"), archive.join("2026").join("b-t.pdf")).unwrap();
    std::fs::copy(p.join("in.pdf"), archive.join("unsigned.pdf")).unwrap();
    let b_t = std::fs::read(p.join("out.pdf")).unwrap();
    let (code, out, err) = dossier_with_pin(p, "", &["archive", "renew", "archive", "--dry-run", "--within-days", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("b-t.pdf: not due — newest time-stamp (signature time-stamp in Signature1)"), "{out}");
    assert!(out.contains("unsigned.pdf: not due — no signatures"), "{out}");
    let (code, out, err) =
        dossier_with_pin(p, "", &["archive", "renew", "archive", "--dry-run", "--within-days", "20000"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("b-t.pdf: due") && out.contains("would renew") && out.contains("0 renewed"), "{out}");
    assert_eq!(std::fs::read(archive.join("2026").join("b-t.pdf")).unwrap(), b_t, "a dry run changes nothing");
    let (code, _, err) = dossier_with_pin(p, "", &["archive", "renew", "archive", "--within-days", "20000"]);
    assert_ne!(code, 0);
    assert!(err.contains("--tsa"), "{err}");
    #[rustfmt::skip]
    let (code, out, err) = dossier_with_pin(p, "", &[
        "archive", "renew", "archive", "--within-days", "20000", "--tsa", &tsa, "--online", "--trust", "root.pem",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("b-t.pdf: renewed") && out.contains("1 renewed, 0 failed"), "{out}");
    let renewed = std::fs::read(archive.join("2026").join("b-t.pdf")).unwrap();
    assert!(renewed.starts_with(&b_t), "an incremental update: every signature stays as it was");
    let (code, out, err) = dossier_with_pin(
        p,
        "",
        &["verify", "pdf", archive.join("2026").join("b-t.pdf").to_str().unwrap(), "--trust", "root.pem", "--json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{report:#}");
    assert_eq!(report["signatures"][1]["kind"], "document_timestamp", "{report:#}");
    let (_, out, _) = dossier_with_pin(p, "", &["archive", "renew", "archive", "--dry-run", "--within-days", "1"]);
    assert!(out.contains("b-t.pdf: not due — newest time-stamp (document time-stamp in DocTimeStamp"), "{out}");
    // pyHanko's long-term validation (EN 319 102-1 §5.6.3) accepts the renewed file from its own
    // data: the signer's and the unit's OCSP answers, the root's list for the issuing CA.
    let pyhanko = Command::new("python3").args(["-c", "import pyhanko"]).output().is_ok_and(|o| o.status.success());
    if !pyhanko && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but pyHanko is missing");
    }
    if pyhanko {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop/pyhanko_ades_lta.py");
        let o = Command::new("python3")
            .arg(&script)
            .arg(p.join("root.pem"))
            .arg(archive.join("2026").join("b-t.pdf"))
            .output()
            .unwrap();
        assert!(o.status.success() && out_text(&o).contains("AdESPassed.OK"), "{}", out_text(&o));
    }

    // The staff page offers the revision signature 1 covers, the one before the validation data.
    let form = reqwest::multipart::Form::new()
        .text("csrf", specialist.csrf.clone())
        .part("file", reqwest::multipart::Part::bytes(std::fs::read(p.join("lta.pdf")).unwrap()).file_name("lta.pdf"));
    let html = specialist.req(reqwest::Method::POST, "/signatures/verify").multipart(form).send().await.unwrap();
    let html = html.text().await.unwrap();
    assert!(html.contains("download=\"signed-revision-1.pdf\""), "no signed revision offered");

    // The staff page tells a non-expert, in Ukrainian, and names the signer.
    let mut tampered = signed.clone();
    let at = signed.windows(9).position(|w| w == b"Statement").unwrap();
    tampered[at] ^= 0x20;
    for (bytes, expect) in [(signed, "Усі підписи дійсні"), (tampered, "Документ змінено після підписання.")]
    {
        let form = reqwest::multipart::Form::new()
            .text("csrf", specialist.csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("copy.pdf"));
        let r = specialist.req(reqwest::Method::POST, "/signatures/verify").multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        assert!(html.contains(expect), "{expect} not on the page");
    }
}

/// `dossier sharing register-branch` against a one-request fake hub: the
/// unit's encryption certificate goes to the hub's branch API with the
/// acquirer token, and the hub's branch id is stored.
#[test]
fn register_branch_sends_the_units_encryption_certificate_and_stores_the_branch_id() {
    use std::io::{Read, Write};
    let dir = tempfile::tempdir().unwrap();
    let seed = Command::new(bin()).args(["demo", "--seed-only", "--data-dir"]).arg(dir.path()).output().unwrap();
    assert!(seed.status.success(), "{}", String::from_utf8_lossy(&seed.stderr));
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let hub = format!("http://{}", listener.local_addr().unwrap());
    let seen = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(Duration::from_secs(20))).unwrap();
        let mut buf = vec![];
        let mut chunk = [0u8; 8192];
        // Read the head, then exactly Content-Length bytes of body.
        loop {
            let n = conn.read(&mut chunk).unwrap();
            buf.extend_from_slice(&chunk[..n]);
            let text = String::from_utf8_lossy(&buf).to_string();
            if let Some(end) = text.find("\r\n\r\n") {
                let len = text[..end]
                    .lines()
                    .find_map(|l| l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                    .and_then(|v| v.parse::<usize>().ok())
                    .unwrap_or(0);
                if buf.len() >= end + 4 + len || n == 0 {
                    break;
                }
            }
        }
        let body = r#"{"_id":"hub-branch-42"}"#;
        let resp = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        conn.write_all(resp.as_bytes()).unwrap();
        String::from_utf8_lossy(&buf).into_owned()
    });
    let keys = dir.path().join("keys").join("00000");
    let out = Command::new(bin())
        .args([
            "sharing",
            "register-branch",
            "--unit",
            "00000",
            "--scopes",
            "taxpayer-card,internal-passport",
            "--data-dir",
        ])
        .arg(dir.path())
        .env("DOSSIER_HUB_URL", &hub)
        .env("DOSSIER_HUB_ACQUIRER_ID", "pfu")
        .env("DOSSIER_HUB_TOKEN", "acquirer-token")
        .env("DOSSIER_HUB_CERT", keys.join("document-signing.pem"))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).contains("hub-branch-42"));
    let request = seen.join().unwrap();
    assert!(request.starts_with("POST /api/v1/acquirers/branch "), "{request}");
    assert!(request.to_ascii_lowercase().contains("authorization: bearer acquirer-token"));
    assert!(request.contains("BEGIN CERTIFICATE") && request.contains("taxpayer-card"), "{request}");
    assert!(!String::from_utf8_lossy(&out.stderr).contains("acquirer-token"), "the token is not logged");
}

/// A background `dossier` process, killed on drop.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dossier ARGS` and waits for the stdout line starting with `ready`.
fn spawn_until(args: &[&str], env: &[(&str, String)], ready: &str) -> Running {
    let mut cmd = Command::new(bin());
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::inherit()).env("DOSSIER_LOG", "warn");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    loop {
        let line = lines.next().unwrap_or_else(|| panic!("`dossier {}` exited before {ready:?}", args[0])).unwrap();
        if line.starts_with(ready) {
            break;
        }
    }
    std::thread::spawn(move || for _ in lines {});
    Running(child)
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs `dossier ARGS` to completion; panics unless it succeeds; returns stdout.
fn dossier_ok(args: &[&str], env: &[(&str, String)]) -> String {
    let mut cmd = Command::new(bin());
    cmd.args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "dossier {args:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// The whole share across separate processes, as deployed: `dossier hub` and
/// `dossier serve` each with its own database, wired only by configuration
/// (hub URL, acquirer token, pinned hub certificate) and loopback HTTP; the
/// citizen acts through `dossier wallet`. The copy lands in the dossier of
/// the person with the wallet's RNOKPP, stamped with the district's branch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_runs_across_separate_hub_and_fund_processes() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    dossier_ok(&["demo", "--seed-only", "--data-dir", &data], &[]);
    let seeded = dossier_ok(&["hub", "seed-demo", "--data-dir", &data], &[]);
    // A wallet login (RNOKPP) of a citizen the fund knows.
    let citizen = seeded
        .lines()
        .filter(|l| l.starts_with("  ") && !l.contains("not in the fund"))
        .find_map(|l| l.split_whitespace().next().filter(|w| w.len() == 10).map(str::to_owned))
        .expect("a wallet login");

    let (fund_port, hub_port) = (free_port(), free_port());
    let fund = format!("http://127.0.0.1:{fund_port}");
    let hub = format!("http://127.0.0.1:{hub_port}");
    let endpoint = format!("{fund}/api/v1/sharing/deliveries");
    let token = dossier_ok(
        &["hub", "acquirer-add", "--id", "pfu", "--name", "Пенсійний фонд України", "--endpoint", &endpoint],
        &[("DOSSIER_DATA_DIR", data.clone())],
    );
    let _hub = spawn_until(
        &["hub", "--listen", &format!("127.0.0.1:{hub_port}"), "--data-dir", &data],
        &[],
        "Dossier hub (wallet) at",
    );
    let fund_env = [
        ("DOSSIER_HUB_URL", hub.clone()),
        ("DOSSIER_HUB_ACQUIRER_ID", "pfu".to_owned()),
        ("DOSSIER_HUB_TOKEN", token.trim().to_owned()),
        ("DOSSIER_HUB_CERT", format!("{data}/hub/keys/document-signing.pem")),
        ("DOSSIER_PUBLIC_URL", fund.clone()),
        ("DOSSIER_CA_PIN", "2026".to_owned()),
    ];
    let registered = dossier_ok(&["sharing", "register-branch", "--unit", "26101", "--data-dir", &data], &fund_env);
    assert!(registered.contains("unit 26101 is branch"), "{registered}");
    let _fund = spawn_until(
        &["serve", "--listen", &format!("127.0.0.1:{fund_port}"), "--data-dir", &data],
        &fund_env,
        "Dossier is listening on",
    );

    let wallet = |args: &[&str]| {
        let mut all = vec!["wallet", "--hub", &hub, "--login", &citizen, "--json"];
        all.extend_from_slice(args);
        let out = dossier_ok(
            &all,
            &[("DOSSIER_WALLET_PASSWORD", "demo-wallet-2026".to_owned()), ("DOSSIER_PIN", "1234".to_owned())],
        );
        serde_json::from_str::<Value>(&out).unwrap()
    };
    let code = wallet(&["code", "taxpayer-card"]);
    let barcode = code["code"].as_str().unwrap().to_owned();
    assert_eq!(barcode.len(), 13);

    // The specialist of service centre 26101-1 sends the code; the request
    // goes through the district's branch.
    let c = login_at(&fund, "specialist").await;
    let (s, v) = c.post("/api/v1/sharing/requests", json!({"barcode": barcode, "documentType": "taxpayer-card"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "waiting_consent", "{v}");
    let id = v["id"].as_str().unwrap().to_owned();

    let requests = wallet(&["requests"]);
    let request = requests.as_array().unwrap().iter().find(|r| r["status"] == "waiting_consent").expect("a request");
    assert_eq!(request["acquirer"], "Пенсійний фонд України");
    assert_eq!(request["branch"], "Управління в Шевченківському районі м. Києва");
    let approved = wallet(&["approve", request["id"].as_str().unwrap()]);
    assert_eq!(approved["status"], "approved", "{approved}");

    // The hub delivers within a few seconds; the fund follows.
    let mut view = Value::Null;
    for _ in 0..150 {
        view = c.get(&format!("/api/v1/sharing/requests/{id}")).await.1;
        if view["finalStatus"] == true {
            break;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    assert_eq!(view["status"], "delivered", "{view}");
    let copy = &view["copy"];
    assert!(copy["person_id"].is_string(), "matched to the person: {copy}");
    assert_eq!(copy["review"], "matched", "{copy}");
    assert_eq!(copy["stamp"]["branchName"], "Управління в Шевченківському районі м. Києва", "{copy}");
    assert_eq!(copy["report"]["pdf"]["indication"], "TOTAL-PASSED", "{copy}");
    let r = c.req(reqwest::Method::GET, &format!("/api/v1/sharing/requests/{id}/copy")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));

    // The code was single use.
    let (s, v) = c.post("/api/v1/sharing/requests", json!({"barcode": barcode, "documentType": "taxpayer-card"})).await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::CONFLICT, Some("already_used")), "{v}");

    // The fund keeps the copy for a lifetime: the archival job finds it due (never time-stamped by
    // a document time-stamp), reports first, then renews it in place with the fund's TSA beside
    // the running server; the copy served afterwards is the renewed file, still valid.
    let archive = |extra: &[&str]| {
        let mut args = vec!["archive", "renew", "--stored", "--data-dir", &data];
        args.extend_from_slice(extra);
        dossier_ok(&args, &fund_env)
    };
    let dry = archive(&["--dry-run"]);
    assert!(dry.contains("(taxpayer-card): due") && dry.contains("0 renewed, 0 failed (dry run)"), "{dry}");
    let tsa = format!("{fund}/tsa");
    let done = archive(&["--tsa", &tsa]);
    assert!(done.contains("(taxpayer-card): renewed") && done.contains("1 renewed, 0 failed"), "{done}");
    assert!(archive(&["--dry-run"]).contains("(taxpayer-card): not due"), "renewed once, due no more");
    let r = c.req(reqwest::Method::GET, &format!("/api/v1/sharing/requests/{id}/copy")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let renewed = r.bytes().await.unwrap().to_vec();
    let r = c.req(reqwest::Method::POST, "/api/v1/signatures/verify-pdf").body(renewed).send().await.unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED", "{report:#}");
    let kinds: Vec<&str> = report["signatures"].as_array().unwrap().iter().filter_map(|s| s["kind"].as_str()).collect();
    assert_eq!(kinds, ["signature", "document_timestamp"], "{report:#}");
}

/// Runs a tool on a file; `None` when the tool is not installed (outside CI).
fn tool_output(tool: &str, args: &[&str]) -> Option<std::process::Output> {
    match Command::new(tool).args(args).output() {
        Ok(o) => Some(o),
        Err(_) if std::env::var("CI").as_deref() != Ok("true") => None,
        Err(e) => panic!("CI=true but {tool} is missing: {e}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_production_over_http_batches_acts_journal_and_issue() {
    let server = Server::start();
    let production = login(&server, "production").await;
    let central = login(&server, "transfer.central").await;
    let units = units(&production).await;
    let (c, kyiv, lviv, shev) =
        (unit_id(&units, "00000"), unit_id(&units, "26000"), unit_id(&units, "13000"), unit_id(&units, "26101"));

    // The demo's week (last week): batches of every level, Drohobych's batch of the week before flagged late.
    let (s, batches) = production.get("/api/v1/production/batches").await;
    assert_eq!(s, StatusCode::OK);
    let batches = batches.as_array().unwrap();
    let central_run = batches.iter().find(|b| b["level"] == "central").expect("the demo's central run");
    assert!(central_run["items"].as_i64().unwrap() > 0);
    assert!(batches.iter().any(|b| b["level"] == "district" && b["late"] == true), "{batches:?}");
    // Repeating the central run is a no-op answered with the earlier batch.
    let (s, again) = production
        .post("/api/v1/production/batches", json!({"level": "central", "unit_id": c, "week": central_run["week"]}))
        .await;
    assert_eq!(s, StatusCode::OK, "{again}");
    assert_eq!(again["outcome"], "already_submitted");
    // §III: the batch goes with the photo. One of this week's demo applicants has not
    // brought it: the district's candidate counts it apart from what the batch would move.
    let (s, candidates) = production.get("/api/v1/production/candidates?level=district").await;
    assert_eq!(s, StatusCode::OK);
    let waiting: i64 = candidates.as_array().unwrap().iter().map(|c| c["without_photo"].as_i64().unwrap()).sum();
    assert_eq!(waiting, 1, "{candidates}");
    // §III.9: the demo's fixed-term pension ends in three weeks: flagged before expiry.
    let (s, expiring) = production.get("/api/v1/production/expiring").await;
    assert_eq!(s, StatusCode::OK);
    let items = expiring["items"].as_array().unwrap();
    assert!(
        items.iter().any(|c| c["flag"]["kind"] == "expiring" && c["flag"]["days_left"].as_i64() <= Some(21)),
        "{expiring}"
    );
    assert!(items.iter().all(|c| c["valid_until"].is_string()), "only term-limited certificates: {expiring}");
    let (s, _) = production.get("/api/v1/production/expiring?days=400").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    // A district officer cannot submit for another district.
    let district = login(&server, "district").await;
    let other = unit_id(&units, "26102");
    let (s, _) = district.post("/api/v1/production/batches", json!({"level": "district", "unit_id": other})).await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    let (s, overview) = production.get("/api/v1/production/overview").await;
    assert_eq!(s, StatusCode::OK);
    let stages: Vec<&str> = overview["by_stage"].as_array().unwrap().iter().map(|p| p[0].as_str().unwrap()).collect();
    for stage in ["in_production", "produced", "at_region", "at_district", "issued"] {
        assert!(stages.contains(&stage), "{stage} missing from {stages:?}");
    }
    // The demo's chain ran last week: what missed its deadline is listed as late —
    // Drohobych's applications never batched, Pecherskyi's certificates past the
    // region's two days, cards filed seven weeks ago.
    let (s, late) = production.get("/api/v1/production/late?limit=200").await;
    assert_eq!(s, StatusCode::OK);
    let late = late["items"].as_array().unwrap();
    for (stage, form) in [("accepted", "paper"), ("at_region", "paper")] {
        assert!(late.iter().any(|c| c["stage"] == stage && c["form"] == form), "no late {form} at {stage}: {late:?}");
    }
    assert!(late.iter().any(|c| c["form"] == "card"), "no late card: {late:?}");
    let due = |c: &Value| chrono::DateTime::parse_from_rfc3339(c["due_at"].as_str().unwrap()).unwrap();
    assert!(late.iter().all(|c| due(c) < chrono::Utc::now()), "only what is past due");

    // A transfer act for a certificate of another region is refused and changes nothing.
    let (_, acts) = central.get("/api/v1/production/acts").await;
    let lviv_act = acts["items"].as_array().unwrap().iter().find(|a| a["to_unit_id"] == lviv).unwrap().clone();
    let lviv_cert = lviv_act["items"][0]["certificate_id"].as_str().unwrap().to_owned();
    let (s, p) = central
        .post("/api/v1/production/acts", json!({"from_unit_id": c, "to_unit_id": kyiv, "certificate_ids": [lviv_cert]}))
        .await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    // Kyiv's responsible person cannot accept Lviv's act.
    let kyiv_resp = login(&server, "transfer").await;
    let (s, _) = kyiv_resp
        .post(&format!("/api/v1/production/acts/{}/accept", lviv_act["id"].as_str().unwrap()), json!({}))
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND);

    // The journal of the Shevchenkivskyi district: columns 1–4 filled on acceptance, half issued.
    let (s, journal) = district.get(&format!("/api/v1/production/journal?unit_id={shev}")).await;
    assert_eq!(s, StatusCode::OK);
    let journal = journal.as_array().unwrap().clone();
    assert!(journal.iter().any(|l| l["issued_at"].is_null()) && journal.iter().any(|l| !l["issued_at"].is_null()));
    // Issue one more at the counter, to a representative with all documents.
    let specialist = login(&server, "specialist").await;
    let waiting: Vec<&Value> = journal.iter().filter(|l| l["issued_at"].is_null()).collect();
    let target = waiting.last().unwrap()["certificate_id"].as_str().unwrap().to_owned();
    let body = json!({
        "recipient_name": "Мельник Ольга Петрівна",
        "recipient": {"kind": "representative", "identity_document": "ID-картка № 000123456",
                      "status_document": "рішення суду про опіку № 2-123/2026", "resident": true,
                      "tax_registration": "1759013776"},
        "signature": "tick"
    });
    let (s, line) = specialist.post(&format!("/api/v1/production/certificates/{target}/issue"), body.clone()).await;
    assert_eq!(s, StatusCode::OK, "{line}");
    assert!(!line["issued_at"].is_null());
    let (s, _) = specialist.post(&format!("/api/v1/production/certificates/{target}/issue"), body.clone()).await;
    assert_eq!(s, StatusCode::CONFLICT, "issued twice");

    // §V.2: the demo's applications send paper to the district's first service centre. A
    // specialist of its second one (added by the administrator beside the running server) is
    // refused with the office's name; the refusal changes nothing.
    let o = Command::new(bin())
        .args(["user-add", "--login", "specialist.sc2", "--name", "Ганна Литвин", "--role", "specialist"])
        .args(["--unit", "26101-2", "--data-dir"])
        .arg(server.data())
        .env("DOSSIER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out_text(&o));
    let sibling = login(&server, "specialist.sc2").await;
    let others: Vec<String> =
        waiting[..waiting.len() - 1].iter().map(|l| l["certificate_id"].as_str().unwrap().to_owned()).collect();
    let (s, p) = sibling.post(&format!("/api/v1/production/certificates/{}/issue", others[0]), body.clone()).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "{p}");
    assert_eq!(p["code"], "other_office", "{p}");
    assert!(p["detail"]["uk"].as_str().unwrap().contains("Сервісний центр №1"), "{p}");

    // §III.8: a certificate on an open destruction act is neither issued nor listed again.
    // (One waiting certificate is on the demo's own open act already: another one is taken.)
    let order = "наказ № 21 від 12.10.2026";
    let destroy = |id: &str| json!({"unit_id": shev, "order_no": order, "items": [{"certificate_id": id, "reason": "error_in_entries"}]});
    let mut drafted = None;
    for id in others.iter().rev() {
        let (s, act) = district.post("/api/v1/production/destructions", destroy(id)).await;
        if s == StatusCode::CREATED {
            drafted = Some((id.clone(), act["number"].as_str().unwrap().to_owned()));
            break;
        }
        assert_eq!(s, StatusCode::CONFLICT, "{act}");
        assert_eq!(act["detail"]["uk"].as_str().map(|d| d.contains("незавершеного акта")), Some(true), "{act}");
    }
    let (next, number) = drafted.expect("a waiting certificate on no act");
    let number = number.as_str();
    let line = json!({"certificate_id": next, "reason": "error_in_entries"});
    let (s, p) = specialist.post(&format!("/api/v1/production/certificates/{next}/issue"), body).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    assert!(p["detail"]["en"].as_str().unwrap().contains(number), "the refusal names the act: {p}");
    let (s, p) = district.post("/api/v1/production/destructions", destroy(&next)).await;
    assert_eq!(s, StatusCode::CONFLICT, "a second open act: {p}");
    // The commission member finds the acts waiting for signatures first (the demo's and this one).
    let member = login(&server, "commission2").await;
    let (s, acts) = member.get("/api/v1/production/destructions").await;
    assert_eq!(s, StatusCode::OK, "{acts}");
    let acts = acts["items"].as_array().unwrap();
    assert!(acts.len() >= 2 && acts[..2].iter().all(|a| a["completed"] == false), "{acts:?}");
    assert!(acts.iter().any(|a| a["number"] == number), "{acts:?}");
    // A list naming a certificate twice is a 422 naming it, not a 500.
    let (s, p) = district
        .post("/api/v1/production/destructions", json!({"unit_id": shev, "order_no": order, "items": [line, line]}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(problem_fields(&p), [("items[1]".to_owned(), "common.repeated_item".to_owned())]);
    let (s, p) = central
        .post(
            "/api/v1/production/acts",
            json!({"from_unit_id": c, "to_unit_id": kyiv, "certificate_ids": [lviv_cert, lviv_cert]}),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(problem_fields(&p), [("certificate_ids[1]".to_owned(), "common.repeated_item".to_owned())]);

    // The administrator who records appointments by order may read them.
    let admin = login(&server, "admin").await;
    let (s, orders) = admin.get(&format!("/api/v1/production/appointments?unit_id={shev}")).await;
    assert_eq!(s, StatusCode::OK, "{orders}");
    assert!(orders.as_array().unwrap().iter().any(|a| a["order_no"] == order), "{orders}");

    // Form 1, the journal and an act as PDF/A, signed by the fund, checked by tools we did not write.
    for (client, path, needle) in [
        (&specialist, format!("/api/v1/applications/{target}/form.pdf"), "на виготовлення пенсійного посвідчення"),
        (&district, format!("/api/v1/production/journal.pdf?unit_id={shev}"), "ЖУРНАЛ"),
        (
            &central,
            format!("/api/v1/production/acts/{}/pdf", lviv_act["id"].as_str().unwrap()),
            "приймання-передавання",
        ),
    ] {
        let r = client.req(reqwest::Method::GET, &path).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let pdf = r.bytes().await.unwrap().to_vec();
        assert!(pdf.starts_with(b"%PDF-"));
        let file = server.data().join("production.pdf");
        std::fs::write(&file, &pdf).unwrap();
        if let Some(o) = tool_output("qpdf", &["--check", file.to_str().unwrap()]) {
            assert!(o.status.success(), "qpdf: {}", String::from_utf8_lossy(&o.stdout));
        }
        if let Some(o) = tool_output("pdftotext", &[file.to_str().unwrap(), "-"]) {
            assert!(String::from_utf8_lossy(&o.stdout).contains(needle), "{path}");
        }
        let r = specialist.req(reqwest::Method::POST, "/api/v1/signatures/verify-pdf").body(pdf).send().await.unwrap();
        let report: Value = r.json().await.unwrap();
        assert_eq!(report["indication"], "TOTAL-PASSED", "{path}: {report:#}");
    }
}

/// Form 5 as the personalizer printed it, judged by poppler and qpdf: the card number and the
/// OKZO in the text, the photo and the signature embedded at their pixel sizes and placed in
/// their fields (zone 3 at the left margin, 25 × 30 mm; zone 6 in the bottom right corner), and
/// the fund's PAdES signature valid.
async fn check_card_back(server: &Server, specialist: &Client, pdf: &[u8], number: &str, face: &Value) {
    let file = server.data().join("card-back.pdf");
    std::fs::write(&file, pdf).unwrap();
    let path = file.to_str().unwrap();
    if let Some(o) = tool_output("qpdf", &["--check", path]) {
        assert!(o.status.success(), "qpdf: {}", String::from_utf8_lossy(&o.stdout));
    }
    if let Some(o) = tool_output("pdftotext", &[path, "-"]) {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains(number) && text.contains(face["okzo"].as_str().unwrap()), "{text}");
    }
    if let Some(o) = tool_output("pdfimages", &["-list", path]) {
        // page num type width height color …: the 250 × 300 portrait and the 400 × 64 signature.
        let list = String::from_utf8_lossy(&o.stdout).into_owned();
        let sizes: Vec<(String, String)> = list
            .lines()
            .skip(2)
            .filter(|l| l.split_whitespace().nth(2) == Some("image"))
            .map(|l| {
                let f: Vec<&str> = l.split_whitespace().collect();
                (f[3].to_owned(), f[4].to_owned())
            })
            .collect();
        assert_eq!(sizes, [("250".to_owned(), "300".to_owned()), ("400".to_owned(), "64".to_owned())], "{list}");
    }
    let base = server.data().join("card-back-html");
    if let Some(o) = tool_output("pdftohtml", &["-xml", "-zoom", "1", "-q", path, base.to_str().unwrap()]) {
        // <image top left width height> in points (zoom 1), origin at the top left.
        assert!(o.status.success(), "pdftohtml: {}", String::from_utf8_lossy(&o.stderr));
        let xml = std::fs::read_to_string(base.with_extension("xml")).unwrap();
        let boxes: Vec<[f64; 4]> = xml
            .lines()
            .filter(|l| l.trim_start().starts_with("<image"))
            .map(|l| ["top", "left", "width", "height"].map(|a| xml_attr(l, a)))
            .collect();
        assert_eq!(boxes.len(), 2, "{xml}");
        let mm = |pt: f64| pt * 25.4 / 72.0;
        let [top, left, width, height] = boxes[0];
        assert!((mm(left) - 2.0).abs() < 0.5 && (mm(width) - 25.0).abs() < 0.5 && (mm(height) - 30.0).abs() < 0.5);
        assert!(mm(top) > 15.82, "the photo is below the magnetic stripe: {top}");
        let [top, left, width, height] = boxes[1];
        assert!((mm(left + width) - (85.60 - 2.0)).abs() < 0.5, "the signature ends at the right margin");
        assert!(mm(width) <= 26.7 && mm(height) <= 5.6 && mm(top + height) <= 53.98, "{xml}");
    }
    let r =
        specialist.req(reqwest::Method::POST, "/api/v1/signatures/verify-pdf").body(pdf.to_vec()).send().await.unwrap();
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED", "{report:#}");
}

/// An attribute of a one-line XML element, as a number.
fn xml_attr(line: &str, name: &str) -> f64 {
    let start = line.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} in {line}")) + name.len() + 3;
    line[start..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} in {line}"))
}

/// Form 5 has six mandatory zones: a card whose holder has no OKZO (zone 2), photo (zone 3) or
/// specimen signature (zone 6) is not sent to the personalizer, each missing one named; once
/// they are added, it goes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn form_5_zones_a_card_goes_to_the_personalizer_only_with_okzo_photo_and_signature() {
    let server = Server::start();
    let specialist = login(&server, "specialist").await;
    let production = login(&server, "production").await;
    let bank = login(&server, "bank").await;
    let units = units(&specialist).await;
    let (district, branch) = (unit_id(&units, "26101"), unit_id(&units, "B-OSCHAD-KY1"));
    let birth = chrono::NaiveDate::from_ymd_opt(1950, 3, 15).unwrap();
    let rnokpp = dossier_domain::ident::Rnokpp::compose(birth, 777, dossier_domain::person::Sex::Female).unwrap();
    let (s, person) = specialist
        .post(
            "/api/v1/persons",
            json!({"unit_id": district, "rnokpp": rnokpp.as_str(), "surname": "Кравець", "given_name": "Олена",
                   "patronymic": "Петрівна", "birth_date": birth.to_string(), "sex": "female"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{person}");
    let pid = person["id"].as_str().unwrap();
    let (s, app) = specialist
        .post(
            &format!("/api/v1/persons/{pid}/applications"),
            json!({"pension_kind": "old_age", "form": "card", "issue_unit_id": branch, "payment_system": "national"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{app}");
    let id = app["id"].as_str().unwrap();
    let steps = format!("/api/v1/cards/{id}/steps");
    assert_eq!(production.post(&steps, json!({"event": "send_to_bank"})).await.0, StatusCode::OK);
    let holder = json!({"surname": "Кравець", "given_name": "Олена", "patronymic": "Петрівна",
                        "birth_date": birth.to_string(), "tax_id": rnokpp.as_str()});
    let (s, p) = bank
        .post(
            &steps,
            json!({"event": "open_account", "identification": holder, "account": "UA213052990000026007233566001"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");

    let (s, p) = production.post(&steps, json!({"event": "send_to_personalizer"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let mut missing = problem_fields(&p);
    missing.sort();
    assert_eq!(
        missing,
        [
            ("okzo".to_owned(), "card.face.okzo_missing".to_owned()),
            ("photo".to_owned(), "card.face.photo_missing".to_owned()),
            ("signature".to_owned(), "card.face.signature_missing".to_owned()),
        ]
    );
    let (_, card) = production.get(&format!("/api/v1/cards/{id}")).await;
    assert_eq!(card["card"]["stage"], "account_opened", "nothing changed");

    let data = json!({"rnokpp": rnokpp.as_str(), "surname": "Кравець", "given_name": "Олена", "patronymic": "Петрівна",
                      "birth_date": birth.to_string(), "sex": "female", "okzo": "7070"});
    let r = specialist.req(reqwest::Method::PUT, &format!("/api/v1/persons/{pid}")).json(&data).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    for (kind, bytes) in [("photo", png("PHOTO")), ("signature", png_sized(400, 64, "SIGNATURE"))] {
        let r = specialist.req(reqwest::Method::PUT, &format!("/api/v1/persons/{pid}/{kind}")).body(bytes).send().await;
        assert_eq!(r.unwrap().status(), StatusCode::CREATED, "{kind}");
    }
    let (s, p) = production.post(&steps, json!({"event": "send_to_personalizer"})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let sent: Value = serde_json::from_str(p["message"]["payload"].as_str().unwrap()).unwrap();
    assert_eq!(sent["data"]["okzo"], "0000007070", "OKZO with its leading zeros");
}

/// §IV: every exchange is a signed message, the partner's own included. The bank signs its
/// statement with OpenSSL, using a document-signing certificate the fund's centre issued to the
/// bank: the fund verifies it and keeps statement and signature inside the message it seals.
/// A statement changed after signing, one about another card, and one signed with another
/// organisation's certificate are refused and change nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_partner_signs_its_own_report_with_a_certificate_from_the_fund_s_centre() {
    use base64::Engine;
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let production = login(&server, "production").await;
    let bank = login(&server, "bank").await;
    let ca = login(&server, "ca").await;
    let dir = server.data().join("partners");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, unit) in [("oschad", "B-OSCHAD"), ("personalizer", "P-01")] {
        let csr = openssl_request(&dir, name);
        let (s, cert) =
            ca.post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "document-signing", "unit": unit})).await;
        assert_eq!(s, StatusCode::CREATED, "{cert}");
        std::fs::write(dir.join(format!("{name}.pem")), cert["certificate_pem"].as_str().unwrap()).unwrap();
    }
    let sign = |name: &str, statement: &str| {
        std::fs::write(dir.join("statement.json"), statement).unwrap();
        let signer = format!("{name}.pem");
        let key = format!("{name}.key");
        let o = openssl(
            &[
                "cms",
                "-sign",
                "-binary",
                "-cades",
                "-md",
                "sha256",
                "-in",
                "statement.json",
                "-signer",
                &signer,
                "-inkey",
                &key,
                "-outform",
                "DER",
                "-out",
                "statement.p7s",
            ],
            &dir,
        );
        assert!(o.status.success(), "{}", out_text(&o));
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(dir.join("statement.p7s")).unwrap())
    };

    assert_eq!(production.post("/api/v1/cards/dispatch", json!({})).await.0, StatusCode::OK);
    let (_, queue) = bank.get("/api/v1/cards?stage=sent_to_bank").await;
    let cards: Vec<String> =
        queue["items"].as_array().unwrap().iter().map(|c| c["id"].as_str().unwrap().into()).collect();
    assert!(cards.len() >= 2, "{queue}");
    let id = &cards[0];
    let (_, card) = bank.get(&format!("/api/v1/cards/{id}")).await;
    let to_bank: Value = serde_json::from_str(card["messages"][0]["payload"].as_str().unwrap()).unwrap();
    let statement = |card: &str, account: &str| {
        json!({"card": card, "event": "open_account", "identification": to_bank["data"]["holder"], "account": account})
            .to_string()
    };
    let steps = format!("/api/v1/cards/{id}/steps");
    let good = statement(id, "UA213052990000026007233566001");
    let refused = |p: &Value, field: &str, code: &str| {
        assert_eq!(problem_fields(p), [(field.to_owned(), code.to_owned())], "{p}");
    };
    // Changed after signing.
    let signature = sign("oschad", &good);
    let changed = statement(id, "UA903052990000026009999999999");
    let (s, p) = bank.post(&steps, json!({"statement": changed, "signature": signature})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&p, "signature", "card.partner_signature.invalid");
    // About another card.
    let other = statement(&cards[1], "UA213052990000026007233566001");
    let (s, p) = bank.post(&steps, json!({"statement": other, "signature": sign("oschad", &other)})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&p, "statement", "card.statement.other_card");
    // Signed by another organisation.
    let (s, p) = bank.post(&steps, json!({"statement": good, "signature": sign("personalizer", &good)})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    refused(&p, "signature", "card.partner_signature.not_yours");
    let (_, card) = bank.get(&format!("/api/v1/cards/{id}")).await;
    assert_eq!(card["card"]["stage"], "sent_to_bank", "nothing changed");

    // Signed by the bank: taken, with the statement and signature inside the sealed message.
    let signature = sign("oschad", &good);
    let (s, p) = bank.post(&steps, json!({"statement": good, "signature": signature})).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["card"]["stage"], "account_opened");
    let sealed: Value = serde_json::from_str(p["message"]["payload"].as_str().unwrap()).unwrap();
    let kept = &sealed["data"]["partner_signature"];
    assert_eq!(kept["statement"].as_str(), Some(good.as_str()));
    assert_eq!(kept["signer"]["unit"], "B-OSCHAD");
    assert_eq!(sealed["data"]["account"], "UA213052990000026007233566001", "the statement is what was done");
    // What was kept verifies with OpenSSL against the fund's centre.
    std::fs::write(dir.join("kept.json"), kept["statement"].as_str().unwrap()).unwrap();
    std::fs::write(
        dir.join("kept.p7s"),
        base64::engine::general_purpose::STANDARD.decode(kept["signature"].as_str().unwrap()).unwrap(),
    )
    .unwrap();
    // The partner's message carries its own certificate only: the centre's chain comes from the fund.
    let ca_dir = server.data().join("ca");
    let chain = [std::fs::read(ca_dir.join("root.pem")).unwrap(), std::fs::read(ca_dir.join("issuing.pem")).unwrap()];
    std::fs::write(dir.join("centre.pem"), chain.concat()).unwrap();
    let verify = ["cms", "-verify", "-binary", "-inform", "DER", "-in", "kept.p7s", "-content", "kept.json"];
    let o = openssl(&[&verify[..], &["-CAfile", "centre.pem", "-purpose", "any", "-out", "/dev/null"]].concat(), &dir);
    assert!(o.status.success(), "{}", out_text(&o));
}

/// With `require_partner_signatures` a partner's unsigned report is refused (on the API and on
/// the card page) and changes nothing; the fund's own steps need no partner signature.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_partner_reports_must_be_signed_when_the_fund_requires_it() {
    let server = Server::start_configured("require_partner_signatures = true\n");
    let production = login(&server, "production").await;
    let bank = login(&server, "bank").await;
    let (s, sent) = production.post("/api/v1/cards/dispatch", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{sent}");
    assert!(sent["sent_to_bank"].as_i64().unwrap() > 0, "the fund's steps go on: {sent}");
    let (_, queue) = bank.get("/api/v1/cards?stage=sent_to_bank").await;
    let id = queue["items"][0]["id"].as_str().unwrap().to_owned();
    let (s, p) = bank.post(&format!("/api/v1/cards/{id}/steps"), json!({"event": "deliver_to_branch"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(problem_fields(&p), [("signature".to_owned(), "card.partner_signature.required".to_owned())]);
    let (_, card) = bank.get(&format!("/api/v1/cards/{id}")).await;
    assert_eq!(card["card"]["stage"], "sent_to_bank");
}

/// A PKCS#10 request made by OpenSSL: the chip's key pairs come from a tool we did not write.
fn openssl_request(dir: &Path, name: &str) -> String {
    let o = openssl(
        &[
            "req",
            "-new",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-nodes",
            "-keyout",
            &format!("{name}.key"),
            "-subj",
            &format!("/CN={name}/C=UA"),
            "-out",
            &format!("{name}.csr"),
        ],
        dir,
    );
    assert!(o.status.success(), "{}", out_text(&o));
    std::fs::read_to_string(dir.join(format!("{name}.csr"))).unwrap()
}

/// The request with the last byte of its signature changed: the same key, no proof of holding it.
fn tampered_request(pem: &str) -> String {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::STANDARD;
    let body: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let mut der = b64.decode(body).unwrap();
    *der.last_mut().unwrap() ^= 0x01;
    let text = b64.encode(der);
    let lines: Vec<&str> = text.as_bytes().chunks(64).map(|c| std::str::from_utf8(c).unwrap()).collect();
    format!("-----BEGIN CERTIFICATE REQUEST-----\n{}\n-----END CERTIFICATE REQUEST-----\n", lines.join("\n"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_exchange_over_http_each_party_its_step_and_sealed_messages() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let production = login(&server, "production").await;
    let bank = login(&server, "bank").await;
    let personalizer = login(&server, "personalizer").await;
    let ca = login(&server, "ca").await;

    // The demo has cards in many stages; the fund sends the waiting ones on.
    let (s, all) = production.get("/api/v1/cards?limit=200").await;
    assert_eq!(s, StatusCode::OK, "{all}");
    let stages: Vec<&str> = all["items"].as_array().unwrap().iter().map(|c| c["stage"].as_str().unwrap()).collect();
    for stage in ["accepted", "sent_to_bank", "keys_generated", "at_branch", "active", "blocked"] {
        assert!(stages.contains(&stage), "{stage} missing from {stages:?}");
    }
    let (s, sent) = production.post("/api/v1/cards/dispatch", json!({})).await;
    assert_eq!(s, StatusCode::OK, "{sent}");
    assert!(sent["sent_to_bank"].as_i64().unwrap() > 0, "{sent}");
    // Partners cannot dispatch.
    assert_eq!(bank.post("/api/v1/cards/dispatch", json!({})).await.0, StatusCode::FORBIDDEN);

    // The bank sees only the cards to be issued at its own branches.
    let (_, queue) = bank.get("/api/v1/cards?stage=sent_to_bank").await;
    let queue = queue["items"].as_array().unwrap().clone();
    assert!(!queue.is_empty());
    assert!(queue.iter().all(|c| c["issue_unit"].as_str().unwrap().starts_with("Відділення №")), "{queue:?}");
    let id = queue[0]["id"].as_str().unwrap().to_owned();
    let privat =
        all["items"].as_array().unwrap().iter().find(|c| c["issue_unit"].as_str().unwrap().contains("«")).unwrap();
    let (s, _) = bank.get(&format!("/api/v1/cards/{}", privat["id"].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "another bank's card is unknown to this bank");

    // The fund's message gives the bank what opening the account needs.
    let (_, card) = bank.get(&format!("/api/v1/cards/{id}")).await;
    let to_bank: Value = serde_json::from_str(card["messages"][0]["payload"].as_str().unwrap()).unwrap();
    // §IV.2: the card goes on the payment system the person chose.
    let system = to_bank["data"]["payment_system"].as_str().unwrap_or_default();
    assert!(["international", "national"].contains(&system), "{to_bank}");
    let holder = to_bank["data"]["holder"].clone();
    let mut wrong = holder.clone();
    wrong["birth_date"] = json!("1900-01-01");
    let step = |event: &str, extra: Value| {
        let mut body = json!({"event": event});
        body.as_object_mut().unwrap().extend(extra.as_object().unwrap().clone());
        body
    };
    let steps = format!("/api/v1/cards/{id}/steps");
    let (s, p) = bank
        .post(
            &steps,
            step("open_account", json!({"identification": wrong, "account": "UA213052990000026007233566001"})),
        )
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(problem_fields(&p).iter().any(|(f, _)| f == "birth_date"), "{p}");
    // Someone else's step, and a report for an unknown card: refused, nothing changes.
    let (s, p) = personalizer.post(&steps, step("open_account", json!({}))).await;
    assert_eq!(s, StatusCode::NOT_FOUND, "the personalizer does not know the card yet: {p}");
    let (s, p) = personalizer
        .post(
            &format!("/api/v1/cards/{}/steps", "01900000-0000-7000-8000-000000000000"),
            step("personalize", json!({})),
        )
        .await;
    assert_eq!(s, StatusCode::NOT_FOUND, "{p}");
    let (s, p) = bank.post(&steps, step("generate_keys", json!({}))).await;
    assert_eq!(s, StatusCode::CONFLICT, "{p}");
    let (s, p) = bank
        .post(
            &steps,
            step("open_account", json!({"identification": holder, "account": "UA213052990000026007233566001"})),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{p}");
    assert_eq!(p["card"]["stage"], "account_opened");

    let (_, sent) = production.post("/api/v1/cards/dispatch", json!({})).await;
    assert!(sent["sent_to_personalizer"].as_i64().unwrap() >= 1, "{sent}");
    // The personalizer: at least two key pairs, each request self-signed.
    let dir = server.data().join("chip");
    std::fs::create_dir_all(&dir).unwrap();
    let (k1, k2) = (openssl_request(&dir, "chip-1"), openssl_request(&dir, "chip-2"));
    let (s, p) = personalizer.post(&steps, step("generate_keys", json!({"requests": [k1]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let (s, p) = personalizer.post(&steps, step("generate_keys", json!({"requests": [k1, k1]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    // §IV.6: a request whose signature does not prove possession of its key is refused by name.
    let forged = tampered_request(&k2);
    let (s, p) = personalizer.post(&steps, step("generate_keys", json!({"requests": [k1, forged]}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(problem_fields(&p), [("requests[1]".to_owned(), "card.keys.invalid_request".to_owned())], "{p}");
    assert_eq!(
        personalizer.get(&format!("/api/v1/cards/{id}")).await.1["card"]["stage"],
        "at_personalizer",
        "nothing changed"
    );
    let (s, p) = personalizer.post(&steps, step("generate_keys", json!({"requests": [k1, k2]}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    // The centre certifies both keys after the bank's identification matched.
    let (s, p) = ca.post(&steps, step("certify_keys", json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let certified: Value = serde_json::from_str(p["message"]["payload"].as_str().unwrap()).unwrap();
    let serials = certified["data"]["certificates"].as_array().unwrap();
    assert_eq!(serials.len(), 2);
    let (s, cert) = ca.get(&format!("/api/v1/ca/certificates/{}", serials[0].as_str().unwrap())).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(cert["profile"], "card-key");
    // The certificate is for the key OpenSSL generated.
    std::fs::write(dir.join("card.pem"), cert["certificate_pem"].as_str().unwrap()).unwrap();
    let a = openssl(&["x509", "-in", "card.pem", "-noout", "-pubkey"], &dir);
    let b = openssl(&["pkey", "-in", "chip-1.key", "-pubout"], &dir);
    assert_eq!(out_text(&a), out_text(&b));

    // The personalizer prints form 5 from the sealed data: the photo and signature it names by
    // content, the card number it gives; then reports the card made with that number.
    let (_, card) = personalizer.get(&format!("/api/v1/cards/{id}")).await;
    let to_personalizer = card["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["event"] == "send_to_personalizer")
        .map(|m| serde_json::from_str::<Value>(m["payload"].as_str().unwrap()).unwrap())
        .unwrap();
    let face = &to_personalizer["data"];
    assert_eq!(face["okzo"].as_str().unwrap().len(), 10, "{face}");
    // §IV.4: the card lasts three years from the day its face was sealed, recorded on the card
    // as the sealed face prints it, and no chip key outlives it.
    let expires = chrono::NaiveDate::parse_from_str(face["valid_until"].as_str().unwrap(), "%d.%m.%Y").unwrap();
    assert_eq!(card["card"]["expires_on"], expires.to_string(), "{card}");
    let sealed_on = chrono::DateTime::parse_from_rfc3339(to_personalizer["at"].as_str().unwrap()).unwrap();
    let sealed_on = dossier_domain::time::kyiv_time(sealed_on.with_timezone(&chrono::Utc)).date_naive();
    assert_eq!(expires, sealed_on.checked_add_months(chrono::Months::new(36)).unwrap());
    let not_after = openssl(&["x509", "-in", "card.pem", "-noout", "-enddate"], &dir);
    let not_after = out_text(&not_after);
    let not_after = chrono::NaiveDateTime::parse_from_str(
        not_after.trim().trim_start_matches("notAfter=").trim_end_matches(" GMT"),
        "%b %e %H:%M:%S %Y",
    )
    .unwrap();
    assert!(not_after.date() <= expires, "key certificate until {not_after}, card until {expires}");
    assert_eq!(face["photo"]["content_type"], "image/png", "{face}");
    assert_eq!(face["signature"]["sha256"].as_str().unwrap().len(), 64, "{face}");
    // The exact images the sealed message names, by their SHA-256.
    for kind in ["photo", "signature"] {
        use sha2::Digest;
        let r = personalizer
            .req(reqwest::Method::GET, &format!("/api/v1/cards/{id}/pictures/{kind}"))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{kind}");
        assert_eq!(r.headers()["content-type"], "image/png");
        let digest = hex::encode(sha2::Sha256::digest(r.bytes().await.unwrap()));
        assert_eq!(face[kind]["sha256"].as_str().unwrap(), digest, "{kind}");
    }
    let back = format!("/api/v1/cards/{id}/back.pdf");
    let number = "5168 7420 9999 0001";
    let r = personalizer.req(reqwest::Method::GET, &back).query(&[("card_number", number)]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pdf");
    let printed = r.bytes().await.unwrap().to_vec();
    let r = bank.req(reqwest::Method::GET, &back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN, "the bank does not print the card");
    let (s, p) = personalizer.post(&steps, step("personalize", json!({"card_number": "ABC"}))).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert!(problem_fields(&p).iter().any(|(f, _)| f == "card_number"), "{p}");
    let (s, p) = personalizer.post(&steps, step("personalize", json!({"card_number": number}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    // Once reported, the back prints the recorded number for the fund too, and no other.
    let r = production.req(reqwest::Method::GET, &back).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.bytes().await.unwrap().starts_with(b"%PDF-"));
    let r = personalizer.req(reqwest::Method::GET, &back).query(&[("card_number", "1111 2222")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::CONFLICT);
    check_card_back(&server, &login(&server, "specialist").await, &printed, number, face).await;

    let (s, p) = bank.post(&steps, step("deliver_to_branch", json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    // §V.4: handed over at the branch after identifying the holder, with the instruction.
    for (body, field) in [
        (json!({"instruction_handed": true}), "identification"),
        (json!({"identification": wrong, "instruction_handed": true}), "birth_date"),
        (json!({"identification": holder}), "instruction_handed"),
    ] {
        let (s, p) = bank.post(&steps, step("issue", body)).await;
        assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
        assert!(problem_fields(&p).iter().any(|(f, _)| f == field), "{field}: {p}");
    }
    let (s, p) = bank.post(&steps, step("issue", json!({"identification": holder, "instruction_handed": true}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    let (s, p) = bank.post(&steps, step("activate", json!({}))).await;
    assert_eq!(s, StatusCode::OK, "{p}");
    // The fund sees every message; each seal verifies with OpenSSL over the exact payload.
    let (_, card) = production.get(&format!("/api/v1/cards/{id}")).await;
    assert_eq!(card["card"]["stage"], "active");
    let messages = card["messages"].as_array().unwrap();
    let events: Vec<&str> = messages.iter().map(|m| m["event"].as_str().unwrap()).collect();
    assert_eq!(
        events,
        [
            "send_to_bank",
            "open_account",
            "send_to_personalizer",
            "generate_keys",
            "certify_keys",
            "personalize",
            "deliver_to_branch",
            "issue",
            "activate"
        ]
    );
    let root = server.data().join("ca").join("root.pem");
    let issuing = server.data().join("ca").join("issuing.pem");
    for (n, m) in messages.iter().enumerate() {
        use base64::Engine;
        let seal = base64::engine::general_purpose::STANDARD.decode(m["seal"].as_str().unwrap()).unwrap();
        std::fs::write(dir.join(format!("m{n}.p7s")), seal).unwrap();
        std::fs::write(dir.join(format!("m{n}.json")), m["payload"].as_str().unwrap()).unwrap();
        let o = openssl(
            &[
                "cms",
                "-verify",
                "-binary",
                "-inform",
                "DER",
                "-in",
                &format!("m{n}.p7s"),
                "-content",
                &format!("m{n}.json"),
                "-CAfile",
                root.to_str().unwrap(),
                "-certfile",
                issuing.to_str().unwrap(),
                "-purpose",
                "any",
                "-out",
                "/dev/null",
            ],
            &dir,
        );
        assert!(o.status.success(), "message {n}: {}", out_text(&o));
    }
    // The personalizer sees only the messages it sent or received.
    let (_, seen) = personalizer.get(&format!("/api/v1/cards/{id}")).await;
    assert!(
        seen["messages"]
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["sender"] == "personalizer" || m["recipient"] == "personalizer")
    );
    assert!(seen["card"].get("holder").is_none(), "no holder name for the personalizer");
}
