//! Records the store returns and the inputs of its writes.
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::application::ApplicationData;
use dossier_domain::certification::Profile;
use dossier_domain::lifecycle::Stage;
use dossier_domain::org::{Role, UnitKind, UnitPath};
use dossier_domain::person::{PersonData, RepresentativeData};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Who is acting, as written into the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// `login` of a staff member, `token:<name>` of an API token, or `system:<what>`.
    pub label: String,
    pub account_id: Option<Uuid>,
}

impl Actor {
    pub fn system(what: &str) -> Self {
        Actor { label: format!("system:{what}"), account_id: None }
    }
}

#[derive(Debug, Clone)]
pub struct NewUnit {
    pub parent_id: Option<i64>,
    pub kind: UnitKind,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub address: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: UnitKind,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub address: Option<String>,
    pub path: UnitPath,
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub password_hash: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Account {
    pub id: Uuid,
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: i64,
    #[serde(skip)]
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub active: bool,
}

impl Account {
    pub fn actor(&self) -> Actor {
        Actor { label: self.login.clone(), account_id: Some(self.id) }
    }
}

#[derive(Debug, Clone)]
pub struct NewSession {
    pub token_hash: String,
    pub account_id: Uuid,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone)]
pub struct Session {
    pub token_hash: String,
    pub account_id: Uuid,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PersonRecord {
    pub id: Uuid,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: UnitPath,
    #[serde(flatten)]
    pub data: PersonData,
    pub photo_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What to look a person up by. Exactly one field is usually set.
#[derive(Debug, Clone, Default)]
pub struct PersonQuery {
    pub rnokpp: Option<String>,
    pub okzo: Option<String>,
    pub account_no: Option<String>,
    /// Passport, ID-card or UNZR number.
    pub document_no: Option<String>,
    /// Name prefix in normal form (`dossier_domain::name::normal_form`).
    pub name_prefix: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 200;
    pub fn new(offset: i64, limit: i64) -> Self {
        Page { offset: offset.max(0), limit: limit.clamp(1, Self::MAX_LIMIT) }
    }
}

impl Default for Page {
    fn default() -> Self {
        Page { offset: 0, limit: 50 }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct RepresentativeRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    #[serde(flatten)]
    pub data: RepresentativeData,
    pub active: bool,
    pub created_at: DateTime<Utc>,
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

#[derive(Debug, Clone, Serialize)]
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

#[derive(Debug, Clone, Serialize)]
pub struct ImportRun {
    pub id: Uuid,
    pub file_sha256: String,
    pub file_name: String,
    pub unit_id: i64,
    /// Data rows consumed so far (accepted + rejected); a resumed run skips them.
    pub rows_done: i64,
    pub rows_ok: i64,
    pub rows_failed: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// One batch of an import: the good rows (with their line numbers) and the
/// rejected ones with the reason, plus how many rows the batch consumed.
#[derive(Debug, Clone, Default)]
pub struct ImportBatch {
    pub rows: Vec<(i64, PersonData)>,
    pub rejected: Vec<ImportError>,
    pub consumed: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ImportError {
    pub line: i64,
    pub field: String,
    /// Rendered reason (Ukrainian / English joined), never the row's content.
    pub message: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateRecord {
    pub id: Uuid,
    /// Application number, e.g. `З-2026-0000042`.
    pub number: String,
    pub person_id: Uuid,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub stage: Stage,
    #[serde(flatten)]
    pub data: ApplicationData,
    pub certificate_no: Option<String>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The deadline of the step it waits for (`dossier_domain::production`).
    pub due_at: Option<DateTime<Utc>>,
    /// When it entered its current stage.
    pub stage_at: DateTime<Utc>,
    /// The last weekly batch that moved it.
    pub batch_id: Option<Uuid>,
    /// Until when it serves as the pension certificate (`production::valid_until`);
    /// `None`: unlimited, or a card not made yet whose pension has no fixed term.
    pub valid_until: Option<NaiveDate>,
    /// A card's own last day, fixed when its face was sealed for the personalizer.
    pub card_expires_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct CertificateEvent {
    pub event: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// A certificate the certification centre has just signed, to be recorded.
#[derive(Debug, Clone)]
pub struct NewIssuedCertificate {
    /// Serial number as lowercase hex (what `openssl x509 -serial` prints, lowercased).
    pub serial: String,
    pub profile: Profile,
    pub subject: CertSubject,
    /// For card keys: the card application they were certified for.
    pub card_application_id: Option<Uuid>,
    /// The subject name as text (RFC 4514), for lists and logs of the centre.
    pub subject_name: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub der: Vec<u8>,
}

/// Whom a certificate was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum CertSubject {
    Person(Uuid),
    Unit(i64),
}

impl CertSubject {
    /// The audit subject (`person:…` / `unit:…`).
    pub fn audit_subject(&self) -> String {
        match self {
            CertSubject::Person(id) => format!("person:{id}"),
            CertSubject::Unit(id) => format!("unit:{id}"),
        }
    }
}

/// A certificate of the certification centre as recorded.
#[derive(Debug, Clone, Serialize)]
pub struct IssuedCertificate {
    pub serial: String,
    pub profile: Profile,
    pub subject: CertSubject,
    pub card_application_id: Option<Uuid>,
    pub subject_name: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    #[serde(skip)]
    pub der: Vec<u8>,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// RFC 5280 reason as the centre names it (`key-compromise`, …).
    pub revocation_reason: Option<String>,
    pub revoked_by: Option<String>,
}

/// One entry of the revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    pub serial: String,
    pub revoked_at: DateTime<Utc>,
    pub reason: String,
}

/// A published CRL.
#[derive(Debug, Clone)]
pub struct CrlRecord {
    pub crl_number: i64,
    pub this_update: DateTime<Utc>,
    pub next_update: DateTime<Utc>,
    /// The revocation counter this CRL covers.
    pub revocations: i64,
    pub der: Vec<u8>,
}

/// What a CRL cache needs to know: how many revocations there have been, and
/// the latest CRL published (by any app server).
#[derive(Debug, Clone)]
pub struct CrlState {
    pub revocations: i64,
    pub latest: Option<CrlRecord>,
}

impl CrlState {
    /// The latest CRL still lists every revocation and is not yet due for renewal at `now`.
    pub fn current(&self, now: DateTime<Utc>, renew_before: chrono::Duration) -> Option<&CrlRecord> {
        self.latest.as_ref().filter(|c| c.revocations == self.revocations && now + renew_before < c.next_update)
    }
}

/// Signs a CRL for the store: given the CRL number and the revoked entries,
/// returns the DER `CertificateList` (or why it could not).
pub type CrlSigner<'a> = &'a (dyn Fn(i64, &[RevokedEntry]) -> Result<Vec<u8>, String> + Send + Sync);

// ---- document sharing: the fund's intake (SPEC §2.1) ----

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
}

/// A document request this fund made.
#[derive(Debug, Clone, Serialize)]
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

/// A stored blob's fingerprint and size.
#[derive(Debug, Clone)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: i64,
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

/// A delivered copy with its provenance (SPEC §2.1: code, request, branch,
/// specialist, times, the hub's certificate, the verification report, consent).
#[derive(Debug, Clone, Serialize)]
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

// ---- certificate production (regulation 26-1, §§ III–V) ----

/// Where a weekly batch goes: district → region (Monday 12:00), region →
/// central fund (Tuesday 12:00), and the central fund's duplicate check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchLevel {
    District,
    Region,
    Central,
}

impl BatchLevel {
    pub const ALL: [BatchLevel; 3] = [BatchLevel::District, BatchLevel::Region, BatchLevel::Central];

    pub fn as_str(self) -> &'static str {
        match self {
            BatchLevel::District => "district",
            BatchLevel::Region => "region",
            BatchLevel::Central => "central",
        }
    }

    pub fn parse(s: &str) -> Option<BatchLevel> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The org units that submit a batch at this level.
    pub fn unit_kind(self) -> dossier_domain::org::UnitKind {
        use dossier_domain::org::UnitKind;
        match self {
            BatchLevel::District => UnitKind::DistrictOffice,
            BatchLevel::Region => UnitKind::RegionalOffice,
            BatchLevel::Central => UnitKind::CentralFund,
        }
    }

    /// The cut-off of `week`'s batch at this level. The central fund's duplicate
    /// check has no cut-off of its own; its term is the two weeks of production,
    /// so the Tuesday cut-off stands in for "received".
    pub fn cutoff(self, week: dossier_domain::production::BatchWeek) -> DateTime<Utc> {
        match self {
            BatchLevel::District => week.district_cutoff(),
            BatchLevel::Region | BatchLevel::Central => week.region_cutoff(),
        }
    }
}

/// A submitted weekly batch.
#[derive(Debug, Clone, Serialize)]
pub struct Batch {
    pub id: Uuid,
    pub week: String,
    pub level: BatchLevel,
    pub unit_id: i64,
    pub cutoff: DateTime<Utc>,
    pub submitted_at: DateTime<Utc>,
    /// Certificates it moved.
    pub items: i64,
    /// Of those, held by the duplicate check (central level only).
    pub held: i64,
    pub created_by: String,
    /// Submitted after its cut-off: flagged to the office and its superior.
    pub late: bool,
}

/// An office that submits at a level, with what it has waiting.
#[derive(Debug, Clone, Serialize)]
pub struct BatchCandidate {
    pub unit_id: i64,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    /// Certificates the batch would move now.
    pub pending: i64,
    /// Accepted before the cut-off but held back (district level only): the
    /// batch goes with the applicant's photo (§III), so an application whose
    /// person has none waits for it, and goes with the first batch after.
    pub without_photo: i64,
    /// The week's batch, if already submitted.
    pub submitted: Option<Batch>,
}

/// What one `submit_batch` call did.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "snake_case", tag = "outcome", content = "batch")]
pub enum BatchOutcome {
    Submitted(Batch),
    /// The week's batch of this unit had been submitted before: nothing changed.
    AlreadySubmitted(Batch),
}

impl BatchOutcome {
    pub fn batch(&self) -> &Batch {
        match self {
            BatchOutcome::Submitted(b) | BatchOutcome::AlreadySubmitted(b) => b,
        }
    }
}

/// A possible duplicate the central check found (§III): an earlier pension
/// (another registry record of the same person) or a live certificate.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct DuplicateFinding {
    pub certificate_id: Uuid,
    /// The other registry record (same name and birth date, or same document).
    pub other_person_id: Uuid,
    /// Its live certificate or application, if any.
    pub other_certificate: Option<String>,
}

/// An appointment by order (responsible person, commission member or chair,
/// head of the territorial body).
#[derive(Debug, Clone, Serialize)]
pub struct AppointmentRecord {
    pub id: Uuid,
    pub account_id: Uuid,
    pub full_name: String,
    pub unit_id: i64,
    pub duty: dossier_domain::production::Duty,
    pub order_no: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct NewAppointment {
    pub account_id: Uuid,
    pub unit_id: i64,
    pub duty: dossier_domain::production::Duty,
    pub order_no: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ActStatus {
    /// Signed by the sending side's responsible person, on its way.
    Sent,
    /// Confirmed by the receiving side's responsible person.
    Accepted,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActItem {
    pub line: i64,
    pub certificate_id: Uuid,
    pub certificate_no: String,
}

/// An acceptance-transfer act (form 3).
#[derive(Debug, Clone, Serialize)]
pub struct TransferAct {
    pub id: Uuid,
    pub number: String,
    pub from_unit_id: i64,
    pub to_unit_id: i64,
    pub status: ActStatus,
    pub sent_by: String,
    pub sent_at: DateTime<Utc>,
    pub accepted_by: Option<String>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub discrepancies: Option<dossier_domain::production::Discrepancies>,
    pub items: Vec<ActItem>,
}

/// What the receiving side found: certificate numbers received, and damaged.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActAcceptance {
    /// `None`: everything listed was received.
    pub received: Option<Vec<String>>,
    #[serde(default)]
    pub damaged: Vec<String>,
}

/// One line of the issue journal (form 6).
#[derive(Debug, Clone, Serialize)]
pub struct JournalLine {
    pub unit_id: i64,
    pub line: i64,
    pub certificate_id: Uuid,
    pub certificate_no: String,
    pub act_id: Uuid,
    pub act_number: String,
    pub act_date: DateTime<Utc>,
    pub holder_name: String,
    pub received_at: DateTime<Utc>,
    pub issued_at: Option<DateTime<Utc>>,
    pub issued_by: Option<String>,
    pub recipient_name: Option<String>,
    pub recipient: Option<dossier_domain::production::Recipient>,
    /// How the recipient signed: `tick` (confirmed with the specialist's
    /// credentials) or `image:<sha256>` of a captured signature.
    pub signature: Option<String>,
}

/// An issue at the counter (§V).
#[derive(Debug, Clone, Deserialize)]
pub struct IssueInput {
    pub recipient_name: String,
    pub recipient: dossier_domain::production::Recipient,
    /// `tick` or `image:<sha256>`.
    pub signature: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DestructionLine {
    pub certificate_id: Uuid,
    pub reason: dossier_domain::production::DestructionReason,
}

#[derive(Debug, Clone, Serialize)]
pub struct CommissionSeat {
    pub account_id: Uuid,
    pub full_name: String,
    pub duty: dossier_domain::production::Duty,
    pub signed_at: Option<DateTime<Utc>>,
}

/// A destruction act (§I.4, §III.8).
#[derive(Debug, Clone, Serialize)]
pub struct DestructionAct {
    pub id: Uuid,
    pub number: String,
    pub unit_id: i64,
    pub order_no: String,
    pub commission: Vec<CommissionSeat>,
    pub completed: bool,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    pub items: Vec<DestructionItem>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DestructionItem {
    pub line: i64,
    pub certificate_id: Uuid,
    pub certificate_no: Option<String>,
    pub reason: dossier_domain::production::DestructionReason,
}

/// Counts and lateness for the production dashboard.
#[derive(Debug, Clone, Serialize, Default)]
pub struct ProductionOverview {
    /// Certificates per stage (live ones and the final ones alike).
    pub by_stage: Vec<(String, i64)>,
    /// Certificates past their deadline, per unit (the person's office) and stage.
    pub late: Vec<LateCount>,
    /// Median hours certificates spent in each stage they have left (events in scope).
    pub median_hours: Vec<(String, f64)>,
    /// Regions with produced certificates waiting longer than the transfer cadence allows.
    pub regions_waiting: Vec<i64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct LateCount {
    pub unit_id: i64,
    pub stage: String,
    pub count: i64,
}

// ---- the card exchange (regulation 26-1, §IV) ----

/// Which cards a party's queue holds.
#[derive(Debug, Clone)]
pub struct CardFilter {
    /// Cards to be issued at a branch within this subtree (a bank's view);
    /// `None` for parties that serve every bank.
    pub issue_scope: Option<UnitPath>,
    /// Cards applied for within this subtree (the fund's offices); `None` for partners.
    pub owner_scope: Option<UnitPath>,
    pub stages: &'static [dossier_domain::lifecycle::Stage],
}

/// One step of a card reported by one party, as it is to be recorded.
#[derive(Debug, Clone)]
pub struct NewCardMessage {
    pub event: dossier_domain::lifecycle::Event,
    pub sender: dossier_domain::card::Party,
    /// The sender's unit (the bank, the personalizer, the centre, the fund).
    pub unit_id: i64,
    /// Canonical JSON: exactly the bytes the seal covers.
    pub payload: String,
    /// CAdES detached signature of the fund's seal over `payload`.
    pub seal: Option<Vec<u8>>,
    /// `send_to_personalizer` only: the card's last day as its sealed face prints it,
    /// recorded on the card with the validity it gives (`production::valid_until`).
    pub card_expires_on: Option<NaiveDate>,
}

/// A recorded message of the card exchange.
#[derive(Debug, Clone, Serialize)]
pub struct CardMessage {
    pub id: Uuid,
    pub certificate_id: Uuid,
    pub event: String,
    pub sender: dossier_domain::card::Party,
    pub recipient: dossier_domain::card::Party,
    pub unit_id: i64,
    pub actor: String,
    pub payload: String,
    #[serde(skip)]
    pub seal: Option<Vec<u8>>,
    pub at: DateTime<Utc>,
}
