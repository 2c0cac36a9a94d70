//! Digitization dossiers and their daily numbers.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, on_db};
use dossier_domain::Message;
use dossier_domain::digitization::{AgencyCode, DossierCode};
use serde_json::json;
use uuid::Uuid;

use super::SqlStore;
use crate::*;

const DOSSIER_COLS: &str = "id, agency, received_on, sequence, unit_id, procedure, person_id, created_by, created_at";

#[derive(sqlx::FromRow)]
struct DossierRow {
    id: Uuid,
    agency: String,
    received_on: NaiveDate,
    sequence: i64,
    unit_id: i64,
    procedure: String,
    person_id: Option<Uuid>,
    created_by: String,
    created_at: DateTime<Utc>,
}

impl DossierRow {
    fn into_record(self) -> StoreResult<DigitizationDossier> {
        let agency = AgencyCode::parse(&self.agency).map_err(|_| StoreError::corrupt("digitization agency code"))?;
        let sequence = u32::try_from(self.sequence).map_err(StoreError::corrupt)?;
        let code = DossierCode::new(agency, self.received_on, sequence)
            .ok_or_else(|| StoreError::corrupt("digitization dossier number"))?;
        Ok(DigitizationDossier {
            id: self.id,
            code,
            unit_id: self.unit_id,
            procedure: self.procedure,
            person_id: self.person_id,
            created_by: self.created_by,
            created_at: self.created_at,
        })
    }
}

#[async_trait]
impl Digitization for SqlStore {
    async fn open_digitization_dossier(
        &self,
        actor: &Actor,
        new: &NewDigitizationDossier,
    ) -> StoreResult<DigitizationDossier> {
        let now = Utc::now();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin().await?;
            // The upsert takes the row's lock on PostgreSQL (SQLite has one writer):
            // concurrent openings queue here and each reads its own number.
            let (sequence,): (i64,) = sqlx::query_as(
                "INSERT INTO digitization_sequences (agency, day, last) VALUES ($1, $2, 1) \
                 ON CONFLICT (agency, day) DO UPDATE SET last = digitization_sequences.last + 1 RETURNING last",
            )
            .bind(new.agency.as_str())
            .bind(new.received_on)
            .fetch_one(&mut *tx)
            .await?;
            let code = u32::try_from(sequence)
                .ok()
                .and_then(|n| DossierCode::new(new.agency.clone(), new.received_on, n))
                .ok_or_else(|| StoreError::Conflict(Message::new("digitization.day_full")))?;
            sqlx::query(&format!(
                "INSERT INTO digitization_dossiers (code, {DOSSIER_COLS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
            ))
            .bind(code.to_string())
            .bind(new.id)
            .bind(new.agency.as_str())
            .bind(new.received_on)
            .bind(sequence)
            .bind(new.unit_id)
            .bind(&new.procedure)
            .bind(new.person_id)
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "digitization.dossier.open",
                    format!("digitization_dossier:{}", new.id),
                    json!({"code": code.to_string(), "unit_id": new.unit_id, "procedure": new.procedure})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.digitization_dossier(new.id).await?.ok_or(StoreError::NotFound)
    }

    async fn digitization_dossier(&self, id: Uuid) -> StoreResult<Option<DigitizationDossier>> {
        let row: Option<DossierRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {DOSSIER_COLS} FROM digitization_dossiers WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(DossierRow::into_record).transpose()
    }
}
