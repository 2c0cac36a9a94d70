//! What every end-to-end test uses: the `dossier` binary started with demo
//! data, signed-in clients, the CLI and outside tools run as processes.
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

pub const PASSWORD: &str = "demo-dossier-2026";

pub fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_dossier")
}

/// A running `dossier demo`, killed on drop.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// The demo hub's base URL and a wallet login the fund's registry knows.
    pub hub: String,
    pub wallet_login: Option<String>,
    /// The demo's visitor booked for now and not yet checked in: their code and office.
    pub queue: Option<(String, i64)>,
    pub dir: tempfile::TempDir,
    /// The server's `dossier.toml`: a CLI command given it works on the same store.
    pub config: std::path::PathBuf,
    /// The PostgreSQL database of its own on the national store (see [`NationalStore`]),
    /// dropped after the server stops.
    _database: Option<PgDatabase>,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where the demo servers of these tests keep their data. By default the
/// embedded store (SQLite and a folder in the server's data dir); with
/// `DOSSIER_E2E_STORE=national` — CI's second pass — the store a region runs:
/// a fresh database on `DOSSIER_TEST_PG_URL` and a prefix of the
/// `DOSSIER_TEST_S3` bucket (the Garage cluster) for each server.
pub struct NationalStore {
    pg: String,
    s3: String,
}

impl NationalStore {
    pub fn chosen() -> Option<NationalStore> {
        if std::env::var("DOSSIER_E2E_STORE").as_deref() != Ok("national") {
            return None;
        }
        let var = |k: &str| std::env::var(k).unwrap_or_else(|_| panic!("DOSSIER_E2E_STORE=national needs {k}"));
        Some(NationalStore { pg: var("DOSSIER_TEST_PG_URL"), s3: var("DOSSIER_TEST_S3") })
    }

    /// A new database and blob prefix for a server: the settings that go first in its `dossier.toml`.
    fn provision(&self, data: &Path) -> (PgDatabase, String) {
        let db = PgDatabase::create(&self.pg, "dossier_e2e");
        // Outside the embedded default the master key is never generated: the operator's file.
        std::fs::write(data.join("master.key"), base16ct::lower::encode_string(&rand::random::<[u8; 32]>())).unwrap();
        let settings = format!("database_url = \"{}\"\nblobs = \"{}/{}\"\n", db.url, self.s3, db.name());
        (db, settings)
    }
}

/// Skips a check that reads the embedded store's files (the SQLite file, the
/// blob folder) when the servers run on the national store; says so.
pub fn embedded_store_only(what: &str) -> bool {
    let national = NationalStore::chosen().is_some();
    if national {
        eprintln!("skipped on the national store (reads the embedded store's files): {what}");
    }
    !national
}

impl Server {
    pub fn start() -> Server {
        Self::start_logging("warn", None)
    }

    /// Starts with a log filter; `log_to` captures the server's log in a file.
    pub fn start_logging(filter: &str, log_to: Option<&Path>) -> Server {
        Self::start_with(filter, log_to, "")
    }

    /// Starts with `dossier.toml` settings.
    pub fn start_configured(toml: &str) -> Server {
        Self::start_with("warn", None, toml)
    }

    pub fn start_with(filter: &str, log_to: Option<&Path>, toml: &str) -> Server {
        Self::start_full(filter, log_to, toml, &[])
    }

    /// Starts with `dossier.toml` settings and environment variables (secrets).
    pub fn start_env(toml: &str, env: &[(&str, String)]) -> Server {
        Self::start_full("warn", None, toml, env)
    }

