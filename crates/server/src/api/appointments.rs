//! Appointments at an office, without registration: the free times, booking
//! one, and — by the booking code, in a POST body so it never ends up in a
//! URL or an access log — seeing, moving or cancelling it. Staff read an
//! office's day list.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use dossier_app::App;
use dossier_app::appointments::{self, BookingKey, BookingRequest};
use dossier_domain::appointment::Service;
use dossier_domain::{Invalid, Lang};
use dossier_http::ReqLang;
use dossier_store::Booking;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::org::Office;
use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, ClientAddr};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/offices/{id}/appointments",
            get_with(free, |o| {
                o.summary(
                    "The times an office receives for a service from now to the booking horizon, by day, with the \
                     places still free (public)",
                )
            }),
        )
        .api_route(
            "/api/v1/offices/{id}/appointments/day",
            get_with(day_list, |o| {
                o.summary("An office's appointments on one day, with names and contacts (staff in scope; audited)")
            }),
        )
        .api_route(
            "/api/v1/appointments",
            post_with(book, |o| {
                o.summary(
                    "Book a time at an office with a name and an e-mail or phone (public); the answer's code is the \
                     only key to the booking and is shown once",
                )
            }),
        )
        .api_route(
            "/api/v1/appointments/find",
            post_with(find, |o| {
                o.summary("A booking by its code (public; wrong codes are limited per client, then 429)")
            }),
        )
        .api_route(
            "/api/v1/appointments/cancel",
            post_with(cancel, |o| o.summary("Cancel a booking by its code, until 24 hours before it (public)")),
        )
        .api_route(
            "/api/v1/appointments/move",
            post_with(rebook, |o| {
                o.summary("Move a booking to another free time of its office and service, until 24 hours before it")
            }),
        )
}

#[derive(Deserialize, JsonSchema)]
pub struct OfficeId {
    /// The office's number (see `GET /api/v1/offices`).
    pub id: i64,
}

#[derive(Deserialize, JsonSchema)]
pub struct ServiceQuery {
    pub service: Service,
}

/// One time, on the office's clock.
#[derive(Serialize, JsonSchema)]
pub struct SlotView {
    /// `YYYY-MM-DDTHH:MM`, the office's local time: what a booking names.
    pub starts_at: String,
    pub starts_at_utc: DateTime<Utc>,
    /// Places still free; 0: taken.
    pub free: i64,
}

#[derive(Serialize, JsonSchema)]
pub struct DayView {
    pub date: NaiveDate,
    pub slots: Vec<SlotView>,
}

/// The local time as a booking names it.
pub fn local_text(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M").to_string()
}

/// A local time as typed: `YYYY-MM-DDTHH:MM`, seconds `:00` allowed.
pub fn parse_local(s: &str) -> Option<NaiveDateTime> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
}

