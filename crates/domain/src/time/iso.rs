//! Dates and times as JSON text, exactly as chrono's own `Serialize` writes
//! them (`YYYY-MM-DD`; RFC 3339 with `Z` and as many fraction digits as the
//! time needs), but handed to serde whole: chrono's `Serialize` passes
//! serde_json one character at a time, each escaped on its own, and a
//! person's four dates were 4 % of a look-up's instructions (BENCHMARKS.md).
//! For the hot records' fields: `#[serde(serialize_with = "iso::date")]`.
//! The digit reader and writer below serve every hand-written date format of
//! the workspace (the stored times of `dossier_db::stored_time`, the UNZR's date).
use chrono::{DateTime, Datelike, NaiveDate, SecondsFormat, Utc};
use serde::{Serialize, Serializer};

/// `YYYY-MM-DD`; a year outside 0–9999 as chrono writes it (`+10000-01-01`).
pub fn date<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
    let Ok(year) = u32::try_from(d.year()) else { return d.serialize(s) };
    if year > 9999 {
        return d.serialize(s);
    }
    let mut text = *b"0000-00-00";
    put_digits(&mut text[0..4], year);
    put_digits(&mut text[5..7], d.month());
    put_digits(&mut text[8..10], d.day());
    match std::str::from_utf8(&text) {
        Ok(text) => s.serialize_str(text),
        Err(_) => d.serialize(s),
    }
}

/// [`date`], or `null`.
pub fn option_date<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
    match d {
        Some(d) => date(d, s),
        None => s.serialize_none(),
    }
}

/// RFC 3339 in UTC with `Z`, through the writer chrono's `Serialize` uses.
pub fn date_time<S: Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&t.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

/// The number `t` spells in ASCII decimal digits, when all of it is digits
/// (up to 9 of them: callers read fixed-width fields).
pub fn read_digits(t: &[u8]) -> Option<u32> {
    t.iter().try_fold(0u32, |n, b| b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0')))
}

/// Writes `n` in decimal into `to`, zero-padded to its length (the higher
/// digits of a larger `n` are dropped: callers pass numbers that fit).
pub fn put_digits(to: &mut [u8], mut n: u32) {
    for digit in to.iter_mut().rev() {
        *digit = b'0' + (n % 10) as u8;
        n /= 10;
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    #[derive(Serialize)]
    struct Ours {
        #[serde(serialize_with = "date")]
        day: NaiveDate,
        #[serde(serialize_with = "option_date")]
        maybe: Option<NaiveDate>,
        #[serde(serialize_with = "option_date")]
        none: Option<NaiveDate>,
        #[serde(serialize_with = "date_time")]
        at: DateTime<Utc>,
    }

    #[derive(Serialize)]
    struct Chronos {
        day: NaiveDate,
        maybe: Option<NaiveDate>,
        none: Option<NaiveDate>,
        at: DateTime<Utc>,
    }

    proptest! {
        #[test]
        fn the_json_is_chronos_own(days in -4_000_000i32..4_000_000, secs in -300_000_000_000i64..300_000_000_000, nanos in 0u32..1_000_000_000, round in 0usize..4) {
            let day = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            // Whole seconds, milli-, micro- and nanoseconds: each writes its own fraction.
            let nanos = nanos / [1_000_000_000, 1_000_000, 1_000, 1][round] * [1_000_000_000, 1_000_000, 1_000, 1][round];
            let at = Utc.timestamp_opt(secs, nanos).unwrap();
            let ours = serde_json::to_string(&Ours { day, maybe: Some(day), none: None, at }).unwrap();
            let chronos = serde_json::to_string(&Chronos { day, maybe: Some(day), none: None, at }).unwrap();
            prop_assert_eq!(ours, chronos);
        }
    }
}
