//! The store's contract, run against both backends: SQLite always, PostgreSQL
//! when one is reachable (`DOSSIER_TEST_PG_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`). With `CI=true` an
//! unreachable PostgreSQL fails the suite instead of skipping it.
use std::sync::Arc;

use chrono::{NaiveDate, Utc};
use dossier_db::contract;
use dossier_domain::application::{ApplicationInput, ReplacementInput};
use dossier_domain::lifecycle::{Event, Stage};
use dossier_domain::org::{UnitKind, UnitPath};
use dossier_domain::person::{PersonData, PersonInput, RepresentativeInput};
use dossier_store::audit::Log;
use dossier_store::*;

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

/// A fresh store of each available backend. Each PostgreSQL store gets its
/// own database, dropped when the test ends.
async fn sqlite() -> (SqlStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    (SqlStore::open(&url).await.unwrap(), dir)
}

async fn postgres() -> Option<(SqlStore, String)> {
    let (url, name) = dossier_db::testing::fresh_pg_database("dossier_test").await?;
    Some((SqlStore::open(&url).await.unwrap(), name))
}

fn actor() -> Actor {
    Actor { label: "tester".into(), account_id: None }
}

struct Tree {
    central: Unit,
    region: Unit,
    district_a: Unit,
    district_b: Unit,
    centre_a: Unit,
    branch: Unit,
}

async fn tree(s: &SqlStore) -> Tree {
    let mk = |parent: Option<i64>, kind, code: &str| NewUnit {
        parent_id: parent,
        kind,
        code: code.into(),
        name_uk: code.into(),
        name_en: code.into(),
        address: None,
    };
    let central = s.create_unit(&actor(), mk(None, UnitKind::CentralFund, "C")).await.unwrap();
    let region = s.create_unit(&actor(), mk(Some(central.id), UnitKind::RegionalOffice, "R")).await.unwrap();
    let district_a = s.create_unit(&actor(), mk(Some(region.id), UnitKind::DistrictOffice, "DA")).await.unwrap();
    let district_b = s.create_unit(&actor(), mk(Some(region.id), UnitKind::DistrictOffice, "DB")).await.unwrap();
    let centre_a = s.create_unit(&actor(), mk(Some(district_a.id), UnitKind::ServiceCentre, "SA")).await.unwrap();
    let bank = s.create_unit(&actor(), mk(Some(central.id), UnitKind::Bank, "BANK")).await.unwrap();
    let branch = s.create_unit(&actor(), mk(Some(bank.id), UnitKind::BankBranch, "BR")).await.unwrap();
    Tree { central, region, district_a, district_b, centre_a, branch }
}

