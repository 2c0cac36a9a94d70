//! Pension-certificate production over HTTP: batches, acts, journal, issue, card backs.

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

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
    let o = server
        .command()
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
