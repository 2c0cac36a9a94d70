//! The org tree.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, put_with};
use axum::Json;
use axum::extract::State;
use dossier_app::{App, appointments, org};
use dossier_domain::Lang;
use dossier_domain::appointment::ReceptionForm;
use dossier_http::ReqLang;
use dossier_store::Unit;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route("/api/v1/org/units", get_with(units, |o| o.summary("The org tree with banks and their branches")))
        .api_route(
            "/api/v1/offices",
            get_with(offices, |o| {
                o.summary(
                    "The fund's offices that receive citizens, with address and opening hours, optionally in one \
                     town (public)",
                )
            }),
        )
        .api_route(
            "/api/v1/org/units/{id}/contact",
            put_with(set_contact, |o| {
                o.summary("Set an office's address and opening hours, which citizens are told (administrators)")
            }),
        )
        .api_route(
            "/api/v1/org/units/{id}/reception",
            put_with(set_reception, |o| {
                o.summary(
                    "Set how an office receives by appointment: hours by weekday, break, slot length, services and \
                     places (administrators)",
                )
            })
            .delete_with(reset_reception, |o| {
                o.summary("Return an office to the fund's default reception (administrators)")
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

async fn set_reception(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(UnitId { id }): ApiPath<UnitId>,
    ApiJson(body): ApiJson<ReceptionForm>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(org::set_reception(&app, &caller, id, Some(&body)).await?))
}

async fn reset_reception(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(UnitId { id }): ApiPath<UnitId>,
) -> ApiResult<Json<Unit>> {
    Ok(Json(org::set_reception(&app, &caller, id, None).await?))
}

/// The org tree, with banks and their branches (reference data for card applications).
async fn units(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<Vec<Unit>>> {
    Ok(Json(org::units(&app, &caller)?))
}

#[derive(Deserialize, JsonSchema)]
pub struct OfficeQuery {
    /// A town or a street, in any case, with or without diacritics.
    #[schemars(length(max = 100))]
    pub town: Option<String>,
}

/// An office as a citizen looks for it.
#[derive(Serialize, JsonSchema)]
pub struct Office {
    pub id: i64,
    /// In the reader's language.
    pub name: String,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    /// How it receives by appointment: its own reception or the fund's default.
    pub reception: ReceptionForm,
}

impl Office {
    pub fn of(app: &App, u: &Unit, lang: Lang) -> Office {
        Office {
            id: u.id,
            name: u.name(lang).to_owned(),
            address: u.address.clone(),
            opening_hours: u.opening_hours.clone(),
            reception: appointments::reception(app, u).form(),
        }
    }
}

async fn offices(
    State(app): State<Arc<App>>,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<OfficeQuery>,
) -> ApiResult<Json<Vec<Office>>> {
    let town = q.town.unwrap_or_default();
    if town.chars().count() > 100 {
        let too_long = dossier_domain::Message::new("common.too_long").with("max", 100);
        return Err(dossier_app::AppError::field("town", too_long).into());
    }
    Ok(Json(org::offices(&app, &town).iter().map(|u| Office::of(&app, u, lang)).collect()))
}
