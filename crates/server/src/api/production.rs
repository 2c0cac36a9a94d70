//! Certificate production over HTTP (regulation 26-1, §§ III–V): weekly
//! batches, production, acceptance-transfer acts, issue and the journal,
//! destruction, and what is late.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use chrono::{NaiveDate, Utc};
use dossier_app::App;
use dossier_app::production::{
    self, Expiring, HoldDecision, NewAct, NewDestruction, Period, ProduceBody, level_of, week_of,
};
use dossier_domain::production::IssueInput;
use dossier_domain::schema::OrBlank;
use dossier_http::openapi::{Binary, Created, Either, Pdf};
use dossier_store::{
    ActAcceptance, AppointmentRecord, Batch, BatchCandidate, BatchOutcome, CertificateRecord, DestructionAct,
    JournalLine, NewAppointment, ProductionOverview, TransferAct,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiPath, ApiQuery, Id, Paged, page};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/production/batches",
            get_with(batches, |o| o.summary("Batches submitted in scope (§III), of one week or all"))
                .post_with(submit, |o| o.summary("Submit a unit's weekly batch to the next level (§III.1–3)")),
        )
        .api_route("/api/v1/production/batches/{id}", get_with(batch, |o| o.summary("A batch with its certificates")))
        .api_route(
            "/api/v1/production/candidates",
            get_with(candidates, |o| o.summary("The units whose batch of the week is due at a level")),
        )
        .api_route(
            "/api/v1/production/produce",
            post_with(produce, |o| o.summary("Produce certificates, after the duplicate check (§III.5)")),
        )
        .api_route(
            "/api/v1/production/holds/{id}",
            post_with(decide_hold, |o| o.summary("Release or refuse a certificate held by the duplicate check")),
        )
        .api_route(
            "/api/v1/production/appointments",
            get_with(appointments, |o| o.summary("Responsible persons and commission members by order (§IV.7, §V)"))
                .post_with(appoint, |o| o.summary("Record an appointment by order")),
        )
        .api_route(
            "/api/v1/production/acts",
            get_with(acts, |o| o.summary("Acceptance-transfer acts in scope"))
                .post_with(create_act, |o| o.summary("Draw up an acceptance-transfer act (§IV.7)")),
        )
        .api_route("/api/v1/production/acts/{id}", get_with(act, |o| o.summary("An acceptance-transfer act")))
        .api_route(
            "/api/v1/production/acts/{id}/accept",
            post_with(accept_act, |o| o.summary("Accept an act: what arrived, what arrived damaged")),
        )
        .api_route("/api/v1/production/acts/{id}/pdf", get_with(act_pdf, |o| o.summary("The act as a signed PDF")))
        .api_route(
            "/api/v1/production/certificates/{id}/issue",
            post_with(issue, |o| o.summary("Issue a certificate at the counter and sign the journal (§V.1–3)")),
        )
        .api_route(
            "/api/v1/production/journal",
            get_with(journal, |o| o.summary("The journal of issued certificates (§V.2) of a unit and period")),
        )
        .api_route(
            "/api/v1/production/journal.pdf",
            get_with(journal_pdf, |o| o.summary("The journal as a signed PDF")),
        )
        .api_route(
            "/api/v1/production/destructions",
            get_with(destructions, |o| o.summary("Destruction acts in scope, those awaiting signatures first"))
                .post_with(create_destruction, |o| o.summary("Draw up a destruction act (§V.6)")),
        )
        .api_route("/api/v1/production/destructions/{id}", get_with(destruction, |o| o.summary("A destruction act")))
        .api_route(
            "/api/v1/production/destructions/{id}/sign",
            post_with(sign_destruction, |o| o.summary("Sign a destruction act as a commission member")),
        )
        .api_route(
            "/api/v1/production/destructions/{id}/pdf",
            get_with(destruction_pdf, |o| o.summary("The destruction act as a signed PDF")),
        )
        .api_route(
            "/api/v1/production/overview",
            get_with(overview, |o| o.summary("Certificates in scope by stage, and what is late")),
        )
        .api_route("/api/v1/production/late", get_with(late, |o| o.summary("Certificates past a deadline")))
        .api_route(
            "/api/v1/production/expiring",
            get_with(expiring, |o| o.summary("Certificates whose term ends soon (the 30-day warning)")),
        )
}

/// An ISO week as `YYYY-Www`.
struct IsoWeek;

