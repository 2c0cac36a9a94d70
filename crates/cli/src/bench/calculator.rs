//! The pension calculators in process (BENCHMARKS.md "Personal account",
//! issue 21: ≥ 100 000 calculations/s): `count` estimates of each country's
//! formula on one core, every input different (points, record, birth date,
//! a what-if wage and a later claim), through the same functions the API
//! calls. `bench/calculator.sh` runs a Python `decimal` peer of the same
//! Russian formula beside it.
use std::time::Instant;

use anyhow::Result;
use chrono::NaiveDate;
use dossier_domain::calculator::{Decimal, Tables, russia, ukraine};
use dossier_domain::person::Sex;

pub fn run(count: usize) -> Result<()> {
    let tables = Tables::builtin()?;
    let today = NaiveDate::from_ymd_opt(2026, 12, 4).ok_or_else(|| anyhow::anyhow!("a date"))?;
    let born = |i: usize| NaiveDate::from_ymd_opt(1950 + (i % 40) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32);

    let started = Instant::now();
    let mut total = Decimal::ZERO;
    for i in 0..count {
        let input = russia::Input {
            sex: if i % 2 == 0 { Sex::Male } else { Sex::Female },
            birth_date: born(i).ok_or_else(|| anyhow::anyhow!("a birth date"))?,
            points: Decimal::new((i % 200_000) as i64, 3),
            record_years: (i % 45) as u32,
            monthly_wage: Decimal::from((i % 7) * 20_000),
            retire_at_age: (i % 3 == 0).then_some(67),
        };
        total += russia::estimate(&tables.russia, &input, today)?.amount;
    }
    report("russia", count, started.elapsed().as_secs_f64(), total);

    let started = Instant::now();
    let mut total = Decimal::ZERO;
    for i in 0..count {
        let input = ukraine::Input {
            birth_date: born(i).ok_or_else(|| anyhow::anyhow!("a birth date"))?,
            record_months: (i % 540) as u32,
            wage_coefficient: Decimal::new((i % 300_000) as i64, 5),
            wage_months: None,
            monthly_wage: Decimal::from((i % 5) * 10_000),
            retire_at_age: (i % 3 == 0).then_some(65),
        };
        total += ukraine::estimate(&tables.ukraine, &input, today)?.amount;
    }
    report("ukraine", count, started.elapsed().as_secs_f64(), total);
    Ok(())
}

fn report(country: &str, count: usize, secs: f64, total: Decimal) {
    println!(
        "calculator {country}: {count} estimates in {secs:.3} s = {:.0} estimates/s (sum of amounts {total})",
        count as f64 / secs
    );
}
