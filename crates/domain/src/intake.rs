//! The fund's side of document sharing (SPEC §2.1): the rules the counter
//! page and the delivery endpoint apply, pure so they are tested alone.
//!
//! * [`IntakeStatus`] — where a request stands *at the fund*: the hub's
//!   [`RequestStatus`] plus the two states only the fund knows (not yet
//!   accepted by the hub; refused by the hub);
//! * [`guess_wait`] — the rate limit on wrong codes (per specialist and per branch);
//! * [`check_delivery`] — a delivered package must answer a request this fund
//!   made, for this branch, stamped for this acquirer;
//! * [`person_keys`] — the identifiers a copy's data carries, for matching it
//!   to a person's dossier.
use chrono::{DateTime, Duration, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::Message;
use crate::ident::{Rnokpp, Unzr};
use crate::sharing::{CODE_TTL, DocumentType, RequestStatus};

/// Wrong codes allowed in [`GUESS_WINDOW`] before the counter waits.
pub const MAX_WRONG_CODES: usize = 5;
/// The window the wrong codes are counted in.
pub const GUESS_WINDOW: Duration = Duration::minutes(10);

/// Where a document request stands at the fund.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum IntakeStatus {
    /// Written at the fund, not yet accepted by the hub (the hub was
    /// unreachable; the worker retries while the code can still be valid).
    Submitting,
    /// The hub refused the code (`last_error` says why).
    Refused,
    WaitingConsent,
    Approved,
    Declined,
    Expired,
    Delivered,
    Failed,
}

impl IntakeStatus {
    pub const ALL: [IntakeStatus; 8] = [
        IntakeStatus::Submitting,
        IntakeStatus::Refused,
        IntakeStatus::WaitingConsent,
        IntakeStatus::Approved,
        IntakeStatus::Declined,
        IntakeStatus::Expired,
        IntakeStatus::Delivered,
        IntakeStatus::Failed,
    ];

    /// Live requests hold their barcode: no second live request for it.
    pub const LIVE: [IntakeStatus; 3] =
        [IntakeStatus::Submitting, IntakeStatus::WaitingConsent, IntakeStatus::Approved];

    pub fn code(self) -> &'static str {
        match self {
            IntakeStatus::Submitting => "submitting",
            IntakeStatus::Refused => "refused",
            IntakeStatus::WaitingConsent => "waiting_consent",
            IntakeStatus::Approved => "approved",
            IntakeStatus::Declined => "declined",
            IntakeStatus::Expired => "expired",
            IntakeStatus::Delivered => "delivered",
            IntakeStatus::Failed => "failed",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        IntakeStatus::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn is_live(self) -> bool {
        IntakeStatus::LIVE.contains(&self)
    }

    pub fn is_final(self) -> bool {
        !self.is_live()
    }

    /// Catalogue key of the status as the specialist sees it.
    pub fn label_key(self) -> &'static str {
        match self {
            IntakeStatus::Submitting => "intake.status.submitting",
            IntakeStatus::Refused => "intake.status.refused",
            other => other.hub().map(RequestStatus::label_key).unwrap_or("intake.status.submitting"),
        }
    }

    /// The hub's status this corresponds to, if the hub knows the request.
    pub fn hub(self) -> Option<RequestStatus> {
        RequestStatus::parse(self.code())
    }
}

impl From<RequestStatus> for IntakeStatus {
    fn from(s: RequestStatus) -> Self {
        match s {
            RequestStatus::WaitingConsent => IntakeStatus::WaitingConsent,
            RequestStatus::Approved => IntakeStatus::Approved,
            RequestStatus::Declined => IntakeStatus::Declined,
            RequestStatus::Expired => IntakeStatus::Expired,
            RequestStatus::Delivered => IntakeStatus::Delivered,
            RequestStatus::Failed => IntakeStatus::Failed,
        }
    }
}

/// Whether the status the hub reports may replace the fund's. The fund only
/// moves forward: a delivered request stays delivered even if the hub's
/// status call lags behind, and the hub's `delivered` is not trusted alone —
/// the fund marks a request delivered when it has stored the copy.
pub fn hub_update(current: IntakeStatus, reported: RequestStatus) -> Option<IntakeStatus> {
    use IntakeStatus as I;
    let new = IntakeStatus::from(reported);
    match (current, new) {
        (c, n) if c == n => None,
        (I::Submitting | I::WaitingConsent, I::Approved | I::Declined | I::Expired | I::Failed | I::WaitingConsent) => {
            Some(new)
        }
        (I::Approved, I::Failed | I::Expired) => Some(new),
        _ => None,
    }
}

/// Back-off between hub calls about one request: 1 s, 2 s, 4 s … capped at 30 s.
pub fn backoff(attempts: i32) -> Duration {
    let secs = 1i64 << attempts.clamp(0, 5);
    Duration::seconds(secs.min(30))
}

/// A request the hub could not be reached for is retried only while its
/// code can still be valid; after that it fails cleanly.
pub fn submission_given_up(created_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now >= created_at + CODE_TTL
}