async fn free(
    State(app): State<Arc<App>>,
    ApiPath(OfficeId { id }): ApiPath<OfficeId>,
    ApiQuery(q): ApiQuery<ServiceQuery>,
) -> ApiResult<Json<Vec<DayView>>> {
    let days = appointments::free_slots(&app, id, q.service, Utc::now()).await?;
    Ok(Json(
        days.into_iter()
            .map(|(date, slots)| DayView {
                date,
                slots: slots
                    .into_iter()
                    .map(|s| SlotView { starts_at: local_text(s.local), starts_at_utc: s.starts_at, free: s.free })
                    .collect(),
            })
            .collect(),
    ))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BookBody {
    pub office_id: i64,
    pub service: Service,
    /// The time on the office's clock, `YYYY-MM-DDTHH:MM`, one of the free times.
    #[schemars(pattern(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:00)?$"))]
    pub starts_at: String,
    /// The name the office will call.
    #[schemars(length(min = 1, max = 100))]
    pub name: String,
    /// Where the confirmation and the reminder go; an e-mail or a phone is needed.
    #[schemars(length(max = 254))]
    pub email: Option<String>,
    #[schemars(length(max = 32))]
    pub phone: Option<String>,
}

/// A booking as its holder sees it.
#[derive(Serialize, JsonSchema)]
pub struct AppointmentView {
    pub office: Office,
    pub service: Service,
    /// The service in the reader's language.
    pub service_name: String,
    /// On the office's clock, `YYYY-MM-DDTHH:MM`.
    pub starts_at: String,
    pub starts_at_utc: DateTime<Utc>,
    /// `booked` or `cancelled`.
    pub status: String,
    pub name: String,
    /// Whether it may still be moved or cancelled (until 24 hours before).
    pub may_change: bool,
}

impl AppointmentView {
    pub fn of(app: &App, b: &Booking, lang: Lang) -> ApiResult<AppointmentView> {
        let office = appointments::office(app, b.unit_id)?;
        Ok(AppointmentView {
            office: Office::of(app, &office, lang),
            service: b.service,
            service_name: b.service.message().render(lang),
            starts_at: local_text(appointments::local_time(b)),
            starts_at_utc: b.starts_at,
            status: b.status.as_str().to_owned(),
            name: b.name.clone(),
            may_change: appointments::may_change(app, b, Utc::now()),
        })
    }
}

#[derive(Serialize, JsonSchema)]
pub struct BookedView {
    /// The booking code, shown once: `ABCDE-23456`.
    pub code: String,
    pub appointment: AppointmentView,
}

fn local_field(field: &str, s: &str) -> ApiResult<NaiveDateTime> {
    parse_local(s).ok_or_else(|| dossier_app::AppError::from(Invalid::one(field, "common.invalid_datetime")).into())
}

async fn book(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<BookBody>,
) -> ApiResult<NoStore<BookedView>> {
    let local = local_field("starts_at", &body.starts_at)?;
    let req = BookingRequest {
        office_id: body.office_id,
        service: body.service,
        local: Some(local),
        name: body.name,
        email: body.email,
        phone: body.phone,
        lang,
    };
    let booked = appointments::book(&app, &client, &req, Utc::now()).await?;
    Ok(NoStore(Json(BookedView {
        code: booked.code.display(),
        appointment: AppointmentView::of(&app, &booked.booking, lang)?,
    })))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeBody {
    /// The booking code, e.g. `ABCDE-23456` (any case; O for 0 and I or L for 1 are read too).
    #[schemars(length(min = 10, max = 40), pattern(r"^[ \-]*([0-9A-TV-Za-tv-z][ \-]*){10}$"))]
    pub code: String,
}

async fn find(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<NoStore<AppointmentView>> {
    let b = appointments::find(&app, &client, &BookingKey::Code(body.code), Utc::now()).await?;
    Ok(NoStore(Json(AppointmentView::of(&app, &b, lang)?)))
}

async fn cancel(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<CodeBody>,
) -> ApiResult<NoStore<AppointmentView>> {
    let b = appointments::cancel(&app, &client, &BookingKey::Code(body.code), Utc::now()).await?;
    Ok(NoStore(Json(AppointmentView::of(&app, &b, lang)?)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveBody {
    #[schemars(length(min = 10, max = 40), pattern(r"^[ \-]*([0-9A-TV-Za-tv-z][ \-]*){10}$"))]
    pub code: String,
    /// The new time on the office's clock, `YYYY-MM-DDTHH:MM`.
    #[schemars(pattern(r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9](:00)?$"))]
    pub starts_at: String,
}

async fn rebook(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<MoveBody>,
) -> ApiResult<NoStore<AppointmentView>> {
    let local = local_field("starts_at", &body.starts_at)?;
    let b = appointments::rebook(&app, &client, &BookingKey::Code(body.code), local, Utc::now()).await?;
    Ok(NoStore(Json(AppointmentView::of(&app, &b, lang)?)))
}

#[derive(Deserialize, JsonSchema)]
pub struct DayQuery {
    pub date: NaiveDate,
}

/// An appointment on an office's day list.
#[derive(Serialize, JsonSchema)]
pub struct DayEntry {
    pub id: i64,
    pub service: Service,
    pub starts_at: String,
    pub status: String,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

async fn day_list(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(OfficeId { id }): ApiPath<OfficeId>,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> ApiResult<NoStore<Vec<DayEntry>>> {
    let list = appointments::day_list(&app, &caller, id, q.date).await?;
    Ok(NoStore(Json(
        list.into_iter()
            .map(|b| DayEntry {
                id: b.id,
                service: b.service,
                starts_at: local_text(appointments::local_time(&b)),
                status: b.status.as_str().to_owned(),
                name: b.name,
                email: b.email,
                phone: b.phone,
            })
            .collect(),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_read_with_or_without_seconds() {
        let t = parse_local("2026-12-08T10:30").unwrap();
        assert_eq!(parse_local("2026-12-08T10:30:00"), Some(t));
        assert_eq!(local_text(t), "2026-12-08T10:30");
        assert_eq!(parse_local("2026-12-08 10:30"), None);
        assert_eq!(parse_local("2026-13-08T10:30"), None);
    }
}
