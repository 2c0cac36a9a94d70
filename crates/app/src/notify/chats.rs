//! The bots' webhooks. Telegram calls with `X-Telegram-Bot-Api-Secret-Token`
//! (the secret given to `setWebhook`), Viber with `X-Viber-Content-Signature`
//! (HMAC-SHA256 of the body under the bot's token); both are checked in
//! constant time and a call that fails is refused and audited. An update
//! seen before (its `update_id` or `message_token`) is ignored, so a replay
//! changes nothing. A chat is linked only by the deep-link token made for a
//! subscription (`/start <token>` in Telegram, the `context` of Viber's
//! `conversation_started`).
use chrono::{DateTime, Utc};
use dossier_domain::Message;
use dossier_domain::notify::Channel;
use dossier_store::Actor;
use serde::Deserialize;
use serde_json::json;
use subtle::ConstantTimeEq;

use super::Purpose;
use super::subscribe::notifier;
use crate::App;
use crate::error::{AppError, AppResult};

/// The answer to a chat platform's call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    /// A chat was linked to a subscription.
    Linked,
    /// The citizen left from the chat: its subscriptions ended.
    Left,
    /// Nothing to do (an update we do not act on, a token that links nothing).
    Ignored,
    /// Seen before: ignored.
    Replayed,
}

async fn forged(app: &App, channel: Channel) -> AppError {
    let actor = Actor { label: "anonymous".into(), account_id: None };
    let subject = format!("channel:{}", channel.as_str());
    if let Err(e) = app.store.audit(&actor, "notify.forged_callback", &subject, json!({})).await {
        tracing::error!(error = %e, "audit of a forged callback");
    }
    AppError::forbidden()
}

#[derive(Deserialize)]
struct Update {
    update_id: i64,
    #[serde(default)]
    message: Option<ChatMessage>,
}

#[derive(Deserialize)]
struct ChatMessage {
    chat: Chat,
    #[serde(default)]
    text: Option<String>,
}

#[derive(Deserialize)]
struct Chat {
    id: i64,
}

pub async fn telegram_update(app: &App, secret: Option<&str>, body: &[u8], now: DateTime<Utc>) -> AppResult<Handled> {
    let n = notifier(app)?;
    let bot = n.settings.telegram.as_ref().ok_or_else(AppError::not_found)?;
    let genuine = secret.is_some_and(|s| bool::from(s.as_bytes().ct_eq(bot.secret.as_bytes())));
    if !genuine {
        return Err(forged(app, Channel::Telegram).await);
    }
    let update: Update = serde_json::from_slice(body).map_err(|_| malformed())?;
    if !app.store.first_sight_of_update(Channel::Telegram, &update.update_id.to_string(), now).await? {
        return Ok(Handled::Replayed);
    }
    let Some(message) = update.message else { return Ok(Handled::Ignored) };
    let text = message.text.unwrap_or_default();
    let chat = message.chat.id.to_string();
    if text.trim() == "/stop" {
        return leave(app, Channel::Telegram, &chat, now).await;
    }
    let Some(token) = text.strip_prefix("/start ") else { return Ok(Handled::Ignored) };
    link(app, Channel::Telegram, token.trim(), &chat, now).await
}

#[derive(Deserialize)]
struct ViberCallback {
    event: String,
    #[serde(default)]
    message_token: Option<i64>,
    #[serde(default)]
    context: Option<String>,
    #[serde(default)]
    user: Option<ViberUser>,
    /// Who unsubscribed (the `unsubscribed` event names the user only by id).
    #[serde(default)]
    user_id: Option<String>,
}

#[derive(Deserialize)]
struct ViberUser {
    id: String,
}

pub async fn viber_callback(app: &App, signature: Option<&str>, body: &[u8], now: DateTime<Utc>) -> AppResult<Handled> {
    let n = notifier(app)?;
    let bot = n.settings.viber.as_ref().ok_or_else(AppError::not_found)?;
    if !signature.is_some_and(|s| dossier_notify::viber::verify_signature(&bot.secret, body, s)) {
        return Err(forged(app, Channel::Viber).await);
    }
    let cb: ViberCallback = serde_json::from_slice(body).map_err(|_| malformed())?;
    if let Some(token) = cb.message_token
        && !app.store.first_sight_of_update(Channel::Viber, &token.to_string(), now).await?
    {
        return Ok(Handled::Replayed);
    }
    match (cb.event.as_str(), cb.context, cb.user, cb.user_id) {
        ("conversation_started", Some(context), Some(user), _) => {
            link(app, Channel::Viber, &context, &user.id, now).await
        }
        ("unsubscribed", _, _, Some(user_id)) => leave(app, Channel::Viber, &user_id, now).await,
        _ => Ok(Handled::Ignored),
    }
}

/// The citizen left from the chat: every subscription of that chat ends
/// (audited), and nothing more is sent there.
async fn leave(app: &App, channel: Channel, chat: &str, now: DateTime<Utc>) -> AppResult<Handled> {
    let actor = Actor { label: "citizen".into(), account_id: None };
    let reason = format!("left in {}", channel.as_str());
    Ok(match app.store.end_chat_subscriptions(&actor, channel, chat, &reason, now).await? {
        0 => Handled::Ignored,
        _ => Handled::Left,
    })
}

async fn link(app: &App, channel: Channel, token: &str, chat: &str, now: DateTime<Utc>) -> AppResult<Handled> {
    let n = notifier(app)?;
    let Some(id) = n.settings.link_key.verify(Purpose::Link, token, now) else { return Ok(Handled::Ignored) };
    Ok(match app.store.activate_subscription(id, channel, Some(chat), now).await? {
        Some(_) => Handled::Linked,
        None => Handled::Ignored,
    })
}

fn malformed() -> AppError {
    AppError::bad_request(Message::new("common.malformed_json").with("detail", "update"))
}
