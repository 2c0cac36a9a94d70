//! PDF dates (`D:YYYYMMDDHHmmSSZ`): written for `/M`, read back for reports.
use super::*;

/// A PDF date string (`D:YYYYMMDDHHmmSSZ` and its shorter or offset forms).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PdfDate(String);

impl PdfDate {
    /// A UTC time, written `D:YYYYMMDDHHmmSSZ`.
    pub fn utc(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Result<Self, PdfError> {
        if year > 9999 {
            return Err(PdfError::Date("year beyond 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(PdfError::Date("month"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(PdfError::Date("day"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(PdfError::Date("time of day"));
        }
        Ok(PdfDate(format!("D:{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z")))
    }

    /// A time given as seconds since the Unix epoch, in UTC.
    pub fn from_unix(seconds: i64) -> Result<Self, PdfError> {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let year = u16::try_from(year).map_err(|_| PdfError::Date("year out of range"))?;
        // The remainders are below 24, 60 and 60, so the casts cannot truncate.
        PdfDate::utc(year, month, day, (secs / 3600) as u8, (secs / 60 % 60) as u8, (secs % 60) as u8)
    }

    /// A time from the system clock's representation, in UTC.
    pub fn from_system_time(time: std::time::SystemTime) -> Result<Self, PdfError> {
        let seconds = match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).map_err(|_| PdfError::Date("out of range"))?,
            Err(before) => {
                let d = before.duration();
                let whole = i64::try_from(d.as_secs()).map_err(|_| PdfError::Date("out of range"))?;
                // Round towards the past so a fractional second stays in the right second.
                -whole - i64::from(d.subsec_nanos() > 0)
            }
        };
        PdfDate::from_unix(seconds)
    }

    /// Accepts a date string as found in a PDF (`D:` then at least the year);
    /// only its character set and length are checked.
    pub fn parse(text: &str) -> Result<Self, PdfError> {
        let rest = text.strip_prefix("D:").ok_or(PdfError::Date("must start with D:"))?;
        if rest.len() < 4 || rest.len() > 30 {
            return Err(PdfError::Date("length"));
        }
        if !rest.bytes().take(4).all(|b| b.is_ascii_digit()) {
            return Err(PdfError::Date("year"));
        }
        if !rest.bytes().all(|b| b.is_ascii_digit() || b"Z+-'".contains(&b)) {
            return Err(PdfError::Date("unexpected character"));
        }
        Ok(PdfDate(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PdfDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub(super) fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

pub(super) fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01
/// (the era-based conversion: 400-year eras of 146 097 days, years from March).
pub(super) fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146_096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1st, 0..=365
    let mp = (5 * doy + 2) / 153; // month from March, 0..=11
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe.saturating_add(era.saturating_mul(400)) + i64::from(month <= 2);
    (year, month as u8, day as u8)
}
