//! The public status look-up (issue 19): anyone who knows a certificate's
//! application number *and* its holder's date of birth learns where it is —
//! no sign-in, no captcha. Two facts, so a number alone tells nothing; a
//! wrong date of birth and an unknown number get the same answer; failures
//! are counted per client and per number in the database (so the limit holds
//! across app servers), and past the limit the client waits (`Retry-After`).
//! Nothing personal is returned beyond the document's progress and where to
//! collect it, and the log line of a look-up names no number, date or address.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::Invalid;
use dossier_domain::lifecycle::CertificateForm;
use dossier_domain::tracking::{self, Estimate, Milestone, Progress};
use dossier_store::{TrackedCertificate, Unit};
use subtle::ConstantTimeEq;
use uuid::Uuid;

use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};

/// What a citizen gives.
#[derive(Debug, Clone)]
pub struct StatusQuery {
    /// The application number as typed (see `tracking::case_number`).
    pub number: String,
    pub birth_date: NaiveDate,
}

/// Where a document stands, as its holder is told.
#[derive(Debug, Clone)]
pub struct CaseStatus {
    pub number: String,
    pub form: CertificateForm,
    pub milestone: Milestone,
    /// The milestones of its path, each with when it was reached (`None`: not yet).
    pub path: Vec<(Milestone, Option<DateTime<Utc>>)>,
    pub estimate: Option<Estimate>,
    /// The office that hands it over: named always, "collect it here" once ready.
    pub office: Unit,
    /// When it last moved.
    pub updated_at: DateTime<Utc>,
}

impl CaseStatus {
    /// Ready at the office (or the bank branch) now.
    pub fn ready(&self) -> bool {
        self.milestone == Milestone::ReadyForCollection
    }
}

/// The token of the status link printed on an application's receipt: the
/// certificate's id and an HMAC of it under a key derived from the master
/// key, base64url (43 characters). Whoever holds the receipt may follow it;
/// nobody can make one for another application.
pub fn status_token(app: &App, certificate_id: Uuid) -> String {
    let mut raw = certificate_id.as_bytes().to_vec();
    raw.extend_from_slice(&status_tag(app, certificate_id));
    B64URL.encode(raw)
}

fn status_tag(app: &App, certificate_id: Uuid) -> [u8; 16] {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &app.blobs.derive_key("status-links"));
    let tag = ring::hmac::sign(&key, certificate_id.as_bytes());
    let mut out = [0u8; 16];
    out.copy_from_slice(&tag.as_ref()[..16]);
    out
}

/// The certificate a status token names, if it is genuine.
fn certificate_of_token(app: &App, token: &str) -> Option<Uuid> {
    let raw = B64URL.decode(token.trim()).ok().filter(|r| r.len() == 32)?;
    let id = Uuid::from_slice(&raw[..16]).ok()?;
    bool::from(raw[16..].ct_eq(&status_tag(app, id))).then_some(id)
}

/// The full status link of an application, when the fund's public address is known.
pub fn status_link(app: &App, certificate_id: Uuid) -> Option<String> {
    let base = app.config().public_url.as_deref()?;
    Some(format!("{}/status?t={}", base.trim_end_matches('/'), status_token(app, certificate_id)))
}

