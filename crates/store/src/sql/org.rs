//! Org units.
use async_trait::async_trait;
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::appointment::Reception;
use dossier_domain::org::UnitPath;
use dossier_domain::{Invalid, Message};
use serde_json::json;

use super::SqlStore;
use super::rows::UnitRow;
use crate::*;

pub(crate) const UNIT_COLS: &str =
    "id, parent_id, kind, code, name_uk, name_en, address, opening_hours, reception, path";

#[async_trait]
impl Org for SqlStore {
    async fn create_unit(&self, actor: &Actor, u: NewUnit) -> StoreResult<Unit> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let parent: Option<UnitRow> = match u.parent_id {
                None => None,
                Some(pid) => Some(
                    sqlx::query_as(&format!("SELECT {UNIT_COLS} FROM org_units WHERE id = $1"))
                        .bind(pid)
                        .fetch_optional(&mut *tx)
                        .await?
                        .ok_or_else(|| Invalid::one("parent_id", "common.not_found"))?,
                ),
            };
            let parent_kind = parent.as_ref().and_then(|p| dossier_domain::org::UnitKind::parse(&p.kind));
            let allowed = u.kind.allowed_parents();
            let ok = match parent_kind {
                None => allowed.is_empty(),
                Some(k) => allowed.contains(&k),
            };
            if !ok {
                return Err(Invalid::one("parent_id", "org.bad_parent").into());
            }
            let id: i64 = match sqlx::query_scalar(
                "INSERT INTO org_units (parent_id, kind, code, name_uk, name_en, address) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id",
            )
            .bind(u.parent_id)
            .bind(u.kind.as_str())
            .bind(&u.code)
            .bind(&u.name_uk)
            .bind(&u.name_en)
            .bind(&u.address)
            .fetch_one(&mut *tx)
            .await
            {
                Ok(id) => id,
                Err(e) if is_unique_violation(&e) => return Err(StoreError::Conflict(Message::new("org.code_taken"))),
                Err(e) => return Err(e.into()),
            };
            let path = match &parent {
                Some(p) => UnitPath::parse(&p.path).ok_or_else(|| StoreError::corrupt("unit path"))?.child(id),
                None => UnitPath::root(id),
            };
            sqlx::query("UPDATE org_units SET path = $1 WHERE id = $2")
                .bind(path.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "org.unit.create",
                    format!("unit:{id}"),
                    json!({"kind": u.kind.as_str(), "code": u.code})
                )]
            );
            tx.commit().await?;
            Ok(Unit {
                id,
                parent_id: u.parent_id,
                kind: u.kind,
                code: u.code,
                name_uk: u.name_uk,
                name_en: u.name_en,
                address: u.address,
                opening_hours: None,
                reception: None,
                path,
            })
        })
    }

    async fn set_unit_contact(
        &self,
        actor: &Actor,
        id: i64,
        address: Option<String>,
        opening_hours: Option<String>,
    ) -> StoreResult<Unit> {
        self.write_unit_settings(actor, id, Some((address, opening_hours)), None).await
    }

    async fn set_unit_reception(&self, actor: &Actor, id: i64, reception: Option<&Reception>) -> StoreResult<Unit> {
        self.write_unit_settings(actor, id, None, Some(reception)).await
    }

    async fn set_unit_settings(
        &self,
        actor: &Actor,
        id: i64,
        address: Option<String>,
        opening_hours: Option<String>,
        reception: Option<&Reception>,
    ) -> StoreResult<Unit> {
        self.write_unit_settings(actor, id, Some((address, opening_hours)), Some(reception)).await
    }

    async fn units(&self) -> StoreResult<Vec<Unit>> {
        let rows: Vec<UnitRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {UNIT_COLS} FROM org_units ORDER BY path")).fetch_all(pool).await?
        });
        rows.into_iter().map(UnitRow::into_unit).collect()
    }

    async fn unit(&self, id: i64) -> StoreResult<Option<Unit>> {
        let row: Option<UnitRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {UNIT_COLS} FROM org_units WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(UnitRow::into_unit).transpose()
    }
}

impl SqlStore {
    /// Writes an office's contact and/or reception (`None`: that part is kept)
    /// in one statement and one transaction, each part audited under its own
    /// action, so a page that sets both never leaves one written without the other.
    async fn write_unit_settings(
        &self,
        actor: &Actor,
        id: i64,
        contact: Option<(Option<String>, Option<String>)>,
        reception: Option<Option<&Reception>>,
    ) -> StoreResult<Unit> {
        let form = reception.map(|r| r.map(Reception::form));
        let text = match &form {
            Some(Some(f)) => Some(serde_json::to_string(f).map_err(|_| StoreError::corrupt("reception"))?),
            _ => None,
        };
        let (address, opening_hours) = contact.clone().unwrap_or_default();
        let mut entries = vec![];
        if contact.is_some() {
            entries.push(PendingEntry::new(&actor.label, "org.unit.contact", format!("unit:{id}"), json!({})));
        }
        if let Some(form) = &form {
            entries.push(PendingEntry::new(
                &actor.label,
                "org.unit.reception",
                format!("unit:{id}"),
                json!({"reception": form}),
            ));
        }
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let changed = sqlx::query(
                "UPDATE org_units SET address = CASE WHEN $1 THEN $2 ELSE address END, \
                 opening_hours = CASE WHEN $1 THEN $3 ELSE opening_hours END, \
                 reception = CASE WHEN $4 THEN $5 ELSE reception END WHERE id = $6",
            )
            .bind(contact.is_some())
            .bind(&address)
            .bind(&opening_hours)
            .bind(form.is_some())
            .bind(&text)
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if changed == 0 {
                return Err(StoreError::NotFound);
            }
            append_audit!(tx, d, entries.clone());
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.unit(id).await?.ok_or(StoreError::NotFound)
    }
}
