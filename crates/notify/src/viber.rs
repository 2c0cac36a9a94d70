//! The Viber REST bot API (`https://developers.viber.com/docs/api/rest-bot-api/`):
//! `send_message` with the `X-Viber-Auth-Token` header; callbacks carry
//! `X-Viber-Content-Signature`, the HMAC-SHA256 of the body under the token.
//! Viber answers HTTP 200 with a `status` code in the body.
use async_trait::async_trait;
use serde::Deserialize;
use serde_json::json;

use crate::{Channel, Failure, Outgoing, Receipt, Transport, transient};

#[derive(Clone)]
pub struct ViberBot {
    http: reqwest::Client,
    /// `https://chatapi.viber.com/pa`, without a trailing slash.
    base: String,
    token: String,
    /// The sender's name shown with each message.
    sender: String,
}

impl std::fmt::Debug for ViberBot {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ViberBot({})", self.base)
    }
}

#[derive(Deserialize)]
struct Answer {
    status: i64,
    #[serde(default)]
    status_message: Option<String>,
    #[serde(default)]
    message_token: Option<serde_json::Value>,
}

impl ViberBot {
    pub fn new(http: reqwest::Client, base: &str, token: &str, sender: &str) -> ViberBot {
        ViberBot {
            http,
            base: base.trim_end_matches('/').to_owned(),
            token: token.to_owned(),
            sender: sender.to_owned(),
        }
    }

    async fn call(&self, method: &str, body: serde_json::Value) -> Result<Answer, Failure> {
        let response = self
            .http
            .post(format!("{}/{method}", self.base))
            .header("X-Viber-Auth-Token", &self.token)
            .json(&body)
            .send()
            .await
            .map_err(|e| transient(e.without_url()))?;
        if !response.status().is_success() {
            return Err(Failure::Transient {
                retry_after: crate::retry_after(response.headers()),
                error: response.status().to_string(),
            });
        }
        let answer: Answer = response.json().await.map_err(|e| transient(e.without_url()))?;
        if answer.status == 0 {
            return Ok(answer);
        }
        let error = format!("{} {}", answer.status, answer.status_message.unwrap_or_default());
        Err(match answer.status {
            // receiverNotRegistered, notSubscribed: the user left.
            5 | 6 => Failure::RecipientGone { error },
            // tooManyRequests; the bot's account suspended or its webhook not set: later.
            9 | 10 | 12 => Failure::Transient { retry_after: None, error },
            _ => Failure::Permanent { error },
        })
    }

    /// Registers the fund's webhook for the events it handles.
    pub async fn set_webhook(&self, url: &str) -> Result<(), Failure> {
        self.call(
            "set_webhook",
            json!({"url": url, "event_types": ["subscribed", "unsubscribed", "conversation_started"], "send_name": false, "send_photo": false}),
        )
        .await
        .map(|_| ())
    }
}

/// Whether `signature` (hex) is the HMAC-SHA256 of `body` under the bot's
/// token, compared in constant time.
pub fn verify_signature(token: &str, body: &[u8], signature: &str) -> bool {
    let Ok(tag) = base16ct::mixed::decode_vec(signature.trim()) else { return false };
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, token.as_bytes());
    ring::hmac::verify(&key, body, &tag).is_ok()
}

/// The signature Viber puts on a callback body (for the contract server and tests).
pub fn sign(token: &str, body: &[u8]) -> String {
    let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, token.as_bytes());
    base16ct::lower::encode_string(ring::hmac::sign(&key, body).as_ref())
}

#[async_trait]
impl Transport for ViberBot {
    fn channel(&self) -> Channel {
        Channel::Viber
    }

    async fn send(&self, m: &Outgoing) -> Result<Receipt, Failure> {
        let text = if m.subject.is_empty() { m.body.clone() } else { format!("{}\n\n{}", m.subject, m.body) };
        let answer = self
            .call(
                "send_message",
                json!({"receiver": m.to, "type": "text", "text": text, "sender": {"name": self.sender}, "tracking_data": m.id}),
            )
            .await?;
        Ok(format!("message_token {}", answer.message_token.unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_callback_signature_is_checked_against_the_body() {
        let body = br#"{"event":"subscribed"}"#;
        let sig = super::sign("token-of-the-bot", body);
        assert!(super::verify_signature("token-of-the-bot", body, &sig));
        assert!(!super::verify_signature("another-token", body, &sig));
        assert!(!super::verify_signature("token-of-the-bot", br#"{"event":"unsubscribed"}"#, &sig));
        assert!(!super::verify_signature("token-of-the-bot", body, "zz"));
    }

    /// SPEC §7: `X-Viber-Content-Signature` is the HMAC-SHA256 of the raw body keyed by the
    /// bot's auth token, in hex — checked against OpenSSL's own HMAC.
    #[test]
    fn spec_7_viber_content_signature_is_the_hex_hmac_sha256_of_the_raw_body_keyed_by_the_auth_token() {
        use std::io::Write;
        use std::process::{Command, Stdio};
        let (token, body) =
            ("445da6az1s345z78-dazcczb2542zv51a-e0vc5fva17480im9", br#"{"event":"webhook","timestamp":1457764197627}"#);
        let child = Command::new("openssl")
            .args(["dgst", "-sha256", "-hmac", token, "-r"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn();
        let Ok(mut child) = child else {
            assert_ne!(std::env::var("CI").as_deref(), Ok("true"), "CI=true but openssl is missing");
            return;
        };
        child.stdin.take().unwrap().write_all(body).unwrap();
        let out = child.wait_with_output().unwrap();
        let theirs = String::from_utf8(out.stdout).unwrap();
        let theirs = theirs.split_whitespace().next().unwrap();
        assert_eq!(super::sign(token, body), theirs);
        assert!(super::verify_signature(token, body, theirs));
    }
}
