//! The public status look-up at national scale: `cases` paper certificates
//! (the production benchmark's fixture, numbered as citizens see them),
//! looked up by number and date of birth for `seconds` from `concurrency`
//! tasks — first in process (the use case over the store: the peer), then
//! over HTTP against the same app served on loopback (client and server
//! share the cores, as a load generator on the same machine does).
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use chrono::{NaiveDate, Utc};
use dossier_app::tracking::{self, StatusQuery};
use dossier_app::{App, AppConfig};
use dossier_store::audit::Log;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{SqlStore, Store};

use super::Figures;

/// The number and date of birth of fixture record `i` of `cases`.
fn case(i: u64, cases: u64) -> (String, NaiveDate) {
    // Mirrors `production::fixture_sql`: the last 1/200 repeat the first records' births.
    let dup_from = cases - cases / 200;
    let k = if i >= dup_from { i - dup_from } else { i };
    let born = NaiveDate::from_ymd_opt(1940, 1, 1).unwrap_or_default() + chrono::Duration::days((k % 20_000) as i64);
    (format!("З-2025-{:07}", i % 10_000_000), born)
}

pub async fn run(
    cases: u64,
    seconds: u64,
    concurrency: usize,
    serve: Option<SocketAddr>,
) -> Result<(Figures, Figures)> {
    anyhow::ensure!((1..=9_999_999).contains(&cases), "--cases must be 1 to 9 999 999");
    let dir = std::env::temp_dir().join(format!("dossier-bench-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(&dir)?;
    let figures = measure(&dir, cases, seconds, concurrency, serve).await;
    let _ = std::fs::remove_dir_all(&dir);
    figures
}

/// `N NUMBER BIRTH_DATE` lines of the fixture's cases, for an outside load generator.
pub fn cases_file(cases: u64, out: &std::path::Path) -> Result<()> {
    use std::io::Write;
    let mut f = std::io::BufWriter::new(std::fs::File::create(out)?);
    for i in 0..cases {
        let (number, born) = case(i, cases);
        writeln!(f, "{number} {born}")?;
    }
    Ok(f.flush()?)
}

async fn measure(
    dir: &std::path::Path,
    cases: u64,
    seconds: u64,
    concurrency: usize,
    serve: Option<SocketAddr>,
) -> Result<(Figures, Figures)> {
    let store = SqlStore::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let t = Instant::now();
    super::production::national_fixture(&store, cases, cases, 20).await?;
    // Numbered as the store numbers applications (the fixture's are internal).
    store
        .execute_raw(
            Log::Change,
            "UPDATE certificates SET number = 'З-2025-' || substr(number, 6) WHERE number LIKE 'Б-%'",
        )
        .await?;
    println!("fixture: {cases} cases in {:.1} s", t.elapsed().as_secs_f64());
    let store: Arc<dyn Store> = Arc::new(store);
    let blobs = BlobStore::local(&dir.join("blobs"), MasterKey::generate())?;
    let app = Arc::new(App::new(store, blobs, AppConfig::default()).await?);

    // A sample answer, so both halves are known to find what they ask for.
    let (number, birth_date) = case(cases / 2, cases);
    tracking::look_up(&app, "bench", &StatusQuery { number, birth_date }, Utc::now())
        .await
        .map_err(|e| anyhow::anyhow!("the fixture's case was not found: {e:?}"))?;

    let direct = drive(seconds, concurrency, cases, {
        let app = app.clone();
        move |task, number, birth_date| {
            let app = app.clone();
            async move {
                let q = StatusQuery { number, birth_date };
                tracking::look_up(&app, &format!("bench-{task}"), &q, Utc::now()).await.is_ok()
            }
        }
    })
    .await?;

    if let Some(addr) = serve {
        // For a load generator in another process (bench/status.sh runs wrk): serve until stopped.
        let listener = tokio::net::TcpListener::bind(addr).await?;
        println!("serving the fixture on http://{addr}/ (stop with Ctrl-C)");
        let router = dossier_server::router(app).into_make_service_with_connect_info::<SocketAddr>();
        axum::serve(listener, router)
            .with_graceful_shutdown(async {
                let _ = tokio::signal::ctrl_c().await;
            })
            .await?;
        return Ok((direct, Figures::from(Vec::new(), 1.0)));
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let addr = listener.local_addr()?;
    let router = dossier_server::router(app.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    let http = reqwest::Client::builder().pool_max_idle_per_host(concurrency).build()?;
    let url = format!("http://{addr}/api/v1/status");
    let over_http = drive(seconds, concurrency, cases, move |_, number, birth_date| {
        let (http, url) = (http.clone(), url.clone());
        async move {
            let body = serde_json::json!({"number": number, "birth_date": birth_date});
            http.post(&url).json(&body).send().await.is_ok_and(|r| r.status().is_success())
        }
    })
    .await?;
    server.abort();
    Ok((direct, over_http))
}

/// Runs `ask` from `concurrency` tasks for `seconds` over cases spread by a
/// stride, so concurrent tasks read different parts of the table.
async fn drive<F, Fut>(seconds: u64, concurrency: usize, cases: u64, ask: F) -> Result<Figures>
where
    F: Fn(usize, String, NaiveDate) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = vec![];
    for task in 0..concurrency {
        let ask = ask.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = task as u64 * 7_919;
            while Instant::now() < deadline {
                let (number, born) = case(i % cases, cases);
                let t0 = Instant::now();
                anyhow::ensure!(ask(task, number, born).await, "a case of the fixture was not found");
                lat.push(t0.elapsed());
                i += 104_729;
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await.context("a bench task")??);
    }
    Ok(Figures::from(all, start.elapsed().as_secs_f64()))
}
