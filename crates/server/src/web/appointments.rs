//! Booking a visit to an office without registration, on a phone: choose the
//! office and the service, pick a free time (days fold open one by one),
//! leave a name and a contact, and keep the code the page shows once. With
//! the code — or the link in the e-mails — the citizen sees the booking and
//! moves or cancels it until 24 hours before. The code travels only in POST
//! bodies, never in a URL. The same use cases as `/api/v1/appointments`.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{Datelike, NaiveDate, Utc};
use dossier_app::appointments::{self, BookingKey, BookingRequest, FreeSlot};
use dossier_app::{App, AppError};
use dossier_domain::Lang;
use dossier_domain::appointment::{Service, Status};
use dossier_http::ReqLang;
use dossier_store::Booking;
use serde::Deserialize;

use super::form::{Field, Opt, Section, SummaryItem, apply_errors, top};
use super::status::no_store;
use super::view::{Ctx, date, html};
use crate::api::ClientAddr;
use crate::api::appointments::{local_text, parse_local};
use crate::error::status_of;

/// One day's free times, as radio buttons.
pub struct DayChoice {
    pub id: String,
    pub label: String,
    /// `(value, label, checked)`.
    pub times: Vec<(String, String, bool)>,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "appointments.html")]
struct BookPage {
    t: Ctx,
    summary: Vec<SummaryItem>,
    /// Office and service.
    choose: Vec<Section>,
    /// Set once an office and a service are chosen.
    office: Option<OfficeInfo>,
    days: Vec<DayChoice>,
    /// Name and contact.
    contact: Vec<Section>,
    office_id: String,
    service: String,
    time_error: Option<String>,
}

pub struct OfficeInfo {
    pub name: String,
    pub address: String,
    pub service: String,
}

#[derive(Template)]
#[template(path = "appointment.html")]
struct ManagePage {
    t: Ctx,
    summary: Vec<SummaryItem>,
    /// The code form (before a booking is found).
    find: Vec<Section>,
    found: Option<Found>,
    /// Other free times to move to.
    days: Vec<DayChoice>,
    /// The key the action forms carry back: `code` or `token`, and its value.
    key_name: &'static str,
    key_value: String,
    /// Shown once, right after booking.
    new_code: Option<String>,
    /// What was just done ("cancelled", "moved").
    done: Option<String>,
}

