//! Applications for pension certificates (form 1).
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use dossier_app::applications::{self, ApplicationView};
use dossier_app::{App, AppError};
use dossier_domain::Message;
use dossier_domain::application::ApplicationInput;
use dossier_store::CertificateRecord;
use serde::Deserialize;

use super::{ApiJson, ApiQuery, Paged, page, parse_id, pdf};
use crate::auth::Auth;
use crate::error::ApiResult;

pub async fn create(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<CertificateRecord>)> {
    Ok((StatusCode::CREATED, Json(applications::file(&app, &caller, parse_id(&id)?, &body).await?)))
}

pub async fn of_person(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CertificateRecord>>> {
    Ok(Json(applications::of_person(&app, &caller, parse_id(&id)?).await?))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub stage: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn list(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Paged<CertificateRecord>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(applications::list(&app, &caller, q.stage.as_deref(), page).await?, page)))
}

pub async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<ApplicationView>> {
    Ok(Json(applications::get(&app, &caller, parse_id(&id)?).await?))
}

/// `GET /api/v1/applications/{id}/form.pdf` — the filled form 1, signed by the fund.
pub async fn form_pdf(State(app): State<Arc<App>>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(pdf(applications::form_pdf(&app, &caller, parse_id(&id)?).await?, "application.pdf"))
}

pub async fn amend(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<Json<CertificateRecord>> {
    Ok(Json(applications::amend(&app, &caller, parse_id(&id)?, &body).await?))
}

#[derive(Deserialize, Default)]
pub struct WithdrawBody {
    #[serde(default)]
    pub note: String,
}

/// Withdraws an application; the body (a note) is optional.
pub async fn withdraw(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<CertificateRecord>> {
    let id = parse_id(&id)?;
    let note = if body.is_empty() {
        String::new()
    } else {
        serde_json::from_slice::<WithdrawBody>(&body)
            .map_err(|e| AppError::bad_request(Message::new("common.malformed_json").with("detail", e)))?
            .note
    };
    Ok(Json(applications::withdraw(&app, &caller, id, &note).await?))
}
