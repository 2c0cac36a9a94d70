//! What the operator relies on (issue 22 §6): the probes, the request id in
//! the answer and in the log, and `/metrics` — read by the Prometheus
//! project's own parser, guarded by its token, free of personal data.
use std::process::Command;

use reqwest::StatusCode;

use crate::support::*;

const TOKEN: &str = "scraper-token-for-the-test-0123456789";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn probes_request_ids_and_metrics_for_the_operator() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("server.log");
    let server = Server::start_full(
        "info,dossier_server::ops=debug",
        Some(&log),
        "",
        &[("DOSSIER_METRICS_TOKEN", TOKEN.into())],
    );
    let http = reqwest::Client::new();
    let get = |path: &str| http.get(server.url(path));

    let r = get("/healthz").send().await.unwrap();
    assert_eq!((r.status(), r.text().await.unwrap()), (StatusCode::OK, "ok".to_owned()));
    let r = get("/readyz").send().await.unwrap();
    assert_eq!((r.status(), r.text().await.unwrap()), (StatusCode::OK, "ready".to_owned()));

    // The balancer's id is kept and answered; a made-up one that could forge log lines is replaced.
    let r = get("/healthz").header("x-request-id", "lb-4f2a.77_x").send().await.unwrap();
    assert_eq!(r.headers()["x-request-id"], "lb-4f2a.77_x");
    let r = get("/healthz").header("x-request-id", "a b\" level=ERROR").send().await.unwrap();
    let made = r.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert!(made.len() == 32 && made.bytes().all(|b| b.is_ascii_hexdigit()), "{made}");
    let r = get("/api/v1/me").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    assert!(r.headers().contains_key("x-request-id"), "errors carry it too");

    // Some traffic with personal data in the path and the query.
    let staff = login(&server, "district").await;
    let rnokpp = "1759013776";
    staff.get(&format!("/api/v1/persons?rnokpp={rnokpp}")).await;

    let r = get("/metrics").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = get("/metrics").bearer_auth("wrong-token").send().await.unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);
    let r = get("/metrics").bearer_auth(TOKEN).send().await.unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    assert!(r.headers()["content-type"].to_str().unwrap().starts_with("text/plain; version=0.0.4"));
    let text = r.text().await.unwrap();
    assert!(!text.contains(rnokpp), "no personal data in the metrics");
    for needle in [
        r#"dossier_http_request_duration_seconds_count{method="GET",route="/healthz",status="200"} 3"#,
        r#"dossier_http_request_duration_seconds_bucket{method="GET",route="/api/v1/persons",status="200",le="+Inf"} 1"#,
        // SQLite: a "read" and a "write" pool (one connection); PostgreSQL: one "main" pool.
        r#"dossier_db_connections_max{pool=""#,
        r#"dossier_queue_depth{queue="notifications"}"#,
        r#"dossier_queue_lag_seconds{queue="ocr_pages"}"#,
        r#"dossier_queue_oldest_age_seconds{queue="e_applications"}"#,
        r#"dossier_intake_packages_total{outcome="stored"}"#,
        r#"dossier_ocr_pages_total{outcome="recognised"}"#,
        r#"dossier_access_log_commit_seconds_bucket{le="0.0001"}"#,
        r#"dossier_access_log_batch_entries_count "#,
    ] {
        assert!(text.contains(needle), "{needle} in:\n{text}");
    }
    // The demo's e-applications include one awaiting a decision.
    let depth = |queue: &str| {
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("dossier_queue_depth{{queue=\"{queue}\"}} ")))
            .and_then(|v| v.parse::<i64>().ok())
    };
    assert!(depth("e_applications").is_some_and(|d| d >= 1), "{text}");
    // The look-up above waited for its access-log entry; on SQLite the log's index trails it.
    let value = |name: &str| text.lines().find_map(|l| l.strip_prefix(name)).and_then(|v| v.trim().parse::<f64>().ok());
    assert!(value("dossier_access_log_wait_seconds_count").is_some_and(|n| n >= 1.0), "{text}");
    let embedded = NationalStore::chosen().is_none();
    assert_eq!(value("dossier_access_index_behind_entries").is_some(), embedded, "{text}");

    // The Prometheus client library's parser reads every family.
    let parser = "import sys\nfrom prometheus_client.parser import text_string_to_metric_families as p\n\
                  fams = list(p(sys.stdin.read()))\nprint(len(fams), sum(len(f.samples) for f in fams))";
    let have =
        Command::new("python3").args(["-c", "import prometheus_client"]).output().is_ok_and(|o| o.status.success());
    assert!(have || std::env::var("CI").as_deref() != Ok("true"), "CI=true but prometheus_client is missing");
    if have {
        let file = dir.path().join("metrics.txt");
        std::fs::write(&file, &text).unwrap();
        let out =
            Command::new("python3").args(["-c", parser]).stdin(std::fs::File::open(&file).unwrap()).output().unwrap();
        assert!(out.status.success(), "{}", out_text(&out));
        let counts = String::from_utf8_lossy(&out.stdout).into_owned();
        let families: usize = counts.split_whitespace().next().unwrap().parse().unwrap();
        assert_eq!(families, 11 + usize::from(embedded), "{counts}");
    }

    // The request's lines in the log carry its id, and never the RNOKPP.
    let _ = get("/healthz").header("x-request-id", "trace-me-42").send().await.unwrap();
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    let logged = std::fs::read_to_string(&log).unwrap();
    assert!(logged.lines().any(|l| l.contains("trace-me-42") && l.contains("/healthz")), "{logged}");
    assert!(!logged.contains(rnokpp));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn metrics_are_not_served_without_a_token() {
    let server = Server::start();
    let r = reqwest::get(server.url("/metrics")).await.unwrap();
    assert_eq!(r.status(), StatusCode::NOT_FOUND);
}
