//! Appending to and reading the audit chain in SQL: inside a write
//! transaction ([`append_audit!`]), group-committed for reads
//! ([`AuditBatcher`]), and walked for `dossier audit verify`.
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::{mpsc, oneshot};

use crate::audit::{AuditEntry, Checkpoint, Log, PendingEntry, VerifyReport};
use crate::error::{StoreError, StoreResult};
use crate::histogram::{self, Histogram};
use crate::pool::{BeginWrite, Db};

/// The columns of an audit chain's table, in the order [`AuditRow`] and the inserts use.
pub const COLUMNS: &str = "seq, at, actor, action, subject, details, prev_hash, hash";

/// One stored entry as read back.
#[derive(sqlx::FromRow)]
pub struct AuditRow {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditRow {
    pub fn into_entry(self, log: Log) -> AuditEntry {
        AuditEntry {
            log,
            seq: self.seq,
            at: self.at,
            actor: self.actor,
            action: self.action,
            subject: self.subject,
            details: self.details,
            prev_hash: self.prev_hash,
            hash: self.hash,
        }
    }
}

/// Appends `$entries` (a `Vec<PendingEntry>`) to the chain `$log` inside the
/// open transaction `$tx`. Locks the chain head first (PostgreSQL) so
/// concurrent writers queue instead of forking the chain; call it last in a
/// transaction to hold that lock briefly.
#[macro_export]
macro_rules! append_chain {
    ($tx:expr, $d:expr, $log:expr, $entries:expr) => {{
        let log: $crate::audit::Log = $log;
        let entries: Vec<$crate::audit::PendingEntry> = $entries;
        if !entries.is_empty() {
            let (seq, hash): (i64, String) = $crate::sqlx::query_as(&format!(
                "SELECT seq, hash FROM {} WHERE id = 1{}",
                log.head(),
                $d.for_update()
            ))
            .fetch_one(&mut *$tx)
            .await?;
            let chained = $crate::audit::chain_now(log, seq, &hash, entries);
            for chunk in chained.chunks(500) {
                let sql = format!(
                    "INSERT INTO {} ({}) VALUES {}",
                    log.table(),
                    $crate::audit_sql::COLUMNS,
                    $d.placeholders(chunk.len(), 8)
                );
                let mut q = $crate::sqlx::query(&sql);
                for e in chunk {
                    q = q
                        .bind(e.seq)
                        .bind(e.at)
                        .bind(&e.actor)
                        .bind(&e.action)
                        .bind(&e.subject)
                        .bind(&e.details)
                        .bind(&e.prev_hash)
                        .bind(&e.hash);
                }
                q.execute(&mut *$tx).await?;
            }
            if let Some(last) = chained.last() {
                $crate::sqlx::query(&format!("UPDATE {} SET seq = $1, hash = $2 WHERE id = 1", log.head()))
                    .bind(last.seq)
                    .bind(&last.hash)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    }};
}

/// Appends to the change log (see [`append_chain!`]).
#[macro_export]
macro_rules! append_audit {
    ($tx:expr, $d:expr, $entries:expr) => {
        $crate::append_chain!($tx, $d, $crate::audit::Log::Change, $entries)
    };
}

type Request = (PendingEntry, Instant, oneshot::Sender<Result<(), String>>);

/// Entries one group commit takes at most.
const MAX_BATCH: usize = 1024;
/// How long a group commit waits for more entries while more keep coming.
const GATHER: Duration = Duration::from_micros(250);

/// Upper bounds of the entries-per-batch histogram.
const BATCH_SIZES: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0, 128.0, 256.0, 512.0, 1024.0];

/// Group commit for the access log (reads and refusals): whoever is waiting
/// when the writer becomes free goes into the next transaction together.
#[derive(Clone)]
pub struct AuditBatcher {
    tx: mpsc::Sender<Request>,
    stats: Arc<AccessLogStats>,
}

/// What the access log's group commit has done since the process started:
/// how long a read waits for its entry (most of a look-up's time), how long
/// each batch's transaction takes, and how many entries each carries.
pub struct AccessLogStats {
    pub wait: Histogram,
    pub commit: Histogram,
    pub batch: Histogram,
}

impl Default for AccessLogStats {
    fn default() -> Self {
        AccessLogStats {
            wait: Histogram::new(histogram::SECONDS),
            commit: Histogram::new(histogram::SECONDS),
            batch: Histogram::new(BATCH_SIZES),
        }
    }
}

impl AuditBatcher {
    /// Starts the writer task on `db`'s access log, and on an SQLite file the
    /// indexer behind it and the checkpointer beside it (needs a Tokio runtime).
    pub fn spawn(db: Db) -> Self {
        let stats = Arc::new(AccessLogStats::default());
        let (tx, mut rx) = mpsc::channel::<Request>(8192);
        if let Some(direct) = db.direct() {
            direct.subjects.clone().spawn();
            direct.checkpoints.clone().spawn();
        }
        let counted = stats.clone();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                // Before committing, let the requests already running hand in
                // their entries too, while that brings more and for at most
                // GATHER: a commit costs about the same for one entry as for
                // fifty, and committing at once made batches of two. With
                // nothing else running the yield costs a microsecond.
                let gathering = Instant::now();
                loop {
                    while batch.len() < MAX_BATCH
                        && let Ok(r) = rx.try_recv()
                    {
                        batch.push(r);
                    }
                    if batch.len() >= MAX_BATCH || gathering.elapsed() >= GATHER {
                        break;
                    }
                    tokio::task::yield_now().await;
                    if rx.is_empty() {
                        break;
                    }
                }
                // The entries go to the writer; the callers stay here for the answer.
                let (entries, waiting): (Vec<PendingEntry>, Vec<_>) =
                    batch.into_iter().map(|(e, sent, reply)| (e, (sent, reply))).unzip();
                let started = Instant::now();
                let result = write_batch(&db, entries).await.map_err(|e| e.to_string());
                counted.commit.observe(started.elapsed().as_secs_f64());
                counted.batch.observe(waiting.len() as f64);
                if let Err(e) = &result {
                    tracing::error!(error = %e, "audit batch failed");
                }
                for (sent, reply) in waiting {
                    counted.wait.observe(sent.elapsed().as_secs_f64());
                    let _ = reply.send(result.clone());
                }
            }
        });
        AuditBatcher { tx, stats }
    }

    pub async fn append(&self, entry: PendingEntry) -> StoreResult<()> {
        let (reply, wait) = oneshot::channel();
        self.tx
            .send((entry, Instant::now(), reply))
            .await
            .map_err(|_| StoreError::Blob("audit writer stopped".into()))?;
        match tokio::time::timeout(Duration::from_secs(30), wait).await {
            Ok(Ok(Ok(()))) => Ok(()),
            Ok(Ok(Err(e))) => Err(StoreError::Corrupt(format!("audit append failed: {e}"))),
            _ => Err(StoreError::Corrupt("audit append timed out".into())),
        }
    }

    pub fn stats(&self) -> &AccessLogStats {
        &self.stats
    }
}

