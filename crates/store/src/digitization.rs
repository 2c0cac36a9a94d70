//! Digitization of paper (issue 20): the dossiers papers come in with, each
//! named by a dossier code whose daily number the store hands out.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::digitization::{AgencyCode, DossierCode};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// A dossier to open: the papers a person brought to `unit_id` for `procedure`.
#[derive(Debug, Clone)]
pub struct NewDigitizationDossier {
    pub id: Uuid,
    pub agency: AgencyCode,
    /// The day of receipt in the agency's time zone (the code's YYMMDD).
    pub received_on: NaiveDate,
    pub unit_id: i64,
    pub procedure: String,
    pub person_id: Option<Uuid>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DigitizationDossier {
    pub id: Uuid,
    /// `<agency code>-YYMMDD-NNNN`.
    pub code: DossierCode,
    pub unit_id: i64,
    pub procedure: String,
    pub person_id: Option<Uuid>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait Digitization: Send + Sync {
    /// Opens a dossier under the next number of its agency's day, in one
    /// transaction with its audit entry: numbers never repeat, however many
    /// app servers open dossiers at once. The 10 000th of a day is refused
    /// (`Conflict`, `digitization.day_full`): the code has four digits for it.
    async fn open_digitization_dossier(
        &self,
        actor: &Actor,
        new: &NewDigitizationDossier,
    ) -> StoreResult<DigitizationDossier>;

    async fn digitization_dossier(&self, id: Uuid) -> StoreResult<Option<DigitizationDossier>>;
}
