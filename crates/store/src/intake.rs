//! Document sharing, the fund's side (SPEC §2.1): branches registered with the hub, typed codes,
//! requests, delivered copies and the review queue.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::org::UnitPath;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::documents::StoredBlob;
use crate::{Actor, Page, StoreResult};

/// Document requests to the hub and the copies delivered.
#[async_trait]
pub trait Intake: Send + Sync {
    /// Registers (or re-registers) an org unit as a branch with the hub.
    async fn save_sharing_branch(&self, actor: &Actor, branch: &SharingBranch) -> StoreResult<()>;
    async fn sharing_branches(&self) -> StoreResult<Vec<SharingBranch>>;
    /// Records a typed code (accepted or refused) with its audit entry.
    async fn record_code_attempt(&self, actor: &Actor, attempt: &CodeAttempt) -> StoreResult<()>;
    /// Times of wrong codes since `since`: by the account, and at the branch.
    async fn code_failures(
        &self,
        account_id: Option<Uuid>,
        branch_id: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(Vec<chrono::DateTime<chrono::Utc>>, Vec<chrono::DateTime<chrono::Utc>>)>;
    /// A new request in status `submitting`; `Conflict(sharing.code.used)` if
    /// another live request holds the barcode.
    async fn create_sharing_request(&self, actor: &Actor, request: &NewSharingRequest) -> StoreResult<SharingRequest>;
    /// Changes a request that still has status `from`; `None` if it had moved.
    async fn update_sharing_request(
        &self,
        actor: &Actor,
        id: Uuid,
        from: dossier_domain::intake::IntakeStatus,
        update: &SharingUpdate,
    ) -> StoreResult<Option<SharingRequest>>;
    async fn sharing_request(&self, id: Uuid) -> StoreResult<Option<SharingRequest>>;
    /// The request a delivery names and where the delivery goes, in one read:
    /// the unit whose key opens it (its branch's) and the copy already stored
    /// for it, if any. `None` when there is no such request.
    async fn delivery_route(&self, request_id: Uuid) -> StoreResult<Option<DeliveryRoute>>;
    /// Claims up to `limit` live requests whose next hub call is due, oldest
    /// first: their next check moves to `now + lease`, so every other worker
    /// (in this process or on another server) passes them by until the
    /// claimer records the hub's answer — or, if it died, the lease runs out.
    async fn claim_sharing_requests(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<SharingRequest>>;
    /// Stores a delivered copy once per request; `(copy, false)` for a repeat.
    async fn record_sharing_copy(&self, actor: &Actor, copy: &NewSharingCopy) -> StoreResult<(SharingCopy, bool)>;
    async fn sharing_copy(&self, request_id: Uuid) -> StoreResult<Option<SharingCopy>>;
    /// Copies no person matched, requested within `scope`, oldest first.
    async fn review_queue(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<SharingCopy>>;
    async fn assign_sharing_copy(&self, actor: &Actor, request_id: Uuid, person_id: Uuid) -> StoreResult<SharingCopy>;
}

/// An org unit of this fund registered as a branch with the hub.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharingBranch {
    pub unit_id: i64,
    /// The hub's id of the branch (`branchId` in the acquirer API).
    pub branch_id: String,
    pub name: String,
    /// Document types the branch may request.
    pub scopes: Vec<dossier_domain::sharing::DocumentType>,
    pub registered_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct NewSharingRequest {
    /// The request id sent to the hub (it comes back in the delivery).
    pub id: Uuid,
    pub barcode: String,
    pub branch_id: String,
    /// The requesting unit (its scope decides who may follow the request).
    pub unit_id: i64,
    pub document_type: dossier_domain::sharing::DocumentType,
    pub account_id: Option<Uuid>,
    /// When a worker may first take it up: the counter that creates a
    /// request sends it itself, and holds it from the workers until then.
    pub next_check_at: chrono::DateTime<chrono::Utc>,
}

/// A document request this fund made.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SharingRequest {
    pub id: Uuid,
    /// The code the visitor dictated; kept to ask the hub for the status.
    #[serde(skip_serializing)]
    pub barcode: String,
    pub branch_id: String,
    pub unit_id: i64,
    pub document_type: dossier_domain::sharing::DocumentType,
    pub account_id: Option<Uuid>,
    pub requested_by: String,
    pub status: dossier_domain::intake::IntakeStatus,
    /// Catalogue key of the last refusal or failure.
    pub last_error: Option<String>,
    /// Calls to the hub so far (submission retries, then status polls).
    pub hub_attempts: i32,
    /// When the worker should next call the hub about it.
    pub next_check_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    /// The stored PDF copy, once delivered.
    pub document_id: Option<Uuid>,
}

/// A status change of a request (compare-and-set on the status it had).
#[derive(Debug, Clone)]
pub struct SharingUpdate {
    pub status: dossier_domain::intake::IntakeStatus,
    pub last_error: Option<String>,
    pub hub_attempts: i32,
    pub next_check_at: DateTime<Utc>,
}

/// One typed code, for the guess rate limit and the audit trail.
#[derive(Debug, Clone)]
pub struct CodeAttempt {
    pub account_id: Option<Uuid>,
    pub branch_id: String,
    /// Only the last digits (`dossier_domain::intake::masked_code`).
    pub masked_code: String,
    /// `None` when the code was accepted, else the refusal's catalogue key.
    pub refusal: Option<String>,
}

/// A delivered copy to record: the blobs are already in the blob store.
#[derive(Debug, Clone)]
pub struct NewSharingCopy {
    pub request_id: Uuid,
    /// The PAdES-signed PDF.
    pub pdf: StoredBlob,
    /// The hub's signed metadata (`metadata.json.p7s`), kept as evidence.
    pub metadata_p7s: StoredBlob,
    /// The dossier it belongs to; `None` sends it to the review queue.
    pub person_id: Option<Uuid>,
    pub hub_fingerprint: String,
    pub formed_at: String,
    /// The recipient stamp as delivered.
    pub stamp: serde_json::Value,
    /// The verification reports (hub CMS signatures + PAdES).
    pub report: serde_json::Value,
    /// The citizen's signed consent (base64 CMS), when the hub sent it.
    pub consent: Option<String>,
}

/// Where a delivered copy stands in the review queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopyReview {
    /// Matched to a person on arrival.
    Matched,
    /// No person matched: waits in the review queue.
    Pending,
    /// Attached to a person by staff.
    Assigned,
}

impl CopyReview {
    pub fn as_str(self) -> &'static str {
        match self {
            CopyReview::Matched => "matched",
            CopyReview::Pending => "pending",
            CopyReview::Assigned => "assigned",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [CopyReview::Matched, CopyReview::Pending, CopyReview::Assigned].into_iter().find(|r| r.as_str() == s)
    }
}

/// See [`Intake::delivery_route`].
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryRoute {
    pub request: SharingRequest,
    /// The unit registered as the request's branch (`None`: no longer registered).
    pub branch_unit: Option<i64>,
    /// The copy already stored: its PDF document and its person (a repeated delivery).
    pub stored: Option<(Uuid, Option<Uuid>)>,
}

/// A delivered copy with its provenance (SPEC §2.1: code, request, branch,
/// specialist, times, the hub's certificate, the verification report, consent).
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct SharingCopy {
    pub request_id: Uuid,
    pub document_id: Uuid,
    pub metadata_document_id: Uuid,
    pub person_id: Option<Uuid>,
    pub unit_id: i64,
    pub branch_id: String,
    pub document_type: dossier_domain::sharing::DocumentType,
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
    pub received_at: DateTime<Utc>,
    pub hub_fingerprint: String,
    pub formed_at: String,
    pub stamp: serde_json::Value,
    pub report: serde_json::Value,
    #[serde(skip_serializing)]
    pub consent: Option<String>,
    pub review: CopyReview,
    pub reviewed_by: Option<String>,
}
