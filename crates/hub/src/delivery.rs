//! After consent: the copy is formed (PDF/A with the document's fields and
//! the stamp — recipient fund, branch, date and time of formation in Kyiv
//! time, request id), PAdES-signed with the hub's key, sealed with its
//! metadata to the branch's encryption certificate, and only the sealed
//! package is stored. The worker then posts it to the acquirer's endpoint
//! (multipart `encryptedFile`, `encryptedFileName`, `encodeData`, header
//! `X-Document-Request-Trace-Id`), retrying with back-off until `{"success": true}`.
//! The same worker expires requests left without a decision and purges unused
//! codes and signature requests long expired.
use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
use dossier_crypto::signed::SigningIdentity;
use dossier_domain::sharing::{self, CONSENT_TTL, MAX_DELIVERY_ATTEMPTS, PURGE_AFTER, SIGNATURE_PURGE_AFTER};
pub use dossier_domain::time::{kyiv_offset, kyiv_time};
use dossier_domain::{Lang, i18n};
use dossier_pdf::{DocumentCopy, Field, Stamp};

use crate::documents::fields_of;
use crate::store::{Acquirer, Branch, HubDocument, HubRequest, OutboxItem, SealedPackage};
use crate::{HubKeys, HubState};
use dossier_sharing::package::{self, Package};
use dossier_sharing::wire::{Metadata, Recipient};

/// The copy as printed: the document's every field with Ukrainian labels,
/// the issuer's note and the stamp naming recipient, branch, time and request.
pub fn copy_of(document: &HubDocument, recipient: &Recipient, formed_local: &str, request_id: &str) -> DocumentCopy {
    let uk = |k: &str| i18n::text(k, Lang::UK).to_owned();
    DocumentCopy {
        title: i18n::text(document.document_type.label_key(), Lang::UK).to_owned(),
        fields: fields_of(&document.data, Lang::UK).into_iter().map(|f| Field::new(f.label, f.value)).collect(),
        issuer_note: uk("wallet.copy.issuer_note"),
        stamp: Stamp {
            heading: uk("wallet.copy.stamp"),
            lines: vec![
                Field::new(uk("wallet.copy.recipient"), recipient.acquirer_name.clone()),
                Field::new(uk("wallet.copy.branch"), recipient.branch_name.clone()),
                Field::new(uk("wallet.copy.formed_at"), formed_local.to_owned()),
                Field::new(uk("wallet.copy.request_id"), request_id.to_owned()),
            ],
        },
    }
}

/// Forms, signs and seals the copy for an approved request. Nothing of it is
/// stored unencrypted: the caller stores the returned sealed package.
pub async fn form_package(
    state: &HubState,
    req: &HubRequest,
    acquirer: &Acquirer,
    branch: &Branch,
    document: &HubDocument,
    consent_cms: &[u8],
) -> Result<SealedPackage, dossier_http::Problem> {
    use base64::Engine as _;
    let now = Utc::now();
    let local = kyiv_time(now);
    let formed_local = local.format("%d.%m.%Y %H:%M:%S").to_string();
    let recipient = Recipient {
        acquirer_id: acquirer.id.clone(),
        acquirer_name: acquirer.name.clone(),
        branch_id: branch.id.clone(),
        branch_name: branch.name.clone(),
    };
    let mut data = serde_json::Map::new();
    data.insert(document.document_type.code().into(), document.data.clone());
    let metadata = Metadata {
        request_id: req.request_id.clone(),
        barcode: req.barcode.clone().unwrap_or_default(),
        document_types: vec![document.document_type],
        data,
        recipient: recipient.clone(),
        formed_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        formed_at_local: formed_local.clone(),
        consent: Some(base64::engine::general_purpose::STANDARD.encode(consent_cms)),
    };
    let copy = copy_of(document, &recipient, &formed_local, &req.request_id);
    let keys = state.keys.clone();
    let branch_pem = branch.encryption_cert_pem.clone();
    let endpoint = acquirer.endpoint.clone();
    tokio::task::spawn_blocking(move || -> Result<SealedPackage, String> {
        let cert = dossier_crypto::ca::certificate_from_pem(branch_pem.as_bytes()).map_err(|e| format!("cert: {e}"))?;
        let p = seal_copy(&keys, &copy, local, &metadata, &cert)?;
        Ok(SealedPackage { endpoint, file_name: p.file_name, file: p.file, metadata: p.metadata })
    })
    .await
    .map_err(|_| dossier_http::Problem::internal())?
    .map_err(|e| {
        // The reason names a step, never the content.
        tracing::error!(error = %e, "forming the copy failed");
        dossier_http::Problem::internal()
    })
}

