//! Booking an appointment at an office without registration (issue 21 §6):
//! the free times of an office and service, booking one with a name and a
//! contact, and — by the booking code or the link in its e-mails — seeing,
//! moving or cancelling it until 24 hours before. The code is the citizen's
//! only key, so it is random (50 bits), stored only as its hash, never
//! logged, and guesses count against the client like the status look-up's;
//! bookings per client and per contact are limited so that nobody books an
//! office's week away.
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use dossier_crypto::secrets::{random_bytes, token_hash};
use dossier_domain::appointment::{self, Reception, Rules, Schedule, Service, Status};
use dossier_domain::ident::CitizenCode;
use dossier_domain::notify::email_address;
use dossier_domain::org::Permission;
use dossier_domain::time::{kyiv_midnight, kyiv_time};
use dossier_domain::{Invalid, Lang, Message};
use dossier_store::{Actor, Booking, NewBooking, NewSlot, Unit};
use serde_json::json;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::notify::Purpose;
use crate::{App, Caller};

/// How the fund receives by appointment (`[appointments]` in the configuration).
#[derive(Debug, Clone)]
pub struct AppointmentSettings {
    /// The hours of an office without its own reception.
    pub schedule: Schedule,
    pub rules: Rules,
    /// Places per slot of each service (citizens one specialist receives at
    /// once, times specialists) at an office without its own reception.
    pub places: i64,
    /// Upcoming bookings one e-mail address or phone may hold.
    pub per_contact: i64,
    /// Bookings one client may make within the look-up window.
    pub per_client: i64,
}

impl Default for AppointmentSettings {
    fn default() -> Self {
        AppointmentSettings {
            schedule: Schedule::default(),
            rules: Rules::default(),
            places: 2,
            per_contact: 3,
            per_client: 10,
        }
    }
}

/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 100;

/// One time an office receives for a service, and its places still free.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreeSlot {
    /// On the office's clock (Kyiv).
    pub local: NaiveDateTime,
    pub starts_at: DateTime<Utc>,
    pub free: i64,
}

/// What a citizen fills in.
#[derive(Debug, Clone)]
pub struct BookingRequest {
    pub office_id: i64,
    pub service: Service,
    /// The slot's start on the office's clock; `None`: none was chosen.
    pub local: Option<NaiveDateTime>,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub lang: Lang,
}

/// A booking made: the record and the code, shown once.
#[derive(Debug, Clone)]
pub struct Booked {
    pub booking: Booking,
    pub code: CitizenCode,
}

/// How a citizen names their booking: the code they were given, or the
/// signed link in its e-mails.
#[derive(Debug, Clone)]
pub enum BookingKey {
    Code(String),
    Link(String),
}

/// An office that receives citizens: one of the fund's, with an address.
pub fn office(app: &App, id: i64) -> AppResult<Unit> {
    app.unit(id).filter(crate::org::receives_citizens).ok_or_else(AppError::not_found)
}

fn settings(app: &App) -> &AppointmentSettings {
    &app.config().appointments
}

/// How `office` receives: by its own reception, or by the fund's default.
pub fn reception(app: &App, office: &Unit) -> Reception {
    office.reception.clone().unwrap_or_else(|| {
        let s = settings(app);
        Reception::fund_default(s.schedule.clone(), s.places)
    })
}

/// `office`'s reception, if it receives for `service`.
pub(crate) fn reception_for(app: &App, office: &Unit, service: Service) -> AppResult<Reception> {
    let r = reception(app, office);
    if r.offers(service) {
        Ok(r)
    } else {
        Err(AppError::from(Invalid::one("service", "appointment.service_not_offered")))
    }
}

/// A day's bookable times: each on the office's clock and as an instant.
type Times = Vec<(NaiveDateTime, DateTime<Utc>)>;

