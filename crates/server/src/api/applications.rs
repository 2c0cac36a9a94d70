//! Pension-certificate applications (form 1).
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use dossier_domain::application::ApplicationInput;
use dossier_domain::lifecycle;
use dossier_domain::org::Permission;
use dossier_store::{CertificateEvent, CertificateRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::extract::parse_id;
use super::persons::load_person;
use super::{ApiJson, ApiQuery, Paged};
use crate::AppState;
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};

#[derive(Serialize)]
pub struct ApplicationView {
    #[serde(flatten)]
    pub record: CertificateRecord,
    pub events: Vec<CertificateEvent>,
    /// What can be done next (for UIs).
    pub allowed_events: Vec<&'static str>,
    pub amendable: bool,
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<(StatusCode, Json<CertificateRecord>)> {
    let person_id = parse_id(&id)?;
    let person = state.store.person(person_id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(&state, Permission::WriteApplication, &person.unit_path, &format!("person:{person_id}")).await?;
    let rec = state
        .store
        .create_application(&caller.actor(), person_id, &body, Utc::now())
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok((StatusCode::CREATED, Json(rec)))
}

pub async fn of_person(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<CertificateRecord>>> {
    let person_id = parse_id(&id)?;
    load_person(&state, &caller, person_id, Permission::ReadApplication, "person.applications.read").await?;
    Ok(Json(state.store.certificates_of(person_id).await?))
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub stage: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn list(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<Json<Paged<CertificateRecord>>> {
    caller.require(Permission::ReadApplication)?;
    let page = super::page(q.offset, q.limit);
    let items = state
        .store
        .list_certificates(&caller.scope, q.stage.as_deref().filter(|s| !s.is_empty()), page)
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}

/// Loads an application the caller may see, with its history.
pub async fn load(state: &AppState, caller: &Caller, id: uuid::Uuid, p: Permission) -> ApiResult<ApplicationView> {
    let record = state.store.certificate(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    let subject = format!("person:{}", record.person_id);
    caller.authorize(state, p, &record.unit_path, &subject).await?;
    state.store.audit(&caller.actor(), "application.read", &subject, json!({"application_id": id})).await?;
    let events = state.store.certificate_events(id).await?;
    let allowed_events =
        lifecycle::allowed_events(record.data.form, record.stage).into_iter().map(|e| e.as_str()).collect();
    let amendable = record.stage.is_amendable();
    Ok(ApplicationView { record, events, allowed_events, amendable })
}

pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<ApplicationView>> {
    let id = parse_id(&id)?;
    Ok(Json(load(&state, &caller, id, Permission::ReadApplication).await?))
}

/// `GET /api/v1/applications/{id}/form.pdf` — the filled form 1, signed by the fund.
pub async fn form_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<axum::response::Response> {
    let id = parse_id(&id)?;
    let view = load(&state, &caller, id, Permission::ReadApplication).await?;
    let bytes = crate::production_pdf::application_form(&state, &view.record).await?;
    Ok(super::production::pdf(bytes, "application.pdf"))
}

pub async fn amend(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ApplicationInput>,
) -> ApiResult<Json<CertificateRecord>> {
    let id = parse_id(&id)?;
    let cur = state.store.certificate(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller
        .authorize(&state, Permission::WriteApplication, &cur.unit_path, &format!("person:{}", cur.person_id))
        .await?;
    let rec = state
        .store
        .amend_application(&caller.actor(), id, &body, Utc::now().date_naive())
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok(Json(rec))
}

#[derive(Deserialize, Default)]
pub struct WithdrawBody {
    #[serde(default)]
    pub note: String,
}

pub async fn withdraw(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> ApiResult<Json<CertificateRecord>> {
    let id = parse_id(&id)?;
    let cur = state.store.certificate(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller
        .authorize(&state, Permission::WriteApplication, &cur.unit_path, &format!("person:{}", cur.person_id))
        .await?;
    // The body is optional: an empty one withdraws without a note.
    let note = if body.is_empty() {
        String::new()
    } else {
        serde_json::from_slice::<WithdrawBody>(&body)
            .map_err(|e| {
                ApiError::bad_request(dossier_domain::Message::new("common.malformed_json").with("detail", e))
                    .in_lang(caller.lang)
            })?
            .note
    };
    let rec = state
        .store
        .withdraw_application(&caller.actor(), id, &note)
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok(Json(rec))
}
