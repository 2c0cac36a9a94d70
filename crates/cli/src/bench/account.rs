//! The personal account over HTTP (issue 21): `people` generated people, each
//! with `years` years of monthly earnings loaded through employers' reports,
//! in a fresh SQLite store; `clients` at once, each asking for account pages
//! again and again for `seconds`. `citizens` are signed in and the clients
//! take turns through them: as many as the clients, each client is one
//! citizen asking for their page again (their rows stay in the caches);
//! as many as the people, every page of a pass is another citizen's, whose
//! rows no earlier request of the run has read. The peer, in the same run and
//! interleaved: the bare store read a page rests on (the person by RNOKPP and
//! their pension record), at the same concurrency and order, in process.
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Result, ensure};
use chrono::Utc;
use dossier_app::{App, AppConfig};
use dossier_crypto::secrets::{random_token, token_hash};
use dossier_domain::record::Month;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, CitizenSession, CitizenSessions, PensionRecords, People, SqlStore, Store};

pub struct Shape {
    pub people: usize,
    pub years: usize,
    pub clients: usize,
    pub citizens: usize,
    pub seconds: u64,
}

pub async fn run(dir: &std::path::Path, shape: Shape) -> Result<()> {
    let Shape { people, years, clients, citizens, seconds } = shape;
    ensure!(clients > 0 && citizens >= clients && citizens <= people, "need 0 < clients ≤ citizens ≤ people");
    let file = dir.join("account.db");
    let store = Arc::new(SqlStore::open(&format!("sqlite://{}?mode=rwc", file.display())).await?);
    let actor = Actor::system("bench");
    let district = super::one_district(&store, &actor).await?;
    let today = Utc::now().date_naive();
    // Old enough to have worked all the years loaded.
    let rnokpps = super::record::people_in(&store, &actor, district.id, people, (62, 75)).await?;
    store.save_employer(&actor, "31456789", "ТОВ «Світанок»").await?;
    // Each year's report: every person, twelve months.
    let t0 = Instant::now();
    let now = Month::of(today);
    for year in (now.year() - years as i32)..now.year() {
        let mut csv = String::from("rnokpp,month,wage,contribution\n");
        for r in &rnokpps {
            for m in 1..=12 {
                csv.push_str(&format!("{r},{year}-{m:02},{}.00,{}.50\n", 15_000 + m, 3_300 + m));
            }
        }
        let rows = dossier_app::record::parse_report(csv.as_bytes(), today).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        store.import_report(&actor, "31456789", &rows, today).await?;
    }
    println!(
        "{people} people × {years} years of monthly earnings ({} rows) loaded in {:.0} s",
        people * years * 12,
        t0.elapsed().as_secs_f64()
    );

    // Citizens signed in, spread over the registry.
    let t0 = Instant::now();
    let mut sessions = Vec::with_capacity(citizens);
    for i in 0..citizens {
        let token = random_token()?;
        let rnokpp = rnokpps[i * rnokpps.len() / citizens].clone();
        store
            .create_citizen_session(&CitizenSession {
                token_hash: token_hash(&token),
                issuer: "bench".into(),
                subject: format!("bench-{i}"),
                rnokpp: rnokpp.clone(),
                name: "Bench".into(),
                csrf: random_token()?,
                expires_at: Utc::now() + chrono::Duration::hours(2),
            })
            .await?;
        sessions.push((token, rnokpp));
    }
    if citizens > clients {
        println!("{citizens} citizens signed in, {clients} at a time, in {:.0} s", t0.elapsed().as_secs_f64());
    }
    // Client i takes citizens i, i + clients, i + 2 × clients, … in turn.
    let turns: Vec<Vec<(String, String)>> =
        (0..clients).map(|i| sessions.iter().skip(i).step_by(clients).cloned().collect()).collect();
    let blobs = BlobStore::local(&dir.join("blobs"), MasterKey::generate())?;
    let dyn_store: Arc<dyn Store> = store.clone();
    let app = Arc::new(App::new(dyn_store, blobs, AppConfig::default()).await?);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    let server = tokio::spawn(async move { axum::serve(listener, dossier_server::router(app)).await });
    let http = reqwest::Client::builder().pool_max_idle_per_host(clients).build()?;

    let span = Duration::from_secs(seconds);
    // With more citizens than clients, the same run also measures the pages
    // of one citizen per client asked again, interleaved: the cost of rows
    // no earlier request read is the ratio of the two.
    let again: Vec<Vec<(String, String)>> = turns.iter().map(|t| t[..1].to_vec()).collect();
    for round in 1..=2 {
        let page = pages(&http, &base, &turns, span).await?;
        let repeated = if citizens > clients { Some(pages(&http, &base, &again, span).await?) } else { None };
        let reader = store.clone();
        let bare = load(&turns, span, move |(_, rnokpp)| {
            let (store, rnokpp) = (reader.clone(), rnokpp.clone());
            async move {
                let person = store.person_by_rnokpp(&rnokpp).await.ok()??;
                store.pension_record(person.id).await.ok().map(|_| ())
            }
        })
        .await?;
        let who = if citizens > clients { format!(", {citizens} citizens in turn") } else { String::new() };
        println!(
            "round {round}: account page over HTTP, {clients} concurrent{who}: {} pages/s, p50 {:.1} ms, p99 {:.1} ms | \
             bare store read: {} reads/s, p50 {:.1} ms, p99 {:.1} ms | p99 page / bare = {:.1}",
            page.rate,
            page.p50,
            page.p99,
            bare.rate,
            bare.p50,
            bare.p99,
            page.p99 / bare.p99
        );
        if let Some(r) = repeated {
            println!(
                "round {round}: the same page, one citizen per client asking again: {} pages/s, p50 {:.1} ms, \
                 p99 {:.1} ms | p99 every citizen / again = {:.2}",
                r.rate,
                r.p50,
                r.p99,
                page.p99 / r.p99
            );
        }
    }
    server.abort();
    Ok(())
}

