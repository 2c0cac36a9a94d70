//! The person's pension record (issue 21 §2): insurance periods with their
//! employer and kind of activity, earnings and contributions by month as the
//! employers report them, and the insurance record in years, months and days.
//!
//! An employer's monthly report is a CSV (`rnokpp,month,wage,contribution`
//! and optionally `hired`, `dismissed`, `kind`): each row is one employee's
//! month; `hired` opens an insurance period with this employer, `dismissed`
//! closes it, and a month reported with no period open begins one on the
//! month's first day (the employment began before the fund's records did).
//! Rows are parsed here; whether the person exists and the periods fit the
//! ones on file is the store's check, inside the import's transaction.
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::Message;
use crate::ident::Rnokpp;

/// An employer's code: the 8-digit EDRPOU of a legal entity (with its check
/// digit), or the 10-digit RNOKPP of a sole proprietor employing people.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct EmployerCode(String);

impl EmployerCode {
    pub fn parse(s: &str) -> Result<EmployerCode, Message> {
        let s = s.trim();
        if s.len() == 10 && Rnokpp::parse(s).is_ok() {
            return Ok(EmployerCode(s.to_owned()));
        }
        if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Message::new("record.employer_code"));
        }
        let d: Vec<u32> = s.bytes().map(|b| u32::from(b - b'0')).collect();
        if edrpou_check_digit(&d[..7]) != d[7] {
            return Err(Message::new("record.employer_checksum"));
        }
        Ok(EmployerCode(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The EDRPOU check digit: weights 1–7 (or 7,1–6 for codes between 30 and 60
/// million), modulo 11; a remainder of 10 is retried with each weight plus 2,
/// and a second 10 gives 0.
fn edrpou_check_digit(d: &[u32]) -> u32 {
    let value: u32 = d.iter().fold(0, |acc, x| acc * 10 + x);
    let base: [u32; 7] =
        if (3_000_000..6_000_000).contains(&value) { [7, 1, 2, 3, 4, 5, 6] } else { [1, 2, 3, 4, 5, 6, 7] };
    let sum = |plus: u32| d.iter().zip(base).map(|(x, w)| x * (w + plus)).sum::<u32>() % 11;
    match sum(0) {
        10 => match sum(2) {
            10 => 0,
            r => r,
        },
        r => r,
    }
}

/// What the person did during a period (the report's `kind`; employment when absent).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Activity {
    Employment,
    SelfEmployment,
    Military,
    ChildCare,
    Unemployment,
}

impl Activity {
    pub const ALL: [Activity; 5] = [
        Activity::Employment,
        Activity::SelfEmployment,
        Activity::Military,
        Activity::ChildCare,
        Activity::Unemployment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Activity::Employment => "employment",
            Activity::SelfEmployment => "self_employment",
            Activity::Military => "military",
            Activity::ChildCare => "child_care",
            Activity::Unemployment => "unemployment",
        }
    }

    pub fn parse(s: &str) -> Result<Activity, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Ok(Activity::Employment);
        }
        Self::ALL
            .into_iter()
            .find(|a| a.as_str() == s)
            .ok_or_else(|| Message::new("common.unknown_value").with("value", s))
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Activity::Employment => "record.activity.employment",
            Activity::SelfEmployment => "record.activity.self_employment",
            Activity::Military => "record.activity.military",
            Activity::ChildCare => "record.activity.child_care",
            Activity::Unemployment => "record.activity.unemployment",
        })
    }
}

/// A calendar month, kept as `yyyymm` (sorts and groups by year as a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Month(u32);

impl Month {
    pub fn new(year: i32, month: u32) -> Option<Month> {
        ((1900..=9999).contains(&year) && (1..=12).contains(&month)).then(|| Month(year as u32 * 100 + month))
    }

    /// `2026-03` (also `2026-3`).
    pub fn parse(s: &str) -> Result<Month, Message> {
        let bad = || Message::new("record.month");
        let (y, m) = s.trim().split_once('-').ok_or_else(bad)?;
        let (Ok(y), Ok(m)) = (y.parse::<i32>(), m.parse::<u32>()) else { return Err(bad()) };
        Month::new(y, m).ok_or_else(bad)
    }

