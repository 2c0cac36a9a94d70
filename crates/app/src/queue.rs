//! The electronic queue at an office (issue 21 §6). A citizen checks in on
//! the day with the booking's code (at the office's kiosk or on the phone),
//! or without a booking is given one by the office's reception, and gets a
//! ticket and the link of its page, which follows the ticket's place in the
//! queue; the hall screen shows the tickets called to the
//! desks. Staff of the office call the next ticket to their desk and mark it
//! served or missed. Wrong codes and wrong ticket links count with the
//! status look-up's failures; nothing on the public pages names a person.
use chrono::{DateTime, NaiveDate, Utc};
use dossier_crypto::secrets::{random_token, token_hash};
use dossier_domain::appointment::{Service, Status as BookingStatus};
use dossier_domain::org::Permission;
use dossier_domain::queue::{self as rules, Event, Status};
use dossier_domain::time::kyiv_time;
use dossier_domain::{Invalid, Message};
use dossier_store::{Actor, NewTicket, QueueTicket, Unit};

use crate::appointments::{BookingKey, find, office, reception_for};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, Caller};

/// A ticket just taken: its record and the token of its page (shown once).
pub struct CheckedIn {
    pub ticket: QueueTicket,
    pub token: String,
    pub office: Unit,
}

fn today(now: DateTime<Utc>) -> NaiveDate {
    kyiv_time(now).date_naive()
}

/// Checks a booking in by its code: on its day, from an hour before to a
/// quarter after its time. Checking in again gives the same ticket.
pub async fn check_in(app: &App, client: &str, code: &str, now: DateTime<Utc>) -> AppResult<CheckedIn> {
    let booking = find(app, client, &BookingKey::Code(code.to_owned()), now).await?;
    if booking.status != BookingStatus::Booked {
        return Err(AppError::conflict("queue.cancelled"));
    }
    if today(booking.starts_at) != today(now) {
        return Err(AppError::from(Invalid::one("code", "queue.not_today")));
    }
    rules::check_in_window(booking.starts_at, now).map_err(|m| AppError::from(Invalid::one("code", m)))?;
    let token = random_token().map_err(|_| AppError::internal())?;
    let citizen = Actor { label: "citizen".into(), account_id: None };
    let (ticket, _) = app
        .store
        .check_in(
            &citizen,
            &NewTicket {
                unit_id: booking.unit_id,
                day: today(now),
                service: booking.service,
                booking_id: Some(booking.id),
                token_hash: token_hash(&token),
                starts_at: booking.starts_at,
                now,
            },
        )
        .await?;
    let office = office(app, ticket.unit_id)?;
    Ok(CheckedIn { ticket, token, office })
}

/// Gives a ticket to a citizen who came without a booking — at the
/// office's reception, by its staff (in scope) — for a service the office
/// receives for. It waits its turn by arrival among the booked times, so a
/// booking keeps its time and nobody who came earlier is passed.
pub async fn walk_in(
    app: &App,
    caller: &Caller,
    office_id: i64,
    service: Service,
    now: DateTime<Utc>,
) -> AppResult<CheckedIn> {
    let office = office(app, office_id)?;
    app.authorize(caller, Permission::WritePerson, &office.path, &format!("unit:{}", office.id)).await?;
    reception_for(app, &office, service)?;
    let token = random_token().map_err(|_| AppError::internal())?;
    let new = NewTicket {
        unit_id: office.id,
        day: today(now),
        service,
        booking_id: None,
        token_hash: token_hash(&token),
        starts_at: now,
        now,
    };
    let (ticket, _) = app.store.check_in(&caller.actor(), &new).await?;
    Ok(CheckedIn { ticket, token, office })
}

/// The address of a ticket's page, absolute when the fund's public address
/// is known (for the QR code a walk-in scans at the reception), with its QR code.
pub fn ticket_link(app: &App, token: &str) -> (String, Option<String>) {
    let path = format!("/queue/ticket?t={token}");
    match app.config().public_url.as_deref() {
        Some(base) => {
            let link = format!("{}{path}", base.trim_end_matches('/'));
            let qr = crate::qr::svg(&link);
            (link, qr)
        }
        None => (path, None),
    }
}

