//! Crashes (issue 22 §3): a process killed with SIGKILL in the middle of its
//! work, or the database crashed under the servers' feet — then nothing
//! acknowledged is lost, nothing is done twice, and the work runs again to the
//! same end. (The notification workers killed mid-delivery: notify.rs.)
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use serde_json::json;

use crate::support::*;

/// The database under test, read directly to see what was written.
enum Db {
    Lite(sqlx::SqlitePool),
    Pg(sqlx::PgPool),
}

impl Db {
    async fn open(url: &str) -> Db {
        if url.starts_with("postgres") {
            // One connection, so that `settled` can tell ours from the others.
            let pool = sqlx::postgres::PgPoolOptions::new().max_connections(1).connect(url).await;
            Db::Pg(pool.unwrap())
        } else {
            Db::Lite(sqlx::SqlitePool::connect(url).await.unwrap())
        }
    }

    /// One text column per row (the same SQL on both databases).
    async fn texts(&self, sql: &str) -> Vec<String> {
        match self {
            Db::Lite(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
            Db::Pg(p) => sqlx::query_scalar(sql).fetch_all(p).await.unwrap(),
        }
    }

    async fn execute(&self, sql: &str) {
        let done = match self {
            Db::Lite(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
            Db::Pg(p) => sqlx::raw_sql(sql).execute(p).await.map(|_| ()),
        };
        done.unwrap();
    }

    async fn count(&self, sql: &str) -> i64 {
        match self {
            Db::Lite(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
            Db::Pg(p) => sqlx::query_scalar(sql).fetch_one(p).await.unwrap(),
        }
    }

    /// Waits until no other client is connected. A client killed with SIGKILL
    /// may have sent its COMMIT already: PostgreSQL's backend still carries it
    /// out, after the client is gone, and only then notices the closed socket.
    /// (SQLite has no server: a killed writer's transaction ended with it.)
    async fn settled(&self) {
        let Db::Pg(p) = self else { return };
        let deadline = Instant::now() + Duration::from_secs(30);
        let others =
            "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
        while sqlx::query_scalar::<_, i64>(others).fetch_one(p).await.unwrap() > 0 {
            assert!(Instant::now() < deadline, "the killed client's session is still open after 30 s");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// What a weekly run leaves: batches per level with what they moved and
    /// held, certificates per stage, and the moves recorded per certificate.
    async fn weekly_run_outcome(&self) -> Vec<String> {
        let mut out = self
            .texts(
                "SELECT level || ' batches ' || COUNT(*) || ', items ' || SUM(items) || ', held ' || SUM(held) \
                 FROM production_batches GROUP BY level ORDER BY level",
            )
            .await;
        out.extend(self.texts("SELECT stage || ' ' || COUNT(*) FROM certificates GROUP BY stage ORDER BY stage").await);
        out.extend(
            self.texts(
                "SELECT event || ' ' || COUNT(*) || ' (' || COUNT(DISTINCT certificate_id) || ' certificates)' \
                 FROM certificate_events WHERE batch_id IS NOT NULL GROUP BY event ORDER BY event",
            )
            .await,
        );
        out
    }
}

fn backend(db_url: &str) -> &'static str {
    if db_url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" }
}

/// The scraper's token the crash tests give their servers.
const SCRAPER: &str = "crash-test-scraper";

/// `/metrics` of the server at `base`.
async fn scrape(base: &str) -> String {
    let r = reqwest::Client::new().get(format!("{base}/metrics")).bearer_auth(SCRAPER).send().await.unwrap();
    r.text().await.unwrap()
}

/// The value of counter `name` for `outcome` in a scrape.
fn counter(metrics: &str, name: &str, outcome: &str) -> i64 {
    let prefix = format!("{name}{{outcome=\"{outcome}\"}} ");
    metrics.lines().find_map(|l| l.strip_prefix(&prefix)).and_then(|v| v.parse().ok()).unwrap()
}

/// The national fixture (27 regions × 20 districts): `persons` registered,
/// `applications` of them with an accepted application, written into the
/// store `store` names; returns the week.
fn seed_national(store: &[&str], persons: u64, applications: u64) -> String {
    let persons = persons.to_string();
    let out = dossier_ok(
        &[&["bench", "production-seed", "--persons", &persons, "--applications", &applications.to_string()], store]
            .concat(),
        &[],
    );
    out.trim().rsplit(' ').next().unwrap().to_owned()
}

fn weekly_run(store: &[&str], week: &str) -> String {
    dossier_ok(&[&["batches", "run", "--week", week], store].concat(), &[])
}

/// Runs `dossier args` and kills it with SIGKILL once `count` (SQL) is at
/// least `at_least`; fails if it ends first or makes no progress in 5 minutes.
async fn killed_midway(args: &[&str], db: &Db, count: &str, at_least: i64) {
    let mut run = Command::new(bin()).args(args).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
    let deadline = Instant::now() + Duration::from_secs(300);
    loop {
        assert!(run.try_wait().unwrap().is_none(), "{args:?} ended before it could be killed: make the fixture larger");
        if db.count(count).await >= at_least {
            break;
        }
        assert!(Instant::now() < deadline, "no progress in {args:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    run.kill().unwrap(); // SIGKILL
    run.wait().unwrap();
    db.settled().await;
}

/// Kills `dossier batches run` once `at_least` offices' batches are in, runs it
/// again to the end, then once more; returns what the run left behind.
async fn weekly_run_killed_and_repeated(store: &[&str], db_url: &str, week: &str, at_least: i64) -> Vec<String> {
    let db = Db::open(db_url).await;
    let batches = "SELECT COUNT(*) FROM production_batches";
    killed_midway(&[&["batches", "run", "--week", week], store].concat(), &db, batches, at_least).await;
    let at_kill = db.count("SELECT COUNT(*) FROM production_batches").await;
    let t = Instant::now();
    // 540 district offices, 27 regions, one central fund.
    assert!(at_kill < 568, "killed after the last batch ({at_kill})");

    let second = weekly_run(store, week);
    println!(
        "weekly run ({}) killed after {at_kill} of 568 batches; the next run finished the rest in {:.2} s",
        backend(db_url),
        t.elapsed().as_secs_f64()
    );
    assert!(second.contains(&format!("{at_kill} already submitted")) || at_kill >= 540, "{second}");
    let third = weekly_run(store, week);
    for level in ["district", "region", "central"] {
        let line = third.lines().find(|l| l.trim_start().starts_with(level)).unwrap_or_else(|| panic!("{third}"));
        assert!(line.contains(": 0 submitted") && line.contains("0 certificates moved"), "repeated: {line}");
    }
    let verify = dossier_ok(&[&["audit", "verify"], store].concat(), &[]);
    assert!(verify.contains("intact"), "{verify}");
    db.weekly_run_outcome().await
}

/// One store killed mid-run and finished by a second run must end exactly as
/// an identical store whose run was never interrupted.
async fn weekly_run_survives_a_kill(crashed: (&[&str], &str), reference: (&[&str], &str)) {
    const APPLICATIONS: u64 = 20_000;
    let week = seed_national(crashed.0, APPLICATIONS * 2, APPLICATIONS);
    assert_eq!(seed_national(reference.0, APPLICATIONS * 2, APPLICATIONS), week);
    let after_crash = weekly_run_killed_and_repeated(crashed.0, crashed.1, &week, 60).await;
    let t = Instant::now();
    weekly_run(reference.0, &week);
    println!(
        "weekly run ({}) uninterrupted, the same fixture: {:.2} s",
        backend(reference.1),
        t.elapsed().as_secs_f64()
    );
    let uninterrupted = Db::open(reference.1).await.weekly_run_outcome().await;
    assert!(after_crash.iter().any(|l| l.starts_with("central batches 1")), "{after_crash:#?}");
    assert_eq!(after_crash, uninterrupted, "the killed and repeated run differs from an uninterrupted one");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_run_killed_mid_run_finishes_on_the_next_run_with_nothing_lost_or_moved_twice() {
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let paths: Vec<String> = dirs.iter().map(|d| d.path().display().to_string()).collect();
    let urls: Vec<String> = paths.iter().map(|p| format!("sqlite://{p}/dossier.db")).collect();
    let (a, b) = (["--data-dir", paths[0].as_str()], ["--data-dir", paths[1].as_str()]);
    weekly_run_survives_a_kill((&a, &urls[0]), (&b, &urls[1])).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_run_killed_mid_run_on_postgresql_finishes_on_the_next_run_with_nothing_lost_or_moved_twice() {
    let Some(crashed) = fresh_pg("dossier_crash_weekly") else { return };
    let reference = fresh_pg("dossier_crash_weekly_ref").unwrap();
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let paths: Vec<String> = dirs.iter().map(|d| d.path().display().to_string()).collect();
    // Outside the embedded default the master key is never invented: given, as an operator would.
    for d in &dirs {
        std::fs::write(d.path().join("master.key"), "5e".repeat(32)).unwrap();
    }
    let a = ["--data-dir", paths[0].as_str(), "--database-url", crashed.url.as_str()];
    let b = ["--data-dir", paths[1].as_str(), "--database-url", reference.url.as_str()];
    weekly_run_survives_a_kill((&a, &crashed.url), (&b, &reference.url)).await;
}

/// What one attempt to register a person got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Created,
    /// 409: a person with that RNOKPP exists — an earlier attempt did commit.
    Exists,
    /// 503: the database did not answer; nothing was done (or the retry will say so).
    Unavailable,
    Other(u16),
    /// No answer at all: the connection failed or timed out.
    Dropped,
}

async fn register(c: &Client, district: i64, i: u32) -> Answer {
    let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(u64::from(i));
    let rnokpp = dossier_domain::ident::Rnokpp::compose(born, 913, dossier_domain::person::Sex::Female).unwrap();
    let body = json!({"unit_id": district, "rnokpp": rnokpp.as_str(), "surname": "Перезапуск", "given_name": "Олена",
                      "birth_date": born.to_string(), "sex": "female"});
    match c.req(reqwest::Method::POST, "/api/v1/persons").json(&body).send().await {
        Ok(r) => match r.status() {
            StatusCode::CREATED => Answer::Created,
            StatusCode::CONFLICT => Answer::Exists,
            StatusCode::SERVICE_UNAVAILABLE => Answer::Unavailable,
            s => Answer::Other(s.as_u16()),
        },
        Err(_) => Answer::Dropped,
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_postgresql_crash_under_load_is_ridden_out_by_both_servers_without_a_restart() {
    let Some(pg) = OwnPostgres::start() else { return };
    let url = pg.url();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    std::fs::write(dir.path().join("master.key"), "5e".repeat(32)).unwrap();
    dossier_ok(&["demo", "--seed-only", "--data-dir", data, "--database-url", &url], &[]);
    let mut servers = vec![];
    let mut bases = vec![];
    for _ in 0..2 {
        let listen = format!("127.0.0.1:{}", free_port());
        servers.push(spawn_until(
            &["serve", "--data-dir", data, "--database-url", &url, "--listen", &listen],
            &[],
            "Dossier is listening on",
        ));
        bases.push(format!("http://{listen}"));
    }
    let a = login_at(&bases[0], "specialist").await;
    let district = unit_id(&units(&a).await, "26101");
    // The same session on the other server (sessions live in the database).
    let b = Client { base: bases[1].clone(), ..a.clone() };
    let clients = [a, b];

    // Load: people registered one after another, alternately on each server; an
    // attempt that got no 201 is retried (as a client would) until it gets a
    // 201 or a 409 that says an earlier attempt had committed.
    // Until told to stop, some seconds after the database is back.
    let started = Instant::now();
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stopped = stop.clone();
    let load = tokio::spawn(async move {
        let mut answers = vec![];
        let mut people = 0;
        while !stopped.load(std::sync::atomic::Ordering::Relaxed) {
            let i = people;
            people += 1;
            let mut tries = 0;
            loop {
                let answer = register(&clients[(i as usize + tries) % 2], district, i).await;
                answers.push((started.elapsed(), i, answer));
                if matches!(answer, Answer::Created | Answer::Exists) {
                    break;
                }
                tries += 1;
                assert!(tries < 200, "person {i} never registered: {answer:?}");
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
        (answers, clients, people)
    });
    tokio::time::sleep(Duration::from_secs(2)).await;
    let crashed_at = started.elapsed();
    pg.crash();
    let asked = Instant::now();
    let ready = reqwest::get(format!("{}/readyz", bases[0])).await.unwrap();
    let readyz_secs = asked.elapsed().as_secs_f64();
    assert_eq!(ready.status(), StatusCode::SERVICE_UNAVAILABLE, "readyz with the database down");
    // Down for longer than a request waits for a connection (10 s): the outage is felt.
    tokio::time::sleep(Duration::from_secs(13).saturating_sub(asked.elapsed())).await;
    pg.start_again();
    let back_at = started.elapsed();
    tokio::time::sleep(Duration::from_secs(3)).await;
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    let (answers, clients, people) = load.await.unwrap();

    for s in &mut servers {
        assert!(s.is_running(), "a server died with the database");
    }
    for base in &bases {
        assert_eq!(reqwest::get(format!("{base}/readyz")).await.unwrap().status(), StatusCode::OK, "{base}");
    }
    let before: Vec<_> = answers.iter().filter(|(t, ..)| *t < crashed_at).collect();
    assert!(before.len() > 5 && before.iter().all(|(.., a)| *a == Answer::Created), "{before:?}");
    let failed: Vec<_> = answers.iter().filter(|(.., a)| !matches!(a, Answer::Created | Answer::Exists)).collect();
    assert!(!failed.is_empty(), "the crash was not felt: every attempt succeeded");
    // Refused cleanly: 503 with nothing done, never a 500 or a dropped connection
    // — except the requests caught in flight by the crash itself.
    let unclean: Vec<_> = failed.iter().filter(|(.., a)| *a != Answer::Unavailable).collect();
    assert!(unclean.len() <= 2, "{unclean:?}");
    let last_failure = failed.iter().map(|(t, ..)| *t).max().unwrap();
    assert!(last_failure < back_at + Duration::from_secs(30), "still failing {last_failure:?} after {back_at:?}");
    let first_after = answers.iter().filter(|(t, _, a)| *t > back_at && *a == Answer::Created).map(|(t, ..)| *t).min();

    // Every person exactly once, found through either server.
    for i in (0..people).step_by(7) {
        let born = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap() + chrono::Days::new(u64::from(i));
        let rnokpp = dossier_domain::ident::Rnokpp::compose(born, 913, dossier_domain::person::Sex::Female).unwrap();
        let (s, found) = clients[i as usize % 2].get(&format!("/api/v1/persons?rnokpp={}", rnokpp.as_str())).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(found["items"].as_array().map(Vec::len), Some(1), "person {i}: {found}");
    }
    let db = Db::open(&url).await;
    let registered = db.count("SELECT COUNT(*) FROM persons WHERE surname = 'Перезапуск'").await;
    assert_eq!(registered, i64::from(people));
    let verify = dossier_ok(&["audit", "verify", "--data-dir", data, "--database-url", &url], &[]);
    assert!(verify.contains("intact"), "{verify}");
    // The figures BENCHMARKS.md quotes (`cargo test … crashes -- --nocapture`).
    println!(
        "postgresql crash: /readyz said 503 in {readyz_secs:.2} s; down {:.1} s; {} attempts refused with 503 \
         (each after waiting for a connection), {} otherwise failed; first registration {:.2} s after the \
         database was back; {} attempts for {people} people, each registered once",
        (back_at - crashed_at).as_secs_f64(),
        failed.len() - unclean.len(),
        unclean.len(),
        first_after.map_or(f64::NAN, |t| (t - back_at).as_secs_f64()),
        answers.len()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_ocr_batch_killed_mid_run_is_finished_after_a_restart_each_document_once() {
    let Some(page) = crate::digitization::scanned_card(300) else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    let config = dir.path().join("dossier.toml");
    // A short lease, so the killed server's claimed pages come back soon.
    std::fs::write(
        &config,
        "[digitization]\nagency_code = \"000.00.31.H29\"\nworkers = 2\npage_timeout_seconds = 30\nlease_seconds = 35\n",
    )
    .unwrap();
    let config = config.to_str().unwrap().to_owned();
    let env = [("DOSSIER_CA_PIN", "2026".to_owned()), ("DOSSIER_METRICS_TOKEN", SCRAPER.to_owned())];
    dossier_ok(&["demo", "--seed-only", "--data-dir", &data, "--config", &config], &env);
    let serve = || {
        let listen = format!("127.0.0.1:{}", free_port());
        let args = ["serve", "--data-dir", &data, "--config", &config, "--listen", &listen];
        (spawn_until(&args, &env, "Dossier is listening on"), format!("http://{listen}"))
    };
    let (mut first, base) = serve();
    let mut staff = login_at(&base, "specialist").await;
    let db = Db::open(&format!("sqlite://{data}/dossier.db")).await;
    let indexed_before = db.count("SELECT COUNT(*) FROM digitized_search").await;

    let (s, dossier) = staff.post("/api/v1/digitization/dossiers", json!({"procedure": "1.001234"})).await;
    assert_eq!(s, StatusCode::CREATED, "{dossier}");
    const DOCUMENTS: usize = 10;
    let mut ids = vec![];
    for _ in 0..DOCUMENTS {
        let (s, doc) = crate::digitization::upload(
            &staff,
            dossier["id"].as_str().unwrap(),
            "ua-taxpayer-card",
            std::slice::from_ref(&page),
        )
        .await;
        assert_eq!(s, StatusCode::CREATED, "{doc}");
        ids.push(doc["id"].as_str().unwrap().to_owned());
    }
    let settled = |staff: &Client| {
        let (staff, ids) = (staff.clone(), ids.clone());
        async move {
            let mut n = 0;
            for id in &ids {
                let (_, v) = staff.get(&format!("/api/v1/digitization/documents/{id}")).await;
                // Read, extracted and sealed.
                n += usize::from(v["document"]["status"] != "recognising" && v["document"]["result"].is_object());
            }
            n
        }
    };
    // SIGKILL once a couple are read, the rest claimed or waiting.
    let deadline = Instant::now() + Duration::from_secs(180);
    while settled(&staff).await < 2 {
        assert!(Instant::now() < deadline, "no document recognised");
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    first.kill_hard();
    let at_kill = db.count("SELECT COUNT(*) FROM digitized_search").await - indexed_before;
    assert!(at_kill >= 2);
    assert!(at_kill < DOCUMENTS as i64, "the batch ended before the kill ({at_kill})");

    // And the two states a death between two commits leaves, which no lease brings back: one
    // document read but not extracted (left alone, `recognising` for ever), one extracted but
    // not sealed. The next server's sweep finishes both.
    let last = "(SELECT document_id FROM digitized_search ORDER BY rowid DESC LIMIT 1)";
    let before_last = "(SELECT document_id FROM digitized_search ORDER BY rowid DESC LIMIT 1 OFFSET 1)";
    db.execute(&format!(
        "UPDATE digitized_documents SET result_sha256 = NULL, result_at = NULL WHERE id = {before_last}; \
         UPDATE digitized_documents SET status = 'recognising', result_sha256 = NULL, result_at = NULL \
         WHERE id = {last}; DELETE FROM digitized_fields WHERE document_id = {last}; \
         DELETE FROM digitized_search WHERE document_id = {last};"
    ))
    .await;
    let restarted = Instant::now();
    let (_second, base) = serve();
    staff.base = base;
    while settled(&staff).await < DOCUMENTS {
        assert!(restarted.elapsed() < Duration::from_secs(300), "not every document recognised after the restart");
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let finished_secs = restarted.elapsed().as_secs_f64();
    // The restarted server counted the pages its workers read, and no failure.
    let metrics = scrape(&staff.base).await;
    let pages = |outcome: &str| counter(&metrics, "dossier_ocr_pages_total", outcome);
    assert!(pages("recognised") >= 1 && pages("failed") == 0, "{metrics}");
    for id in &ids {
        let (_, v) = staff.get(&format!("/api/v1/digitization/documents/{id}")).await;
        assert!(matches!(v["document"]["status"].as_str(), Some("review" | "ready")), "{v:#}");
        assert_eq!(v["document"]["result"]["sha256"].as_str().map(str::len), Some(64), "signed result: {v:#}");
    }
    // Each document extracted and indexed once, whichever worker read its page.
    assert_eq!(db.count("SELECT COUNT(*) FROM digitized_search").await, indexed_before + DOCUMENTS as i64);
    let doubled = "SELECT COUNT(*) FROM (SELECT document_id, position FROM digitized_fields \
                   GROUP BY document_id, position HAVING COUNT(*) > 1) AS d";
    assert_eq!(db.count(doubled).await, 0, "a field extracted twice");
    let verify = dossier_ok(&["audit", "verify", "--data-dir", &data, "--config", &config], &env);
    assert!(verify.contains("intact"), "{verify}");
    println!(
        "ocr batch: killed with {at_kill} of {DOCUMENTS} documents read; all read, extracted and sealed \
         {finished_secs:.1} s after the restart (the lease is 35 s)"
    );
}

/// Package `i` of those `dossier bench deliveries-seed` wrote to `out`, with its request id.
fn package(out: &std::path::Path, i: usize) -> (String, dossier_sharing::package::Package) {
    let read = |ext: &str| std::fs::read(out.join(format!("{i}.{ext}"))).unwrap();
    let text = |ext: &str| String::from_utf8(read(ext)).unwrap();
    (
        text("request"),
        dossier_sharing::package::Package { file_name: text("name"), file: read("file"), metadata: read("meta") },
    )
}

/// How many packages the intake crash test delivers (the 10 000 with
/// `DOSSIER_CRASH_PACKAGES=10000`, as bench/crashes.sh runs it).
fn packages() -> usize {
    std::env::var("DOSSIER_CRASH_PACKAGES").ok().and_then(|n| n.parse().ok()).unwrap_or(1000)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fund_killed_mid_intake_stores_every_package_the_hub_resends_once() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap().to_owned();
    seed_fund_and_hub(&data);
    let n = packages();
    let out = dir.path().join("packages");
    dossier_ok(
        &[
            "bench",
            "deliveries-seed",
            "--packages",
            &n.to_string(),
            "--out",
            out.to_str().unwrap(),
            "--data-dir",
            &data,
        ],
        &[],
    );
    let packages: Vec<_> = (0..n).map(|i| package(&out, i)).collect();
    // The fund as the hub meets it; the hub itself is not running (nothing is polled for an hour).
    let env = [
        ("DOSSIER_HUB_URL", format!("http://127.0.0.1:{}", free_port())),
        ("DOSSIER_HUB_ACQUIRER_ID", "pfu".to_owned()),
        ("DOSSIER_HUB_TOKEN", "unused".to_owned()),
        ("DOSSIER_HUB_CERT", format!("{data}/hub/keys/document-signing.pem")),
        ("DOSSIER_CA_PIN", "2026".to_owned()),
        ("DOSSIER_METRICS_TOKEN", SCRAPER.to_owned()),
    ];
    let listen = format!("127.0.0.1:{}", free_port());
    let serve = || spawn_until(&["serve", "--listen", &listen, "--data-dir", &data], &env, "Dossier is listening on");
    let db = Db::open(&format!("sqlite://{data}/dossier.db")).await;
    let stored_before = db.count("SELECT COUNT(*) FROM sharing_copies").await;
    let documents_before = db.count("SELECT COUNT(*) FROM documents").await;

    // The hub's part: every package delivered, 16 at a time, each retried until acknowledged.
    let endpoint = format!("http://{listen}/api/v1/sharing/deliveries");
    let acknowledged = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let refused = std::sync::Arc::new(std::sync::Mutex::new(Vec::<String>::new()));
    let hub = {
        let (acknowledged, refused, endpoint) = (acknowledged.clone(), refused.clone(), endpoint.clone());
        tokio::spawn(async move {
            use futures::StreamExt;
            let http = reqwest::Client::new();
            let started = Instant::now();
            futures::stream::iter(packages)
                .for_each_concurrent(16, |(request, package)| {
                    let (http, endpoint, acknowledged, refused) = (&http, &endpoint, &acknowledged, &refused);
                    async move {
                        let timeout = Duration::from_secs(60);
                        loop {
                            match dossier_sharing::client::deliver(http, endpoint, &request, package.clone(), timeout)
                                .await
                            {
                                Ok(()) => break,
                                // The fund answered with a refusal: the hub would stop, and so does the test.
                                Err(e) if e.contains("HTTP 4") => {
                                    refused.lock().unwrap().push(format!("{request}: {e}"));
                                    break;
                                }
                                Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
                            }
                        }
                        acknowledged.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                    }
                })
                .await;
            started.elapsed()
        })
    };
    let mut fund = serve();
    let deadline = Instant::now() + Duration::from_secs(600);
    while acknowledged.load(std::sync::atomic::Ordering::Relaxed) < n / 3 {
        assert!(Instant::now() < deadline, "the intake did not get a third of the way");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    fund.kill_hard();
    let at_kill = db.count("SELECT COUNT(*) FROM sharing_copies").await - stored_before;
    assert!((at_kill as usize) < n, "the intake ended before the kill ({at_kill})");
    tokio::time::sleep(Duration::from_secs(1)).await;
    let _fund = serve();
    let took = hub.await.unwrap();
    assert!(refused.lock().unwrap().is_empty(), "refused: {:?}", refused.lock().unwrap());

    // Every package stored once, with both blobs readable; and delivering them all again changes nothing.
    let stored = || db.count("SELECT COUNT(*) FROM sharing_copies");
    assert_eq!(stored().await - stored_before, n as i64);
    // The hub's resends after an acknowledgement it did not hear: acknowledged again, nothing added.
    let http = reqwest::Client::new();
    for i in (0..n).step_by(10) {
        let (request, p) = package(&out, i);
        dossier_sharing::client::deliver(&http, &endpoint, &request, p, Duration::from_secs(60)).await.unwrap();
    }
    assert_eq!(stored().await - stored_before, n as i64);
    // The restarted server's counters: it stored what the first had not, and took resends as repeats.
    let metrics = scrape(&format!("http://{listen}")).await;
    let packages = |outcome: &str| counter(&metrics, "dossier_intake_packages_total", outcome);
    assert_eq!(packages("stored"), n as i64 - at_kill, "{metrics}");
    assert!(packages("repeated") >= (n as i64 + 9) / 10, "{metrics}");
    assert_eq!((packages("refused"), packages("failed")), (0, 0), "{metrics}");
    // The copy and its metadata: two documents per package, none left over from a delivery cut short.
    let documents = db.count("SELECT COUNT(*) FROM documents").await - documents_before;
    assert_eq!(documents, 2 * n as i64, "documents stored for {n} packages");
    let fixity = dossier_ok(&["fixity", "--data-dir", &data], &env);
    assert!(fixity.contains("read back intact") && !fixity.contains("FAILED"), "{fixity}");
    let verify = dossier_ok(&["audit", "verify", "--data-dir", &data], &env);
    assert!(verify.contains("intact"), "{verify}");
    println!(
        "intake: {n} packages delivered 16 at a time; the fund killed with {at_kill} stored, restarted after 1 s; \
         all stored once {:.1} s after the first delivery",
        took.as_secs_f64()
    );
}

/// `dossier import-pensions` killed with SIGKILL once a quarter of the file is
/// in, then run again: it resumes after the last committed batch, every
/// pension is recorded — and audited — exactly once, and a person's second row
/// after the resume point is refused as if the run had never stopped.
async fn pension_import_survives_a_kill(store: &[&str], db_url: &str) {
    const PERSONS: &str = "30000";
    let dir = tempfile::tempdir().unwrap();
    let people = dir.path().join("people.csv").display().to_string();
    dossier_ok(&[&["demo", "--seed-only"], store].concat(), &[]);
    dossier_ok(&["gen-people", PERSONS, people.as_str()], &[]);
    dossier_ok(&[&["import", people.as_str(), "--unit", "13101"], store].concat(), &[]);
    let db = Db::open(db_url).await;
    let (pensions, audited) =
        ("SELECT COUNT(*) FROM pensions", "SELECT COUNT(*) FROM audit_log WHERE action = 'pension.import'");
    let (paid_before, audited_before) = (db.count(pensions).await, db.count(audited).await);
    // Each person the demo does not pay yet, paid since the day they were born (never before it).
    let rows = db
        .texts(
            "SELECT rnokpp || ',old_age,1500.00,' || birth_date || ',post,,01001,\"вул. Хрещатик, 1, Київ\",' \
             FROM persons WHERE rnokpp IS NOT NULL AND id NOT IN (SELECT person_id FROM pensions) ORDER BY id",
        )
        .await;
    let total = rows.len() as i64;
    assert!(total > 20_000, "{total} people with an RNOKPP");
    let file = dir.path().join("paid.csv");
    // The file ends with the first person again: refused after the resume as before it.
    let (header, first) = (dossier_domain::payment::PAID_HEADER, &rows[0]);
    std::fs::write(&file, format!("{header}\n{}\n{first}\n", rows.join("\n"))).unwrap();
    let file = file.display().to_string();
    let args = [&["import-pensions", file.as_str(), "--batch", "500"], store].concat();

    killed_midway(&args, &db, pensions, paid_before + total / 4).await;
    let at_kill = db.count(pensions).await - paid_before;
    assert!(at_kill < total, "killed after the last batch ({at_kill})");
    assert_eq!(at_kill % 500, 0, "a batch is written whole or not at all ({at_kill})");

    let t = Instant::now();
    let again = Command::new(bin()).args(&args).output().unwrap();
    assert_eq!(again.status.code(), Some(2), "one row refused: {}", String::from_utf8_lossy(&again.stderr));
    let again = String::from_utf8_lossy(&again.stdout).into_owned();
    println!(
        "pension import ({}) killed after {at_kill} of {total} rows; the next run finished the rest in {:.2} s",
        backend(db_url),
        t.elapsed().as_secs_f64()
    );
    assert!(again.contains(&format!("of pensions: {total} rows imported, 1 rejected")), "{again}");
    let report = std::fs::read_to_string(format!("{file}.errors.csv")).unwrap();
    assert!(report.contains(&format!("\n{},rnokpp,", total + 2)), "the last line's person seen before: {report}");
    assert_eq!(db.count(pensions).await - paid_before, total, "none lost");
    assert_eq!(db.count(audited).await - audited_before, total, "each audited once: none recorded twice");
    let runs = db.count("SELECT COUNT(*) FROM import_runs WHERE kind = 'pensions' AND finished_at IS NOT NULL").await;
    assert_eq!(runs, 1, "the second run was the first one resumed");
    let verify = dossier_ok(&[&["audit", "verify"], store].concat(), &[]);
    assert!(verify.contains("intact"), "{verify}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pension_import_killed_mid_file_resumes_and_records_each_pension_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().display().to_string();
    let url = format!("sqlite://{path}/dossier.db");
    pension_import_survives_a_kill(&["--data-dir", path.as_str()], &url).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_pension_import_killed_mid_file_on_postgresql_resumes_and_records_each_pension_once() {
    let Some(db) = fresh_pg("dossier_crash_pensions") else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("master.key"), "5e".repeat(32)).unwrap();
    let path = dir.path().display().to_string();
    pension_import_survives_a_kill(&["--data-dir", path.as_str(), "--database-url", db.url.as_str()], &db.url).await;
}
