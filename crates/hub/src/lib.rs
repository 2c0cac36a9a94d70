//! The citizens' wallet hub (`dossier hub`): the national wallet's back end
//! as Dossier plays it (SPEC §2.1), a system of its own that shares no state
//! with the fund. It holds the documents a registry issued to citizens, issues
//! 13-digit sharing codes, serves the acquirer API to funds, asks the
//! citizen's consent in the wallet and delivers the signed, encrypted copy.
//!
//! * [`store`] — its database (`migrations/`): citizens and their documents,
//!   acquirers, branches, codes, requests, the delivery outbox, its audit chain;
//! * [`wallet`] — the wallet's service: sign-in, codes, requests, consent;
//! * [`documents`] — a document's fields as the wallet shows and the copy prints them;
//! * [`delivery`] — forming the copy after consent and the delivery worker;
//! * [`barcode`] — EAN-13 and QR pictures of a code;
//! * [`login`] — the hub as the citizens' OpenID provider for funds;
//! * [`signature`] — a fund asks a citizen to sign a text with their key in the wallet;
//! * [`http`] — the acquirer API, the wallet's JSON API and its pages
//!   (`templates/`, `static/`).
//!
//! What crosses to the fund is `dossier_sharing`: the wire types, the sealed
//! package and the refusal codes. The hub's own texts (pages, its API's
//! refusals, the labels printed on a copy) are `locales/<lang>.ftl`.
pub mod barcode;
pub mod delivery;
pub mod documents;
pub mod http;
pub mod login;
pub mod signature;
pub mod store;
pub mod wallet;

use std::sync::Arc;
use std::time::Duration;

use crate::store::HubStore;
use axum::Router;
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::validation::TrustContext;
use serde::Serialize;
use tokio::sync::{Notify, broadcast};
use uuid::Uuid;
use x509_cert::Certificate;

/// Settings of one hub process.
#[derive(Debug, Clone)]
pub struct HubConfig {
    /// Base URL the wallet and deeplinks are reached at, e.g. `http://127.0.0.1:8090`.
    pub public_url: String,
    pub session_ttl: chrono::Duration,
    /// Refused codes a branch may present within `refusal_window` before it gets 429.
    pub max_refusals: usize,
    pub refusal_window: Duration,
    /// How often the worker looks for due deliveries and expired requests
    /// when nothing wakes it.
    pub worker_interval: Duration,
    /// How long one delivery attempt may take.
    pub delivery_timeout: Duration,
}

impl Default for HubConfig {
    fn default() -> Self {
        HubConfig {
            public_url: "http://127.0.0.1:8090".into(),
            session_ttl: chrono::Duration::hours(1),
            max_refusals: 10,
            refusal_window: Duration::from_secs(600),
            worker_interval: Duration::from_secs(2),
            delivery_timeout: Duration::from_secs(30),
        }
    }
}

/// The hub's keys: its document-signing key (PAdES and CMS over the copy)
/// and the trust it checks citizens' consent signatures against.
pub struct HubKeys {
    pub signing_key: SoftwareKey,
    pub signing_certificate: Certificate,
    /// CA certificates shipped with every signature (the issuing CA).
    pub chain: Vec<Certificate>,
    /// Dossier's CA root: consent signatures must chain to it.
    pub trust: TrustContext,
    /// Signs the ID tokens of citizens' logins (a key of its own: it is
    /// published as a bare JWK and rotates apart from the certified key).
    pub login: login::LiveLoginKeys,
}

/// What the wallet is told live (Server-Sent Events): no personal data, only
/// which citizen's wallet should look and what to show.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletEvent {
    #[serde(skip)]
    pub citizen_id: Uuid,
    pub request: Uuid,
    pub acquirer: String,
    pub branch: String,
    pub document_type: String,
    pub document: String,
    pub status: String,
}

#[derive(Clone)]
pub struct HubState {
    pub store: Arc<dyn HubStore>,
    pub config: Arc<HubConfig>,
    pub keys: Arc<HubKeys>,
    pub events: broadcast::Sender<WalletEvent>,
    pub refusal_limit: http::acquirer::RefusalLimit,
    /// Wakes the delivery worker after an approval.
    pub wake: Arc<Notify>,
    pub http: reqwest::Client,
}

/// The hub's part of the message catalogue (`locales/<lang>.ftl`).
pub static TEXTS: dossier_i18n::Part = dossier_i18n::part!("wallet hub");

impl HubState {
    pub fn new(store: Arc<dyn HubStore>, config: HubConfig, keys: HubKeys) -> HubState {
        // Everything the hub says goes through its texts, from the pages to the copy's labels.
        dossier_i18n::register(&TEXTS);
        let (events, _) = broadcast::channel(1024);
        let http = reqwest::Client::builder().timeout(config.delivery_timeout).build().unwrap_or_default();
        let refusal_limit = http::acquirer::RefusalLimit { max: config.max_refusals, window: config.refusal_window };
        HubState {
            store,
            config: Arc::new(config),
            keys: Arc::new(keys),
            events,
            refusal_limit,
            wake: Arc::new(Notify::new()),
            http,
        }
    }

    fn notify(&self, e: WalletEvent) {
        // Nobody listening is fine: the wallet lists requests on its next view.
        let _ = self.events.send(e);
    }
}

/// The hub's router: the acquirer API, the wallet pages and its JSON API.
pub fn router(state: HubState) -> Router {
    http::router(state)
}

/// Starts the background work (delivery, consent expiry, code purge); runs
/// until the runtime stops.
pub fn spawn_workers(state: HubState) -> tokio::task::JoinHandle<()> {
    tokio::spawn(delivery::worker(state))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_text_is_in_every_language_with_the_same_placeholders() {
        assert_eq!(super::TEXTS.check(), Ok(()));
    }

    /// Every `"wallet.…"` key the templates and the code name is in the hub's texts.
    #[test]
    fn every_wallet_key_used_is_in_the_catalogue() {
        let sources: &[&str] = &[
            include_str!("../templates/base.html"),
            include_str!("../templates/code.html"),
            include_str!("../templates/home.html"),
            include_str!("../templates/login.html"),
            include_str!("../templates/requests.html"),
            include_str!("wallet.rs"),
            include_str!("documents.rs"),
            include_str!("delivery.rs"),
            include_str!("http/acquirer.rs"),
            include_str!("http/pages.rs"),
            include_str!("http/session.rs"),
            include_str!("http/wallet_api.rs"),
            include_str!("http/login.rs"),
            include_str!("../templates/consent.html"),
            include_str!("../templates/sign.html"),
            include_str!("signature.rs"),
            include_str!("http/sign.rs"),
        ];
        dossier_i18n::register(&super::TEXTS);
        let mut missing = vec![];
        for src in sources {
            for (i, _) in src.match_indices("\"wallet.") {
                let key = src[i + 1..].split('"').next().unwrap_or("");
                let plain = key.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_');
                if plain && !key.ends_with('.') && !dossier_i18n::has(key) {
                    missing.push(key.to_owned());
                }
            }
        }
        assert!(missing.is_empty(), "missing catalogue keys: {missing:?}");
    }
}
