//! [`EApplications`] on SQL.
use std::collections::{HashMap, HashSet};

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{BeginWrite, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::e_application::{Decision, Event, Kind, Status};
use dossier_domain::notify::Topic;
use dossier_domain::org::UnitPath;
use dossier_domain::payment::{PaidRow, Pension, PensionChange};
use dossier_domain::pension::PensionKind;
use dossier_domain::{Invalid, Message};
use serde_json::json;
use uuid::Uuid;

use super::imports::advance_run;
use super::notify::ENQUEUE_FOR_PERSON;
use super::{CHUNK, MAX_PROBLEMS, SqlStore, subtree_range};
use crate::*;

const COLS: &str = "id, person_id, unit_id, unit_path, kind, data, statement, status, filed_by, by_representative, \
     lang, hub_request_id, signer, created_at, submitted_at, due_on, decided_at, decided_by, reasons, decision_sha256, \
     certificate_id, signature";

dossier_db::direct_row! {
    #[derive(sqlx::FromRow)]
    struct Row {
        id: Uuid,
        person_id: Uuid,
        unit_id: i64,
        unit_path: String,
        kind: String,
        data: String,
        statement: String,
        status: String,
        filed_by: String,
        by_representative: bool,
        lang: String,
        hub_request_id: Option<String>,
        signer: Option<String>,
        created_at: DateTime<Utc>,
        submitted_at: Option<DateTime<Utc>>,
        due_on: Option<NaiveDate>,
        decided_at: Option<DateTime<Utc>>,
        decided_by: Option<String>,
        reasons: Option<String>,
        decision_sha256: Option<String>,
        certificate_id: Option<Uuid>,
        signature: Option<Vec<u8>>,
    }
}

fn record(r: Row) -> StoreResult<EApplicationRecord> {
    Ok(EApplicationRecord {
        id: r.id,
        person_id: r.person_id,
        unit_id: r.unit_id,
        unit_path: UnitPath::parse(&r.unit_path).ok_or_else(|| StoreError::corrupt("e-application unit path"))?,
        kind: Kind::parse(&r.kind).ok_or_else(|| StoreError::corrupt("e-application kind"))?,
        data: serde_json::from_str(&r.data).map_err(|_| StoreError::corrupt("e-application data"))?,
        statement: r.statement,
        status: Status::parse(&r.status).ok_or_else(|| StoreError::corrupt("e-application status"))?,
        filed_by: r.filed_by,
        by_representative: r.by_representative,
        lang: r.lang,
        hub_request_id: r.hub_request_id,
        signer: r.signer,
        created_at: r.created_at,
        submitted_at: r.submitted_at,
        due_on: r.due_on,
        decided_at: r.decided_at,
        decided_by: r.decided_by,
        reasons: r.reasons,
        decision_sha256: r.decision_sha256,
        certificate_id: r.certificate_id,
        signature: r.signature,
    })
}

/// Refuses an event the application's status does not allow.
fn conflict() -> StoreError {
    StoreError::Conflict(Message::new("e_application.not_now"))
}

#[async_trait]
impl EApplications for SqlStore {
    async fn create_e_application(&self, a: &NewEApplication) -> StoreResult<EApplicationRecord> {
        let unit = self.unit(a.unit_id).await?.ok_or(StoreError::NotFound)?;
        let data = serde_json::to_string(&a.data).map_err(|_| StoreError::corrupt("e-application data"))?;
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            sqlx::query(
                "INSERT INTO e_applications (id, person_id, unit_id, unit_path, kind, data, statement, status, filed_by, \
                 by_representative, lang, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 'signing', $8, $9, $10, $11)",
            )
            .bind(a.id)
            .bind(a.person_id)
            .bind(a.unit_id)
            .bind(unit.path.as_str())
            .bind(a.data.request.kind().as_str())
            .bind(&data)
            .bind(&a.statement)
            .bind(&a.filed_by)
            .bind(a.by_representative)
            .bind(&a.lang)
            .bind(a.at)
            .execute(&mut *tx)
            .await?;
            for f in &a.files {
                sqlx::query(
                    "INSERT INTO e_application_files (e_application_id, position, name, content_type, sha256, size, source) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7)",
                )
                .bind(a.id)
                .bind(f.position)
                .bind(&f.name)
                .bind(&f.content_type)
                .bind(&f.sha256)
                .bind(f.size)
                .bind(&f.source)
                .execute(&mut *tx)
                .await?;
            }
            // The kind and the count of files; never the text, the account or the address.
            let details = json!({"e_application": a.id, "kind": a.data.request.kind().as_str(), "files": a.files.len(),
                "by_representative": a.by_representative});
            let entry =
                PendingEntry::new(&a.filed_by, "e_application.file", format!("person:{}", a.person_id), details);
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
        });
        self.e_application(a.id).await?.ok_or(StoreError::NotFound)
    }

    async fn set_e_application_signing(&self, id: Uuid, hub_request_id: &str) -> StoreResult<()> {
        on_db!(&self.db, write, |pool, _d| {
            sqlx::query("UPDATE e_applications SET hub_request_id = $1 WHERE id = $2 AND status = 'signing'")
                .bind(hub_request_id)
                .bind(id)
                .execute(pool)
                .await?;
        });
        Ok(())
    }

    async fn e_application(&self, id: Uuid) -> StoreResult<Option<EApplicationRecord>> {
        let row: Option<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {COLS} FROM e_applications WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(record).transpose()
    }

    async fn e_application_files(&self, id: Uuid) -> StoreResult<Vec<EApplicationFile>> {
        type FileRow = (i64, String, String, String, i64, String);
        let rows: Vec<FileRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(
                "SELECT position, name, content_type, sha256, size, source FROM e_application_files \
                 WHERE e_application_id = $1 ORDER BY position",
            )
            .bind(id)
            .fetch_all(pool)
            .await?
        });
        Ok(rows
            .into_iter()
            .map(|(position, name, content_type, sha256, size, source)| EApplicationFile {
                position,
                name,
                content_type,
                sha256,
                size,
                source,
            })
            .collect())
    }

    async fn e_applications_of(&self, person_id: Uuid) -> StoreResult<Vec<EApplicationRecord>> {
        let sql = format!("SELECT {COLS} FROM e_applications WHERE person_id = $1 ORDER BY created_at DESC LIMIT 200");
        let rows: Vec<Row> = self.rows_of(&sql, person_id).await?;
        rows.into_iter().map(record).collect()
    }

    async fn e_application_inbox(
        &self,
        scope: &UnitPath,
        status: Option<Status>,
    ) -> StoreResult<Vec<EApplicationRecord>> {
        let (lo, hi) = subtree_range(scope);
        let (filter, value) = match status {
            Some(s) => ("status = $3", s.as_str()),
            None => ("status <> $3", Status::Signing.as_str()),
        };
        let rows: Vec<Row> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {COLS} FROM e_applications WHERE unit_path >= $1 AND unit_path < $2 AND {filter} \
                 ORDER BY due_on, created_at LIMIT 500"
            ))
            .bind(&lo)
            .bind(&hi)
            .bind(value)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(record).collect()
    }

    async fn finish_signing(
        &self,
        actor: &Actor,
        id: Uuid,
        outcome: &SigningOutcome,
    ) -> StoreResult<EApplicationRecord> {
        let cur = self.e_application(id).await?.ok_or(StoreError::NotFound)?;
        let (event, at) = match outcome {
            SigningOutcome::Signed { at, .. } => (Event::Signed, *at),
            SigningOutcome::NotSigned { at } => (Event::NotSigned, *at),
        };
        let to = cur.status.after(event).ok_or_else(conflict)?;
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let done = match outcome {
                SigningOutcome::Signed { signature, signer, due_on, at } => sqlx::query(
                    "UPDATE e_applications SET status = $1, signature = $2, signer = $3, due_on = $4, submitted_at = $5 \
                     WHERE id = $6 AND status = 'signing'",
                )
                .bind(to.as_str())
                .bind(signature.as_slice())
                .bind(signer)
                .bind(due_on)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?,
                SigningOutcome::NotSigned { .. } => {
                    sqlx::query("UPDATE e_applications SET status = $1 WHERE id = $2 AND status = 'signing'")
                        .bind(to.as_str())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?
                }
            };
            if done.rows_affected() == 0 {
                return Err(conflict());
            }
            if let (Status::Submitted, Some(email)) = (to, &cur.data.email) {
                // The address given on the application hears of its decision, and of nothing else.
                sqlx::query(
                    "INSERT INTO subscriptions (person_id, certificate_id, channel, address, secret, lang, status, \
                     link_expires_at, created_by, created_at, active_at, e_application_id) \
                     VALUES (NULL, NULL, 'email', $1, NULL, $2, 'active', NULL, $3, $4, $4, $5)",
                )
                .bind(email)
                .bind(&cur.lang)
                .bind(&actor.label)
                .bind(at)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            }
            let action = if to == Status::Submitted { "e_application.submit" } else { "e_application.abandon" };
            let entry = PendingEntry::new(
                &actor.label,
                action,
                format!("person:{}", cur.person_id),
                json!({"e_application": id}),
            );
            append_audit!(tx, d, vec![entry]);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.e_application(id).await?.ok_or(StoreError::NotFound)
    }

    async fn decide_e_application(&self, actor: &Actor, n: &NewDecision) -> StoreResult<EApplicationRecord> {
        let cur = self.e_application(n.id).await?.ok_or(StoreError::NotFound)?;
        let to = cur.status.after(n.decision.event()).ok_or_else(conflict)?;
        let case = format!("e-application:{}", n.id);
        let payload = json!({"kind": cur.kind.as_str(), "decision": to.as_str(), "reasons": n.reasons}).to_string();
        let delivery = match &n.pension {
            Some(PensionChange::Assign(Pension { delivery, .. }) | PensionChange::Deliver { delivery, .. }) => {
                serde_json::to_string(delivery).map_err(|_| StoreError::corrupt("pension delivery"))?
            }
            None => String::new(),
        };
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let done = sqlx::query(
                "UPDATE e_applications SET status = $1, decided_at = $2, decided_by = $3, reasons = $4, \
                 decision_sha256 = $5, certificate_id = $6 WHERE id = $7 AND status = 'submitted'",
            )
            .bind(to.as_str())
            .bind(n.at)
            .bind(&actor.label)
            .bind(&n.reasons)
            .bind(&n.document_sha256)
            .bind(n.certificate_id)
            .bind(n.id)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() == 0 {
                return Err(conflict());
            }
            // The person's subscriptions to all their cases and the systems' webhooks…
            sqlx::query(ENQUEUE_FOR_PERSON)
                .bind(cur.person_id)
                .bind(&case)
                .bind(Topic::EApplicationDecided.as_str())
                .bind(n.at)
                .bind(cur.unit_id)
                .bind(&payload)
                .bind(None::<Uuid>)
                .bind(n.at)
                .execute(&mut *tx)
                .await?;
            // …and the address given on the application.
            sqlx::query(
                "INSERT INTO notifications (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, \
                 payload, status, attempts, next_attempt_at, created_at) \
                 SELECT s.id, $2, s.channel, $3, $4, $5, $6, $7, 'pending', 0, $5, $5 FROM subscriptions s \
                 WHERE s.status = 'active' AND s.e_application_id = $1 ON CONFLICT DO NOTHING",
            )
            .bind(n.id)
            .bind(cur.person_id)
            .bind(&case)
            .bind(Topic::EApplicationDecided.as_str())
            .bind(n.at)
            .bind(cur.unit_id)
            .bind(&payload)
            .execute(&mut *tx)
            .await?;
            match &n.pension {
                Some(PensionChange::Assign(p)) => {
                    sqlx::query(
                        "INSERT INTO pensions (person_id, kind, amount, since, delivery, delivery_since, \
                         e_application_id, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
                         ON CONFLICT (person_id) DO UPDATE SET kind = excluded.kind, amount = excluded.amount, \
                         since = excluded.since, delivery = excluded.delivery, delivery_since = excluded.delivery_since, \
                         e_application_id = excluded.e_application_id, updated_at = excluded.updated_at",
                    )
                    .bind(cur.person_id)
                    .bind(p.kind.as_str())
                    .bind(p.amount)
                    .bind(p.since)
                    .bind(&delivery)
                    .bind(p.delivery_since)
                    .bind(n.id)
                    .bind(n.at)
                    .execute(&mut *tx)
                    .await?;
                }
                Some(PensionChange::Deliver { since, .. }) => {
                    let moved = sqlx::query(
                        "UPDATE pensions SET delivery = $1, delivery_since = $2, e_application_id = $3, \
                         updated_at = $4 WHERE person_id = $5",
                    )
                    .bind(&delivery)
                    .bind(since)
                    .bind(n.id)
                    .bind(n.at)
                    .bind(cur.person_id)
                    .execute(&mut *tx)
                    .await?;
                    if moved.rows_affected() == 0 {
                        return Err(StoreError::Conflict(Message::new("payment.none")));
                    }
                }
                None => {}
            }
            let action = match n.decision {
                Decision::Granted => "e_application.grant",
                Decision::Refused => "e_application.refuse",
            };
            let details = json!({
                "e_application": n.id,
                "document": n.document_sha256,
                "certificate": n.certificate_id,
                "pension": pension_details(n.pension.as_ref()),
            });
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(&actor.label, action, format!("person:{}", cur.person_id), details)]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.e_application(n.id).await?.ok_or(StoreError::NotFound)
    }

    async fn pension(&self, person_id: Uuid) -> StoreResult<Option<PensionInPayment>> {
        type Row = (String, i64, NaiveDate, String, NaiveDate, Option<Uuid>, DateTime<Utc>);
        let sql = "SELECT kind, amount, since, delivery, delivery_since, e_application_id, updated_at \
                   FROM pensions WHERE person_id = $1";
        let row: Option<Row> = self.rows_of(sql, person_id).await?.pop();
        let Some((kind, amount, since, delivery, delivery_since, e_application_id, updated_at)) = row else {
            return Ok(None);
        };
        let pension = Pension {
            kind: PensionKind::parse(&kind).map_err(|_| StoreError::corrupt("pension kind"))?,
            amount,
            since,
            delivery: serde_json::from_str(&delivery).map_err(|_| StoreError::corrupt("pension delivery"))?,
            delivery_since,
        };
        Ok(Some(PensionInPayment { pension, e_application_id, updated_at }))
    }

    async fn import_pensions(
        &self,
        actor: &Actor,
        scope: &UnitPath,
        rows: &[(i64, PaidRow)],
    ) -> StoreResult<PensionImport> {
        Ok(self.store_pensions(actor, scope, rows, None).await?.import)
    }
}

