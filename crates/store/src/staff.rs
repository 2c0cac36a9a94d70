//! Staff accounts, sign-in sessions and API tokens (only hashes of secrets are stored).
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::org::Role;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// Accounts, sessions and API tokens.
#[async_trait]
pub trait Staff: Send + Sync {
    async fn create_account(&self, actor: &Actor, account: NewAccount) -> StoreResult<Account>;
    async fn account(&self, id: Uuid) -> StoreResult<Option<Account>>;
    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>>;
    async fn accounts(&self) -> StoreResult<Vec<Account>>;
    /// Counts a failed login; locks the account for `lock_for` once `max_failures` is reached.
    async fn login_failed(&self, id: Uuid, max_failures: i32, lock_for: chrono::Duration) -> StoreResult<()>;
    async fn login_succeeded(&self, id: Uuid) -> StoreResult<()>;
    async fn create_session(&self, session: NewSession) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn create_api_token(
        &self,
        actor: &Actor,
        account_id: Uuid,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<Uuid>;
    async fn account_by_api_token(&self, token_hash: &str) -> StoreResult<Option<Account>>;
}

#[derive(Debug, Clone)]
pub struct NewAccount {
    pub login: String,
    pub full_name: String,
    pub role: Role,
    pub unit_id: i64,
    pub password_hash: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
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
