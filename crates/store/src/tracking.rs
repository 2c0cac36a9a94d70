//! What the public status look-up reads (issue 19): a certificate found by
//! its number and its holder's date of birth (both facts in one query), with
//! the time each stage was reached; and the failed look-ups, counted per key
//! (a client, a number) in the database so a limit holds across app servers
//! and numbers cannot be enumerated.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::lifecycle::Stage;

use crate::{CertificateRecord, StoreResult};

/// A certificate as its status page needs it.
#[derive(Debug, Clone)]
pub struct TrackedCertificate {
    pub certificate: CertificateRecord,
    /// Each stage it entered, with when, oldest first. (The office that
    /// hands it over is `certificate.data.issue_unit_id`.)
    pub reached: Vec<(Stage, DateTime<Utc>)>,
}

#[async_trait]
pub trait Tracking: Send + Sync {
    /// The certificate with this application number whose holder was born
    /// on `birth_date`, if any. One query either way: an unknown number and a
    /// wrong date cost the same, so timing cannot tell them apart.
    async fn tracked_certificate(&self, number: &str, birth_date: NaiveDate)
    -> StoreResult<Option<TrackedCertificate>>;

    /// The certificate with this id (a receipt's signed status link names it).
    async fn tracked_certificate_by_id(&self, id: uuid::Uuid) -> StoreResult<Option<TrackedCertificate>>;

    /// The failures each of `keys` has counted since `since`, in their order.
    async fn lookup_failures(&self, keys: &[String], since: DateTime<Utc>) -> StoreResult<Vec<i64>>;

    /// Counts a failed look-up under each of `keys`; a key whose window began
    /// before `since` starts a new one at `now`.
    async fn record_lookup_failure(&self, keys: &[String], now: DateTime<Utc>, since: DateTime<Utc>)
    -> StoreResult<()>;
}
