//! The public status look-up over HTTP, as a citizen and as someone guessing:
//! the number typed loosely and the date of birth give the milestone, the
//! estimate and the office; a wrong date answers exactly as an unknown
//! number; failures past the limit wait (429, Retry-After); the page works
//! without sign-in and is never cached.
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_learns_where_the_document_is_and_a_guesser_learns_nothing() {
    let server = Server::start();
    let staff = login(&server, "specialist").await;
    let (_, apps) = staff.get("/api/v1/applications?limit=200").await;
    let app = apps["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["stage"] == "in_production" && a["form"] == "paper")
        .expect("the demo has a paper certificate in production")
        .clone();
    let number = app["number"].as_str().unwrap().to_owned();
    let (_, person) = staff.get(&format!("/api/v1/persons/{}", app["person_id"].as_str().unwrap())).await;
    let born = person["birth_date"].as_str().unwrap().to_owned();

    let http = reqwest::Client::new();
    let ask = |number: String, born: String| {
        let http = http.clone();
        let url = server.url("/api/v1/status?lang=en");
        async move {
            let r = http.post(url).json(&json!({"number": number, "birth_date": born})).send().await.unwrap();
            if r.status() == StatusCode::OK {
                assert_eq!(r.headers()["cache-control"], "no-store");
            }
            let retry = r.headers().get("retry-after").map(|v| v.to_str().unwrap().to_owned());
            (r.status(), retry, r.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Typed with spaces and a digit 3 for the Cyrillic З.
    let typed = number.replace('З', "3").replace('-', " ");
    let (status, _, v) = ask(typed, born.clone()).await;
    assert_eq!(status, StatusCode::OK, "{v:#}");
    assert_eq!(v["number"], number.as_str());
    assert_eq!(v["milestone"], "in_production");
    assert_eq!(v["text"], "Being produced");
    assert!(v["estimate"]["text"].as_str().unwrap().starts_with("Expected to be ready by"), "{v:#}");
    assert!(v["office"]["address"].is_string() && v["office"]["opening_hours"].is_string(), "{v:#}");
    assert_eq!(v["path"][0]["milestone"], "accepted");
    assert!(v["path"][0]["reached_at"].is_string());
    assert!(v.get("person").is_none() && !v.to_string().contains(&born), "no personal data comes back");

    // The office's administrator changes its hours; the next look-up says so.
    let admin = login(&server, "admin").await;
    let office = app["issue_unit_id"].as_i64().unwrap();
    let path = format!("/api/v1/org/units/{office}/contact");
    let hours = "Пн–Пт 9:00–18:00";
    let (s, u) = admin.put(&path, json!({"address": "вул. Нова, 1", "opening_hours": hours})).await;
    assert_eq!(s, StatusCode::OK, "{u:#}");
    assert_eq!(staff.put(&path, json!({"opening_hours": hours})).await.0, StatusCode::FORBIDDEN);
    let (s, _) = admin.put(&path, json!({"opening_hours": "x".repeat(301)})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let (status, _, v) = ask(number.clone(), born.clone()).await;
    assert_eq!((status, v["office"]["opening_hours"].as_str()), (StatusCode::OK, Some(hours)));

    // A wrong date of birth and an unknown number answer alike.
    let (wrong, _, wrong_body) = ask(number.clone(), "1900-01-01".into()).await;
    let (unknown, _, unknown_body) = ask("З-2026-9999999".into(), born.clone()).await;
    assert_eq!((wrong, unknown), (StatusCode::NOT_FOUND, StatusCode::NOT_FOUND));
    assert_eq!(wrong_body, unknown_body);
    let (bad, _, _) = ask("not a number".into(), born.clone()).await;
    assert_eq!(bad, StatusCode::UNPROCESSABLE_ENTITY);

    // Guessing one number's date of birth: after the limit, even the right date waits.
    for _ in 0..4 {
        assert_eq!(ask(number.clone(), "1901-01-01".into()).await.0, StatusCode::NOT_FOUND);
    }
    let (limited, retry, _) = ask(number.clone(), born.clone()).await;
    assert_eq!(limited, StatusCode::TOO_MANY_REQUESTS);
    assert!(retry.is_some_and(|s| s.parse::<u64>().is_ok_and(|n| n > 0)));

    // The page, without sign-in, on a phone.
    let page = http.get(server.url("/status?lang=en")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert_eq!(page.headers()["cache-control"], "no-store");
    let html = page.text().await.unwrap();
    assert!(html.contains("Where is my document?") && html.contains("name=\"birth_date\""), "{html}");
    let other = apps["items"].as_array().unwrap().iter().find(|a| a["stage"] == "accepted").unwrap();
    let (_, p) = staff.get(&format!("/api/v1/persons/{}", other["person_id"].as_str().unwrap())).await;
    let r = http
        .post(server.url("/status?lang=en"))
        .form(&[("number", other["number"].as_str().unwrap()), ("birth_date", p["birth_date"].as_str().unwrap())])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let html = r.text().await.unwrap();
    assert!(html.contains("Application accepted") && html.contains("Expected to be ready by"), "{html}");
    let r = http.post(server.url("/status")).form(&[("number", "x"), ("birth_date", "")]).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

/// The receipt (form 1) carries a QR code of a signed status link: printed,
/// scanned by zbar (a decoder we did not write) from poppler's rendering of
/// the PDF, it opens the status without typing anything; an altered token
/// opens nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_qr_code_on_the_receipt_opens_the_status() {
    let server = Server::start();
    let staff = login(&server, "specialist").await;
    let (_, apps) = staff.get("/api/v1/applications?limit=200").await;
    let app = apps["items"].as_array().unwrap().iter().find(|a| a["stage"] == "in_production").unwrap().clone();
    let id = app["id"].as_str().unwrap();
    let pdf = staff.req(reqwest::Method::GET, &format!("/api/v1/applications/{id}/form.pdf")).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let file = server.data().join("receipt.pdf");
    std::fs::write(&file, pdf.bytes().await.unwrap()).unwrap();
    let png = server.data().join("receipt");
    let Some(out) =
        tool_output("pdftoppm", &["-r", "150", "-png", "-singlefile", file.to_str().unwrap(), png.to_str().unwrap()])
    else {
        return;
    };
    assert!(out.status.success(), "{}", out_text(&out));
    let png = server.data().join("receipt.png");
    let Some(out) = tool_output("zbarimg", &["--raw", "-q", png.to_str().unwrap()]) else { return };
    assert!(out.status.success(), "zbarimg found no code: {}", out_text(&out));
    let link = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    assert!(link.starts_with(&format!("{}/status?t=", server.base)), "{link}");
    let token = link.split("t=").nth(1).unwrap().to_owned();

    let http = reqwest::Client::new();
    let page = http.get(format!("{link}&lang=en")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains(app["number"].as_str().unwrap()) && html.contains("Being produced"), "{html}");
    let r = http.post(server.url("/api/v1/status/code")).json(&json!({"token": token})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let v: Value = r.json().await.unwrap();
    assert_eq!(v["milestone"], "in_production");
    // One character changed: another id or a broken tag — either way nothing.
    let mut forged = token.clone().into_bytes();
    forged[3] = if forged[3] == b'A' { b'B' } else { b'A' };
    let forged = String::from_utf8(forged).unwrap();
    let r = http.post(server.url("/api/v1/status/code")).json(&json!({"token": forged})).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        http.get(server.url(&format!("/status?t={forged}"))).send().await.unwrap().status(),
        StatusCode::NOT_FOUND
    );
}

/// Issue 21 §6: without registration a citizen finds an office by town — any
/// case, with or without diacritics — with its address and hours, and
/// estimates a pension; neither needs a session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_registration_a_citizen_finds_an_office_and_estimates_a_pension() {
    let server = Server::start();
    let http = reqwest::Client::new();
    let offices = |town: &str| {
        let http = http.clone();
        let url = server.url(&format!("/api/v1/offices?lang=en&town={town}"));
        async move { http.get(url).send().await.unwrap().json::<Value>().await.unwrap() }
    };
    let lviv = offices("LVIV").await;
    let lviv = lviv.as_array().unwrap();
    assert!(!lviv.is_empty(), "the demo has offices in Lviv");
    assert!(lviv.iter().all(|o| o["name"].as_str().unwrap().contains("Lviv") && o["opening_hours"].is_string()));
    let all = offices("").await.as_array().unwrap().len();
    assert!(all > lviv.len(), "no town: every office that receives citizens");
    assert!(offices("nowhere-town").await.as_array().unwrap().is_empty());
    let r = http
        .post(server.url("/api/v1/calculator/russia"))
        .json(&json!({"sex": "female", "birth_date": "1966-07-01", "points": "120.5", "record_years": 35}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["cache-control"], "no-store");
    let e: Value = r.json().await.unwrap();
    assert_eq!((e["eligible"].as_bool(), e["general_age"]["years"].as_u64()), (Some(true), Some(58)), "{e}");
    // Figures travel as strings: a number is refused, not rounded through a float.
    let r = http
        .post(server.url("/api/v1/calculator/ukraine"))
        .json(&json!({"birth_date": "1965-05-10", "record_months": 420, "wage_coefficient": 1.2}))
        .send()
        .await
        .unwrap();
    assert!(r.status().is_client_error(), "{}", r.status());
}
