//! The electronic queue's pages: check in with the booking's code (`/queue`,
//! at the office's kiosk or on a phone), the ticket's page that follows its
//! place (`/queue/ticket?t=…`), the hall screen (`/offices/{id}/hall`) and the
//! staff's page of the office's day (`/offices/{id}/queue`), where the
//! reception also gives tickets to walk-ins. The live pages
//! refresh their live region in the background (`static/queue.js`, polite
//! aria-live); without JavaScript a link reloads them.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use dossier_app::{App, AppError, appointments, queue};
use dossier_domain::Lang;
use dossier_domain::appointment::Service;
use dossier_domain::queue::Status;
use dossier_http::ReqLang;
use dossier_store::QueueTicket;
use serde::Deserialize;

use super::status::no_store;
use super::view::{Ctx, PageResult, Staff, check_csrf, html, see_other, unit_name};
use crate::api::ClientAddr;
use crate::error::status_of;

fn kyiv_hm(t: chrono::DateTime<Utc>) -> String {
    dossier_domain::time::kyiv_time(t).format("%H:%M").to_string()
}

#[derive(Template)]
#[template(path = "queue_check_in.html")]
struct CheckInPage {
    t: Ctx,
    code: String,
    error: Option<String>,
}

/// `GET /queue` — the check-in form.
pub async fn form(ReqLang(lang): ReqLang) -> Response {
    let page = CheckInPage { t: Ctx::anonymous(lang, "/queue"), code: String::new(), error: None };
    no_store(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct CheckInForm {
    #[serde(default)]
    code: String,
}

/// `POST /queue` — checks in and goes to the ticket's page.
pub async fn check_in(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(f): Form<CheckInForm>,
) -> Response {
    match queue::check_in(&app, &client, &f.code, Utc::now()).await {
        Ok(c) => no_store(Redirect::to(&format!("/queue/ticket?t={}&lang={}", c.token, lang.code())).into_response()),
        Err(e) => {
            let error = e.fields.first().map(|x| x.message.render(lang)).unwrap_or_else(|| e.message.render(lang));
            let page = CheckInPage { t: Ctx::anonymous(lang, "/queue"), code: f.code, error: Some(error) };
            no_store(html(status_of(e.kind), &page))
        }
    }
}

#[derive(Template)]
#[template(path = "queue_ticket.html")]
struct TicketPage {
    t: Ctx,
    label: String,
    text: String,
    called: bool,
    office: String,
    address: String,
    booked: String,
    /// This page's own address, for the refresh link.
    here: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TicketQuery {
    t: String,
}

fn refused(e: &AppError) -> Response {
    super::view::PageError::new(status_of(e.kind), e.message.clone()).into_response()
}

/// `GET /queue/ticket?t=…` — the ticket and its place.
pub async fn ticket(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Query(q): Query<TicketQuery>,
) -> Response {
    match queue::ticket(&app, &client, &q.t, Utc::now()).await {
        Ok(v) => {
            let page = TicketPage {
                t: Ctx::anonymous(lang, "/queue"),
                label: v.ticket.label(),
                text: v.message().render(lang),
                called: v.ticket.status == Status::Called,
                office: unit_name(&v.office, lang).to_owned(),
                address: v.office.address.clone().unwrap_or_default(),
                booked: kyiv_hm(v.ticket.starts_at),
                here: format!("/queue/ticket?t={}&lang={}", q.t.trim(), lang.code()),
            };
            no_store(html(StatusCode::OK, &page))
        }
        Err(e) => refused(&e),
    }
}

pub struct CallRow {
    pub label: String,
    pub desk: i64,
}

#[derive(Template)]
#[template(path = "queue_hall.html")]
struct HallPage {
    t: Ctx,
    office: String,
    called: Vec<CallRow>,
    waiting: usize,
    here: String,
}

/// `GET /offices/{id}/hall` — the hall screen.
pub async fn hall(State(app): State<Arc<App>>, ReqLang(lang): ReqLang, Path(id): Path<i64>) -> Response {
    match queue::board(&app, id, Utc::now()).await {
        Ok(b) => {
            let called =
                b.called.iter().map(|t| CallRow { label: t.label(), desk: t.desk.unwrap_or_default() }).collect();
            let page = HallPage {
                t: Ctx::anonymous(lang, "/queue"),
                office: unit_name(&b.office, lang).to_owned(),
                called,
                waiting: b.waiting,
                here: format!("/offices/{id}/hall?lang={}", lang.code()),
            };
            no_store(html(StatusCode::OK, &page))
        }
        Err(e) => refused(&e),
    }
}

pub struct StaffRow {
    pub id: i64,
    pub label: String,
    pub service: String,
    pub booked: String,
    pub status: String,
    pub desk: Option<i64>,
}

fn staff_row(t: &QueueTicket, lang: Lang) -> StaffRow {
    StaffRow {
        id: t.id,
        label: t.label(),
        service: t.service.message().render(lang),
        booked: kyiv_hm(t.starts_at),
        status: t.status.message().render(lang),
        desk: t.desk,
    }
}

#[derive(Template)]
#[template(path = "queue_office.html")]
struct OfficePage {
    t: Ctx,
    office_id: i64,
    office: String,
    waiting: Vec<StaffRow>,
    called: Vec<StaffRow>,
    done: Vec<StaffRow>,
    desk: String,
    error: Option<String>,
    /// What a walk-in may be given a ticket for: `(code, name)`.
    services: Vec<(&'static str, String)>,
    /// The walk-in ticket just given, to hand over.
    issued: Option<Issued>,
}

/// A walk-in's ticket as the reception hands it over: the label to say, and
/// its page's link (and QR code, when the fund's public address is known).
struct Issued {
    label: String,
    service: String,
    link: String,
    qr: Option<String>,
}

async fn office_page(
    app: &App,
    staff: &Staff,
    id: i64,
    desk: &str,
    error: Option<String>,
    issued: Option<Issued>,
    status: StatusCode,
) -> PageResult {
    let lang = staff.lang;
    let tickets = queue::office_queue(app, &staff.caller, id, Utc::now()).await?;
    let unit = app.unit(id);
    let office = unit.as_ref().map(|u| unit_name(u, lang).to_owned()).unwrap_or_default();
    let services = unit
        .map(|u| {
            appointments::reception(app, &u).services().iter().map(|s| (s.as_str(), s.message().render(lang))).collect()
        })
        .unwrap_or_default();
    let rows = |s: &[Status]| tickets.iter().filter(|t| s.contains(&t.status)).map(|t| staff_row(t, lang)).collect();
    let page = OfficePage {
        t: staff.ctx(&format!("/offices/{id}/queue")),
        office_id: id,
        office,
        waiting: rows(&[Status::Waiting]),
        called: rows(&[Status::Called]),
        done: rows(&[Status::Served, Status::Missed]),
        desk: desk.to_owned(),
        error,
        services,
        issued,
    };
    Ok(html(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeskQuery {
    desk: String,
    /// The token of a walk-in ticket just given (the page that gave it redirects here).
    issued: String,
}

/// `GET /offices/{id}/queue[?desk=][&issued=]` — the office's queue of the day.
pub async fn office(
    State(app): State<Arc<App>>,
    staff: Staff,
    ClientAddr(client): ClientAddr,
    Path(id): Path<i64>,
    Query(q): Query<DeskQuery>,
) -> PageResult {
    let issued = match q.issued.trim() {
        "" => None,
        token => queue::ticket(&app, &client, token, Utc::now()).await.ok().filter(|v| v.office.id == id).map(|v| {
            let (link, qr) = queue::ticket_link(&app, token);
            Issued { label: v.ticket.label(), service: v.ticket.service.message().render(staff.lang), link, qr }
        }),
    };
    office_page(&app, &staff, id, &q.desk, None, issued, StatusCode::OK).await
}

/// Where the staff's page goes back to: the desk kept when it is one.
fn office_url(id: i64, desk: &str, issued: Option<&str>) -> String {
    let mut url = format!("/offices/{id}/queue");
    let mut sep = '?';
    if let Ok(desk) = dossier_domain::queue::desk(desk) {
        url.push_str(&format!("{sep}desk={desk}"));
        sep = '&';
    }
    if let Some(token) = issued {
        url.push_str(&format!("{sep}issued={token}"));
    }
    url
}

/// A refusal the staff's page shows beside its forms, or the error page.
async fn refused_on_page(app: &App, staff: &Staff, id: i64, desk: &str, e: AppError) -> PageResult {
    if matches!(e.kind, dossier_app::ErrorKind::Invalid | dossier_app::ErrorKind::Conflict) {
        let msg =
            e.fields.first().map(|x| x.message.render(staff.lang)).unwrap_or_else(|| e.message.render(staff.lang));
        office_page(app, staff, id, desk, Some(msg), None, status_of(e.kind)).await
    } else {
        Err(e.into())
    }
}

#[derive(Deserialize)]
pub struct WalkInForm {
    csrf: String,
    #[serde(default)]
    service: String,
    #[serde(default)]
    desk: String,
}

/// `POST /offices/{id}/queue/walk-in` — a ticket for a citizen without a booking.
pub async fn walk_in(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<WalkInForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    let Some(service) = Service::parse(f.service.trim()) else {
        let unknown = dossier_domain::Message::new("common.unknown_value").with("value", f.service.trim());
        let e = AppError::from(dossier_domain::Invalid::one("service", unknown));
        return refused_on_page(&app, &staff, id, &f.desk, e).await;
    };
    match queue::walk_in(&app, &staff.caller, id, service, Utc::now()).await {
        Ok(c) => Ok(see_other(&office_url(id, &f.desk, Some(&c.token)))),
        Err(e) => refused_on_page(&app, &staff, id, &f.desk, e).await,
    }
}

#[derive(Deserialize)]
pub struct NextForm {
    csrf: String,
    #[serde(default)]
    desk: String,
}

/// `POST /offices/{id}/queue/next` — calls the next ticket to the desk.
pub async fn next(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<NextForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    match queue::call_next(&app, &staff.caller, id, &f.desk, Utc::now()).await {
        Ok(_) => Ok(see_other(&office_url(id, &f.desk, None))),
        Err(e) => refused_on_page(&app, &staff, id, &f.desk, e).await,
    }
}

#[derive(Deserialize)]
pub struct FinishForm {
    csrf: String,
    #[serde(default)]
    outcome: String,
    #[serde(default)]
    desk: String,
}

/// `POST /queue/tickets/{id}/finish` — served or missed.
pub async fn finish(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<FinishForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    let t = queue::finish(&app, &staff.caller, id, &f.outcome, Utc::now()).await?;
    Ok(see_other(&office_url(t.unit_id, &f.desk, None)))
}
