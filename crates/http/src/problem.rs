//! RFC 9457 problem details: every refusal has a stable `code`, a title in
//! the request's language, the detail in Ukrainian and English, and, for
//! invalid input, one entry per field with the field's path, its message code
//! and the message in both languages.
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_db::StoreError;
use dossier_domain::{FieldError, Invalid, Lang, Message};
use schemars::JsonSchema;
use serde::Serialize;

use crate::lang::Localize;

/// A refusal as the API answers it.
#[derive(Debug, Clone)]
pub struct Problem {
    pub status: StatusCode,
    /// Stable machine code, e.g. `validation_failed`, `not_found`.
    pub code: &'static str,
    pub message: Message,
    pub fields: Vec<FieldError>,
    /// Seconds to wait, sent as `Retry-After` (rate limits).
    pub retry_after: Option<u64>,
}

impl Problem {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<Message>) -> Self {
        Problem { status, code, message: message.into(), fields: vec![], retry_after: None }
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
        Problem {
            fields: inv.0,
            ..Self::new(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed", "common.validation_failed")
        }
    }
    pub fn internal() -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", "common.internal")
    }

    /// The answer in `lang`: the title in it, the detail and the fields in both languages.
    pub fn render(&self, lang: Lang) -> Response {
        let body = ProblemDetails {
            kind: format!("https://dossier.invalid/problems/{}", self.code),
            title: self.message.render(lang),
            status: self.status.as_u16(),
            code: self.code,
            detail: Detail { uk: self.message.render(Lang::UK), en: self.message.render(Lang::EN) },
            errors: self
                .fields
                .iter()
                .map(|f| FieldProblem {
                    field: f.field.clone(),
                    code: f.message.key,
                    uk: f.message.render(Lang::UK),
                    en: f.message.render(Lang::EN),
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

impl From<Invalid> for Problem {
    fn from(inv: Invalid) -> Self {
        Problem::invalid(inv)
    }
}

impl From<StoreError> for Problem {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => Problem::not_found(),
            StoreError::Invalid(inv) => Problem::invalid(inv),
            StoreError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "conflict", m),
            other => {
                // Logged without request data: store errors carry no personal data.
                tracing::error!(error = %other, "store failure");
                Problem::internal()
            }
        }
    }
}

impl IntoResponse for Problem {
    /// Rendered in the default language; the language layer renders it again
    /// in the request's language.
    fn into_response(self) -> Response {
        let resp = self.render(Lang::default());
        Localize::attach(resp, move |lang| self.render(lang))
    }
}

/// What is wrong with one input field.
#[derive(Serialize, JsonSchema)]
pub(crate) struct FieldProblem {
    /// The field's path in the request, e.g. `rnokpp`, `representative.surname`, `rows[3].birth_date`.
    field: String,
    /// The message's stable code, e.g. `rnokpp.checksum`.
    code: &'static str,
    /// The message in Ukrainian.
    uk: String,
    /// The message in English.
    en: String,
}

/// An RFC 9457 problem: why the request was refused.
#[derive(Serialize, JsonSchema)]
pub(crate) struct ProblemDetails {
    /// A URI naming the kind of problem: `https://dossier.invalid/problems/<code>`.
    #[serde(rename = "type")]
    kind: String,
    /// What went wrong, in the request's language.
    title: String,
    /// The HTTP status.
    status: u16,
    /// Stable machine code, e.g. `validation_failed`, `not_found`, `conflict`.
    code: &'static str,
    detail: Detail,
    /// One entry per invalid field (for `validation_failed`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    errors: Vec<FieldProblem>,
}

/// What went wrong, in Ukrainian and in English.
#[derive(Serialize, JsonSchema)]
pub(crate) struct Detail {
    uk: String,
    en: String,
}
