//! Certificate production (regulation 26-1, §§ III–V): weekly batches and the
//! central duplicate check, numbering and blank usage, acceptance-transfer
//! acts, the issue journal, destruction by commission. Each write is one
//! transaction; stages move only through `lifecycle::next` and deadlines only
//! through `production::deadline_after`, so the rules live in the domain.
//!
//! A weekly batch moves all its certificates with set-based statements
//! (`UPDATE … WHERE`, then `INSERT … SELECT` of their events tagged with the
//! batch), so a national run is a few hundred statements, not a million. The
//! `(week, level, unit)` key makes a repeated run a no-op, and a crash between
//! two offices' batches leaves the finished ones whole and the rest untouched.
use std::collections::{BTreeMap, HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, on_db};
use dossier_domain::lifecycle::{self, CertificateForm, Event};
use dossier_domain::notify::Topic;
use dossier_domain::org::{UnitKind, UnitPath};
use dossier_domain::production::{
    self, Appointment, BatchLevel, BatchWeek, Discrepancies, Duty, Issue, check_act_signed, check_commission, reconcile,
};
use dossier_domain::{Invalid, Message};
use serde_json::json;
use uuid::Uuid;

use super::notify::{ENQUEUE_FOR_BATCH, step_payload};
use super::org::UNIT_COLS;
use super::rows::*;
use super::steps::{cert_for_update, next_counter, on_open_act, open_act_of, step_in_tx};
use super::{SqlStore, subtree_range};
use crate::*;

fn conflict(key: &'static str) -> StoreError {
    StoreError::Conflict(Message::new(key))
}

/// The duplicate check (§III.4) over the certificates `c` that `which` selects:
/// earlier pensions (another registry record of the same person — same name
/// and birth date, or same document) and live certificates of the same person.
/// The certificates and their people are read once (materialized), then matched
/// four ways. Rows: (certificate, other person, its live certificate's number).
fn duplicate_check_sql(which: &str) -> String {
    let dead = dead_stages_sql();
    format!(
        "WITH b AS MATERIALIZED ( \
           SELECT c.id AS cid, c.person_id AS pid, p.name_key, p.birth_date, p.passport, p.id_card \
           FROM certificates c JOIN persons p ON p.id = c.person_id WHERE {which}) \
         SELECT b.cid, q.id, o.number FROM b \
           JOIN persons q ON q.name_key = b.name_key AND q.birth_date = b.birth_date AND q.id <> b.pid \
           LEFT JOIN certificates o ON o.person_id = q.id AND o.stage NOT IN ({dead}) \
         UNION ALL \
         SELECT b.cid, q.id, o.number FROM b \
           JOIN persons q ON q.passport = b.passport AND q.id <> b.pid \
           LEFT JOIN certificates o ON o.person_id = q.id AND o.stage NOT IN ({dead}) \
         WHERE b.passport IS NOT NULL \
         UNION ALL \
         SELECT b.cid, q.id, o.number FROM b \
           JOIN persons q ON q.id_card = b.id_card AND q.id <> b.pid \
           LEFT JOIN certificates o ON o.person_id = q.id AND o.stage NOT IN ({dead}) \
         WHERE b.id_card IS NOT NULL \
         UNION ALL \
         SELECT b.cid, b.pid, o.number FROM b \
           JOIN certificates o ON o.person_id = b.pid AND o.id <> b.cid AND o.stage NOT IN ({dead})"
    )
}

/// The check's rows as findings, each reported once.
fn findings(rows: Vec<(Uuid, Uuid, Option<String>)>) -> Vec<DuplicateFinding> {
    let mut seen = HashSet::new();
    rows.into_iter()
        .filter(|(c, q, o)| seen.insert((*c, *q, o.clone())))
        .map(|(certificate_id, other_person_id, other_certificate)| DuplicateFinding {
            certificate_id,
            other_person_id,
            other_certificate,
        })
        .collect()
}

/// The certificate `c`'s person has a photo: what a district batch requires.
const WITH_PHOTO: &str = "EXISTS (SELECT 1 FROM persons p WHERE p.id = c.person_id AND p.photo_id IS NOT NULL)";

#[derive(sqlx::FromRow)]
struct BatchRow {
    id: Uuid,
    week: String,
    level: String,
    unit_id: i64,
    cutoff: DateTime<Utc>,
    submitted_at: DateTime<Utc>,
    items: i64,
    held: i64,
    created_by: String,
}

