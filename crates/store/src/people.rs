//! The registry of people: records, look-up by every identifier within a scope, legal
//! representatives.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::org::UnitPath;
use dossier_domain::person::{PersonData, RepresentativeData};
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, Page, StoreResult};

/// People and their legal representatives.
#[async_trait]
pub trait People: Send + Sync {
    async fn create_person(&self, actor: &Actor, unit_id: i64, person: &PersonData) -> StoreResult<PersonRecord>;
    async fn update_person(&self, actor: &Actor, id: Uuid, person: &PersonData) -> StoreResult<PersonRecord>;
    async fn person(&self, id: Uuid) -> StoreResult<Option<PersonRecord>>;
    async fn person_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<PersonRecord>>;
    async fn search_persons(&self, scope: &UnitPath, query: &PersonQuery, page: Page)
    -> StoreResult<Vec<PersonRecord>>;
    async fn add_representative(
        &self,
        actor: &Actor,
        person_id: Uuid,
        rep: &RepresentativeData,
    ) -> StoreResult<RepresentativeRecord>;
    async fn representatives(&self, person_id: Uuid) -> StoreResult<Vec<RepresentativeRecord>>;
    /// The people whom the holder of `rnokpp` currently represents.
    async fn represented_by(&self, rnokpp: &str) -> StoreResult<Vec<PersonRecord>>;
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PersonRecord {
    pub id: Uuid,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: UnitPath,
    #[serde(flatten)]
    pub data: PersonData,
    pub photo_id: Option<Uuid>,
    #[serde(serialize_with = "dossier_domain::time::iso::date_time")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "dossier_domain::time::iso::date_time")]
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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RepresentativeRecord {
    pub id: Uuid,
    pub person_id: Uuid,
    #[serde(flatten)]
    pub data: RepresentativeData,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}
