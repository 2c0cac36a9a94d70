//! The receipt a person takes away from the counter (SPEC §2.5): a QR code
//! (ISO/IEC 18004) on it carries the dossier code, the procedure, the
//! applicant's identity number, the documents' names, the issuing system and
//! the time — so any office's reader learns the case from the paper alone,
//! without a network.
use chrono::{DateTime, FixedOffset, SecondsFormat};
use serde::Serialize;

use super::DossierCode;
use crate::i18n::Message;
use crate::ident::string_newtype;

/// The number on the applicant's identity paper as the counter typed it: a
/// Ukrainian RNOKPP, ID-card or passport number, a Vietnamese 12-digit
/// personal identification number. Spaces and hyphens people type inside
/// numbers are dropped and letters upper-cased, so one paper gives one id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApplicantId(String);
string_newtype!(
    ApplicantId,
    "^[0-9A-ZА-ЯЁЄІЇҐ]{4,20}$",
    "The number on the applicant's identity paper: 4–20 Latin or Ukrainian/Russian capital letters and digits."
);

impl ApplicantId {
    pub fn parse(input: &str) -> Result<Self, Message> {
        let s: String =
            input.chars().filter(|c| !c.is_whitespace() && *c != '-').flat_map(char::to_uppercase).collect();
        let length = s.chars().count();
        if !(4..=20).contains(&length) || !s.chars().all(id_character) {
            return Err(Message::new("digitization.applicant"));
        }
        Ok(ApplicantId(s))
    }
}

/// Latin letters, ASCII digits and the Ukrainian and Russian alphabets: what
/// identity papers in Ukraine and Vietnam print, and what the receipt's font prints.
fn id_character(c: char) -> bool {
    c.is_ascii_alphanumeric() || ('А'..='я').contains(&c) || "ЁёЄєІіЇїҐґ".contains(c)
}

/// The most bytes the receipt's code holds: a QR code of this much (version
/// 19 at error-correction level M) still reads from a phone when printed 40 mm
/// wide on an office printer. Names past it are counted, not listed.
pub const RECEIPT_CODE_BUDGET: usize = 600;

/// What the receipt's QR code says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptCode<'a> {
    pub dossier: &'a DossierCode,
    /// The national procedure's code.
    pub procedure: &'a str,
    pub applicant: Option<&'a ApplicantId>,
    /// The documents' names, in the dossier's order.
    pub documents: &'a [String],
    /// The system that issued the receipt (the office's name in it).
    pub system: &'a str,
    pub issued: DateTime<FixedOffset>,
}