    pub fn start_full(filter: &str, log_to: Option<&Path>, toml: &str, env: &[(&str, String)]) -> Server {
        let dir = tempfile::tempdir().unwrap();
        let config = dir.path().join("dossier.toml");
        let (database, toml) = match NationalStore::chosen() {
            Some(national) => {
                let (db, settings) = national.provision(dir.path());
                (Some(db), format!("{settings}{toml}"))
            }
            None => (None, toml.to_owned()),
        };
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
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::piped())
            .stderr(stderr)
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let mut lines = BufReader::new(stdout).lines();
        let (mut hub, mut wallet_login, mut queue) = (String::new(), None, None);
        let base = loop {
            let line = lines.next().expect("server exited before listening").unwrap();
            if let Some(rest) = line.strip_prefix("Dossier is listening on ") {
                break rest.split_whitespace().next().unwrap().trim_end_matches('/').to_owned();
            }
            // "Electronic queue: check in today at /queue with code ABCDE-23456; hall screen /offices/9/hall"
            if let Some(rest) = line.strip_prefix("Electronic queue: check in today at /queue with code ") {
                let (code, hall) = rest.split_once("; hall screen /offices/").unwrap();
                queue = Some((code.to_owned(), hall.trim_end_matches("/hall").parse().unwrap()));
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
        Server { child, base, hub, wallet_login, queue, dir, config, _database: database }
    }

    pub fn data(&self) -> &Path {
        self.dir.path()
    }

    /// `dossier` for a command on this server's store: its `dossier.toml` (by
    /// `DOSSIER_CONFIG`), to which the caller adds `--data-dir`.
    pub fn command(&self) -> Command {
        let mut cmd = Command::new(bin());
        cmd.env("DOSSIER_CONFIG", &self.config);
        cmd
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
}

/// A signed-in API client (cookie + CSRF header sent by hand: the session
/// cookie is `Secure`, which a cookie jar would not send over plain HTTP).
#[derive(Clone)]
pub struct Client {
    pub http: reqwest::Client,
    pub cookie: String,
    pub csrf: String,
    pub base: String,
}

pub async fn login(server: &Server, login: &str) -> Client {
    login_at(&server.base, login).await
}

pub async fn login_at(base: &str, login: &str) -> Client {
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
    pub fn req(&self, method: reqwest::Method, path: &str) -> reqwest::RequestBuilder {
        self.http
            .request(method, format!("{}{path}", self.base))
            .header("cookie", &self.cookie)
            .header("x-csrf-token", &self.csrf)
    }
    pub async fn get(&self, path: &str) -> (StatusCode, Value) {
        let r = self.req(reqwest::Method::GET, path).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
    pub async fn put(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self.req(reqwest::Method::PUT, path).json(&body).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }

    pub async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        let r = self.req(reqwest::Method::POST, path).json(&body).send().await.unwrap();
        let s = r.status();
        (s, r.json().await.unwrap_or(Value::Null))
    }
}

pub fn problem_fields(v: &Value) -> Vec<(String, String)> {
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
pub fn png(marker: &str) -> Vec<u8> {
    png_sized(120, 150, marker)
}

/// A PNG header declaring `width` × `height` (the upload checks read the header only).
pub fn png_sized(width: u32, height: u32, marker: &str) -> Vec<u8> {
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

pub async fn units(c: &Client) -> Vec<Value> {
    c.get("/api/v1/org/units").await.1.as_array().unwrap().clone()
}

pub fn unit_id(units: &[Value], code: &str) -> i64 {
    units.iter().find(|u| u["code"] == code).unwrap()["id"].as_i64().unwrap()
}

/// Runs the binary with DOSSIER_PIN set; returns (exit code, stdout, stderr).
pub fn dossier_with_pin(dir: &Path, pin: &str, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin()).args(args).current_dir(dir).env("DOSSIER_PIN", pin).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

pub fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("openssl").args(args).current_dir(dir).output().expect("openssl")
}

pub fn openssl_available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    ok
}

pub fn out_text(o: &std::process::Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&o.stdout), String::from_utf8_lossy(&o.stderr))
}

/// A background `dossier` process, killed on drop.
pub struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

impl Running {
    /// Whether the process is still alive.
    pub fn is_running(&mut self) -> bool {
        self.0.try_wait().is_ok_and(|status| status.is_none())
    }

