//! Digitization of paper (issue "Digitization", SPEC §2.5): the codes a
//! digitized document carries, the scan profile it must meet, and the fields
//! read from it with their validators.

pub mod codes;
pub mod fields;
pub mod ocr;
pub mod receipt;
pub mod register;
pub mod scan;

pub use codes::{AgencyCode, DossierCode, ResultCodeScheme};
pub use fields::{DocumentKind, Extracted, FieldKind, Place, extract};
pub use ocr::{BBox, Line, PageText, Word};
pub use receipt::{ApplicantId, ReceiptCode};
pub use register::check_against_register;
pub use scan::{ColourMode, ColourPolicy, PageImage, ScanProfile};
