//! People: search, view, create, update, photo, representatives, documents, history.
use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use dossier_domain::ident::{Okzo, Rnokpp};
use dossier_domain::name::normal_form;
use dossier_domain::org::{Permission, UnitKind};
use dossier_domain::person::{PersonInput, RepresentativeInput};
use dossier_domain::{Invalid, Message};
use dossier_store::{NewDocument, PersonQuery, PersonRecord};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::extract::parse_id;
use super::{ApiJson, ApiQuery, Paged};
use crate::AppState;
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    pub rnokpp: Option<String>,
    pub okzo: Option<String>,
    pub account_no: Option<String>,
    pub document_no: Option<String>,
    pub name: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// Turns the raw search fields into a store query, validating identifiers so a
/// mistyped number gets the precise message (e.g. the RNOKPP check digit).
pub fn person_query(q: &SearchQuery) -> Result<PersonQuery, Invalid> {
    let mut out = PersonQuery::default();
    let present = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(r) = present(&q.rnokpp) {
        out.rnokpp = Some(Rnokpp::parse(&r).map_err(|m| Invalid::one("rnokpp", m))?.to_string());
    } else if let Some(o) = present(&q.okzo) {
        out.okzo = Some(Okzo::parse(&o).map_err(|m| Invalid::one("okzo", m))?.to_string());
    } else if let Some(a) = present(&q.account_no) {
        out.account_no = Some(a);
    } else if let Some(d) = present(&q.document_no) {
        out.document_no = Some(d.replace(' ', ""));
    } else if let Some(n) = present(&q.name) {
        out.name_prefix = Some(normal_form(&n));
    }
    Ok(out)
}

pub async fn search(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> ApiResult<Json<Paged<PersonRecord>>> {
    caller.require(Permission::ReadPerson)?;
    let query = person_query(&q).map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?;
    let page = super::page(q.offset, q.limit);
    let items = state.store.search_persons(&caller.scope, &query, page).await?;
    // Every person shown is a read of personal data: audit each (group-committed).
    for p in &items {
        state
            .store
            .audit(&caller.actor(), "person.read", &format!("person:{}", p.id), json!({"via": "search"}))
            .await?;
    }
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}

/// Loads a person the caller may see (and audits the read), or refuses.
pub async fn load_person(
    state: &AppState,
    caller: &Caller,
    id: Uuid,
    p: Permission,
    action: &str,
) -> ApiResult<PersonRecord> {
    let person = state.store.person(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    let subject = format!("person:{id}");
    caller.authorize(state, p, &person.unit_path, &subject).await?;
    state.store.audit(&caller.actor(), action, &subject, json!({})).await?;
    Ok(person)
}

pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<PersonRecord>> {
    let id = parse_id(&id).map_err(|e| e.in_lang(caller.lang))?;
    Ok(Json(load_person(&state, &caller, id, Permission::ReadPerson, "person.read").await?))
}

#[derive(Deserialize)]
pub struct NewPersonBody {
    /// District office where the person is registered; defaults to the caller's district.
    pub unit_id: Option<i64>,
    #[serde(flatten)]
    pub person: PersonInput,
}

/// The district office a new person is registered at: the one given (which
/// must be in the caller's scope) or the caller's own district.
pub fn target_district(state: &AppState, caller: &Caller, unit_id: Option<i64>) -> Result<i64, ApiError> {
    let id = match unit_id {
        Some(id) => id,
        None => *caller.scope.ids().last().ok_or_else(ApiError::forbidden)?,
    };
    let unit = state
        .unit(id)
        .ok_or_else(|| ApiError::invalid(Invalid::one("unit_id", "common.not_found")).in_lang(caller.lang))?;
    if unit.kind != UnitKind::DistrictOffice {
        return Err(ApiError::invalid(Invalid::one("unit_id", "person.unit_not_district")).in_lang(caller.lang));
    }
    if !caller.in_scope(&unit.path) {
        return Err(ApiError::forbidden().in_lang(caller.lang));
    }
    Ok(id)
}

pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewPersonBody>,
) -> ApiResult<(StatusCode, Json<PersonRecord>)> {
    caller.require(Permission::WritePerson)?;
    let unit_id = target_district(&state, &caller, body.unit_id)?;
    let data = body.person.validate(Utc::now().date_naive()).map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?;
    let rec = state
        .store
        .create_person(&caller.actor(), unit_id, &data)
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok((StatusCode::CREATED, Json(rec)))
}

pub async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<PersonInput>,
) -> ApiResult<Json<PersonRecord>> {
    let id = parse_id(&id)?;
    let existing = state.store.person(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(&state, Permission::WritePerson, &existing.unit_path, &format!("person:{id}")).await?;
    let data = body.validate(Utc::now().date_naive()).map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?;
    Ok(Json(
        state
            .store
            .update_person(&caller.actor(), id, &data)
            .await
            .map_err(|e| ApiError::from(e).in_lang(caller.lang))?,
    ))
}

/// The pictures a person's record holds: the face photo (for certificates and the card's zone 3)
/// and the specimen signature (the card's zone 6, captured on a pad or scanned from form 1).
/// Each is a document of its kind; the latest one is the person's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureKind {
    Photo,
    Signature,
}