pub struct Found {
    pub office: String,
    pub address: String,
    pub hours: Option<String>,
    pub service: String,
    pub when: String,
    pub cancelled: bool,
    pub may_change: bool,
    pub name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BookForm {
    office: String,
    service: String,
    starts_at: String,
    name: String,
    email: String,
    phone: String,
}

fn service_of(s: &str) -> Option<Service> {
    Service::parse(s.trim())
}

fn day_label(d: NaiveDate, lang: Lang) -> String {
    const DAYS: [&str; 7] = [
        "ui.weekday.mon",
        "ui.weekday.tue",
        "ui.weekday.wed",
        "ui.weekday.thu",
        "ui.weekday.fri",
        "ui.weekday.sat",
        "ui.weekday.sun",
    ];
    let key = DAYS[d.weekday().num_days_from_monday() as usize];
    format!("{}, {}", dossier_domain::i18n::text(key, lang), date(d))
}

/// The free times as folding days, the chosen one checked and its day open (else the first day).
fn day_choices(prefix: &str, days: Vec<(NaiveDate, Vec<FreeSlot>)>, chosen: &str, lang: Lang) -> Vec<DayChoice> {
    let mut out: Vec<DayChoice> = days
        .into_iter()
        .filter_map(|(d, slots)| {
            let times: Vec<(String, String, bool)> = slots
                .into_iter()
                .filter(|s| s.free > 0)
                .map(|s| {
                    let v = local_text(s.local);
                    let checked = v == chosen;
                    (v, s.local.format("%H:%M").to_string(), checked)
                })
                .collect();
            (!times.is_empty()).then(|| DayChoice {
                id: format!("{prefix}day-{}", d.format("%Y%m%d")),
                label: day_label(d, lang),
                open: times.iter().any(|t| t.2),
                times,
            })
        })
        .collect();
    if !out.iter().any(|d| d.open)
        && let Some(first) = out.first_mut()
    {
        first.open = true;
    }
    out
}

fn choose_sections(app: &App, t: &Ctx, office: &str, service: &str) -> Vec<Section> {
    let lang = t.lang;
    let offices: Vec<Opt> = dossier_app::org::offices(app, "")
        .iter()
        .map(|u| {
            Opt::new(u.id.to_string(), format!("{} — {}", u.name(lang), u.address.as_deref().unwrap_or("")), office)
        })
        .collect();
    // Once an office is chosen, only what it receives for.
    let offered = office.parse::<i64>().ok().and_then(|id| appointments::office(app, id).ok());
    let offered = offered.map(|u| appointments::reception(app, &u).services().to_vec());
    let services: Vec<Opt> = offered
        .as_deref()
        .unwrap_or(&Service::ALL)
        .iter()
        .map(|s| Opt::new(s.as_str(), s.message().render(lang), service))
        .collect();
    vec![Section::new(
        "a-choose",
        t.t("ui.appointments.choose"),
        vec![
            Field::select("a-", "office", t.t("ui.appointments.office"), offices)
                .required()
                .empty(t.t("ui.appointments.office_empty")),
            Field::select("a-", "service", t.t("ui.appointments.service"), services).required(),
        ],
    )]
}

fn contact_sections(t: &Ctx, form: &BookForm) -> Vec<Section> {
    vec![Section::new(
        "a-contact",
        t.t("ui.appointments.contact"),
        vec![
            Field::text("a-", "name", t.t("ui.appointments.name"), form.name.as_str())
                .required()
                .autocomplete("name")
                .maxlength(100),
            Field::new("a-", "email", t.t("ui.appointments.email"), "email", form.email.as_str())
                .autocomplete("email")
                .hint(t.t("ui.appointments.email_hint"))
                .maxlength(254),
            Field::new("a-", "phone", t.t("ui.appointments.phone"), "tel", form.phone.as_str())
                .autocomplete("tel")
                .inputmode("tel")
                .maxlength(32),
        ],
    )]
}

async fn book_page(app: &App, lang: Lang, form: &BookForm, errors: Option<&AppError>) -> (StatusCode, BookPage) {
    let t = Ctx::anonymous(lang, "/appointments");
    let mut summary = vec![];
    let mut contact = contact_sections(&t, form);
    let mut time_error = None;
    if let Some(e) = errors {
        let (time, others): (Vec<_>, Vec<_>) = e.fields.iter().cloned().partition(|f| f.field == "starts_at");
        // A service the office does not receive for is named once, by the free times below.
        let others: Vec<_> = others.into_iter().filter(|f| f.field != "service").collect();
        summary = apply_errors(&mut contact, &others, lang);
        if let Some(f) = time.first() {
            let text = f.message.render(lang);
            summary.push(SummaryItem { href: Some("#a-times".into()), text: text.clone() });
            time_error = Some(text);
        }
        if e.fields.is_empty() {
            summary.push(top(&e.message, lang));
        }
    }
    let mut choose = choose_sections(app, &t, form.office.trim(), form.service.trim());
    let chosen = form.office.trim().parse::<i64>().ok().zip(service_of(&form.service));
    let mut status = errors.map_or(StatusCode::OK, |e| status_of(e.kind));
    let (office, days) = match chosen {
        Some((id, service)) => match appointments::free_slots(app, id, service, Utc::now()).await {
            Ok(days) => {
                let office = appointments::office(app, id).ok().map(|u| OfficeInfo {
                    name: u.name(lang).to_owned(),
                    address: u.address.clone().unwrap_or_default(),
                    service: service.message().render(lang),
                });
                (office, day_choices("a-", days, form.starts_at.trim(), lang))
            }
            Err(e) => {
                // A service the office does not receive for is named beside the service's choice.
                if e.fields.is_empty() {
                    summary.push(top(&e.message, lang));
                } else {
                    summary.extend(apply_errors(&mut choose, &e.fields, lang));
                }
                status = status_of(e.kind);
                (None, vec![])
            }
        },
        None => (None, vec![]),
    };
    let page = BookPage {
        choose,
        t,
        summary,
        office,
        days,
        contact,
        office_id: form.office.trim().to_owned(),
        service: form.service.trim().to_owned(),
        time_error,
    };
    (status, page)
}

/// `GET /appointments[?office=…&service=…]` — choose, then the free times.
pub async fn form(State(app): State<Arc<App>>, ReqLang(lang): ReqLang, Query(form): Query<BookForm>) -> Response {
    let (status, page) = book_page(&app, lang, &form, None).await;
    no_store(html(status, &page))
}

/// `POST /appointments` — book; the confirmation shows the code once.
pub async fn book(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(form): Form<BookForm>,
) -> Response {
    let request = match (form.office.trim().parse::<i64>(), service_of(&form.service)) {
        (Ok(office_id), Some(service)) => BookingRequest {
            office_id,
            service,
            local: parse_local(&form.starts_at),
            name: form.name.clone(),
            email: Some(form.email.clone()),
            phone: Some(form.phone.clone()),
            lang,
        },
        _ => {
            let (_, page) = book_page(&app, lang, &form, None).await;
            return no_store(html(StatusCode::UNPROCESSABLE_ENTITY, &page));
        }
    };
    match appointments::book(&app, &client, &request, Utc::now()).await {
        Ok(booked) => {
            let mut page = manage_page(&app, lang, Some(&booked.booking), vec![], "code", booked.code.display());
            page.new_code = Some(booked.code.display());
            no_store(html(StatusCode::OK, &page))
        }
        Err(e) => {
            let (status, page) = book_page(&app, lang, &form, Some(&e)).await;
            with_retry_after(no_store(html(status, &page)), &e)
        }
    }
}

fn with_retry_after(mut r: Response, e: &AppError) -> Response {
    if let Some(secs) = e.retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, secs);
    }
    r
}

