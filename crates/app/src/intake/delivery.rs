//! The acquirer endpoint: what happens when the hub delivers a package.
//!
//! No staff login — the package authenticates itself: it must decrypt with
//! the requesting branch's key and carry valid signatures by the pinned hub
//! certificate, and its signed metadata must answer a live request this fund
//! made, stamped for this acquirer and that branch. Then the PAdES copy is
//! verified (the report is kept whatever it says), the person is matched by
//! RNOKPP / UNZR / document number, and the PDF plus the hub's signed
//! metadata are stored encrypted with their provenance — once per request:
//! a repeated delivery is acknowledged again without a second copy.
//!
//! Refusals are 4xx with a stable code: retrying cannot make a package for
//! another fund readable, so the hub should stop. Nothing decrypted and no
//! identifier is ever logged: only the request id and the refusal code.
use dossier_crypto::software::SoftwareProvider;
use dossier_domain::Message;
use dossier_domain::intake::{Delivered, DeliveryMismatch, Expected, check_delivery, person_keys};
use dossier_domain::org::UnitPath;
use dossier_sharing::package::{OpenError, Package, open};
use dossier_store::blobs::BlobStore;
use dossier_store::{Actor, NewSharingCopy, PersonQuery, StoreError, StoredBlob};
use uuid::Uuid;

use super::Intake;
use crate::error::{AppError, ErrorKind};
use crate::{App, trust};

/// Why a delivery was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeliveryError {
    /// A multipart part or the trace header is missing or malformed.
    Malformed(&'static str),
    /// The trace header names no request of this fund.
    UnknownRequest,
    NotForUs,
    Undecryptable,
    BadSignature,
    WrongSigner,
    BadMetadata,
    Mismatch(DeliveryMismatch),
    /// The request is closed (declined, expired, failed): too late.
    NotLive(String),
    /// This server holds no key for the branch (configuration): retry later.
    NoKey,
    Internal,
}

impl DeliveryError {
    pub fn code(&self) -> &'static str {
        match self {
            DeliveryError::Malformed(_) => "malformed_delivery",
            DeliveryError::UnknownRequest => "unknown_request",
            DeliveryError::NotForUs => "not_for_us",
            DeliveryError::Undecryptable => "undecryptable",
            DeliveryError::BadSignature => "bad_signature",
            DeliveryError::WrongSigner => "wrong_signer",
            DeliveryError::BadMetadata => "bad_metadata",
            DeliveryError::Mismatch(m) => m.code(),
            DeliveryError::NotLive(_) => "request_closed",
            DeliveryError::NoKey => "branch_key_missing",
            DeliveryError::Internal => "internal",
        }
    }
}

impl From<DeliveryError> for AppError {
    fn from(e: DeliveryError) -> Self {
        let (kind, message) = match &e {
            DeliveryError::Malformed(part) => {
                (ErrorKind::BadRequest, Message::new("intake.delivery.malformed").with("part", part))
            }
            DeliveryError::UnknownRequest => (ErrorKind::NotFound, Message::new("intake.delivery.unknown_request")),
            DeliveryError::NotForUs => (ErrorKind::Invalid, Message::new("intake.delivery.not_for_us")),
            DeliveryError::Undecryptable => (ErrorKind::Invalid, Message::new("intake.delivery.undecryptable")),
            DeliveryError::BadSignature => (ErrorKind::Invalid, Message::new("intake.delivery.bad_signature")),
            DeliveryError::WrongSigner => (ErrorKind::Invalid, Message::new("intake.delivery.wrong_signer")),
            DeliveryError::BadMetadata => (ErrorKind::Invalid, Message::new("intake.delivery.bad_metadata")),
            DeliveryError::Mismatch(m) => (ErrorKind::Invalid, m.message()),
            DeliveryError::NotLive(s) => {
                (ErrorKind::Conflict, Message::new("intake.delivery.not_live").with("status", s))
            }
            DeliveryError::NoKey => (ErrorKind::Unavailable, Message::new("intake.not_configured")),
            DeliveryError::Internal => (ErrorKind::Internal, Message::new("common.internal")),
        };
        AppError::new(kind, e.code(), message)
    }
}

impl From<StoreError> for DeliveryError {
    fn from(e: StoreError) -> Self {
        tracing::error!(error = %e, "intake store failure");
        DeliveryError::Internal
    }
}

