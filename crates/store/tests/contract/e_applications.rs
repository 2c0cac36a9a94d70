//! E-applications: filed with their files, signed once, decided once; the
//! decision is queued for the person's subscriptions and for the address
//! given on the application, and nowhere else. A granted pension assignment
//! starts the pension in payment; a granted delivery change moves it; a
//! pension paid before Dossier is imported, never over one granted here.
use chrono::{Duration, Utc};
use dossier_domain::e_application::{Decision, EApplicationData, EApplicationInput, Request, Status};
use dossier_domain::notify::{Channel, Topic};
use dossier_domain::payment::{Delivery, PaidRow, Pension, PensionChange};

use super::*;

fn data(email: &str) -> dossier_domain::e_application::EApplicationData {
    EApplicationInput {
        kind: "delivery_change".into(),
        delivery: "bank".into(),
        iban: "UA213223130000026007233566001".into(),
        email: email.into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

/// An application of `person` filed at the first district, with `files`.
fn filing(t: &Tree, person: uuid::Uuid, data: EApplicationData, files: Vec<EApplicationFile>) -> NewEApplication {
    NewEApplication {
        id: uuid::Uuid::now_v7(),
        person_id: person,
        unit_id: t.district_a.id,
        data,
        statement: "ЗАЯВА\n".into(),
        filed_by: "citizen:sub-1".into(),
        by_representative: false,
        lang: "uk".into(),
        files,
        at: Utc::now(),
    }
}

/// Filed and signed: in the inbox, waiting for a decision.
async fn submitted(s: &SqlStore, new: &NewEApplication) -> EApplicationRecord {
    let a = s.create_e_application(new).await.unwrap();
    let signed = SigningOutcome::Signed { signature: vec![1], signer: "CN=X".into(), due_on: today(), at: new.at };
    s.finish_signing(&actor(), a.id, &signed).await.unwrap()
}

/// A decision on `id`, with the pension it starts or moves, if any.
fn decision(id: uuid::Uuid, decision: Decision, pension: Option<PensionChange>) -> NewDecision {
    NewDecision {
        id,
        decision,
        reasons: Some("Підстави рішення".into()),
        document_sha256: "cd".repeat(32),
        certificate_id: None,
        pension,
        at: Utc::now(),
    }
}

contract!(SqlStore; spec_21_4_an_e_application_is_signed_once_decided_once_and_its_decision_is_told, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let now = Utc::now();
    let scan = EApplicationFile {
        position: 1,
        name: "scan.pdf".into(),
        content_type: "application/pdf".into(),
        sha256: "ab".repeat(32),
        size: 1234,
        source: "upload".into(),
    };
    let new = || NewEApplication { at: now, ..filing(&t, p.id, data("olena@example.org"), vec![scan.clone()]) };
    let a = s.create_e_application(&new()).await.unwrap();
    assert_eq!((a.status, a.unit_path.clone()), (Status::Signing, t.district_a.path.clone()));
    assert_eq!(s.e_application_files(a.id).await.unwrap().len(), 1);
    s.set_e_application_signing(a.id, "hub-req-1").await.unwrap();
    // Still being signed: not in the inbox.
    assert!(s.e_application_inbox(&t.district_a.path, None).await.unwrap().is_empty());
    let due_on = today() + Duration::days(7);
    let signed = SigningOutcome::Signed { signature: vec![0x30, 0x03], signer: "CN=X".into(), due_on, at: now };
    let a = s.finish_signing(&actor(), a.id, &signed).await.unwrap();
    assert_eq!((a.status, a.due_on, a.hub_request_id.as_deref()), (Status::Submitted, Some(due_on), Some("hub-req-1")));
    assert!(matches!(s.finish_signing(&actor(), a.id, &signed).await, Err(StoreError::Conflict(_))), "signed once");
    assert_eq!(s.e_application_inbox(&t.district_a.path, Some(Status::Submitted)).await.unwrap().len(), 1);
    assert!(s.e_application_inbox(&t.district_b.path, None).await.unwrap().is_empty(), "another district sees nothing");
    // An abandoned one never reaches the inbox and cannot be decided.
    let b = s.create_e_application(&new()).await.unwrap();
    let b = s.finish_signing(&actor(), b.id, &SigningOutcome::NotSigned { at: now }).await.unwrap();
    assert_eq!(b.status, Status::Abandoned);
    let decide = |id, verdict| NewDecision { at: now, ..decision(id, verdict, None) };
    assert!(matches!(s.decide_e_application(&actor(), &decide(b.id, Decision::Granted)).await, Err(StoreError::Conflict(_))));
    // Nothing is told before the decision; then one e-mail to the address on the application.
    let claim = |when| {
        let s = s.clone();
        async move { s.claim_notifications(&[Channel::Email], when, Duration::minutes(5), 100).await.unwrap() }
    };
    assert!(claim(now).await.is_empty());
    let decided = s.decide_e_application(&actor(), &decide(a.id, Decision::Granted)).await.unwrap();
    assert_eq!(decided.status, Status::Granted);
    assert_eq!(decided.decision_sha256.as_deref(), Some("cd".repeat(32).as_str()));
    assert!(matches!(s.decide_e_application(&actor(), &decide(a.id, Decision::Refused)).await, Err(StoreError::Conflict(_))));
    let told = claim(now + Duration::seconds(1)).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].notification.topic, Topic::EApplicationDecided);
    assert_eq!(told[0].notification.payload["decision"], "granted");
    let of_person = s.e_applications_of(p.id).await.unwrap();
    assert_eq!(of_person.len(), 2);
    for a in &of_person {
        crate::same_record(a, &s.e_application(a.id).await.unwrap().unwrap());
    }
    // The address of the application is no system's webhook and hears nothing else.
    assert!(s.subscriptions_of(Subscribers::Systems).await.unwrap().is_empty());
});