/// What one call of [`SqlStore::store_pensions`] did.
pub(super) struct StoredPensions {
    /// Pensions recorded, and of them how many replaced an earlier import's.
    pub import: PensionImport,
    /// Rows refused into a run's report (none without a run: there a refused
    /// row refuses the call).
    pub refused: i64,
}

impl SqlStore {
    /// Records pensions paid before Dossier for people under `scope`, in one
    /// transaction. Without a run the call is all or nothing: any row refused
    /// refuses it, each named `rows[LINE].FIELD`. With one (`Some((run,
    /// consumed, rejected))`, a batch of `dossier import-pensions`) the refused
    /// rows join the run's report beside `rejected`, and the run advances.
    pub(super) async fn store_pensions(
        &self,
        actor: &Actor,
        scope: &UnitPath,
        rows: &[(i64, PaidRow)],
        run: Option<(&ImportRun, i64, Vec<ImportError>)>,
    ) -> StoreResult<StoredPensions> {
        let now = Utc::now();
        // Each audit entry says which import recorded it, as a person's does.
        let via = run.as_ref().map_or(json!("api"), |(run, ..)| json!(run.id));
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // The people by RNOKPP, and the pension each is paid now: a person
            // outside the scope is as unknown as one not on the registry. The
            // scope is judged here, not in SQL: given a range on the unit path
            // beside the keys, SQLite's planner — once ANALYZE has run, as every
            // import's end runs it — scans the whole range for each chunk of
            // keys instead of looking each key up (4× slower at 100 000 people).
            let mut keys: Vec<&str> = rows.iter().map(|(_, r)| r.rnokpp.as_str()).collect();
            keys.sort_unstable();
            keys.dedup();
            type Found = (String, String, Uuid, NaiveDate, Option<Uuid>, Option<Uuid>);
            let mut persons: HashMap<String, (Uuid, NaiveDate, Option<Uuid>, Option<Uuid>)> =
                HashMap::with_capacity(keys.len());
            for chunk in keys.chunks(CHUNK) {
                let sql = format!(
                    "SELECT p.rnokpp, p.unit_path, p.id, p.birth_date, n.person_id, n.e_application_id \
                     FROM persons p LEFT JOIN pensions n ON n.person_id = p.id WHERE p.rnokpp IN ({})",
                    d.list(0, chunk.len())
                );
                let mut q = sqlx::query_as::<_, Found>(&sql).persistent(false);
                for k in chunk {
                    q = q.bind(*k);
                }
                let found = q.fetch_all(&mut *tx).await?.into_iter();
                persons.extend(
                    found
                        .filter(|(_, path, ..)| scope.contains_stored(path))
                        .map(|(r, _, id, b, paid, by)| (r, (id, b, paid, by))),
                );
            }
            let mut refused: Vec<(i64, &'static str, &'static str)> = Vec::new();
            let mut seen = HashSet::with_capacity(rows.len());
            let mut accepted: Vec<(Uuid, &Pension)> = Vec::with_capacity(rows.len());
            let mut replaced = 0;
            for (line, row) in rows {
                let Some(&(person, birth, paid, granted_by)) = persons.get(row.rnokpp.as_str()) else {
                    refused.push((*line, "rnokpp", "record.unknown_person"));
                    continue;
                };
                if !seen.insert(person) {
                    refused.push((*line, "rnokpp", "payment.person_twice"));
                } else if granted_by.is_some() {
                    refused.push((*line, "rnokpp", "payment.granted_here"));
                } else if row.pension.since < birth {
                    refused.push((*line, "since", "record.period_before_birth"));
                } else {
                    replaced += i64::from(paid.is_some());
                    accepted.push((person, &row.pension));
                }
            }
            if run.is_none() {
                let mut problems = Invalid::default();
                for (line, field, key) in refused.iter().take(MAX_PROBLEMS) {
                    problems.push(format!("rows[{line}].{field}"), *key);
                }
                problems.into_result()?;
                if accepted.is_empty() {
                    return Err(Invalid::one("rows", "import.empty").into());
                }
            }
            // An imported pension is replaced only while no decision here has
            // changed it: a grant racing this import wins, and the import is refused.
            let mut written = 0;
            for chunk in accepted.chunks(CHUNK) {
                let sql = format!(
                    "INSERT INTO pensions (person_id, kind, amount, since, delivery, delivery_since, updated_at) \
                     VALUES {} ON CONFLICT (person_id) DO UPDATE SET kind = excluded.kind, amount = excluded.amount, \
                     since = excluded.since, delivery = excluded.delivery, delivery_since = excluded.delivery_since, \
                     updated_at = excluded.updated_at WHERE pensions.e_application_id IS NULL",
                    d.placeholders(chunk.len(), 7)
                );
                let mut q = sqlx::query(&sql);
                for (person, p) in chunk {
                    let delivery = serde_json::to_string(&p.delivery).map_err(|_| StoreError::corrupt("delivery"))?;
                    q = q.bind(person).bind(p.kind.as_str()).bind(p.amount).bind(p.since).bind(delivery);
                    q = q.bind(p.delivery_since).bind(now);
                }
                written += q.execute(&mut *tx).await?.rows_affected();
            }
            if written != accepted.len() as u64 {
                return Err(StoreError::Conflict(Message::new("payment.granted_here")));
            }
            let ok = accepted.len() as i64;
            let mut failed = 0;
            if let Some((run, consumed, mut rejected)) = run {
                rejected.extend(refused.into_iter().map(|(line, field, key)| ImportError::new(line, field, key)));
                failed = rows_rejected(&rejected);
                advance_run!(tx, d, run, consumed, ok, rejected);
            }
            let entries = accepted
                .iter()
                .map(|(person, p)| {
                    let mut details = pension_paid(p);
                    details["import"] = via.clone();
                    PendingEntry::new(&actor.label, "pension.import", format!("person:{person}"), details)
                })
                .collect();
            append_audit!(tx, d, entries);
            tx.commit().await?;
            Ok(StoredPensions { import: PensionImport { rows: ok, replaced }, refused: failed })
        })
    }
}

/// The audit entry's account of a change to the pension paid.
fn pension_details(change: Option<&PensionChange>) -> serde_json::Value {
    match change {
        Some(PensionChange::Assign(p)) => pension_paid(p),
        Some(PensionChange::Deliver { since, .. }) => json!({"delivery_since": since}),
        None => serde_json::Value::Null,
    }
}

/// The audit entry's account of a pension paid, granted here or imported:
/// the kind, the amount and the days, never the account number or the address.
fn pension_paid(p: &Pension) -> serde_json::Value {
    json!({"kind": p.kind.as_str(), "amount": p.amount, "since": p.since, "delivery_since": p.delivery_since})
}
