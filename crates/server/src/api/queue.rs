//! The electronic queue: check in with a booking's code, follow the ticket,
//! the hall screen's board (public, no names); the office's staff give
//! tickets to walk-ins, call the next ticket to their desk and mark it
//! served or missed.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_app::{App, queue};
use dossier_domain::appointment::Service;
use dossier_http::ReqLang;
use dossier_store::QueueTicket;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::appointments::OfficeId;
use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, ClientAddr};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/queue/check-in",
            post_with(check_in, |o| {
                o.summary("Check in for today's appointment with its booking code: a ticket and its page's token")
            }),
        )
        .api_route(
            "/api/v1/queue/ticket",
            get_with(ticket, |o| {
                o.summary("A ticket by its page's token: waiting (how many ahead) or called to a desk")
            }),
        )
        .api_route(
            "/api/v1/offices/{id}/queue/board",
            get_with(board, |o| o.summary("The hall screen: the latest calls and how many wait (no names)")),
        )
        .api_route(
            "/api/v1/offices/{id}/queue",
            get_with(office_queue, |o| {
                o.summary("The office's tickets of the day, in the order they are called (staff)")
            }),
        )
        .api_route(
            "/api/v1/offices/{id}/queue/walk-in",
            post_with(walk_in, |o| {
                o.summary(
                    "Give a ticket to a citizen who came without a booking, for a service the office receives for \
                     (staff of the office): the ticket and its page's token",
                )
            }),
        )
        .api_route(
            "/api/v1/offices/{id}/queue/next",
            post_with(call_next, |o| o.summary("Call the next ticket to a desk (staff of the office)")),
        )
        .api_route(
            "/api/v1/queue/tickets/{id}/finish",
            post_with(finish, |o| o.summary("Mark a called ticket served or missed, once (staff of the office)")),
        )
}

/// A ticket as the hall and its holder see it: no name, no booking.
#[derive(Serialize, JsonSchema)]
pub struct TicketView {
    pub id: i64,
    /// `П-007`: the service's letter and the day's number.
    pub ticket: String,
    pub service: &'static str,
    /// `waiting`, `called`, `served` or `missed`.
    pub status: &'static str,
    pub desk: Option<i64>,
    pub starts_at: DateTime<Utc>,
    pub called_at: Option<DateTime<Utc>>,
}

impl From<&QueueTicket> for TicketView {
    fn from(t: &QueueTicket) -> Self {
        TicketView {
            id: t.id,
            ticket: t.label(),
            service: t.service.as_str(),
            status: t.status.as_str(),
            desk: t.desk,
            starts_at: t.starts_at,
            called_at: t.called_at,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckInBody {
    /// The booking code, e.g. `ABCDE-23456`.
    #[schemars(length(min = 10, max = 40), pattern(r"^[ \-]*([0-9A-TV-Za-tv-z][ \-]*){10}$"))]
    pub code: String,
}

#[derive(Serialize, JsonSchema)]
pub struct CheckedInView {
    #[serde(flatten)]
    pub ticket: TicketView,
    /// The token of the ticket's page (`/queue/ticket?t=…`), shown once.
    pub token: String,
    pub office_id: i64,
}

async fn check_in(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<CheckInBody>,
) -> ApiResult<NoStore<CheckedInView>> {
    let c = queue::check_in(&app, &client, &body.code, Utc::now()).await?;
    Ok(NoStore(Json(CheckedInView { ticket: (&c.ticket).into(), token: c.token, office_id: c.office.id })))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WalkInBody {
    /// What the citizen came for.
    pub service: Service,
}

async fn walk_in(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(OfficeId { id }): ApiPath<OfficeId>,
    ApiJson(body): ApiJson<WalkInBody>,
) -> ApiResult<NoStore<CheckedInView>> {
    let c = queue::walk_in(&app, &caller, id, body.service, Utc::now()).await?;
    Ok(NoStore(Json(CheckedInView { ticket: (&c.ticket).into(), token: c.token, office_id: c.office.id })))
}

#[derive(Deserialize, JsonSchema)]
pub struct TicketQuery {
    /// The token the check-in gave.
    #[schemars(length(min = 1, max = 100))]
    pub t: String,
}

#[derive(Serialize, JsonSchema)]
pub struct FollowedView {
    #[serde(flatten)]
    pub ticket: TicketView,
    /// Waiting tickets called before this one.
    pub ahead: i64,
    /// What the holder is told, in the reader's language.
    pub text: String,
}

async fn ticket(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<TicketQuery>,
) -> ApiResult<NoStore<FollowedView>> {
    let v = queue::ticket(&app, &client, &q.t, Utc::now()).await?;
    Ok(NoStore(Json(FollowedView { ticket: (&v.ticket).into(), ahead: v.ahead, text: v.message().render(lang) })))
}

#[derive(Serialize, JsonSchema)]
pub struct BoardView {
    pub office_id: i64,
    /// The latest calls, newest first.
    pub called: Vec<TicketView>,
    pub waiting: usize,
}

async fn board(
    State(app): State<Arc<App>>,
    ApiPath(OfficeId { id }): ApiPath<OfficeId>,
) -> ApiResult<NoStore<BoardView>> {
    let b = queue::board(&app, id, Utc::now()).await?;
    Ok(NoStore(Json(BoardView {
        office_id: b.office.id,
        called: b.called.iter().map(Into::into).collect(),
        waiting: b.waiting,
    })))
}

#[derive(Serialize, JsonSchema)]
pub struct OfficeQueueView {
    pub day: NaiveDate,
    pub tickets: Vec<TicketView>,
}

async fn office_queue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(OfficeId { id }): ApiPath<OfficeId>,
) -> ApiResult<NoStore<OfficeQueueView>> {
    let now = Utc::now();
    let tickets = queue::office_queue(&app, &caller, id, now).await?;
    let day = dossier_domain::time::kyiv_time(now).date_naive();
    Ok(NoStore(Json(OfficeQueueView { day, tickets: tickets.iter().map(Into::into).collect() })))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NextBody {
    /// The caller's desk (window), 1 to 99.
    #[schemars(range(min = 1, max = 99))]
    pub desk: i64,
}

async fn call_next(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(OfficeId { id }): ApiPath<OfficeId>,
    ApiJson(body): ApiJson<NextBody>,
) -> ApiResult<Json<TicketView>> {
    let t = queue::call_next(&app, &caller, id, &body.desk.to_string(), Utc::now()).await?;
    Ok(Json((&t).into()))
}

#[derive(Deserialize, JsonSchema)]
pub struct TicketId {
    pub id: i64,
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Served,
    Missed,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct FinishBody {
    pub outcome: Outcome,
}

async fn finish(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(TicketId { id }): ApiPath<TicketId>,
    ApiJson(body): ApiJson<FinishBody>,
) -> ApiResult<Json<TicketView>> {
    let outcome = match body.outcome {
        Outcome::Served => "served",
        Outcome::Missed => "missed",
    };
    let t = queue::finish(&app, &caller, id, outcome, Utc::now()).await?;
    Ok(Json((&t).into()))
}
