//! Digitization dossiers: numbered per agency and day, never twice.
use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;
use dossier_domain::digitization::AgencyCode;

use super::*;

fn new_dossier(unit_id: i64, agency: &str, day: NaiveDate) -> NewDigitizationDossier {
    NewDigitizationDossier {
        id: uuid::Uuid::new_v4(),
        agency: AgencyCode::parse(agency).unwrap(),
        received_on: day,
        unit_id,
        procedure: "1.001234".into(),
        person_id: None,
    }
}

contract!(SqlStore; spec_9_dossier_codes_number_each_agencys_day_from_0001_and_never_repeat, |s| {
    let t = tree(&s).await;
    let s = Arc::new(s);
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    // Sixteen counters open dossiers at once: sixteen numbers, 0001–0016, each once.
    let opened = futures::future::join_all((0..16).map(|_| {
        let s = s.clone();
        let unit = t.district_a.id;
        async move { s.open_digitization_dossier(&actor(), &new_dossier(unit, "000.00.31.H29", day)).await.unwrap() }
    }))
    .await;
    let codes: HashSet<String> = opened.iter().map(|d| d.code.to_string()).collect();
    let expected: HashSet<String> = (1..=16).map(|n| format!("000.00.31.H29-230405-{n:04}")).collect();
    assert_eq!(codes, expected);
    // Another agency and another day start again at 0001.
    let other = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.12.H56", day)).await.unwrap();
    assert_eq!(other.code.to_string(), "000.00.12.H56-230405-0001");
    let next_day = day.succ_opt().unwrap();
    let d = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", next_day)).await.unwrap();
    assert_eq!(d.code.to_string(), "000.00.31.H29-230406-0001");
    let read = s.digitization_dossier(d.id).await.unwrap().unwrap();
    assert_eq!((read.code, read.procedure.as_str(), read.unit_id), (d.code, "1.001234", t.district_a.id));
    let audit = s.audit_of(&format!("digitization_dossier:{}", d.id), 5).await.unwrap();
    assert_eq!(audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["digitization.dossier.open"]);
});

contract!(SqlStore; spec_9_a_day_has_9999_dossier_numbers_and_the_10000th_is_refused_taking_none, |s| {
    let t = tree(&s).await;
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    s.execute_raw(dossier_store::audit::Log::Change, "UPDATE digitization_sequences SET last = 9998").await.unwrap();
    let last = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    assert_eq!(last.code.to_string(), "000.00.31.H29-230405-9999");
    let refused = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await;
    match refused {
        Err(StoreError::Conflict(m)) => assert_eq!(m.key, "digitization.day_full"),
        other => panic!("{other:?}"),
    }
    // The refusal wrote nothing: no dossier, and the counter did not move past 9 999.
    let again = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    let next = day.succ_opt().unwrap();
    let d = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", next)).await.unwrap();
    assert_eq!(d.code.sequence(), 1);
});
