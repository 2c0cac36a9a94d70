//! Bulk import of people: resumable runs, one transaction per batch.
use std::collections::HashSet;

use async_trait::async_trait;
use chrono::Utc;
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Invalid;
use dossier_domain::payment::PaidRow;
use dossier_domain::person::PersonData;
use serde_json::json;
use uuid::Uuid;

use super::rows::*;
use super::{CHUNK, SqlStore};
use crate::*;

/// Within a batch's transaction: records the batch's rejected rows in the
/// run's report and advances the run past the rows it consumed, so the batch
/// and the run's position commit together.
macro_rules! advance_run {
    ($tx:ident, $d:ident, $run:expr, $consumed:expr, $ok:expr, $rejected:expr) => {{
        let run: &ImportRun = $run;
        let rejected: &[ImportError] = &$rejected;
        for chunk in rejected.chunks(CHUNK) {
            let sql = format!(
                "INSERT INTO import_errors (run_id, line, field, message) VALUES {}",
                $d.placeholders(chunk.len(), 4)
            );
            let mut q = sqlx::query(&sql);
            for e in chunk {
                q = q.bind(run.id).bind(e.line).bind(&e.field).bind(&e.message);
            }
            q.execute(&mut *$tx).await?;
        }
        sqlx::query(
            "UPDATE import_runs SET rows_done = rows_done + $1, rows_ok = rows_ok + $2, rows_failed = rows_failed + $3 WHERE id = $4",
        )
        .bind($consumed)
        .bind($ok)
        .bind(rows_rejected(rejected))
        .bind(run.id)
        .execute(&mut *$tx)
        .await?;
    }};
}
pub(crate) use advance_run;

#[async_trait]
impl Imports for SqlStore {
    async fn start_import(
        &self,
        actor: &Actor,
        kind: ImportKind,
        file_sha256: &str,
        file_name: &str,
        unit_id: i64,
    ) -> StoreResult<ImportRun> {
        let unit = self.unit(unit_id).await?.ok_or_else(|| Invalid::one("unit_id", "common.not_found"))?;
        if kind == ImportKind::People && unit.kind != dossier_domain::org::UnitKind::DistrictOffice {
            return Err(Invalid::one("unit_id", "person.unit_not_district").into());
        }
        let existing: Option<ImportRunRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {RUN_COLS} FROM import_runs WHERE kind = $1 AND file_sha256 = $2 AND unit_id = $3 \
                 AND finished_at IS NULL ORDER BY started_at DESC LIMIT 1"
            ))
            .bind(kind.as_str())
            .bind(file_sha256)
            .bind(unit_id)
            .fetch_optional(pool)
            .await?
        });
        if let Some(run) = existing {
            return run.try_into();
        }
        let id = Uuid::now_v7();
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(&format!(
                "INSERT INTO import_runs ({RUN_COLS}, actor) VALUES ($1, $2, $3, $4, $5, 0, 0, 0, $6, NULL, $7)"
            ))
            .bind(id)
            .bind(kind.as_str())
            .bind(file_sha256)
            .bind(file_name)
            .bind(unit_id)
            .bind(now)
            .bind(&actor.label)
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "import.start",
                    format!("import:{id}"),
                    json!({"kind": kind.as_str(), "file_sha256": file_sha256, "unit_id": unit_id})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(ImportRun {
            id,
            kind,
            file_sha256: file_sha256.into(),
            file_name: file_name.into(),
            unit_id,
            rows_done: 0,
            rows_ok: 0,
            rows_failed: 0,
            started_at: now,
            finished_at: None,
        })
    }

    async fn import_batch(&self, actor: &Actor, run: &ImportRun, batch: ImportBatch) -> StoreResult<ImportRun> {
        let ImportBatch { rows, rejected, consumed } = batch;
        let (ok, failed) = self.insert_people(actor, run.unit_id, Some((run, consumed)), rows, rejected).await?;
        let mut next = run.clone();
        next.rows_done += consumed;
        next.rows_ok += ok;
        next.rows_failed += failed;
        Ok(next)
    }

    async fn import_pension_batch(
        &self,
        actor: &Actor,
        run: &ImportRun,
        batch: ImportBatch<PaidRow>,
    ) -> StoreResult<ImportRun> {
        let ImportBatch { rows, rejected, consumed } = batch;
        let scope = self.unit(run.unit_id).await?.ok_or(StoreError::NotFound)?.path;
        let mut next = run.clone();
        let stored = self.store_pensions(actor, &scope, &rows, Some((run, consumed, rejected))).await?;
        next.rows_done += consumed;
        next.rows_ok += stored.import.rows;
        next.rows_failed += stored.refused;
        Ok(next)
    }

    /// All or nothing: every row is stored, or — if any is already in the
    /// registry — none, and the duplicates are reported by line.
    async fn import_persons(&self, actor: &Actor, unit_id: i64, rows: Vec<(i64, PersonData)>) -> StoreResult<i64> {
        let (ok, _) = self.insert_people(actor, unit_id, None, rows, vec![]).await?;
        Ok(ok)
    }

    /// Stores validated people in one transaction, audited one entry each.
    /// With a run (`Some((run, consumed))`) rows already in the registry are
    /// rejected into the run's report and the run advances; without one they
    /// refuse the whole call. Returns (stored, rejected).
    async fn finish_import(&self, run: &ImportRun) -> StoreResult<ImportRun> {
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query("UPDATE import_runs SET finished_at = $1 WHERE id = $2")
                .bind(now)
                .bind(run.id)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    "system:import",
                    "import.finish",
                    format!("import:{}", run.id),
                    json!({"kind": run.kind.as_str(), "rows_ok": run.rows_ok, "rows_failed": run.rows_failed})
                )]
            );
            tx.commit().await?;
            // Fresh statistics after a bulk load, so plans see the new size.
            let refresh = match (d.backend, run.kind) {
                (dossier_db::Backend::Sqlite, _) => "PRAGMA optimize",
                (dossier_db::Backend::Postgres, ImportKind::People) => "ANALYZE persons, audit_log",
                (dossier_db::Backend::Postgres, ImportKind::Pensions) => "ANALYZE pensions, audit_log",
            };
            sqlx::raw_sql(refresh).execute(pool).await?;
            Ok::<(), StoreError>(())
        })?;
        let mut done = run.clone();
        done.finished_at = Some(now);
        Ok(done)
    }

    async fn import_errors(&self, run_id: Uuid) -> StoreResult<Vec<ImportError>> {
        let rows: Vec<(i64, String, String)> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT line, field, message FROM import_errors WHERE run_id = $1 ORDER BY line, field")
                .bind(run_id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows.into_iter().map(|(line, field, message)| ImportError { line, field, message }).collect())
    }
}

