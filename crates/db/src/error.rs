use dossier_domain::{Invalid, Message};

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    /// The input broke a rule; nothing was written.
    #[error("{0}")]
    Invalid(#[from] Invalid),
    /// A uniqueness or state conflict (e.g. the person already exists).
    #[error("conflict: {}", .0.key)]
    Conflict(Message),
    /// A limit is reached; the same call may succeed after `retry_after`.
    #[error("limited: {}", .key.key)]
    Limited { key: Message, retry_after: std::time::Duration },
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("blob store: {0}")]
    Blob(String),
    /// The certification centre could not sign (e.g. a CRL); nothing was written.
    #[error("signing: {0}")]
    Signing(String),
    /// Data in the database that no longer parses — a bug or tampering.
    #[error("corrupt record: {0}")]
    Corrupt(String),
}

impl StoreError {
    pub fn corrupt(what: impl std::fmt::Display) -> Self {
        StoreError::Corrupt(what.to_string())
    }
}

/// Whether a database error is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
