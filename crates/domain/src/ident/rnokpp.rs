//! RNOKPP — the individual taxpayer's registration number (SPEC §3).
//!
//! Ten digits: 1–5 days since 1899-12-31 (the date of birth), 6–8 a serial,
//! 9 odd for men and even for women, 10 a check digit over the first nine
//! with weights −1 5 7 9 4 6 10 5 7, taken mod 11 (Euclidean) and then mod 10.
use chrono::NaiveDate;

use super::{digits_exact, string_newtype};
use crate::i18n::Message;
use crate::person::Sex;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Rnokpp(String);
string_newtype!(
    Rnokpp,
    "^[0-9]{10}$",
    "Taxpayer's registration number (RNOKPP): ten digits: the days from 1899-12-31 to the birth date, a serial number carrying the sex, and a check digit."
);

const WEIGHTS: [i32; 9] = [-1, 5, 7, 9, 4, 6, 10, 5, 7];

/// Day 0 of the encoding: the number 1 means 1900-01-01.
fn epoch() -> NaiveDate {
    NaiveDate::from_ymd_opt(1899, 12, 31).expect("constant date")
}

/// The check digit for the first nine digits.
pub fn check_digit(first9: &[u8; 9]) -> u8 {
    let sum: i32 = first9.iter().zip(WEIGHTS).map(|(d, w)| i32::from(*d) * w).sum();
    (sum.rem_euclid(11) % 10) as u8
}

impl Rnokpp {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        digits_exact(s, 10, "rnokpp.format")?;
        let d: Vec<u8> = s.bytes().map(|b| b - b'0').collect();
        let first9: [u8; 9] = d[..9].try_into().expect("ten digits");
        if check_digit(&first9) != d[9] {
            return Err(Message::new("rnokpp.checksum"));
        }
        Ok(Rnokpp(s.to_owned()))
    }

    /// Builds a valid number from its parts (used by generators and tests).
    /// `None` if the date is outside the encodable range or the serial > 999.
    pub fn compose(birth: NaiveDate, serial: u16, sex: Sex) -> Option<Self> {
        let days = (birth - epoch()).num_days();
        if !(1..=99_999).contains(&days) || serial > 999 {
            return None;
        }
        let sex_digit = match sex {
            Sex::Male => 1,
            Sex::Female => 2,
        };
        let head = format!("{days:05}{serial:03}{sex_digit}");
        let first9: [u8; 9] = head.bytes().map(|b| b - b'0').collect::<Vec<_>>().try_into().ok()?;
        Some(Rnokpp(format!("{head}{}", check_digit(&first9))))
    }

    /// The date of birth encoded in digits 1–5.
    pub fn birth_date(&self) -> Option<NaiveDate> {
        let days: i64 = self.0[..5].parse().ok()?;
        epoch().checked_add_signed(chrono::Duration::days(days))
    }

    /// The sex encoded in digit 9.
    pub fn sex(&self) -> Sex {
        let d9 = self.0.as_bytes()[8] - b'0';
        if d9 % 2 == 1 { Sex::Male } else { Sex::Female }
    }

    /// Checks the number against a person's recorded date of birth and sex.
    pub fn agrees_with(&self, birth: NaiveDate, sex: Sex) -> Result<(), Message> {
        if self.birth_date() != Some(birth) {
            return Err(Message::new("rnokpp.birth_mismatch")
                .with("date", self.birth_date().map(|d| d.format("%d.%m.%Y").to_string()).unwrap_or_default()));
        }
        if self.sex() != sex {
            return Err(Message::new("rnokpp.sex_mismatch"));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn spec_example_is_valid_and_decodes() {
        let r = Rnokpp::parse("1759013776").unwrap();
        assert_eq!(r.birth_date(), NaiveDate::from_ymd_opt(1948, 2, 28));
        assert_eq!(r.sex(), Sex::Male);
    }

    #[test]
    fn spec_counterexample_fails_checksum() {
        assert_eq!(Rnokpp::parse("1759013770").unwrap_err().key, "rnokpp.checksum");
    }

    #[test]
    fn rejects_wrong_length_and_letters() {
        for bad in ["", "175901377", "17590137761", "17590137a6", "１７５９０１３７７６"] {
            assert_eq!(Rnokpp::parse(bad).unwrap_err().key, "rnokpp.format", "{bad}");
        }
    }

    #[test]
    fn agreement_with_record() {
        let r = Rnokpp::parse("1759013776").unwrap();
        let born = NaiveDate::from_ymd_opt(1948, 2, 28).unwrap();
        assert!(r.agrees_with(born, Sex::Male).is_ok());
        assert_eq!(r.agrees_with(born, Sex::Female).unwrap_err().key, "rnokpp.sex_mismatch");
        let other = NaiveDate::from_ymd_opt(1948, 2, 29).unwrap();
        assert_eq!(r.agrees_with(other, Sex::Male).unwrap_err().key, "rnokpp.birth_mismatch");
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,16}") {
            let _ = Rnokpp::parse(&s);
        }

        #[test]
        fn composed_numbers_round_trip(days in 1i64..99_999, serial in 0u16..1000, male in any::<bool>()) {
            let birth = epoch() + chrono::Duration::days(days);
            let sex = if male { Sex::Male } else { Sex::Female };
            let r = Rnokpp::compose(birth, serial, sex).unwrap();
            let parsed = Rnokpp::parse(r.as_str()).unwrap();
            prop_assert_eq!(parsed.birth_date(), Some(birth));
            prop_assert_eq!(parsed.sex(), sex);
        }

        #[test]
        fn a_changed_check_digit_is_always_caught(days in 1i64..99_999, serial in 0u16..1000, delta in 1u8..10) {
            let birth = epoch() + chrono::Duration::days(days);
            let r = Rnokpp::compose(birth, serial, Sex::Female).unwrap();
            let mut bytes = r.as_str().as_bytes().to_vec();
            bytes[9] = b'0' + (bytes[9] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert_eq!(Rnokpp::parse(&changed).unwrap_err().key, "rnokpp.checksum");
        }
    }
}
