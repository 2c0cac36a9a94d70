//! The operator's numbers in SQL: each queue read through the partial index
//! its worker claims from, so a scrape costs what a claim does.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::on_db;

use super::SqlStore;
use crate::StoreResult;
use crate::operations::{AccessLogStats, Operations, PoolStats, WorkQueue};

/// `(name, table, what waits, when it was created, when it is due)`.
const QUEUES: [(&str, &str, &str, &str, Option<&str>); 4] = [
    ("notifications", "notifications", "status = 'pending'", "created_at", Some("next_attempt_at")),
    ("ocr_pages", "digitized_pages", "status = 'pending'", "next_attempt_at", Some("next_attempt_at")),
    (
        "sharing_requests",
        "sharing_requests",
        "status IN ('submitting', 'waiting_consent', 'approved')",
        "created_at",
        Some("next_check_at"),
    ),
    ("e_applications", "e_applications", "status = 'submitted'", "submitted_at", None),
];

/// Every column that names a blob by its content's SHA-256.
const BLOB_COLUMNS: [(&str, &str); 7] = [
    ("documents", "sha256"),
    ("digitized_pages", "image_sha256"),
    ("digitized_pages", "received_sha256"),
    ("digitized_documents", "result_sha256"),
    ("statements", "blob_sha256"),
    ("e_applications", "decision_sha256"),
    ("e_application_files", "sha256"),
];

#[async_trait]
impl Operations for SqlStore {
    async fn ping(&self) -> StoreResult<()> {
        self.db.ping().await
    }

    fn pools(&self) -> Vec<PoolStats> {
        self.db.pool_stats()
    }

    fn access_log(&self) -> &AccessLogStats {
        self.reads.stats()
    }

    fn access_index_behind(&self) -> StoreResult<Option<i64>> {
        self.db.direct().map(|d| d.subjects.behind()).transpose()
    }

    async fn work_queues(&self, now: DateTime<Utc>) -> StoreResult<Vec<WorkQueue>> {
        let mut out = Vec::with_capacity(QUEUES.len());
        for (name, table, waiting, created, due) in QUEUES {
            // A queue without a due time has nothing overdue: a typed NULL on both databases.
            let overdue = match due {
                Some(d) => format!("MIN(CASE WHEN {d} <= $1 THEN {d} END)"),
                None => format!("MIN(CASE WHEN 1 = 0 OR $1 IS NULL THEN {created} END)"),
            };
            let sql = format!("SELECT COUNT(*), MIN({created}), {overdue} FROM {table} WHERE {waiting}");
            let (depth, oldest, overdue_since): (i64, Option<DateTime<Utc>>, Option<DateTime<Utc>>) =
                on_db!(&self.db, read, |pool, _d| sqlx::query_as(&sql).bind(now).fetch_one(pool).await?);
            out.push(WorkQueue { name, depth, oldest, overdue_since });
        }
        Ok(out)
    }

    async fn blob_references(&self) -> StoreResult<Vec<String>> {
        let union = BLOB_COLUMNS
            .iter()
            .map(|(table, column)| format!("SELECT {column} AS sha FROM {table} WHERE {column} IS NOT NULL"))
            .collect::<Vec<_>>()
            .join(" UNION ");
        let sql = format!("SELECT sha FROM ({union}) AS refs ORDER BY sha");
        let rows: Vec<(String,)> = on_db!(&self.db, read, |pool, _d| sqlx::query_as(&sql).fetch_all(pool).await?);
        Ok(rows.into_iter().map(|(s,)| s).collect())
    }
}

impl SqlStore {
    /// A consistent copy of the embedded database's files into `dir` (see
    /// [`dossier_db::Db::snapshot_sqlite`]).
    pub async fn snapshot_sqlite(&self, dir: &std::path::Path) -> StoreResult<Vec<&'static str>> {
        self.db.snapshot_sqlite(dir).await
    }
}
