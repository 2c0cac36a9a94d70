//! Subscribing and leaving. A citizen subscribes from the status page (after
//! giving the case number and date of birth, under the look-up's limits) or
//! at the counter (staff record the choice on the application page). An
//! e-mail address is used only after its owner confirms it (double opt-in);
//! a chat is linked only by the deep-link token made for this subscription,
//! once, before it expires. Every message carries a link to leave.
use chrono::{DateTime, Utc};
use dossier_domain::Lang;
use dossier_domain::notify::{Channel, email_address};
use dossier_domain::org::Permission;
use dossier_domain::tracking::Milestone;
use dossier_store::{Actor, NewSubscription, SubscriptionRecord, SubscriptionStatus, TrackedCertificate};
use serde_json::json;
use uuid::Uuid;

use super::{Notifier, Purpose};
use crate::error::{AppError, AppResult, ErrorKind};
use crate::tracking::{FoundCase, StatusQuery, find, find_by_token};
use crate::{App, Caller};

/// What a citizen asks for.
#[derive(Debug, Clone)]
pub struct Request {
    pub channel: Channel,
    /// The e-mail address (e-mail only).
    pub address: Option<String>,
    pub lang: Lang,
}

/// A subscription made, and what the citizen does next.
#[derive(Debug, Clone)]
pub struct Subscribed {
    pub id: i64,
    pub channel: Channel,
    pub status: SubscriptionStatus,
    /// Telegram or Viber: open this link to link the chat.
    pub deep_link: Option<String>,
    /// Until when the confirmation or the deep link works.
    pub expires_at: Option<DateTime<Utc>>,
}

/// The citizen as the audit names them: no name, no address.
fn citizen() -> Actor {
    Actor { label: "citizen".into(), account_id: None }
}

pub(crate) fn notifier(app: &App) -> AppResult<&Notifier> {
    app.notifier.as_deref().ok_or_else(|| AppError::new(ErrorKind::Unavailable, "unavailable", "notify.unavailable"))
}

/// How the citizen names the case on the status page.
#[derive(Debug, Clone)]
pub enum CaseKey {
    /// A certificate's number and its holder's date of birth.
    Facts(StatusQuery),
    /// The token of the case's status link (a receipt's or the counter's QR code).
    Token(String),
}

/// What a subscription follows.
#[derive(Debug, Clone, Copy)]
enum Followed {
    /// One certificate of a person.
    Certificate { person: Uuid, id: Uuid },
    /// A document request made at the counter (its copy may not be matched to anyone yet).
    Request(Uuid),
}

/// From the status page: the two facts or the status link's token find the
/// case (failures count against the look-up's limits), then the
/// subscription is made for it — at most `PENDING_PER_CASE` unconfirmed at
/// a time, so a stranger who learned the facts cannot flood a case.
pub async fn from_status_page(
    app: &App,
    client: &str,
    key: &CaseKey,
    req: &Request,
    now: DateTime<Utc>,
) -> AppResult<Subscribed> {
    let n = notifier(app)?;
    check_channel(n, req)?;
    let certificate =
        |t: TrackedCertificate| Followed::Certificate { person: t.certificate.person_id, id: t.certificate.id };
    let followed = match key {
        CaseKey::Facts(q) => certificate(find(app, client, q, now).await?),
        CaseKey::Token(token) => match find_by_token(app, client, token, now).await? {
            FoundCase::Certificate(t) => certificate(t),
            // A request that has ended will say nothing more.
            FoundCase::Request(r) if Milestone::of_request(r.status).is_done() => {
                return Err(AppError::conflict("notify.case_ended"));
            }
            FoundCase::Request(r) => Followed::Request(r.id),
            // An e-application tells its decision to the account, the person's
            // subscriptions and the address given when filing.
            FoundCase::EApplication(_) => return Err(AppError::conflict("notify.e_application")),
        },
    };
    create(app, &citizen(), followed, req, true, now).await
}

