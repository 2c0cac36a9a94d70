//! The certification centre's records: issued certificates, revocations and
//! published CRLs. Each issuance, revocation and publication is one
//! transaction with its audit entry; the revocation counter (`ca.revocations`)
//! tells every app server when the latest CRL has become stale.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::Message;
use dossier_domain::certification::Profile;
use serde_json::json;
use uuid::Uuid;

use super::SqlStore;
use crate::*;

const ISSUED_COLS: &str = "serial, profile, person_id, unit_id, card_application_id, subject, not_before, not_after, \
     der, issued_by, issued_at, revoked_at, revocation_reason, revoked_by";

const REVOCATIONS: &str = "ca.revocations";
const CRL_NUMBER: &str = "ca.crl_number";
const BUMP: &str = "INSERT INTO counters (name, value) VALUES ($1, 1) \
     ON CONFLICT (name) DO UPDATE SET value = counters.value + 1 RETURNING value";

#[derive(sqlx::FromRow)]
struct IssuedRow {
    serial: String,
    profile: String,
    person_id: Option<Uuid>,
    unit_id: Option<i64>,
    card_application_id: Option<Uuid>,
    subject: String,
    not_before: DateTime<Utc>,
    not_after: DateTime<Utc>,
    der: Vec<u8>,
    issued_by: String,
    issued_at: DateTime<Utc>,
    revoked_at: Option<DateTime<Utc>>,
    revocation_reason: Option<String>,
    revoked_by: Option<String>,
}

