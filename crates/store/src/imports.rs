//! Bulk imports: resumable runs in batches (people, the pensions paid before
//! Dossier), and the API's all-or-nothing upload of people.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::payment::PaidRow;
use dossier_domain::person::PersonData;
use dossier_domain::{Lang, Message};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// Bulk imports.
#[async_trait]
pub trait Imports: Send + Sync {
    /// Finds an unfinished run of the same kind, file and unit (to resume) or
    /// starts a new one. People are imported at a district office; pensions
    /// for the people registered under any unit.
    async fn start_import(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_sha256: &str,
        file_name: &str,
        unit_id: i64,
    ) -> StoreResult<ImportRun>;
    /// Stores one batch of validated people and the batch's rejected rows, and
    /// advances the run's position — all in one transaction, so a crash
    /// resumes exactly after the last committed batch.
    async fn import_batch(&self, actor: &Actor, run: &ImportRun, batch: ImportBatch) -> StoreResult<ImportRun>;
    /// The same for a batch of pensions paid before Dossier: the rows the
    /// store refuses (an unknown person, one outside the run's unit, a pension
    /// granted here, a first day before birth, a person twice in the batch)
    /// join the run's report instead of refusing the batch.
    async fn import_pension_batch(
        &self,
        actor: &Actor,
        run: &ImportRun,
        batch: ImportBatch<PaidRow>,
    ) -> StoreResult<ImportRun>;
    async fn finish_import(&self, run: &ImportRun) -> StoreResult<ImportRun>;
    /// Stores validated people all or nothing (the API's CSV upload): if any
    /// is already in the registry, nothing is written and the rows are named.
    async fn import_persons(&self, actor: &Actor, unit_id: i64, rows: Vec<(i64, PersonData)>) -> StoreResult<i64>;
    async fn import_errors(&self, run_id: Uuid) -> StoreResult<Vec<ImportError>>;
}

/// What a run imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportKind {
    People,
    Pensions,
}

impl ImportKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ImportKind::People => "people",
            ImportKind::Pensions => "pensions",
        }
    }

    pub fn parse(s: &str) -> Option<ImportKind> {
        [ImportKind::People, ImportKind::Pensions].into_iter().find(|k| k.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRun {
    pub id: Uuid,
    pub kind: ImportKind,
    pub file_sha256: String,
    pub file_name: String,
    pub unit_id: i64,
    /// Data rows consumed so far (accepted + rejected); a resumed run skips them.
    pub rows_done: i64,
    /// Rows recorded, and rows refused (each with one reason or more in the report).
    pub rows_ok: i64,
    pub rows_failed: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One batch of an import: the good rows (with their line numbers) and the
/// rejected ones with the reason, plus how many rows the batch consumed.
#[derive(Debug, Clone)]
pub struct ImportBatch<T = PersonData> {
    pub rows: Vec<(i64, T)>,
    pub rejected: Vec<ImportError>,
    pub consumed: i64,
}

impl<T> Default for ImportBatch<T> {
    fn default() -> Self {
        ImportBatch { rows: Vec::new(), rejected: Vec::new(), consumed: 0 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportError {
    pub line: i64,
    pub field: String,
    /// Rendered reason (Ukrainian / English joined), never the row's content.
    pub message: String,
}

/// How many rows `rejected` refuses: a row may have several problems.
pub fn rows_rejected(rejected: &[ImportError]) -> i64 {
    rejected.iter().map(|e| e.line).collect::<std::collections::HashSet<_>>().len() as i64
}

impl ImportError {
    /// A row's problem, its reason rendered in both languages of the report.
    pub fn new(line: i64, field: &str, message: impl Into<Message>) -> ImportError {
        let m: Message = message.into();
        ImportError { line, field: field.into(), message: format!("{} / {}", m.render(Lang::UK), m.render(Lang::EN)) }
    }
}
