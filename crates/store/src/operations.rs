//! What an operator watches (issue 22 §6): whether the database answers, its
//! connection pools, and the depth and age of every queue of work the
//! workers drain — the numbers `/readyz` and `/metrics` report.
use async_trait::async_trait;
use chrono::{DateTime, Utc};

pub use dossier_db::PoolStats;
pub use dossier_db::audit_sql::AccessLogStats;
pub use dossier_db::histogram::{self, Snapshot as HistogramSnapshot};

use crate::StoreResult;

/// One queue of work: how many items wait and since when the oldest has.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkQueue {
    /// `notifications`, `ocr_pages`, `sharing_requests`, `e_applications`.
    pub name: &'static str,
    pub depth: i64,
    /// When the oldest waiting item was created (`None`: nothing waits).
    pub oldest: Option<DateTime<Utc>>,
    /// When the most overdue item was due (`None`: nothing is due yet):
    /// how far the worker lags behind.
    pub overdue_since: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait Operations: Send + Sync {
    /// Each database connection pool answers a trivial query.
    async fn ping(&self) -> StoreResult<()>;
    /// The connection pools now.
    fn pools(&self) -> Vec<PoolStats>;
    /// The access log's group commit since this process started.
    fn access_log(&self) -> &AccessLogStats;
    /// Entries of the access log its index by subject has not reached yet
    /// (`None` where the log is indexed in its own commit: PostgreSQL).
    fn access_index_behind(&self) -> StoreResult<Option<i64>>;
    /// Every queue of work, as of `now`.
    async fn work_queues(&self, now: DateTime<Utc>) -> StoreResult<Vec<WorkQueue>>;
    /// The SHA-256 of every blob the database refers to, each once, sorted:
    /// what a fixity pass reads back.
    async fn blob_references(&self) -> StoreResult<Vec<String>>;
}
