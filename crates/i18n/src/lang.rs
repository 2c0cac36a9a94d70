//! The languages of the interface: one for each file of this crate's `locales/`.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// `(language code, its domain messages)`, sorted by code, from `locales/*.ftl`.
pub(crate) const FILES: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/locales.rs"));

const COUNT: usize = FILES.len();

/// Language tags people and browsers use for a language under another code.
const ALIASES: &[(&str, &str)] = &[
    // "UA" is Ukraine's country code, often sent where the language (uk) is meant.
    ("ua", "uk"),
];

/// A language of the interface: one that has a catalogue file.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Lang(u8);

impl Lang {
    /// Ukrainian, the fund's language: the default, and the language of its documents.
    pub const UK: Lang = Lang::known("uk");
    pub const EN: Lang = Lang::known("en");
    pub const RU: Lang = Lang::known("ru");
    pub const VI: Lang = Lang::known("vi");
    /// Every language, in the order of their codes.
    pub const ALL: &'static [Lang] = &ALL;

    /// The language whose file is `locales/<code>.ftl`; fails the build when there is none.
    const fn known(code: &str) -> Lang {
        let mut i = 0;
        while i < COUNT {
            if eq(FILES[i].0.as_bytes(), code.as_bytes()) {
                return Lang(i as u8);
            }
            i += 1;
        }
        panic!("a language constant names a language without a locales/<code>.ftl file")
    }

    /// The ISO 639-1 code, as in `lang="…"`, cookies and file names.
    pub fn code(self) -> &'static str {
        FILES[self.0 as usize].0
    }

    /// The language's name in itself ("Українська", "English"), for a language switcher.
    pub fn name(self) -> &'static str {
        crate::text("language.name", self)
    }

    pub(crate) fn index(self) -> usize {
        usize::from(self.0)
    }

    /// The language of a code exactly as its file is named.
    pub(crate) fn of_code(code: &str) -> Option<Lang> {
        Lang::ALL.iter().copied().find(|l| l.code() == code)
    }

    /// Parses a language tag such as `uk`, `uk-UA`, `en-GB`; unknown → `None`.
    pub fn from_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        let code = ALIASES.iter().find(|(alias, _)| *alias == primary).map_or(primary.as_str(), |(_, code)| code);
        Lang::of_code(code)
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

const ALL: [Lang; COUNT] = {
    let mut all = [Lang(0); COUNT];
    let mut i = 0;
    while i < COUNT {
        all[i] = Lang(i as u8);
        i += 1;
    }
    all
};

const fn eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

impl Default for Lang {
    fn default() -> Self {
        Lang::UK
    }
}

impl fmt::Debug for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl Serialize for Lang {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Lang {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let code = String::deserialize(deserializer)?;
        Lang::of_code(&code).ok_or_else(|| serde::de::Error::custom(format!("unknown language {code:?}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn negotiates_accept_language() {
        assert_eq!(Lang::negotiate("en-GB,en;q=0.9,uk;q=0.8"), Lang::EN);
        assert_eq!(Lang::negotiate("fr-FR, uk;q=0.5"), Lang::UK);
        assert_eq!(Lang::negotiate("de"), Lang::UK);
        assert_eq!(Lang::from_tag("ua"), Some(Lang::UK));
        assert_eq!(Lang::from_tag("EN_gb"), Some(Lang::EN));
    }

    #[test]
    fn every_language_is_its_file_and_names_itself() {
        assert_eq!(Lang::ALL.len(), FILES.len());
        for (lang, (code, _)) in Lang::ALL.iter().zip(FILES) {
            assert_eq!(lang.code(), *code);
            assert_eq!(Lang::of_code(code), Some(*lang));
            assert_ne!(lang.name(), "language.name", "{code}.ftl names its language");
        }
        assert_eq!((Lang::UK.name(), Lang::EN.name()), ("Українська", "English"));
    }

    #[test]
    fn serializes_as_its_code() {
        assert_eq!(serde_json::to_string(&Lang::EN).ok().as_deref(), Some("\"en\""));
        assert_eq!(serde_json::from_str::<Lang>("\"uk\"").ok(), Some(Lang::UK));
        assert!(serde_json::from_str::<Lang>("\"xx\"").is_err());
    }
}
