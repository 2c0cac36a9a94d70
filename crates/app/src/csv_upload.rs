//! A CSV upload read all or nothing — the people's upload, the employers'
//! reports, the pensions paid before Dossier: the layout from the header
//! row, then every row checked; any bad row refuses the file, each problem
//! named `rows[LINE].FIELD` (physical lines, CRLF files too) and never with
//! the row's content.
use chrono::NaiveDate;
use dossier_domain::record::TextLayout;
use dossier_domain::{Invalid, Message};

use crate::error::{AppError, AppResult};
use crate::people::csv::CrlfAsLf;

/// Most row problems named in one answer; a file worse than this is not
/// worth listing line by line.
pub const MAX_REPORTED_ROWS: usize = 1000;

/// The rows of `body` with their line numbers, or every problem found.
pub fn read_all<L, T>(
    body: &[u8],
    layout: impl FnOnce(&csv::ByteRecord) -> Result<L, Message>,
    mut row: impl FnMut(&L, &csv::ByteRecord) -> Result<T, Vec<(String, Message)>>,
) -> AppResult<Vec<(i64, T)>> {
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(CrlfAsLf::new(body));
    let header = reader.byte_headers().map_err(|_| AppError::field("header", "import.malformed_row"))?.clone();
    let layout = layout(&header).map_err(|m| AppError::field("header", m))?;
    let mut rows = Vec::new();
    let mut problems = Invalid::default();
    let mut rec = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map(|p| p.line() as i64).unwrap_or_default();
                match row(&layout, &rec) {
                    Ok(r) => rows.push((line, r)),
                    Err(errs) => {
                        for (field, message) in errs {
                            problems.push(format!("rows[{line}].{field}"), message);
                        }
                    }
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as i64).unwrap_or_default();
                problems.push(format!("rows[{line}]"), "import.malformed_row");
                break;
            }
        }
        if problems.0.len() >= MAX_REPORTED_ROWS {
            break;
        }
    }
    problems.into_result()?;
    if rows.is_empty() {
        return Err(AppError::field("rows", "import.empty"));
    }
    Ok(rows)
}

/// The rows of `body` in a layout whose header and fields are text (UTF-8;
/// a field that is not reads as empty and is refused by its own check).
pub fn read_text<L: TextLayout>(body: &[u8], today: NaiveDate) -> AppResult<Vec<(i64, L::Row)>> {
    read_all(
        body,
        |header| L::from_headers(header.iter().map(|h| std::str::from_utf8(h).unwrap_or(""))),
        |layout, rec| {
            let field = |i: usize| rec.get(i).and_then(|b| std::str::from_utf8(b).ok());
            layout.row(field, today).map_err(|errs| errs.into_iter().map(|(f, m)| (f.to_owned(), m)).collect())
        },
    )
}
