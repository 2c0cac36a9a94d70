//! The org tree.
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use dossier_app::{App, org};
use dossier_store::Unit;

use crate::auth::Auth;
use crate::error::ApiResult;

/// The org tree, with banks and their branches (reference data for card applications).
pub async fn units(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<Vec<Unit>>> {
    Ok(Json(org::units(&app, &caller)?))
}
