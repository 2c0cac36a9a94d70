//! The fund's org tree: central fund, regional and district offices, service centres, and its
//! partners (banks and branches, the personalizer, the certification centre).
use async_trait::async_trait;
use dossier_domain::appointment::Reception;
use dossier_domain::org::{UnitKind, UnitPath};
use schemars::JsonSchema;
use serde::Serialize;

use crate::{Actor, StoreResult};

/// The org tree.
#[async_trait]
pub trait Org: Send + Sync {
    async fn create_unit(&self, actor: &Actor, unit: NewUnit) -> StoreResult<Unit>;
    /// Sets where an office is and when it is open (what a citizen is told
    /// when a document is ready there); audited.
    async fn set_unit_contact(
        &self,
        actor: &Actor,
        id: i64,
        address: Option<String>,
        opening_hours: Option<String>,
    ) -> StoreResult<Unit>;
    /// Sets how an office receives by appointment (`None`: by the fund's
    /// default); audited with the form set. Bookings already made keep their
    /// times and places.
    async fn set_unit_reception(&self, actor: &Actor, id: i64, reception: Option<&Reception>) -> StoreResult<Unit>;
    /// Sets an office's contact and reception together, in one transaction:
    /// both are written or neither (audited as the two above).
    async fn set_unit_settings(
        &self,
        actor: &Actor,
        id: i64,
        address: Option<String>,
        opening_hours: Option<String>,
        reception: Option<&Reception>,
    ) -> StoreResult<Unit>;
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn unit(&self, id: i64) -> StoreResult<Option<Unit>>;
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

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Unit {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: UnitKind,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub address: Option<String>,
    /// When the office receives citizens, in its own words (e.g. "Mon–Thu 8:00–17:00, Fri 8:00–15:45").
    pub opening_hours: Option<String>,
    /// How the office receives by appointment; `None`: by the fund's default.
    pub reception: Option<Reception>,
    pub path: UnitPath,
}

impl Unit {
    /// The unit's name in `lang`: units are named in Ukrainian and English, and
    /// a language without its own name reads the English one.
    pub fn name(&self, lang: dossier_domain::Lang) -> &str {
        if lang == dossier_domain::Lang::UK { &self.name_uk } else { &self.name_en }
    }
}
