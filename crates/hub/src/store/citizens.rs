//! Wallet users: their accounts and sessions, the login codes the hub grants
//! as an OpenID provider, the documents registries issued to them and their
//! personal keys.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::StoreResult;
use dossier_domain::sharing::DocumentType;
use serde::Serialize;
use uuid::Uuid;

use super::HubActor;

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

/// Citizens, their sessions, login codes, issued documents and keys.
#[async_trait]
pub trait Citizens: Send + Sync {
    async fn create_citizen(&self, actor: &HubActor, c: NewCitizen) -> StoreResult<Citizen>;
    async fn citizen(&self, id: Uuid) -> StoreResult<Option<Citizen>>;
    async fn citizen_by_login(&self, login: &str) -> StoreResult<Option<Citizen>>;
    /// The citizen a signature request names (the oldest wallet with this RNOKPP).
    async fn citizen_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<Citizen>>;
    async fn create_wallet_session(
        &self,
        token_hash: &str,
        citizen_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()>;
    async fn wallet_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Citizen>>;
    async fn delete_wallet_session(&self, token_hash: &str) -> StoreResult<()>;

    /// Keeps a code the citizen's login granted (audited as the grant).
    async fn save_login_code(&self, code: &LoginCode) -> StoreResult<()>;
    /// Takes a code once: the second caller, and any caller after expiry, gets `None`.
    async fn take_login_code(&self, code_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<LoginCode>>;

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
}
