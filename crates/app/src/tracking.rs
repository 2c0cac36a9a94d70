//! The public status look-up (issue 19): anyone who knows a certificate's
//! application number *and* its holder's date of birth learns where it is —
//! no sign-in, no captcha. Two facts, so a number alone tells nothing; a
//! wrong date of birth and an unknown number get the same answer; failures
//! are counted per client and per number in the database (so the limit holds
//! across app servers), and past the limit the client waits (`Retry-After`).
//! Nothing personal is returned beyond the document's progress and where to
//! collect it, and the log line of a look-up names no number, date or address.
//!
//! A case is a pension certificate, a document a citizen shared from their
//! wallet at the counter, or an e-application; each is followed by the signed
//! token of a status link (the receipt's QR code, the counter screen's), a certificate also by
//! the two facts.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::Invalid;
use dossier_domain::e_application::Kind as EKind;
use dossier_domain::lifecycle::CertificateForm;
use dossier_domain::sharing::DocumentType;
use dossier_domain::tracking::{self, Estimate, Milestone, Progress};
use dossier_store::{EApplicationRecord, SharingRequest, TrackedCertificate, Unit};
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

/// What a case is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseKind {
    /// A pension certificate of this form.
    Certificate(CertificateForm),
    /// A document of this type, shared from the citizen's wallet.
    SharedDocument(DocumentType),
    /// An e-application of this kind, filed from the personal account.
    EApplication(EKind),
}

/// The case a status link names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseRef {
    /// A pension certificate, by its application's id.
    Certificate(Uuid),
    /// A document request made at the counter, by its id.
    SharingRequest(Uuid),
    /// An e-application, by its id.
    EApplication(Uuid),
}

impl CaseRef {
    /// The byte that says which, first in the token (and under its tag).
    fn kind_byte(self) -> u8 {
        match self {
            CaseRef::Certificate(_) => 1,
            CaseRef::SharingRequest(_) => 2,
            CaseRef::EApplication(_) => 3,
        }
    }

    fn id(self) -> Uuid {
        match self {
            CaseRef::Certificate(id) | CaseRef::SharingRequest(id) | CaseRef::EApplication(id) => id,
        }
    }

    fn from_parts(kind: u8, id: Uuid) -> Option<CaseRef> {
        match kind {
            1 => Some(CaseRef::Certificate(id)),
            2 => Some(CaseRef::SharingRequest(id)),
            3 => Some(CaseRef::EApplication(id)),
            _ => None,
        }
    }
}

/// Where a document stands, as its holder is told.
#[derive(Debug, Clone)]
pub struct CaseStatus {
    /// The application number (a certificate) or the request's id (a shared document).
    pub number: String,
    pub kind: CaseKind,
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

/// The token of a case's status link (the QR code on an application's
/// receipt, on the counter's screen after a document request): which kind of
/// case, its id, and an HMAC of both under a key derived from the master key,
/// base64url (44 characters). Whoever holds it may follow it; nobody can make
/// one for another case.
pub fn status_token(app: &App, case: CaseRef) -> String {
    let mut raw = vec![case.kind_byte()];
    raw.extend_from_slice(case.id().as_bytes());
    raw.extend_from_slice(&status_tag(app, &raw));
    B64URL.encode(raw)
}

/// The key of status links, derived from the master key once, when the app
/// is built (a look-up by code checks a tag on every call).
pub(crate) struct StatusKey(ring::hmac::Key);

impl StatusKey {
    pub(crate) fn new(blobs: &dossier_store::blobs::BlobStore) -> StatusKey {
        StatusKey(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &blobs.derive_key("status-links")))
    }
}

fn status_tag(app: &App, named: &[u8]) -> [u8; 16] {
    let tag = ring::hmac::sign(&app.status_key.0, named);
    let mut out = [0u8; 16];
    out.copy_from_slice(&tag.as_ref()[..16]);
    out
}

/// The case a status token names, if it is genuine.
fn case_of_token(app: &App, token: &str) -> Option<CaseRef> {
    let raw = B64URL.decode(token.trim()).ok().filter(|r| r.len() == 33)?;
    let (named, tag) = raw.split_at(17);
    if !bool::from(tag.ct_eq(&status_tag(app, named))) {
        return None;
    }
    CaseRef::from_parts(named[0], Uuid::from_slice(&named[1..]).ok()?)
}

/// The full status link of a case, when the fund's public address is known.
pub fn status_link(app: &App, case: CaseRef) -> Option<String> {
    let base = app.config().public_url.as_deref()?;
    Some(format!("{}/status?t={}", base.trim_end_matches('/'), status_token(app, case)))
}

/// The status link as a QR code (SVG) for a screen, when the public address is known.
pub fn status_link_svg(app: &App, case: CaseRef) -> Option<String> {
    crate::qr::svg(&status_link(app, case)?)
}

/// A case a status link names, as the store has it.
pub(crate) enum FoundCase {
    Certificate(TrackedCertificate),
    Request(SharingRequest),
    EApplication(EApplicationRecord),
}

/// Looks a case up by the token of its status link. A token that is not
/// genuine counts as a failed look-up of the client.
pub async fn look_up_by_token(app: &App, client: &str, token: &str, now: DateTime<Utc>) -> AppResult<CaseStatus> {
    let office = |id| app.unit(id).ok_or_else(AppError::internal);
    Ok(match find_by_token(app, client, token, now).await? {
        FoundCase::Certificate(t) => {
            let unit = office(t.certificate.data.issue_unit_id)?;
            status_of(t, unit, now, &app.config().calendar)
        }
        FoundCase::Request(r) => request_status(&r, office(r.unit_id)?),
        FoundCase::EApplication(e) => e_application_status(&e, office(e.unit_id)?),
    })
}