/// At the counter: staff record the citizen's choice for an application in
/// their scope.
pub async fn at_counter(
    app: &App,
    caller: &Caller,
    certificate_id: Uuid,
    req: &Request,
    now: DateTime<Utc>,
) -> AppResult<Subscribed> {
    let n = notifier(app)?;
    let cert = app.store.certificate(certificate_id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{}", cert.person_id);
    app.authorize(caller, Permission::WriteApplication, &cert.unit_path, &subject).await?;
    check_channel(n, req)?;
    create(app, &caller.actor(), Followed::Certificate { person: cert.person_id, id: cert.id }, req, false, now).await
}

fn check_channel(n: &Notifier, req: &Request) -> AppResult<()> {
    if req.channel == Channel::Webhook || n.transport(req.channel).is_none() {
        return Err(AppError::field("channel", "notify.channel_unavailable"));
    }
    Ok(())
}

async fn create(
    app: &App,
    actor: &Actor,
    followed: Followed,
    req: &Request,
    limit_pending: bool,
    now: DateTime<Utc>,
) -> AppResult<Subscribed> {
    let n = notifier(app)?;
    let s = &n.settings;
    let address = match req.channel {
        Channel::Email => {
            let typed = req.address.as_deref().unwrap_or_default();
            Some(email_address(typed).ok_or_else(|| AppError::field("address", "notify.email_format"))?)
        }
        _ => None,
    };
    let expires = now + s.link_ttl;
    let (person_id, certificate_id, request_id) = match followed {
        Followed::Certificate { person, id } => (Some(person), Some(id), None),
        Followed::Request(id) => (None, None, Some(id)),
    };
    let new = NewSubscription {
        person_id,
        certificate_id,
        request_id,
        channel: req.channel,
        address,
        secret: None,
        lang: req.lang.code().to_owned(),
        active: false,
        link_expires_at: Some(expires),
        limit_pending,
    };
    let confirm = (req.channel == Channel::Email).then(|| json!({"expires": expires}));
    let sub = app.store.subscribe(actor, &new, confirm, now).await?;
    let token = s.link_key.token(Purpose::Link, sub.id, Some(expires));
    let deep_link = match (req.channel, &s.telegram, &s.viber) {
        (Channel::Telegram, Some(bot), _) => Some(format!("https://t.me/{}?start={token}", bot.name)),
        (Channel::Viber, _, Some(bot)) => Some(format!("viber://pa?chatURI={}&context={token}", bot.name)),
        _ => None,
    };
    Ok(Subscribed { id: sub.id, channel: sub.channel, status: sub.status, deep_link, expires_at: Some(expires) })
}

/// The e-mail opt-in: the link in the confirmation message. An unknown,
/// forged, expired or already used link all get the same refusal.
pub async fn confirm(app: &App, token: &str, now: DateTime<Utc>) -> AppResult<SubscriptionRecord> {
    let n = notifier(app)?;
    let id = n.settings.link_key.verify(Purpose::Confirm, token, now).ok_or_else(link_invalid)?;
    app.store.activate_subscription(id, Channel::Email, None, now).await?.ok_or_else(link_invalid)
}

/// One-click unsubscribe (RFC 8058) and the link in every message. Leaving
/// twice is not an error: the second click finds nothing left to end.
pub async fn unsubscribe(app: &App, token: &str, now: DateTime<Utc>) -> AppResult<()> {
    let n = notifier(app)?;
    let id = n.settings.link_key.verify(Purpose::Unsubscribe, token, now).ok_or_else(link_invalid)?;
    app.store.end_subscription(&citizen(), id, "unsubscribed", now).await?;
    Ok(())
}

pub(crate) fn link_invalid() -> AppError {
    AppError::new(ErrorKind::NotFound, "link_invalid", "notify.link_invalid")
}

/// A system's webhook, told of every case: the secret is shown once.
pub async fn register_webhook(
    app: &App,
    caller: &Caller,
    url: &str,
    now: DateTime<Utc>,
) -> AppResult<(SubscriptionRecord, String)> {
    caller.require(Permission::ManageNotifications)?;
    let n = notifier(app)?;
    if n.transport(Channel::Webhook).is_none() {
        return Err(AppError::field("channel", "notify.channel_unavailable"));
    }
    let url = url.trim();
    let parsed = reqwest::Url::parse(url).map_err(|_| AppError::field("url", "notify.webhook_url"))?;
    if !matches!(parsed.scheme(), "https" | "http") || parsed.host_str().is_none() || url.len() > 2000 {
        return Err(AppError::field("url", "notify.webhook_url"));
    }
    let secret = dossier_notify::webhook::new_secret();
    let new = NewSubscription {
        person_id: None,
        certificate_id: None,
        channel: Channel::Webhook,
        address: Some(url.to_owned()),
        secret: Some(secret.clone()),
        lang: Lang::UK.code().to_owned(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
        request_id: None,
    };
    let sub = app.store.subscribe(&caller.actor(), &new, None, now).await?;
    Ok((sub, secret))
}

/// Staff end a subscription (a citizen asked at the counter, a system left).
pub async fn end(app: &App, caller: &Caller, id: i64, now: DateTime<Utc>) -> AppResult<SubscriptionRecord> {
    let sub = app.store.subscription(id).await?.ok_or_else(AppError::not_found)?;
    // Whoever may act on the case may end its subscription: a person's by
    // their office, a request's follower by the request's, a system's by an administrator.
    match (sub.person_id, sub.request_id) {
        (Some(person), _) => {
            let record = crate::people::get(app, caller, person).await?;
            let subject = format!("person:{person}");
            app.authorize(caller, Permission::WriteApplication, &record.unit_path, &subject).await?;
        }
        (None, Some(request)) => {
            crate::intake::load_request(app, caller, request).await?;
        }
        (None, None) => caller.require(Permission::ManageNotifications)?,
    }
    app.store.end_subscription(&caller.actor(), id, "ended by staff", now).await?.ok_or_else(AppError::not_found)
}
