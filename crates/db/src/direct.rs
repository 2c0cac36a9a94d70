//! SQLite on the calling thread, for the statements on the hottest paths: the
//! reads by an indexed equality that a person's look-up and a citizen's
//! account page rest on, and the access log's group commit.
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

/// A row as a connection of this module reads it. sqlx reads a tuple by
/// position and a `FromRow` struct by column name; so does this, so one
/// statement's rows are the same type on either path (see [`direct_row!`]).
pub trait DirectRow: Sized {
    fn from_direct(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self>;
}

macro_rules! tuple_rows {
    ($(($($t:ident $i:tt),+))+) => {$(
        impl<$($t: Column),+> DirectRow for ($($t,)+) {
            fn from_direct(r: &rusqlite::Row<'_>) -> rusqlite::Result<Self> {
                Ok(($($t::read(r, $i)?,)+))
            }
        }
    )+};
}

tuple_rows! {
    (A 0)
    (A 0, B 1)
    (A 0, B 1, C 2)
    (A 0, B 1, C 2, D 3)
    (A 0, B 1, C 2, D 3, E 4)
    (A 0, B 1, C 2, D 3, E 4, F 5)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
    (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
}

/// Declares a row struct (with its `#[derive(sqlx::FromRow)]`, written as
/// usual) that a direct connection reads too, each field from the column of
/// its name — as sqlx does, so the two paths cannot disagree on the order.
#[macro_export]
macro_rules! direct_row {
    ($(#[$meta:meta])* $vis:vis struct $name:ident { $($(#[$fmeta:meta])* $fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        $vis struct $name { $($(#[$fmeta])* $fvis $field: $ty),* }

        impl $crate::direct::DirectRow for $name {
            fn from_direct(r: &$crate::rusqlite::Row<'_>) -> $crate::rusqlite::Result<Self> {
                let mut _at = 0;
                Ok(Self { $($field: { _at += 1; $crate::direct::column(r, _at - 1, stringify!($field))? }),* })
            }
        }
    };
}

/// The column `name` of a row, looked for first at `at`: a statement usually
/// selects a row struct's columns in the order of its fields, and rusqlite's
/// look-up by name compares the name with every column's — for a person's 21
/// columns, 231 comparisons a row, 3 % of a look-up's CPU (BENCHMARKS.md).
pub fn column<T: Column>(r: &rusqlite::Row<'_>, at: usize, name: &str) -> rusqlite::Result<T> {
    let statement: &rusqlite::Statement<'_> = r.as_ref();
    let at = if statement.column_name(at).is_ok_and(|n| n.eq_ignore_ascii_case(name)) {
        at
    } else {
        statement.column_index(name)?
    };
    T::read(r, at)
}

/// A value as this module reads it from a column: what rusqlite's `FromSql`
/// reads, but times the plain way sqlx writes them are read by hand
/// ([`crate::stored_time`]), not through a chrono format string.
pub trait Column: Sized {
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self>;
}

macro_rules! from_sql_columns {
    ($($t:ty),+) => {$(
        impl Column for $t {
            fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
                r.get(at)
            }
        }
    )+};
}

from_sql_columns!(bool, i32, i64, f64, String, Vec<u8>, uuid::Uuid);

impl<T: Column> Column for Option<T> {
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
        match r.get_ref(at)? {
            rusqlite::types::ValueRef::Null => Ok(None),
            _ => T::read(r, at).map(Some),
        }
    }
}

/// Text in the stored shape is read by `shape`; anything else by rusqlite as before.
fn time<T: rusqlite::types::FromSql>(
    r: &rusqlite::Row<'_>,
    at: usize,
    shape: fn(&[u8]) -> Option<T>,
) -> rusqlite::Result<T> {
    match r.get_ref(at)? {
        rusqlite::types::ValueRef::Text(t) => shape(t).map_or_else(|| r.get(at), Ok),
        _ => r.get(at),
    }
}

impl Column for chrono::NaiveDate {
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
        time(r, at, crate::stored_time::date)
    }
}

impl Column for chrono::DateTime<chrono::Utc> {
    fn read(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Self> {
        time(r, at, crate::stored_time::date_time)
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

    crate::direct_row! {
        struct Named {
            b: String,
            a: i64,
        }
    }

    #[test]
    fn tuples_read_by_position_and_declared_rows_by_name() {
        let dir = tempdir("direct-rows");
        let writer = Direct::writer(&dir.join("t.db"));
        let (tuple, named, in_order, missing) = writer
            .run(|c| {
                let sql = "SELECT 7 AS a, 'x' AS b";
                let tuple: (i64, String) = c.query_row(sql, [], <(i64, String)>::from_direct)?;
                let named = c.query_row(sql, [], Named::from_direct)?;
                // The columns where the fields are, in any case, as rusqlite's look-up by name.
                let in_order = c.query_row("SELECT 'y' AS B, 8 AS a", [], Named::from_direct)?;
                let missing = c.query_row("SELECT 'z' AS b, 9 AS c", [], Named::from_direct).err();
                Ok((tuple, named, in_order, missing))
            })
            .unwrap();
        assert_eq!(tuple, (7, "x".to_owned()));
        assert_eq!((named.a, named.b.as_str()), (7, "x"));
        assert_eq!((in_order.a, in_order.b.as_str()), (8, "y"));
        assert!(matches!(missing, Some(rusqlite::Error::InvalidColumnName(n)) if n == "a"));
        let _ = std::fs::remove_dir_all(dir);
    }

    #[test]
    fn times_in_any_stored_shape_read_as_rusqlite_reads_them() {
        use chrono::{DateTime, NaiveDate, Utc};
        let dir = tempdir("direct-times");
        let writer = Direct::writer(&dir.join("t.db"));
        let shapes = [
            "2026-12-07T10:11:12.123456789+00:00", // as sqlx writes it: read by hand
            "2026-12-07T12:11:12Z",
            "2026-12-07 10:11:12",        // as SQLite's CURRENT_TIMESTAMP writes it: rusqlite's way
            "2026-12-07T10:11:12.5+0200", // an offset without a colon: rusqlite's way
            "not a time",                 // an error either way
        ];
        for text in shapes {
            let (ours, theirs) = writer
                .run(|c| {
                    let read = |f: fn(&rusqlite::Row<'_>) -> rusqlite::Result<Option<DateTime<Utc>>>| {
                        c.query_row("SELECT ?1", [text], f).map_err(|e| e.to_string())
                    };
                    Ok((read(|r| Column::read(r, 0)), read(|r| r.get(0))))
                })
                .unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        for text in ["1961-02-28", "1961-2-28", "1961-02-30"] {
            let (ours, theirs) = writer
                .run(|c| {
                    let read = |f: fn(&rusqlite::Row<'_>) -> rusqlite::Result<NaiveDate>| {
                        c.query_row("SELECT ?1", [text], f).map_err(|e| e.to_string())
                    };
                    Ok((read(|r| Column::read(r, 0)), read(|r| r.get(0))))
                })
                .unwrap();
            assert_eq!(ours, theirs, "{text}");
        }
        let null: Option<DateTime<Utc>> =
            writer.run(|c| c.query_row("SELECT NULL", [], |r| Column::read(r, 0))).unwrap();
        assert_eq!(null, None);
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
