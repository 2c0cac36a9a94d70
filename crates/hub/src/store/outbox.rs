//! The delivery outbox: sealed packages waiting until their acquirer
//! acknowledges them, claimed by one hub process at a time.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::StoreResult;
use uuid::Uuid;

/// A sealed package waiting for delivery, claimed by one worker.
#[derive(Debug, Clone)]
pub struct OutboxItem {
    pub request_pk: Uuid,
    pub request_id: String,
    pub endpoint: String,
    pub file_name: String,
    pub file: Vec<u8>,
    pub metadata: Vec<u8>,
    pub attempts: i32,
}

/// The delivery outbox.
#[async_trait]
pub trait Outbox: Send + Sync {
    /// Claims up to `limit` due packages for `lease` (several hub processes
    /// may share the outbox: `FOR UPDATE SKIP LOCKED` on PostgreSQL).
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<OutboxItem>>;
    /// The acquirer acknowledged: request delivered, package deleted.
    async fn delivery_acknowledged(&self, request_pk: Uuid, now: DateTime<Utc>) -> StoreResult<()>;
    /// An attempt failed: retry at `next_attempt_at`, or give up (`None`):
    /// request failed, package deleted.
    async fn delivery_failed(
        &self,
        request_pk: Uuid,
        error: &str,
        next_attempt_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn outbox_len(&self) -> StoreResult<i64>;
}
