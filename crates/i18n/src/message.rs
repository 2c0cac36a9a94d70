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
    pub args: Vec<(&'static str, Arg)>,
}

/// The value of a placeholder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Arg {
    /// Put in as it is (a number, a date, a document's reference).
    Text(String),
    /// A catalogue key (a stage's or an event's name), rendered in the reader's
    /// language, so that no code name (`accepted`) reaches a person.
    Term(&'static str),
}

impl Message {
    pub const fn new(key: &'static str) -> Self {
        Message { key, args: Vec::new() }
    }

    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.args.push((name, Arg::Text(value.to_string())));
        self
    }

    /// Fills `name` with the text of the catalogue key `term` in the reader's language.
    pub fn with_term(mut self, name: &'static str, term: &'static str) -> Self {
        self.args.push((name, Arg::Term(term)));
        self
    }

    /// The text given for placeholder `name`, if it is a text.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.args.iter().find_map(|(n, a)| match a {
            Arg::Text(t) if *n == name => Some(t.as_str()),
            _ => None,
        })
    }

    /// The text in `lang` (or, where that language lacks it, in the default
    /// one); an unknown key renders as itself.
    pub fn render(&self, lang: Lang) -> String {
        if self.args.is_empty() {
            return catalogue::text(self.key, lang).to_owned();
        }
        let args: Vec<(&'static str, &str)> = self
            .args
            .iter()
            .map(|(name, arg)| match arg {
                Arg::Text(t) => (*name, t.as_str()),
                Arg::Term(key) => (*name, catalogue::text(key, lang)),
            })
            .collect();
        catalogue::format(self.key, &args, lang).unwrap_or_else(|| self.key.to_owned())
    }
}

/// A message as a database keeps it (JSON): key and placeholder values as
/// owned text, so it can be read back from any row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredMessage {
    pub key: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub args: Vec<(String, String)>,
}

impl From<&Message> for StoredMessage {
    fn from(m: &Message) -> Self {
        let args = m
            .args
            .iter()
            .map(|(n, a)| {
                let v = match a {
                    Arg::Text(t) => t.clone(),
                    Arg::Term(k) => (*k).to_owned(),
                };
                ((*n).to_owned(), v)
            })
            .collect();
        StoredMessage { key: m.key.to_owned(), args }
    }
}

impl StoredMessage {
    /// The message again. Keys and placeholder names become the catalogue's
    /// own (interned once each); one the catalogue does not know reads as
    /// `common.unknown_message`, so no row can grow the interned set.
    pub fn to_message(&self) -> Message {
        let key = catalogue::static_key(&self.key).unwrap_or("common.unknown_message");
        let args =
            self.args.iter().filter_map(|(n, v)| Some((catalogue::static_name(n)?, Arg::Text(v.clone())))).collect();
        Message { key, args }
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
    fn a_stored_message_reads_back_as_the_same_message_and_an_unknown_key_does_not_grow_anything() {
        let m = Message::new("common.too_long").with("max", 10);
        let stored = StoredMessage::from(&m);
        let json = serde_json::to_string(&stored).expect("serialises");
        let back: StoredMessage = serde_json::from_str(&json).expect("deserialises");
        assert_eq!(back.to_message(), m);
        assert_eq!(back.to_message().render(Lang::EN), m.render(Lang::EN));
        let unknown = StoredMessage { key: "no.such.key".into(), args: vec![("Bad Name".into(), "x".into())] };
        assert_eq!(unknown.to_message(), Message::new("common.unknown_message"));
    }

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
    fn a_term_renders_in_the_readers_language() {
        let m = Message::new("application.duplicate").with("reference", "З-1").with_term("stage", "stage.accepted");
        assert!(m.render(Lang::EN).contains("(stage: Application accepted)"), "{}", m.render(Lang::EN));
        assert!(!m.render(Lang::UK).contains("accepted"), "{}", m.render(Lang::UK));
    }

    #[test]
    fn an_unknown_key_renders_as_itself() {
        assert_eq!(Message::new("no.such.key").render(Lang::EN), "no.such.key");
        assert_eq!(Message::new("no.such.key").with("x", 1).render(Lang::UK), "no.such.key");
    }
}
