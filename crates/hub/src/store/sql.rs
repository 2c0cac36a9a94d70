//! [`SqlHubStore`]: the [`HubStore`] on SQLite or PostgreSQL.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_domain::Message;
use dossier_domain::sharing::{DocumentType, RequestEvent, RequestStatus, SharingCode, next};
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::*;
use dossier_db::{BeginWrite, Migrations};

/// The hub's migrations: one file on SQLite (its audit chain lives beside its tables).
const MIGRATIONS: Migrations = Migrations {
    sqlite: &[
        ("hub_0001", include_str!("../../migrations/sqlite/0001_hub.sql")),
        ("hub_0002", include_str!("../../migrations/sqlite/0002_codes_by_code.sql")),
        ("hub_0003", include_str!("../../migrations/sqlite/0003_login.sql")),
        ("hub_0004", include_str!("../../migrations/sqlite/0004_signatures.sql")),
    ],
    sqlite_access: &[],
    postgres: &[
        ("hub_0001", include_str!("../../migrations/postgres/0001_hub.sql")),
        ("hub_0002", include_str!("../../migrations/postgres/0002_codes_by_code.sql")),
        ("hub_0003", include_str!("../../migrations/postgres/0003_login.sql")),
        ("hub_0004", include_str!("../../migrations/postgres/0004_signatures.sql")),
    ],
};
use dossier_db::audit::{Log, PendingEntry, VerifyReport};
use dossier_db::{Db, on_db};
use dossier_db::{StoreError, StoreResult, is_unique_violation};
use dossier_db::{append_audit, verify_chain};

pub struct SqlHubStore {
    db: Db,
}

impl SqlHubStore {
    /// Connects (`sqlite://path` or `postgres://…`) and migrates the hub's schema.
    pub async fn open(url: &str) -> StoreResult<SqlHubStore> {
        let db = Db::connect_one_file(url).await?;
        db.migrate(&MIGRATIONS).await?;
        Ok(SqlHubStore { db })
    }
}

fn entry(actor: &HubActor, action: &str, subject: impl ToString, details: serde_json::Value) -> Vec<PendingEntry> {
    vec![PendingEntry::new(&actor.0, action, subject, details)]
}

#[async_trait]
impl HubStore for SqlHubStore {
    fn backend(&self) -> Backend {
        self.db.backend()
    }