impl PictureKind {
    /// The form field, the document kind and the message-key stem.
    pub fn name(self) -> &'static str {
        match self {
            PictureKind::Photo => "photo",
            PictureKind::Signature => "signature",
        }
    }

    /// Smallest width and height we accept, in pixels: a face must be recognisable, a signature
    /// legible when printed 26.6 mm wide.
    fn min_pixels(self) -> (usize, usize) {
        match self {
            PictureKind::Photo => (100, 100),
            PictureKind::Signature => (200, 40),
        }
    }

    /// Message keys: not an image, too large, too small.
    fn messages(self) -> [&'static str; 3] {
        match self {
            PictureKind::Photo => ["person.photo_not_image", "person.photo_too_large", "person.photo_too_small"],
            PictureKind::Signature => {
                ["person.signature_not_image", "person.signature_too_large", "person.signature_too_small"]
            }
        }
    }
}

/// Checks picture bytes: JPEG or PNG by content (not by the declared type), size and
/// dimensions within limits.
pub fn check_picture(kind: PictureKind, bytes: &[u8], max: usize) -> Result<&'static str, Invalid> {
    let field = kind.name();
    let [not_image, too_large, too_small] = kind.messages();
    if bytes.len() > max {
        return Err(Invalid::one(field, Message::new(too_large).with("max", max / 1024)));
    }
    let content_type = match imagesize::image_type(bytes) {
        Ok(imagesize::ImageType::Jpeg) => "image/jpeg",
        Ok(imagesize::ImageType::Png) => "image/png",
        _ => return Err(Invalid::one(field, not_image)),
    };
    let (min_w, min_h) = kind.min_pixels();
    match imagesize::blob_size(bytes) {
        Ok(size) if size.width >= min_w && size.height >= min_h => Ok(content_type),
        Ok(_) => Err(Invalid::one(field, Message::new(too_small).with("w", min_w).with("h", min_h))),
        Err(_) => Err(Invalid::one(field, not_image)),
    }
}

/// Stores a checked picture: blob first (content-addressed, so a retry is harmless), then its
/// metadata (and, for the photo, the person's link) in one transaction.
pub async fn store_picture(
    state: &AppState,
    caller: &Caller,
    person_id: Uuid,
    kind: PictureKind,
    bytes: &[u8],
) -> ApiResult<dossier_store::DocumentMeta> {
    let content_type = check_picture(kind, bytes, state.config.max_photo_bytes)
        .map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?;
    let blob = state.blobs.put(bytes).await?;
    let doc = NewDocument {
        person_id: Some(person_id),
        kind: kind.name().into(),
        content_type: content_type.into(),
        sha256: blob.sha256,
        size: blob.size,
        source: "upload".into(),
    };
    Ok(state.store.add_document(&caller.actor(), doc, kind == PictureKind::Photo).await?)
}

/// The person's current picture of `kind`, if any: the photo by the person's link, the
/// signature as the latest signature document.
pub async fn picture_id(state: &AppState, person: &PersonRecord, kind: PictureKind) -> ApiResult<Option<Uuid>> {
    Ok(match kind {
        PictureKind::Photo => person.photo_id,
        PictureKind::Signature => {
            // Newest first.
            state.store.documents(person.id).await?.into_iter().find(|d| d.kind == kind.name()).map(|d| d.id)
        }
    })
}

async fn put_picture(
    state: AppState,
    caller: Caller,
    id: String,
    kind: PictureKind,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<dossier_store::DocumentMeta>)> {
    let id = parse_id(&id)?;
    let person = state.store.person(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(&state, Permission::WritePerson, &person.unit_path, &format!("person:{id}")).await?;
    Ok((StatusCode::CREATED, Json(store_picture(&state, &caller, id, kind, &body).await?)))
}

async fn get_picture(state: AppState, caller: Caller, id: String, kind: PictureKind) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    let audit = match kind {
        PictureKind::Photo => "person.photo.read",
        PictureKind::Signature => "person.signature.read",
    };
    let person = load_person(&state, &caller, id, Permission::ReadPerson, audit).await?;
    let doc_id = picture_id(&state, &person, kind).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    document_response(&state, doc_id).await
}

pub async fn set_photo(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<dossier_store::DocumentMeta>)> {
    put_picture(state, caller, id, PictureKind::Photo, body).await
}

pub async fn photo(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    get_picture(state, caller, id, PictureKind::Photo).await
}