async fn write_batch(db: &Db, entries: Vec<PendingEntry>) -> StoreResult<()> {
    // SQLite: the whole transaction on one blocking thread (crate::direct),
    // not five statements each handed to sqlx's connection thread and back.
    if let Some(direct) = db.direct() {
        let (access, checkpoints) = (direct.access.clone(), direct.checkpoints.clone());
        return tokio::task::spawn_blocking(move || {
            access.run(|c| {
                append_direct(c, Log::Access, entries)?;
                checkpoints.finish_if_long(c);
                Ok(())
            })
        })
        .await
        .map_err(|e| StoreError::Corrupt(format!("audit writer: {e}")))?;
    }
    crate::on_db!(db, access, |pool, d| {
        let mut tx = pool.begin_write().await?;
        append_chain!(tx, d, Log::Access, entries);
        tx.commit().await?;
        Ok(())
    })
}

/// [`append_chain!`] on a connection of [`crate::direct`]: the same rows,
/// written as sqlx writes them (times in RFC 3339 as its SQLite encoder does).
fn append_direct(c: &mut rusqlite::Connection, log: Log, entries: Vec<PendingEntry>) -> rusqlite::Result<()> {
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Each statement is prepared once a connection (`prepare_cached`): a
    // look-up's entry is written by one of these commits, so parsing the SQL
    // again would be paid on every read.
    let (seq, hash): (i64, String) = tx
        .prepare_cached(&format!("SELECT seq, hash FROM {} WHERE id = 1", log.head()))?
        .query_row([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    let chained = crate::audit::chain_now(log, seq, &hash, entries);
    {
        let mut insert =
            tx.prepare_cached(&format!("INSERT INTO {} ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", log.table()))?;
        for e in &chained {
            let at = e.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false);
            insert.execute(rusqlite::params![
                e.seq,
                at,
                e.actor,
                e.action,
                e.subject,
                e.details,
                e.prev_hash,
                e.hash
            ])?;
        }
    }
    if let Some(last) = chained.last() {
        tx.prepare_cached(&format!("UPDATE {} SET seq = ?, hash = ? WHERE id = 1", log.head()))?
            .execute(rusqlite::params![last.seq, last.hash])?;
    }
    tx.commit()
}

/// Reads one chain's entries for a subject, newest first.
macro_rules! entries_of {
    ($pool:expr, $log:expr, $subject:expr, $limit:expr) => {{
        let rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM {} WHERE subject = $1 ORDER BY seq DESC LIMIT $2",
            $log.table()
        ))
        .bind($subject)
        .bind($limit)
        .fetch_all($pool)
        .await?;
        rows.into_iter().map(|r| r.into_entry($log)).collect::<Vec<AuditEntry>>()
    }};
}

