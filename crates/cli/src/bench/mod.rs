//! `dossier bench …`: the in-process halves of the benchmarks in `bench/`.
//! They measure the store directly, without HTTP, so BENCHMARKS.md can report
//! the service's overhead as a ratio against the same work done in-process.
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use dossier_domain::application::ApplicationInput;
use dossier_store::{Actor, Page, PersonQuery, Store};

pub mod account;
pub mod appointments;
pub mod blobs;
pub mod calculator;
pub mod cards;
pub mod digitization;
pub mod outbox;
pub mod pensions;
pub mod production;
pub mod record;
pub mod search;
pub mod sharing;
pub mod status;

/// A fund, one region and one district office in `store`: the smallest tree
/// a benchmark's people, dossiers and branches can live in. Returns the district.
pub(crate) async fn one_district(store: &dossier_store::SqlStore, actor: &Actor) -> Result<dossier_store::Unit> {
    use dossier_domain::org::UnitKind;
    use dossier_store::{NewUnit, Org};
    let unit = |parent, kind, code: &str| NewUnit {
        parent_id: parent,
        kind,
        code: code.into(),
        name_uk: code.into(),
        name_en: code.into(),
        address: None,
    };
    let fund = store.create_unit(actor, unit(None, UnitKind::CentralFund, "C")).await?;
    let region = store.create_unit(actor, unit(Some(fund.id), UnitKind::RegionalOffice, "R")).await?;
    Ok(store.create_unit(actor, unit(Some(region.id), UnitKind::DistrictOffice, "D")).await?)
}

/// Latency summary of a run.
pub struct Figures {
    pub ops: u64,
    pub secs: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl Figures {
    pub(crate) fn from(mut lat: Vec<Duration>, secs: f64) -> Figures {
        lat.sort_unstable();
        let pct = |p: f64| {
            lat.get(((lat.len() as f64 * p) as usize).min(lat.len().saturating_sub(1)))
                .map(|d| d.as_secs_f64() * 1000.0)
                .unwrap_or(0.0)
        };
        Figures { ops: lat.len() as u64, secs, p50_ms: pct(0.50), p99_ms: pct(0.99) }
    }
    pub fn print(&self, what: &str) {
        println!(
            "{what}: {} ops in {:.2} s = {:.0} ops/s, p50 {:.3} ms, p99 {:.3} ms",
            self.ops,
            self.secs,
            self.ops as f64 / self.secs,
            self.p50_ms,
            self.p99_ms
        );
    }
}

fn lines(path: &Path) -> Result<Vec<String>> {
    Ok(std::fs::read_to_string(path)
        .with_context(|| format!("reading {}", path.display()))?
        .lines()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect())
}

/// Looks people up by RNOKPP with `concurrency` tasks for `seconds`.
pub async fn direct_lookup(store: Arc<dyn Store>, rnokpps: &Path, seconds: u64, concurrency: usize) -> Result<Figures> {
    let keys = Arc::new(lines(rnokpps)?);
    anyhow::ensure!(!keys.is_empty(), "no RNOKPPs in {}", rnokpps.display());
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = vec![];
    for t in 0..concurrency {
        let store = store.clone();
        let keys = keys.clone();
        tasks.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut i = t;
            while Instant::now() < deadline {
                let k = &keys[i % keys.len()];
                let t0 = Instant::now();
                let found = store.person_by_rnokpp(k).await?;
                lat.push(t0.elapsed());
                anyhow::ensure!(found.is_some(), "RNOKPP from the list not found");
                i += concurrency;
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(Figures::from(all, start.elapsed().as_secs_f64()))
}

/// Files one card application (issued at `issue_unit_id`, a bank branch) for
/// each listed person id, `concurrency` tasks at once, with every rule, the
/// duplicate check and audit — the same request body as `bench/apply.lua`.
pub async fn direct_apply(
    store: Arc<dyn Store>,
    ids: &Path,
    issue_unit_id: i64,
    concurrency: usize,
) -> Result<Figures> {
    let ids: Vec<uuid::Uuid> = lines(ids)?.iter().filter_map(|l| l.parse().ok()).collect();
    let ids = Arc::new(ids);
    let start = Instant::now();
    let mut tasks = vec![];
    for t in 0..concurrency {
        let store = store.clone();
        let ids = ids.clone();
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("bench");
            let input = ApplicationInput {
                pension_kind: "long_service".into(),
                form: "card".into(),
                issue_unit_id: Some(issue_unit_id),
                payment_system: Some("national".into()),
                ..Default::default()
            };
            let mut lat = Vec::new();
            let mut refused = 0u64;
            for id in ids.iter().skip(t).step_by(concurrency) {
                let t0 = Instant::now();
                match store.create_application(&actor, *id, &input, chrono::Utc::now()).await {
                    Ok(_) => lat.push(t0.elapsed()),
                    // A rule refused it (e.g. a demo person already holds one): counted, as wrk counts non-2xx.
                    Err(dossier_store::StoreError::Invalid(_)) => refused += 1,
                    Err(e) => return Err(e.into()),
                }
            }
            Ok::<_, anyhow::Error>((lat, refused))
        }));
    }
    let mut all = vec![];
    let mut refused = 0;
    for t in tasks {
        let (lat, r) = t.await??;
        all.extend(lat);
        refused += r;
    }
    if refused > 0 {
        println!("refused by a rule: {refused}");
    }
    Ok(Figures::from(all, start.elapsed().as_secs_f64()))
}

/// Writes `count` person ids and their RNOKPPs (two files) from the registry.
pub async fn export_ids(store: Arc<dyn Store>, count: usize, ids_out: &Path, rnokpps_out: &Path) -> Result<()> {
    let root = store.units().await?.into_iter().find(|u| u.parent_id.is_none()).context("no org tree")?;
    let mut ids = String::new();
    let mut rnokpps = String::new();
    let mut offset = 0;
    let mut n = 0;
    while n < count {
        let page =
            store.search_persons(&root.path, &PersonQuery::default(), Page::new(offset, Page::MAX_LIMIT)).await?;
        if page.is_empty() {
            break;
        }
        offset += page.len() as i64;
        for p in page {
            if let Some(r) = p.data.tax_id.rnokpp() {
                ids.push_str(&format!("{}\n", p.id));
                rnokpps.push_str(&format!("{r}\n"));
                n += 1;
            }
        }
    }
    std::fs::write(ids_out, ids)?;
    std::fs::write(rnokpps_out, rnokpps)?;
    println!("exported {n} people");
    Ok(())
}
