//! The hub's own database (SPEC §2.1): wallet users and the documents a
//! registry issued to them, acquirers with branches and offers, sharing
//! codes, document requests, the delivery outbox, and the signature requests
//! funds make of citizens.
//!
//! [`HubStore`] is held as `Arc<dyn HubStore>`; [`SqlHubStore`] implements it
//! on SQLite and PostgreSQL with the `on_db!` machinery of `dossier_db` (as the
//! fund's store does), the crate's own migrations (`migrations/`) and its own
//! hash-chained audit log (`dossier_db::audit` on the hub's database: the same
//! `audit_log`/`audit_head` tables, so `audit_verify` works the same way).
//!
//! Privacy: the outbox holds only the sealed (encrypted) package and is
//! deleted when the acquirer acknowledges it; no plaintext copy is stored.
mod rows;
mod sql;

use schemars::JsonSchema;
pub use sql::SqlHubStore;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::sharing::{CodeState, DocumentType, RequestEvent, RequestStatus, SharingCode};
use dossier_sharing::wire::SignatureStatus;
use serde::Serialize;
use uuid::Uuid;

use dossier_db::Backend;
use dossier_db::StoreResult;
use dossier_db::audit::VerifyReport;

#[derive(Debug, Clone, Serialize)]
pub struct Citizen {
    pub id: Uuid,
    pub login: String,
    #[serde(skip)]
    pub password_hash: String,
    pub display_name: String,
    #[serde(skip)]
    pub rnokpp: String,
}

#[derive(Debug, Clone)]
pub struct NewCitizen {
    pub login: String,
    pub password_hash: String,
    pub display_name: String,
    pub rnokpp: String,
}

/// A digital document as the registry issued it.
#[derive(Debug, Clone)]
pub struct HubDocument {
    pub id: Uuid,
    pub citizen_id: Uuid,
    pub document_type: DocumentType,
    /// The public metadata shape (SPEC §2.1), dates `dd.MM.yyyy`.
    pub data: serde_json::Value,
    /// The registry's CMS SignedData over the canonical JSON of `data`.
    pub registry_signature: Vec<u8>,
    pub issued_at: DateTime<Utc>,
}