/// A ticket as its holder follows it.
pub struct TicketView {
    pub ticket: QueueTicket,
    /// Waiting tickets called before it.
    pub ahead: i64,
    pub office: Unit,
}

impl TicketView {
    /// What the holder is told: waiting (with how many are ahead), or called to desk N.
    pub fn message(&self) -> Message {
        match (self.ticket.status, self.ticket.desk) {
            (Status::Called, Some(desk)) => Message::new("queue.called_to").with("desk", desk),
            (Status::Waiting, _) => Message::new("queue.ahead").with("count", self.ahead),
            (s, _) => s.message(),
        }
    }
}

/// The ticket a page's token names; a wrong token counts against the client.
pub async fn ticket(app: &App, client: &str, token: &str, now: DateTime<Utc>) -> AppResult<TicketView> {
    let budget = crate::tracking::ClientBudget::check(app, client, now).await?;
    let Some(ticket) = app.store.ticket_by_token(&token_hash(token.trim())).await? else {
        budget.spend(app).await?;
        return Err(AppError::new(ErrorKind::NotFound, "not_found", "queue.ticket_invalid"));
    };
    let ahead = if ticket.status == Status::Waiting { app.store.tickets_ahead(&ticket).await? } else { 0 };
    let office = office(app, ticket.unit_id)?;
    Ok(TicketView { ticket, ahead, office })
}

/// What the hall screen shows: the latest calls (ticket and desk) and how many wait. No names.
pub struct Board {
    pub office: Unit,
    pub called: Vec<QueueTicket>,
    pub waiting: usize,
}

/// Calls shown on the hall screen.
pub const BOARD_CALLS: usize = 8;

pub async fn board(app: &App, office_id: i64, now: DateTime<Utc>) -> AppResult<Board> {
    let office = office(app, office_id)?;
    let tickets = app.store.queue_of(office.id, today(now)).await?;
    let waiting = tickets.iter().filter(|t| t.status == Status::Waiting).count();
    let mut called: Vec<QueueTicket> = tickets.into_iter().filter(|t| t.status == Status::Called).collect();
    called.sort_by_key(|t| std::cmp::Reverse(t.called_at));
    called.truncate(BOARD_CALLS);
    Ok(Board { office, called, waiting })
}

/// The office's queue of the day, for its staff.
pub async fn office_queue(
    app: &App,
    caller: &Caller,
    office_id: i64,
    now: DateTime<Utc>,
) -> AppResult<Vec<QueueTicket>> {
    let office = office(app, office_id)?;
    app.authorize(caller, Permission::ReadPerson, &office.path, &format!("unit:{}", office.id)).await?;
    Ok(app.store.queue_of(office.id, today(now)).await?)
}

/// Calls the next ticket to the caller's desk.
pub async fn call_next(
    app: &App,
    caller: &Caller,
    office_id: i64,
    desk: &str,
    now: DateTime<Utc>,
) -> AppResult<QueueTicket> {
    let office = office(app, office_id)?;
    app.authorize(caller, Permission::WritePerson, &office.path, &format!("unit:{}", office.id)).await?;
    let desk = rules::desk(desk).map_err(|m| AppError::from(Invalid::one("desk", m)))?;
    app.store
        .call_next(&caller.actor(), office.id, today(now), desk, now)
        .await?
        .ok_or_else(|| AppError::conflict("queue.empty"))
}

/// Marks a called ticket of an office in scope served or missed.
pub async fn finish(
    app: &App,
    caller: &Caller,
    ticket_id: i64,
    outcome: &str,
    now: DateTime<Utc>,
) -> AppResult<QueueTicket> {
    let ticket = app.store.queue_ticket(ticket_id).await?.ok_or_else(AppError::not_found)?;
    let office = office(app, ticket.unit_id)?;
    app.authorize(caller, Permission::WritePerson, &office.path, &format!("unit:{}", office.id)).await?;
    let event = match outcome.trim() {
        "served" => Event::Serve,
        "missed" => Event::Miss,
        other => {
            let unknown = Message::new("common.unknown_value").with("value", other);
            return Err(AppError::from(Invalid::one("outcome", unknown)));
        }
    };
    let to = ticket.status.after(event).ok_or_else(|| AppError::conflict("queue.not_called"))?;
    Ok(app.store.finish_ticket(&caller.actor(), ticket.id, to, now).await?)
}
