//! Personal names: Ukrainian letters, apostrophes and hyphens kept exactly as
//! written; compared and searched by a documented normal form.
//!
//! Normal form ([`normal_form`]): lower case, every apostrophe variant
//! (’ ʼ ' ` ´ ‘) removed, runs of spaces collapsed. So «Мар’яна», «МАР'ЯНА» and
//! «марʼяна» are one name for search and duplicate checks, while the record
//! keeps the spelling the person gave.
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::Message;

pub const MAX_NAME_LEN: usize = 60;

const APOSTROPHES: [char; 6] = ['’', 'ʼ', '\'', '`', '´', '‘'];

/// One of the characters people and scanners write for the apostrophe.
pub fn is_apostrophe(c: char) -> bool {
    APOSTROPHES.contains(&c)
}

/// Letters allowed in a name part: the Ukrainian alphabet (upper and lower) plus
/// Latin letters for foreign names written in the registry's Latin transcription.
fn is_name_letter(c: char) -> bool {
    matches!(c,
        'А'..='я' | 'Є' | 'є' | 'І' | 'і' | 'Ї' | 'ї' | 'Ґ' | 'ґ' | 'Ё' | 'ё'
        | 'A'..='Z' | 'a'..='z')
        && !matches!(c, 'Ъ' | 'ъ' | 'Ы' | 'ы' | 'Э' | 'э')
}

/// One part of a name (surname, given name or patronymic), validated.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct NamePart(String);

impl NamePart {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        if s.is_empty() {
            return Err(Message::new("common.required"));
        }
        if s.chars().count() > MAX_NAME_LEN {
            return Err(Message::new("common.too_long").with("max", MAX_NAME_LEN));
        }
        let mut prev_sep = true; // no separator at the start
        for c in s.chars() {
            let sep = c == '-' || c == ' ' || APOSTROPHES.contains(&c);
            if sep {
                if prev_sep {
                    return Err(Message::new("name.separator"));
                }
            } else if !is_name_letter(c) {
                return Err(Message::new("name.letters").with("char", c));
            }
            prev_sep = sep;
        }
        if prev_sep {
            return Err(Message::new("name.separator"));
        }
        Ok(NamePart(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for NamePart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl schemars::JsonSchema for NamePart {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "NamePart".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "minLength": 1,
            "maxLength": MAX_NAME_LEN,
            "pattern": "^[A-Za-zА-ЩЬЮЯа-щьюяЄєІіЇїҐґЁё]+([- '’ʼ`´‘][A-Za-zА-ЩЬЮЯа-щьюяЄєІіЇїҐґЁё]+)*$",
            "description": "One part of a name: Ukrainian or Latin letters, with single hyphens, spaces or apostrophes between them."
        })
    }
}

impl Serialize for NamePart {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for NamePart {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        NamePart::parse(&s).map_err(|m| serde::de::Error::custom(m.render(crate::Lang::EN)))
    }
}

/// Surname, given name and optional patronymic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct FullName {
    pub surname: NamePart,
    pub given: NamePart,
    pub patronymic: Option<NamePart>,
}

impl FullName {
    /// "Surname Given Patronymic".
    pub fn display(&self) -> String {
        match &self.patronymic {
            Some(p) => format!("{} {} {}", self.surname, self.given, p),
            None => format!("{} {}", self.surname, self.given),
        }
    }

    /// Normal form of the whole name, used as the search key.
    pub fn search_key(&self) -> String {
        normal_form(&self.display())
    }
}

/// The comparison form of a name or a name prefix (see the module comment).
pub fn normal_form(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        if APOSTROPHES.contains(&c) {
            continue;
        }
        if c.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn keeps_spelling_exactly() {
        for ok in ["Мар’яна", "Д'Артаньян", "Іванова-Петренко", "Ґудзь", "Ївга", "Єлизавета", "Solomiia"]
        {
            assert_eq!(NamePart::parse(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn refuses_digits_symbols_and_dangling_separators() {
        assert_eq!(NamePart::parse("Іван1").unwrap_err().key, "name.letters");
        assert_eq!(NamePart::parse("-Іван").unwrap_err().key, "name.separator");
        assert_eq!(NamePart::parse("Іван--Петро").unwrap_err().key, "name.separator");
        assert_eq!(NamePart::parse("Ыван").unwrap_err().key, "name.letters");
        assert_eq!(NamePart::parse("  ").unwrap_err().key, "common.required");
    }

    #[test]
    fn normal_form_ignores_case_and_apostrophes() {
        assert_eq!(normal_form("Мар’яна"), normal_form("МАР'ЯНА"));
        assert_eq!(normal_form("Мар’яна"), normal_form("марʼяна"));
        assert_eq!(normal_form("  Коваль   Олег "), "коваль олег");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,80}") {
            let _ = NamePart::parse(&s);
        }

        #[test]
        fn normal_form_is_idempotent(s in "\\PC{0,40}") {
            let once = normal_form(&s);
            prop_assert_eq!(normal_form(&once), once.clone());
        }
    }
}
