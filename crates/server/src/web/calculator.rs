//! The public pension calculator: a citizen on a phone types their record
//! and reads their estimate; every what-if (a wage, a later claim) answers at
//! once — `static/calculator.js` posts the form as it changes and swaps in the
//! result the server rendered, and without JavaScript the button does the
//! same. No sign-in; the same use cases as `POST /api/v1/calculator/…`.
use std::str::FromStr;

use askama::Template;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use dossier_app::calculator;
use dossier_domain::calculator::{Decimal, YearsMonths, russia, ukraine};
use dossier_domain::person::Sex;
use dossier_domain::{FieldError, Lang, Message};
use dossier_http::ReqLang;
use serde::Deserialize;

use super::form::{Field, Opt, Section, SummaryItem, apply_errors};
use super::status::no_store;
use super::view::{Ctx, date, html};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Country {
    Ukraine,
    Russia,
}

impl Country {
    fn code(self) -> &'static str {
        match self {
            Country::Ukraine => "ukraine",
            Country::Russia => "russia",
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Which {
    country: String,
}

impl Which {
    fn country(&self) -> Country {
        if self.country == "russia" { Country::Russia } else { Country::Ukraine }
    }
}

/// The form as typed: every figure a string until it is checked.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CalcForm {
    sex: String,
    birth_date: String,
    record_years: String,
    record_months: String,
    wage_coefficient: String,
    points: String,
    monthly_wage: String,
    retire_at_age: String,
}

/// One line of the result: what, and how much.
pub struct Line {
    pub label: String,
    pub value: String,
}

pub struct Outcome {
    pub amount: String,
    pub eligible: bool,
    pub problems: Vec<String>,
    pub lines: Vec<Line>,
    pub note: Option<String>,
}

#[derive(Template)]
#[template(path = "calculator.html")]
struct CalculatorPage {
    t: Ctx,
    country: &'static str,
    summary: Vec<SummaryItem>,
    sections: Vec<Section>,
    outcome: Option<Outcome>,
}

fn page(lang: Lang, country: Country, form: &CalcForm) -> CalculatorPage {
    let t = Ctx::anonymous(lang, &format!("/calculator?country={}", country.code()));
    let number = |name: &str, label: &str, value: &str| {
        Field::text("c-", name, t.t(label), value).inputmode("decimal").autocomplete("off").maxlength(12)
    };
    let birth = Field::date("c-", "birth_date", t.t("ui.calculator.birth_date"), form.birth_date.as_str())
        .required()
        .autocomplete("bday");
    let record = match country {
        Country::Ukraine => vec![
            number("record_years", "ui.calculator.record_years", &form.record_years).required().inputmode("numeric"),
            number("record_months", "ui.calculator.record_months", &form.record_months).inputmode("numeric"),
            number("wage_coefficient", "ui.calculator.wage_coefficient", &form.wage_coefficient)
                .required()
                .hint(t.t("ui.calculator.wage_coefficient_hint")),
        ],
        Country::Russia => vec![
            Field::radio(
                "c-",
                "sex",
                t.t("ui.calculator.sex"),
                [Sex::Male, Sex::Female]
                    .iter()
                    .map(|s| Opt::new(s.as_str(), s.message().render(lang), &form.sex))
                    .collect(),
            )
            .required(),
            number("points", "ui.calculator.points", &form.points).required().hint(t.t("ui.calculator.points_hint")),
            number("record_years", "ui.calculator.record_years", &form.record_years).required().inputmode("numeric"),
        ],
    };
    let mut about = vec![birth];
    about.extend(record);
    let what_if = vec![
        number("monthly_wage", "ui.calculator.monthly_wage", &form.monthly_wage).hint(t.t(
            if country == Country::Ukraine { "ui.calculator.wage_hint_uah" } else { "ui.calculator.wage_hint_rub" },
        )),
        number("retire_at_age", "ui.calculator.retire_at_age", &form.retire_at_age)
            .inputmode("numeric")
            .hint(t.t("ui.calculator.retire_at_age_hint")),
    ];
    CalculatorPage {
        sections: vec![
            Section::new("c-about", t.t("ui.calculator.about_you"), about),
            Section::new("c-what-if", t.t("ui.calculator.what_if"), what_if),
        ],
        t,
        country: country.code(),
        summary: vec![],
        outcome: None,
    }
}

/// `GET /calculator` — the empty form.
pub async fn form(ReqLang(lang): ReqLang, Query(which): Query<Which>) -> Response {
    no_store(html(StatusCode::OK, &page(lang, which.country(), &CalcForm::default())))
}

/// `POST /calculator` — the estimate, or what to fix.
pub async fn calculate(ReqLang(lang): ReqLang, Query(which): Query<Which>, Form(form): Form<CalcForm>) -> Response {
    let country = which.country();
    let mut p = page(lang, country, &form);
    let today = Utc::now().date_naive();
    let result = match country {
        Country::Ukraine => ukraine_input(&form)
            .and_then(|i| calculator::ukraine(&i, today).map_err(|e| e.fields).map(|e| ukraine_outcome(&e, lang))),
        Country::Russia => russia_input(&form)
            .and_then(|i| calculator::russia(&i, today).map_err(|e| e.fields).map(|e| russia_outcome(&e, lang))),
    };
    let status = match result {
        Ok(outcome) => {
            p.outcome = Some(outcome);
            StatusCode::OK
        }
        Err(errors) => {
            p.summary = apply_errors(&mut p.sections, &errors, lang);
            StatusCode::UNPROCESSABLE_ENTITY
        }
    };
    no_store(html(status, &p))
}

/// Reads the typed figures, every problem at once.
struct Reader {
    errors: Vec<FieldError>,
}

impl Reader {
    fn parse<T: FromStr>(&mut self, field: &str, text: &str, required: bool) -> Option<T> {
        // A comma is the decimal sign in Ukrainian and Russian; spaces group digits.
        let cleaned: String = text.trim().replace(',', ".").chars().filter(|c| !c.is_whitespace()).collect();
        if cleaned.is_empty() {
            if required {
                self.errors.push(FieldError::new(field, "common.required"));
            }
            return None;
        }
        let parsed = cleaned.parse::<T>().ok();
        if parsed.is_none() {
            self.errors.push(FieldError::new(field, "calculator.not_a_number"));
        }
        parsed
    }

