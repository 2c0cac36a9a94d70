//! Texts of the fund's intake counter page and review queue.
use super::Row;

pub(crate) static ROWS: &[Row] = &[];
