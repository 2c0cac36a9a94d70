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
    /// From a statement run on the calling thread (`crate::direct`).
    #[error("database: {0}")]
    Direct(#[from] rusqlite::Error),
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

    /// Whether the database could not be reached (down, restarting, every
    /// connection busy): the same call may succeed in a moment, unchanged.
    pub fn is_unavailable(&self) -> bool {
        match self {
            StoreError::Db(e) => is_unavailable(e),
            StoreError::Direct(e) => matches!(
                e.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::CannotOpen)
            ),
            _ => false,
        }
    }
}

/// The pool gave up waiting, the connection broke, or PostgreSQL said it is
/// shutting down or starting (SQLSTATE class 08 "connection exception" and
/// 57P01–57P03 "operator intervention").
fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::PoolClosed | sqlx::Error::Io(_) => true,
        sqlx::Error::Database(d) => {
            d.code().is_some_and(|c| c.starts_with("08") || matches!(c.as_ref(), "57P01" | "57P02" | "57P03"))
        }
        _ => false,
    }
}

/// Whether a database error is a unique-constraint violation.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}
