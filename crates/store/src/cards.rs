//! The card exchange (regulation 26-1, §IV): each party's queue and the sealed messages of every
//! step.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::org::UnitPath;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::applications::CertificateRecord;
use crate::{Actor, Page, StoreResult};

/// The card exchange with the bank, the personalizer and the certification centre.
#[async_trait]
pub trait Cards: Send + Sync {
    /// Cards in a party's queue, those nearest their deadline first.
    async fn cards(&self, filter: &CardFilter, page: Page) -> StoreResult<Vec<CertificateRecord>>;
    /// One step of a card reported by a party: the stage change, the sealed
    /// message and the audit entry in one transaction; refused (nothing
    /// written) if it is not a card, not the party's step, or out of order.
    async fn card_step(
        &self,
        actor: &Actor,
        id: Uuid,
        message: &NewCardMessage,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(CertificateRecord, CardMessage)>;
    /// A card's exchange, oldest first.
    async fn card_messages(&self, id: Uuid) -> StoreResult<Vec<CardMessage>>;
}

/// Which cards a party's queue holds.
#[derive(Debug, Clone)]
pub struct CardFilter {
    /// Cards to be issued at a branch within this subtree (a bank's view);
    /// `None` for parties that serve every bank.
    pub issue_scope: Option<UnitPath>,
    /// Cards applied for within this subtree (the fund's offices); `None` for partners.
    pub owner_scope: Option<UnitPath>,
    pub stages: &'static [dossier_domain::lifecycle::Stage],
}

/// One step of a card reported by one party, as it is to be recorded.
#[derive(Debug, Clone)]
pub struct NewCardMessage {
    pub event: dossier_domain::lifecycle::Event,
    pub sender: dossier_domain::card::Party,
    /// The sender's unit (the bank, the personalizer, the centre, the fund).
    pub unit_id: i64,
    /// Canonical JSON: exactly the bytes the seal covers.
    pub payload: String,
    /// CAdES detached signature of the fund's seal over `payload`.
    pub seal: Option<Vec<u8>>,
    /// `send_to_personalizer` only: the card's last day as its sealed face prints it,
    /// recorded on the card with the validity it gives (`production::valid_until`).
    pub card_expires_on: Option<NaiveDate>,
}

/// A recorded message of the card exchange.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CardMessage {
    pub id: Uuid,
    pub certificate_id: Uuid,
    pub event: String,
    pub sender: dossier_domain::card::Party,
    pub recipient: dossier_domain::card::Party,
    pub unit_id: i64,
    pub actor: String,
    pub payload: String,
    #[serde(skip)]
    pub seal: Option<Vec<u8>>,
    pub at: DateTime<Utc>,
}
