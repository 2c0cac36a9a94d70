//! Connections, migrations and the `on_db!` macro — the one place where the
//! two SQL dialects differ.
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};

use crate::access_index::SubjectIndex;
use crate::direct::Direct;
use crate::error::StoreResult;
use crate::wal::Checkpoints;

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// The pools. SQLite gets one writer connection (so writers queue in-process
/// instead of failing with SQLITE_BUSY), several readers (WAL lets them run
/// beside the writer), and one connection to the access-log file. PostgreSQL
/// gets one pool for everything.
#[derive(Clone)]
pub enum Db {
    Sqlite { read: SqlitePool, write: SqlitePool, access: SqlitePool, direct: Option<SqliteDirect> },
    Postgres(PgPool),
}

/// The statements an SQLite database runs on the calling thread
/// ([`crate::direct`]): reads of the main file, and the access log's writes.
/// `None` for a database in memory (its connections would each see another).
#[derive(Clone)]
pub struct SqliteDirect {
    pub readers: Direct,
    pub access: Direct,
    /// The access log's checkpoints, off its commits.
    pub checkpoints: Checkpoints,
    /// The access log's index by subject, built behind it in its own file.
    pub subjects: SubjectIndex,
}

/// The few SQL fragments that differ between the dialects.
#[derive(Clone, Copy)]
pub struct Dialect {
    pub backend: Backend,
}

