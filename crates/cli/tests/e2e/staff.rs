//! The staff API and pages: rules, scope, audit, encryption at rest, sign-in
//! lock-out, API tokens, CSV imports, and no personal data in logs.
use std::path::Path;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

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
    if embedded_store_only("the blob folder read for names, numbers and photo bytes") {
        assert_nothing_readable_in(&server.data().join("blobs"), &["1759013776", "Шевчук"], &photo);
    }

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
    let verify = || server.command().args(["audit", "verify", "--data-dir"]).arg(server.data()).output().unwrap();
    let ok = verify();
    assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stdout));
    let out = String::from_utf8_lossy(&ok.stdout);
    assert!(out.contains("change log intact") && out.contains("access log intact"), "{out}");
    if !embedded_store_only("an audit row edited in the SQLite file") {
        return;
    }
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
    let out = server
        .command()
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
    let out = server
        .command()
        .args(["import", "--unit", "13101", "--report"])
        .arg(&report)
        .arg(&csv)
        .arg("--data-dir")
        .arg(server.data())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "some rows were rejected: {stdout}{stderr}");
    assert!(stdout.contains("2 rows imported, 2 rejected"), "{stdout}");
    let report = std::fs::read_to_string(report).unwrap();
    assert!(report.contains("3,rnokpp,"), "{report}");
    assert!(report.contains("4,surname,"), "{report}");
    assert!(!report.contains("Шевчук"), "the report holds no row content");
}

/// `dossier import-pensions`: a national migration's file is too large for
/// one request and one transaction, so the CLI keeps the good rows batch by
/// batch and reports the rest, like `dossier import` does for people.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spec_21_5_pensions_paid_before_dossier_are_imported_from_the_command_line_with_a_report() {
    let dir = tempfile::tempdir().unwrap();
    let server = Server::start();
    let run = |args: &[&str], file: &Path, report: &Path| {
        let out = server
            .command()
            .args(args)
            .arg("--report")
            .arg(report)
            .arg(file)
            .arg("--data-dir")
            .arg(server.data())
            .output()
            .unwrap();
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        (out.status.code(), text)
    };
    // A person registered at district 13101 by the people import.
    let people = dir.path().join("people.csv");
    let header = "rnokpp,religious_refusal,passport,id_card,unzr,account_no,okzo,surname,given_name,patronymic,birth_date,sex,capacity,idp\n";
    std::fs::write(&people, format!("{header}1759013776,false,,,,1,2,Шевчук,Петро,Іванович,1948-02-28,male,,false\n"))
        .unwrap();
    let (code, text) = run(&["import", "--unit", "13101"], &people, &dir.path().join("people.errors.csv"));
    assert_eq!(code, Some(0), "{text}");

    let born_1950 = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
    let stranger = dossier_domain::ident::Rnokpp::compose(born_1950, 999, dossier_domain::person::Sex::Female).unwrap();
    let good = "1759013776,old_age,4 321.50,2014-09-01,bank,UA21 3223 1300 0002 6007 2335 6600 1,,,2021-02-01";
    let file = dir.path().join("paid.csv");
    let content = format!(
        "{}\n{good}\n{stranger},old_age,3000,2015-01-01,post,,01001,\"вул. Хрещатик, 1, Київ\",\n\
         1759013776,disability,2000,2016-01-01,post,,01001,\"вул. Хрещатик, 1, Київ\",\n\
         1759013770,old_age,0,2099-01-01,bank,,,,\n",
        dossier_domain::payment::PAID_HEADER
    );
    std::fs::write(&file, content).unwrap();
    let report = dir.path().join("paid.errors.csv");
    // Two rows a batch: the person's second row is in the second batch, and refused all the same.
    let (code, text) = run(&["import-pensions", "--batch", "2"], &file, &report);
    assert_eq!(code, Some(2), "some rows were rejected: {text}");
    assert!(text.contains("of pensions: 1 rows imported, 3 rejected"), "rows, not reasons: {text}");
    let report_text = std::fs::read_to_string(&report).unwrap();
    let named: Vec<&str> =
        report_text.lines().skip(1).map(|l| l.rsplit_once(",\"").map_or(l, |(named, _)| named)).collect();
    assert_eq!(named, ["3,rnokpp", "4,rnokpp", "5,amount", "5,iban", "5,rnokpp", "5,since"], "{report_text}");
    assert!(report_text.contains("No person with this RNOKPP is in the fund’s registry"), "{report_text}");
    assert!(!report_text.contains("1759013776") && !report_text.contains("Хрещатик"), "no row content in the report");

    let c = login(&server, "specialist2").await; // at a Lviv centre, as district 13101 is
    let (_, found) = c.get("/api/v1/persons?rnokpp=1759013776").await;
    let person = found["items"][0]["id"].as_str().expect("the person").to_owned();
    let (code, paid) = c.get(&format!("/api/v1/persons/{person}/pension")).await;
    assert_eq!(code, StatusCode::OK, "{paid}");
    assert_eq!((paid["amount"].as_i64(), paid["kind"].as_str()), (Some(432_150), Some("old_age")), "{paid}");
    assert_eq!(paid.get("e_application_id"), None, "paid before Dossier");

    // Limited to another district's people, the same person is as unknown as a stranger.
    let only = dir.path().join("only.csv");
    std::fs::write(&only, format!("{}\n{}\n", dossier_domain::payment::PAID_HEADER, good.replace("4 321.50", "5000")))
        .unwrap();
    let (code, text) = run(&["import-pensions", "--unit", "26102"], &only, &report);
    assert_eq!(code, Some(2), "{text}");
    assert!(std::fs::read_to_string(&report).unwrap().contains("2,rnokpp,"));
    // A file of another shape is refused before a row is read.
    std::fs::write(&only, "rnokpp,amount\n1759013776,1\n").unwrap();
    let (code, text) = run(&["import-pensions"], &only, &report);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains(dossier_domain::payment::PAID_HEADER), "the expected header is named: {text}");
    let (_, paid) = c.get(&format!("/api/v1/persons/{person}/pension")).await;
    assert_eq!(paid["amount"].as_i64(), Some(432_150), "unchanged by the refused files");
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
    // A public status look-up logs its outcome, never the number or the date of birth.
    let r = c
        .http
        .post(server.url("/api/v1/status"))
        .json(&json!({"number": "З-2026-0000777", "birth_date": "1948-02-28"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
    drop(server);
    let text = std::fs::read_to_string(&log).unwrap();
    assert!(text.contains("request"), "the log was captured: {} bytes", text.len());
    assert!(text.contains("status look-up"), "the look-up is in the access log");
    for secret in ["1759013776", "1759013770", "Шевчук", "Петро", "0000777", "1948-02-28"] {
        assert!(!text.contains(secret), "{secret} leaked into the log");
    }
}