    async fn create_citizen(&self, actor: &HubActor, c: NewCitizen) -> StoreResult<Citizen> {
        let id = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO hub_citizens (id, login, password_hash, display_name, rnokpp, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(&c.login)
            .bind(&c.password_hash)
            .bind(&c.display_name)
            .bind(&c.rnokpp)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(Message::new("wallet.login_taken")));
                }
                other => other?,
            };
            append_audit!(tx, d, entry(actor, "hub.citizen.create", format!("citizen:{id}"), json!({})));
            tx.commit().await?;
        });
        Ok(Citizen {
            id,
            login: c.login,
            password_hash: c.password_hash,
            display_name: c.display_name,
            rnokpp: c.rnokpp,
        })
    }

    async fn citizen(&self, id: Uuid) -> StoreResult<Option<Citizen>> {
        let row: Option<CitizenRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {CITIZEN_COLS} FROM hub_citizens WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    async fn citizen_by_login(&self, login: &str) -> StoreResult<Option<Citizen>> {
        let row: Option<CitizenRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {CITIZEN_COLS} FROM hub_citizens WHERE login = $1"))
                .bind(login)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    async fn create_wallet_session(
        &self,
        token_hash: &str,
        citizen_id: Uuid,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("DELETE FROM hub_sessions WHERE expires_at < $1").bind(Utc::now()).execute(pool).await?;
            sqlx::query("INSERT INTO hub_sessions (token_hash, citizen_id, expires_at) VALUES ($1, $2, $3)")
                .bind(token_hash)
                .bind(citizen_id)
                .bind(expires_at)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    async fn wallet_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<Citizen>> {
        let id: Option<(Uuid,)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT citizen_id FROM hub_sessions WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(now)
                .fetch_optional(pool)
                .await?
        });
        match id {
            Some((id,)) => self.citizen(id).await,
            None => Ok(None),
        }
    }

    async fn delete_wallet_session(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("DELETE FROM hub_sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
        });
        Ok(())
    }

    async fn save_login_code(&self, c: &LoginCode) -> StoreResult<()> {
        let actor = HubActor::citizen(c.citizen_id);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM hub_login_codes WHERE expires_at < $1").bind(Utc::now()).execute(&mut *tx).await?;
            sqlx::query(
                "INSERT INTO hub_login_codes (code_hash, acquirer_id, citizen_id, redirect_uri, code_challenge, nonce, \
                 auth_time, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&c.code_hash)
            .bind(&c.acquirer_id)
            .bind(c.citizen_id)
            .bind(&c.redirect_uri)
            .bind(&c.code_challenge)
            .bind(&c.nonce)
            .bind(c.auth_time)
            .bind(c.expires_at)
            .execute(&mut *tx)
            .await?;
            let subject = format!("citizen:{}", c.citizen_id);
            append_audit!(tx, d, entry(&actor, "hub.login.grant", subject, json!({ "acquirer": c.acquirer_id })));
            tx.commit().await?;
        });
        Ok(())
    }

    async fn take_login_code(&self, code_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<LoginCode>> {
        type Row = (String, String, Uuid, String, String, String, DateTime<Utc>, DateTime<Utc>);
        // DELETE … RETURNING: of two racing token requests with one code, one gets the row.
        let row: Option<Row> = on_db!(&self.db, write, |pool, _d| {
            sqlx::query_as(
                "DELETE FROM hub_login_codes WHERE code_hash = $1 RETURNING code_hash, acquirer_id, citizen_id, \
                 redirect_uri, code_challenge, nonce, auth_time, expires_at",
            )
            .bind(code_hash)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.filter(|r| r.7 > now).map(
            |(code_hash, acquirer_id, citizen_id, redirect_uri, code_challenge, nonce, auth_time, expires_at)| {
                LoginCode {
                    code_hash,
                    acquirer_id,
                    citizen_id,
                    redirect_uri,
                    code_challenge,
                    nonce,
                    auth_time,
                    expires_at,
                }
            },
        ))
    }

    async fn add_document(
        &self,
        actor: &HubActor,
        citizen_id: Uuid,
        document_type: DocumentType,
        data: &serde_json::Value,
        registry_signature: &[u8],
    ) -> StoreResult<HubDocument> {
        let id = Uuid::now_v7();
        let now = dossier_db::audit::canonical_time(Utc::now());
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let inserted = sqlx::query(
                "INSERT INTO hub_documents (id, citizen_id, doc_type, data, registry_signature, issued_at) \
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(id)
            .bind(citizen_id)
            .bind(document_type.code())
            .bind(data.to_string())
            .bind(registry_signature)
            .bind(now)
            .execute(&mut *tx)
            .await;
            match inserted {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(Message::new("wallet.document_exists")));
                }
                other => other?,
            };
            append_audit!(
                tx,
                d,
                entry(actor, "hub.document.issue", format!("citizen:{citizen_id}"), json!({"type": document_type}))
            );
            tx.commit().await?;
        });
        Ok(HubDocument {
            id,
            citizen_id,
            document_type,
            data: data.clone(),
            registry_signature: registry_signature.to_vec(),
            issued_at: now,
        })
    }

    async fn documents_of(&self, citizen_id: Uuid) -> StoreResult<Vec<HubDocument>> {
        let rows: Vec<DocumentRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT id, citizen_id, doc_type, data, registry_signature, issued_at FROM hub_documents \
                 WHERE citizen_id = $1 ORDER BY doc_type",
            )
            .bind(citizen_id)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(DocumentRow::into_record).collect()
    }

    async fn set_citizen_key(&self, actor: &HubActor, key: CitizenKey) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("DELETE FROM hub_citizen_keys WHERE citizen_id = $1")
                .bind(key.citizen_id)
                .execute(&mut *tx)
                .await?;
            sqlx::query(
                "INSERT INTO hub_citizen_keys (citizen_id, container, certificate_pem, updated_at) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(key.citizen_id)
            .bind(&key.container_json)
            .bind(&key.certificate_pem)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            append_audit!(tx, d, entry(actor, "hub.key.set", format!("citizen:{}", key.citizen_id), json!({})));
            tx.commit().await?;
        });
        Ok(())
    }

    async fn citizen_key(&self, citizen_id: Uuid) -> StoreResult<Option<CitizenKey>> {
        let row: Option<(String, String)> = on_db!(&self.db, write, |pool, _d| {
            sqlx::query_as("SELECT container, certificate_pem FROM hub_citizen_keys WHERE citizen_id = $1")
                .bind(citizen_id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(container_json, certificate_pem)| CitizenKey { citizen_id, container_json, certificate_pem }))
    }

    async fn update_key_container(&self, citizen_id: Uuid, container_json: &str) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("UPDATE hub_citizen_keys SET container = $1, updated_at = $2 WHERE citizen_id = $3")
                .bind(container_json)
                .bind(Utc::now())
                .bind(citizen_id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    async fn save_acquirer(&self, actor: &HubActor, a: Acquirer) -> StoreResult<Acquirer> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO hub_acquirers (id, name, endpoint, token_hash, login_redirect_uri, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6) \
                 ON CONFLICT (id) DO UPDATE SET name = excluded.name, endpoint = excluded.endpoint, \
                 token_hash = excluded.token_hash, login_redirect_uri = excluded.login_redirect_uri",
            )
            .bind(&a.id)
            .bind(&a.name)
            .bind(&a.endpoint)
            .bind(&a.token_hash)
            .bind(&a.login_redirect_uri)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            append_audit!(tx, d, entry(actor, "hub.acquirer.save", format!("acquirer:{}", a.id), json!({})));
            tx.commit().await?;
        });
        Ok(a)
    }

    async fn acquirer(&self, id: &str) -> StoreResult<Option<Acquirer>> {
        let row: Option<(String, String, String, String, Option<String>)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT id, name, endpoint, token_hash, login_redirect_uri FROM hub_acquirers WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(id, name, endpoint, token_hash, login_redirect_uri)| Acquirer {
            id,
            name,
            endpoint,
            token_hash,
            login_redirect_uri,
        }))
    }

    async fn create_branch(&self, actor: &HubActor, acquirer_id: &str, b: NewBranch) -> StoreResult<Branch> {
        let id = Uuid::new_v4().simple().to_string();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO hub_branches (id, acquirer_id, name, address, scopes, encryption_cert_pem, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(acquirer_id)
            .bind(&b.name)
            .bind(&b.address)
            .bind(scopes_text(&b.scopes))
            .bind(&b.encryption_cert_pem)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                entry(actor, "hub.branch.create", format!("branch:{id}"), json!({"scopes": b.scopes}))
            );
            tx.commit().await?;
        });
        Ok(Branch {
            id,
            acquirer_id: acquirer_id.to_owned(),
            name: b.name,
            address: b.address,
            scopes: b.scopes,
            encryption_cert_pem: b.encryption_cert_pem,
        })
    }

    async fn branch(&self, id: &str) -> StoreResult<Option<Branch>> {
        let row: Option<BranchRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {BRANCH_COLS} FROM hub_branches WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(Into::into))
    }

    async fn branches(&self, acquirer_id: &str) -> StoreResult<Vec<Branch>> {
        let rows: Vec<BranchRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {BRANCH_COLS} FROM hub_branches WHERE acquirer_id = $1 ORDER BY created_at"
            ))
            .bind(acquirer_id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows.into_iter().map(Into::into).collect())
    }

    async fn create_offer(
        &self,
        actor: &HubActor,
        branch_id: &str,
        name: &str,
        scopes: &[DocumentType],
    ) -> StoreResult<Offer> {
        let id = Uuid::new_v4().simple().to_string();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("INSERT INTO hub_offers (id, branch_id, name, scopes, created_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&id)
                .bind(branch_id)
                .bind(name)
                .bind(scopes_text(scopes))
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            append_audit!(tx, d, entry(actor, "hub.offer.create", format!("branch:{branch_id}"), json!({"offer": id})));
            tx.commit().await?;
        });
        Ok(Offer { id, branch_id: branch_id.to_owned(), name: name.to_owned(), scopes: scopes.to_vec() })
    }

    async fn offer(&self, id: &str) -> StoreResult<Option<Offer>> {
        let row: Option<(String, String, String, String)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT id, branch_id, name, scopes FROM hub_offers WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        Ok(row.map(|(id, branch_id, name, scopes)| Offer { id, branch_id, name, scopes: parse_scopes(&scopes) }))
    }

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

    async fn citizen_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<Citizen>> {
        let row: Option<CitizenRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {CITIZEN_COLS} FROM hub_citizens WHERE rnokpp = $1 ORDER BY created_at, id LIMIT 1"
            ))
            .bind(rnokpp)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(Into::into))
    }

    async fn create_signature_request(
        &self,
        actor: &HubActor,
        req: NewSignatureRequest,
    ) -> StoreResult<SignatureRecord> {
        let id = Uuid::now_v7();
        let created_at = dossier_db::audit::canonical_time(req.created_at);
        let expires_at = dossier_db::audit::canonical_time(req.expires_at);
        // The audit names the text by its digest only: what was signed stays with the request.
        let digest = hex::encode(dossier_crypto::digest::sha256(req.document.as_bytes()));
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

    async fn claim_deliveries(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<OutboxItem>> {
        let until = now + lease;
        let rows: Vec<(OutboxRow, String)> = on_db!(&self.db, write, |pool, d| {
            let skip = match d.backend {
                Backend::Postgres => " FOR UPDATE SKIP LOCKED",
                Backend::Sqlite => "",
            };
            let mut tx = pool.begin_write().await?;
            let rows: Vec<OutboxRow> = sqlx::query_as(&format!(
                "UPDATE hub_outbox SET claimed_until = $1 WHERE request_pk IN (\
                   SELECT request_pk FROM hub_outbox WHERE next_attempt_at <= $2 \
                   AND (claimed_until IS NULL OR claimed_until <= $2) ORDER BY next_attempt_at LIMIT $3{skip}) \
                 RETURNING request_pk, endpoint, file_name, file, metadata, attempts"
            ))
            .bind(until)
            .bind(now)
            .bind(limit)
            .fetch_all(&mut *tx)
            .await?;
            let mut out = Vec::with_capacity(rows.len());
            for r in rows {
                let (rid,): (String,) = sqlx::query_as("SELECT request_id FROM hub_requests WHERE id = $1")
                    .bind(r.request_pk)
                    .fetch_one(&mut *tx)
                    .await?;
                out.push((r, rid));
            }
            tx.commit().await?;
            out
        });
        Ok(rows
            .into_iter()
            .map(|(r, request_id)| OutboxItem {
                request_pk: r.request_pk,
                request_id,
                endpoint: r.endpoint,
                file_name: r.file_name,
                file: r.file,
                metadata: r.metadata,
                attempts: r.attempts,
            })
            .collect())
    }

    async fn delivery_acknowledged(&self, request_pk: Uuid, now: DateTime<Utc>) -> StoreResult<()> {
        self.finish_delivery(request_pk, RequestEvent::Acknowledge, None, now).await
    }

    async fn delivery_failed(
        &self,
        request_pk: Uuid,
        error: &str,
        next_attempt_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        match next_attempt_at {
            None => self.finish_delivery(request_pk, RequestEvent::GiveUp, Some(error), now).await,
            Some(at) => {
                on_db!(&self.db, write, |pool, d| {
                    let mut tx = pool.begin_write().await?;
                    sqlx::query(
                        "UPDATE hub_outbox SET attempts = attempts + 1, next_attempt_at = $1, claimed_until = NULL, \
                         last_error = $2 WHERE request_pk = $3",
                    )
                    .bind(at)
                    .bind(error)
                    .bind(request_pk)
                    .execute(&mut *tx)
                    .await?;
                    append_audit!(
                        tx,
                        d,
                        entry(
                            &HubActor::system("delivery"),
                            "hub.delivery.retry",
                            format!("request:{request_pk}"),
                            json!({"error": error})
                        )
                    );
                    tx.commit().await?;
                });
                Ok(())
            }
        }
    }

    async fn outbox_len(&self) -> StoreResult<i64> {
        let (n,): (i64,) = on_db!(&self.db, write, |pool, _d| sqlx::query_as("SELECT COUNT(*) FROM hub_outbox")
            .fetch_one(pool)
            .await?);
        Ok(n)
    }

    async fn audit(
        &self,
        actor: &HubActor,
        action: &str,
        subject: &str,
        details: serde_json::Value,
    ) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            append_audit!(tx, d, entry(actor, action, subject, details));
            tx.commit().await?;
        });
        Ok(())
    }

    async fn audit_verify(&self) -> StoreResult<VerifyReport> {
        let change = on_db!(&self.db, write, |pool, _d| verify_chain!(pool, Log::Change));
        Ok(VerifyReport { logs: vec![change] })
    }

    async fn audit_actions(&self, subject: &str) -> StoreResult<Vec<String>> {
        let rows: Vec<(String,)> = on_db!(&self.db, write, |pool, _d| {
            sqlx::query_as("SELECT action FROM audit_log WHERE subject = $1 ORDER BY seq")
                .bind(subject)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(a,)| a).collect())
    }
}

