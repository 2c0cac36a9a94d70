//! Delivery of notifications: one [`Transport`] per channel. The outbox
//! (`dossier_store`) decides what is due and the worker (`dossier_app::notify`)
//! renders it; a transport only carries one rendered message and says how
//! the attempt ended, as a [`Failure`] the retry rules understand.
//!
//! * [`email`] — SMTP to a relay (pooled), DKIM-signed ([`dkim`]), with the
//!   one-click unsubscribe of RFC 8058;
//! * [`telegram`] and [`viber`] — the bots' HTTP APIs, at a configured base
//!   URL (Telegram's self-hosted Bot API server speaks the same protocol);
//! * [`webhook`] — Standard Webhooks for systems;
//! * [`folder`] — the demo: every message as a file, no network.
pub mod dkim;
pub mod email;
pub mod folder;
pub mod telegram;
#[cfg(feature = "testing")]
pub mod testing;
pub mod viber;
pub mod webhook;

use async_trait::async_trait;
use chrono::{DateTime, Utc};
pub use dossier_domain::notify::{Channel, Failure};

/// A rendered message on its way to one recipient.
#[derive(Debug, Clone)]
pub struct Outgoing {
    /// The idempotency key: the same for every attempt of this message
    /// (`Message-ID`, `webhook-id`), so a receiver can drop a repeat.
    pub id: String,
    /// The e-mail address, chat id, Viber user id or webhook URL.
    pub to: String,
    /// A webhook's signing secret.
    pub secret: Option<String>,
    pub subject: String,
    pub body: String,
    pub lang: String,
    /// The one-click unsubscribe URL (e-mail).
    pub unsubscribe_url: Option<String>,
    /// The event as data, for systems (the webhook's JSON body).
    pub event: serde_json::Value,
    /// When the message was first written.
    pub created_at: DateTime<Utc>,
}

/// What a provider answered to a delivered message: its id or reply line.
pub type Receipt = String;

#[async_trait]
pub trait Transport: Send + Sync {
    fn channel(&self) -> Channel;
    /// Carries one message. A transport never retries itself: the outbox does.
    async fn send(&self, message: &Outgoing) -> Result<Receipt, Failure>;
}

/// The `Retry-After` of an HTTP answer in seconds, if it has one.
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<chrono::Duration> {
    let secs: i64 = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim().parse().ok()?;
    Some(chrono::Duration::seconds(secs.clamp(0, 86_400)))
}

/// A network error as a failure: worth another try later.
pub(crate) fn transient(e: impl std::fmt::Display) -> Failure {
    Failure::Transient { retry_after: None, error: e.to_string() }
}

/// A shared HTTP client for the bot and webhook transports: short timeouts
/// (a slow endpoint must not hold a worker), no redirects (a webhook URL is
/// what staff registered, not where it points next).
pub fn http_client() -> reqwest::Client {
    reqwest::Client::builder()
        .connect_timeout(std::time::Duration::from_secs(5))
        .timeout(std::time::Duration::from_secs(15))
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(32)
        .build()
        .unwrap_or_default()
}
