//! Document sharing, the fund's side: the counter's requests, their live
//! status (SSE), the acquirer endpoint the hub delivers to, and the review
//! queue. Thin: the rules live in `crate::intake` and `dossier_domain::intake`.
use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use dossier_domain::intake::IntakeStatus;
use dossier_domain::org::Permission;
use dossier_domain::sharing::DocumentType;
use dossier_domain::{Lang, Message};
use dossier_store::{SharingCopy, SharingRequest};
use futures::Stream;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::extract::parse_id;
use super::{ApiJson, ApiQuery, Paged};
use crate::AppState;
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::intake::Intake;
use crate::intake::delivery::DeliveryError;
use crate::intake::requests::{Submission, error_message, submit};
use dossier_sharing::Package;
use dossier_sharing::wire::{Ack, PART_FILE, PART_FILE_NAME, PART_METADATA, TRACE_HEADER};

pub fn intake_of(state: &AppState, lang: Lang) -> Result<Arc<Intake>, ApiError> {
    state.intake.clone().ok_or_else(|| {
        ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "sharing_not_configured", "intake.not_configured").in_lang(lang)
    })
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NewRequestBody {
    pub barcode: String,
    pub document_type: String,
    /// The unit requesting (defaults to the caller's); must be in scope.
    pub unit_id: Option<i64>,
}

#[derive(Serialize)]
pub struct Text {
    pub uk: String,
    pub en: String,
}

impl Text {
    pub fn of(m: &Message) -> Text {
        Text { uk: m.render(Lang::Uk), en: m.render(Lang::En) }
    }
}

/// A request as the counter sees it.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub id: Uuid,
    pub status: IntakeStatus,
    pub status_text: Text,
    pub final_status: bool,
    pub error: Option<Text>,
    pub document_type: DocumentType,
    pub branch_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub document_id: Option<Uuid>,
    pub copy: Option<SharingCopy>,
}

impl RequestView {
    pub fn of(r: &SharingRequest, copy: Option<SharingCopy>) -> RequestView {
        RequestView {
            id: r.id,
            status: r.status,
            status_text: Text::of(&Message::new(r.status.label_key())),
            final_status: r.status.is_final(),
            error: error_message(r).map(|m| Text::of(&m)),
            document_type: r.document_type,
            branch_id: r.branch_id.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            delivered_at: r.delivered_at,
            document_id: r.document_id,
            copy,
        }
    }
}

/// The unit a specialist requests for: the given one (in scope) or their own.
fn requesting_unit(state: &AppState, caller: &Caller, unit_id: Option<i64>) -> Result<i64, ApiError> {
    let id = unit_id.unwrap_or(caller.unit.id);
    let unit = state.unit(id).ok_or_else(|| ApiError::forbidden().in_lang(caller.lang))?;
    if !caller.in_scope(&unit.path) && id != caller.unit.id {
        return Err(ApiError::forbidden().in_lang(caller.lang));
    }
    Ok(id)
}

