//! The links in messages — confirm an e-mail address, link a chat, leave —
//! carry a token that is an HMAC over what it does, the subscription and its
//! expiry, under the server's key. Nothing secret is stored: a token is
//! checked by making it again (constant-time comparison), a single-use link
//! is single-use because it only acts on a subscription still pending, and a
//! Telegram deep link stays within the 64 characters `start` allows.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64URL;
use chrono::{DateTime, Utc};

/// What a token lets its bearer do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirm an e-mail subscription (double opt-in).
    Confirm,
    /// Link a chat to a subscription (a bot's deep link).
    Link,
    /// Leave (one-click unsubscribe); never expires.
    Unsubscribe,
    /// See, move or cancel an appointment (the link in its e-mails); the id is the booking's.
    Appointment,
}

impl Purpose {
    fn tag(self) -> u8 {
        match self {
            Purpose::Confirm => 1,
            Purpose::Link => 2,
            Purpose::Unsubscribe => 3,
            Purpose::Appointment => 4,
        }
    }
}

/// The server's key for link tokens.
pub struct LinkKey(ring::hmac::Key);

impl std::fmt::Debug for LinkKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("LinkKey(…)")
    }
}

/// id (8 bytes) + expiry in Unix minutes (4) + HMAC-SHA256 (32) = 44 bytes, 59 characters.
const LEN: usize = 44;

impl LinkKey {
    pub fn new(secret: &[u8; 32]) -> LinkKey {
        LinkKey(ring::hmac::Key::new(ring::hmac::HMAC_SHA256, secret))
    }

    fn signed(purpose: Purpose, id: i64, minutes: u32) -> [u8; 13] {
        let mut m = [0u8; 13];
        m[0] = purpose.tag();
        m[1..9].copy_from_slice(&id.to_be_bytes());
        m[9..13].copy_from_slice(&minutes.to_be_bytes());
        m
    }

    /// A token for `purpose` on subscription `id`, valid until `expires` (or for ever).
    pub fn token(&self, purpose: Purpose, id: i64, expires: Option<DateTime<Utc>>) -> String {
        let minutes = expires.map_or(0, |t| u32::try_from(t.timestamp().div_euclid(60) + 1).unwrap_or(u32::MAX));
        let mut raw = Vec::with_capacity(LEN);
        raw.extend_from_slice(&id.to_be_bytes());
        raw.extend_from_slice(&minutes.to_be_bytes());
        raw.extend_from_slice(ring::hmac::sign(&self.0, &Self::signed(purpose, id, minutes)).as_ref());
        B64URL.encode(raw)
    }

    /// The subscription a token names, if it is genuine, for `purpose`, and not expired at `now`.
    pub fn verify(&self, purpose: Purpose, token: &str, now: DateTime<Utc>) -> Option<i64> {
        if token.len() > 64 {
            return None;
        }
        let raw = B64URL.decode(token.trim()).ok()?;
        if raw.len() != LEN {
            return None;
        }
        let id = i64::from_be_bytes(raw[0..8].try_into().ok()?);
        let minutes = u32::from_be_bytes(raw[8..12].try_into().ok()?);
        ring::hmac::verify(&self.0, &Self::signed(purpose, id, minutes), &raw[12..]).ok()?;
        if minutes != 0 && i64::from(minutes) * 60 <= now.timestamp() {
            return None;
        }
        Some(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn a_token_opens_only_its_purpose_its_subscription_and_only_in_time() {
        let key = LinkKey::new(&[7u8; 32]);
        let now = Utc::now();
        let t = key.token(Purpose::Link, 42, Some(now + Duration::hours(1)));
        assert!(t.len() <= 64 && t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{t}");
        assert_eq!(key.verify(Purpose::Link, &t, now), Some(42));
        assert_eq!(key.verify(Purpose::Confirm, &t, now), None, "another purpose");
        assert_eq!(key.verify(Purpose::Link, &t, now + Duration::hours(2)), None, "expired");
        assert_eq!(LinkKey::new(&[8u8; 32]).verify(Purpose::Link, &t, now), None, "another server's key");
        let mut forged = B64URL.decode(&t).unwrap();
        forged[7] ^= 1; // another subscription id
        assert_eq!(key.verify(Purpose::Link, &B64URL.encode(forged), now), None);
        for junk in ["", "x", "!!!!", &"A".repeat(59), &"A".repeat(65)] {
            assert_eq!(key.verify(Purpose::Link, junk, now), None, "{junk}");
        }
        let leave = key.token(Purpose::Unsubscribe, 42, None);
        assert_eq!(key.verify(Purpose::Unsubscribe, &leave, now + Duration::days(3650)), Some(42));
    }

    /// SPEC §7: a deep link's `start` payload is at most 64 characters of `A-Za-z0-9_-` —
    /// for every purpose, the largest subscription id and the farthest expiry.
    #[test]
    fn spec_7_a_telegram_start_payload_is_at_most_64_chars_of_a_z_0_9_underscore_dash() {
        let key = LinkKey::new(&[9u8; 32]);
        let far = Utc::now() + Duration::days(365 * 50);
        for purpose in [Purpose::Confirm, Purpose::Link, Purpose::Unsubscribe] {
            for (id, expires) in [(1, None), (i64::MAX, Some(far)), (0, Some(Utc::now()))] {
                let t = key.token(purpose, id, expires);
                assert!((1..=64).contains(&t.len()), "{t}");
                assert!(t.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{t}");
            }
        }
    }
}
