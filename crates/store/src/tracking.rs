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

/// What one look-up by the two facts learns, in one round trip.
#[derive(Debug, Clone)]
pub struct Lookup {
    /// The failures counted since the window's start under the client's key
    /// and under the case number's key, in that order.
    pub failures: [i64; 2],
    /// The certificate with this number whose holder has this date of birth.
    pub found: Option<TrackedCertificate>,
}

#[async_trait]
pub trait Tracking: Send + Sync {
    /// The certificate with this application number whose holder was born
    /// on `birth_date`, if any, and the failures counted since `since` under
    /// `keys` (client, case). One statement either way — the look-up is the
    /// busiest public call, and an unknown number and a wrong date cost the
    /// same, so timing cannot tell them apart. The caller refuses a limited
    /// client before it looks at `found`.
    async fn look_up_certificate(
        &self,
        number: &str,
        birth_date: NaiveDate,
        keys: [&str; 2],
        since: DateTime<Utc>,
    ) -> StoreResult<Lookup>;

    /// The certificate with this id (a receipt's signed status link names it).
    async fn tracked_certificate_by_id(&self, id: uuid::Uuid) -> StoreResult<Option<TrackedCertificate>>;

    /// The failures each of `keys` has counted since `since`, in their order.
    async fn lookup_failures(&self, keys: &[String], since: DateTime<Utc>) -> StoreResult<Vec<i64>>;

    /// Counts a failed look-up under each of `keys`; a key whose window began
    /// before `since` starts a new one at `now`.
    async fn record_lookup_failure(&self, keys: &[String], now: DateTime<Utc>, since: DateTime<Utc>)
    -> StoreResult<()>;
}