fn person(rnokpp: &str, surname: &str, birth: &str, sex: &str) -> PersonData {
    PersonInput {
        rnokpp: Some(rnokpp.into()),
        surname: surname.into(),
        given_name: "Петро".into(),
        patronymic: Some("Іванович".into()),
        birth_date: birth.into(),
        sex: sex.into(),
        okzo: Some("4521".into()),
        account_no: Some("778899".into()),
        id_card: Some("001234567".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

fn shevchuk() -> PersonData {
    person("1759013776", "Шевчук", "1948-02-28", "male")
}

fn paper(unit: i64) -> ApplicationInput {
    ApplicationInput {
        pension_kind: "old_age".into(),
        form: "paper".into(),
        issue_unit_id: Some(unit),
        ..Default::default()
    }
}

/// A card application issued at `unit` (a bank branch), on the national payment system.
fn card_at(unit: i64) -> ApplicationInput {
    ApplicationInput { form: "card".into(), payment_system: Some("national".into()), ..paper(unit) }
}

contract!(SqlStore; org_tree_has_paths_and_enforces_parent_kinds, |s| {
    let t = tree(&s).await;
    assert_eq!(t.centre_a.path, t.central.path.child(t.region.id).child(t.district_a.id).child(t.centre_a.id));
    let bad = s
        .create_unit(
            &actor(),
            NewUnit {
                parent_id: Some(t.centre_a.id),
                kind: UnitKind::RegionalOffice,
                code: "X".into(),
                name_uk: "X".into(),
                name_en: "X".into(),
                address: None,
            },
        )
        .await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))));
    let dup = s
        .create_unit(
            &actor(),
            NewUnit {
                parent_id: Some(t.region.id),
                kind: UnitKind::DistrictOffice,
                code: "DA".into(),
                name_uk: "X".into(),
                name_en: "X".into(),
                address: None,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    assert_eq!(s.units().await.unwrap().len(), 7);
});

contract!(SqlStore; person_is_found_by_every_key_within_scope_only, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let scope_a = t.district_a.path.clone();
    let scope_b = t.district_b.path.clone();
    let find = |q: PersonQuery, scope: UnitPath| {
        let s = s.clone();
        async move { s.search_persons(&scope, &q, Page::default()).await.unwrap() }
    };
    assert_eq!(
        find(PersonQuery { rnokpp: Some("1759013776".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    assert_eq!(
        find(PersonQuery { okzo: Some("0000004521".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    assert_eq!(
        find(PersonQuery { account_no: Some("778899".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    assert_eq!(
        find(PersonQuery { document_no: Some("001234567".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    // Name prefix: case- and apostrophe-insensitive.
    let q = PersonQuery { name_prefix: Some(dossier_domain::name::normal_form("ШЕВ")), ..Default::default() };
    assert_eq!(find(q.clone(), scope_a.clone()).await[0].id, p.id);
    // Another district's scope sees nothing.
    assert!(find(q, scope_b).await.is_empty());
    assert!(
        find(PersonQuery { rnokpp: Some("1759013776".into()), ..Default::default() }, t.district_b.path.clone())
            .await
            .is_empty()
    );
    // The region sees its districts.
    assert_eq!(find(PersonQuery::default(), t.region.path.clone()).await.len(), 1);
});

contract!(SqlStore; apostrophe_variants_find_the_same_name, |s| {
    let t = tree(&s).await;
    let mut p = person("1759013776", "Мар’яненко", "1948-02-28", "male");
    p.name.given = dossier_domain::name::NamePart::parse("Дем'ян").unwrap();
    s.create_person(&actor(), t.district_a.id, &p).await.unwrap();
    for q in ["мар'ян", "МАРʼЯНЕНКО", "марянен"] {
        let q = PersonQuery { name_prefix: Some(dossier_domain::name::normal_form(q)), ..Default::default() };
        let found = s.search_persons(&t.central.path, &q, Page::default()).await.unwrap();
        assert_eq!(found.len(), 1, "{q:?}");
        assert_eq!(found[0].data.name.surname.as_str(), "Мар’яненко", "spelling kept exactly");
    }
});

contract!(SqlStore; duplicate_person_is_refused_and_nothing_is_written, |s| {
    let t = tree(&s).await;
    s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let before = s.audit_verify().await.unwrap().entries();
    let again = s.create_person(&actor(), t.district_b.id, &shevchuk()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    assert_eq!(s.audit_verify().await.unwrap().entries(), before, "a refused write leaves no audit entry");
    assert_eq!(s.search_persons(&t.central.path, &PersonQuery::default(), Page::default()).await.unwrap().len(), 1);
});

contract!(SqlStore; religious_refusal_stores_no_rnokpp, |s| {
    let t = tree(&s).await;
    let p = PersonInput {
        religious_refusal: true,
        passport: Some("КВ123456".into()),
        surname: "Гнатюк".into(),
        given_name: "Марія".into(),
        birth_date: "1950-05-05".into(),
        sex: "female".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    let rec = s.create_person(&actor(), t.district_a.id, &p).await.unwrap();
    assert!(rec.data.tax_id.rnokpp().is_none());
    let found = s
        .search_persons(
            &t.central.path,
            &PersonQuery { document_no: Some("КВ123456".into()), ..Default::default() },
            Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
});

contract!(SqlStore; application_duplicate_check_runs_inside_the_transaction, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let first = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    assert_eq!(first.stage, Stage::Accepted);
    assert!(first.number.starts_with("З-2026-"));
    match s.create_application(&actor(), p.id, &paper(t.centre_a.id), Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("pension_kind", "application.duplicate")),
        other => panic!("expected a duplicate refusal, got {other:?}"),
    }
    // Concurrent filings for another person: exactly one wins.
    let birth = today() - chrono::Duration::days(25_000);
    let r = dossier_domain::ident::Rnokpp::compose(birth, 17, dossier_domain::person::Sex::Male).unwrap();
    let q = s
        .create_person(&actor(), t.district_a.id, &person(r.as_str(), "Коваль", &birth.to_string(), "male"))
        .await
        .unwrap();
    let mut handles = vec![];
    for _ in 0..6 {
        let s = s.clone();
        let unit = t.district_a.id;
        handles.push(tokio::spawn(
            async move { s.create_application(&actor(), q.id, &paper(unit), Utc::now()).await.is_ok() },
        ));
    }
    let mut wins = 0;
    for h in handles {
        wins += h.await.unwrap() as i32;
    }
    assert_eq!(wins, 1, "the duplicate check must hold under concurrency");
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

contract!(SqlStore; amend_and_withdraw_only_before_production, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let app = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let mut amended = paper(t.centre_a.id);
    amended.pension_kind = "long_service".into();
    let a = s.amend_application(&actor(), app.id, &amended, today()).await.unwrap();
    assert_eq!(a.data.issue_unit_id, t.centre_a.id);
    s.advance_certificate(&actor(), app.id, Event::SubmitToRegion, None).await.unwrap();
    assert!(matches!(
        s.amend_application(&actor(), app.id, &paper(t.district_a.id), today()).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(s.withdraw_application(&actor(), app.id, "").await, Err(StoreError::Conflict(_))));
    let events = s.certificate_events(app.id).await.unwrap();
    assert_eq!(events.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(), ["file", "submit_to_region"]);
});

contract!(SqlStore; replacement_returns_the_previous_certificate, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let old = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    for ev in dossier_domain::lifecycle::path_to_issue(dossier_domain::lifecycle::CertificateForm::Paper) {
        s.advance_certificate(&actor(), old.id, *ev, None).await.unwrap();
    }
    let mut input = paper(t.district_a.id);
    input.replacement = Some(ReplacementInput {
        reason: "unusable".into(),
        previous_certificate_id: Some(old.id),
        previous_disposition: "returned".into(),
    });
    let new = s.create_application(&actor(), p.id, &input, Utc::now()).await.unwrap();
    assert_eq!(new.stage, Stage::Accepted);
    assert_eq!(s.certificate(old.id).await.unwrap().unwrap().stage, Stage::Returned);
});

contract!(SqlStore; iv_1_the_card_is_made_by_the_bank_where_the_pension_account_is, |s| {
    use dossier_domain::card::Party;
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    // The application names the branch of the bank that keeps the account: not a fund office.
    let mut input = card_at(t.district_a.id);
    match s.create_application(&actor(), p.id, &input, Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("issue_unit_id", "application.issue_unit_not_bank_branch")),
        other => panic!("{other:?}"),
    }
    input.issue_unit_id = Some(t.branch.id);
    let card = s.create_application(&actor(), p.id, &input, Utc::now()).await.unwrap();
    let send = NewCardMessage {
        event: Event::SendToBank,
        sender: Party::Fund,
        unit_id: t.central.id,
        payload: "{\"event\":\"send_to_bank\"}".into(),
        seal: None,
        card_expires_on: None,
    };
    s.card_step(&actor(), card.id, &send, now()).await.unwrap();
    // That bank, and no other, has the card to make.
    let queue = |bank: UnitPath| CardFilter { issue_scope: Some(bank), owner_scope: None, stages: Party::Bank.stages() };
    let bank = s.unit(t.branch.parent_id.unwrap()).await.unwrap().unwrap();
    let made_by = s.cards(&queue(bank.path), Page::default()).await.unwrap();
    assert_eq!(made_by.iter().map(|c| c.id).collect::<Vec<_>>(), [card.id]);
    let other = s
        .create_unit(&actor(), NewUnit {
            parent_id: Some(t.central.id),
            kind: UnitKind::Bank,
            code: "BANK2".into(),
            name_uk: "BANK2".into(),
            name_en: "BANK2".into(),
            address: None,
        })
        .await
        .unwrap();
    assert!(s.cards(&queue(other.path), Page::default()).await.unwrap().is_empty());
});

contract!(SqlStore; a_card_holder_on_record_gets_no_paper_certificate, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    s.create_application(&actor(), p.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let mut paper_kind = paper(t.district_a.id);
    paper_kind.pension_kind = "long_service".into();
    match s.create_application(&actor(), p.id, &paper_kind, Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("form", "application.card_holder_no_paper")),
        other => panic!("{other:?}"),
    }
});

// §I.2 with §I.3, the other direction: a paper holder (or applicant) gets a
// card only in place of the paper certificate, never beside it.
contract!(SqlStore; rule_i_2_a_paper_holder_gets_a_card_only_in_place_of_the_paper_one, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let pending = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let mut card_kind = card_at(t.branch.id);
    card_kind.pension_kind = "long_service".into();
    match s.create_application(&actor(), p.id, &card_kind, Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("form", "application.paper_holder_card_in_its_place"), "{inv:?}"),
        other => panic!("{other:?}"),
    }
    assert_eq!(s.certificates_of(p.id).await.unwrap().len(), 1, "nothing written");
    // Withdrawn, the paper application no longer stands in the way.
    s.withdraw_application(&actor(), pending.id, "").await.unwrap();
    s.create_application(&actor(), p.id, &card_kind, Utc::now()).await.unwrap();
});

contract!(SqlStore; representative_is_required_for_a_minor, |s| {
    let t = tree(&s).await;
    let birth = today() - chrono::Duration::days(10 * 365);
    let r = dossier_domain::ident::Rnokpp::compose(birth, 5, dossier_domain::person::Sex::Female).unwrap();
    let child = s
        .create_person(&actor(), t.district_a.id, &person(r.as_str(), "Коваль", &birth.to_string(), "female"))
        .await
        .unwrap();
    let mut input = paper(t.district_a.id);
    input.pension_kind = "loss_of_breadwinner".into();
    assert!(matches!(s.create_application(&actor(), child.id, &input, Utc::now()).await, Err(StoreError::Invalid(_))));
    let rep = RepresentativeInput {
        kind: "parent".into(),
        surname: "Коваль".into(),
        given_name: "Ірина".into(),
        proof_document: "Свідоцтво про народження І-КВ №123456".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let rep = s.add_representative(&actor(), child.id, &rep).await.unwrap();
    input.representative_id = Some(rep.id);
    s.create_application(&actor(), child.id, &input, Utc::now()).await.unwrap();
});

contract!(SqlStore; audit_chain_verifies_and_catches_a_direct_edit, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    s.audit(&actor(), "person.read", &format!("person:{}", p.id), serde_json::json!({})).await.unwrap();
    let ok = s.audit_verify().await.unwrap();
    assert!(ok.first_broken().is_none());
    assert_eq!(ok.of(Log::Change).unwrap().entries, 8);
    assert_eq!(ok.of(Log::Access).unwrap().entries, 1);
    let history = s.audit_of(&format!("person:{}", p.id), 10).await.unwrap();
    assert_eq!(history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["person.read", "person.create"]);
    assert_eq!(history.iter().map(|e| e.log).collect::<Vec<_>>(), [Log::Access, Log::Change]);
    s.execute_raw(Log::Change, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").await.unwrap();
    let broken = s.audit_verify().await.unwrap();
    let (log, link) = broken.first_broken().unwrap();
    assert_eq!((log, link.seq), (Log::Change, 3));
});

contract!(SqlStore; access_log_tampering_is_caught_too, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    for _ in 0..3 {
        s.audit(&actor(), "person.read", &format!("person:{}", p.id), serde_json::json!({})).await.unwrap();
    }
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
    s.execute_raw(Log::Access, "DELETE FROM access_log WHERE seq = 2").await.unwrap();
    let broken = s.audit_verify().await.unwrap();
    let (log, link) = broken.first_broken().unwrap();
    assert_eq!((log, link.seq), (Log::Access, 3));
});

contract!(SqlStore; concurrent_reads_are_audited_without_forking_the_chain, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let mut handles = vec![];
    for i in 0..200 {
        let s = s.clone();
        let subject = format!("person:{}", p.id);
        handles.push(tokio::spawn(async move {
            s.audit(&actor(), "person.read", &subject, serde_json::json!({"i": i})).await
        }));
    }
    for h in handles {
        h.await.unwrap().unwrap();
    }
    let r = s.audit_verify().await.unwrap();
    assert!(r.first_broken().is_none(), "{:?}", r.first_broken());
    assert_eq!(s.audit_of(&format!("person:{}", p.id), 1000).await.unwrap().len(), 201);
});

contract!(SqlStore; import_batches_resume_and_report_rejects, |s| {
    let t = tree(&s).await;
    let run = s.start_import(&actor(), "abc", "people.csv", t.district_a.id).await.unwrap();
    let batch = ImportBatch {
        rows: vec![(2, shevchuk()), (3, shevchuk())],
        rejected: vec![ImportError { line: 4, field: "rnokpp".into(), message: "bad".into() }],
        consumed: 3,
    };
    let run = s.import_batch(&actor(), &run, batch).await.unwrap();
    assert_eq!((run.rows_done, run.rows_ok, run.rows_failed), (3, 1, 2));
    // Same file again before finishing: the run resumes where it stopped.
    let resumed = s.start_import(&actor(), "abc", "people.csv", t.district_a.id).await.unwrap();
    assert_eq!((resumed.id, resumed.rows_done), (run.id, 3));
    let done = s.finish_import(&resumed).await.unwrap();
    assert!(done.finished_at.is_some());
    let errors = s.import_errors(run.id).await.unwrap();
    assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

contract!(SqlStore; sessions_tokens_and_lockout, |s| {
    let t = tree(&s).await;
    let acc = s
        .create_account(
            &actor(),
            NewAccount {
                login: "ivan".into(),
                full_name: "Іван".into(),
                role: dossier_domain::org::Role::Specialist,
                unit_id: t.centre_a.id,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    for _ in 0..3 {
        s.login_failed(acc.id, 3, chrono::Duration::minutes(5)).await.unwrap();
    }
    assert!(s.account(acc.id).await.unwrap().unwrap().locked_until.is_some());
    s.create_session(NewSession {
        token_hash: "h1".into(),
        account_id: acc.id,
        csrf: "c".into(),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
    })
    .await
    .unwrap();
    assert_eq!(s.session("h1").await.unwrap().unwrap().1.login, "ivan");
    s.delete_session("h1").await.unwrap();
    assert!(s.session("h1").await.unwrap().is_none());
    s.create_api_token(&actor(), acc.id, "robot", "th").await.unwrap();
    assert_eq!(s.account_by_api_token("th").await.unwrap().unwrap().id, acc.id);
    assert!(s.account_by_api_token("nope").await.unwrap().is_none());
});

contract!(SqlStore; id_card_expiry_is_stored_and_corrected, |s| {
    let t = tree(&s).await;
    let mut p = shevchuk();
    p.id_card_expires = NaiveDate::from_ymd_opt(2031, 3, 9);
    let rec = s.create_person(&actor(), t.district_a.id, &p).await.unwrap();
    assert_eq!(s.person(rec.id).await.unwrap().unwrap().data.id_card_expires, NaiveDate::from_ymd_opt(2031, 3, 9));
    p.id_card_expires = NaiveDate::from_ymd_opt(2035, 1, 1);
    s.update_person(&actor(), rec.id, &p).await.unwrap();
    assert_eq!(s.person(rec.id).await.unwrap().unwrap().data.id_card_expires, NaiveDate::from_ymd_opt(2035, 1, 1));
    let history = s.audit_of(&format!("person:{}", rec.id), 10).await.unwrap();
    assert!(history[0].details.contains("id_card_expires"), "{}", history[0].details);
});

fn issued(serial: &str, subject: CertSubject) -> NewIssuedCertificate {
    let now = chrono::Utc::now();
    NewIssuedCertificate {
        serial: serial.into(),
        profile: match subject {
            CertSubject::Person(_) => dossier_domain::certification::Profile::QesIdCard,
            CertSubject::Unit(_) => dossier_domain::certification::Profile::DocumentSigning,
        },
        subject,
        card_application_id: None,
        subject_name: "CN=test".into(),
        not_before: now,
        not_after: now + chrono::Duration::days(365),
        der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
    }
}

contract!(SqlStore; issued_certificates_and_revocations_are_recorded_and_audited, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let unit_cert =
        s.record_issued_certificate(&actor(), issued("7F0A01", CertSubject::Unit(t.central.id))).await.unwrap();
    assert_eq!(unit_cert.serial, "7f0a01");
    assert_eq!(unit_cert.der, vec![0x30, 0x03, 0x02, 0x01, 0x01]);
    s.record_issued_certificate(&actor(), issued("7f0a02", CertSubject::Person(p.id))).await.unwrap();
    // A serial is never reused.
    let again = s.record_issued_certificate(&actor(), issued("7f0a01", CertSubject::Unit(t.region.id))).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    // Found by serial in any spelling, and by subject.
    assert!(s.issued_certificate("7F:0A:01").await.unwrap().is_some());
    assert!(s.issued_certificate("ffff").await.unwrap().is_none());
    let of_unit = s.issued_certificates_of(CertSubject::Unit(t.central.id)).await.unwrap();
    assert_eq!(of_unit.iter().map(|c| c.serial.as_str()).collect::<Vec<_>>(), ["7f0a01"]);
    assert_eq!(s.issued_certificates_of(CertSubject::Person(p.id)).await.unwrap().len(), 1);

    let at = chrono::Utc::now();
    let revoked = s.revoke_certificate(&actor(), "7f0a02", "key-compromise", at).await.unwrap();
    assert_eq!(revoked.revocation_reason.as_deref(), Some("key-compromise"));
    assert_eq!(revoked.revoked_by.as_deref(), Some("tester"));
    assert!(matches!(
        s.revoke_certificate(&actor(), "7f0a02", "superseded", at).await,
        Err(StoreError::Conflict(m)) if m.key == "ca.already_revoked"
    ));
    assert!(matches!(s.revoke_certificate(&actor(), "99", "superseded", at).await, Err(StoreError::NotFound)));

    let history = s.audit_of(&format!("person:{}", p.id), 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[..2], ["ca.certificate.revoke", "ca.certificate.issue"]);
    let unit_history = s.audit_of(&format!("unit:{}", t.central.id), 10).await.unwrap();
    assert!(unit_history.iter().any(|e| e.action == "ca.certificate.issue" && e.details.contains("7f0a01")));
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

contract!(SqlStore; crl_numbers_grow_and_a_revocation_makes_the_crl_stale, |s| {
    let t = tree(&s).await;
    let state = s.crl_state().await.unwrap();
    assert_eq!(state.revocations, 0);
    assert!(state.latest.is_none());
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    let hour = chrono::Duration::hours(1);
    let sign = |n: i64, entries: &[RevokedEntry]| -> Result<Vec<u8>, String> {
        Ok(format!(
            "crl {n}: {}",
            entries.iter().map(|e| format!("{}/{}", e.serial, e.reason)).collect::<Vec<_>>().join(",")
        )
        .into_bytes())
    };
    let first = s.publish_crl(&actor(), now, now + day, &sign).await.unwrap();
    assert_eq!((first.crl_number, first.der.as_slice()), (1, &b"crl 1: "[..]));
    assert!(s.crl_state().await.unwrap().current(now, hour).is_some());

    s.record_issued_certificate(&actor(), issued("0a", CertSubject::Unit(t.central.id))).await.unwrap();
    s.revoke_certificate(&actor(), "0a", "superseded", now).await.unwrap();
    let state = s.crl_state().await.unwrap();
    assert_eq!(state.revocations, 1);
    assert!(state.current(now, hour).is_none(), "a revocation makes the published CRL stale");

    let second = s.publish_crl(&actor(), now, now + day, &sign).await.unwrap();
    assert_eq!((second.crl_number, second.der.as_slice()), (2, &b"crl 2: 0a/superseded"[..]));
    let state = s.crl_state().await.unwrap();
    assert_eq!(state.latest.as_ref().map(|c| c.crl_number), Some(2));
    assert!(state.current(now, hour).is_some());
    // Due for renewal when less than the margin is left before nextUpdate.
    assert!(state.current(now + day - hour / 2, hour).is_none());

    // A signer that fails writes nothing and uses up no number for good.
    let broken = |_: i64, _: &[RevokedEntry]| -> Result<Vec<u8>, String> { Err("token unplugged".into()) };
    assert!(matches!(s.publish_crl(&actor(), now, now + day, &broken).await, Err(StoreError::Signing(_))));
    let third = s.publish_crl(&actor(), now, now + day, &sign).await.unwrap();
    assert_eq!(third.crl_number, 3);
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

// ---- document sharing: the fund's intake ----

mod intake_support {
    use super::*;
    use dossier_domain::sharing::DocumentType;

    pub async fn branch(s: &SqlStore, t: &Tree) -> SharingBranch {
        let b = SharingBranch {
            unit_id: t.centre_a.id,
            branch_id: "hub-branch-1".into(),
            name: "SA".into(),
            scopes: vec![DocumentType::TaxpayerCard, DocumentType::IdCard],
            registered_at: chrono::Utc::now(),
        };
        s.save_sharing_branch(&actor(), &b).await.unwrap();
        b
    }

    pub fn request(unit_id: i64, barcode: &str) -> NewSharingRequest {
        NewSharingRequest {
            id: uuid::Uuid::new_v4(),
            barcode: barcode.into(),
            branch_id: "hub-branch-1".into(),
            unit_id,
            document_type: DocumentType::TaxpayerCard,
            account_id: None,
        }
    }

    pub fn copy(request_id: uuid::Uuid, person_id: Option<uuid::Uuid>) -> NewSharingCopy {
        NewSharingCopy {
            request_id,
            pdf: StoredBlob { sha256: "a".repeat(64), size: 10 },
            metadata_p7s: StoredBlob { sha256: "b".repeat(64), size: 5 },
            person_id,
            hub_fingerprint: "f".repeat(64),
            formed_at: "2026-11-21T10:00:00Z".into(),
            stamp: serde_json::json!({"branchId": "hub-branch-1"}),
            report: serde_json::json!({"pdf": {"indication": "TOTAL_PASSED"}}),
            consent: Some("Y29uc2VudA==".into()),
        }
    }
}

contract!(SqlStore; intake_branches_are_registered_and_reregistered, |s| {
    let t = tree(&s).await;
    let b = intake_support::branch(&s, &t).await;
    let all = s.sharing_branches().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].unit_id, &all[0].branch_id, &all[0].scopes), (b.unit_id, &b.branch_id, &b.scopes));
    let again = SharingBranch { name: "renamed".into(), ..b };
    s.save_sharing_branch(&actor(), &again).await.unwrap();
    let all = s.sharing_branches().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "renamed");
    // The same hub branch cannot belong to two units.
    let clash = SharingBranch { unit_id: t.district_b.id, ..again };
    assert!(matches!(s.save_sharing_branch(&actor(), &clash).await, Err(StoreError::Conflict(_))));
});

contract!(SqlStore; intake_one_live_request_per_barcode, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let first =
        s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    assert_eq!(first.status, IntakeStatus::Submitting);
    // Two specialists with the same code at once: the second cannot hold it.
    let (who, ra, rb) = (
        actor(),
        intake_support::request(t.centre_a.id, "1213187292345"),
        intake_support::request(t.centre_a.id, "1213187292345"),
    );
    let (a, b) = tokio::join!(s.create_sharing_request(&who, &ra), s.create_sharing_request(&who, &rb));
    for r in [a, b] {
        match r {
            Err(StoreError::Conflict(m)) => assert_eq!(m.key, "sharing.code.used"),
            other => panic!("{other:?}"),
        }
    }
    // Once refused, the barcode is free again (the hub decides about the code).
    let upd = SharingUpdate {
        status: IntakeStatus::Refused,
        last_error: Some("sharing.code.unknown".into()),
        hub_attempts: 1,
        next_check_at: chrono::Utc::now(),
    };
    let refused = s.update_sharing_request(&actor(), first.id, IntakeStatus::Submitting, &upd).await.unwrap().unwrap();
    assert_eq!(refused.status, IntakeStatus::Refused);
    // Compare-and-set: a stale writer changes nothing.
    assert!(s.update_sharing_request(&actor(), first.id, IntakeStatus::Submitting, &upd).await.unwrap().is_none());
    s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let audit = s.audit_of(&format!("sharing_request:{}", first.id), 10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "sharing.request.create"));
    assert!(audit.iter().all(|e| !e.details.to_string().contains("1213187292345")), "no full code in the audit");
});

contract!(SqlStore; intake_due_requests_are_the_live_ones, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let live =
        s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let gone =
        s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "4006381333931")).await.unwrap();
    let upd = SharingUpdate {
        status: IntakeStatus::Declined,
        last_error: Some("sharing.declined".into()),
        hub_attempts: 1,
        next_check_at: chrono::Utc::now(),
    };
    s.update_sharing_request(&actor(), gone.id, IntakeStatus::Submitting, &upd).await.unwrap().unwrap();
    let due = s.due_sharing_requests(chrono::Utc::now() + chrono::Duration::seconds(1), 10).await.unwrap();
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![live.id]);
    assert!(s.due_sharing_requests(chrono::Utc::now() - chrono::Duration::hours(1), 10).await.unwrap().is_empty());
});

contract!(SqlStore; intake_a_repeated_delivery_is_stored_once, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let (copy, created) = s.record_sharing_copy(&actor(), &intake_support::copy(r.id, Some(p.id))).await.unwrap();
    assert!(created);
    assert_eq!(copy.review, CopyReview::Matched);
    assert_eq!(copy.person_id, Some(p.id));
    let (again, created) = s.record_sharing_copy(&actor(), &intake_support::copy(r.id, Some(p.id))).await.unwrap();
    assert!(!created);
    assert_eq!(again.document_id, copy.document_id);
    let docs = s.documents(p.id).await.unwrap();
    assert_eq!(docs.len(), 2, "the PDF and the signed metadata, once");
    assert!(docs.iter().any(|d| d.kind == "taxpayer-card" && d.content_type == "application/pdf"));
    let req = s.sharing_request(r.id).await.unwrap().unwrap();
    assert_eq!(req.status, IntakeStatus::Delivered);
    assert_eq!(req.document_id, Some(copy.document_id));
    assert!(req.delivered_at.is_some());
    assert_eq!(copy.report["pdf"]["indication"], "TOTAL_PASSED");
    assert_eq!(copy.consent.as_deref(), Some("Y29uc2VudA=="));
    let audit = s.audit_of(&format!("person:{}", p.id), 20).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "document.add").count(), 2);
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

contract!(SqlStore; intake_a_closed_request_takes_no_delivery, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let upd = SharingUpdate {
        status: IntakeStatus::Declined,
        last_error: None,
        hub_attempts: 1,
        next_check_at: chrono::Utc::now(),
    };
    s.update_sharing_request(&actor(), r.id, IntakeStatus::Submitting, &upd).await.unwrap().unwrap();
    assert!(matches!(
        s.record_sharing_copy(&actor(), &intake_support::copy(r.id, None)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.record_sharing_copy(&actor(), &intake_support::copy(uuid::Uuid::new_v4(), None)).await,
        Err(StoreError::NotFound)
    ));
});

contract!(SqlStore; intake_unmatched_copies_wait_in_the_review_queue_of_their_scope, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let (copy, _) = s.record_sharing_copy(&actor(), &intake_support::copy(r.id, None)).await.unwrap();
    assert_eq!(copy.review, CopyReview::Pending);
    let page = Page::new(0, 50);
    assert_eq!(s.review_queue(&t.district_a.path, page).await.unwrap().len(), 1);
    assert!(s.review_queue(&t.district_b.path, page).await.unwrap().is_empty(), "another district does not see it");
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let assigned = s.assign_sharing_copy(&actor(), r.id, p.id).await.unwrap();
    assert_eq!(assigned.review, CopyReview::Assigned);
    assert_eq!(assigned.person_id, Some(p.id));
    assert_eq!(s.documents(p.id).await.unwrap().len(), 2);
    assert!(s.review_queue(&t.central.path, page).await.unwrap().is_empty());
    assert!(matches!(s.assign_sharing_copy(&actor(), r.id, p.id).await, Err(StoreError::Conflict(_))));
});

contract!(SqlStore; intake_wrong_codes_are_counted_per_account_and_branch, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let acc = uuid::Uuid::new_v4();
    let since = chrono::Utc::now() - chrono::Duration::minutes(10);
    for refusal in [Some("sharing.code.unknown"), None, Some("sharing.code.expired")] {
        let a = CodeAttempt {
            account_id: Some(acc),
            branch_id: "hub-branch-1".into(),
            masked_code: "…2345".into(),
            refusal: refusal.map(str::to_owned),
        };
        s.record_code_attempt(&actor(), &a).await.unwrap();
    }
    let (by_account, by_branch) = s.code_failures(Some(acc), "hub-branch-1", since).await.unwrap();
    assert_eq!((by_account.len(), by_branch.len()), (2, 2));
    let (other, _) = s.code_failures(Some(uuid::Uuid::new_v4()), "hub-branch-1", since).await.unwrap();
    assert!(other.is_empty());
    let audit = s.audit_of("sharing_branch:hub-branch-1", 10).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "sharing.code.attempt").count(), 3);
});

contract!(SqlStore; intake_two_deliveries_at_once_store_one_copy, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let (who, a, b) = (actor(), intake_support::copy(r.id, None), intake_support::copy(r.id, None));
    let (x, y) = tokio::join!(s.record_sharing_copy(&who, &a), s.record_sharing_copy(&who, &b));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x.1 ^ y.1, "exactly one stored");
    assert_eq!(x.0.document_id, y.0.document_id);
});

// ---- certificate production (regulation 26-1, §§ III–V) ----

mod production_support {
    use super::*;
    use chrono::{DateTime, Utc};
    use dossier_domain::production::Duty;

    /// A person with its own RNOKPP and no shared documents.
    pub fn someone(n: u16, surname: &str, birth: &str) -> PersonData {
        let b = NaiveDate::parse_from_str(birth, "%Y-%m-%d").unwrap();
        let r = dossier_domain::ident::Rnokpp::compose(b, n, dossier_domain::person::Sex::Male).unwrap();
        let mut p = person(r.as_str(), surname, birth, "male");
        p.id_card = None;
        p
    }

    /// A person with a photo on file: what an application needs to go with
    /// its district's weekly batch (§III).
    pub async fn applicant(s: &SqlStore, unit: i64, n: u16, surname: &str, birth: &str) -> PersonRecord {
        let p = s.create_person(&actor(), unit, &someone(n, surname, birth)).await.unwrap();
        with_photo(s, p.id).await;
        p
    }

    pub async fn with_photo(s: &SqlStore, person: Uuid) {
        let photo = NewDocument {
            person_id: Some(person),
            kind: "photo".into(),
            content_type: "image/png".into(),
            sha256: "0".repeat(64),
            size: 1,
            source: "upload".into(),
        };
        s.add_document(&actor(), photo, true).await.unwrap();
    }

    pub fn now() -> DateTime<Utc> {
        Utc::now()
    }

    pub fn this_week() -> BatchWeek {
        BatchWeek::of_acceptance(now())
    }

    pub async fn staff(s: &SqlStore, login: &str, unit: i64) -> (Actor, Uuid) {
        let a = s
            .create_account(
                &actor(),
                NewAccount {
                    login: login.into(),
                    full_name: format!("{login} full name"),
                    role: dossier_domain::org::Role::TransferResponsible,
                    unit_id: unit,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap();
        (Actor { label: login.into(), account_id: Some(a.id) }, a.id)
    }

    pub async fn appoint(s: &SqlStore, account: Uuid, unit: i64, duty: Duty, order: &str) {
        s.appoint(
            &actor(),
            &NewAppointment {
                account_id: account,
                unit_id: unit,
                duty,
                order_no: order.into(),
                valid_from: today() - chrono::Duration::days(30),
                valid_until: None,
            },
        )
        .await
        .unwrap();
    }

    /// Runs the week at every level, like `dossier batches run`.
    pub async fn run_week(s: &SqlStore, week: BatchWeek) -> Vec<BatchOutcome> {
        let mut out = vec![];
        for level in BatchLevel::ALL {
            for c in s.batch_candidates(week, level).await.unwrap() {
                out.push(s.submit_batch(&actor(), Some(week), level, c.unit_id, now()).await.unwrap());
            }
        }
        out
    }
}
use dossier_domain::production::{BatchLevel, BatchWeek, IssueInput};
use production_support::*;
use uuid::Uuid;

contract!(SqlStore; weekly_batches_go_district_region_central_once_and_the_duplicate_check_holds_conflicts, |s| {
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 11, "Шевчук", "1948-02-28").await;
    let b = applicant(&s, t.district_b.id, 12, "Коваль", "1950-03-03").await;
    // The same human registered again in another district: an earlier pension.
    let a2 = s.create_person(&actor(), t.district_b.id, &someone(13, "Шевчук", "1948-02-28")).await.unwrap();
    let ca = s.create_application(&actor(), a.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let cb = s.create_application(&actor(), b.id, &paper(t.district_b.id), Utc::now()).await.unwrap();
    let week = this_week();
    assert_eq!(ca.due_at, Some(week.district_cutoff()), "filing sets the Monday 12:00 deadline");
    let candidates = s.batch_candidates(week, BatchLevel::District).await.unwrap();
    assert_eq!(candidates.iter().map(|c| c.pending).sum::<i64>(), 2);

    let first = run_week(&s, week).await;
    assert!(first.iter().all(|o| matches!(o, BatchOutcome::Submitted(_))));
    let central = first.iter().map(BatchOutcome::batch).find(|b| b.level == BatchLevel::Central).unwrap();
    assert_eq!((central.items, central.held), (2, 1));
    assert!(!central.late, "submitted before the cut-off");
    let ca = s.certificate(ca.id).await.unwrap().unwrap();
    assert_eq!(ca.stage, Stage::DuplicateHold);
    let cb = s.certificate(cb.id).await.unwrap().unwrap();
    assert_eq!(cb.stage, Stage::InProduction);
    assert_eq!(cb.batch_id, Some(central.id));
    // The production term runs two weeks from receipt at the central fund.
    let received = s.certificate_events(cb.id).await.unwrap().iter().find(|e| e.event == "submit_to_central").unwrap().at;
    assert_eq!(cb.due_at.map(|d| d - received), Some(dossier_domain::production::PRODUCTION_TERM));
    // The hold names what it found.
    let hold = s.certificate_events(ca.id).await.unwrap().into_iter().last().unwrap();
    assert_eq!(hold.event, "hold_as_duplicate");
    assert!(hold.note.unwrap().contains(&a2.id.to_string()));

    // Repeating the run changes nothing.
    let audit_before = s.audit_verify().await.unwrap().entries();
    let again = run_week(&s, week).await;
    assert!(again.iter().all(|o| matches!(o, BatchOutcome::AlreadySubmitted(_))));
    assert_eq!(s.audit_verify().await.unwrap().entries(), audit_before);
    let (batch, members) = s.batch(central.id).await.unwrap().unwrap();
    assert_eq!((batch.items, members.len()), (2, 2));
    assert_eq!(s.batches(&t.district_a.path, Some(week)).await.unwrap().len(), 1, "a district sees its own batch");
});

contract!(SqlStore; a_batch_submitted_after_its_cutoff_is_flagged_late_and_later_applications_wait, |s| {
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 21, "Мельник", "1951-01-01").await;
    s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    // Last week's batch: its cut-off is past, and this application came after it.
    let last_week = BatchWeek::containing(this_week().monday() - chrono::Duration::days(7));
    let out = s.submit_batch(&actor(), Some(last_week), BatchLevel::District, t.district_a.id, now()).await.unwrap();
    let b = out.batch();
    assert!(b.late, "submitted after Monday 12:00");
    assert_eq!(b.items, 0, "accepted after the cut-off: goes to the next week");
    // The wrong kind of office is refused.
    assert!(matches!(
        s.submit_batch(&actor(), Some(this_week()), BatchLevel::District, t.region.id, now()).await,
        Err(StoreError::Invalid(_))
    ));
});

contract!(SqlStore; section_3_the_district_batch_goes_with_the_photo_and_an_application_without_one_waits, |s| {
    let t = tree(&s).await;
    let with = applicant(&s, t.district_a.id, 71, "Савчук", "1949-09-09").await;
    let without = s.create_person(&actor(), t.district_a.id, &someone(72, "Руденко", "1948-08-08")).await.unwrap();
    let ready = s.create_application(&actor(), with.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let waiting = s.create_application(&actor(), without.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let candidate = |week| {
        let s = &s;
        async move {
            let all = s.batch_candidates(week, BatchLevel::District).await.unwrap();
            all.into_iter().find(|c| c.unit_id == t.district_a.id).map(|c| (c.pending, c.without_photo))
        }
    };
    let stage = |id| {
        let s = &s;
        async move { s.certificate(id).await.unwrap().unwrap().stage }
    };
    let week = this_week();
    assert_eq!(candidate(week).await, Some((1, 1)), "one ready, one waiting for the photo");
    let batch = s.submit_batch(&actor(), Some(week), BatchLevel::District, t.district_a.id, now()).await.unwrap();
    let batch = batch.batch();
    assert_eq!(batch.items, 1, "only the application with the photo goes");
    let (_, members) = s.batch(batch.id).await.unwrap().unwrap();
    assert_eq!(members.iter().map(|c| c.id).collect::<Vec<_>>(), [ready.id]);
    assert_eq!(stage(ready.id).await, Stage::SubmittedToRegion);
    assert_eq!(stage(waiting.id).await, Stage::Accepted, "no photo: it stays with the district");
    assert_eq!(candidate(week).await, Some((0, 1)), "still waiting after the batch");
    // The photo arrives: the next week's batch takes the application.
    with_photo(&s, without.id).await;
    let next = week.next();
    assert_eq!(candidate(next).await, Some((1, 0)));
    let later = s.submit_batch(&actor(), Some(next), BatchLevel::District, t.district_a.id, now()).await.unwrap();
    assert_eq!(later.batch().items, 1);
    assert_eq!(stage(waiting.id).await, Stage::SubmittedToRegion);
});

contract!(SqlStore; transfer_acts_need_responsible_persons_and_fill_the_issue_journal, |s| {
    use dossier_domain::production::{Duty, Recipient};
    let t = tree(&s).await;
    let r2 = s
        .create_unit(
            &actor(),
            NewUnit {
                parent_id: Some(t.central.id),
                kind: UnitKind::RegionalOffice,
                code: "R2".into(),
                name_uk: "R2".into(),
                name_en: "R2".into(),
                address: None,
            },
        )
        .await
        .unwrap();
    let p = applicant(&s, t.district_a.id, 31, "Бондар", "1949-04-04").await;
    let q = applicant(&s, t.district_a.id, 32, "Ткачук", "1947-05-05").await;
    let cp = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let cq = s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    let made = s.produce(&actor(), &[cp.id, cq.id], now()).await.unwrap();
    assert!(made.iter().all(|c| c.stage == Stage::Produced && c.certificate_no.as_deref().is_some_and(|n| n.starts_with("ПП-"))));
    let (central_staff, cs) = staff(&s, "central.resp", t.central.id).await;
    let (region_staff, rs) = staff(&s, "region.resp", t.region.id).await;
    let (district_staff, ds) = staff(&s, "district.resp", t.district_a.id).await;
    // Not appointed by order yet: refused.
    assert!(matches!(
        s.create_transfer_act(&central_staff, t.central.id, t.region.id, &[cp.id], now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.act.not_responsible"
    ));
    appoint(&s, cs, t.central.id, Duty::ResponsiblePerson, "наказ 1").await;
    appoint(&s, rs, t.region.id, Duty::ResponsiblePerson, "наказ 2").await;
    appoint(&s, ds, t.district_a.id, Duty::ResponsiblePerson, "наказ 3").await;
    // A certificate of another region is refused and nothing is written.
    assert!(matches!(
        s.create_transfer_act(&central_staff, t.central.id, r2.id, &[cp.id], now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.act.other_unit"
    ));
    let act = s.create_transfer_act(&central_staff, t.central.id, t.region.id, &[cp.id, cq.id], now()).await.unwrap();
    assert_eq!(act.items.len(), 2);
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::Produced, "moves on acceptance");
    // The receiving side confirms; one certificate did not arrive.
    let no_p = act.items[0].certificate_no.clone();
    let accepted = s
        .accept_transfer_act(
            &region_staff,
            act.id,
            &ActAcceptance { received: Some(vec![no_p.clone()]), damaged: vec![] },
            now(),
        )
        .await
        .unwrap();
    let disc = accepted.discrepancies.unwrap();
    assert_eq!(disc.missing, vec![act.items[1].certificate_no.clone()]);
    let at_region = s.certificate(cp.id).await.unwrap().unwrap();
    assert_eq!(at_region.stage, Stage::AtRegion);
    assert!(at_region.due_at.is_some(), "region → district within 2 days");
    assert_eq!(s.certificate(cq.id).await.unwrap().unwrap().stage, Stage::Produced, "missing: not moved");
    // Issuing before acceptance at the district is refused.
    let input = IssueInput {
        recipient_name: "Бондар Петро Іванович".into(),
        recipient: Recipient::Owner { identity_document: "ID 001234567".into() },
        signature: "tick".into(),
    };
    let issue = input.validate().unwrap();
    assert!(matches!(
        s.issue_certificate(&district_staff, cp.id, &issue, now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.issue.not_received"
    ));
    let act2 = s.create_transfer_act(&region_staff, t.region.id, t.district_a.id, &[cp.id], now()).await.unwrap();
    s.accept_transfer_act(&district_staff, act2.id, &ActAcceptance::default(), now()).await.unwrap();
    let from = now() - chrono::Duration::days(1);
    let to = now() + chrono::Duration::days(1);
    let journal = s.journal(t.district_a.id, from, to).await.unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!((journal[0].line, journal[0].act_number.as_str()), (1, act2.number.as_str()));
    assert_eq!(journal[0].holder_name, "Бондар Петро Іванович");
    assert!(journal[0].issued_at.is_none());
    // A representative without the status document, or an issue not signed for (§V.3: a tick or a
    // captured image), is no `Issue` at all: the domain refuses it (`v_1_…`, `v_3_…`), so the store
    // is never asked.
    let bad = IssueInput {
        recipient: Recipient::Representative {
            identity_document: "паспорт".into(),
            status_document: " ".into(),
            resident: true,
            tax_registration: Some("1234567890".into()),
        },
        ..input.clone()
    };
    assert!(bad.validate().is_err());
    for signature in ["", "image:not-a-digest"] {
        let unsigned = IssueInput { signature: signature.into(), ..input.clone() };
        assert!(unsigned.validate().unwrap_err().has("signature", "production.issue.signature"));
    }
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::AtDistrict, "nothing changed");
    let line = s.issue_certificate(&district_staff, cp.id, &issue, now()).await.unwrap();
    assert!(line.issued_at.is_some());
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::Issued);
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

contract!(SqlStore; section_3_6_a_region_without_an_act_for_over_fifteen_days_is_flagged, |s| {
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 91, "Олійник", "1947-07-07").await;
    let c = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    let produced_at = now();
    s.produce(&actor(), &[c.id], produced_at).await.unwrap();
    let waiting = |at| {
        let s = &s;
        let scope = t.central.path.clone();
        async move { s.production_overview(&scope, at).await.unwrap().regions_waiting }
    };
    // Central → region at least twice a month: produced and never sent, the region waits.
    assert!(waiting(produced_at + chrono::Duration::days(10)).await.is_empty(), "ten days: within the cadence");
    assert_eq!(waiting(produced_at + chrono::Duration::days(16)).await, [t.region.id], "sixteen days: flagged");
    // Nothing waiting for another region, so nothing flagged for it; a district's view has no regions.
    let district = s.production_overview(&t.district_b.path, produced_at + chrono::Duration::days(16)).await.unwrap();
    assert!(district.regions_waiting.is_empty());
});

contract!(SqlStore; destruction_needs_a_full_commission_chaired_by_the_head_and_every_signature, |s| {
    use dossier_domain::production::{DestructionReason, Duty};
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 41, "Лисенко", "1946-06-06").await;
    let c = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    s.produce(&actor(), &[c.id], now()).await.unwrap();
    let (head, h) = staff(&s, "head", t.central.id).await;
    let (m1, a1) = staff(&s, "member1", t.central.id).await;
    let (m2, a2) = staff(&s, "member2", t.central.id).await;
    appoint(&s, h, t.central.id, Duty::Head, "наказ 7").await;
    appoint(&s, h, t.central.id, Duty::CommissionChair, "наказ 8").await;
    appoint(&s, a1, t.central.id, Duty::CommissionMember, "наказ 8").await;
    let lines = [DestructionLine { certificate_id: c.id, reason: DestructionReason::ErrorInEntries }];
    // Two members are not a commission.
    assert!(matches!(
        s.create_destruction_act(&head, t.central.id, "наказ 8", &lines, now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.commission.too_few"
    ));
    appoint(&s, a2, t.central.id, Duty::CommissionMember, "наказ 8").await;
    let act = s.create_destruction_act(&head, t.central.id, "наказ 8", &lines, now()).await.unwrap();
    assert_eq!(act.commission.len(), 3);
    s.sign_destruction_act(&head, act.id, now()).await.unwrap();
    let half = s.sign_destruction_act(&m1, act.id, now()).await.unwrap();
    assert!(!half.completed);
    assert_eq!(s.certificate(c.id).await.unwrap().unwrap().stage, Stage::Produced, "not until every member signed");
    let (outsider, _) = staff(&s, "outsider", t.central.id).await;
    assert!(matches!(s.sign_destruction_act(&outsider, act.id, now()).await, Err(StoreError::Conflict(_))));
    let done = s.sign_destruction_act(&m2, act.id, now()).await.unwrap();
    assert!(done.completed);
    let dead = s.certificate(c.id).await.unwrap().unwrap();
    assert_eq!(dead.stage, Stage::Destroyed);
    assert_eq!(dead.due_at, None);
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

contract!(SqlStore; the_overview_counts_stages_and_late_items, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &someone(51, "Гончар", "1945-07-07")).await.unwrap();
    s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let later = this_week().district_cutoff() + chrono::Duration::hours(1);
    let o = s.production_overview(&t.central.path, later).await.unwrap();
    assert_eq!(o.by_stage, vec![("accepted".to_string(), 1)]);
    assert_eq!(o.late.len(), 1, "the batch missed Monday 12:00");
    assert_eq!(s.late_certificates(&t.region.path, later, Page::default()).await.unwrap().len(), 1);
    assert!(s.late_certificates(&t.district_b.path, later, Page::default()).await.unwrap().is_empty());
});

contract!(SqlStore; section_3_9_term_limited_certificates_are_flagged_before_expiry, |s| {
    use chrono::Duration;
    use dossier_domain::card::Party;
    let t = tree(&s).await;
    let today = Utc::now().date_naive();
    let p = s.create_person(&actor(), t.district_a.id, &someone(81, "Кравець", "1952-02-02")).await.unwrap();
    let mut input = paper(t.district_a.id);
    input.pension_until = Some((today + Duration::days(20)).to_string());
    let fixed = s.create_application(&actor(), p.id, &input, Utc::now()).await.unwrap();
    assert_eq!(fixed.valid_until, Some(today + Duration::days(20)), "paper lasts the pension's term");
    let q = s.create_person(&actor(), t.district_a.id, &someone(82, "Гнатюк", "1953-03-03")).await.unwrap();
    let open = s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    assert_eq!(open.valid_until, None, "unlimited without a fixed term");
    // A card: the pension runs 700 days; the card's own last day is fixed when its face is
    // sealed (here one ending in 10 days), and the earlier of the two is flagged.
    let r = s.create_person(&actor(), t.district_a.id, &someone(83, "Петренко", "1954-04-04")).await.unwrap();
    let mut input = card_at(t.branch.id);
    input.pension_until = Some((today + Duration::days(700)).to_string());
    let card = s.create_application(&actor(), r.id, &input, Utc::now()).await.unwrap();
    assert_eq!((card.valid_until, card.card_expires_on), (Some(today + Duration::days(700)), None));
    for (event, sender) in
        [(Event::SendToBank, Party::Fund), (Event::OpenAccount, Party::Bank), (Event::SendToPersonalizer, Party::Fund)]
    {
        let msg = NewCardMessage {
            event,
            sender,
            unit_id: t.central.id,
            payload: "{}".into(),
            seal: None,
            card_expires_on: Some(today + Duration::days(10)),
        };
        s.card_step(&actor(), card.id, &msg, now()).await.unwrap();
    }
    let card = s.certificate(card.id).await.unwrap().unwrap();
    assert_eq!(card.card_expires_on, Some(today + Duration::days(10)), "recorded with the sealed face only");
    assert_eq!(card.valid_until, Some(today + Duration::days(10)));

    let flagged = |scope: UnitPath, days: i64| {
        let s = &s;
        async move {
            let until = today + Duration::days(days);
            let all = s.expiring_certificates(&scope, until, Page::default()).await.unwrap();
            all.into_iter().map(|c| c.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(flagged(t.central.path.clone(), 30).await, [card.id, fixed.id], "soonest first; unlimited never");
    assert_eq!(flagged(t.central.path.clone(), 15).await, [card.id]);
    assert!(flagged(t.district_b.path.clone(), 30).await.is_empty(), "another office's are not in scope");
    // A withdrawn application is no certificate to flag.
    s.withdraw_application(&actor(), fixed.id, "відкликано").await.unwrap();
    assert_eq!(flagged(t.central.path.clone(), 30).await, [card.id]);
});

// ---- the card exchange (regulation 26-1, §IV) ----

contract!(SqlStore; card_exchange_each_step_reported_by_its_party_with_its_message, |s| {
    use dossier_domain::card::Party;
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &someone(61, "Бойко", "1950-01-01")).await.unwrap();
    let card = s.create_application(&actor(), p.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let paper_app = {
        let q = s.create_person(&actor(), t.district_a.id, &someone(62, "Ткач", "1951-01-01")).await.unwrap();
        s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap()
    };
    let msg = |event, sender, seal: Option<Vec<u8>>| NewCardMessage {
        event,
        sender,
        unit_id: t.central.id,
        payload: format!("{{\"event\":\"{}\"}}", Event::as_str(event)),
        seal,
        card_expires_on: None,
    };
    let (sent, m) = s.card_step(&actor(), card.id, &msg(Event::SendToBank, Party::Fund, Some(vec![1, 2, 3])), now()).await.unwrap();
    assert_eq!(sent.stage, Stage::SentToBank);
    assert_eq!((m.sender, m.recipient), (Party::Fund, Party::Bank));
    // A step reported by the wrong party changes nothing.
    assert!(matches!(
        s.card_step(&actor(), card.id, &msg(Event::OpenAccount, Party::Personalizer, None), now()).await,
        Err(StoreError::Conflict(m)) if m.key == "card.not_your_step"
    ));
    // Out of order: keys before the account and the personalizer's data.
    assert!(matches!(
        s.card_step(&actor(), card.id, &msg(Event::GenerateKeys, Party::Personalizer, None), now()).await,
        Err(StoreError::Conflict(_))
    ));
    // A personalizer report for an unknown card, or for a paper certificate: refused.
    assert!(matches!(
        s.card_step(&actor(), Uuid::new_v4(), &msg(Event::GenerateKeys, Party::Personalizer, None), now()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.card_step(&actor(), paper_app.id, &msg(Event::SendToBank, Party::Fund, None), now()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.certificate(paper_app.id).await.unwrap().unwrap().stage, Stage::Accepted);
    s.card_step(&actor(), card.id, &msg(Event::OpenAccount, Party::Bank, None), now()).await.unwrap();
    let messages = s.card_messages(card.id).await.unwrap();
    assert_eq!(messages.iter().map(|m| m.event.as_str()).collect::<Vec<_>>(), ["send_to_bank", "open_account"]);
    assert_eq!(messages[0].seal.as_deref(), Some(&[1u8, 2, 3][..]));
    assert_eq!(messages[0].payload, "{\"event\":\"send_to_bank\"}");
    assert!(s.card_messages(paper_app.id).await.unwrap().is_empty());

    // Queues: the bank has the card at its stage; the personalizer none yet (other banks: §IV.1 above).
    let bank = s.unit(t.branch.parent_id.unwrap()).await.unwrap().unwrap();
    let of = |issue_scope: Option<UnitPath>, stages| CardFilter { issue_scope, owner_scope: None, stages };
    let bank_queue = s.cards(&of(Some(bank.path), &[Stage::AccountOpened]), Page::default()).await.unwrap();
    assert_eq!(bank_queue.iter().map(|c| c.id).collect::<Vec<_>>(), [card.id]);
    assert!(s.cards(&of(None, Party::Personalizer.stages()), Page::default()).await.unwrap().is_empty());
    let fund = CardFilter { issue_scope: None, owner_scope: Some(t.district_b.path.clone()), stages: Party::Fund.stages() };
    assert!(s.cards(&fund, Page::default()).await.unwrap().is_empty(), "another district's card");
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

// ---- rules found by reading the regulation against the API (issue 23) ----

// §III.1–2: without a named week, the office's batch is of the week whose
// cut-off passed, until it is submitted (late); applications accepted after
// the cut-off wait for the next batch. Winter and summer time alike.
contract!(SqlStore; rule_iii_1_2_a_passed_cutoff_leaves_its_week_owed_and_late, |s| {
    use chrono::DateTime;
    let utc = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 81, "Зінченко", "1950-05-05").await;
    let b = applicant(&s, t.district_a.id, 82, "Захарченко", "1951-06-06").await;
    // Winter: Monday 26 October 2026, 12:00 Kyiv = 10:00 UTC; the week of 19–25 October is 2026-W43.
    let early = s.create_application(&actor(), a.id, &paper(t.district_a.id), utc("2026-10-26T09:58:00Z")).await.unwrap();
    let after = s.create_application(&actor(), b.id, &paper(t.district_a.id), utc("2026-10-26T10:01:00Z")).await.unwrap();
    let sys = actor();
    let district = |at| s.submit_batch(&sys, None, BatchLevel::District, t.district_a.id, utc(at));
    let late = district("2026-10-26T10:04:00Z").await.unwrap();
    let late = late.batch();
    assert_eq!((late.week.as_str(), late.late, late.items), ("2026-W43", true, 1), "{late:?}");
    let (_, moved) = s.batch(late.id).await.unwrap().unwrap();
    assert_eq!(moved.iter().map(|c| c.id).collect::<Vec<_>>(), [early.id], "the 12:01 application waits");
    // Once the owed week is in, the office works on the week it is collecting (on time).
    let next = district("2026-10-26T10:05:00Z").await.unwrap();
    assert_eq!((next.batch().week.as_str(), next.batch().late, next.batch().items), ("2026-W44", false, 1));
    assert_eq!(s.certificate(after.id).await.unwrap().unwrap().stage, Stage::SubmittedToRegion);
    // The region: Tuesday 27 October 12:05 Kyiv, W43 still owed, so late.
    let region = s.submit_batch(&actor(), None, BatchLevel::Region, t.region.id, utc("2026-10-27T10:05:00Z")).await.unwrap();
    assert_eq!((region.batch().week.as_str(), region.batch().late), ("2026-W43", true));
    // Summer (clocks went forward on 28 March 2027): Monday 29 March, 12:00 Kyiv = 09:00 UTC.
    let c = applicant(&s, t.district_b.id, 83, "Зайченко", "1952-07-07").await;
    s.create_application(&actor(), c.id, &paper(t.district_b.id), utc("2027-03-29T08:58:00Z")).await.unwrap();
    let owed = |at| s.submit_batch(&sys, None, BatchLevel::District, t.district_b.id, utc(at));
    // District B never submitted 2027-W11: at 11:59 it owes W11 (late), then W12 before its cut-off.
    let w11 = owed("2027-03-29T08:59:00Z").await.unwrap();
    assert_eq!((w11.batch().week.as_str(), w11.batch().late, w11.batch().items), ("2027-W11", true, 0));
    let w12 = owed("2027-03-29T08:59:30Z").await.unwrap();
    assert_eq!((w12.batch().week.as_str(), w12.batch().late, w12.batch().items), ("2027-W12", false, 1));
    // Pressing again after the cut-off reports nothing new: W12 is the week that passed, and it is in.
    let w13 = owed("2027-03-29T09:04:00Z").await.unwrap();
    assert_eq!((w13.batch().week.as_str(), w13.batch().late), ("2027-W13", false));
});

/// A district's commission: the head chairs it, two members sign with it.
async fn commission(s: &SqlStore, unit: i64, tag: &str) -> [Actor; 3] {
    use dossier_domain::production::Duty;
    let (head, h) = staff(s, &format!("{tag}.head"), unit).await;
    let (m1, a1) = staff(s, &format!("{tag}.member1"), unit).await;
    let (m2, a2) = staff(s, &format!("{tag}.member2"), unit).await;
    appoint(s, h, unit, Duty::Head, "наказ Г").await;
    appoint(s, h, unit, Duty::CommissionChair, "наказ К").await;
    appoint(s, a1, unit, Duty::CommissionMember, "наказ К").await;
    appoint(s, a2, unit, Duty::CommissionMember, "наказ К").await;
    [head, m1, m2]
}

// §III.6, §III.8: a certificate an open act lists (transfer or destruction)
// moves only by that act: it is not issued, transferred or listed again, and
// the refusal names the act.
contract!(SqlStore; rule_iii_8_a_certificate_on_an_open_act_moves_only_by_that_act, |s| {
    use dossier_domain::production::{DestructionReason, Duty, Recipient};
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 84, "Кравчук", "1946-02-02").await;
    let q = applicant(&s, t.district_a.id, 85, "Кравець", "1947-03-03").await;
    let cp = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let cq = s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    s.produce(&actor(), &[cp.id, cq.id], now()).await.unwrap();
    let (central_staff, cs) = staff(&s, "c.resp", t.central.id).await;
    let (region_staff, rs) = staff(&s, "r.resp", t.region.id).await;
    let (district_staff, ds) = staff(&s, "d.resp", t.district_a.id).await;
    appoint(&s, cs, t.central.id, Duty::ResponsiblePerson, "наказ 1").await;
    appoint(&s, rs, t.region.id, Duty::ResponsiblePerson, "наказ 2").await;
    appoint(&s, ds, t.district_a.id, Duty::ResponsiblePerson, "наказ 3").await;
    fn on_act<T: std::fmt::Debug>(r: Result<T, StoreError>, act: &str) {
        match r {
            Err(StoreError::Conflict(m)) => {
                assert_eq!(m.key, "production.certificate.on_open_act");
                assert_eq!(m.text_of("act"), Some(act), "{m:?}");
            }
            other => panic!("{other:?}"),
        }
    }
    // On its way to the region: no destruction act may list it meanwhile.
    let to_region = s.create_transfer_act(&central_staff, t.central.id, t.region.id, &[cp.id, cq.id], now()).await.unwrap();
    let [chair, m1, m2] = commission(&s, t.central.id, "central").await;
    let line = |id| [DestructionLine { certificate_id: id, reason: DestructionReason::ErrorInEntries }];
    on_act(s.create_destruction_act(&chair, t.central.id, "наказ К", &line(cp.id), now()).await, &to_region.number);
    s.accept_transfer_act(&region_staff, to_region.id, &ActAcceptance::default(), now()).await.unwrap();
    let to_district = s.create_transfer_act(&region_staff, t.region.id, t.district_a.id, &[cp.id, cq.id], now()).await.unwrap();
    s.accept_transfer_act(&district_staff, to_district.id, &ActAcceptance::default(), now()).await.unwrap();
    drop((m1, m2));

    // At the district, a destruction act for an error in the entries, signed by two of three.
    let [head, d1, d2] = commission(&s, t.district_a.id, "district").await;
    let act = s.create_destruction_act(&head, t.district_a.id, "наказ К", &line(cp.id), now()).await.unwrap();
    s.sign_destruction_act(&head, act.id, now()).await.unwrap();
    s.sign_destruction_act(&d1, act.id, now()).await.unwrap();
    // Not issued to the person meanwhile, nor listed in a second act, nor declared lost.
    let issue = IssueInput {
        recipient_name: "Кравчук Петро Іванович".into(),
        recipient: Recipient::Owner { identity_document: "ID 001234567".into() },
        signature: "tick".into(),
    }
    .validate()
    .unwrap();
    on_act(s.issue_certificate(&district_staff, cp.id, &issue, now()).await, &act.number);
    on_act(s.create_destruction_act(&head, t.district_a.id, "наказ К", &line(cp.id), now()).await, &act.number);
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::AtDistrict, "nothing changed");
    assert!(s.journal(t.district_a.id, now() - chrono::Duration::days(1), now() + chrono::Duration::days(1)).await.unwrap().iter().all(|l| l.issued_at.is_none()));
    // The other certificate, on no act, is issued as usual.
    s.issue_certificate(&district_staff, cq.id, &issue, now()).await.unwrap();
    // The last signature completes the act: destroyed, and the act is closed.
    let listed = s.destruction_acts(&t.district_a.path, Page::default()).await.unwrap();
    assert_eq!(listed.iter().map(|a| (a.id, a.completed)).collect::<Vec<_>>(), [(act.id, false)]);
    assert!(s.destruction_acts(&t.district_b.path, Page::default()).await.unwrap().is_empty(), "another district");
    let done = s.sign_destruction_act(&d2, act.id, now()).await.unwrap();
    assert!(done.completed);
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::Destroyed);
    assert!(s.audit_verify().await.unwrap().first_broken().is_none());
});

// §I.2, §III.4: a card passes the central duplicate check too — another
// registry record of the same person with a live paper certificate is found.
contract!(SqlStore; rule_i_2_a_card_meets_the_duplicate_check_of_another_registry_record, |s| {
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 86, "Гребенюк", "1949-01-01").await;
    // The same human, registered again elsewhere, holding a paper certificate on its way.
    let a2 = s.create_person(&actor(), t.district_b.id, &someone(87, "Гребенюк", "1949-01-01")).await.unwrap();
    let paper_one = s.create_application(&actor(), a2.id, &paper(t.district_b.id), Utc::now()).await.unwrap();
    let card = s.create_application(&actor(), a.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let found = s.duplicate_findings(card.id).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].other_person_id, found[0].other_certificate.as_deref()), (a2.id, Some(paper_one.number.as_str())));
    // A card with no such record finds nothing.
    let b = applicant(&s, t.district_a.id, 88, "Гнатюк", "1949-01-02").await;
    let clean = s.create_application(&actor(), b.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    assert!(s.duplicate_findings(clean.id).await.unwrap().is_empty());
    // The hold and its release (sending to the bank) are steps of the card's life.
    let held = s.advance_certificate(&actor(), card.id, Event::HoldAsDuplicate, Some("found")).await.unwrap();
    assert_eq!(held.stage, Stage::DuplicateHold);
    let msg = NewCardMessage {
        event: Event::SendToBank,
        sender: dossier_domain::card::Party::Fund,
        unit_id: t.central.id,
        payload: "{}".into(),
        seal: None,
        card_expires_on: None,
    };
    let (sent, _) = s.card_step(&actor(), card.id, &msg, now()).await.unwrap();
    assert_eq!(sent.stage, Stage::SentToBank);
});

// An archival job walks the stored PDFs a page at a time and points each at its renewed bytes,
// only if nothing changed it meanwhile; the renewal is audited with both fingerprints.
contract!(SqlStore; archived_pdfs_are_walked_and_renewed_only_from_what_was_read, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let mut pdfs = vec![];
    for (i, kind) in ["taxpayer-card", "photo", "internal-passport"].into_iter().enumerate() {
        let content_type = if kind == "photo" { "image/png" } else { "application/pdf" };
        let doc = NewDocument {
            person_id: Some(p.id),
            kind: kind.into(),
            content_type: content_type.into(),
            sha256: format!("{i}").repeat(64),
            size: 10,
            source: "hub".into(),
        };
        let meta = s.add_document(&actor(), doc, false).await.unwrap();
        if content_type == "application/pdf" {
            pdfs.push(meta.id);
        }
    }
    let first = s.documents_of_type("application/pdf", None, 1).await.unwrap();
    let rest = s.documents_of_type("application/pdf", Some(first[0].id), 10).await.unwrap();
    let walked: Vec<Uuid> = first.iter().chain(&rest).map(|d| d.id).collect();
    assert_eq!(walked, pdfs, "every PDF once, in id order, no picture");
    let renewed = StoredBlob { sha256: "f".repeat(64), size: 20 };
    let before = s.audit_verify().await.unwrap().entries();
    let doc = s.renew_document(&actor(), pdfs[0], &"0".repeat(64), &renewed).await.unwrap();
    assert_eq!((doc.sha256.as_str(), doc.size), (renewed.sha256.as_str(), 20));
    // Renewing again from the old fingerprint: someone else renewed first — refused, nothing written.
    let again = StoredBlob { sha256: "e".repeat(64), size: 30 };
    assert!(matches!(
        s.renew_document(&actor(), pdfs[0], &"0".repeat(64), &again).await,
        Err(StoreError::Conflict(m)) if m.key == "document.changed"
    ));
    assert_eq!(s.document(pdfs[0]).await.unwrap().unwrap().sha256, renewed.sha256);
    assert_eq!(s.audit_verify().await.unwrap().entries(), before + 1);
});

contract!(SqlStore; tracking_finds_a_certificate_by_number_with_its_office_and_counts_failures_per_key, |s| {
    let t = tree(&s).await;
    let office = s
        .set_unit_contact(&actor(), t.district_a.id, Some("вул. Хрещатик, 1".into()), Some("Пн–Чт 8:00–17:00".into()))
        .await
        .unwrap();
    assert_eq!(office.opening_hours.as_deref(), Some("Пн–Чт 8:00–17:00"));
    assert!(matches!(s.set_unit_contact(&actor(), 999_999, None, None).await, Err(StoreError::NotFound)));
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let app = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let born = NaiveDate::from_ymd_opt(1948, 2, 28).unwrap();
    let found = s.tracked_certificate(&app.number, born).await.unwrap().unwrap();
    assert_eq!(found.certificate.id, app.id);
    assert!(s.tracked_certificate(&app.number, born.succ_opt().unwrap()).await.unwrap().is_none(), "another date");
    let office = s.unit(found.certificate.data.issue_unit_id).await.unwrap().unwrap();
    assert_eq!(office.address.as_deref(), Some("вул. Хрещатик, 1"));
    assert_eq!(found.reached.first().map(|r| r.0), Some(Stage::Accepted));
    assert!(s.tracked_certificate("З-2026-9999999", born).await.unwrap().is_none());

    // Failures count per key within a window; an old window starts again.
    let now = Utc::now();
    let window = chrono::Duration::minutes(15);
    let keys = vec!["client:192.0.2.1".to_owned(), format!("case:{}", app.number)];
    for _ in 0..3 {
        s.record_lookup_failure(&keys, now, now - window).await.unwrap();
    }
    s.record_lookup_failure(&keys[..1], now, now - window).await.unwrap();
    assert_eq!(s.lookup_failures(&keys, now - window).await.unwrap(), vec![4, 3], "per key, in order");
    assert_eq!(s.lookup_failures(&["client:other".to_owned()], now - window).await.unwrap(), vec![0]);
    let later = now + chrono::Duration::minutes(20);
    assert_eq!(s.lookup_failures(&keys, later - window).await.unwrap(), vec![0, 0], "the window has passed");
    s.record_lookup_failure(&keys[..1], later, later - window).await.unwrap();
    assert_eq!(s.lookup_failures(&keys[..1], later - window).await.unwrap(), vec![1], "a new window");
});