/// `POST /api/v1/sharing/requests`.
pub async fn create(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewRequestBody>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    caller.require(Permission::WritePerson)?;
    let intake = intake_of(&state, caller.lang)?;
    let document_type = DocumentType::parse(&body.document_type)
        .map_err(|m| ApiError::invalid(dossier_domain::Invalid::one("documentType", m)).in_lang(caller.lang))?;
    let unit_id = requesting_unit(&state, &caller, body.unit_id)?;
    let s = Submission {
        actor: caller.actor(),
        account_id: Some(caller.account.id),
        unit_id,
        barcode: &body.barcode,
        document_type,
    };
    let r = submit(&state, &intake, s).await.map_err(|e| e.in_lang(caller.lang))?;
    // Accepted by the hub: 201; kept for a retry because the hub was unreachable: 202.
    let status = if r.status == IntakeStatus::Submitting { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    Ok((status, Json(RequestView::of(&r, None))))
}

/// Loads a request the caller may follow (its unit in the caller's scope).
pub async fn load_request(state: &AppState, caller: &Caller, id: Uuid) -> ApiResult<SharingRequest> {
    let r = state.store.sharing_request(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    let unit = state.unit(r.unit_id).ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(state, Permission::WritePerson, &unit.path, &format!("sharing_request:{id}")).await?;
    Ok(r)
}

/// `GET /api/v1/sharing/requests/{id}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    let id = parse_id(&id).map_err(|e| e.in_lang(caller.lang))?;
    let r = load_request(&state, &caller, id).await?;
    let copy = state.store.sharing_copy(id).await?;
    Ok(Json(RequestView::of(&r, copy)))
}

/// `GET /api/v1/sharing/requests/{id}/copy` — the delivered PDF (also for
/// copies still in the review queue, which have no dossier yet).
pub async fn copy_pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    let id = parse_id(&id).map_err(|e| e.in_lang(caller.lang))?;
    load_request(&state, &caller, id).await?;
    let copy = state.store.sharing_copy(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    let subject = match copy.person_id {
        Some(p) => format!("person:{p}"),
        None => format!("sharing_request:{id}"),
    };
    state.store.audit(&caller.actor(), "document.read", &subject, json!({"document_id": copy.document_id})).await?;
    super::persons::document_response(&state, copy.document_id).await
}

/// `GET /api/v1/sharing/requests/{id}/events` — Server-Sent Events: the
/// current status at once, then every change until a final status.
pub async fn events(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let id = parse_id(&id).map_err(|e| e.in_lang(caller.lang))?;
    let intake = intake_of(&state, caller.lang)?;
    // Subscribe before reading, so a change between the two is not missed.
    let rx = intake.events.subscribe();
    let r = load_request(&state, &caller, id).await?;
    Ok(Sse::new(status_stream(state, id, r, rx)).keep_alive(KeepAlive::default()))
}

fn status_event(r: &SharingRequest) -> Event {
    let view = RequestView::of(r, None);
    Event::default().event("status").data(serde_json::to_string(&view).unwrap_or_default())
}

fn status_stream(
    state: AppState,
    id: Uuid,
    first: SharingRequest,
    rx: tokio::sync::broadcast::Receiver<crate::intake::events::StatusEvent>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    use tokio::sync::broadcast::error::RecvError;
    enum Phase {
        First(Box<SharingRequest>),
        Follow,
        Done,
    }
    futures::stream::unfold((Phase::First(Box::new(first)), rx, state), move |(phase, mut rx, state)| async move {
        match phase {
            Phase::Done => None,
            Phase::First(r) => {
                let next = if r.status.is_final() { Phase::Done } else { Phase::Follow };
                Some((Ok(status_event(&r)), (next, rx, state)))
            }
            Phase::Follow => loop {
                match rx.recv().await {
                    Ok(ev) if ev.request_id != id => continue,
                    // Ours, or we lagged behind: re-read the request from the store.
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        let Ok(Some(r)) = state.store.sharing_request(id).await else { return None };
                        let next = if r.status.is_final() { Phase::Done } else { Phase::Follow };
                        return Some((Ok(status_event(&r)), (next, rx, state)));
                    }
                    Err(RecvError::Closed) => return None,
                }
            },
        }
    })
}

/// `POST /api/v1/sharing/deliveries` — the acquirer endpoint. No staff
/// login: the package's pinned hub signature is the authentication.
pub async fn deliver(State(state): State<AppState>, headers: HeaderMap, multipart: Multipart) -> Response {
    let Some(intake) = state.intake.clone() else {
        return ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "sharing_not_configured", "intake.not_configured")
            .into_response();
    };
    let trace = headers.get(TRACE_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let package = match read_package(multipart).await {
        Ok(p) => p,
        Err(e) => return e.into_api().into_response(),
    };
    match crate::intake::delivery::receive(&state, &intake, trace.as_deref(), package).await {
        Ok(_) => Json(Ack { success: true }).into_response(),
        Err(e) => e.into_api().into_response(),
    }
}

async fn read_package(mut multipart: Multipart) -> Result<Package, DeliveryError> {
    let (mut file, mut name, mut meta) = (None, None, None);
    while let Ok(Some(field)) = multipart.next_field().await {
        let field_name = field.name().unwrap_or_default().to_owned();
        let Ok(bytes) = field.bytes().await else { return Err(DeliveryError::Malformed("multipart")) };
        match field_name.as_str() {
            PART_FILE => file = Some(bytes.to_vec()),
            PART_FILE_NAME => name = Some(String::from_utf8_lossy(&bytes).into_owned()),
            PART_METADATA => meta = Some(String::from_utf8_lossy(&bytes).into_owned()),
            _ => {}
        }
    }
    let file = file.ok_or(DeliveryError::Malformed(PART_FILE))?;
    let name = name.ok_or(DeliveryError::Malformed(PART_FILE_NAME))?;
    let meta = meta.ok_or(DeliveryError::Malformed(PART_METADATA))?;
    Package::from_parts(name, file, &meta).ok_or(DeliveryError::Malformed(PART_METADATA))
}

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// `GET /api/v1/sharing/review` — copies no person matched, in the caller's scope.
pub async fn review_queue(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Paged<SharingCopy>>> {
    caller.require(Permission::WritePerson)?;
    let page = super::page(q.offset, q.limit);
    let items = state.store.review_queue(&caller.scope, page).await?;
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignBody {
    pub person_id: Uuid,
}

/// `POST /api/v1/sharing/review/{id}/assign` — attaches a copy to a person
/// (both the request and the person must be in the caller's scope).
pub async fn assign(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssignBody>,
) -> ApiResult<Json<SharingCopy>> {
    let id = parse_id(&id).map_err(|e| e.in_lang(caller.lang))?;
    load_request(&state, &caller, id).await?;
    super::persons::load_person(&state, &caller, body.person_id, Permission::WritePerson, "person.read").await?;
    let copy = state
        .store
        .assign_sharing_copy(&caller.actor(), id, body.person_id)
        .await
        .map_err(|e| ApiError::from(e).in_lang(caller.lang))?;
    Ok(Json(copy))
}
