//! The counter page for shared documents: type the 13 digits (checked as
//! you type by `static/intake.js`, and again here), pick the expected
//! document, send; then the request's page follows its status live over SSE
//! and, once delivered, shows the copy, its signature verdict, the stamp and
//! the matched person. Without JavaScript it is a plain form and a status
//! page with a refresh link. Also the review queue of unmatched copies.
use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use dossier_crypto::validation::Indication;
use dossier_domain::Message;
use dossier_domain::i18n::text;
use dossier_domain::intake::IntakeStatus;
use dossier_domain::org::Permission;
use dossier_domain::sharing::DocumentType;
use dossier_store::{Page, SharingCopy};
use serde::Deserialize;
use uuid::Uuid;

use super::view::{Ctx, PageError, PageResult, Staff, check_csrf, ok, see_other};
use crate::AppState;
use crate::access::Caller;
use crate::api::sharing::{intake_of, load_request};
use crate::intake::requests::{Submission, branch_for, error_message, submit as submit_request};
use crate::verification::overall_text;

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
    state: &AppState,
    caller: &Caller,
    barcode: &str,
    selected: Option<&str>,
    error: Option<String>,
    status: StatusCode,
) -> PageResult {
    let lang = caller.lang;
    let branch = match &state.intake {
        Some(_) => branch_for(state, caller.unit.id).await?,
        None => None,
    };
    let notice = match (&state.intake, &branch) {
        (None, _) => Some(text("intake.not_configured", lang).to_owned()),
        (Some(_), None) => Some(text("intake.no_branch", lang).to_owned()),
        _ => None,
    };
    let types = branch
        .map(|b| b.scopes)
        .unwrap_or_default()
        .into_iter()
        .map(|t: DocumentType| TypeOption {
            code: t.code(),
            label: text(t.label_key(), lang).to_owned(),
            selected: selected == Some(t.code()),
        })
        .collect();
    let page =
        CounterPage { t: Ctx::new(state, caller, "/sharing"), notice, types, barcode: barcode.to_owned(), error };
    Ok(super::view::html(status, &page))
}

/// `GET /sharing`.
pub async fn counter(State(state): State<AppState>, Staff { caller, .. }: Staff) -> PageResult {
    caller.require(Permission::WritePerson)?;
    counter_page(&state, &caller, "", None, None, StatusCode::OK).await
}

/// `POST /sharing`: on success, to the request's live page.
pub async fn submit(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Form(form): Form<CounterForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    caller.require(Permission::WritePerson)?;
    let lang = caller.lang;
    let intake = intake_of(&state, lang)?;
    let document_type = match DocumentType::parse(&form.document_type) {
        Ok(t) => t,
        Err(m) => {
            let msg = Some(m.render(lang));
            return counter_page(&state, &caller, &form.barcode, None, msg, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let s = Submission {
        actor: caller.actor(),
        account_id: Some(caller.account.id),
        unit_id: caller.unit.id,
        barcode: &form.barcode,
        document_type,
    };
    match submit_request(&state, &intake, s).await {
        Ok(r) => Ok(see_other(&format!("/sharing/requests/{}", r.id))),
        Err(e) => {
            let msg = e.fields.first().map(|f| f.message.render(lang)).unwrap_or_else(|| e.message.render(lang));
            counter_page(&state, &caller, &form.barcode, Some(document_type.code()), Some(msg), e.status).await
        }
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
}

fn copy_view(copy: &SharingCopy, lang: dossier_domain::Lang) -> CopyView {
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
pub async fn request_page(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Path(id): Path<String>,
) -> PageResult {
    let lang = caller.lang;
    let id = Uuid::parse_str(&id).map_err(|_| PageError::not_found(lang))?;
    let r = load_request(&state, &caller, id).await?;
    let copy = match r.status {
        IntakeStatus::Delivered => state.store.sharing_copy(id).await?.map(|c| copy_view(&c, lang)),
        _ => None,
    };
    let page = RequestPage {
        t: Ctx::new(&state, &caller, &format!("/sharing/requests/{id}")),
        id,
        document: text(r.document_type.label_key(), lang).to_owned(),
        status: text(r.status.label_key(), lang).to_owned(),
        status_code: r.status.code(),
        live: r.status.is_live(),
        error: error_message(&r).map(|m| m.render(lang)),
        created_at: r.created_at.format("%d.%m.%Y %H:%M:%S UTC").to_string(),
        copy,
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

async fn review(state: &AppState, caller: &Caller, message: Option<String>, status: StatusCode) -> PageResult {
    let lang = caller.lang;
    let rows = state
        .store
        .review_queue(&caller.scope, Page::new(0, 200))
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
    Ok(super::view::html(status, &ReviewPage { t: Ctx::new(state, caller, "/sharing/review"), rows, message }))
}

/// `GET /sharing/review`.
pub async fn review_page(State(state): State<AppState>, Staff { caller, .. }: Staff) -> PageResult {
    caller.require(Permission::WritePerson)?;
    review(&state, &caller, None, StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct AssignForm {
    pub csrf: String,
    pub person_id: String,
}

/// `POST /sharing/review/{id}/assign`.
pub async fn assign(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Path(id): Path<String>,
    Form(form): Form<AssignForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    let lang = caller.lang;
    let id = Uuid::parse_str(&id).map_err(|_| PageError::not_found(lang))?;
    load_request(&state, &caller, id).await?;
    let Ok(person_id) = Uuid::parse_str(form.person_id.trim()) else {
        let msg = Message::new("common.not_found").render(lang);
        return review(&state, &caller, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await;
    };
    crate::api::persons::load_person(&state, &caller, person_id, Permission::WritePerson, "person.read").await?;
    match state.store.assign_sharing_copy(&caller.actor(), id, person_id).await {
        Ok(_) => Ok(see_other(&format!("/persons/{person_id}"))),
        Err(e) => {
            let msg = crate::error::ApiError::from(e).message.render(lang);
            review(&state, &caller, Some(msg), StatusCode::CONFLICT).await
        }
    }
}
