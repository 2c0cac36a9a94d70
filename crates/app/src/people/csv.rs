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

/// Reads CSV with Windows line endings as if they were `\n`, so the csv
/// crate's record positions are physical lines. (It counts `\n`, but a
/// record after a `\r\n` starts at its `\n`, which it has not counted yet:
/// every line number of a CRLF file — what Python's csv module writes —
/// was one line short.) A `\r` not followed by `\n` passes through.
pub struct CrlfAsLf<R> {
    inner: R,
    /// Converted bytes not yet handed out, from `pos`.
    buf: Vec<u8>,
    pos: usize,
    /// A `\r` that ended the last chunk, held until the next byte is known.
    held_cr: bool,
    eof: bool,
}

impl<R> CrlfAsLf<R> {
    pub fn new(inner: R) -> Self {
        CrlfAsLf { inner, buf: Vec::new(), pos: 0, held_cr: false, eof: false }
    }
}

impl<R: std::io::Read> CrlfAsLf<R> {
    fn fill(&mut self) -> std::io::Result<()> {
        let mut raw = [0u8; 8192];
        let n = self.inner.read(&mut raw)?;
        self.buf.clear();
        self.pos = 0;
        if n == 0 {
            self.eof = true;
            if std::mem::take(&mut self.held_cr) {
                self.buf.push(b'\r');
            }
            return Ok(());
        }
        for &b in &raw[..n] {
            if std::mem::take(&mut self.held_cr) && b != b'\n' {
                self.buf.push(b'\r');
            }
            if b == b'\r' {
                self.held_cr = true;
            } else {
                self.buf.push(b);
            }
        }
        Ok(())
    }
}

impl<R: std::io::Read> std::io::Read for CrlfAsLf<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        while self.pos == self.buf.len() {
            if self.eof || out.is_empty() {
                return Ok(0);
            }
            self.fill()?;
        }
        let n = out.len().min(self.buf.len() - self.pos);
        out[..n].copy_from_slice(&self.buf[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
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
    use proptest::prelude::*;

    fn lines_of_records(input: &[u8]) -> Vec<u64> {
        let mut reader = ::csv::ReaderBuilder::new().flexible(true).from_reader(CrlfAsLf::new(input));
        reader.byte_records().map(|r| r.unwrap().position().unwrap().line()).collect()
    }

    #[test]
    fn crlf_files_report_physical_lines() {
        assert_eq!(lines_of_records(b"a,b\n1,2\n3,4\n"), vec![2, 3]);
        assert_eq!(lines_of_records(b"a,b\r\n1,2\r\n3,4\r\n"), vec![2, 3]);
        assert_eq!(lines_of_records(b"a,b\r\n\"x\r\ny\",2\r\n3,4"), vec![2, 4]);
    }

    proptest! {
        /// Whatever the read sizes, `\r\n` becomes `\n` and nothing else changes.
        #[test]
        fn crlf_as_lf_is_exact(data in proptest::collection::vec(prop_oneof![Just(b'\r'), Just(b'\n'), Just(b'a')], 0..200), chunk in 1usize..7) {
            use std::io::Read;
            struct Chunked<'a>(&'a [u8], usize);
            impl std::io::Read for Chunked<'_> {
                fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                    let n = self.1.min(buf.len()).min(self.0.len());
                    buf[..n].copy_from_slice(&self.0[..n]);
                    self.0 = &self.0[n..];
                    Ok(n)
                }
            }
            let mut out = Vec::new();
            CrlfAsLf::new(Chunked(&data, chunk)).read_to_end(&mut out).unwrap();
            let expected = String::from_utf8(data.clone()).unwrap().replace("\r\n", "\n");
            prop_assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
    }

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