/// Each client asks for its citizens' account pages in turn.
async fn pages(http: &reqwest::Client, base: &str, turns: &[Vec<(String, String)>], span: Duration) -> Result<Figures> {
    let (client, url) = (http.clone(), format!("{base}/account"));
    load(turns, span, move |(token, rnokpp)| {
        let (http, url, rnokpp) = (client.clone(), url.clone(), rnokpp.clone());
        let cookie = format!("__Host-dossier-citizen={token}");
        async move {
            let r = http.get(url).header("cookie", cookie).send().await.ok()?;
            // Only the citizen's own account counts: a page that answers 200
            // without it (the login offered to a session not found) is a failure.
            (r.status().is_success() && r.text().await.ok()?.contains(rnokpp.as_str())).then_some(())
        }
    })
    .await
}

struct Figures {
    rate: u64,
    p50: f64,
    p99: f64,
}

/// Every client asks `ask` of its citizens in turn, round and round, until
/// `span` is over, each client in its own task; latencies in ms.
async fn load<F, Fut>(clients: &[Vec<(String, String)>], span: Duration, ask: F) -> Result<Figures>
where
    F: Fn(&(String, String)) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Option<()>> + Send + 'static,
{
    let ask = Arc::new(ask);
    let start = Instant::now();
    let tasks: Vec<_> = clients
        .iter()
        .cloned()
        .map(|c| {
            let ask = ask.clone();
            tokio::spawn(async move {
                let (mut times, mut failed) = (Vec::new(), 0usize);
                for c in c.iter().cycle() {
                    if start.elapsed() >= span {
                        break;
                    }
                    let t = Instant::now();
                    match ask(c).await {
                        Some(()) => times.push(t.elapsed().as_secs_f64() * 1000.0),
                        None => failed += 1,
                    }
                }
                (times, failed)
            })
        })
        .collect();
    let (mut all, mut failed) = (Vec::new(), 0usize);
    for task in tasks {
        let (times, f) = task.await?;
        all.extend(times);
        failed += f;
    }
    let elapsed = start.elapsed().as_secs_f64();
    ensure!(failed == 0, "{failed} requests failed");
    ensure!(!all.is_empty(), "nothing answered");
    all.sort_by(f64::total_cmp);
    let at = |q: f64| all[((all.len() as f64 * q) as usize).min(all.len() - 1)];
    Ok(Figures { rate: (all.len() as f64 / elapsed) as u64, p50: at(0.5), p99: at(0.99) })
}