/// What a successful delivery did.
#[derive(Debug, Clone)]
pub struct Received {
    pub request_id: Uuid,
    pub document_id: Uuid,
    pub person_id: Option<Uuid>,
    /// `false` for a repeated delivery (nothing new was stored).
    pub created: bool,
}

/// The report on the signatures inside a delivered PDF, stored with the copy.
/// The package itself is authentic by then (the hub signed it), so a PDF the
/// validator cannot judge — an error, or a bug that panics on what an
/// attacker made — is kept with the reason rather than refused: the copy is
/// the citizen's, and a specialist sees the report.
fn pdf_report<R: serde::Serialize, E: std::fmt::Display>(verify: impl FnOnce() -> Result<R, E>) -> serde_json::Value {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(verify)) {
        Ok(Ok(report)) => serde_json::to_value(report).unwrap_or_default(),
        Ok(Err(e)) => serde_json::json!({"error": e.to_string()}),
        Err(_) => serde_json::json!({"error": "verification did not finish"}),
    }
}

/// A delivery's copy: already stored (a repeat is only acknowledged, so its
/// PDF is not checked again), or new, with its PDF judged.
enum Copy {
    Stored { document_id: Uuid, person_id: Option<Uuid> },
    New { pdf_report: serde_json::Value },
}

/// Opens, checks, matches and stores one delivered package.
pub(crate) async fn receive(
    app: &App,
    intake: &Intake,
    trace: Option<&str>,
    package: Package,
) -> Result<Received, DeliveryError> {
    let trace = trace.map(str::trim).ok_or(DeliveryError::Malformed("X-Document-Request-Trace-Id"))?;
    let request_id = Uuid::parse_str(trace).map_err(|_| DeliveryError::UnknownRequest)?;
    // The request, its branch's unit (which holds the decryption key) and any
    // copy already stored for it, in one read.
    let route = app.store.delivery_route(request_id).await?.ok_or(DeliveryError::UnknownRequest)?;
    let request = &route.request;
    let key = route.branch_unit.and_then(|unit| intake.key_of(unit)).ok_or(DeliveryError::NoKey)?;
    let trust = trust::current(app).await;
    // All the package's crypto in one trip off the async workers: two ECDH and
    // two ECDSA checks to open it, then the PAdES check of a first delivery's
    // PDF (a repeat is only acknowledged, so its PDF is not checked again).
    let (cert, key, hub_cert) = (key.certificate.clone(), key.key.clone(), intake.config.hub_certificate.clone());
    let stored = route.stored;
    let crypto = tokio::task::spawn_blocking(move || {
        let opened = open(&package, &cert, key.as_ref(), &SoftwareProvider, &trust, &hub_cert)?;
        let copy = match stored {
            Some((document_id, person_id)) => Copy::Stored { document_id, person_id },
            None => Copy::New {
                pdf_report: pdf_report(|| {
                    dossier_crypto::pades::validate::verify_pdf(&SoftwareProvider, &opened.pdf, &trust)
                }),
            },
        };
        Ok::<_, OpenError>((opened, copy))
    })
    .await
    .map_err(|_| DeliveryError::Undecryptable)?
    .map_err(|e| match e {
        OpenError::NotForUs => DeliveryError::NotForUs,
        OpenError::Undecryptable(_) => DeliveryError::Undecryptable,
        OpenError::BadSignature { .. } => DeliveryError::BadSignature,
        OpenError::WrongSigner { .. } => DeliveryError::WrongSigner,
        // The parse error may quote decrypted content: it is dropped here.
        OpenError::Metadata(_) => DeliveryError::BadMetadata,
    });
    let (opened, copy) = match crypto {
        Ok(o) => o,
        Err(e) => {
            tracing::warn!(%request_id, code = e.code(), "delivery refused");
            return Err(e);
        }
    };
    let meta = &opened.metadata;
    let expected = Expected {
        request_id: trace,
        barcode: &request.barcode,
        branch_id: &request.branch_id,
        acquirer_id: &intake.config.acquirer_id,
        document_type: request.document_type,
    };
    let got = Delivered {
        trace_id: trace,
        request_id: &meta.request_id,
        barcode: &meta.barcode,
        branch_id: &meta.recipient.branch_id,
        acquirer_id: &meta.recipient.acquirer_id,
        document_types: &meta.document_types,
    };
    if let Err(m) = check_delivery(&expected, &got) {
        let e = DeliveryError::Mismatch(m);
        tracing::warn!(%request_id, code = e.code(), "delivery refused");
        return Err(e);
    }
    let pdf_report = match copy {
        // A repeat after the copy was stored: acknowledge again, store nothing.
        Copy::Stored { document_id, person_id } => {
            return Ok(Received { request_id, document_id, person_id, created: false });
        }
        Copy::New { pdf_report } => pdf_report,
    };
    let report = serde_json::json!({
        "pdf": pdf_report,
        "hub_file_signature": serde_json::to_value(&opened.pdf_report).unwrap_or_default(),
        "hub_metadata_signature": serde_json::to_value(&opened.metadata_report).unwrap_or_default(),
    });
    let data = meta.data.get(request.document_type.code()).cloned().unwrap_or_default();
    let person_id = match_person(app, request.unit_id, request.document_type, &data).await?;
    let pdf = put(&app.blobs, &opened.pdf).await?;
    let metadata_p7s = put(&app.blobs, &opened.metadata_p7s).await?;
    let copy = NewSharingCopy {
        request_id,
        pdf,
        metadata_p7s,
        person_id,
        hub_fingerprint: intake.hub_fingerprint.clone(),
        formed_at: meta.formed_at.clone(),
        stamp: serde_json::to_value(&meta.recipient).unwrap_or_default(),
        report,
        consent: meta.consent.clone(),
    };
    let (stored, created) = match app.store.record_sharing_copy(&Actor::system("intake"), &copy).await {
        Ok(r) => r,
        Err(StoreError::Conflict(_)) => {
            return Err(DeliveryError::NotLive(request.status.code().to_owned()));
        }
        Err(e) => return Err(e.into()),
    };
    if created {
        intake.events.publish(request_id, dossier_domain::intake::IntakeStatus::Delivered);
        tracing::info!(%request_id, matched = stored.person_id.is_some(), "shared document received");
    }
    Ok(Received { request_id, document_id: stored.document_id, person_id: stored.person_id, created })
}

