//! What the operator asks of the fund's service (issue 22 §6): is it ready,
//! and how are its database and its queues of work doing.
use chrono::{DateTime, Utc};
use dossier_store::operations::{PoolStats, WorkQueue};

use crate::App;
use crate::error::AppResult;

/// What keeps a server from serving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NotReady {
    Database,
    BlobStore,
}

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            NotReady::Database => "the database does not answer",
            NotReady::BlobStore => "the blob store does not answer",
        })
    }
}

/// How long each is given to answer: a balancer's health check gives up after
/// a few seconds, and a request would wait up to the pool's 10 s for a
/// connection while the database is down.
const READY_WITHIN: std::time::Duration = std::time::Duration::from_secs(3);

/// Ready when the database and the blob store both answer (asked at once).
pub async fn ready(app: &App) -> Result<(), NotReady> {
    let (db, blobs) = tokio::join!(answers(app.store.ping()), answers(app.blobs.ping()));
    if !db {
        return Err(NotReady::Database);
    }
    if !blobs {
        return Err(NotReady::BlobStore);
    }
    Ok(())
}

async fn answers<E>(ping: impl std::future::Future<Output = Result<(), E>>) -> bool {
    matches!(tokio::time::timeout(READY_WITHIN, ping).await, Ok(Ok(())))
}

/// The database pools and every worker's queue, as of `at`.
pub struct Snapshot {
    pub at: DateTime<Utc>,
    pub pools: Vec<PoolStats>,
    pub queues: Vec<WorkQueue>,
}

pub async fn snapshot(app: &App) -> AppResult<Snapshot> {
    let at = Utc::now();
    Ok(Snapshot { at, pools: app.store.pools(), queues: app.store.work_queues(at).await? })
}

/// Whether `token` is the metrics scraper's (compared in constant time, by hash).
pub fn may_scrape(app: &App, token: Option<&str>) -> bool {
    let (Some(expected), Some(token)) = (app.config().metrics_token_hash.as_deref(), token) else { return false };
    dossier_crypto::secrets::constant_time_eq(&dossier_crypto::secrets::token_hash(token), expected)
}
