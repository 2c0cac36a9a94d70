//! Document sharing by a 13-digit code and the citizen's consent (SPEC §2.1).
//!
//! Three parties: the citizen's wallet, the wallet's back end (the *hub*) and
//! the *acquirer* (the fund and its branches). This module holds the rules all
//! three must agree on, so the hub that enforces them and the fund's counter
//! page that pre-checks them cannot drift apart:
//!
//! * [`SharingCode`] — 12 random digits + an EAN-13 check digit;
//! * [`DocumentType`] — what may be shared, with the public API's names;
//! * [`CodeState::check`] — the life rules of a code (3 minutes, single use,
//!   one document type, the branch's scopes), one error key per rule;
//! * [`RequestStatus`] / [`next`] — the state machine of one document request.
//!
//! Pure: the caller passes "now" and the random digits.
use schemars::JsonSchema;
use std::fmt;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::i18n::Message;

/// How long a code may be typed in after the wallet showed it (SPEC §2.1).
pub const CODE_TTL: Duration = Duration::minutes(3);
/// Unused codes are purged from the hub after this long (SPEC §2.1).
pub const PURGE_AFTER: Duration = Duration::days(1);
/// Signature requests (e-applications signed in the wallet) are deleted
/// from the hub this long after they expired, decided or not: the fund reads
/// the outcome when the citizen comes back to it, usually at once, and keeps
/// the signed text itself; a request the hub no longer knows reads as expired.
pub const SIGNATURE_PURGE_AFTER: Duration = Duration::days(7);
/// How long a request waits for the citizen's decision before it expires.
/// [D] The public API does not name a figure; ten minutes covers a visitor
/// who has to find the PIN without keeping a request open all day.
pub const CONSENT_TTL: Duration = Duration::minutes(10);

/// A sharing code: 13 ASCII digits whose last one is the EAN-13 check digit
/// over the first twelve (SPEC §3). The hub draws the twelve from a CSPRNG.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SharingCode(String);

/// The EAN-13 check digit: weights 1, 3, 1, 3… over the first twelve digits,
/// then the digit that brings the sum to a multiple of ten.
pub fn ean13_check_digit(first12: &[u8; 12]) -> u8 {
    let sum: u32 = first12.iter().enumerate().map(|(i, d)| u32::from(*d) * if i % 2 == 0 { 1 } else { 3 }).sum();
    ((10 - sum % 10) % 10) as u8
}

impl SharingCode {
    /// Accepts 13 digits; spaces and hyphens that people type between groups
    /// are ignored, anything else is refused.
    pub fn parse(input: &str) -> Result<Self, Message> {
        let digits: String = input.chars().filter(|c| !matches!(c, ' ' | '-' | '\u{a0}')).collect();
        if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Message::new("sharing.code.format"));
        }
        let d: Vec<u8> = digits.bytes().map(|b| b - b'0').collect();
        let mut first12 = [0u8; 12];
        first12.copy_from_slice(&d[..12]);
        if ean13_check_digit(&first12) != d[12] {
            return Err(Message::new("sharing.code.checksum"));
        }
        Ok(SharingCode(digits))
    }

    /// Builds a code from twelve random bytes (each taken mod 10 would bias
    /// the digits, so the caller must pass uniform digits 0–9; see
    /// [`SharingCode::from_random`]).
    pub fn from_digits(first12: [u8; 12]) -> Option<Self> {
        if first12.iter().any(|d| *d > 9) {
            return None;
        }
        let mut s: String = first12.iter().map(|d| char::from(b'0' + d)).collect();
        s.push(char::from(b'0' + ean13_check_digit(&first12)));
        Some(SharingCode(s))
    }

    /// Builds a code from a source of random bytes by rejection sampling
    /// (bytes ≥ 250 are redrawn), so every digit is uniform.
    pub fn from_random(mut next_byte: impl FnMut() -> u8) -> Self {
        let mut first12 = [0u8; 12];
        for d in &mut first12 {
            *d = loop {
                let b = next_byte();
                if b < 250 {
                    break b % 10;
                }
            };
        }
        SharingCode::from_digits(first12).expect("digits are 0–9")
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The code as people read it aloud: `1 213187 292345` (EAN-13 grouping).
    pub fn grouped(&self) -> String {
        format!("{} {} {}", &self.0[..1], &self.0[1..7], &self.0[7..])
    }
}