const BATCH_COLS: &str = "id, week, level, unit_id, cutoff, submitted_at, items, held, created_by";

impl BatchRow {
    fn into_batch(self) -> StoreResult<Batch> {
        Ok(Batch {
            id: self.id,
            late: self.submitted_at > self.cutoff,
            week: self.week,
            level: BatchLevel::parse(&self.level).ok_or_else(|| StoreError::corrupt("batch level"))?,
            unit_id: self.unit_id,
            cutoff: self.cutoff,
            submitted_at: self.submitted_at,
            items: self.items,
            held: self.held,
            created_by: self.created_by,
        })
    }
}

#[derive(sqlx::FromRow)]
struct AppointmentRow {
    id: Uuid,
    account_id: Uuid,
    full_name: String,
    unit_id: i64,
    duty: String,
    order_no: String,
    valid_from: NaiveDate,
    valid_until: Option<NaiveDate>,
}

const APPOINTMENT_SELECT: &str = "SELECT a.id, a.account_id, c.full_name, a.unit_id, a.duty, a.order_no, a.valid_from, a.valid_until FROM appointments a JOIN accounts c ON c.id = a.account_id";

impl AppointmentRow {
    fn into_record(self) -> StoreResult<AppointmentRecord> {
        Ok(AppointmentRecord {
            id: self.id,
            account_id: self.account_id,
            full_name: self.full_name,
            unit_id: self.unit_id,
            duty: Duty::parse(&self.duty).ok_or_else(|| StoreError::corrupt("duty"))?,
            order_no: self.order_no,
            valid_from: self.valid_from,
            valid_until: self.valid_until,
        })
    }
}

impl AppointmentRecord {
    fn as_domain(&self) -> Appointment {
        Appointment { person: self.full_name.clone(), role: self.duty, from: self.valid_from, until: self.valid_until }
    }
}

#[derive(sqlx::FromRow)]
struct ActRow {
    id: Uuid,
    number: String,
    from_unit_id: i64,
    to_unit_id: i64,
    status: String,
    sent_by: String,
    sent_at: DateTime<Utc>,
    accepted_by: Option<String>,
    accepted_at: Option<DateTime<Utc>>,
    discrepancies: Option<String>,
}

const ACT_COLS: &str =
    "id, number, from_unit_id, to_unit_id, status, sent_by, sent_at, accepted_by, accepted_at, discrepancies";

#[derive(sqlx::FromRow)]
struct JournalRow {
    unit_id: i64,
    line: i64,
    certificate_id: Uuid,
    certificate_no: String,
    act_id: Uuid,
    act_number: String,
    act_date: DateTime<Utc>,
    holder_name: String,
    received_at: DateTime<Utc>,
    issued_at: Option<DateTime<Utc>>,
    issued_by: Option<String>,
    recipient_name: Option<String>,
    recipient: Option<String>,
    signature: Option<String>,
}

const JOURNAL_SELECT: &str = "SELECT j.unit_id, j.line, j.certificate_id, j.certificate_no, j.act_id, a.number AS act_number, a.sent_at AS act_date, j.holder_name, j.received_at, j.issued_at, j.issued_by, j.recipient_name, j.recipient, j.signature FROM journal_entries j JOIN transfer_acts a ON a.id = j.act_id";

impl JournalRow {
    fn into_line(self) -> StoreResult<JournalLine> {
        Ok(JournalLine {
            unit_id: self.unit_id,
            line: self.line,
            certificate_id: self.certificate_id,
            certificate_no: self.certificate_no,
            act_id: self.act_id,
            act_number: self.act_number,
            act_date: self.act_date,
            holder_name: self.holder_name,
            received_at: self.received_at,
            issued_at: self.issued_at,
            issued_by: self.issued_by,
            recipient_name: self.recipient_name,
            recipient: self.recipient.map(|r| serde_json::from_str(&r)).transpose().map_err(StoreError::corrupt)?,
            signature: self.signature,
        })
    }
}

/// Reads a unit inside a transaction.
macro_rules! unit_in_tx {
    ($tx:expr, $id:expr) => {{
        let row: Option<UnitRow> = sqlx::query_as(&format!("SELECT {UNIT_COLS} FROM org_units WHERE id = $1"))
            .bind($id)
            .fetch_optional(&mut *$tx)
            .await?;
        row.map(UnitRow::into_unit).transpose()?
    }};
}

