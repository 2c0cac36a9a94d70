//! Notifications (issue 19): citizens subscribe with consent — by e-mail
//! (double opt-in), Telegram or Viber (a deep link made for them) — and
//! systems register webhooks; every stage change writes its messages to the
//! outbox in its own transaction (`dossier_store`), and the [`worker`]
//! delivers them through the channels' transports (`dossier_notify`),
//! retrying with back-off, honouring rate limits and quiet hours, until each
//! is sent or dead.
//!
//! * [`subscribe`] — subscribing from the status page or at the counter,
//!   confirming, leaving; systems' webhooks;
//! * [`chats`] — the bots' webhooks: a chat is linked only by the token made
//!   for its subscription;
//! * [`outbox`] — what staff see: the outbox, a person's messages, retrying
//!   the dead, template previews;
//! * [`links`] — the tokens in links; [`templates`] — the messages' words.
pub mod chats;
pub mod links;
pub mod outbox;
pub mod subscribe;
pub mod templates;
pub mod worker;

use std::collections::HashMap;
use std::sync::Arc;

use chrono::Duration;
use dossier_domain::notify::{Channel, QuietHours, RetryPolicy};
use dossier_notify::Transport;

pub use links::{LinkKey, Purpose};
pub use templates::Templates;

/// A chat bot's settings besides its transport.
#[derive(Debug, Clone)]
pub struct BotSettings {
    /// Telegram: the bot's username (`t.me/<bot>`). Viber: the bot's chat URI.
    pub name: String,
    /// Telegram: the `secret_token` its webhook calls carry. Viber: the
    /// auth token its callbacks are signed with.
    pub secret: String,
    /// Messages per second across all chats (0: no limit).
    pub rate: f64,
    /// Messages one chat may get: per second (Telegram), per hour (Viber).
    pub per_chat: f64,
}

/// How notifications are sent.
pub struct NotifySettings {
    /// The fund's public address, for the links in messages (`https://…`, no trailing slash).
    pub public_url: String,
    pub link_key: LinkKey,
    pub templates: Templates,
    pub retry: RetryPolicy,
    /// `None`: messages go out at any hour.
    pub quiet_hours: Option<QuietHours>,
    /// How long a worker holds claimed messages before another may take them.
    pub lease: Duration,
    /// Messages claimed at once, and sent at once by one worker.
    pub batch: i64,
    pub concurrency: usize,
    /// How long an opt-in or deep link works.
    pub link_ttl: Duration,
    /// E-mails per second (0: no limit).
    pub email_rate: f64,
    pub telegram: Option<BotSettings>,
    pub viber: Option<BotSettings>,
}

impl NotifySettings {
    /// Defaults for `public_url` with `link_key` and `templates`: the
    /// default retry policy, quiet hours 21:00–08:00 Kyiv time.
    pub fn new(public_url: &str, link_key: LinkKey, templates: Templates) -> NotifySettings {
        NotifySettings {
            public_url: public_url.trim_end_matches('/').to_owned(),
            link_key,
            templates,
            retry: RetryPolicy::default(),
            quiet_hours: Some(QuietHours::default()),
            lease: Duration::seconds(120),
            batch: 64,
            concurrency: 32,
            link_ttl: Duration::hours(48),
            email_rate: 0.0,
            telegram: None,
            viber: None,
        }
    }
}

/// The notification service: settings and one transport per configured channel.
pub struct Notifier {
    pub settings: NotifySettings,
    transports: HashMap<Channel, Arc<dyn Transport>>,
}

impl Notifier {
    pub fn new(settings: NotifySettings) -> Notifier {
        Notifier { settings, transports: HashMap::new() }
    }

    pub fn with_transport(mut self, t: Arc<dyn Transport>) -> Notifier {
        self.transports.insert(t.channel(), t);
        self
    }

    pub fn transport(&self, c: Channel) -> Option<&Arc<dyn Transport>> {
        self.transports.get(&c)
    }

    /// The channels this server can deliver to, in a stable order.
    pub fn channels(&self) -> Vec<Channel> {
        Channel::ALL.into_iter().filter(|c| self.transports.contains_key(c)).collect()
    }
}
