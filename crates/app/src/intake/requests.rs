//! The counter: a typed code becomes a document request. Order matters:
//! the code's check digit and the branch's scopes are checked here first (a
//! mistyped code never leaves the fund), then the guess rate limit, then the
//! request is written (holding the barcode, so two specialists cannot both
//! take it) and only then sent to the hub.
use chrono::Utc;
use dossier_domain::Message;
use dossier_domain::intake::{GUESS_WINDOW, IntakeStatus, backoff, guess_wait, masked_code};
use dossier_domain::sharing::{CodeRefusal, DocumentType, SharingCode};
use dossier_sharing::Refusal;
use dossier_sharing::wire::DocumentRequest;
use dossier_store::{Actor, CodeAttempt, NewSharingRequest, SharingBranch, SharingRequest, SharingUpdate, StoreError};
use uuid::Uuid;

use super::{HubError, Intake};
use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};

/// What the specialist asked for.
pub struct Submission<'a> {
    pub actor: Actor,
    pub account_id: Option<Uuid>,
    pub unit_id: i64,
    pub barcode: &'a str,
    pub document_type: DocumentType,
}

/// The branch a unit requests through: its own registration, else the
/// nearest registered unit above it (a service centre may use its district's).
pub(crate) async fn branch_for(app: &App, unit_id: i64) -> Result<Option<SharingBranch>, StoreError> {
    let branches = app.store.sharing_branches().await?;
    let Some(unit) = app.unit(unit_id) else { return Ok(None) };
    Ok(unit.path.ids().iter().rev().find_map(|id| branches.iter().find(|b| b.unit_id == *id).cloned()))
}

fn refused(kind: ErrorKind, code: &'static str, message: Message) -> AppError {
    AppError::new(kind, code, message)
}

/// Submits a code. `Ok` with status `waiting_consent`, or `submitting`
/// when the hub was unreachable (kept; the worker retries). Refusals are
/// problem+json with the refusal's stable code.
pub(crate) async fn submit(app: &App, intake: &Intake, s: Submission<'_>) -> AppResult<SharingRequest> {
    let branch = branch_for(app, s.unit_id)
        .await?
        .ok_or_else(|| refused(ErrorKind::Conflict, "no_branch", Message::new("intake.no_branch")))?;
    let now = Utc::now();
    let (by_account, by_branch) = app.store.code_failures(s.account_id, &branch.branch_id, now - GUESS_WINDOW).await?;
    if let Some(wait) = guess_wait(&by_account, now).max(guess_wait(&by_branch, now)) {
        let secs = wait.num_seconds().max(1);
        let e =
            refused(ErrorKind::RateLimited, "rate_limited", Message::new("sharing.rate_limited").with("seconds", secs));
        return Err(e.with_retry_after(secs as u64));
    }
    let attempt = |refusal: Option<&str>| CodeAttempt {
        account_id: s.account_id,
        branch_id: branch.branch_id.clone(),
        masked_code: masked_code(s.barcode),
        refusal: refusal.map(str::to_owned),
    };
    let code = match SharingCode::parse(s.barcode) {
        Ok(c) => c,
        Err(m) => {
            app.store.record_code_attempt(&s.actor, &attempt(Some(m.key))).await?;
            return Err(AppError::field("barcode", m));
        }
    };
    if !branch.scopes.contains(&s.document_type) {
        let r = CodeRefusal::TypeNotAllowed;
        return Err(refused(ErrorKind::Invalid, "type_not_allowed", r.message(Some(s.document_type))));
    }
    let new = NewSharingRequest {
        id: Uuid::new_v4(),
        barcode: code.as_str().to_owned(),
        branch_id: branch.branch_id.clone(),
        // The requesting unit (not the branch's): the request and its copy
        // stay within the specialist's scope even when the branch is higher up.
        unit_id: s.unit_id,
        document_type: s.document_type,
        account_id: s.account_id,
        // Sent from here at once: the workers leave it alone unless this server dies first.
        next_check_at: now + super::LEASE,
    };
    let request = match app.store.create_sharing_request(&s.actor, &new).await {
        Ok(r) => r,
        // Another live request holds this code (two specialists at once).
        Err(StoreError::Conflict(_)) => {
            app.store.record_code_attempt(&s.actor, &attempt(Some(CodeRefusal::AlreadyUsed.key()))).await?;
            return Err(refused(ErrorKind::Conflict, "already_used", CodeRefusal::AlreadyUsed.message(None)));
        }
        Err(e) => return Err(e.into()),
    };
    let sent = send(intake, &request).await;
    let refusal_key = match &sent {
        Err(HubError::Refused(r)) => Some(r.key()),
        _ => None,
    };
    app.store.record_code_attempt(&s.actor, &attempt(refusal_key)).await?;
    let updated = after_send(app, intake, &request, sent).await?;
    match (updated.status, updated.last_error.as_deref()) {
        (IntakeStatus::Refused, _) => Err(refusal_error(&updated)),
        _ => Ok(updated),
    }
}

/// Sends (or resends — the same requestId) a request to the hub.
pub(crate) async fn send(intake: &Intake, r: &SharingRequest) -> Result<(), HubError> {
    let body = DocumentRequest {
        branch_id: r.branch_id.clone(),
        barcode: r.barcode.clone(),
        request_id: r.id.to_string(),
        document_type: Some(r.document_type),
    };
    match intake.hub.document_request(&body).await {
        // The hub already has this requestId: an earlier send got through.
        Err(HubError::Rejected(Refusal::DuplicateRequest)) => Ok(()),
        other => other,
    }
}

