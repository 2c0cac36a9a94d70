//! Sharing codes and the document requests made with them (barcode flow) or
//! by deeplink, with the state machine of `dossier_domain::sharing`.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::StoreResult;
use dossier_domain::sharing::{CodeState, DocumentType, RequestEvent, RequestStatus, SharingCode};
use uuid::Uuid;

use super::HubActor;

/// A sharing code as stored.
#[derive(Debug, Clone)]
pub struct CodeRecord {
    pub id: Uuid,
    pub code: SharingCode,
    pub citizen_id: Uuid,
    pub document_type: DocumentType,
    pub issued_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

impl CodeRecord {
    pub fn state(&self) -> CodeState {
        CodeState { document_type: self.document_type, issued_at: self.issued_at, used_at: self.used_at }
    }
}

/// One document request (barcode or deeplink flow).
#[derive(Debug, Clone)]
pub struct HubRequest {
    pub id: Uuid,
    pub acquirer_id: String,
    pub branch_id: String,
    /// The acquirer's own id.
    pub request_id: String,
    pub barcode: Option<String>,
    /// `None` while a deeplink request waits for a wallet to open it.
    pub citizen_id: Option<Uuid>,
    pub document_type: DocumentType,
    pub status: RequestStatus,
    pub deeplink_token: Option<String>,
    pub consent: Option<Vec<u8>>,
    pub requested_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewRequest {
    pub acquirer_id: String,
    pub branch_id: String,
    pub request_id: String,
    pub document_type: DocumentType,
}

/// Why a code could not be taken by a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TakeOutcome {
    Taken(Uuid),
    /// Another request took the code first (or it was never live).
    AlreadyUsed,
    /// The acquirer already used this request id.
    DuplicateRequest,
}

#[derive(Debug, Clone)]
pub struct SealedPackage {
    pub endpoint: String,
    pub file_name: String,
    pub file: Vec<u8>,
    pub metadata: Vec<u8>,
}

/// Sharing codes and document requests.
#[async_trait]
pub trait Requests: Send + Sync {
    /// Stores a new code for the citizen; `draw` is asked again when the
    /// digits collide with a live code (unique among live codes).
    async fn issue_code(
        &self,
        actor: &HubActor,
        citizen_id: Uuid,
        document_type: DocumentType,
        now: DateTime<Utc>,
        draw: &mut (dyn FnMut() -> SharingCode + Send),
    ) -> StoreResult<CodeRecord>;
    /// The newest code with these digits (an unused one first).
    async fn code(&self, code: &str) -> StoreResult<Option<CodeRecord>>;
    async fn code_by_id(&self, id: Uuid) -> StoreResult<Option<CodeRecord>>;
    /// Takes the code (`used_at IS NULL` → now) and creates the request, in
    /// one transaction: of two racing acquirers exactly one wins.
    async fn take_code(&self, code_id: Uuid, req: NewRequest, now: DateTime<Utc>) -> StoreResult<TakeOutcome>;
    /// Deletes unused codes issued before `before`; returns how many.
    async fn purge_codes(&self, before: DateTime<Utc>) -> StoreResult<u64>;

    /// When the codes `branch_id` presented since `since` were refused, oldest first.
    async fn code_refusals(&self, branch_id: &str, since: DateTime<Utc>) -> StoreResult<Vec<DateTime<Utc>>>;
    /// Counts a refused code against its branch, with its audit entry (no
    /// code in it), in one transaction; forgets the branch's refusals older
    /// than `forget_before`.
    async fn record_code_refusal(
        &self,
        actor: &HubActor,
        branch_id: &str,
        reason: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<()>;

    /// A deeplink-flow request: no citizen yet; `token` goes into the deeplink.
    async fn create_deeplink_request(
        &self,
        req: NewRequest,
        token: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<TakeOutcome>;
    /// Binds a deeplink request to the wallet that opened it (first one wins).
    async fn claim_deeplink(&self, token: &str, citizen_id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<Uuid>>;
    async fn request(&self, id: Uuid) -> StoreResult<Option<HubRequest>>;
    async fn request_by_acquirer(&self, acquirer_id: &str, request_id: &str) -> StoreResult<Option<HubRequest>>;
    async fn requests_of(&self, citizen_id: Uuid) -> StoreResult<Vec<HubRequest>>;
    /// Moves a request by `event` (`dossier_domain::sharing::next`); on
    /// approval stores the consent and the sealed package in the same
    /// transaction. `Conflict` if the status does not allow the event.
    async fn advance_request(
        &self,
        actor: &HubActor,
        id: Uuid,
        event: RequestEvent,
        consent: Option<&[u8]>,
        package: Option<SealedPackage>,
        now: DateTime<Utc>,
    ) -> StoreResult<HubRequest>;
    /// Expires requests still waiting for consent that were made before `before`.
    async fn expire_requests(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Vec<Uuid>>;
}
