//! Acquirers (the funds and agencies that ask for documents), their branches
//! with the certificate packages are encrypted to, and their offers.
use async_trait::async_trait;
use dossier_db::StoreResult;
use dossier_domain::sharing::DocumentType;
use schemars::JsonSchema;
use serde::Serialize;

use super::HubActor;

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

/// Acquirers, branches and offers.
#[async_trait]
pub trait Acquirers: Send + Sync {
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
}