/// Records what the hub said about a submitted request and tells the page.
pub(crate) async fn after_send(
    app: &App,
    intake: &Intake,
    r: &SharingRequest,
    sent: Result<(), HubError>,
) -> AppResult<SharingRequest> {
    let now = Utc::now();
    let attempts = r.hub_attempts + 1;
    let update = match &sent {
        Ok(()) => SharingUpdate {
            status: IntakeStatus::WaitingConsent,
            last_error: None,
            hub_attempts: attempts,
            next_check_at: now + chrono::Duration::from_std(intake.config.poll_interval).unwrap_or_default(),
        },
        Err(HubError::Unreachable) => SharingUpdate {
            status: IntakeStatus::Submitting,
            last_error: Some("sharing.hub_unreachable".into()),
            hub_attempts: attempts,
            next_check_at: now + backoff(attempts),
        },
        Err(e) => SharingUpdate {
            status: IntakeStatus::Refused,
            last_error: Some(error_key(e).to_owned()),
            hub_attempts: attempts,
            next_check_at: now,
        },
    };
    let updated = app.store.update_sharing_request(&Actor::system("intake"), r.id, r.status, &update).await?;
    let updated = match updated {
        Some(u) => u,
        // Moved meanwhile (e.g. delivered already): report what it is now.
        None => app.store.sharing_request(r.id).await?.ok_or_else(AppError::not_found)?,
    };
    if updated.status != r.status {
        intake.events.publish(updated.id, updated.status);
    }
    Ok(updated)
}

/// The catalogue key stored as `last_error` for a hub refusal: the stable
/// refusal codes map to their own keys, so the page can explain them later.
fn error_key(e: &HubError) -> &'static str {
    match e {
        HubError::Refused(r) => r.key(),
        HubError::RateLimited { .. } => "sharing.rate_limited",
        HubError::Rejected(Refusal::Unauthorized) => "intake.hub.unauthorized",
        HubError::Rejected(_) => "intake.hub.bad_request",
        HubError::Unreachable => "sharing.hub_unreachable",
    }
}

/// The problem a refused request answers with (code + both languages).
pub(crate) fn refusal_error(r: &SharingRequest) -> AppError {
    let key = static_key(r.last_error.as_deref().unwrap_or("intake.hub.bad_request"));
    let refusal = [
        CodeRefusal::Unknown,
        CodeRefusal::Expired,
        CodeRefusal::AlreadyUsed,
        CodeRefusal::TypeNotAllowed,
        CodeRefusal::TypeMismatch,
    ]
    .into_iter()
    .find(|c| c.key() == key);
    match refusal {
        Some(c) => refused(
            if c == CodeRefusal::AlreadyUsed { ErrorKind::Conflict } else { ErrorKind::Invalid },
            Refusal::Code(c).as_str(),
            c.message(Some(r.document_type)),
        ),
        None if key == "sharing.rate_limited" => {
            refused(ErrorKind::RateLimited, "rate_limited", Message::new(key).with("seconds", 60))
        }
        None => refused(ErrorKind::Upstream, "hub_refused", Message::new(key)),
    }
}

/// Every key stored as `last_error` (the store keeps text; messages need
/// the catalogue's static key).
const ERROR_KEYS: &[&str] = &[
    "sharing.code.unknown",
    "sharing.code.expired",
    "sharing.code.used",
    "sharing.type_not_allowed",
    "sharing.type_mismatch",
    "sharing.rate_limited",
    "sharing.hub_unreachable",
    "sharing.declined",
    "intake.hub.unauthorized",
    "intake.hub.bad_request",
];

fn static_key(key: &str) -> &'static str {
    ERROR_KEYS.iter().find(|k| **k == key).copied().unwrap_or("intake.hub.bad_request")
}

/// The message explaining a request's `last_error`, with its arguments.
pub fn error_message(r: &SharingRequest) -> Option<Message> {
    let key = static_key(r.last_error.as_deref()?);
    Some(match key {
        "sharing.type_not_allowed" | "sharing.type_mismatch" => Message::new(key).with("type", r.document_type.code()),
        "sharing.rate_limited" => Message::new(key).with("seconds", 60),
        other => Message::new(other),
    })
}

#[cfg(test)]
mod tests {
    use dossier_domain::Lang;
    use dossier_domain::sharing::CodeRefusal;
    use dossier_sharing::{HubError, Refusal};

    use super::{error_key, static_key};

    #[test]
    fn every_hub_error_has_a_catalogue_message_in_both_languages() {
        let all = [
            HubError::Refused(CodeRefusal::Unknown),
            HubError::Refused(CodeRefusal::Expired),
            HubError::Refused(CodeRefusal::AlreadyUsed),
            HubError::Refused(CodeRefusal::TypeNotAllowed),
            HubError::Refused(CodeRefusal::TypeMismatch),
            HubError::RateLimited { retry_after_secs: 5 },
            HubError::Rejected(Refusal::Unauthorized),
            HubError::Rejected(Refusal::DuplicateRequest),
            HubError::Rejected(Refusal::BadRequest),
            HubError::Unreachable,
        ];
        for e in all {
            let key = error_key(&e);
            // What is stored as `last_error` reads back as the same key.
            assert_eq!(static_key(key), key, "{e:?}");
            assert!(dossier_domain::i18n::has(key), "{e:?}");
            let m = dossier_domain::Message::new(key).with("type", "taxpayer-card").with("seconds", 5);
            let (uk, en) = (m.render(Lang::UK), m.render(Lang::EN));
            assert!(!uk.contains('{') && !en.contains('{') && uk != en, "{e:?}: {uk} / {en}");
        }
    }
}
