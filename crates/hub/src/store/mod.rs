//! The hub's own database (SPEC §2.1): wallet users and the documents a
//! registry issued to them, acquirers with branches and offers, sharing
//! codes, document requests, the delivery outbox, and the signature requests
//! funds make of citizens.
//!
//! [`HubStore`] is held as `Arc<dyn HubStore>`; [`SqlHubStore`] implements it
//! on SQLite and PostgreSQL with the `on_db!` machinery of `dossier_db` (as the
//! fund's store does), the crate's own migrations (`migrations/`) and its own
//! hash-chained audit log (`dossier_db::audit` on the hub's database: the same
//! `audit_log`/`audit_head` tables, so `audit_verify` works the same way).
//!
//! Privacy: the outbox holds only the sealed (encrypted) package and is
//! deleted when the acquirer acknowledges it; no plaintext copy is stored.
//!
//! One trait per concern (`citizens.rs`, `acquirers.rs`, `requests.rs`,
//! `signatures.rs`, `outbox.rs`), the SQL of each in the file of the same
//! name under `sql/`.
mod acquirers;
mod citizens;
mod outbox;
mod requests;
mod signatures;
mod sql;

pub use acquirers::*;
pub use citizens::*;
pub use outbox::*;
pub use requests::*;
pub use signatures::*;
pub use sql::SqlHubStore;

use async_trait::async_trait;
use dossier_db::audit::VerifyReport;
use dossier_db::{Backend, StoreResult};
use dossier_domain::sharing::DocumentType;
use uuid::Uuid;

/// Every repository of the hub: what its service is given at start.
pub trait HubStore: Citizens + Acquirers + Requests + SignatureRequests + Outbox + HubAudit + 'static {
    fn backend(&self) -> Backend;
}

/// Who did something at the hub, for the audit log.
#[derive(Debug, Clone)]
pub struct HubActor(pub String);

impl HubActor {
    pub fn citizen(id: Uuid) -> Self {
        HubActor(format!("citizen:{id}"))
    }
    pub fn acquirer(id: &str) -> Self {
        HubActor(format!("acquirer:{id}"))
    }
    pub fn system(what: &str) -> Self {
        HubActor(format!("system:{what}"))
    }
}

/// The hub's hash-chained audit log.
#[async_trait]
pub trait HubAudit: Send + Sync {
    async fn audit(&self, actor: &HubActor, action: &str, subject: &str, details: serde_json::Value)
    -> StoreResult<()>;
    async fn audit_verify(&self) -> StoreResult<VerifyReport>;
    async fn audit_actions(&self, subject: &str) -> StoreResult<Vec<String>>;
}

/// Scopes as stored: comma-separated public names.
pub(crate) fn scopes_text(scopes: &[DocumentType]) -> String {
    scopes.iter().map(|t| t.code()).collect::<Vec<_>>().join(",")
}

pub(crate) fn parse_scopes(s: &str) -> Vec<DocumentType> {
    s.split(',').filter_map(|t| DocumentType::parse(t).ok()).collect()
}
