//! Questions without registration over HTTP: asked on the page with a
//! tracking number shown once, refused with each bad field named, answered
//! once by the office's staff, the answer e-mailed (the demo's mail folder)
//! and shown to whoever holds the number; wrong numbers and floods are limited.
use std::time::Duration;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// The first office the demo lets citizens visit.
async fn an_office(server: &Server) -> i64 {
    let offices: Value = reqwest::get(server.url("/api/v1/offices")).await.unwrap().json().await.unwrap();
    offices.as_array().and_then(|a| a.first()).and_then(|o| o["id"].as_i64()).expect("an office")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spec_21_6_a_question_gets_a_tracking_number_and_its_answer_by_e_mail() {
    let server = Server::start();
    let http = reqwest::Client::new();
    let office = an_office(&server).await;
    let text = "Чому у 1995 році не враховано сумісництво на другому місці роботи?";

    // On the page: a bad form names every field and asks nothing.
    let page = |form: Vec<(&'static str, String)>| http.post(server.url("/questions?lang=uk")).form(&form).send();
    let bad = page(vec![
        ("office", office.to_string()),
        ("subject", "gossip".into()),
        ("name", " ".into()),
        ("email", "olena@".into()),
        ("text", "Чому?".into()),
    ])
    .await
    .unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = bad.text().await.unwrap();
    for id in ["q-subject-error", "q-name-error", "q-email-error", "q-text-error"] {
        assert!(html.contains(id), "{id} named next to its field");
    }
    let asked = page(vec![
        ("office", office.to_string()),
        ("subject", "record".into()),
        ("name", "Олена Коваль".into()),
        ("email", "olena@example.org".into()),
        ("text", text.into()),
    ])
    .await
    .unwrap();
    assert_eq!(asked.status(), StatusCode::OK);
    let html = asked.text().await.unwrap();
    let code =
        html.split("<strong class=\"code\">").nth(1).and_then(|r| r.split('<').next()).expect("a tracking number");
    assert_eq!(code.len(), 11, "{code}");

    // By the API: the same rules, and the number finds the question.
    let (s, p) = post_json(&http, &server.url("/api/v1/questions"), json!({"office_id": 999_999, "subject": "pension", "name": "Олена", "email": "olena@example.org", "text": text})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    assert_eq!(problem_fields(&p), vec![("office".to_owned(), "common.not_found".to_owned())]);
    let (s, status) =
        post_json(&http, &server.url("/api/v1/questions/track"), json!({"code": code.to_lowercase()})).await;
    assert_eq!((s, status["status"].as_str()), (StatusCode::OK, Some("open")), "{status}");
    assert!(status["answer"].is_null());

    // The office's staff answer it once; the asker's mail gets the answer.
    let district = login(&server, "district").await;
    let (s, open) = district.get("/api/v1/questions").await;
    assert_eq!(s, StatusCode::OK, "{open}");
    let q = open
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["text"] == text)
        .expect("the question is in the district's list")
        .clone();
    let id = q["id"].as_i64().unwrap();
    // The staff's appeals page lists it with its answer form; a forged CSRF token answers nothing.
    let page = district.http.get(server.url("/appeals")).header("cookie", &district.cookie).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains(&format!("/appeals/questions/{id}/answer")));
    let forged = district
        .http
        .post(server.url(&format!("/appeals/questions/{id}/answer")))
        .header("cookie", &district.cookie)
        .form(&[("csrf", "forged"), ("answer", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);
    let citizen_api = district.post(&format!("/api/v1/questions/{id}/answer"), json!({"answer": " "})).await;
    assert_eq!(citizen_api.0, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = "Звіт за сумісництвом отримано, стаж доповнено.";
    let (s, done) = district.post(&format!("/api/v1/questions/{id}/answer"), json!({"answer": answer})).await;
    assert_eq!((s, done["status"].as_str()), (StatusCode::OK, Some("answered")), "{done}");
    assert_eq!(
        district.post(&format!("/api/v1/questions/{id}/answer"), json!({"answer": answer})).await.0,
        StatusCode::CONFLICT
    );
    // The demo's mail folder holds each message as the relay would get it (the body transfer-encoded).
    let mail = server.data().join("outbox").join("email");
    let mut delivered = false;
    for _ in 0..60 {
        let messages: Vec<String> = std::fs::read_dir(&mail)
            .into_iter()
            .flatten()
            .flatten()
            .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
            .filter_map(|e| std::fs::read_to_string(e.path()).ok())
            .filter(|m| m.contains("olena@example.org"))
            .collect();
        if messages.iter().any(|m| body_text(m).contains(answer)) {
            delivered = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(delivered, "the answer e-mailed to the asker");
    let (_, status) = post_json(&http, &server.url("/api/v1/questions/track"), json!({"code": code})).await;
    assert_eq!((status["status"].as_str(), status["answer"].as_str()), (Some("answered"), Some(answer)));
    let tracked = http.post(server.url("/questions/track?lang=uk")).form(&[("code", code)]).send().await.unwrap();
    assert!(tracked.text().await.unwrap().contains(answer), "the tracking page shows the answer");

    // Guessing numbers is limited; so is asking in a loop.
    let mut last = StatusCode::OK;
    for n in 0..40 {
        let (s, _) =
            post_json(&http, &server.url("/api/v1/questions/track"), json!({"code": format!("ZZZZZ-{:05}", n)})).await;
        last = s;
        if s == StatusCode::TOO_MANY_REQUESTS {
            break;
        }
        assert_eq!(s, StatusCode::NOT_FOUND);
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);
}

async fn post_json(http: &reqwest::Client, url: &str, body: Value) -> (StatusCode, Value) {
    let r = http.post(url).json(&body).send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

/// A message's body as text, whether sent as is, quoted-printable or base64.
fn body_text(message: &str) -> String {
    use base64::Engine;
    let (head, body) = message.split_once("\r\n\r\n").or_else(|| message.split_once("\n\n")).unwrap_or(("", message));
    let head = head.to_ascii_lowercase();
    if head.contains("content-transfer-encoding: base64") {
        let joined: String = body.split_whitespace().collect();
        let bytes = base64::engine::general_purpose::STANDARD.decode(joined).unwrap_or_default();
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    if head.contains("content-transfer-encoding: quoted-printable") {
        let mut out = Vec::new();
        let soft = body.replace("=\r\n", "").replace("=\n", "");
        let b = soft.as_bytes();
        let mut i = 0;
        while i < b.len() {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok());
            if b[i] == b'='
                && let Some(v) = hex
            {
                out.push(v);
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        return String::from_utf8_lossy(&out).into_owned();
    }
    body.to_owned()
}
