//! Validation errors: which field, and a catalogue message saying what is wrong.
use serde::Serialize;

use crate::i18n::Message;

/// One problem with one input field (`field` is a JSON-pointer-like path such
/// as `rnokpp` or `representative.surname`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: Message,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<Message>) -> Self {
        FieldError { field: field.into(), message: message.into() }
    }
}

/// Input that breaks one or more rules; nothing may be written.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, thiserror::Error)]
#[error("invalid input: {}", .0.iter().map(|e| format!("{}: {}", e.field, e.message.key)).collect::<Vec<_>>().join(", "))]
pub struct Invalid(pub Vec<FieldError>);

impl Invalid {
    pub fn one(field: impl Into<String>, message: impl Into<Message>) -> Self {
        Invalid(vec![FieldError::new(field, message)])
    }

    pub fn push(&mut self, field: impl Into<String>, message: impl Into<Message>) {
        self.0.push(FieldError::new(field, message));
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// `Ok(())` when no problem was collected.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }

    /// Parses a field, collecting its error under `field` instead of failing fast,
    /// so a form shows every problem at once.
    pub fn check<T, E: Into<Message>>(&mut self, field: &str, r: Result<T, E>) -> Option<T> {
        match r {
            Ok(v) => Some(v),
            Err(e) => {
                self.push(field, e);
                None
            }
        }
    }

    /// Whether a given field has an error with this key (handy in tests).
    pub fn has(&self, field: &str, key: &str) -> bool {
        self.0.iter().any(|e| e.field == field && e.message.key == key)
    }
}
