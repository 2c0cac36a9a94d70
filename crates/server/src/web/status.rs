//! The public status page: a citizen on a phone types the number on their
//! receipt and their date of birth, and reads where the document is, when it
//! should be ready and — once it is — where and when to collect it. No
//! sign-in; the same use case as `POST /api/v1/status`.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use dossier_app::App;
use dossier_app::tracking::{self, CaseKind, StatusQuery};
use dossier_domain::i18n::text;
use dossier_domain::{Lang, Message};
use dossier_http::ReqLang;
use serde::Deserialize;

use super::form::{Field, Section, SummaryItem, top};
use super::view::{Ctx, PageResult, date, html};
use crate::api::{ClientAddr, tracking::StatusView};
use crate::error::status_of;

/// One milestone of the progress line.
pub struct Step {
    pub text: String,
    pub reached: Option<String>,
    pub current: bool,
    /// Passed, whether or not the fund knows when.
    pub passed: bool,
}

pub struct Found {
    /// What the document is: its application number, or its type (a shared document).
    pub title: String,
    pub text: String,
    pub ready: bool,
    pub steps: Vec<Step>,
    pub estimate: Option<String>,
    pub revised: bool,
    pub office: String,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub updated: String,
    /// Handed over or ended: nothing left to be told.
    pub done: bool,
}

#[derive(Template)]
#[template(path = "status.html")]
struct StatusPage {
    t: Ctx,
    summary: Vec<SummaryItem>,
    sections: Vec<Section>,
    found: Option<Found>,
    /// The channels a citizen may subscribe on here, as `(value, label)`; none: no form.
    channels: Vec<(&'static str, String)>,
    subscribe: bool,
    /// The two facts again, for the subscription form…
    query_number: String,
    query_birth_date: String,
    /// …or the status link's token.
    query_token: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StatusForm {
    number: String,
    birth_date: String,
}

fn page(lang: Lang, form: &StatusForm, summary: Vec<SummaryItem>, found: Option<Found>) -> StatusPage {
    page_with(lang, form, summary, found, vec![])
}

fn page_with(
    lang: Lang,
    form: &StatusForm,
    summary: Vec<SummaryItem>,
    found: Option<Found>,
    channels: Vec<(&'static str, String)>,
) -> StatusPage {
    let t = Ctx::anonymous(lang, "/status");
    let fields = vec![
        Field::text("s-", "number", t.t("ui.status.number"), form.number.as_str())
            .required()
            .autofocus()
            .autocomplete("off")
            .hint(t.t("ui.status.number_hint"))
            .maxlength(40),
        Field::date("s-", "birth_date", t.t("ui.status.birth_date"), form.birth_date.as_str())
            .required()
            .autocomplete("bday"),
    ];
    StatusPage {
        sections: vec![Section::new("s-query", t.t("ui.status.query"), fields)],
        t,
        summary,
        found,
        subscribe: !channels.is_empty(),
        channels,
        query_number: form.number.clone(),
        query_birth_date: form.birth_date.clone(),
        query_token: String::new(),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CodeQuery {
    /// The token of a receipt's QR code.
    t: String,
}

/// `GET /status` — the form; with `?t=…` (the receipt's QR code) the answer at once.
pub async fn form(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Query(q): Query<CodeQuery>,
) -> Response {
    if q.t.is_empty() {
        return no_store(html(StatusCode::OK, &page(lang, &StatusForm::default(), vec![], None)));
    }
    match tracking::look_up_by_token(&app, &client, &q.t, Utc::now()).await {
        // The token names the case: the subscription form carries it.
        Ok(status) => {
            let mut page = page_with(
                lang,
                &StatusForm::default(),
                vec![],
                Some(found(&status, lang)),
                super::notify::citizen_channels(&app, lang),
            );
            page.query_token = q.t.trim().to_owned();
            no_store(html(StatusCode::OK, &page))
        }
        Err(e) => refused(e, lang, &StatusForm::default()),
    }
}

fn found(status: &tracking::CaseStatus, lang: Lang) -> Found {
    let v = StatusView::of(status, lang);
    let current = v.milestone;
    let at = v.path.iter().position(|s| s.milestone == current);
    let title = match status.kind {
        CaseKind::Certificate(_) => v.number,
        CaseKind::SharedDocument(t) => text(t.label_key(), lang).to_owned(),
        CaseKind::EApplication(k) => k.message().render(lang),
    };
    Found {
        title,
        text: v.text,
        ready: v.ready,
        steps: v
            .path
            .into_iter()
            .enumerate()
            .map(|(i, s)| Step {
                current: s.milestone == current,
                passed: s.reached_at.is_some() || at.is_some_and(|at| i < at),
                text: s.text,
                reached: s.reached_at.map(kyiv),
            })
            .collect(),
        revised: v.estimate.as_ref().is_some_and(|e| e.revised),
        estimate: v.estimate.map(|e| e.text),
        office: v.office.name,
        address: v.office.address,
        opening_hours: v.office.opening_hours,
        updated: date(v.updated_at.date_naive()),
        done: status.milestone.is_done(),
    }
}

fn refused(e: dossier_app::AppError, lang: Lang, form: &StatusForm) -> Response {
    let mut r = html(status_of(e.kind), &page(lang, form, vec![top(&e.message, lang)], None));
    if let Some(secs) = e.retry_after.and_then(|s| HeaderValue::from_str(&s.to_string()).ok()) {
        r.headers_mut().insert(header::RETRY_AFTER, secs);
    }
    no_store(r)
}

pub async fn look_up(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(form): Form<StatusForm>,
) -> PageResult {
    let Ok(birth_date) = NaiveDate::parse_from_str(form.birth_date.trim(), "%Y-%m-%d") else {
        let m = Message::new("tracking.birth_date_format");
        return Ok(no_store(html(StatusCode::UNPROCESSABLE_ENTITY, &page(lang, &form, vec![top(&m, lang)], None))));
    };
    let q = StatusQuery { number: form.number.clone(), birth_date };
    match tracking::look_up(&app, &client, &q, Utc::now()).await {
        Ok(status) => {
            let found = found(&status, lang);
            Ok(no_store(html(
                StatusCode::OK,
                &page_with(lang, &form, vec![], Some(found), super::notify::citizen_channels(&app, lang)),
            )))
        }
        Err(e) => Ok(refused(e, lang, &form)),
    }
}

/// A moment as a citizen in Ukraine reads it: Kyiv time, to the minute.
fn kyiv(t: chrono::DateTime<Utc>) -> String {
    dossier_domain::time::kyiv_time(t).format("%d.%m.%Y %H:%M").to_string()
}

/// A status page is about one person's document: never cached.
pub(super) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
