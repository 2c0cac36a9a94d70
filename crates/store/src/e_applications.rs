//! E-applications citizens file from the personal account (issue 21 §4):
//! the request and the exact text signed, the wallet's signature, the files
//! attached, the staff's decision and the signed decision document — and the
//! pension in payment those decisions set, or that was paid before Dossier.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::e_application::{Decision, EApplicationData, Kind, Status};
use dossier_domain::org::UnitPath;
use dossier_domain::payment::{PaidRow, Pension, PensionChange};
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

#[async_trait]
pub trait EApplications: Send + Sync {
    /// Records a new application waiting for its signature, with its files; audited.
    async fn create_e_application(&self, a: &NewEApplication) -> StoreResult<EApplicationRecord>;
    /// Remembers the hub's id of the signature request.
    async fn set_e_application_signing(&self, id: Uuid, hub_request_id: &str) -> StoreResult<()>;
    async fn e_application(&self, id: Uuid) -> StoreResult<Option<EApplicationRecord>>;
    async fn e_application_files(&self, id: Uuid) -> StoreResult<Vec<EApplicationFile>>;
    /// A person's applications, newest first.
    async fn e_applications_of(&self, person_id: Uuid) -> StoreResult<Vec<EApplicationRecord>>;
    /// The inbox of offices under `scope`: in `status` (all but those still
    /// being signed when `None`), the earliest due first.
    async fn e_application_inbox(
        &self,
        scope: &UnitPath,
        status: Option<Status>,
    ) -> StoreResult<Vec<EApplicationRecord>>;
    /// Signing → submitted (with the signature and the due day) or abandoned,
    /// once: an application no longer being signed is a conflict. The e-mail
    /// the citizen gave becomes a subscription of this application; audited.
    async fn finish_signing(
        &self,
        actor: &Actor,
        id: Uuid,
        outcome: &SigningOutcome,
    ) -> StoreResult<EApplicationRecord>;
    /// Submitted → granted or refused, once; the citizen's subscriptions
    /// and the application's address are told, and the pension in payment
    /// changed as the grant says, in the same transaction; audited. A
    /// delivery change for a person the fund pays no pension is a conflict.
    async fn decide_e_application(&self, actor: &Actor, d: &NewDecision) -> StoreResult<EApplicationRecord>;
    /// The pension the fund pays the person, if any.
    async fn pension(&self, person_id: Uuid) -> StoreResult<Option<PensionInPayment>>;
    /// Records pensions the fund paid before Dossier, all or nothing: each
    /// row's person found by RNOKPP among the people under `scope`. A person
    /// not there, named twice, born after the pension's first day, or paid a
    /// pension granted here is a problem `rows[LINE].FIELD`, and nothing is
    /// written. Importing a file again replaces what it wrote; audited.
    async fn import_pensions(
        &self,
        actor: &Actor,
        scope: &UnitPath,
        rows: &[(i64, PaidRow)],
    ) -> StoreResult<PensionImport>;
}

/// What an import of pensions paid before Dossier did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PensionImport {
    /// Pensions recorded.
    pub rows: i64,
    /// Of those, how many replaced one an earlier import had recorded.
    pub replaced: i64,
}

/// A file attached to an application: the bytes are a blob.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EApplicationFile {
    pub position: i64,
    pub name: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    /// `upload`, or the dossier document it was taken from (`document:<id>`).
    pub source: String,
}

#[derive(Debug, Clone)]
pub struct NewEApplication {
    pub id: Uuid,
    pub person_id: Uuid,
    /// The office that decides: the person's.
    pub unit_id: i64,
    pub data: EApplicationData,
    pub statement: String,
    /// `citizen:<subject>`.
    pub filed_by: String,
    /// Filed by a legal representative for the person.
    pub by_representative: bool,
    pub lang: String,
    pub files: Vec<EApplicationFile>,
    pub at: DateTime<Utc>,
}

/// What the wallet answered.
#[derive(Debug, Clone)]
pub enum SigningOutcome {
    /// A valid signature of the citizen over the statement (CMS, attached).
    Signed { signature: Vec<u8>, signer: String, due_on: NaiveDate, at: DateTime<Utc> },
    /// Declined or expired in the wallet.
    NotSigned { at: DateTime<Utc> },
}

#[derive(Debug, Clone)]
pub struct NewDecision {
    pub id: Uuid,
    pub decision: Decision,
    pub reasons: Option<String>,
    /// The signed decision document (PDF) in the blob store.
    pub document_sha256: String,
    /// A granted certificate application: the form-1 application it became.
    pub certificate_id: Option<Uuid>,
    /// A granted pension assignment or delivery change: what it does to the pension paid.
    pub pension: Option<PensionChange>,
    pub at: DateTime<Utc>,
}

/// The pension paid, and the granted application that last changed it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
pub struct PensionInPayment {
    #[serde(flatten)]
    pub pension: Pension,
    /// Absent: paid before Dossier and imported, changed by no application since.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub e_application_id: Option<Uuid>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EApplicationRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    pub unit_id: i64,
    #[schemars(with = "String")]
    pub unit_path: UnitPath,
    pub kind: Kind,
    pub data: EApplicationData,
    /// The exact text signed.
    pub statement: String,
    pub status: Status,
    pub filed_by: String,
    pub by_representative: bool,
    pub lang: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hub_request_id: Option<String>,
    /// The signer's certificate subject.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub signer: Option<String>,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    /// The last day for the decision (working days after submission).
    pub due_on: Option<NaiveDate>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decided_by: Option<String>,
    pub reasons: Option<String>,
    #[serde(skip)]
    pub decision_sha256: Option<String>,
    pub certificate_id: Option<Uuid>,
    /// The citizen's signature over the statement (CMS SignedData, attached).
    #[serde(skip)]
    pub signature: Option<Vec<u8>>,
}
