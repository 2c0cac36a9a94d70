//! [`SignatureRequests`] in SQL.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Message;
use dossier_sharing::wire::SignatureStatus;
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::{SqlHubStore, entry};
use crate::store::*;

#[async_trait]
impl SignatureRequests for SqlHubStore {
    async fn create_signature_request(
        &self,
        actor: &HubActor,
        req: NewSignatureRequest,
    ) -> StoreResult<SignatureRecord> {
        let id = Uuid::now_v7();
        let created_at = dossier_db::audit::canonical_time(req.created_at);
        let expires_at = dossier_db::audit::canonical_time(req.expires_at);
        // The audit names the text by its digest only: what was signed stays with the request.
        let digest = base16ct::lower::encode_string(&dossier_crypto::digest::sha256(req.document.as_bytes()));
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO hub_signature_requests (id, acquirer_id, citizen_id, title, document, return_url, status, \
                 created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(id)
            .bind(&req.acquirer_id)
            .bind(req.citizen_id)
            .bind(&req.title)
            .bind(&req.document)
            .bind(&req.return_url)
            .bind(SignatureStatus::Waiting.as_str())
            .bind(created_at)
            .bind(expires_at)
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                entry(
                    actor,
                    "hub.signature.requested",
                    format!("signature:{id}"),
                    json!({"acquirer": req.acquirer_id, "citizen": req.citizen_id, "document_sha256": digest})
                )
            );
            tx.commit().await?;
        });
        Ok(SignatureRecord {
            id,
            acquirer_id: req.acquirer_id,
            citizen_id: req.citizen_id,
            title: req.title,
            document: req.document,
            return_url: req.return_url,
            status: SignatureStatus::Waiting,
            signature: None,
            created_at,
            expires_at,
            decided_at: None,
        })
    }

    async fn signature_request(&self, id: Uuid) -> StoreResult<Option<SignatureRecord>> {
        let row: Option<SignatureRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {SIGNATURE_COLS} FROM hub_signature_requests WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(SignatureRow::into_record).transpose()
    }

    async fn waiting_signature_requests(
        &self,
        citizen_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<SignatureRecord>> {
        let now = dossier_db::audit::canonical_time(now);
        let rows: Vec<SignatureRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {SIGNATURE_COLS} FROM hub_signature_requests \
                 WHERE citizen_id = $1 AND status = $2 AND expires_at > $3 ORDER BY created_at DESC, id DESC"
            ))
            .bind(citizen_id)
            .bind(SignatureStatus::Waiting.as_str())
            .bind(now)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(SignatureRow::into_record).collect()
    }

    async fn signature_request_of(&self, acquirer_id: &str, id: Uuid) -> StoreResult<Option<SignatureRecord>> {
        let row: Option<SignatureRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {SIGNATURE_COLS} FROM hub_signature_requests WHERE id = $1 AND acquirer_id = $2"
            ))
            .bind(id)
            .bind(acquirer_id)
            .fetch_optional(pool)
            .await?
        });
        row.map(SignatureRow::into_record).transpose()
    }

    async fn decide_signature_request(
        &self,
        actor: &HubActor,
        id: Uuid,
        citizen_id: Uuid,
        decision: SignatureDecision,
        now: DateTime<Utc>,
    ) -> StoreResult<SignatureRecord> {
        let now = dossier_db::audit::canonical_time(now);
        let (to, signature, action) = match decision {
            SignatureDecision::Sign(cms) => (SignatureStatus::Signed, Some(cms), "hub.signature.signed"),
            SignatureDecision::Decline => (SignatureStatus::Declined, None, "hub.signature.declined"),
        };
        let row: SignatureRow = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // The one decision: of two racing decisions (or a decision racing
            // the clock) exactly one, or none, updates the row.
            let decided: Option<SignatureRow> = sqlx::query_as(&format!(
                "UPDATE hub_signature_requests SET status = $1, signature = $2, decided_at = $3 \
                 WHERE id = $4 AND citizen_id = $5 AND status = $6 AND expires_at > $3 RETURNING {SIGNATURE_COLS}"
            ))
            .bind(to.as_str())
            .bind(signature.as_deref())
            .bind(now)
            .bind(id)
            .bind(citizen_id)
            .bind(SignatureStatus::Waiting.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            let Some(row) = decided else {
                let mine: Option<(String,)> =
                    sqlx::query_as("SELECT status FROM hub_signature_requests WHERE id = $1 AND citizen_id = $2")
                        .bind(id)
                        .bind(citizen_id)
                        .fetch_optional(&mut *tx)
                        .await?;
                return Err(match mine {
                    Some(_) => StoreError::Conflict(Message::new("wallet.sign.closed")),
                    None => StoreError::NotFound,
                });
            };
            append_audit!(tx, d, entry(actor, action, format!("signature:{id}"), json!({"acquirer": row.acquirer_id})));
            tx.commit().await?;
            row
        });
        row.into_record()
    }

    async fn purge_signature_requests(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        let before = dossier_db::audit::canonical_time(before);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("DELETE FROM hub_signature_requests WHERE expires_at <= $1")
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                let purge = entry(&HubActor::system("purge"), "hub.signature.purge", "signatures", json!({"count": n}));
                append_audit!(tx, d, purge);
            }
            tx.commit().await?;
            Ok(n)
        })
    }
}
