//! The counter page for shared documents: type the 13 digits (checked as
//! you type by `static/intake.js`, and again here), pick the expected
//! document, send; then the request's page follows its status live over SSE
//! and, once delivered, shows the copy, its signature verdict, the stamp and
//! the matched person. Without JavaScript it is a plain form and a status
//! page with a refresh link. Also the review queue of unmatched copies.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dossier_app::intake::{self, NewRequest, requests::error_message};
use dossier_app::signatures::overall_text;
use dossier_app::tracking;
use dossier_app::{App, AppError};
use dossier_crypto::validation::Indication;
use dossier_domain::i18n::text;
use dossier_domain::intake::IntakeStatus;
use dossier_domain::sharing::DocumentType;
use dossier_domain::{Lang, Message};
use dossier_store::{Page, SharingCopy};
use serde::Deserialize;
use uuid::Uuid;

use super::notify::SubRow;
use super::view::{Ctx, PageResult, Staff, check_csrf, html, ok, on_the_form, parse_uuid, see_other};
use crate::error::status_of;

pub struct TypeOption {
    pub code: &'static str,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "intake_counter.html")]
struct CounterPage {
    t: Ctx,
    /// `None` when sharing is not configured or the unit has no branch.
    notice: Option<String>,
    types: Vec<TypeOption>,
    barcode: String,
    error: Option<String>,
}

#[derive(Deserialize)]
pub struct CounterForm {
    pub csrf: String,
    pub barcode: String,
    pub document_type: String,
}

async fn counter_page(
    app: &App,
    staff: &Staff,
    barcode: &str,
    selected: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = staff.lang;
    let counter = intake::counter(app, &staff.caller).await?;
    let notice = match (counter.configured, &counter.branch) {
        (false, _) => Some(text("intake.not_configured", lang).to_owned()),
        (true, None) => Some(text("intake.no_branch", lang).to_owned()),
        _ => None,
    };
    let types = counter
        .branch
        .map(|b| b.scopes)
        .unwrap_or_default()
        .into_iter()
        .map(|t: DocumentType| TypeOption {
            code: t.code(),
            label: text(t.label_key(), lang).to_owned(),
            selected: selected == Some(t.code()),
        })
        .collect();
    let page = CounterPage { t: staff.ctx("/sharing"), notice, types, barcode: barcode.to_owned(), error };
    Ok(html(status, &page))
}

/// `GET /sharing`.
pub async fn counter(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    counter_page(&app, &staff, "", None, None, StatusCode::OK).await
}

/// The refusal as one line for the counter: the field's message, or the request's.
fn refusal_text(e: &AppError, lang: Lang) -> String {
    e.fields.first().map(|f| f.message.render(lang)).unwrap_or_else(|| e.message.render(lang))
}

/// `POST /sharing`: on success, to the request's live page.
pub async fn submit(State(app): State<Arc<App>>, staff: Staff, Form(form): Form<CounterForm>) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let new = NewRequest { barcode: form.barcode.clone(), document_type: form.document_type.clone(), unit_id: None };
    match intake::submit(&app, &staff.caller, &new).await {
        Ok(r) => Ok(see_other(&format!("/sharing/requests/{}", r.id))),
        Err(e) if on_the_form(&e) => {
            let selected = DocumentType::parse(&form.document_type).ok().map(|t| t.code());
            let msg = Some(refusal_text(&e, staff.lang));
            counter_page(&app, &staff, &form.barcode, selected, msg, status_of(e.kind)).await
        }
        // Sharing not set up, or a role that may not: the error page.
        Err(e) => Err(e.into()),
    }
}

pub struct CopyView {
    pub download: String,
    pub verdict: String,
    pub verdict_class: &'static str,
    pub recipient: String,
    pub branch: String,
    pub formed_at: String,
    pub person: Option<String>,
}

#[derive(Template)]
#[template(path = "intake_request.html")]
struct RequestPage {
    t: Ctx,
    id: Uuid,
    document: String,
    status: String,
    status_code: &'static str,
    live: bool,
    error: Option<String>,
    created_at: String,
    copy: Option<CopyView>,
    /// The citizen's status link and its QR code, for the counter's screen.
    follow: Option<(String, String)>,
    /// Who follows the request from that link (`subscriptions.html`).
    subscriptions: Vec<SubRow>,
}

