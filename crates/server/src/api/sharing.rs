//! Document sharing, the fund's side: the counter's requests, their live
//! status (Server-Sent Events), the acquirer endpoint the hub delivers to,
//! and the review queue.
use std::convert::Infallible;
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use aide::generate::GenContext;
use aide::openapi::{Operation, RequestBody, Response as DocResponse};
use aide::{OperationInput, OperationOutput};
use axum::Json;
use axum::extract::{FromRequest, Multipart, Request, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use dossier_app::intake::delivery::DeliveryError;
use dossier_app::intake::events::StatusEvent;
use dossier_app::intake::{self, NewRequest, RequestView};
use dossier_app::{App, AppError};
use dossier_domain::intake::IntakeStatus;
use dossier_http::openapi::{Binary, Either, Pdf, answer, content};
use dossier_sharing::Package;
use dossier_sharing::wire::{Ack, PART_FILE, PART_FILE_NAME, PART_METADATA, TRACE_HEADER};
use dossier_store::{SharingCopy, SharingRequest, SubscriptionRecord};
use futures::Stream;
use schemars::JsonSchema;
use serde::Deserialize;
use tokio::sync::broadcast;
use uuid::Uuid;

use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, Id, Paged, page, stored};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/sharing/requests",
            post_with(create, |o| o.summary("Ask the wallet hub for a citizen's document by the 13-digit code")),
        )
        .api_route("/api/v1/sharing/requests/{id}", get_with(get, |o| o.summary("A document request and its status")))
        .api_route(
            "/api/v1/sharing/requests/{id}/events",
            get_with(events, |o| o.summary("A request's status now and at every change (Server-Sent Events)")),
        )
        .api_route(
            "/api/v1/sharing/requests/{id}/subscriptions",
            get_with(followers, |o| {
                o.summary(
                    "Who follows the request from its status link (end one with DELETE /api/v1/subscriptions/{id})",
                )
            }),
        )
        .api_route(
            "/api/v1/sharing/requests/{id}/copy",
            get_with(copy, |o| o.summary("The delivered copy: the registry's signed PDF")),
        )
        // The acquirer endpoint the hub delivers to: authenticated by the package itself.
        .api_route(
            "/api/v1/sharing/deliveries",
            post_with(deliver, |o| o.summary("The hub delivers a consented copy: signed and encrypted to the branch")),
        )
        .api_route(
            "/api/v1/sharing/review",
            get_with(review_queue, |o| {
                o.summary("Delivered copies waiting for a specialist to attach them to a dossier")
            }),
        )
        .api_route(
            "/api/v1/sharing/review/{id}/assign",
            post_with(assign, |o| o.summary("Attach a delivered copy to a person's dossier")),
        )
}

/// 201 waiting for consent; 202 kept for a retry because the hub was unreachable.
async fn create(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewRequest>,
) -> ApiResult<Either<201, 202, RequestView>> {
    let r = intake::submit(&app, &caller, &body).await?;
    let view = RequestView::of(&r, None);
    Ok(if r.status == IntakeStatus::Submitting { Either::Second(view) } else { Either::First(view) })
}

async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<RequestView>> {
    let (r, copy) = intake::request(&app, &caller, id).await?;
    Ok(Json(RequestView::of(&r, copy)))
}

async fn followers(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<Vec<SubscriptionRecord>>> {
    Ok(NoStore(Json(intake::followers(&app, &caller, id).await?)))
}

async fn copy(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Binary<Pdf>> {
    Ok(stored(intake::copy(&app, &caller, id).await?))
}

/// Server-Sent Events: the current status at once, then every change until a final status.
async fn events(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<StatusEvents<impl Stream<Item = Result<Event, Infallible>>>> {
    let (first, rx) = intake::follow(&app, &caller, id).await?;
    Ok(StatusEvents(Sse::new(status_stream(app, id, first, rx)).keep_alive(KeepAlive::default())))
}

/// A `text/event-stream` of `status` events, each a request's view as JSON.
struct StatusEvents<S>(Sse<S>);

impl<S> IntoResponse for StatusEvents<S>
where
    S: Stream<Item = Result<Event, Infallible>> + Send + 'static,
{
    fn into_response(self) -> Response {
        self.0.into_response()
    }
}

impl<S> OperationOutput for StatusEvents<S> {
    type Inner = RequestView;

    fn operation_response(_: &mut GenContext, _: &mut Operation) -> Option<DocResponse> {
        let content = content("text/event-stream", schemars::json_schema!({ "type": "string" }));
        Some(answer(
            "`status` events, each with the request's view (as `GET …/{id}` answers) as JSON, until a final status",
            content,
        ))
    }

    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        Self::operation_response(ctx, op).map(|r| vec![(Some(200), r)]).unwrap_or_default()
    }
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

/// The acquirer endpoint. No staff login: the package's pinned hub signature is the authentication.
async fn deliver(
    State(app): State<Arc<App>>,
    headers: HeaderMap,
    Delivery(multipart): Delivery,
) -> ApiResult<Json<Ack>> {
    let trace = headers.get(TRACE_HEADER).and_then(|v| v.to_str().ok()).map(str::to_owned);
    let package = read_package(multipart).await.map_err(AppError::from)?;
    intake::deliver(&app, trace.as_deref(), package).await?;
    Ok(Json(Ack { success: true }))
}

/// The hub's delivery: `multipart/form-data` with the sealed package's parts.
struct Delivery(Multipart);

impl<S: Send + Sync> FromRequest<S> for Delivery {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        Multipart::from_request(req, state)
            .await
            .map(Delivery)
            .map_err(|_| ApiError(DeliveryError::Malformed("multipart").into()))
    }
}

impl OperationInput for Delivery {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        let mut properties = serde_json::Map::new();
        let parts = [
            (
                PART_FILE,
                serde_json::json!({ "type": "string", "format": "binary", "description": "The copy, encrypted to the branch (CMS EnvelopedData, DER)" }),
            ),
            (PART_FILE_NAME, serde_json::json!({ "type": "string", "description": "The copy's file name" })),
            (
                PART_METADATA,
                serde_json::json!({ "type": "string", "description": "The metadata signed by the hub (CMS SignedData, base64)" }),
            ),
        ];
        for (name, schema) in parts {
            properties.insert(name.to_owned(), schema);
        }
        let form = schemars::json_schema!({
            "type": "object",
            "required": [PART_FILE, PART_FILE_NAME, PART_METADATA],
            "properties": properties,
        });
        let body = RequestBody {
            description: Some("A sealed package; only the branch it is encrypted to can open it".into()),
            content: content("multipart/form-data", form),
            required: true,
            extensions: Default::default(),
        };
        aide::operation::set_body(ctx, operation, body);
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

#[derive(Deserialize, Default, JsonSchema)]
pub struct QueueQuery {
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

/// Copies no person matched, in the caller's scope.
async fn review_queue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Paged<SharingCopy>>> {
    let page = page(q.offset, q.limit);
    Ok(Json(Paged::of(intake::review_queue(&app, &caller, page).await?, page)))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignBody {
    /// The person whose dossier the copy joins.
    pub person_id: Uuid,
}

/// Attaches a copy to a person's dossier.
async fn assign(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<AssignBody>,
) -> ApiResult<Json<SharingCopy>> {
    Ok(Json(intake::assign(&app, &caller, id, body.person_id).await?))
}
