//! [`SqlStore`]: every repository of the fund over SQLite or PostgreSQL, one
//! file per repository; the rows they map and the statements they share are
//! in `rows.rs` and `steps.rs`.
mod applications;
mod appointments;
mod cards;
mod certification;
mod citizens;
mod digitization;
mod documents;
mod e_applications;
mod imports;
mod intake;
mod notify;
mod operations;
mod org;
mod people;
mod point;
mod production;
mod questions;
mod queue;
mod record;
pub(crate) mod rows;
mod staff;
mod statements;
pub(crate) mod steps;
mod tracking;

use async_trait::async_trait;
use dossier_db::audit::{AuditEntry, Checkpoint, Log, PendingEntry, VerifyReport};
use dossier_db::audit_sql::AuditBatcher;
use dossier_db::{Backend, Db, Migrations, StoreResult, on_db};
use dossier_domain::calendar::WorkingCalendar;
use dossier_domain::org::UnitPath;

use crate::{Actor, Audit, Store};

/// The fund's migrations per database, in order. Each runs once, in its own transaction.
const MIGRATIONS: Migrations = Migrations {
    sqlite: &[
        ("0001_foundation", include_str!("../../migrations/sqlite/0001_foundation.sql")),
        ("0002_certification_centre", include_str!("../../migrations/sqlite/0002_certification_centre.sql")),
        ("0003_sharing_intake", include_str!("../../migrations/sqlite/0003_sharing_intake.sql")),
        ("0004_production", include_str!("../../migrations/sqlite/0004_production.sql")),
        ("0005_card_exchange", include_str!("../../migrations/sqlite/0005_card_exchange.sql")),
        ("0006_batch_indexes", include_str!("../../migrations/sqlite/0006_batch_indexes.sql")),
        ("0007_certificate_validity", include_str!("../../migrations/sqlite/0007_certificate_validity.sql")),
        ("0008_one_name_index", include_str!("../../migrations/sqlite/0008_one_name_index.sql")),
        ("0009_open_acts", include_str!("../../migrations/sqlite/0009_open_acts.sql")),
        ("0010_tracking", include_str!("../../migrations/sqlite/0010_tracking.sql")),
        ("0011_notifications", include_str!("../../migrations/sqlite/0011_notifications.sql")),
        ("0012_chat_subscriptions", include_str!("../../migrations/sqlite/0012_chat_subscriptions.sql")),
        ("0013_request_subscriptions", include_str!("../../migrations/sqlite/0013_request_subscriptions.sql")),
        ("0014_digitization", include_str!("../../migrations/sqlite/0014_digitization.sql")),
        ("0015_digitization_results", include_str!("../../migrations/sqlite/0015_digitization_results.sql")),
        (
            "0016_digitization_receipt_upright",
            include_str!("../../migrations/sqlite/0016_digitization_receipt_upright.sql"),
        ),
        ("0017_bookings", include_str!("../../migrations/sqlite/0017_bookings.sql")),
        ("0018_citizen_sessions", include_str!("../../migrations/sqlite/0018_citizen_sessions.sql")),
        ("0019_pension_record", include_str!("../../migrations/sqlite/0019_pension_record.sql")),
        ("0020_questions", include_str!("../../migrations/sqlite/0020_questions.sql")),
        ("0021_statements", include_str!("../../migrations/sqlite/0021_statements.sql")),
        ("0022_e_applications", include_str!("../../migrations/sqlite/0022_e_applications.sql")),
        ("0023_queue", include_str!("../../migrations/sqlite/0023_queue.sql")),
        ("0024_digitization_settled", include_str!("../../migrations/sqlite/0024_digitization_settled.sql")),
        ("0025_office_reception", include_str!("../../migrations/sqlite/0025_office_reception.sql")),
        ("0026_walk_in_tickets", include_str!("../../migrations/sqlite/0026_walk_in_tickets.sql")),
        ("0027_pensions", include_str!("../../migrations/sqlite/0027_pensions.sql")),
        ("0028_earning_years", include_str!("../../migrations/sqlite/0028_earning_years.sql")),
        ("0029_earnings_by_person_only", include_str!("../../migrations/sqlite/0029_earnings_by_person_only.sql")),
        (
            "0030_record_corrections_by_person",
            include_str!("../../migrations/sqlite/0030_record_corrections_by_person.sql"),
        ),
        ("0031_pensions_paid_before", include_str!("../../migrations/sqlite/0031_pensions_paid_before.sql")),
        ("0032_pension_import_runs", include_str!("../../migrations/sqlite/0032_pension_import_runs.sql")),
    ],
    sqlite_access: &[
        ("0001_access_log", include_str!("../../migrations/sqlite/access/0001_access_log.sql")),
        ("0002_append_only", include_str!("../../migrations/sqlite/access/0002_append_only.sql")),
    ],
    postgres: &[
        ("0001_foundation", include_str!("../../migrations/postgres/0001_foundation.sql")),
        ("0002_access_log", include_str!("../../migrations/postgres/0002_access_log.sql")),
        ("0003_certification_centre", include_str!("../../migrations/postgres/0003_certification_centre.sql")),
        ("0004_sharing_intake", include_str!("../../migrations/postgres/0004_sharing_intake.sql")),
        ("0005_production", include_str!("../../migrations/postgres/0005_production.sql")),
        ("0006_card_exchange", include_str!("../../migrations/postgres/0006_card_exchange.sql")),
        ("0007_batch_indexes", include_str!("../../migrations/postgres/0007_batch_indexes.sql")),
        ("0008_certificate_validity", include_str!("../../migrations/postgres/0008_certificate_validity.sql")),
        ("0009_one_name_index", include_str!("../../migrations/postgres/0009_one_name_index.sql")),
        ("0010_open_acts", include_str!("../../migrations/postgres/0010_open_acts.sql")),
        ("0011_tracking", include_str!("../../migrations/postgres/0011_tracking.sql")),
        ("0012_notifications", include_str!("../../migrations/postgres/0012_notifications.sql")),
        ("0013_chat_subscriptions", include_str!("../../migrations/postgres/0013_chat_subscriptions.sql")),
        ("0014_request_subscriptions", include_str!("../../migrations/postgres/0014_request_subscriptions.sql")),
        ("0015_digitization", include_str!("../../migrations/postgres/0015_digitization.sql")),
        ("0016_digitization_results", include_str!("../../migrations/postgres/0016_digitization_results.sql")),
        (
            "0017_digitization_receipt_upright",
            include_str!("../../migrations/postgres/0017_digitization_receipt_upright.sql"),
        ),
        (
            "0018_digitized_search_in_reading_order",
            include_str!("../../migrations/postgres/0018_digitized_search_in_reading_order.sql"),
        ),
        ("0019_bookings", include_str!("../../migrations/postgres/0019_bookings.sql")),
        ("0020_citizen_sessions", include_str!("../../migrations/postgres/0020_citizen_sessions.sql")),
        ("0021_pension_record", include_str!("../../migrations/postgres/0021_pension_record.sql")),
        ("0022_questions", include_str!("../../migrations/postgres/0022_questions.sql")),
        ("0023_statements", include_str!("../../migrations/postgres/0023_statements.sql")),
        ("0024_e_applications", include_str!("../../migrations/postgres/0024_e_applications.sql")),
        ("0025_queue", include_str!("../../migrations/postgres/0025_queue.sql")),
        ("0026_digitization_settled", include_str!("../../migrations/postgres/0026_digitization_settled.sql")),
        ("0027_office_reception", include_str!("../../migrations/postgres/0027_office_reception.sql")),
        ("0028_walk_in_tickets", include_str!("../../migrations/postgres/0028_walk_in_tickets.sql")),
        ("0029_pensions", include_str!("../../migrations/postgres/0029_pensions.sql")),
        ("0030_earning_years", include_str!("../../migrations/postgres/0030_earning_years.sql")),
        ("0031_earnings_by_person_only", include_str!("../../migrations/postgres/0031_earnings_by_person_only.sql")),
        (
            "0032_record_corrections_by_person",
            include_str!("../../migrations/postgres/0032_record_corrections_by_person.sql"),
        ),
        ("0033_pensions_paid_before", include_str!("../../migrations/postgres/0033_pensions_paid_before.sql")),
        ("0034_pension_import_runs", include_str!("../../migrations/postgres/0034_pension_import_runs.sql")),
    ],
};

