//! Working days (SPEC §4) for deadlines counted in working days, such as the
//! card's 30 working days (§IV). The calendar is configuration, not code: the
//! holiday list, extra days off or on, and the **martial-law switch** — under
//! martial law (in force since 2022) public holidays falling on weekdays are
//! working days and only the weekly rest days are off. The default is the
//! 2023 law's list with martial law in force.
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// A public holiday rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Holiday {
    /// The same date every year.
    Fixed { month: u32, day: u32 },
    /// Days after Orthodox Easter (Easter itself is 0, Trinity 49).
    AfterEaster { days: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingCalendar {
    /// Martial law: holidays are working days; only Saturdays and Sundays are off.
    pub martial_law: bool,
    pub holidays: Vec<Holiday>,
    /// Days off declared for one year (e.g. by a government decree).
    #[serde(default)]
    pub extra_days_off: Vec<NaiveDate>,
    /// Weekend days declared working (e.g. a transferred working Saturday).
    #[serde(default)]
    pub extra_working_days: Vec<NaiveDate>,
}

impl Default for WorkingCalendar {
    fn default() -> Self {
        WorkingCalendar::law_2023(true)
    }
}

impl WorkingCalendar {
    /// The Labour Code's holiday list as amended in 2023: 1 January, 8 March,
    /// 1 May, 8 May, 28 June, 15 July, 24 August, 1 October, 25 December,
    /// Easter and Trinity.
    pub fn law_2023(martial_law: bool) -> WorkingCalendar {
        let fixed = [(1, 1), (3, 8), (5, 1), (5, 8), (6, 28), (7, 15), (8, 24), (10, 1), (12, 25)];
        let mut holidays: Vec<Holiday> = fixed.iter().map(|&(month, day)| Holiday::Fixed { month, day }).collect();
        holidays.extend([Holiday::AfterEaster { days: 0 }, Holiday::AfterEaster { days: 49 }]);
        WorkingCalendar { martial_law, holidays, extra_days_off: vec![], extra_working_days: vec![] }
    }

    fn is_holiday(&self, d: NaiveDate) -> bool {
        self.holidays.iter().any(|h| match *h {
            Holiday::Fixed { month, day } => d.month() == month && d.day() == day,
            Holiday::AfterEaster { days } => orthodox_easter(d.year()).is_some_and(|e| e + Duration::days(days) == d),
        })
    }

    /// Whether `d` is a day off: a weekend, a configured day off, or — in
    /// peacetime — a holiday, or the Monday after a holiday that fell on the
    /// weekend (Saturday's moves to Monday, Sunday's too).
    pub fn is_day_off(&self, d: NaiveDate) -> bool {
        let weekend = matches!(d.weekday(), Weekday::Sat | Weekday::Sun);
        (weekend && !self.extra_working_days.contains(&d)) || self.is_public_day_off(d)
    }

    /// Whether `d` is a day off whatever the weekday — a configured day off,
    /// or in peacetime a holiday or the Monday it moved to — so that an office
    /// open on Saturdays closes on it too.
    pub fn is_public_day_off(&self, d: NaiveDate) -> bool {
        if self.extra_working_days.contains(&d) {
            return false;
        }
        if self.extra_days_off.contains(&d) {
            return true;
        }
        if self.martial_law {
            return false;
        }
        let moved_here = d.weekday() == Weekday::Mon
            && (self.is_holiday(d - Duration::days(1)) || self.is_holiday(d - Duration::days(2)));
        self.is_holiday(d) || moved_here
    }

    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        !self.is_day_off(d)
    }

    /// A period ending on a day off ends on the next working day.
    pub fn roll_forward(&self, mut d: NaiveDate) -> NaiveDate {
        while self.is_day_off(d) {
            d += Duration::days(1);
        }
        d
    }

    /// The `n`-th working day after `start` (`start` itself not counted).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d += Duration::days(1);
            if self.is_working_day(d) {
                left -= 1;
            }
        }
        d
    }

    /// Working days after `from` up to and including `to` (0 when `to <= from`).
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut n = 0;
        let mut d = from;
        while d < to {
            d += Duration::days(1);
            if self.is_working_day(d) {
                n += 1;
            }
        }
        n
    }
}

