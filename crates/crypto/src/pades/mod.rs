//! PAdES: CMS signatures and RFC 3161 document time-stamps inside PDF files.
//!
//! [`pdf`] holds the byte-level PDF mechanics (no cryptography): preparing an
//! incremental update with a signature placeholder, embedding the CMS, and
//! finding the signatures of a file. [`testpdf`] makes small PDFs for tests.

pub mod pdf;
pub mod testpdf;
