//! The fund's use cases, apart from HTTP: one module per capability. Each use
//! case takes the [`Caller`], checks the role's permission and the subject's
//! place in the caller's organisational scope (auditing a refusal) in one place
//! — so a page and an API call that do the same thing call the same function
//! and cannot disagree — runs the domain's rules through the store, and
//! answers with its own values or an [`AppError`].
//!
//! * [`staff`] — signing in, sessions, API tokens;
//! * [`account`] — citizens signed in through an OpenID provider, and what
//!   their personal account may show (their own data and their wards');
//! * [`org`] — the org tree;
//! * [`people`] — search, registering and correcting people,
//!   representatives, the CSV import; [`pictures`] — photo, specimen
//!   signature and the documents of a dossier; [`dossier`] — all of a
//!   person's file in one read;
//! * [`record`] — the pension record: employers, their reports, reported mistakes;
//!   [`statements`] — statements on demand, signed, checked by their code;
//! * [`applications`] — form 1: filing, amending, withdrawing, the filled form;
//! * [`e_applications`] — e-applications from the personal account, signed in
//!   the wallet, decided in the offices' inbox;
//! * [`production`] — paper certificates (§§ III–V): batches, production,
//!   acts, the journal, destruction, what is late; [`documents`] renders and
//!   signs the fund's documents;
//! * [`cards`] — the card exchange (§IV) with the bank, the personalizer and
//!   the certification centre;
//! * [`certification`] — the certification centre: keys, issuance, revocation, CRLs;
//! * [`intake`] — documents shared from the citizen's wallet;
//! * [`queue`] — the electronic queue at an office: check-in, the ticket's page, the hall screen;
//! * [`tracking`] — the public status look-up; [`appointments`] — booking
//!   a visit to an office without registration; [`questions`] — asking the
//!   fund without registration; [`calculator`] — pension
//!   estimates; [`notify`] — subscriptions,
//!   the outbox's delivery worker, the bots' webhooks;
//! * [`signatures`] — checking signed documents; [`trust`] — trust anchors,
//!   the fund's seal and its time-stamping unit.
//!
//! The store is reachable only from here: the HTTP layer cannot bypass a rule.

pub mod account;
pub mod applications;
pub mod appointments;
pub mod audit_checkpoints;
pub mod calculator;
pub mod caller;
pub mod cards;
pub mod certification;
pub mod csv_upload;
pub mod digitization;
pub mod documents;
pub mod dossier;
pub mod e_applications;
pub mod error;
pub mod intake;
pub mod notify;
pub mod operations;
pub mod org;
pub mod payments;
pub mod people;
pub mod pictures;
pub mod production;
mod qr;
pub mod questions;
pub mod queue;
pub mod record;
pub mod revocation;
pub mod signatures;
pub mod staff;
pub mod statements;
pub mod tracking;
pub mod trust;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use dossier_store::blobs::BlobStore;
use dossier_store::{Store, StoreResult, Unit};

pub use caller::{Caller, Via};
pub use error::{AppError, AppResult, ErrorKind};

/// Settings of the fund's service.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// Failed logins before an account is locked.
    pub max_login_failures: i32,
    /// How long a lock-out lasts.
    pub lockout: chrono::Duration,
    /// Session lifetime.
    pub session_ttl: chrono::Duration,
    /// Largest accepted photo or specimen signature, in bytes.
    pub max_photo_bytes: usize,
    /// Card exchange: refuse a partner's report (bank, personalizer, centre) that does not carry
    /// the partner's own signature. Off by default: partners who work on the fund's pages
    /// cannot sign there; the fund seals every message either way.
    pub require_partner_signatures: bool,
    /// Working days and holidays, for the dates citizens are promised.
    pub calendar: dossier_domain::calendar::WorkingCalendar,
    /// Public status look-ups: failures allowed per client and per case
    /// number within `lookup_window` before further tries wait.
    pub lookup_failures_per_client: i64,
    pub lookup_failures_per_case: i64,
    pub lookup_window: chrono::Duration,
    /// The fund's public address (`https://…`): the status link printed as a
    /// QR code on each application's receipt. `None`: no code is printed.
    pub public_url: Option<String>,
    /// Appointments at the offices: hours, places, how far ahead.
    pub appointments: appointments::AppointmentSettings,
    /// The legal term for answering a question asked without registration.
    pub question_term: chrono::Duration,
    /// Working days for a decision on an e-application, per kind.
    pub e_application_terms: dossier_domain::e_application::Terms,
    /// Points a year in the pension record, for a jurisdiction that counts them.
    pub record_points: Option<dossier_domain::calculator::PointsScheme>,
    /// SHA-256 of the token `/metrics` asks for (`DOSSIER_METRICS_TOKEN`); `None`: not served.
    pub metrics_token_hash: Option<String>,
    /// Balancers whose `X-Forwarded-For` names the client (limits on guessable codes count
    /// per client, not per balancer).
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

