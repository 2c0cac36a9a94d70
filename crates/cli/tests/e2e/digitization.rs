//! Digitization over HTTP with real processes: the server's OCR workers run
//! the real Tesseract on a page Dossier renders and pdftoppm rasterises.
use std::process::Command;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

/// A taxpayer card rendered by Dossier and rasterised at `dpi` (PNG bytes).
pub(crate) fn scanned_card(dpi: u32) -> Option<Vec<u8>> {
    if Command::new("pdftoppm").arg("-v").output().is_err() || Command::new("tesseract").arg("-v").output().is_err() {
        assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but pdftoppm or tesseract is missing");
        return None;
    }
    let copy = dossier_pdf::DocumentCopy {
        title: "Картка платника податків".into(),
        fields: [
            ("Прізвище", "Шевчук"),
            ("Ім’я", "Олена"),
            ("Дата народження", "28.02.1948"),
            ("РНОКПП", "1759013776"),
        ]
        .iter()
        .map(|(l, v)| dossier_pdf::Field::new(*l, *v))
        .collect(),
        issuer_note: String::new(),
        stamp: dossier_pdf::Stamp { heading: "—".into(), lines: vec![] },
    };
    let created = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00+02:00").unwrap();
    let pdf = dossier_pdf::render_document_copy_at(&copy, created).unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("card.pdf"), pdf).unwrap();
    let status = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-png", "-singlefile"])
        .arg(dir.path().join("card.pdf"))
        .arg(dir.path().join("card"))
        .status()
        .unwrap();
    assert!(status.success());
    Some(std::fs::read(dir.path().join("card.png")).unwrap())
}

