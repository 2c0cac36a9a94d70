//! The fund's intake of documents shared from a citizen's wallet (SPEC §2.1):
//!
//! * [`requests`] — the counter: a typed code becomes a document request
//!   (checked locally first, rate-limited, one live request per code);
//! * [`worker`] — keeps live requests moving: resubmits while the hub is
//!   unreachable, polls the status for `declined`/`expired`, backs off;
//! * [`delivery`] — the acquirer endpoint: open, verify, match, store;
//! * [`events`] — status changes pushed to the counter page (SSE).
//!
//! The fund talks to the hub only through `dossier_sharing` (the acquirer
//! client, wire types and `package::open`), so a real hub changes
//! configuration, not this flow.
pub mod delivery;
pub mod events;
pub mod requests;
pub mod worker;

use schemars::JsonSchema;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, Utc};
use dossier_crypto::KeyPair;
use dossier_domain::intake::IntakeStatus;
use dossier_domain::org::Permission;
use dossier_domain::sharing::DocumentType;
use dossier_domain::{Lang, Message};
use dossier_sharing::Package;
use dossier_store::{Page, SharingBranch, SharingCopy, SharingRequest, Subscribers, SubscriptionRecord};
use serde::{Deserialize, Serialize};
use serde_json::json;
use tokio::sync::broadcast;
use uuid::Uuid;
use x509_cert::Certificate;
use x509_cert::der::Encode;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::operations::IntakeOutcome;
use crate::pictures::{Content, content_of};
use crate::{App, Caller, people};

pub use dossier_sharing::{AcquirerClient, HubError};

/// How long a live request is left to whoever holds it — the worker that
/// claimed it, or the counter that sends it on creation — before another
/// worker (on any server) takes it up: the holder died, or the hub never answered.
pub const LEASE: chrono::Duration = chrono::Duration::minutes(2);

/// How the fund meets the hub (`DOSSIER_HUB_*`, see the README).
#[derive(Clone)]
pub struct IntakeConfig {
    /// Base URL of the hub, e.g. `http://127.0.0.1:8090`.
    pub hub_url: String,
    /// This fund's acquirer id at the hub: the stamp on every copy must name it.
    pub acquirer_id: String,
    /// The acquirer token (`Authorization: Bearer`).
    pub token: String,
    /// The hub's signing certificate: the only signer whose packages are accepted.
    pub hub_certificate: Certificate,
    /// Where the hub posts deliveries (`…/api/v1/sharing/deliveries`), for the operator's reference.
    pub public_url: Option<String>,
    /// Pause between status polls of a live request (grows with back-off).
    pub poll_interval: Duration,
}

impl std::fmt::Debug for IntakeConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IntakeConfig")
            .field("hub_url", &self.hub_url)
            .field("acquirer_id", &self.acquirer_id)
            .field("public_url", &self.public_url)
            .finish_non_exhaustive()
    }
}

/// A unit's agency-encryption key and certificate: packages for the unit's
/// branch are encrypted to this certificate.
#[derive(Clone)]
pub struct BranchKey {
    pub certificate: Certificate,
    pub key: Arc<dyn KeyPair>,
}

/// The intake service held in `AppState`.
pub struct Intake {
    pub config: IntakeConfig,
    pub hub: AcquirerClient,
    /// Org unit id → decryption key.
    keys: HashMap<i64, BranchKey>,
    pub events: events::Events,
    /// SHA-256 of the pinned hub certificate (hex), recorded with every copy.
    pub hub_fingerprint: String,
}

impl Intake {
    pub fn new(config: IntakeConfig, keys: HashMap<i64, BranchKey>) -> Result<Intake, String> {
        let hub = AcquirerClient::new(&config.hub_url, &config.token).map_err(|e| format!("hub client: {e}"))?;
        let der = config.hub_certificate.to_der().map_err(|e| format!("hub certificate: {e}"))?;
        let hub_fingerprint = base16ct::lower::encode_string(&dossier_crypto::digest::sha256(&der));
        Ok(Intake { config, hub, keys, events: events::Events::default(), hub_fingerprint })
    }