impl IssuedRow {
    fn into_record(self) -> StoreResult<IssuedCertificate> {
        let subject = match (self.person_id, self.unit_id) {
            (Some(p), None) => CertSubject::Person(p),
            (None, Some(u)) => CertSubject::Unit(u),
            _ => return Err(StoreError::corrupt("certificate subject")),
        };
        Ok(IssuedCertificate {
            serial: self.serial,
            profile: Profile::parse(&self.profile).map_err(|_| StoreError::corrupt("certificate profile"))?,
            subject,
            card_application_id: self.card_application_id,
            subject_name: self.subject,
            not_before: self.not_before,
            not_after: self.not_after,
            der: self.der,
            issued_by: self.issued_by,
            issued_at: self.issued_at,
            revoked_at: self.revoked_at,
            revocation_reason: self.revocation_reason,
            revoked_by: self.revoked_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct CrlRow {
    crl_number: i64,
    this_update: DateTime<Utc>,
    next_update: DateTime<Utc>,
    revocations: i64,
    der: Vec<u8>,
}

impl From<CrlRow> for CrlRecord {
    fn from(r: CrlRow) -> Self {
        CrlRecord {
            crl_number: r.crl_number,
            this_update: r.this_update,
            next_update: r.next_update,
            revocations: r.revocations,
            der: r.der,
        }
    }
}

/// Serial numbers are stored as lowercase hex without separators; the
/// caller's spelling (`7F:0A`, `0x7f0a`) is normalised here.
pub(crate) fn normal_serial(serial: &str) -> String {
    serial.trim().trim_start_matches("0x").replace(':', "").to_ascii_lowercase()
}

#[async_trait]
impl Certification for SqlStore {
    async fn record_issued_certificate(
        &self,
        actor: &Actor,
        c: NewIssuedCertificate,
    ) -> StoreResult<IssuedCertificate> {
        let serial = normal_serial(&c.serial);
        let (person_id, unit_id) = match c.subject {
            CertSubject::Person(p) => (Some(p), None),
            CertSubject::Unit(u) => (None, Some(u)),
        };
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let r = sqlx::query(&format!(
                "INSERT INTO ca_certificates ({ISSUED_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, NULL, NULL, NULL)"
            ))
            .bind(&serial)
            .bind(c.profile.as_str())
            .bind(person_id)
            .bind(unit_id)
            .bind(c.card_application_id)
            .bind(&c.subject_name)
            .bind(c.not_before)
            .bind(c.not_after)
            .bind(&c.der)
            .bind(&actor.label)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await;
            match r {
                Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict(Message::new("common.conflict"))),
                r => {
                    r?;
                }
            }
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "ca.certificate.issue",
                    c.subject.audit_subject(),
                    json!({"serial": serial, "profile": c.profile.as_str(), "card_application_id": c.card_application_id,
                           "not_after": c.not_after})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.issued_certificate(&serial).await?.ok_or(StoreError::NotFound)
    }

    async fn issued_certificate(&self, serial: &str) -> StoreResult<Option<IssuedCertificate>> {
        let serial = normal_serial(serial);
        let row: Option<IssuedRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {ISSUED_COLS} FROM ca_certificates WHERE serial = $1"))
                .bind(&serial)
                .fetch_optional(pool)
                .await?
        });
        row.map(IssuedRow::into_record).transpose()
    }

    async fn issued_certificates_of(&self, subject: CertSubject) -> StoreResult<Vec<IssuedCertificate>> {
        let rows: Vec<IssuedRow> =
            on_db!(&self.db, read, |pool, _d| {
                match subject {
                    CertSubject::Person(id) => sqlx::query_as(&format!(
                        "SELECT {ISSUED_COLS} FROM ca_certificates WHERE person_id = $1 ORDER BY issued_at DESC, serial"
                    ))
                    .bind(id)
                    .fetch_all(pool)
                    .await?,
                    CertSubject::Unit(id) => sqlx::query_as(&format!(
                        "SELECT {ISSUED_COLS} FROM ca_certificates WHERE unit_id = $1 ORDER BY issued_at DESC, serial"
                    ))
                    .bind(id)
                    .fetch_all(pool)
                    .await?,
                }
            });
        rows.into_iter().map(IssuedRow::into_record).collect()
    }

    async fn revoke_certificate(
        &self,
        actor: &Actor,
        serial: &str,
        reason: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<IssuedCertificate> {
        let serial = normal_serial(serial);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let cur: IssuedRow = sqlx::query_as(&format!(
                "SELECT {ISSUED_COLS} FROM ca_certificates WHERE serial = $1{}",
                d.for_update()
            ))
            .bind(&serial)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
            let cur = cur.into_record()?;
            if cur.revoked_at.is_some() {
                return Err(StoreError::Conflict(Message::new("ca.already_revoked")));
            }
            sqlx::query(
                "UPDATE ca_certificates SET revoked_at = $1, revocation_reason = $2, revoked_by = $3 WHERE serial = $4",
            )
            .bind(at)
            .bind(reason)
            .bind(&actor.label)
            .bind(&serial)
            .execute(&mut *tx)
            .await?;
            let _: i64 = sqlx::query_scalar(BUMP).bind(REVOCATIONS).fetch_one(&mut *tx).await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "ca.certificate.revoke",
                    cur.subject.audit_subject(),
                    json!({"serial": serial, "reason": reason})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.issued_certificate(&serial).await?.ok_or(StoreError::NotFound)
    }

    async fn crl_state(&self) -> StoreResult<CrlState> {
        let (revocations, latest): (Option<i64>, Option<CrlRow>) = on_db!(&self.db, read, |pool, _d| {
            let n: Option<i64> = sqlx::query_scalar("SELECT value FROM counters WHERE name = $1")
                .bind(REVOCATIONS)
                .fetch_optional(pool)
                .await?;
            let latest: Option<CrlRow> = sqlx::query_as(
                "SELECT crl_number, this_update, next_update, revocations, der FROM ca_crls ORDER BY crl_number DESC LIMIT 1",
            )
            .fetch_optional(pool)
            .await?;
            (n, latest)
        });
        Ok(CrlState { revocations: revocations.unwrap_or(0), latest: latest.map(CrlRecord::from) })
    }

    async fn publish_crl(
        &self,
        actor: &Actor,
        this_update: DateTime<Utc>,
        next_update: DateTime<Utc>,
        sign: CrlSigner<'_>,
        unless_current: Option<chrono::Duration>,
    ) -> StoreResult<CrlRecord> {
        let record = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // The number first: its row lock queues another server publishing
            // at the same moment, which then finds this CRL current and keeps it.
            let number: i64 = sqlx::query_scalar(BUMP).bind(CRL_NUMBER).fetch_one(&mut *tx).await?;
            // Holding the revocation counter keeps a revocation from slipping
            // between the count and the list (PostgreSQL; SQLite has one writer).
            let revocations: Option<i64> =
                sqlx::query_scalar(&format!("SELECT value FROM counters WHERE name = $1{}", d.for_update()))
                    .bind(REVOCATIONS)
                    .fetch_optional(&mut *tx)
                    .await?;
            if let Some(renew_before) = unless_current {
                let latest: Option<CrlRow> = sqlx::query_as(
                    "SELECT crl_number, this_update, next_update, revocations, der FROM ca_crls \
                     ORDER BY crl_number DESC LIMIT 1",
                )
                .fetch_optional(&mut *tx)
                .await?;
                let state = CrlState { revocations: revocations.unwrap_or(0), latest: latest.map(CrlRecord::from) };
                if let Some(current) = state.current(this_update, renew_before) {
                    // Rolled back: the number taken above is not used up.
                    return Ok(current.clone());
                }
            }
            let rows: Vec<(String, DateTime<Utc>, Option<String>)> = sqlx::query_as(
                "SELECT serial, revoked_at, revocation_reason FROM ca_certificates WHERE revoked_at IS NOT NULL ORDER BY revoked_at, serial",
            )
            .fetch_all(&mut *tx)
            .await?;
            let entries: Vec<RevokedEntry> = rows
                .into_iter()
                .map(|(serial, revoked_at, reason)| RevokedEntry {
                    serial,
                    revoked_at,
                    reason: reason.unwrap_or_default(),
                })
                .collect();
            let der = sign(number, &entries).map_err(StoreError::Signing)?;
            let record =
                CrlRecord { crl_number: number, this_update, next_update, revocations: revocations.unwrap_or(0), der };
            sqlx::query(
                "INSERT INTO ca_crls (crl_number, this_update, next_update, revocations, der) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(record.crl_number)
            .bind(record.this_update)
            .bind(record.next_update)
            .bind(record.revocations)
            .bind(&record.der)
            .execute(&mut *tx)
            .await?;
            // Only the newest CRL is ever served; older ones are history.
            sqlx::query("DELETE FROM ca_crls WHERE crl_number < $1").bind(number - 100).execute(&mut *tx).await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "ca.crl.publish",
                    "ca:crl",
                    json!({"crl_number": number, "entries": entries.len(), "next_update": next_update})
                )]
            );
            tx.commit().await?;
            record
        });
        Ok(record)
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn serials_are_normalised() {
        assert_eq!(super::normal_serial(" 0x7F:0A:b1 "), "7f0ab1");
        assert_eq!(super::normal_serial("7F0AB1"), "7f0ab1");
    }
}
