//! Questions to the fund without registration (issue 21 §6): ask an office
//! with a name and an e-mail address; the page shows a tracking number once
//! (a [`CitizenCode`], kept as its hash); staff of the office answer within
//! the legal term and the answer goes by e-mail through the outbox. Wrong
//! tracking numbers count with the status look-up's failures; questions per
//! client address are limited.
use chrono::{DateTime, Utc};
use dossier_crypto::secrets::{random_bytes, token_hash};
use dossier_domain::ident::CitizenCode;
use dossier_domain::org::Permission;
use dossier_domain::question::{QuestionInput, due};
use dossier_domain::{Invalid, Lang};
use dossier_store::{NewQuestion, QuestionRecord};

use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, Caller};

/// Questions one client address may ask within the look-up window.
pub const PER_CLIENT: i64 = 5;

/// A question just asked: its record and the tracking number, shown once.
pub struct Asked {
    pub question: QuestionRecord,
    pub code: CitizenCode,
}

fn limited(app: &App) -> AppError {
    let wait = u64::try_from(app.config().lookup_window.num_seconds()).unwrap_or(900);
    AppError::new(ErrorKind::RateLimited, "rate_limited", "tracking.limited").with_retry_after(wait)
}

/// Asks `office_id` a question. `client` is the caller's address (a counter key only).
pub async fn ask(
    app: &App,
    client: &str,
    office_id: i64,
    input: &QuestionInput,
    lang: Lang,
    now: DateTime<Utc>,
) -> AppResult<Asked> {
    let question = input.validate()?;
    let office = crate::appointments::office(app, office_id)
        .map_err(|_| AppError::from(Invalid::one("office", "common.not_found")))?;
    let since = now - app.config().lookup_window;
    let key = [format!("ask:{client}")];
    if app.store.lookup_failures(&key, since).await?.first().is_some_and(|n| *n >= PER_CLIENT) {
        tracing::info!(target: "dossier::access", outcome = "limited", "question");
        return Err(limited(app));
    }
    let code = CitizenCode::from_random(random_bytes().map_err(|_| AppError::internal())?);
    let record = app
        .store
        .ask_question(&NewQuestion {
            unit_id: office.id,
            code_hash: token_hash(code.as_str()),
            subject: question.subject,
            name: question.name,
            email: question.email,
            lang: lang.code().to_owned(),
            text: question.text,
            asked_at: now,
            due_at: due(now, app.config().question_term),
        })
        .await?;
    app.store.record_lookup_failure(&key, now, since).await?;
    Ok(Asked { question: record, code })
}

/// The question a tracking number names; a wrong number counts against the client.
pub async fn track(app: &App, client: &str, typed: &str, now: DateTime<Utc>) -> AppResult<QuestionRecord> {
    let code = CitizenCode::parse(typed).ok_or_else(|| AppError::from(Invalid::one("code", "question.code_format")))?;
    let cfg = app.config();
    let since = now - cfg.lookup_window;
    let keys = [format!("client:{client}")];
    if app.store.lookup_failures(&keys, since).await?.first().is_some_and(|n| *n >= cfg.lookup_failures_per_client) {
        tracing::info!(target: "dossier::access", outcome = "limited", "question look-up");
        return Err(limited(app));
    }
    match app.store.question_by_code(&token_hash(code.as_str())).await? {
        Some(q) => Ok(q),
        None => {
            app.store.record_lookup_failure(&keys, now, since).await?;
            Err(AppError::new(ErrorKind::NotFound, "not_found", "question.code_invalid"))
        }
    }
}

/// The questions to offices in the caller's scope (open ones: oldest due first).
pub async fn list(app: &App, caller: &Caller, open_only: bool) -> AppResult<Vec<QuestionRecord>> {
    caller.require(Permission::ReadPerson)?;
    Ok(app.store.questions(&caller.scope, open_only).await?)
}

/// Answers a question of an office in scope, once; the answer is e-mailed.
pub async fn answer(app: &App, caller: &Caller, id: i64, text: &str) -> AppResult<QuestionRecord> {
    caller.require(Permission::WritePerson)?;
    let q = app.store.question(id).await?.ok_or_else(AppError::not_found)?;
    if !caller.in_scope(&q.unit_path) {
        return Err(AppError::not_found());
    }
    let text = crate::record::checked_text("answer", text)?;
    Ok(app.store.answer_question(&caller.actor(), id, text, Utc::now()).await?)
}
