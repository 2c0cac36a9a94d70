//! Scan adapters for digitization (issue 20): what a page image's header
//! declares ([`header`]), the scans inside a scanner's PDF ([`pdf`]), TIFF pages decoded for the result's PDF
//! ([`raster`]), pages put upright ([`upright`]) and read so ([`read`]) and text recognition by
//! Tesseract ([`tesseract`]).
//! The rules these feed — the scan profile, field extraction, review — are
//! pure and live in `dossier_domain::digitization`.

pub mod header;
pub mod pdf;
pub mod raster;
pub mod read;
pub mod tesseract;
pub mod upright;

pub use header::{Format, HeaderError};
pub use raster::{Raster, decode_tiff};
pub use read::{PageRead, UprightPage};
pub use tesseract::{OcrError, Segmentation, Tesseract};
