//! E-applications for staff: the offices' inbox, one application with its
//! signed text and files, the decision, and the signed decision document.
//! (Citizens file and sign from the personal account's pages.)
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use chrono::Utc;
use dossier_app::App;
use dossier_app::e_applications;
use dossier_domain::e_application::{Decision, DecisionForm, Status};
use dossier_domain::payment::AwardForm;
use dossier_http::openapi::{Binary, Pdf};
use dossier_store::{EApplicationFile, EApplicationRecord};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, Id};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/e-applications",
            get_with(inbox, |o| {
                o.summary("The inbox of the caller's offices: signed applications, the earliest due first")
            }),
        )
        .api_route(
            "/api/v1/e-applications/{id}",
            get_with(get, |o| o.summary("An e-application: the text the citizen signed, the signer, the files")),
        )
        .api_route(
            "/api/v1/e-applications/{id}/decision",
            post_with(decide, |o| {
                o.summary(
                    "Decide a submitted e-application once: granted, or refused with reasons; the citizen is told",
                )
            }),
        )
        .api_route(
            "/api/v1/e-applications/{id}/decision.pdf",
            get_with(decision_pdf, |o| o.summary("The decision as a PDF signed by the fund")),
        )
}

#[derive(Deserialize, JsonSchema)]
pub struct InboxQuery {
    /// One status (default `submitted`); `signing` lists those still waiting for the citizen's signature.
    pub status: Option<Status>,
    /// Every status but `signing`.
    pub all: Option<bool>,
}

async fn inbox(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<InboxQuery>,
) -> ApiResult<NoStore<Vec<EApplicationRecord>>> {
    let status = if q.all.unwrap_or(false) { None } else { Some(q.status.unwrap_or(Status::Submitted)) };
    Ok(NoStore(Json(e_applications::inbox(&app, &caller, status).await?)))
}

#[derive(Serialize, JsonSchema)]
pub struct EApplicationView {
    #[serde(flatten)]
    pub record: EApplicationRecord,
    pub files: Vec<EApplicationFile>,
}

async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<EApplicationView>> {
    let d = e_applications::get(&app, &caller, id).await?;
    Ok(NoStore(Json(EApplicationView { record: d.record, files: d.files })))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionBody {
    pub decision: Decision,
    /// Required for a refusal (at least 10 characters); a comment for a grant.
    #[serde(default)]
    #[schemars(length(max = 4000))]
    pub reasons: String,
    /// Granting a pension assignment (required then, refused otherwise): the
    /// monthly amount in hryvnias, e.g. `5123.40`.
    #[serde(default)]
    #[schemars(length(max = 20), example = "5123.40")]
    pub amount: String,
    /// Granting a pension assignment: the first day paid, `YYYY-MM-DD` — from
    /// three months before the application to its day (Law 1058, art. 45).
    #[serde(default)]
    #[schemars(length(max = 10), example = "2026-12-01")]
    pub since: String,
}

async fn decide(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<Json<EApplicationRecord>> {
    let form = DecisionForm {
        decision: body.decision.as_str().to_owned(),
        reasons: body.reasons,
        award: AwardForm { amount: body.amount, since: body.since },
    };
    Ok(Json(e_applications::decide(&app, &caller, id, &form, Utc::now()).await?))
}

async fn decision_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    Ok(Binary::new(e_applications::decision_document(&app, &caller, id).await?).inline("decision.pdf"))
}
