//! [`Requests`] in SQL: a code is taken, and a request moved, in one
//! transaction with its audit entry.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::Message;
use dossier_domain::sharing::{DocumentType, RequestEvent, RequestStatus, SharingCode, next};
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::{SqlHubStore, entry};
use crate::store::*;

#[async_trait]
impl Requests for SqlHubStore {
    async fn issue_code(
        &self,
        actor: &HubActor,
        citizen_id: Uuid,
        document_type: DocumentType,
        now: DateTime<Utc>,
        draw: &mut (dyn FnMut() -> SharingCode + Send),
    ) -> StoreResult<CodeRecord> {
        let now = dossier_db::audit::canonical_time(now);
        let dead_before = now - dossier_domain::sharing::CODE_TTL;
        for _ in 0..16 {
            let code = draw();
            let id = Uuid::now_v7();
            let done: bool = on_db!(&self.db, write, |pool, d| {
                let mut tx = pool.begin_write().await?;
                // An expired unused code with the same digits is dead: make room.
                sqlx::query("DELETE FROM hub_codes WHERE code = $1 AND used_at IS NULL AND issued_at <= $2")
                    .bind(code.as_str())
                    .bind(dead_before)
                    .execute(&mut *tx)
                    .await?;
                let inserted = sqlx::query(
                    "INSERT INTO hub_codes (id, code, citizen_id, doc_type, issued_at) VALUES ($1, $2, $3, $4, $5)",
                )
                .bind(id)
                .bind(code.as_str())
                .bind(citizen_id)
                .bind(document_type.code())
                .bind(now)
                .execute(&mut *tx)
                .await;
                match inserted {
                    Err(e) if is_unique_violation(&e) => false,
                    Err(e) => return Err(e.into()),
                    Ok(_) => {
                        // The code itself is a bearer secret for 3 minutes: not in the audit log.
                        append_audit!(
                            tx,
                            d,
                            entry(
                                actor,
                                "hub.code.issue",
                                format!("citizen:{citizen_id}"),
                                json!({"code_id": id, "type": document_type})
                            )
                        );
                        tx.commit().await?;
                        true
                    }
                }
            });
            if done {
                return Ok(CodeRecord { id, code, citizen_id, document_type, issued_at: now, used_at: None });
            }
        }
        Err(StoreError::Conflict(Message::new("wallet.code_collision")))
    }