impl fmt::Display for SharingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl schemars::JsonSchema for SharingCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "SharingCode".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]{13}$",
            "description": "A one-time sharing code: thirteen digits, the last an EAN-13 check digit."
        })
    }
}

impl Serialize for SharingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SharingCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        SharingCode::parse(&s).map_err(|m| serde::de::Error::custom(m.key))
    }
}

/// A document a citizen can share (SPEC §2.1: ID-card passport, taxpayer
/// card, birth certificate). Serialized with the public API's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub enum DocumentType {
    #[serde(rename = "internal-passport")]
    IdCard,
    #[serde(rename = "taxpayer-card")]
    TaxpayerCard,
    #[serde(rename = "birth-certificate")]
    BirthCertificate,
}

impl DocumentType {
    pub const ALL: [DocumentType; 3] =
        [DocumentType::IdCard, DocumentType::TaxpayerCard, DocumentType::BirthCertificate];

    /// The public API's name, e.g. `taxpayer-card`.
    pub fn code(self) -> &'static str {
        match self {
            DocumentType::IdCard => "internal-passport",
            DocumentType::TaxpayerCard => "taxpayer-card",
            DocumentType::BirthCertificate => "birth-certificate",
        }
    }

    pub fn parse(code: &str) -> Result<Self, Message> {
        DocumentType::ALL
            .into_iter()
            .find(|t| t.code() == code.trim())
            .ok_or_else(|| Message::new("sharing.document_type.unknown").with("type", code.trim()))
    }

    /// Catalogue key of the document's name.
    pub fn label_key(self) -> &'static str {
        match self {
            DocumentType::IdCard => "sharing.doc.internal-passport",
            DocumentType::TaxpayerCard => "sharing.doc.taxpayer-card",
            DocumentType::BirthCertificate => "sharing.doc.birth-certificate",
        }
    }
}

impl fmt::Display for DocumentType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What the hub knows about a code when an acquirer presents it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeState {
    pub document_type: DocumentType,
    pub issued_at: DateTime<Utc>,
    /// Set once a document request has taken the code.
    pub used_at: Option<DateTime<Utc>>,
}

/// Why a presented code cannot be used, one value per rule; the catalogue key
/// is the message the specialist sees (SPEC §2.1 lists the real hub's texts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CodeRefusal {
    /// No live code with these digits ("no record with presented code").
    Unknown,
    Expired,
    AlreadyUsed,
    /// The branch's scopes do not include the code's document type.
    TypeNotAllowed,
    /// The acquirer expects another document type than the code was made for.
    TypeMismatch,
}

impl CodeRefusal {
    pub fn key(self) -> &'static str {
        match self {
            CodeRefusal::Unknown => "sharing.code.unknown",
            CodeRefusal::Expired => "sharing.code.expired",
            CodeRefusal::AlreadyUsed => "sharing.code.used",
            CodeRefusal::TypeNotAllowed => "sharing.type_not_allowed",
            CodeRefusal::TypeMismatch => "sharing.type_mismatch",
        }
    }

    pub fn message(self, document_type: Option<DocumentType>) -> Message {
        let m = Message::new(self.key());
        match document_type {
            Some(t) => m.with("type", t.code()),
            None => m,
        }
    }
}

impl CodeState {
    /// The code's rules, in the order the hub answers them: used before
    /// expired (a used code is used whatever the clock says), then the
    /// branch's scopes, then the type the acquirer expects.
    pub fn check(
        &self,
        now: DateTime<Utc>,
        branch_scopes: &[DocumentType],
        expected: Option<DocumentType>,
    ) -> Result<(), CodeRefusal> {
        if self.used_at.is_some() {
            return Err(CodeRefusal::AlreadyUsed);
        }
        if now >= self.expires_at() || now < self.issued_at - Duration::minutes(1) {
            return Err(CodeRefusal::Expired);
        }
        if !branch_scopes.contains(&self.document_type) {
            return Err(CodeRefusal::TypeNotAllowed);
        }
        if expected.is_some_and(|t| t != self.document_type) {
            return Err(CodeRefusal::TypeMismatch);
        }
        Ok(())
    }

    pub fn expires_at(&self) -> DateTime<Utc> {
        self.issued_at + CODE_TTL
    }

