//! Applications for pension certificates (form 1) and the certificate each becomes: one record
//! moving through its life cycle.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::application::{ApplicationData, ApplicationInput};
use dossier_domain::lifecycle::Stage;
use dossier_domain::org::UnitPath;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, Page, StoreResult};

/// Pension-certificate applications and their life cycle.
#[async_trait]
pub trait Applications: Send + Sync {
    /// Files an application at `at`: the rules judge it by that instant's Kyiv
    /// date, and its deadline runs from that instant.
    async fn create_application(
        &self,
        actor: &Actor,
        person_id: Uuid,
        input: &ApplicationInput,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<CertificateRecord>;
    async fn amend_application(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ApplicationInput,
        today: NaiveDate,
    ) -> StoreResult<CertificateRecord>;
    async fn withdraw_application(&self, actor: &Actor, id: Uuid, note: &str) -> StoreResult<CertificateRecord>;
    /// Moves a certificate one step along its life cycle (`dossier_domain::lifecycle::next`).
    async fn advance_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        event: dossier_domain::lifecycle::Event,
        note: Option<&str>,
    ) -> StoreResult<CertificateRecord>;
    async fn certificate(&self, id: Uuid) -> StoreResult<Option<CertificateRecord>>;
    async fn certificates_of(&self, person_id: Uuid) -> StoreResult<Vec<CertificateRecord>>;
    async fn list_certificates(
        &self,
        scope: &UnitPath,
        stage: Option<&str>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>>;
    async fn certificate_events(&self, id: Uuid) -> StoreResult<Vec<CertificateEvent>>;
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CertificateEvent {
    pub event: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}
