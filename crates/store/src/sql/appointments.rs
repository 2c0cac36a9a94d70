//! Appointments. A place is taken by one conditional UPDATE of the slot's
//! row (`booked < capacity`): on PostgreSQL the row lock makes racing
//! bookings wait and re-check, on SQLite the write transaction is the lock —
//! either way a slot never holds more bookings than places.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Message;
use dossier_domain::appointment::{Refusal, Rules, Service, Status};
use dossier_domain::notify::Topic;
use serde_json::json;

use super::SqlStore;
use crate::*;

const COLS: &str = "id, unit_id, service, starts_at, status, name, email, phone, lang, created_at, changed_at";

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    unit_id: i64,
    service: String,
    starts_at: DateTime<Utc>,
    status: String,
    name: String,
    email: Option<String>,
    phone: Option<String>,
    lang: String,
    created_at: DateTime<Utc>,
    changed_at: DateTime<Utc>,
}

impl Row {
    fn into_booking(self) -> StoreResult<Booking> {
        Ok(Booking {
            id: self.id,
            unit_id: self.unit_id,
            service: Service::parse(&self.service).ok_or_else(|| StoreError::corrupt("appointment service"))?,
            starts_at: self.starts_at,
            status: Status::parse(&self.status).ok_or_else(|| StoreError::corrupt("appointment status"))?,
            name: self.name,
            email: self.email,
            phone: self.phone,
            lang: self.lang,
            created_at: self.created_at,
            changed_at: self.changed_at,
        })
    }
}

fn refused(r: Refusal) -> StoreError {
    StoreError::Conflict(r.message())
}

/// Takes one place of the slot inside `$tx`, or refuses with `appointment.full`.
macro_rules! take_place {
    ($tx:expr, $unit:expr, $service:expr, $starts:expr, $capacity:expr) => {{
        sqlx::query(
            "INSERT INTO booking_slots (unit_id, service, starts_at, booked) VALUES ($1, $2, $3, 0) \
             ON CONFLICT DO NOTHING",
        )
        .bind($unit)
        .bind($service.as_str())
        .bind($starts)
        .execute(&mut *$tx)
        .await?;
        let taken = sqlx::query(
            "UPDATE booking_slots SET booked = booked + 1 \
             WHERE unit_id = $1 AND service = $2 AND starts_at = $3 AND booked < $4",
        )
        .bind($unit)
        .bind($service.as_str())
        .bind($starts)
        .bind($capacity)
        .execute(&mut *$tx)
        .await?
        .rows_affected();
        if taken == 0 {
            return Err(refused(Refusal::Full));
        }
    }};
}

