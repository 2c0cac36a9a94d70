//! [`SqlHubStore`]: the [`HubStore`] on SQLite or PostgreSQL, one file per
//! repository; the rows they map are in `rows.rs`.
mod acquirers;
mod citizens;
mod outbox;
mod requests;
mod rows;
mod signatures;

use async_trait::async_trait;
use dossier_db::audit::{Log, PendingEntry, VerifyReport};
use dossier_db::{Backend, BeginWrite, Db, Migrations, StoreResult, append_audit, on_db, verify_chain};

use super::{HubActor, HubAudit, HubStore};

/// The hub's migrations: one file on SQLite (its audit chain lives beside its tables).
const MIGRATIONS: Migrations = Migrations {
    sqlite: &[
        ("hub_0001", include_str!("../../../migrations/sqlite/0001_hub.sql")),
        ("hub_0002", include_str!("../../../migrations/sqlite/0002_codes_by_code.sql")),
        ("hub_0003", include_str!("../../../migrations/sqlite/0003_login.sql")),
        ("hub_0004", include_str!("../../../migrations/sqlite/0004_signatures.sql")),
        ("hub_0005", include_str!("../../../migrations/sqlite/0005_code_refusals.sql")),
        ("hub_0006", include_str!("../../../migrations/sqlite/0006_signature_purge.sql")),
    ],
    sqlite_access: &[],
    postgres: &[
        ("hub_0001", include_str!("../../../migrations/postgres/0001_hub.sql")),
        ("hub_0002", include_str!("../../../migrations/postgres/0002_codes_by_code.sql")),
        ("hub_0003", include_str!("../../../migrations/postgres/0003_login.sql")),
        ("hub_0004", include_str!("../../../migrations/postgres/0004_signatures.sql")),
        ("hub_0005", include_str!("../../../migrations/postgres/0005_code_refusals.sql")),
        ("hub_0006", include_str!("../../../migrations/postgres/0006_signature_purge.sql")),
    ],
};

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
}

#[async_trait]
impl HubAudit for SqlHubStore {
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
