//! Questions asked without registration: asked with a tracking number (kept
//! as its hash), answered once by the office's staff, the answer e-mailed
//! through the outbox.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::org::UnitPath;
use dossier_domain::question::Subject;
use schemars::JsonSchema;
use serde::Serialize;

use crate::{Actor, StoreResult};

#[async_trait]
pub trait Questions: Send + Sync {
    async fn ask_question(&self, q: &NewQuestion) -> StoreResult<QuestionRecord>;
    async fn question_by_code(&self, code_hash: &str) -> StoreResult<Option<QuestionRecord>>;
    async fn question(&self, id: i64) -> StoreResult<Option<QuestionRecord>>;
    /// The questions of offices in `scope`, oldest due first.
    async fn questions(&self, scope: &UnitPath, open_only: bool) -> StoreResult<Vec<QuestionRecord>>;
    /// Answers once (a second answer is a conflict) and queues the e-mail.
    async fn answer_question(
        &self,
        actor: &Actor,
        id: i64,
        answer: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord>;
}

#[derive(Debug, Clone)]
pub struct NewQuestion {
    pub unit_id: i64,
    pub code_hash: String,
    pub subject: Subject,
    pub name: String,
    pub email: String,
    pub lang: String,
    pub text: String,
    pub asked_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct QuestionRecord {
    pub id: i64,
    pub unit_id: i64,
    #[serde(skip)]
    pub unit_path: UnitPath,
    #[schemars(with = "String")]
    #[serde(serialize_with = "subject_code")]
    pub subject: Subject,
    pub name: String,
    pub email: String,
    #[serde(skip)]
    pub lang: String,
    pub text: String,
    /// `open` or `answered`.
    pub status: String,
    pub answer: Option<String>,
    pub asked_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub answered_at: Option<DateTime<Utc>>,
}

fn subject_code<S: serde::Serializer>(s: &Subject, ser: S) -> Result<S::Ok, S::Error> {
    ser.serialize_str(s.as_str())
}
