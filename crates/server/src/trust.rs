//! The trust services the server offers: the relying-party view (trust
//! anchors and current CRLs, used to validate uploaded documents) and the
//! RFC 3161 time-stamping unit at `POST /tsa`.
use std::sync::RwLock;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::TrustContext;

use crate::AppState;

#[derive(Default)]
pub struct TrustServices {
    context: RwLock<TrustContext>,
    tsa: Option<TimeStampAuthority>,
}

impl TrustServices {
    pub fn new(context: TrustContext, tsa: Option<TimeStampAuthority>) -> Self {
        TrustServices { context: RwLock::new(context), tsa }
    }

    /// A snapshot to validate with (validation time: now).
    pub fn context(&self) -> TrustContext {
        self.context.read().map(|c| c.clone()).unwrap_or_default()
    }

    /// Replaces the CRLs (after a revocation or when a new CRL is published).
    pub fn set_crls(&self, crls: Vec<x509_cert::crl::CertificateList>) {
        if let Ok(mut c) = self.context.write() {
            c.crls = crls;
        }
    }

    /// The context with the certification centre's current CRL added, so
    /// uploaded documents are judged against today's revocations.
    pub async fn current(&self, state: &AppState) -> TrustContext {
        let mut ctx = self.context();
        if let Some(ca) = &state.ca
            && let Ok(crl) = ca.crl(state.store.as_ref()).await
        {
            let _ = ctx.add_crl(&crl.der);
        }
        ctx
    }

    pub fn tsa(&self) -> Option<&TimeStampAuthority> {
        self.tsa.as_ref()
    }
}

/// Largest time-stamp request accepted: a request is a digest and a few fields.
pub const MAX_TSA_REQUEST: usize = 4096;

/// `POST /tsa` — RFC 3161 over HTTP (application/timestamp-query → application/timestamp-reply).
pub async fn timestamp(State(state): State<AppState>, body: Bytes) -> Response {
    let Some(tsa) = state.trust.tsa() else {
        return (StatusCode::NOT_FOUND, "no time-stamping unit is configured").into_response();
    };
    if body.len() > MAX_TSA_REQUEST {
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    let reply = tsa.respond(&body);
    let mut resp = reply.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/timestamp-reply"));
    resp
}
