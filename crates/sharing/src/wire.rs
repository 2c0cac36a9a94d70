//! JSON bodies of the acquirer API (paths and field names as in the public
//! API, SPEC §2.1) and the metadata that travels with every copy.
use dossier_domain::sharing::{DocumentType, RequestStatus};
use dossier_domain::{Lang, Message};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::refusal::Refusal;

/// Path prefix of the acquirer API on the hub.
pub const ACQUIRER_API: &str = "/api/v1/acquirers";
/// Header the hub puts on a delivery: the request id it answers.
pub const TRACE_HEADER: &str = "X-Document-Request-Trace-Id";
/// Multipart field names of a barcode-flow delivery.
pub const PART_FILE: &str = "encryptedFile";
pub const PART_FILE_NAME: &str = "encryptedFileName";
pub const PART_METADATA: &str = "encodeData";

/// `POST /api/v1/acquirers/document-request`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentRequest {
    /// One of the acquirer's branches.
    pub branch_id: String,
    /// The code the citizen's wallet shows.
    #[schemars(with = "dossier_domain::sharing::SharingCode")]
    pub barcode: String,
    /// The acquirer's own id for this request (a UUID); it comes back in the
    /// delivery's trace header and metadata.
    #[schemars(length(max = 100), pattern(r"\S"))]
    pub request_id: String,
    /// [D] Extension: the document type the specialist expects; the hub
    /// refuses a code made for another type ("document type must be X").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<DocumentType>,
}

/// `POST /api/v1/acquirers/document-identification`: checks a code, shares nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct DocumentIdentification {
    /// One of the acquirer's branches.
    pub branch_id: String,
    /// The code the citizen's wallet shows.
    #[schemars(with = "dossier_domain::sharing::SharingCode")]
    pub barcode: String,
}

/// The answer to both calls: `{success}`, and on refusal the reason in a
/// stable code plus the message in Ukrainian and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcquirerAnswer {
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AcquirerError>,
    /// The code's document type (identification only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_type: Option<DocumentType>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct AcquirerError {
    /// `unknown`, `expired`, `already_used`, `type_not_allowed`, `type_mismatch`,
    /// or `bad_request` / `unauthorized` / `rate_limited` / `duplicate_request`.
    pub code: String,
    pub message: String,
    pub message_en: String,
}

impl AcquirerError {
    /// A refusal with its message in both languages.
    pub fn new(refusal: Refusal, message: &Message) -> Self {
        AcquirerError {
            code: refusal.as_str().into(),
            message: message.render(Lang::UK),
            message_en: message.render(Lang::EN),
        }
    }

    /// The refusal this answer names; `None` for a code this side does not know.
    pub fn refusal(&self) -> Option<Refusal> {
        Refusal::parse(&self.code)
    }
}

/// `GET /api/v1/acquirers/document-request/status?barcode=&requestId=`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatusAnswer {
    pub success: bool,
    pub request_id: String,
    pub status: RequestStatus,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
}

/// Who a copy was formed for — the stamp every copy carries (SPEC §2.1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct Recipient {
    pub acquirer_id: String,
    pub acquirer_name: String,
    pub branch_id: String,
    pub branch_name: String,
}

/// `metadata.json`: `{requestId, barcode, documentTypes[], data{<type>: {...}}}`
/// as in the public API (dates `dd.MM.yyyy`), plus the stamp.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Metadata {
    pub request_id: String,
    pub barcode: String,
    pub document_types: Vec<DocumentType>,
    /// Keyed by document type code; each value as the registry issued it.
    pub data: serde_json::Map<String, serde_json::Value>,
    pub recipient: Recipient,
    /// When the copy was formed: RFC 3339 UTC, and as printed (Kyiv time).
    pub formed_at: String,
    pub formed_at_local: String,
    /// [D] Extension: the citizen's signed consent (CMS SignedData, base64),
    /// so the fund keeps the evidence that the copy was shared willingly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub consent: Option<String>,
}

/// `POST /api/v1/acquirers/branch` body.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct BranchRegistration {
    #[schemars(length(max = 200), pattern(r"\S"))]
    pub name: String,
    #[serde(default)]
    #[schemars(length(max = 500))]
    pub address: String,
    /// The documents the branch may ask for.
    #[schemars(with = "Vec<DocumentType>", length(min = 1))]
    pub scopes: Vec<String>,
    /// The branch's acquirer encryption certificate, PEM.
    pub encryption_certificate: String,
}

/// `POST /api/v1/acquirers/branch` answer: the hub's id of the new branch.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct BranchCreated {
    #[serde(rename = "_id")]
    pub id: String,
}

/// The delivery acknowledgement: `{"success": true}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Ack {
    pub success: bool,
}

/// `POST /api/v1/acquirers/signature-requests`: the fund asks a citizen to
/// sign a text with their qualified key in the wallet (an e-application, say).
/// The hub answers 201 with [`SignatureRequestCreated`]; the fund sends the
/// browser to its `signUrl`, and the wallet sends it back to `returnUrl` with
/// [`SIGN_RETURN_PARAM`]`=<id>` appended, signed or declined. The outcome is
/// read with `GET …/signature-requests/{id}` ([`SignatureOutcome`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignatureRequest {
    /// The RNOKPP of the citizen who must sign (10 digits): only that
    /// citizen's wallet may sign or decline.
    #[schemars(pattern(r"^[0-9]{10}$"))]
    pub rnokpp: String,
    /// The wallet page's heading, e.g. "Application for a pension"
    /// (up to 200 characters, not blank).
    #[schemars(length(max = 200), pattern(r"\S"))]
    pub title: String,
    /// The exact text the citizen signs, UTF-8, up to 16 384 bytes, not blank.
    #[schemars(length(max = 16384), pattern(r"\S"))]
    pub document: String,
    /// Where the wallet sends the browser afterwards: an absolute http(s) URL
    /// with the same origin as the acquirer's registered login redirect URI.
    pub return_url: String,
}

