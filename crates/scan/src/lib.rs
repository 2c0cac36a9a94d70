//! Scan adapters for digitization (issue 20): what a page image's header
//! declares ([`header`]) and text recognition by Tesseract ([`tesseract`]).
//! The rules these feed — the scan profile, field extraction, review — are
//! pure and live in `dossier_domain::digitization`.

pub mod header;
pub mod tesseract;

pub use header::{Format, HeaderError};
pub use tesseract::{OcrError, Segmentation, Tesseract};
