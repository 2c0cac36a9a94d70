//! The staff web UI (server-rendered, Ukrainian first, English second).
//!
//! * `view.rs` — translator/header context, page extractor, error page, CSRF;
//! * `form.rs` — field view-models, inline errors and the error summary;
//! * `auth.rs` — sign in / sign out, language switch;
//! * `person.rs` — search, new person, the dossier (representatives, photo and specimen signature);
//! * `application.rs` — form 1 (new / amend), application page, withdraw, list;
//! * `signatures.rs` — check a signed PDF and read its validation report;
//! * `intake.rs` — the counter page for shared documents and the review queue;
//! * `digitization.rs` — digitizing paper: the counter, the review queue, a
//!   document's fields beside where each was read;
//! * `production.rs` — the production dashboard, batches, acts, the issue
//!   journal, and each party's card queue;
//! * `calculator.rs` — the public pension calculator; `offices.rs` — find an office;
//!   `appointments.rs` — book, move or cancel a visit to an office; `queue.rs` — the
//!   electronic queue: check-in, the ticket's page, the hall screen, the office's day;
//! * `questions.rs` — asking the fund without registration, following the answer;
//!   `appeals.rs` — staff answer those questions and the record mistakes citizens report;
//! * `statements.rs` — statements from the account, and their public check at `/verify`;
//! * `account.rs` — the citizen's personal account, signed in through the identity provider;
//!   `e_applications.rs` — e-applications filed there and signed in the wallet, and the
//!   offices' inbox where staff decide them;
//! * `status.rs` — the public status page; `notify.rs` — subscribing, the
//!   opt-in and unsubscribe pages, the staff outbox and template previews.
//!
//! Every page calls the same use cases as the API (`dossier_app`) and only
//! shapes what they answer. Its labels are `locales/<lang>.ftl`, the staff
//! UI's part of the message catalogue. Works without JavaScript; `static/app.js` adds
//! niceties.
pub(crate) mod account;
mod appeals;
mod application;
mod appointments;
mod auth;
mod calculator;
mod digitization;
mod e_applications;
mod form;
mod intake;
mod notify;
mod office_settings;
mod offices;
mod person;
mod production;
mod questions;
mod queue;
mod signatures;
mod statements;
mod status;
mod view;
#[cfg(test)]
mod walkthrough;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};
use dossier_app::App;
use dossier_http::assets::asset;

const APP_CSS: &str = include_str!("../../static/app.css");
const APP_JS: &str = include_str!("../../static/app.js");
const INTAKE_JS: &str = include_str!("../../static/intake.js");
const CALCULATOR_JS: &str = include_str!("../../static/calculator.js");
const QUEUE_JS: &str = include_str!("../../static/queue.js");

/// The staff UI's part of the message catalogue (`locales/<lang>.ftl`).
pub static LABELS: dossier_i18n::Part = dossier_i18n::part!("staff UI");

