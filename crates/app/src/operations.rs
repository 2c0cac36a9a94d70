//! What the operator asks of the fund's service (issue 22 §6): is it ready,
//! and how are its database and its queues of work doing.
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, Utc};
use dossier_store::operations::{HistogramSnapshot, PoolStats, WorkQueue};

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

/// What this process has done since it started, counted as it happens: the
/// packages the hub delivered and the pages the OCR workers settled, by
/// outcome. Prometheus makes rates of the totals
/// (`rate(dossier_intake_packages_total[5m])`) and sums the servers.
#[derive(Debug, Default)]
pub struct Throughput {
    intake: [AtomicU64; IntakeOutcome::ALL.len()],
    pages: [AtomicU64; PageOutcomeKind::ALL.len()],
}

/// What became of one delivered package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntakeOutcome {
    /// Opened, checked and stored.
    Stored,
    /// Delivered before: acknowledged again, nothing stored.
    Repeated,
    /// Refused for what it is (4xx: not for us, bad signature, closed request …).
    Refused,
    /// Not taken for a fault of this server (no key, the database): the hub retries.
    Failed,
}

impl IntakeOutcome {
    pub const ALL: [IntakeOutcome; 4] =
        [IntakeOutcome::Stored, IntakeOutcome::Repeated, IntakeOutcome::Refused, IntakeOutcome::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            IntakeOutcome::Stored => "stored",
            IntakeOutcome::Repeated => "repeated",
            IntakeOutcome::Refused => "refused",
            IntakeOutcome::Failed => "failed",
        }
    }
}

/// What became of one recognition attempt of a page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageOutcomeKind {
    Recognised,
    Failed,
}

impl PageOutcomeKind {
    pub const ALL: [PageOutcomeKind; 2] = [PageOutcomeKind::Recognised, PageOutcomeKind::Failed];

    pub fn as_str(self) -> &'static str {
        match self {
            PageOutcomeKind::Recognised => "recognised",
            PageOutcomeKind::Failed => "failed",
        }
    }
}

impl Throughput {
    pub fn count_package(&self, outcome: IntakeOutcome) {
        self.intake[outcome as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn count_page(&self, outcome: PageOutcomeKind) {
        self.pages[outcome as usize].fetch_add(1, Ordering::Relaxed);
    }

    pub fn packages(&self) -> impl Iterator<Item = (IntakeOutcome, u64)> + '_ {
        IntakeOutcome::ALL.into_iter().map(|o| (o, self.intake[o as usize].load(Ordering::Relaxed)))
    }

    pub fn pages(&self) -> impl Iterator<Item = (PageOutcomeKind, u64)> + '_ {
        PageOutcomeKind::ALL.into_iter().map(|o| (o, self.pages[o as usize].load(Ordering::Relaxed)))
    }
}

/// The database pools, every worker's queue and the access log, as of `at`.
pub struct Snapshot {
    pub at: DateTime<Utc>,
    pub pools: Vec<PoolStats>,
    pub queues: Vec<WorkQueue>,
    pub access_log: AccessLog,
}

/// The access log's group commit since this process started: a read's wait
/// for its entry, each batch's transaction, the entries per batch; and how
/// far its index by subject is behind it (SQLite).
pub struct AccessLog {
    pub wait: HistogramSnapshot,
    pub commit: HistogramSnapshot,
    pub batch: HistogramSnapshot,
    pub index_behind: Option<i64>,
}

pub async fn snapshot(app: &App) -> AppResult<Snapshot> {
    let at = Utc::now();
    let stats = app.store.access_log();
    // Two reads of SQLite files, so on a blocking thread, not the async worker's.
    let store = app.store.clone();
    let behind = tokio::task::spawn_blocking(move || store.access_index_behind()).await;
    let access_log = AccessLog {
        wait: stats.wait.snapshot(),
        commit: stats.commit.snapshot(),
        batch: stats.batch.snapshot(),
        // A gauge left out, not the whole snapshot: pools and queues still count.
        index_behind: match behind {
            Ok(Ok(behind)) => behind,
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "reading how far the access log's index is behind failed");
                None
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading how far the access log's index is behind did not finish");
                None
            }
        },
    };
    Ok(Snapshot { at, pools: app.store.pools(), queues: app.store.work_queues(at).await?, access_log })
}

/// Whether `token` is the metrics scraper's (compared in constant time, by hash).
pub fn may_scrape(app: &App, token: Option<&str>) -> bool {
    let (Some(expected), Some(token)) = (app.config().metrics_token_hash.as_deref(), token) else { return false };
    dossier_crypto::secrets::constant_time_eq(&dossier_crypto::secrets::token_hash(token), expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_outcome_is_counted_under_its_own_name() {
        let t = Throughput::default();
        t.count_package(IntakeOutcome::Stored);
        t.count_package(IntakeOutcome::Stored);
        t.count_package(IntakeOutcome::Failed);
        t.count_page(PageOutcomeKind::Failed);
        let packages: Vec<(&str, u64)> = t.packages().map(|(o, n)| (o.as_str(), n)).collect();
        assert_eq!(packages, [("stored", 2), ("repeated", 0), ("refused", 0), ("failed", 1)]);
        let pages: Vec<(&str, u64)> = t.pages().map(|(o, n)| (o.as_str(), n)).collect();
        assert_eq!(pages, [("recognised", 0), ("failed", 1)]);
    }
}
