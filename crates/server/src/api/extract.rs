//! Body, query and path extractors whose rejections are problem+json
//! instead of axum's plain-text defaults.
use axum::extract::rejection::{JsonRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use dossier_app::{AppError, ErrorKind};
use dossier_domain::Message;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::error::ApiError;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(rej) => Err(ApiError(json_rejection(rej))),
        }
    }
}

fn json_rejection(rej: JsonRejection) -> AppError {
    match rej {
        JsonRejection::MissingJsonContentType(_) => AppError::new(
            ErrorKind::UnsupportedMedia,
            "unsupported_media_type",
            Message::new("common.unsupported_media").with("detail", "expected application/json"),
        ),
        JsonRejection::BytesRejection(_) => {
            AppError::new(ErrorKind::TooLarge, "payload_too_large", "common.payload_too_large")
        }
        other => AppError::bad_request(Message::new("common.malformed_json").with("detail", other.body_text())),
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

/// A path id that must be a UUID; anything else is a clean 404.
pub fn parse_id(s: &str) -> Result<Uuid, ApiError> {
    Uuid::parse_str(s).map_err(|_| ApiError(AppError::not_found()))
}