    pub fn from_key(key: i64) -> Option<Month> {
        Month::new((key / 100) as i32, (key % 100) as u32)
    }

    pub fn key(self) -> i64 {
        i64::from(self.0)
    }

    pub fn year(self) -> i32 {
        (self.0 / 100) as i32
    }

    pub fn month(self) -> u32 {
        self.0 % 100
    }

    pub fn first_day(self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year(), self.month(), 1).unwrap_or(NaiveDate::MIN)
    }

    pub fn last_day(self) -> NaiveDate {
        let next = if self.month() == 12 {
            NaiveDate::from_ymd_opt(self.year() + 1, 1, 1)
        } else {
            NaiveDate::from_ymd_opt(self.year(), self.month() + 1, 1)
        };
        next.and_then(|d| d.pred_opt()).unwrap_or(NaiveDate::MAX)
    }

    pub fn of(d: NaiveDate) -> Month {
        Month(d.year() as u32 * 100 + d.month())
    }

    pub fn display(self) -> String {
        format!("{:02}.{}", self.month(), self.year())
    }
}

/// An amount of money in kopecks: `12345.67` or `12345,67`, never negative.
pub fn parse_money(s: &str) -> Result<i64, Message> {
    let bad = || Message::new("record.amount");
    let s = s.trim().replace(',', ".");
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    let dangling = s.ends_with('.');
    if dangling || whole.is_empty() || whole.len() > 12 || frac.len() > 2 || !digits(whole) || !digits(frac) {
        return Err(bad());
    }
    let whole: i64 = whole.parse().map_err(|_| bad())?;
    let frac: i64 = if frac.is_empty() { 0 } else { format!("{frac:0<2}").parse().map_err(|_| bad())? };
    Ok(whole * 100 + frac)
}

/// Kopecks as `12 345,67`.
pub fn money_text(kopecks: i64) -> String {
    let whole = (kopecks / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(c);
    }
    format!("{grouped},{:02}", kopecks % 100)
}

/// One row of an employer's report, checked on its own.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportRow {
    pub rnokpp: Rnokpp,
    pub month: Month,
    /// Earnings the contribution was paid on, in kopecks.
    pub wage: i64,
    /// The single social contribution paid, in kopecks.
    pub contribution: i64,
    pub kind: Activity,
    pub hired: Option<NaiveDate>,
    pub dismissed: Option<NaiveDate>,
}

/// A row's problem: the field and what is wrong.
pub type RowProblem = (&'static str, Message);

/// A CSV file's layout: its columns found by name in the header row, each
/// row then read field by field as text and checked on its own (an
/// employer's report, the pensions paid before Dossier).
pub trait TextLayout: Sized {
    type Row;

    fn from_headers<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<Self, Message>;

    /// Reads one row; every problem is named with its field.
    fn row<'a>(&self, field: impl Fn(usize) -> Option<&'a str>, today: NaiveDate)
    -> Result<Self::Row, Vec<RowProblem>>;
}

/// The report's columns, found by name in its header (any order; unknown ones refused).
#[derive(Debug, Clone, Copy)]
pub struct ReportLayout {
    rnokpp: usize,
    month: usize,
    wage: usize,
    contribution: usize,
    kind: Option<usize>,
    hired: Option<usize>,
    dismissed: Option<usize>,
}

pub const REPORT_HEADER: &str = "rnokpp,month,wage,contribution,kind,hired,dismissed";

impl TextLayout for ReportLayout {
    type Row = ReportRow;

    fn from_headers<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<ReportLayout, Message> {
        let known = ["rnokpp", "month", "wage", "contribution", "kind", "hired", "dismissed"];
        let cols = columns(names, &known, 4, REPORT_HEADER)?;
        let at = |i: usize| cols[i].unwrap_or_default();
        Ok(ReportLayout {
            rnokpp: at(0),
            month: at(1),
            wage: at(2),
            contribution: at(3),
            kind: cols[4],
            hired: cols[5],
            dismissed: cols[6],
        })
    }

