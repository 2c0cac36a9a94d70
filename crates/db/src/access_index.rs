//! The access log's index by subject, kept behind the log in a file of its own.
//!
//! Every audited read appends an entry to the access log and waits for it to
//! commit. Indexing the entry by subject in that same commit meant a write at
//! a random place of a large B-tree per read, copied to the WAL and again at
//! the checkpoint — most of a look-up's tail latency at 1 M people
//! (BENCHMARKS.md, "Look-up at 1 M people"). So on SQLite the log only
//! appends, and this index catches up behind it in bulk, in another file: its
//! own write lock, WAL and checkpoints, so indexing never holds up a read.
//!
//! A query by subject reads the index up to the entry it has reached and
//! scans the log's short tail after it, so it misses nothing the log holds.
//! The index is derived data: missing, damaged, or built from another log
//! (a restore, a copied data folder), it is rebuilt from the log.
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::OptionalExtension;
use sha2::{Digest, Sha256};

use crate::background::{self, Pace, Priority};
use crate::direct::Direct;
use crate::error::StoreResult;

/// Entries indexed per transaction: large enough that a burst is caught up
/// in a few commits, small enough that one commit stays well under a second.
const BATCH: i64 = 20_000;
/// How long the indexer rests once it has caught up.
const REST: Duration = Duration::from_millis(500);

const SCHEMA: &str = "
    -- The first index (until 2026-12) keyed entries by the subject's text:
    -- three times the pages, rebuilt under the names below.
    DROP TABLE IF EXISTS access_subject;
    DROP TABLE IF EXISTS indexed;
    -- Each entry under the first 8 bytes of its subject's SHA-256: a hint
    -- the query checks against the entry itself.
    CREATE TABLE IF NOT EXISTS subject_seqs (
        subject_hash INTEGER NOT NULL,
        seq          INTEGER NOT NULL,
        PRIMARY KEY (subject_hash, seq)
    ) WITHOUT ROWID;
    -- How far the index has read the log: the entry's seq and hash (the hash
    -- tells this log from another one with as many entries).
    CREATE TABLE IF NOT EXISTS reached (
        id    INTEGER PRIMARY KEY CHECK (id = 1),
        seq   INTEGER NOT NULL,
        hash  TEXT NOT NULL
    );";

/// A subject's key in the index: a 64-bit prefix of its SHA-256 — stable
/// across versions, a third of the text's size, and a collision among
/// millions of subjects costs only an entry read and dropped by the query.
fn subject_hash(subject: &str) -> i64 {
    let digest = Sha256::digest(subject.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(first)
}

/// The index file of an access log: `dossier.access.db` → `dossier.access.subjects.db`.
pub fn index_path(access_log: &Path) -> PathBuf {
    let stem = access_log.to_string_lossy();
    let stem = stem.strip_suffix(".db").unwrap_or(&stem);
    PathBuf::from(format!("{stem}.subjects.db"))
}

/// The index (written here, one writer) and the log it reads (read-only).
#[derive(Clone)]
pub struct SubjectIndex {
    index: Direct,
    log: Direct,
}

/// What the index knows of a subject: its entries up to and including `upto`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Indexed {
    pub upto: i64,
    /// Newest first.
    pub seqs: Vec<i64>,
}

impl SubjectIndex {
    pub(crate) fn new(access_log: &Path) -> Self {
        SubjectIndex {
            index: Direct::writer_with(&index_path(access_log), SCHEMA),
            log: Direct::readers(access_log, 1),
        }
    }