/// The times `service` may be booked at `office_id` from `now` to the
/// horizon, by day, with the places free; full times are kept (shown as
/// taken) so a page does not jump.
pub async fn free_slots(
    app: &App,
    office_id: i64,
    service: Service,
    now: DateTime<Utc>,
) -> AppResult<Vec<(NaiveDate, Vec<FreeSlot>)>> {
    let office = office(app, office_id)?;
    let reception = reception_for(app, &office, service)?;
    let schedule = reception.schedule();
    let s = settings(app);
    let cal = &app.config().calendar;
    let days: Vec<(NaiveDate, Times)> = s
        .rules
        .days(now)
        .map(|day| {
            let times = schedule
                .slots(cal, day)
                .into_iter()
                .filter_map(|t| s.rules.check(schedule, cal, now, day.and_time(t)).ok().map(|at| (day.and_time(t), at)))
                .collect::<Vec<_>>();
            (day, times)
        })
        .filter(|(_, times)| !times.is_empty())
        .collect();
    let (Some(first), Some(last)) = (days.first(), days.last()) else { return Ok(Vec::new()) };
    let from = first.1.first().map_or(now, |t| t.1);
    let to = last.1.last().map_or(now, |t| t.1) + Duration::seconds(1);
    let loads: std::collections::HashMap<DateTime<Utc>, i64> =
        app.store.slot_loads(office.id, service, from, to).await?.into_iter().collect();
    let taken = |at: DateTime<Utc>| loads.get(&at).copied().unwrap_or(0);
    Ok(days
        .into_iter()
        .map(|(day, times)| {
            let slots = times
                .into_iter()
                .map(|(local, starts_at)| FreeSlot {
                    local,
                    starts_at,
                    free: (reception.places() - taken(starts_at)).max(0),
                })
                .collect();
            (day, slots)
        })
        .collect())
}

/// Checks what the citizen typed: every problem at once.
fn validated(req: &BookingRequest) -> Result<(String, Option<String>, Option<String>), Invalid> {
    let mut invalid = Invalid::default();
    let name = req.name.trim().to_owned();
    if name.is_empty() {
        invalid.push("name", "common.required");
    } else if name.chars().count() > MAX_NAME_CHARS {
        invalid.push("name", Message::new("common.too_long").with("max", MAX_NAME_CHARS));
    } else if let Err(m) = dossier_domain::text::printable(&name) {
        invalid.push("name", m);
    }
    let typed = |v: &Option<String>| v.as_deref().map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned);
    let email = typed(&req.email);
    let email = match email.as_deref().map(email_address) {
        Some(None) => {
            invalid.push("email", "notify.email_format");
            None
        }
        Some(e) => e,
        None => None,
    };
    let phone = match typed(&req.phone).as_deref().map(appointment::phone_number) {
        Some(None) => {
            invalid.push("phone", "appointment.phone");
            None
        }
        Some(p) => p,
        None => None,
    };
    if typed(&req.email).is_none() && typed(&req.phone).is_none() {
        invalid.push("email", "appointment.contact_needed");
    }
    if req.local.is_none() {
        invalid.push("starts_at", "appointment.pick_time");
    }
    invalid.into_result().map(|()| (name, email, phone))
}

/// The slot `local` of an office receiving by `reception`, if it may be
/// booked at `now`, as a store's slot.
fn slot(app: &App, reception: &Reception, local: NaiveDateTime, now: DateTime<Utc>) -> AppResult<NewSlot> {
    let s = settings(app);
    let starts_at = s.rules.check(reception.schedule(), &app.config().calendar, now, local).map_err(|r| {
        let m = r.message();
        let m = if r == appointment::Refusal::TooFar { m.with("days", s.rules.horizon_days) } else { m };
        AppError::from(Invalid::one("starts_at", m))
    })?;
    let remind_at = starts_at - s.rules.remind_before;
    Ok(NewSlot { starts_at, capacity: reception.places(), remind_at: (remind_at > now).then_some(remind_at) })
}

fn actor(client_label: &str) -> Actor {
    Actor { label: client_label.to_owned(), account_id: None }
}

/// Books the slot for the citizen. `client` is the caller's address (a
/// counter key only).
pub async fn book(app: &App, client: &str, req: &BookingRequest, now: DateTime<Utc>) -> AppResult<Booked> {
    let (name, email, phone) = validated(req).map_err(AppError::from)?;
    let office = office(app, req.office_id)?;
    let reception = reception_for(app, &office, req.service)?;
    let slot = slot(app, &reception, req.local.ok_or_else(AppError::internal)?, now)?;
    let s = settings(app);
    let cfg = app.config();
    let since = now - cfg.lookup_window;
    let key = [format!("book:{client}")];
    if app.store.lookup_failures(&key, since).await?.first().is_some_and(|n| *n >= s.per_client) {
        tracing::info!(target: "dossier::access", outcome = "limited", "appointment booking");
        return Err(limited(app));
    }
    let code = CitizenCode::from_random(random_bytes().map_err(|_| AppError::internal())?);
    let new = NewBooking {
        unit_id: office.id,
        service: req.service,
        starts_at: slot.starts_at,
        capacity: slot.capacity,
        code_hash: token_hash(code.as_str()),
        name,
        email,
        phone,
        lang: req.lang.code().to_owned(),
        per_contact: s.per_contact,
        remind_at: slot.remind_at,
    };
    let booking = app.store.book(&actor("citizen"), &new, now).await?;
    // Counted after it succeeds: a refused booking (full, a typo) costs nothing.
    app.store.record_lookup_failure(&key, now, since).await?;
    tracing::info!(target: "dossier::access", outcome = "booked", "appointment booking");
    Ok(Booked { booking, code })
}