    fn row<'a>(
        &self,
        field: impl Fn(usize) -> Option<&'a str>,
        today: NaiveDate,
    ) -> Result<ReportRow, Vec<RowProblem>> {
        let mut problems = Vec::new();
        let text = |i: Option<usize>| i.and_then(&field).map(str::trim).unwrap_or("");
        let rnokpp = keep(&mut problems, "rnokpp", Rnokpp::parse(text(Some(self.rnokpp))));
        let month = keep(&mut problems, "month", Month::parse(text(Some(self.month))));
        let wage = keep(&mut problems, "wage", parse_money(text(Some(self.wage))));
        let contribution = keep(&mut problems, "contribution", parse_money(text(Some(self.contribution))));
        let kind = keep(&mut problems, "kind", Activity::parse(text(self.kind)));
        let date = |name: &'static str, t: &str| -> Result<Option<NaiveDate>, Message> {
            if t.is_empty() {
                return Ok(None);
            }
            let d = crate::person::parse_date(t)?;
            match month {
                Some(m) if Month::of(d) != m => Err(Message::new("record.date_outside_month").with("field", name)),
                _ => Ok(Some(d)),
            }
        };
        let hired = keep(&mut problems, "hired", date("hired", text(self.hired)));
        let dismissed = keep(&mut problems, "dismissed", date("dismissed", text(self.dismissed)));
        if let Some(m) = month
            && m > Month::of(today)
        {
            problems.push(("month", Message::new("record.in_future")));
        }
        if let (Some(Some(h)), Some(Some(d))) = (hired, dismissed)
            && d < h
        {
            problems.push(("dismissed", Message::new("record.period_reversed")));
        }
        match (rnokpp, month, wage, contribution, kind, hired, dismissed) {
            (Some(rnokpp), Some(month), Some(wage), Some(contribution), Some(kind), Some(hired), Some(dismissed))
                if problems.is_empty() =>
            {
                Ok(ReportRow { rnokpp, month, wage, contribution, kind, hired, dismissed })
            }
            _ => Err(problems),
        }
    }
}

/// Where each of the `known` columns is in a CSV header (any order): the
/// first `required` must be there, a name not known or given twice refuses
/// the file, its message showing `expected`.
pub(crate) fn columns<'a, const N: usize>(
    names: impl IntoIterator<Item = &'a str>,
    known: &[&str; N],
    required: usize,
    expected: &str,
) -> Result<[Option<usize>; N], Message> {
    let mut cols: [Option<usize>; N] = [None; N];
    for (i, name) in names.into_iter().enumerate() {
        let name = name.trim().trim_start_matches('\u{feff}');
        let at = known
            .iter()
            .position(|k| *k == name)
            .ok_or_else(|| Message::new("record.unknown_column").with("column", name).with("expected", expected))?;
        if cols[at].replace(i).is_some() {
            return Err(Message::new("record.duplicate_column").with("column", name));
        }
    }
    if let Some(missing) = (0..required.min(N)).find(|&i| cols[i].is_none()) {
        return Err(Message::new("record.missing_column").with("column", known[missing]));
    }
    Ok(cols)
}

/// A field's value, or its problem noted.
pub(crate) fn keep<T>(problems: &mut Vec<RowProblem>, field: &'static str, r: Result<T, Message>) -> Option<T> {
    match r {
        Ok(v) => Some(v),
        Err(m) => {
            problems.push((field, m));
            None
        }
    }
}

/// An insurance period: from its first day to its last (`None`: still open).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    pub employer: EmployerCode,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    pub kind: Activity,
}

/// Why a period cannot be on the record.
pub fn check_period(from: NaiveDate, to: Option<NaiveDate>, birth: NaiveDate, today: NaiveDate) -> Result<(), Message> {
    if from < birth {
        return Err(Message::new("record.period_before_birth"));
    }
    if from > today || to.is_some_and(|t| t > today) {
        return Err(Message::new("record.in_future"));
    }
    if to.is_some_and(|t| t < from) {
        return Err(Message::new("record.period_reversed"));
    }
    Ok(())
}

/// Whether two periods share a day (an open period runs until `today`).
pub fn overlap(a: (NaiveDate, Option<NaiveDate>), b: (NaiveDate, Option<NaiveDate>), today: NaiveDate) -> bool {
    a.0 <= b.1.unwrap_or(today) && b.0 <= a.1.unwrap_or(today)
}

/// The insurance record: the days covered by any period, counted once, in
/// whole years, months and days — each stretch's calendar difference summed,
/// 30 days making a month and 12 months a year, as record is counted by hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RecordLength {
    pub years: u32,
    pub months: u32,
    pub days: u32,
}