impl JsonSchema for IsoWeek {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "IsoWeek".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // Week 53 exists only in some years; the pattern leaves it out, the server takes it where it exists.
        schemars::json_schema!({
            "type": "string",
            "pattern": "^\\s*[0-9]{4}-W(0[1-9]|[1-4][0-9]|5[0-2])\\s*$",
            "description": "An ISO week, e.g. `2026-W48` (also `W53` in the years that have one)."
        })
    }
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct WeekQuery {
    /// ISO week, e.g. `2026-W48` (default: every week).
    #[schemars(with = "Option<OrBlank<IsoWeek>>")]
    pub week: Option<String>,
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct BatchQuery {
    /// ISO week, e.g. `2026-W48` (default: the week the level is collecting now).
    #[schemars(with = "Option<OrBlank<IsoWeek>>")]
    pub week: Option<String>,
    /// The level the batch goes to (default: `district`).
    #[schemars(extend("enum" = ["district", "region", "central"]))]
    pub level: Option<String>,
}

async fn batches(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<WeekQuery>,
) -> ApiResult<Json<Vec<Batch>>> {
    Ok(Json(production::batches(&app, &caller, week_of(q.week.as_deref())?).await?))
}

async fn candidates(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<BatchQuery>,
) -> ApiResult<Json<Vec<BatchCandidate>>> {
    let week = week_of(q.week.as_deref())?;
    let level = level_of(q.level.as_deref().unwrap_or("district"))?;
    Ok(Json(production::candidates(&app, &caller, week, level).await?))
}

#[derive(Deserialize, JsonSchema)]
pub struct SubmitBody {
    /// ISO week, e.g. `2026-W48` (default: the week the unit owes — the one whose cut-off passed, until its batch is submitted, and then the week being collected).
    #[schemars(with = "Option<OrBlank<IsoWeek>>")]
    pub week: Option<String>,
    /// The level the batch goes to.
    #[schemars(extend("enum" = ["district", "region", "central"]))]
    pub level: String,
    /// The unit whose batch it is.
    pub unit_id: i64,
}

/// 201 when the batch was submitted now, 200 when it already had been.
async fn submit(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<SubmitBody>,
) -> ApiResult<Either<201, 200, BatchOutcome>> {
    let week = week_of(body.week.as_deref())?;
    let level = level_of(&body.level)?;
    let out = production::submit_batch(&app, &caller, week, level, body.unit_id).await?;
    Ok(if matches!(out, BatchOutcome::Submitted(_)) { Either::First(out) } else { Either::Second(out) })
}

/// A batch and the certificates in it.
#[derive(Serialize, JsonSchema)]
pub struct BatchContents {
    batch: Batch,
    certificates: Vec<CertificateRecord>,
}

async fn batch(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<BatchContents>> {
    let (batch, certificates) = production::batch(&app, &caller, id).await?;
    Ok(Json(BatchContents { batch, certificates }))
}

async fn produce(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<ProduceBody>,
) -> ApiResult<Json<Vec<CertificateRecord>>> {
    Ok(Json(production::produce(&app, &caller, body).await?))
}

async fn decide_hold(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<HoldDecision>,
) -> ApiResult<Json<CertificateRecord>> {
    Ok(Json(production::decide_hold(&app, &caller, id, &body).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct AppointmentsQuery {
    /// The unit (default: every unit in scope).
    pub unit_id: Option<i64>,
}

async fn appointments(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<AppointmentsQuery>,
) -> ApiResult<Json<Vec<AppointmentRecord>>> {
    Ok(Json(production::appointments(&app, &caller, q.unit_id).await?))
}

async fn appoint(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewAppointment>,
) -> ApiResult<Created<AppointmentRecord>> {
    Ok(Created(production::appoint(&app, &caller, &body).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct PageQuery {
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

async fn acts(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<TransferAct>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::acts(&app, &caller, page).await?, page)))
}

async fn create_act(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewAct>,
) -> ApiResult<Created<TransferAct>> {
    Ok(Created(production::create_act(&app, &caller, &body).await?))
}

async fn act(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<TransferAct>> {
    Ok(Json(production::act(&app, &caller, id).await?))
}

async fn accept_act(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<ActAcceptance>,
) -> ApiResult<Json<TransferAct>> {
    Ok(Json(production::accept_act(&app, &caller, id, &body).await?))
}

async fn act_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    Ok(Binary::new(production::act_pdf(&app, &caller, id).await?).inline("act.pdf"))
}

async fn issue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<IssueInput>,
) -> ApiResult<Json<JournalLine>> {
    Ok(Json(production::issue(&app, &caller, id, &body).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct JournalQuery {
    /// The unit whose journal it is (default: the caller's).
    pub unit_id: Option<i64>,
    /// First day of the period.
    pub from: Option<NaiveDate>,
    /// Last day of the period.
    pub to: Option<NaiveDate>,
}

async fn journal(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> ApiResult<Json<Vec<JournalLine>>> {
    let (_, lines) = production::journal(&app, &caller, q.unit_id, Period { from: q.from, to: q.to }).await?;
    Ok(Json(lines))
}

async fn journal_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<JournalQuery>,
) -> ApiResult<Binary<Pdf>> {
    let bytes = production::journal_pdf(&app, &caller, q.unit_id, Period { from: q.from, to: q.to }).await?;
    Ok(Binary::new(bytes).inline("journal.pdf"))
}

async fn destructions(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<DestructionAct>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::destructions(&app, &caller, page).await?, page)))
}

async fn create_destruction(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewDestruction>,
) -> ApiResult<Created<DestructionAct>> {
    Ok(Created(production::create_destruction(&app, &caller, &body).await?))
}

async fn destruction(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<DestructionAct>> {
    Ok(Json(production::destruction(&app, &caller, id).await?))
}

async fn sign_destruction(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<DestructionAct>> {
    Ok(Json(production::sign_destruction(&app, &caller, id).await?))
}

async fn destruction_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    Ok(Binary::new(production::destruction_pdf(&app, &caller, id).await?).inline("destruction-act.pdf"))
}

async fn overview(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<ProductionOverview>> {
    Ok(Json(production::overview(&app, &caller).await?))
}

async fn late(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<CertificateRecord>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::late(&app, &caller, Utc::now(), page).await?, page)))
}

#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct ExpiringQuery {
    /// How far ahead to look, in days (default: the 30-day warning).
    #[schemars(range(min = 0, max = 366))]
    pub days: Option<i64>,
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

async fn expiring(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ExpiringQuery>,
) -> ApiResult<Json<Paged<Expiring>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(production::expiring(&app, &caller, q.days, page).await?, page)))
}
