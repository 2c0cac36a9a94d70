//! The card exchange with the partner: signed reports, sealed messages, each party its step.
use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

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
        let digest = base16ct::lower::encode_string(&sha2::Sha256::digest(r.bytes().await.unwrap()));
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