pub(crate) async fn upload(c: &Client, dossier: &str, kind: &str, pages: &[Vec<u8>]) -> (StatusCode, Value) {
    let mut form = reqwest::multipart::Form::new().text("kind", kind.to_owned());
    for p in pages {
        form = form.part("page", reqwest::multipart::Part::bytes(p.clone()).file_name("page.png"));
    }
    let r = c.req(reqwest::Method::POST, &format!("/api/v1/digitization/dossiers/{dossier}/documents")).multipart(form);
    let r = r.send().await.unwrap();
    let s = r.status();
    (s, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_scanned_card_is_coded_recognised_and_its_doubtful_fields_decided_by_a_person() {
    let Some(page) = scanned_card(300) else { return };
    let server = Server::start_configured("[digitization]\nagency_code = \"000.00.31.H29\"\nworkers = 2\n");
    let staff = login(&server, "specialist").await;

    // The counter opens dossiers: each takes the day's next number at this agency (the demo
    // data opened one already).
    let open = || staff.post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234"}));
    let (s, first) = open().await;
    assert_eq!(s, StatusCode::CREATED, "{first}");
    let (_, dossier) = open().await;
    let code = dossier["code"].as_str().unwrap().to_owned();
    let number = |c: &str| c.rsplit('-').next().unwrap().parse::<u32>().unwrap();
    assert!(code.starts_with("000.00.31.H29-") && code.len() == 25, "{code}");
    assert_eq!(number(&code), number(first["code"].as_str().unwrap()) + 1, "{code}");
    let id = dossier["id"].as_str().unwrap().to_owned();
    let (s, v) = staff.post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234; drop"})).await;
    assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("procedure")), "{v}");
    // An administrator does not digitize.
    let admin = login(&server, "admin").await;
    assert_eq!(
        admin.post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234"})).await.0,
        StatusCode::FORBIDDEN
    );

    // A page under 200 dpi, and a file that is no image, are refused with the reason; nothing is stored.
    let low = scanned_card(150).unwrap();
    let (s, v) = upload(&staff, &id, "ua-taxpayer-card", &[page.clone(), low]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["errors"][0]["field"], "pages[1]", "{v}");
    assert!(v["errors"][0]["en"].as_str().unwrap().contains("150"), "{v}");
    let (s, v) = upload(&staff, &id, "ua-taxpayer-card", &[b"%PDF-1.7 not a scan".to_vec()]).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    let (s, _) = upload(&staff, &id, "no-such-kind", std::slice::from_ref(&page)).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);

    // The card: the document's result code is the dossier's code and its ordinal.
    let card = page.clone();
    let (s, doc) = upload(&staff, &id, "ua-taxpayer-card", &[page]).await;
    assert_eq!(s, StatusCode::CREATED, "{doc}");
    assert_eq!(doc["result_code"], format!("{code}.KQ01"));
    assert_eq!(doc["status"], "recognising");
    let doc_id = doc["id"].as_str().unwrap().to_owned();

    // The same paper as a scanner's PDF (img2pdf): its page's image is taken out as the scan.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("card.png"), &card).unwrap();
    let made = Command::new("python3")
        .args(["-m", "img2pdf"])
        .arg(dir.path().join("card.png"))
        .arg("-o")
        .arg(dir.path().join("card.pdf"))
        .status()
        .is_ok_and(|s| s.success());
    assert!(made || std::env::var("CI").as_deref() != Ok("true"), "img2pdf is missing");
    if made {
        let pdf = std::fs::read(dir.path().join("card.pdf")).unwrap();
        let (s, v) = upload(&staff, &id, "ua-taxpayer-card", &[pdf]).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
        assert_eq!((v["pages"].as_u64(), v["result_code"].as_str()), (Some(1), Some(format!("{code}.KQ02").as_str())));
    }

    // The workers read it; fields printed on it are accepted as read, the one that is not waits.
    let started = Instant::now();
    let view = loop {
        let (_, v) = staff.get(&format!("/api/v1/digitization/documents/{doc_id}")).await;
        if v["document"]["status"] != "recognising" {
            break v;
        }
        assert!(started.elapsed() < Duration::from_secs(90), "still recognising: {v}");
        tokio::time::sleep(Duration::from_millis(300)).await;
    };
    assert_eq!(view["document"]["status"], "review", "{view:#}");
    let field = |name: &str| view["fields"].as_array().unwrap().iter().find(|f| f["field"] == name).unwrap().clone();
    for (name, value) in [("surname", "Шевчук"), ("rnokpp", "1759013776"), ("birth_date", "1948-02-28")] {
        let f = field(name);
        assert_eq!((f["value"].as_str(), f["status"].as_str()), (Some(value), Some("accepted")), "{f}");
        assert!(f["place"]["bbox"]["width"].as_u64().unwrap() > 0, "{f}");
    }
    assert_eq!(field("patronymic")["status"], "review");
    // It waits in the office's review queue, and the reviewer sees the page the field is on.
    let (_, queue) = staff.get("/api/v1/digitization/review").await;
    assert!(queue["items"].as_array().unwrap().iter().any(|d| d["id"] == doc_id.as_str()), "{queue}");
    let r = staff
        .req(reqwest::Method::GET, &format!("/api/v1/digitization/documents/{doc_id}/pages/1"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.headers()["content-type"], "image/png");
    assert!(r.bytes().await.unwrap().starts_with(b"\x89PNG"));
    let r = staff
        .req(reqwest::Method::GET, &format!("/api/v1/digitization/documents/{doc_id}/pages/2"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);

    // A person decides: typed values are checked; what was accepted is not in review.
    let decide = |f: &str, body: Value| {
        let path = format!("/api/v1/digitization/documents/{doc_id}/fields/{f}");
        let staff = &staff;
        async move { staff.post(&path, body).await }
    };
    let (s, v) = decide("patronymic", json!({"value": "Петрівна1"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(decide("surname", json!({})).await.0, StatusCode::CONFLICT);
    assert_eq!(decide("no_such_field", json!({})).await.0, StatusCode::NOT_FOUND);
    let mut pending: Vec<String> = view["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "review")
        .map(|f| f["field"].as_str().unwrap().to_owned())
        .collect();
    pending.sort();
    // The reviewer's page shows where each field was read and puts the focus on the first to check;
    // the web form confirms or corrects as the API does.
    let page =
        staff.req(reqwest::Method::GET, &format!("/digitization/documents/{doc_id}?lang=en")).send().await.unwrap();
    let html = page.text().await.unwrap();
    let located = view["fields"].as_array().unwrap().iter().any(|f| f["status"] == "review" && f["place"].is_object());
    let cropped = html.contains(&format!("/api/v1/digitization/documents/{doc_id}/pages/1")) && html.contains("<svg");
    assert_eq!(cropped, located, "a field read somewhere is shown where: {html}");
    assert!(html.contains("Petr") || html.contains("Patronymic"), "the fields table: {html}");
    assert_eq!(html.matches("autofocus").count(), 1, "one field has the focus");
    let r = staff
        .req(reqwest::Method::POST, &format!("/digitization/documents/{doc_id}/fields/patronymic"))
        .form(&[("csrf", staff.csrf.as_str()), ("value", "Петрівна")])
        .send()
        .await
        .unwrap();
    assert_eq!((r.status(), r.url().path()), (StatusCode::OK, format!("/digitization/documents/{doc_id}").as_str()));
    pending.retain(|f| f != "patronymic");
    for f in &pending {
        let value = match f.as_str() {
            "patronymic" => json!({"value": "Петрівна"}),
            "given_name" => json!({"value": "Олена"}),
            other => panic!("unexpected field in review: {other}: {view:#}"),
        };
        let (s, v) = decide(f, value).await;
        assert_eq!((s, v["status"].as_str()), (StatusCode::OK, Some("corrected")), "{v}");
        assert_eq!(v["decided_by"], "specialist");
    }
    let (_, v) = staff.get(&format!("/api/v1/digitization/documents/{doc_id}")).await;
    assert_eq!(v["document"]["status"], "ready", "{v:#}");

    // The settled fields are reusable: registering the person takes them, and the person's
    // history keeps which came from which page of the paper and who settled them.
    let (s, draft) = staff.get(&format!("/api/v1/digitization/documents/{doc_id}/person-draft")).await;
    assert_eq!(s, StatusCode::OK, "{draft}");
    let taken = |f: &str| draft["taken"].as_array().unwrap().iter().find(|t| t["field"] == f).cloned();
    let rnokpp = taken("rnokpp").expect("the RNOKPP is offered");
    assert_eq!((rnokpp["value"].as_str(), rnokpp["page"].as_u64()), (Some("1759013776"), Some(1)), "{draft}");
    assert_eq!(rnokpp["status"], "accepted");
    let patronymic = taken("patronymic").expect("the corrected patronymic is offered");
    assert_eq!(
        (patronymic["status"].as_str(), patronymic["decided_by"].as_str()),
        (Some("corrected"), Some("specialist"))
    );
    let form = staff
        .req(reqwest::Method::GET, &format!("/persons/new?from={doc_id}&lang=en"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(form.contains("value=\"1759013776\"") && form.contains(&format!("{code}.KQ01")), "{form}");
    let mut person = json!({"from_document": doc_id, "sex": "male"});
    for t in draft["taken"].as_array().unwrap() {
        person[t["field"].as_str().unwrap()] = t["value"].clone();
    }
    // The clerk retypes the given name: that value is the clerk's, not the paper's.
    person["given_name"] = json!("Олег");
    let (s, created) = staff.post("/api/v1/persons", person).await;
    assert_eq!(s, StatusCode::CREATED, "{created}");
    let person_id = created["id"].as_str().unwrap().to_owned();
    let (_, history) = staff.get(&format!("/api/v1/persons/{person_id}/history")).await;
    let entry = history.as_array().unwrap().iter().find(|e| e["action"] == "person.from_paper").expect("provenance");
    let details: Value = serde_json::from_str(entry["details"].as_str().unwrap()).unwrap();
    assert_eq!(details["result_code"], format!("{code}.KQ01"));
    let from: Vec<&str> = details["fields"].as_array().unwrap().iter().map(|f| f["field"].as_str().unwrap()).collect();
    assert!(from.contains(&"rnokpp") && from.contains(&"patronymic") && !from.contains(&"given_name"), "{details}");
    // The dossier had no person: it is theirs now, and their record lists the paper.
    let html =
        staff.req(reqwest::Method::GET, &format!("/persons/{person_id}")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("{code}.KQ01")), "{html}");

    // Its recognised text is searchable in the office's scope, whatever the case.
    let (s, found) = staff.get("/api/v1/digitization/search?q=%D0%A8%D0%95%D0%92%D0%A7%D0%A3%D0%9A").await;
    assert_eq!(s, StatusCode::OK, "{found}");
    assert!(found["items"].as_array().unwrap().iter().any(|d| d["id"] == doc_id.as_str()), "{found}");
    let (s, _) = staff.get("/api/v1/digitization/search?q=%20").await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    let lviv = login(&server, "specialist2").await;
    let (_, none) = lviv.get("/api/v1/digitization/search?q=shevchuk%20%D1%88%D0%B5%D0%B2%D1%87%D1%83%D0%BA").await;
    assert!(none["items"].as_array().unwrap().is_empty(), "another office's scope: {none}");
    let page = staff.req(reqwest::Method::GET, "/digitization/review?q=1759013776").send().await.unwrap();
    assert!(page.text().await.unwrap().contains(&code), "the search page lists the document");

    // The fixity check re-reads every stored scan: all intact, then every blob altered on disk.
    // The result: the scan as a searchable PDF/A signed by the fund's document seal; poppler
    // reads the recognised text out of it and finds the signature valid, qpdf finds no error.
    let resp = staff
        .req(reqwest::Method::GET, &format!("/api/v1/digitization/documents/{doc_id}/result"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/pdf");
    let pdf = resp.bytes().await.unwrap().to_vec();
    let file = server.data().join("result.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = Command::new("pdftotext").arg(&file).arg("-").output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("1759013776") && text.contains(&format!("{code}.KQ01")), "{text}");
    let sig = Command::new("pdfsig").arg(&file).output().unwrap();
    let sig = String::from_utf8_lossy(&sig.stdout);
    assert!(sig.contains("Signature is Valid"), "{sig}");
    let check = Command::new("qpdf").arg("--check").arg(&file).output().unwrap();
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let (_, view) = staff.get(&format!("/api/v1/digitization/documents/{doc_id}")).await;
    assert_eq!(view["document"]["result"]["sha256"].as_str().map(str::len), Some(64), "{view:#}");
    std::fs::remove_file(&file).unwrap();

    let data = server.data().to_str().unwrap().to_owned();
    let config = [("DOSSIER_CONFIG", server.config.display().to_string())];
    let intact = dossier_ok(&["digitization", "fixity", "--data-dir", &data], &config);
    assert!(intact.contains("0 changed or missing"), "{intact}");
    if !embedded_store_only("every stored blob altered on disk, then the fixity pass") {
        return;
    }
    let mut altered = 0;
    let mut dirs = vec![server.data().join("blobs")];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                dirs.push(path);
            } else {
                let mut bytes = std::fs::read(&path).unwrap();
                if let Some(last) = bytes.last_mut() {
                    *last ^= 0x01;
                    std::fs::write(&path, bytes).unwrap();
                    altered += 1;
                }
            }
        }
    }
    assert!(altered > 0);
    let out = Command::new(bin()).args(["digitization", "fixity", "--data-dir", &data]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{text}");
    assert!(text.contains(&format!("document {doc_id} page 1")), "{text}");
    assert!(text.contains(&format!("document {doc_id} signed result")), "{text}");
}

#[tokio::test]
async fn a_scanner_s_folder_adds_documents_to_the_dossier_its_code_names_and_refuses_with_a_reason() {
    let Some(page) = scanned_card(300) else { return };
    let watch = tempfile::tempdir().unwrap();
    let toml = format!(
        "[digitization]\nagency_code = \"000.00.31.H29\"\nworkers = 0\nwatch = \"{}\"\nwatch_login = \"postal\"\n",
        watch.path().display()
    );
    let server = Server::start_configured(&toml);
    let postal = login(&server, "postal").await;
    let (s, dossier) = postal.post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234"})).await;
    assert_eq!(s, StatusCode::CREATED, "{dossier}");
    let code = dossier["code"].as_str().unwrap().to_owned();
    let kind_dir = watch.path().join(&code).join("ua-taxpayer-card");
    std::fs::create_dir_all(&kind_dir).unwrap();
    std::fs::write(kind_dir.join("card.png"), &page).unwrap();
    std::fs::write(kind_dir.join("junk.png"), b"not an image").unwrap();
    let unknown = watch.path().join("000.00.31.H29-200101-0001").join("ua-taxpayer-card");
    std::fs::create_dir_all(&unknown).unwrap();
    std::fs::write(unknown.join("card.png"), &page).unwrap();
    let started = Instant::now();
    while kind_dir.join("card.png").exists() || kind_dir.join("junk.png").exists() || unknown.join("card.png").exists()
    {
        assert!(started.elapsed() < Duration::from_secs(30), "the folder was not swept");
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // The card is a document of the dossier; the taken file is gone (the scan lives encrypted).
    let html = postal.req(reqwest::Method::GET, &format!("/digitization/dossiers/{}", dossier["id"].as_str().unwrap()));
    let html = html.send().await.unwrap().text().await.unwrap();
    assert!(html.contains(&format!("{code}.KQ01")), "{html}");
    // The junk and the file for an unknown dossier wait in .refused with their reasons.
    let refused = watch.path().join(".refused");
    let reason =
        std::fs::read_to_string(refused.join(&code).join("ua-taxpayer-card").join("junk.png.reason.txt")).unwrap();
    assert!(reason.contains("not a PNG, JPEG or TIFF"), "{reason}");
    assert!(refused.join("000.00.31.H29-200101-0001").join("ua-taxpayer-card").join("card.png.reason.txt").exists());
    assert_eq!(std::fs::read_dir(watch.path().join(".taking")).unwrap().count(), 0, "nothing left half-taken");
}

/// The receipt of a Vietnamese office: its QR code, rendered by poppler and
/// read by zbar (neither ours), carries the dossier code, procedure,
/// applicant, papers, issuing system and time as JSON; the PDF is a signed
/// PDF/A that qpdf and pdfsig accept. The dossier opened from a person's
/// record lists its papers there; another office cannot print it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn spec_2_5_the_receipt_s_qr_code_carries_dossier_procedure_applicant_papers_system_and_time() {
    let server = Server::start_configured(
        "[digitization]\nagency_code = \"000.00.31.H29\"\nworkers = 0\nlanguage = \"vi\"\nclock = \"+07:00\"\n",
    );
    let staff = login(&server, "specialist").await;
    let (_, people) = staff.get("/api/v1/persons?limit=1").await;
    let person = people["items"][0]["id"].as_str().unwrap().to_owned();
    let (s, v) = staff
        .post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234", "person_id": person, "applicant": "12"}))
        .await;
    assert_eq!((s, v["errors"][0]["field"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("applicant")), "{v}");
    let body = json!({"procedure": "1.001234", "person_id": person, "applicant": "001 089 012 345"});
    let (s, dossier) = staff.post("/api/v1/digitization/dossiers", body).await;
    assert_eq!(s, StatusCode::CREATED, "{dossier}");
    assert_eq!(dossier["applicant"], "001089012345");
    let id = dossier["id"].as_str().unwrap().to_owned();
    let code = dossier["code"].as_str().unwrap().to_owned();
    let sheet = dossier_scan_sheet();
    for kind in ["vn-citizen-id-card", "vn-insurance-book"] {
        let (s, v) = upload(&staff, &id, kind, std::slice::from_ref(&sheet)).await;
        assert_eq!(s, StatusCode::CREATED, "{v}");
    }
    let (s, v) = staff.get(&format!("/api/v1/digitization/dossiers/{id}")).await;
    assert_eq!((s, v["documents"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)), "{v}");

    let r =
        staff.req(reqwest::Method::GET, &format!("/api/v1/digitization/dossiers/{id}/receipt")).send().await.unwrap();
    assert_eq!((r.status(), r.headers()["content-type"].to_str().unwrap()), (StatusCode::OK, "application/pdf"));
    let pdf = r.bytes().await.unwrap();
    let file = server.data().join("dossier-receipt.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let path = file.to_str().unwrap();
    let Some(text) = tool_output("pdftotext", &[path, "-"]) else { return };
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("Giấy tiếp nhận hồ sơ số hóa") && text.contains(&format!("{code}.KQ02")), "{text}");
    let check = tool_output("qpdf", &["--check", path]).unwrap();
    assert!(check.status.success(), "{}", out_text(&check));
    let sig = tool_output("pdfsig", &[path]).unwrap();
    assert!(out_text(&sig).contains("Signature is Valid"), "{}", out_text(&sig));
    let png = server.data().join("dossier-receipt");
    let out = tool_output("pdftoppm", &["-r", "200", "-png", "-singlefile", path, png.to_str().unwrap()]).unwrap();
    assert!(out.status.success(), "{}", out_text(&out));
    let png = server.data().join("dossier-receipt.png");
    let Some(out) = tool_output("zbarimg", &["--raw", "-q", png.to_str().unwrap()]) else { return };
    assert!(out.status.success(), "zbarimg found no code: {}", out_text(&out));
    let read: Value = serde_json::from_slice(out.stdout.trim_ascii()).unwrap();
    assert_eq!(read["dossier_code"], code.as_str(), "{read}");
    assert_eq!(read["procedure"], "1.001234");
    assert_eq!(read["applicant_id"], "001089012345");
    assert_eq!(read["documents"], json!(["Thẻ căn cước công dân", "Sổ bảo hiểm xã hội"]), "{read}");
    assert!(read["system"].as_str().unwrap().starts_with("Dossier"), "{read}");
    assert!(read["issued_at"].as_str().unwrap().ends_with("+07:00"), "{read}");

    // The person's record lists the papers digitized for them, and links the counter.
    let html =
        staff.req(reqwest::Method::GET, &format!("/persons/{person}")).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains(&format!("{code}.KQ01")) && html.contains(&format!("/digitization?person={person}")),
        "{html}"
    );
    // Another office sees neither the dossier nor its receipt.
    let lviv = login(&server, "specialist2").await;
    for path in [format!("/api/v1/digitization/dossiers/{id}"), format!("/api/v1/digitization/dossiers/{id}/receipt")] {
        assert_eq!(
            lviv.req(reqwest::Method::GET, &path).send().await.unwrap().status(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
}

/// A blank A4 page at 300 dpi: enough to be a paper (the test reads the receipt, not the page).
fn dossier_scan_sheet() -> Vec<u8> {
    let blank = dossier_scan::Raster { width: 2480, height: 3508, grey: true, pixels: vec![250; 2480 * 3508] };
    dossier_scan::upright::encode_png(&blank, 300.0)
}