contract!(SqlStore; racing_decisions_leave_exactly_one, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let a = submitted(&s, &filing(&t, p.id, data(""), vec![])).await;
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let s = s.clone();
            let verdict = if i % 2 == 0 { Decision::Granted } else { Decision::Refused };
            let d = NewDecision { document_sha256: format!("{i:064}"), ..decision(a.id, verdict, None) };
            tokio::spawn(async move { s.decide_e_application(&actor(), &d).await.is_ok() })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1, "one decision, whoever came first");
});

contract!(SqlStore; spec_21_5_a_granted_assignment_starts_the_pension_and_a_granted_delivery_change_moves_it, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let assignment = EApplicationInput {
        kind: "pension_assignment".into(),
        pension_kind: "old_age".into(),
        delivery: "post".into(),
        postcode: "82100".into(),
        address: "вул. Івана Франка, 12, Дрогобич".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let granted = |id, pension| decision(id, Decision::Granted, Some(pension));
    let change = submitted(&s, &filing(&t, p.id, data(""), vec![])).await;
    let Request::DeliveryChange { delivery: bank } = change.data.request.clone() else { panic!("a delivery change") };
    let to_bank = PensionChange::Deliver { delivery: bank.clone(), since: today() };
    // Nothing to move yet: refused, and the application is still waiting.
    let refused = s.decide_e_application(&actor(), &granted(change.id, to_bank.clone())).await;
    assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
    assert_eq!(s.e_application(change.id).await.unwrap().unwrap().status, Status::Submitted);
    assert_eq!(s.pension(p.id).await.unwrap(), None);

    let assign = submitted(&s, &filing(&t, p.id, assignment, vec![])).await;
    let Request::PensionAssignment { pension_kind, delivery: post } = assign.data.request.clone() else { panic!() };
    assert!(matches!(post, Delivery::Post { .. }));
    let since = today() - Duration::days(30);
    let pension = Pension { kind: pension_kind, amount: 512_340, since, delivery: post, delivery_since: since };
    s.decide_e_application(&actor(), &granted(assign.id, PensionChange::Assign(pension.clone()))).await.unwrap();
    let paid = s.pension(p.id).await.unwrap().expect("a pension in payment");
    assert_eq!((paid.pension, paid.e_application_id), (pension.clone(), Some(assign.id)));

    s.decide_e_application(&actor(), &granted(change.id, to_bank)).await.unwrap();
    let paid = s.pension(p.id).await.unwrap().unwrap();
    assert_eq!(paid.pension, Pension { delivery: bank, delivery_since: today(), ..pension }, "the same pension, moved");
    assert_eq!(paid.e_application_id, Some(change.id));
    let born = chrono::NaiveDate::from_ymd_opt(1956, 3, 14).unwrap();
    let rnokpp = dossier_domain::ident::Rnokpp::compose(born, 417, dossier_domain::person::Sex::Female).unwrap();
    let other = person(rnokpp.as_str(), "Коваленко", "1956-03-14", "female");
    let other = s.create_person(&actor(), t.district_a.id, &other).await.unwrap();
    assert_eq!(s.pension(other.id).await.unwrap(), None, "nobody else's");
});

