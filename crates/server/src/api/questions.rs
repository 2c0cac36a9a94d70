//! Questions without registration (issue 21 §6): ask an office, follow the
//! question by its tracking number; staff in scope list and answer them.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::post_with;
use axum::Json;
use axum::extract::State;
use chrono::{DateTime, Utc};
use dossier_app::App;
use dossier_app::questions;
use dossier_domain::question::QuestionInput;
use dossier_http::ReqLang;
use dossier_store::QuestionRecord;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, ClientAddr};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/questions",
            post_with(ask, |o| o.summary("Ask an office a question without registration: a tracking number, once"))
                .get_with(list, |o| o.summary("Questions to offices in the caller's scope, the oldest due first")),
        )
        .api_route(
            "/api/v1/questions/track",
            post_with(track, |o| {
                o.summary("A question by its tracking number: its status and, once given, the answer")
            }),
        )
        .api_route(
            "/api/v1/questions/{id}/answer",
            post_with(answer, |o| o.summary("Answer a question (once); the answer is e-mailed to the asker")),
        )
}

/// What a question is about.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectName {
    Pension,
    Record,
    Certificate,
    Payments,
    Other,
}

impl SubjectName {
    fn code(self) -> &'static str {
        match self {
            SubjectName::Pension => "pension",
            SubjectName::Record => "record",
            SubjectName::Certificate => "certificate",
            SubjectName::Payments => "payments",
            SubjectName::Other => "other",
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskBody {
    /// The office asked (see `GET /api/v1/offices`).
    pub office_id: i64,
    pub subject: SubjectName,
    #[schemars(length(min = 1, max = 200))]
    pub name: String,
    /// Where the answer goes.
    #[schemars(length(min = 3, max = 254))]
    pub email: String,
    #[schemars(length(min = 10, max = 4000))]
    pub text: String,
}

/// A question as its asker sees it.
#[derive(Serialize, JsonSchema)]
pub struct QuestionStatus {
    /// `open` or `answered`.
    pub status: String,
    pub asked_at: DateTime<Utc>,
    /// When the answer is due at the latest (the legal term).
    pub due_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
    pub answer: Option<String>,
}

impl From<&QuestionRecord> for QuestionStatus {
    fn from(q: &QuestionRecord) -> Self {
        QuestionStatus {
            status: q.status.clone(),
            asked_at: q.asked_at,
            due_at: q.due_at,
            answered_at: q.answered_at,
            answer: q.answer.clone(),
        }
    }
}

#[derive(Serialize, JsonSchema)]
pub struct AskedView {
    /// The tracking number, shown this once (only its hash is kept).
    pub tracking_number: String,
    #[serde(flatten)]
    pub question: QuestionStatus,
}

async fn ask(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<AskBody>,
) -> ApiResult<NoStore<AskedView>> {
    let input =
        QuestionInput { subject: body.subject.code().into(), name: body.name, email: body.email, text: body.text };
    let asked = questions::ask(&app, &client, body.office_id, &input, lang, Utc::now()).await?;
    Ok(NoStore(Json(AskedView { tracking_number: asked.code.display(), question: (&asked.question).into() })))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TrackBody {
    /// The tracking number, e.g. `ABCDE-23456` (any case; O for 0 and I or L for 1 are read too).
    #[schemars(length(min = 10, max = 40), pattern(r"^[ \-]*([0-9A-TV-Za-tv-z][ \-]*){10}$"))]
    pub code: String,
}

async fn track(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ApiJson(body): ApiJson<TrackBody>,
) -> ApiResult<NoStore<QuestionStatus>> {
    let q = questions::track(&app, &client, &body.code, Utc::now()).await?;
    Ok(NoStore(Json((&q).into())))
}

#[derive(Deserialize, JsonSchema)]
pub struct ListQuery {
    /// Only those not answered yet (default true).
    pub open: Option<bool>,
}

async fn list(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> ApiResult<NoStore<Vec<QuestionRecord>>> {
    Ok(NoStore(Json(questions::list(&app, &caller, q.open.unwrap_or(true)).await?)))
}

#[derive(Deserialize, JsonSchema)]
pub struct QuestionId {
    pub id: i64,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerBody {
    #[schemars(length(min = 1, max = 2000))]
    pub answer: String,
}

async fn answer(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(QuestionId { id }): ApiPath<QuestionId>,
    ApiJson(body): ApiJson<AnswerBody>,
) -> ApiResult<Json<QuestionRecord>> {
    Ok(Json(questions::answer(&app, &caller, id, &body.answer).await?))
}
