//! The SQLite access log's checkpoints, taken off its commits.
//!
//! SQLite copies the write-ahead log back into the database file from the
//! commit that finds it over 1 000 pages, and every read waiting for that
//! group commit waits for the copy too: a few milliseconds, several times a
//! second under load — most of what kept the look-up's 99th percentile above
//! 5 ms (BENCHMARKS.md, "Look-up at 1 M people: the group commit gathers").
//! So the access log's writer does not checkpoint on commit. A task of its own
//! copies the WAL back every [`EVERY`] in PASSIVE mode, beside the commits and
//! without waiting for any lock; and once the WAL is longer than [`RESET_AT`]
//! pages, the writer finishes the copy itself between two batches — short,
//! since only the pages the task has not reached are left — so that its next
//! commit starts the WAL from the beginning again and it does not grow without
//! bound. (A copy from another connection can never let the WAL restart while
//! commits keep coming: measured, it grew to 1 GB in 20 s.)
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use crate::background::{self, Pace, Priority};
use crate::direct::Direct;
use crate::error::StoreResult;

/// How often the task copies the WAL back.
const EVERY: Duration = Duration::from_millis(100);
/// WAL length, in pages, past which the writer finishes the copy and the WAL restarts.
const RESET_AT: i64 = 4096;
/// The writer's own automatic checkpoint, left as a safety net: should the
/// task stop, SQLite still copies the WAL back at this length (64 MiB).
pub(crate) const WRITER_PRAGMAS: &str = "PRAGMA wal_autocheckpoint = 16384;";

/// The checkpointing of one access-log file: the task's connection and the
/// WAL length it last saw, which tells the writer when to finish the copy.
#[derive(Clone)]
pub struct Checkpoints {
    conn: Direct,
    wal_pages: Arc<AtomicI64>,
}

impl Checkpoints {
    pub(crate) fn new(access_log: &Path) -> Self {
        Checkpoints { conn: Direct::writer(access_log), wal_pages: Arc::new(AtomicI64::new(0)) }
    }

    /// Copies back what it can of the WAL now; returns the WAL's length in pages.
    pub fn copy_back(&self) -> StoreResult<i64> {
        let pages = self.conn.run(|c| passive(c))?;
        self.wal_pages.store(pages, Ordering::Relaxed);
        Ok(pages)
    }

    /// For the writer, after a commit, on its own connection: when the WAL is
    /// past [`RESET_AT`], copies the rest back so the next commit restarts it.
    /// The batch is committed by then, so a failure here is only logged: the
    /// task and SQLite's own checkpoint try again.
    pub(crate) fn finish_if_long(&self, writer: &rusqlite::Connection) {
        if self.wal_pages.load(Ordering::Relaxed) < RESET_AT {
            return;
        }
        // Until the task measures again: the WAL restarts at the next commit
        // (or, were a reader still on it, at a later one).
        self.wal_pages.store(0, Ordering::Relaxed);
        if let Err(e) = passive(writer) {
            tracing::warn!(error = %e, "checkpointing the access log after a commit failed; it is retried");
        }
    }

    /// Copies the WAL back every [`EVERY`] until the runtime stops (needs a Tokio runtime).
    pub fn spawn(self) {
        background::every("access-checkpoints", EVERY, Priority::Normal, move || {
            self.copy_back()?;
            Ok(Pace::Rest)
        });
    }
}

/// `PRAGMA wal_checkpoint(PASSIVE)`: copies back every page no reader still
/// needs from the WAL, waiting for no lock; answers the WAL's length in pages.
fn passive(c: &rusqlite::Connection) -> rusqlite::Result<i64> {
    c.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wal_len(path: &Path) -> u64 {
        std::fs::metadata(path.with_extension("db-wal")).map_or(0, |m| m.len())
    }

    #[test]
    fn the_wal_is_copied_back_beside_the_writer_and_restarts_once_long() {
        let dir = crate::direct::tests::tempdir("wal");
        let path = dir.join("t.db");
        let writer = Direct::writer_with(&path, WRITER_PRAGMAS);
        let checkpoints = Checkpoints::new(&path);
        writer.run(|c| c.execute_batch("CREATE TABLE t (x BLOB)")).unwrap();
        let commit = |n: usize| {
            writer
                .run_with(|c| {
                    for _ in 0..n {
                        c.execute("INSERT INTO t VALUES (randomblob(3000))", [])?;
                        checkpoints.finish_if_long(c);
                    }
                    Ok(())
                })
                .unwrap()
        };
        // Past the length at which SQLite itself would have checkpointed: the writer has not.
        commit(2000);
        let pages = checkpoints.copy_back().unwrap();
        assert!(pages >= 2000, "the writer left the WAL to the checkpointer: {pages} pages");
        // Past RESET_AT the writer finishes the copy and the WAL starts again from its beginning.
        commit(2500);
        assert!(checkpoints.copy_back().unwrap() >= RESET_AT);
        let long = wal_len(&path);
        commit(10);
        let pages = checkpoints.copy_back().unwrap();
        assert!(pages < 100, "restarted: {pages} pages");
        // Ten commits of a page each, and the file grew by at most the one made before the restart.
        assert!(wal_len(&path) < long + 3 * 4096, "the file is reused from its start");
        let rows: i64 = writer.run(|c| c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))).unwrap();
        assert_eq!(rows, 4510);
        let _ = std::fs::remove_dir_all(dir);
    }
}
