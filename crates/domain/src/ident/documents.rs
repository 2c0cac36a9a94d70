//! Identity documents: the old passport booklet (two Ukrainian capital letters
//! and six digits) and the ID card (nine digits) — SPEC §3.
use super::{digits_exact, string_newtype};
use crate::i18n::Message;

/// Series and number of an old-style passport booklet, e.g. `КВ123456`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PassportNo(String);
string_newtype!(
    PassportNo,
    "^[АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ]{2} ?[0-9]{6}$",
    "Passport of the old booklet form: a series of two Ukrainian capital letters and six digits (written without the space)."
);

/// Capital letters that occur in Ukrainian passport series.
const SERIES_LETTERS: &str = "АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯ";

impl PassportNo {
    /// Accepts `КВ123456` or `КВ 123456`; stored without the space.
    pub fn parse(input: &str) -> Result<Self, Message> {
        let compact: String = input.trim().chars().filter(|c| *c != ' ').collect();
        let chars: Vec<char> = compact.chars().collect();
        let ok = chars.len() == 8
            && chars[..2].iter().all(|c| SERIES_LETTERS.contains(*c))
            && chars[2..].iter().all(|c| c.is_ascii_digit());
        if ok { Ok(PassportNo(compact)) } else { Err(Message::new("passport.format")) }
    }

    pub fn series(&self) -> &str {
        // Two Cyrillic capitals are two bytes each in UTF-8.
        &self.0[..4]
    }

    pub fn number(&self) -> &str {
        &self.0[4..]
    }
}

/// Number of an ID-card passport: nine digits.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct IdCardNo(String);
string_newtype!(IdCardNo, "^[0-9]{9}$", "Number of an ID-card passport: nine digits.");

impl IdCardNo {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        digits_exact(s, 9, "id_card.format")?;
        Ok(IdCardNo(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn passport_accepts_ukrainian_series() {
        let p = PassportNo::parse("КВ 123456").unwrap();
        assert_eq!(p.as_str(), "КВ123456");
        assert_eq!(p.series(), "КВ");
        assert_eq!(p.number(), "123456");
        assert!(PassportNo::parse("ЇҐ000001").is_ok());
    }

    #[test]
    fn passport_rejects_latin_lookalikes_and_bad_lengths() {
        for bad in ["KB123456", "КВ12345", "кв123456", "КВ1234567", ""] {
            assert_eq!(PassportNo::parse(bad).unwrap_err().key, "passport.format", "{bad}");
        }
    }

    #[test]
    fn id_card_is_nine_digits() {
        assert!(IdCardNo::parse("000123456").is_ok());
        assert!(IdCardNo::parse("12345678").is_err());
    }

    proptest! {
        #[test]
        fn parsers_never_panic(s in "\\PC{0,12}") {
            let _ = PassportNo::parse(&s);
            let _ = IdCardNo::parse(&s);
        }
    }
}
