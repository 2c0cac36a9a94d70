//! [`Outbox`] in SQL (`FOR UPDATE SKIP LOCKED` on PostgreSQL).
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::sharing::{RequestEvent, next};
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::{SqlHubStore, entry};
use crate::store::*;

#[async_trait]
impl Outbox for SqlHubStore {
    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<OutboxItem>> {
        let until = now + lease;
        let rows: Vec<(OutboxRow, String)> = on_db!(&self.db, write, |pool, d| {
            let skip = match d.backend {
                Backend::Postgres => " FOR UPDATE SKIP LOCKED",
                Backend::Sqlite => "",
            };
            let mut tx = pool.begin_write().await?;
            let rows: Vec<OutboxRow> = sqlx::query_as(&format!(
                "UPDATE hub_outbox SET claimed_until = $1 WHERE request_pk IN (\
                   SELECT request_pk FROM hub_outbox WHERE next_attempt_at <= $2 \
                   AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY next_attempt_at LIMIT $3{skip}) \
                 RETURNING request_pk, endpoint, file_name, file, metadata, attempts"
            ))
            .bind(until)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let (rid,): (String,) = sqlx::query_as("SELECT request_id FROM hub_requests WHERE id = $1")
                    .bind(r.request_pk)
                    .fetch_one(&mut *tx)
                    .await?;
                out.push((r, rid));
            }
            tx.commit().await?;
            out
        });
        Ok(rows
            .into_iter()
            .map(|(r, request_id)| OutboxItem {
                request_pk: r.request_pk,
                request_id,
                endpoint: r.endpoint,
                file_name: r.file_name,
                file: r.file,
                metadata: r.metadata,
                attempts: r.attempts,
            })
            .collect())
    }

    async fn delivery_acknowledged(&self, request_pk: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
        self.finish_delivery(request_pk, RequestEvent::Acknowledge, None, now).await
    }

    async fn delivery_failed(
        &self,
        request_pk: Uuid,
        error: &str,
        next_attempt_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        match next_attempt_at {
            None => self.finish_delivery(request_pk, RequestEvent::GiveUp, Some(error), now).await,
            Some(at) => {
                on_db!(&self.db, write, |pool, d| {
                    let mut tx = pool.begin_write().await?;
                    sqlx::query(
                        "UPDATE hub_outbox SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, \
                         last_error = $2 WHERE request_pk = $3",
                    )
                    .bind(at)
                    .bind(error)
                    .bind(request_pk)
                    .execute(&mut *tx)
                    .await?;
                    append_audit!(
                        tx,
                        d,
                        entry(
                            &HubActor::system("delivery"),
                            "hub.delivery.retry",
                            format!("request:{request_pk}"),
                            json!({"error": error})
                        )
                    );
                    tx.commit().await?;
                });
                Ok(())
            }
        }
    }

    async fn outbox_len(&self) -> StoreResult<i64> {
        let (n,): (i64,) = on_db!(&self.db, write, |pool, _d| sqlx::query_as("SELECT COUNT(*) FROM hub_outbox")
            .fetch_one(pool)
            .await?);
        Ok(n)
    }
}

impl SqlHubStore {
    /// Acknowledged or given up: the request reaches its final status and
    /// the sealed package is deleted in the same transaction.
    async fn finish_delivery(
        &self,
        request_pk: Uuid,
        event: RequestEvent,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let now = dossier_db::audit::canonical_time(now);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<(String,)> =
                sqlx::query_as(&format!("SELECT status FROM hub_requests WHERE id = $1{}", d.for_update()))
                    .bind(request_pk)
                    .fetch_optional(&mut *tx)
                    .await?;
            let from = status(&row.ok_or(StoreError::NotFound)?.0)?;
            let to = next(from, event).map_err(StoreError::Conflict)?;
            sqlx::query("UPDATE hub_requests SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(to.code())
                .bind(now)
                .bind(request_pk)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM hub_outbox WHERE request_pk = $1").bind(request_pk).execute(&mut *tx).await?;
            append_audit!(
                tx,
                d,
                entry(
                    &HubActor::system("delivery"),
                    "hub.request.advance",
                    format!("request:{request_pk}"),
                    json!({"from": from, "to": to, "event": event, "error": error})
                )
            );
            tx.commit().await?;
        });
        Ok(())
    }
}
