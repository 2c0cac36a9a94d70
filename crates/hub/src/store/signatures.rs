//! The requests funds make that a citizen sign a text in the wallet.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::StoreResult;
use dossier_sharing::wire::SignatureStatus;
use uuid::Uuid;

use super::HubActor;

/// A fund's request that a citizen sign a text in the wallet.
#[derive(Debug, Clone)]
pub struct SignatureRecord {
    pub id: Uuid,
    pub acquirer_id: String,
    pub citizen_id: Uuid,
    pub title: String,
    /// The exact text the citizen signs.
    pub document: String,
    pub return_url: String,
    /// As stored: `Waiting`, `Signed` or `Declined` (see [`SignatureRecord::status_at`]).
    pub status: SignatureStatus,
    /// The CMS SignedData (content attached), once signed.
    pub signature: Option<Vec<u8>>,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub decided_at: Option<DateTime<Utc>>,
}

impl SignatureRecord {
    /// The status as it reads at `now`: a waiting request past its time is expired.
    pub fn status_at(&self, now: DateTime<Utc>) -> SignatureStatus {
        match self.status {
            SignatureStatus::Waiting if now >= self.expires_at => SignatureStatus::Expired,
            s => s,
        }
    }
}

#[derive(Debug, Clone)]
pub struct NewSignatureRequest {
    pub acquirer_id: String,
    pub citizen_id: Uuid,
    pub title: String,
    pub document: String,
    pub return_url: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

/// The citizen's decision on a signature request.
#[derive(Debug, Clone)]
pub enum SignatureDecision {
    /// The CMS SignedData the citizen's key made over the document.
    Sign(Vec<u8>),
    Decline,
}

/// Signature requests, each decided at most once.
#[async_trait]
pub trait SignatureRequests: Send + Sync {
    /// Stores a waiting request (audited as `hub.signature.requested`, without its text).
    async fn create_signature_request(
        &self,
        actor: &HubActor,
        req: NewSignatureRequest,
    ) -> StoreResult<SignatureRecord>;
    async fn signature_request(&self, id: Uuid) -> StoreResult<Option<SignatureRecord>>;
    /// This citizen's requests still waiting at `now` (not decided, not
    /// expired), the newest first: what the wallet lists to sign.
    async fn waiting_signature_requests(
        &self,
        citizen_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<SignatureRecord>>;
    /// One of this acquirer's requests; another acquirer's reads as `None`.
    async fn signature_request_of(&self, acquirer_id: &str, id: Uuid) -> StoreResult<Option<SignatureRecord>>;
    /// Signs or declines a waiting request of this citizen that has not
    /// expired at `now`, in one conditional UPDATE (audited as
    /// `hub.signature.signed` / `hub.signature.declined`): a request is
    /// decided at most once. `Conflict` when it was decided or expired,
    /// `NotFound` when there is no such request of this citizen.
    async fn decide_signature_request(
        &self,
        actor: &HubActor,
        id: Uuid,
        citizen_id: Uuid,
        decision: SignatureDecision,
        now: DateTime<Utc>,
    ) -> StoreResult<SignatureRecord>;
    /// Deletes the requests that expired at or before `before`, decided or
    /// not, with their text and signature (audited as `hub.signature.purge`
    /// with the count); returns how many.
    async fn purge_signature_requests(&self, before: DateTime<Utc>) -> StoreResult<u64>;
}
