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

    /// Refuses a list that names something twice: the first repeat, under
    /// `field[i]`, naming the item. A list the API takes names each thing once,
    /// so a repeat is a mistake to show, not a row to write twice.
    pub fn each_once<'a, T>(field: &str, items: impl IntoIterator<Item = &'a T>) -> Result<(), Invalid>
    where
        T: Eq + std::hash::Hash + std::fmt::Display + 'a,
    {
        let mut seen = std::collections::HashSet::new();
        for (i, item) in items.into_iter().enumerate() {
            if !seen.insert(item) {
                return Err(Invalid::one(
                    format!("{field}[{i}]"),
                    Message::new("common.repeated_item").with("item", item),
                ));
            }
        }
        Ok(())
    }

    /// Whether a given field has an error with this key (handy in tests).
    pub fn has(&self, field: &str, key: &str) -> bool {
        self.0.iter().any(|e| e.field == field && e.message.key == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_repeat_is_named_with_its_place() {
        let err = Invalid::each_once("certificate_ids", &["a", "b", "a"]).unwrap_err();
        assert!(err.has("certificate_ids[2]", "common.repeated_item"), "{err:?}");
        assert_eq!(err.0[0].message.text_of("item"), Some("a"));
        assert!(Invalid::each_once::<&str>("ids", &[]).is_ok());
    }

    proptest! {
        #[test]
        fn each_once_accepts_exactly_the_lists_without_repeats(items in prop::collection::vec(0u8..20, 0..12)) {
            let distinct = items.iter().collect::<std::collections::HashSet<_>>().len() == items.len();
            prop_assert_eq!(Invalid::each_once("x", &items).is_ok(), distinct);
        }
    }
}
