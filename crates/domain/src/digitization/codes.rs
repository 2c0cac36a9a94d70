//! The codes a digitized paper carries (SPEC §2.5, §9).
//!
//! A **dossier code** (Circular 01/2018/TT-VPCP art. 19) names the case the
//! paper came in with: `<agency code>-YYMMDD-NNNN`, the agency's code in the
//! national identifier standard (`000.00.31.H29`), the day of receipt and
//! that day's sequence at the agency (0001–9999; the store hands them out).
//! A **digitization-result code** names one digitized document of the
//! dossier. Its national format is not public, so it is a configured scheme
//! ([`ResultCodeScheme`]) that must contain the dossier code and the
//! document's ordinal — so a code can never be made twice for two documents.
use std::fmt;

use chrono::NaiveDate;

use crate::i18n::Message;
use crate::ident::string_newtype;

/// An agency's code in the national identifier standard: `DDD.DD.DD.LDD`
/// (three groups of digits, then a letter and two digits), e.g.
/// `000.00.31.H29`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AgencyCode(String);
string_newtype!(
    AgencyCode,
    "^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}$",
    "An agency's code in the national identifier standard, e.g. 000.00.31.H29."
);

impl AgencyCode {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        let groups: Vec<&str> = s.split('.').collect();
        let digits = |g: &str, n: usize| g.len() == n && g.bytes().all(|b| b.is_ascii_digit());
        let ok = groups.len() == 4
            && digits(groups[0], 3)
            && digits(groups[1], 2)
            && digits(groups[2], 2)
            && groups[3].len() == 3
            && groups[3].as_bytes()[0].is_ascii_uppercase()
            && digits(&groups[3][1..], 2);
        if !ok {
            return Err(Message::new("digitization.agency_code"));
        }
        Ok(AgencyCode(s.to_owned()))
    }
}

/// A dossier's daily sequence at its agency: 1–9999.
pub const MAX_DAILY_SEQUENCE: u32 = 9999;

/// Every dossier code is this long: 13 + `-YYMMDD` + `-NNNN`.
const DOSSIER_CODE_LEN: usize = 25;

/// `<agency code>-YYMMDD-NNNN`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DossierCode {
    agency: AgencyCode,
    received: NaiveDate,
    sequence: u32,
}

impl DossierCode {
    /// The code of the `sequence`-th dossier `agency` received on `received`;
    /// `None` past the day's 9 999th or for a date the code cannot write
    /// (years outside 2000–2099).
    pub fn new(agency: AgencyCode, received: NaiveDate, sequence: u32) -> Option<DossierCode> {
        use chrono::Datelike;
        let year_fits = (2000..=2099).contains(&received.year());
        (year_fits && (1..=MAX_DAILY_SEQUENCE).contains(&sequence)).then_some(DossierCode {
            agency,
            received,
            sequence,
        })
    }

    pub fn parse(input: &str) -> Result<DossierCode, Message> {
        let bad = || Message::new("digitization.dossier_code");
        let s = input.trim();
        // The agency code has no '-', so the last two '-' separate the date and the sequence.
        let mut parts = s.rsplitn(3, '-');
        let (Some(seq), Some(day), Some(agency)) = (parts.next(), parts.next(), parts.next()) else {
            return Err(bad());
        };
        let agency = AgencyCode::parse(agency).map_err(|_| bad())?;
        if day.len() != 6 || !day.bytes().all(|b| b.is_ascii_digit()) || seq.len() != 4 {
            return Err(bad());
        }
        let received = NaiveDate::parse_from_str(&format!("20{day}"), "%Y%m%d").map_err(|_| bad())?;
        let sequence: u32 = seq.parse().map_err(|_| bad())?;
        DossierCode::new(agency, received, sequence).ok_or_else(bad)
    }

    pub fn agency(&self) -> &AgencyCode {
        &self.agency
    }

    pub fn received(&self) -> NaiveDate {
        self.received
    }

    pub fn sequence(&self) -> u32 {
        self.sequence
    }
}

impl serde::Serialize for DossierCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl schemars::JsonSchema for DossierCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "DossierCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{3}\\.[0-9]{2}\\.[0-9]{2}\\.[A-Z][0-9]{2}-[0-9]{6}-[0-9]{4}$",
            "description": "A dossier code: the agency code, the day of receipt (YYMMDD), the day's number."
        })
    }
}

