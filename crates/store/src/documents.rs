//! Documents in a person's dossier: metadata here, the encrypted bytes in the blob store.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// Documents of a dossier (metadata; the bytes live in the blob store).
#[async_trait]
pub trait Documents: Send + Sync {
    async fn add_document(&self, actor: &Actor, doc: NewDocument, as_photo: bool) -> StoreResult<DocumentMeta>;
    async fn documents(&self, person_id: Uuid) -> StoreResult<Vec<DocumentMeta>>;
    async fn document(&self, id: Uuid) -> StoreResult<Option<DocumentMeta>>;
    /// Stored documents of `content_type` after `after` (by id), at most `limit`:
    /// what an archival job walks, a page at a time.
    async fn documents_of_type(
        &self,
        content_type: &str,
        after: Option<Uuid>,
        limit: i64,
    ) -> StoreResult<Vec<DocumentMeta>>;
    /// Points a document at its renewed bytes (an archival re-time-stamp appends
    /// to the PDF, so the new bytes keep the old as their first revisions), if
    /// it still has `expected` — a document changed meanwhile is a conflict, not
    /// overwritten. Audited with both fingerprints; the old blob is kept.
    async fn renew_document(
        &self,
        actor: &Actor,
        id: Uuid,
        expected: &str,
        renewed: &StoredBlob,
    ) -> StoreResult<DocumentMeta>;
}

#[derive(Debug, Clone)]
pub struct NewDocument {
    pub person_id: Option<Uuid>,
    pub kind: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub source: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DocumentMeta {
    pub id: Uuid,
    pub person_id: Option<Uuid>,
    pub kind: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub source: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A stored blob's fingerprint and size.
#[derive(Debug, Clone)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: i64,
}
