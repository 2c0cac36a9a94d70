//! Body, query and path extractors whose rejections are problem+json instead
//! of axum's plain-text defaults, and which document what they read.
use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::{Operation, Response as DocResponse};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use dossier_app::{AppError, ErrorKind};
use dossier_domain::Message;
use dossier_http::json::{self, BodyError};
use dossier_http::openapi::problem_answer;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        json::read(req, state).await.map(ApiJson).map_err(|e| match e {
            BodyError::NotJson => ApiError(AppError::new(
                ErrorKind::UnsupportedMedia,
                "unsupported_media_type",
                Message::new("common.unsupported_media").with("detail", "expected application/json"),
            )),
            BodyError::TooLarge => too_large(),
            BodyError::Malformed(detail) => malformed(detail),
        })
    }
}

fn too_large() -> ApiError {
    ApiError(AppError::new(ErrorKind::TooLarge, "payload_too_large", "common.payload_too_large"))
}

fn malformed(detail: String) -> ApiError {
    ApiError(AppError::bad_request(Message::new("common.malformed_json").with("detail", detail)))
}

impl<T: JsonSchema> OperationInput for ApiJson<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::Json::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![
            (Some(400), problem_answer(ctx, "The body is not JSON of this shape (`malformed_request`)")),
            (Some(413), problem_answer(ctx, "The body is too large (`payload_too_large`)")),
            (Some(415), problem_answer(ctx, "The body is not `application/json` (`unsupported_media_type`)")),
        ]
    }
}

/// A JSON body that may also be empty (then `T::default()`).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(|_| too_large())?;
        if body.is_empty() {
            return Ok(OptionalJson(T::default()));
        }
        json::parse(&body).map(OptionalJson).map_err(malformed)
    }
}

impl<T: JsonSchema> OperationInput for OptionalJson<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::Json::<T>::operation_input(ctx, operation);
        if let Some(aide::openapi::ReferenceOr::Item(body)) = operation.request_body.as_mut() {
            body.required = false;
        }
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(400), problem_answer(ctx, "The body is not JSON of this shape (`malformed_request`)"))]
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => Err(ApiError(query_rejection(rej))),
        }
    }
}

fn query_rejection(rej: QueryRejection) -> AppError {
    AppError::bad_request(Message::new("common.malformed_request").with("detail", rej.body_text()))
}

impl<T: JsonSchema> OperationInput for ApiQuery<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Query::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(400), problem_answer(ctx, "A query parameter has the wrong type (`malformed_request`)"))]
    }
}

/// Path parameters: what does not parse (an id that is not a UUID, an
/// unknown picture kind) names nothing here, so it is a clean 404.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(ApiError(AppError::not_found())),
        }
    }
}

impl<T: JsonSchema> OperationInput for ApiPath<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Path::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(404), problem_answer(ctx, "Nothing here, or nothing the caller may see (`not_found`)"))]
    }
}

/// `{id}`: a person, application, certificate, act, card, request… by its UUID.
#[derive(serde::Deserialize, JsonSchema)]
pub struct Id {
    pub id: uuid::Uuid,
}

/// The address the request came from, as a counter key for limits on
/// guessable look-ups (never logged). Without connection info (requests
/// made in process, as tests do) all share one key.
pub struct ClientAddr(pub String);

/// Documents nothing: the address is the connection's.
impl OperationInput for ClientAddr {}

impl<S: Send + Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let addr = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        Ok(ClientAddr(addr.map_or_else(|| "local".to_owned(), |ip| ip.to_string())))
    }
}
