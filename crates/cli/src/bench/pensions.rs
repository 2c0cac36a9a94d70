//! Pensions paid before Dossier (issue 21 §5): `people` pensioners in a fresh
//! store, then `rounds` imports of a pension for each of them — the file
//! parsed from CSV, every row checked, the people found, the pensions written
//! and each one audited, in one transaction (the first round records them, the
//! others replace them, as a corrected re-run would). Beside it, each round,
//! the same file through `dossier import-pensions`'s code (read from disk, in
//! resumable batches of 20 000 with a report). The peer, interleaved round by
//! round on the same SQLite file: the same rows upserted bare into a table of
//! the same shape — what writing alone costs.
use std::fmt::Write;
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Result, anyhow, ensure};
use chrono::Utc;
use dossier_store::{Actor, EApplications, Org, SqlStore};
use sqlx::Connection;

const IBAN: &str = "UA213223130000026007233566001";

pub async fn run(dir: &std::path::Path, people: usize, rounds: usize) -> Result<()> {
    let file = dir.join("pensions.db");
    let store = Arc::new(SqlStore::open(&format!("sqlite://{}?mode=rwc", file.display())).await?);
    let actor = Actor::system("bench");
    let district = super::one_district(&store, &actor).await?;
    let root = store.units().await?.into_iter().find(|u| u.parent_id.is_none()).ok_or_else(|| anyhow!("no root"))?;
    let today = Utc::now().date_naive();
    let rnokpps = super::record::people_in(&store, &actor, district.id, people, (63, 90)).await?;
    let mut peer = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display())).await?;
    sqlx::query(
        "CREATE TABLE bench_pensions (person_id BLOB PRIMARY KEY, kind TEXT NOT NULL, amount BIGINT NOT NULL, \
         since TEXT NOT NULL, delivery TEXT NOT NULL, delivery_since TEXT NOT NULL, updated_at TEXT NOT NULL)",
    )
    .execute(&mut peer)
    .await?;
    let ids: Vec<[u8; 16]> = (0..rnokpps.len()).map(|_| *uuid::Uuid::new_v4().as_bytes()).collect();
    let (mut ours, mut bare, mut parsing, mut batched) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for round in 0..rounds {
        let mut csv = String::from("rnokpp,kind,amount,since,delivery,iban\n");
        for (i, r) in rnokpps.iter().enumerate() {
            let _ = writeln!(csv, "{r},old_age,{}.{:02},2020-01-01,bank,{IBAN}", 3_500 + i % 4_000, round % 100);
        }
        let n = rnokpps.len();
        let t0 = Instant::now();
        let rows = dossier_app::payments::parse_paid(csv.as_bytes(), today).map_err(|e| anyhow!("{e:?}"))?;
        parsing.push(t0.elapsed().as_secs_f64());
        let done = store.import_pensions(&actor, &root.path, &rows).await?;
        let took = t0.elapsed().as_secs_f64();
        ours.push(n as f64 / took);
        if let Some(p) = parsing.last_mut() {
            *p /= took;
        }
        ensure!(done.rows as usize == n, "{} pensions recorded of {n}", done.rows);

        // The command line's way: the file from disk, in batches, each its own transaction.
        let (csv_file, report) = (dir.join(format!("paid-{round}.csv")), dir.join("paid.errors.csv"));
        std::fs::write(&csv_file, csv.replace(",2020-01-01,", ",2020-02-01,"))?;
        let t0 = Instant::now();
        let all = crate::import::pensions(store.clone(), &csv_file, None, Some(report), 20_000).await?;
        batched.push(n as f64 / t0.elapsed().as_secs_f64());
        ensure!(all, "the command line refused rows");

        // The peer: the same number of pensions, upserted bare.
        let delivery = format!(r#"{{"method":"bank","iban":"{IBAN}"}}"#);
        let t0 = Instant::now();
        let mut tx = peer.begin().await?;
        for chunk in ids.chunks(500) {
            let sql = format!(
                "INSERT INTO bench_pensions VALUES {} ON CONFLICT (person_id) DO UPDATE SET kind = excluded.kind, \
                 amount = excluded.amount, since = excluded.since, delivery = excluded.delivery, \
                 delivery_since = excluded.delivery_since, updated_at = excluded.updated_at",
                vec!["(?, ?, ?, ?, ?, ?, ?)"; chunk.len()].join(", ")
            );
            let mut q = sqlx::query(&sql);
            for id in chunk {
                q = q.bind(&id[..]).bind("old_age").bind(350_000i64 + round as i64).bind("2020-01-01");
                q = q.bind(&delivery).bind("2020-01-01").bind(Utc::now());
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        bare.push(n as f64 / t0.elapsed().as_secs_f64());
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let each = |v: &[f64]| v.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join(" ");
    println!("  each round, ours: {}", each(&ours));
    println!("  each round, command line: {}", each(&batched));
    println!("  each round, bare: {}", each(&bare));
    let (o, c, b, p) = (median(&mut ours), median(&mut batched), median(&mut bare), median(&mut parsing));
    println!(
        "SQLite: {rounds} imports of {} pensions: import {o:.0} pensions/s (median), bare upsert of the same \
         rows {b:.0} rows/s; ours / bare = {:.2}; reading and checking the CSV {:.0} % of an import; \
         dossier import-pensions (batches of 20 000) {c:.0} pensions/s = {:.2} of the one-transaction import",
        rnokpps.len(),
        o / b,
        p * 100.0,
        c / o
    );
    Ok(())
}
