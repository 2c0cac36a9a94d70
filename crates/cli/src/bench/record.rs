//! Employers' reports (issue 21 §2): `people` people in a fresh store, then
//! `rounds` reports of `months` months each for all of them — every report
//! parsed from CSV, judged whole (people, months on file, periods) and
//! written in its transaction. The peer, interleaved round by round on the
//! same SQLite file: the same rows inserted bare (multi-row INSERT into a
//! table of the same shape, no parsing, no checks) — what writing alone costs.
use std::fmt::Write;
use std::time::Instant;

use anyhow::{Result, ensure};
use chrono::Utc;
use dossier_domain::record::Month;
use dossier_store::{Actor, Imports, PensionRecords, SqlStore};
use rand::SeedableRng;
use sqlx::Connection;

/// `count` generated people of `ages` (in years) registered at `district`; their RNOKPPs.
pub(crate) async fn people_in(
    store: &SqlStore,
    actor: &Actor,
    district: i64,
    count: usize,
    ages: (u32, u32),
) -> Result<Vec<String>> {
    let today = Utc::now().date_naive();
    let mut rng = rand::rngs::StdRng::seed_from_u64(21);
    let mut persons = Vec::with_capacity(count);
    let mut seen = std::collections::HashSet::new();
    let mut n = 0u64;
    while persons.len() < count {
        n += 1;
        // Generated RNOKPPs repeat now and then (the serial has three digits): one person each.
        if let Ok(p) = crate::demo::people::person(&mut rng, 700_000 + n, today, ages.0, ages.1).validate(today)
            && seen.insert(p.tax_id.number().to_owned())
        {
            persons.push((n as i64 + 1, p));
        }
    }
    let rnokpps = persons.iter().filter_map(|(_, p)| p.tax_id.rnokpp().map(|r| r.as_str().to_owned())).collect();
    store.import_persons(actor, district, persons).await?;
    Ok(rnokpps)
}

pub async fn run(dir: &std::path::Path, people: usize, months: usize, rounds: usize) -> Result<()> {
    let file = dir.join("record.db");
    let store = SqlStore::open(&format!("sqlite://{}?mode=rwc", file.display())).await?;
    let actor = Actor::system("bench");
    let district = super::one_district(&store, &actor).await?;
    let today = Utc::now().date_naive();
    let rnokpps = people_in(&store, &actor, district.id, people, (25, 60)).await?;
    store.save_employer(&actor, "31456789", "ТОВ «Світанок»").await?;
    let mut peer = sqlx::SqliteConnection::connect(&format!("sqlite://{}", file.display())).await?;
    sqlx::query(
        "CREATE TABLE bench_earnings (person_id BLOB NOT NULL, employer TEXT NOT NULL, month INTEGER NOT NULL, \
         wage INTEGER NOT NULL, contribution INTEGER NOT NULL, report_id BLOB NOT NULL, \
         PRIMARY KEY (person_id, employer, month)) WITHOUT ROWID",
    )
    .execute(&mut peer)
    .await?;
    let (mut ours, mut bare) = (Vec::new(), Vec::new());
    let mut total = 0usize;
    // The reports cover the months up to last month; everyone generated is 25 or older.
    let now = Month::of(today);
    let earliest = now.year() * 12 + now.month() as i32 - 1 - (rounds * months) as i32;
    for round in 0..rounds {
        let first = earliest + (round * months) as i32;
        let mut csv = String::from("rnokpp,month,wage,contribution\n");
        for r in &rnokpps {
            for m in 0..months as i32 {
                let (y, mo) = ((first + m) / 12, (first + m) % 12 + 1);
                let _ = writeln!(csv, "{r},{y}-{mo:02},{}.00,{}.50", 15_000 + m, 3_300 + m);
            }
        }
        let rows_n = rnokpps.len() * months;
        let t0 = Instant::now();
        let rows = dossier_app::record::parse_report(csv.as_bytes(), today).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let receipt = store.import_report(&actor, "31456789", &rows, today).await?;
        ours.push(rows_n as f64 / t0.elapsed().as_secs_f64());
        ensure!(receipt.rows as usize == rows_n, "{} rows stored of {rows_n}", receipt.rows);

        // The peer: the same number of rows, bare.
        let report = uuid::Uuid::now_v7().as_bytes().to_vec();
        let t0 = Instant::now();
        let mut tx = peer.begin().await?;
        let ids: Vec<[u8; 16]> = (0..rnokpps.len()).map(|_| *uuid::Uuid::new_v4().as_bytes()).collect();
        let flat: Vec<(usize, i32)> = (0..ids.len()).flat_map(|p| (0..months as i32).map(move |m| (p, m))).collect();
        for chunk in flat.chunks(500) {
            let sql =
                format!("INSERT INTO bench_earnings VALUES {}", vec!["(?, ?, ?, ?, ?, ?)"; chunk.len()].join(", "));
            let mut q = sqlx::query(&sql);
            for (p, m) in chunk {
                let month = Month::new((first + m) / 12, ((first + m) % 12 + 1) as u32).map_or(0, |m| m.key());
                q = q.bind(&ids[*p][..]).bind("31456789").bind(month).bind(1_500_000i64).bind(330_050i64);
                q = q.bind(&report[..]);
            }
            q.execute(&mut *tx).await?;
        }
        tx.commit().await?;
        bare.push(rows_n as f64 / t0.elapsed().as_secs_f64());
        total += rows_n;
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let (o, b) = (median(&mut ours), median(&mut bare));
    println!(
        "SQLite: {rounds} reports of {} people × {months} months ({total} rows): \
         report import {o:.0} rows/s (median), bare INSERT of the same rows {b:.0} rows/s; ours / bare = {:.2}",
        rnokpps.len(),
        o / b
    );
    println!("  each round, ours: {}", ours.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join(" "));
    println!("  each round, bare: {}", bare.iter().map(|x| format!("{x:.0}")).collect::<Vec<_>>().join(" "));
    Ok(())
}
