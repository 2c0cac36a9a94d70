//! [`Queue`] on SQL. Numbering and calling take the office's row first
//! (`FOR UPDATE` on PostgreSQL; SQLite's writer is one already), so two
//! check-ins never get one number and two desks never call one ticket.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Message;
use dossier_domain::appointment::Service;
use dossier_domain::queue::Status;
use serde_json::json;

use super::SqlStore;
use crate::*;

const COLS: &str =
    "id, unit_id, day, number, service, booking_id, starts_at, status, desk, checked_in_at, called_at, finished_at";

type Row = (
    i64,
    i64,
    NaiveDate,
    i64,
    String,
    Option<i64>,
    DateTime<Utc>,
    String,
    Option<i64>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
    Option<DateTime<Utc>>,
);

fn ticket(r: Row) -> StoreResult<QueueTicket> {
    Ok(QueueTicket {
        id: r.0,
        unit_id: r.1,
        day: r.2,
        number: r.3,
        service: Service::parse(&r.4).ok_or_else(|| StoreError::corrupt("ticket service"))?,
        booking_id: r.5,
        starts_at: r.6,
        status: Status::parse(&r.7).ok_or_else(|| StoreError::corrupt("ticket status"))?,
        desk: r.8,
        checked_in_at: r.9,
        called_at: r.10,
        finished_at: r.11,
    })
}

/// The order tickets are called in.
const ORDER: &str = "ORDER BY starts_at, checked_in_at, id";

#[async_trait]
impl Queue for SqlStore {
    async fn check_in(&self, actor: &Actor, t: &NewTicket) -> StoreResult<(QueueTicket, bool)> {
        let (id, fresh): (i64, bool) = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&format!("SELECT id FROM org_units WHERE id = $1{}", d.for_update()))
                .bind(t.unit_id)
                .execute(&mut *tx)
                .await?;
            let existing: Option<i64> = match t.booking_id {
                Some(booking) => {
                    sqlx::query_scalar("SELECT id FROM queue_tickets WHERE booking_id = $1")
                        .bind(booking)
                        .fetch_optional(&mut *tx)
                        .await?
                }
                None => None,
            };
            let out = match existing {
                Some(id) => {
                    sqlx::query("UPDATE queue_tickets SET token_hash = $1 WHERE id = $2")
                        .bind(&t.token_hash)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    (id, false)
                }
                None => {
                    let id: i64 = sqlx::query_scalar(
                        "INSERT INTO queue_tickets (unit_id, day, number, service, booking_id, token_hash, starts_at, \
                         status, checked_in_at) \
                         SELECT $1, $2, COALESCE(MAX(number), 0) + 1, $3, $4, $5, $6, 'waiting', $7 \
                         FROM queue_tickets WHERE unit_id = $1 AND day = $2 RETURNING id",
                    )
                    .bind(t.unit_id)
                    .bind(t.day)
                    .bind(t.service.as_str())
                    .bind(t.booking_id)
                    .bind(&t.token_hash)
                    .bind(t.starts_at)
                    .bind(t.now)
                    .fetch_one(&mut *tx)
                    .await?;
                    let (action, subject) = match t.booking_id {
                        Some(booking) => ("queue.check_in", format!("booking:{booking}")),
                        None => ("queue.walk_in", format!("unit:{}", t.unit_id)),
                    };
                    let entry =
                        PendingEntry::new(&actor.label, action, subject, json!({"unit": t.unit_id, "ticket": id}));
                    append_audit!(tx, d, vec![entry]);
                    (id, true)
                }
            };
            tx.commit().await?;
            out
        });
        let ticket = self.queue_ticket(id).await?.ok_or(StoreError::NotFound)?;
        Ok((ticket, fresh))
    }

    async fn ticket_by_token(&self, token_hash: &str) -> StoreResult<Option<QueueTicket>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM queue_tickets WHERE token_hash = $1"))
                .bind(token_hash)
                .fetch_optional(pool)
                .await?
        });
        row.map(ticket).transpose()
    }

    async fn queue_ticket(&self, id: i64) -> StoreResult<Option<QueueTicket>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM queue_tickets WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(ticket).transpose()
    }

    async fn tickets_ahead(&self, t: &QueueTicket) -> StoreResult<i64> {
        Ok(on_db!(&self.db, read, |pool, _d| {
            sqlx::query_scalar::<_, i64>(
                "SELECT COUNT(*) FROM queue_tickets WHERE unit_id = $1 AND day = $2 AND status = 'waiting' \
                 AND (starts_at < $3 OR (starts_at = $3 AND (checked_in_at < $4 OR (checked_in_at = $4 AND id < $5))))",
            )
            .bind(t.unit_id)
            .bind(t.day)
            .bind(t.starts_at)
            .bind(t.checked_in_at)
            .bind(t.id)
            .fetch_one(pool)
            .await?
        }))
    }

    async fn queue_of(&self, unit_id: i64, day: NaiveDate) -> StoreResult<Vec<QueueTicket>> {
        let rows: Vec<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM queue_tickets WHERE unit_id = $1 AND day = $2 {ORDER}"))
                .bind(unit_id)
                .bind(day)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(ticket).collect()
    }

    async fn call_next(
        &self,
        actor: &Actor,
        unit_id: i64,
        day: NaiveDate,
        desk: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<QueueTicket>> {
        let called: Option<i64> = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&format!("SELECT id FROM org_units WHERE id = $1{}", d.for_update()))
                .bind(unit_id)
                .execute(&mut *tx)
                .await?;
            let next: Option<i64> = sqlx::query_scalar(&format!(
                "SELECT id FROM queue_tickets WHERE unit_id = $1 AND day = $2 AND status = 'waiting' {ORDER} LIMIT 1"
            ))
            .bind(unit_id)
            .bind(day)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(id) = next {
                sqlx::query(
                    "UPDATE queue_tickets SET status = 'called', desk = $1, called_at = $2, called_by = $3 WHERE id = $4",
                )
                .bind(desk)
                .bind(now)
                .bind(&actor.label)
                .bind(id)
                .execute(&mut *tx)
                .await?;
                let entry =
                    PendingEntry::new(&actor.label, "queue.call", format!("ticket:{id}"), json!({"desk": desk}));
                append_audit!(tx, d, vec![entry]);
            }
            tx.commit().await?;
            next
        });
        match called {
            Some(id) => self.queue_ticket(id).await,
            None => Ok(None),
        }
    }

    async fn finish_ticket(&self, actor: &Actor, id: i64, to: Status, now: DateTime<Utc>) -> StoreResult<QueueTicket> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE queue_tickets SET status = $1, finished_at = $2 WHERE id = $3 AND status = 'called'",
            )
            .bind(to.as_str())
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(Message::new("queue.not_called")));
            }
            let entry =
                PendingEntry::new(&actor.label, "queue.finish", format!("ticket:{id}"), json!({"to": to.as_str()}));
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.queue_ticket(id).await?.ok_or(StoreError::NotFound)
    }
}
