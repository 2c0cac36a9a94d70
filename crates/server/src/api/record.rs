//! The pension record: employers and their reports, a person's record, and
//! the mistakes citizens report in theirs (issue 21 §2).
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with, put_with};
use axum::Json;
use axum::extract::State;
use dossier_app::App;
use dossier_app::record::{self, RecordView};
use dossier_http::openapi::{Created, Csv, Upload};
use dossier_store::{Correction, Employer, ReportReceipt};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ApiJson, ApiPath, ApiQuery, Id};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/employers/{code}",
            put_with(save_employer, |o| o.summary("Register an employer, or rename it")),
        )
        .api_route(
            "/api/v1/employers/{code}/reports",
            post_with(import_report, |o| {
                o.summary(
                    "Load an employer's report (CSV: rnokpp, month, wage, contribution[, kind, hired, dismissed]) \
                     into people's records; one bad row refuses the report",
                )
            }),
        )
        .api_route("/api/v1/persons/{id}/record", get_with(person_record, |o| o.summary("A person's pension record")))
        .api_route(
            "/api/v1/record/corrections",
            get_with(corrections, |o| o.summary("Mistakes citizens reported in records in the caller's scope")),
        )
        .api_route(
            "/api/v1/record/corrections/{id}/resolve",
            post_with(resolve, |o| o.summary("Answer a reported mistake (the citizen reads it in the account)")),
        )
}

#[derive(Deserialize, JsonSchema)]
struct EmployerPath {
    /// EDRPOU (8 digits, with its check digit) or a sole proprietor's RNOKPP (10 digits).
    #[schemars(pattern(r"^([0-9]{8}|[0-9]{10})$"))]
    code: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EmployerBody {
    #[schemars(length(min = 1, max = 300))]
    name: String,
}

async fn save_employer(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(EmployerPath { code }): ApiPath<EmployerPath>,
    ApiJson(body): ApiJson<EmployerBody>,
) -> ApiResult<Json<Employer>> {
    Ok(Json(record::save_employer(&app, &caller, &code, &body.name).await?))
}

async fn import_report(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(EmployerPath { code }): ApiPath<EmployerPath>,
    body: Upload<Csv>,
) -> ApiResult<Created<ReportReceipt>> {
    Ok(Created(record::import_report(&app, &caller, &code, &body.bytes).await?))
}

async fn person_record(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<RecordView>> {
    Ok(Json(record::record_of(&app, &caller, id).await?))
}

#[derive(Deserialize, JsonSchema)]
struct CorrectionsQuery {
    /// Only those not answered yet (default true).
    open: Option<bool>,
}

async fn corrections(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<CorrectionsQuery>,
) -> ApiResult<Json<Vec<Correction>>> {
    Ok(Json(record::corrections(&app, &caller, q.open.unwrap_or(true)).await?))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct ResolveBody {
    /// What was found and done, for the citizen.
    #[schemars(length(min = 1, max = 2000))]
    answer: String,
}

async fn resolve(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<ResolveBody>,
) -> ApiResult<Json<Correction>> {
    Ok(Json(record::resolve(&app, &caller, id, &body.answer).await?))
}