impl fmt::Display for DossierCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{}-{:04}", self.agency, self.received.format("%y%m%d"), self.sequence)
    }
}

/// How a digitization-result code is written: text with `{dossier}` (the
/// dossier code) and `{n}` or `{n:W}` (the document's ordinal in the
/// dossier, zero-padded to W digits, 1–4), and otherwise only letters,
/// digits, `.`, `-` and `_`. Default `{dossier}.KQ{n:2}`
/// (`000.00.31.H29-230405-0007.KQ01`; "KQ" for *kết quả*, result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultCodeScheme {
    parts: Vec<Part>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Part {
    Text(String),
    Dossier,
    Ordinal { width: usize },
}

/// A result code longer than this is refused (it is printed on receipts and in QR codes).
pub const MAX_RESULT_CODE_LEN: usize = 64;

impl ResultCodeScheme {
    pub const DEFAULT: &'static str = "{dossier}.KQ{n:2}";

    pub fn parse(input: &str) -> Result<ResultCodeScheme, Message> {
        let bad = Message::new;
        let mut parts = vec![];
        let mut rest = input.trim();
        while !rest.is_empty() {
            if let Some(after) = rest.strip_prefix('{') {
                let end = after.find('}').ok_or_else(|| bad("digitization.result_scheme_unclosed"))?;
                let part = match &after[..end] {
                    "dossier" => Part::Dossier,
                    "n" => Part::Ordinal { width: 1 },
                    p => match p.strip_prefix("n:").and_then(|w| w.parse::<usize>().ok()) {
                        Some(width @ 1..=4) => Part::Ordinal { width },
                        _ => return Err(bad("digitization.result_scheme_placeholder")),
                    },
                };
                parts.push(part);
                rest = &after[end + 1..];
            } else {
                let end = rest.find('{').unwrap_or(rest.len());
                let text = &rest[..end];
                if !text.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_')) {
                    return Err(bad("digitization.result_scheme_characters"));
                }
                parts.push(Part::Text(text.to_owned()));
                rest = &rest[end..];
            }
        }
        let count = |f: fn(&Part) -> bool| parts.iter().filter(|p| f(p)).count();
        if count(|p| matches!(p, Part::Dossier)) != 1 || count(|p| matches!(p, Part::Ordinal { .. })) != 1 {
            return Err(bad("digitization.result_scheme_once"));
        }
        let scheme = ResultCodeScheme { parts };
        // The longest code it can write: a dossier code (25 characters) and a four-digit ordinal.
        if scheme.render_len(DOSSIER_CODE_LEN, 4) > MAX_RESULT_CODE_LEN {
            return Err(bad("digitization.result_scheme_length"));
        }
        Ok(scheme)
    }

    fn render_len(&self, dossier: usize, ordinal: usize) -> usize {
        self.parts
            .iter()
            .map(|p| match p {
                Part::Text(t) => t.len(),
                Part::Dossier => dossier,
                Part::Ordinal { width } => ordinal.max(*width),
            })
            .sum()
    }

    /// The code of the `n`-th document (from 1) of `dossier`; `None` past
    /// 9 999 documents.
    pub fn code(&self, dossier: &DossierCode, n: u32) -> Option<String> {
        if !(1..=MAX_DAILY_SEQUENCE).contains(&n) {
            return None;
        }
        let mut s = String::with_capacity(MAX_RESULT_CODE_LEN);
        for p in &self.parts {
            match p {
                Part::Text(t) => s.push_str(t),
                Part::Dossier => s.push_str(&dossier.to_string()),
                Part::Ordinal { width } => s.push_str(&format!("{n:0width$}")),
            }
        }
        Some(s)
    }
}

impl Default for ResultCodeScheme {
    fn default() -> Self {
        ResultCodeScheme::parse(ResultCodeScheme::DEFAULT).expect("the default scheme is valid")
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a date")
    }

    fn agency() -> AgencyCode {
        AgencyCode::parse("000.00.31.H29").expect("valid")
    }

    #[test]
    fn spec_9_dossier_code_is_agency_code_yymmdd_and_a_four_digit_daily_sequence() {
        let code = DossierCode::new(agency(), day(2023, 4, 5), 7).expect("in range");
        assert_eq!(code.to_string(), "000.00.31.H29-230405-0007");
        assert_eq!(DossierCode::parse("000.00.31.H29-230405-0007"), Ok(code));
        assert!(DossierCode::new(agency(), day(2023, 4, 5), 0).is_none());
        assert!(DossierCode::new(agency(), day(2023, 4, 5), 10_000).is_none(), "four digits a day");
        assert!(DossierCode::new(agency(), day(2100, 1, 1), 1).is_none(), "YY cannot write 2100");
    }

