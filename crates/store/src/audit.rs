//! The audit trail of the fund's database: changes are appended by each
//! repository inside its own transaction; reads and refused attempts through
//! [`Audit::audit`]; the chains themselves are `dossier_db::audit`.
use async_trait::async_trait;

pub use dossier_db::audit::*;

use crate::{Actor, StoreResult};

/// Recording reads and refusals, a subject's history, and walking the chains.
#[async_trait]
pub trait Audit: Send + Sync {
    /// Records a read (or a refused attempt). Reads are group-committed: many
    /// concurrent reads share one transaction, and the call returns once the
    /// entry is durable.
    async fn audit(&self, actor: &Actor, action: &str, subject: &str, details: serde_json::Value) -> StoreResult<()>;
    /// A subject's history from both chains, newest first.
    async fn audit_of(&self, subject: &str, limit: i64) -> StoreResult<Vec<AuditEntry>>;
    /// Walks both chains, holding each to the `checkpoints` given (see
    /// [`Checkpoint`]: the app reads and checks them outside the database).
    async fn audit_verify(&self, checkpoints: &[Checkpoint]) -> StoreResult<VerifyReport>;
    /// Each chain's head now, `(log, seq, hash)`: what a checkpoint signs.
    async fn audit_heads(&self) -> StoreResult<Vec<(Log, i64, String)>>;
}
