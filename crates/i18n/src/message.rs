//! A message to a person: a catalogue key with the values of its placeholders.

use serde::{Deserialize, Serialize};

use crate::catalogue;
use crate::lang::Lang;

/// A catalogue key plus the values for its placeholders; rendered in the
/// reader's language only when shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    pub key: &'static str,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(&'static str, String)>,
}

impl Message {
    pub const fn new(key: &'static str) -> Self {
        Message { key, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, value.to_string()));
        self
    }

    /// The text in `lang` (or, where that language lacks it, in the default
    /// one); an unknown key renders as itself.
    pub fn render(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            return catalogue::text(self.key, lang).to_owned();
        }
        catalogue::format(self.key, &self.args, lang).unwrap_or_else(|| self.key.to_owned())
    }
}

impl From<&'static str> for Message {
    fn from(key: &'static str) -> Self {
        Message::new(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_fills_placeholders() {
        let m = Message::new("common.too_long").with("max", 10);
        assert_eq!(m.render(Lang::EN), "Too long: at most 10 characters.");
        assert_eq!(m.render(Lang::UK), "Задовго: щонайбільше 10 символів.");
    }

    #[test]
    fn values_are_inserted_as_they_are() {
        // No bidi isolation marks, no escaping: the text goes into PDFs and plain-text logs.
        let m = Message::new("common.unknown_value").with("value", "{ $x } <b>");
        assert_eq!(m.render(Lang::EN), "Unknown value “{ $x } <b>”.");
    }

    #[test]
    fn an_unknown_key_renders_as_itself() {
        assert_eq!(Message::new("no.such.key").render(Lang::EN), "no.such.key");
        assert_eq!(Message::new("no.such.key").with("x", 1).render(Lang::UK), "no.such.key");
    }
}