/// The appointments of `unit` with `duty` in force on `on`, inside a transaction.
macro_rules! appointments_in_tx {
    ($tx:expr, $unit:expr, $duties:expr, $on:expr) => {{
        let rows: Vec<AppointmentRow> =
            sqlx::query_as(&format!("{APPOINTMENT_SELECT} WHERE a.unit_id = $1 ORDER BY a.valid_from, c.full_name"))
                .bind($unit)
                .fetch_all(&mut *$tx)
                .await?;
        let mut out = vec![];
        for r in rows {
            let r = r.into_record()?;
            if $duties.contains(&r.duty) && r.as_domain().in_force($on) {
                out.push(r);
            }
        }
        out
    }};
}

fn require_responsible(actor: &Actor, responsible: &[AppointmentRecord]) -> StoreResult<AppointmentRecord> {
    let account = actor.account_id.ok_or_else(|| conflict("production.act.not_responsible"))?;
    responsible
        .iter()
        .find(|a| a.account_id == account)
        .cloned()
        .ok_or_else(|| conflict("production.act.not_responsible"))
}

#[async_trait]
impl Production for SqlStore {
    // ---- weekly batches ----

    async fn batch_candidates(&self, week: BatchWeek, level: BatchLevel) -> StoreResult<Vec<BatchCandidate>> {
        let (from, _) = level.step();
        let kind = level.unit_kind();
        let units: Vec<Unit> = self.units().await?.into_iter().filter(|u| u.kind == kind).collect();
        // (path, ready, waiting for the photo) per office path.
        let (rows, done): (Vec<(String, i64, i64)>, Vec<BatchRow>) = on_db!(&self.db, read, |pool, _d| {
            let pending = match level {
                BatchLevel::District => sqlx::query_as(&format!("SELECT c.unit_path, SUM(CASE WHEN {WITH_PHOTO} THEN 1 ELSE 0 END), SUM(CASE WHEN {WITH_PHOTO} THEN 0 ELSE 1 END) FROM certificates c WHERE c.stage = $1 AND c.form = 'paper' AND c.created_at < $2 GROUP BY c.unit_path"))
                    .bind(from.as_str())
                    .bind(week.district_cutoff())
                    .fetch_all(pool)
                    .await?,
                _ => sqlx::query_as("SELECT unit_path, COUNT(*), CAST(0 AS BIGINT) FROM certificates WHERE stage = $1 AND form = 'paper' GROUP BY unit_path")
                    .bind(from.as_str())
                    .fetch_all(pool)
                    .await?,
            };
            let done =
                sqlx::query_as(&format!("SELECT {BATCH_COLS} FROM production_batches WHERE week = $1 AND level = $2"))
                    .bind(week.to_string())
                    .bind(level.as_str())
                    .fetch_all(pool)
                    .await?;
            (pending, done)
        });
        // Paths of certificates → the submitting unit at this level's depth.
        let depth = match level {
            BatchLevel::Central => 0,
            BatchLevel::Region => 1,
            BatchLevel::District => 2,
        };
        let mut pending: HashMap<i64, (i64, i64)> = HashMap::new();
        for (path, ready, waiting) in rows {
            if let Some(id) = UnitPath::parse(&path).and_then(|p| p.ids().get(depth).copied()) {
                let e = pending.entry(id).or_default();
                e.0 += ready;
                e.1 += waiting;
            }
        }
        let mut done: HashMap<i64, Batch> =
            done.into_iter().map(|r| r.into_batch().map(|b| (b.unit_id, b))).collect::<StoreResult<_>>()?;
        Ok(units
            .into_iter()
            .map(|u| BatchCandidate {
                pending: pending.get(&u.id).map_or(0, |p| p.0),
                without_photo: pending.get(&u.id).map_or(0, |p| p.1),
                submitted: done.remove(&u.id),
                unit_id: u.id,
                code: u.code,
                name_uk: u.name_uk,
                name_en: u.name_en,
            })
            .collect())
    }

