//! PAdES: CMS signatures and RFC 3161 document time-stamps inside PDF files.
//!
//! [`pdf`] holds the byte-level PDF mechanics (no cryptography): preparing an
//! incremental update with a signature placeholder, embedding the CMS, and
//! finding the signatures of a file; [`changes`] judges what the revisions
//! appended after a signature changed. [`sign`] makes PAdES B-B / B-T
//! signatures and document time-stamps; [`validate`] checks every signature
//! of a file into one ETSI EN 319 102-1 report; [`archive`] renews the
//! newest time-stamp of an archived document before it expires.
//! [`testpdf`] makes small PDFs for tests.

pub mod archive;
pub mod changes;
pub mod pdf;
pub mod sign;
pub mod testpdf;
pub mod validate;
