//! Statements the fund issued on demand, found by their verification code's hash.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::StoreResult;

#[async_trait]
pub trait Statements: Send + Sync {
    /// Records an issued statement (audited under whoever it was issued to).
    async fn save_statement(&self, s: &StatementRecord) -> StoreResult<()>;
    async fn statement_by_code(&self, code_hash: &str) -> StoreResult<Option<StatementRecord>>;
}

#[derive(Debug, Clone)]
pub struct StatementRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    /// `individual_account`.
    pub kind: String,
    pub code_hash: String,
    /// The signed PDF in the blob store.
    pub blob_sha256: String,
    pub issued_at: DateTime<Utc>,
    /// `citizen:<subject>`.
    pub issued_to: String,
}
