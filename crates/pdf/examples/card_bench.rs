//! Renders N card backs (form 5) on one thread and prints the rate, for BENCHMARKS.md:
//! once as N one-page files (one per card, as a single card is re-issued) and once as one
//! N-page file (a personalizer's batch).
//!
//!     cargo run --release -p dossier-pdf --example card_bench -- [N] [first-card.pdf]
//!
//! Every card differs (OKZO, card id, surname), so nothing is served from a cache.

use std::time::Instant;

use chrono::{DateTime, NaiveDate};
use dossier_pdf::{CardBack, CardSex, render_card_backs};

fn card(n: usize) -> CardBack {
    CardBack {
        okzo: n as u64,
        card_id: format!("5168 7420 {:08}", n),
        surname: if n.is_multiple_of(10) {
            "Ґалаґан-Рибалко Семенюк-Запорожець".into()
        } else {
            format!("Шевченко-{n}")
        },
        given_name: "Мар’яна".into(),
        patronymic: "Євгенівна".into(),
        sex: CardSex::Female,
        birth_date: NaiveDate::from_ymd_opt(1948, 2, 8).unwrap_or_default(),
        pension_kind: "по інвалідності внаслідок загального захворювання".into(),
        valid_until: NaiveDate::from_ymd_opt(2029, 11, 21).unwrap_or_default(),
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(2000);
    let created = DateTime::parse_from_rfc3339("2026-11-21T14:05:31+02:00")?;
    let first = render_card_backs(&[card(1)], created)?; // warm-up: fonts parsed once per process
    let start = Instant::now();
    for i in 0..n {
        render_card_backs(&[card(i)], created)?;
    }
    let single = start.elapsed().as_secs_f64();
    let cards: Vec<CardBack> = (0..n).map(card).collect();
    let start = Instant::now();
    let batch = render_card_backs(&cards, created)?;
    let together = start.elapsed().as_secs_f64();
    println!(
        "card backs, one thread: {n} one-page files in {single:.3} s = {:.0} pages/s; one {n}-page file in {together:.3} s = {:.0} pages/s ({} bytes)",
        n as f64 / single,
        n as f64 / together,
        batch.len()
    );
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(&path, &first)?;
        println!("first card written to {path}");
    }
    Ok(())
}
