//! People as CSV rows — the one reader used by the API upload and by
//! `dossier import`. Columns are found by header name, in any order:
//!
//! `rnokpp,religious_refusal,passport,id_card,unzr,account_no,okzo,surname,given_name,patronymic,birth_date,sex,capacity,idp`
//!
//! A row's problems are reported by line and field, never with its content.
use chrono::NaiveDate;
use dossier_domain::person::{PersonData, PersonInput};
use dossier_domain::{FieldError, Message};

pub const COLUMNS: [&str; 14] = [
    "rnokpp",
    "religious_refusal",
    "passport",
    "id_card",
    "unzr",
    "account_no",
    "okzo",
    "surname",
    "given_name",
    "patronymic",
    "birth_date",
    "sex",
    "capacity",
    "idp",
];

/// Where each column sits in the file.
#[derive(Debug, Clone)]
pub struct Layout([usize; 14]);

impl Layout {
    /// Reads the header row; a missing column is named in the error.
    pub fn from_headers(headers: &csv::ByteRecord) -> Result<Layout, Message> {
        let mut index = [0usize; 14];
        for (slot, col) in index.iter_mut().zip(COLUMNS) {
            *slot = headers
                .iter()
                .position(|h| h == col.as_bytes())
                .ok_or_else(|| Message::new("import.missing_column").with("column", col))?;
        }
        Ok(Layout(index))
    }

    /// Maps a record to raw person input, or the first field that cannot be read.
    pub fn input(&self, rec: &csv::ByteRecord) -> Result<PersonInput, FieldError> {
        let mut vals: Vec<&str> = Vec::with_capacity(14);
        for (i, col) in self.0.iter().zip(COLUMNS) {
            let raw = rec.get(*i).unwrap_or(b"");
            let s = std::str::from_utf8(raw).map_err(|_| FieldError::new(col, "common.bad_encoding"))?;
            vals.push(s.trim());
        }
        let opt = |s: &str| if s.is_empty() { None } else { Some(s.to_owned()) };
        Ok(PersonInput {
            rnokpp: opt(vals[0]),
            religious_refusal: flag(vals[1]).map_err(|m| FieldError::new("religious_refusal", m))?,
            passport: opt(vals[2]),
            id_card: opt(vals[3]),
            // Not a CSV column yet: recorded through the form or the API.
            id_card_expires: None,
            unzr: opt(vals[4]),
            account_no: opt(vals[5]),
            okzo: opt(vals[6]),
            surname: vals[7].to_owned(),
            given_name: vals[8].to_owned(),
            patronymic: opt(vals[9]),
            birth_date: vals[10].to_owned(),
            sex: vals[11].to_owned(),
            capacity: opt(vals[12]),
            idp: flag(vals[13]).map_err(|m| FieldError::new("idp", m))?,
        })
    }

    /// Reads and validates a record: the person, or every problem with it.
    pub fn person(&self, rec: &csv::ByteRecord, today: NaiveDate) -> Result<PersonData, Vec<FieldError>> {
        let input = self.input(rec).map_err(|e| vec![e])?;
        input.validate(today).map_err(|inv| inv.0)
    }
}

/// Yes/no columns: `true/false`, `1/0`, `yes/no`, `так/ні`, empty = no.
fn flag(s: &str) -> Result<bool, Message> {
    match s.trim().to_lowercase().as_str() {
        "" | "false" | "0" | "no" | "ні" => Ok(false),
        "true" | "1" | "yes" | "так" => Ok(true),
        other => Err(Message::new("common.unknown_value").with("value", other)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout() -> Layout {
        Layout::from_headers(&csv::ByteRecord::from(COLUMNS.to_vec())).unwrap()
    }

    #[test]
    fn columns_are_found_by_name_and_missing_ones_named() {
        let mut shuffled = COLUMNS.to_vec();
        shuffled.reverse();
        assert!(Layout::from_headers(&csv::ByteRecord::from(shuffled)).is_ok());
        let e = Layout::from_headers(&csv::ByteRecord::from(vec!["rnokpp"])).unwrap_err();
        assert_eq!(e.key, "import.missing_column");
    }

    #[test]
    fn broken_encoding_names_the_field() {
        let mut row: Vec<&[u8]> = vec![b""; 14];
        row[7] = b"\xff\xfe";
        let e = layout().input(&csv::ByteRecord::from(row)).unwrap_err();
        assert_eq!((e.field.as_str(), e.message.key), ("surname", "common.bad_encoding"));
    }

    #[test]
    fn a_good_row_validates() {
        let row = vec!["1759013776", "ні", "", "", "", "1", "2", "Шевчук", "Петро", "", "28.02.1948", "ч", "", "false"];
        let today = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let p = layout().person(&csv::ByteRecord::from(row), today).unwrap();
        assert_eq!(p.okzo.unwrap().as_str(), "0000000002");
    }
}
