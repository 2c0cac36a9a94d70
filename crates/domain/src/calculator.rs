//! Pension calculators per jurisdiction (issue 21 §3): what a person's
//! old-age pension would be, from their record and what-if choices (future
//! earnings, a later retirement), under dated parameter tables kept as data
//! files beside this module (`calculator/*.toml`) — a new figure is a new row,
//! not new code. Money and coefficients are exact decimals, rounded where and
//! as each law says; the caller passes "today".
pub mod russia;
pub mod ukraine;

use chrono::{Datelike, Months, NaiveDate};
pub use rust_decimal::Decimal;
use rust_decimal::RoundingStrategy;
use serde::Serialize;

use crate::{Invalid, Message};

/// A jurisdiction whose pension record counts points a year (issue 21 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PointsScheme {
    /// Russia's individual pension coefficient (IPK) under 400-FZ.
    Russia,
}

impl Tables {
    /// The points `earnings` (kopecks) earned in `year` under `scheme`, when the tables know the year.
    pub fn points_of_year(&self, scheme: PointsScheme, earnings: i64, year: i32) -> Option<Decimal> {
        match scheme {
            PointsScheme::Russia => self.russia.points_of_year(earnings, year),
        }
    }
}

/// Every jurisdiction's tables, checked.
#[derive(Debug, Clone)]
pub struct Tables {
    pub russia: russia::Table,
    pub ukraine: ukraine::Table,
}

impl Tables {
    /// The tables this version ships with.
    pub fn builtin() -> Result<Tables, TableError> {
        Tables::parse(include_str!("calculator/russia.toml"), include_str!("calculator/ukraine.toml"))
    }

    pub fn parse(russia: &str, ukraine: &str) -> Result<Tables, TableError> {
        Ok(Tables { russia: russia::Table::parse(russia)?, ukraine: ukraine::Table::parse(ukraine)? })
    }
}

/// A parameter file that cannot be used, and why (for the operator, not a citizen).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {problem}")]
pub struct TableError {
    pub file: &'static str,
    pub problem: String,
}

impl TableError {
    fn new(file: &'static str, problem: impl Into<String>) -> Self {
        TableError { file, problem: problem.into() }
    }
}

/// A decimal as the data files write it (a string, so no figure passes through
/// a binary float).
fn decimal(file: &'static str, text: &str) -> Result<Decimal, TableError> {
    text.parse::<Decimal>().map_err(|e| TableError::new(file, format!("“{text}” is not a decimal: {e}")))
}

/// The row for `year` of rows sorted by year: the year's own, or the latest
/// earlier one (a table's last row holds for later years). `None` before the first.
fn for_year<T>(rows: &[T], year: i32, year_of: impl Fn(&T) -> i32) -> Option<&T> {
    rows.iter().take_while(|r| year_of(r) <= year).last()
}

/// Checks that rows are in strictly increasing order of their key.
fn increasing<T, K: PartialOrd + std::fmt::Debug>(
    file: &'static str,
    what: &str,
    rows: &[T],
    key: impl Fn(&T) -> K,
) -> Result<(), TableError> {
    if rows.is_empty() {
        return Err(TableError::new(file, format!("{what}: no rows")));
    }
    for pair in rows.windows(2) {
        if key(&pair[0]) >= key(&pair[1]) {
            return Err(TableError::new(file, format!("{what}: {:?} is not after {:?}", key(&pair[1]), key(&pair[0]))));
        }
    }
    Ok(())
}

/// Rounds half away from zero, as money and the laws' coefficients are rounded.
pub fn round(value: Decimal, places: u32) -> Decimal {
    value.round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
}

/// A span of full years and months (an age, a record).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, schemars::JsonSchema)]
pub struct YearsMonths {
    pub years: u32,
    pub months: u32,
}

impl YearsMonths {
    pub fn of_months(months: u32) -> Self {
        YearsMonths { years: months / 12, months: months % 12 }
    }

    pub fn total_months(self) -> u32 {
        self.years * 12 + self.months
    }
}

/// Full months from `from` to `to` (0 if `to` is not later).
pub fn months_between(from: NaiveDate, to: NaiveDate) -> u32 {
    if to <= from {
        return 0;
    }
    let mut months = (to.year() - from.year()) * 12 + to.month() as i32 - from.month() as i32;
    if to.day() < from.day() && from.checked_add_months(Months::new(months as u32)).is_none_or(|d| d > to) {
        months -= 1;
    }
    u32::try_from(months).unwrap_or(0)
}

/// The date `months` after `date` (the last day of a shorter month).
pub fn after_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The checks every calculator's input shares: a birth date in the past and
/// not absurdly far back, a later retirement age within reason, a wage that is
/// not negative or absurd.
fn check_common(
    problems: &mut Invalid,
    birth_date: NaiveDate,
    retire_at_age: Option<u32>,
    monthly_wage: Decimal,
    today: NaiveDate,
) {
    if birth_date > today {
        problems.push("birth_date", Message::new("common.date_in_future"));
    } else if birth_date.year() < today.year() - 110 {
        problems.push("birth_date", Message::new("calculator.birth_date_too_early"));
    }
    if let Some(age) = retire_at_age
        && !(50..=75).contains(&age)
    {
        problems.push("retire_at_age", Message::new("common.out_of_range").with("min", 50).with("max", 75));
    }
    if monthly_wage.is_sign_negative() || monthly_wage > Decimal::from(100_000_000) {
        problems.push("monthly_wage", Message::new("common.out_of_range").with("min", 0).with("max", 100_000_000));
    }
}

/// Short spellings of dates and decimals for the calculators' tests.
#[cfg(test)]
mod testing {
    use super::*;

    pub fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    pub fn dec(s: &str) -> Decimal {
        s.parse().unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::testing::d;
    use super::*;

    #[test]
    fn full_months_count_a_month_only_once_its_day_is_reached() {
        assert_eq!(months_between(d("1962-03-15"), d("2026-03-14")), 767);
        assert_eq!(months_between(d("1962-03-15"), d("2026-03-15")), 768);
        assert_eq!(months_between(d("2024-01-31"), d("2024-02-29")), 1, "to the end of a shorter month");
        assert_eq!(months_between(d("2026-03-15"), d("2026-03-14")), 0);
        assert_eq!(after_months(d("2024-01-31"), 1), d("2024-02-29"));
    }

    #[test]
    fn the_shipped_tables_pass_their_own_checks() {
        Tables::builtin().unwrap();
    }

    #[test]
    fn rounding_is_half_away_from_zero() {
        assert_eq!(round("5269.985".parse().unwrap(), 2), "5269.99".parse::<Decimal>().unwrap());
        assert_eq!(round("0.123455".parse().unwrap(), 5), "0.12346".parse::<Decimal>().unwrap());
    }
}
