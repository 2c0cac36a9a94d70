//! The fund's intake of shared documents (SPEC §2.1, issue 4 part 3):
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

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use dossier_crypto::KeyPair;
use x509_cert::Certificate;
use x509_cert::der::Encode;

pub use dossier_sharing::{AcquirerClient, HubError};

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
        let hub_fingerprint = hex::encode(dossier_crypto::digest::sha256(&der));
        Ok(Intake { config, hub, keys, events: events::Events::default(), hub_fingerprint })
    }

    pub fn key_of(&self, unit_id: i64) -> Option<&BranchKey> {
        self.keys.get(&unit_id)
    }
}