    pub fn key_of(&self, unit_id: i64) -> Option<&BranchKey> {
        self.keys.get(&unit_id)
    }
}

// ---- use cases ----

/// The intake of this server, or why there is none.
fn intake_of(app: &App) -> AppResult<&Arc<Intake>> {
    app.intake
        .as_ref()
        .ok_or_else(|| AppError::new(ErrorKind::Unavailable, "sharing_not_configured", "intake.not_configured"))
}

/// What the counter offers: whether sharing is set up and the branch the caller requests through.
pub struct Counter {
    pub configured: bool,
    pub branch: Option<SharingBranch>,
}

pub async fn counter(app: &App, caller: &Caller) -> AppResult<Counter> {
    caller.require(Permission::WritePerson)?;
    let branch = match app.intake {
        Some(_) => requests::branch_for(app, caller.unit.id).await?,
        None => None,
    };
    Ok(Counter { configured: app.intake.is_some(), branch })
}

/// A code the specialist typed.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct NewRequest {
    /// The 13-digit code the citizen's wallet shows (spaces and hyphens are ignored).
    #[schemars(with = "dossier_domain::sharing::SharingCode")]
    pub barcode: String,
    /// The document asked for; the code must have been made for it.
    #[schemars(with = "dossier_domain::sharing::DocumentType")]
    pub document_type: String,
    /// The unit requesting (defaults to the caller's); must be in scope.
    #[serde(default)]
    pub unit_id: Option<i64>,
}

/// The unit a specialist requests for: the given one (in scope) or their own.
fn requesting_unit(app: &App, caller: &Caller, unit_id: Option<i64>) -> AppResult<i64> {
    let id = unit_id.unwrap_or(caller.unit.id);
    let unit = app.unit(id).ok_or_else(AppError::forbidden)?;
    if !caller.in_scope(&unit.path) && id != caller.unit.id {
        return Err(AppError::forbidden());
    }
    Ok(id)
}

/// A typed code becomes a document request: waiting for consent, or kept and
/// resent when the hub was unreachable (`submitting`).
pub async fn submit(app: &App, caller: &Caller, new: &NewRequest) -> AppResult<SharingRequest> {
    caller.require(Permission::WritePerson)?;
    let intake = intake_of(app)?;
    let document_type = DocumentType::parse(&new.document_type).map_err(|m| AppError::field("documentType", m))?;
    let unit_id = requesting_unit(app, caller, new.unit_id)?;
    let s = requests::Submission {
        actor: caller.actor(),
        account_id: Some(caller.account.id),
        unit_id,
        barcode: &new.barcode,
        document_type,
    };
    requests::submit(app, intake, s).await
}

/// A request the caller may follow (its unit in the caller's scope).
pub(crate) async fn load_request(app: &App, caller: &Caller, id: Uuid) -> AppResult<SharingRequest> {
    let r = app.store.sharing_request(id).await?.ok_or_else(AppError::not_found)?;
    let unit = app.unit(r.unit_id).ok_or_else(AppError::not_found)?;
    app.authorize(caller, Permission::WritePerson, &unit.path, &format!("sharing_request:{id}")).await?;
    Ok(r)
}

/// A request with its copy, once delivered.
pub async fn request(app: &App, caller: &Caller, id: Uuid) -> AppResult<(SharingRequest, Option<SharingCopy>)> {
    let r = load_request(app, caller, id).await?;
    let copy = app.store.sharing_copy(id).await?;
    Ok((r, copy))
}