pub async fn set_signature(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<dossier_store::DocumentMeta>)> {
    put_picture(state, caller, id, PictureKind::Signature, body).await
}

pub async fn signature(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    get_picture(state, caller, id, PictureKind::Signature).await
}

pub(crate) async fn document_response(state: &AppState, doc_id: Uuid) -> ApiResult<Response> {
    let meta = state.store.document(doc_id).await?.ok_or_else(ApiError::not_found)?;
    let bytes = state.blobs.get(&meta.sha256).await?;
    let mut headers = HeaderMap::new();
    if let Ok(v) = meta.content_type.parse() {
        headers.insert(header::CONTENT_TYPE, v);
    }
    headers.insert(header::CACHE_CONTROL, header::HeaderValue::from_static("private, no-store"));
    Ok((headers, bytes).into_response())
}

pub async fn document_content(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    let meta = state.store.document(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    let person_id = meta.person_id.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    load_person(&state, &caller, person_id, Permission::ReadPerson, "document.read").await?;
    document_response(&state, id).await
}

pub async fn representatives(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<dossier_store::RepresentativeRecord>>> {
    let id = parse_id(&id)?;
    load_person(&state, &caller, id, Permission::ReadPerson, "person.representatives.read").await?;
    Ok(Json(state.store.representatives(id).await?))
}

pub async fn add_representative(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<RepresentativeInput>,
) -> ApiResult<(StatusCode, Json<dossier_store::RepresentativeRecord>)> {
    let id = parse_id(&id)?;
    let person = state.store.person(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(&state, Permission::WritePerson, &person.unit_path, &format!("person:{id}")).await?;
    let rep = body.validate().map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?;
    Ok((StatusCode::CREATED, Json(state.store.add_representative(&caller.actor(), id, &rep).await?)))
}

pub async fn documents(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<dossier_store::DocumentMeta>>> {
    let id = parse_id(&id)?;
    load_person(&state, &caller, id, Permission::ReadPerson, "person.documents.read").await?;
    Ok(Json(state.store.documents(id).await?))
}

pub async fn history(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<dossier_store::audit::AuditEntry>>> {
    let id = parse_id(&id)?;
    load_person(&state, &caller, id, Permission::ReadPerson, "person.history.read").await?;
    Ok(Json(state.store.audit_of(&format!("person:{id}"), 500).await?))
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    /// District office the people are registered at (defaults to the caller's).
    pub unit_id: Option<i64>,
}

/// Most row problems reported in one answer; a file worse than this is not
/// worth listing line by line.
const MAX_REPORTED_ROWS: usize = 1000;

/// `POST /api/v1/persons/import` with a `text/csv` body. Every row is checked
/// first; any bad row refuses the whole upload (422, each problem named as
/// `rows[LINE].FIELD`) and nothing is written. Otherwise all rows are stored in
/// one transaction — or none, if one is already in the registry. Large files
/// with partial acceptance and resume are `dossier import`'s job.
pub async fn import(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ImportQuery>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    caller.require(Permission::ImportPersons)?;
    let is_csv =
        headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| ct.starts_with("text/csv"));
    if !is_csv {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            Message::new("common.unsupported_media").with("detail", "expected text/csv"),
        )
        .in_lang(caller.lang));
    }
    let unit_id = target_district(&state, &caller, q.unit_id)?;
    let invalid = |inv: Invalid| ApiError::invalid(inv).in_lang(caller.lang);
    let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(&body[..]);
    let header_row =
        reader.byte_headers().map_err(|_| invalid(Invalid::one("header", "import.malformed_row")))?.clone();
    let layout =
        crate::person_csv::Layout::from_headers(&header_row).map_err(|m| invalid(Invalid::one("header", m)))?;
    let today = Utc::now().date_naive();
    let mut rows = Vec::new();
    let mut problems = Invalid::default();
    let mut rec = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut rec) {
            Ok(false) => break,
            Ok(true) => {
                let line = rec.position().map(|p| p.line() as i64).unwrap_or_default();
                match layout.person(&rec, today) {
                    Ok(p) => rows.push((line, p)),
                    Err(errs) => {
                        for e in errs {
                            problems.push(format!("rows[{line}].{}", e.field), e.message);
                        }
                    }
                }
            }
            Err(e) => {
                let line = e.position().map(|p| p.line() as i64).unwrap_or_default();
                problems.push(format!("rows[{line}]"), "import.malformed_row");
                break;
            }
        }
        if problems.0.len() >= MAX_REPORTED_ROWS {
            break;
        }
    }
    if !problems.is_empty() {
        return Err(invalid(problems));
    }
    if rows.is_empty() {
        return Err(invalid(Invalid::one("rows", "import.empty")));
    }
    let imported = state
        .store
        .import_persons(&caller.actor(), unit_id, rows)
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok((StatusCode::CREATED, Json(serde_json::json!({ "imported": imported, "unit_id": unit_id }))))
}