/// A person born on `born` (`YYYY-MM-DD`), registered at `unit`.
async fn born(s: &SqlStore, unit: i64, born: &str, serial: u16) -> PersonRecord {
    let rnokpp =
        dossier_domain::ident::Rnokpp::compose(day(born), serial, dossier_domain::person::Sex::Female).unwrap();
    s.create_person(&actor(), unit, &person(rnokpp.as_str(), "Коваленко", born, "female")).await.unwrap()
}

fn day(d: &str) -> chrono::NaiveDate {
    chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap()
}

/// A row of a pensions-paid file: `who` is paid `amount` kopecks by post since `since`.
fn paid(line: i64, who: &PersonRecord, amount: i64, since: &str) -> (i64, PaidRow) {
    let rnokpp = who.data.tax_id.rnokpp().unwrap().clone();
    let since = day(since);
    let delivery = Delivery::Post {
        postcode: "82100".into(), address: "вул. Івана Франка, 12, Дрогобич".into()
    };
    let kind = dossier_domain::pension::PensionKind::OldAge;
    (line, PaidRow { rnokpp, pension: Pension { kind, amount, since, delivery, delivery_since: since } })
}

contract!(SqlStore; spec_21_5_pensions_paid_before_dossier_are_imported_all_or_nothing_never_over_a_grant, |s| {
    let t = tree(&s).await;
    let shevchuk = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let kovalenko = born(&s, t.district_a.id, "1956-03-14", 417).await;
    let elsewhere = born(&s, t.district_b.id, "1957-05-02", 418).await;
    let row = paid;
    let problems = |r: StoreResult<PensionImport>| match r {
        Err(StoreError::Invalid(inv)) => inv.0.into_iter().map(|e| (e.field, e.message.key.to_string())).collect::<Vec<_>>(),
        other => panic!("expected a refusal, got {other:?}"),
    };
    let scope = t.district_a.path.clone();
    // Every problem named; a person of another district is as unknown as one not registered.
    let bad = s
        .import_pensions(&actor(), &scope, &[
            row(2, &shevchuk, 412_000, "2013-03-01"),
            row(3, &elsewhere, 380_000, "2019-01-01"),
            row(4, &shevchuk, 412_000, "2013-03-01"),
            row(5, &kovalenko, 380_000, "1950-01-01"),
        ])
        .await;
    assert_eq!(problems(bad), [
        ("rows[3].rnokpp".to_owned(), "record.unknown_person".to_owned()),
        ("rows[4].rnokpp".to_owned(), "payment.person_twice".to_owned()),
        ("rows[5].since".to_owned(), "record.period_before_birth".to_owned()),
    ]);
    assert_eq!(s.pension(shevchuk.id).await.unwrap(), None, "nothing written");

    let done = s.import_pensions(&actor(), &scope, &[row(2, &shevchuk, 412_000, "2013-03-01"), row(3, &kovalenko, 380_000, "2016-06-01")]).await.unwrap();
    assert_eq!(done, PensionImport { rows: 2, replaced: 0 });
    let paid = s.pension(shevchuk.id).await.unwrap().unwrap();
    assert_eq!((paid.pension.amount, paid.pension.since, paid.e_application_id), (412_000, day("2013-03-01"), None));
    // The same file again, corrected: the import replaces what it wrote.
    let again = s.import_pensions(&actor(), &scope, &[row(2, &shevchuk, 415_500, "2013-03-01")]).await.unwrap();
    assert_eq!(again, PensionImport { rows: 1, replaced: 1 });
    assert_eq!(s.pension(shevchuk.id).await.unwrap().unwrap().pension.amount, 415_500);

    // Once an application here has changed it, the import keeps off.
    let change = submitted(&s, &filing(&t, shevchuk.id, data(""), vec![])).await;
    let Request::DeliveryChange { delivery: bank } = change.data.request.clone() else { panic!("a delivery change") };
    let to_bank = PensionChange::Deliver { delivery: bank.clone(), since: today() };
    s.decide_e_application(&actor(), &decision(change.id, Decision::Granted, Some(to_bank))).await.unwrap();
    let over = s.import_pensions(&actor(), &scope, &[row(2, &shevchuk, 1, "2013-03-01")]).await;
    assert_eq!(problems(over), [("rows[2].rnokpp".to_owned(), "payment.granted_here".to_owned())]);
    let paid = s.pension(shevchuk.id).await.unwrap().unwrap();
    assert_eq!((paid.pension.amount, paid.pension.delivery, paid.e_application_id), (415_500, bank, Some(change.id)));
    assert_eq!(s.pension(kovalenko.id).await.unwrap().unwrap().pension.amount, 380_000);
    assert_eq!(s.pension(elsewhere.id).await.unwrap(), None);
});

