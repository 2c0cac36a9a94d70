//! The certification centre over HTTP — the public CRL and CA certificates,
//! the CA operators' API — and the fund's time-stamping unit.
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_app::certification::{self, IssueBody, IssuedView};
use dossier_app::{App, trust};
use serde::Deserialize;

use super::ApiJson;
use crate::auth::Auth;
use crate::error::ApiResult;

fn with_type(body: impl IntoResponse, content_type: &'static str, cache: &'static str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    resp
}

/// `GET /ca/crl` — the issuing CA's current CRL, DER (the distribution point certificates name).
pub async fn crl(State(app): State<Arc<App>>) -> ApiResult<Response> {
    let record = certification::crl(&app).await?;
    let mut resp = with_type(record.der, "application/pkix-crl", "public, max-age=60");
    if let Ok(v) = HeaderValue::from_str(&format!("\"crl-{}\"", record.crl_number)) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    Ok(resp)
}

/// `GET /ca/root.pem` — the trust anchor.
pub async fn root_pem(State(app): State<Arc<App>>) -> ApiResult<Response> {
    Ok(with_type(certification::root_pem(&app)?, "application/x-pem-file", "public, max-age=3600"))
}

/// `GET /ca/issuing.pem` — the intermediate, for building chains.
pub async fn issuing_pem(State(app): State<Arc<App>>) -> ApiResult<Response> {
    Ok(with_type(certification::issuing_pem(&app)?, "application/x-pem-file", "public, max-age=3600"))
}

/// `POST /api/v1/ca/certificates` — certify the key of a request.
pub async fn issue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<IssueBody>,
) -> ApiResult<(StatusCode, Json<IssuedView>)> {
    Ok((StatusCode::CREATED, Json(certification::issue(&app, &caller, body).await?)))
}

/// `GET /api/v1/ca/certificates/{serial}`.
pub async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(serial): Path<String>,
) -> ApiResult<Json<IssuedView>> {
    Ok(Json(certification::get(&app, &caller, &serial).await?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RevokeBody {
    /// RFC 5280 reason: `key-compromise`, `affiliation-changed`, `superseded`,
    /// `cessation-of-operation`, `certificate-hold`, …
    pub reason: String,
}

/// `POST /api/v1/ca/certificates/{serial}/revoke`.
pub async fn revoke(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(serial): Path<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> ApiResult<Json<IssuedView>> {
    Ok(Json(certification::revoke(&app, &caller, &serial, &body.reason).await?))
}

/// `POST /tsa` — RFC 3161 over HTTP (application/timestamp-query → application/timestamp-reply).
pub async fn timestamp(State(app): State<Arc<App>>, body: Bytes) -> ApiResult<Response> {
    Ok(with_type(trust::timestamp(&app, &body)?, "application/timestamp-reply", "no-store"))
}
