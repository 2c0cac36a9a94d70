//! The pensions the fund pays: one person's, and those it paid before
//! Dossier, moved over from its previous system.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use dossier_app::payments;
use dossier_app::{App, AppError, ErrorKind};
use dossier_http::openapi::{Created, Csv, Upload};
use dossier_store::{PensionImport, PensionInPayment};

use super::tracking::NoStore;
use super::{ApiPath, Id};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/persons/{id}/pension",
            get_with(pension, |o| {
                o.summary("The pension the fund pays the person: kind, monthly amount, first day, delivery")
            }),
        )
        .api_route(
            "/api/v1/pensions/import",
            post_with(import, |o| {
                o.summary(
                    "Record pensions paid before Dossier (CSV: rnokpp, kind, amount, since, delivery[, iban, \
                     postcode, address, delivery_since]) for people in the caller's scope; one bad row refuses \
                     the file",
                )
            }),
        )
}

async fn pension(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<PensionInPayment>> {
    let paid = payments::pension_of(&app, &caller, id).await?;
    Ok(NoStore(Json(paid.ok_or_else(|| AppError::new(ErrorKind::NotFound, "not_found", "payment.none"))?)))
}

async fn import(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    body: Upload<Csv>,
) -> ApiResult<Created<PensionImport>> {
    Ok(Created(payments::import_paid(&app, &caller, &body.bytes).await?))
}
