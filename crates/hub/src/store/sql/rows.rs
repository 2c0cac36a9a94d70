//! The hub's rows as SQL returns them, their columns, and their reading
//! into the hub's records (a value that no longer parses is a corrupt row).
use chrono::{DateTime, Utc};
use dossier_db::{StoreError, StoreResult};
use dossier_domain::sharing::{DocumentType, RequestStatus, SharingCode};
use dossier_sharing::wire::SignatureStatus;
use uuid::Uuid;

use crate::store::*;

pub(super) fn doc_type(s: &str) -> StoreResult<DocumentType> {
    DocumentType::parse(s).map_err(|_| StoreError::corrupt("document type"))
}

pub(super) fn status(s: &str) -> StoreResult<RequestStatus> {
    RequestStatus::parse(s).ok_or_else(|| StoreError::corrupt("request status"))
}

#[derive(sqlx::FromRow)]
pub(super) struct CitizenRow {
    pub(super) id: Uuid,
    pub(super) login: String,
    pub(super) password_hash: String,
    pub(super) display_name: String,
    pub(super) rnokpp: String,
}

impl From<CitizenRow> for Citizen {
    fn from(r: CitizenRow) -> Self {
        Citizen {
            id: r.id,
            login: r.login,
            password_hash: r.password_hash,
            display_name: r.display_name,
            rnokpp: r.rnokpp,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct DocumentRow {
    pub(super) id: Uuid,
    pub(super) citizen_id: Uuid,
    pub(super) doc_type: String,
    pub(super) data: String,
    pub(super) registry_signature: Vec<u8>,
    pub(super) issued_at: DateTime<Utc>,
}

impl DocumentRow {
    pub(super) fn into_record(self) -> StoreResult<HubDocument> {
        Ok(HubDocument {
            id: self.id,
            citizen_id: self.citizen_id,
            document_type: doc_type(&self.doc_type)?,
            data: serde_json::from_str(&self.data).map_err(|_| StoreError::corrupt("document data"))?,
            registry_signature: self.registry_signature,
            issued_at: self.issued_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct BranchRow {
    pub(super) id: String,
    pub(super) acquirer_id: String,
    pub(super) name: String,
    pub(super) address: String,
    pub(super) scopes: String,
    pub(super) encryption_cert_pem: String,
}

impl From<BranchRow> for Branch {
    fn from(r: BranchRow) -> Self {
        Branch {
            id: r.id,
            acquirer_id: r.acquirer_id,
            name: r.name,
            address: r.address,
            scopes: parse_scopes(&r.scopes),
            encryption_cert_pem: r.encryption_cert_pem,
        }
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct CodeRow {
    pub(super) id: Uuid,
    pub(super) code: String,
    pub(super) citizen_id: Uuid,
    pub(super) doc_type: String,
    pub(super) issued_at: DateTime<Utc>,
    pub(super) used_at: Option<DateTime<Utc>>,
}

impl CodeRow {
    pub(super) fn into_record(self) -> StoreResult<CodeRecord> {
        Ok(CodeRecord {
            id: self.id,
            code: SharingCode::parse(&self.code).map_err(|_| StoreError::corrupt("sharing code"))?,
            citizen_id: self.citizen_id,
            document_type: doc_type(&self.doc_type)?,
            issued_at: self.issued_at,
            used_at: self.used_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct RequestRow {
    pub(super) id: Uuid,
    pub(super) acquirer_id: String,
    pub(super) branch_id: String,
    pub(super) request_id: String,
    pub(super) barcode: Option<String>,
    pub(super) citizen_id: Option<Uuid>,
    pub(super) doc_type: String,
    pub(super) status: String,
    pub(super) deeplink_token: Option<String>,
    pub(super) consent: Option<Vec<u8>>,
    pub(super) requested_at: DateTime<Utc>,
    pub(super) updated_at: DateTime<Utc>,
}

impl RequestRow {
    pub(super) fn into_record(self) -> StoreResult<HubRequest> {
        Ok(HubRequest {
            id: self.id,
            acquirer_id: self.acquirer_id,
            branch_id: self.branch_id,
            request_id: self.request_id,
            barcode: self.barcode,
            citizen_id: self.citizen_id,
            document_type: doc_type(&self.doc_type)?,
            status: status(&self.status)?,
            deeplink_token: self.deeplink_token,
            consent: self.consent,
            requested_at: self.requested_at,
            updated_at: self.updated_at,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(super) struct OutboxRow {
    pub(super) request_pk: Uuid,
    pub(super) endpoint: String,
    pub(super) file_name: String,
    pub(super) file: Vec<u8>,
    pub(super) metadata: Vec<u8>,
    pub(super) attempts: i32,
}

#[derive(sqlx::FromRow)]
pub(super) struct SignatureRow {
    pub(super) id: Uuid,
    pub(super) acquirer_id: String,
    pub(super) citizen_id: Uuid,
    pub(super) title: String,
    pub(super) document: String,
    pub(super) return_url: String,
    pub(super) status: String,
    pub(super) signature: Option<Vec<u8>>,
    pub(super) created_at: DateTime<Utc>,
    pub(super) expires_at: DateTime<Utc>,
    pub(super) decided_at: Option<DateTime<Utc>>,
}

impl SignatureRow {
    pub(super) fn into_record(self) -> StoreResult<SignatureRecord> {
        let status = SignatureStatus::parse(&self.status)
            .filter(|s| *s != SignatureStatus::Expired)
            .ok_or_else(|| StoreError::corrupt("signature request status"))?;
        Ok(SignatureRecord {
            id: self.id,
            acquirer_id: self.acquirer_id,
            citizen_id: self.citizen_id,
            title: self.title,
            document: self.document,
            return_url: self.return_url,
            status,
            signature: self.signature,
            created_at: self.created_at,
            expires_at: self.expires_at,
            decided_at: self.decided_at,
        })
    }
}

pub(super) const SIGNATURE_COLS: &str = "id, acquirer_id, citizen_id, title, document, return_url, status, signature, \
                            created_at, expires_at, decided_at";
pub(super) const CITIZEN_COLS: &str = "id, login, password_hash, display_name, rnokpp";
pub(super) const CODE_COLS: &str = "id, code, citizen_id, doc_type, issued_at, used_at";
pub(super) const REQUEST_COLS: &str = "id, acquirer_id, branch_id, request_id, barcode, citizen_id, doc_type, status, \
                            deeplink_token, consent, requested_at, updated_at";
pub(super) const BRANCH_COLS: &str = "id, acquirer_id, name, address, scopes, encryption_cert_pem";
