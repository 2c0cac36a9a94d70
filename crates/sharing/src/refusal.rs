//! Every refusal the acquirer API answers with, once: its stable wire code,
//! its HTTP status, and — for the code's own rules — the domain's
//! [`CodeRefusal`]. The hub answers with [`Refusal::status`] and
//! [`Refusal::as_str`]; the fund reads answers back with [`Refusal::parse`],
//! so the two sides cannot disagree about what a code means.
use dossier_domain::sharing::CodeRefusal;
use reqwest::StatusCode;

/// Why the hub refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// One of the code's rules (unknown, expired, used, type…).
    Code(CodeRefusal),
    /// The barcode is not 13 digits with a valid check digit.
    InvalidCode,
    /// Too many refused codes from this branch: wait `Retry-After` seconds.
    RateLimited,
    /// The acquirer's token is missing or wrong.
    Unauthorized,
    /// The body or query could not be read.
    BadRequest,
    /// The acquirer already made a request with this `requestId`.
    DuplicateRequest,
    UnknownBranch,
    UnknownOffer,
    UnknownRequest,
    /// A signature request names an RNOKPP that has no wallet at the hub.
    UnknownCitizen,
    Internal,
}

impl Refusal {
    pub const ALL: [Refusal; 15] = [
        Refusal::Code(CodeRefusal::Unknown),
        Refusal::Code(CodeRefusal::Expired),
        Refusal::Code(CodeRefusal::AlreadyUsed),
        Refusal::Code(CodeRefusal::TypeNotAllowed),
        Refusal::Code(CodeRefusal::TypeMismatch),
        Refusal::InvalidCode,
        Refusal::RateLimited,
        Refusal::Unauthorized,
        Refusal::BadRequest,
        Refusal::DuplicateRequest,
        Refusal::UnknownBranch,
        Refusal::UnknownOffer,
        Refusal::UnknownRequest,
        Refusal::UnknownCitizen,
        Refusal::Internal,
    ];

    /// The stable code in `error.code` of the answer.
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::Code(CodeRefusal::Unknown) => "unknown",
            Refusal::Code(CodeRefusal::Expired) => "expired",
            Refusal::Code(CodeRefusal::AlreadyUsed) => "already_used",
            Refusal::Code(CodeRefusal::TypeNotAllowed) => "type_not_allowed",
            Refusal::Code(CodeRefusal::TypeMismatch) => "type_mismatch",
            Refusal::InvalidCode => "invalid_code",
            Refusal::RateLimited => "rate_limited",
            Refusal::Unauthorized => "unauthorized",
            Refusal::BadRequest => "bad_request",
            Refusal::DuplicateRequest => "duplicate_request",
            Refusal::UnknownBranch => "unknown_branch",
            Refusal::UnknownOffer => "unknown_offer",
            Refusal::UnknownRequest => "unknown_request",
            Refusal::UnknownCitizen => "unknown_citizen",
            Refusal::Internal => "internal",
        }
    }

    pub fn parse(code: &str) -> Option<Refusal> {
        Self::ALL.into_iter().find(|r| r.as_str() == code)
    }

    /// The HTTP status the hub answers with.
    pub fn status(self) -> StatusCode {
        match self {
            Refusal::Code(CodeRefusal::Unknown) | Refusal::UnknownBranch | Refusal::UnknownOffer => {
                StatusCode::NOT_FOUND
            }
            Refusal::UnknownRequest | Refusal::UnknownCitizen => StatusCode::NOT_FOUND,
            Refusal::Code(CodeRefusal::Expired) => StatusCode::GONE,
            Refusal::Code(CodeRefusal::AlreadyUsed) | Refusal::DuplicateRequest => StatusCode::CONFLICT,
            Refusal::Code(CodeRefusal::TypeNotAllowed) => StatusCode::FORBIDDEN,
            Refusal::Code(CodeRefusal::TypeMismatch) => StatusCode::UNPROCESSABLE_ENTITY,
            Refusal::InvalidCode | Refusal::BadRequest => StatusCode::BAD_REQUEST,
            Refusal::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Refusal::Unauthorized => StatusCode::UNAUTHORIZED,
            Refusal::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The code's own rule, when the refusal is one.
    pub fn code_refusal(self) -> Option<CodeRefusal> {
        match self {
            Refusal::Code(r) => Some(r),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_refusal_round_trips_through_its_wire_code() {
        for r in Refusal::ALL {
            assert_eq!(Refusal::parse(r.as_str()), Some(r), "{r:?}");
        }
        assert_eq!(Refusal::parse("no_such_code"), None);
    }

    #[test]
    fn the_code_rules_keep_the_public_names() {
        // The real hub's error names, and CodeRefusal's serde names.
        for (r, name) in [
            (CodeRefusal::Unknown, "unknown"),
            (CodeRefusal::Expired, "expired"),
            (CodeRefusal::AlreadyUsed, "already_used"),
            (CodeRefusal::TypeNotAllowed, "type_not_allowed"),
            (CodeRefusal::TypeMismatch, "type_mismatch"),
        ] {
            assert_eq!(Refusal::Code(r).as_str(), name);
            assert_eq!(serde_json::to_value(r).unwrap(), serde_json::json!(name));
        }
    }
}