/// Walks one chain in pages of `seq` order, then checks its head (and,
/// given them, holds it to the checkpoints of this chain).
#[macro_export]
macro_rules! verify_chain {
    ($pool:expr, $log:expr) => {
        $crate::verify_chain!($pool, $log, Vec::new())
    };
    ($pool:expr, $log:expr, $checkpoints:expr) => {{
        let log: $crate::audit::Log = $log;
        let mut verifier = $crate::audit::Verifier::against($checkpoints);
        let mut after = 0i64;
        loop {
            let rows: Vec<$crate::audit_sql::AuditRow> = $crate::sqlx::query_as(&format!(
                "SELECT {} FROM {} WHERE seq > $1 ORDER BY seq LIMIT 10000",
                $crate::audit_sql::COLUMNS,
                log.table()
            ))
            .bind(after)
            .fetch_all($pool)
            .await?;
            let Some(last) = rows.last() else { break };
            after = last.seq;
            if !rows.into_iter().all(|r| verifier.feed(&r.into_entry(log))) {
                break;
            }
        }
        let (seq, hash): (i64, String) =
            $crate::sqlx::query_as(&format!("SELECT seq, hash FROM {} WHERE id = 1", log.head()))
                .fetch_one($pool)
                .await?;
        verifier.finish(log, seq, &hash)
    }};
}

/// A subject's history from both chains, newest first.
pub async fn history(db: &Db, subject: &str, limit: i64) -> StoreResult<Vec<AuditEntry>> {
    let mut all = crate::on_db!(db, read, |pool, _d| entries_of!(pool, Log::Change, subject, limit));
    all.extend(access_history(db, subject, limit).await?);
    all.sort_by(|a, b| b.at.cmp(&a.at).then(b.seq.cmp(&a.seq)));
    all.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(all)
}

/// A subject's access-log entries, newest first. On an SQLite file the log
/// has no index of its own ([`crate::access_index`]): the entries past what the
/// index has reached are scanned, the rest are read by the index's `seq`s.
async fn access_history(db: &Db, subject: &str, limit: i64) -> StoreResult<Vec<AuditEntry>> {
    let Some(direct) = db.direct() else {
        return Ok(crate::on_db!(db, access, |pool, _d| entries_of!(pool, Log::Access, subject, limit)));
    };
    let (index, wanted) = (direct.subjects.clone(), subject.to_owned());
    let indexed = tokio::task::spawn_blocking(move || index.lookup(&wanted, limit))
        .await
        .map_err(|e| StoreError::Corrupt(format!("access index: {e}")))??;
    crate::on_db!(db, access, |pool, d| {
        let mut rows: Vec<AuditRow> = sqlx::query_as(&format!(
            "SELECT {COLUMNS} FROM access_log WHERE seq > $1 AND subject = $2 ORDER BY seq DESC LIMIT $3"
        ))
        .bind(indexed.upto)
        .bind(subject)
        .bind(limit)
        .fetch_all(pool)
        .await?;
        let room = usize::try_from(limit).unwrap_or(0).saturating_sub(rows.len());
        let seqs = &indexed.seqs[..room.min(indexed.seqs.len())];
        if !seqs.is_empty() {
            let sql =
                format!("SELECT {COLUMNS} FROM access_log WHERE seq IN ({}) ORDER BY seq DESC", d.list(0, seqs.len()));
            let mut q = sqlx::query_as(&sql);
            for seq in seqs {
                q = q.bind(seq);
            }
            let found: Vec<AuditRow> = q.fetch_all(pool).await?;
            // The subject is checked again: the index is only ever a hint.
            rows.extend(found.into_iter().filter(|r| r.subject == subject));
        }
        Ok(rows.into_iter().map(|r| r.into_entry(Log::Access)).collect())
    })
}

/// Walks both chains (on a one-file database the access log is empty),
/// holding each to its `checkpoints`.
pub async fn verify(db: &Db, checkpoints: &[Checkpoint]) -> StoreResult<VerifyReport> {
    let of = |log: Log| checkpoints.iter().filter(|c| c.log == log).cloned().collect::<Vec<_>>();
    let change = crate::on_db!(db, read, |pool, _d| crate::verify_chain!(pool, Log::Change, of(Log::Change)));
    let access = crate::on_db!(db, access, |pool, _d| crate::verify_chain!(pool, Log::Access, of(Log::Access)));
    Ok(VerifyReport { logs: vec![change, access] })
}

/// Each chain's head now: `(log, seq, hash)` (seq 0 for an empty chain).
pub async fn heads(db: &Db) -> StoreResult<Vec<(Log, i64, String)>> {
    let mut out = Vec::with_capacity(2);
    for log in Log::ALL {
        let sql = format!("SELECT seq, hash FROM {} WHERE id = 1", log.head());
        let (seq, hash): (i64, String) = match log {
            Log::Change => crate::on_db!(db, read, |pool, _d| sqlx::query_as(&sql).fetch_one(pool).await?),
            Log::Access => crate::on_db!(db, access, |pool, _d| sqlx::query_as(&sql).fetch_one(pool).await?),
        };
        out.push((log, seq, hash));
    }
    Ok(out)
}
