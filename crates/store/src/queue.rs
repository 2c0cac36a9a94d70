//! The electronic queue at an office: tickets of bookings checked in on
//! their day and of walk-ins, numbered per office and day, called to a desk once.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::appointment::Service;
use dossier_domain::queue::Status;

use crate::{Actor, StoreResult};

#[async_trait]
pub trait Queue: Send + Sync {
    /// The ticket of a booking: made at the first check-in (the day's next
    /// number at the office), the same ticket at a later one, whose token
    /// then replaces the earlier (the newest phone follows it). A walk-in
    /// (no booking) always gets a new ticket. `true` when new. Audited as `actor`'s.
    async fn check_in(&self, actor: &Actor, t: &NewTicket) -> StoreResult<(QueueTicket, bool)>;
    async fn ticket_by_token(&self, token_hash: &str) -> StoreResult<Option<QueueTicket>>;
    async fn queue_ticket(&self, id: i64) -> StoreResult<Option<QueueTicket>>;
    /// How many waiting tickets of the office's day are called before this one.
    async fn tickets_ahead(&self, t: &QueueTicket) -> StoreResult<i64>;
    /// The office's tickets of the day, in the order they are called.
    async fn queue_of(&self, unit_id: i64, day: NaiveDate) -> StoreResult<Vec<QueueTicket>>;
    /// Calls the next waiting ticket (earliest booked time, then earliest
    /// check-in) to `desk`; two desks calling at once get two tickets. Audited.
    async fn call_next(
        &self,
        actor: &Actor,
        unit_id: i64,
        day: NaiveDate,
        desk: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<QueueTicket>>;
    /// A called ticket served or missed, once. Audited.
    async fn finish_ticket(&self, actor: &Actor, id: i64, to: Status, now: DateTime<Utc>) -> StoreResult<QueueTicket>;
}

#[derive(Debug, Clone)]
pub struct NewTicket {
    pub unit_id: i64,
    pub day: NaiveDate,
    pub service: Service,
    /// The booking checked in; `None`: a walk-in, given by the office's staff.
    pub booking_id: Option<i64>,
    pub token_hash: String,
    /// The booked time, or a walk-in's arrival.
    pub starts_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueueTicket {
    pub id: i64,
    pub unit_id: i64,
    pub day: NaiveDate,
    pub number: i64,
    pub service: Service,
    /// `None`: a walk-in.
    pub booking_id: Option<i64>,
    /// The booked time, or a walk-in's arrival.
    pub starts_at: DateTime<Utc>,
    pub status: Status,
    pub desk: Option<i64>,
    pub checked_in_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

impl QueueTicket {
    /// `П-007`.
    pub fn label(&self) -> String {
        dossier_domain::queue::label(self.service, self.number)
    }
}