/// The citizen's personal key: a PinContainer (JSON) and its certificate.
#[derive(Debug, Clone)]
pub struct CitizenKey {
    pub citizen_id: Uuid,
    pub container_json: String,
    pub certificate_pem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Acquirer {
    pub id: String,
    pub name: String,
    pub endpoint: String,
    #[serde(skip)]
    pub token_hash: String,
    /// Where the acquirer, as an OpenID relying party, takes its citizens back
    /// after login (exact match); `None`: it does not log citizens in.
    pub login_redirect_uri: Option<String>,
}

/// An authorization code the hub issued at login (kept as its hash, taken once).
#[derive(Debug, Clone)]
pub struct LoginCode {
    pub code_hash: String,
    pub acquirer_id: String,
    pub citizen_id: Uuid,
    pub redirect_uri: String,
    /// PKCE S256 challenge.
    pub code_challenge: String,
    pub nonce: String,
    pub auth_time: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Branch {
    #[serde(rename = "_id")]
    pub id: String,
    pub acquirer_id: String,
    pub name: String,
    pub address: String,
    pub scopes: Vec<DocumentType>,
    #[serde(skip)]
    pub encryption_cert_pem: String,
}

#[derive(Debug, Clone)]
pub struct NewBranch {
    pub name: String,
    pub address: String,
    pub scopes: Vec<DocumentType>,
    pub encryption_cert_pem: String,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Offer {
    #[serde(rename = "_id")]
    pub id: String,
    pub branch_id: String,
    pub name: String,
    pub scopes: Vec<DocumentType>,
}

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

#[derive(Debug, Clone)]
pub struct SealedPackage {
    pub endpoint: String,
    pub file_name: String,
    pub file: Vec<u8>,
    pub metadata: Vec<u8>,
}

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

/// Who did something at the hub, for the audit log.
#[derive(Debug, Clone)]
pub struct HubActor(pub String);

impl HubActor {
    pub fn citizen(id: Uuid) -> Self {
        HubActor(format!("citizen:{id}"))
    }
    pub fn acquirer(id: &str) -> Self {
        HubActor(format!("acquirer:{id}"))
    }
    pub fn system(what: &str) -> Self {
        HubActor(format!("system:{what}"))
    }
}

#[async_trait]
pub trait HubStore: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    // ---- citizens and wallet sessions ----
    async fn create_citizen(&self, actor: &HubActor, c: NewCitizen) -> StoreResult<Citizen>;
    async fn citizen(&self, id: Uuid) -> StoreResult<Option<Citizen>>;
    async fn citizen_by_login(&self, login: &str) -> StoreResult<Option<Citizen>>;
    async fn create_wallet_session(
        &self,
        token_hash: &str,
        citizen_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn wallet_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Citizen>>;
    async fn delete_wallet_session(&self, token_hash: &str) -> StoreResult<()>;

    // ---- the hub as OpenID provider ----
    /// Keeps a code the citizen's login granted (audited as the grant).
    async fn save_login_code(&self, code: &LoginCode) -> StoreResult<()>;
    /// Takes a code once: the second caller, and any caller after expiry, gets `None`.
    async fn take_login_code(&self, code_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<LoginCode>>;

    // ---- issued documents and personal keys ----
    async fn add_document(
        &self,
        actor: &HubActor,
        citizen_id: Uuid,
        document_type: DocumentType,
        data: &serde_json::Value,
        registry_signature: &[u8],
    ) -> StoreResult<HubDocument>;
    async fn documents_of(&self, citizen_id: Uuid) -> StoreResult<Vec<HubDocument>>;
    async fn set_citizen_key(&self, actor: &HubActor, key: CitizenKey) -> StoreResult<()>;
    async fn citizen_key(&self, citizen_id: Uuid) -> StoreResult<Option<CitizenKey>>;
    /// Persists the container after an attempt (its retry counter changed).
    async fn update_key_container(&self, citizen_id: Uuid, container_json: &str) -> StoreResult<()>;

    // ---- acquirers, branches, offers ----
    /// Registers an acquirer or updates it (name, endpoint; a new token replaces the old one).
    async fn save_acquirer(&self, actor: &HubActor, a: Acquirer) -> StoreResult<Acquirer>;
    async fn acquirer(&self, id: &str) -> StoreResult<Option<Acquirer>>;
    async fn create_branch(&self, actor: &HubActor, acquirer_id: &str, b: NewBranch) -> StoreResult<Branch>;
    async fn branch(&self, id: &str) -> StoreResult<Option<Branch>>;
    async fn branches(&self, acquirer_id: &str) -> StoreResult<Vec<Branch>>;
    async fn create_offer(
        &self,
        actor: &HubActor,
        branch_id: &str,
        name: &str,
        scopes: &[DocumentType],
    ) -> StoreResult<Offer>;
    async fn offer(&self, id: &str) -> StoreResult<Option<Offer>>;

    // ---- sharing codes ----
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

    // ---- document requests ----
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

    // ---- signature requests ----
    /// The citizen a signature request names (the oldest wallet with this RNOKPP).
    async fn citizen_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<Citizen>>;
    /// Stores a waiting request (audited as `hub.signature.requested`, without its text).
    async fn create_signature_request(
        &self,
        actor: &HubActor,
        req: NewSignatureRequest,
    ) -> StoreResult<SignatureRecord>;
    async fn signature_request(&self, id: Uuid) -> StoreResult<Option<SignatureRecord>>;
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

    // ---- delivery outbox ----
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

    // ---- audit ----
    async fn audit(&self, actor: &HubActor, action: &str, subject: &str, details: serde_json::Value)
    -> StoreResult<()>;
    async fn audit_verify(&self) -> StoreResult<VerifyReport>;
    async fn audit_actions(&self, subject: &str) -> StoreResult<Vec<String>>;
}

/// Scopes as stored: comma-separated public names.
pub(crate) fn scopes_text(scopes: &[DocumentType]) -> String {
    scopes.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn parse_scopes(s: &str) -> Vec<DocumentType> {
    s.split(',').filter_map(|t| DocumentType::parse(t).ok()).collect()
}
