//! Signature validation of uploaded documents.
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use dossier_crypto::pades::validate::{PdfReport, verify_pdf};
use dossier_crypto::software::SoftwareProvider;
use dossier_domain::org::Permission;

use crate::AppState;
use crate::access::Caller;
use crate::error::ApiError;

/// `POST /api/v1/signatures/verify-pdf` — body: the PDF. Returns the ETSI EN 319 102-1 report.
pub async fn verify_pdf_upload(
    State(state): State<AppState>,
    caller: Caller,
    body: Bytes,
) -> Result<Json<PdfReport>, ApiError> {
    caller.require(Permission::ReadOrg)?;
    let ctx = state.trust.current(&state).await;
    // Validation is CPU work (hashing megabytes, ECDSA): keep it off the async workers.
    let report = tokio::task::spawn_blocking(move || verify_pdf(&SoftwareProvider, &body, &ctx))
        .await
        .map_err(|_| ApiError::internal())?
        .map_err(|_| ApiError::bad_request("verify.error.not_pdf"))?;
    Ok(Json(report))
}
