//! Notifications end to end, with real processes: a real SMTP server
//! (aiosmtpd, its messages in a Maildir the test reads), the bot platforms'
//! documented endpoints on a local server (Telegram and Viber cannot be
//! reached from here: a contract test), a system's webhook receiver. A
//! citizen subscribes by e-mail (double opt-in), Telegram and Viber (deep
//! links); a stage change reaches every channel, DKIM-signed and checked by
//! dkimpy, the webhook signed and checked by the Standard Webhooks library;
//! forged and replayed calls change nothing; one-click unsubscribe works; a
//! worker killed mid-run loses nothing and repeats only what was in flight.
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::HeaderMap;
use dossier_notify::testing::BotServer;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

const TELEGRAM_SECRET: &str = "telegram-webhook-secret-0123456789";
const BOT_TOKEN: &str = "123456:contract-test-token";

/// aiosmtpd on a free port, delivering into a Maildir; killed on drop.
pub struct Smtp {
    child: Child,
    pub port: u16,
    pub maildir: PathBuf,
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Smtp {
    /// `None` outside CI when Python's aiosmtpd is not installed.
    pub fn start(dir: &Path) -> Option<Smtp> {
        let has = Command::new("python3").args(["-c", "import aiosmtpd"]).status().is_ok_and(|s| s.success());
        if !has {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but aiosmtpd (PyPI) is missing");
            return None;
        }
        let port = free_port();
        let maildir = dir.join("maildir");
        let child = Command::new("python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &format!("127.0.0.1:{port}"), "-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(Instant::now() < deadline, "aiosmtpd did not start");
            std::thread::sleep(Duration::from_millis(100));
        }
        Some(Smtp { child, port, maildir })
    }

    /// The fund's configuration that sends its e-mail here, at any hour.
    pub fn fund_toml(&self) -> String {
        format!(
            "[notify]\nquiet_hours = \"off\"\n[notify.email]\nsmtp = \"127.0.0.1:{}\"\nfrom = \"Fund <noreply@fund.example>\"\n",
            self.port
        )
    }

    /// Every message delivered so far, raw.
    pub fn messages(&self) -> Vec<String> {
        let mut out = vec![];
        for sub in ["new", "cur"] {
            if let Ok(entries) = std::fs::read_dir(self.maildir.join(sub)) {
                for e in entries.flatten() {
                    out.push(std::fs::read_to_string(e.path()).unwrap_or_default());
                }
            }
        }
        out
    }

    /// Waits for a message containing `needle`.
    pub async fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(m) = self.messages().into_iter().find(|m| m.contains(needle)) {
                return m;
            }
            assert!(Instant::now() < deadline, "no e-mail containing {needle:?}; have {:#?}", self.messages());
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

/// A header's value (unfolded) in a raw message.
fn header(raw: &str, name: &str) -> Option<String> {
    let head = raw.split("\n\n").next().unwrap_or(raw).replace("\r\n", "\n").replace("\n ", " ").replace("\n\t", " ");
    head.lines()
        .find(|l| l.to_ascii_lowercase().starts_with(&format!("{}:", name.to_ascii_lowercase())))
        .map(|l| l[name.len() + 1..].trim().to_owned())
}

/// The body of a raw message, quoted-printable or base64 decoded by Python's email package.
pub(crate) fn body_text(raw: &str, dir: &Path) -> String {
    let f = dir.join("msg.eml");
    std::fs::write(&f, raw).unwrap();
    let out = Command::new("python3")
        .args(["-c", "import sys,email;m=email.message_from_binary_file(open(sys.argv[1],'rb'));print(m.get_payload(decode=True).decode(m.get_content_charset()))"])
        .arg(&f)
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A link's `token=` value in a text.
pub(crate) fn token_in(text: &str, path: &str) -> String {
    let at = text.find(path).unwrap_or_else(|| panic!("no {path} link in {text}"));
    let rest = &text[at..];
    let t = rest.split("token=").nth(1).unwrap();
    t.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_').collect()
}

/// One call a webhook receiver saw: its headers and body.
type Call = (HashMap<String, String>, Vec<u8>);

/// A system's webhook receiver: every call's headers and body.
#[derive(Clone, Default)]
struct Receiver {
    calls: Arc<Mutex<Vec<Call>>>,
    /// How many times each webhook-id came.
    ids: Arc<Mutex<HashMap<String, u32>>>,
}

async fn receive(State(r): State<Receiver>, headers: HeaderMap, body: axum::body::Bytes) -> &'static str {
    let h: HashMap<String, String> =
        headers.iter().map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned())).collect();
    if let Some(id) = h.get("webhook-id") {
        *r.ids.lock().unwrap().entry(id.clone()).or_default() += 1;
    }
    r.calls.lock().unwrap().push((h, body.to_vec()));
    "ok"
}