/// How long the counter must wait, given the times of recent wrong codes
/// (by this specialist or at this branch): `None` while fewer than
/// [`MAX_WRONG_CODES`] fall in the last [`GUESS_WINDOW`], else the time until
/// the oldest of them leaves the window (at least one second).
pub fn guess_wait(failures: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<Duration> {
    let mut recent: Vec<DateTime<Utc>> = failures.iter().copied().filter(|t| *t > now - GUESS_WINDOW).collect();
    if recent.len() < MAX_WRONG_CODES {
        return None;
    }
    recent.sort();
    // The window frees a slot when the (len - MAX + 1)-th newest-from-oldest leaves it.
    let oldest_that_matters = recent[recent.len() - MAX_WRONG_CODES];
    let wait = oldest_that_matters + GUESS_WINDOW - now;
    Some(wait.max(Duration::seconds(1)))
}

/// The code as it may appear in the audit log: the last four digits only, so
/// the trail shows which attempt it was without recording a usable code.
pub fn masked_code(code: &str) -> String {
    let digits: Vec<char> = code.chars().filter(|c| c.is_ascii_digit()).collect();
    let tail: String = digits.iter().skip(digits.len().saturating_sub(4)).collect();
    format!("…{tail}")
}

/// What the fund expects of a delivery: the request it made.
#[derive(Debug, Clone)]
pub struct Expected<'a> {
    pub request_id: &'a str,
    pub barcode: &'a str,
    pub branch_id: &'a str,
    pub acquirer_id: &'a str,
    pub document_type: DocumentType,
}

/// What a delivery says about itself (trace header + decrypted metadata).
#[derive(Debug, Clone)]
pub struct Delivered<'a> {
    pub trace_id: &'a str,
    pub request_id: &'a str,
    pub barcode: &'a str,
    pub branch_id: &'a str,
    pub acquirer_id: &'a str,
    pub document_types: &'a [DocumentType],
}

/// Why a delivery does not answer the request it names; each is a stable
/// machine code and a catalogue key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeliveryMismatch {
    TraceId,
    Barcode,
    Branch,
    Acquirer,
    DocumentType,
}

impl DeliveryMismatch {
    pub fn code(self) -> &'static str {
        match self {
            DeliveryMismatch::TraceId => "trace_mismatch",
            DeliveryMismatch::Barcode => "barcode_mismatch",
            DeliveryMismatch::Branch => "branch_mismatch",
            DeliveryMismatch::Acquirer => "acquirer_mismatch",
            DeliveryMismatch::DocumentType => "document_type_mismatch",
        }
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            DeliveryMismatch::TraceId => "intake.delivery.trace_mismatch",
            DeliveryMismatch::Barcode => "intake.delivery.barcode_mismatch",
            DeliveryMismatch::Branch => "intake.delivery.branch_mismatch",
            DeliveryMismatch::Acquirer => "intake.delivery.acquirer_mismatch",
            DeliveryMismatch::DocumentType => "intake.delivery.type_mismatch",
        })
    }
}

/// A delivery is accepted only if the trace header and the signed metadata
/// name the same request, and that request's barcode, branch and document
/// type, and the stamp names this acquirer and that branch (SPEC §2.1).
pub fn check_delivery(expected: &Expected<'_>, got: &Delivered<'_>) -> Result<(), DeliveryMismatch> {
    if got.trace_id.trim() != got.request_id || got.request_id != expected.request_id {
        return Err(DeliveryMismatch::TraceId);
    }
    if got.barcode != expected.barcode {
        return Err(DeliveryMismatch::Barcode);
    }
    if got.acquirer_id != expected.acquirer_id {
        return Err(DeliveryMismatch::Acquirer);
    }
    if got.branch_id != expected.branch_id {
        return Err(DeliveryMismatch::Branch);
    }
    if got.document_types != [expected.document_type] {
        return Err(DeliveryMismatch::DocumentType);
    }
    Ok(())
}

/// Identifiers found in a copy's data, each already validated by its parser
/// (a malformed value is ignored rather than matched).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PersonKeys {
    pub rnokpp: Option<String>,
    pub unzr: Option<String>,
    /// ID-card or passport number, as printed (no spaces).
    pub document_no: Option<String>,
}

impl PersonKeys {
    pub fn is_empty(&self) -> bool {
        self.rnokpp.is_none() && self.unzr.is_none() && self.document_no.is_none()
    }
}

/// Reads the identifiers from one document's data. The taxpayer card's
/// `docNumber` is the RNOKPP (SPEC §2.1); an ID card carries its number, the
/// UNZR and usually the RNOKPP; a birth certificate the child's, if any.
/// Field names are tried in the spellings the public API uses.
pub fn person_keys(document_type: DocumentType, data: &serde_json::Value) -> PersonKeys {
    let field = |v: &serde_json::Value, names: &[&str]| -> Option<String> {
        names.iter().find_map(|n| v.get(*n)).and_then(|x| match x {
            serde_json::Value::String(s) => Some(s.trim().replace(' ', "")),
            serde_json::Value::Number(n) => Some(n.to_string()),
            _ => None,
        })
    };
    let rnokpp = |s: Option<String>| s.and_then(|s| Rnokpp::parse(&s).ok()).map(|r| r.to_string());
    let unzr = |s: Option<String>| s.and_then(|s| Unzr::parse(&s).ok()).map(|u| u.to_string());
    let mut keys = PersonKeys::default();
    match document_type {
        DocumentType::TaxpayerCard => {
            keys.rnokpp = rnokpp(field(data, &["docNumber", "rnokpp", "taxpayerNumber"]));
        }
        DocumentType::IdCard => {
            keys.rnokpp = rnokpp(field(data, &["rnokpp", "taxpayerNumber", "taxpayerCardNumber"]));
            keys.unzr = unzr(field(data, &["unzr", "recordNumber"]));
            keys.document_no = field(data, &["docNumber", "documentNumber", "number"]).filter(|s| !s.is_empty());
        }
        DocumentType::BirthCertificate => {
            if let Some(child) = data.get("child") {
                keys.rnokpp = rnokpp(field(child, &["rnokpp", "taxpayerNumber"]));
                keys.unzr = unzr(field(child, &["unzr", "recordNumber"]));
            }
        }
    }
    keys
}

#[cfg(test)]
mod tests;