#[derive(Serialize)]
struct Payload<'a> {
    dossier_code: String,
    procedure: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    applicant_id: Option<&'a str>,
    documents: &'a [String],
    /// How many documents the code could not name.
    #[serde(skip_serializing_if = "is_zero")]
    documents_more: usize,
    system: &'a str,
    issued_at: String,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl ReceiptCode<'_> {
    /// The code's text: one JSON object, keys in English so readers in any
    /// country parse it; the names stay in the office's language. Documents
    /// that would take it past [`RECEIPT_CODE_BUDGET`] are only counted.
    pub fn text(&self) -> String {
        let mut shown = self.documents.len();
        loop {
            let payload = Payload {
                dossier_code: self.dossier.to_string(),
                procedure: self.procedure,
                applicant_id: self.applicant.map(ApplicantId::as_str),
                documents: &self.documents[..shown],
                documents_more: self.documents.len() - shown,
                system: self.system,
                issued_at: self.issued.to_rfc3339_opts(SecondsFormat::Secs, true),
            };
            // Serializing strings and numbers cannot fail.
            let text = serde_json::to_string(&payload).unwrap_or_default();
            if text.len() <= RECEIPT_CODE_BUDGET || shown == 0 {
                return text;
            }
            shown -= 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, TimeZone};

    use super::*;
    use crate::digitization::AgencyCode;

    fn dossier() -> DossierCode {
        let agency = AgencyCode::parse("000.00.31.H29").expect("agency");
        DossierCode::new(agency, NaiveDate::from_ymd_opt(2026, 12, 4).expect("date"), 7).expect("code")
    }

    fn issued() -> DateTime<FixedOffset> {
        let hanoi = FixedOffset::east_opt(7 * 3600).expect("offset");
        hanoi.with_ymd_and_hms(2026, 12, 4, 9, 30, 0).single().expect("time")
    }

    #[test]
    fn applicant_ids_drop_spaces_and_hyphens_and_upper_case_letters() {
        assert_eq!(ApplicantId::parse(" 001 089 012 345 ").expect("cccd").as_str(), "001089012345");
        assert_eq!(ApplicantId::parse("кв-123456").expect("passport").as_str(), "КВ123456");
        assert!(ApplicantId::parse("12").is_err());
        assert!(ApplicantId::parse("123456789012345678901").is_err());
        assert!(ApplicantId::parse("12345/6").is_err());
        assert!(ApplicantId::parse("").is_err());
        // Digits and letters the receipt could not print are not an id.
        assert!(ApplicantId::parse("١٢٣٤٥").is_err());
        assert!(ApplicantId::parse("中文1234").is_err());
    }

    #[test]
    fn spec_2_5_the_receipt_code_carries_dossier_code_procedure_applicant_documents_system_and_time() {
        let code = dossier();
        let applicant = ApplicantId::parse("001089012345").expect("id");
        let documents = vec!["Căn cước công dân".to_owned(), "Sổ bảo hiểm xã hội".to_owned()];
        let receipt = ReceiptCode {
            dossier: &code,
            procedure: "1.001234",
            applicant: Some(&applicant),
            documents: &documents,
            system: "Dossier — BHXH quận Ba Đình",
            issued: issued(),
        };
        let v: serde_json::Value = serde_json::from_str(&receipt.text()).expect("json");
        assert_eq!(v["dossier_code"], "000.00.31.H29-261204-0007");
        assert_eq!(v["procedure"], "1.001234");
        assert_eq!(v["applicant_id"], "001089012345");
        assert_eq!(v["documents"][1], "Sổ bảo hiểm xã hội");
        assert_eq!(v["system"], "Dossier — BHXH quận Ba Đình");
        assert_eq!(v["issued_at"], "2026-12-04T09:30:00+07:00");
        assert!(v.get("documents_more").is_none());
    }

    #[test]
    fn a_dossier_of_many_papers_counts_the_names_the_code_cannot_hold() {
        let code = dossier();
        let documents: Vec<String> = (1..=40).map(|i| format!("Giấy tờ số {i} của hồ sơ")).collect();
        let receipt = ReceiptCode {
            dossier: &code,
            procedure: "1.001234",
            applicant: None,
            documents: &documents,
            system: "Dossier",
            issued: issued(),
        };
        let text = receipt.text();
        assert!(text.len() <= RECEIPT_CODE_BUDGET, "{} bytes", text.len());
        let v: serde_json::Value = serde_json::from_str(&text).expect("json");
        let named = v["documents"].as_array().expect("names").len();
        assert!(named > 0);
        assert_eq!(named + v["documents_more"].as_u64().expect("count") as usize, 40);
        assert!(v.get("applicant_id").is_none());
    }

    proptest::proptest! {
        #[test]
        fn an_applicant_id_is_its_own_normal_form(input in "\\PC{0,30}") {
            if let Ok(id) = ApplicantId::parse(&input) {
                proptest::prop_assert_eq!(ApplicantId::parse(id.as_str()), Ok(id.clone()));
                proptest::prop_assert!((4..=20).contains(&id.as_str().chars().count()));
            }
        }

        #[test]
        fn the_receipt_code_is_json_within_its_budget(names in proptest::collection::vec("\\PC{0,80}", 0..30)) {
            let code = dossier();
            let receipt = ReceiptCode {
                dossier: &code,
                procedure: "1.001234",
                applicant: None,
                documents: &names,
                system: "Dossier",
                issued: issued(),
            };
            let text = receipt.text();
            let v: serde_json::Value = serde_json::from_str(&text).expect("json");
            let named = v["documents"].as_array().map_or(0, Vec::len);
            proptest::prop_assert!(text.len() <= RECEIPT_CODE_BUDGET || named == 0);
            proptest::prop_assert_eq!(named + v["documents_more"].as_u64().unwrap_or(0) as usize, names.len());
        }
    }
}