    /// Whether the hub may forget this code (unused for a day).
    pub fn purgeable(&self, now: DateTime<Utc>) -> bool {
        self.used_at.is_none() && now >= self.issued_at + PURGE_AFTER
    }
}

/// Where one document request stands. The same values are used by the hub and
/// by the fund, and by the public status call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RequestStatus {
    /// The code was accepted; the wallet shows the request.
    WaitingConsent,
    /// The citizen signed the consent; the package is being formed and delivered.
    Approved,
    Declined,
    /// No decision within the time the citizen has to consent (`CONSENT_TTL`).
    Expired,
    /// The acquirer acknowledged the package.
    Delivered,
    /// Delivery gave up after its retries; nothing was delivered.
    Failed,
}

/// What happens to a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestEvent {
    Approve,
    Decline,
    Expire,
    Acknowledge,
    GiveUp,
}

impl RequestStatus {
    pub const ALL: [RequestStatus; 6] = [
        RequestStatus::WaitingConsent,
        RequestStatus::Approved,
        RequestStatus::Declined,
        RequestStatus::Expired,
        RequestStatus::Delivered,
        RequestStatus::Failed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RequestStatus::WaitingConsent => "waiting_consent",
            RequestStatus::Approved => "approved",
            RequestStatus::Declined => "declined",
            RequestStatus::Expired => "expired",
            RequestStatus::Delivered => "delivered",
            RequestStatus::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        RequestStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Catalogue key of the status as the specialist and citizen see it.
    pub fn label_key(self) -> &'static str {
        match self {
            RequestStatus::WaitingConsent => "sharing.status.waiting_consent",
            RequestStatus::Approved => "sharing.status.approved",
            RequestStatus::Declined => "sharing.status.declined",
            RequestStatus::Expired => "sharing.status.expired",
            RequestStatus::Delivered => "sharing.status.delivered",
            RequestStatus::Failed => "sharing.status.failed",
        }
    }

    /// No further event can change it.
    pub fn is_final(self) -> bool {
        !matches!(self, RequestStatus::WaitingConsent | RequestStatus::Approved)
    }
}

impl fmt::Display for RequestStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The one transition table. Consent can only be given or refused while the
/// request waits for it; only an approved request is delivered (so nothing
/// leaves the hub before consent); a final status never moves again.
pub fn next(status: RequestStatus, event: RequestEvent) -> Result<RequestStatus, Message> {
    use RequestEvent as E;
    use RequestStatus as S;
    match (status, event) {
        (S::WaitingConsent, E::Approve) => Ok(S::Approved),
        (S::WaitingConsent, E::Decline) => Ok(S::Declined),
        (S::WaitingConsent, E::Expire) => Ok(S::Expired),
        (S::Approved, E::Acknowledge) => Ok(S::Delivered),
        (S::Approved, E::GiveUp) => Ok(S::Failed),
        (from, _) => Err(Message::new("sharing.request.not_allowed").with("status", from.code())),
    }
}

/// Whether a request waiting for consent has run out of time.
pub fn consent_expired(requested_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= requested_at + CONSENT_TTL
}

/// The consent statement the citizen signs, as canonical JSON bytes (keys in
/// a fixed order, no spaces): what is signed is exactly what the hub and the
/// fund can show later as evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub request_id: String,
    pub acquirer: String,
    pub branch_id: String,
    pub branch_name: String,
    pub document_type: DocumentType,
    pub barcode: String,
    /// RFC 3339, UTC.
    pub signed_at: String,
    pub statement: String,
}

impl Consent {
    /// The Ukrainian statement the citizen agrees to (the wallet shows it).
    pub fn statement_text(acquirer: &str, branch_name: &str, document_type: DocumentType) -> String {
        format!(
            "Я погоджуюся передати копію документа «{}» до {} ({}).",
            crate::i18n::text(document_type.label_key(), crate::Lang::UK),
            acquirer,
            branch_name
        )
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a struct of strings serializes")
    }
}

/// Exponential back-off for deliveries: 2 s, 4 s, 8 s … capped at 10 minutes.
pub fn retry_delay(attempt: u32) -> Duration {
    let secs = 2u64.saturating_pow(attempt.clamp(1, 20)).min(600);
    Duration::seconds(secs as i64)
}

/// Deliveries give up after this many attempts (≈ a day with the back-off).
pub const MAX_DELIVERY_ATTEMPTS: u32 = 150;

#[cfg(test)]
mod tests;