fn found(app: &App, b: &Booking, lang: Lang) -> Found {
    let office = appointments::office(app, b.unit_id).ok();
    Found {
        office: office.as_ref().map(|u| u.name(lang).to_owned()).unwrap_or_default(),
        address: office.as_ref().and_then(|u| u.address.clone()).unwrap_or_default(),
        hours: office.and_then(|u| u.opening_hours),
        service: b.service.message().render(lang),
        when: appointments::local_time(b).format("%d.%m.%Y %H:%M").to_string(),
        cancelled: b.status == Status::Cancelled,
        may_change: appointments::may_change(app, b, Utc::now()),
        name: b.name.clone(),
    }
}

fn manage_page(
    app: &App,
    lang: Lang,
    booking: Option<&Booking>,
    summary: Vec<SummaryItem>,
    key_name: &'static str,
    key_value: String,
) -> ManagePage {
    let t = Ctx::anonymous(lang, "/appointments/manage");
    let find = vec![Section::new(
        "m-find",
        t.t("ui.appointments.find"),
        vec![
            Field::text("m-", "code", t.t("ui.appointments.code"), "")
                .required()
                .autocomplete("off")
                .hint(t.t("ui.appointments.code_hint"))
                .maxlength(40),
        ],
    )];
    ManagePage {
        found: booking.map(|b| found(app, b, lang)),
        t,
        summary,
        find,
        days: vec![],
        key_name,
        key_value,
        new_code: None,
        done: None,
    }
}

