//! Fund time (SPEC §4): deadlines and cut-offs are in Kyiv time
//! (Europe/Kyiv: EET, UTC+2; EEST, UTC+3, from the last Sunday of March
//! 01:00 UTC to the last Sunday of October 01:00 UTC — the EU rule Ukraine
//! follows). Written out rather than taken from a time-zone database: the
//! rule is one line of law, and the domain crate stays free of I/O and data files.
pub mod iso;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> Option<NaiveDate> {
    let first_next = if month == 12 {
        NaiveDate::from_ymd_opt(year + 1, 1, 1)
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)
    }?;
    let last = first_next.pred_opt()?;
    Some(last - Duration::days(i64::from(last.weekday().num_days_from_sunday())))
}

/// Kyiv's offset from UTC at the instant `t`.
pub fn kyiv_offset(t: DateTime<Utc>) -> FixedOffset {
    let at_one = |d: Option<NaiveDate>| d.and_then(|d| d.and_hms_opt(1, 0, 0)).map(|n| Utc.from_utc_datetime(&n));
    let summer = match (at_one(last_sunday(t.year(), 3)), at_one(last_sunday(t.year(), 10))) {
        (Some(start), Some(end)) => t >= start && t < end,
        _ => false,
    };
    FixedOffset::east_opt(if summer { 3 * 3600 } else { 2 * 3600 }).unwrap_or(Utc.fix())
}

/// The instant `t` on Kyiv's clocks.
pub fn kyiv_time(t: DateTime<Utc>) -> DateTime<FixedOffset> {
    t.with_timezone(&kyiv_offset(t))
}

/// The instant Kyiv's clocks show `local`. For the fund's deadlines (12:00)
/// this is exact; in the hour the clocks skip or repeat (03:00–04:00 local on
/// the switch days) the earlier reading is taken.
pub fn kyiv_instant(local: NaiveDateTime) -> DateTime<Utc> {
    // Try summer time first, then winter time: the offset that maps back to
    // itself is the one in force at that instant.
    for hours in [3, 2] {
        let t = Utc.from_utc_datetime(&(local - Duration::hours(hours)));
        if kyiv_offset(t).local_minus_utc() == (hours * 3600) as i32 {
            return t;
        }
    }
    Utc.from_utc_datetime(&(local - Duration::hours(2)))
}

/// The instant Kyiv's `day` begins: the fund's days (queue, ready-by dates,
/// a day's appointments) run from one Kyiv midnight to the next.
pub fn kyiv_midnight(day: NaiveDate) -> DateTime<Utc> {
    kyiv_instant(day.and_time(chrono::NaiveTime::MIN))
}

/// The clock an office keeps: Kyiv's, with its summer time, or a fixed
/// offset from UTC for a country without one (Vietnam keeps +07:00 all year).
/// Digitization dates its dossiers and seals by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum OfficeClock {
    #[default]
    Kyiv,
    Fixed(FixedOffset),
}

impl OfficeClock {
    /// `kyiv`, or an offset written `+07:00` / `-03:30` (at most 14 hours).
    pub fn parse(s: &str) -> Option<OfficeClock> {
        if s.eq_ignore_ascii_case("kyiv") {
            return Some(OfficeClock::Kyiv);
        }
        let (sign, rest) = match s.as_bytes().first()? {
            b'+' => (1, &s[1..]),
            b'-' => (-1, &s[1..]),
            _ => return None,
        };
        let (h, m) = rest.split_once(':')?;
        let two_digits =
            |x: &str| (x.len() == 2 && x.bytes().all(|b| b.is_ascii_digit())).then(|| x.parse::<i32>().ok()).flatten();
        let (h, m) = (two_digits(h)?, two_digits(m)?);
        if h > 14 || m > 59 || (h == 14 && m > 0) {
            return None;
        }
        FixedOffset::east_opt(sign * (h * 3600 + m * 60)).map(OfficeClock::Fixed)
    }

    /// The instant `t` on this office's clocks.
    pub fn local(self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        match self {
            OfficeClock::Kyiv => kyiv_time(t),
            OfficeClock::Fixed(offset) => t.with_timezone(&offset),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn kyiv_is_utc_plus_two_in_winter_and_three_in_summer() {
        assert_eq!(kyiv_time(utc("2026-01-15T10:00:00Z")).to_rfc3339(), "2026-01-15T12:00:00+02:00");
        assert_eq!(kyiv_time(utc("2026-07-15T09:00:00Z")).to_rfc3339(), "2026-07-15T12:00:00+03:00");
    }

    #[test]
    fn the_switch_happens_at_one_utc_on_the_last_sundays_of_march_and_october() {
        // 2026: 29 March and 25 October.
        assert_eq!(kyiv_offset(utc("2026-03-29T00:59:59Z")).local_minus_utc(), 7200);
        assert_eq!(kyiv_offset(utc("2026-03-29T01:00:00Z")).local_minus_utc(), 10800);
        assert_eq!(kyiv_offset(utc("2026-10-25T00:59:59Z")).local_minus_utc(), 10800);
        assert_eq!(kyiv_offset(utc("2026-10-25T01:00:00Z")).local_minus_utc(), 7200);
    }

    #[test]
    fn a_kyiv_day_begins_at_22_utc_in_winter_and_21_utc_in_summer() {
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
        assert_eq!(kyiv_midnight(day("2026-12-07")), utc("2026-12-06T22:00:00Z"));
        assert_eq!(kyiv_midnight(day("2026-07-01")), utc("2026-06-30T21:00:00Z"));
        // The switch days: the clocks move at 03:00/04:00 local, after midnight.
        assert_eq!(kyiv_midnight(day("2026-03-29")), utc("2026-03-28T22:00:00Z"));
        assert_eq!(kyiv_midnight(day("2026-10-25")), utc("2026-10-24T21:00:00Z"));
    }

    #[test]
    fn noon_in_kyiv_maps_to_the_right_instant_in_both_seasons() {
        let noon =
            |d: &str| kyiv_instant(NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap().and_hms_opt(12, 0, 0).unwrap());
        assert_eq!(noon("2026-11-23"), utc("2026-11-23T10:00:00Z"));
        assert_eq!(noon("2026-06-01"), utc("2026-06-01T09:00:00Z"));
        assert_eq!(noon("2026-03-30"), utc("2026-03-30T09:00:00Z"));
    }

    #[test]
    fn an_office_clock_is_kyiv_s_or_a_fixed_offset_and_nothing_else() {
        let noon_utc = Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap();
        assert_eq!(OfficeClock::parse("kyiv").unwrap().local(noon_utc).to_rfc3339(), "2026-12-04T14:00:00+02:00");
        let hanoi = OfficeClock::parse("+07:00").unwrap();
        assert_eq!(hanoi.local(noon_utc).to_rfc3339(), "2026-12-04T19:00:00+07:00");
        // The day can differ from Kyiv's: a dossier received at 23:30 in Hanoi is that day's.
        let late = Utc.with_ymd_and_hms(2026, 12, 4, 17, 30, 0).unwrap();
        assert_eq!(hanoi.local(late).date_naive().to_string(), "2026-12-05");
        assert!(OfficeClock::parse("-03:30").is_some());
        for bad in ["", "+7:00", "+07", "+15:00", "+14:30", "07:00", "+07:60", "Asia/Ho_Chi_Minh", "+0a:00"] {
            assert_eq!(OfficeClock::parse(bad), None, "{bad}");
        }
    }
}
