//! What the operator asks of the fund's service (issue 22 §6): is it ready,
//! and how are its database and its queues of work doing.
use chrono::{DateTime, Utc};
use dossier_store::operations::{PoolStats, WorkQueue};

use crate::App;
use crate::error::AppResult;

/// Ready when the database answers.
pub async fn ready(app: &App) -> AppResult<()> {
    Ok(app.store.ping().await?)
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
