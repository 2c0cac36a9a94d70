//! The JSON API under `/api/v1`: one handler per operation, each parsing the
//! request, calling one use case and shaping the answer.
mod applications;
mod auth;
mod ca;
mod cards;
mod extract;
mod openapi;
mod org;
mod persons;
mod production;
mod sharing;
mod signatures;

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use dossier_app::App;
use dossier_app::pictures::Content;

pub use extract::{ApiJson, ApiQuery, parse_id};

pub fn routes() -> Router<Arc<App>> {
    Router::new()
        .route("/health", get(|| async { "ok" }))
        .route("/api/openapi.json", get(openapi::document))
        .route("/api/v1/auth/login", post(auth::login))
        .route("/api/v1/auth/logout", post(auth::logout))
        .route("/api/v1/me", get(auth::me))
        .route("/api/v1/tokens", post(auth::create_token))
        .route("/api/v1/org/units", get(org::units))
        .route("/api/v1/persons", get(persons::search).post(persons::create))
        .route("/api/v1/persons/import", post(persons::import))
        .route("/api/v1/persons/{id}", get(persons::get).put(persons::update))
        .route("/api/v1/persons/{id}/photo", get(persons::photo).put(persons::set_photo))
        .route("/api/v1/persons/{id}/signature", get(persons::signature).put(persons::set_signature))
        .route("/api/v1/persons/{id}/representatives", get(persons::representatives).post(persons::add_representative))
        .route("/api/v1/persons/{id}/documents", get(persons::documents))
        .route("/api/v1/persons/{id}/history", get(persons::history))
        .route("/api/v1/persons/{id}/applications", get(applications::of_person).post(applications::create))
        .route("/api/v1/documents/{id}/content", get(persons::document_content))
        .route("/api/v1/applications", get(applications::list))
        .route("/api/v1/applications/{id}", get(applications::get).put(applications::amend))
        .route("/api/v1/applications/{id}/form.pdf", get(applications::form_pdf))
        .route("/api/v1/applications/{id}/withdraw", post(applications::withdraw))
        .route("/api/v1/signatures/verify-pdf", post(signatures::verify_pdf))
        .route("/api/v1/sharing/requests", post(sharing::create))
        .route("/api/v1/sharing/requests/{id}", get(sharing::get))
        .route("/api/v1/sharing/requests/{id}/events", get(sharing::events))
        .route("/api/v1/sharing/requests/{id}/copy", get(sharing::copy))
        // The acquirer endpoint the hub delivers to: authenticated by the package itself.
        .route("/api/v1/sharing/deliveries", post(sharing::deliver))
        .route("/api/v1/sharing/review", get(sharing::review_queue))
        .route("/api/v1/sharing/review/{id}/assign", post(sharing::assign))
        .route("/api/v1/production/batches", get(production::batches).post(production::submit))
        .route("/api/v1/production/batches/{id}", get(production::batch))
        .route("/api/v1/production/candidates", get(production::candidates))
        .route("/api/v1/production/produce", post(production::produce))
        .route("/api/v1/production/holds/{id}", post(production::decide_hold))
        .route("/api/v1/production/appointments", get(production::appointments).post(production::appoint))
        .route("/api/v1/production/acts", get(production::acts).post(production::create_act))
        .route("/api/v1/production/acts/{id}", get(production::act))
        .route("/api/v1/production/acts/{id}/accept", post(production::accept_act))
        .route("/api/v1/production/acts/{id}/pdf", get(production::act_pdf))
        .route("/api/v1/production/certificates/{id}/issue", post(production::issue))
        .route("/api/v1/production/journal", get(production::journal))
        .route("/api/v1/production/journal.pdf", get(production::journal_pdf))
        .route("/api/v1/production/destructions", post(production::create_destruction))
        .route("/api/v1/production/destructions/{id}", get(production::destruction))
        .route("/api/v1/production/destructions/{id}/sign", post(production::sign_destruction))
        .route("/api/v1/production/destructions/{id}/pdf", get(production::destruction_pdf))
        .route("/api/v1/production/overview", get(production::overview))
        .route("/api/v1/production/late", get(production::late))
        .route("/api/v1/production/expiring", get(production::expiring))
        .route("/api/v1/cards", get(cards::queue))
        .route("/api/v1/cards/dispatch", post(cards::dispatch))
        .route("/api/v1/cards/{id}", get(cards::card))
        .route("/api/v1/cards/{id}/steps", post(cards::step))
        .route("/api/v1/cards/{id}/back.pdf", get(cards::back_pdf))
        .route("/api/v1/cards/{id}/pictures/{kind}", get(cards::picture))
        .route("/tsa", post(ca::timestamp))
        .route("/api/v1/ca/certificates", post(ca::issue))
        .route("/api/v1/ca/certificates/{serial}", get(ca::get))
        .route("/api/v1/ca/certificates/{serial}/revoke", post(ca::revoke))
        // Public: relying parties fetch the CRL and the CA certificates without signing in.
        .route("/ca/crl", get(ca::crl))
        .route("/ca/root.pem", get(ca::root_pem))
        .route("/ca/issuing.pem", get(ca::issuing_pem))
        .fallback(|| async { crate::error::ApiError(dossier_app::AppError::not_found()) })
}

/// `{ items, offset, limit }` — the shape of every list.
#[derive(serde::Serialize)]
pub struct Paged<T> {
    pub items: Vec<T>,
    pub offset: i64,
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

/// A signed PDF, shown inline under `name`.
pub fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// A stored document's bytes: personal data, never cached.
pub fn content(c: Content) -> Response {
    let mut resp = c.bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&c.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    resp
}
