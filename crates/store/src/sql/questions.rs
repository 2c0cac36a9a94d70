//! [`Questions`] on SQL.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Message;
use dossier_domain::notify::Topic;
use dossier_domain::org::UnitPath;
use dossier_domain::question::Subject;
use serde_json::json;

use super::{SqlStore, subtree_range};
use crate::*;

const COLS: &str =
    "id, unit_id, unit_path, subject, name, email, lang, text, status, answer, asked_at, due_at, answered_at";

type Row = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    Option<String>,
    DateTime<Utc>,
    DateTime<Utc>,
    Option<DateTime<Utc>>,
);

fn record(r: Row) -> StoreResult<QuestionRecord> {
    Ok(QuestionRecord {
        id: r.0,
        unit_id: r.1,
        unit_path: UnitPath::parse(&r.2).ok_or_else(|| StoreError::corrupt("question unit path"))?,
        subject: Subject::parse(&r.3).ok_or_else(|| StoreError::corrupt("question subject"))?,
        name: r.4,
        email: r.5,
        lang: r.6,
        text: r.7,
        status: r.8,
        answer: r.9,
        asked_at: r.10,
        due_at: r.11,
        answered_at: r.12,
    })
}

#[async_trait]
impl Questions for SqlStore {
    async fn ask_question(&self, q: &NewQuestion) -> StoreResult<QuestionRecord> {
        let unit = self.unit(q.unit_id).await?.ok_or(StoreError::NotFound)?;
        let id: i64 = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO questions (unit_id, unit_path, code_hash, subject, name, email, lang, text, status, \
                 asked_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'open', $9, $10) RETURNING id",
            )
            .bind(q.unit_id)
            .bind(unit.path.as_str())
            .bind(&q.code_hash)
            .bind(q.subject.as_str())
            .bind(&q.name)
            .bind(&q.email)
            .bind(&q.lang)
            .bind(&q.text)
            .bind(q.asked_at)
            .bind(q.due_at)
            .fetch_one(&mut *tx)
            .await?;
            // The asker's address, for the answer: a subscription of this question only.
            sqlx::query(
                "INSERT INTO subscriptions (person_id, certificate_id, channel, address, secret, lang, status, \
                 link_expires_at, created_by, created_at, active_at, question_id) \
                 VALUES (NULL, NULL, 'email', $1, NULL, $2, 'active', NULL, 'citizen', $3, $3, $4)",
            )
            .bind(&q.email)
            .bind(&q.lang)
            .bind(q.asked_at)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            // No name, address or text in the audit log: the question, the office and the subject.
            let details = json!({"unit": q.unit_id, "subject": q.subject.as_str()});
            append_audit!(tx, d, vec![PendingEntry::new("citizen", "question.ask", format!("question:{id}"), details)]);
            tx.commit().await?;
            id
        });
        self.question(id).await?.ok_or(StoreError::NotFound)
    }

    async fn question_by_code(&self, code_hash: &str) -> StoreResult<Option<QuestionRecord>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM questions WHERE code_hash = $1"))
                .bind(code_hash)
                .fetch_optional(pool)
                .await?
        });
        row.map(record).transpose()
    }

    async fn question(&self, id: i64) -> StoreResult<Option<QuestionRecord>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM questions WHERE id = $1")).bind(id).fetch_optional(pool).await?
        });
        row.map(record).transpose()
    }

    async fn questions(&self, scope: &UnitPath, open_only: bool) -> StoreResult<Vec<QuestionRecord>> {
        let (lo, hi) = subtree_range(scope);
        let status = if open_only { " AND status = 'open'" } else { "" };
        let rows: Vec<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {COLS} FROM questions WHERE unit_path >= $1 AND unit_path < $2{status} ORDER BY due_at LIMIT 500"
            ))
            .bind(&lo)
            .bind(&hi)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(record).collect()
    }

    async fn answer_question(
        &self,
        actor: &Actor,
        id: i64,
        answer: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<QuestionRecord> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE questions SET status = 'answered', answer = $1, answered_at = $2 WHERE id = $3 AND status = 'open'",
            )
            .bind(answer)
            .bind(now)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(StoreError::Conflict(Message::new("question.answered_already")));
            }
            let (unit, asked_at): (i64, DateTime<Utc>) =
                sqlx::query_as("SELECT unit_id, asked_at FROM questions WHERE id = $1")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            // The answer travels in the message's payload, to the question's address only.
            sqlx::query(
                "INSERT INTO notifications (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, \
                 payload, status, attempts, next_attempt_at, created_at) \
                 SELECT s.id, NULL, s.channel, $2, $3, $4, $5, $6, 'pending', 0, $4, $4 FROM subscriptions s \
                 WHERE s.status = 'active' AND s.question_id = $1 ON CONFLICT DO NOTHING",
            )
            .bind(id)
            .bind(format!("question:{id}"))
            .bind(Topic::QuestionAnswered.as_str())
            .bind(now)
            .bind(unit)
            .bind(json!({"answer": answer, "asked_at": asked_at}).to_string())
            .execute(&mut *tx)
            .await?;
            let entry = PendingEntry::new(&actor.label, "question.answer", format!("question:{id}"), json!({}));
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.question(id).await?.ok_or(StoreError::NotFound)
    }
}
