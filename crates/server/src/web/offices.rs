//! The public "find an office" page: a town typed, the fund's offices there
//! with address and opening hours. No sign-in; the same use case as
//! `GET /api/v1/offices`. A GET form: a town is no one's personal data, and
//! the answer's address can be shared.
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dossier_app::{App, org};
use dossier_http::ReqLang;
use serde::Deserialize;

use super::form::{Field, Section};
use super::view::{Ctx, html};
use crate::api::org::Office;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct OfficeForm {
    town: String,
}

#[derive(Template)]
#[template(path = "offices.html")]
struct OfficesPage {
    t: Ctx,
    sections: Vec<Section>,
    /// `None` before a search.
    offices: Option<Vec<Office>>,
    town: String,
}

/// `GET /offices[?town=…]`.
pub async fn page(State(app): State<Arc<App>>, ReqLang(lang): ReqLang, Query(form): Query<OfficeForm>) -> Response {
    let town: String = form.town.trim().chars().take(100).collect();
    let t = Ctx::anonymous(lang, "/offices");
    let field = Field::text("o-", "town", t.t("ui.offices.town"), town.as_str())
        .autofocus()
        .autocomplete("address-level2")
        .hint(t.t("ui.offices.town_hint"))
        .maxlength(100);
    let offices =
        (!town.is_empty()).then(|| org::offices(&app, &town).iter().map(|u| Office::of(u, lang)).collect::<Vec<_>>());
    let page =
        OfficesPage { sections: vec![Section::new("o-query", t.t("ui.offices.query"), vec![field])], t, offices, town };
    html(StatusCode::OK, &page)
}
