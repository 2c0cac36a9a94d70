//! Subscriptions and the transactional outbox (issue 19). A subscription is
//! a person's consent to be told about one case or all of theirs on one
//! channel (or a system's webhook, told of every case); a message is written
//! to the outbox in the same transaction as the event that causes it — a
//! stage change writes its messages itself (`sql/steps.rs`) — and workers
//! claim due messages, deliver them and settle each with its outcome.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::notify::{Channel, Topic};
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, Page, StoreResult};

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubscriptionStatus {
    /// Awaits the double opt-in or the chat's link.
    Pending,
    Active,
    /// Unsubscribed, blocked, bounced, or ended by staff.
    Ended,
}

impl SubscriptionStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriptionStatus::Pending => "pending",
            SubscriptionStatus::Active => "active",
            SubscriptionStatus::Ended => "ended",
        }
    }

    pub fn parse(s: &str) -> Option<SubscriptionStatus> {
        [SubscriptionStatus::Pending, SubscriptionStatus::Active, SubscriptionStatus::Ended]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone)]
pub struct NewSubscription {
    /// `None` (and no `request_id`): a system's webhook, told of every case.
    pub person_id: Option<Uuid>,
    /// `None`: every case of the person.
    pub certificate_id: Option<Uuid>,
    /// A document shared from the citizen's wallet: told of that request
    /// only (with no person: the copy may not be matched to anyone yet).
    pub request_id: Option<Uuid>,
    pub channel: Channel,
    /// The e-mail address or the webhook URL; a chat's id comes with its link.
    pub address: Option<String>,
    /// A webhook's signing secret.
    pub secret: Option<String>,
    /// The language messages are written in (`uk`, `en`, …).
    pub lang: String,
    /// Active at once (a webhook staff registered); otherwise pending until
    /// the opt-in or the link, which must come before `link_expires_at`.
    pub active: bool,
    pub link_expires_at: Option<DateTime<Utc>>,
    /// Made from the public status page: refused (`StoreError::Limited`)
    /// while `notify::PENDING_PER_CASE` unconfirmed ones wait on the case —
    /// counted and inserted in one transaction, so parallel calls cannot
    /// slip past the limit together.
    pub limit_pending: bool,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct SubscriptionRecord {
    pub id: i64,
    pub person_id: Option<Uuid>,
    pub certificate_id: Option<Uuid>,
    /// A document request followed from its status page.
    pub request_id: Option<Uuid>,
    #[schemars(with = "String")]
    #[serde(serialize_with = "channel_name")]
    pub channel: Channel,
    pub address: Option<String>,
    #[serde(skip)]
    pub secret: Option<String>,
    pub lang: String,
    pub status: SubscriptionStatus,
    pub link_expires_at: Option<DateTime<Utc>>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub active_at: Option<DateTime<Utc>>,
    pub ended_at: Option<DateTime<Utc>>,
    pub ended_reason: Option<String>,
}

fn channel_name<S: serde::Serializer>(c: &Channel, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(c.as_str())
}

fn topic_name<S: serde::Serializer>(t: &Topic, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(t.as_str())
}

/// Where a message stands in the outbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeliveryStatus {
    /// Waiting for its time (first try or a retry).
    Pending,
    Sent,
    /// Given up after its attempts; staff may retry it.
    Dead,
}

impl DeliveryStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Sent => "sent",
            DeliveryStatus::Dead => "dead",
        }
    }

    pub fn parse(s: &str) -> Option<DeliveryStatus> {
        [DeliveryStatus::Pending, DeliveryStatus::Sent, DeliveryStatus::Dead].into_iter().find(|x| x.as_str() == s)
    }
}

/// A message in the outbox. Its `id` is its idempotency key: every attempt
/// carries it (`Message-ID`, `webhook-id`), so a receiver that saw it before
/// can tell a repeat.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct Notification {
    pub id: i64,
    pub subscription_id: i64,
    pub person_id: Option<Uuid>,
    #[schemars(with = "String")]
    #[serde(serialize_with = "channel_name")]
    pub channel: Channel,
    /// The case: an application number.
    pub case_ref: String,
    #[schemars(with = "String")]
    #[serde(serialize_with = "topic_name")]
    pub topic: Topic,
    pub occurred_at: DateTime<Utc>,
    /// The office the message names (where to collect).
    pub unit_id: Option<i64>,
    /// What the message is rendered with besides the case (e.g. `ready_by`).
    pub payload: serde_json::Value,
    pub status: DeliveryStatus,
    pub attempts: i64,
    pub next_attempt_at: DateTime<Utc>,
    pub last_error: Option<String>,
    /// The provider's answer to the delivering attempt (SMTP reply, message id).
    pub receipt: Option<String>,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
}

/// A message claimed for delivery, with where it goes.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub notification: Notification,
    pub address: String,
    pub secret: Option<String>,
    pub lang: String,
}

/// One attempt and its answer: a delivery receipt.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DeliveryAttempt {
    pub at: DateTime<Utc>,
    pub outcome: String,
    pub detail: Option<String>,
}

/// How an attempt ended.
#[derive(Debug, Clone)]
pub enum Settlement {
    Sent {
        receipt: String,
    },
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    Dead {
        error: String,
    },
    /// Dead, and the subscription ends (a blocked bot, a hard bounce).
    EndSubscription {
        error: String,
    },
    /// Not tried now (quiet hours, a rate limit): back at `at`, no attempt counted.
    Defer {
        at: DateTime<Utc>,
    },
}

