//! Staff accounts, sessions and API tokens.
use async_trait::async_trait;
use chrono::Utc;
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::Message;
use serde_json::json;
use uuid::Uuid;

use super::SqlStore;
use super::rows::{ACCOUNT_COLS, AccountRow};
use crate::*;

#[async_trait]
impl Staff for SqlStore {
    async fn create_account(&self, actor: &Actor, a: NewAccount) -> StoreResult<Account> {
        let id = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let r = sqlx::query(
                "INSERT INTO accounts (id, login, full_name, role, unit_id, password_hash, failed_logins, active, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, 0, TRUE, $7)",
            )
            .bind(id)
            .bind(&a.login)
            .bind(&a.full_name)
            .bind(a.role.as_str())
            .bind(a.unit_id)
            .bind(&a.password_hash)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await;
            match r {
                Err(e) if is_unique_violation(&e) => {
                    return Err(StoreError::Conflict(Message::new("staff.login_taken")));
                }
                r => {
                    r?;
                }
            }
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "staff.account.create",
                    format!("account:{id}"),
                    json!({"login": a.login, "role": a.role.as_str(), "unit_id": a.unit_id})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.account(id).await?.ok_or(StoreError::NotFound)
    }

    async fn account(&self, id: Uuid) -> StoreResult<Option<Account>> {
        let row: Option<AccountRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(AccountRow::into_account).transpose()
    }

    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>> {
        let row: Option<AccountRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {ACCOUNT_COLS} FROM accounts WHERE login = $1"))
                .bind(login)
                .fetch_optional(pool)
                .await?
        });
        row.map(AccountRow::into_account).transpose()
    }

    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        let rows: Vec<AccountRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {ACCOUNT_COLS} FROM accounts ORDER BY login")).fetch_all(pool).await?
        });
        rows.into_iter().map(AccountRow::into_account).collect()
    }

    async fn login_failed(&self, id: Uuid, max_failures: i32, lock_for: chrono::Duration) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let failures: i32 = sqlx::query_scalar(
                "UPDATE accounts SET failed_logins = failed_logins + 1 WHERE id = $1 RETURNING failed_logins",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            let mut entries = vec![PendingEntry::new(
                &format!("account:{id}"),
                "auth.login.failed",
                format!("account:{id}"),
                json!({"failures": failures}),
            )];
            if failures >= max_failures {
                let until = Utc::now() + lock_for;
                sqlx::query("UPDATE accounts SET locked_until = $1, failed_logins = 0 WHERE id = $2")
                    .bind(until)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                entries.push(PendingEntry::new(
                    "system:auth",
                    "auth.account.locked",
                    format!("account:{id}"),
                    json!({"until": until}),
                ));
            }
            append_audit!(tx, d, entries);
            tx.commit().await?;
            Ok(())
        })
    }

    async fn login_succeeded(&self, id: Uuid) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL WHERE id = $1")
                .bind(id)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(&format!("account:{id}"), "auth.login", format!("account:{id}"), json!({}))]
            );
            tx.commit().await?;
            Ok(())
        })
    }

    async fn create_session(&self, s: NewSession) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            // Expired sessions are swept here, on the (rare) login path.
            sqlx::query("DELETE FROM sessions WHERE expires_at < $1").bind(Utc::now()).execute(pool).await?;
            sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)")
                .bind(&s.token_hash)
                .bind(s.account_id)
                .bind(&s.csrf)
                .bind(Utc::now())
                .bind(s.expires_at)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>> {
        let row: Option<(String, Uuid, String, chrono::DateTime<Utc>)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT token_hash, account_id, csrf, expires_at FROM sessions WHERE token_hash = $1 AND expires_at > $2")
                .bind(token_hash)
                .bind(Utc::now())
                .fetch_optional(pool)
                .await?
        });
        let Some((token_hash, account_id, csrf, expires_at)) = row else { return Ok(None) };
        let Some(account) = self.account(account_id).await? else { return Ok(None) };
        Ok(Some((Session { token_hash, account_id, csrf, expires_at }, account)))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
            Ok(())
        })
    }

    async fn create_api_token(
        &self,
        actor: &Actor,
        account_id: Uuid,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<Uuid> {
        let id = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(id)
            .bind(account_id)
            .bind(name)
            .bind(token_hash)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "staff.token.create",
                    format!("account:{account_id}"),
                    json!({"token_id": id, "name": name})
                )]
            );
            tx.commit().await?;
            Ok(id)
        })
    }

    async fn account_by_api_token(&self, token_hash: &str) -> StoreResult<Option<Account>> {
        let row: Option<AccountRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {} FROM accounts a JOIN api_tokens t ON t.account_id = a.id WHERE t.token_hash = $1 AND t.revoked_at IS NULL",
                ACCOUNT_COLS.split(", ").map(|c| format!("a.{c}")).collect::<Vec<_>>().join(", ")
            ))
            .bind(token_hash)
            .fetch_optional(pool)
            .await?
        });
        row.map(AccountRow::into_account).transpose()
    }
}