pub fn routes() -> Router<Arc<App>> {
    dossier_i18n::register(&LABELS);
    Router::new()
        .route("/", get(person::search))
        .route("/login", get(auth::login_page).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/lang/{code}", get(auth::switch_lang))
        .route("/persons/new", get(person::new_page).post(person::create))
        .route("/persons/{id}", get(person::dossier))
        .route("/persons/{id}/representatives", post(person::add_representative))
        .route("/persons/{id}/photo", post(person::upload_photo))
        .route("/persons/{id}/signature", post(person::upload_signature))
        .route("/persons/{id}/applications/new", get(application::new_page).post(application::create))
        .route("/applications", get(application::list))
        .route("/applications/{id}", get(application::view))
        .route("/applications/{id}/edit", get(application::edit_page).post(application::amend))
        .route("/applications/{id}/withdraw", post(application::withdraw))
        .route("/applications/{id}/subscribe", post(application::subscribe))
        .route("/signatures/verify", get(signatures::page).post(signatures::check))
        .route("/status", get(status::form).post(status::look_up))
        .route("/calculator", get(calculator::form).post(calculator::calculate))
        .route("/offices", get(offices::page))
        .route("/appeals", get(appeals::page))
        .route("/appeals/questions/{id}/answer", post(appeals::answer_question))
        .route("/appeals/corrections/{id}/answer", post(appeals::answer_correction))
        .route("/questions", get(questions::form).post(questions::ask))
        .route("/questions/track", get(questions::track_form).post(questions::track))
        .route("/account", get(account::page))
        .route("/account/login", get(account::start))
        .route(account::CALLBACK, get(account::callback))
        .route("/account/logout", post(account::logout))
        .route("/account/record/mistake", post(account::report_mistake))
        .route("/account/statement", post(statements::issue))
        .route("/account/apply", get(e_applications::form).post(e_applications::apply))
        .route("/account/applications/{id}", get(e_applications::page))
        .route("/account/applications/{id}/signed", get(e_applications::signed))
        .route("/account/applications/{id}/decision.pdf", get(e_applications::citizen_decision))
        .route("/inbox", get(e_applications::inbox))
        .route("/inbox/{id}", get(e_applications::item))
        .route("/inbox/{id}/decision", post(e_applications::decide))
        .route("/inbox/{id}/files/{position}", get(e_applications::file))
        .route("/inbox/{id}/signature.p7s", get(e_applications::signature))
        .route("/inbox/{id}/decision.pdf", get(e_applications::decision))
        .route("/verify", get(statements::page))
        .route("/verify/document", get(statements::document))
        .route("/queue", get(queue::form).post(queue::check_in))
        .route("/queue/ticket", get(queue::ticket))
        .route("/queue/tickets/{id}/finish", post(queue::finish))
        .route("/offices/{id}/hall", get(queue::hall))
        .route("/offices/{id}/queue", get(queue::office))
        .route("/offices/{id}/queue/next", post(queue::next))
        .route("/offices/{id}/queue/walk-in", post(queue::walk_in))
        .route("/offices/manage", get(office_settings::list))
        .route("/offices/{id}/settings", get(office_settings::form).post(office_settings::save))
        .route("/appointments", get(appointments::form).post(appointments::book))
        .route("/appointments/manage", get(appointments::manage_form).post(appointments::manage))
        .route("/appointments/cancel", post(appointments::cancel))
        .route("/appointments/move", post(appointments::rebook))
        .route("/status/subscribe", post(notify::subscribe_from_status))
        .route("/notify/confirm", get(notify::confirm_page).post(notify::confirm))
        .route("/notify/unsubscribe", get(notify::unsubscribe_page).post(notify::unsubscribe))
        .route("/notifications", get(notify::outbox_page))
        .route("/notifications/{id}/retry", post(notify::retry))
        .route("/subscriptions/{id}/end", post(notify::end_subscription))
        .route("/notifications/templates/{topic}", get(notify::preview))
        .route("/digitization", get(digitization::counter))
        .route("/digitization/dossiers", post(digitization::open))
        .route("/digitization/dossiers/{id}", get(digitization::dossier))
        .route("/digitization/dossiers/{id}/documents", post(digitization::upload))
        .route("/digitization/review", get(digitization::review))
        .route("/digitization/documents/{id}", get(digitization::document))
        .route("/digitization/documents/{id}/fields/{field}", post(digitization::decide))
        .route("/sharing", get(intake::counter).post(intake::submit))
        .route("/sharing/requests/{id}", get(intake::request_page))
        .route("/sharing/review", get(intake::review_page))
        .route("/sharing/review/{id}/assign", post(intake::assign))
        .route("/production", get(production::overview))
        .route("/production/batches", post(production::submit))
        .route("/production/acts", get(production::acts))
        .route("/production/acts/{id}", get(production::act))
        .route("/production/acts/{id}/accept", post(production::accept))
        .route("/production/journal", get(production::journal))
        .route("/production/journal/{id}/issue", post(production::issue))
        .route("/cards", get(production::card_queue))
        .route("/cards/dispatch", post(production::dispatch))
        .route("/cards/{id}", get(production::card))
        .route("/cards/{id}/steps", post(production::step))
        .route("/static/intake.js", get(|| async { asset(INTAKE_JS, "text/javascript; charset=utf-8") }))
        .route("/static/queue.js", get(|| async { asset(QUEUE_JS, "text/javascript; charset=utf-8") }))
        .route("/static/calculator.js", get(|| async { asset(CALCULATOR_JS, "text/javascript; charset=utf-8") }))
        .route("/static/app.css", get(|| async { asset(APP_CSS, "text/css; charset=utf-8") }))
        .route("/static/app.js", get(|| async { asset(APP_JS, "text/javascript; charset=utf-8") }))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_label_is_in_every_language_with_the_same_placeholders() {
        assert_eq!(super::LABELS.check(), Ok(()));
    }

    /// Every `t.t("…")` key used in the templates and every `"ui.…"` key used
    /// in the page code exists in the catalogue.
    #[test]
    fn every_ui_key_is_in_the_catalogue() {
        let sources: &[&str] = &[
            include_str!("../../templates/base.html"),
            include_str!("../../templates/error.html"),
            include_str!("../../templates/login.html"),
            include_str!("../../templates/search.html"),
            include_str!("../../templates/form.html"),
            include_str!("../../templates/field.html"),
            include_str!("../../templates/field_notes.html"),
            include_str!("../../templates/section.html"),
            include_str!("../../templates/summary.html"),
            include_str!("../../templates/pager.html"),
            include_str!("../../templates/dossier.html"),
            include_str!("../../templates/application.html"),
            include_str!("../../templates/applications.html"),
            include_str!("../../templates/verify.html"),
            include_str!("../../templates/intake_counter.html"),
            include_str!("../../templates/intake_request.html"),
            include_str!("../../templates/intake_review.html"),
            include_str!("../../templates/production.html"),
            include_str!("../../templates/production_nav.html"),
            include_str!("../../templates/production_acts.html"),
            include_str!("../../templates/production_act.html"),
            include_str!("../../templates/production_journal.html"),
            include_str!("../../templates/cards.html"),
            include_str!("../../templates/card.html"),
            include_str!("../../templates/card_identification.html"),
            include_str!("../../templates/notify_link.html"),
            include_str!("../../templates/outbox.html"),
            include_str!("../../templates/template_preview.html"),
            include_str!("../../templates/calculator.html"),
            include_str!("../../templates/offices.html"),
            include_str!("../../templates/appointments.html"),
            include_str!("../../templates/appointment.html"),
            include_str!("../../templates/slot_times.html"),
            include_str!("../../templates/office_settings.html"),
            include_str!("../../templates/queue_office.html"),
            include_str!("office_settings.rs"),
            include_str!("queue.rs"),
            include_str!("offices.rs"),
            include_str!("appointments.rs"),
            include_str!("calculator.rs"),
            include_str!("notify.rs"),
            include_str!("view.rs"),
            include_str!("form.rs"),
            include_str!("auth.rs"),
            include_str!("person.rs"),
            include_str!("application.rs"),
            include_str!("signatures.rs"),
            include_str!("intake.rs"),
            include_str!("production.rs"),
        ];
        dossier_i18n::register(&super::LABELS);
        let mut missing = vec![];
        for src in sources {
            for prefix in ["\"ui.", "\"audit.", "\"intake."] {
                for (i, _) in src.match_indices(prefix) {
                    let rest = &src[i + 1..];
                    let key = rest.split('"').next().unwrap_or("");
                    let plain =
                        key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
                    if plain && !key.ends_with('.') && !dossier_domain::i18n::has(key) {
                        missing.push(key.to_owned());
                    }
                }
            }
        }
        assert!(missing.is_empty(), "missing catalogue keys: {missing:?}");
    }
}
