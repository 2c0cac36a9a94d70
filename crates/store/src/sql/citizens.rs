//! [`CitizenSessions`] on SQL.
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use dossier_db::{StoreResult, on_db};

use super::SqlStore;
use super::point::Param;
use crate::*;

#[async_trait]
impl CitizenSessions for SqlStore {
    async fn begin_citizen_login(&self, l: &PendingLogin) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("DELETE FROM citizen_logins WHERE expires_at < $1").bind(Utc::now()).execute(pool).await?;
            sqlx::query(
                "INSERT INTO citizen_logins (id_hash, state, nonce, pkce_verifier, expires_at) VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(&l.id_hash)
            .bind(&l.state)
            .bind(&l.nonce)
            .bind(&l.pkce_verifier)
            .bind(l.expires_at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    async fn take_citizen_login(&self, id_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<PendingLogin>> {
        let row: Option<(String, String, String, String, DateTime<Utc>)> = on_db!(&self.db, write, |pool, _d| {
            sqlx::query_as(
                "DELETE FROM citizen_logins WHERE id_hash = $1 RETURNING id_hash, state, nonce, pkce_verifier, expires_at",
            )
            .bind(id_hash)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.filter(|r| r.4 > now).map(|(id_hash, state, nonce, pkce_verifier, expires_at)| PendingLogin {
            id_hash,
            state,
            nonce,
            pkce_verifier,
            expires_at,
        }))
    }

    async fn create_citizen_session(&self, s: &CitizenSession) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("DELETE FROM citizen_sessions WHERE expires_at < $1").bind(Utc::now()).execute(pool).await?;
            sqlx::query(
                "INSERT INTO citizen_sessions (token_hash, issuer, subject, rnokpp, name, csrf, created_at, expires_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(&s.token_hash)
            .bind(&s.issuer)
            .bind(&s.subject)
            .bind(&s.rnokpp)
            .bind(&s.name)
            .bind(&s.csrf)
            .bind(Utc::now())
            .bind(s.expires_at)
            .execute(pool)
            .await?;
            Ok(())
        })
    }

    async fn citizen_session(&self, token_hash: &str, now: DateTime<Utc>) -> StoreResult<Option<CitizenSession>> {
        type Row = (String, String, String, String, String, String, DateTime<Utc>);
        // Every page of the account reads this first; the expiry is checked here
        // rather than in SQL so the same statement runs on the calling thread.
        let sql = "SELECT token_hash, issuer, subject, rnokpp, name, csrf, expires_at FROM citizen_sessions \
                   WHERE token_hash = $1";
        let rows: Vec<Row> = self.point_rows(sql, &[Param::Text(token_hash.to_owned())]).await?;
        let row = rows.into_iter().find(|r| r.6 > now);
        Ok(row.map(|(token_hash, issuer, subject, rnokpp, name, csrf, expires_at)| CitizenSession {
            token_hash,
            issuer,
            subject,
            rnokpp,
            name,
            csrf,
            expires_at,
        }))
    }

    async fn delete_citizen_session(&self, token_hash: &str) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("DELETE FROM citizen_sessions WHERE token_hash = $1").bind(token_hash).execute(pool).await?;
            Ok(())
        })
    }
}
