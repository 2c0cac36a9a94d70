//! Asking the fund a question without registration, on a phone: choose the
//! office and the subject, leave a name and an e-mail address; the page shows
//! a tracking number once. With it, `/questions/track` shows the status and,
//! once given, the answer (also e-mailed). The same use cases as
//! `/api/v1/questions`; the number travels in POST bodies only.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use dossier_app::{App, AppError, questions};
use dossier_domain::Lang;
use dossier_domain::question::{MAX_NAME, MAX_TEXT, QuestionInput, Subject};
use dossier_http::ReqLang;
use dossier_store::QuestionRecord;
use serde::Deserialize;

use super::form::{Field, Opt, Section, SummaryItem, apply_errors, top};
use super::status::no_store;
use super::view::{Ctx, date, html};
use crate::api::ClientAddr;
use crate::error::status_of;

#[derive(Template)]
#[template(path = "questions.html")]
struct AskPage {
    t: Ctx,
    summary: Vec<SummaryItem>,
    sections: Vec<Section>,
    /// Set once asked: the tracking number (shown this once) and the due date.
    asked: Option<(String, String)>,
}

#[derive(Template)]
#[template(path = "question.html")]
struct TrackPage {
    t: Ctx,
    summary: Vec<SummaryItem>,
    sections: Vec<Section>,
    found: Option<Found>,
}

pub struct Found {
    pub answered: bool,
    pub asked: String,
    pub due: String,
    pub answer: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct AskForm {
    #[serde(default)]
    pub office: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub text: String,
}

/// A day on the fund's clock, as citizens read it.
fn kyiv_day(t: chrono::DateTime<Utc>) -> String {
    date(dossier_domain::time::kyiv_time(t).date_naive())
}

fn ask_sections(app: &App, t: &Ctx, f: &AskForm) -> Vec<Section> {
    let lang = t.lang;
    let offices: Vec<Opt> = dossier_app::org::offices(app, "")
        .iter()
        .map(|u| {
            Opt::new(u.id.to_string(), format!("{} — {}", u.name(lang), u.address.as_deref().unwrap_or("")), &f.office)
        })
        .collect();
    let subjects: Vec<Opt> =
        Subject::ALL.iter().map(|s| Opt::new(s.as_str(), s.message().render(lang), f.subject.trim())).collect();
    vec![
        Section::new(
            "q-what",
            t.t("ui.questions.what"),
            vec![
                Field::select("q-", "office", t.t("ui.appointments.office"), offices)
                    .required()
                    .empty(t.t("ui.appointments.office_empty")),
                Field::select("q-", "subject", t.t("ui.questions.subject"), subjects)
                    .required()
                    .empty(t.t("ui.questions.subject_empty")),
                Field::new("q-", "text", t.t("ui.questions.text"), "textarea", f.text.as_str())
                    .required()
                    .maxlength(MAX_TEXT as u32),
            ],
        ),
        Section::new(
            "q-who",
            t.t("ui.questions.who"),
            vec![
                Field::text("q-", "name", t.t("ui.appointments.name"), f.name.as_str())
                    .required()
                    .autocomplete("name")
                    .maxlength(MAX_NAME as u32),
                Field::new("q-", "email", t.t("ui.appointments.email"), "email", f.email.as_str())
                    .required()
                    .autocomplete("email")
                    .hint(t.t("ui.questions.email_hint"))
                    .maxlength(254),
            ],
        ),
    ]
}

fn ask_page(app: &App, lang: Lang, f: &AskForm, error: Option<&AppError>) -> AskPage {
    let t = Ctx::anonymous(lang, "/questions");
    let mut sections = ask_sections(app, &t, f);
    let summary = match error {
        Some(e) if !e.fields.is_empty() => apply_errors(&mut sections, &e.fields, lang),
        Some(e) => vec![top(&e.message, lang)],
        None => vec![],
    };
    AskPage { t, summary, sections, asked: None }
}

/// `GET /questions[?office=…]` — the form.
pub async fn form(State(app): State<Arc<App>>, ReqLang(lang): ReqLang, Query(f): Query<AskForm>) -> Response {
    no_store(html(StatusCode::OK, &ask_page(&app, lang, &f, None)))
}

/// `POST /questions` — ask; the tracking number is shown once.
pub async fn ask(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(f): Form<AskForm>,
) -> Response {
    let input = QuestionInput {
        subject: f.subject.clone(),
        name: f.name.clone(),
        email: f.email.clone(),
        text: f.text.clone(),
    };
    let office = f.office.trim().parse::<i64>().unwrap_or(-1);
    match questions::ask(&app, &client, office, &input, lang, Utc::now()).await {
        Ok(asked) => {
            let mut page = ask_page(&app, lang, &AskForm::default(), None);
            page.asked = Some((asked.code.display(), kyiv_day(asked.question.due_at)));
            no_store(html(StatusCode::OK, &page))
        }
        Err(e) => no_store(html(status_of(e.kind), &ask_page(&app, lang, &f, Some(&e)))),
    }
}

#[derive(Deserialize, Default)]
pub struct TrackForm {
    #[serde(default)]
    pub code: String,
}

fn track_page(lang: Lang, code: &str, error: Option<&AppError>, found: Option<&QuestionRecord>) -> TrackPage {
    let t = Ctx::anonymous(lang, "/questions/track");
    let mut sections = vec![Section::new(
        "q-track",
        t.t("ui.questions.track"),
        vec![Field::text("q-", "code", t.t("ui.questions.code"), code).required().autocomplete("off").maxlength(40)],
    )];
    let summary = match error {
        Some(e) if !e.fields.is_empty() => apply_errors(&mut sections, &e.fields, lang),
        Some(e) => vec![top(&e.message, lang)],
        None => vec![],
    };
    let found = found.map(|q| Found {
        answered: q.status == "answered",
        asked: kyiv_day(q.asked_at),
        due: kyiv_day(q.due_at),
        answer: q.answer.clone(),
    });
    TrackPage { t, summary, sections, found }
}

/// `GET /questions/track` — the tracking-number form.
pub async fn track_form(ReqLang(lang): ReqLang) -> Response {
    no_store(html(StatusCode::OK, &track_page(lang, "", None, None)))
}

/// `POST /questions/track` — the question's status and answer.
pub async fn track(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(f): Form<TrackForm>,
) -> Response {
    match questions::track(&app, &client, &f.code, Utc::now()).await {
        Ok(q) => no_store(html(StatusCode::OK, &track_page(lang, "", None, Some(&q)))),
        Err(e) => no_store(html(status_of(e.kind), &track_page(lang, &f.code, Some(&e), None))),
    }
}
