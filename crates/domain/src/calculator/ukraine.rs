//! Ukraine's old-age pension (Law No. 1058-IV): the average wage of the three
//! years before applying × the person's wage coefficient × the record
//! coefficient; the right arises at 60, 63 or 65 depending on the record.
//! Not modelled: the minimum pension, supplements and the raise for a
//! deferred claim (art. 29) — the estimate says the formula's amount only.
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Decimal, TableError, YearsMonths, after_months, check_common, decimal, for_year, increasing, months_between, round,
};
use crate::{Invalid, Message};

const FILE: &str = "calculator/ukraine.toml";

#[derive(Debug, Clone)]
struct Requirement {
    year: i32,
    /// Years of record needed at 60, 63, 65.
    at: [u32; 3],
}

const AGES: [u32; 3] = [60, 63, 65];

/// `ukraine.toml`, checked.
#[derive(Debug, Clone)]
pub struct Table {
    average_wage: Vec<(i32, Decimal)>,
    annual_average: Vec<(i32, Decimal)>,
    requirements: Vec<Requirement>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    average_wage: Vec<AverageWageRow>,
    annual_average: Vec<AnnualRow>,
    requirements: Vec<RequirementRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AverageWageRow {
    year: i32,
    amount: String,
    #[allow(dead_code)]
    over: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AnnualRow {
    year: i32,
    amount: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementRow {
    year: i32,
    at_60: u32,
    at_63: u32,
    at_65: u32,
}

impl Table {
    pub fn parse(text: &str) -> Result<Table, TableError> {
        let file: File = toml::from_str(text).map_err(|e| TableError::new(FILE, e.to_string()))?;
        let pairs = |rows: Vec<(i32, &String)>| {
            rows.into_iter().map(|(y, a)| Ok((y, decimal(FILE, a)?))).collect::<Result<Vec<_>, TableError>>()
        };
        let average_wage = pairs(file.average_wage.iter().map(|r| (r.year, &r.amount)).collect())?;
        let annual_average = pairs(file.annual_average.iter().map(|r| (r.year, &r.amount)).collect())?;
        increasing(FILE, "average_wage", &average_wage, |r| r.0)?;
        increasing(FILE, "annual_average", &annual_average, |r| r.0)?;
        if average_wage.iter().chain(&annual_average).any(|r| r.1 <= Decimal::ZERO) {
            return Err(TableError::new(FILE, "a wage must be above zero"));
        }
        let requirements: Vec<Requirement> =
            file.requirements.iter().map(|r| Requirement { year: r.year, at: [r.at_60, r.at_63, r.at_65] }).collect();
        increasing(FILE, "requirements", &requirements, |r| r.year)?;
        // A later age never needs a longer record.
        if let Some(r) = requirements.iter().find(|r| r.at[0] < r.at[1] || r.at[1] < r.at[2]) {
            return Err(TableError::new(FILE, format!("requirements {}: a later age needs a longer record", r.year)));
        }
        Ok(Table { average_wage, annual_average, requirements })
    }

    fn requirement(&self, year: i32) -> &Requirement {
        for_year(&self.requirements, year, |r| r.year).unwrap_or(&self.requirements[0])
    }
}

/// What the citizen tells the calculator.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub birth_date: NaiveDate,
    /// Months of insurance record so far.
    #[schemars(range(max = 840))]
    pub record_months: u32,
    /// The individual wage coefficient so far (the person's monthly wages over
    /// the average wage of the same months, averaged; 1 = the national average).
    #[serde(with = "rust_decimal::serde::str")]
    #[schemars(with = "crate::schema::DecimalText<1, 5>")]
    pub wage_coefficient: Decimal,
    /// The months that coefficient averages (default: the record's; not more).
    #[serde(default)]
    #[schemars(range(max = 840))]
    pub wage_months: Option<u32>,
    /// What-if: the monthly wage, in hryvnias, from today until the claim
    /// (0 or absent: no further work).
    #[serde(default, with = "rust_decimal::serde::str")]
    #[schemars(with = "crate::schema::DecimalText<8, 2>")]
    pub monthly_wage: Decimal,
    /// What-if: claim at this age (full years) instead of the earliest the
    /// record allows.
    #[serde(default)]
    #[schemars(range(min = 50, max = 75))]
    pub retire_at_age: Option<u32>,
}

/// The calculation, every figure shown with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Estimate {
    pub eligible: bool,
    /// Why not, when not (the API words them in the reader's language).
    #[serde(skip)]
    #[schemars(skip)]
    pub problems: Vec<Message>,
    /// The earliest age the record gives the right at (60, 63 or 65).
    pub earliest_age: Option<u32>,
    pub retirement_date: NaiveDate,
    pub retirement_age: YearsMonths,
    /// The record at the claim, future work included.
    pub record: YearsMonths,
    #[schemars(with = "String")]
    pub record_coefficient: Decimal,
    #[schemars(with = "String")]
    pub wage_coefficient: Decimal,
    /// The average wage of the three years before the year of the claim…
    #[schemars(with = "String")]
    pub average_wage: Decimal,
    /// …of this year of applying (an earlier year's when the year's figure is
    /// not yet in the table; then `average_wage_estimated`).
    pub average_wage_year: i32,
    pub average_wage_estimated: bool,
    /// The monthly pension in hryvnias by the formula (0 when not eligible).
    #[schemars(with = "String")]
    pub amount: Decimal,
}

/// Estimates the monthly old-age pension.
pub fn estimate(table: &Table, input: &Input, today: NaiveDate) -> Result<Estimate, Invalid> {
    let mut problems = Invalid::default();
    check_common(&mut problems, input.birth_date, input.retire_at_age, input.monthly_wage, today);
    if input.record_months > 70 * 12 {
        problems.push("record_months", Message::new("common.out_of_range").with("min", 0).with("max", 840));
    }
    if input.wage_coefficient.is_sign_negative() || input.wage_coefficient > Decimal::from(10) {
        problems.push("wage_coefficient", Message::new("common.out_of_range").with("min", 0).with("max", 10));
    }
    if input.wage_months.is_some_and(|m| m > input.record_months) {
        problems.push("wage_months", Message::new("calculator.wage_months_past_record"));
    }
    problems.into_result()?;

    let working = input.monthly_wage > Decimal::ZERO;
    // The record on a date: today's, plus the months worked until then.
    let record_on = |date: NaiveDate| input.record_months + if working { months_between(today, date) } else { 0 };
    let earliest = AGES.iter().enumerate().find_map(|(i, &age)| {
        let date = after_months(input.birth_date, age * 12);
        (record_on(date) >= table.requirement(date.year()).at[i] * 12).then_some(age)
    });
    let claim_age = match (earliest, input.retire_at_age) {
        (Some(e), Some(chosen)) => e.max(chosen),
        (Some(e), None) => e,
        (None, chosen) => chosen.unwrap_or(65).max(65),
    };
    let retirement_date = after_months(input.birth_date, claim_age * 12);
    let record_months = record_on(retirement_date);

    // Future months at the what-if wage join the coefficient's average, each
    // month's ratio to the latest known national average.
    let mut wage_coefficient = round(input.wage_coefficient, 5);
    if working {
        let future = months_between(today, retirement_date);
        let past = input.wage_months.unwrap_or(input.record_months);
        let latest = table.annual_average.last().map_or(Decimal::ONE, |r| r.1);
        let ratio = round(input.monthly_wage / latest, 5);
        if past + future > 0 {
            wage_coefficient = round(
                (wage_coefficient * Decimal::from(past) + ratio * Decimal::from(future)) / Decimal::from(past + future),
                5,
            );
        }
    }
    let record_coefficient = round(Decimal::from(record_months) / Decimal::from(1200), 5);
    let claim_year = retirement_date.year();
    let (average_wage_year, average_wage) =
        *for_year(&table.average_wage, claim_year, |r| r.0).unwrap_or(&table.average_wage[0]);
    let mut why = vec![];
    if earliest.is_none() {
        why.push(Message::new("calculator.short_record").with("years", table.requirement(claim_year).at[2]));
    }
    let amount =
        if why.is_empty() { round(average_wage * wage_coefficient * record_coefficient, 2) } else { Decimal::ZERO };
    Ok(Estimate {
        eligible: why.is_empty(),
        problems: why,
        earliest_age: earliest,
        retirement_date,
        retirement_age: YearsMonths { years: claim_age, months: 0 },
        record: YearsMonths::of_months(record_months),
        record_coefficient,
        wage_coefficient,
        average_wage,
        average_wage_year,
        average_wage_estimated: average_wage_year != claim_year,
        amount,
    })
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::calculator::Tables;
    use crate::calculator::testing::{d, dec};

    fn table() -> Table {
        Tables::builtin().unwrap().ukraine
    }

    /// Turned 60 in May 2025 with 35 years of record and a coefficient of 1.2.
    fn input() -> Input {
        Input {
            birth_date: d("1965-05-10"),
            record_months: 420,
            wage_coefficient: dec("1.2"),
            wage_months: None,
            monthly_wage: Decimal::ZERO,
            retire_at_age: None,
        }
    }

    #[test]
    fn law_1058_art_27_pension_is_average_wage_times_wage_coefficient_times_record_coefficient() {
        let e = estimate(&table(), &input(), d("2025-06-01")).unwrap();
        assert_eq!((e.earliest_age, e.retirement_date), (Some(60), d("2025-05-10")));
        assert_eq!((e.average_wage, e.average_wage_year, e.average_wage_estimated), (dec("15057.09"), 2025, false));
        assert_eq!(e.record_coefficient, dec("0.35"));
        // 15 057.09 × 1.2 × 0.35 = 6 323.9778.
        assert_eq!(e.amount, dec("6323.98"));
    }

    #[test]
    fn law_1058_art_25_the_record_coefficient_is_months_over_1200_to_five_decimals() {
        let mut i = input();
        i.record_months = 407; // 33 years 11 months: 0.339166… → 0.33917
        i.birth_date = d("1963-01-01");
        let e = estimate(&table(), &i, d("2025-06-01")).unwrap();
        assert_eq!(e.record_coefficient, dec("0.33917"));
    }

    #[test]
    fn law_1058_art_26_in_2026_60_needs_33_years_63_needs_23_and_65_needs_15() {
        let at = |months: u32, born: &str| {
            let mut i = input();
            i.birth_date = d(born);
            i.record_months = months;
            estimate(&table(), &i, d("2026-01-05")).unwrap()
        };
        // Turning 60 in 2026: 33 years are enough, 32 are not.
        assert_eq!(at(33 * 12, "1966-03-01").earliest_age, Some(60));
        // With 32 years the right comes at 63 (in 2029, which needs 25 — 32 is plenty).
        assert_eq!(at(32 * 12, "1966-03-01").earliest_age, Some(63));
        // Turning 63 in 2026 needs 23; with 22 the right waits for 65, which needs 15; less: none.
        assert_eq!(at(23 * 12, "1963-03-01").earliest_age, Some(63));
        assert_eq!(at(22 * 12, "1963-03-01").earliest_age, Some(65));
        // Who turned 63 in 2024 needed 21 then: the right arose at 63.
        assert_eq!(at(22 * 12, "1961-03-01").earliest_age, Some(63));
        let none = at(14 * 12, "1963-03-01");
        assert_eq!((none.earliest_age, none.eligible, none.amount), (None, false, Decimal::ZERO));
    }

    #[test]
    fn a_year_without_its_average_wage_uses_the_latest_and_says_so() {
        let mut i = input();
        i.birth_date = d("1966-02-01");
        i.record_months = 40 * 12;
        let e = estimate(&table(), &i, d("2026-03-01")).unwrap();
        assert_eq!((e.average_wage_year, e.average_wage_estimated), (2025, true));
    }

    #[test]
    fn future_work_lengthens_the_record_and_moves_the_wage_coefficient() {
        let mut i = input();
        i.birth_date = d("1980-01-01");
        i.record_months = 240;
        i.wage_coefficient = dec("1");
        i.monthly_wage = dec("34973.20"); // twice the 2024 average
        let e = estimate(&table(), &i, d("2026-01-01")).unwrap();
        // At 60 (2040) the record would be 34 years, short of 35: the right comes at 63,
        // with 240 months at 1 and 204 at 2 — (240 + 408) / 444.
        assert_eq!(e.earliest_age, Some(63));
        assert_eq!(e.record, YearsMonths { years: 37, months: 0 });
        assert_eq!(e.wage_coefficient, dec("1.45946"));
    }

    #[test]
    fn impossible_input_is_refused_field_by_field() {
        let mut i = input();
        i.wage_coefficient = dec("-0.5");
        i.record_months = 900;
        i.monthly_wage = dec("-1");
        let err = estimate(&table(), &i, d("2026-01-01")).unwrap_err();
        for field in ["wage_coefficient", "record_months", "monthly_wage"] {
            assert!(err.0.iter().any(|e| e.field == field), "{field}: {err:?}");
        }
    }

    proptest! {
        #[test]
        fn a_longer_record_a_higher_coefficient_or_wage_never_pays_less(
            record in 180u32..600, more in 0u32..120, coef in 0u32..300_000, up in 0u32..100_000,
            wage in 0u32..200_000, raise in 0u32..200_000,
        ) {
            let today = d("2026-01-05");
            let mut i = input();
            // One claim date for all (a longer record may allow an earlier, smaller claim).
            i.birth_date = d("1961-09-01");
            i.retire_at_age = Some(66);
            i.record_months = record;
            i.wage_coefficient = Decimal::new(i64::from(coef), 5);
            i.monthly_wage = Decimal::from(wage);
            let base = estimate(&table(), &i, today).unwrap().amount;
            let mut j = i.clone();
            j.record_months = record + more;
            prop_assert!(estimate(&table(), &j, today).unwrap().amount >= base);
            let mut j = i.clone();
            j.wage_coefficient = Decimal::new(i64::from(coef + up), 5);
            prop_assert!(estimate(&table(), &j, today).unwrap().amount >= base);
            let mut j = i.clone();
            j.monthly_wage = Decimal::from(wage + raise);
            prop_assert!(estimate(&table(), &j, today).unwrap().amount >= base);
        }
    }
}