/// The case a status token names, under the look-up's limits: what a
/// subscription from a status link's page is made for.
pub(crate) async fn find_by_token(app: &App, client: &str, token: &str, now: DateTime<Utc>) -> AppResult<FoundCase> {
    let cfg = app.config();
    let since = now - cfg.lookup_window;
    let keys = [format!("client:{client}")];
    let store = &app.store;
    if store.lookup_failures(&keys, since).await?.first().is_some_and(|n| *n >= cfg.lookup_failures_per_client) {
        tracing::info!(target: "dossier::access", outcome = "limited", "status look-up by code");
        return Err(limited(cfg));
    }
    let found = match case_of_token(app, token) {
        Some(CaseRef::Certificate(id)) => store.tracked_certificate_by_id(id).await?.map(FoundCase::Certificate),
        Some(CaseRef::SharingRequest(id)) => store.sharing_request(id).await?.map(FoundCase::Request),
        Some(CaseRef::EApplication(id)) => store.e_application(id).await?.map(FoundCase::EApplication),
        None => None,
    };
    let Some(found) = found else {
        store.record_lookup_failure(&keys, now, since).await?;
        tracing::info!(target: "dossier::access", outcome = "not_found", "status look-up by code");
        return Err(AppError::new(ErrorKind::NotFound, "not_found", "tracking.code_invalid"));
    };
    tracing::info!(target: "dossier::access", outcome = "found", "status look-up by code");
    Ok(found)
}

/// A client (or a case number) past its failures: it waits out the window.
fn limited(cfg: &crate::AppConfig) -> AppError {
    let wait = u64::try_from(cfg.lookup_window.num_seconds()).unwrap_or(900);
    AppError::new(ErrorKind::RateLimited, "rate_limited", "tracking.limited").with_retry_after(wait)
}

/// One client's budget of wrong public codes (a statement's, a queue ticket's…):
/// the same failures the status look-up counts, in the database, so the limit
/// holds across app servers.
pub(crate) struct ClientBudget {
    keys: [String; 1],
    since: DateTime<Utc>,
    now: DateTime<Utc>,
}

impl ClientBudget {
    /// The client's budget, or the refusal (with `Retry-After`) of a client past it.
    pub(crate) async fn check(app: &App, client: &str, now: DateTime<Utc>) -> AppResult<ClientBudget> {
        let cfg = app.config();
        let budget = ClientBudget { keys: [format!("client:{client}")], since: now - cfg.lookup_window, now };
        let failures = app.store.lookup_failures(&budget.keys, budget.since).await?;
        if failures.first().is_some_and(|n| *n >= cfg.lookup_failures_per_client) {
            return Err(limited(cfg));
        }
        Ok(budget)
    }

    /// Counts a wrong code against the client.
    pub(crate) async fn spend(&self, app: &App) -> AppResult<()> {
        Ok(app.store.record_lookup_failure(&self.keys, self.now, self.since).await?)
    }
}

/// A document request as the citizen who shared it is told: asked, consented,
/// received — each with its time where the fund knows it.
fn request_status(r: &SharingRequest, office: Unit) -> CaseStatus {
    let milestone = Milestone::of_request(r.status);
    let reached_at = |m: Milestone| match m {
        Milestone::ConsentAwaited => Some(r.created_at),
        Milestone::BeingDelivered if milestone == Milestone::BeingDelivered => Some(r.updated_at),
        Milestone::Received => r.delivered_at,
        Milestone::NotShared | Milestone::NotReceived => Some(r.updated_at),
        _ => None,
    };
    CaseStatus {
        number: r.id.to_string(),
        kind: CaseKind::SharedDocument(r.document_type),
        milestone,
        path: Milestone::request_path(r.status).iter().map(|m| (*m, reached_at(*m))).collect(),
        estimate: None,
        office,
        updated_at: r.updated_at,
    }
}

/// An e-application as its applicant is told: waiting for the signature,
/// under review with the day the decision is due, decided.
fn e_application_status(e: &EApplicationRecord, office: Unit) -> CaseStatus {
    let milestone = Milestone::of_e_application(e.status);
    let reached_at = |m: Milestone| match m {
        Milestone::AwaitingSignature => Some(e.created_at),
        Milestone::UnderReview => e.submitted_at,
        Milestone::Granted | Milestone::Denied => e.decided_at,
        Milestone::NotSubmitted => Some(e.created_at),
        _ => None,
    };
    let estimate = e.due_on.filter(|_| !milestone.is_done()).map(|ready_by| Estimate { ready_by, revised: false });
    CaseStatus {
        number: e.id.to_string(),
        kind: CaseKind::EApplication(e.kind),
        milestone,
        path: Milestone::e_application_path(e.status).iter().map(|m| (*m, reached_at(*m))).collect(),
        estimate,
        office,
        updated_at: e.decided_at.or(e.submitted_at).unwrap_or(e.created_at),
    }
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
    let lookup = store.look_up_certificate(&number, q.birth_date, [&keys[0], &keys[1]], since).await?;
    let [by_client, by_case] = lookup.failures;
    if by_client >= cfg.lookup_failures_per_client || by_case >= cfg.lookup_failures_per_case {
        tracing::info!(target: "dossier::access", outcome = "limited", "status look-up");
        return Err(limited(cfg));
    }
    let Some(found) = lookup.found else {
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
        kind: CaseKind::Certificate(form),
        milestone,
        path,
        estimate: tracking::estimate(&progress, now, calendar),
        office,
        updated_at: c.stage_at,
    }
}
