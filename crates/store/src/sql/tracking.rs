//! The public status look-up's reads and its failure counters.
use async_trait::async_trait;
use std::sync::LazyLock;

use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::BeginWrite;
use dossier_db::{StoreError, StoreResult, on_db};
use dossier_domain::lifecycle::Stage;
use sqlx::{FromRow, Row};

use super::SqlStore;
use super::rows::{CERT_COLS, CertRow};
use crate::*;

impl SqlStore {
    /// A certificate with the time each stage was reached.
    async fn tracked(&self, certificate: CertificateRecord) -> StoreResult<TrackedCertificate> {
        let reached = self
            .certificate_events(certificate.id)
            .await?
            .into_iter()
            .map(|e| Stage::parse(&e.to_stage).map(|s| (s, e.at)).ok_or_else(|| StoreError::corrupt("stage")))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(TrackedCertificate { certificate, reached })
    }
}

#[async_trait]
impl Tracking for SqlStore {
    async fn look_up_certificate(
        &self,
        number: &str,
        birth_date: NaiveDate,
        keys: [&str; 2],
        since: DateTime<Utc>,
    ) -> StoreResult<Lookup> {
        // One row of counters joined to the certificate (if the two facts
        // name one) and its stages: a row per stage reached, at least one.
        static SQL: LazyLock<String> = LazyLock::new(|| {
            let cols: Vec<String> = CERT_COLS.split(", ").map(|c| format!("c.{c}")).collect();
            format!(
                "SELECT \
                 (SELECT failures FROM lookup_failures WHERE key = $3 AND window_start >= $5) AS client_failures, \
                 (SELECT failures FROM lookup_failures WHERE key = $4 AND window_start >= $5) AS case_failures, \
                 {}, e.to_stage AS reached_stage, e.at AS reached_at \
                 FROM (SELECT 1 AS one) o \
                 LEFT JOIN certificates c ON c.number = $1 AND EXISTS \
                 (SELECT 1 FROM persons p WHERE p.id = c.person_id AND p.birth_date = $2) \
                 LEFT JOIN certificate_events e ON e.certificate_id = c.id \
                 ORDER BY e.id",
                cols.join(", ")
            )
        });
        let (failures, row, reached) = on_db!(&self.db, read, |pool, _d| {
            let rows = sqlx::query(SQL.as_str())
                .bind(number)
                .bind(birth_date)
                .bind(keys[0])
                .bind(keys[1])
                .bind(since)
                .fetch_all(pool)
                .await?;
            let mut failures = [0i64; 2];
            let mut cert: Option<CertRow> = None;
            let mut reached = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                if i == 0 {
                    failures = [
                        r.try_get::<Option<i64>, _>("client_failures")?.unwrap_or(0),
                        r.try_get::<Option<i64>, _>("case_failures")?.unwrap_or(0),
                    ];
                    if r.try_get::<Option<uuid::Uuid>, _>("id")?.is_some() {
                        cert = Some(CertRow::from_row(r)?);
                    }
                }
                if let Some(stage) = r.try_get::<Option<String>, _>("reached_stage")? {
                    let at: DateTime<Utc> = r.try_get("reached_at")?;
                    reached.push((Stage::parse(&stage).ok_or_else(|| StoreError::corrupt("stage"))?, at));
                }
            }
            (failures, cert, reached)
        });
        let found = match row {
            Some(row) => Some(TrackedCertificate { certificate: row.into_record()?, reached }),
            None => None,
        };
        Ok(Lookup { failures, found })
    }

    async fn tracked_certificate_by_id(&self, id: uuid::Uuid) -> StoreResult<Option<TrackedCertificate>> {
        match self.certificate(id).await? {
            Some(c) => self.tracked(c).await.map(Some),
            None => Ok(None),
        }
    }

    async fn lookup_failures(&self, keys: &[String], since: DateTime<Utc>) -> StoreResult<Vec<i64>> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let marks: Vec<String> = (2..keys.len() + 2).map(|n| format!("${n}")).collect();
        let sql = format!(
            "SELECT key, failures FROM lookup_failures WHERE window_start >= $1 AND key IN ({})",
            marks.join(", ")
        );
        let rows: Vec<(String, i64)> = on_db!(&self.db, read, |pool, _d| {
            let mut q = sqlx::query_as(&sql).bind(since);
            for key in keys {
                q = q.bind(key);
            }
            q.fetch_all(pool).await?
        });
        Ok(keys.iter().map(|k| rows.iter().find(|(key, _)| key == k).map_or(0, |(_, n)| *n)).collect())
    }

    async fn record_lookup_failure(
        &self,
        keys: &[String],
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            let mut tx = pool.begin_write().await?;
            for key in keys {
                sqlx::query(
                    "INSERT INTO lookup_failures (key, window_start, failures) VALUES ($1, $2, 1) \
                     ON CONFLICT (key) DO UPDATE SET \
                     failures = CASE WHEN lookup_failures.window_start < $3 THEN 1 ELSE lookup_failures.failures + 1 END, \
                     window_start = CASE WHEN lookup_failures.window_start < $3 THEN $2 ELSE lookup_failures.window_start END",
                )
                .bind(key)
                .bind(now)
                .bind(since)
                .execute(&mut *tx)
                .await?;
            }
            // Windows long past say nothing: keep the table small.
            sqlx::query("DELETE FROM lookup_failures WHERE window_start < $1").bind(since).execute(&mut *tx).await?;
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(())
    }
}
