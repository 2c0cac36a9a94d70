//! People: search, the record, registering and correcting, pictures,
//! representatives, documents, history, the CSV upload.
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use dossier_app::people::{self, SearchQuery};
use dossier_app::pictures::{self, PictureKind};
use dossier_app::{App, AppError, ErrorKind};
use dossier_domain::Message;
use dossier_domain::person::{PersonInput, RepresentativeInput};
use dossier_store::audit::AuditEntry;
use dossier_store::{DocumentMeta, PersonRecord, RepresentativeRecord};
use serde::Deserialize;
use serde_json::json;

use super::{ApiJson, ApiQuery, Paged, content, page, parse_id};
use crate::auth::Auth;
use crate::error::ApiResult;

/// What to look a person up by (the first identifier given counts), and the page.
#[derive(Deserialize, Default)]
pub struct SearchParams {
    pub rnokpp: Option<String>,
    pub okzo: Option<String>,
    pub account_no: Option<String>,
    pub document_no: Option<String>,
    pub name: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn search(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<SearchParams>,
) -> ApiResult<Json<Paged<PersonRecord>>> {
    let page = page(q.offset, q.limit);
    let query = SearchQuery {
        rnokpp: q.rnokpp,
        okzo: q.okzo,
        account_no: q.account_no,
        document_no: q.document_no,
        name: q.name,
    };
    Ok(Json(Paged::of(people::search(&app, &caller, &query, page).await?, page)))
}

pub async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonRecord>> {
    Ok(Json(people::get(&app, &caller, parse_id(&id)?).await?))
}

#[derive(Deserialize)]
pub struct NewPersonBody {
    /// District office where the person is registered; defaults to the caller's district.
    pub unit_id: Option<i64>,
    #[serde(flatten)]
    pub person: PersonInput,
}

pub async fn create(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewPersonBody>,
) -> ApiResult<(StatusCode, Json<PersonRecord>)> {
    Ok((StatusCode::CREATED, Json(people::create(&app, &caller, body.unit_id, &body.person).await?)))
}

pub async fn update(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonInput>,
) -> ApiResult<Json<PersonRecord>> {
    Ok(Json(people::update(&app, &caller, parse_id(&id)?, &body).await?))
}

async fn put_picture(
    app: &App,
    caller: &dossier_app::Caller,
    id: &str,
    kind: PictureKind,
    body: &[u8],
) -> ApiResult<(StatusCode, Json<DocumentMeta>)> {
    Ok((StatusCode::CREATED, Json(pictures::set_picture(app, caller, parse_id(id)?, kind, body).await?)))
}

async fn get_picture(app: &App, caller: &dossier_app::Caller, id: &str, kind: PictureKind) -> ApiResult<Response> {
    Ok(content(pictures::picture(app, caller, parse_id(id)?, kind).await?))
}

pub async fn set_photo(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<DocumentMeta>)> {
    put_picture(&app, &caller, &id, PictureKind::Photo, &body).await
}

pub async fn photo(State(app): State<Arc<App>>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    get_picture(&app, &caller, &id, PictureKind::Photo).await
}

pub async fn set_signature(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<DocumentMeta>)> {
    put_picture(&app, &caller, &id, PictureKind::Signature, &body).await
}

pub async fn signature(State(app): State<Arc<App>>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    get_picture(&app, &caller, &id, PictureKind::Signature).await
}

pub async fn document_content(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    Ok(content(pictures::document_content(&app, &caller, parse_id(&id)?).await?))
}

pub async fn representatives(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<RepresentativeRecord>>> {
    Ok(Json(people::representatives(&app, &caller, parse_id(&id)?).await?))
}

pub async fn add_representative(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RepresentativeInput>,
) -> ApiResult<(StatusCode, Json<RepresentativeRecord>)> {
    Ok((StatusCode::CREATED, Json(people::add_representative(&app, &caller, parse_id(&id)?, &body).await?)))
}

pub async fn documents(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<DocumentMeta>>> {
    Ok(Json(people::documents(&app, &caller, parse_id(&id)?).await?))
}

pub async fn history(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<AuditEntry>>> {
    Ok(Json(people::history(&app, &caller, parse_id(&id)?).await?))
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    /// District office the people are registered at (defaults to the caller's).
    pub unit_id: Option<i64>,
}

/// `POST /api/v1/persons/import` with a `text/csv` body: all or nothing.
pub async fn import(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    let is_csv =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/csv"));
    if !is_csv {
        let m = Message::new("common.unsupported_media").with("detail", "expected text/csv");
        return Err(AppError::new(ErrorKind::UnsupportedMedia, "unsupported_media_type", m).into());
    }
    let (unit_id, imported) = people::import_csv(&app, &caller, q.unit_id, &body).await?;
    Ok((StatusCode::CREATED, Json(json!({ "imported": imported, "unit_id": unit_id }))))
}
