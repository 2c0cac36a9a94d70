//! Webhooks for systems, as Standard Webhooks specifies
//! (`https://www.standardwebhooks.com`): a JSON body `{type, timestamp,
//! data}` POSTed with `webhook-id` (the outbox id — the same on every
//! attempt, so the receiver can drop a repeat), `webhook-timestamp` (Unix
//! seconds) and `webhook-signature` (`v1,` + base64 of the HMAC-SHA256 of
//! `id.timestamp.body` under the endpoint's secret, `whsec_` + base64).
use async_trait::async_trait;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as B64;

use crate::{Channel, Failure, Outgoing, Receipt, Transport, retry_after, transient};

/// The prefix of a Standard Webhooks secret.
pub const SECRET_PREFIX: &str = "whsec_";

/// A new endpoint secret: 32 random bytes.
pub fn new_secret() -> String {
    let mut key = [0u8; 32];
    // ring's system random; failure to read it is not recoverable here.
    if ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut key).is_err() {
        key = [0u8; 32];
    }
    format!("{SECRET_PREFIX}{}", B64.encode(key))
}

fn key_of(secret: &str) -> Option<ring::hmac::Key> {
    let raw = B64.decode(secret.strip_prefix(SECRET_PREFIX).unwrap_or(secret)).ok()?;
    Some(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &raw))
}

/// The `webhook-signature` value for a message.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &[u8]) -> Option<String> {
    let key = key_of(secret)?;
    let mut ctx = ring::hmac::Context::with_key(&key);
    ctx.update(format!("{id}.{timestamp}.").as_bytes());
    ctx.update(body);
    Some(format!("v1,{}", B64.encode(ctx.sign().as_ref())))
}

/// Checks a `webhook-signature` header (space-separated `v1,<sig>` entries)
/// in constant time, as a receiver does; `tolerance` bounds the timestamp's age.
pub fn verify(secret: &str, id: &str, timestamp: i64, body: &[u8], header: &str, now: i64, tolerance: i64) -> bool {
    if (now - timestamp).abs() > tolerance {
        return false;
    }
    let Some(key) = key_of(secret) else { return false };
    let mut signed = format!("{id}.{timestamp}.").into_bytes();
    signed.extend_from_slice(body);
    header
        .split(' ')
        .filter_map(|e| e.strip_prefix("v1,"))
        .any(|sig| B64.decode(sig).is_ok_and(|tag| ring::hmac::verify(&key, &signed, &tag).is_ok()))
}

pub struct WebhookTransport {
    http: reqwest::Client,
}

impl WebhookTransport {
    pub fn new(http: reqwest::Client) -> WebhookTransport {
        WebhookTransport { http }
    }
}

#[async_trait]
impl Transport for WebhookTransport {
    fn channel(&self) -> Channel {
        Channel::Webhook
    }

    async fn send(&self, m: &Outgoing) -> Result<Receipt, Failure> {
        let body = serde_json::to_vec(&m.event).map_err(|e| Failure::Permanent { error: e.to_string() })?;
        let timestamp = chrono::Utc::now().timestamp();
        let secret = m.secret.as_deref().ok_or(Failure::Permanent { error: "endpoint without a secret".into() })?;
        let signature =
            sign(secret, &m.id, timestamp, &body).ok_or(Failure::Permanent { error: "bad secret".into() })?;
        let response = self
            .http
            .post(&m.to)
            .header("content-type", "application/json")
            .header("webhook-id", &m.id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature)
            .body(body)
            .send()
            .await
            .map_err(|e| transient(e.without_url()))?;
        let status = response.status();
        if status.is_success() {
            return Ok(status.to_string());
        }
        let error = status.to_string();
        Err(match status.as_u16() {
            // The receiver says the endpoint is gone for good.
            410 => Failure::RecipientGone { error },
            _ => Failure::Transient { retry_after: retry_after(response.headers()), error },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_secret_id_time_and_body() {
        let secret = new_secret();
        let sig = sign(&secret, "ntf-1", 1_700_000_000, b"{}").unwrap();
        assert!(verify(&secret, "ntf-1", 1_700_000_000, b"{}", &sig, 1_700_000_100, 300));
        assert!(verify(&secret, "ntf-1", 1_700_000_000, b"{}", &format!("v1,AAAA {sig}"), 1_700_000_100, 300));
        assert!(!verify(&secret, "ntf-2", 1_700_000_000, b"{}", &sig, 1_700_000_100, 300));
        assert!(!verify(&secret, "ntf-1", 1_700_000_000, b"{ }", &sig, 1_700_000_100, 300));
        assert!(!verify(&new_secret(), "ntf-1", 1_700_000_000, b"{}", &sig, 1_700_000_100, 300));
        assert!(!verify(&secret, "ntf-1", 1_700_000_000, b"{}", &sig, 1_700_001_000, 300), "too old");
    }

    #[test]
    fn the_standard_webhooks_test_vector_signs_as_published() {
        // The example in the Standard Webhooks specification's reference libraries.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let body = br#"{"test": 2432232314}"#;
        let sig = sign(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body).unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }
}
