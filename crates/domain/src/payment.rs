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
use crate::ident::{Iban, Rnokpp};
use crate::pension::PensionKind;
use crate::record::{RowProblem, TextLayout, columns, keep, money_text, parse_money};

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

/// Longest post address.
pub const MAX_ADDRESS: usize = 300;

impl Delivery {
    /// A route from a form's or a file's fields: `bank` with a Ukrainian
    /// IBAN, or `post` with a five-digit postcode and an address; every
    /// problem is named with its field.
    pub fn from_fields(method: &str, iban: &str, postcode: &str, address: &str) -> Result<Delivery, Vec<RowProblem>> {
        match method.trim() {
            "bank" => match Iban::parse(iban) {
                Ok(iban) if iban.country() == "UA" => Ok(Delivery::Bank { iban }),
                Ok(_) => Err(vec![("iban", Message::new("iban.not_ua"))]),
                Err(m) => Err(vec![("iban", m)]),
            },
            "post" => {
                let (postcode, address) = (postcode.trim(), address.trim());
                let mut problems = Vec::new();
                if postcode.len() != 5 || !postcode.bytes().all(|b| b.is_ascii_digit()) {
                    problems.push(("postcode", Message::new("e_application.postcode")));
                }
                if address.is_empty() {
                    problems.push(("address", Message::new("common.required")));
                } else if address.chars().count() > MAX_ADDRESS {
                    problems.push(("address", Message::new("common.too_long").with("max", MAX_ADDRESS as i64)));
                } else if let Err(m) = crate::text::printable(address) {
                    problems.push(("address", m));
                }
                match problems.is_empty() {
                    true => Ok(Delivery::Post { postcode: postcode.to_owned(), address: address.to_owned() }),
                    false => Err(problems),
                }
            }
            _ => Err(vec![("delivery", Message::new("e_application.delivery_required"))]),
        }
    }

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

/// The columns of a file of pensions the fund paid before Dossier (moved
/// over from its previous system): whose, which, how much a month, paid for
/// the days from, and where it goes (since `delivery_since`, by default
/// `since`).
pub const PAID_HEADER: &str = "rnokpp,kind,amount,since,delivery,iban,postcode,address,delivery_since";
const PAID_COLUMNS: [&str; 9] =
    ["rnokpp", "kind", "amount", "since", "delivery", "iban", "postcode", "address", "delivery_since"];

/// A pensions-paid file's columns, found by name in its header.
#[derive(Debug, Clone, Copy)]
pub struct PaidLayout([Option<usize>; 9]);

/// One pension read from the file, checked on its own; whether the person
/// is on the registry and born before `since` is the store's to say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaidRow {
    pub rnokpp: Rnokpp,
    pub pension: Pension,
}

impl TextLayout for PaidLayout {
    type Row = PaidRow;