/// Who follows a request from its status link (newest first), for the
/// request's page: staff see them and may end them.
pub async fn followers(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<SubscriptionRecord>> {
    load_request(app, caller, id).await?;
    Ok(app.store.subscriptions_of(Subscribers::Request(id)).await?)
}

/// The delivered PDF (also of a copy still in the review queue, which has no dossier yet).
pub async fn copy(app: &App, caller: &Caller, id: Uuid) -> AppResult<Content> {
    load_request(app, caller, id).await?;
    let copy = app.store.sharing_copy(id).await?.ok_or_else(AppError::not_found)?;
    let subject = match copy.person_id {
        Some(p) => format!("person:{p}"),
        None => format!("sharing_request:{id}"),
    };
    app.store.audit(&caller.actor(), "document.read", &subject, json!({"document_id": copy.document_id})).await?;
    content_of(app, copy.document_id).await
}

/// Follows a request: its status changes from now on, then the request as it
/// is (subscribed first, so a change between the two is not missed).
pub async fn follow(
    app: &App,
    caller: &Caller,
    id: Uuid,
) -> AppResult<(SharingRequest, broadcast::Receiver<events::StatusEvent>)> {
    let rx = intake_of(app)?.events.subscribe();
    let r = load_request(app, caller, id).await?;
    Ok((r, rx))
}

/// A followed request as it is now (its reader was authorized when it began following).
pub async fn reread(app: &App, id: Uuid) -> AppResult<Option<SharingRequest>> {
    Ok(app.store.sharing_request(id).await?)
}

/// The acquirer endpoint: opens, checks, matches and stores one delivered
/// package. No staff login — the package authenticates itself.
pub async fn deliver(app: &App, trace: Option<&str>, package: Package) -> AppResult<delivery::Received> {
    let intake = intake_of(app)?;
    let received = delivery::receive(app, intake, trace, package).await;
    app.throughput().count_package(match &received {
        Ok(r) if r.created => IntakeOutcome::Stored,
        Ok(_) => IntakeOutcome::Repeated,
        Err(delivery::DeliveryError::Internal | delivery::DeliveryError::NoKey) => IntakeOutcome::Failed,
        Err(_) => IntakeOutcome::Refused,
    });
    Ok(received?)
}

/// Copies no person matched, requested within the caller's scope, oldest first.
pub async fn review_queue(app: &App, caller: &Caller, page: Page) -> AppResult<Vec<SharingCopy>> {
    caller.require(Permission::WritePerson)?;
    Ok(app.store.review_queue(&caller.scope, page).await?)
}

/// Attaches a copy to a person (both the request and the person in the caller's scope).
pub async fn assign(app: &App, caller: &Caller, id: Uuid, person_id: Uuid) -> AppResult<SharingCopy> {
    load_request(app, caller, id).await?;
    people::load(app, caller, person_id, Permission::WritePerson, "person.read").await?;
    Ok(app.store.assign_sharing_copy(&caller.actor(), id, person_id).await?)
}

/// A text in both languages.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Text {
    pub uk: String,
    pub en: String,
}

impl Text {
    pub fn of(m: &Message) -> Text {
        Text { uk: m.render(Lang::UK), en: m.render(Lang::EN) }
    }
}

/// A request as the counter sees it.
#[derive(Debug, Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub id: Uuid,
    pub status: IntakeStatus,
    pub status_text: Text,
    pub final_status: bool,
    pub error: Option<Text>,
    pub document_type: DocumentType,
    pub branch_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub delivered_at: Option<DateTime<Utc>>,
    pub document_id: Option<Uuid>,
    pub copy: Option<SharingCopy>,
}

impl RequestView {
    pub fn of(r: &SharingRequest, copy: Option<SharingCopy>) -> RequestView {
        RequestView {
            id: r.id,
            status: r.status,
            status_text: Text::of(&Message::new(r.status.label_key())),
            final_status: r.status.is_final(),
            error: requests::error_message(r).map(|m| Text::of(&m)),
            document_type: r.document_type,
            branch_id: r.branch_id.clone(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            delivered_at: r.delivered_at,
            document_id: r.document_id,
            copy,
        }
    }
}
