//! SQLite on the calling thread, for the few statements on the hottest paths:
//! a person's look-up and the access log's group commit.
//!
//! sqlx gives every SQLite connection a worker thread of its own and hands
//! each statement, and each row, across threads. A look-up by index that costs
//! SQLite a few microseconds cost 80 µs of CPU and five context switches that
//! way (BENCHMARKS.md, "Look-up at 1 M people"). These connections are used
//! synchronously instead: a read of a few rows by index, from a file the
//! operating system holds in memory, keeps an async worker no longer than
//! parsing the request does. Everything else stays on sqlx.
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::error::{StoreError, StoreResult};

/// Connections to one SQLite file, opened on demand and kept for reuse.
#[derive(Clone)]
pub struct Direct(Arc<Inner>);

struct Inner {
    path: PathBuf,
    flags: OpenFlags,
    pragmas: &'static str,
    /// Statements every new connection runs after its pragmas (a schema it keeps itself).
    setup: &'static str,
    idle: Mutex<Vec<Connection>>,
    keep: usize,
}

/// Readers map the file, as the sqlx readers do (see `Db::connect`), and may not write.
const READER: &str = "PRAGMA mmap_size = 2147483648; PRAGMA cache_size = -16384; PRAGMA query_only = 1;";
/// The access log's writer (and its index's): as the sqlx connection, but
/// mapped, so a page read costs no syscall. The index's writer checkpoints on
/// commit as SQLite does by default; the log's leaves that to [`crate::wal`].
const WRITER: &str = "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA cache_size = -65536; \
                      PRAGMA mmap_size = 2147483648;";

impl Direct {
    /// Read-only connections to `path`; at most `keep` stay open between uses.
    pub(crate) fn readers(path: &Path, keep: usize) -> Self {
        Self::new(path, OpenFlags::SQLITE_OPEN_READ_ONLY, READER, "", keep)
    }

    /// One read-write connection to `path` (callers serialise on it).
    pub(crate) fn writer(path: &Path) -> Self {
        Self::writer_with(path, "")
    }

    /// [`Direct::writer`] whose connections each run `setup` once, when opened.
    pub(crate) fn writer_with(path: &Path, setup: &'static str) -> Self {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE;
        Self::new(path, flags, WRITER, setup, 1)
    }

    fn new(path: &Path, flags: OpenFlags, pragmas: &'static str, setup: &'static str, keep: usize) -> Self {
        Direct(Arc::new(Inner {
            path: path.to_owned(),
            flags: flags | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            pragmas,
            setup,
            idle: Mutex::new(Vec::new()),
            keep,
        }))
    }

    /// Runs `f` on an idle connection (or a new one) on this thread.
    pub fn run<R>(&self, f: impl FnOnce(&mut Connection) -> rusqlite::Result<R>) -> StoreResult<R> {
        self.run_with(|c| f(c).map_err(StoreError::from))
    }

    /// [`Direct::run`] for work that also fails otherwise (another file read within).
    pub fn run_with<R>(&self, f: impl FnOnce(&mut Connection) -> StoreResult<R>) -> StoreResult<R> {
        let idle = self.0.idle.lock().ok().and_then(|mut idle| idle.pop());
        let mut conn = match idle {
            Some(c) => c,
            None => self.open()?,
        };
        let out = f(&mut conn);
        // A connection that failed mid-statement is dropped rather than reused.
        if out.is_ok()
            && let Ok(mut idle) = self.0.idle.lock()
            && idle.len() < self.0.keep
        {
            idle.push(conn);
        }
        out
    }

    fn open(&self) -> StoreResult<Connection> {
        let conn = Connection::open_with_flags(&self.0.path, self.0.flags)?;
        conn.busy_timeout(Duration::from_secs(10))?;
        conn.execute_batch(self.0.pragmas)?;
        conn.execute_batch(self.0.setup)?;
        Ok(conn)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn readers_see_what_was_written_and_may_not_write() {
        let dir = tempdir("direct");
        let path = dir.join("t.db");
        let writer = Direct::writer(&path);
        writer.run(|c| c.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (7);")).unwrap();
        let readers = Direct::readers(&path, 2);
        let x: i64 = readers.run(|c| c.query_row("SELECT x FROM t", [], |r| r.get(0))).unwrap();
        assert_eq!(x, 7);
        assert!(readers.run(|c| c.execute("INSERT INTO t VALUES (8)", [])).is_err());
        // The failed connection was not kept; a fresh one still reads.
        let n: i64 = readers.run(|c| c.query_row("SELECT count(*) FROM t", [], |r| r.get(0))).unwrap();
        assert_eq!(n, 1);
        let _ = std::fs::remove_dir_all(dir);
    }

    pub(crate) fn tempdir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "dossier-{name}-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }
}