async fn start_receiver() -> (Receiver, String) {
    let r = Receiver::default();
    let app = axum::Router::new().route("/hooks", axum::routing::post(receive)).with_state(r.clone());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (r, url)
}

async fn until<T>(what: &str, f: impl FnMut() -> Option<T>) -> T {
    until_within(30, what, f).await
}

async fn until_within<T>(secs: u64, what: &str, mut f: impl FnMut() -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(secs);
    loop {
        if let Some(v) = f() {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_subscribes_on_every_channel_and_is_told_of_a_stage_change() {
    let tmp = tempfile::tempdir().unwrap();
    let Some(smtp) = Smtp::start(tmp.path()) else { return };
    if !openssl_available() {
        return;
    }
    let bots = BotServer::start(BOT_TOKEN).await.unwrap();
    let (receiver, hook_url) = start_receiver().await;
    let key = tmp.path().join("dkim.pem");
    let out = Command::new("openssl")
        .args(["genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out"])
        .arg(&key)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    let toml = format!(
        r#"
[notify]
quiet_hours = "off"
[notify.email]
smtp = "127.0.0.1:{port}"
from = "Пенсійний фонд <noreply@fund.example>"
dkim_key = "{key}"
dkim_domain = "fund.example"
dkim_selector = "dossier"
[notify.telegram]
api = "{bots}"
name = "dossier_fund_bot"
[notify.viber]
api = "{bots}/pa"
name = "dossierfund"
"#,
        port = smtp.port,
        key = key.display(),
        bots = bots.base(),
    );
    let env = [
        ("DOSSIER_TELEGRAM_TOKEN", BOT_TOKEN.to_owned()),
        ("DOSSIER_TELEGRAM_SECRET", TELEGRAM_SECRET.to_owned()),
        ("DOSSIER_VIBER_TOKEN", BOT_TOKEN.to_owned()),
    ];
    let server = Server::start_env(&toml, &env);
    let staff = login(&server, "specialist").await;
    let admin = login(&server, "admin").await;
    let http = reqwest::Client::new();

    // A paper application just accepted, and its holder's date of birth.
    let (_, apps) = staff.get("/api/v1/applications?limit=200").await;
    let app = apps["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["stage"] == "accepted")
        .expect("an accepted application")
        .clone();
    let number = app["number"].as_str().unwrap().to_owned();
    let app_id = app["id"].as_str().unwrap().to_owned();
    let person_id = app["person_id"].as_str().unwrap().to_owned();
    let (_, person) = staff.get(&format!("/api/v1/persons/{person_id}")).await;
    let born = person["birth_date"].as_str().unwrap().to_owned();

    // A system registers its webhook; the secret is shown once.
    let (s, hook) = admin.post("/api/v1/webhooks", json!({"url": hook_url})).await;
    assert_eq!(s, StatusCode::CREATED, "{hook:#}");
    let hook_secret = hook["secret"].as_str().unwrap().to_owned();
    assert!(hook_secret.starts_with("whsec_"));
    assert_eq!(staff.post("/api/v1/webhooks", json!({"url": "https://x.example"})).await.0, StatusCode::FORBIDDEN);
    assert_eq!(
        admin.post("/api/v1/webhooks", json!({"url": "ftp://x.example"})).await.0,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    let subscribe = |body: Value| {
        let http = http.clone();
        let url = server.url("/api/v1/status/subscriptions");
        async move {
            let r = http.post(url).json(&body).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Wrong date of birth: the same refusal as an unknown number, nothing written.
    let (s, _) = subscribe(
        json!({"number": number, "birth_date": "1900-01-01", "channel": "email", "address": "o@example.org"}),
    )
    .await;
    assert_eq!(s, StatusCode::NOT_FOUND);
    let (s, v) =
        subscribe(json!({"number": number, "birth_date": born, "channel": "email", "address": "not an address"})).await;
    assert_eq!(
        (s, problem_fields(&v)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("address".into(), "notify.email_format".into())])
    );

    // Whoever knows a case's two facts cannot pile up unconfirmed subscriptions
    // on it (each would send an opt-in message): the fourth waits for one to lapse.
    let other = apps["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["stage"] == "accepted" && a["number"] != number.as_str())
        .expect("a second accepted application")
        .clone();
    let (_, other_person) = staff.get(&format!("/api/v1/persons/{}", other["person_id"].as_str().unwrap())).await;
    let flood = json!({"number": other["number"], "birth_date": other_person["birth_date"], "channel": "telegram"});
    let mut answers = vec![];
    for _ in 0..4 {
        answers.push(subscribe(flood.clone()).await);
    }
    let codes: Vec<StatusCode> = answers.iter().map(|(s, _)| *s).collect();
    assert_eq!(
        codes,
        [StatusCode::CREATED, StatusCode::CREATED, StatusCode::CREATED, StatusCode::TOO_MANY_REQUESTS],
        "{answers:?}"
    );
    assert_eq!(answers[3].1["code"], "rate_limited", "{:?}", answers[3]);

    // E-mail: pending until the link in the confirmation message is followed.
    let (s, v) = subscribe(
        json!({"number": number, "birth_date": born, "channel": "email", "address": "Olena@Example.org", "lang": "en"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v:#}");
    assert_eq!(v["status"], "pending");
    let confirm_mail = smtp.wait_for("Please confirm").await;
    assert_eq!(header(&confirm_mail, "To").as_deref(), Some("Olena@example.org"));
    assert!(header(&confirm_mail, "DKIM-Signature").unwrap().contains("d=fund.example"));
    let text = body_text(&confirm_mail, tmp.path());
    let confirm_token = token_in(&text, "/notify/confirm");
    let confirm = |token: String| {
        let http = http.clone();
        let url = server.url("/api/v1/notify/confirm");
        async move { http.post(url).json(&json!({"token": token})).send().await.unwrap().status() }
    };
    assert_eq!(confirm(format!("{confirm_token}x")).await, StatusCode::NOT_FOUND, "a token altered");
    assert_eq!(confirm(confirm_token.clone()).await, StatusCode::OK);
    assert_eq!(confirm(confirm_token.clone()).await, StatusCode::NOT_FOUND, "single use");

    // Telegram: the deep link's token, sent by Telegram as /start.
    let (s, v) = subscribe(json!({"number": number, "birth_date": born, "channel": "telegram", "lang": "uk"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v:#}");
    let link = v["deep_link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("https://t.me/dossier_fund_bot?start="), "{link}");
    let start = link.split("start=").nth(1).unwrap().to_owned();
    assert!(start.len() <= 64);
    let telegram = |secret: &str, update: Value| {
        let http = http.clone();
        let url = server.url("/hooks/telegram");
        let secret = secret.to_owned();
        async move {
            http.post(url)
                .header("X-Telegram-Bot-Api-Secret-Token", secret)
                .json(&update)
                .send()
                .await
                .unwrap()
                .status()
        }
    };
    let update = json!({"update_id": 9001, "message": {"message_id": 1, "chat": {"id": 777001, "type": "private"}, "text": format!("/start {start}")}});
    assert_eq!(telegram("wrong-secret-wrong-secret-000", update.clone()).await, StatusCode::FORBIDDEN, "a forged call");
    let stolen = json!({"update_id": 9000, "message": {"message_id": 1, "chat": {"id": 666, "type": "private"}, "text": "/start AAAA"}});
    assert_eq!(telegram(TELEGRAM_SECRET, stolen).await, StatusCode::OK, "an unknown token links nothing");
    assert_eq!(telegram(TELEGRAM_SECRET, update.clone()).await, StatusCode::OK);
    // The same token again from another chat (a replay with a new id) links nothing more.
    let replay = json!({"update_id": 9002, "message": {"message_id": 2, "chat": {"id": 666, "type": "private"}, "text": format!("/start {start}")}});
    assert_eq!(telegram(TELEGRAM_SECRET, replay).await, StatusCode::OK);
    assert_eq!(telegram(TELEGRAM_SECRET, update).await, StatusCode::OK, "a replayed update is ignored");
    until("the welcome in the linked chat", || bots.sent().iter().find(|m| m.1 == "777001").cloned()).await;

    // Viber: the deep link's context, in a signed conversation_started callback.
    let (s, v) = subscribe(json!({"number": number, "birth_date": born, "channel": "viber"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v:#}");
    let link = v["deep_link"].as_str().unwrap().to_owned();
    assert!(link.starts_with("viber://pa?chatURI=dossierfund&context="), "{link}");
    let context = link.split("context=").nth(1).unwrap().to_owned();
    let callback = json!({"event": "conversation_started", "timestamp": 1, "message_token": 5001, "type": "open",
        "context": context, "user": {"id": "viber-user-01", "name": "O"}, "subscribed": false})
    .to_string();
    let viber = |sig: String, body: String| {
        let http = http.clone();
        let url = server.url("/hooks/viber");
        async move { http.post(url).header("X-Viber-Content-Signature", sig).body(body).send().await.unwrap().status() }
    };
    let good = dossier_notify::viber::sign(BOT_TOKEN, callback.as_bytes());
    assert_eq!(
        viber(dossier_notify::viber::sign("another-token", callback.as_bytes()), callback.clone()).await,
        StatusCode::FORBIDDEN
    );
    assert_eq!(viber(good.clone(), callback.clone()).await, StatusCode::OK);
    until("the welcome in Viber", || bots.sent().iter().find(|m| m.1 == "viber-user-01").cloned()).await;

    // At the counter: the specialist records a choice on the application page (a chat: the deep
    // link to hand over).
    let r = staff
        .req(reqwest::Method::POST, &format!("/applications/{app_id}/subscribe?lang=en"))
        .form(&[("csrf", staff.csrf.as_str()), ("channel", "telegram"), ("address", ""), ("lang", "uk")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("https://t.me/dossier_fund_bot?start="), "{html}");
    let r = staff
        .req(reqwest::Method::POST, &format!("/applications/{app_id}/subscribe?lang=en"))
        .form(&[("csrf", staff.csrf.as_str()), ("channel", "email"), ("address", "bad address"), ("lang", "uk")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // A stage change: every channel is told.
    let (s, _) =
        staff.post(&format!("/api/v1/applications/{app_id}/withdraw"), json!({"note": "на прохання особи"})).await;
    assert_eq!(s, StatusCode::OK);
    // The body is quoted-printable (the case number is Cyrillic); its ASCII words read as they are.
    let mail = smtp.wait_for("was withdrawn").await;
    assert_eq!(header(&mail, "List-Unsubscribe-Post").as_deref(), Some("List-Unsubscribe=One-Click"));
    let unsubscribe_url = header(&mail, "List-Unsubscribe").unwrap().trim_matches(['<', '>']).to_owned();
    assert!(header(&mail, "Message-ID").unwrap().contains("@fund.example"));
    // DKIM checked by dkimpy against the public key as DNS would publish it.
    let public =
        Command::new("openssl").args(["pkey", "-pubout", "-outform", "DER", "-in"]).arg(&key).output().unwrap();
    let p = base64::Engine::encode(&base64::engine::general_purpose::STANDARD, &public.stdout);
    let eml = tmp.path().join("withdrawn.eml");
    std::fs::write(&eml, &mail).unwrap();
    let script = "import sys,dkim\nmsg=open(sys.argv[1],'rb').read()\nrec=('v=DKIM1; k=rsa; p='+sys.argv[2]).encode()\nok=dkim.verify(msg, dnsfunc=lambda name, timeout=5: rec)\nprint('DKIM', ok)\nsys.exit(0 if ok else 1)";
    if let Some(out) = tool_output("python3", &["-c", script, eml.to_str().unwrap(), &p]) {
        assert!(out.status.success(), "dkimpy: {}", out_text(&out));
        // Altered after signing: dkimpy refuses it.
        std::fs::write(&eml, mail.replace("withdrawn", "approved")).unwrap();
        let out = tool_output("python3", &["-c", script, eml.to_str().unwrap(), &p]).unwrap();
        assert!(!out.status.success(), "an altered message must fail DKIM");
    }
    until("the Telegram message", || {
        bots.sent().iter().find(|m| m.1 == "777001" && m.2.contains("відкликано")).cloned()
    })
    .await;
    until("the Viber message", || {
        bots.sent().iter().find(|m| m.1 == "viber-user-01" && m.2.contains(&number)).cloned()
    })
    .await;
    let call = until("the webhook call", || {
        receiver
            .calls
            .lock()
            .unwrap()
            .iter()
            .find(|(_, b)| String::from_utf8_lossy(b).contains("case.withdrawn"))
            .cloned()
    })
    .await;
    let (h, body) = call;
    let (id, ts, sig) = (&h["webhook-id"], &h["webhook-timestamp"], &h["webhook-signature"]);
    assert!(dossier_notify::webhook::verify(
        &hook_secret,
        id,
        ts.parse().unwrap(),
        &body,
        sig,
        chrono::Utc::now().timestamp(),
        300
    ));
    // And by the Standard Webhooks reference library (PyPI `standardwebhooks`), when installed.
    let wh = "import sys,json\nfrom standardwebhooks.webhooks import Webhook\nWebhook(sys.argv[1]).verify(open(sys.argv[2],'rb').read(), {'webhook-id': sys.argv[3], 'webhook-timestamp': sys.argv[4], 'webhook-signature': sys.argv[5]})\nprint('ok')";
    let body_file = tmp.path().join("hook.json");
    std::fs::write(&body_file, &body).unwrap();
    let has_lib = Command::new("python3").args(["-c", "import standardwebhooks"]).status().is_ok_and(|s| s.success());
    if has_lib {
        let out = Command::new("python3")
            .args(["-c", wh, &hook_secret, body_file.to_str().unwrap(), id, ts, sig])
            .output()
            .unwrap();
        assert!(out.status.success(), "standardwebhooks: {}", out_text(&out));
    } else {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but standardwebhooks (PyPI) is missing");
    }
    let event: Value = serde_json::from_slice(&body).unwrap();
    assert_eq!(event["data"]["case"], number.as_str());
    assert!(!String::from_utf8_lossy(&body).contains(&born), "no personal data to systems beyond the case");

    // Staff see the person's messages with their receipts, and the outbox.
    let (s, v) = staff.get(&format!("/api/v1/persons/{person_id}/notifications")).await;
    assert_eq!(s, StatusCode::OK);
    let sent: Vec<&Value> = v["notifications"].as_array().unwrap().iter().filter(|n| n["status"] == "sent").collect();
    assert!(sent.iter().any(|n| n["channel"] == "email" && n["receipt"].as_str().unwrap().starts_with("250")), "{v:#}");
    let page = staff.req(reqwest::Method::GET, &format!("/persons/{person_id}?lang=en")).send().await.unwrap();
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Delivery receipt") && html.contains("Olena@example.org") && html.contains("250 "),
        "the dossier lists the messages"
    );
    let (s, o) = admin.get("/api/v1/notifications/outbox").await;
    assert_eq!(s, StatusCode::OK, "{o:#}");
    assert!(o["counts"].as_array().unwrap().iter().any(|c| c["channel"] == "telegram" && c["status"] == "sent"));
    assert_eq!(staff.get("/api/v1/notifications/outbox").await.0, StatusCode::FORBIDDEN);
    let (s, p) = admin.get("/api/v1/notifications/templates/ready?lang=en").await;
    assert_eq!(s, StatusCode::OK);
    assert!(p["body"].as_str().unwrap().contains("passport") && p["source"] == "built-in", "{p:#}");

    // One-click unsubscribe (RFC 8058): a POST with the form body, no session.
    let r = http
        .post(&unsubscribe_url)
        .header("content-type", "application/x-www-form-urlencoded")
        .body("List-Unsubscribe=One-Click")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let (_, v) = staff.get(&format!("/api/v1/persons/{person_id}/notifications")).await;
    let email_sub = v["subscriptions"].as_array().unwrap().iter().find(|s| s["channel"] == "email").unwrap().clone();
    assert_eq!(email_sub["status"], "ended");

    // Leaving from the chat itself: Telegram's /stop, Viber's `unsubscribed` event.
    let stop = json!({"update_id": 9100, "message": {"message_id": 9, "chat": {"id": 777001, "type": "private"}, "text": "/stop"}});
    assert_eq!(telegram(TELEGRAM_SECRET, stop).await, StatusCode::OK);
    let gone =
        json!({"event": "unsubscribed", "timestamp": 1, "user_id": "viber-user-01", "message_token": 9101}).to_string();
    assert_eq!(viber(dossier_notify::viber::sign(BOT_TOKEN, gone.as_bytes()), gone).await, StatusCode::OK);
    let (_, v) = staff.get(&format!("/api/v1/persons/{person_id}/notifications")).await;
    for (channel, chat) in [("telegram", "777001"), ("viber", "viber-user-01")] {
        let subs = v["subscriptions"].as_array().unwrap();
        let sub = subs.iter().find(|s| s["channel"] == channel && s["address"] == chat).unwrap();
        assert_eq!(sub["status"], "ended", "{channel}: {sub}");
    }

    // Staff end a subscription from the dossier's button (the counter's Telegram choice, still
    // waiting for its chat); a system's webhook only an administrator may end.
    let (_, v) = staff.get(&format!("/api/v1/persons/{person_id}/notifications")).await;
    let subs = v["subscriptions"].as_array().unwrap();
    let waiting = subs.iter().find(|s| s["status"] == "pending").unwrap_or_else(|| panic!("{v:#}"));
    let waiting = waiting["id"].as_i64().unwrap();
    let page = staff.req(reqwest::Method::GET, &format!("/persons/{person_id}?lang=en")).send().await.unwrap();
    assert!(page.text().await.unwrap().contains(&format!("action=\"/subscriptions/{waiting}/end\"")));
    let end = |who: &Client, id: i64| {
        who.req(reqwest::Method::POST, &format!("/subscriptions/{id}/end")).form(&[("csrf", who.csrf.as_str())]).send()
    };
    let r = end(&staff, waiting).await.unwrap();
    assert_eq!((r.status(), r.url().path()), (StatusCode::OK, format!("/persons/{person_id}").as_str()));
    let (_, v) = staff.get(&format!("/api/v1/persons/{person_id}/notifications")).await;
    let ended = v["subscriptions"].as_array().unwrap().iter().find(|s| s["id"] == waiting).unwrap().clone();
    assert_eq!((ended["status"].as_str(), ended["ended_reason"].as_str()), (Some("ended"), Some("ended by staff")));
    let hook_id = hook["subscription"]["id"].as_i64().unwrap();
    assert_eq!(end(&staff, hook_id).await.unwrap().status(), StatusCode::FORBIDDEN);
    let r = end(&admin, hook_id).await.unwrap();
    assert_eq!((r.status(), r.url().path()), (StatusCode::OK, "/notifications"));
    let (_, o) = admin.get("/api/v1/notifications/outbox").await;
    assert_eq!(o["webhooks"][0]["status"], "ended", "{o:#}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_worker_killed_mid_run_delivers_everything_once_but_what_was_in_flight() {
    let (receiver, hook_url) = start_receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("dossier.toml");
    // A short lease, so the killed worker's claimed messages come back soon.
    std::fs::write(&config, "[notify]\nquiet_hours = \"off\"\nconcurrency = 8\nlease_seconds = 3\n").unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let cfg = config.to_str().unwrap().to_owned();
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["--data-dir", &data, "--config", &cfg].iter().map(|s| s.to_string()).collect();
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    const N: usize = 10_000;
    let seed = args(&["bench", "outbox-seed", "--messages", &N.to_string(), "--webhook", &hook_url]);
    dossier_ok(&seed.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    let work = args(&["notify", "work", "--workers", "2"]);
    let work: Vec<&str> = work.iter().map(String::as_str).collect();
    let distinct = || receiver.ids.lock().unwrap().len();
    // Kill -9 once a good part is delivered.
    let mut first = spawn_until(&work, &[], "delivering");
    until_within(300, "a third delivered", || (distinct() >= N / 3).then_some(())).await;
    first.kill_hard();
    let at_kill = distinct();
    assert!(at_kill < N, "killed before the end ({at_kill})");
    let _second = spawn_until(&work, &[], "delivering");
    until_within(600, "every message delivered", || (distinct() == N).then_some(())).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    let ids = receiver.ids.lock().unwrap().clone();
    let repeated: Vec<(&String, &u32)> = ids.iter().filter(|(_, n)| **n > 1).collect();
    // Only what was in flight when the process died: at most two workers × 8 at once.
    assert!(repeated.len() <= 16, "{} repeated: {repeated:?}", repeated.len());
    assert!(repeated.iter().all(|(_, n)| **n == 2));
    assert_eq!(ids.len(), N);
}

/// Two `notify work` processes at once on one database, as two app servers
/// would run them: every message delivered, none by both (issue 22 §2).
async fn two_workers_deliver_each_message_exactly_once(database: &[&str]) {
    let (receiver, hook_url) = start_receiver().await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("dossier.toml");
    std::fs::write(&config, "[notify]\nquiet_hours = \"off\"\nconcurrency = 8\n").unwrap();
    // Outside the embedded default the master key is never invented: given, as an operator would.
    std::fs::write(dir.path().join("master.key"), "5e".repeat(32)).unwrap();
    let (data, cfg) = (dir.path().to_str().unwrap(), config.to_str().unwrap());
    let args = |extra: &[&str]| -> Vec<String> {
        let mut v: Vec<String> = ["--data-dir", data, "--config", cfg].iter().map(|s| s.to_string()).collect();
        v.extend(database.iter().chain(extra).map(|s| s.to_string()));
        v
    };
    const N: usize = 3_000;
    let seed = args(&["bench", "outbox-seed", "--messages", &N.to_string(), "--webhook", &hook_url]);
    dossier_ok(&seed.iter().map(String::as_str).collect::<Vec<_>>(), &[]);
    let work = args(&["notify", "work", "--workers", "2"]);
    let work: Vec<&str> = work.iter().map(String::as_str).collect();
    let _one = spawn_until(&work, &[], "delivering");
    let _other = spawn_until(&work, &[], "delivering");
    let distinct = || receiver.ids.lock().unwrap().len();
    until_within(300, "every message delivered", || (distinct() == N).then_some(())).await;
    // Time for a message claimed twice to arrive twice.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let ids = receiver.ids.lock().unwrap().clone();
    let twice: Vec<_> = ids.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.is_empty(), "{} delivered more than once: {twice:?}", twice.len());
    assert_eq!(ids.len(), N);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_sqlite_file_deliver_each_message_exactly_once() {
    two_workers_deliver_each_message_exactly_once(&[]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_workers_on_one_postgresql_deliver_each_message_exactly_once() {
    let Some(db) = fresh_pg("dossier_notify_twice") else { return };
    two_workers_deliver_each_message_exactly_once(&["--database-url", &db.url]).await;
}
