//! Digitization of paper (issue "Digitization", SPEC §2.5): the codes a
//! digitized document carries, the scan profile it must meet, and the fields
//! read from it with their validators.

pub mod codes;

pub use codes::{AgencyCode, DossierCode, ResultCodeScheme};
