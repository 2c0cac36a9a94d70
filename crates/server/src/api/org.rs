//! The org tree.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::get_with;
use axum::Json;
use axum::extract::State;
use dossier_app::{App, org};
use dossier_store::Unit;

use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route("/api/v1/org/units", get_with(units, |o| o.summary("The org tree with banks and their branches")))
}

/// The org tree, with banks and their branches (reference data for card applications).
async fn units(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<Vec<Unit>>> {
    Ok(Json(org::units(&app, &caller)?))
}
