//! The certification centre over HTTP: public CRL and CA certificates, and
//! the CA operators' API to certify keys and revoke certificates.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_domain::certification::Profile;
use dossier_domain::org::Permission;
use dossier_domain::{Invalid, Lang};
use serde::Deserialize;
use uuid::Uuid;

use super::ApiJson;
use crate::AppState;
use crate::access::Caller;
use crate::auth::ReqLang;
use crate::ca::{Ca, CaError, IssueRequest, IssuedView, SubjectRef};
use crate::error::{ApiError, ApiResult};

impl From<CaError> for ApiError {
    fn from(e: CaError) -> Self {
        match e {
            CaError::Refused(inv) => ApiError {
                fields: inv.0,
                ..ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "certification_refused", "certification.refused")
            },
            CaError::Invalid(inv) => ApiError::invalid(inv),
            CaError::Conflict(m) => ApiError::new(StatusCode::CONFLICT, "conflict", m),
            CaError::BadRequest(m) => ApiError::new(StatusCode::UNPROCESSABLE_ENTITY, "csr_rejected", m),
            CaError::NotFound => ApiError::not_found(),
            CaError::NotConfigured => {
                ApiError::new(StatusCode::SERVICE_UNAVAILABLE, "ca_unavailable", "ca.not_configured")
            }
            CaError::Store(s) => ApiError::from(s),
            other => {
                // Key files and signing: nothing of the request is logged.
                tracing::error!(error = %other, "certification centre failure");
                ApiError::internal()
            }
        }
    }
}

fn ca(state: &AppState, lang: Lang) -> ApiResult<&Ca> {
    state.ca.as_deref().ok_or_else(|| ApiError::from(CaError::NotConfigured).in_lang(lang))
}

fn with_type(body: impl IntoResponse, content_type: &'static str, cache: &'static str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    resp
}

/// `GET /ca/crl` — the issuing CA's current CRL, DER (RFC 5280 §4.2.1.13
/// distribution points name this URL).
pub async fn crl(State(state): State<AppState>, ReqLang(lang): ReqLang) -> ApiResult<Response> {
    let ca = ca(&state, lang)?;
    let record = ca.crl(state.store.as_ref()).await.map_err(|e| ApiError::from(e).in_lang(lang))?;
    let mut resp = with_type(record.der, "application/pkix-crl", "public, max-age=60");
    if let Ok(v) = HeaderValue::from_str(&format!("\"crl-{}\"", record.crl_number)) {
        resp.headers_mut().insert(header::ETAG, v);
    }
    Ok(resp)
}

/// `GET /ca/root.pem` — the trust anchor.
pub async fn root_pem(State(state): State<AppState>, ReqLang(lang): ReqLang) -> ApiResult<Response> {
    let ca = ca(&state, lang)?;
    Ok(with_type(ca.root_pem().to_owned(), "application/x-pem-file", "public, max-age=3600"))
}

/// `GET /ca/issuing.pem` — the intermediate, for building chains.
pub async fn issuing_pem(State(state): State<AppState>, ReqLang(lang): ReqLang) -> ApiResult<Response> {
    let ca = ca(&state, lang)?;
    Ok(with_type(ca.issuing_pem().to_owned(), "application/x-pem-file", "public, max-age=3600"))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct IssueBody {
    /// PKCS#10 request, PEM.
    pub csr: String,
    pub profile: String,
    /// Person: id or RNOKPP.
    pub person: Option<String>,
    /// Org unit: code or id.
    pub unit: Option<String>,
    pub card_application_id: Option<String>,
    pub validity_days: Option<u32>,
}

/// `POST /api/v1/ca/certificates` — certify the key of a request.
pub async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<IssueBody>,
) -> ApiResult<(StatusCode, Json<IssuedView>)> {
    caller.require(Permission::IssueCertificate)?;
    let lang = caller.lang;
    let ca = ca(&state, lang)?;
    let mut errs = Invalid::default();
    if body.csr.trim().is_empty() {
        errs.push("csr", "common.required");
    }
    let profile = errs.check("profile", Profile::parse(&body.profile));
    let card_application_id = match body.card_application_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match Uuid::parse_str(s) {
            Ok(id) => Some(id),
            Err(_) => {
                errs.push("card_application_id", "ca.card_application_not_found");
                None
            }
        },
    };
    let subject = match SubjectRef::from_parts(body.person.as_deref(), body.unit.as_deref()) {
        Ok(s) => Some(s),
        Err(CaError::Invalid(inv)) => {
            errs.0.extend(inv.0);
            None
        }
        Err(e) => return Err(ApiError::from(e).in_lang(lang)),
    };
    let (Some(profile), Some(subject), true) = (profile, subject, errs.is_empty()) else {
        return Err(ApiError::invalid(errs).in_lang(lang));
    };
    let req = IssueRequest {
        csr: body.csr.into_bytes(),
        profile,
        subject,
        card_application_id,
        validity_days: body.validity_days,
    };
    let view =
        ca.issue(state.store.as_ref(), &caller.actor(), req).await.map_err(|e| ApiError::from(e).in_lang(lang))?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// `GET /api/v1/ca/certificates/{serial}`.
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(serial): Path<String>,
) -> ApiResult<Json<IssuedView>> {
    caller.require(Permission::ReadCertificate)?;
    let lang = caller.lang;
    let ca = ca(&state, lang)?;
    if dossier_crypto::ca::serial_from_hex(&serial).is_none() {
        return Err(ApiError::not_found().in_lang(lang));
    }
    let record = state.store.issued_certificate(&serial).await?.ok_or_else(|| ApiError::not_found().in_lang(lang))?;
    Ok(Json(ca.view(record).map_err(|e| ApiError::from(e).in_lang(lang))?))
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
    State(state): State<AppState>,
    caller: Caller,
    Path(serial): Path<String>,
    ApiJson(body): ApiJson<RevokeBody>,
) -> ApiResult<Json<IssuedView>> {
    caller.require(Permission::RevokeCertificate)?;
    let lang = caller.lang;
    let ca = ca(&state, lang)?;
    let view = ca
        .revoke(state.store.as_ref(), &caller.actor(), &serial, &body.reason)
        .await
        .map_err(|e| ApiError::from(e).in_lang(lang))?;
    Ok(Json(view))
}