/// An event to tell a person's subscribers (and systems' webhooks) of, for
/// events that are not a certificate's stage change (a shared copy arrived,
/// validity ending, a missed deadline).
#[derive(Debug, Clone)]
pub struct PersonEvent {
    pub person_id: Uuid,
    pub certificate_id: Option<Uuid>,
    pub case_ref: String,
    pub topic: Topic,
    pub occurred_at: DateTime<Utc>,
    pub unit_id: Option<i64>,
    pub payload: serde_json::Value,
}

/// Messages per channel and status in one hour: the outbox page.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct OutboxCount {
    #[schemars(with = "String")]
    #[serde(serialize_with = "channel_name")]
    pub channel: Channel,
    pub status: DeliveryStatus,
    /// A retry pending after a failure (rather than a first try).
    pub retrying: bool,
    pub hour: DateTime<Utc>,
    pub count: i64,
}

/// The three kinds of subscriber a subscription belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subscribers {
    /// A person's own, told of their cases.
    Person(Uuid),
    /// Followers of a shared-document request (from its status link); they have no person.
    Request(Uuid),
    /// Systems' webhooks, told of every case.
    Systems,
}

#[async_trait]
pub trait Notifications: Send + Sync {
    /// Records a subscription; a pending e-mail subscription gets its
    /// opt-in message (`confirm` is what it is rendered with) in the same
    /// transaction.
    async fn subscribe(
        &self,
        actor: &Actor,
        new: &NewSubscription,
        confirm: Option<serde_json::Value>,
        now: DateTime<Utc>,
    ) -> StoreResult<SubscriptionRecord>;

    async fn subscription(&self, id: i64) -> StoreResult<Option<SubscriptionRecord>>;

    /// Activates a pending subscription of `channel` whose link has not
    /// expired — once: an active or ended one is not touched — setting its
    /// address when the link brings one (a chat id). A chat gets its first
    /// message in the same transaction.
    async fn activate_subscription(
        &self,
        id: i64,
        channel: Channel,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SubscriptionRecord>>;

    /// Ends a subscription (unsubscribed, blocked, by staff); `None` when it
    /// was already ended or does not exist.
    async fn end_subscription(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SubscriptionRecord>>;

    /// Ends every live subscription of one chat (`channel`, `address`): the
    /// citizen left from the chat itself (Telegram `/stop`, Viber's
    /// `unsubscribed`); each ending audited. How many.
    async fn end_chat_subscriptions(
        &self,
        actor: &Actor,
        channel: Channel,
        address: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<u64>;

    /// Whose subscriptions: a person's, a shared-document request's
    /// followers', or the systems' webhooks; newest first.
    async fn subscriptions_of(&self, whose: Subscribers) -> StoreResult<Vec<SubscriptionRecord>>;

    /// Writes the messages an event causes, one per active subscription that
    /// covers it; a repeat of the same event writes nothing. Returns how many.
    async fn notify_person(&self, event: &PersonEvent, now: DateTime<Utc>) -> StoreResult<u64>;

    /// Writes the messages of what time alone causes, for subscribed people
    /// only: a missed deadline (once per deadline), validity ending by
    /// `horizon` (once per end date), and an appointment's reminder once its
    /// time has come (once per slot booked). Running it again writes nothing new.
    async fn notify_due(&self, now: DateTime<Utc>, horizon: chrono::NaiveDate) -> StoreResult<u64>;

    /// Claims up to `limit` due messages of `channels` for `lease`: no other
    /// worker gets them until the lease ends (`FOR UPDATE SKIP LOCKED` on
    /// PostgreSQL, so workers never wait for each other). A message whose
    /// worker died comes back when its lease ends.
    async fn claim_notifications(
        &self,
        channels: &[Channel],
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<Claimed>>;

    /// Records an attempt's outcome (and its receipt).
    async fn settle_notification(&self, id: i64, settlement: &Settlement, now: DateTime<Utc>) -> StoreResult<()> {
        self.settle_notifications(&[(id, settlement.clone())], now).await
    }

    /// Records several outcomes in one transaction (the workers' group commit).
    async fn settle_notifications(&self, items: &[(i64, Settlement)], now: DateTime<Utc>) -> StoreResult<()>;

    async fn notification(&self, id: i64) -> StoreResult<Option<(Notification, Vec<DeliveryAttempt>)>>;

    /// A person's messages, newest first.
    async fn notifications_of(&self, person_id: Uuid, limit: i64) -> StoreResult<Vec<Notification>>;

    /// Messages in `status`, newest first (the outbox page's lists).
    async fn notifications_in(&self, status: DeliveryStatus, page: Page) -> StoreResult<Vec<Notification>>;

    /// Counts per channel, status and hour since `since`.
    async fn outbox_counts(&self, since: DateTime<Utc>) -> StoreResult<Vec<OutboxCount>>;

    /// Puts a dead message back in the queue with fresh attempts.
    async fn retry_notification(&self, actor: &Actor, id: i64, now: DateTime<Utc>)
    -> StoreResult<Option<Notification>>;

    /// Records a bot platform's update id; `false` when it was seen before (a replay).
    async fn first_sight_of_update(&self, channel: Channel, update_id: &str, now: DateTime<Utc>) -> StoreResult<bool>;
}