    async fn code(&self, code: &str) -> StoreResult<Option<CodeRecord>> {
        let row: Option<CodeRow> = on_db!(&self.db, write, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {CODE_COLS} FROM hub_codes WHERE code = $1 \
                 ORDER BY CASE WHEN used_at IS NULL THEN 0 ELSE 1 END, issued_at DESC LIMIT 1"
            ))
            .bind(code)
            .fetch_optional(pool)
            .await?
        });
        row.map(CodeRow::into_record).transpose()
    }

    async fn code_by_id(&self, id: Uuid) -> StoreResult<Option<CodeRecord>> {
        let row: Option<CodeRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {CODE_COLS} FROM hub_codes WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(CodeRow::into_record).transpose()
    }

    async fn take_code(&self, code_id: Uuid, req: NewRequest, now: DateTime<Utc>) -> StoreResult<TakeOutcome> {
        let now = dossier_db::audit::canonical_time(now);
        let pk = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let dup: Option<(Uuid,)> =
                sqlx::query_as("SELECT id FROM hub_requests WHERE acquirer_id = $1 AND request_id = $2")
                    .bind(&req.acquirer_id)
                    .bind(&req.request_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            if dup.is_some() {
                return Ok(TakeOutcome::DuplicateRequest);
            }
            // The atomic take: of two racing requests exactly one updates the row.
            let taken: Option<(String, Uuid)> = sqlx::query_as(
                "UPDATE hub_codes SET used_at = $1 WHERE id = $2 AND used_at IS NULL RETURNING code, citizen_id",
            )
            .bind(now)
            .bind(code_id)
            .fetch_optional(&mut *tx)
            .await?;
            let Some((code, citizen_id)) = taken else { return Ok(TakeOutcome::AlreadyUsed) };
            let inserted = sqlx::query(
                "INSERT INTO hub_requests (id, acquirer_id, branch_id, request_id, barcode, citizen_id, doc_type, \
                 status, requested_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
            )
            .bind(pk)
            .bind(&req.acquirer_id)
            .bind(&req.branch_id)
            .bind(&req.request_id)
            .bind(&code)
            .bind(citizen_id)
            .bind(req.document_type.code())
            .bind(RequestStatus::WaitingConsent.code())
            .bind(now)
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Ok(TakeOutcome::DuplicateRequest),
                other => other?,
            };
            append_audit!(
                tx,
                d,
                entry(
                    &HubActor::acquirer(&req.acquirer_id),
                    "hub.request.create",
                    format!("request:{pk}"),
                    json!({"branch": req.branch_id, "request_id": req.request_id, "type": req.document_type, "citizen": citizen_id})
                )
            );
            tx.commit().await?;
            Ok(TakeOutcome::Taken(pk))
        })
    }

    async fn purge_codes(&self, before: DateTime<Utc>) -> StoreResult<u64> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let n = sqlx::query("DELETE FROM hub_codes WHERE used_at IS NULL AND issued_at <= $1")
                .bind(before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if n > 0 {
                append_audit!(tx, d, entry(&HubActor::system("purge"), "hub.code.purge", "codes", json!({"count": n})));
            }
            tx.commit().await?;
            Ok(n)
        })
    }

    async fn code_refusals(&self, branch_id: &str, since: DateTime<Utc>) -> StoreResult<Vec<DateTime<Utc>>> {
        let at: Vec<DateTime<Utc>> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_scalar("SELECT at FROM hub_code_refusals WHERE branch_id = $1 AND at > $2 ORDER BY at")
                .bind(branch_id)
                .bind(since)
                .fetch_all(pool)
                .await?
        });
        Ok(at)
    }

    async fn record_code_refusal(
        &self,
        actor: &HubActor,
        branch_id: &str,
        reason: &str,
        at: DateTime<Utc>,
        forget_before: DateTime<Utc>,
    ) -> StoreResult<()> {
        let at = dossier_db::audit::canonical_time(at);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM hub_code_refusals WHERE branch_id = $1 AND at < $2")
                .bind(branch_id)
                .bind(forget_before)
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO hub_code_refusals (branch_id, at) VALUES ($1, $2)")
                .bind(branch_id)
                .bind(at)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                entry(actor, "hub.code.refused", format!("branch:{branch_id}"), json!({"reason": reason}))
            );
            tx.commit().await?;
            Ok(())
        })
    }

    async fn create_deeplink_request(
        &self,
        req: NewRequest,
        token: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<TakeOutcome> {
        let now = dossier_db::audit::canonical_time(now);
        let pk = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO hub_requests (id, acquirer_id, branch_id, request_id, doc_type, status, deeplink_token, \
                 requested_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)",
            )
            .bind(pk)
            .bind(&req.acquirer_id)
            .bind(&req.branch_id)
            .bind(&req.request_id)
            .bind(req.document_type.code())
            .bind(RequestStatus::WaitingConsent.code())
            .bind(token)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => return Ok(TakeOutcome::DuplicateRequest),
                other => other?,
            };
            append_audit!(
                tx,
                d,
                entry(
                    &HubActor::acquirer(&req.acquirer_id),
                    "hub.request.create_deeplink",
                    format!("request:{pk}"),
                    json!({"branch": req.branch_id, "request_id": req.request_id, "type": req.document_type})
                )
            );
            tx.commit().await?;
            Ok(TakeOutcome::Taken(pk))
        })
    }

    async fn claim_deeplink(&self, token: &str, citizen_id: Uuid, now: DateTime<Utc>) -> StoreResult<Option<Uuid>> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<(Uuid, Option<Uuid>)> = sqlx::query_as(&format!(
                "SELECT id, citizen_id FROM hub_requests WHERE deeplink_token = $1{}",
                d.for_update()
            ))
            .bind(token)
            .fetch_optional(&mut *tx)
            .await?;
            let result = match row {
                None => None,
                Some((id, Some(owner))) => (owner == citizen_id).then_some(id),
                Some((id, None)) => {
                    sqlx::query("UPDATE hub_requests SET citizen_id = $1, updated_at = $2 WHERE id = $3")
                        .bind(citizen_id)
                        .bind(now)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                    append_audit!(
                        tx,
                        d,
                        entry(
                            &HubActor::citizen(citizen_id),
                            "hub.request.open_deeplink",
                            format!("request:{id}"),
                            json!({})
                        )
                    );
                    Some(id)
                }
            };
            tx.commit().await?;
            Ok(result)
        })
    }

    async fn request(&self, id: Uuid) -> StoreResult<Option<HubRequest>> {
        let row: Option<RequestRow> = on_db!(&self.db, write, |pool, _d| {
            sqlx::query_as(&format!("SELECT {REQUEST_COLS} FROM hub_requests WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(RequestRow::into_record).transpose()
    }

    async fn request_by_acquirer(&self, acquirer_id: &str, request_id: &str) -> StoreResult<Option<HubRequest>> {
        let row: Option<RequestRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {REQUEST_COLS} FROM hub_requests WHERE acquirer_id = $1 AND request_id = $2"
            ))
            .bind(acquirer_id)
            .bind(request_id)
            .fetch_optional(pool)
            .await?
        });
        row.map(RequestRow::into_record).transpose()
    }

    async fn requests_of(&self, citizen_id: Uuid) -> StoreResult<Vec<HubRequest>> {
        let rows: Vec<RequestRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {REQUEST_COLS} FROM hub_requests WHERE citizen_id = $1 ORDER BY requested_at DESC LIMIT 50"
            ))
            .bind(citizen_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(RequestRow::into_record).collect()
    }

    async fn advance_request(
        &self,
        actor: &HubActor,
        id: Uuid,
        event: RequestEvent,
        consent: Option<&[u8]>,
        package: Option<SealedPackage>,
        now: DateTime<Utc>,
    ) -> StoreResult<HubRequest> {
        let now = dossier_db::audit::canonical_time(now);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<RequestRow> =
                sqlx::query_as(&format!("SELECT {REQUEST_COLS} FROM hub_requests WHERE id = $1{}", d.for_update()))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?;
            let mut req = row.ok_or(StoreError::NotFound)?.into_record()?;
            let to = next(req.status, event).map_err(StoreError::Conflict)?;
            sqlx::query(
                "UPDATE hub_requests SET status = $1, updated_at = $2, consent = COALESCE($3, consent) WHERE id = $4",
            )
            .bind(to.code())
            .bind(now)
            .bind(consent)
            .bind(id)
            .execute(&mut *tx)
            .await?;
            if let Some(p) = &package {
                sqlx::query(
                    "INSERT INTO hub_outbox (request_pk, endpoint, file_name, file, metadata, attempts, next_attempt_at) \
                     VALUES ($1, $2, $3, $4, $5, 0, $6)",
                )
                .bind(id)
                .bind(&p.endpoint)
                .bind(&p.file_name)
                .bind(&p.file)
                .bind(&p.metadata)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            }
            append_audit!(
                tx,
                d,
                entry(
                    actor,
                    "hub.request.advance",
                    format!("request:{id}"),
                    json!({"from": req.status, "to": to, "event": event})
                )
            );
            tx.commit().await?;
            req.status = to;
            req.updated_at = now;
            if let Some(c) = consent {
                req.consent = Some(c.to_vec());
            }
            Ok(req)
        })
    }

    async fn expire_requests(&self, before: DateTime<Utc>, now: DateTime<Utc>) -> StoreResult<Vec<Uuid>> {
        let ids: Vec<(Uuid,)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT id FROM hub_requests WHERE status = $1 AND requested_at <= $2 LIMIT 500")
                .bind(RequestStatus::WaitingConsent.code())
                .bind(before)
                .fetch_all(pool)
                .await?
        });
        let mut done = Vec::new();
        for (id,) in ids {
            match self.advance_request(&HubActor::system("expiry"), id, RequestEvent::Expire, None, None, now).await {
                Ok(_) => done.push(id),
                // Decided in the meantime: nothing to expire.
                Err(StoreError::Conflict(_)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(done)
    }
}
