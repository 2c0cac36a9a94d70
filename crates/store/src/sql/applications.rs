//! Pension-certificate applications: filing, amending, withdrawing — each one
//! transaction that reads the facts, runs the regulation's rules
//! (`dossier_domain::application::validate`) and only then writes.
use async_trait::async_trait;
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, on_db};
use dossier_domain::application::{
    ApplicationData, ApplicationInput, ExistingCertificate, Facts, PreviousDisposition, RepresentativeRef, validate,
};
use dossier_domain::lifecycle::{self, CertificateForm, Event, Stage};
use dossier_domain::notify::Topic;
use dossier_domain::org::{UnitKind, UnitPath};
use dossier_domain::production;
use dossier_domain::time::kyiv_time;
use dossier_domain::{Invalid, Message};
use serde_json::json;
use uuid::Uuid;

use super::notify::{ENQUEUE_FOR_PERSON, step_payload};
use super::rows::*;
use super::steps::{cert_for_update, next_counter, record_event, step_in_tx};
use super::{SqlStore, subtree_range};
use crate::*;

fn form_str(f: CertificateForm) -> &'static str {
    match f {
        CertificateForm::Paper => "paper",
        CertificateForm::Card => "card",
    }
}

fn existing(rows: Vec<CertRow>) -> StoreResult<Vec<ExistingCertificate>> {
    rows.into_iter()
        .map(|r| {
            let rec = r.into_record()?;
            Ok(ExistingCertificate {
                id: rec.id,
                reference: rec.certificate_no.clone().unwrap_or_else(|| rec.number.clone()),
                pension_kind: rec.data.pension_kind,
                form: rec.data.form,
                stage: rec.stage,
                term_end: production::term_end(&rec.data),
                disability: rec.data.disability.is_some(),
            })
        })
        .collect()
}

