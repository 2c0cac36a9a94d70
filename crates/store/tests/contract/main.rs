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
use dossier_store::audit::{Checkpoint, Log};
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

/// A person's rows read on the calling thread (`SqlStore::point_rows`, on
/// SQLite) are the very records the pool reads one by one.
#[track_caller]
fn same_record<T: serde::Serialize>(point: &T, pool: &T) {
    assert_eq!(serde_json::to_value(point).unwrap(), serde_json::to_value(pool).unwrap());
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

mod appointments;
mod audit_staff_certification;
mod blobs;
mod citizens;
mod digitization;
mod documents_tracking;
mod e_applications;
mod intake;
mod notifications;
mod org_people_applications;
mod production;
mod questions;
mod queue;
mod record;
