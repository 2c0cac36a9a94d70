//! The Telegram Bot API (`https://core.telegram.org/bots/api`): messages by
//! `sendMessage`, the webhook registered by `setWebhook` with a
//! `secret_token` Telegram sends back in `X-Telegram-Bot-Api-Secret-Token`.
//! The base URL is configuration: api.telegram.org, a self-hosted Bot API
//! server, or the contract tests' local server.
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use crate::{Channel, Failure, Outgoing, Receipt, Transport, retry_after, transient};

#[derive(Clone)]
pub struct TelegramBot {
    http: reqwest::Client,
    /// `https://api.telegram.org`, without a trailing slash.
    base: String,
    token: String,
}

impl std::fmt::Debug for TelegramBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TelegramBot({})", self.base)
    }
}

/// The Bot API's answer envelope.
#[derive(Deserialize)]
struct Answer {
    ok: bool,
    #[serde(default)]
    result: Option<serde_json::Value>,
    #[serde(default)]
    error_code: Option<u16>,
    #[serde(default)]
    description: Option<String>,
    #[serde(default)]
    parameters: Option<Parameters>,
}

#[derive(Deserialize)]
struct Parameters {
    #[serde(default)]
    retry_after: Option<i64>,
}

impl TelegramBot {
    pub fn new(http: reqwest::Client, base: &str, token: &str) -> TelegramBot {
        TelegramBot { http, base: base.trim_end_matches('/').to_owned(), token: token.to_owned() }
    }

    async fn call(&self, method: &str, body: serde_json::Value) -> Result<serde_json::Value, Failure> {
        let url = format!("{}/bot{}/{method}", self.base, self.token);
        let response = self.http.post(url).json(&body).send().await.map_err(|e| transient(e.without_url()))?;
        let status = response.status();
        let header_wait = retry_after(response.headers());
        let answer: Answer = response.json().await.map_err(|e| transient(e.without_url()))?;
        if answer.ok {
            return Ok(answer.result.unwrap_or_default());
        }
        let code = answer.error_code.unwrap_or(status.as_u16());
        let error = format!("{code} {}", answer.description.unwrap_or_default());
        Err(match code {
            429 => {
                let wait = answer.parameters.and_then(|p| p.retry_after).map(chrono::Duration::seconds);
                Failure::Transient { retry_after: wait.or(header_wait), error }
            }
            // The user blocked the bot, or the chat is gone: stop writing there.
            403 => Failure::RecipientGone { error },
            400 if error.contains("chat not found") => Failure::RecipientGone { error },
            400..=499 => Failure::Permanent { error },
            _ => Failure::Transient { retry_after: header_wait, error },
        })
    }

    /// Registers the fund's webhook with the secret Telegram echoes back.
    pub async fn set_webhook(&self, url: &str, secret_token: &str) -> Result<(), Failure> {
        self.call("setWebhook", json!({"url": url, "secret_token": secret_token, "allowed_updates": ["message"]}))
            .await
            .map(|_| ())
    }
}

#[async_trait]
impl Transport for TelegramBot {
    fn channel(&self) -> Channel {
        Channel::Telegram
    }

    async fn send(&self, m: &Outgoing) -> Result<Receipt, Failure> {
        let text = if m.subject.is_empty() { m.body.clone() } else { format!("{}\n\n{}", m.subject, m.body) };
        let result = self.call("sendMessage", json!({"chat_id": m.to, "text": text})).await?;
        Ok(format!("message_id {}", result.get("message_id").unwrap_or(&serde_json::Value::Null)))
    }
}
