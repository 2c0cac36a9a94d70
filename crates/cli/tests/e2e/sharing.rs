//! Document sharing across separate hub and fund processes.
use std::process::Command;
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

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

/// The whole share across separate processes, as deployed: `dossier hub` and
/// `dossier serve` each with its own database, wired only by configuration
/// (hub URL, acquirer token, pinned hub certificate) and loopback HTTP; the
/// citizen acts through `dossier wallet`. The copy lands in the dossier of
/// the person with the wallet's RNOKPP, stamped with the district's branch.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_share_runs_across_separate_hub_and_fund_processes() {
    let dir = tempfile::tempdir().unwrap();
    // A real SMTP server, when there is one, for the citizen who follows the request by e-mail.
    let smtp = crate::notify::Smtp::start(dir.path());
    let mut both = FundWithHub::seeded(dir.path(), &smtp.as_ref().map_or(String::new(), |m| m.fund_toml()));
    let registered = both.fund_cli(&["sharing", "register-branch", "--unit", "26101"]);
    assert!(registered.contains("unit 26101 is branch"), "{registered}");
    both.start_fund();
    let (fund, hub, data, citizen) = (both.fund.clone(), both.hub.clone(), both.data.clone(), both.citizens[0].clone());

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

    // The counter's screen shows the citizen a status link (and its QR code):
    // followed without signing in, it tells where the request stands.
    let page = c.req(reqwest::Method::GET, &format!("/sharing/requests/{id}")).send().await.unwrap();
    let page = page.text().await.unwrap();
    let link = page
        .split("href=\"")
        .filter_map(|s| s.split('"').next())
        .find(|h| h.starts_with(&format!("{fund}/status?t=")))
        .unwrap_or_else(|| panic!("no status link on the request page: {page}"))
        .to_owned();
    assert!(page.contains("<svg"), "the link as a QR code");
    let anonymous = reqwest::Client::new();
    let status_page = |link: String| {
        let anonymous = anonymous.clone();
        async move { anonymous.get(format!("{link}&lang=en")).send().await.unwrap().text().await.unwrap() }
    };
    let shown = status_page(link.clone()).await;
    assert!(shown.contains("waiting for your consent in the wallet"), "{shown}");
    let token = link.split("t=").nth(1).unwrap().to_owned();
    let by_code = |token: String| {
        let anonymous = anonymous.clone();
        let fund = fund.clone();
        async move {
            let r = anonymous.post(format!("{fund}/api/v1/status/code")).json(&json!({"token": token})).send();
            r.await.unwrap().json::<Value>().await.unwrap()
        }
    };
    let v = by_code(token.clone()).await;
    assert_eq!((v["kind"].as_str(), v["document_type"].as_str()), (Some("shared_document"), Some("taxpayer-card")));
    assert_eq!(v["milestone"], "consent_awaited", "{v}");
    // A token altered in one character names nothing.
    let mut forged = token.clone().into_bytes();
    forged[3] = if forged[3] == b'A' { b'B' } else { b'A' };
    let r = anonymous
        .post(format!("{fund}/api/v1/status/code"))
        .json(&json!({"token": String::from_utf8(forged).unwrap()}));
    assert_eq!(r.send().await.unwrap().status(), StatusCode::NOT_FOUND);

    // The citizen asks to be told by e-mail, on the page of the link (which carries the token)
    // or by the API; a forged token subscribes nothing.
    let follow = |token: String| {
        let anonymous = anonymous.clone();
        let url = format!("{fund}/api/v1/status/code/subscriptions");
        let body = json!({"token": token, "channel": "email", "address": "olena@example.org", "lang": "en"});
        async move {
            let r = anonymous.post(url).json(&body).send().await.unwrap();
            (r.status(), r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    if let Some(smtp) = &smtp {
        assert!(shown.contains(&format!("name=\"t\" value=\"{token}\"")), "the form carries the token: {shown}");
        assert_eq!(follow(format!("{token}x")).await.0, StatusCode::NOT_FOUND);
        let (s, v) = follow(token.clone()).await;
        assert_eq!((s, v["status"].as_str()), (StatusCode::CREATED, Some("pending")), "{v}");
        let text = crate::notify::body_text(&smtp.wait_for("Please confirm").await, dir.path());
        assert!(text.contains("the document “Taxpayer card (RNOKPP)” you shared from your wallet"), "{text}");
        let confirm_token = crate::notify::token_in(&text, "/notify/confirm");
        let r = anonymous.post(format!("{fund}/api/v1/notify/confirm")).json(&json!({"token": confirm_token}));
        assert_eq!(r.send().await.unwrap().status(), StatusCode::OK);
    }

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
    // The citizen's link now says the fund has it, with the time.
    let v = by_code(token.clone()).await;
    assert_eq!(v["milestone"], "received", "{v}");
    assert!(v["path"][2]["reached_at"].is_string(), "{v}");
    assert!(status_page(link).await.contains("The fund has received your document"));
    if let Some(smtp) = &smtp {
        // Its follower is told; a request that has ended takes no more followers.
        let told = smtp.wait_for("The document from your wallet has arrived").await;
        let told = crate::notify::body_text(&told, dir.path());
        assert!(told.contains("the fund received the document"), "{told}");
        assert!(told.contains(&format!("{fund}/status?t={token}&lang=en")), "the request's own status link: {told}");
        let (s, v) = follow(token.clone()).await;
        assert_eq!((s, v["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")), "{v}");
        // Staff of the request's office see its follower (API and page) and may end it.
        let (s, followers) = c.get(&format!("/api/v1/sharing/requests/{id}/subscriptions")).await;
        assert_eq!(s, StatusCode::OK, "{followers}");
        let follower = &followers.as_array().unwrap()[0];
        assert_eq!(
            (follower["address"].as_str(), follower["status"].as_str()),
            (Some("olena@example.org"), Some("active"))
        );
        let page = c.req(reqwest::Method::GET, &format!("/sharing/requests/{id}")).send().await.unwrap();
        let page = page.text().await.unwrap();
        assert!(page.contains("id=\"followers\"") && page.contains("olena@example.org"), "{page}");
        let sub = follower["id"].as_i64().unwrap();
        let r = c.req(reqwest::Method::DELETE, &format!("/api/v1/subscriptions/{sub}")).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.json::<Value>().await.unwrap()["status"], "ended");
        let (_, followers) = c.get(&format!("/api/v1/sharing/requests/{id}/subscriptions")).await;
        assert_eq!(followers[0]["status"], "ended", "{followers}");
    }

    // The code was single use.
    let (s, v) = c.post("/api/v1/sharing/requests", json!({"barcode": barcode, "documentType": "taxpayer-card"})).await;
    assert_eq!((s, v["code"].as_str()), (StatusCode::CONFLICT, Some("already_used")), "{v}");

    // The fund keeps the copy for a lifetime: the archival job finds it due (never time-stamped by
    // a document time-stamp), reports first, then renews it in place with the fund's TSA beside
    // the running server; the copy served afterwards is the renewed file, still valid.
    let archive = |extra: &[&str]| {
        let mut args = vec!["archive", "renew", "--stored", "--data-dir", &data];
        args.extend_from_slice(extra);
        dossier_ok(&args, &both.env)
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
