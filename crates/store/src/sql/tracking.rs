//! The public status look-up's reads and its failure counters.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::{StoreError, StoreResult, on_db};
use dossier_domain::lifecycle::Stage;
use uuid::Uuid;

use super::SqlStore;
use crate::*;

#[async_trait]
impl Tracking for SqlStore {
    async fn tracked_certificate(&self, number: &str) -> StoreResult<Option<TrackedCertificate>> {
        let found: Option<(Uuid, i64, NaiveDate)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT c.id, c.issue_unit_id, p.birth_date FROM certificates c \
                 JOIN persons p ON p.id = c.person_id WHERE c.number = $1",
            )
            .bind(number)
            .fetch_optional(pool)
            .await?
        });
        let Some((id, issue_unit_id, birth_date)) = found else { return Ok(None) };
        let certificate = self.certificate(id).await?.ok_or(StoreError::NotFound)?;
        let issue_office = self.unit(issue_unit_id).await?.ok_or(StoreError::NotFound)?;
        let reached = self
            .certificate_events(id)
            .await?
            .into_iter()
            .map(|e| Stage::parse(&e.to_stage).map(|s| (s, e.at)).ok_or_else(|| StoreError::corrupt("stage")))
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(Some(TrackedCertificate { certificate, birth_date, issue_office, reached }))
    }

    async fn lookup_failures(&self, keys: &[String], since: DateTime<Utc>) -> StoreResult<i64> {
        let mut most = 0;
        for key in keys {
            let n: Option<i64> = on_db!(&self.db, read, |pool, _d| {
                sqlx::query_scalar("SELECT failures FROM lookup_failures WHERE key = $1 AND window_start >= $2")
                    .bind(key)
                    .bind(since)
                    .fetch_optional(pool)
                    .await?
            });
            most = most.max(n.unwrap_or(0));
        }
        Ok(most)
    }

    async fn record_lookup_failure(
        &self,
        keys: &[String],
        now: DateTime<Utc>,
        since: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            let mut tx = pool.begin().await?;
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
