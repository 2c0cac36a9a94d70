//! Citizens' appeals for staff: the questions asked without registration and
//! the mistakes citizens reported in their pension record, for the offices in
//! the caller's scope, the oldest due first — each answered once from here
//! (a question's answer is e-mailed; a record's is read in the account).
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use chrono::Utc;
use dossier_app::{App, questions, record};
use serde::Deserialize;
use uuid::Uuid;

use super::view::{Ctx, PageResult, Staff, check_csrf, datetime, html, see_other};

pub struct QuestionRow {
    pub id: i64,
    pub subject: String,
    pub name: String,
    pub email: String,
    pub text: String,
    pub asked: String,
    pub due: String,
    pub overdue: bool,
}

pub struct CorrectionRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub year: Option<i32>,
    pub text: String,
    pub filed: String,
}

#[derive(Template)]
#[template(path = "appeals.html")]
struct AppealsPage {
    t: Ctx,
    questions: Vec<QuestionRow>,
    corrections: Vec<CorrectionRow>,
}

/// `GET /appeals`.
pub async fn page(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    let t = staff.ctx("/appeals");
    let now = Utc::now();
    let questions = questions::list(&app, &staff.caller, true)
        .await?
        .into_iter()
        .map(|q| QuestionRow {
            id: q.id,
            subject: q.subject.message().render(t.lang),
            name: q.name,
            email: q.email,
            text: q.text,
            asked: datetime(q.asked_at),
            due: datetime(q.due_at),
            overdue: q.due_at < now,
        })
        .collect();
    let corrections = record::corrections(&app, &staff.caller, true)
        .await?
        .into_iter()
        .map(|c| CorrectionRow {
            id: c.id,
            person_id: c.person_id,
            year: c.year,
            text: c.text,
            filed: datetime(c.created_at),
        })
        .collect();
    Ok(html(StatusCode::OK, &AppealsPage { t, questions, corrections }))
}

#[derive(Deserialize)]
pub struct AnswerForm {
    csrf: String,
    #[serde(default)]
    answer: String,
}

/// `POST /appeals/questions/{id}/answer`.
pub async fn answer_question(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    questions::answer(&app, &staff.caller, id, &f.answer).await?;
    Ok(see_other("/appeals"))
}

/// `POST /appeals/corrections/{id}/answer`.
pub async fn answer_correction(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<Uuid>,
    Form(f): Form<AnswerForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    record::resolve(&app, &staff.caller, id, &f.answer).await?;
    Ok(see_other("/appeals"))
}