    fn from_headers<'a>(names: impl IntoIterator<Item = &'a str>) -> Result<PaidLayout, Message> {
        Ok(PaidLayout(columns(names, &PAID_COLUMNS, 5, PAID_HEADER)?))
    }

    fn row<'a>(&self, field: impl Fn(usize) -> Option<&'a str>, today: NaiveDate) -> Result<PaidRow, Vec<RowProblem>> {
        let text = |i: usize| self.0[i].and_then(&field).map(str::trim).unwrap_or("");
        let mut problems = Vec::new();
        let rnokpp = keep(&mut problems, "rnokpp", Rnokpp::parse(text(0)));
        let kind = keep(&mut problems, "kind", PensionKind::parse(text(1)));
        let typed: String = text(2).chars().filter(|c| !c.is_whitespace()).collect();
        let amount = keep(&mut problems, "amount", check_amount(&typed));
        let day = |t: &str| match t {
            "" => Err(Message::new("common.required")),
            t => crate::person::parse_date(t)
                .and_then(|d| if d > today { Err(Message::new("record.in_future")) } else { Ok(d) }),
        };
        let since = keep(&mut problems, "since", day(text(3)));
        let delivery = match Delivery::from_fields(text(4), text(5), text(6), text(7)) {
            Ok(d) => Some(d),
            Err(mut p) => {
                problems.append(&mut p);
                None
            }
        };
        let delivery_since = match text(8) {
            "" => since,
            t => keep(&mut problems, "delivery_since", day(t)),
        };
        if let (Some(since), Some(route)) = (since, delivery_since)
            && route < since
        {
            problems.push(("delivery_since", Message::new("record.period_reversed")));
        }
        match (rnokpp, kind, amount, since, delivery, delivery_since) {
            (Some(rnokpp), Some(kind), Some(amount), Some(since), Some(delivery), Some(delivery_since))
                if problems.is_empty() =>
            {
                Ok(PaidRow { rnokpp, pension: Pension { kind, amount, since, delivery, delivery_since } })
            }
            _ => Err(problems),
        }
    }
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

    fn paid(line: &str) -> Result<PaidRow, Vec<&'static str>> {
        let layout = PaidLayout::from_headers(PAID_HEADER.split(',')).unwrap();
        let f: Vec<&str> = line.split(',').collect();
        layout.row(|i| f.get(i).copied(), day("2026-12-06")).map_err(|p| p.into_iter().map(|(f, _)| f).collect())
    }

    #[test]
    fn a_pension_paid_before_dossier_is_read_with_its_route() {
        let bank = paid("1759013776,old_age,5 123.40,2019-03-01,bank,UA213223130000026007233566001,,,").unwrap();
        assert_eq!(bank.rnokpp.as_str(), "1759013776");
        assert_eq!((bank.pension.amount, bank.pension.since), (512_340, day("2019-03-01")));
        assert_eq!(bank.pension.delivery_since, day("2019-03-01"), "the route defaults to the pension's first day");
        let post = paid("1759013776,old_age,4100,01.07.2015,post,,01001,вул. Хрещатик 1,2020-01-15").unwrap();
        assert_eq!(
            post.pension.delivery,
            Delivery::Post { postcode: "01001".into(), address: "вул. Хрещатик 1".into() }
        );
        assert_eq!(post.pension.delivery_since, day("2020-01-15"));
        assert_eq!(PAID_HEADER, PAID_COLUMNS.join(","));
    }

    #[test]
    fn every_mistake_in_a_paid_pension_row_is_named() {
        assert_eq!(
            paid("1759013777,pirate,0,2027-01-01,bank,DE89370400440532013000,,,").unwrap_err(),
            ["rnokpp", "kind", "amount", "since", "iban"]
        );
        assert_eq!(paid("1759013776,old_age,100,,post,1001,,,").unwrap_err(), ["since", "postcode", "address"]);
        assert_eq!(paid("1759013776,old_age,100,2020-01-01,cheque,,,,").unwrap_err(), ["delivery"]);
        assert_eq!(
            paid("1759013776,old_age,100,2020-01-01,bank,UA213223130000026007233566001,,,2019-12-31").unwrap_err(),
            ["delivery_since"]
        );
        // A header without a required column, or with one not known, refuses the file.
        assert!(PaidLayout::from_headers(["rnokpp", "kind", "amount", "since"]).is_err());
        assert!(PaidLayout::from_headers(["rnokpp", "kind", "amount", "since", "delivery", "bic"]).is_err());
    }

    proptest::proptest! {
        /// Whatever a file holds, a row is read or refused with named
        /// problems, never a panic; what is read is within bounds.
        #[test]
        fn spec_21_5_any_paid_row_is_read_or_refused_never_a_panic(
            fields in proptest::collection::vec("[0-9A-Za-zА-я ,.\\-]{0,40}", 0..10),
        ) {
            let layout = PaidLayout::from_headers(PAID_HEADER.split(',')).unwrap();
            match layout.row(|i| fields.get(i).map(String::as_str), day("2026-12-06")) {
                Ok(r) => proptest::prop_assert!(
                    r.pension.amount > 0 && r.pension.amount <= MAX_AMOUNT && r.pension.since <= r.pension.delivery_since
                ),
                Err(problems) => proptest::prop_assert!(!problems.is_empty()),
            }
        }

        /// A pension written the way the fund's old system would is read back as it was.
        #[test]
        fn spec_21_5_a_paid_row_round_trips(kopecks in 1i64..=MAX_AMOUNT, days in 0i64..20_000, later in 0i64..3_000) {
            let since = day("1970-01-01") + chrono::Duration::days(days);
            let route = (since + chrono::Duration::days(later)).min(day("2026-12-06"));
            let line = format!(
                "1759013776,old_age,{} {:03}.{:02},{since},bank,UA213223130000026007233566001,,,{route}",
                kopecks / 100_000,
                kopecks / 100 % 1000,
                kopecks % 100
            );
            let row = paid(&line).unwrap();
            proptest::prop_assert_eq!((row.pension.amount, row.pension.since, row.pension.delivery_since), (kopecks, since, route.max(since)));
        }
    }
}