impl SqlStore {
    async fn insert_people(
        &self,
        actor: &Actor,
        unit_id: i64,
        run: Option<(&ImportRun, i64)>,
        rows: Vec<(i64, PersonData)>,
        mut rejected: Vec<ImportError>,
    ) -> StoreResult<(i64, i64)> {
        let unit = self.unit(unit_id).await?.ok_or_else(|| Invalid::one("unit_id", "common.not_found"))?;
        if unit.kind != dossier_domain::org::UnitKind::DistrictOffice {
            return Err(Invalid::one("unit_id", "person.unit_not_district").into());
        }
        let now = Utc::now();
        let ok: i64;
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // Refuse rows whose RNOKPP (or refusal passport) is already known,
            // in the registry or earlier in this batch.
            let mut taken: HashSet<String> = HashSet::new();
            let keys: Vec<String> =
                rows.iter().filter_map(|(_, p)| PersonColumns::of(p).rnokpp.map(str::to_owned)).collect();
            for chunk in keys.chunks(CHUNK) {
                let sql = format!("SELECT rnokpp FROM persons WHERE rnokpp IN ({})", d.list(0, chunk.len()));
                // Not cached as a prepared statement: PostgreSQL would keep the
                // generic plan made while the table was empty (a sequential
                // scan), which turns into seconds per batch as the table grows.
                let mut q = sqlx::query_scalar::<_, String>(&sql).persistent(false);
                for k in chunk {
                    q = q.bind(k);
                }
                taken.extend(q.fetch_all(&mut *tx).await?);
            }
            let mut accepted = Vec::with_capacity(rows.len());
            let mut duplicates = Vec::new();
            for (line, p) in &rows {
                let c = PersonColumns::of(p);
                let key = match (c.rnokpp, c.religious_refusal, c.passport) {
                    (Some(r), _, _) => r.to_owned(),
                    (None, true, Some(pass)) => format!("passport:{pass}"),
                    _ => format!("line:{line}"),
                };
                if c.religious_refusal {
                    let exists: Option<Uuid> =
                        sqlx::query_scalar("SELECT id FROM persons WHERE passport = $1 AND religious_refusal = TRUE")
                            .bind(c.passport)
                            .fetch_optional(&mut *tx)
                            .await?;
                    if exists.is_some() {
                        taken.insert(key.clone());
                    }
                }
                if !taken.insert(key) {
                    duplicates.push(*line);
                    continue;
                }
                accepted.push((Uuid::now_v7(), p, c));
            }
            match run {
                // Without a run the call is all or nothing: nothing is written yet.
                None if !duplicates.is_empty() => {
                    let mut inv = Invalid::default();
                    for line in &duplicates {
                        inv.push(format!("rows[{line}].rnokpp"), "person.duplicate");
                    }
                    return Err(inv.into());
                }
                None => {}
                Some(_) => {
                    rejected.extend(duplicates.iter().map(|line| ImportError::new(*line, "rnokpp", "person.duplicate")))
                }
            }
            for chunk in accepted.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO persons ({PERSON_INSERT_COLS}) VALUES {}",
                    d.placeholders(chunk.len(), PERSON_INSERT_WIDTH)
                );
                let mut q = sqlx::query(&sql);
                for (id, p, c) in chunk {
                    q = bind_person!(q, *id, unit_id, unit.path.as_str(), c, p, now);
                }
                q.execute(&mut *tx).await?;
            }
            ok = accepted.len() as i64;
            if let Some((run, consumed)) = run {
                advance_run!(tx, d, run, consumed, ok, rejected);
            }
            let via = match run {
                Some((run, _)) => json!({"unit_id": unit_id, "import": run.id}),
                None => json!({"unit_id": unit_id, "import": "api"}),
            };
            let entries = accepted
                .iter()
                .map(|(id, _, _)| PendingEntry::new(&actor.label, "person.create", format!("person:{id}"), via.clone()))
                .collect();
            append_audit!(tx, d, entries);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok((ok, rows_rejected(&rejected)))
    }
}
