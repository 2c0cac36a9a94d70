//! The JSON API under `/api/v1`, the time-stamping endpoint and the centre's
//! public files. One module per capability, each listing its routes next to
//! its handlers; a handler parses the request, calls one use case and shapes
//! the answer.
//!
//! The router and its OpenAPI document (`/api/openapi.json`) are built
//! together from the handlers' own types (`dossier_http::openapi`): the
//! extractors document parameters, bodies and credentials, the answer types
//! their statuses, media types and schemas.
mod applications;
pub(crate) mod appointments;
mod auth;
mod ca;
mod calculator;
mod cards;
mod digitization;
mod e_applications;
mod extract;
mod notify;
pub(crate) mod org;
mod payments;
mod persons;
mod production;
mod questions;
mod queue;
mod record;
mod sharing;
mod signatures;
pub(crate) mod tracking;

use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use aide::openapi::{ApiKeyLocation, SecurityScheme};
use aide::transform::TransformOpenApi;
use axum::Router;
use axum::http::header;
use dossier_app::App;
use dossier_app::pictures::Content;
use dossier_http::openapi::{Binary, PlainText};
use schemars::JsonSchema;
use serde::Serialize;

use crate::auth::{BEARER_SCHEME, SESSION_COOKIE, SESSION_SCHEME};
pub use extract::{ApiJson, ApiPath, ApiQuery, ClientAddr, Id, OptionalJson};

pub fn routes() -> Router<Arc<App>> {
    dossier_http::openapi::finish(api, describe)
        .merge(notify::hooks())
        .fallback(|| async { crate::error::ApiError(dossier_app::AppError::not_found()) })
}

fn api() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route("/health", get_with(health, |o| o.summary("Whether the service answers").tag("service")))
        .merge(auth::routes().with_path_items(|i| i.tag("auth")))
        .merge(org::routes().with_path_items(|i| i.tag("org")))
        .merge(persons::routes().with_path_items(|i| i.tag("persons")))
        .merge(applications::routes().with_path_items(|i| i.tag("applications")))
        .merge(e_applications::routes().with_path_items(|i| i.tag("e-applications")))
        .merge(payments::routes().with_path_items(|i| i.tag("pensions")))
        .merge(signatures::routes().with_path_items(|i| i.tag("signatures")))
        .merge(sharing::routes().with_path_items(|i| i.tag("sharing")))
        .merge(production::routes().with_path_items(|i| i.tag("production")))
        .merge(cards::routes().with_path_items(|i| i.tag("cards")))
        .merge(ca::routes().with_path_items(|i| i.tag("certification")))
        .merge(tracking::routes().with_path_items(|i| i.tag("status")))
        .merge(notify::routes().with_path_items(|i| i.tag("notifications")))
        .merge(digitization::routes().with_path_items(|i| i.tag("digitization")))
        .merge(calculator::routes().with_path_items(|i| i.tag("calculator")))
        .merge(appointments::routes().with_path_items(|i| i.tag("appointments")))
        .merge(record::routes().with_path_items(|i| i.tag("record")))
        .merge(questions::routes().with_path_items(|i| i.tag("questions")))
        .merge(queue::routes().with_path_items(|i| i.tag("queue")))
}

fn describe(doc: TransformOpenApi) -> TransformOpenApi {
    doc.title("Dossier agency API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(
            "Document back office of a pension fund. Refusals are RFC 9457 problem details with a stable `code` \
             and, for invalid input, one entry per field with messages in Ukrainian and English. Rules no schema \
             can state (check digits, who may see whom, the regulation's deadlines) are checked by the server and \
             answered 422 or 404.",
        )
        .security_scheme(
            BEARER_SCHEME,
            SecurityScheme::Http {
                scheme: "bearer".into(),
                bearer_format: Some("dsr_…".into()),
                description: Some("An API token issued by an administrator (`POST /api/v1/tokens`)".into()),
                extensions: Default::default(),
            },
        )
        .security_scheme(
            SESSION_SCHEME,
            SecurityScheme::ApiKey {
                location: ApiKeyLocation::Cookie,
                name: SESSION_COOKIE.into(),
                description: Some(
                    "A staff session (`POST /api/v1/auth/login`); unsafe methods also need the `X-CSRF-Token` header"
                        .into(),
                ),
                extensions: Default::default(),
            },
        )
}

async fn health() -> Binary<PlainText> {
    Binary::new("ok")
}

/// A page of a list.
#[derive(Serialize, JsonSchema)]
pub struct Paged<T> {
    pub items: Vec<T>,
    /// Rows skipped.
    pub offset: i64,
    /// Rows asked for (at most 200).
    pub limit: i64,
}

/// Offset and limit from a query string (defaults: 0 and 50; limit capped at 200).
/// Query structs carry the two fields themselves: `serde(flatten)` would turn
/// the numbers into strings under `serde_urlencoded`.
pub fn page(offset: Option<i64>, limit: Option<i64>) -> dossier_store::Page {
    dossier_store::Page::new(offset.unwrap_or(0), limit.unwrap_or(50))
}

impl<T> Paged<T> {
    pub fn of(items: Vec<T>, page: dossier_store::Page) -> Paged<T> {
        Paged { items, offset: page.offset, limit: page.limit }
    }
}

dossier_http::media!(
    /// What the dossier stores: PDFs (forms, shared copies), signed metadata, pictures.
    Stored,
    ["application/pdf", "application/pkcs7-mime", "image/jpeg", "image/png"],
    "The stored document, as it was stored"
);

/// A stored document's bytes: personal data, never cached.
pub fn stored<M: dossier_http::openapi::Media>(c: Content) -> Binary<M> {
    Binary::typed(c.bytes, &c.content_type).header(header::CACHE_CONTROL, "private, no-store")
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_is_documented_with_its_answers_and_parameters() {
        let (_, doc) = dossier_http::openapi::generate(super::api, super::describe);
        assert_eq!(doc["openapi"], "3.1.0");
        assert_eq!(dossier_http::openapi::check_document(&doc), Vec::<String>::new());
        let operations: usize =
            doc["paths"].as_object().map_or(0, |p| p.values().map(|i| i.as_object().map_or(0, |o| o.len())).sum());
        assert_eq!(operations, 135, "every route of the API (all but the document itself) is in the document");
        let ocsp = &doc["paths"]["/ca/ocsp"]["post"];
        assert!(ocsp["requestBody"]["content"]["application/ocsp-request"].is_object(), "{ocsp}");
        assert!(ocsp["responses"]["200"]["content"]["application/ocsp-response"].is_object(), "{ocsp}");
        // Binary answers carry their media types, not JSON.
        let pdf = &doc["paths"]["/api/v1/applications/{id}/form.pdf"]["get"]["responses"]["200"]["content"];
        assert!(pdf["application/pdf"].is_object(), "{pdf}");
        // Formats are also patterns (a format alone is only an annotation).
        let id = &doc["paths"]["/api/v1/persons/{id}"]["get"]["parameters"][0]["schema"];
        assert_eq!(id["format"], "uuid");
        assert!(id["pattern"].is_string(), "{id}");
        // Enums are closed lists of their values (each with its meaning).
        let stage = &doc["components"]["schemas"]["Stage"];
        let values: Vec<&str> =
            stage["oneOf"].as_array().into_iter().flatten().filter_map(|v| v["const"].as_str()).collect();
        assert_eq!(values.len(), dossier_domain::lifecycle::Stage::ALL.len(), "{stage}");
    }
}
