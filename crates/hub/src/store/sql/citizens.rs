//! [`Citizens`] in SQL.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::Message;
use dossier_domain::sharing::DocumentType;
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::{SqlHubStore, entry};
use crate::store::*;

#[async_trait]
impl Citizens for SqlHubStore {
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
}
