//! The SQL plumbing both of Dossier's systems stand on — the fund's store
//! (`dossier-store`) and the wallet hub's (`dossier-hub`) — so neither depends
//! on the other:
//!
//! * [`pool`] — one pool set per database (SQLite: a single writer, mapped
//!   readers and the access-log file; PostgreSQL: one pool), the few SQL
//!   fragments that differ between the dialects, the [`on_db!`] macro that
//!   compiles a query body once per backend, and the migration runner;
//! * [`audit`] — the hash-chained audit log: entries, hashing, verification;
//! * [`audit_sql`] — appending to the chain inside a transaction
//!   ([`append_audit!`]), group-committed reads, walking a chain;
//! * [`direct`] — SQLite on the calling thread, for the hottest statements;
//! * [`stored_time`] — times as sqlx stores them in SQLite, read and written by hand;
//! * [`access_index`] — the SQLite access log's index by subject, built behind it;
//! * [`wal`] — the SQLite access log's checkpoints, off its commits;
//! * `background` — the threads the checkpoints and the index run on, the index at the lowest priority;
//! * [`histogram`] — lock-free histograms for what the operator monitors;
//! * [`error`] — [`StoreError`], what every repository returns.

pub mod access_index;
pub mod audit;
pub mod audit_sql;
mod background;
pub mod direct;
pub mod error;
pub mod histogram;
pub mod pool;
pub mod stored_time;
#[cfg(feature = "testing")]
pub mod testing;
pub mod wal;

pub use error::{StoreError, StoreResult, is_unique_violation};
pub use pool::{Backend, BeginWrite, Db, Dialect, Migrations, PoolStats, sqlite_files};
/// Re-exported for the statements run through [`direct::Direct`].
pub use rusqlite;
/// Re-exported for the macros, which expand in the crates that use them.
pub use sqlx;
