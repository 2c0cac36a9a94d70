//! Reads by an indexed equality — a person, a session, one person's
//! certificates or applications — the statements the pages citizens and
//! staff open most rest on. On SQLite they run on the calling thread
//! (`dossier_db::direct`): through sqlx each statement and each row would cross
//! to the connection's own thread and back, and on the personal-account page
//! that hand-over cost more than the reads (BENCHMARKS.md). PostgreSQL, and
//! every other read, go through the pool.
use dossier_db::direct::DirectRow;
use dossier_db::rusqlite::ToSql;
use dossier_db::rusqlite::types::ToSqlOutput;
use dossier_db::sqlx::postgres::PgRow;
use dossier_db::sqlx::sqlite::SqliteRow;
use dossier_db::sqlx::{self, FromRow};
use dossier_db::{StoreResult, on_db, rusqlite};
use uuid::Uuid;

use super::SqlStore;

/// A parameter of a point read, bound by sqlx or by `dossier_db::direct` alike.
pub(crate) enum Param {
    Text(String),
    Int(i64),
    Id(Uuid),
}

impl ToSql for Param {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        match self {
            Param::Text(s) => s.to_sql(),
            Param::Int(i) => i.to_sql(),
            // A 16-byte blob, as sqlx stores a UUID in SQLite.
            Param::Id(id) => id.to_sql(),
        }
    }
}

/// A row type both paths read (a tuple, or a struct declared with `direct_row!`).
pub(crate) trait PointRow:
    DirectRow + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}

impl<R> PointRow for R where R: DirectRow + for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

impl SqlStore {
    /// The rows of `sql` (numbered parameters, in order) — for a statement
    /// that finds its few rows through an index, never a scan or a range.
    pub(crate) async fn point_rows<R: PointRow>(&self, sql: &str, params: &[Param]) -> StoreResult<Vec<R>> {
        if let Some(direct) = self.db.direct() {
            return direct.readers.run(|c| {
                let mut statement = c.prepare_cached(sql)?;
                let rows = statement.query_map(rusqlite::params_from_iter(params), R::from_direct)?;
                rows.collect()
            });
        }
        self.pool_rows(sql, params).await
    }

    /// The rows of `sql` through the pool, on either database (a range, a scan).
    pub(crate) async fn pool_rows<R: PointRow>(&self, sql: &str, params: &[Param]) -> StoreResult<Vec<R>> {
        Ok(on_db!(&self.db, read, |pool, _d| {
            let mut query = sqlx::query_as::<_, R>(sql);
            for p in params {
                query = match p {
                    Param::Text(s) => query.bind(s),
                    Param::Int(i) => query.bind(i),
                    Param::Id(id) => query.bind(id),
                };
            }
            query.fetch_all(pool).await?
        }))
    }

    /// [`SqlStore::point_rows`] by one person's (or anything's) id.
    pub(crate) async fn rows_of<R: PointRow>(&self, sql: &str, id: Uuid) -> StoreResult<Vec<R>> {
        self.point_rows(sql, &[Param::Id(id)]).await
    }
}
