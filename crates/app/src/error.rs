//! What a use case answers when it does not do what was asked: what kind of
//! refusal it is (the server maps each kind to an HTTP status, once), a stable
//! machine code, a catalogue message and, for invalid input, the problem of
//! each field. No language here: the answer is told in the request's language
//! at the edge.
use dossier_db::StoreError;
use dossier_domain::{FieldError, Invalid, Message};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// The request itself cannot be read.
    BadRequest,
    /// Nobody is signed in, or the credentials are wrong.
    Unauthenticated,
    /// Signed in, but the role may not.
    Forbidden,
    /// Unknown — or outside the caller's scope, which must look the same.
    NotFound,
    /// The state of things forbids it (already done, not in this stage…).
    Conflict,
    TooLarge,
    /// A body of a kind the operation does not take.
    UnsupportedMedia,
    /// Input that breaks a rule; the fields say which.
    Invalid,
    /// Too many attempts: wait `retry_after` seconds.
    RateLimited,
    /// A peer (the hub) refused in a way retrying cannot mend.
    Upstream,
    /// Not set up on this server, or not possible now.
    Unavailable,
    /// Our fault; logged without personal data.
    Internal,
}

#[derive(Debug, Clone)]
pub struct AppError {
    pub kind: ErrorKind,
    /// Stable machine code, e.g. `validation_failed`, `not_found`.
    pub code: &'static str,
    pub message: Message,
    pub fields: Vec<FieldError>,
    /// Seconds to wait (rate limits).
    pub retry_after: Option<u64>,
}

pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    pub fn new(kind: ErrorKind, code: &'static str, message: impl Into<Message>) -> Self {
        AppError { kind, code, message: message.into(), fields: vec![], retry_after: None }
    }
    pub fn not_found() -> Self {
        Self::new(ErrorKind::NotFound, "not_found", "common.not_found")
    }
    pub fn forbidden() -> Self {
        Self::new(ErrorKind::Forbidden, "forbidden", "common.forbidden")
    }
    pub fn unauthenticated() -> Self {
        Self::new(ErrorKind::Unauthenticated, "unauthenticated", "common.unauthenticated")
    }
    pub fn bad_request(message: impl Into<Message>) -> Self {
        Self::new(ErrorKind::BadRequest, "malformed_request", message)
    }
    pub fn invalid(inv: Invalid) -> Self {
        AppError { fields: inv.0, ..Self::new(ErrorKind::Invalid, "validation_failed", "common.validation_failed") }
    }
    /// One field's problem.
    pub fn field(field: &str, message: impl Into<Message>) -> Self {
        Self::invalid(Invalid::one(field, message))
    }
    pub fn conflict(message: impl Into<Message>) -> Self {
        Self::new(ErrorKind::Conflict, "conflict", message)
    }
    pub fn internal() -> Self {
        Self::new(ErrorKind::Internal, "internal", "common.internal")
    }
    pub fn with_retry_after(mut self, secs: u64) -> Self {
        self.retry_after = Some(secs);
        self
    }
}

impl From<Invalid> for AppError {
    fn from(inv: Invalid) -> Self {
        AppError::invalid(inv)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::not_found(),
            StoreError::Invalid(inv) => AppError::invalid(inv),
            StoreError::Conflict(m) => AppError::conflict(m),
            StoreError::Limited { key, retry_after } => AppError::new(ErrorKind::RateLimited, "rate_limited", key)
                .with_retry_after(retry_after.as_secs().max(1)),
            // Nothing was done; the server itself is fine and reconnects on its own.
            other if other.is_unavailable() => {
                tracing::warn!(error = %other, "the database does not answer");
                AppError::new(ErrorKind::Unavailable, "database_unavailable", "common.database_unavailable")
                    .with_retry_after(5)
            }
            other => {
                // Logged without request data: store errors carry no personal data.
                tracing::error!(error = %other, "store failure");
                AppError::internal()
            }
        }
    }
}

impl std::fmt::Display for AppError {
    /// The code and the message key, for logs; never field values.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({})", self.code, self.message.key)
    }
}

impl std::error::Error for AppError {}