impl RecordLength {
    pub fn of(periods: &[(NaiveDate, Option<NaiveDate>)], today: NaiveDate) -> RecordLength {
        let mut spans: Vec<(NaiveDate, NaiveDate)> =
            periods.iter().map(|(f, t)| (*f, t.unwrap_or(today).min(today))).filter(|(f, t)| f <= t).collect();
        spans.sort();
        let mut merged: Vec<(NaiveDate, NaiveDate)> = Vec::new();
        for (f, t) in spans {
            match merged.last_mut() {
                Some(last) if f <= last.1.succ_opt().unwrap_or(last.1) => last.1 = last.1.max(t),
                _ => merged.push((f, t)),
            }
        }
        let (mut y, mut m, mut d) = (0u32, 0u32, 0u32);
        for (f, t) in merged {
            let (py, pm, pd) = calendar_difference(f, t.succ_opt().unwrap_or(t));
            y += py;
            m += pm;
            d += pd;
        }
        m += d / 30;
        d %= 30;
        y += m / 12;
        m %= 12;
        RecordLength { years: y, months: m, days: d }
    }

    /// The record in months, for the calculators (a part-month counts as its days / 30).
    pub fn total_months(self) -> u32 {
        self.years * 12 + self.months
    }
}

/// Whole years, months and days from `from` up to (not including) `until`.
fn calendar_difference(from: NaiveDate, until: NaiveDate) -> (u32, u32, u32) {
    let mut months = (until.year() - from.year()) * 12 + until.month() as i32 - from.month() as i32;
    let mut days = until.day() as i32 - from.day() as i32;
    if days < 0 {
        months -= 1;
        // Days left in `from`'s month after its day, plus the days into `until`'s month.
        let anchor = from.checked_add_months(chrono::Months::new(months.max(0) as u32)).unwrap_or(from);
        days = (until - anchor).num_days() as i32;
    }
    let months = months.max(0) as u32;
    (months / 12, months % 12, days.max(0) as u32)
}

