//! Times as sqlx stores them in SQLite — RFC 3339 text for a `DateTime<Utc>`
//! (`2026-12-07T10:11:12.123456789+00:00`), `YYYY-MM-DD` for a `NaiveDate`
//! — read and written by hand. chrono reads and writes them with a format
//! string that it interprets anew for every value: a person's look-up spent
//! 3 % of its instructions there (BENCHMARKS.md). Each function answers
//! `None` for anything but the plain shape, and the caller then goes the
//! general way, so the results are chrono's for every input (the property
//! tests below hold them to it).
use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc};
use dossier_domain::time::iso::{put_digits, read_digits as digits};

/// `YYYY-MM-DD`.
pub fn date(t: &[u8]) -> Option<NaiveDate> {
    match t {
        [y @ .., b'-', m1, m2, b'-', d1, d2] if y.len() == 4 => {
            NaiveDate::from_ymd_opt(i32::try_from(digits(y)?).ok()?, digits(&[*m1, *m2])?, digits(&[*d1, *d2])?)
        }
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, then a fraction of 1 to 9 digits or none, then
/// `Z` or an offset `±HH:MM`.
pub fn date_time(t: &[u8]) -> Option<DateTime<Utc>> {
    let (day, rest) = (t.get(..10)?, t.get(10..)?);
    let [b'T', h1, h2, b':', m1, m2, b':', s1, s2, rest @ ..] = rest else { return None };
    let (nanos, zone) = match rest {
        [b'.', fraction @ ..] => {
            let n = fraction.iter().take_while(|b| b.is_ascii_digit()).count();
            if !(1..=9).contains(&n) {
                return None;
            }
            (digits(&fraction[..n])? * 10u32.pow(9 - n as u32), &fraction[n..])
        }
        _ => (0, rest),
    };
    let east = match zone {
        b"Z" => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let seconds = i64::from(h * 3600 + m * 60);
            if *sign == b'-' { -seconds } else { seconds }
        }
        _ => return None,
    };
    let time = NaiveTime::from_hms_nano_opt(digits(&[*h1, *h2])?, digits(&[*m1, *m2])?, digits(&[*s1, *s2])?, nanos)?;
    let local = date(day)?.and_time(time);
    Some(local.checked_sub_signed(TimeDelta::seconds(east))?.and_utc())
}

/// `YYYY-MM-DDTHH:MM:SS.ffffffZ` — chrono's `%Y-%m-%dT%H:%M:%S%.6fZ` — the
/// time the audit chain hashes. `None` outside years 0–9999 and in a leap
/// second, which chrono writes in its own way.
pub fn micros_utc(at: DateTime<Utc>) -> Option<String> {
    let (day, time) = (at.date_naive(), at.time());
    if !(0..=9999).contains(&day.year()) || time.nanosecond() >= 1_000_000_000 {
        return None;
    }
    let mut text = *b"0000-00-00T00:00:00.000000Z";
    for (at, n) in [
        (0..4, day.year() as u32),
        (5..7, day.month()),
        (8..10, day.day()),
        (11..13, time.hour()),
        (14..16, time.minute()),
        (17..19, time.second()),
        (20..26, time.nanosecond() / 1000),
    ] {
        put_digits(&mut text[at], n);
    }
    String::from_utf8(text.to_vec()).ok()
}

#[cfg(test)]
mod tests {
    use chrono::SecondsFormat;
    use proptest::prelude::*;

    use super::*;

    fn chrono_date_time(t: &str) -> Option<DateTime<Utc>> {
        DateTime::parse_from_str(t, "%FT%T%.f%#z").ok().map(|d| d.with_timezone(&Utc))
    }

    #[test]
    fn the_shapes_sqlx_writes_are_read() {
        let at = date_time(b"2026-12-07T10:11:12.123456789+00:00").unwrap();
        assert_eq!(at.to_rfc3339_opts(SecondsFormat::Nanos, true), "2026-12-07T10:11:12.123456789Z");
        assert_eq!(date_time(b"2026-12-07T10:11:12Z"), chrono_date_time("2026-12-07T10:11:12Z"));
        assert_eq!(date_time(b"2026-12-07T01:00:00.5+02:30"), chrono_date_time("2026-12-07T01:00:00.5+02:30"));
        assert_eq!(date(b"1961-02-28"), NaiveDate::from_ymd_opt(1961, 2, 28));
        assert_eq!(micros_utc(at).as_deref(), Some("2026-12-07T10:11:12.123456Z"));
    }

    #[test]
    fn other_shapes_are_left_to_chrono() {
        for odd in [
            "2026-12-07 10:11:12+00:00",
            "2026-12-07T10:11:12",
            "2026-12-07T10:11:12.+00:00",
            "2026-12-07T10:11:12.1234567891+00:00",
            "2026-12-07T10:11:12+0000",
            "2026-12-07T23:59:60Z",
            "2026-02-30T10:11:12Z",
            "+12026-12-07T10:11:12Z",
            "2026-12-07T10:11:12+24:00",
        ] {
            assert_eq!(date_time(odd.as_bytes()), None, "{odd}");
        }
        for odd in ["2026-2-07", "2026-02-30", "20261207", "-026-12-07"] {
            assert_eq!(date(odd.as_bytes()), None, "{odd}");
        }
    }

    proptest! {
        #[test]
        fn a_stored_time_reads_back_as_itself(secs in -62_167_219_200i64..253_402_300_800, nanos in 0u32..1_000_000_000) {
            let at = DateTime::from_timestamp(secs, nanos).unwrap();
            for format in [SecondsFormat::AutoSi, SecondsFormat::Secs, SecondsFormat::Millis] {
                for z in [false, true] {
                    let text = at.to_rfc3339_opts(format, z);
                    let theirs = chrono_date_time(&text);
                    prop_assert!(theirs.is_some(), "{}", text);
                    prop_assert_eq!(date_time(text.as_bytes()), theirs, "{}", text);
                }
            }
            prop_assert_eq!(date_time(at.to_rfc3339_opts(SecondsFormat::AutoSi, false).as_bytes()), Some(at));
            let day = at.date_naive().format("%F").to_string();
            prop_assert_eq!(date(day.as_bytes()), NaiveDate::parse_from_str(&day, "%F").ok());
            if let Some(mine) = micros_utc(at) {
                prop_assert_eq!(mine, at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string());
            }
        }

        #[test]
        fn whatever_is_read_by_hand_chrono_reads_alike(t in "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{0,10})?(Z|[+-][0-9]{2}:?[0-9]{2})?") {
            if let Some(mine) = date_time(t.as_bytes()) {
                prop_assert_eq!(Some(mine), chrono_date_time(&t), "{}", t);
            }
            if let Some(mine) = date(&t.as_bytes()[..10]) {
                prop_assert_eq!(Some(mine), NaiveDate::parse_from_str(&t[..10], "%F").ok(), "{}", t);
            }
        }
    }
}