/// Reads the facts the rules need, inside the open transaction `$tx`, and
/// validates; evaluates to `ApplicationData` or returns the `Invalid` error.
macro_rules! facts_and_validate {
    ($tx:expr, $d:expr, $person_id:expr, $input:expr, $today:expr, $amending:expr) => {{
        let person: PersonRow =
            sqlx::query_as(&format!("SELECT {PERSON_COLS} FROM persons WHERE id = $1{}", $d.for_update()))
                .bind($person_id)
                .fetch_optional(&mut *$tx)
                .await?
                .ok_or(StoreError::NotFound)?;
        let person = person.into_record()?;
        let reps: Vec<RepRow> = sqlx::query_as(&format!("SELECT {REP_COLS} FROM representatives WHERE person_id = $1"))
            .bind($person_id)
            .fetch_all(&mut *$tx)
            .await?;
        let reps: Vec<RepresentativeRef> =
            reps.into_iter().map(|r| RepresentativeRef { id: r.id, active: r.active }).collect();
        let certs: Vec<CertRow> = sqlx::query_as(&format!("SELECT {CERT_COLS} FROM certificates WHERE person_id = $1"))
            .bind($person_id)
            .fetch_all(&mut *$tx)
            .await?;
        let certs = existing(certs)?;
        let unit_kind: Option<String> = match $input.issue_unit_id {
            Some(id) => {
                sqlx::query_scalar("SELECT kind FROM org_units WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?
            }
            None => None,
        };
        let facts = Facts {
            today: $today,
            person: &person.data,
            representatives: &reps,
            issue_unit_kind: unit_kind.as_deref().and_then(UnitKind::parse),
            existing: &certs,
            amending: $amending,
        };
        let data = validate($input, &facts)?;
        (person, data)
    }};
}

#[async_trait]
impl Applications for SqlStore {
    async fn create_application(
        &self,
        actor: &Actor,
        person_id: Uuid,
        input: &ApplicationInput,
        at: DateTime<Utc>,
    ) -> StoreResult<CertificateRecord> {
        let id = Uuid::now_v7();
        let today = kyiv_time(at).date_naive();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let (person, data) = facts_and_validate!(tx, d, person_id, input, today, None);
            let mut audit = vec![];
            // §I.3: the certificate being replaced is handed back for destruction or declared lost.
            if let Some(rep) = &data.replacement {
                let prev: CertRow = sqlx::query_as(&format!("SELECT {CERT_COLS} FROM certificates WHERE id = $1"))
                    .bind(rep.previous_certificate_id)
                    .fetch_one(&mut *tx)
                    .await?;
                let prev = prev.into_record()?;
                let event = match rep.previous_disposition {
                    PreviousDisposition::Returned => Event::ReturnForDestruction,
                    PreviousDisposition::DeclaredLost => Event::DeclareLost,
                };
                lifecycle::next(prev.data.form, prev.stage, event)
                    .map_err(|m| Invalid::one("replacement.previous_certificate_id", m))?;
                audit.push(step_in_tx!(
                    tx,
                    &prev,
                    event,
                    at,
                    actor,
                    Some(format!("replacement by application {id}")),
                    json!({"replaced_by": id})
                ));
            }
            let year = today.year();
            let counter = format!("application:{year}");
            let n = next_counter!(tx, &counter);
            let number = format!("З-{year}-{n:07}");
            let stage = lifecycle::initial(data.form);
            let now = at;
            let due = production::filing_deadline(data.form, now, &self.calendar);
            sqlx::query("INSERT INTO certificates (id, number, person_id, unit_id, unit_path, pension_kind, form, issue_unit_id, stage, data, created_by, created_at, updated_at, stage_at, due_at, valid_until) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12, $12, $13, $14)")
            .bind(id)
            .bind(&number)
            .bind(person_id)
            .bind(person.unit_id)
            .bind(person.unit_path.as_str())
            .bind(data.pension_kind.as_str())
            .bind(form_str(data.form))
            .bind(data.issue_unit_id)
            .bind(stage.as_str())
            .bind(serde_json::to_string(&data).map_err(StoreError::corrupt)?)
            .bind(&actor.label)
            .bind(now)
            .bind(due)
            .bind(production::valid_until(&data, None))
            .execute(&mut *tx)
            .await?;
            record_event!(tx, id, "file", None, stage.as_str(), &actor.label, None::<String>, now);
            // Subscribers of the person's other cases hear of the new one.
            if let Some(topic) = Topic::of_stage(data.form, stage) {
                sqlx::query(ENQUEUE_FOR_PERSON)
                    .bind(person_id)
                    .bind(&number)
                    .bind(topic.as_str())
                    .bind(now)
                    .bind(data.issue_unit_id)
                    .bind(step_payload(data.form, stage, Some(now), Some(due)))
                    .bind(id)
                    .bind(now)
                    .execute(&mut *tx)
                    .await?;
            }
            audit.push(PendingEntry::new(&actor.label, "application.create", format!("person:{person_id}"), json!({"application_id": id, "number": number, "pension_kind": data.pension_kind.as_str(), "form": form_str(data.form)})));
            audit.push(PendingEntry::new(
                &actor.label,
                "certificate.transition",
                format!("certificate:{id}"),
                json!({"event": "file", "to": stage.as_str()}),
            ));
            append_audit!(tx, d, audit);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.certificate(id).await?.ok_or(StoreError::NotFound)
    }

    async fn amend_application(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ApplicationInput,
        today: NaiveDate,
    ) -> StoreResult<CertificateRecord> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let cur: CertRow =
                sqlx::query_as(&format!("SELECT {CERT_COLS} FROM certificates WHERE id = $1{}", d.for_update()))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
            let cur = cur.into_record()?;
            if !cur.stage.is_amendable() {
                return Err(StoreError::Conflict(Message::new("application.not_amendable")));
            }
            if input.replacement.is_some() != cur.data.replacement.is_some() {
                return Err(Invalid::one("replacement", "application.replacement_fixed").into());
            }
            let (_person, data): (PersonRecord, ApplicationData) =
                facts_and_validate!(tx, d, cur.person_id, input, today, Some(id));
            if data.replacement != cur.data.replacement {
                return Err(Invalid::one("replacement", "application.replacement_fixed").into());
            }
            if data.form != cur.data.form && !lifecycle::initial(data.form).is_amendable() {
                return Err(StoreError::Conflict(Message::new("application.not_amendable")));
            }
            sqlx::query("UPDATE certificates SET pension_kind = $1, form = $2, issue_unit_id = $3, data = $4, updated_at = $5, valid_until = $6 WHERE id = $7")
                .bind(data.pension_kind.as_str())
                .bind(form_str(data.form))
                .bind(data.issue_unit_id)
                .bind(serde_json::to_string(&data).map_err(StoreError::corrupt)?)
                .bind(Utc::now())
                .bind(production::valid_until(&data, cur.card_expires_on))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "application.amend",
                    format!("person:{}", cur.person_id),
                    json!({"application_id": id, "number": cur.number})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.certificate(id).await?.ok_or(StoreError::NotFound)
    }

    async fn withdraw_application(&self, actor: &Actor, id: Uuid, note: &str) -> StoreResult<CertificateRecord> {
        let cur = self.certificate(id).await?.ok_or(StoreError::NotFound)?;
        if !cur.stage.is_withdrawable() {
            return Err(StoreError::Conflict(Message::new("application.not_amendable")));
        }
        let note = Some(note.trim()).filter(|n| !n.is_empty());
        self.advance_certificate(actor, id, Event::Withdraw, note).await
    }

    /// The one way a certificate changes stage: the domain's transition table
    /// decides, the change and its event are stored and audited together.
    async fn advance_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        event: Event,
        note: Option<&str>,
    ) -> StoreResult<CertificateRecord> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let cur = cert_for_update!(tx, d, id).ok_or(StoreError::NotFound)?;
            let mut audit =
                vec![step_in_tx!(tx, &cur, event, Utc::now(), actor, note.map(str::to_owned), serde_json::Value::Null)];
            if event == Event::Withdraw {
                audit.push(PendingEntry::new(
                    &actor.label,
                    "application.withdraw",
                    format!("person:{}", cur.person_id),
                    json!({"application_id": id, "number": cur.number}),
                ));
            }
            append_audit!(tx, d, audit);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.certificate(id).await?.ok_or(StoreError::NotFound)
    }

    async fn certificate(&self, id: Uuid) -> StoreResult<Option<CertificateRecord>> {
        let row: Option<CertRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {CERT_COLS} FROM certificates WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(CertRow::into_record).transpose()
    }

    async fn certificates_of(&self, person_id: Uuid) -> StoreResult<Vec<CertificateRecord>> {
        let sql = format!("SELECT {CERT_COLS} FROM certificates WHERE person_id = $1 ORDER BY created_at DESC");
        let rows: Vec<CertRow> = self.rows_of(&sql, person_id).await?;
        rows.into_iter().map(CertRow::into_record).collect()
    }

    async fn list_certificates(
        &self,
        scope: &UnitPath,
        stage: Option<&str>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>> {
        let (lo, hi) = subtree_range(scope);
        let stage = match stage {
            Some(s) => Some(
                Stage::parse(s)
                    .ok_or_else(|| Invalid::one("stage", Message::new("common.unknown_value").with("value", s)))?,
            ),
            None => None,
        };
        let rows: Vec<CertRow> = on_db!(&self.db, read, |pool, _d| {
            match stage {
                Some(s) => sqlx::query_as(&format!(
                    "SELECT {CERT_COLS} FROM certificates WHERE unit_path >= $1 AND unit_path < $2 AND stage = $3 ORDER BY created_at DESC, id LIMIT $4 OFFSET $5"
                ))
                .bind(&lo)
                .bind(&hi)
                .bind(s.as_str())
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(pool)
                .await?,
                None => sqlx::query_as(&format!(
                    "SELECT {CERT_COLS} FROM certificates WHERE unit_path >= $1 AND unit_path < $2 ORDER BY created_at DESC, id LIMIT $3 OFFSET $4"
                ))
                .bind(&lo)
                .bind(&hi)
                .bind(page.limit)
                .bind(page.offset)
                .fetch_all(pool)
                .await?,
            }
        });
        rows.into_iter().map(CertRow::into_record).collect()
    }

    async fn certificate_events(&self, id: Uuid) -> StoreResult<Vec<CertificateEvent>> {
        let rows: Vec<EventRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as("SELECT event, from_stage, to_stage, actor, note, at FROM certificate_events WHERE certificate_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(pool)
                .await?
        });
        Ok(rows
            .into_iter()
            .map(|r| CertificateEvent {
                event: r.event,
                from_stage: r.from_stage,
                to_stage: r.to_stage,
                actor: r.actor,
                note: r.note,
                at: r.at,
            })
            .collect())
    }
}
