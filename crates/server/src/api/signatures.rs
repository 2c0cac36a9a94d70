//! Checking the signatures of an uploaded PDF.
use std::sync::Arc;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use dossier_app::{App, signatures};
use dossier_crypto::pades::validate::PdfReport;

use crate::auth::Auth;
use crate::error::ApiResult;

/// `POST /api/v1/signatures/verify-pdf` — body: the PDF. The ETSI EN 319 102-1 report.
pub async fn verify_pdf(State(app): State<Arc<App>>, Auth(caller): Auth, body: Bytes) -> ApiResult<Json<PdfReport>> {
    Ok(Json(signatures::check_pdf(&app, &caller, body.to_vec()).await?))
}