fn copy_view(copy: &SharingCopy, lang: Lang) -> CopyView {
    let indication = copy.report["pdf"]["indication"].as_str().unwrap_or("INDETERMINATE");
    let i = match indication {
        "TOTAL-PASSED" => Indication::TotalPassed,
        "TOTAL-FAILED" => Indication::TotalFailed,
        _ => Indication::Indeterminate,
    };
    let s = |k: &str| copy.stamp[k].as_str().unwrap_or_default().to_owned();
    CopyView {
        download: format!("/api/v1/sharing/requests/{}/copy", copy.request_id),
        verdict: overall_text(i, lang),
        verdict_class: match i {
            Indication::TotalPassed => "valid",
            Indication::TotalFailed => "invalid",
            Indication::Indeterminate => "unknown",
        },
        recipient: s("acquirerName"),
        branch: s("branchName"),
        // The hub's RFC 3339 instant, shown like every other time on the page.
        formed_at: chrono::DateTime::parse_from_rfc3339(&copy.formed_at)
            .map(|t| t.with_timezone(&chrono::Utc).format("%d.%m.%Y %H:%M:%S UTC").to_string())
            .unwrap_or_else(|_| copy.formed_at.clone()),
        person: copy.person_id.map(|p| format!("/persons/{p}")),
    }
}

/// `GET /sharing/requests/{id}`.
pub async fn request_page(State(app): State<Arc<App>>, staff: Staff, Path(id): Path<String>) -> PageResult {
    let lang = staff.lang;
    let id = parse_uuid(&id)?;
    let (r, copy) = intake::request(&app, &staff.caller, id).await?;
    let subscriptions = intake::followers(&app, &staff.caller, id).await?.iter().map(SubRow::of).collect();
    let copy = match r.status {
        IntakeStatus::Delivered => copy.map(|c| copy_view(&c, lang)),
        _ => None,
    };
    let page = RequestPage {
        t: staff.ctx(&format!("/sharing/requests/{id}")),
        id,
        document: text(r.document_type.label_key(), lang).to_owned(),
        status: text(r.status.label_key(), lang).to_owned(),
        status_code: r.status.code(),
        live: r.status.is_live(),
        error: error_message(&r).map(|m| m.render(lang)),
        created_at: r.created_at.format("%d.%m.%Y %H:%M:%S UTC").to_string(),
        copy,
        follow: {
            let case = tracking::CaseRef::SharingRequest(id);
            tracking::status_link(&app, case).zip(tracking::status_link_svg(&app, case))
        },
        subscriptions,
    };
    ok(&page)
}

pub struct QueueRow {
    pub request_id: Uuid,
    pub document: String,
    pub received_at: String,
    pub requested_by: String,
    pub download: String,
}

#[derive(Template)]
#[template(path = "intake_review.html")]
struct ReviewPage {
    t: Ctx,
    rows: Vec<QueueRow>,
    message: Option<String>,
}

async fn review(app: &App, staff: &Staff, message: Option<String>, status: StatusCode) -> PageResult {
    let lang = staff.lang;
    let rows = intake::review_queue(app, &staff.caller, Page::new(0, 200))
        .await?
        .into_iter()
        .map(|c| QueueRow {
            request_id: c.request_id,
            document: text(c.document_type.label_key(), lang).to_owned(),
            received_at: c.received_at.format("%d.%m.%Y %H:%M").to_string(),
            requested_by: c.requested_by,
            download: format!("/api/v1/sharing/requests/{}/copy", c.request_id),
        })
        .collect();
    Ok(html(status, &ReviewPage { t: staff.ctx("/sharing/review"), rows, message }))
}

/// `GET /sharing/review`.
pub async fn review_page(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    review(&app, &staff, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    pub csrf: String,
    pub person_id: String,
}

/// `POST /sharing/review/{id}/assign`.
pub async fn assign(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> PageResult {
    check_csrf(&staff.caller, &form.csrf)?;
    let id = parse_uuid(&id)?;
    let Ok(person_id) = Uuid::parse_str(form.person_id.trim()) else {
        let msg = Message::new("common.not_found").render(staff.lang);
        return review(&app, &staff, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    match intake::assign(&app, &staff.caller, id, person_id).await {
        Ok(_) => Ok(see_other(&format!("/persons/{person_id}"))),
        Err(e) if on_the_form(&e) => {
            let msg = e.message.render(staff.lang);
            review(&app, &staff, Some(msg), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}
