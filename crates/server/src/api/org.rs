use axum::Json;
use axum::extract::State;
use dossier_domain::org::Permission;
use dossier_store::Unit;

use crate::AppState;
use crate::access::Caller;
use crate::error::ApiResult;

/// The org tree, with banks and their branches (reference data for card applications).
pub async fn units(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Vec<Unit>>> {
    caller.require(Permission::ReadOrg)?;
    Ok(Json(state.all_units()))
}
