//! Checking the signatures of an uploaded PDF.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use axum::extract::State;
use dossier_app::{App, signatures};
use dossier_crypto::pades::validate::PdfReport;
use dossier_http::openapi::{Pdf, Upload};

use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new().api_route(
        "/api/v1/signatures/verify-pdf",
        post_with(verify_pdf, |o| {
            o.summary("Check every signature and time-stamp of a PDF: the ETSI EN 319 102-1 validation report")
        }),
    )
}

async fn verify_pdf(State(app): State<Arc<App>>, Auth(caller): Auth, body: Upload<Pdf>) -> ApiResult<Json<PdfReport>> {
    Ok(Json(signatures::check_pdf(&app, &caller, body.bytes.to_vec()).await?))
}