impl SqlHubStore {
    /// Acknowledged or given up: the request reaches its final status and
    /// the sealed package is deleted in the same transaction.
    async fn finish_delivery(
        &self,
        request_pk: Uuid,
        event: RequestEvent,
        error: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        let now = dossier_db::audit::canonical_time(now);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<(String,)> =
                sqlx::query_as(&format!("SELECT status FROM hub_requests WHERE id = $1{}", d.for_update()))
                    .bind(request_pk)
                    .fetch_optional(&mut *tx)
                    .await?;
            let from = status(&row.ok_or(StoreError::NotFound)?.0)?;
            let to = next(from, event).map_err(StoreError::Conflict)?;
            sqlx::query("UPDATE hub_requests SET status = $1, updated_at = $2 WHERE id = $3")
                .bind(to.code())
                .bind(now)
                .bind(request_pk)
                .execute(&mut *tx)
                .await?;
            sqlx::query("DELETE FROM hub_outbox WHERE request_pk = $1").bind(request_pk).execute(&mut *tx).await?;
            append_audit!(
                tx,
                d,
                entry(
                    &HubActor::system("delivery"),
                    "hub.request.advance",
                    format!("request:{request_pk}"),
                    json!({"from": from, "to": to, "event": event, "error": error})
                )
            );
            tx.commit().await?;
        });
        Ok(())
    }
}