    #[test]
    fn spec_9_agency_code_follows_the_national_identifier_standard() {
        for ok in ["000.00.31.H29", "000.00.12.H56", "000.00.00.G12"] {
            assert_eq!(AgencyCode::parse(ok).expect(ok).as_str(), ok);
        }
        for bad in ["", "000.00.31", "000.00.31.h29", "000.00.31.H2", "00.00.31.H29", "000-00-31-H29", "000.00.3A.H29"]
        {
            assert_eq!(AgencyCode::parse(bad).unwrap_err().key, "digitization.agency_code", "{bad}");
        }
    }

    #[test]
    fn malformed_dossier_codes_are_refused() {
        for bad in [
            "",
            "000.00.31.H29-230405-007",
            "000.00.31.H29-230431-0007",
            "000.00.31.H29-2304050-0007",
            "000.00.31.H29-230405-0000",
            "000.00.31.H29230405-0007",
            "H29-230405-0007",
            "000.00.31.H29-230405-00a7",
        ] {
            assert_eq!(DossierCode::parse(bad).unwrap_err().key, "digitization.dossier_code", "{bad}");
        }
    }

    #[test]
    fn result_codes_follow_the_configured_scheme() {
        let dossier = DossierCode::new(agency(), day(2023, 4, 5), 7).expect("in range");
        let default = ResultCodeScheme::default();
        assert_eq!(default.code(&dossier, 1).as_deref(), Some("000.00.31.H29-230405-0007.KQ01"));
        assert_eq!(default.code(&dossier, 123).as_deref(), Some("000.00.31.H29-230405-0007.KQ123"));
        assert_eq!(default.code(&dossier, 0), None);
        let own = ResultCodeScheme::parse("SH_{n:3}-{dossier}").expect("valid");
        assert_eq!(own.code(&dossier, 2).as_deref(), Some("SH_002-000.00.31.H29-230405-0007"));
    }

    #[test]
    fn a_result_scheme_must_name_the_dossier_and_the_ordinal_once() {
        for bad in [
            "",
            "{n}",
            "{dossier}",
            "{dossier}{dossier}{n}",
            "{dossier}.{n}.{n}",
            "{dossier}/{n}",
            "{dossier} {n}",
            "{dossier}.{n:5}",
            "{dossier}.{m}",
            "{dossier}.{n",
            "{dossier}.KQ{n}.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        ] {
            assert!(
                ResultCodeScheme::parse(bad).unwrap_err().key.starts_with("digitization.result_scheme_"),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn the_scheme_refusals_show_its_placeholders_literally() {
        let m = ResultCodeScheme::parse("{dossier}").unwrap_err();
        for lang in [crate::Lang::UK, crate::Lang::EN] {
            let text = m.render(lang);
            assert!(text.contains("{dossier}") && text.contains("{n}"), "{text}");
        }
    }

    proptest! {
        #[test]
        fn dossier_codes_round_trip(days in 0i64..36_500, seq in 1u32..=9999) {
            let received = day(2000, 1, 1) + chrono::Duration::days(days);
            let code = DossierCode::new(agency(), received, seq).expect("in range");
            prop_assert_eq!(DossierCode::parse(&code.to_string()), Ok(code));
        }

        #[test]
        fn no_input_panics_the_parsers(s in "\\PC{0,40}") {
            let _ = DossierCode::parse(&s);
            let _ = ResultCodeScheme::parse(&s);
            let _ = AgencyCode::parse(&s);
        }

        #[test]
        fn two_documents_never_share_a_result_code(a in 1u32..=9999, b in 1u32..=9999, sa in 1u32..=9999, sb in 1u32..=9999) {
            let scheme = ResultCodeScheme::default();
            let da = DossierCode::new(agency(), day(2023, 4, 5), sa).expect("in range");
            let db = DossierCode::new(agency(), day(2023, 4, 5), sb).expect("in range");
            prop_assume!((a, sa) != (b, sb));
            prop_assert_ne!(scheme.code(&da, a), scheme.code(&db, b));
        }
    }
}