impl Dialect {
    /// Row lock for read-modify-write; SQLite's single writer already serialises.
    pub fn for_update(self) -> &'static str {
        match self.backend {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// `(…), (…)` placeholders for a multi-row INSERT of `rows` × `cols`.
    /// SQLite gets anonymous `?`: sqlx looks every parameter up by name, and
    /// SQLite's name lookup is linear, so numbered `$n` would make a large
    /// statement quadratic (measured: 89 % of a bulk import's time).
    pub fn placeholders(self, rows: usize, cols: usize) -> String {
        let mut s = String::with_capacity(rows * cols * 6);
        for r in 0..rows {
            if r > 0 {
                s.push_str(", ");
            }
            s.push('(');
            s.push_str(&self.list(r * cols, cols));
            s.push(')');
        }
        s
    }

    /// `count` comma-separated placeholders numbered after `skip` earlier ones.
    pub fn list(self, skip: usize, count: usize) -> String {
        let mut s = String::with_capacity(count * 6);
        for c in 0..count {
            if c > 0 {
                s.push_str(", ");
            }
            match self.backend {
                Backend::Sqlite => s.push('?'),
                Backend::Postgres => {
                    s.push('$');
                    s.push_str(&(skip + c + 1).to_string());
                }
            }
        }
        s
    }
}

/// Runs `$body` with `$c` bound to a pool and `$d` to its [`Dialect`]:
/// `read`, `write` or `access` name the SQLite pool to use (readers, the one
/// writer, the access-log file); PostgreSQL has one pool for all three. The
/// body is compiled once per backend, so it can use the concrete sqlx types.
#[macro_export]
macro_rules! on_db {
    ($db:expr, $pool:ident, |$c:ident, $d:ident| $body:expr) => {
        match $db {
            $crate::Db::Sqlite { $pool: $c, .. } => {
                #[allow(unused_variables)]
                let $d = $crate::Dialect { backend: $crate::Backend::Sqlite };
                $body
            }
            $crate::Db::Postgres($c) => {
                #[allow(unused_variables)]
                let $d = $crate::Dialect { backend: $crate::Backend::Postgres };
                $body
            }
        }
    };
}

/// A database's migrations, in order: `(version, SQL)`. Each runs once, in
/// its own transaction; `version` is the key recorded in `schema_migrations`.
pub type MigrationList = &'static [(&'static str, &'static str)];

/// The migrations of one system for each backend (and, on SQLite, for the
/// separate access-log file when there is one).
#[derive(Clone, Copy)]
pub struct Migrations {
    pub sqlite: MigrationList,
    pub sqlite_access: MigrationList,
    pub postgres: MigrationList,
}

/// The access-log file of an SQLite database: `dossier.db` → `dossier.access.db`.
fn access_url(url: &str) -> String {
    let (path, query) = match url.split_once('?') {
        Some((p, q)) => (p, format!("?{q}")),
        None => (url, String::new()),
    };
    let stem = path.strip_suffix(".db").unwrap_or(path);
    format!("{stem}.access.db{query}")
}

/// Held (for a transaction) by whoever migrates a PostgreSQL database.
const MIGRATION_LOCK: &str = "SELECT pg_advisory_xact_lock(7236001)";

/// The migration runner, for either pool type.
macro_rules! migrate_on {
    ($pool:expr, $d:expr, $list:expr) => {{
        let pool = $pool;
        let d = $d;
        let list = $list;
        {
            // Several app servers may start at once: on PostgreSQL one migrates
            // and the others wait on an advisory lock — taken before the table
            // exists, since two sessions creating it at once collide.
            let mut tx = pool.begin_write().await?;
            if d.backend == Backend::Postgres {
                sqlx::raw_sql(MIGRATION_LOCK).execute(&mut *tx).await?;
            }
            sqlx::raw_sql("CREATE TABLE IF NOT EXISTS schema_migrations (version TEXT PRIMARY KEY)")
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            for (version, sql) in list {
                let mut tx = pool.begin_write().await?;
                if d.backend == Backend::Postgres {
                    sqlx::raw_sql(MIGRATION_LOCK).execute(&mut *tx).await?;
                }
                let done: Option<(String,)> =
                    sqlx::query_as("SELECT version FROM schema_migrations WHERE version = $1")
                        .bind(*version)
                        .fetch_optional(&mut *tx)
                        .await?;
                if done.is_none() {
                    sqlx::raw_sql(sql).execute(&mut *tx).await?;
                    sqlx::query("INSERT INTO schema_migrations (version) VALUES ($1)")
                        .bind(*version)
                        .execute(&mut *tx)
                        .await?;
                    tracing::info!(version, "applied migration");
                }
                tx.commit().await?;
            }
            Ok(())
        }
    }};
}

impl Db {
    pub async fn connect(url: &str) -> StoreResult<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Db::Postgres(pool))
        } else {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // NORMAL in WAL mode is durable against application crashes and
                // loses at most the last commits on power loss — the usual trade.
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-65536")
                .pragma("temp_store", "memory");
            // The writer checkpoints the WAL into the database every 64 MB rather
            // than SQLite's 4 MB: a page changed by many commits (a weekly run
            // moves certificates scattered over the whole table, office by
            // office) is then copied back once per checkpoint, not once per
            // few commits. Readers pay a little more to search a longer WAL.
            let write_opts = opts.clone().pragma("wal_autocheckpoint", "16384");
            let write = SqlitePoolOptions::new().max_connections(1).connect_with(write_opts).await?;
            let readers = std::thread::available_parallelism().map(|n| n.get() as u32 * 2).unwrap_or(4).max(4);
            // Every commit (audited reads commit too) makes each reader drop its
            // page cache at its next transaction — that is how SQLite keeps WAL
            // readers consistent. Readers therefore map the file: refilling the
            // cache from the mapping is far cheaper than from read() calls.
            let read_opts = opts.pragma("mmap_size", "2147483648");
            let read = SqlitePoolOptions::new().max_connections(readers).connect_with(read_opts).await?;
            let access_opts = SqliteConnectOptions::from_str(&access_url(url))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-65536");
            let direct = sqlite_files(url).filter(|(main, _)| !main.starts_with(":memory:")).map(|(main, access)| {
                SqliteDirect {
                    readers: Direct::readers(&main, readers as usize),
                    subjects: SubjectIndex::new(&access),
                    checkpoints: Checkpoints::new(&access),
                    access: Direct::writer_with(&access, crate::wal::WRITER_PRAGMAS),
                }
            });
            let access = SqlitePoolOptions::new().max_connections(1).connect_with(access_opts).await?;
            Ok(Db::Sqlite { read, write, access, direct })
        }
    }

    /// The connections used on the calling thread, on a file-backed SQLite database.
    pub fn direct(&self) -> Option<&SqliteDirect> {
        match self {
            Db::Sqlite { direct, .. } => direct.as_ref(),
            Db::Postgres(_) => None,
        }
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite { .. } => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Applies the migrations not yet applied, to every database file. With
    /// one file (see [`Db::connect_one_file`]) the access log's migrations are
    /// expected among the main ones.
    pub async fn migrate(&self, migrations: &Migrations) -> StoreResult<()> {
        match self {
            Db::Sqlite { write, access, .. } => {
                migrate_sqlite(write, migrations.sqlite).await?;
                if !migrations.sqlite_access.is_empty() {
                    migrate_sqlite(access, migrations.sqlite_access).await?;
                }
                Ok(())
            }
            Db::Postgres(_) => {
                let list = migrations.postgres;
                crate::on_db!(self, write, |pool, d| migrate_on!(pool, d, list))
            }
        }
    }
}

