//! Certificate production over HTTP (regulation 26-1, §§ III–V): weekly
//! batches, production, acceptance-transfer acts, issue and the journal,
//! destruction, and what is late.
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use dossier_app::App;
use dossier_app::production::{
    self, Expiring, HoldDecision, NewAct, NewDestruction, Period, ProduceBody, level_of, week_of,
};
use dossier_domain::production::IssueInput;
use dossier_store::{
    ActAcceptance, AppointmentRecord, Batch, BatchCandidate, BatchOutcome, CertificateRecord, DestructionAct,
    JournalLine, NewAppointment, ProductionOverview, TransferAct,
};
use serde::Deserialize;
use serde_json::json;

use super::{ApiJson, ApiQuery, Paged, page, parse_id, pdf};
use crate::auth::Auth;
use crate::error::ApiResult;

#[derive(Deserialize, Default)]
pub struct BatchQuery {
    pub week: Option<String>,
    pub level: Option<String>,
}

/// `GET /api/v1/production/batches` — batches submitted in the caller's scope.
pub async fn batches(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<BatchQuery>,
) -> ApiResult<Json<Vec<Batch>>> {
    let week = match q.week.as_deref().filter(|w| !w.is_empty()) {
        Some(w) => Some(week_of(Some(w))?),
        None => None,
    };
    Ok(Json(production::batches(&app, &caller, week).await?))
}

/// `GET /api/v1/production/candidates?week=&level=`.
pub async fn candidates(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<BatchQuery>,
) -> ApiResult<Json<Vec<BatchCandidate>>> {
    let week = week_of(q.week.as_deref())?;
    let level = level_of(q.level.as_deref().unwrap_or("district"))?;
    Ok(Json(production::candidates(&app, &caller, week, level).await?))
}

#[derive(Deserialize)]
pub struct SubmitBody {
    pub week: Option<String>,
    pub level: String,
    pub unit_id: i64,
}

/// `POST /api/v1/production/batches` — 201, or 200 with the batch submitted before.
pub async fn submit(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<SubmitBody>,
) -> ApiResult<(StatusCode, Json<BatchOutcome>)> {
    let week = week_of(body.week.as_deref())?;
    let level = level_of(&body.level)?;
    let out = production::submit_batch(&app, &caller, week, level, body.unit_id).await?;
    let status = if matches!(out, BatchOutcome::Submitted(_)) { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(out)))
}

pub async fn batch(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let (b, certs) = production::batch(&app, &caller, parse_id(&id)?).await?;
    Ok(Json(json!({"batch": b, "certificates": certs})))
}

pub async fn produce(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ProduceBody>,
) -> ApiResult<Json<Vec<CertificateRecord>>> {
    Ok(Json(production::produce(&app, &caller, body).await?))
}

pub async fn decide_hold(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<HoldDecision>,
) -> ApiResult<Json<CertificateRecord>> {
    Ok(Json(production::decide_hold(&app, &caller, parse_id(&id)?, &body).await?))
}

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    pub unit_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

pub async fn appointments(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> ApiResult<Json<Vec<AppointmentRecord>>> {
    Ok(Json(production::appointments(&app, &caller, q.unit_id).await?))
}

pub async fn appoint(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewAppointment>,
) -> ApiResult<(StatusCode, Json<AppointmentRecord>)> {
    Ok((StatusCode::CREATED, Json(production::appoint(&app, &caller, &body).await?)))
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn acts(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<TransferAct>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::acts(&app, &caller, page).await?, page)))
}

pub async fn create_act(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewAct>,
) -> ApiResult<(StatusCode, Json<TransferAct>)> {
    Ok((StatusCode::CREATED, Json(production::create_act(&app, &caller, &body).await?)))
}

pub async fn act(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<TransferAct>> {
    Ok(Json(production::act(&app, &caller, parse_id(&id)?).await?))
}

pub async fn accept_act(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActAcceptance>,
) -> ApiResult<Json<TransferAct>> {
    Ok(Json(production::accept_act(&app, &caller, parse_id(&id)?, &body).await?))
}

/// `GET /api/v1/production/acts/{id}/pdf` — form 3, signed.
pub async fn act_pdf(State(app): State<Arc<App>>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(pdf(production::act_pdf(&app, &caller, parse_id(&id)?).await?, "act.pdf"))
}

/// `POST /api/v1/production/certificates/{id}/issue` — hand over at the counter.
pub async fn issue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<IssueInput>,
) -> ApiResult<Json<JournalLine>> {
    Ok(Json(production::issue(&app, &caller, parse_id(&id)?, &body).await?))
}

/// `GET /api/v1/production/journal?unit_id=&from=&to=`.
pub async fn journal(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> ApiResult<Json<Vec<JournalLine>>> {
    let (_, lines) = production::journal(&app, &caller, q.unit_id, Period { from: q.from, to: q.to }).await?;
    Ok(Json(lines))
}

/// `GET /api/v1/production/journal.pdf` — the journal printed for any period.
pub async fn journal_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> ApiResult<Response> {
    let bytes = production::journal_pdf(&app, &caller, q.unit_id, Period { from: q.from, to: q.to }).await?;
    Ok(pdf(bytes, "journal.pdf"))
}

pub async fn create_destruction(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewDestruction>,
) -> ApiResult<(StatusCode, Json<DestructionAct>)> {
    Ok((StatusCode::CREATED, Json(production::create_destruction(&app, &caller, &body).await?)))
}

pub async fn destruction(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DestructionAct>> {
    Ok(Json(production::destruction(&app, &caller, parse_id(&id)?).await?))
}

/// A member signs; the last signature destroys the certificates.
pub async fn sign_destruction(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DestructionAct>> {
    Ok(Json(production::sign_destruction(&app, &caller, parse_id(&id)?).await?))
}

pub async fn destruction_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(pdf(production::destruction_pdf(&app, &caller, parse_id(&id)?).await?, "destruction-act.pdf"))
}

pub async fn overview(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<ProductionOverview>> {
    Ok(Json(production::overview(&app, &caller).await?))
}

/// Certificates past their deadline, most overdue first.
pub async fn late(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<CertificateRecord>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::late(&app, &caller, Utc::now(), page).await?, page)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExpiringQuery {
    /// How far ahead to look, in days (default: the 30-day warning).
    pub days: Option<i64>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn expiring(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ExpiringQuery>,
) -> ApiResult<Json<Paged<Expiring>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::expiring(&app, &caller, q.days, page).await?, page)))
}
