//! The pension record: an employer's report is taken whole or not at all,
//! periods open and close as the report says, months are never counted twice,
//! and a reported mistake is a case staff answer once.
use chrono::NaiveDate;
use dossier_domain::ident::Rnokpp;
use dossier_domain::record::{Activity, Month, ReportRow};

use super::*;

const EMPLOYER: &str = "37567646";

fn row(rnokpp: &str, month: &str, wage: i64) -> ReportRow {
    ReportRow {
        rnokpp: Rnokpp::parse(rnokpp).unwrap(),
        month: Month::parse(month).unwrap(),
        wage,
        contribution: wage * 22 / 100,
        kind: Activity::Employment,
        hired: None,
        dismissed: None,
    }
}

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn problems(r: StoreResult<ReportReceipt>) -> Vec<(String, String)> {
    match r {
        Err(StoreError::Invalid(inv)) => inv.0.into_iter().map(|e| (e.field, e.message.key.to_string())).collect(),
        other => panic!("expected a refusal, got {other:?}"),
    }
}

async fn worker(s: &SqlStore) -> PersonRecord {
    let t = tree(s).await;
    s.save_employer(&actor(), EMPLOYER, "ТОВ «Зоря»").await.unwrap();
    s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap()
}

contract!(SqlStore; spec_21_2_a_report_opens_and_closes_periods_and_sums_each_year, |s| {
    let p = worker(&s).await;
    let mut jan = row("1759013776", "2025-01", 2_000_000);
    jan.hired = Some(day("2025-01-13"));
    let mut mar = row("1759013776", "2025-03", 2_100_000);
    mar.dismissed = Some(day("2025-03-31"));
    let rows = vec![(2, jan), (3, row("1759013776", "2025-02", 2_000_000)), (4, mar)];
    let receipt = s.import_report(&actor(), EMPLOYER, &rows, today()).await.unwrap();
    assert_eq!((receipt.rows, receipt.periods_opened, receipt.periods_closed), (3, 1, 1));
    let record = s.pension_record(p.id).await.unwrap();
    assert_eq!(record.periods.len(), 1);
    let period = &record.periods[0];
    assert_eq!((period.from, period.to, period.employer_name.as_str()), (day("2025-01-13"), Some(day("2025-03-31")), "ТОВ «Зоря»"));
    assert_eq!(record.years.len(), 1);
    let y = &record.years[0];
    assert_eq!((y.year, y.months, y.wage, y.contribution), (2025, 3, 6_100_000, 1_342_000));
    assert_eq!(y.employers, vec!["ТОВ «Зоря»".to_owned()]);
    // A second job in February and April: four months of the year, each counted once, both employers named.
    s.save_employer(&actor(), "22314153", "ПП «Береза»").await.unwrap();
    let second = vec![(2, row("1759013776", "2025-02", 500_000)), (3, row("1759013776", "2025-04", 500_000))];
    s.import_report(&actor(), "22314153", &second, today()).await.unwrap();
    let y = s.pension_record(p.id).await.unwrap().years.remove(0);
    assert_eq!((y.year, y.months, y.wage), (2025, 4, 7_100_000));
    assert_eq!(y.employers, vec!["ПП «Береза»".to_owned(), "ТОВ «Зоря»".to_owned()]);
    // The same employer's next report adds to the year it already summed.
    s.import_report(&actor(), "22314153", &[(2, row("1759013776", "2025-05", 500_000))], today()).await.unwrap();
    let y = s.pension_record(p.id).await.unwrap().years.remove(0);
    assert_eq!((y.year, y.months, y.wage, y.employers.len()), (2025, 5, 7_600_000, 2));
    // Rehired later: a new period; the months before it need no hiring to count.
    let mut back = row("1759013776", "2026-01", 2_500_000);
    back.hired = Some(day("2026-01-05"));
    s.import_report(&actor(), EMPLOYER, &[(2, back)], today()).await.unwrap();
    // (Зоря 2025, Береза from February — still open —, Зоря again from 2026.)
    assert_eq!(s.pension_record(p.id).await.unwrap().periods.len(), 3);
});

contract!(SqlStore; spec_21_2_a_bad_report_is_refused_row_by_row_and_writes_nothing, |s| {
    let p = worker(&s).await;
    s.import_report(&actor(), EMPLOYER, &[(2, row("1759013776", "2025-05", 1_000_000))], today()).await.unwrap();
    let stranger = Rnokpp::compose(day("1970-01-01"), 5, dossier_domain::person::Sex::Male).unwrap();
    let mut rehired = row("1759013776", "2025-06", 1_000_000);
    rehired.hired = Some(day("2025-06-01"));
    let rows = vec![
        (2, row("1759013776", "2025-07", 1_000_000)),
        (3, row(stranger.as_str(), "2025-06", 1_000_000)),
        (4, row("1759013776", "2025-05", 1_000_000)),
        (5, rehired),
        (6, row("1759013776", "1940-01", 1_000_000)),
        (7, row("1759013776", "2025-07", 1_000_000)),
    ];
    let mut found = problems(s.import_report(&actor(), EMPLOYER, &rows, today()).await);
    found.sort();
    assert_eq!(
        found,
        [
            ("rows[3].rnokpp", "record.unknown_person"),
            ("rows[4].month", "record.month_already_reported"),
            ("rows[5].hired", "record.period_overlaps"),
            ("rows[6].month", "record.period_before_birth"),
            ("rows[7].month", "record.month_already_reported"),
        ]
        .map(|(f, k)| (f.to_owned(), k.to_owned()))
    );
    let record = s.pension_record(p.id).await.unwrap();
    assert_eq!((record.years.len(), record.years[0].months), (1, 1), "nothing of the refused report was written");
    let unknown = problems(s.import_report(&actor(), "00035323", &[(2, row("1759013776", "2025-08", 1))], today()).await);
    assert_eq!(unknown, [("employer".to_owned(), "record.unknown_employer".to_owned())]);
});

contract!(SqlStore; spec_21_2_a_reported_mistake_is_a_case_answered_once, |s| {
    let p = worker(&s).await;
    let case = s
        .report_record_mistake(&NewCorrection {
            person_id: p.id,
            reported_by: "citizen:sub-1".into(),
            year: Some(2025),
            text: "Березень 2025 не враховано".into(),
        })
        .await
        .unwrap();
    assert_eq!(case.status, "open");
    let scope = p.unit_path.clone();
    assert_eq!(s.record_corrections(&scope, true).await.unwrap().len(), 1);
    let done = s.resolve_record_correction(&actor(), case.id, "Звіт роботодавця виправлено").await.unwrap();
    assert_eq!((done.status.as_str(), done.answer.as_deref()), ("resolved", Some("Звіт роботодавця виправлено")));
    assert!(s.record_corrections(&scope, true).await.unwrap().is_empty());
    assert!(matches!(s.resolve_record_correction(&actor(), case.id, "ще раз").await, Err(StoreError::Conflict(_))));
    let of_person = s.record_corrections_of(p.id).await.unwrap();
    assert_eq!(of_person.len(), 1);
    crate::same_record(&of_person[0], &s.record_correction(case.id).await.unwrap().unwrap());
});