/// The other free times of the booking's office and service, to move to.
async fn move_choices(app: &App, b: &Booking, lang: Lang) -> Vec<DayChoice> {
    if !appointments::may_change(app, b, Utc::now()) {
        return vec![];
    }
    let days = appointments::free_slots(app, b.unit_id, b.service, Utc::now()).await.unwrap_or_default();
    day_choices("m-", days, "", lang)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ManageForm {
    code: String,
    token: String,
    starts_at: String,
}

impl ManageForm {
    fn key(&self) -> (BookingKey, &'static str, String) {
        if self.token.trim().is_empty() {
            (BookingKey::Code(self.code.clone()), "code", self.code.trim().to_owned())
        } else {
            (BookingKey::Link(self.token.trim().to_owned()), "token", self.token.trim().to_owned())
        }
    }
}

/// `GET /appointments/manage[?token=…]` — the code form, or the booking an e-mail's link names.
pub async fn manage_form(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Query(q): Query<ManageForm>,
) -> Response {
    if q.token.trim().is_empty() {
        return no_store(html(StatusCode::OK, &manage_page(&app, lang, None, vec![], "code", String::new())));
    }
    show(&app, &client, lang, &q, None).await
}

/// `POST /appointments/manage` — the booking a code names.
pub async fn manage(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(form): Form<ManageForm>,
) -> Response {
    show(&app, &client, lang, &form, None).await
}

async fn show(app: &App, client: &str, lang: Lang, form: &ManageForm, done: Option<&str>) -> Response {
    let (key, key_name, key_value) = form.key();
    match appointments::find(app, client, &key, Utc::now()).await {
        Ok(b) => {
            let mut page = manage_page(app, lang, Some(&b), vec![], key_name, key_value);
            page.days = move_choices(app, &b, lang).await;
            page.done = done.map(|d| page.t.t(d).to_owned());
            no_store(html(StatusCode::OK, &page))
        }
        Err(e) => refused(app, lang, &e),
    }
}

/// Why a request was refused, as the summary's lines: each field's problem, else the whole message.
fn why(e: &AppError, lang: Lang) -> Vec<SummaryItem> {
    let summary: Vec<SummaryItem> = e.fields.iter().map(|f| top(&f.message, lang)).collect();
    if summary.is_empty() { vec![top(&e.message, lang)] } else { summary }
}

fn refused(app: &App, lang: Lang, e: &AppError) -> Response {
    let page = manage_page(app, lang, None, why(e, lang), "code", String::new());
    with_retry_after(no_store(html(status_of(e.kind), &page)), e)
}

/// `POST /appointments/cancel`.
pub async fn cancel(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(form): Form<ManageForm>,
) -> Response {
    let (key, ..) = form.key();
    match appointments::cancel(&app, &client, &key, Utc::now()).await {
        Ok(_) => show(&app, &client, lang, &form, Some("ui.appointments.cancelled")).await,
        Err(e) => after_refusal(&app, &client, lang, &form, &e).await,
    }
}

/// `POST /appointments/move`.
pub async fn rebook(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(form): Form<ManageForm>,
) -> Response {
    let (key, ..) = form.key();
    let Some(local) = parse_local(&form.starts_at) else {
        let e = AppError::from(dossier_domain::Invalid::one("starts_at", "appointment.pick_time"));
        return after_refusal(&app, &client, lang, &form, &e).await;
    };
    match appointments::rebook(&app, &client, &key, local, Utc::now()).await {
        Ok(_) => show(&app, &client, lang, &form, Some("ui.appointments.moved")).await,
        Err(e) => after_refusal(&app, &client, lang, &form, &e).await,
    }
}

/// A refused change: the booking again, with why.
async fn after_refusal(app: &App, client: &str, lang: Lang, form: &ManageForm, e: &AppError) -> Response {
    let (key, key_name, key_value) = form.key();
    let Ok(b) = appointments::find(app, client, &key, Utc::now()).await else {
        return refused(app, lang, e);
    };
    let mut page = manage_page(app, lang, Some(&b), why(e, lang), key_name, key_value);
    page.days = move_choices(app, &b, lang).await;
    with_retry_after(no_store(html(status_of(e.kind), &page)), e)
}
