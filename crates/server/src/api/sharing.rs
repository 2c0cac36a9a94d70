//! Document sharing, the fund's side: the counter's requests, their live
//! status (Server-Sent Events), the acquirer endpoint the hub delivers to,
//! and the review queue.
use std::convert::Infallible;
use std::sync::Arc;

use axum::Json;
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::response::sse::{Event, KeepAlive, Sse};
use dossier_app::intake::delivery::DeliveryError;
use dossier_app::intake::events::StatusEvent;
use dossier_app::intake::{self, NewRequest, RequestView};
use dossier_app::{App, AppError};
use dossier_domain::intake::IntakeStatus;
use dossier_sharing::Package;
use dossier_sharing::wire::{Ack, PART_FILE, PART_FILE_NAME, PART_METADATA, TRACE_HEADER};
use dossier_store::{SharingCopy, SharingRequest};
use futures::Stream;
use serde::Deserialize;
use tokio::sync::broadcast;
use uuid::Uuid;

use super::{ApiJson, ApiQuery, Paged, content, page, parse_id};
use crate::auth::Auth;
use crate::error::ApiResult;

/// `POST /api/v1/sharing/requests` — 201 waiting for consent; 202 kept for a
/// retry because the hub was unreachable.
pub async fn create(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewRequest>,
) -> ApiResult<(StatusCode, Json<RequestView>)> {
    let r = intake::submit(&app, &caller, &body).await?;
    let status = if r.status == IntakeStatus::Submitting { StatusCode::ACCEPTED } else { StatusCode::CREATED };
    Ok((status, Json(RequestView::of(&r, None))))
}

/// `GET /api/v1/sharing/requests/{id}`.
pub async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<RequestView>> {
    let (r, copy) = intake::request(&app, &caller, parse_id(&id)?).await?;
    Ok(Json(RequestView::of(&r, copy)))
}

/// `GET /api/v1/sharing/requests/{id}/copy` — the delivered PDF.
pub async fn copy(State(app): State<Arc<App>>, Auth(caller): Auth, Path(id): Path<String>) -> ApiResult<Response> {
    Ok(content(intake::copy(&app, &caller, parse_id(&id)?).await?))
}

/// `GET /api/v1/sharing/requests/{id}/events` — Server-Sent Events: the
/// current status at once, then every change until a final status.
pub async fn events(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let id = parse_id(&id)?;
    let (first, rx) = intake::follow(&app, &caller, id).await?;
    Ok(Sse::new(status_stream(app, id, first, rx)).keep_alive(KeepAlive::default()))
}

fn status_event(r: &SharingRequest) -> Event {
    let view = RequestView::of(r, None);
    Event::default().event("status").data(serde_json::to_string(&view).unwrap_or_default())
}

fn status_stream(
    app: Arc<App>,
    id: Uuid,
    first: SharingRequest,
    rx: broadcast::Receiver<StatusEvent>,
) -> impl Stream<Item = Result<Event, Infallible>> {
    use tokio::sync::broadcast::error::RecvError;
    enum Phase {
        First(Box<SharingRequest>),
        Follow,
        Done,
    }
    futures::stream::unfold((Phase::First(Box::new(first)), rx, app), move |(phase, mut rx, app)| async move {
        match phase {
            Phase::Done => None,
            Phase::First(r) => {
                let next = if r.status.is_final() { Phase::Done } else { Phase::Follow };
                Some((Ok(status_event(&r)), (next, rx, app)))
            }
            Phase::Follow => loop {
                match rx.recv().await {
                    Ok(ev) if ev.request_id != id => continue,
                    // Ours, or we lagged behind: re-read the request.
                    Ok(_) | Err(RecvError::Lagged(_)) => {
                        let Ok(Some(r)) = intake::reread(&app, id).await else { return None };
                        let next = if r.status.is_final() { Phase::Done } else { Phase::Follow };
                        return Some((Ok(status_event(&r)), (next, rx, app)));
                    }
                    Err(RecvError::Closed) => return None,
                }
            },
        }
    })
}

/// `POST /api/v1/sharing/deliveries` — the acquirer endpoint. No staff login:
/// the package's pinned hub signature is the authentication.
pub async fn deliver(State(app): State<Arc<App>>, headers: HeaderMap, multipart: Multipart) -> ApiResult<Json<Ack>> {
    let trace = headers.get(TRACE_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let package = read_package(multipart).await.map_err(AppError::from)?;
    intake::deliver(&app, trace.as_deref(), package).await?;
    Ok(Json(Ack { success: true }))
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
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Paged<SharingCopy>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(intake::review_queue(&app, &caller, page).await?, page)))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignBody {
    pub person_id: Uuid,
}

/// `POST /api/v1/sharing/review/{id}/assign` — attaches a copy to a person.
pub async fn assign(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<AssignBody>,
) -> ApiResult<Json<SharingCopy>> {
    Ok(Json(intake::assign(&app, &caller, parse_id(&id)?, body.person_id).await?))
}