/// Looks a document up by the token of its receipt's QR code. A token that
/// is not genuine counts as a failed look-up of the client.
pub async fn look_up_by_token(app: &App, client: &str, token: &str, now: DateTime<Utc>) -> AppResult<CaseStatus> {
    let cfg = app.config();
    let since = now - cfg.lookup_window;
    let keys = [format!("client:{client}")];
    let store = &app.store;
    if store.lookup_failures(&keys, since).await?.first().is_some_and(|n| *n >= cfg.lookup_failures_per_client) {
        tracing::info!(target: "dossier::access", outcome = "limited", "status look-up by code");
        let wait = u64::try_from(cfg.lookup_window.num_seconds()).unwrap_or(900);
        return Err(AppError::new(ErrorKind::RateLimited, "rate_limited", "tracking.limited").with_retry_after(wait));
    }
    let found = match certificate_of_token(app, token) {
        Some(id) => store.tracked_certificate_by_id(id).await?,
        None => None,
    };
    let Some(found) = found else {
        store.record_lookup_failure(&keys, now, since).await?;
        tracing::info!(target: "dossier::access", outcome = "not_found", "status look-up by code");
        return Err(AppError::new(ErrorKind::NotFound, "not_found", "tracking.code_invalid"));
    };
    tracing::info!(target: "dossier::access", outcome = "found", "status look-up by code");
    let office = app.unit(found.certificate.data.issue_unit_id).ok_or_else(AppError::internal)?;
    Ok(status_of(found, office, now, &cfg.calendar))
}

/// Looks a document up for `client` (the caller's address, used only as a
/// counter key), at `now`.
pub async fn look_up(app: &App, client: &str, q: &StatusQuery, now: DateTime<Utc>) -> AppResult<CaseStatus> {
    let found = find(app, client, q, now).await?;
    // The office from the org tree the app keeps in memory.
    let office = app.unit(found.certificate.data.issue_unit_id).ok_or_else(AppError::internal)?;
    Ok(status_of(found, office, now, &app.config().calendar))
}

/// The certificate the two facts name, under the same limits: what a
/// subscription from the status page is made for.
pub(crate) async fn find(
    app: &App,
    client: &str,
    q: &StatusQuery,
    now: DateTime<Utc>,
) -> AppResult<TrackedCertificate> {
    let cfg = app.config();
    let number = tracking::case_number(&q.number)
        .ok_or_else(|| AppError::from(Invalid::one("number", "tracking.number_format")))?;
    let since = now - cfg.lookup_window;
    let (client_key, case_key) = (format!("client:{client}"), format!("case:{number}"));
    let store = &app.store;
    let keys = [client_key, case_key];
    let failures = store.lookup_failures(&keys, since).await?;
    let limited = failures.first().is_some_and(|n| *n >= cfg.lookup_failures_per_client)
        || failures.get(1).is_some_and(|n| *n >= cfg.lookup_failures_per_case);
    if limited {
        tracing::info!(target: "dossier::access", outcome = "limited", "status look-up");
        let wait = u64::try_from(cfg.lookup_window.num_seconds()).unwrap_or(900);
        return Err(AppError::new(ErrorKind::RateLimited, "rate_limited", "tracking.limited").with_retry_after(wait));
    }
    let found = store.tracked_certificate(&number, q.birth_date).await?;
    let Some(found) = found else {
        store.record_lookup_failure(&keys, now, since).await?;
        tracing::info!(target: "dossier::access", outcome = "not_found", "status look-up");
        return Err(AppError::new(ErrorKind::NotFound, "not_found", "tracking.not_found"));
    };
    tracing::info!(target: "dossier::access", outcome = "found", "status look-up");
    Ok(found)
}

fn status_of(
    t: TrackedCertificate,
    office: Unit,
    now: DateTime<Utc>,
    calendar: &dossier_domain::calendar::WorkingCalendar,
) -> CaseStatus {
    let c = &t.certificate;
    let form = c.data.form;
    let milestone = Milestone::of(form, c.stage);
    // When each milestone was first reached: several stages make one.
    let reached_at = |m: Milestone| t.reached.iter().find(|(s, _)| Milestone::of(form, *s) == m).map(|(_, at)| *at);
    let path = Milestone::path(form).iter().map(|m| (*m, reached_at(*m))).collect();
    let progress = Progress { form, stage: c.stage, stage_at: c.stage_at, accepted_at: c.created_at, due_at: c.due_at };
    CaseStatus {
        number: c.number.clone(),
        form,
        milestone,
        path,
        estimate: tracking::estimate(&progress, now, calendar),
        office,
        updated_at: c.stage_at,
    }
}
