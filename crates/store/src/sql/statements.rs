//! [`Statements`] on SQL.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{BeginWrite, StoreResult, append_audit, on_db};
use serde_json::json;
use uuid::Uuid;

use super::SqlStore;
use crate::*;

#[async_trait]
impl Statements for SqlStore {
    async fn save_statement(&self, s: &StatementRecord) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO statements (id, person_id, kind, code_hash, blob_sha256, issued_at, issued_to) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(s.id)
            .bind(s.person_id)
            .bind(&s.kind)
            .bind(&s.code_hash)
            .bind(&s.blob_sha256)
            .bind(s.issued_at)
            .bind(&s.issued_to)
            .execute(&mut *tx)
            .await?;
            let details = json!({"statement": s.id, "kind": s.kind});
            let entry = PendingEntry::new(&s.issued_to, "statement.issue", format!("person:{}", s.person_id), details);
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
        });
        Ok(())
    }

    async fn statement_by_code(&self, code_hash: &str) -> StoreResult<Option<StatementRecord>> {
        type Row = (Uuid, Uuid, String, String, String, DateTime<Utc>, String);
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT id, person_id, kind, code_hash, blob_sha256, issued_at, issued_to FROM statements WHERE code_hash = $1",
            )
            .bind(code_hash)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(id, person_id, kind, code_hash, blob_sha256, issued_at, issued_to)| StatementRecord {
            id,
            person_id,
            kind,
            code_hash,
            blob_sha256,
            issued_at,
            issued_to,
        }))
    }
}
