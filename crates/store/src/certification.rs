//! The certification centre's records: issued certificates, revocations and published CRLs (the
//! keys stay out of the database).
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::certification::Profile;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// The certification centre's certificates, revocations and CRLs.
#[async_trait]
pub trait Certification: Send + Sync {
    /// Records a certificate the issuing CA signed, with its audit entry.
    async fn record_issued_certificate(
        &self,
        actor: &Actor,
        cert: NewIssuedCertificate,
    ) -> StoreResult<IssuedCertificate>;
    /// A certificate by serial (hex, any case, colons allowed).
    async fn issued_certificate(&self, serial: &str) -> StoreResult<Option<IssuedCertificate>>;
    /// Certificates issued to a person or an org unit, newest first.
    async fn issued_certificates_of(&self, subject: CertSubject) -> StoreResult<Vec<IssuedCertificate>>;
    /// Revokes a certificate (`Conflict` if it already is), bumping the
    /// revocation counter that makes the latest CRL stale.
    async fn revoke_certificate(
        &self,
        actor: &Actor,
        serial: &str,
        reason: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<IssuedCertificate>;
    /// The revocation counter and the latest published CRL.
    async fn crl_state(&self) -> StoreResult<CrlState>;
    /// Publishes a new CRL in one transaction: takes the next CRL number,
    /// lists every revoked certificate, lets `sign` build the DER and stores it.
    /// With `unless_current` (how long before its next update a CRL is
    /// renewed) the latest CRL is returned instead while it is still
    /// [`CrlState::current`] — decided under the lock, so servers asking at
    /// once publish one CRL between them.
    async fn publish_crl(
        &self,
        actor: &Actor,
        this_update: chrono::DateTime<chrono::Utc>,
        next_update: chrono::DateTime<chrono::Utc>,
        sign: CrlSigner<'_>,
        unless_current: Option<chrono::Duration>,
    ) -> StoreResult<CrlRecord>;
}

/// A certificate the certification centre has just signed, to be recorded.
#[derive(Debug, Clone)]
pub struct NewIssuedCertificate {
    /// Serial number as lowercase hex (what `openssl x509 -serial` prints, lowercased).
    pub serial: String,
    pub profile: Profile,
    pub subject: CertSubject,
    /// For card keys: the card application they were certified for.
    pub card_application_id: Option<Uuid>,
    /// The subject name as text (RFC 4514), for lists and logs of the centre.
    pub subject_name: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    pub der: Vec<u8>,
}

/// Whom a certificate was issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum CertSubject {
    Person(Uuid),
    Unit(i64),
}

impl CertSubject {
    /// The audit subject (`person:…` / `unit:…`).
    pub fn audit_subject(&self) -> String {
        match self {
            CertSubject::Person(id) => format!("person:{id}"),
            CertSubject::Unit(id) => format!("unit:{id}"),
        }
    }
}

/// A certificate of the certification centre as recorded.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IssuedCertificate {
    pub serial: String,
    pub profile: Profile,
    pub subject: CertSubject,
    pub card_application_id: Option<Uuid>,
    pub subject_name: String,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
    #[serde(skip)]
    pub der: Vec<u8>,
    pub issued_by: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// RFC 5280 reason as the centre names it (`key-compromise`, …).
    pub revocation_reason: Option<String>,
    pub revoked_by: Option<String>,
}

/// One entry of the revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevokedEntry {
    pub serial: String,
    pub revoked_at: DateTime<Utc>,
    pub reason: String,
}

/// A published CRL.
#[derive(Debug, Clone)]
pub struct CrlRecord {
    pub crl_number: i64,
    pub this_update: DateTime<Utc>,
    pub next_update: DateTime<Utc>,
    /// The revocation counter this CRL covers.
    pub revocations: i64,
    pub der: Vec<u8>,
}

/// What a CRL cache needs to know: how many revocations there have been, and
/// the latest CRL published (by any app server).
#[derive(Debug, Clone)]
pub struct CrlState {
    pub revocations: i64,
    pub latest: Option<CrlRecord>,
}

impl CrlState {
    /// The latest CRL still lists every revocation and is not yet due for renewal at `now`.
    pub fn current(&self, now: DateTime<Utc>, renew_before: chrono::Duration) -> Option<&CrlRecord> {
        self.latest.as_ref().filter(|c| c.revocations == self.revocations && now + renew_before < c.next_update)
    }
}

/// Signs a CRL for the store: given the CRL number and the revoked entries,
/// returns the DER `CertificateList` (or why it could not).
pub type CrlSigner<'a> = &'a (dyn Fn(i64, &[RevokedEntry]) -> Result<Vec<u8>, String> + Send + Sync);
