//! OKZO — the number of the insured person's record card: ten characters with
//! leading zeros (seed 003, form 5 zone 2). Shorter numbers given by a person
//! are padded; the stored and printed form is always ten digits.
use super::string_newtype;
use crate::i18n::Message;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Okzo(String);
string_newtype!(
    Okzo,
    "^[0-9]{1,10}$",
    "Personal file number (OKZO): up to ten digits, not all zero; written padded to ten with leading zeros."
);

impl Okzo {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        if s.is_empty() || s.len() > 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Message::new("okzo.format"));
        }
        if s.bytes().all(|b| b == b'0') {
            return Err(Message::new("okzo.format"));
        }
        Ok(Okzo(format!("{s:0>10}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pads_with_leading_zeros() {
        assert_eq!(Okzo::parse("4521").unwrap().as_str(), "0000004521");
        assert_eq!(Okzo::parse("0000004521").unwrap().as_str(), "0000004521");
        assert_eq!(Okzo::parse("0000004521").unwrap(), Okzo::parse("4521").unwrap());
    }

    #[test]
    fn rejects_non_digits_zero_and_overlong() {
        for bad in ["", "0000000000", "12345678901", "12a4"] {
            assert!(Okzo::parse(bad).is_err(), "{bad}");
        }
    }
}
