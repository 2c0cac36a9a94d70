//! The demo's pension records: three employers, and for the citizens the demo
//! hub gives a wallet (and a few more) a working life — one job for twenty
//! years, then another, still open — loaded as the employers' reports are.
//! Those who retired at 62 have been paid an old-age pension since, moved
//! over from the fund's previous system as an import would.
use anyhow::Result;
use chrono::{Datelike, NaiveDate};
use dossier_domain::ident::Iban;
use dossier_domain::payment::{Delivery, PaidRow, Pension};
use dossier_domain::pension::PensionKind;
use dossier_domain::record::{Activity, Month, ReportRow};
use dossier_store::{Actor, Store};

/// Made-up employers; their EDRPOU check digits are right.
pub const EMPLOYERS: [(&str, &str); 3] =
    [("31456789", "ТОВ «Світанок»"), ("22314153", "ПП «Калина»"), ("45123454", "КП «Міськсвітло»")];

pub async fn seed(store: &dyn Store, actor: &Actor, today: NaiveDate) -> Result<()> {
    for (code, name) in EMPLOYERS {
        store.save_employer(actor, code, name).await?;
    }
    let people = crate::hub::pick_adults(store).await;
    let mut paid: Vec<(i64, PaidRow)> = Vec::new();
    let iban = Iban::parse("UA213223130000026007233566001").map_err(|_| anyhow::anyhow!("the demo IBAN"))?;
    for (i, person) in people.iter().enumerate() {
        let Some(rnokpp) = person.tax_id.rnokpp() else { continue };
        let born = person.birth_date.year();
        // Work from 22; a first job for twenty years, then the next until 62 or today.
        let start = Month::new((born + 22).max(1960), 9).unwrap_or(Month::of(today));
        let switch = Month::new(start.year() + 20, 3).unwrap_or(start);
        let end = Month::new(born + 62, 12).unwrap_or(start).min(Month::of(today));
        let (first, second) = (EMPLOYERS[i % 3].0, EMPLOYERS[(i + 1) % 3].0);
        let mut jobs: Vec<(&str, Vec<(i64, ReportRow)>)> = vec![(first, Vec::new()), (second, Vec::new())];
        let mut month = start;
        let mut line = 2;
        while month <= end {
            let job = usize::from(month >= switch);
            let years = f64::from(month.year() - 1960);
            // A wage that grows over the decades, in kopecks.
            let wage = (12_000.0 * 1.105f64.powf(years)) as i64 + (i as i64) * 5_000;
            let mut row = ReportRow {
                rnokpp: rnokpp.clone(),
                month,
                wage,
                contribution: wage * 22 / 100,
                kind: Activity::Employment,
                hired: None,
                dismissed: None,
            };
            if month == start || month == switch {
                row.hired = Some(month.first_day() + chrono::Duration::days(4));
            }
            let last_of_first_job = job == 0 && Month::new(switch.year(), switch.month() - 1) == Some(month);
            // Retired at 62: the last job ends with the last month worked.
            let retired = month == end && end < Month::of(today);
            if last_of_first_job || retired {
                row.dismissed = Some(month.last_day());
            }
            jobs[job].1.push((line, row));
            line += 1;
            month = Month::of(month.last_day() + chrono::Duration::days(1));
        }
        for (employer, rows) in jobs {
            if !rows.is_empty() {
                store.import_report(actor, employer, &rows, today).await?;
            }
        }
        if end < Month::of(today) {
            let since = end.last_day() + chrono::Duration::days(1);
            let delivery = Delivery::Bank { iban: iban.clone() };
            let amount = 385_000 + (i as i64) * 41_230;
            let pension = Pension { kind: PensionKind::OldAge, amount, since, delivery, delivery_since: since };
            paid.push((paid.len() as i64 + 2, PaidRow { rnokpp: rnokpp.clone(), pension }));
        }
    }
    if !paid.is_empty() {
        let units = store.units().await?;
        let root = units.iter().find(|u| u.parent_id.is_none()).ok_or_else(|| anyhow::anyhow!("no central unit"))?;
        store.import_pensions(actor, &root.path, &paid).await?;
    }
    Ok(())
}
