//! [`Acquirers`] in SQL.
use async_trait::async_trait;
use chrono::Utc;
use dossier_db::{BeginWrite, StoreResult, append_audit, on_db};
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::{SqlHubStore, entry};
use crate::store::*;

#[async_trait]
impl Acquirers for SqlHubStore {
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
}
