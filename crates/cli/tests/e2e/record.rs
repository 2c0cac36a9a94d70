//! The pension record end to end: an employer's report over the API (taken
//! whole, or refused row by row with nothing written), the person's record,
//! and the citizen who reads theirs in the account, reports a mistake and
//! reads the staff's answer.

use reqwest::StatusCode;
use reqwest::header::COOKIE;
use serde_json::{Value, json};

use crate::account::{browser, hidden_fields, set_cookie, start_login, through_the_hub};
use crate::support::*;

const EMPLOYER: &str = "37567646";

async fn post_csv(c: &Client, path: &str, body: &str) -> (StatusCode, Value) {
    let r = c
        .req(reqwest::Method::POST, path)
        .header("content-type", "text/csv")
        .body(body.to_owned())
        .send()
        .await
        .unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_employer_report_lands_whole_or_not_at_all_and_the_person_s_record_shows_it() {
    let server = Server::start();
    let regional = login(&server, "regional").await;
    let specialist = login(&server, "specialist").await;
    let district = unit_id(&units(&specialist).await, "26101");
    let birth = chrono::NaiveDate::from_ymd_opt(1985, 6, 1).unwrap();
    let rnokpp = dossier_domain::ident::Rnokpp::compose(birth, 414, dossier_domain::person::Sex::Female).unwrap();
    let (s, person) = specialist
        .post(
            "/api/v1/persons",
            json!({"unit_id": district, "rnokpp": rnokpp.as_str(), "surname": "Гончар", "given_name": "Ліна",
                   "patronymic": "Петрівна", "birth_date": birth.to_string(), "sex": "female"}),
        )
        .await;
    assert_eq!(s, StatusCode::CREATED, "{person}");
    let pid = person["id"].as_str().unwrap();
    let path = format!("/api/v1/employers/{EMPLOYER}/reports");
    let good = format!(
        "rnokpp,month,wage,contribution,hired,dismissed\n\
         {r},2025-01,20000.00,4400.00,2025-01-13,\n{r},2025-02,20000,4400,,\n{r},2025-03,21000.50,4620.11,,2025-03-31\n",
        r = rnokpp.as_str()
    );

    // Employers are registered first; a specialist may do neither.
    assert_eq!(post_csv(&regional, &path, &good).await.0, StatusCode::UNPROCESSABLE_ENTITY, "unknown employer");
    let (s, _) = specialist.put(&format!("/api/v1/employers/{EMPLOYER}"), json!({"name": "ТОВ «Зоря»"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, bad) = regional.put("/api/v1/employers/37567647", json!({"name": "x"})).await;
    assert_eq!(
        (s, problem_fields(&bad)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("code".into(), "record.employer_checksum".into())])
    );
    let (s, e) = regional.put(&format!("/api/v1/employers/{EMPLOYER}"), json!({"name": "ТОВ «Зоря»"})).await;
    assert_eq!(s, StatusCode::OK, "{e}");

    // A bad report: every bad row named, nothing written.
    let stranger = dossier_domain::ident::Rnokpp::compose(birth, 416, dossier_domain::person::Sex::Female).unwrap();
    let bad = format!(
        "rnokpp,month,wage,contribution\n{r},2025-13,1,1\n{s},2025-04,1,1\n{r},2025-04,-3,1\n{r},2099-01,1,1\n",
        r = rnokpp.as_str(),
        s = stranger.as_str()
    );
    let (s, p) = post_csv(&regional, &path, &bad).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{p}");
    let mut fields: Vec<String> = problem_fields(&p).into_iter().map(|(f, _)| f).collect();
    fields.sort();
    assert_eq!(fields, ["rows[2].month", "rows[4].wage", "rows[5].month"], "{p}");
    // The stranger's row is judged by the store once the file parses: then it is the only problem.
    let only_stranger = format!(
        "rnokpp,month,wage,contribution\n{r},2025-04,1,1\n{s},2025-04,1,1\n",
        r = rnokpp.as_str(),
        s = stranger.as_str()
    );
    let (s, p) = post_csv(&regional, &path, &only_stranger).await;
    assert_eq!(
        (s, problem_fields(&p)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("rows[3].rnokpp".into(), "record.unknown_person".into())])
    );
    for (body, why) in
        [("", "empty"), ("rnokpp,month,wage\n", "a missing column"), ("rnokpp,month,wage,contribution\n", "no rows")]
    {
        assert_eq!(post_csv(&regional, &path, body).await.0, StatusCode::UNPROCESSABLE_ENTITY, "{why}");
    }
    let (_, record) = regional.get(&format!("/api/v1/persons/{pid}/record")).await;
    assert_eq!(record["years"], json!([]), "nothing written: {record}");
    let as_json = regional.req(reqwest::Method::POST, &path).json(&json!({"rows": []})).send().await.unwrap();
    assert_eq!(as_json.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);

    // The good one: a period hired → dismissed, three months summed.
    let (s, receipt) = post_csv(&regional, &path, &good).await;
    assert_eq!(s, StatusCode::CREATED, "{receipt}");
    assert_eq!((receipt["rows"].as_i64(), receipt["periods_opened"].as_i64()), (Some(3), Some(1)));
    // The same report again: every month is already there.
    let (s, p) = post_csv(&regional, &path, &good).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        problem_fields(&p).iter().all(|(_, k)| k == "record.month_already_reported" || k == "record.period_overlaps"),
        "{p}"
    );
    let (s, record) = specialist.get(&format!("/api/v1/persons/{pid}/record")).await;
    assert_eq!(s, StatusCode::OK);
    assert_eq!(record["periods"][0]["from"], "2025-01-13");
    assert_eq!(record["periods"][0]["to"], "2025-03-31");
    assert_eq!(record["years"][0]["wage"], 6_100_050);
    assert_eq!(record["years"][0]["contribution"], 1_342_011);
    assert_eq!(record["length"], json!({"years": 0, "months": 2, "days": 19}));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_citizen_reads_their_record_reports_a_mistake_and_reads_the_answer() {
    let server = Server::start();
    let citizen = server.wallet_login.clone().expect("a demo wallet login the fund knows");
    let http = browser();
    let (cookie, authorize) = start_login(&http, &server.base).await;
    let back = through_the_hub(&http, &server.hub, &authorize, &citizen).await;
    let resp = http.get(&back).header(COOKIE, &cookie).send().await.unwrap();
    let session = set_cookie(&resp, "__Host-dossier-citizen").expect("signed in");
    let get = |path: String| http.get(path).header(COOKIE, &session).header("accept-language", "uk").send();
    let html = get(format!("{}/account", server.base)).await.unwrap().text().await.unwrap();
    assert!(html.contains("Пенсійний облік") && html.contains("Страховий стаж"), "the demo's record is shown");
    assert!(html.contains("ТОВ «Світанок»") || html.contains("ПП «Калина»") || html.contains("КП «Міськсвітло»"));
    let form = html.split("action=\"/account/record/mistake\"").nth(1).expect("the mistake form");
    let fields = hidden_fields(form.split("</form>").next().unwrap());
    let csrf = fields.iter().find(|(k, _)| k == "csrf").unwrap().1.clone();
    let post = |form: Vec<(&'static str, String)>| {
        http.post(format!("{}/account/record/mistake", server.base)).header(COOKIE, &session).form(&form).send()
    };

    // Refused: no text, an impossible year, another person's record, a forged CSRF token.
    let empty =
        post(vec![("csrf", csrf.clone()), ("for", String::new()), ("year", String::new()), ("text", " ".into())])
            .await
            .unwrap();
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let year =
        post(vec![("csrf", csrf.clone()), ("for", String::new()), ("year", "1812".into()), ("text", "x".into())])
            .await
            .unwrap();
    assert_eq!(year.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other = post(vec![
        ("csrf", csrf.clone()),
        ("for", "00000000-0000-0000-0000-000000000001".into()),
        ("year", String::new()),
        ("text", "чужий облік".into()),
    ])
    .await
    .unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND);
    let forged =
        post(vec![("csrf", "forged".into()), ("for", String::new()), ("year", String::new()), ("text", "x".into())])
            .await
            .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let sent = post(vec![
        ("csrf", csrf.clone()),
        ("for", String::new()),
        ("year", "1995".into()),
        ("text", "У 1995 році я працювала ще й за сумісництвом".into()),
    ])
    .await
    .unwrap();
    assert_eq!(sent.status(), StatusCode::OK);
    assert!(sent.text().await.unwrap().contains("Звернення розглядається"));

    // Staff of the citizen's district answer it; the citizen reads the answer.
    let auditor = login(&server, "auditor").await;
    let (_, found) = auditor.get(&format!("/api/v1/persons?rnokpp={citizen}")).await;
    let unit = found["items"][0]["unit_id"].as_i64().unwrap();
    let all_units = units(&auditor).await;
    let code = all_units.iter().find(|u| u["id"].as_i64() == Some(unit)).unwrap()["code"].as_str().unwrap().to_owned();
    let o = server
        .command()
        .args(["user-add", "--login", "records.officer", "--name", "Олена Стасюк", "--role", "district_officer"])
        .args(["--unit", &code, "--data-dir"])
        .arg(server.data())
        .env("DOSSIER_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out_text(&o));
    let officer = login(&server, "records.officer").await;
    let (s, open) = officer.get("/api/v1/record/corrections").await;
    assert_eq!(s, StatusCode::OK);
    let case = open.as_array().unwrap().iter().find(|c| c["year"] == 1995).expect("the citizen's report").clone();
    let id = case["id"].as_str().unwrap();
    let (s, _) = officer.post(&format!("/api/v1/record/corrections/{id}/resolve"), json!({"answer": ""})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let answer = "Звіт за сумісництвом отримано, облік доповнено";
    let (s, done) = officer.post(&format!("/api/v1/record/corrections/{id}/resolve"), json!({"answer": answer})).await;
    assert_eq!((s, done["status"].as_str()), (StatusCode::OK, Some("resolved")));
    let (s, _) = officer.post(&format!("/api/v1/record/corrections/{id}/resolve"), json!({"answer": answer})).await;
    assert_eq!(s, StatusCode::CONFLICT, "answered once");
    // Staff whose scope does not hold the person's office neither see nor answer it.
    let outsider = login(&server, "specialist2").await;
    let (_, me) = outsider.get("/api/v1/me").await;
    let unit_path =
        all_units.iter().find(|u| u["id"].as_i64() == Some(unit)).unwrap()["path"].as_str().unwrap_or("").to_owned();
    let scope = me["scope"].as_str().unwrap().to_owned();
    assert!(!unit_path.is_empty() && !scope.is_empty(), "{me}");
    if !unit_path.starts_with(&scope) {
        let (_, theirs) = outsider.get("/api/v1/record/corrections?open=false").await;
        assert!(theirs.as_array().unwrap().iter().all(|c| c["id"] != id), "{theirs}");
        let (s, _) = outsider.post(&format!("/api/v1/record/corrections/{id}/resolve"), json!({"answer": "x"})).await;
        assert!(s == StatusCode::NOT_FOUND || s == StatusCode::FORBIDDEN, "{s}");
    }
    let html = get(format!("{}/account", server.base)).await.unwrap().text().await.unwrap();
    assert!(html.contains(answer), "the citizen reads the answer");

    // §5: a statement of the individual account at once — signed, with a code and a QR anyone can check.
    let statement = |csrf: String, acting_for: String| {
        http.post(format!("{}/account/statement", server.base))
            .header(COOKIE, &session)
            .form(&[("csrf", csrf), ("for", acting_for)])
            .send()
    };
    // The statement of the insurance record lists its periods with their employers.
    let periods = http
        .post(format!("{}/account/statement", server.base))
        .header(COOKIE, &session)
        .form(&[("csrf", csrf.clone()), ("for", String::new()), ("kind", "insurance_record".into())])
        .send()
        .await
        .unwrap();
    assert_eq!(periods.status(), StatusCode::OK);
    let periods_pdf = server.data().join("insurance-record.pdf");
    std::fs::write(&periods_pdf, periods.bytes().await.unwrap()).unwrap();
    if let Some(o) = tool_output("pdftotext", &[periods_pdf.to_str().unwrap(), "-"]) {
        let text = String::from_utf8_lossy(&o.stdout).into_owned();
        assert!(text.contains("Довідка про страховий стаж") || text.contains("insurance record"), "{text}");
        assert!(["Світанок", "Калина", "Міськсвітло"].iter().any(|e| text.contains(e)), "the employers: {text}");
    }
    assert_eq!(statement("forged".into(), String::new()).await.unwrap().status(), StatusCode::FORBIDDEN);
    let other = statement(csrf.clone(), "00000000-0000-0000-0000-000000000001".into()).await.unwrap();
    assert_eq!(other.status(), StatusCode::NOT_FOUND, "nobody else's statement");
    let r = statement(csrf.clone(), String::new()).await.unwrap();
    assert_eq!((r.status(), r.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    let pdf = r.bytes().await.unwrap();
    let file = server.data().join("statement.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let path = file.to_str().unwrap();
    let Some(text) = tool_output("pdftotext", &[path, "-"]) else { return };
    let text = String::from_utf8_lossy(&text.stdout).into_owned();
    assert!(text.contains(&citizen), "the statement names the person by RNOKPP: {text}");
    let code = text
        .split_whitespace()
        .find(|w| w.len() == 11 && w.as_bytes()[5] == b'-' && w.bytes().all(|b| b == b'-' || b.is_ascii_alphanumeric()))
        .expect("the verification code on the paper")
        .to_owned();
    assert!(tool_output("qpdf", &["--check", path]).unwrap().status.success());
    let sig = tool_output("pdfsig", &[path]).unwrap();
    assert!(out_text(&sig).contains("Signature is Valid"), "{}", out_text(&sig));
    // Signed for the long term: the validation data inside, under a document time-stamp.
    let specialist = login(&server, "specialist").await;
    let r = specialist.req(reqwest::Method::POST, "/api/v1/signatures/verify-pdf").body(pdf.to_vec()).send().await;
    let report: Value = r.unwrap().json().await.unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED", "{report:#}");
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{report:#}");
    // The code's QR is in the mark at the end: every page rendered, the QR read from whichever holds it.
    let pages = server.data().join("statement-pages");
    std::fs::create_dir_all(&pages).unwrap();
    let prefix = pages.join("p");
    let out = tool_output("pdftoppm", &["-r", "200", "-png", path, prefix.to_str().unwrap()]).unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    let link = std::fs::read_dir(&pages)
        .unwrap()
        .flatten()
        .filter_map(|e| tool_output("zbarimg", &["--raw", "-q", e.path().to_str().unwrap()]))
        .map(|o| String::from_utf8_lossy(o.stdout.trim_ascii()).into_owned())
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    assert!(link.starts_with(&format!("{}/verify?code=", server.base)), "{link}");
    // The public check: by the QR's link, by the code typed loosely; the original is the same file.
    let checked = reqwest::get(&link).await.unwrap();
    assert_eq!(checked.status(), StatusCode::OK);
    let page = checked.text().await.unwrap();
    assert!(page.contains("/verify/document?code="), "{page}");
    let loose = code.to_lowercase().replace('-', " ");
    let original =
        reqwest::get(server.url(&format!("/verify/document?code={}", loose.replace(' ', "%20")))).await.unwrap();
    assert_eq!(original.bytes().await.unwrap(), pdf, "the original, byte for byte");
    let wrong = reqwest::get(server.url("/verify?code=ZZZZZ-ZZZZZ")).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::NOT_FOUND);
    let garbage = reqwest::get(server.url("/verify?code=%3Cscript%3E")).await.unwrap();
    assert_eq!(garbage.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
