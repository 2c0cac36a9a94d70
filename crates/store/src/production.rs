//! Certificate production (regulation 26-1, §§ III–V): weekly batches, the duplicate check, acts,
//! the issue journal, destruction, deadlines.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::org::UnitPath;
use dossier_domain::production::{BatchLevel, BatchWeek, Issue};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::applications::CertificateRecord;
use crate::{Actor, Page, StoreResult};

/// Certificate production (regulation 26-1, §§ III–V).
#[async_trait]
pub trait Production: Send + Sync {
    /// The offices that submit at `level`, with what each has waiting for `week`'s batch.
    async fn batch_candidates(&self, week: BatchWeek, level: BatchLevel) -> StoreResult<Vec<BatchCandidate>>;
    /// Submits one office's batch in one transaction (the central level runs
    /// the duplicate check); a batch submitted before is reported, not repeated.
    /// Without a `week`, the one the office owes at `now`
    /// ([`BatchLevel::due_week`]): the week whose cut-off passed until its
    /// batch is submitted (late), then the week being collected.
    async fn submit_batch(
        &self,
        actor: &Actor,
        week: Option<BatchWeek>,
        level: BatchLevel,
        unit_id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<BatchOutcome>;
    async fn batches(&self, scope: &UnitPath, week: Option<BatchWeek>) -> StoreResult<Vec<Batch>>;
    /// A batch and the certificates it moved.
    async fn batch(&self, id: Uuid) -> StoreResult<Option<(Batch, Vec<CertificateRecord>)>>;
    /// The duplicate check (§III.4) for one certificate: what the central batch
    /// runs for paper, and the fund runs for a card before it goes to the bank.
    async fn duplicate_findings(&self, certificate_id: Uuid) -> StoreResult<Vec<DuplicateFinding>>;
    /// Numbers certificates that passed the duplicate check and records a blank for each.
    async fn produce(
        &self,
        actor: &Actor,
        ids: &[Uuid],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<CertificateRecord>>;
    async fn appoint(&self, actor: &Actor, appointment: &NewAppointment) -> StoreResult<AppointmentRecord>;
    async fn appointments(&self, unit_id: i64) -> StoreResult<Vec<AppointmentRecord>>;
    async fn create_transfer_act(
        &self,
        actor: &Actor,
        from_unit_id: i64,
        to_unit_id: i64,
        certificate_ids: &[Uuid],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<TransferAct>;
    async fn accept_transfer_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        acceptance: &ActAcceptance,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<TransferAct>;
    async fn transfer_act(&self, id: Uuid) -> StoreResult<Option<TransferAct>>;
    async fn transfer_acts(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<TransferAct>>;
    async fn issue_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        issue: &Issue,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<JournalLine>;
    async fn journal(
        &self,
        unit_id: i64,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<JournalLine>>;
    async fn create_destruction_act(
        &self,
        actor: &Actor,
        unit_id: i64,
        order_no: &str,
        lines: &[DestructionLine],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<DestructionAct>;
    async fn sign_destruction_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<DestructionAct>;
    async fn destruction_act(&self, id: Uuid) -> StoreResult<Option<DestructionAct>>;
    /// Destruction acts of units in `scope`: those still waiting for signatures
    /// first, then the newest.
    async fn destruction_acts(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<DestructionAct>>;
    /// Certificates in `scope` past their deadline, the most overdue first.
    async fn late_certificates(
        &self,
        scope: &UnitPath,
        now: chrono::DateTime<chrono::Utc>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>>;
    /// Live certificates in `scope` whose validity ends on or before `until`,
    /// the soonest (or already past) first: what is flagged before expiry.
    async fn expiring_certificates(
        &self,
        scope: &UnitPath,
        until: chrono::NaiveDate,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>>;
    async fn production_overview(
        &self,
        scope: &UnitPath,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<ProductionOverview>;
}

/// A submitted weekly batch.
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AppointmentRecord {
    pub id: Uuid,
    pub account_id: Uuid,
    pub full_name: String,
    pub unit_id: i64,
    pub duty: dossier_domain::production::Duty,
    /// The order's number, as the acts print it.
    #[schemars(with = "dossier_domain::schema::Text")]
    pub order_no: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NewAppointment {
    pub account_id: Uuid,
    pub unit_id: i64,
    pub duty: dossier_domain::production::Duty,
    /// The order's number, as the acts print it.
    #[schemars(with = "dossier_domain::schema::Text")]
    pub order_no: String,
    pub valid_from: NaiveDate,
    pub valid_until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ActStatus {
    /// Signed by the sending side's responsible person, on its way.
    Sent,
    /// Confirmed by the receiving side's responsible person.
    Accepted,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ActItem {
    pub line: i64,
    pub certificate_id: Uuid,
    pub certificate_no: String,
}

/// An acceptance-transfer act (form 3).
#[derive(Debug, Clone, Serialize, JsonSchema)]
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
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
pub struct ActAcceptance {
    /// `None`: everything listed was received.
    pub received: Option<Vec<String>>,
    #[serde(default)]
    pub damaged: Vec<String>,
}

/// One line of the issue journal (form 6).
#[derive(Debug, Clone, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct DestructionLine {
    pub certificate_id: Uuid,
    pub reason: dossier_domain::production::DestructionReason,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CommissionSeat {
    pub account_id: Uuid,
    pub full_name: String,
    pub duty: dossier_domain::production::Duty,
    pub signed_at: Option<DateTime<Utc>>,
}

/// A destruction act (§I.4, §III.8).
#[derive(Debug, Clone, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct DestructionItem {
    pub line: i64,
    pub certificate_id: Uuid,
    pub certificate_no: Option<String>,
    pub reason: dossier_domain::production::DestructionReason,
}

/// Counts and lateness for the production dashboard.
#[derive(Debug, Clone, Serialize, Default, JsonSchema)]
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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct LateCount {
    pub unit_id: i64,
    pub stage: String,
    pub count: i64,
}