/// The longest [`SignatureRequest::title`], in characters.
pub const SIGN_TITLE_MAX_CHARS: usize = 200;
/// The longest [`SignatureRequest::document`], in bytes of UTF-8.
pub const SIGN_DOCUMENT_MAX_BYTES: usize = 16_384;
/// The longest [`SignatureRequest::return_url`], in bytes.
pub const SIGN_RETURN_URL_MAX_BYTES: usize = 2_000;
/// How long a signature request waits for the citizen, in seconds (15 minutes).
pub const SIGN_REQUEST_TTL_SECS: i64 = 15 * 60;
/// The query parameter the wallet appends to `returnUrl`: the request's id.
pub const SIGN_RETURN_PARAM: &str = "signature_request";

/// `POST /api/v1/acquirers/signature-requests` answer (201): the request's id
/// and the wallet page the fund sends the citizen's browser to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignatureRequestCreated {
    /// The hub's id of the request (a UUID).
    pub id: String,
    /// The absolute URL of the wallet page where the citizen signs.
    pub sign_url: String,
    /// RFC 3339 time after which the request can no longer be signed.
    pub expires_at: String,
}

/// Where a signature request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SignatureStatus {
    /// The citizen has not decided yet and the request has not expired.
    Waiting,
    /// Signed: the outcome carries the signature.
    Signed,
    /// The citizen declined.
    Declined,
    /// Nobody decided within the request's lifetime.
    Expired,
}

impl SignatureStatus {
    pub const ALL: [SignatureStatus; 4] =
        [SignatureStatus::Waiting, SignatureStatus::Signed, SignatureStatus::Declined, SignatureStatus::Expired];

    /// The wire name (and the stored one).
    pub fn as_str(self) -> &'static str {
        match self {
            SignatureStatus::Waiting => "waiting",
            SignatureStatus::Signed => "signed",
            SignatureStatus::Declined => "declined",
            SignatureStatus::Expired => "expired",
        }
    }

    pub fn parse(s: &str) -> Option<SignatureStatus> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

/// `GET /api/v1/acquirers/signature-requests/{id}` answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignatureOutcome {
    pub id: String,
    pub status: SignatureStatus,
    /// `signed` only: base64 (standard alphabet) of the CMS SignedData made
    /// with the citizen's qualified key, content attached: exactly the UTF-8
    /// bytes of the request's `document`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// `signed` only: RFC 3339 time of the signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signed_at: Option<String>,
}

impl SignatureOutcome {
    /// The CMS SignedData's bytes, when signed (`None` also for bad base64).
    pub fn signature_der(&self) -> Option<Vec<u8>> {
        use base64::Engine as _;
        let b64 = self.signature.as_deref()?;
        base64::engine::general_purpose::STANDARD.decode(b64).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_use_the_public_field_names() {
        let req = DocumentRequest {
            branch_id: "b1".into(),
            barcode: "1213187292345".into(),
            request_id: "r1".into(),
            document_type: None,
        };
        assert_eq!(
            serde_json::to_string(&req).unwrap(),
            r#"{"branchId":"b1","barcode":"1213187292345","requestId":"r1"}"#
        );
        let sign = SignatureRequest {
            rnokpp: "1759013776".into(),
            title: "Заява".into(),
            document: "Прошу призначити пенсію".into(),
            return_url: "https://fund.example/account?x=1".into(),
        };
        assert_eq!(
            serde_json::to_value(&sign).unwrap(),
            serde_json::json!({"rnokpp": "1759013776", "title": "Заява", "document": "Прошу призначити пенсію",
                               "returnUrl": "https://fund.example/account?x=1"})
        );
        let created = SignatureRequestCreated {
            id: "0190a1b2-0000-7000-8000-000000000001".into(),
            sign_url: "https://hub.example/wallet/sign/0190a1b2-0000-7000-8000-000000000001".into(),
            expires_at: "2026-05-01T10:15:00Z".into(),
        };
        let v = serde_json::to_value(&created).unwrap();
        assert_eq!((v["signUrl"].as_str().is_some(), v["expiresAt"].as_str()), (true, Some("2026-05-01T10:15:00Z")));
        let outcome: SignatureOutcome = serde_json::from_value(serde_json::json!(
            {"id": "x", "status": "signed", "signature": "MAA=", "signedAt": "2026-05-01T10:05:00Z"}
        ))
        .unwrap();
        assert_eq!((outcome.status, outcome.signature_der()), (SignatureStatus::Signed, Some(vec![0x30, 0])));
        let waiting =
            SignatureOutcome { id: "x".into(), status: SignatureStatus::Waiting, signature: None, signed_at: None };
        assert_eq!(serde_json::to_string(&waiting).unwrap(), r#"{"id":"x","status":"waiting"}"#);
        for s in SignatureStatus::ALL {
            assert_eq!(serde_json::to_value(s).unwrap(), serde_json::json!(s.as_str()));
            assert_eq!(SignatureStatus::parse(s.as_str()), Some(s));
        }
        let err = AcquirerError { code: "already_used".into(), message: String::new(), message_en: String::new() };
        assert_eq!(err.refusal(), Some(Refusal::Code(dossier_domain::sharing::CodeRefusal::AlreadyUsed)));
    }
}