async fn put(blobs: &BlobStore, data: &[u8]) -> Result<StoredBlob, DeliveryError> {
    let r = blobs.put(data).await?;
    Ok(StoredBlob { sha256: r.sha256, size: data.len() as i64 })
}

/// The person the copy belongs to: by RNOKPP first, then UNZR, then the
/// document number, anywhere in the fund (the visitor may live in another
/// district). No match, or more than one, sends the copy to review.
async fn match_person(
    app: &App,
    unit_id: i64,
    document_type: dossier_domain::sharing::DocumentType,
    data: &serde_json::Value,
) -> Result<Option<Uuid>, DeliveryError> {
    let keys = person_keys(document_type, data);
    if let Some(r) = &keys.rnokpp
        && let Some(p) = app.store.person_by_rnokpp(r).await?
    {
        return Ok(Some(p.id));
    }
    let Some(root) = app.unit(unit_id).and_then(|u| u.path.ids().first().copied()).map(UnitPath::root) else {
        return Ok(None);
    };
    for no in [&keys.unzr, &keys.document_no].into_iter().flatten() {
        let q = PersonQuery { document_no: Some(no.clone()), ..Default::default() };
        let found = app.store.search_persons(&root, &q, dossier_store::Page::new(0, 2)).await?;
        if found.len() == 1 {
            return Ok(Some(found[0].id));
        }
    }
    Ok(None)
}

#[cfg(test)]
mod tests {
    use super::pdf_report;

    #[test]
    fn a_pdf_the_validator_judged_keeps_its_report() {
        let report = pdf_report(|| Ok::<_, String>(serde_json::json!({"indication": "TOTAL_PASSED"})));
        assert_eq!(report["indication"], "TOTAL_PASSED");
    }

    #[test]
    fn a_pdf_the_validator_refused_keeps_the_reason() {
        let report = pdf_report(|| Err::<(), _>("no signature dictionary"));
        assert_eq!(report["error"], "no signature dictionary");
    }

    #[test]
    fn a_validator_that_panics_leaves_a_report_not_a_refusal() {
        let report = pdf_report(|| -> Result<(), String> { panic!("index out of bounds") });
        assert_eq!(report["error"], "verification did not finish");
    }
}