/// Renders the copy as PDF/A, signs it (PAdES) with the hub's key and seals
/// it with the metadata to the branch's certificate. CPU-bound: callers run it
/// on the blocking pool. The error names a step, never the content.
pub fn seal_copy(
    keys: &HubKeys,
    copy: &DocumentCopy,
    local: DateTime<FixedOffset>,
    metadata: &Metadata,
    branch_certificate: &x509_cert::Certificate,
) -> Result<Package, String> {
    let pdf = dossier_pdf::render_document_copy_at(copy, local).map_err(|e| format!("render: {e}"))?;
    let id = SigningIdentity { key: &keys.signing_key, certificate: &keys.signing_certificate, chain: &keys.chain };
    let opts = PadesOptions {
        reason: Some("Копію сформовано за згодою власника документа".into()),
        location: None,
        ..PadesOptions::default()
    };
    let signed = sign_pdf(&pdf, &id, None, &opts).map_err(|e| format!("sign: {e}"))?;
    package::seal(&id, branch_certificate, &signed, metadata).map_err(|e| format!("seal: {e}"))
}

/// One pass of the worker at `now`: expire, purge, deliver what is due.
/// Returns how many deliveries were attempted.
pub async fn run_once(state: &HubState, now: DateTime<Utc>) -> usize {
    if let Err(e) = state.store.expire_requests(now - CONSENT_TTL, now).await {
        tracing::warn!(error = %e, "expiring requests failed");
    }
    if let Err(e) = state.store.purge_codes(now - PURGE_AFTER).await {
        tracing::warn!(error = %e, "purging codes failed");
    }
    if let Err(e) = state.store.purge_signature_requests(now - SIGNATURE_PURGE_AFTER).await {
        tracing::warn!(error = %e, "purging signature requests failed");
    }
    let items = match state.store.claim_deliveries(now, chrono::Duration::minutes(5), 16).await {
        Ok(items) => items,
        Err(e) => {
            tracing::warn!(error = %e, "claiming deliveries failed");
            return 0;
        }
    };
    let n = items.len();
    for item in items {
        deliver(state, item, now).await;
    }
    n
}

/// Runs forever: a pass on every wake-up (approval) or interval.
pub async fn worker(state: HubState) {
    loop {
        run_once(&state, Utc::now()).await;
        let _ = tokio::time::timeout(state.config.worker_interval, state.wake.notified()).await;
    }
}

/// Posts one package; acknowledged → delivered and deleted; otherwise
/// retried after `retry_delay(attempt)`, failed after MAX_DELIVERY_ATTEMPTS.
async fn deliver(state: &HubState, item: OutboxItem, now: DateTime<Utc>) {
    let outcome = post(state, &item).await;
    let result = match outcome {
        Ok(()) => {
            tracing::info!(request = %item.request_pk, "package delivered and deleted");
            state.store.delivery_acknowledged(item.request_pk, Utc::now()).await
        }
        Err(reason) => {
            let attempt = u32::try_from(item.attempts).unwrap_or(0) + 1;
            let next = (attempt < MAX_DELIVERY_ATTEMPTS).then(|| now + sharing::retry_delay(attempt));
            tracing::warn!(request = %item.request_pk, attempt, error = %reason, "delivery failed");
            state.store.delivery_failed(item.request_pk, &reason, next, Utc::now()).await
        }
    };
    if let Err(e) = result {
        tracing::error!(error = %e, "recording a delivery outcome failed");
    }
}

async fn post(state: &HubState, item: &OutboxItem) -> Result<(), String> {
    let package =
        Package { file_name: item.file_name.clone(), file: item.file.clone(), metadata: item.metadata.clone() };
    dossier_sharing::client::deliver(&state.http, &item.endpoint, &item.request_id, package, Duration::from_secs(30))
        .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_names_recipient_branch_date_and_request() {
        let doc = HubDocument {
            id: uuid::Uuid::nil(),
            citizen_id: uuid::Uuid::nil(),
            document_type: sharing::DocumentType::TaxpayerCard,
            data: serde_json::json!({"docNumber": "1759013776"}),
            registry_signature: vec![],
            issued_at: Utc::now(),
        };
        let r = Recipient {
            acquirer_id: "pfu".into(),
            acquirer_name: "Пенсійний фонд".into(),
            branch_id: "b".into(),
            branch_name: "Центр 1".into(),
        };
        let copy = copy_of(&doc, &r, "21.11.2026 12:00:00", "req-1");
        let lines: Vec<&str> = copy.stamp.lines.iter().map(|l| l.value.as_str()).collect();
        assert_eq!(lines, ["Пенсійний фонд", "Центр 1", "21.11.2026 12:00:00", "req-1"]);
        assert_eq!(copy.fields[0].value, "1759013776");
    }
}