    /// Indexes up to [`BATCH`] entries past the point reached; returns how many.
    /// Safe beside another process doing the same: the index's write lock is
    /// taken first, and what is read of the log is fixed once it is held.
    pub fn catch_up(&self) -> StoreResult<usize> {
        self.index.run_with(|ix| {
            let tx = ix.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let reached: Option<(i64, String)> = tx
                .query_row("SELECT seq, hash FROM reached WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let (upto, rows) = self.log.run(|log| {
                let upto = match &reached {
                    Some((seq, hash)) if same_entry(log, *seq, hash)? => *seq,
                    _ => 0,
                };
                let mut next =
                    log.prepare_cached("SELECT seq, subject, hash FROM access_log WHERE seq > ? ORDER BY seq LIMIT ?")?;
                let rows = next
                    .query_map(rusqlite::params![upto, BATCH], |r| {
                        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok((upto, rows))
            })?;
            if upto == 0 && reached.is_some() {
                // Built from another log than the one beside it now: start again.
                tx.execute_batch("DELETE FROM subject_seqs; DELETE FROM reached;")?;
            }
            let Some((last_seq, _, last_hash)) = rows.last().cloned() else {
                tx.commit()?;
                return Ok(0);
            };
            {
                let mut insert =
                    tx.prepare_cached("INSERT OR IGNORE INTO subject_seqs (subject_hash, seq) VALUES (?, ?)")?;
                for (seq, subject, _) in &rows {
                    insert.execute(rusqlite::params![subject_hash(subject), seq])?;
                }
            }
            tx.execute(
                "INSERT INTO reached (id, seq, hash) VALUES (1, ?1, ?2) \
                 ON CONFLICT (id) DO UPDATE SET seq = ?1, hash = ?2",
                rusqlite::params![last_seq, last_hash],
            )?;
            tx.commit()?;
            Ok(rows.len())
        })
    }

    /// A subject's indexed entries, newest first, at most `limit` (none, and
    /// `upto` 0, while the index is of another log and not yet rebuilt).
    pub fn lookup(&self, subject: &str, limit: i64) -> StoreResult<Indexed> {
        self.index.run_with(|ix| {
            let tx = ix.transaction()?;
            let reached: Option<(i64, String)> = tx
                .query_row("SELECT seq, hash FROM reached WHERE id = 1", [], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            let Some((upto, hash)) = reached else {
                return Ok(Indexed { upto: 0, seqs: Vec::new() });
            };
            if !self.log.run(|log| same_entry(log, upto, &hash))? {
                return Ok(Indexed { upto: 0, seqs: Vec::new() });
            }
            let seqs = tx
                .prepare_cached(
                    "SELECT seq FROM subject_seqs WHERE subject_hash = ? AND seq <= ? ORDER BY seq DESC LIMIT ?",
                )?
                .query_map(rusqlite::params![subject_hash(subject), upto, limit], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            tx.commit()?;
            Ok(Indexed { upto, seqs })
        })
    }

    /// Entries the log holds that the index has not reached yet (for `/metrics`).
    pub fn behind(&self) -> StoreResult<i64> {
        let reached: i64 =
            self.index.run(|ix| ix.query_row("SELECT coalesce(max(seq), 0) FROM reached", [], |r| r.get(0)))?;
        let head: i64 =
            self.log.run(|log| log.query_row("SELECT coalesce(max(seq), 0) FROM access_log", [], |r| r.get(0)))?;
        Ok((head - reached).max(0))
    }

    /// Keeps the index caught up until the runtime stops (needs a Tokio
    /// runtime), at the lowest CPU priority: under load it falls behind and
    /// catches up after, and queries meanwhile scan the longer tail.
    pub fn spawn(self) {
        background::every("access-index", REST, Priority::Lowest, move || {
            Ok(if self.catch_up()? as i64 == BATCH { Pace::More } else { Pace::Rest })
        });
    }
}

/// The log holds the entry `seq` with this hash.
fn same_entry(log: &rusqlite::Connection, seq: i64, hash: &str) -> rusqlite::Result<bool> {
    let found: Option<String> =
        log.prepare_cached("SELECT hash FROM access_log WHERE seq = ?")?.query_row([seq], |r| r.get(0)).optional()?;
    Ok(found.as_deref() == Some(hash))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log_with(dir: &Path, subjects: &[&str]) -> PathBuf {
        let path = dir.join("t.access.db");
        let log = Direct::writer(&path);
        log.run(|c| {
            c.execute_batch(
                "CREATE TABLE IF NOT EXISTS access_log (seq INTEGER PRIMARY KEY, subject TEXT NOT NULL, hash TEXT NOT NULL)",
            )?;
            let next: i64 = c.query_row("SELECT coalesce(max(seq), 0) + 1 FROM access_log", [], |r| r.get(0))?;
            for (i, s) in subjects.iter().enumerate() {
                let seq = next + i as i64;
                c.execute("INSERT INTO access_log VALUES (?, ?, ?)", rusqlite::params![seq, s, format!("h{seq}")])?;
            }
            Ok(())
        })
        .unwrap();
        path
    }

    #[test]
    fn the_index_catches_up_and_answers_up_to_where_it_reached() {
        let dir = crate::direct::tests::tempdir("index");
        let path = log_with(&dir, &["a", "b", "a"]);
        let index = SubjectIndex::new(&path);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 0, seqs: vec![] });
        assert_eq!(index.catch_up().unwrap(), 3);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 3, seqs: vec![3, 1] });
        assert_eq!(index.lookup("a", 1).unwrap().seqs, [3]);
        log_with(&dir, &["a"]);
        assert_eq!(index.lookup("a", 10).unwrap().upto, 3, "not indexed yet: the caller scans past 3");
        assert_eq!(index.catch_up().unwrap(), 1);
        assert_eq!(index.catch_up().unwrap(), 0);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 4, seqs: vec![4, 3, 1] });
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_index_of_another_log_is_rebuilt() {
        let dir = crate::direct::tests::tempdir("rebuild");
        let path = log_with(&dir, &["a", "b"]);
        SubjectIndex::new(&path).catch_up().unwrap();
        // The log replaced by another one (a restore) with other entries.
        for file in ["t.access.db", "t.access.db-wal", "t.access.db-shm"] {
            let _ = std::fs::remove_file(dir.join(file));
        }
        let path = log_with(&dir, &["c"]);
        let index = SubjectIndex::new(&path);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 0, seqs: vec![] }, "stale: the caller scans it all");
        assert_eq!(index.catch_up().unwrap(), 1);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 1, seqs: vec![] });
        assert_eq!(index.lookup("c", 10).unwrap().seqs, [1]);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn an_index_of_the_first_kind_is_dropped_and_built_again() {
        let dir = crate::direct::tests::tempdir("first-kind");
        let path = log_with(&dir, &["a", "b", "a"]);
        // The first index: by the subject's text, having reached entry 3.
        Direct::writer(&index_path(&path))
            .run(|c| {
                c.execute_batch(
                    "CREATE TABLE access_subject (subject TEXT NOT NULL, seq INTEGER NOT NULL, \
                       PRIMARY KEY (subject, seq)) WITHOUT ROWID;
                     CREATE TABLE indexed (id INTEGER PRIMARY KEY, seq INTEGER NOT NULL, hash TEXT NOT NULL);
                     INSERT INTO access_subject VALUES ('a', 1), ('b', 2), ('a', 3);
                     INSERT INTO indexed VALUES (1, 3, 'h3');",
                )
            })
            .unwrap();
        let index = SubjectIndex::new(&path);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 0, seqs: vec![] }, "its progress is not trusted");
        assert_eq!(index.catch_up().unwrap(), 3);
        assert_eq!(index.lookup("a", 10).unwrap(), Indexed { upto: 3, seqs: vec![3, 1] });
        let old: i64 = Direct::readers(&index_path(&path), 1)
            .run(|c| {
                c.query_row("SELECT count(*) FROM sqlite_schema WHERE name IN ('access_subject', 'indexed')", [], |r| {
                    r.get(0)
                })
            })
            .unwrap();
        assert_eq!(old, 0);
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn subjects_are_keyed_by_a_stable_prefix_of_their_sha256() {
        // SHA-256("a") = ca978112ca1bbdca…: the key must not change between builds.
        assert_eq!(subject_hash("a"), i64::from_be_bytes([0xca, 0x97, 0x81, 0x12, 0xca, 0x1b, 0xbd, 0xca]));
        assert_ne!(subject_hash("a"), subject_hash("b"));
    }

    #[test]
    fn the_index_sits_beside_the_log() {
        assert_eq!(index_path(Path::new("data/dossier.access.db")), Path::new("data/dossier.access.subjects.db"));
    }
}
