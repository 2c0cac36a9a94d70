//! Bulk import of people: resumable runs in batches, and the API's all-or-nothing upload.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::person::PersonData;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// Bulk import of people.
#[async_trait]
pub trait Imports: Send + Sync {
    /// Finds an unfinished run of the same file (to resume) or starts a new one.
    async fn start_import(
        &self,
        actor: &Actor,
        file_sha256: &str,
        file_name: &str,
        unit_id: i64,
    ) -> StoreResult<ImportRun>;
    /// Stores one batch of validated rows and the batch's rejected rows, and
    /// advances the run's position — all in one transaction, so a crash
    /// resumes exactly after the last committed batch.
    async fn import_batch(&self, actor: &Actor, run: &ImportRun, batch: ImportBatch) -> StoreResult<ImportRun>;
    async fn finish_import(&self, run: &ImportRun) -> StoreResult<ImportRun>;
    /// Stores validated people all or nothing (the API's CSV upload): if any
    /// is already in the registry, nothing is written and the rows are named.
    async fn import_persons(&self, actor: &Actor, unit_id: i64, rows: Vec<(i64, PersonData)>) -> StoreResult<i64>;
    async fn import_errors(&self, run_id: Uuid) -> StoreResult<Vec<ImportError>>;
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportRun {
    pub id: Uuid,
    pub file_sha256: String,
    pub file_name: String,
    pub unit_id: i64,
    /// Data rows consumed so far (accepted + rejected); a resumed run skips them.
    pub rows_done: i64,
    pub rows_ok: i64,
    pub rows_failed: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One batch of an import: the good rows (with their line numbers) and the
/// rejected ones with the reason, plus how many rows the batch consumed.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    pub rows: Vec<(i64, PersonData)>,
    pub rejected: Vec<ImportError>,
    pub consumed: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportError {
    pub line: i64,
    pub field: String,
    /// Rendered reason (Ukrainian / English joined), never the row's content.
    pub message: String,
}
