//! E-applications end to end across two real processes: a citizen signed in
//! at the fund through the hub files an application with a file attached,
//! signs it in the wallet with the PIN, comes back; the fund checks the
//! signature itself; staff decide in the inbox; the citizen gets the signed
//! decision, the e-mail and the status link. Bad input changes nothing;
//! another citizen sees nothing.
use reqwest::StatusCode;
use reqwest::header::COOKIE;
use reqwest::multipart::{Form, Part};
use serde_json::json;

use crate::account::{browser, hidden_fields, location, set_cookie, start_login, through_the_hub};
use crate::support::*;

const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// The application form's fields, with a file.
fn form(csrf: &str, ward: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Form {
    let mut f = Form::new().text("csrf", csrf.to_owned()).text("for", ward.to_owned());
    for (k, v) in fields {
        f = f.text(k.to_string(), v.to_string());
    }
    if let Some((name, bytes)) = file {
        f = f.part("files", Part::bytes(bytes.to_vec()).file_name(name.to_owned()));
    }
    f
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_files_signs_in_the_wallet_and_gets_the_signed_decision() {
    let dir = tempfile::tempdir().unwrap();
    let smtp = crate::notify::Smtp::start(dir.path());
    let notify = smtp.as_ref().map_or(String::new(), |m| m.fund_toml());
    let both = FundWithHub::start(dir.path(), &format!("[e_application_terms]\ndelivery_change = 3\n{notify}"));
    let (fund, hub, data) = (both.fund.clone(), both.hub.clone(), both.data.clone());
    let http = browser();
    // The citizen applies for their ward, a minor of the district's; another wallet citizen plays the stranger.
    let (citizen, stranger) = (both.citizens[0].clone(), both.citizens[1].clone());
    let specialist = login_at(&fund, "specialist").await;
    let district = unit_id(&units(&specialist).await, "26101");
    let ward =
        ward_of(&specialist, district, &citizen, chrono::NaiveDate::from_ymd_opt(2014, 6, 9).unwrap(), 417).await;

    // Signed in at the fund through the hub (the browser keeps the wallet's session too).
    let (login_cookie, authorize) = start_login(&http, &fund).await;
    let back = through_the_hub(&http, &hub, &authorize, &citizen).await;
    let resp = http.get(&back).header(COOKIE, &login_cookie).send().await.unwrap();
    let session = set_cookie(&resp, "__Host-dossier-citizen").expect("a citizen session");
    let get = |path: String| http.get(format!("{fund}{path}")).header(COOKIE, &session).send();

    let page = get(format!("/account/apply?for={ward}")).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    let csrf = hidden_fields(&html).into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let post = |f: Form| http.post(format!("{fund}/account/apply")).header(COOKIE, &session).multipart(f).send();

    // Bad input: a mistyped IBAN, a file that is no PDF or image, a forged CSRF token — precise refusals.
    let typo = [("kind", "delivery_change"), ("delivery", "bank"), ("iban", "UA21 3223 1300 0002 6007 2335 6600 2")];
    let resp = post(form(&csrf, &ward, &typo, None)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(resp.text().await.unwrap().contains("IBAN"), "the checksum is named");
    let pension = [
        ("kind", "pension_assignment"),
        ("pension_kind", "old_age"),
        ("delivery", "post"),
        ("postcode", "01001"),
        ("address", "вул. Хрещатик, 1, Київ"),
        ("email", "olena@example.org"),
    ];
    let resp = post(form(&csrf, &ward, &pension, Some(("virus.exe", b"MZ\x90\x00 not a document")))).await.unwrap();
    assert_eq!(resp.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let resp = post(form("forged", &ward, &pension, None)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    let account = get(format!("/account?for={ward}")).await.unwrap().text().await.unwrap();
    assert!(!account.contains("/account/applications/"), "nothing was filed");

    // Filed with a PDF: off to the wallet to sign.
    let resp = post(form(&csrf, &ward, &pension, Some(("trudova knyzhka.pdf", PDF)))).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER, "{}", resp.text().await.unwrap());
    let sign_url = location(&resp);
    assert!(sign_url.starts_with(&format!("{hub}/wallet/sign/")), "{sign_url}");
    let account = get(format!("/account?for={ward}")).await.unwrap().text().await.unwrap();
    let id = account.split("/account/applications/").nth(1).unwrap().split('"').next().unwrap().to_owned();

    // The wallet: sign in, read the text, a wrong PIN, then the right one.
    let wallet = http
        .post(format!("{hub}/wallet/login"))
        .form(&[("login", citizen.as_str()), ("password", "demo-wallet-2026"), ("next", &sign_url[hub.len()..])])
        .send()
        .await
        .unwrap();
    let hub_session = set_cookie(&wallet, "hub_session").expect("a wallet session");
    let sign_page = http.get(&sign_url).header(COOKIE, &hub_session).send().await.unwrap();
    assert_eq!(sign_page.status(), StatusCode::OK);
    let html = sign_page.text().await.unwrap();
    assert!(
        html.contains("ЗАЯВА ПРО ПРИЗНАЧЕННЯ ПЕНСІЇ") && html.contains("trudova knyzhka.pdf"),
        "the whole text is shown"
    );
    let form_part = html.split("action=\"/wallet/sign/").nth(1).expect("the signing form");
    let wallet_csrf = hidden_fields(form_part).into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let sign = |pin: &str| {
        let fields = [("csrf", wallet_csrf.clone()), ("decision", "sign".to_owned()), ("pin", pin.to_owned())];
        http.post(&sign_url).header(COOKIE, &hub_session).form(&fields).send()
    };
    assert_eq!(sign("0000").await.unwrap().status(), StatusCode::FORBIDDEN);
    let signed = sign("1234").await.unwrap();
    assert_eq!(signed.status(), StatusCode::SEE_OTHER);
    let back = location(&signed);
    assert!(back.starts_with(&format!("{fund}/account/applications/{id}/signed?signature_request=")), "{back}");

    // Back at the fund: the signature is checked there, and the application is submitted.
    let resp = http.get(&back).header(COOKIE, &session).send().await.unwrap();
    assert_eq!(location(&resp), format!("/account/applications/{id}"), "{}", resp.status());
    let mine = get(format!("/account/applications/{id}")).await.unwrap().text().await.unwrap();
    assert!(mine.contains("Подано, розглядається") || mine.contains("Submitted, under review"), "{mine}");
    let status_link = mine
        .split("href=\"")
        .find(|s| s.starts_with(&format!("{fund}/status?t=")))
        .map(|s| s.split('"').next().unwrap().replace("&#38;", "&"))
        .expect("a status link");
    let status = http.get(&status_link).send().await.unwrap().text().await.unwrap();
    assert!(status.contains("Подано: заява розглядається") || status.contains("Submitted: under review"), "{status}");

    // Staff of the ward's district: the inbox, the signature checked by OpenSSL, the file.
    let staff = login_at(&fund, "district").await;
    let (code, inbox) = staff.get("/api/v1/e-applications").await;
    assert_eq!(code, StatusCode::OK);
    let item = inbox
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["id"] == id.as_str())
        .unwrap_or_else(|| panic!("{id} in the inbox: {inbox}"))
        .clone();
    assert_eq!(item["status"], "submitted");
    assert_eq!(item["by_representative"], true);
    assert!(item["signer"].as_str().unwrap().contains(&format!("TINUA-{citizen}")), "{item}");
    assert!(item["due_on"].is_string());
    let (_, full) = staff.get(&format!("/api/v1/e-applications/{id}")).await;
    assert_eq!(full["files"][0]["content_type"], "application/pdf");
    assert_eq!(full["files"][0]["name"], "trudova knyzhka.pdf");
    let statement = full["statement"].as_str().unwrap().to_owned();
    let p7s = staff.req(reqwest::Method::GET, &format!("/inbox/{id}/signature.p7s")).send().await.unwrap();
    assert_eq!(p7s.status(), StatusCode::OK);
    let p7s = p7s.bytes().await.unwrap();
    let p7s_path = dir.path().join("application.p7s");
    std::fs::write(&p7s_path, &p7s).unwrap();
    if let Some(o) =
        tool_output("openssl", &["cms", "-verify", "-inform", "DER", "-in", p7s_path.to_str().unwrap(), "-noverify"])
    {
        assert!(o.status.success(), "openssl: {}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(String::from_utf8_lossy(&o.stdout), statement, "the signature covers exactly the text shown");
    }

    // A refusal needs reasons; a grant is given once.
    let (code, _) = staff.post(&format!("/api/v1/e-applications/{id}/decision"), json!({"decision": "refused"})).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY);
    let (code, body) = staff.post(&format!("/api/v1/e-applications/{id}/decision"), json!({"decision": "maybe"})).await;
    assert_eq!(code, StatusCode::BAD_REQUEST, "{body}");
    // Granting a pension says how much and from which day: from the application's day back three
    // months at most (Law 1058, art. 45); every mistake named, nothing written.
    let today = dossier_domain::time::kyiv_time(chrono::Utc::now()).date_naive();
    let decide = |body: serde_json::Value| {
        let staff = &staff;
        let path = format!("/api/v1/e-applications/{id}/decision");
        async move { staff.post(&path, body).await }
    };
    let (code, body) = decide(json!({"decision": "granted"})).await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    let named: Vec<&str> = body["errors"].as_array().unwrap().iter().filter_map(|e| e["field"].as_str()).collect();
    assert_eq!(named, ["amount", "since"], "{body}");
    let too_early = (today - chrono::Months::new(4)).to_string();
    for (amount, since) in [("0", today.to_string()), ("-1", today.to_string()), ("5123,40", too_early)] {
        let (code, body) = decide(json!({"decision": "granted", "amount": amount, "since": since})).await;
        assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "{amount} {since}: {body}");
    }
    let (code, _) = staff.get(&format!("/api/v1/persons/{ward}/pension")).await;
    assert_eq!(code, StatusCode::NOT_FOUND, "no pension yet");
    let (code, decided) = decide(json!({
        "decision": "granted",
        "reasons": "Стаж підтверджено",
        "amount": "5 123,40",
        "since": today.to_string(),
    }))
    .await;
    assert_eq!(code, StatusCode::OK, "{decided}");
    assert_eq!(decided["status"], "granted");
    let (code, paid) = staff.get(&format!("/api/v1/persons/{ward}/pension")).await;
    assert_eq!(code, StatusCode::OK, "{paid}");
    assert_eq!((paid["amount"].as_i64(), paid["kind"].as_str()), (Some(512_340), Some("old_age")), "{paid}");
    assert_eq!(
        (paid["delivery"]["method"].as_str(), paid["e_application_id"].as_str()),
        (Some("post"), Some(id.as_str()))
    );
    let (code, _) = staff
        .post(
            &format!("/api/v1/e-applications/{id}/decision"),
            json!({"decision": "refused", "reasons": "Передумали, але пізно"}),
        )
        .await;
    assert_eq!(code, StatusCode::CONFLICT);

    // The citizen: the signed decision in the account, judged by poppler; the e-mail.
    let pdf = get(format!("/account/applications/{id}/decision.pdf")).await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    let pdf = pdf.bytes().await.unwrap();
    let pdf_path = dir.path().join("decision.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    if let Some(o) = tool_output("pdfsig", &[pdf_path.to_str().unwrap()]) {
        let out = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(out.contains("Signature Validation: Signature is Valid."), "{out}");
    }
    if let Some(o) = tool_output("pdftotext", &[pdf_path.to_str().unwrap(), "-"]) {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("Задоволено") && text.contains(&id), "{text}");
        assert!(text.contains("123,40 ₴"), "the decision states the amount: {text}");
        // The signed text is printed across the page, not squeezed into a narrow column.
        assert!(text.contains("ЗАЯВА ПРО ПРИЗНАЧЕННЯ ПЕНСІЇ"), "{text}");
    }
    // The account shows the pension, and a statement of it comes at once, signed.
    let account = get(format!("/account?for={ward}")).await.unwrap().text().await.unwrap();
    assert!(account.contains("123,40 ₴") && account.contains("value=\"pension\""), "the pension in the account");
    let statement = |kind: &str, acting_for: &str| {
        let fields = [("csrf", csrf.clone()), ("for", acting_for.to_owned()), ("kind", kind.to_owned())];
        http.post(format!("{fund}/account/statement")).header(COOKIE, &session).form(&fields).send()
    };
    let resp = statement("pension", &ward).await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let pension_pdf = dir.path().join("pension.pdf");
    std::fs::write(&pension_pdf, resp.bytes().await.unwrap()).unwrap();
    if let Some(o) = tool_output("pdftotext", &[pension_pdf.to_str().unwrap(), "-"]) {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("123,40 ₴") && text.contains(&today.format("%d.%m.%Y").to_string()), "{text}");
    }
    if let Some(o) = tool_output("pdfsig", &[pension_pdf.to_str().unwrap()]) {
        assert!(String::from_utf8_lossy(&o.stdout).contains("Signature is Valid."));
    }
    // A second ward is paid nothing: no such statement; an unknown kind is named.
    let unpaid =
        ward_of(&specialist, district, &citizen, chrono::NaiveDate::from_ymd_opt(2016, 2, 3).unwrap(), 419).await;
    assert_eq!(statement("pension", &unpaid).await.unwrap().status(), StatusCode::CONFLICT);
    assert_eq!(statement("pirate", &ward).await.unwrap().status(), StatusCode::UNPROCESSABLE_ENTITY);
    if let Some(smtp) = &smtp {
        // In the language the citizen filed in, to the address given on the form.
        let told = smtp.wait_for("To: olena@example.org").await;
        let text = crate::notify::body_text(&told, dir.path());
        assert!(text.contains("Задоволено") && text.contains("/status?t="), "{text}");
    }

    // A certificate for the ward, granted: it becomes a form-1 application in production, filed by
    // the representative who signed.
    let certificate = [
        ("kind", "certificate"),
        ("pension_kind", "loss_of_breadwinner"),
        ("certificate_form", "paper"),
        ("issue_unit_id", &district.to_string()),
    ];
    let resp = post(form(&csrf, &ward, &certificate, None)).await.unwrap();
    assert_eq!(resp.status(), StatusCode::SEE_OTHER);
    let sign_url = location(&resp);
    let html = http.get(&sign_url).header(COOKIE, &hub_session).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains("ЗАЯВА ПРО ВИДАЧУ ПЕНСІЙНОГО ПОСВІДЧЕННЯ") && html.contains("законний представник"),
        "{html}"
    );
    let form_part = html.split("action=\"/wallet/sign/").nth(1).expect("the signing form");
    let wallet_csrf = hidden_fields(form_part).into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let fields = [("csrf", wallet_csrf), ("decision", "sign".to_owned()), ("pin", "1234".to_owned())];
    let signed = http.post(&sign_url).header(COOKIE, &hub_session).form(&fields).send().await.unwrap();
    let back = location(&signed);
    let cert_id = back.split("/account/applications/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    http.get(&back).header(COOKIE, &session).send().await.unwrap();
    let (code, decided) =
        staff.post(&format!("/api/v1/e-applications/{cert_id}/decision"), json!({"decision": "granted"})).await;
    assert_eq!(code, StatusCode::OK, "{decided}");
    let form1 = decided["certificate_id"].as_str().expect("a form-1 application").to_owned();
    let (code, application) = staff.get(&format!("/api/v1/applications/{form1}")).await;
    assert_eq!(code, StatusCode::OK, "{application}");
    assert_eq!(application["stage"], "accepted");
    assert_eq!(application["person_id"], ward.as_str());
    assert!(application["representative_id"].is_string(), "the guardian who signed: {application}");

    // A delivery change, signed and granted, moves the pension to the bank account from today.
    let change = [("kind", "delivery_change"), ("delivery", "bank"), ("iban", "UA21 3223 1300 0002 6007 2335 6600 1")];
    let resp = post(form(&csrf, &ward, &change, None)).await.unwrap();
    let sign_url = location(&resp);
    let html = http.get(&sign_url).header(COOKIE, &hub_session).send().await.unwrap().text().await.unwrap();
    let form_part = html.split("action=\"/wallet/sign/").nth(1).expect("the signing form");
    let wallet_csrf = hidden_fields(form_part).into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let fields = [("csrf", wallet_csrf), ("decision", "sign".to_owned()), ("pin", "1234".to_owned())];
    let back = location(&http.post(&sign_url).header(COOKIE, &hub_session).form(&fields).send().await.unwrap());
    let move_id = back.split("/account/applications/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    http.get(&back).header(COOKIE, &session).send().await.unwrap();
    let (code, body) = staff
        .post(&format!("/api/v1/e-applications/{move_id}/decision"), json!({"decision": "granted", "amount": "1"}))
        .await;
    assert_eq!(code, StatusCode::UNPROCESSABLE_ENTITY, "an amount belongs to a pension's grant only: {body}");
    let (code, decided) =
        staff.post(&format!("/api/v1/e-applications/{move_id}/decision"), json!({"decision": "granted"})).await;
    assert_eq!(code, StatusCode::OK, "{decided}");
    let (_, paid) = staff.get(&format!("/api/v1/persons/{ward}/pension")).await;
    assert_eq!(paid["delivery"]["iban"], "UA213223130000026007233566001", "{paid}");
    assert_eq!((paid["amount"].as_i64(), paid["since"].as_str()), (Some(512_340), Some(today.to_string().as_str())));

    // Filing is cheap but signature requests are not endless: five may wait at once, the sixth waits.
    let mut sign_urls = Vec::new();
    for _ in 0..5 {
        let resp = post(form(&csrf, &ward, &change, None)).await.unwrap();
        assert_eq!(resp.status(), StatusCode::SEE_OTHER);
        sign_urls.push(location(&resp));
    }
    assert_eq!(post(form(&csrf, &ward, &change, None)).await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    // The hub deletes a signature request a week after it expired (its worker's purge, done here by
    // hand); a citizen coming back after that finds the application not submitted — and may file again.
    let hub_db = sqlx::SqlitePool::connect(&format!("sqlite://{data}/hub/hub.db")).await.unwrap();
    let hub_id = sign_urls[0].split('?').next().unwrap().rsplit('/').next().unwrap().parse::<uuid::Uuid>().unwrap();
    let purged = sqlx::query("DELETE FROM hub_signature_requests WHERE id = $1").bind(hub_id).execute(&hub_db).await;
    assert_eq!(purged.unwrap().rows_affected(), 1);
    let account = get(format!("/account?for={ward}")).await.unwrap().text().await.unwrap();
    let waiting: std::collections::BTreeSet<&str> = account
        .split("/account/applications/")
        .skip(1)
        .filter_map(|s| s.split(['"', '/']).next())
        .filter(|app_id| ![id.as_str(), move_id.as_str()].contains(app_id))
        .collect();
    let mut abandoned = 0;
    for app_id in &waiting {
        let back = http.get(format!("{fund}/account/applications/{app_id}/signed")).header(COOKIE, &session);
        assert!(back.send().await.unwrap().status().is_redirection());
        let page = get(format!("/account/applications/{app_id}")).await.unwrap().text().await.unwrap();
        abandoned += usize::from(page.contains("Не подано: не підписано"));
    }
    assert_eq!(abandoned, 1, "the one the hub forgot, of {waiting:?}");
    assert_eq!(post(form(&csrf, &ward, &change, None)).await.unwrap().status(), StatusCode::SEE_OTHER);

    // Another wallet citizen, signed in at the fund, reaches none of it; nor do made-up ids.
    let other = browser();
    let (cookie, authorize) = start_login(&other, &fund).await;
    let back = through_the_hub(&other, &hub, &authorize, &stranger).await;
    let resp = other.get(&back).header(COOKIE, &cookie).send().await.unwrap();
    let theirs = set_cookie(&resp, "__Host-dossier-citizen").expect("the stranger's session");
    for path in [
        format!("/account/applications/{id}"),
        format!("/account/applications/{id}/decision.pdf"),
        format!("/account/applications/{id}/signed"),
        format!("/account/applications/{}", uuid::Uuid::now_v7()),
        "/account/applications/not-a-uuid".to_owned(),
    ] {
        let resp = other.get(format!("{fund}{path}")).header(COOKIE, &theirs).send().await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND, "{path}");
    }
    let (code, _) = login_at(&fund, "auditor")
        .await
        .post(&format!("/api/v1/e-applications/{id}/decision"), json!({"decision": "granted"}))
        .await;
    assert_eq!(code, StatusCode::FORBIDDEN, "an auditor reads, never decides");
    let anonymous = http.get(format!("{fund}/account/applications/{id}/decision.pdf")).send().await.unwrap();
    assert!(
        !anonymous.headers().get("content-type").is_some_and(|v| v.to_str().unwrap_or("").contains("pdf")),
        "no decision without a session"
    );
}

/// A pensioner the fund paid before Dossier: the regional office moves the
/// pension over from the previous system as a CSV file (one bad row refuses
/// it, each problem named; another office's people are not reached); the
/// citizen then sees it in the account and gets its statement at once, signed.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pension_paid_before_dossier_is_imported_and_its_holder_gets_a_statement_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let both = FundWithHub::start(dir.path(), "");
    let (fund, hub) = (both.fund.clone(), both.hub.clone());
    let regional = login_at(&fund, "regional").await;
    // A wallet citizen whose pension, if the demo gave one, was not granted here.
    let mut pick = None;
    for citizen in &both.citizens {
        let (_, found) = regional.get(&format!("/api/v1/persons?rnokpp={citizen}")).await;
        let Some(person) = found["items"][0]["id"].as_str() else { continue };
        let (code, before) = regional.get(&format!("/api/v1/persons/{person}/pension")).await;
        if code == StatusCode::NOT_FOUND || before.get("e_application_id").is_none() {
            pick = Some((citizen.clone(), person.to_owned(), code, before));
            break;
        }
    }
    let (citizen, person, code_before, before) = pick.expect("a citizen in the regional office's scope");
    let upload = |c: &Client, content_type: &str, body: String| {
        c.req(reqwest::Method::POST, "/api/v1/pensions/import").header("content-type", content_type).body(body).send()
    };
    let header = dossier_domain::payment::PAID_HEADER;
    let good =
        format!("{citizen},old_age,4 321.50,2014-09-01,bank,UA21 3223 1300 0002 6007 2335 6600 1,,,2021-02-01\n");

    // Every bad row named with its line and field; the good one is not written either.
    let bad = format!(
        "{header}\n{good}1759013770,old_age,100,2020-01-01,bank,UA213223130000026007233566001,,,\n\
         {citizen},widow,0,2099-01-01,post,,1001,,\n"
    );
    let r = upload(&regional, "text/csv; charset=utf-8", bad).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let named = problem_fields(&r.json().await.unwrap());
    let fields: Vec<&str> = named.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(
        fields,
        ["rows[3].rnokpp", "rows[4].kind", "rows[4].amount", "rows[4].since", "rows[4].postcode", "rows[4].address"],
        "{named:?}"
    );
    assert_eq!(regional.get(&format!("/api/v1/persons/{person}/pension")).await, (code_before, before), "unchanged");
    // Not CSV, or not the importer's to do: refused before a row is read.
    let r = upload(&regional, "application/json", format!("{header}\n{good}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let specialist = login_at(&fund, "specialist").await;
    let r = upload(&specialist, "text/csv", format!("{header}\n{good}")).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);

    let r = upload(&regional, "text/csv", format!("{header}\r\n{}", good.replace('\n', "\r\n"))).await.unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let replaced = i64::from(code_before == StatusCode::OK);
    assert_eq!(r.json::<serde_json::Value>().await.unwrap(), json!({"rows": 1, "replaced": replaced}));
    let (code, paid) = regional.get(&format!("/api/v1/persons/{person}/pension")).await;
    assert_eq!(code, StatusCode::OK, "{paid}");
    assert_eq!((paid["amount"].as_i64(), paid["since"].as_str()), (Some(432_150), Some("2014-09-01")), "{paid}");
    assert_eq!((paid["delivery_since"].as_str(), paid.get("e_application_id")), (Some("2021-02-01"), None));

    // The pensioner signs in through the hub: the account shows it, and the statement comes at once.
    let http = browser();
    let (login_cookie, authorize) = start_login(&http, &fund).await;
    let back = through_the_hub(&http, &hub, &authorize, &citizen).await;
    let resp = http.get(&back).header(COOKIE, &login_cookie).send().await.unwrap();
    let session = set_cookie(&resp, "__Host-dossier-citizen").expect("a citizen session");
    let account = http.get(format!("{fund}/account")).header(COOKIE, &session).send().await.unwrap();
    let account = account.text().await.unwrap();
    assert!(account.contains("4 321,50 ₴") || account.contains("4\u{a0}321,50 ₴"), "the pension in the account");
    assert!(account.contains("Виплачувалася до Dossier"), "and where it came from");
    let csrf = hidden_fields(&account).into_iter().find(|(k, _)| k == "csrf").unwrap().1;
    let fields = [("csrf", csrf), ("for", String::new()), ("kind", "pension".to_owned())];
    let resp = http.post(format!("{fund}/account/statement")).header(COOKIE, &session).form(&fields).send().await;
    let resp = resp.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let pdf = dir.path().join("pension.pdf");
    std::fs::write(&pdf, resp.bytes().await.unwrap()).unwrap();
    if let Some(o) = tool_output("pdftotext", &[pdf.to_str().unwrap(), "-"]) {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("321,50 ₴") && text.contains("01.09.2014"), "{text}");
    }
    if let Some(o) = tool_output("pdfsig", &[pdf.to_str().unwrap()]) {
        assert!(String::from_utf8_lossy(&o.stdout).contains("Signature is Valid."));
    }
}