contract!(SqlStore; spec_21_5_a_pension_import_run_reports_refused_rows_keeps_the_rest_and_resumes, |s| {
    let t = tree(&s).await;
    let shevchuk = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let kovalenko = born(&s, t.district_a.id, "1956-03-14", 417).await;
    let elsewhere = born(&s, t.district_b.id, "1957-05-02", 418).await;
    // A run for the people under the first district; a people run of the same file is another run.
    let run = s.start_import(&actor(), ImportKind::Pensions, "f00d", "paid.csv", t.district_a.id).await.unwrap();
    let people = s.start_import(&actor(), ImportKind::People, "f00d", "paid.csv", t.district_a.id).await.unwrap();
    assert_ne!(run.id, people.id);
    assert_eq!(run.kind, ImportKind::Pensions);
    let batch = ImportBatch {
        rows: vec![
            paid(2, &shevchuk, 412_000, "2013-03-01"),
            paid(3, &elsewhere, 380_000, "2019-01-01"),
            paid(4, &kovalenko, 380_000, "1950-01-01"),
        ],
        rejected: vec![ImportError::new(5, "amount", "payment.amount_zero")],
        consumed: 4,
    };
    let run = s.import_pension_batch(&actor(), &run, batch).await.unwrap();
    assert_eq!((run.rows_done, run.rows_ok, run.rows_failed), (4, 1, 3));
    assert_eq!(s.pension(shevchuk.id).await.unwrap().unwrap().pension.amount, 412_000, "the good row kept");
    let history = s.audit_of(&format!("person:{}", shevchuk.id), 10).await.unwrap();
    let entry = history.iter().find(|e| e.action == "pension.import").expect("the pension audited");
    let details: serde_json::Value = serde_json::from_str(&entry.details).unwrap();
    assert_eq!(details["import"], serde_json::json!(run.id), "{details}");
    assert!(!entry.details.contains("Франка"), "no address in the audit trail");
    assert_eq!(s.pension(elsewhere.id).await.unwrap(), None);
    let errors = s.import_errors(run.id).await.unwrap();
    let named: Vec<_> = errors.iter().map(|e| (e.line, e.field.as_str())).collect();
    assert_eq!(named, [(3, "rnokpp"), (4, "since"), (5, "amount")]);
    assert!(errors.iter().all(|e| e.message.contains(" / ")), "in Ukrainian and English");

    // The same file again: the run resumes after its four rows.
    let resumed = s.start_import(&actor(), ImportKind::Pensions, "f00d", "paid.csv", t.district_a.id).await.unwrap();
    assert_eq!((resumed.id, resumed.rows_done, resumed.kind), (run.id, 4, ImportKind::Pensions));

    // A pension granted here is refused into the report, the batch's other rows kept.
    let change = submitted(&s, &filing(&t, shevchuk.id, data(""), vec![])).await;
    let Request::DeliveryChange { delivery: bank } = change.data.request.clone() else { panic!("a delivery change") };
    let to_bank = PensionChange::Deliver { delivery: bank, since: today() };
    s.decide_e_application(&actor(), &decision(change.id, Decision::Granted, Some(to_bank))).await.unwrap();
    let batch = ImportBatch {
        rows: vec![paid(6, &shevchuk, 1, "2013-03-01"), paid(7, &kovalenko, 380_000, "2016-06-01")],
        rejected: vec![],
        consumed: 2,
    };
    let run = s.import_pension_batch(&actor(), &resumed, batch).await.unwrap();
    assert_eq!((run.rows_done, run.rows_ok, run.rows_failed), (6, 2, 4));
    assert_eq!(s.pension(shevchuk.id).await.unwrap().unwrap().pension.amount, 412_000);
    assert_eq!(s.pension(kovalenko.id).await.unwrap().unwrap().pension.amount, 380_000);
    let last = s.import_errors(run.id).await.unwrap().pop().unwrap();
    assert_eq!((last.line, last.field.as_str()), (6, "rnokpp"));
    s.finish_import(&run).await.unwrap();
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});
