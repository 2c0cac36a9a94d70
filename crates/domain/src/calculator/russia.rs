//! Russia's insurance old-age pension (Federal Law No. 400-FZ): the fixed
//! payment and the points' worth, each with its premium for a later claim;
//! the right needs the general age, a record and points of the year it arises.
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Decimal, TableError, YearsMonths, after_months, check_common, decimal, for_year, increasing, months_between, round,
};
use crate::person::Sex;
use crate::{Invalid, Message};

const FILE: &str = "calculator/russia.toml";

/// Values in force from a date.
#[derive(Debug, Clone)]
pub struct Values {
    pub from: NaiveDate,
    pub point_value: Decimal,
    pub fixed_payment: Decimal,
}

#[derive(Debug, Clone)]
struct Requirement {
    year: i32,
    record_years: u32,
    points: Decimal,
}

/// `russia.toml`, checked.
#[derive(Debug, Clone)]
pub struct Table {
    values: Vec<Values>,
    requirements: Vec<Requirement>,
    /// (born from year, age in months), per sex.
    age_male: Vec<(i32, u32)>,
    age_female: Vec<(i32, u32)>,
    premium_fixed: Vec<Decimal>,
    premium_points: Vec<Decimal>,
    double_fixed_at_age: u32,
    max_points_a_year: Decimal,
    max_base: Vec<(i32, Decimal)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    values: Vec<ValuesRow>,
    requirements: Vec<RequirementRow>,
    age: AgeRows,
    premium: PremiumRows,
    rules: Rules,
    max_base: Vec<MaxBaseRow>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ValuesRow {
    from: NaiveDate,
    indexation: Option<String>,
    fixed_payment_indexation: Option<String>,
    point_value: String,
    fixed_payment: String,
    #[allow(dead_code)]
    basis: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RequirementRow {
    year: i32,
    record_years: u32,
    points: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AgeRows {
    male: Vec<(i32, u32)>,
    female: Vec<(i32, u32)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PremiumRows {
    fixed_payment: Vec<String>,
    points: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Rules {
    double_fixed_payment_at_age: u32,
    max_points_a_year: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MaxBaseRow {
    year: i32,
    amount: String,
}

impl Table {
    pub fn parse(text: &str) -> Result<Table, TableError> {
        let file: File = toml::from_str(text).map_err(|e| TableError::new(FILE, e.to_string()))?;
        let mut values: Vec<Values> = vec![];
        for row in &file.values {
            let v = Values {
                from: row.from,
                point_value: decimal(FILE, &row.point_value)?,
                fixed_payment: decimal(FILE, &row.fixed_payment)?,
            };
            // Each value is the one before, indexed: recomputed within a kopeck.
            if let (Some(prev), Some(index)) = (values.last(), &row.indexation) {
                let index = decimal(FILE, index)?;
                let fixed_index = row.fixed_payment_indexation.as_deref().map(|i| decimal(FILE, i)).transpose()?;
                let kopeck = Decimal::new(1, 2);
                let near = |a: Decimal, b: Decimal| (round(a, 2) - b).abs() <= kopeck;
                if !near(prev.point_value * index, v.point_value)
                    || !near(prev.fixed_payment * fixed_index.unwrap_or(index), v.fixed_payment)
                {
                    return Err(TableError::new(
                        FILE,
                        format!("{}: the values are not the previous ones indexed", v.from),
                    ));
                }
            } else if !values.is_empty() {
                return Err(TableError::new(FILE, format!("{}: a row after the first needs its indexation", v.from)));
            }
            values.push(v);
        }
        increasing(FILE, "values", &values, |v| v.from)?;
        let requirements = file
            .requirements
            .iter()
            .map(|r| Ok(Requirement { year: r.year, record_years: r.record_years, points: decimal(FILE, &r.points)? }))
            .collect::<Result<Vec<_>, TableError>>()?;
        increasing(FILE, "requirements", &requirements, |r| r.year)?;
        increasing(FILE, "age.male", &file.age.male, |r| r.0)?;
        increasing(FILE, "age.female", &file.age.female, |r| r.0)?;
        let list = |l: &[String]| l.iter().map(|p| decimal(FILE, p)).collect::<Result<Vec<_>, _>>();
        let premium_fixed = list(&file.premium.fixed_payment)?;
        let premium_points = list(&file.premium.points)?;
        increasing(FILE, "premium.fixed_payment", &premium_fixed, |p| *p)?;
        increasing(FILE, "premium.points", &premium_points, |p| *p)?;
        if premium_fixed.len() != premium_points.len() {
            return Err(TableError::new(FILE, "the two premium lists differ in length"));
        }
        let max_base = file
            .max_base
            .iter()
            .map(|r| Ok((r.year, decimal(FILE, &r.amount)?)))
            .collect::<Result<Vec<_>, TableError>>()?;
        increasing(FILE, "max_base", &max_base, |r| r.0)?;
        Ok(Table {
            values,
            requirements,
            age_male: file.age.male,
            age_female: file.age.female,
            premium_fixed,
            premium_points,
            double_fixed_at_age: file.rules.double_fixed_payment_at_age,
            max_points_a_year: decimal(FILE, &file.rules.max_points_a_year)?,
            max_base,
        })
    }

    /// The values in force on `date` (the first row's before it).
    pub fn values_on(&self, date: NaiveDate) -> &Values {
        self.values.iter().take_while(|v| v.from <= date).last().unwrap_or(&self.values[0])
    }

    /// The general retirement age, in months, of a person born in `year`.
    fn general_age(&self, sex: Sex, born: i32) -> u32 {
        let rows = if sex == Sex::Male { &self.age_male } else { &self.age_female };
        for_year(rows, born, |r| r.0).unwrap_or(&rows[0]).1
    }

    fn requirement(&self, year: i32) -> &Requirement {
        for_year(&self.requirements, year, |r| r.year).unwrap_or(&self.requirements[0])
    }

    /// The points (IPK) a year's reported earnings (in kopecks) earned in
    /// `year`: 10 × earnings ÷ the year's maximum contribution base, at most 10,
    /// to three decimals (400-FZ art. 15 part 18). `None` before the table's
    /// first base: earlier years' points come from converted pension rights,
    /// not from one year's wage.
    pub fn points_of_year(&self, earnings_kopecks: i64, year: i32) -> Option<Decimal> {
        if self.max_base.first()?.0 > year || earnings_kopecks < 0 {
            return None;
        }
        let yearly = Decimal::new(earnings_kopecks, 2);
        Some(self.points_for(yearly / Decimal::from(12), year))
    }

    /// Points a year of `monthly_wage` earns in `year`.
    fn points_for(&self, monthly_wage: Decimal, year: i32) -> Decimal {
        let base = for_year(&self.max_base, year, |r| r.0).unwrap_or(&self.max_base[0]).1;
        round((monthly_wage * Decimal::from(12) / base * self.max_points_a_year).min(self.max_points_a_year), 3)
    }
}

/// What the citizen tells the calculator.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Input {
    pub sex: Sex,
    pub birth_date: NaiveDate,
    /// Pension points (IPK) earned so far, as the personal account shows them.
    #[serde(with = "rust_decimal::serde::str")]
    #[schemars(with = "crate::schema::DecimalText<3, 3>")]
    pub points: Decimal,
    /// Years of insurance record so far.
    #[schemars(range(max = 70))]
    pub record_years: u32,
    /// What-if: the monthly earnings, in roubles, from today until the pension
    /// is claimed (0 or absent: no further work).
    #[serde(default, with = "rust_decimal::serde::str")]
    #[schemars(with = "crate::schema::DecimalText<8, 2>")]
    pub monthly_wage: Decimal,
    /// What-if: claim the pension at this age (full years) instead of the
    /// general one; each full year later raises it by the premium coefficients.
    #[serde(default)]
    #[schemars(range(min = 50, max = 75))]
    pub retire_at_age: Option<u32>,
}

/// The calculation, every figure shown with where it came from.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct Estimate {
    /// Whether the right arises on `retirement_date` with these figures.
    pub eligible: bool,
    /// Why not, when not (the API words them in the reader's language).
    #[serde(skip)]
    #[schemars(skip)]
    pub problems: Vec<Message>,
    pub general_age: YearsMonths,
    pub retirement_date: NaiveDate,
    pub retirement_age: YearsMonths,
    /// Points and record at the claim, future work included.
    #[schemars(with = "String")]
    pub points: Decimal,
    pub record_years: u32,
    /// What the year of the claim requires.
    pub required_record_years: u32,
    #[schemars(with = "String")]
    pub required_points: Decimal,
    /// Full years claimed after the right arose (at most the table's 10).
    pub deferred_years: u32,
    #[schemars(with = "String")]
    pub fixed_payment_premium: Decimal,
    #[schemars(with = "String")]
    pub points_premium: Decimal,
    /// The values used: today's — a pension in payment is indexed with them, and
    /// one still ahead is shown in today's prices.
    pub values_from: NaiveDate,
    #[schemars(with = "String")]
    pub point_value: Decimal,
    #[schemars(with = "String")]
    pub fixed_payment: Decimal,
    /// Paid twice over from the age of 80.
    pub fixed_payment_doubled: bool,
    /// The monthly pension in roubles (0 when not eligible).
    #[schemars(with = "String")]
    pub amount: Decimal,
}

/// Estimates the monthly insurance old-age pension.
pub fn estimate(table: &Table, input: &Input, today: NaiveDate) -> Result<Estimate, Invalid> {
    let mut problems = Invalid::default();
    check_common(&mut problems, input.birth_date, input.retire_at_age, input.monthly_wage, today);
    if input.points.is_sign_negative() || input.points > Decimal::from(1_000) {
        problems.push("points", Message::new("common.out_of_range").with("min", 0).with("max", 1_000));
    }
    if input.record_years > 70 {
        problems.push("record_years", Message::new("common.out_of_range").with("min", 0).with("max", 70));
    }
    problems.into_result()?;

    let general_months = table.general_age(input.sex, input.birth_date.year());
    let general_date = after_months(input.birth_date, general_months);
    let claim_months = input.retire_at_age.map_or(general_months, |a| (a * 12).max(general_months));
    let retirement_date = after_months(input.birth_date, claim_months);

    // Work from today until the claim adds a year of record and its points for
    // each full year.
    let mut points = input.points;
    let mut record_years = input.record_years;
    if input.monthly_wage > Decimal::ZERO {
        let years = months_between(today, retirement_date) / 12;
        for k in 0..years {
            points += table.points_for(input.monthly_wage, today.year() + k as i32);
        }
        record_years += years;
    }

    let deferred_years = (months_between(general_date, retirement_date) / 12).min(table.premium_fixed.len() as u32);
    let (fixed_payment_premium, points_premium) = match deferred_years {
        0 => (Decimal::ONE, Decimal::ONE),
        n => (table.premium_fixed[n as usize - 1], table.premium_points[n as usize - 1]),
    };
    let required = table.requirement(retirement_date.year());
    let mut why = vec![];
    if record_years < required.record_years {
        why.push(Message::new("calculator.short_record").with("years", required.record_years));
    }
    if points < required.points {
        why.push(Message::new("calculator.few_points").with("points", required.points));
    }
    let values = table.values_on(today);
    let age_now_or_then = months_between(input.birth_date, retirement_date.max(today));
    let doubled = age_now_or_then >= table.double_fixed_at_age * 12;
    let amount = if why.is_empty() {
        let fixed = round(values.fixed_payment * fixed_payment_premium, 2);
        let fixed = if doubled { fixed + values.fixed_payment } else { fixed };
        fixed + round(points * values.point_value * points_premium, 2)
    } else {
        Decimal::ZERO
    };
    Ok(Estimate {
        eligible: why.is_empty(),
        problems: why,
        general_age: YearsMonths::of_months(general_months),
        retirement_date,
        retirement_age: YearsMonths::of_months(claim_months),
        points,
        record_years,
        required_record_years: required.record_years,
        required_points: required.points,
        deferred_years,
        fixed_payment_premium,
        points_premium,
        values_from: values.from,
        point_value: values.point_value,
        fixed_payment: values.fixed_payment,
        fixed_payment_doubled: doubled,
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
        Tables::builtin().unwrap().russia
    }

    #[test]
    fn spec_21_2_a_year_earns_ten_points_at_the_maximum_base_and_no_more() {
        let t = table();
        // 2025's maximum contribution base is 2 759 000 ₽.
        assert_eq!(t.points_of_year(275_900_000, 2025), Some(dec("10")));
        assert_eq!(t.points_of_year(137_950_000, 2025), Some(dec("5")));
        assert_eq!(t.points_of_year(900_000_000, 2025), Some(dec("10")), "capped at ten");
        assert_eq!(t.points_of_year(0, 2025), Some(dec("0")));
        assert_eq!(t.points_of_year(100_000_000, 1999), None, "before the table's first base");
    }

    fn input(points: &str) -> Input {
        // A man born in 1962 reaches the general age (64) in March 2026.
        Input {
            sex: Sex::Male,
            birth_date: d("1962-03-01"),
            points: dec(points),
            record_years: 40,
            monthly_wage: Decimal::ZERO,
            retire_at_age: None,
        }
    }

    #[test]
    fn issue_21_the_2026_official_example_100_points_no_premium_is_25_260_69() {
        let e = estimate(&table(), &input("100"), d("2026-03-02")).unwrap();
        assert_eq!((e.retirement_date, e.general_age), (d("2026-03-01"), YearsMonths { years: 64, months: 0 }));
        assert_eq!((e.point_value, e.fixed_payment), (dec("156.76"), dec("9584.69")));
        assert_eq!(e.amount, dec("25260.69"));
        assert!(e.eligible && e.deferred_years == 0);
    }

    #[test]
    fn issue_21_the_2017_values_per_the_seed_are_78_58_and_4_805_11() {
        let v = table().values_on(d("2017-06-01")).clone();
        assert_eq!((v.point_value, v.fixed_payment), (dec("78.58"), dec("4805.11")));
        assert_eq!(table().values_on(d("2015-01-15")).point_value, dec("64.10"));
        assert_eq!(table().values_on(d("2015-02-01")).point_value, dec("71.41"));
    }

    #[test]
    fn issue_21_from_2025_the_right_needs_15_years_and_30_points() {
        let mut i = input("29.999");
        let e = estimate(&table(), &i, d("2026-03-02")).unwrap();
        assert!(!e.eligible && e.amount.is_zero());
        assert_eq!(e.problems, vec![Message::new("calculator.few_points").with("points", dec("30"))]);
        i.points = dec("30");
        i.record_years = 14;
        let e = estimate(&table(), &i, d("2026-03-02")).unwrap();
        assert_eq!(e.problems, vec![Message::new("calculator.short_record").with("years", 15)]);
        i.record_years = 15;
        assert!(estimate(&table(), &i, d("2026-03-02")).unwrap().eligible);
    }

    #[test]
    fn issue_21_general_age_65_for_men_and_60_for_women_born_after_the_transition() {
        let mut i = input("100");
        i.birth_date = d("1970-05-20");
        let e = estimate(&table(), &i, d("2026-01-10")).unwrap();
        assert_eq!((e.general_age.years, e.retirement_date), (65, d("2035-05-20")));
        i.sex = Sex::Female;
        assert_eq!(estimate(&table(), &i, d("2026-01-10")).unwrap().general_age.years, 60);
        // Born in 1959 or 1960: six months earlier than the new age (350-FZ art. 10 part 3).
        i.sex = Sex::Male;
        i.birth_date = d("1960-01-01");
        assert_eq!(estimate(&table(), &i, d("2026-01-10")).unwrap().general_age, YearsMonths { years: 61, months: 6 });
    }

    #[test]
    fn issue_21_the_fixed_payment_doubles_at_80() {
        let mut i = input("100");
        i.birth_date = d("1946-01-01");
        let e = estimate(&table(), &i, d("2026-03-02")).unwrap();
        assert!(e.fixed_payment_doubled);
        // Claimed at 60 in 2006, 80 now: today's values, the fixed payment twice.
        assert_eq!(e.amount, dec("9584.69") * Decimal::from(2) + dec("15676.00"));
    }

    #[test]
    fn issue_21_a_later_claim_earns_the_premium_coefficients() {
        let mut i = input("100");
        i.retire_at_age = Some(67);
        let e = estimate(&table(), &i, d("2026-03-02")).unwrap();
        assert_eq!((e.deferred_years, e.fixed_payment_premium, e.points_premium), (3, dec("1.19"), dec("1.24")));
        // In today's values: 9 584.69 × 1.19 + 100 × 156.76 × 1.24.
        assert_eq!(e.amount, round(dec("9584.69") * dec("1.19"), 2) + round(dec("15676") * dec("1.24"), 2));
        i.retire_at_age = Some(75);
        assert_eq!(estimate(&table(), &i, d("2026-03-02")).unwrap().deferred_years, 10, "the table ends at 10");
    }

    #[test]
    fn issue_21_future_earnings_add_points_and_record_each_full_year() {
        let mut i = input("50");
        i.birth_date = d("1970-05-20");
        i.record_years = 20;
        i.monthly_wage = dec("229916.67"); // the 2025 base ÷ 12: 10 points a year
        let e = estimate(&table(), &i, d("2026-01-10")).unwrap();
        assert_eq!(e.record_years, 20 + 9);
        assert_eq!(e.points, dec("50") + dec("10") * Decimal::from(9));
    }

    #[test]
    fn impossible_input_is_refused_field_by_field() {
        let mut i = input("-1");
        i.birth_date = d("2030-01-01");
        i.record_years = 90;
        i.retire_at_age = Some(90);
        let err = estimate(&table(), &i, d("2026-03-02")).unwrap_err();
        for field in ["points", "birth_date", "record_years", "retire_at_age"] {
            assert!(err.0.iter().any(|e| e.field == field), "{field}: {err:?}");
        }
    }

    #[test]
    fn a_mistyped_value_in_the_file_is_caught() {
        let text = include_str!("russia.toml").replace("\"156.76\"", "\"165.76\"");
        assert!(Table::parse(&text).unwrap_err().problem.contains("indexed"));
    }

    proptest! {
        #[test]
        fn more_points_never_pay_less(a in 30u32..1000, b in 30u32..1000, later in 0u32..12) {
            let (lo, hi) = (a.min(b), a.max(b));
            let mut i = input("0");
            i.retire_at_age = Some(64 + later);
            i.points = Decimal::from(lo);
            let low = estimate(&table(), &i, d("2026-03-02")).unwrap().amount;
            i.points = Decimal::from(hi);
            prop_assert!(estimate(&table(), &i, d("2026-03-02")).unwrap().amount >= low);
        }

        #[test]
        fn a_longer_record_or_a_higher_wage_never_pays_less(
            record in 0u32..50, more in 0u32..20, wage in 0u32..400_000, raise in 0u32..400_000,
        ) {
            let mut i = input("20");
            i.birth_date = d("1975-07-01");
            i.record_years = record;
            i.monthly_wage = Decimal::from(wage);
            let base = estimate(&table(), &i, d("2026-03-02")).unwrap().amount;
            i.record_years = record + more;
            let longer = estimate(&table(), &i, d("2026-03-02")).unwrap().amount;
            prop_assert!(longer >= base);
            i.record_years = record;
            i.monthly_wage = Decimal::from(wage + raise);
            prop_assert!(estimate(&table(), &i, d("2026-03-02")).unwrap().amount >= base);
        }
    }
}