    fn date(&mut self, field: &str, text: &str) -> Option<NaiveDate> {
        if text.trim().is_empty() {
            self.errors.push(FieldError::new(field, "common.required"));
            return None;
        }
        let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok();
        if d.is_none() {
            self.errors.push(FieldError::new(field, "common.invalid_date"));
        }
        d
    }

    fn done<T>(self, value: Option<T>) -> Result<T, Vec<FieldError>> {
        match value {
            Some(v) if self.errors.is_empty() => Ok(v),
            _ => Err(self.errors),
        }
    }
}

fn ukraine_input(f: &CalcForm) -> Result<ukraine::Input, Vec<FieldError>> {
    let mut r = Reader { errors: vec![] };
    let birth_date = r.date("birth_date", &f.birth_date);
    let years: Option<u32> = r.parse("record_years", &f.record_years, true);
    let months: Option<u32> = r.parse("record_months", &f.record_months, false);
    let wage_coefficient: Option<Decimal> = r.parse("wage_coefficient", &f.wage_coefficient, true);
    let monthly_wage: Option<Decimal> = r.parse("monthly_wage", &f.monthly_wage, false);
    let retire_at_age: Option<u32> = r.parse("retire_at_age", &f.retire_at_age, false);
    if months.is_some_and(|m| m > 11) {
        r.errors
            .push(FieldError::new("record_months", Message::new("common.out_of_range").with("min", 0).with("max", 11)));
    }
    let input = match (birth_date, years, wage_coefficient) {
        (Some(birth_date), Some(years), Some(wage_coefficient)) => Some(ukraine::Input {
            birth_date,
            record_months: years.saturating_mul(12).saturating_add(months.unwrap_or(0)),
            wage_coefficient,
            wage_months: None,
            monthly_wage: monthly_wage.unwrap_or_default(),
            retire_at_age,
        }),
        _ => None,
    };
    r.done(input)
}

fn russia_input(f: &CalcForm) -> Result<russia::Input, Vec<FieldError>> {
    let mut r = Reader { errors: vec![] };
    let sex = match Sex::parse(&f.sex) {
        Ok(s) => Some(s),
        Err(m) => {
            r.errors.push(FieldError::new("sex", m));
            None
        }
    };
    let birth_date = r.date("birth_date", &f.birth_date);
    let points: Option<Decimal> = r.parse("points", &f.points, true);
    let record_years: Option<u32> = r.parse("record_years", &f.record_years, true);
    let monthly_wage: Option<Decimal> = r.parse("monthly_wage", &f.monthly_wage, false);
    let retire_at_age: Option<u32> = r.parse("retire_at_age", &f.retire_at_age, false);
    let input = match (sex, birth_date, points, record_years) {
        (Some(sex), Some(birth_date), Some(points), Some(record_years)) => Some(russia::Input {
            sex,
            birth_date,
            points,
            record_years,
            monthly_wage: monthly_wage.unwrap_or_default(),
            retire_at_age,
        }),
        _ => None,
    };
    r.done(input)
}

/// A sum of money as the country writes it: groups of three, a comma before kopecks.
fn money(d: Decimal, currency: &str) -> String {
    let text = format!("{:.2}", d);
    let (whole, cents) = text.split_once('.').unwrap_or((&text, "00"));
    let digits: Vec<char> = whole.chars().collect();
    let mut grouped = String::new();
    for (i, c) in digits.iter().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{a0}');
        }
        grouped.push(*c);
    }
    format!("{grouped},{cents}\u{a0}{currency}")
}

