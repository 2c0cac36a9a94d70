//! The administrators' pages for the fund's offices: the list
//! (`/offices/manage`) and one office's settings (`/offices/{id}/settings`)
//! — where it is, when it is open, and how it receives by appointment (its
//! own hours, break, slot, services and places, or the fund's default). The
//! same use case as `PUT /api/v1/org/units/{id}/contact` and `…/reception`;
//! both parts are checked before either is written.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dossier_app::{App, AppError, appointments, org};
use dossier_domain::appointment::{ReceptionForm, Service, WeekHours};
use dossier_domain::{FieldError, Invalid};
use dossier_store::Unit;

use super::form::{Field, Section, SummaryItem, apply_errors, top};
use super::person::FormPage;
use super::view::{Ctx, PageResult, Staff, check_csrf, html, see_other, unit_name};
use crate::error::status_of;

/// One office in the administrators' list.
struct OfficeRow {
    id: i64,
    name: String,
    kind: String,
    /// `None`: no address, so citizens are not shown it.
    address: Option<String>,
    /// Whether it receives by hours of its own.
    own_reception: bool,
}

#[derive(Template)]
#[template(path = "office_settings.html")]
struct ListPage {
    t: Ctx,
    offices: Vec<OfficeRow>,
}

/// `GET /offices/manage` — the fund's units, each with a link to its settings.
pub async fn list(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    let lang = staff.lang;
    let offices = org::fund_units(&app, &staff.caller)?
        .iter()
        .map(|u| OfficeRow {
            id: u.id,
            name: unit_name(u, lang).to_owned(),
            kind: u.kind.message().render(lang),
            address: u.address.clone(),
            own_reception: u.reception.is_some(),
        })
        .collect();
    Ok(html(StatusCode::OK, &ListPage { t: staff.ctx("/offices/manage"), offices }))
}

/// The page's fields as posted: repeated names (one `service` per ticked
/// box) are why it is read as pairs.
#[derive(Default)]
struct SettingsForm {
    csrf: String,
    address: String,
    opening_hours: String,
    /// Ticked: the fund's default; the reception's fields are then not used.
    default_reception: bool,
    hours: [String; 7],
    pause: String,
    slot_minutes: String,
    places: String,
    services: Vec<String>,
}

const DAYS: [&str; 7] = WeekHours::NAMES;
const DAY_LABELS: [&str; 7] = [
    "ui.office.day_mon",
    "ui.office.day_tue",
    "ui.office.day_wed",
    "ui.office.day_thu",
    "ui.office.day_fri",
    "ui.office.day_sat",
    "ui.office.day_sun",
];