impl Db {
    /// A database in one SQLite file (the audit chain lives beside the tables,
    /// so there is no separate access-log file: the hub's), or a PostgreSQL URL.
    pub async fn connect_one_file(url: &str) -> StoreResult<Db> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Db::connect(url).await;
        }
        let opts = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
        let write = SqlitePoolOptions::new().max_connections(1).connect_with(opts.clone()).await?;
        let read = SqlitePoolOptions::new().max_connections(4).connect_with(opts).await?;
        Ok(Db::Sqlite { read, access: write.clone(), write, direct: None })
    }
}

async fn migrate_sqlite(pool: &SqlitePool, list: MigrationList) -> StoreResult<()> {
    let d = Dialect { backend: Backend::Sqlite };
    migrate_on!(pool, d, list)
}

/// Starting a write transaction. On SQLite it is `BEGIN IMMEDIATE`: the write
/// lock is taken at the start, where `busy_timeout` waits for another
/// process's writer (a `dossier import` beside a running server). A deferred
/// `BEGIN` would read first (every write reads the audit chain's head) and then
/// fail at once with "database is locked" when it tried to write after another
/// process had committed — SQLite cannot wait to upgrade a read snapshot.
pub trait BeginWrite {
    type Database: sqlx::Database;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>> + Send;
}

impl BeginWrite for sqlx::SqlitePool {
    type Database = sqlx::Sqlite;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error>> + Send {
        self.begin_with("BEGIN IMMEDIATE")
    }
}

impl BeginWrite for sqlx::PgPool {
    type Database = sqlx::Postgres;
    fn begin_write(
        &self,
    ) -> impl std::future::Future<Output = Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error>> + Send {
        self.begin()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn access_log_file_sits_beside_the_database() {
        assert_eq!(super::access_url("sqlite://data/dossier.db"), "sqlite://data/dossier.access.db");
        assert_eq!(super::access_url("sqlite:///tmp/x.db?mode=rwc"), "sqlite:///tmp/x.access.db?mode=rwc");
        assert_eq!(super::access_url("sqlite://plain"), "sqlite://plain.access.db");
    }
}

/// One connection pool as an operator sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoolStats {
    /// `main` (PostgreSQL), or SQLite's `read`, `write` and `access`.
    pub name: &'static str,
    /// Connections open, and of them idle.
    pub size: u32,
    pub idle: u32,
    pub max: u32,
}

impl Db {
    /// The database answers `SELECT 1` (on SQLite, a reader: the single
    /// writer may be busy committing, which is not a fault).
    pub async fn ping(&self) -> StoreResult<()> {
        match self {
            Db::Sqlite { read, .. } => {
                sqlx::query("SELECT 1").execute(read).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// The pools now.
    pub fn pool_stats(&self) -> Vec<PoolStats> {
        fn stats<D: sqlx::Database>(name: &'static str, p: &sqlx::Pool<D>) -> PoolStats {
            let idle = u32::try_from(p.num_idle()).unwrap_or(u32::MAX);
            PoolStats { name, size: p.size(), idle, max: p.options().get_max_connections() }
        }
        match self {
            Db::Sqlite { read, write, access, .. } => {
                vec![stats("read", read), stats("write", write), stats("access", access)]
            }
            Db::Postgres(pool) => vec![stats("main", pool)],
        }
    }
}

/// The two files of an SQLite database URL: the database and its access log
/// (`None` for PostgreSQL).
pub fn sqlite_files(url: &str) -> Option<(std::path::PathBuf, std::path::PathBuf)> {
    let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
    let main = rest.split_once('?').map_or(rest, |(p, _)| p);
    let access = access_url(main);
    Some((main.into(), access.into()))
}

impl Db {
    /// A consistent copy of an SQLite database — both files — into `dir`
    /// (`VACUUM INTO`: one read transaction each, writers go on meanwhile).
    /// Returns the file names written; PostgreSQL is copied by `pg_dump`.
    pub async fn snapshot_sqlite(&self, dir: &std::path::Path) -> StoreResult<Vec<&'static str>> {
        let Db::Sqlite { read, access, .. } = self else {
            return Err(crate::StoreError::Blob("a PostgreSQL database is copied with pg_dump".into()));
        };
        let mut written = Vec::new();
        for (pool, name) in [(read, "dossier.db"), (access, "dossier.access.db")] {
            let target = dir.join(name);
            sqlx::query("VACUUM INTO $1").bind(target.to_string_lossy().into_owned()).execute(pool).await?;
            written.push(name);
        }
        Ok(written)
    }
}
