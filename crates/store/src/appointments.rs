//! Appointments at an office, booked without registration (issue 21 §6): the
//! places taken per slot, the bookings found by their code's hash, and a
//! booking's e-mail (confirmation, reminder, cancellation) written to the
//! outbox in the booking's own transaction. (Tables `bookings` and
//! `booking_slots`: the staff's appointments by order are `production`'s.)
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::appointment::{Rules, Service, Status};

use crate::{Actor, StoreResult};

/// A booking to make.
#[derive(Debug, Clone)]
pub struct NewBooking {
    pub unit_id: i64,
    pub service: Service,
    pub starts_at: DateTime<Utc>,
    /// Places the slot has: the booking is refused (`Conflict`,
    /// `appointment.full`) when this many are taken.
    pub capacity: i64,
    /// SHA-256 (hex) of the booking code.
    pub code_hash: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: String,
    /// Upcoming bookings one e-mail address or phone may hold
    /// (`Conflict`, `appointment.too_many`, past it).
    pub per_contact: i64,
    /// When the reminder is due; `None`: booked too close for one.
    pub remind_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Booking {
    pub id: i64,
    pub unit_id: i64,
    pub service: Service,
    pub starts_at: DateTime<Utc>,
    pub status: Status,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: String,
    pub created_at: DateTime<Utc>,
    pub changed_at: DateTime<Utc>,
}

/// Where a booking moves.
#[derive(Debug, Clone, Copy)]
pub struct NewSlot {
    pub starts_at: DateTime<Utc>,
    pub capacity: i64,
    pub remind_at: Option<DateTime<Utc>>,
}

#[async_trait]
pub trait Appointments: Send + Sync {
    /// Places taken per slot of one office and service, for slots starting in `[from, to)`.
    async fn slot_loads(
        &self,
        unit_id: i64,
        service: Service,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> StoreResult<Vec<(DateTime<Utc>, i64)>>;

    /// Takes a place in the slot, if one is free, and records the booking —
    /// with its e-mail subscription and confirmation message when it has an
    /// address — in one transaction; audited.
    async fn book(&self, actor: &Actor, new: &NewBooking, now: DateTime<Utc>) -> StoreResult<Booking>;

    async fn booking(&self, id: i64) -> StoreResult<Option<Booking>>;

    /// The booking whose code hashes to `code_hash`.
    async fn booking_by_code(&self, code_hash: &str) -> StoreResult<Option<Booking>>;

    /// Cancels a booked appointment and frees its place, if `rules` still
    /// allow a change (checked against the slot read in the transaction).
    async fn cancel_booking(&self, actor: &Actor, id: i64, rules: &Rules, now: DateTime<Utc>) -> StoreResult<Booking>;

    /// Moves a booked appointment to another slot of its office and service:
    /// the new place is taken and the old one freed together, or neither.
    async fn move_booking(
        &self,
        actor: &Actor,
        id: i64,
        to: NewSlot,
        rules: &Rules,
        now: DateTime<Utc>,
    ) -> StoreResult<Booking>;

    /// The bookings of one office starting in `[from, to)`, earliest first (the office's day list).
    async fn bookings_at(&self, unit_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<Booking>>;
}
