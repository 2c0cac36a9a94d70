//! The org tree.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, put_with};
use axum::Json;
use axum::extract::State;
use dossier_app::{App, org};
use dossier_store::Unit;
use schemars::JsonSchema;
use serde::Deserialize;

use super::{ApiJson, ApiPath};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route("/api/v1/org/units", get_with(units, |o| o.summary("The org tree with banks and their branches")))
        .api_route(
            "/api/v1/org/units/{id}/contact",
            put_with(set_contact, |o| {
                o.summary("Set an office's address and opening hours, which citizens are told (administrators)")
            }),
        )
}

#[derive(Deserialize, JsonSchema)]
pub struct UnitId {
    /// The unit's number in the org tree.
    pub id: i64,
}

/// An office's contact details; blank or absent clears one.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schemars(length(max = 300))]
    pub address: Option<String>,
    #[schemars(length(max = 300))]
    pub opening_hours: Option<String>,
}

async fn set_contact(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(UnitId { id }): ApiPath<UnitId>,
    ApiJson(body): ApiJson<Contact>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(org::set_contact(&app, &caller, id, body.address, body.opening_hours).await?))
}

/// The org tree, with banks and their branches (reference data for card applications).
async fn units(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<Vec<Unit>>> {
    Ok(Json(org::units(&app, &caller)?))
}