/// Earnings and contributions of one year, summed over its reported months.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct YearTotals {
    pub year: i32,
    pub months: u32,
    pub wage: i64,
    pub contribution: i64,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn edrpou_check_digits_of_known_codes() {
        // The State Treasury (37567646) and the Pension Fund of Ukraine (00035323).
        assert!(EmployerCode::parse("37567646").is_ok());
        assert!(EmployerCode::parse("00035323").is_ok());
        assert_eq!(EmployerCode::parse("37567647").unwrap_err().key, "record.employer_checksum");
        assert_eq!(EmployerCode::parse("3756764").unwrap_err().key, "record.employer_code");
        assert!(EmployerCode::parse("1759013776").is_ok(), "a sole proprietor by RNOKPP");
    }

    #[test]
    fn money_is_read_to_the_kopeck_and_never_negative() {
        assert_eq!(parse_money("12345.67"), Ok(1_234_567));
        assert_eq!(parse_money("12345,6"), Ok(1_234_560));
        assert_eq!(parse_money("8000"), Ok(800_000));
        for bad in ["", "-1", "1.234", "1e3", "12.", ".5x", "1 000"] {
            assert!(parse_money(bad).is_err(), "{bad}");
        }
        assert_eq!(money_text(123_456_789), "1\u{a0}234\u{a0}567,89");
    }

    #[test]
    fn spec_21_2_record_counts_overlapping_periods_once_in_years_months_and_days() {
        let today = d("2026-12-04");
        let one_year = [(d("2000-01-01"), Some(d("2000-12-31")))];
        assert_eq!(RecordLength::of(&one_year, today), RecordLength { years: 1, months: 0, days: 0 });
        let month = [(d("2000-01-15"), Some(d("2000-02-14")))];
        assert_eq!(RecordLength::of(&month, today), RecordLength { years: 0, months: 1, days: 0 });
        // Two jobs at once count once.
        let two = [(d("2000-01-01"), Some(d("2000-12-31"))), (d("2000-06-01"), Some(d("2001-03-31")))];
        assert_eq!(RecordLength::of(&two, today), RecordLength { years: 1, months: 3, days: 0 });
        // Days add up across stretches: 20 + 15 days = 1 month 5 days.
        let bits = [(d("2001-01-01"), Some(d("2001-01-20"))), (d("2002-01-01"), Some(d("2002-01-15")))];
        assert_eq!(RecordLength::of(&bits, today), RecordLength { years: 0, months: 1, days: 5 });
        // An open period runs until today; an adjacent one joins it.
        let open = [(d("2025-12-04"), None)];
        assert_eq!(RecordLength::of(&open, today), RecordLength { years: 1, months: 0, days: 1 });
    }

    #[test]
    fn spec_21_2_impossible_periods_are_refused() {
        let (birth, today) = (d("1980-05-01"), d("2026-12-04"));
        assert_eq!(check_period(d("1979-01-01"), None, birth, today).unwrap_err().key, "record.period_before_birth");
        assert_eq!(check_period(d("2027-01-01"), None, birth, today).unwrap_err().key, "record.in_future");
        assert_eq!(
            check_period(d("2010-01-01"), Some(d("2009-01-01")), birth, today).unwrap_err().key,
            "record.period_reversed"
        );
        assert!(check_period(d("2010-01-01"), Some(d("2012-01-01")), birth, today).is_ok());
        assert!(overlap((d("2010-01-01"), None), (d("2011-01-01"), Some(d("2011-02-01"))), today));
        assert!(!overlap((d("2010-01-01"), Some(d("2010-12-31"))), (d("2011-01-01"), None), today));
    }

    #[test]
    fn a_report_row_names_each_bad_field() {
        let layout = ReportLayout::from_headers(REPORT_HEADER.split(',')).unwrap();
        let today = d("2026-12-04");
        let row = |s: &'static str| {
            let f: Vec<&str> = s.split(',').collect();
            layout.row(|i| f.get(i).copied(), today)
        };
        let ok = row("1759013776,2026-03,20000.00,4400.00,,2026-03-02,").unwrap();
        assert_eq!((ok.wage, ok.contribution, ok.hired), (2_000_000, 440_000, Some(d("2026-03-02"))));
        let bad = row("1759013777,2027-01,-5,x,pirate,2026-02-01,").unwrap_err();
        let fields: Vec<&str> = bad.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, ["rnokpp", "wage", "contribution", "kind", "hired", "month"]);
        let reversed = row("1759013776,2026-03,1,1,,2026-03-20,2026-03-10").unwrap_err();
        assert_eq!(reversed[0].1.key, "record.period_reversed");
        assert!(ReportLayout::from_headers(["rnokpp", "month", "wage"]).is_err());
        assert!(ReportLayout::from_headers(["rnokpp", "month", "wage", "contribution", "salary"]).is_err());
    }

    fn date_strategy() -> impl Strategy<Value = NaiveDate> {
        (0i64..20_000).prop_map(|n| d("1970-01-01") + chrono::Duration::days(n))
    }

    proptest! {
        /// Adding a period never shortens the record; adding the same one twice changes nothing.
        #[test]
        fn spec_21_2_record_is_monotone_and_counts_a_repeated_period_once(
            spans in proptest::collection::vec((date_strategy(), 0i64..3000), 0..8),
            extra in (date_strategy(), 0i64..3000),
        ) {
            let today = d("2026-12-04");
            let to_period = |(f, len): (NaiveDate, i64)| (f, Some(f + chrono::Duration::days(len)));
            let periods: Vec<_> = spans.into_iter().map(to_period).collect();
            let base = RecordLength::of(&periods, today);
            let mut more = periods.clone();
            more.push(to_period(extra));
            let grown = RecordLength::of(&more, today);
            prop_assert!((grown.years, grown.months, grown.days) >= (base.years, base.months, base.days));
            let mut twice = more.clone();
            twice.push(to_period(extra));
            prop_assert_eq!(RecordLength::of(&twice, today), grown);
        }

        #[test]
        fn months_round_trip(y in 1900i32..9999, m in 1u32..=12) {
            let month = Month::new(y, m).unwrap();
            prop_assert_eq!(Month::parse(&format!("{y}-{m:02}")), Ok(month));
            prop_assert_eq!(Month::from_key(month.key()), Some(month));
            prop_assert_eq!(Month::of(month.last_day()), month);
        }
    }
}