/// A coefficient to the five decimals the law keeps, with a decimal comma.
fn coefficient(d: Decimal) -> String {
    format!("{d:.5}").replace('.', ",")
}

fn span(lang: Lang, ym: YearsMonths) -> String {
    Message::new("ui.calculator.years_months").with("years", ym.years).with("months", ym.months).render(lang)
}

fn line(lang: Lang, key: &'static str, value: String) -> Line {
    Line { label: Message::new(key).render(lang), value }
}

fn ukraine_outcome(e: &ukraine::Estimate, lang: Lang) -> Outcome {
    let mut lines = vec![
        line(
            lang,
            "ui.calculator.retirement",
            format!("{} ({})", date(e.retirement_date), span(lang, e.retirement_age)),
        ),
        line(lang, "ui.calculator.record", span(lang, e.record)),
        line(lang, "ui.calculator.record_coefficient", coefficient(e.record_coefficient)),
        line(lang, "ui.calculator.wage_coefficient", coefficient(e.wage_coefficient)),
        line(lang, "ui.calculator.average_wage", money(e.average_wage, "грн")),
    ];
    if let Some(age) = e.earliest_age {
        lines.insert(0, line(lang, "ui.calculator.earliest_age", age.to_string()));
    }
    let note = e
        .average_wage_estimated
        .then(|| Message::new("ui.calculator.average_wage_of").with("year", e.average_wage_year).render(lang));
    Outcome {
        amount: money(e.amount, "грн"),
        eligible: e.eligible,
        problems: e.problems.iter().map(|m| m.render(lang)).collect(),
        lines,
        note,
    }
}

fn russia_outcome(e: &russia::Estimate, lang: Lang) -> Outcome {
    let mut lines = vec![
        line(lang, "ui.calculator.general_age", span(lang, e.general_age)),
        line(
            lang,
            "ui.calculator.retirement",
            format!("{} ({})", date(e.retirement_date), span(lang, e.retirement_age)),
        ),
        line(lang, "ui.calculator.points_total", e.points.to_string().replace('.', ",")),
        line(lang, "ui.calculator.record_years_total", e.record_years.to_string()),
        line(lang, "ui.calculator.point_value", money(e.point_value, "₽")),
        line(lang, "ui.calculator.fixed_payment", money(e.fixed_payment, "₽")),
    ];
    if e.deferred_years > 0 {
        lines.push(line(
            lang,
            "ui.calculator.premium",
            format!("{} × {} / {}", e.deferred_years, e.fixed_payment_premium, e.points_premium).replace('.', ","),
        ));
    }
    if e.fixed_payment_doubled {
        lines.push(line(lang, "ui.calculator.doubled", String::new()));
    }
    Outcome {
        amount: money(e.amount, "₽"),
        eligible: e.eligible,
        problems: e.problems.iter().map(|m| m.render(lang)).collect(),
        lines,
        note: Some(Message::new("ui.calculator.values_of").with("date", date(e.values_from)).render(lang)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_grouped_by_thousands_with_a_decimal_comma() {
        assert_eq!(money("25260.69".parse().unwrap(), "₽"), "25\u{a0}260,69\u{a0}₽");
        assert_eq!(money("6323.98".parse().unwrap(), "грн"), "6\u{a0}323,98\u{a0}грн");
        assert_eq!(money("0".parse().unwrap(), "грн"), "0,00\u{a0}грн");
    }

    #[test]
    fn typed_figures_take_a_comma_and_spaces_and_every_problem_is_reported() {
        let f = CalcForm {
            birth_date: "1965-05-10".into(),
            record_years: "35".into(),
            wage_coefficient: "1,2".into(),
            monthly_wage: "20 000".into(),
            ..Default::default()
        };
        let i = ukraine_input(&f).unwrap();
        assert_eq!((i.record_months, i.wage_coefficient), (420, "1.2".parse().unwrap()));
        assert_eq!(i.monthly_wage, Decimal::from(20_000));
        let bad = CalcForm { birth_date: "10.05.1965".into(), record_years: "x".into(), ..Default::default() };
        let errors = ukraine_input(&bad).unwrap_err();
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["birth_date", "record_years", "wage_coefficient"]);
    }
}