impl SettingsForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> SettingsForm {
        let mut f = SettingsForm::default();
        for (name, value) in pairs {
            match name.as_str() {
                "csrf" => f.csrf = value,
                "address" => f.address = value,
                "opening_hours" => f.opening_hours = value,
                "default_reception" => f.default_reception = true,
                "pause" => f.pause = value,
                "slot_minutes" => f.slot_minutes = value,
                "places" => f.places = value,
                "service" => f.services.push(value),
                other => {
                    if let Some(i) = other.strip_prefix("hours.").and_then(|d| DAYS.iter().position(|x| *x == d)) {
                        f.hours[i] = value;
                    }
                }
            }
        }
        f
    }

    /// What the office has now: its reception, or the fund's default shown as
    /// a starting point.
    fn of(app: &App, u: &Unit) -> SettingsForm {
        let r = appointments::reception(app, u).form();
        let day = |d: &Option<String>| d.clone().unwrap_or_default();
        SettingsForm {
            csrf: String::new(),
            address: u.address.clone().unwrap_or_default(),
            opening_hours: u.opening_hours.clone().unwrap_or_default(),
            default_reception: u.reception.is_none(),
            hours: r.hours.days().map(day),
            pause: r.pause.unwrap_or_default(),
            slot_minutes: r.slot_minutes.to_string(),
            places: r.places.to_string(),
            services: r.services.iter().map(|s| s.as_str().to_owned()).collect(),
        }
    }

    /// The reception the form describes (`None`: the fund's default), with
    /// the number fields that are not numbers: those go as 0, which the rules
    /// refuse, so nothing is saved and every other mistake is still named. A
    /// service no box offers (a forged form) is refused at once.
    fn reception(&self) -> Result<(Option<ReceptionForm>, Vec<FieldError>), Invalid> {
        if self.default_reception {
            return Ok((None, vec![]));
        }
        let mut not_numbers = vec![];
        let mut number = |name: &str, text: &str| {
            text.trim().parse::<i64>().unwrap_or_else(|_| {
                not_numbers.push(FieldError::new(name, "ui.office.number"));
                0
            })
        };
        let (slot_minutes, places) = (number("slot_minutes", &self.slot_minutes), number("places", &self.places));
        let services = self
            .services
            .iter()
            .map(|s| {
                Service::parse(s).ok_or_else(|| {
                    Invalid::one("services", dossier_domain::Message::new("common.unknown_value").with("value", s))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        let text = |s: &String| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
        let form = ReceptionForm {
            hours: WeekHours::from_days(self.hours.each_ref().map(text)),
            pause: text(&self.pause),
            slot_minutes,
            services,
            places,
        };
        Ok((Some(form), not_numbers))
    }
}

fn sections(t: &Ctx, f: &SettingsForm) -> Vec<Section> {
    let p = "o-";
    let contact = vec![
        Field::text(p, "address", t.t("ui.office.address"), f.address.as_str())
            .hint(t.t("ui.office.address_hint"))
            .maxlength(300),
        Field::text(p, "opening_hours", t.t("ui.office.opening_hours"), f.opening_hours.as_str())
            .hint(t.t("ui.office.opening_hours_hint"))
            .maxlength(300),
    ];
    let mut reception =
        vec![Field::checkbox(p, "default_reception", t.t("ui.office.default_reception"), f.default_reception)];
    for (i, (day, label)) in DAYS.iter().zip(DAY_LABELS).enumerate() {
        let label = t.t(label);
        reception.push(Field::text(p, &format!("hours.{day}"), label, f.hours[i].as_str()).maxlength(20));
    }
    reception.push(Field::text(p, "pause", t.t("ui.office.pause"), f.pause.as_str()).maxlength(20));
    reception.push(
        Field::text(p, "slot_minutes", t.t("ui.office.slot_minutes"), f.slot_minutes.as_str()).inputmode("numeric"),
    );
    reception.push(Field::text(p, "places", t.t("ui.office.places"), f.places.as_str()).inputmode("numeric"));
    let services = Service::ALL
        .iter()
        .map(|s| {
            let mut c =
                Field::checkbox(p, "service", s.message().render(t.lang), f.services.iter().any(|x| x == s.as_str()));
            // One name for every box (the form posts each ticked one); each its own id.
            c.id = format!("{p}service-{}", s.as_str());
            c.value = s.as_str().to_owned();
            c
        })
        .collect();
    vec![
        Section::new("o-contact", t.t("ui.office.contact"), contact),
        Section::new("o-reception", t.t("ui.office.reception"), reception),
        Section::new("o-services", t.t("ui.office.services"), services),
    ]
}

fn page(staff: &Staff, u: &Unit, f: &SettingsForm, errors: Option<&AppError>) -> FormPage {
    let here = format!("/offices/{}/settings", u.id);
    let t = staff.ctx(&here);
    let mut sections = sections(&t, f);
    let mut summary: Vec<SummaryItem> = vec![];
    if let Some(e) = errors {
        // A day's hours are named `hours.mon` by both the form and the rule that checks them.
        summary = apply_errors(&mut sections, &e.fields, t.lang);
        if e.fields.is_empty() {
            summary.push(top(&e.message, t.lang));
        }
    }
    FormPage {
        title: format!("{} — {}", t.t("ui.office.settings"), unit_name(u, t.lang)),
        intro: t.t("ui.office.intro").to_owned(),
        action: here,
        submit: t.t("ui.office.save").to_owned(),
        cancel: "/offices/manage".into(),
        summary,
        source: None,
        sections,
        t,
    }
}

/// `GET /offices/{id}/settings` — the office's settings as they stand.
pub async fn form(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<i64>) -> PageResult {
    let u = org::fund_unit(&app, &staff.caller, id)?;
    Ok(html(StatusCode::OK, &page(&staff, &u, &SettingsForm::of(&app, &u), None)))
}

/// `POST /offices/{id}/settings` — saves both parts, or names every mistake and saves nothing.
pub async fn save(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let f = SettingsForm::from_pairs(pairs);
    check_csrf(&staff.caller, &f.csrf)?;
    let u = org::fund_unit(&app, &staff.caller, id)?;
    let (reception, not_numbers) = match f.reception() {
        Ok(read) => read,
        Err(invalid) => {
            let e = AppError::from(invalid);
            return Ok(html(status_of(e.kind), &page(&staff, &u, &f, Some(&e))));
        }
    };
    let (address, hours) = (Some(f.address.clone()), Some(f.opening_hours.clone()));
    match org::set_office(&app, &staff.caller, id, address, hours, reception.as_ref()).await {
        Ok(_) => Ok(see_other("/offices/manage")),
        Err(mut e) if !e.fields.is_empty() => {
            // A field that was not a number is named as such, not by the range its 0 missed.
            e.fields.retain(|x| not_numbers.iter().all(|n| n.field != x.field));
            e.fields.extend(not_numbers);
            Ok(html(status_of(e.kind), &page(&staff, &u, &f, Some(&e))))
        }
        Err(e) => Err(e.into()),
    }
}