    /// Submits `unit`'s batch of `week` at `level`, or reports the one
    /// submitted before. One transaction: all its certificates move, or none.
    async fn submit_batch(
        &self,
        actor: &Actor,
        week: Option<BatchWeek>,
        level: BatchLevel,
        unit_id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<BatchOutcome> {
        let (from, event) = level.step();
        let to = lifecycle::next(CertificateForm::Paper, from, event).map_err(StoreError::Conflict)?;
        let batch_id = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let week = match week {
                Some(w) => w,
                None => {
                    // Read in the transaction that submits, so two clicks agree.
                    let passed = level.open_week(now).prev();
                    let submitted: i64 = sqlx::query_scalar(
                        "SELECT COUNT(*) FROM production_batches WHERE week = $1 AND level = $2 AND unit_id = $3",
                    )
                    .bind(passed.to_string())
                    .bind(level.as_str())
                    .bind(unit_id)
                    .fetch_one(&mut *tx)
                    .await?;
                    level.due_week(now, submitted == 0)
                }
            };
            let week_s = week.to_string();
            let cutoff = level.cutoff(week);
            let before: Option<BatchRow> = sqlx::query_as(&format!(
                "SELECT {BATCH_COLS} FROM production_batches WHERE week = $1 AND level = $2 AND unit_id = $3"
            ))
            .bind(&week_s)
            .bind(level.as_str())
            .bind(unit_id)
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(b) = before {
                return Ok(BatchOutcome::AlreadySubmitted(b.into_batch()?));
            }
            let unit = unit_in_tx!(tx, unit_id).ok_or(StoreError::NotFound)?;
            if unit.kind != level.unit_kind() {
                return Err(Invalid::one("unit_id", "production.batch.wrong_unit").into());
            }
            let (lo, hi) = subtree_range(&unit.path);
            // Applications accepted after the cut-off go to the next week; the
            // region and the centre take whatever has reached them.
            let until = match level {
                BatchLevel::District => week.district_cutoff(),
                _ => now + chrono::Duration::days(1),
            };
            let held: Vec<DuplicateFinding> = if level == BatchLevel::Central {
                let sql =
                    duplicate_check_sql("c.stage = $1 AND c.form = 'paper' AND c.unit_path >= $2 AND c.unit_path < $3");
                let rows: Vec<(Uuid, Uuid, Option<String>)> =
                    sqlx::query_as(&sql).bind(from.as_str()).bind(&lo).bind(&hi).fetch_all(&mut *tx).await?;
                findings(rows)
            } else {
                vec![]
            };
            // Move the batch: one statement for its certificates, one for their events.
            let due = production::deadline_after(CertificateForm::Paper, event, now, None);
            let moved = if level == BatchLevel::Central {
                // The duplicate check keeps the production term running.
                sqlx::query("UPDATE certificates SET stage = $1, stage_at = $2, updated_at = $2, batch_id = $3 WHERE stage = $4 AND form = 'paper' AND unit_path >= $5 AND unit_path < $6")
                    .bind(to.as_str())
                    .bind(now)
                    .bind(batch_id)
                    .bind(from.as_str())
                    .bind(&lo)
                    .bind(&hi)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            } else {
                // §III: the district's batch goes with the photo; an application
                // whose person has none stays accepted until a later batch.
                sqlx::query(&format!("UPDATE certificates AS c SET stage = $1, stage_at = $2, updated_at = $2, batch_id = $3, due_at = $4 WHERE c.stage = $5 AND c.form = 'paper' AND c.unit_path >= $6 AND c.unit_path < $7 AND c.created_at < $8 AND {WITH_PHOTO}"))
                    .bind(to.as_str())
                    .bind(now)
                    .bind(batch_id)
                    .bind(due)
                    .bind(from.as_str())
                    .bind(&lo)
                    .bind(&hi)
                    .bind(until)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected()
            };
            // Held certificates take the other branch of the check, with what was found.
            let mut by_cert: BTreeMap<Uuid, Vec<&DuplicateFinding>> = BTreeMap::new();
            for f in &held {
                by_cert.entry(f.certificate_id).or_default().push(f);
            }
            for (id, findings) in &by_cert {
                let hold_to = lifecycle::next(CertificateForm::Paper, from, Event::HoldAsDuplicate)
                    .map_err(StoreError::Conflict)?;
                sqlx::query("UPDATE certificates SET stage = $1 WHERE id = $2 AND batch_id = $3")
                    .bind(hold_to.as_str())
                    .bind(id)
                    .bind(batch_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("INSERT INTO certificate_events (certificate_id, event, from_stage, to_stage, actor, note, at, batch_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(id)
                    .bind(Event::HoldAsDuplicate.as_str())
                    .bind(from.as_str())
                    .bind(hold_to.as_str())
                    .bind(&actor.label)
                    .bind(serde_json::to_string(findings).map_err(StoreError::corrupt)?)
                    .bind(now)
                    .bind(batch_id)
                    .execute(&mut *tx)
                    .await?;
            }
            // The batch's certificates, found by stage and office (an index the
            // run needs anyway) rather than by a batch index every step would update.
            sqlx::query("INSERT INTO certificate_events (certificate_id, event, from_stage, to_stage, actor, note, at, batch_id) SELECT id, $1, $2, $3, $4, NULL, $5, $6 FROM certificates WHERE stage = $3 AND unit_path >= $7 AND unit_path < $8 AND batch_id = $6")
                .bind(event.as_str())
                .bind(from.as_str())
                .bind(to.as_str())
                .bind(&actor.label)
                .bind(now)
                .bind(batch_id)
                .bind(&lo)
                .bind(&hi)
                .execute(&mut *tx)
                .await?;
            // Their holders' messages, in the same transaction.
            if let Some(topic) = Topic::of_stage(CertificateForm::Paper, to) {
                // A paper estimate needs the deadline only (the acceptance time is per certificate).
                let payload = step_payload(CertificateForm::Paper, to, None, due);
                for sql in ENQUEUE_FOR_BATCH {
                    sqlx::query(sql)
                        .bind(topic.as_str())
                        .bind(now)
                        .bind(&payload)
                        .bind(to.as_str())
                        .bind(&lo)
                        .bind(&hi)
                        .bind(batch_id)
                        .execute(&mut *tx)
                        .await?;
                }
            }
            let batch = Batch {
                id: batch_id,
                week: week_s.clone(),
                level,
                unit_id,
                cutoff,
                submitted_at: now,
                items: i64::try_from(moved).unwrap_or(i64::MAX),
                held: i64::try_from(by_cert.len()).unwrap_or(i64::MAX),
                created_by: actor.label.clone(),
                late: now > cutoff,
            };
            sqlx::query("INSERT INTO production_batches (id, week, level, unit_id, unit_path, cutoff, submitted_at, items, held, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
                .bind(batch.id)
                .bind(&batch.week)
                .bind(level.as_str())
                .bind(unit_id)
                .bind(unit.path.as_str())
                .bind(cutoff)
                .bind(now)
                .bind(batch.items)
                .bind(batch.held)
                .bind(&actor.label)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "production.batch.submit",
                    format!("batch:{batch_id}"),
                    json!({"week": batch.week, "level": level.as_str(), "unit_id": unit_id, "items": batch.items, "held": batch.held, "late": batch.late}),
                )]
            );
            tx.commit().await?;
            Ok(BatchOutcome::Submitted(batch))
        })
    }

    async fn batches(&self, scope: &UnitPath, week: Option<BatchWeek>) -> StoreResult<Vec<Batch>> {
        let (lo, hi) = subtree_range(scope);
        let rows: Vec<BatchRow> = on_db!(&self.db, read, |pool, _d| {
            match week {
                Some(w) => sqlx::query_as(&format!("SELECT {BATCH_COLS} FROM production_batches WHERE unit_path >= $1 AND unit_path < $2 AND week = $3 ORDER BY submitted_at DESC LIMIT 1000"))
                    .bind(&lo)
                    .bind(&hi)
                    .bind(w.to_string())
                    .fetch_all(pool)
                    .await?,
                None => sqlx::query_as(&format!("SELECT {BATCH_COLS} FROM production_batches WHERE unit_path >= $1 AND unit_path < $2 ORDER BY submitted_at DESC LIMIT 200"))
                    .bind(&lo)
                    .bind(&hi)
                    .fetch_all(pool)
                    .await?,
            }
        });
        rows.into_iter().map(BatchRow::into_batch).collect()
    }

    async fn batch(&self, id: Uuid) -> StoreResult<Option<(Batch, Vec<CertificateRecord>)>> {
        let (row, certs): (Option<BatchRow>, Vec<CertRow>) = on_db!(&self.db, read, |pool, _d| {
            let row = sqlx::query_as(&format!("SELECT {BATCH_COLS} FROM production_batches WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?;
            let certs = sqlx::query_as(&format!(
                "SELECT {CERT_COLS} FROM certificates WHERE id IN (SELECT certificate_id FROM certificate_events WHERE batch_id = $1) ORDER BY number LIMIT 10000"
            ))
            .bind(id)
            .fetch_all(pool)
            .await?;
            (row, certs)
        });
        let Some(row) = row else { return Ok(None) };
        Ok(Some((row.into_batch()?, certs.into_iter().map(CertRow::into_record).collect::<StoreResult<_>>()?)))
    }

    // ---- production: numbers and blanks ----

    /// Produces certificates that passed the duplicate check: each gets its
    /// number and consumes one blank of form 2, recorded in the blank ledger.
    async fn duplicate_findings(&self, certificate_id: Uuid) -> StoreResult<Vec<DuplicateFinding>> {
        let sql = duplicate_check_sql("c.id = $1");
        let rows: Vec<(Uuid, Uuid, Option<String>)> =
            on_db!(&self.db, read, |pool, _d| sqlx::query_as(&sql).bind(certificate_id).fetch_all(pool).await?);
        Ok(findings(rows))
    }

    async fn produce(&self, actor: &Actor, ids: &[Uuid], now: DateTime<Utc>) -> StoreResult<Vec<CertificateRecord>> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let mut audit = vec![];
            for id in ids {
                let cert = cert_for_update!(tx, d, id).ok_or(StoreError::NotFound)?;
                let n = next_counter!(tx, format!("certificate:{}", now.year()));
                let number = format!("ПП-{}-{n:07}", now.year());
                let blank = next_counter!(tx, "blank:form2");
                let blank_no = format!("Ф2-{blank:08}");
                audit.push(step_in_tx!(
                    tx,
                    &cert,
                    Event::Produce,
                    now,
                    actor,
                    Some(format!("{number}; blank {blank_no}")),
                    json!({"certificate_no": number, "blank_no": blank_no})
                ));
                sqlx::query("UPDATE certificates SET certificate_no = $1 WHERE id = $2")
                    .bind(&number)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query(
                    "INSERT INTO blank_usage (blank_no, certificate_id, used_at, used_by) VALUES ($1, $2, $3, $4)",
                )
                .bind(&blank_no)
                .bind(id)
                .bind(now)
                .bind(&actor.label)
                .execute(&mut *tx)
                .await?;
            }
            append_audit!(tx, d, audit);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        let mut out = Vec::with_capacity(ids.len());
        for id in ids {
            out.push(self.certificate(*id).await?.ok_or(StoreError::NotFound)?);
        }
        Ok(out)
    }

    // ---- appointments by order ----

    async fn appoint(&self, actor: &Actor, a: &NewAppointment) -> StoreResult<AppointmentRecord> {
        if a.order_no.trim().is_empty() {
            return Err(Invalid::one("order_no", "common.required").into());
        }
        if a.valid_until.is_some_and(|u| u < a.valid_from) {
            return Err(Invalid::one("valid_until", "production.appointment.period").into());
        }
        let id = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let unit = unit_in_tx!(tx, a.unit_id).ok_or(StoreError::NotFound)?;
            if !unit.kind.is_fund() {
                return Err(Invalid::one("unit_id", "production.appointment.fund_only").into());
            }
            let exists: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE id = $1")
                .bind(a.account_id)
                .fetch_one(&mut *tx)
                .await?;
            if exists == 0 {
                return Err(StoreError::NotFound);
            }
            sqlx::query("INSERT INTO appointments (id, account_id, unit_id, duty, order_no, valid_from, valid_until, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
                .bind(id)
                .bind(a.account_id)
                .bind(a.unit_id)
                .bind(a.duty.as_str())
                .bind(a.order_no.trim())
                .bind(a.valid_from)
                .bind(a.valid_until)
                .bind(&actor.label)
                .bind(Utc::now())
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "production.appoint",
                    format!("unit:{}", a.unit_id),
                    json!({"appointment_id": id, "account_id": a.account_id, "duty": a.duty.as_str(), "order_no": a.order_no.trim(), "from": a.valid_from, "until": a.valid_until}),
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.appointments(a.unit_id).await?.into_iter().find(|r| r.id == id).ok_or(StoreError::NotFound)
    }

    async fn appointments(&self, unit_id: i64) -> StoreResult<Vec<AppointmentRecord>> {
        let rows: Vec<AppointmentRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("{APPOINTMENT_SELECT} WHERE a.unit_id = $1 ORDER BY a.valid_from, c.full_name"))
                .bind(unit_id)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(AppointmentRow::into_record).collect()
    }

    // ---- acceptance-transfer acts (form 3) ----

    async fn create_transfer_act(
        &self,
        actor: &Actor,
        from_unit_id: i64,
        to_unit_id: i64,
        certificate_ids: &[Uuid],
        now: DateTime<Utc>,
    ) -> StoreResult<TransferAct> {
        acts::create_transfer_act(self, actor, from_unit_id, to_unit_id, certificate_ids, now).await
    }

    async fn accept_transfer_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        acceptance: &ActAcceptance,
        now: DateTime<Utc>,
    ) -> StoreResult<TransferAct> {
        acts::accept_transfer_act(self, actor, act_id, acceptance, now).await
    }

    async fn transfer_act(&self, id: Uuid) -> StoreResult<Option<TransferAct>> {
        acts::transfer_act(self, id).await
    }

    async fn transfer_acts(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<TransferAct>> {
        acts::transfer_acts(self, scope, page).await
    }

    // ---- issue and the journal (form 6) ----

    async fn issue_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        issue: &Issue,
        now: DateTime<Utc>,
    ) -> StoreResult<JournalLine> {
        acts::issue_certificate(self, actor, id, issue, now).await
    }

    async fn journal(&self, unit_id: i64, from: DateTime<Utc>, to: DateTime<Utc>) -> StoreResult<Vec<JournalLine>> {
        acts::journal(self, unit_id, from, to).await
    }

    // ---- destruction (§I.4, §III.8) ----

    async fn create_destruction_act(
        &self,
        actor: &Actor,
        unit_id: i64,
        order_no: &str,
        lines: &[DestructionLine],
        now: DateTime<Utc>,
    ) -> StoreResult<DestructionAct> {
        destruction::create_destruction_act(self, actor, unit_id, order_no, lines, now).await
    }

    async fn sign_destruction_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        now: DateTime<Utc>,
    ) -> StoreResult<DestructionAct> {
        destruction::sign_destruction_act(self, actor, act_id, now).await
    }

    async fn destruction_act(&self, id: Uuid) -> StoreResult<Option<DestructionAct>> {
        destruction::destruction_act(self, id).await
    }

    async fn destruction_acts(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<DestructionAct>> {
        destruction::destruction_acts(self, scope, page).await
    }

    // ---- what is due, what is late ----

    async fn late_certificates(
        &self,
        scope: &UnitPath,
        now: DateTime<Utc>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>> {
        let (lo, hi) = subtree_range(scope);
        let rows: Vec<CertRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {CERT_COLS} FROM certificates WHERE due_at < $1 AND unit_path >= $2 AND unit_path < $3 ORDER BY due_at, id LIMIT $4 OFFSET $5"
            ))
            .bind(now)
            .bind(&lo)
            .bind(&hi)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(CertRow::into_record).collect()
    }

    /// Live certificates of `scope` whose validity ends by `until` (those already
    /// past it first): fixed-term paper, cards nearing their own end or their term's.
    async fn expiring_certificates(
        &self,
        scope: &UnitPath,
        until: NaiveDate,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>> {
        let (lo, hi) = subtree_range(scope);
        let dead = dead_stages_sql();
        let rows: Vec<CertRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {CERT_COLS} FROM certificates WHERE valid_until <= $1 AND unit_path >= $2 AND unit_path < $3 AND stage NOT IN ({dead}) ORDER BY valid_until, id LIMIT $4 OFFSET $5"
            ))
            .bind(until)
            .bind(&lo)
            .bind(&hi)
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(CertRow::into_record).collect()
    }

    async fn production_overview(&self, scope: &UnitPath, now: DateTime<Utc>) -> StoreResult<ProductionOverview> {
        let (lo, hi) = subtree_range(scope);
        let since = now - chrono::Duration::days(90);
        type Waiting = (String, Option<DateTime<Utc>>);
        let (by_stage, late, events, waiting, last_acts): (
            Vec<(String, i64)>,
            Vec<(i64, String, i64)>,
            Vec<(Uuid, Option<String>, DateTime<Utc>)>,
            Vec<Waiting>,
            Vec<(i64, Option<DateTime<Utc>>)>,
        ) = on_db!(&self.db, read, |pool, _d| {
            let by_stage = sqlx::query_as("SELECT stage, COUNT(*) FROM certificates WHERE unit_path >= $1 AND unit_path < $2 GROUP BY stage ORDER BY stage")
                .bind(&lo)
                .bind(&hi)
                .fetch_all(pool)
                .await?;
            let late = sqlx::query_as("SELECT unit_id, stage, COUNT(*) FROM certificates WHERE due_at < $1 AND unit_path >= $2 AND unit_path < $3 GROUP BY unit_id, stage ORDER BY unit_id, stage")
                .bind(now)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(pool)
                .await?;
            // Recent events of certificates in scope, per certificate in order:
            // the time between two events is the time spent in the stage between.
            let events = sqlx::query_as("SELECT e.certificate_id, e.from_stage, e.at FROM certificate_events e JOIN certificates c ON c.id = e.certificate_id WHERE e.at >= $1 AND c.unit_path >= $2 AND c.unit_path < $3 ORDER BY e.certificate_id, e.id LIMIT 200000")
                .bind(since)
                .bind(&lo)
                .bind(&hi)
                .fetch_all(pool)
                .await?;
            let waiting = sqlx::query_as("SELECT unit_path, MIN(stage_at) FROM certificates WHERE stage = 'produced' AND unit_path >= $1 AND unit_path < $2 GROUP BY unit_path")
                .bind(&lo)
                .bind(&hi)
                .fetch_all(pool)
                .await?;
            let last_acts = sqlx::query_as("SELECT to_unit_id, MAX(sent_at) FROM transfer_acts GROUP BY to_unit_id")
                .fetch_all(pool)
                .await?;
            (by_stage, late, events, waiting, last_acts)
        });
        let mut spans: BTreeMap<String, Vec<f64>> = BTreeMap::new();
        for pair in events.windows(2) {
            let ((a_cert, _, a_at), (b_cert, Some(stage), b_at)) = (&pair[0], &pair[1]) else { continue };
            if a_cert == b_cert {
                #[allow(clippy::cast_precision_loss)]
                spans.entry(stage.clone()).or_default().push((*b_at - *a_at).num_seconds() as f64 / 3600.0);
            }
        }
        let median_hours = spans
            .into_iter()
            .map(|(stage, mut v)| {
                v.sort_by(f64::total_cmp);
                let m = if v.len() % 2 == 1 { v[v.len() / 2] } else { (v[v.len() / 2 - 1] + v[v.len() / 2]) / 2.0 };
                (stage, (m * 10.0).round() / 10.0)
            })
            .collect();
        // Regions: the oldest produced certificate waiting for each, against its last act.
        let mut oldest: BTreeMap<i64, DateTime<Utc>> = BTreeMap::new();
        for (path, at) in waiting {
            let (Some(region), Some(at)) = (UnitPath::parse(&path).and_then(|p| p.ids().get(1).copied()), at) else {
                continue;
            };
            let e = oldest.entry(region).or_insert(at);
            *e = (*e).min(at);
        }
        let last: HashMap<i64, DateTime<Utc>> = last_acts.into_iter().filter_map(|(u, t)| Some((u, t?))).collect();
        let regions_waiting = oldest
            .into_iter()
            .filter(|(region, at)| production::region_transfer_overdue(last.get(region).copied(), Some(*at), now))
            .map(|(region, _)| region)
            .collect();
        Ok(ProductionOverview {
            by_stage,
            late: late.into_iter().map(|(unit_id, stage, count)| LateCount { unit_id, stage, count }).collect(),
            median_hours,
            regions_waiting,
        })
    }
}

fn full_name(surname: &str, given: &str, patronymic: Option<&str>) -> String {
    match patronymic {
        Some(p) if !p.is_empty() => format!("{surname} {given} {p}"),
        _ => format!("{surname} {given}"),
    }
}

/// The fund's calendar day (Kyiv) of an instant: appointments run by date.
fn production_today(now: DateTime<Utc>) -> NaiveDate {
    dossier_domain::time::kyiv_time(now).date_naive()
}

// After the macros above: they are in scope for these by their place in the text.
mod acts;
mod destruction;
