//! Texts of the citizen's wallet pages (served by the hub).
use super::Row;

pub(crate) static ROWS: &[Row] = &[];
