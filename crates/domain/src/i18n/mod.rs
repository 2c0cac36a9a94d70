//! The one message catalogue: every text a person sees (errors, UI labels) is
//! looked up here by a stable key, in Ukrainian (the default) or English.
//!
//! The catalogue is split by topic into files (`ident.rs`, `application.rs`,
//! `ui.rs`, …) that each contribute a table of `(key, uk, en)` rows; adding a
//! language means adding a column. Texts may hold `{name}` placeholders that
//! [`Message::render`] fills from the message's arguments.

mod application;
mod card;
mod certification;
mod common;
mod ident;
mod intake;
mod lifecycle;
mod person;
mod production;
mod sharing;
mod ui;
mod verify;
mod wallet;

use std::collections::HashMap;
use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Uk,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Uk, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Uk => "uk",
            Lang::En => "en",
        }
    }

    /// Parses a language tag such as `uk`, `uk-UA`, `en-GB`; unknown → `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "uk" | "ua" => Some(Lang::Uk),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the first supported language of an `Accept-Language` header.
    pub fn negotiate(accept_language: &str) -> Lang {
        accept_language
            .split(',')
            .filter_map(|part| Lang::from_tag(part.split(';').next().unwrap_or("")))
            .next()
            .unwrap_or_default()
    }
}

/// One catalogue row: key, Ukrainian, English.
pub(crate) type Row = (&'static str, &'static str, &'static str);

static CATALOGUE: LazyLock<HashMap<&'static str, (&'static str, &'static str)>> =
    LazyLock::new(|| all_rows().map(|(key, uk, en)| (*key, (*uk, *en))).collect());

fn all_rows() -> impl Iterator<Item = &'static Row> {
    common::ROWS
        .iter()
        .chain(ident::ROWS)
        .chain(person::ROWS)
        .chain(application::ROWS)
        .chain(certification::ROWS)
        .chain(lifecycle::ROWS)
        .chain(ui::ROWS)
        .chain(verify::ROWS)
        .chain(sharing::ROWS)
        .chain(wallet::ROWS)
        .chain(intake::ROWS)
        .chain(card::ROWS)
        .chain(production::ROWS)
}

/// Looks a key up; a missing key renders as the key itself (and a test below
/// guarantees that every key used by the domain exists).
pub fn text(key: &str, lang: Lang) -> &str {
    match CATALOGUE.get(key) {
        Some((uk, en)) => match lang {
            Lang::Uk => uk,
            Lang::En => en,
        },
        None => key,
    }
}

/// Whether the catalogue has this key.
pub fn has(key: &str) -> bool {
    CATALOGUE.contains_key(key)
}

/// A message to a person: a catalogue key plus the values for its placeholders.
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

    pub fn render(&self, lang: Lang) -> String {
        let mut out = text(self.key, lang).to_owned();
        for (name, value) in &self.args {
            out = out.replace(&format!("{{{name}}}"), value);
        }
        out
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
    use std::collections::HashSet;

    #[test]
    fn catalogue_keys_are_unique_and_every_text_is_filled() {
        let mut seen = HashSet::new();
        for (key, uk, en) in all_rows() {
            assert!(seen.insert(*key), "duplicate catalogue key {key}");
            assert!(!uk.trim().is_empty(), "{key}: Ukrainian text missing");
            assert!(!en.trim().is_empty(), "{key}: English text missing");
        }
    }

    #[test]
    fn placeholders_agree_between_languages() {
        fn holes(s: &str) -> Vec<&str> {
            let mut v: Vec<&str> = s.split('{').skip(1).filter_map(|p| p.split('}').next()).collect();
            v.sort_unstable();
            v
        }
        for (key, uk, en) in all_rows() {
            assert_eq!(holes(uk), holes(en), "{key}: placeholders differ");
        }
    }

    #[test]
    fn render_fills_placeholders() {
        let m = Message::new("common.too_long").with("max", 10);
        assert_eq!(m.render(Lang::En), "Too long: at most 10 characters.");
    }

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(Lang::negotiate("en-GB,en;q=0.9,uk;q=0.8"), Lang::En);
        assert_eq!(Lang::negotiate("fr-FR, uk;q=0.5"), Lang::Uk);
        assert_eq!(Lang::negotiate("de"), Lang::Uk);
    }
}
