//! Vietnamese identifiers a digitizing office reads off paper (issue
//! "Digitization"): the citizen identity card's personal identification
//! number and the social-insurance code.
//!
//! The personal identification number (số định danh cá nhân, printed on the
//! chip-based citizen identity card, CCCD) is 12 digits: 3 the province or
//! city where the birth was registered (001–096), 1 the century of birth and
//! the sex (0/1: 20th century male/female, 2/3: 21st, 4/5: 22nd, 6/7: 23rd,
//! 8/9: 24th), 2 the last two digits of the year of birth, 6 a serial. It
//! carries no check digit, so what can be checked is the structure and its
//! agreement with the date of birth and sex read beside it.
//!
//! The social-insurance code (mã số BHXH, on the insurance book and card) is
//! 10 digits and carries no published check digit.
use chrono::{Datelike, NaiveDate};

use super::{digits_exact, string_newtype};
use crate::i18n::Message;
use crate::person::Sex;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VnCitizenId(String);
string_newtype!(
    VnCitizenId,
    "^[0-9]{12}$",
    "Vietnamese personal identification number (CCCD): 12 digits: the province of birth registration (001–096), the century of birth and sex, the year of birth's last two digits, a serial."
);

/// Province and city codes run from 001 (Hà Nội) to 096 (Cà Mau).
const PROVINCES: std::ops::RangeInclusive<u16> = 1..=96;

impl VnCitizenId {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        digits_exact(s, 12, "vn_citizen_id.format")?;
        let province: u16 = s[..3].parse().map_err(|_| Message::new("vn_citizen_id.format").with("len", 12))?;
        if !PROVINCES.contains(&province) {
            return Err(Message::new("vn_citizen_id.province"));
        }
        Ok(VnCitizenId(s.to_owned()))
    }

    /// The year of birth the number encodes (its century from digit 4).
    pub fn birth_year(&self) -> i32 {
        let d = self.0.as_bytes();
        let century = i32::from((d[3] - b'0') / 2);
        let yy: i32 = self.0[4..6].parse().unwrap_or(0);
        1900 + century * 100 + yy
    }

    /// The sex the number encodes (digit 4: even for men, odd for women).
    pub fn sex(&self) -> Sex {
        if (self.0.as_bytes()[3] - b'0').is_multiple_of(2) { Sex::Male } else { Sex::Female }
    }

    /// Checks the number against the date of birth and sex read beside it.
    pub fn agrees_with(&self, birth: NaiveDate, sex: Option<Sex>) -> Result<(), Message> {
        if self.birth_year() != birth.year() {
            return Err(Message::new("vn_citizen_id.birth_mismatch").with("year", self.birth_year()));
        }
        if sex.is_some_and(|s| s != self.sex()) {
            return Err(Message::new("vn_citizen_id.sex_mismatch"));
        }
        Ok(())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct VnInsuranceCode(String);
string_newtype!(VnInsuranceCode, "^[0-9]{10}$", "Vietnamese social-insurance code (mã số BHXH): 10 digits.");

impl VnInsuranceCode {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        digits_exact(s, 10, "vn_insurance_code.format")?;
        Ok(VnInsuranceCode(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    #[test]
    fn vn_citizen_id_encodes_province_century_sex_and_year() {
        // 001 Hà Nội, 1: a woman born in the 20th century, 95: 1995.
        let id = VnCitizenId::parse("001195012345").expect("valid");
        assert_eq!((id.birth_year(), id.sex()), (1995, Sex::Female));
        assert!(id.agrees_with(date(1995, 7, 1), Some(Sex::Female)).is_ok());
        assert_eq!(id.agrees_with(date(1996, 7, 1), None).unwrap_err().key, "vn_citizen_id.birth_mismatch");
        assert_eq!(id.agrees_with(date(1995, 7, 1), Some(Sex::Male)).unwrap_err().key, "vn_citizen_id.sex_mismatch");
        // 079 Hồ Chí Minh City, 2: a man born in the 21st century, 03: 2003.
        let id = VnCitizenId::parse(" 079203000001 ").expect("trimmed");
        assert_eq!((id.birth_year(), id.sex(), id.as_str()), (2003, Sex::Male, "079203000001"));
    }

    #[test]
    fn vn_citizen_id_refuses_wrong_length_letters_and_unknown_provinces() {
        for bad in ["", "00119501234", "0011950123456", "00119501234a", "０01195012345"] {
            assert_eq!(VnCitizenId::parse(bad).unwrap_err().key, "vn_citizen_id.format", "{bad:?}");
        }
        for bad in ["000195012345", "097195012345", "999195012345"] {
            assert_eq!(VnCitizenId::parse(bad).unwrap_err().key, "vn_citizen_id.province", "{bad}");
        }
    }

    #[test]
    fn vn_insurance_code_is_ten_digits() {
        assert_eq!(VnInsuranceCode::parse("0123456789").expect("valid").as_str(), "0123456789");
        for bad in ["", "012345678", "01234567890", "01234S6789"] {
            assert_eq!(VnInsuranceCode::parse(bad).unwrap_err().key, "vn_insurance_code.format", "{bad}");
        }
    }

    proptest! {
        #[test]
        fn any_input_parses_or_is_refused_without_panicking(s in "\\PC{0,16}") {
            let _ = VnCitizenId::parse(&s);
            let _ = VnInsuranceCode::parse(&s);
        }

        #[test]
        fn every_well_formed_number_round_trips(province in 1u16..=96, code in 0u8..=9, yy in 0u8..=99, serial in 0u32..1_000_000) {
            let s = format!("{province:03}{code}{yy:02}{serial:06}");
            let id = VnCitizenId::parse(&s).expect("well formed");
            prop_assert_eq!(id.as_str(), s.as_str());
            prop_assert_eq!(id.birth_year(), 1900 + i32::from(code / 2) * 100 + i32::from(yy));
        }
    }
}
