//! The certification centre over HTTP — the public CRL and CA certificates,
//! the CA operators' API — and the fund's time-stamping unit.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use axum::http::header;
use dossier_app::certification::{self, IssueBody, IssuedView};
use dossier_app::{App, trust};
use dossier_http::openapi::{
    Binary, Created, Crl, OcspRequest, OcspResponse, Pem, TimestampQuery, TimestampReply, Upload,
};
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ApiJson, ApiPath};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route("/tsa", post_with(timestamp, |o| o.summary("Time-stamp a digest (RFC 3161)")))
        .api_route(
            "/api/v1/ca/certificates",
            post_with(issue, |o| o.summary("Certify the key of a self-signed request (PKCS#10) under a profile")),
        )
        .api_route(
            "/api/v1/ca/certificates/{serial}",
            get_with(get, |o| o.summary("An issued certificate and its status")),
        )
        .api_route(
            "/api/v1/ca/certificates/{serial}/revoke",
            post_with(revoke, |o| o.summary("Revoke a certificate; the next CRL lists it")),
        )
        // Public: relying parties fetch the CRL and the CA certificates without signing in.
        .api_route("/ca/crl", get_with(crl, |o| o.summary("The centre's current CRL")))
        .api_route(
            "/ca/ocsp",
            post_with(ocsp_post, |o| o.summary("OCSP (RFC 6960): the status of certificates the centre issued")),
        )
        .api_route(
            "/ca/ocsp/{request}",
            get_with(ocsp_get, |o| {
                o.summary("OCSP by GET (RFC 6960 Appendix A.1, RFC 5019): the request base64-encoded in the path")
            }),
        )
        .api_route("/ca/root.pem", get_with(root_pem, |o| o.summary("The root CA's certificate")))
        .api_route("/ca/root.crl", get_with(arl, |o| o.summary("The root's revocation list (the issuing CA's status)")))
        .api_route("/ca/issuing.pem", get_with(issuing_pem, |o| o.summary("The issuing CA's certificate")))
}

async fn crl(State(app): State<Arc<App>>) -> ApiResult<Binary<Crl>> {
    let record = certification::crl(&app).await?;
    Ok(Binary::new(record.der)
        .header(header::CACHE_CONTROL, "public, max-age=60")
        .header(header::ETAG, &format!("\"crl-{}\"", record.crl_number)))
}

/// Protocol errors are OCSP answers too (`malformedRequest`, `unauthorized`
/// without a centre): OCSP clients read the status inside, not HTTP's.
async fn ocsp_post(State(app): State<Arc<App>>, body: Upload<OcspRequest, false>) -> Binary<OcspResponse> {
    let answer = certification::ocsp(&app, &body.bytes).await;
    Binary::new(answer.der).header(header::CACHE_CONTROL, "no-store")
}

/// `{request}`: the DER request in base64 (RFC 4648, `/` as `%2F`; the URL-safe alphabet is taken too).
#[derive(Deserialize, JsonSchema)]
struct OcspPath {
    request: String,
}

async fn ocsp_get(
    State(app): State<Arc<App>>,
    ApiPath(OcspPath { request }): ApiPath<OcspPath>,
) -> Binary<OcspResponse> {
    use base64::Engine as _;
    let text: String = request.chars().filter(|c| !c.is_ascii_whitespace()).collect();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(&text)
        .or_else(|_| base64::engine::general_purpose::URL_SAFE.decode(&text))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(&text));
    let answer = match decoded {
        Ok(der) if der.len() <= certification::MAX_OCSP_REQUEST => certification::ocsp(&app, &der).await,
        _ => certification::OcspAnswer::refused(dossier_crypto::ocsp::ResponseStatus::MalformedRequest),
    };
    let cache = match answer.max_age {
        Some(secs) => format!("public, max-age={secs}"),
        None => "no-store".to_owned(),
    };
    Binary::new(answer.der).header(header::CACHE_CONTROL, &cache)
}

async fn arl(State(app): State<Arc<App>>) -> ApiResult<Binary<Crl>> {
    Ok(Binary::new(certification::arl(&app)?).header(header::CACHE_CONTROL, "public, max-age=3600"))
}

async fn root_pem(State(app): State<Arc<App>>) -> ApiResult<Binary<Pem>> {
    Ok(Binary::new(certification::root_pem(&app)?).header(header::CACHE_CONTROL, "public, max-age=3600"))
}

async fn issuing_pem(State(app): State<Arc<App>>) -> ApiResult<Binary<Pem>> {
    Ok(Binary::new(certification::issuing_pem(&app)?).header(header::CACHE_CONTROL, "public, max-age=3600"))
}

async fn issue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<IssueBody>,
) -> ApiResult<Created<IssuedView>> {
    Ok(Created(certification::issue(&app, &caller, body).await?))
}

/// `{serial}`: a certificate's serial number in hex.
#[derive(Deserialize, JsonSchema)]
struct Serial {
    #[schemars(pattern(r"^[0-9a-fA-F:]{1,64}$"))]
    serial: String,
}

async fn get(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Serial { serial }): ApiPath<Serial>,
) -> ApiResult<Json<IssuedView>> {
    Ok(Json(certification::get(&app, &caller, &serial).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
#[serde(default)]
pub struct RevokeBody {
    /// RFC 5280 reason (also accepted with underscores or as RFC 5280 writes it, `keyCompromise`).
    #[schemars(extend("enum" = [
        "unspecified", "key-compromise", "ca-compromise", "affiliation-changed", "superseded",
        "cessation-of-operation", "certificate-hold", "privilege-withdrawn"
    ]))]
    pub reason: String,
}

async fn revoke(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Serial { serial }): ApiPath<Serial>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> ApiResult<Json<IssuedView>> {
    Ok(Json(certification::revoke(&app, &caller, &serial, &body.reason).await?))
}

/// Any bytes: a request that is not a time-stamp query is answered with a
/// time-stamp response whose status is `rejection` (RFC 3161 §2.4.2).
async fn timestamp(
    State(app): State<Arc<App>>,
    body: Upload<TimestampQuery, false>,
) -> ApiResult<Binary<TimestampReply>> {
    Ok(Binary::new(trust::timestamp(&app, &body.bytes)?).header(header::CACHE_CONTROL, "no-store"))
}
