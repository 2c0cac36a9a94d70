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
        let err = AcquirerError { code: "already_used".into(), message: String::new(), message_en: String::new() };
        assert_eq!(err.refusal(), Some(Refusal::Code(dossier_domain::sharing::CodeRefusal::AlreadyUsed)));
    }
}
