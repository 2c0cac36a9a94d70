//! RFC 9457 problem details: every refusal has a stable `code`, a title in the
//! caller's language, and per-field messages in Ukrainian and English.
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_domain::{FieldError, Invalid, Lang, Message};
use dossier_store::StoreError;
use serde::Serialize;

#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    /// Stable machine code, e.g. `validation_failed`, `not_found`.
    pub code: &'static str,
    pub message: Message,
    pub fields: Vec<FieldError>,
    pub lang: Lang,
    /// Seconds to wait, sent as `Retry-After` (rate limits).
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<Message>) -> Self {
        ApiError { status, code, message: message.into(), fields: vec![], lang: Lang::Uk, retry_after: None }
    }
    pub fn not_found() -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", "common.not_found")
    }
    pub fn forbidden() -> Self {
        Self::new(StatusCode::FORBIDDEN, "forbidden", "common.forbidden")
    }
    pub fn unauthenticated() -> Self {
        Self::new(StatusCode::UNAUTHORIZED, "unauthenticated", "common.unauthenticated")
    }
    pub fn bad_request(message: impl Into<Message>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "malformed_request", message)
    }
    pub fn invalid(inv: Invalid) -> Self {
        ApiError {
            fields: inv.0,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "common.validation_failed")
        }
    }
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "common.internal")
    }
    pub fn in_lang(mut self, lang: Lang) -> Self {
        self.lang = lang;
        self
    }
}

impl From<Invalid> for ApiError {
    fn from(inv: Invalid) -> Self {
        ApiError::invalid(inv)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => ApiError::not_found(),
            StoreError::Invalid(inv) => ApiError::invalid(inv),
            StoreError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            other => {
                // Logged without request data: store errors carry no personal data.
                tracing::error!(error = %other, "store failure");
                ApiError::internal()
            }
        }
    }
}

#[derive(Serialize)]
struct FieldProblem {
    field: String,
    code: &'static str,
    uk: String,
    en: String,
}

#[derive(Serialize)]
struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    code: &'static str,
    detail: Detail,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldProblem>,
}

#[derive(Serialize)]
struct Detail {
    uk: String,
    en: String,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            kind: format!("https://dossier.invalid/problems/{}", self.code),
            title: self.message.render(self.lang),
            status: self.status.as_u16(),
            code: self.code,
            detail: Detail { uk: self.message.render(Lang::Uk), en: self.message.render(Lang::En) },
            errors: self
                .fields
                .iter()
                .map(|f| FieldProblem {
                    field: f.field.clone(),
                    code: f.message.key,
                    uk: f.message.render(Lang::Uk),
                    en: f.message.render(Lang::En),
                })
                .collect(),
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json"));
        if let Some(secs) = self.retry_after {
            resp.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

pub type ApiResult<T> = Result<T, ApiError>;
