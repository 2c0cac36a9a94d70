//! The public "find an office" page: a town typed, the fund's offices there
//! with address, opening hours and the services it receives for by appointment. No sign-in; the same use case as
//! `GET /api/v1/offices`. A GET form: a town is no one's personal data, and
//! the answer's address can be shared.
use std::sync::Arc;

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use dossier_app::{App, appointments, org};
use dossier_http::ReqLang;
use dossier_store::Unit;
use serde::Deserialize;

use super::form::{Field, Section};
use super::view::{Ctx, html};

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
    offices: Option<Vec<OfficeCard>>,
    town: String,
}

/// An office as the page shows it: each service it receives for links to
/// its free times.
struct OfficeCard {
    id: i64,
    name: String,
    address: Option<String>,
    opening_hours: Option<String>,
    /// `(code, name in the reader's language)`.
    services: Vec<(&'static str, String)>,
}

impl OfficeCard {
    fn of(app: &App, u: &Unit, lang: dossier_domain::Lang) -> OfficeCard {
        let services =
            appointments::reception(app, u).services().iter().map(|s| (s.as_str(), s.message().render(lang))).collect();
        OfficeCard {
            id: u.id,
            name: u.name(lang).to_owned(),
            address: u.address.clone(),
            opening_hours: u.opening_hours.clone(),
            services,
        }
    }
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
    let offices = (!town.is_empty())
        .then(|| org::offices(&app, &town).iter().map(|u| OfficeCard::of(&app, u, lang)).collect::<Vec<_>>());
    let page =
        OfficesPage { sections: vec![Section::new("o-query", t.t("ui.offices.query"), vec![field])], t, offices, town };
    html(StatusCode::OK, &page)
}
