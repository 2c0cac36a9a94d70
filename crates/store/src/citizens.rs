//! Citizens signed in through an OpenID provider: logins in flight and
//! sessions (only hashes of the browser's secrets are stored).
use async_trait::async_trait;
use chrono::{DateTime, Utc};

use crate::StoreResult;

/// Logins in flight and citizens' sessions.
#[async_trait]
pub trait CitizenSessions: Send + Sync {
    /// Remembers a login sent to the provider (expired ones are swept here).
    async fn begin_citizen_login(&self, login: &PendingLogin) -> StoreResult<()>;
    /// Takes a login once: a replayed callback finds nothing.
    async fn take_citizen_login(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<PendingLogin>>;
    async fn create_citizen_session(&self, session: &CitizenSession) -> StoreResult<()>;
    async fn citizen_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<CitizenSession>>;
    async fn delete_citizen_session(&self, token_hash: &str) -> StoreResult<()>;
}

/// A login sent to the provider, waiting for the browser to come back.
#[derive(Debug, Clone)]
pub struct PendingLogin {
    /// Hash of the random id in the browser's login cookie.
    pub id_hash: String,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
    pub expires_at: DateTime<Utc>,
}

/// A signed-in citizen: who the provider vouched for.
#[derive(Debug, Clone)]
pub struct CitizenSession {
    pub token_hash: String,
    pub issuer: String,
    pub subject: String,
    pub rnokpp: String,
    pub name: String,
    pub csrf: String,
    pub expires_at: DateTime<Utc>,
}
