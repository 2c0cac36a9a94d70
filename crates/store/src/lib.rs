//! The fund's persistence: one repository trait per concept, one SQL
//! implementation for SQLite (embedded default) and PostgreSQL (scale-out).
//!
//! * the repositories — [`Org`], [`Staff`], [`People`], [`Documents`],
//!   [`Imports`], [`Applications`], [`Production`], [`Cards`],
//!   [`Certification`], [`Intake`], [`Audit`], [`Tracking`],
//!   [`Notifications`], [`Appointments`], [`CitizenSessions`], [`PensionRecords`], [`Questions`], [`Statements`] — each in the file of its
//!   concept with the records it reads and writes; [`Store`] is all of them,
//!   held by the fund's use cases (`dossier_app`) as `Arc<dyn Store>`; code
//!   that holds a concrete [`SqlStore`] (tests, benchmarks) imports the
//!   repository traits it calls;
//! * [`SqlStore`] (`sql/`, one file per repository) implements them on both
//!   backends: the SQL text is shared and compiled once per backend by
//!   `dossier_db::on_db!`, so the dialect differences live in one small place;
//!   migrations per backend are in `migrations/`;
//! * [`blobs::BlobStore`] — content-addressed, encrypted-at-rest documents over
//!   the `object_store` crate (local folder now, S3-compatible later);
//! * [`audit`] — the hash-chained audit log of this database.
//!
//! Every write is one transaction that validates first (domain rules run
//! inside the transaction, over facts read in it) and appends its audit
//! entries last, so a refused command writes nothing.

pub mod applications;
pub mod appointments;
pub mod audit;
pub mod blobs;
pub mod cards;
pub mod certification;
pub mod citizens;
pub mod digitization;
pub mod documents;
pub mod e_applications;
pub mod imports;
pub mod intake;
pub mod notify;
pub mod operations;
pub mod org;
pub mod people;
pub mod production;
pub mod questions;
pub mod queue;
pub mod record;
mod sql;
pub mod staff;
pub mod statements;
pub mod tracking;

pub use applications::*;
pub use appointments::*;
pub use audit::Audit;
pub use cards::*;
pub use certification::*;
pub use citizens::*;
pub use digitization::*;
pub use documents::*;
pub use dossier_db::{Backend, StoreError, StoreResult, sqlite_files};
pub use e_applications::*;
pub use imports::*;
pub use intake::*;
pub use notify::*;
pub use org::*;
pub use people::*;
pub use production::*;
pub use questions::*;
pub use queue::*;
pub use record::*;
pub use sql::SqlStore;
pub use staff::*;
pub use statements::*;
pub use tracking::*;

use serde::Serialize;
use uuid::Uuid;

/// Every repository of the fund: what the service is given at start.
pub trait Store:
    Org
    + Staff
    + People
    + Documents
    + Imports
    + Applications
    + Production
    + Cards
    + Certification
    + Intake
    + Audit
    + Tracking
    + Notifications
    + Digitization
    + DigitizedDocuments
    + Appointments
    + CitizenSessions
    + PensionRecords
    + Questions
    + Statements
    + EApplications
    + Queue
    + operations::Operations
    + 'static
{
    fn backend(&self) -> Backend;
}

/// Who is acting, as written into the audit log.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    /// `login` of a staff member, `token:<name>` of an API token, or `system:<what>`.
    pub label: String,
    pub account_id: Option<Uuid>,
}

impl Actor {
    pub fn system(what: &str) -> Self {
        Actor { label: format!("system:{what}"), account_id: None }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Page {
    pub offset: i64,
    pub limit: i64,
}

impl Page {
    pub const MAX_LIMIT: i64 = 200;
    pub fn new(offset: i64, limit: i64) -> Self {
        Page { offset: offset.max(0), limit: limit.clamp(1, Self::MAX_LIMIT) }
    }
}

impl Default for Page {
    fn default() -> Self {
        Page { offset: 0, limit: 50 }
    }
}
