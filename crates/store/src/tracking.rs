//! What the public status look-up reads (issue 19): a certificate found by
//! its number, with the fact the look-up compares (the holder's date of
//! birth), the office where it is collected and the time each stage was
//! reached; and the failed look-ups, counted per key (a client, a number) in
//! the database so a limit holds across app servers and numbers cannot be
//! enumerated.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::lifecycle::Stage;

use crate::{CertificateRecord, StoreResult};

/// A certificate as its status page needs it.
#[derive(Debug, Clone)]
pub struct TrackedCertificate {
    pub certificate: CertificateRecord,
    /// The holder's date of birth: the second fact a look-up must give.
    pub birth_date: NaiveDate,
    /// Each stage it entered, with when, oldest first. (The office that
    /// hands it over is `certificate.data.issue_unit_id`.)
    pub reached: Vec<(Stage, DateTime<Utc>)>,
}

#[async_trait]
pub trait Tracking: Send + Sync {
    /// The certificate with this application number, if any.
    async fn tracked_certificate(&self, number: &str) -> StoreResult<Option<TrackedCertificate>>;

    /// The failures each of `keys` has counted since `since`, in their order.
    async fn lookup_failures(&self, keys: &[String], since: DateTime<Utc>) -> StoreResult<Vec<i64>>;

    /// Counts a failed look-up under each of `keys`; a key whose window began
    /// before `since` starts a new one at `now`.
    async fn record_lookup_failure(&self, keys: &[String], now: DateTime<Utc>, since: DateTime<Utc>)
    -> StoreResult<()>;
}