fn limited(app: &App) -> AppError {
    let wait = u64::try_from(app.config().lookup_window.num_seconds()).unwrap_or(900);
    AppError::new(ErrorKind::RateLimited, "rate_limited", "tracking.limited").with_retry_after(wait)
}

/// The booking a code or a link names. A wrong code counts as a failed
/// look-up of the client (the same budget as the status look-up's); a
/// limited client is refused before the code is even read.
pub async fn find(app: &App, client: &str, key: &BookingKey, now: DateTime<Utc>) -> AppResult<Booking> {
    match key {
        BookingKey::Link(token) => {
            let id = app
                .notifier()
                .and_then(|n| n.settings.link_key.verify(Purpose::Appointment, token, now))
                .ok_or_else(|| AppError::new(ErrorKind::NotFound, "not_found", "appointment.code_invalid"))?;
            app.store.booking(id).await?.ok_or_else(AppError::not_found)
        }
        BookingKey::Code(typed) => {
            let code = CitizenCode::parse(typed)
                .ok_or_else(|| AppError::from(Invalid::one("code", "appointment.code_format")))?;
            let cfg = app.config();
            let since = now - cfg.lookup_window;
            let keys = [format!("client:{client}")];
            if app
                .store
                .lookup_failures(&keys, since)
                .await?
                .first()
                .is_some_and(|n| *n >= cfg.lookup_failures_per_client)
            {
                tracing::info!(target: "dossier::access", outcome = "limited", "appointment look-up");
                return Err(limited(app));
            }
            match app.store.booking_by_code(&token_hash(code.as_str())).await? {
                Some(b) => Ok(b),
                None => {
                    app.store.record_lookup_failure(&keys, now, since).await?;
                    tracing::info!(target: "dossier::access", outcome = "not_found", "appointment look-up");
                    Err(AppError::new(ErrorKind::NotFound, "not_found", "appointment.code_invalid"))
                }
            }
        }
    }
}

/// Cancels the booking the key names.
pub async fn cancel(app: &App, client: &str, key: &BookingKey, now: DateTime<Utc>) -> AppResult<Booking> {
    let b = find(app, client, key, now).await?;
    Ok(app.store.cancel_booking(&actor("citizen"), b.id, &settings(app).rules, now).await?)
}

/// Moves the booking the key names to `local` (same office and service).
pub async fn rebook(
    app: &App,
    client: &str,
    key: &BookingKey,
    local: NaiveDateTime,
    now: DateTime<Utc>,
) -> AppResult<Booking> {
    let b = find(app, client, key, now).await?;
    if b.status != Status::Booked {
        return Err(AppError::conflict(appointment::Refusal::NotLive.message()));
    }
    // Moved on the office's reception of today: its hours may have changed since.
    let to = slot(app, &reception(app, &office(app, b.unit_id)?), local, now)?;
    Ok(app.store.move_booking(&actor("citizen"), b.id, to, &settings(app).rules, now).await?)
}

/// Whether the booking may still be moved or cancelled at `now` (what a page offers).
pub fn may_change(app: &App, b: &Booking, now: DateTime<Utc>) -> bool {
    b.status == Status::Booked && settings(app).rules.may_change(now, b.starts_at).is_ok()
}

/// The signed link to a booking (its e-mails carry it), when notifications are configured.
pub fn manage_token(app: &App, b: &Booking) -> Option<String> {
    app.notifier().map(|n| n.settings.link_key.token(Purpose::Appointment, b.id, None))
}

/// An office's appointments on `day` (its clock), for its staff: names and
/// contacts, so reading the list is audited.
pub async fn day_list(app: &App, caller: &Caller, office_id: i64, day: NaiveDate) -> AppResult<Vec<Booking>> {
    let office = app.unit_for(caller, office_id, Permission::ReadPerson)?;
    let from = kyiv_midnight(day);
    let to = kyiv_midnight(day + Duration::days(1));
    let list = app.store.bookings_at(office.id, from, to).await?;
    app.store
        .audit(&caller.actor(), "appointment.day_list", &format!("unit:{}", office.id), json!({"day": day}))
        .await?;
    Ok(list)
}

/// The slot's start on the office's clock.
pub fn local_time(b: &Booking) -> NaiveDateTime {
    kyiv_time(b.starts_at).naive_local()
}