impl Default for AppConfig {
    fn default() -> Self {
        AppConfig {
            max_login_failures: 5,
            lockout: chrono::Duration::minutes(15),
            session_ttl: chrono::Duration::hours(8),
            max_photo_bytes: 2 * 1024 * 1024,
            require_partner_signatures: false,
            calendar: dossier_domain::calendar::WorkingCalendar::default(),
            lookup_failures_per_client: 20,
            lookup_failures_per_case: 5,
            lookup_window: chrono::Duration::minutes(15),
            public_url: None,
            appointments: appointments::AppointmentSettings::default(),
            question_term: dossier_domain::question::ANSWER_TERM,
            e_application_terms: dossier_domain::e_application::Terms::default(),
            record_points: None,
            metrics_token_hash: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// The fund's service: its repositories, blobs, keys and caches.
pub struct App {
    store: Arc<dyn Store>,
    blobs: BlobStore,
    config: AppConfig,
    /// The certification centre, when this server holds its issuing key.
    ca: Option<Arc<certification::Ca>>,
    /// Trust anchors, CRLs, the fund's seal and its time-stamping unit.
    trust: Arc<trust::TrustServices>,
    /// OCSP responses and CRLs fetched for validations, cached by validity.
    revocation: revocation::RevocationFetcher,
    /// The intake of shared documents, when a hub is configured.
    intake: Option<Arc<intake::Intake>>,
    /// Notifications, when configured.
    notifier: Option<Arc<notify::Notifier>>,
    /// Digitization of paper, when configured.
    digitization: Option<Arc<digitization::DigitizationSettings>>,
    /// Citizens' login through an OpenID provider, when configured.
    citizen_login: Option<Arc<account::login::CitizenLogin>>,
    /// The org tree changes rarely: cached, reloaded after a change.
    units: RwLock<HashMap<i64, Unit>>,
    tokens: staff::TokenCache,
    /// Signs and checks the tokens of status links.
    status_key: tracking::StatusKey,
    /// Packages taken and pages read by this process, for `/metrics`.
    throughput: operations::Throughput,
}

impl App {
    pub async fn new(store: Arc<dyn Store>, blobs: BlobStore, config: AppConfig) -> StoreResult<App> {
        let app = App {
            store,
            status_key: tracking::StatusKey::new(&blobs),
            blobs,
            config,
            ca: None,
            trust: Arc::default(),
            revocation: revocation::RevocationFetcher::default(),
            intake: None,
            notifier: None,
            digitization: None,
            citizen_login: None,
            units: RwLock::default(),
            tokens: staff::TokenCache::default(),
            throughput: operations::Throughput::default(),
        };
        app.reload_units().await?;
        Ok(app)
    }

    /// Installs the trust services (anchors, CRLs, TSA, seal) the wiring built.
    pub fn with_trust(mut self, trust: trust::TrustServices) -> Self {
        self.trust = Arc::new(trust);
        self
    }

    /// Serves the certification centre with this CA.
    pub fn with_ca(mut self, ca: Arc<certification::Ca>) -> Self {
        self.ca = Some(ca);
        self
    }

    /// Enables document sharing (the counter, the delivery endpoint).
    pub fn with_intake(mut self, intake: Arc<intake::Intake>) -> Self {
        self.intake = Some(intake);
        self
    }

    /// Enables notifications (subscriptions, the bots' webhooks, delivery).
    pub fn with_notifier(mut self, notifier: Arc<notify::Notifier>) -> Self {
        self.notifier = Some(notifier);
        self
    }

    pub fn with_citizen_login(mut self, settings: account::login::CitizenLoginSettings) -> Self {
        self.citizen_login = Some(Arc::new(account::login::CitizenLogin::new(settings)));
        self
    }

    pub fn citizen_login(&self) -> Option<&account::login::CitizenLogin> {
        self.citizen_login.as_deref()
    }

    pub fn with_digitization(mut self, settings: digitization::DigitizationSettings) -> Self {
        self.digitization = Some(Arc::new(settings));
        self
    }

    /// What this process has taken and read since it started (`/metrics`).
    pub fn throughput(&self) -> &operations::Throughput {
        &self.throughput
    }

    pub fn digitization(&self) -> Option<&digitization::DigitizationSettings> {
        self.digitization.as_deref()
    }

    pub fn notifier(&self) -> Option<&notify::Notifier> {
        self.notifier.as_deref()
    }

    pub fn config(&self) -> &AppConfig {
        &self.config
    }

    /// The trust services (anchors, the fund's seal, its time-stamping unit).
    pub fn trust(&self) -> &trust::TrustServices {
        &self.trust
    }

    /// Re-reads the org tree (after units were added).
    pub async fn reload_units(&self) -> StoreResult<()> {
        let units = dossier_store::Org::units(self.store.as_ref()).await?;
        if let Ok(mut guard) = self.units.write() {
            *guard = units.into_iter().map(|u| (u.id, u)).collect();
        }
        Ok(())
    }

    pub fn unit(&self, id: i64) -> Option<Unit> {
        self.units.read().ok().and_then(|m| m.get(&id).cloned())
    }

    /// Every unit, in the order of the tree.
    pub fn all_units(&self) -> Vec<Unit> {
        let mut v: Vec<Unit> = self.units.read().map(|m| m.values().cloned().collect()).unwrap_or_default();
        v.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
        v
    }
}
