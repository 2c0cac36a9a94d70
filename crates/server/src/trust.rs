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
    seal: Option<DocumentSeal>,
}

/// The fund's document-signing key: documents Dossier issues (acts, the
/// journal) are signed with it (PAdES) before they leave the server.
pub struct DocumentSeal {
    pub key: dossier_crypto::software::SoftwareKey,
    pub certificate: x509_cert::Certificate,
    pub chain: Vec<x509_cert::Certificate>,
}

impl DocumentSeal {
    /// Signs `pdf` (PAdES B-B, or B-T when the fund's time-stamping unit runs).
    pub fn sign(
        &self,
        pdf: &[u8],
        tsa: Option<&TimeStampAuthority>,
        reason: &str,
    ) -> Result<Vec<u8>, dossier_crypto::CryptoError> {
        use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
        let id = dossier_crypto::signed::SigningIdentity {
            key: &self.key,
            certificate: &self.certificate,
            chain: &self.chain,
        };
        let opts = PadesOptions { reason: Some(reason.to_owned()), location: None, ..PadesOptions::default() };
        sign_pdf(pdf, &id, tsa.map(|t| t as &dyn dossier_crypto::signed::TimeStamper), &opts)
    }
}

impl DocumentSeal {
    /// A CAdES-B detached signature over `content` (with its signing time),
    /// as the seal on a message the fund passes on.
    pub fn seal_detached(&self, content: &[u8]) -> Result<Vec<u8>, dossier_crypto::CryptoError> {
        use dossier_crypto::signed::{SignOptions, SigningIdentity, sign};
        let id = SigningIdentity { key: &self.key, certificate: &self.certificate, chain: &self.chain };
        let opts =
            SignOptions { detached: true, signing_time: Some(std::time::SystemTime::now()), ..SignOptions::default() };
        sign(&id, content, &opts)
    }
}

impl TrustServices {
    pub fn new(context: TrustContext, tsa: Option<TimeStampAuthority>) -> Self {
        TrustServices { context: RwLock::new(context), tsa, seal: None }
    }

    pub fn with_seal(mut self, seal: Option<DocumentSeal>) -> Self {
        self.seal = seal;
        self
    }

    pub fn seal(&self) -> Option<&DocumentSeal> {
        self.seal.as_ref()
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
