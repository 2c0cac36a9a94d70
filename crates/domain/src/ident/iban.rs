//! International bank account number (ISO 13616), the account a pension is
//! paid to. Ukrainian IBANs are 29 characters: `UA`, two check digits, the
//! bank's 6-digit MFO code and a 19-character account.
use super::string_newtype;
use crate::i18n::Message;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Iban(String);
string_newtype!(
    Iban,
    "^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$",
    "IBAN (ISO 13616) without spaces; its check digits must hold (mod 97 = 1); a UA IBAN is 29 characters."
);

impl Iban {
    pub const MIN_LEN: usize = 15;
    pub const MAX_LEN: usize = 34;
    /// Length of a Ukrainian IBAN.
    pub const UA_LEN: usize = 29;

    /// Reads an IBAN as people write it: spaces anywhere, any letter case.
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s: String = input.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
        let b = s.as_bytes();
        let shaped = (Self::MIN_LEN..=Self::MAX_LEN).contains(&b.len())
            && b[..2].iter().all(u8::is_ascii_uppercase)
            && b[2..4].iter().all(u8::is_ascii_digit)
            && b[4..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        if !shaped {
            return Err(Message::new("iban.format"));
        }
        if s.starts_with("UA") && (b.len() != Self::UA_LEN || !b[4..10].iter().all(u8::is_ascii_digit)) {
            return Err(Message::new("iban.format_ua"));
        }
        if checksum(b) != 1 {
            return Err(Message::new("iban.checksum"));
        }
        Ok(Iban(s))
    }

    pub fn country(&self) -> &str {
        &self.0[..2]
    }

    /// The bank's MFO code (a Ukrainian IBAN's characters 5–10).
    pub fn mfo(&self) -> Option<&str> {
        (self.country() == "UA").then(|| &self.0[4..10])
    }

    /// In groups of four, as printed on statements.
    pub fn grouped(&self) -> String {
        let chunks: Vec<&str> =
            self.0.as_bytes().chunks(4).map(|c| std::str::from_utf8(c).unwrap_or_default()).collect();
        chunks.join(" ")
    }
}

/// ISO 7064 MOD 97-10 over the rearranged IBAN (the first four characters
/// moved to the end, letters as 10–35), computed piecewise.
fn checksum(b: &[u8]) -> u32 {
    let (head, tail) = b.split_at(4);
    tail.iter().chain(head).fold(0u32, |acc, &c| {
        if c.is_ascii_digit() {
            (acc * 10 + u32::from(c - b'0')) % 97
        } else {
            (acc * 100 + u32::from(c - b'A') + 10) % 97
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The check digits that make `country` + `rest` a valid IBAN.
    fn with_check_digits(country: &str, rest: &str) -> String {
        let probe = format!("{country}00{rest}");
        let check = 98 - checksum(probe.as_bytes());
        format!("{country}{check:02}{rest}")
    }

    #[test]
    fn known_ibans_are_accepted_as_written() {
        // The examples the national bank and ECBS publish.
        let ua = Iban::parse("UA21 3223 1300 0002 6007 2335 6600 1").unwrap();
        assert_eq!(ua.as_str(), "UA213223130000026007233566001");
        assert_eq!(ua.mfo(), Some("322313"));
        assert_eq!(ua.grouped(), "UA21 3223 1300 0002 6007 2335 6600 1");
        assert!(Iban::parse("de89 3704 0044 0532 0130 00").is_ok());
        assert!(Iban::parse("GB82WEST12345698765432").is_ok());
    }

    #[test]
    fn malformed_ibans_say_what_is_wrong() {
        assert_eq!(Iban::parse("").unwrap_err().key, "iban.format");
        assert_eq!(Iban::parse("UA21 3223 1300 0002 6007 2335 6600 2").unwrap_err().key, "iban.checksum");
        assert_eq!(Iban::parse("UA21322313000002600723356600").unwrap_err().key, "iban.format_ua");
        assert_eq!(Iban::parse("1A213223130000026007233566001").unwrap_err().key, "iban.format");
        assert_eq!(Iban::parse("UA21-3223-1300-0002-6007-2335-6600-1").unwrap_err().key, "iban.format");
    }

    proptest! {
        #[test]
        fn any_ukrainian_account_with_its_check_digits_is_valid(mfo in "[0-9]{6}", account in "[0-9A-Z]{19}") {
            let iban = with_check_digits("UA", &format!("{mfo}{account}"));
            prop_assert_eq!(Iban::parse(&iban).map(|i| i.as_str().to_owned()), Ok(iban));
        }

        #[test]
        fn one_changed_digit_is_always_caught(mfo in "[0-9]{6}", account in "[0-9]{19}", pos in 4usize..29, delta in 1u8..10) {
            let iban = with_check_digits("UA", &format!("{mfo}{account}"));
            let mut b = iban.into_bytes();
            b[pos] = b'0' + (b[pos] - b'0' + delta) % 10;
            let typo = String::from_utf8(b).unwrap();
            prop_assert_eq!(Iban::parse(&typo).unwrap_err().key, "iban.checksum");
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,40}") {
            let _ = Iban::parse(&s);
        }
    }
}