/// The SQL implementation of [`Store`] for both backends.
pub struct SqlStore {
    pub(crate) db: Db,
    pub(crate) reads: AuditBatcher,
    /// Working days for the card deadline (SPEC §4: configured, with the martial-law switch).
    pub(crate) calendar: WorkingCalendar,
}

impl SqlStore {
    /// Connects (`sqlite://path?mode=rwc` or `postgres://…`) and migrates.
    pub async fn open(url: &str) -> StoreResult<SqlStore> {
        let db = Db::connect(url).await?;
        db.migrate(&MIGRATIONS).await?;
        let reads = AuditBatcher::spawn(db.clone());
        Ok(SqlStore { db, reads, calendar: WorkingCalendar::default() })
    }

    /// Replaces the working calendar deadlines are counted in.
    pub fn with_calendar(mut self, calendar: WorkingCalendar) -> SqlStore {
        self.calendar = calendar;
        self
    }

    /// Direct access for tests that must tamper with rows (audit
    /// verification): runs `sql` on the database holding `log`.
    pub async fn execute_raw(&self, log: Log, sql: &str) -> StoreResult<u64> {
        let affected = match log {
            Log::Change => on_db!(&self.db, write, |pool, _d| sqlx::raw_sql(sql).execute(pool).await?.rows_affected()),
            Log::Access => {
                on_db!(&self.db, access, |pool, _d| sqlx::raw_sql(sql).execute(pool).await?.rows_affected())
            }
        };
        Ok(affected)
    }
}

/// Range bounds for "path starts with `p`": every such path sorts in
/// `[p, p with its final '/' replaced by '0')` in byte order, which both
/// databases can answer from an ordinary index.
/// Rows per multi-row statement: 20 columns × 500 rows stays far below both
/// databases' parameter limits while amortising the statement cost.
pub(crate) const CHUNK: usize = 500;
/// Most row problems an upload's answer names.
pub(crate) const MAX_PROBLEMS: usize = 1000;

pub(crate) fn subtree_range(p: &UnitPath) -> (String, String) {
    let lo = p.as_str().to_owned();
    let mut hi = lo.clone();
    hi.pop();
    hi.push('0');
    (lo, hi)
}

impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.db.backend()
    }
}

#[async_trait]
impl Audit for SqlStore {
    async fn audit(&self, actor: &Actor, action: &str, subject: &str, details: serde_json::Value) -> StoreResult<()> {
        self.reads.append(PendingEntry::new(&actor.label, action, subject, details)).await
    }
    async fn audit_of(&self, subject: &str, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        dossier_db::audit_sql::history(&self.db, subject, limit).await
    }
    async fn audit_verify(&self, checkpoints: &[Checkpoint]) -> StoreResult<VerifyReport> {
        dossier_db::audit_sql::verify(&self.db, checkpoints).await
    }
    async fn audit_heads(&self) -> StoreResult<Vec<(Log, i64, String)>> {
        dossier_db::audit_sql::heads(&self.db).await
    }
}
