//! The trust services the fund offers: the relying-party view (trust anchors
//! and current CRLs, used to validate documents people bring), the fund's
//! seal on what it issues, and its RFC 3161 time-stamping unit.
use std::sync::RwLock;

use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::TrustContext;

use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};

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
        self.sign_over(pdf, tsa, reason, None)
    }

    /// Signs `pdf` with the signature's widget over `rect` on the first page
    /// (where the document draws its seal mark), or invisible when `None`.
    pub fn sign_over(
        &self,
        pdf: &[u8],
        tsa: Option<&TimeStampAuthority>,
        reason: &str,
        rect: Option<[f32; 4]>,
    ) -> Result<Vec<u8>, dossier_crypto::CryptoError> {
        use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
        let id = dossier_crypto::signed::SigningIdentity {
            key: &self.key,
            certificate: &self.certificate,
            chain: &self.chain,
        };
        let opts = PadesOptions { reason: Some(reason.to_owned()), rect, ..PadesOptions::default() };
        sign_pdf(pdf, &id, tsa.map(|t| t as &dyn dossier_crypto::signed::TimeStamper), &opts)
    }

    /// Signs `pdf` for the long term (PAdES B-LTA, ETSI EN 319 142-1 §5.5):
    /// the B-T signature, then the validation data a verifier decades from
    /// now needs — every certificate the signature and its time-stamp carry
    /// and the `crls` current today — in the document security store, sealed
    /// by a document time-stamp. A document that outlives the seal's
    /// certificate and its CA stays provable, and `dossier archive renew`
    /// extends it before the time-stamp unit's certificate ends. Without a
    /// time-stamping unit there is nothing to anchor it to: B-B.
    pub fn sign_long_term(
        &self,
        pdf: &[u8],
        tsa: Option<&TimeStampAuthority>,
        reason: &str,
        crls: Vec<Vec<u8>>,
    ) -> Result<Vec<u8>, dossier_crypto::CryptoError> {
        use dossier_crypto::pades::{archive, pdf::ValidationData};
        let signed = self.sign(pdf, tsa, reason)?;
        let Some(tsa) = tsa else { return Ok(signed) };
        let status = archive::status(&signed, &Default::default())
            .map_err(|e| dossier_crypto::CryptoError::Pdf(e.to_string()))?;
        let data = ValidationData { certs: status.certificates, crls, ocsps: Vec::new() };
        archive::renew(&signed, &data, tsa)
    }
}

impl DocumentSeal {
    /// A CAdES-B signature with `content` inside (and its signing time): a
    /// record that carries what it vouches for, such as an audit checkpoint.
    pub fn seal_attached(&self, content: &[u8]) -> Result<Vec<u8>, dossier_crypto::CryptoError> {
        use dossier_crypto::signed::{SignOptions, SigningIdentity, sign};
        let id = SigningIdentity { key: &self.key, certificate: &self.certificate, chain: &self.chain };
        let opts = SignOptions { signing_time: Some(std::time::SystemTime::now()), ..SignOptions::default() };
        sign(&id, content, &opts)
    }

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

    pub fn tsa(&self) -> Option<&TimeStampAuthority> {
        self.tsa.as_ref()
    }
}

/// The trust context with the certification centre's current CRL (and the
/// root's revocation list) added, so documents are judged against today's revocations.
pub async fn current(app: &App) -> TrustContext {
    let mut ctx = app.trust.context();
    if let Some(ca) = &app.ca {
        if let Ok(crl) = ca.crl(app.store.as_ref()).await {
            let _ = ctx.add_crl(&crl.der);
        }
        if let Some(arl) = ca.arl() {
            let _ = ctx.add_crl(arl);
        }
    }
    ctx
}

/// Largest time-stamp request accepted: a request is a digest and a few fields.
pub const MAX_TSA_REQUEST: usize = 4096;

/// An RFC 3161 time-stamp reply (DER) to a request (DER): no sign-in, the
/// time-stamping unit answers anyone, as a TSA does.
pub fn timestamp(app: &App, request: &[u8]) -> AppResult<Vec<u8>> {
    let tsa = app.trust.tsa().ok_or_else(|| AppError::new(ErrorKind::NotFound, "no_tsa", "tsa.not_configured"))?;
    if request.len() > MAX_TSA_REQUEST {
        return Err(AppError::new(ErrorKind::TooLarge, "payload_too_large", "common.payload_too_large"));
    }
    Ok(tsa.respond(request))
}
