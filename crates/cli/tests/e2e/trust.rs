//! Trust services through the CLI and HTTP: signing, verifying, encryption,
//! the certification centre and its commands, time-stamps, long-term signatures.
use std::path::Path;
use std::process::Command;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::*;

#[test]
fn cli_signs_verifies_encrypts_and_decrypts_with_honest_exit_codes() {
    use dossier_crypto::container::PinContainer;
    use dossier_crypto::testing::TestPki;
    use dossier_crypto::x509::{CertProfile, to_pem};

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let pki = TestPki::new().unwrap();
    let signer = pki.party("Specialist Signer", CertProfile::DocumentSigning).unwrap();
    let fund = pki.party("Fund Intake", CertProfile::AgencyEncryption).unwrap();
    let write = |name: &str, bytes: &[u8]| std::fs::write(p.join(name), bytes).unwrap();
    write("root.pem", to_pem(&pki.root.certificate).unwrap().as_bytes());
    write("issuing.pem", to_pem(&pki.issuing.certificate).unwrap().as_bytes());
    write("signer.pem", to_pem(&signer.certificate).unwrap().as_bytes());
    write("fund.pem", to_pem(&fund.certificate).unwrap().as_bytes());
    let seal = |k| PinContainer::seal_with_iterations(k, "2468", 3, 10_000).unwrap().encrypted_pkcs8_pem;
    write("signer.key", seal(&signer.key).as_bytes());
    write("fund.key", seal(&fund.key).as_bytes());
    write("in.pdf", &dossier_crypto::pades::testpdf::minimal_pdf("Statement of pension record"));

    let signing = ["--key", "signer.key", "--cert", "signer.pem", "--chain", "issuing.pem"];
    let (code, _, err) = dossier_with_pin(
        p,
        "2468",
        &[&["sign", "pdf", "in.pdf", "out.pdf"][..], &signing, &["--reason", "Copy"]].concat(),
    );
    assert_eq!(code, 0, "{err}");
    let (code, _, err) = dossier_with_pin(p, "0000", &[&["sign", "pdf", "in.pdf", "x.pdf"][..], &signing].concat());
    assert_ne!(code, 0);
    assert!(err.contains("wrong PIN"), "{err}");
    // A plain (unencrypted) PKCS#8 key is named as such, not taken for a wrong PIN.
    // (The file is judged by its PEM label, before any PIN is asked for.)
    write(
        "plain.key",
        b"-----BEGIN PRIVATE KEY-----\nMEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQc=\n-----END PRIVATE KEY-----\n",
    );
    let plain_signing = ["--key", "plain.key", "--cert", "signer.pem", "--chain", "issuing.pem"];
    let (code, _, err) =
        dossier_with_pin(p, "2468", &[&["sign", "pdf", "in.pdf", "y.pdf"][..], &plain_signing].concat());
    assert_ne!(code, 0);
    assert!(err.contains("unencrypted private key") && !err.contains("wrong PIN"), "{err}");

    let verify = ["verify", "pdf", "out.pdf", "--trust", "root.pem", "--revocation", "skip"];
    let (code, out, _) = dossier_with_pin(p, "", &verify);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("Усі підписи дійсні"), "{out}");
    assert!(out.contains("Specialist Signer"), "{out}");
    let (code, out, _) = dossier_with_pin(p, "", &[&verify[..], &["--lang", "en", "--json"]].concat());
    assert_eq!(code, 0);
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED");
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-B");
    // Revocation required but no CRL given: INDETERMINATE, exit 2.
    let (code, out, _) = dossier_with_pin(p, "", &["verify", "pdf", "out.pdf", "--trust", "root.pem", "--lang", "en"]);
    assert_eq!(code, 2, "{out}");
    assert!(out.contains("TRY_LATER"), "{out}");
    // One byte changed inside the signed range: TOTAL-FAILED, exit 1.
    let mut signed = std::fs::read(p.join("out.pdf")).unwrap();
    let at = signed.windows(9).position(|w| w == b"Statement").unwrap();
    signed[at] ^= 0x20;
    write("tampered.pdf", &signed);
    let (code, out, _) =
        dossier_with_pin(p, "", &["verify", "pdf", "tampered.pdf", "--trust", "root.pem", "--revocation", "skip"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("Документ змінено після підписання"), "{out}");
    // Not a PDF at all: the check cannot run, exit 3.
    write("junk.pdf", b"not a pdf");
    let (code, _, _) = dossier_with_pin(p, "", &["verify", "pdf", "junk.pdf", "--trust", "root.pem"]);
    assert_eq!(code, 3);

    // CMS attached: the content comes back out.
    write("meta.json", br#"{"requestId":"r-1"}"#);
    let (code, _, err) =
        dossier_with_pin(p, "2468", &[&["sign", "cms", "meta.json", "meta.p7m"][..], &signing].concat());
    assert_eq!(code, 0, "{err}");
    let (code, out, _) = dossier_with_pin(
        p,
        "",
        &["verify", "cms", "meta.p7m", "--trust", "root.pem", "--revocation", "skip", "--out", "meta.out"],
    );
    assert_eq!(code, 0, "{out}");
    assert_eq!(std::fs::read(p.join("meta.out")).unwrap(), br#"{"requestId":"r-1"}"#);

    // Envelope to the fund: only the fund's key opens it.
    let (code, _, err) = dossier_with_pin(p, "", &["encrypt", "out.pdf", "out.pdf.p7e", "--to", "fund.pem"]);
    assert_eq!(code, 0, "{err}");
    let (code, _, err) =
        dossier_with_pin(p, "2468", &["decrypt", "out.pdf.p7e", "back.pdf", "--key", "fund.key", "--cert", "fund.pem"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(std::fs::read(p.join("back.pdf")).unwrap(), std::fs::read(p.join("out.pdf")).unwrap());
    let (code, _, _) =
        dossier_with_pin(p, "2468", &["decrypt", "out.pdf.p7e", "no.pdf", "--key", "signer.key", "--cert", "fund.pem"]);
    assert_ne!(code, 0);
    assert!(!p.join("no.pdf").exists());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certification_centre_issues_checks_and_revokes_over_http() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let work = tempfile::tempdir().unwrap();
    let p = work.path();
    let http = reqwest::Client::new();

    // The trust anchor and the intermediate are public.
    for (path, file) in [("/ca/root.pem", "root.pem"), ("/ca/issuing.pem", "issuing.pem")] {
        let r = http.get(server.url(path)).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{path}");
        let pem = r.text().await.unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"), "{pem}");
        std::fs::write(p.join(file), pem).unwrap();
    }

    // A specialist registers a person with an ID card; the CA operator certifies
    // a QES key for them from a request OpenSSL made.
    let specialist = login(&server, "specialist").await;
    let district = unit_id(&units(&specialist).await, "26101");
    let person = json!({"unit_id": district, "rnokpp": "1759013776", "surname": "Шевчук", "given_name": "Петро",
                        "birth_date": "1948-02-28", "sex": "male", "id_card": "001234567", "id_card_expires": "2035-01-01"});
    let (s, v) = specialist.post("/api/v1/persons", person).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["id_card_expires"], "2035-01-01");
    let o = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let o = openssl(&["req", "-new", "-key", "k.pem", "-subj", "/CN=Anyone/C=UA", "-out", "req.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let csr = std::fs::read_to_string(p.join("req.pem")).unwrap();

    let ca = login(&server, "ca").await;
    let (s, v) =
        ca.post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "qes-id-card", "person": "1759013776"})).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["status"], "good");
    let serial = v["serial"].as_str().unwrap().to_owned();
    std::fs::write(p.join("leaf.pem"), v["certificate_pem"].as_str().unwrap()).unwrap();
    let o = openssl(&["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted", "issuing.pem", "leaf.pem"], p);
    assert!(o.status.success() && out_text(&o).contains("leaf.pem: OK"), "{}", out_text(&o));
    let shown = out_text(&openssl(&["x509", "-in", "leaf.pem", "-noout", "-subject"], p));
    assert!(shown.contains("TINUA-1759013776") && !shown.contains("Anyone"), "the registry names the subject: {shown}");

    // OCSP: the certificate names the centre's responder, and OpenSSL's client
    // gets "good" from it, signed by a delegated responder it accepts.
    let ocsp_url = server.url("/ca/ocsp");
    let named = out_text(&openssl(&["x509", "-in", "leaf.pem", "-noout", "-ocsp_uri"], p));
    assert_eq!(named.trim(), ocsp_url, "{named}");
    let ask = |cert: &[&str]| {
        let mut args = vec!["ocsp", "-issuer", "issuing.pem", "-CAfile", "root.pem", "-verify_other", "issuing.pem"];
        args.extend_from_slice(cert);
        args.extend_from_slice(&["-url", &ocsp_url, "-resp_text"]);
        out_text(&openssl(&args, p))
    };
    let said = ask(&["-cert", "leaf.pem"]);
    assert!(said.contains("Response verify OK") && said.contains("leaf.pem: good"), "{said}");
    assert!(said.contains("OCSP Signing") || said.contains("Responder Id"), "{said}");
    let said = ask(&["-serial", "0x7a7a7a7a7a"]);
    assert!(
        said.contains("Response verify OK") && said.contains(": unknown"),
        "a serial the centre never issued: {said}"
    );
    // Rubbish is an OCSP answer too: malformedRequest, HTTP 200, no signature.
    let r =
        http.post(&ocsp_url).header("content-type", "application/ocsp-request").body("rubbish").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/ocsp-response");
    assert_eq!(&r.bytes().await.unwrap()[..], &[0x30, 0x03, 0x0a, 0x01, 0x01]);
    // RFC 6960 Appendix A.1: the same request by GET, base64 in the path.
    let o = openssl(&["ocsp", "-issuer", "issuing.pem", "-cert", "leaf.pem", "-no_nonce", "-reqout", "req.ocsp"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let b64 = {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(std::fs::read(p.join("req.ocsp")).unwrap())
    };
    let path = format!("/ca/ocsp/{}", b64.replace('/', "%2F").replace('+', "%2B").replace('=', "%3D"));
    let r = http.get(server.url(&path)).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["cache-control"].to_str().unwrap().contains("max-age"), "no nonce: cacheable");
    std::fs::write(p.join("get.ocsp"), r.bytes().await.unwrap()).unwrap();
    let said = out_text(&openssl(
        &[
            "ocsp",
            "-respin",
            "get.ocsp",
            "-issuer",
            "issuing.pem",
            "-cert",
            "leaf.pem",
            "-CAfile",
            "root.pem",
            "-verify_other",
            "issuing.pem",
        ],
        p,
    ));
    assert!(said.contains("Response verify OK") && said.contains("leaf.pem: good"), "{said}");

    // The same request with one signature byte changed: no proof of possession.
    let o = openssl(&["req", "-in", "req.pem", "-outform", "DER", "-out", "req.der"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let mut der = std::fs::read(p.join("req.der")).unwrap();
    let last = der.len() - 1;
    der[last] ^= 0x01;
    std::fs::write(p.join("bad.der"), der).unwrap();
    let o = openssl(&["req", "-inform", "DER", "-in", "bad.der", "-out", "bad.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let bad = std::fs::read_to_string(p.join("bad.pem")).unwrap();
    let (s, v) =
        ca.post("/api/v1/ca/certificates", json!({"csr": bad, "profile": "qes-id-card", "person": "1759013776"})).await;
    assert!(s.is_client_error(), "{s} {v}");
    assert_eq!(v["code"], "csr_rejected", "{v}");

    // The registry checks, with their reasons in both languages.
    let (s, v) = ca
        .post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "document-signing", "person": "1759013776"}))
        .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(v["code"], "certification_refused");
    assert_eq!(problem_fields(&v), [("person".to_owned(), "certification.unit_profile_for_person".to_owned())]);
    assert!(v["errors"][0]["uk"].as_str().unwrap().contains("лише підрозділам"), "{v}");
    let (s, v) =
        ca.post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "card-key", "person": "1759013776"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0].1, "certification.card_application_required");

    // Card keys: for the holder of a card application whose keys were generated.
    let auditor = login(&server, "auditor").await;
    let (s, apps) = auditor.get("/api/v1/applications?stage=keys_generated&limit=1").await;
    assert_eq!(s, StatusCode::OK);
    let app = &apps["items"][0];
    assert!(app.is_object(), "the demo has cards whose keys await certification: {apps}");
    let (app_id, holder) = (app["id"].as_str().unwrap(), app["person_id"].as_str().unwrap());
    let body = json!({"csr": csr, "profile": "card-key", "person": holder, "card_application_id": app_id});
    let (s, v) = ca.post("/api/v1/ca/certificates", body).await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    assert_eq!(v["card_application_id"], app_id);
    let body = json!({"csr": csr, "profile": "card-key", "person": "1759013776", "card_application_id": app_id});
    let (s, v) = ca.post("/api/v1/ca/certificates", body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(problem_fields(&v)[0].1, "certification.card_application_other_person");

    // A specialist may not certify keys, nor look certificates up.
    let (s, _) = specialist
        .post("/api/v1/ca/certificates", json!({"csr": csr, "profile": "qes-id-card", "person": "1759013776"}))
        .await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, _) = specialist.get(&format!("/api/v1/ca/certificates/{serial}")).await;
    assert_eq!(s, StatusCode::FORBIDDEN);

    // Revocation: the CA operator revokes, the CRL fetched over HTTP lists it.
    let r = http.get(server.url("/ca/crl")).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.headers()["content-type"], "application/pkix-crl");
    let (s, _) =
        specialist.post(&format!("/api/v1/ca/certificates/{serial}/revoke"), json!({"reason": "key-compromise"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN);
    let (s, v) =
        ca.post(&format!("/api/v1/ca/certificates/{serial}/revoke"), json!({"reason": "key-compromise"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "revoked");
    let (s, v) = ca.post(&format!("/api/v1/ca/certificates/{serial}/revoke"), json!({"reason": "superseded"})).await;
    assert_eq!(s, StatusCode::CONFLICT, "{v}");
    let (s, v) = ca.get(&format!("/api/v1/ca/certificates/{}", serial.to_uppercase())).await;
    assert_eq!((s, v["revocation_reason"].as_str()), (StatusCode::OK, Some("key-compromise")));
    // The responder says so at once, with the reason.
    let said = ask(&["-cert", "leaf.pem"]);
    assert!(said.contains("leaf.pem: revoked") && said.contains("Reason: keyCompromise"), "{said}");

    let crl = http.get(server.url("/ca/crl")).send().await.unwrap().bytes().await.unwrap();
    std::fs::write(p.join("crl.der"), &crl).unwrap();
    let shown = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], p);
    let text = out_text(&shown);
    assert!(text.to_lowercase().contains(&format!("serial number: {serial}")), "{text}");
    assert!(text.contains("Key Compromise"), "{text}");
    let chain = format!(
        "{}{}",
        std::fs::read_to_string(p.join("root.pem")).unwrap(),
        std::fs::read_to_string(p.join("issuing.pem")).unwrap()
    );
    std::fs::write(p.join("chain.pem"), chain).unwrap();
    let o = openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-CAfile", "chain.pem", "-noout", "-verify"], p);
    assert!(out_text(&o).contains("verify OK"), "{}", out_text(&o));

    // The demo certified the central fund's own encryption and signing keys.
    for profile in ["agency-encryption", "document-signing"] {
        let pem = server.data().join("keys").join("00000").join(format!("{profile}.pem"));
        let o = Command::new("openssl")
            .args(["verify", "-x509_strict", "-CAfile"])
            .arg(p.join("root.pem"))
            .arg("-untrusted")
            .arg(p.join("issuing.pem"))
            .arg(&pem)
            .output()
            .unwrap();
        assert!(o.status.success(), "{profile}: {}", out_text(&o));
        assert!(server.data().join("keys").join("00000").join(format!("{profile}.key.json")).exists());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ca_commands_certify_revoke_and_publish_beside_a_running_server() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let work = tempfile::tempdir().unwrap();
    let p = work.path();
    let ca = |args: &[&str], pin: &str| {
        server
            .command()
            .arg("ca")
            .args(args)
            .arg("--data-dir")
            .arg(server.data())
            .env("DOSSIER_CA_PIN", pin)
            .env("DOSSIER_LOG", "warn")
            .current_dir(p)
            .output()
            .unwrap()
    };

    let o = ca(&["init"], "2026");
    assert!(!o.status.success() && out_text(&o).contains("--force"), "an existing centre is kept: {}", out_text(&o));
    let o = ca(&["export-root", "--out", "root.pem"], "");
    assert!(o.status.success(), "{}", out_text(&o));
    assert_eq!(std::fs::read(p.join("root.pem")).unwrap(), std::fs::read(server.data().join("ca/root.pem")).unwrap());

    let o = openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "k.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let o = openssl(&["req", "-new", "-key", "k.pem", "-subj", "/CN=Kyiv office", "-out", "req.pem"], p);
    assert!(o.status.success(), "{}", out_text(&o));
    let o = ca(&["issue", "--csr", "req.pem", "--profile", "qes-id-card", "--unit", "26101", "--out", "x.pem"], "2026");
    assert!(!o.status.success(), "a QES is for people");
    assert!(out_text(&o).contains("certified for a person only"), "{}", out_text(&o));
    let o = ca(
        &["issue", "--csr", "req.pem", "--profile", "document-signing", "--unit", "26101", "--out", "c.pem"],
        "2026",
    );
    assert!(o.status.success(), "{}", out_text(&o));
    let serial =
        String::from_utf8_lossy(&o.stdout).split_whitespace().skip_while(|w| *w != "serial").nth(1).unwrap().to_owned();
    let o = Command::new("openssl")
        .args(["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted"])
        .arg(server.data().join("ca/issuing.pem"))
        .arg("c.pem")
        .current_dir(p)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", out_text(&o));

    // A centre whose issuing CA does not name the root's revocation list gets a new certificate
    // for the same key that does; what it certified before still chains (OpenSSL says so).
    let recertify = |pin: &str| {
        server
            .command()
            .args(["ca", "recertify-issuing", "--data-dir"])
            .arg(server.data())
            .env("DOSSIER_CA_PIN", pin)
            .env("DOSSIER_CA_PUBLIC_URL", "https://fund.example")
            .env("DOSSIER_LOG", "warn")
            .output()
            .unwrap()
    };
    let o = recertify("2026");
    assert!(o.status.success() && out_text(&o).contains("re-certified"), "{}", out_text(&o));
    let issuing_pem = server.data().join("ca/issuing.pem");
    let text = out_text(&openssl(&["x509", "-noout", "-text", "-in", issuing_pem.to_str().unwrap()], p));
    assert!(text.contains("https://fund.example/ca/root.crl"), "{text}");
    let o = Command::new("openssl")
        .args(["verify", "-x509_strict", "-CAfile", "root.pem", "-untrusted"])
        .arg(server.data().join("ca/issuing.pem"))
        .arg("c.pem")
        .current_dir(p)
        .output()
        .unwrap();
    assert!(o.status.success(), "issued before, chains to the new certificate: {}", out_text(&o));
    let o = recertify("2026");
    assert!(o.status.success() && out_text(&o).contains("nothing to do"), "{}", out_text(&o));

    let o = ca(&["revoke", &serial, "--reason", "superseded"], "");
    assert!(o.status.success(), "revoking needs no key: {}", out_text(&o));
    let o = ca(&["crl", "--out", "crl.der"], "0000");
    assert!(!o.status.success() && out_text(&o).contains("wrong PIN"), "{}", out_text(&o));
    let o = ca(&["crl", "--out", "crl.der"], "2026");
    assert!(o.status.success(), "{}", out_text(&o));
    let text = out_text(&openssl(&["crl", "-inform", "DER", "-in", "crl.der", "-noout", "-text"], p));
    assert!(text.to_lowercase().contains(&format!("serial number: {serial}")) && text.contains("Superseded"), "{text}");

    // The running server serves the CRL the command published — once its cached one is
    // re-checked against the database (every 10 s; the demo's sealing at start filled the cache).
    let published = std::fs::read(p.join("crl.der")).unwrap();
    let mut served = Vec::new();
    for _ in 0..30 {
        served = reqwest::get(server.url("/ca/crl")).await.unwrap().bytes().await.unwrap().to_vec();
        if served == published {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    }
    assert_eq!(served, published);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn documents_signed_with_the_funds_keys_are_time_stamped_and_judged_over_http() {
    if !openssl_available() {
        return;
    }
    let server = Server::start();
    let keys = server.data().join("keys").join("00000");
    let p = server.data();
    std::fs::write(p.join("in.pdf"), dossier_crypto::pades::testpdf::minimal_pdf("Statement for Olena")).unwrap();
    let root = reqwest::get(server.url("/ca/root.pem")).await.unwrap().text().await.unwrap();
    std::fs::write(p.join("root.pem"), &root).unwrap();
    std::fs::write(
        p.join("issuing.pem"),
        reqwest::get(server.url("/ca/issuing.pem")).await.unwrap().text().await.unwrap(),
    )
    .unwrap();

    // The TSA answers OpenSSL, and OpenSSL trusts the answer.
    let q = openssl(&["ts", "-query", "-data", "in.pdf", "-sha256", "-cert", "-out", "req.tsq"], p);
    assert!(q.status.success(), "{}", out_text(&q));
    let reply = reqwest::Client::new()
        .post(server.url("/tsa"))
        .header("content-type", "application/timestamp-query")
        .body(std::fs::read(p.join("req.tsq")).unwrap())
        .send()
        .await
        .unwrap();
    assert_eq!(reply.headers()["content-type"], "application/timestamp-reply");
    std::fs::write(p.join("resp.tsr"), reply.bytes().await.unwrap()).unwrap();
    let v = openssl(
        &["ts", "-verify", "-data", "in.pdf", "-in", "resp.tsr", "-CAfile", "root.pem", "-untrusted", "issuing.pem"],
        p,
    );
    assert!(out_text(&v).contains("Verification: OK"), "{}", out_text(&v));

    // The fund's document-signing key signs B-T through the server's TSA.
    let key = keys.join("document-signing.key.json");
    let cert = keys.join("document-signing.pem");
    let tsa = server.url("/tsa");
    let (code, _, err) = dossier_with_pin(
        p,
        "2026",
        &[
            "sign",
            "pdf",
            "in.pdf",
            "out.pdf",
            "--key",
            key.to_str().unwrap(),
            "--cert",
            cert.to_str().unwrap(),
            "--chain",
            "issuing.pem",
            "--tsa",
            &tsa,
        ],
    );
    assert_eq!(code, 0, "{err}");

    // The API judges it against the centre's root and current CRL.
    let specialist = login(&server, "specialist").await;
    let signed = std::fs::read(p.join("out.pdf")).unwrap();
    let r = specialist
        .req(reqwest::Method::POST, "/api/v1/signatures/verify-pdf")
        .body(signed.clone())
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let report: Value = r.json().await.unwrap();
    assert_eq!(report["indication"], "TOTAL-PASSED", "{report:#}");
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-T");
    assert!(
        report["signatures"][0]["checks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["code"] == "revocation" && c["status"] == "passed")
    );

    // B-LTA: the chain and the centre's CRL stored in the document, then a document
    // time-stamp over them; it validates with revocation required and only the root given.
    let crl = reqwest::get(server.url("/ca/crl")).await.unwrap().bytes().await.unwrap();
    std::fs::write(p.join("ca.crl"), &crl).unwrap();
    #[rustfmt::skip]
    let (code, _, err) = dossier_with_pin(p, "2026", &[
        "sign", "pdf", "in.pdf", "lta.pdf", "--key", key.to_str().unwrap(), "--cert", cert.to_str().unwrap(),
        "--chain", "issuing.pem", "--tsa", &tsa, "--crl", "ca.crl", "--lta",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = dossier_with_pin(
        p,
        "",
        &["verify", "pdf", "lta.pdf", "--trust", "root.pem", "--revocation", "require", "--json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let lta: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lta["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{lta:#}");
    // CAdES B-LT: the chain and the CRL in the message itself; only the root
    // given. With --lta, an archive time-stamp over all of it (CAdES-LTA).
    #[rustfmt::skip]
    let (code, _, err) = dossier_with_pin(p, "2026", &[
        "sign", "cms", "in.pdf", "lt.p7s", "--key", key.to_str().unwrap(), "--cert", cert.to_str().unwrap(),
        "--chain", "issuing.pem", "--tsa", &tsa, "--crl", "ca.crl", "--lta",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = dossier_with_pin(p, "", &["verify", "cms", "lt.p7s", "--trust", "root.pem", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("\"archive_timestamp\""), "{out}");
    // Validated as at a day when P-256 is declared broken: the archive time-stamp is P-256 too, so nothing proves it.
    let (code, out, _) = dossier_with_pin(
        p,
        "",
        &[
            "verify",
            "cms",
            "lt.p7s",
            "--trust",
            "root.pem",
            "--revocation",
            "skip",
            "--at",
            "2027-06-01",
            "--algorithm-expired",
            "ecdsa-256=2027-01-01",
            "--json",
        ],
    );
    assert_eq!(code, 2, "INDETERMINATE {out}");
    assert!(out.contains("CRYPTO_CONSTRAINTS_FAILURE_NO_POE"), "{out}");
    let (code, _, err) =
        dossier_with_pin(p, "", &["sign", "pdf", "in.pdf", "x.pdf", "--key", "k", "--cert", "c", "--lta"]);
    assert_ne!(code, 0);
    assert!(err.contains("--tsa"), "{err}");

    // The status the files do not give is asked for with --online: the
    // signer's certificate names the centre's OCSP responder.
    let (code, out, _) = dossier_with_pin(p, "", &["verify", "pdf", "out.pdf", "--trust", "root.pem", "--json"]);
    assert_eq!(code, 2, "no revocation data at hand: INDETERMINATE {out}");
    assert!(out.contains("TRY_LATER"), "{out}");
    let (code, out, err) =
        dossier_with_pin(p, "", &["verify", "pdf", "out.pdf", "--trust", "root.pem", "--online", "--json"]);
    assert_eq!(code, 0, "{out}{err}");

    // B-LTA with the responder's answer in the DSS instead of the CRL: one
    // response for the signer and the time-stamping unit.
    let tsu = keys.join("time-stamping.pem");
    #[rustfmt::skip]
    let o = openssl(&["ocsp", "-issuer", "issuing.pem", "-cert", cert.to_str().unwrap(), "-cert", tsu.to_str().unwrap(),
                      "-url", &server.url("/ca/ocsp"), "-CAfile", "root.pem", "-verify_other", "issuing.pem",
                      "-respout", "status.ocsp"], p);
    assert_eq!(out_text(&o).matches(": good").count(), 2, "{}", out_text(&o));
    #[rustfmt::skip]
    let (code, _, err) = dossier_with_pin(p, "2026", &[
        "sign", "pdf", "in.pdf", "lta-ocsp.pdf", "--key", key.to_str().unwrap(), "--cert", cert.to_str().unwrap(),
        "--chain", "issuing.pem", "--tsa", &tsa, "--ocsp", "status.ocsp", "--lta",
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = dossier_with_pin(p, "", &["verify", "pdf", "lta-ocsp.pdf", "--trust", "root.pem", "--json"]);
    assert_eq!(code, 0, "{out}{err}");
    let lta: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(lta["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{lta:#}");
    // The re-time-stamping job: a report first, then the renewal, in place.
    let archive = p.join("archive");
    std::fs::create_dir_all(archive.join("2026")).unwrap();
    std::fs::copy(p.join("out.pdf"), archive.join("2026").join("b-t.pdf")).unwrap();
    std::fs::copy(p.join("in.pdf"), archive.join("unsigned.pdf")).unwrap();
    let b_t = std::fs::read(p.join("out.pdf")).unwrap();
    let (code, out, err) = dossier_with_pin(p, "", &["archive", "renew", "archive", "--dry-run", "--within-days", "1"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("b-t.pdf: not due — newest time-stamp (signature time-stamp in Signature1)"), "{out}");
    assert!(out.contains("unsigned.pdf: not due — no signatures"), "{out}");
    let (code, out, err) =
        dossier_with_pin(p, "", &["archive", "renew", "archive", "--dry-run", "--within-days", "20000"]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("b-t.pdf: due") && out.contains("would renew") && out.contains("0 renewed"), "{out}");
    assert_eq!(std::fs::read(archive.join("2026").join("b-t.pdf")).unwrap(), b_t, "a dry run changes nothing");
    let (code, _, err) = dossier_with_pin(p, "", &["archive", "renew", "archive", "--within-days", "20000"]);
    assert_ne!(code, 0);
    assert!(err.contains("--tsa"), "{err}");
    #[rustfmt::skip]
    let (code, out, err) = dossier_with_pin(p, "", &[
        "archive", "renew", "archive", "--within-days", "20000", "--tsa", &tsa, "--online", "--trust", "root.pem",
    ]);
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("b-t.pdf: renewed") && out.contains("1 renewed, 0 failed"), "{out}");
    let renewed = std::fs::read(archive.join("2026").join("b-t.pdf")).unwrap();
    assert!(renewed.starts_with(&b_t), "an incremental update: every signature stays as it was");
    let (code, out, err) = dossier_with_pin(
        p,
        "",
        &["verify", "pdf", archive.join("2026").join("b-t.pdf").to_str().unwrap(), "--trust", "root.pem", "--json"],
    );
    assert_eq!(code, 0, "{out}{err}");
    let report: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["signatures"][0]["level"], "PAdES-BASELINE-LTA", "{report:#}");
    assert_eq!(report["signatures"][1]["kind"], "document_timestamp", "{report:#}");
    let (_, out, _) = dossier_with_pin(p, "", &["archive", "renew", "archive", "--dry-run", "--within-days", "1"]);
    assert!(out.contains("b-t.pdf: not due — newest time-stamp (document time-stamp in DocTimeStamp"), "{out}");
    // pyHanko's long-term validation (EN 319 102-1 §5.6.3) accepts the renewed file from its own
    // data: the signer's and the unit's OCSP answers, the root's list for the issuing CA.
    let pyhanko = Command::new("python3").args(["-c", "import pyhanko"]).output().is_ok_and(|o| o.status.success());
    if !pyhanko && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but pyHanko is missing");
    }
    if pyhanko {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/interop/pyhanko_ades_lta.py");
        let o = Command::new("python3")
            .arg(&script)
            .arg(p.join("root.pem"))
            .arg(archive.join("2026").join("b-t.pdf"))
            .output()
            .unwrap();
        assert!(o.status.success() && out_text(&o).contains("AdESPassed.OK"), "{}", out_text(&o));
    }

    // The staff page offers the revision signature 1 covers, the one before the validation data.
    let form = reqwest::multipart::Form::new()
        .text("csrf", specialist.csrf.clone())
        .part("file", reqwest::multipart::Part::bytes(std::fs::read(p.join("lta.pdf")).unwrap()).file_name("lta.pdf"));
    let html = specialist.req(reqwest::Method::POST, "/signatures/verify").multipart(form).send().await.unwrap();
    let html = html.text().await.unwrap();
    assert!(html.contains("download=\"signed-revision-1.pdf\""), "no signed revision offered");

    // The staff page tells a non-expert, in Ukrainian, and names the signer.
    let mut tampered = signed.clone();
    let at = signed.windows(9).position(|w| w == b"Statement").unwrap();
    tampered[at] ^= 0x20;
    for (bytes, expect) in [(signed, "Усі підписи дійсні"), (tampered, "Документ змінено після підписання.")]
    {
        let form = reqwest::multipart::Form::new()
            .text("csrf", specialist.csrf.clone())
            .part("file", reqwest::multipart::Part::bytes(bytes).file_name("copy.pdf"));
        let r = specialist.req(reqwest::Method::POST, "/signatures/verify").multipart(form).send().await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let html = r.text().await.unwrap();
        assert!(html.contains(expect), "{expect} not on the page");
    }
}
