//! UNZR — the record number in the Unified State Demographic Register (SPEC §3):
//! `YYYYMMDD-NNNNC`, the birth date, a serial 0001–9999 and a check digit by
//! the ICAO 9303 weights 7-3-1 (mod 10) over the twelve digits before it.
use chrono::NaiveDate;

use super::string_newtype;
use crate::i18n::Message;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Unzr(String);
string_newtype!(
    Unzr,
    "^[0-9]{8}-[0-9]{5}$",
    "Unique record number in the Demographic Register (UNZR): the birth date YYYYMMDD, a hyphen, four serial digits (not 0000) and a check digit."
);

pub fn check_digit(twelve: &[u8]) -> u8 {
    let sum: u32 = twelve.iter().zip([7u32, 3, 1].iter().cycle()).map(|(d, w)| u32::from(*d) * w).sum();
    (sum % 10) as u8
}

impl Unzr {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        let b = s.as_bytes();
        let shape_ok = b.len() == 14 && b[8] == b'-' && b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit());
        if !shape_ok {
            return Err(Message::new("unzr.format"));
        }
        let digits: Vec<u8> = b.iter().filter(|c| c.is_ascii_digit()).map(|c| c - b'0').collect();
        if date_of(b).is_none() {
            return Err(Message::new("unzr.date"));
        }
        if &s[9..13] == "0000" {
            return Err(Message::new("unzr.format"));
        }
        if check_digit(&digits[..12]) != digits[12] {
            return Err(Message::new("unzr.checksum"));
        }
        Ok(Unzr(s.to_owned()))
    }

    pub fn compose(birth: NaiveDate, serial: u16) -> Option<Self> {
        if !(1..=9999).contains(&serial) {
            return None;
        }
        let head = format!("{}{serial:04}", birth.format("%Y%m%d"));
        let d: Vec<u8> = head.bytes().map(|b| b - b'0').collect();
        let c = check_digit(&d);
        Some(Unzr(format!("{}-{serial:04}{c}", birth.format("%Y%m%d"))))
    }

    pub fn birth_date(&self) -> Option<NaiveDate> {
        date_of(self.0.as_bytes())
    }
}

/// The date the first eight characters spell as `YYYYMMDD` (read by hand:
/// a chrono format string is interpreted anew at every call, and every
/// person read from the database parses its UNZR).
fn date_of(s: &[u8]) -> Option<NaiveDate> {
    let number = |from: usize, to: usize| crate::time::iso::read_digits(s.get(from..to)?);
    NaiveDate::from_ymd_opt(i32::try_from(number(0, 4)?).ok()?, number(4, 6)?, number(6, 8)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn known_good_and_bad() {
        let birth = NaiveDate::from_ymd_opt(1948, 2, 28).unwrap();
        let u = Unzr::compose(birth, 123).unwrap();
        assert!(Unzr::parse(u.as_str()).is_ok());
        assert_eq!(u.birth_date(), Some(birth));
        let mut wrong = u.as_str().to_owned();
        let last = wrong.pop().unwrap();
        wrong.push(if last == '9' { '0' } else { ((last as u8) + 1) as char });
        assert_eq!(Unzr::parse(&wrong).unwrap_err().key, "unzr.checksum");
        assert_eq!(Unzr::parse("19480230-00011").unwrap_err().key, "unzr.date");
        assert_eq!(Unzr::parse("1948022800011").unwrap_err().key, "unzr.format");
        assert_eq!(Unzr::parse("19480228-00000").unwrap_err().key, "unzr.format");
    }

    proptest! {
        #[test]
        fn the_date_is_read_as_chrono_reads_it(s in "[0-9]{8}") {
            prop_assert_eq!(date_of(s.as_bytes()), NaiveDate::parse_from_str(&s, "%Y%m%d").ok());
        }

        #[test]
        fn parse_never_panics(s in "\\PC{0,20}") {
            let _ = Unzr::parse(&s);
        }

        #[test]
        fn composed_round_trip(days in 0i64..60_000, serial in 1u16..10_000) {
            let birth = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap() + chrono::Duration::days(days);
            let u = Unzr::compose(birth, serial).unwrap();
            prop_assert_eq!(Unzr::parse(u.as_str()).unwrap().birth_date(), Some(birth));
        }
    }
}