/// Orthodox Easter (Gregorian date) for years 1900–2099: the Julian-calendar
/// computus (Meeus) plus the 13 days between the calendars in that range.
pub fn orthodox_easter(year: i32) -> Option<NaiveDate> {
    if !(1900..=2099).contains(&year) {
        return None;
    }
    let (a, b, c) = (year % 4, year % 7, year % 19);
    let d = (19 * c + 15) % 30;
    let e = (2 * a + 4 * b - d + 34) % 7;
    let month = (d + e + 114) / 31;
    let day = (d + e + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).map(|julian| julian + Duration::days(13))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn orthodox_easter_matches_the_published_dates() {
        for (y, d) in [(2023, "2023-04-16"), (2024, "2024-05-05"), (2025, "2025-04-20"), (2026, "2026-04-12")] {
            assert_eq!(orthodox_easter(y), Some(date(d)), "{y}");
        }
        assert_eq!(orthodox_easter(2100), None);
    }

    #[test]
    fn under_martial_law_holidays_on_weekdays_are_working_days() {
        let c = WorkingCalendar::law_2023(true);
        // 24 August 2026 is a Monday; 8 March 2027 a Monday.
        assert!(c.is_working_day(date("2026-08-24")));
        assert!(c.is_working_day(date("2027-03-08")));
        assert!(c.is_day_off(date("2026-08-22")), "weekly rest days stay off");
    }

    #[test]
    fn in_peacetime_holidays_are_off_and_a_weekend_holiday_moves_to_monday() {
        let c = WorkingCalendar::law_2023(false);
        assert!(c.is_day_off(date("2026-08-24")));
        // Easter 2026 is Sunday 12 April: Monday 13 April is off.
        assert!(c.is_day_off(date("2026-04-13")));
        // 15 July 2028 is a Saturday: Monday 17 July is off.
        assert!(c.is_day_off(date("2028-07-17")));
        assert!(c.is_working_day(date("2028-07-18")));
    }

    #[test]
    fn a_holiday_closes_even_an_office_open_on_saturdays_but_a_plain_saturday_does_not() {
        let c = WorkingCalendar::law_2023(false);
        // 15 July 2028 is a Saturday and a holiday; 22 July 2028 a plain Saturday.
        assert!(c.is_public_day_off(date("2028-07-15")) && c.is_day_off(date("2028-07-15")));
        assert!(!c.is_public_day_off(date("2028-07-22")) && c.is_day_off(date("2028-07-22")));
        assert!(c.is_public_day_off(date("2028-07-17")), "the Monday it moved to");
        // Under martial law only configured days off close every office.
        assert!(!WorkingCalendar::law_2023(true).is_public_day_off(date("2026-08-24")));
    }

    #[test]
    fn a_period_ending_on_a_day_off_moves_to_the_next_working_day() {
        let c = WorkingCalendar::law_2023(true);
        assert_eq!(c.roll_forward(date("2026-11-21")), date("2026-11-23"));
        assert_eq!(c.roll_forward(date("2026-11-23")), date("2026-11-23"));
    }

    #[test]
    fn the_calendar_is_configured_extra_days_off_and_working_saturdays() {
        let mut c = WorkingCalendar::law_2023(true);
        c.extra_days_off.push(date("2026-11-24"));
        c.extra_working_days.push(date("2026-11-28"));
        assert!(c.is_day_off(date("2026-11-24")));
        assert!(c.is_working_day(date("2026-11-28")));
        let json = serde_json::to_string(&c).unwrap();
        assert_eq!(serde_json::from_str::<WorkingCalendar>(&json).unwrap(), c);
    }

    #[test]
    fn thirty_working_days_count_weekdays_only_under_martial_law() {
        let c = WorkingCalendar::law_2023(true);
        // From Monday 3 August 2026: six weeks of five days = 30 → Monday 14 September.
        assert_eq!(c.add_working_days(date("2026-08-03"), 30), date("2026-09-14"));
        // In peacetime 24 August is off, one more day.
        let p = WorkingCalendar::law_2023(false);
        assert_eq!(p.add_working_days(date("2026-08-03"), 30), date("2026-09-15"));
    }

    proptest! {
        #[test]
        fn adding_working_days_lands_on_a_working_day_with_exactly_n_between(
            offset in 0i64..3000, n in 1u32..80, martial in any::<bool>()
        ) {
            let c = WorkingCalendar::law_2023(martial);
            let start = date("2022-01-01") + Duration::days(offset);
            let end = c.add_working_days(start, n);
            prop_assert!(c.is_working_day(end));
            prop_assert_eq!(c.working_days_between(start, end), n);
        }
    }
}
