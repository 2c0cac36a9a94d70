//! The pension the fund pays a person: its kind, its monthly amount, the day
//! it is paid from, and where it goes. It comes into being when staff grant a
//! pension assignment (typing the amount and the first day) and changes its
//! route when they grant a delivery change; the statement of the pension's
//! kind and amount (issue 21 §5) reads it.
use chrono::{Months, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::i18n::Message;
use crate::ident::Iban;
use crate::pension::PensionKind;
use crate::record::{money_text, parse_money};

/// The largest monthly amount a clerk may type, in kopecks (1 000 000,00 ₴):
/// far above any pension, low enough to catch a slipped finger.
pub const MAX_AMOUNT: i64 = 100_000_000;

/// Law 1058, art. 45(1): a pension is paid from the day of the application,
/// or from the day the right arose when the person applied within three
/// months of it — never earlier.
pub const MONTHS_BACK: u32 = 3;

/// The monthly amount and the first day of a pension just assigned, checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Award {
    /// Kopecks, more than zero.
    pub amount: i64,
    pub since: NaiveDate,
}

/// What staff type beside a granted pension assignment.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct AwardForm {
    /// The monthly amount in hryvnias, e.g. `5123.40` or `5 123,40`.
    pub amount: String,
    /// The first day it is paid for, `YYYY-MM-DD`.
    pub since: String,
}

impl AwardForm {
    pub fn is_blank(&self) -> bool {
        self.amount.trim().is_empty() && self.since.trim().is_empty()
    }

    /// Checks both fields against the day the person applied; reports every
    /// mistake at once under `amount` and `since`.
    pub fn validate(&self, applied_on: NaiveDate) -> Result<Award, Invalid> {
        let mut errs = Invalid::default();
        let typed: String = self.amount.chars().filter(|c| !c.is_whitespace()).collect();
        let amount = errs.check("amount", check_amount(&typed));
        let earliest = applied_on.checked_sub_months(Months::new(MONTHS_BACK)).unwrap_or(applied_on);
        let since = errs.check(
            "since",
            match self.since.trim() {
                "" => Err(Message::new("common.required")),
                s => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                    .map_err(|_| Message::new("common.invalid_date"))
                    .and_then(|d| {
                        if d < earliest || d > applied_on {
                            Err(Message::new("payment.since_out_of_range")
                                .with("from", earliest.format("%d.%m.%Y").to_string())
                                .with("to", applied_on.format("%d.%m.%Y").to_string()))
                        } else {
                            Ok(d)
                        }
                    }),
            },
        );
        errs.into_result()?;
        match (amount, since) {
            (Some(amount), Some(since)) => Ok(Award { amount, since }),
            _ => Err(Invalid::one("amount", "common.required")),
        }
    }
}

fn check_amount(typed: &str) -> Result<i64, Message> {
    match parse_money(typed) {
        _ if typed.is_empty() => Err(Message::new("common.required")),
        Ok(0) => Err(Message::new("payment.amount_zero")),
        Ok(k) if k > MAX_AMOUNT => Err(Message::new("payment.amount_too_large").with("max", money_text(MAX_AMOUNT))),
        other => other,
    }
}

/// Where the pension is paid.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Delivery {
    /// To the person's current account in a Ukrainian bank.
    Bank { iban: Iban },
    /// Delivered by the post office of this postcode to this address.
    Post { postcode: String, address: String },
}

impl Delivery {
    /// The delivery in words, for the statement and pages.
    pub fn message(&self) -> Message {
        match self {
            Delivery::Bank { iban } => Message::new("e_application.delivery.bank").with("iban", iban.grouped()),
            Delivery::Post { postcode, address } => Message::new("e_application.delivery.post")
                .with("postcode", postcode.as_str())
                .with("address", address.as_str()),
        }
    }
}

/// The pension a person is paid, as the fund keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Pension {
    pub kind: PensionKind,
    /// The monthly amount, in kopecks.
    pub amount: i64,
    /// Paid for the days from this one.
    pub since: NaiveDate,
    pub delivery: Delivery,
    /// The route has been this one since this day.
    pub delivery_since: NaiveDate,
}

/// What a granted e-application does to the pension in payment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PensionChange {
    /// A pension assignment: this pension is paid from now on (it replaces
    /// one of another kind the person had).
    Assign(Pension),
    /// A delivery change: the same pension, paid this way from `since`.
    Deliver { delivery: Delivery, since: NaiveDate },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn form(amount: &str, since: &str) -> AwardForm {
        AwardForm { amount: amount.into(), since: since.into() }
    }

    fn fields(e: Invalid) -> Vec<(String, String)> {
        e.0.into_iter().map(|f| (f.field, f.message.key.to_owned())).collect()
    }

    #[test]
    fn law_1058_art_45_a_pension_is_paid_from_the_application_day_or_up_to_three_months_before() {
        let applied = day("2026-11-30");
        assert_eq!(form("5123,40", "2026-11-30").validate(applied).unwrap().since, applied);
        assert_eq!(form("5123,40", "2026-08-30").validate(applied).unwrap().since, day("2026-08-30"));
        for too_early_or_late in ["2026-08-29", "2026-12-01"] {
            let e = form("5123,40", too_early_or_late).validate(applied).unwrap_err();
            assert_eq!(fields(e), [("since".into(), "payment.since_out_of_range".into())], "{too_early_or_late}");
        }
        // Three months before the 31st of May is the last day of February.
        assert!(form("1", "2026-02-28").validate(day("2026-05-31")).is_ok());
        assert!(form("1", "2026-02-27").validate(day("2026-05-31")).is_err());
    }

    #[test]
    fn the_amount_is_read_to_the_kopeck_with_spaces_between_thousands() {
        let applied = day("2026-11-30");
        assert_eq!(form("5 123,40", "2026-11-30").validate(applied).unwrap().amount, 512_340);
        assert_eq!(form("5\u{a0}123.4", "2026-11-30").validate(applied).unwrap().amount, 512_340);
        assert_eq!(form("1000000", "2026-11-30").validate(applied).unwrap().amount, MAX_AMOUNT);
    }

    #[test]
    fn every_mistake_is_named_at_once() {
        let applied = day("2026-11-30");
        let cases = [
            (form("", ""), vec![("amount", "common.required"), ("since", "common.required")]),
            (form("0", "30.11.2026"), vec![("amount", "payment.amount_zero"), ("since", "common.invalid_date")]),
            (form("-5", "2026-11-30"), vec![("amount", "record.amount")]),
            (form("1000000.01", "2026-11-30"), vec![("amount", "payment.amount_too_large")]),
            (form("12,345", "2026-11-30"), vec![("amount", "record.amount")]),
        ];
        for (f, want) in cases {
            let got = fields(f.validate(applied).unwrap_err());
            let want: Vec<(String, String)> = want.into_iter().map(|(a, b)| (a.into(), b.into())).collect();
            assert_eq!(got, want, "{f:?}");
        }
        assert!(form(" ", "").is_blank() && !form("1", "").is_blank());
    }
}