/// Frees the place a booking held inside `$tx`.
macro_rules! free_place {
    ($tx:expr, $b:expr) => {{
        let b: &Booking = $b;
        sqlx::query(
            "UPDATE booking_slots SET booked = booked - 1 \
             WHERE unit_id = $1 AND service = $2 AND starts_at = $3 AND booked > 0",
        )
        .bind(b.unit_id)
        .bind(b.service.as_str())
        .bind(b.starts_at)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// Writes the booking's message of `$topic` to its live subscriptions (its
/// e-mail) inside `$tx`.
macro_rules! tell {
    ($tx:expr, $b:expr, $topic:expr, $now:expr) => {{
        let b: &Booking = $b;
        sqlx::query(
            "INSERT INTO notifications (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, \
             payload, status, attempts, next_attempt_at, created_at) \
             SELECT s.id, NULL, s.channel, $2, $3, $4, $5, $6, 'pending', 0, $4, $4 FROM subscriptions s \
             WHERE s.status = 'active' AND s.booking_id = $1 ON CONFLICT DO NOTHING",
        )
        .bind(b.id)
        .bind(format!("appointment:{}", b.id))
        .bind($topic.as_str())
        .bind($now)
        .bind(b.unit_id)
        .bind(json!({"service": b.service.as_str(), "starts_at": b.starts_at}).to_string())
        .execute(&mut *$tx)
        .await?;
    }};
}

/// The booking `$id` as the transaction sees it (locked on PostgreSQL), if
/// it is booked and `$rules` still let it change at `$now`.
macro_rules! changeable_booking {
    ($tx:expr, $d:expr, $id:expr, $rules:expr, $now:expr) => {{
        let lock = if $d.backend == dossier_db::Backend::Postgres { " FOR UPDATE" } else { "" };
        let row: Option<Row> = sqlx::query_as(&format!("SELECT {COLS} FROM bookings WHERE id = $1{lock}"))
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        let b = row.ok_or(StoreError::NotFound)?.into_booking()?;
        if b.status != Status::Booked {
            return Err(refused(Refusal::NotLive));
        }
        $rules.may_change($now, b.starts_at).map_err(refused)?;
        b
    }};
}

fn audit_entry(actor: &Actor, action: &str, b: &Booking) -> PendingEntry {
    // No name or contact: the audit log names the booking, the office, the service and the time.
    PendingEntry::new(
        &actor.label,
        action,
        format!("appointment:{}", b.id),
        json!({"unit_id": b.unit_id, "service": b.service.as_str(), "starts_at": b.starts_at}),
    )
}

#[async_trait]
impl Appointments for SqlStore {
    async fn slot_loads(
        &self,
        unit_id: i64,
        service: Service,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, i64)>> {
        Ok(on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT starts_at, booked FROM booking_slots \
                 WHERE unit_id = $1 AND service = $2 AND starts_at >= $3 AND starts_at < $4 ORDER BY starts_at",
            )
            .bind(unit_id)
            .bind(service.as_str())
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        }))
    }

    async fn book(&self, actor: &Actor, new: &NewBooking, now: DateTime<Utc>) -> StoreResult<Booking> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            if new.email.is_some() || new.phone.is_some() {
                let held: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM bookings WHERE status = 'booked' AND starts_at > $1 \
                     AND (email = $2 OR phone = $3)",
                )
                .bind(now)
                .bind(&new.email)
                .bind(&new.phone)
                .fetch_one(&mut *tx)
                .await?;
                if held >= new.per_contact {
                    return Err(StoreError::Conflict(
                        Message::new("appointment.too_many").with("max", new.per_contact),
                    ));
                }
            }
            take_place!(tx, new.unit_id, new.service, new.starts_at, new.capacity);
            let row: Row = sqlx::query_as(&format!(
                "INSERT INTO bookings (code_hash, unit_id, service, starts_at, status, name, email, phone, lang, \
                 created_at, changed_at, remind_at) VALUES ($1, $2, $3, $4, 'booked', $5, $6, $7, $8, $9, $9, $10) \
                 RETURNING {COLS}"
            ))
            .bind(&new.code_hash)
            .bind(new.unit_id)
            .bind(new.service.as_str())
            .bind(new.starts_at)
            .bind(&new.name)
            .bind(&new.email)
            .bind(&new.phone)
            .bind(&new.lang)
            .bind(now)
            .bind(new.remind_at)
            .fetch_one(&mut *tx)
            .await?;
            let booking = row.into_booking()?;
            if let Some(email) = &new.email {
                // The citizen typed the address to hear about this booking: its
                // messages need no opt-in, and it lives and ends with the booking.
                sqlx::query(
                    "INSERT INTO subscriptions (person_id, certificate_id, channel, address, secret, lang, status, \
                     link_expires_at, created_by, created_at, active_at, booking_id) \
                     VALUES (NULL, NULL, 'email', $1, NULL, $2, 'active', NULL, $3, $4, $4, $5)",
                )
                .bind(email)
                .bind(&new.lang)
                .bind(&actor.label)
                .bind(now)
                .bind(booking.id)
                .execute(&mut *tx)
                .await?;
                tell!(tx, &booking, Topic::AppointmentBooked, now);
            }
            append_audit!(tx, d, vec![audit_entry(actor, "appointment.book", &booking)]);
            tx.commit().await?;
            Ok::<Booking, StoreError>(booking)
        })
    }

    async fn booking(&self, id: i64) -> StoreResult<Option<Booking>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM bookings WHERE id = $1")).bind(id).fetch_optional(pool).await?
        });
        row.map(Row::into_booking).transpose()
    }

    async fn booking_by_code(&self, code_hash: &str) -> StoreResult<Option<Booking>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM bookings WHERE code_hash = $1"))
                .bind(code_hash)
                .fetch_optional(pool)
                .await?
        });
        row.map(Row::into_booking).transpose()
    }

    async fn cancel_booking(&self, actor: &Actor, id: i64, rules: &Rules, now: DateTime<Utc>) -> StoreResult<Booking> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let mut b = changeable_booking!(tx, d, id, rules, now);
            free_place!(tx, &b);
            sqlx::query("UPDATE bookings SET status = 'cancelled', changed_at = $1 WHERE id = $2")
                .bind(now)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (b.status, b.changed_at) = (Status::Cancelled, now);
            tell!(tx, &b, Topic::AppointmentCancelled, now);
            // Nothing more to say about it: its e-mail ends with it.
            sqlx::query(
                "UPDATE subscriptions SET status = 'ended', ended_at = $1, ended_reason = 'appointment cancelled' \
                 WHERE booking_id = $2 AND status = 'active'",
            )
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            append_audit!(tx, d, vec![audit_entry(actor, "appointment.cancel", &b)]);
            tx.commit().await?;
            Ok::<Booking, StoreError>(b)
        })
    }

    async fn move_booking(
        &self,
        actor: &Actor,
        id: i64,
        to: NewSlot,
        rules: &Rules,
        now: DateTime<Utc>,
    ) -> StoreResult<Booking> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let mut b = changeable_booking!(tx, d, id, rules, now);
            if b.starts_at == to.starts_at {
                return Ok(b);
            }
            take_place!(tx, b.unit_id, b.service, to.starts_at, to.capacity);
            free_place!(tx, &b);
            sqlx::query("UPDATE bookings SET starts_at = $1, changed_at = $2, remind_at = $3 WHERE id = $4")
                .bind(to.starts_at)
                .bind(now)
                .bind(to.remind_at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            (b.starts_at, b.changed_at) = (to.starts_at, now);
            tell!(tx, &b, Topic::AppointmentBooked, now);
            append_audit!(tx, d, vec![audit_entry(actor, "appointment.move", &b)]);
            tx.commit().await?;
            Ok::<Booking, StoreError>(b)
        })
    }

    async fn bookings_at(&self, unit_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Booking>> {
        let rows: Vec<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {COLS} FROM bookings WHERE unit_id = $1 AND starts_at >= $2 AND starts_at < $3 \
                 ORDER BY starts_at, id"
            ))
            .bind(unit_id)
            .bind(from)
            .bind(to)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(Row::into_booking).collect()
    }
}