    /// SIGKILL: the process gets no chance to finish anything.
    pub fn kill_hard(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `dossier ARGS` and waits for the stdout line starting with `ready`.
pub fn spawn_until(args: &[&str], env: &[(&str, String)], ready: &str) -> Running {
    let mut cmd = Command::new(bin());
    cmd.args(args).stdout(Stdio::piped()).stderr(Stdio::inherit()).env("DOSSIER_LOG", "warn");
    set_env(&mut cmd, env);
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

/// Sets each variable; an empty value removes one the test process has (the
/// CI's `AWS_*`, say, from a process that must use only its own settings).
fn set_env(cmd: &mut Command, env: &[(&str, String)]) {
    for (k, v) in env {
        if v.is_empty() {
            cmd.env_remove(k);
        } else {
            cmd.env(k, v);
        }
    }
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Runs `dossier ARGS` to completion; panics unless it succeeds; returns stdout.
pub fn dossier_ok(args: &[&str], env: &[(&str, String)]) -> String {
    let mut cmd = Command::new(bin());
    cmd.args(args);
    set_env(&mut cmd, env);
    let out = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "dossier {args:?}: {stdout}{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

/// Seeds the demo fund and the demo hub in `data` (for separate `serve` and
/// `hub` processes); returns a wallet login (RNOKPP) of a citizen the fund knows.
pub fn seed_fund_and_hub(data: &str) -> String {
    seed_fund_and_hub_all(data).into_iter().next().expect("a wallet login")
}

/// The same, answering every wallet login of a person in the fund's registry.
pub fn seed_fund_and_hub_all(data: &str) -> Vec<String> {
    dossier_ok(&["demo", "--seed-only", "--data-dir", data], &[]);
    let seeded = dossier_ok(&["hub", "seed-demo", "--data-dir", data], &[]);
    seeded
        .lines()
        .filter(|l| l.starts_with("  ") && !l.contains("not in the fund"))
        .filter_map(|l| l.split_whitespace().next().filter(|w| w.len() == 10).map(str::to_owned))
        .collect()
}

/// The fund (`dossier serve`) and the wallet hub (`dossier hub`) as deployed:
/// two processes on loopback, each with its own database in one data folder,
/// wired only by configuration. The fund is the hub's acquirer — it receives
/// shared copies, asks citizens to sign, and logs them in through the hub as
/// its OpenID Connect provider. The test owns the folder (declared before
/// this, it outlives both processes).
pub struct FundWithHub {
    fund_process: Option<Running>,
    hub_process: Option<Running>,
    pub data: String,
    pub fund: String,
    pub hub: String,
    /// Wallet logins (RNOKPP) of citizens the fund's registry knows.
    pub citizens: Vec<String>,
    /// The fund's API token at the hub (`<acquirer>.<secret>`).
    pub token: String,
    /// The fund's environment: the hub, its pinned certificate, the login client's secret.
    pub env: Vec<(&'static str, String)>,
}

impl FundWithHub {
    /// Seeds both in `dir`, registers the fund with the hub, starts the hub,
    /// then the fund with `fund_toml` ahead of the `[citizen_login]` table
    /// naming the hub.
    pub fn start(dir: &Path, fund_toml: &str) -> FundWithHub {
        let mut both = Self::seeded(dir, fund_toml);
        both.start_fund();
        both
    }

    /// [`FundWithHub::start`] without starting the fund, for a test that sets
    /// something up with the fund's CLI first ([`FundWithHub::start_fund`]).
    pub fn seeded(dir: &Path, fund_toml: &str) -> FundWithHub {
        let data = dir.to_str().unwrap().to_owned();
        let citizens = seed_fund_and_hub_all(&data);
        let fund = format!("http://127.0.0.1:{}", free_port());
        let hub = format!("http://127.0.0.1:{}", free_port());
        let endpoint = format!("{fund}/api/v1/sharing/deliveries");
        let callback = format!("{fund}/account/callback");
        let args = ["--id", "pfu", "--name", "Пенсійний фонд України", "--endpoint", &endpoint];
        let args = [&["hub", "acquirer-add"][..], &args, &["--login-redirect-uri", &callback]].concat();
        let token = dossier_ok(&args, &[("DOSSIER_DATA_DIR", data.clone())]).trim().to_owned();
        let config = dir.join("fund.toml");
        let login = format!("[citizen_login]\nissuer = \"{hub}\"\nclient_id = \"pfu\"\n");
        std::fs::write(&config, format!("{fund_toml}\n{login}")).unwrap();
        let env = vec![
            ("DOSSIER_PUBLIC_URL", fund.clone()),
            ("DOSSIER_CONFIG", config.to_str().unwrap().to_owned()),
            ("DOSSIER_CITIZEN_LOGIN_SECRET", token.split_once('.').unwrap().1.to_owned()),
            ("DOSSIER_HUB_URL", hub.clone()),
            ("DOSSIER_HUB_ACQUIRER_ID", "pfu".to_owned()),
            ("DOSSIER_HUB_TOKEN", token.clone()),
            ("DOSSIER_HUB_CERT", format!("{data}/hub/keys/document-signing.pem")),
            ("DOSSIER_CA_PIN", "2026".to_owned()),
        ];
        let mut both = FundWithHub { fund_process: None, hub_process: None, data, fund, hub, citizens, token, env };
        both.start_hub();
        both
    }

    pub fn start_fund(&mut self) {
        let listen = self.fund.trim_start_matches("http://").to_owned();
        let args = ["serve", "--listen", &listen, "--data-dir", &self.data];
        self.fund_process = Some(spawn_until(&args, &self.env, "Dossier is listening on"));
    }

    fn start_hub(&mut self) {
        let listen = self.hub.trim_start_matches("http://").to_owned();
        let args = ["hub", "--listen", &listen, "--data-dir", &self.data];
        self.hub_process = Some(spawn_until(&args, &[], "Dossier hub (wallet) at"));
    }

    /// `dossier ARGS` as the fund's operator would run it beside the server.
    pub fn fund_cli(&self, args: &[&str]) -> String {
        dossier_ok(&[args, &["--data-dir", &self.data]].concat(), &self.env)
    }
}

/// Runs a tool on a file; `None` when the tool is not installed (outside CI).
pub fn tool_output(tool: &str, args: &[&str]) -> Option<std::process::Output> {
    match Command::new(tool).args(args).output() {
        Ok(o) => Some(o),
        Err(_) if std::env::var("CI").as_deref() != Ok("true") => None,
        Err(e) => panic!("CI=true but {tool} is missing: {e}"),
    }
}

/// Form 5 as the personalizer printed it, judged by poppler and qpdf: the card number and the
/// OKZO in the text, the photo and the signature embedded at their pixel sizes and placed in
/// their fields (zone 3 at the left margin, 25 × 30 mm; zone 6 in the bottom right corner), and
/// the fund's PAdES signature valid.
pub async fn check_card_back(server: &Server, specialist: &Client, pdf: &[u8], number: &str, face: &Value) {
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
pub fn xml_attr(line: &str, name: &str) -> f64 {
    let start = line.find(&format!(" {name}=\"")).unwrap_or_else(|| panic!("{name} in {line}")) + name.len() + 3;
    line[start..].split('"').next().and_then(|v| v.parse().ok()).unwrap_or_else(|| panic!("{name} in {line}"))
}

/// A minor registered at `unit` by `staff`, with the wallet citizen `guardian` (an RNOKPP) as
/// their parent on record: a ward the citizen may act for in the account. The minor's id.
pub async fn ward_of(staff: &Client, unit: i64, guardian: &str, born: chrono::NaiveDate, serial: u16) -> String {
    let rnokpp = dossier_domain::ident::Rnokpp::compose(born, serial, dossier_domain::person::Sex::Female).unwrap();
    let (status, minor) = staff
        .post(
            "/api/v1/persons",
            json!({"unit_id": unit, "rnokpp": rnokpp.as_str(), "surname": "Ткаченко", "given_name": "Дарина",
                   "patronymic": "Олегівна", "birth_date": born.to_string(), "sex": "female"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{minor}");
    let id = minor["id"].as_str().unwrap().to_owned();
    let (status, rep) = staff
        .post(
            &format!("/api/v1/persons/{id}/representatives"),
            json!({"kind": "parent", "surname": "Ткаченко", "given_name": "Олег", "rnokpp": guardian, "resident": true,
                   "proof_document": "Свідоцтво про народження І-КИ № 654321"}),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{rep}");
    id
}

/// A three-node Garage cluster of the test's own (`tests/garage/cluster.sh`),
/// stopped on drop; `None` outside CI when `garage` is not installed.
pub struct Garage {
    dir: tempfile::TempDir,
    /// `AWS_*` settings for Dossier (endpoint: node 1).
    pub env: Vec<(&'static str, String)>,
}

impl Garage {
    const SCRIPT: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/garage/cluster.sh");

    pub fn up() -> Option<Garage> {
        if !Command::new("garage").arg("--version").output().is_ok_and(|o| o.status.success()) {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but garage is missing");
            return None;
        }
        let dir = tempfile::tempdir().unwrap();
        // Node N uses BASE+10N … BASE+10N+3; a base of this process's own keeps parallel runs apart.
        // Below Linux's ephemeral range (32768–60999), where `free_port()` and every outgoing
        // connection take their ports: a node once failed to bind one another test held.
        let base = 21000 + (std::process::id() % 90) * 100;
        let out = Command::new(Self::SCRIPT).arg("up").arg(dir.path()).arg(base.to_string()).output().unwrap();
        // From here on, dropping `garage` stops whatever nodes did start.
        let mut garage = Garage { dir, env: Vec::new() };
        assert!(out.status.success(), "garage cluster: {}", out_text(&out));
        for line in String::from_utf8_lossy(&out.stdout).lines() {
            let Some((k, v)) = line.strip_prefix("export ").and_then(|l| l.split_once('=')) else { continue };
            for name in ["AWS_ENDPOINT_URL", "AWS_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"] {
                if k == name {
                    garage.env.push((name, v.to_owned()));
                }
            }
        }
        assert_eq!(garage.env.len(), 4, "{}", out_text(&out));
        Some(garage)
    }

    fn script(&self, args: &[&str]) {
        let out = Command::new(Self::SCRIPT).arg(args[0]).arg(self.dir.path()).args(&args[1..]).output().unwrap();
        assert!(out.status.success(), "cluster.sh {args:?}: {}", out_text(&out));
    }

    /// Stops node `n` (1–3) as a failed machine would.
    pub fn stop_node(&self, n: u8) {
        self.script(&["stop-node", &n.to_string()]);
    }

    /// Every node's stored bytes, for checking that nothing readable reached the store.
    pub fn data_dirs(&self) -> Vec<std::path::PathBuf> {
        (1..=3).map(|n| self.dir.path().join(format!("node{n}/data"))).collect()
    }
}

impl Drop for Garage {
    fn drop(&mut self) {
        let _ = Command::new(Self::SCRIPT).arg("down").arg(self.dir.path()).output();
    }
}

/// A fresh PostgreSQL database named `name` on `DOSSIER_TEST_PG_URL`, or
/// `None` outside CI without one.
pub fn fresh_pg(prefix: &str) -> Option<PgDatabase> {
    let Ok(pg) = std::env::var("DOSSIER_TEST_PG_URL") else {
        assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but DOSSIER_TEST_PG_URL is not set");
        return None;
    };
    Some(PgDatabase::create(&pg, prefix))
}

/// A PostgreSQL database of the test's own on the server at `admin` (dropped
/// first if a killed run left it), dropped again with this guard — on a
/// panic too, so passing and failing runs leave nothing behind.
pub struct PgDatabase {
    admin: String,
    name: String,
    pub url: String,
}

impl PgDatabase {
    /// A database named `PREFIX_PID_N`: no other test of this run, nor a
    /// concurrent run of the suite, has it.
    pub fn create(admin: &str, prefix: &str) -> PgDatabase {
        static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let name = format!("{prefix}_{}_{n}", std::process::id());
        let root = admin.rsplit_once('/').map_or(admin, |(root, _)| root);
        let db = PgDatabase { admin: admin.to_owned(), url: format!("{root}/{name}"), name };
        db.admin_sql(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name));
        db.admin_sql(&format!("CREATE DATABASE {}", db.name));
        db
    }

    /// Its name, unique to the test: a prefix for the test's objects elsewhere too.
    pub fn name(&self) -> &str {
        &self.name
    }

    fn admin_sql(&self, sql: &str) {
        let out = Command::new("psql").args([self.admin.as_str(), "-qc", sql]).output().expect("psql");
        assert!(out.status.success(), "{}", out_text(&out));
    }

    /// Runs `sql` in this database; its answer as text.
    pub fn query(&self, sql: &str) -> String {
        let out = Command::new("psql").args([self.url.as_str(), "-tAqc", sql]).output().expect("psql");
        assert!(out.status.success(), "{}", out_text(&out));
        String::from_utf8_lossy(&out.stdout).trim().to_owned()
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        // Not `admin_sql`: a failed drop must not panic inside a panic.
        let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = Command::new("psql").args([self.admin.as_str(), "-qc", &drop]).output();
    }
}

/// Every file under `dir`, at any depth (none when it is missing).
pub fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = vec![];
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() { out.extend(walk(&p)) } else { out.push(p) }
    }
    out
}

/// A PostgreSQL server of the test's own — `initdb` in a temporary folder, its
/// own port — to crash and start again under load without touching the
/// shared one. `None` outside CI when PostgreSQL's programs are missing.
pub struct OwnPostgres {
    dir: tempfile::TempDir,
    bin: std::path::PathBuf,
    port: u16,
    /// PostgreSQL refuses to run as root: as root, its programs run as `postgres`.
    as_postgres: bool,
}

impl OwnPostgres {
    pub fn start() -> Option<OwnPostgres> {
        let installed = std::fs::read_dir("/usr/lib/postgresql").into_iter().flatten().flatten();
        let Some(bin) = installed.map(|v| v.path().join("bin")).filter(|b| b.join("initdb").exists()).max() else {
            assert!(std::env::var("CI").as_deref() != Ok("true"), "CI=true but PostgreSQL's initdb is missing");
            return None;
        };
        let uid = Command::new("id").arg("-u").output().expect("id");
        let as_postgres = String::from_utf8_lossy(&uid.stdout).trim() == "0";
        let pg = OwnPostgres { dir: tempfile::tempdir().unwrap(), bin, port: free_port(), as_postgres };
        if as_postgres {
            let out = Command::new("chown").args(["-R", "postgres"]).arg(pg.dir.path()).output().unwrap();
            assert!(out.status.success(), "{}", out_text(&out));
        }
        let data = pg.data();
        pg.run("initdb", &["-D", &data, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
        pg.start_again();
        Some(pg)
    }

    fn data(&self) -> String {
        self.dir.path().join("data").display().to_string()
    }

    fn run(&self, tool: &str, args: &[&str]) {
        let out = self.output(tool, args);
        assert!(out.status.success(), "{tool} {args:?}: {}", out_text(&out));
    }

    fn output(&self, tool: &str, args: &[&str]) -> std::process::Output {
        let program = self.bin.join(tool);
        let mut cmd = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        cmd.args(args).current_dir(self.dir.path()).output().unwrap()
    }

    pub fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }

    /// Stops it as a crash would: no checkpoint, every client cut off.
    pub fn crash(&self) {
        self.run("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }

    /// Starts it (again) and waits until it accepts connections.
    pub fn start_again(&self) {
        let options = format!("-p {} -k {} -c listen_addresses=127.0.0.1", self.port, self.dir.path().display());
        let log = self.dir.path().join("log").display().to_string();
        self.run("pg_ctl", &["-D", &self.data(), "-l", &log, "-w", "-o", &options, "start"]);
    }
}

impl Drop for OwnPostgres {
    fn drop(&mut self) {
        let _ = self.output("pg_ctl", &["-D", &self.data(), "-m", "immediate", "stop"]);
    }
}
