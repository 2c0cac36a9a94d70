//! [`People`] on SQL: people and their legal representatives.
use async_trait::async_trait;
use chrono::Utc;
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{StoreError, StoreResult, append_audit, is_unique_violation, on_db};
use dossier_domain::org::UnitPath;
use dossier_domain::person::{PersonData, RepresentativeData};
use dossier_domain::{Invalid, Message};
use serde_json::json;
use uuid::Uuid;

use super::point::Param;
use super::rows::*;
use super::{SqlStore, subtree_range};
use crate::*;

fn duplicate() -> StoreError {
    StoreError::Conflict(Message::new("person.duplicate"))
}

/// Which fields changed between two versions of a person — names of fields
/// only, never values, so the audit log holds no copy of personal data.
fn changed_fields(old: &PersonData, new: &PersonData) -> Vec<&'static str> {
    let mut out = vec![];
    let o = PersonColumns::of(old);
    let n = PersonColumns::of(new);
    macro_rules! cmp {
        ($($f:ident),*) => { $( if o.$f != n.$f { out.push(stringify!($f)); } )* };
    }
    cmp!(
        rnokpp,
        religious_refusal,
        passport,
        id_card,
        unzr,
        account_no,
        okzo,
        surname,
        given_name,
        patronymic,
        sex,
        capacity
    );
    if old.birth_date != new.birth_date {
        out.push("birth_date");
    }
    if old.id_card_expires != new.id_card_expires {
        out.push("id_card_expires");
    }
    if old.idp != new.idp {
        out.push("idp");
    }
    out
}

impl SqlStore {
    /// Registers a person and, when their record started from a digitized
    /// paper, records what it took and ties the paper's dossier to them — in
    /// the same transaction, so a person never exists without the history of
    /// where their record came from.
    pub(crate) async fn insert_person(
        &self,
        actor: &Actor,
        unit_id: i64,
        p: &PersonData,
        paper: Option<&FromPaper>,
    ) -> StoreResult<PersonRecord> {
        let unit = self.unit(unit_id).await?.ok_or_else(|| Invalid::one("unit_id", "common.not_found"))?;
        if unit.kind != dossier_domain::org::UnitKind::DistrictOffice {
            return Err(Invalid::one("unit_id", "person.unit_not_district").into());
        }
        let id = Uuid::now_v7();
        let now = Utc::now();
        let c = PersonColumns::of(p);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let sql =
                format!("INSERT INTO persons ({PERSON_INSERT_COLS}) VALUES {}", d.placeholders(1, PERSON_INSERT_WIDTH));
            let r = bind_person!(sqlx::query(&sql), id, unit_id, unit.path.as_str(), c, p, now).execute(&mut *tx).await;
            match r {
                Err(e) if is_unique_violation(&e) => return Err(duplicate()),
                r => {
                    r?;
                }
            }
            let mut entries = vec![PendingEntry::new(
                &actor.label,
                "person.create",
                format!("person:{id}"),
                json!({"unit_id": unit_id}),
            )];
            if let Some(paper) = paper {
                // A dossier opened before its person was registered becomes
                // theirs; one already tied to someone keeps its person.
                sqlx::query("UPDATE digitization_dossiers SET person_id = $1 WHERE id = $2 AND person_id IS NULL")
                    .bind(id)
                    .bind(paper.dossier_id)
                    .execute(&mut *tx)
                    .await?;
                entries.push(PendingEntry::new(
                    &actor.label,
                    "person.from_paper",
                    format!("person:{id}"),
                    paper.details.clone(),
                ));
            }
            append_audit!(tx, d, entries);
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.person(id).await?.ok_or(StoreError::NotFound)
    }
}

#[async_trait]
impl People for SqlStore {
    async fn create_person(&self, actor: &Actor, unit_id: i64, p: &PersonData) -> StoreResult<PersonRecord> {
        self.insert_person(actor, unit_id, p, None).await
    }

    async fn update_person(&self, actor: &Actor, id: Uuid, p: &PersonData) -> StoreResult<PersonRecord> {
        let c = PersonColumns::of(p);
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let old: PersonRow =
                sqlx::query_as(&format!("SELECT {PERSON_COLS} FROM persons WHERE id = $1{}", d.for_update()))
                    .bind(id)
                    .fetch_optional(&mut *tx)
                    .await?
                    .ok_or(StoreError::NotFound)?;
            let old = old.into_record()?;
            let fields = changed_fields(&old.data, p);
            let r = sqlx::query(
                "UPDATE persons SET rnokpp = $2, religious_refusal = $3, passport = $4, id_card = $5, unzr = $6, account_no = $7, \
                 okzo = $8, surname = $9, given_name = $10, patronymic = $11, name_key = $12, birth_date = $13, sex = $14, \
                 capacity = $15, idp = $16, updated_at = $17, id_card_expires = $18 WHERE id = $1",
            )
            .bind(id)
            .bind(c.rnokpp)
            .bind(c.religious_refusal)
            .bind(c.passport)
            .bind(c.id_card)
            .bind(c.unzr)
            .bind(c.account_no)
            .bind(c.okzo)
            .bind(c.surname)
            .bind(c.given_name)
            .bind(c.patronymic)
            .bind(&c.name_key)
            .bind(p.birth_date)
            .bind(c.sex)
            .bind(c.capacity)
            .bind(p.idp)
            .bind(Utc::now())
            .bind(p.id_card_expires)
            .execute(&mut *tx)
            .await;
            match r {
                Err(e) if is_unique_violation(&e) => return Err(duplicate()),
                r => {
                    r?;
                }
            }
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "person.update",
                    format!("person:{id}"),
                    json!({"fields": fields})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.person(id).await?.ok_or(StoreError::NotFound)
    }

    async fn person(&self, id: Uuid) -> StoreResult<Option<PersonRecord>> {
        let sql = format!("SELECT {PERSON_COLS} FROM persons WHERE id = $1");
        self.person_rows(&sql, &[Param::Id(id)], Read::Point).await?.pop().map(PersonRow::into_record).transpose()
    }

    async fn person_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<PersonRecord>> {
        let sql = format!("SELECT {PERSON_COLS} FROM persons WHERE rnokpp = $1");
        let params = [Param::Text(rnokpp.to_owned())];
        self.person_rows(&sql, &params, Read::Point).await?.pop().map(PersonRow::into_record).transpose()
    }

    async fn search_persons(&self, scope: &UnitPath, q: &PersonQuery, page: Page) -> StoreResult<Vec<PersonRecord>> {
        let (lo, hi) = subtree_range(scope);
        // Each branch is an indexed equality or range; the scope narrows further.
        let (cond, a, b): (&str, String, Option<String>) = if let Some(v) = &q.rnokpp {
            ("rnokpp = $3", v.clone(), None)
        } else if let Some(v) = &q.okzo {
            ("okzo = $3", v.clone(), None)
        } else if let Some(v) = &q.account_no {
            ("account_no = $3", v.clone(), None)
        } else if let Some(v) = &q.document_no {
            ("(passport = $3 OR id_card = $3 OR unzr = $3)", v.clone(), None)
        } else if let Some(v) = &q.name_prefix {
            ("name_key >= $3 AND name_key < $4", v.clone(), Some(format!("{v}\u{10FFFF}")))
        } else {
            // No filter: everything in scope, in name order.
            ("name_key >= $3", String::new(), None)
        };
        let order = "name_key, id";
        let (limit_at, offset_at) = if b.is_some() { (5, 6) } else { (4, 5) };
        let sql = format!(
            "SELECT {PERSON_COLS} FROM persons WHERE unit_path >= $1 AND unit_path < $2 AND {cond} \
             ORDER BY {order} LIMIT ${limit_at} OFFSET ${offset_at}"
        );
        // A name range or the whole scope may walk many rows (and a long offset
        // more): that is no read to run on an async worker.
        let read = if b.is_none() && !a.is_empty() { Read::Point } else { Read::Range };
        let mut params = vec![Param::Text(lo), Param::Text(hi), Param::Text(a)];
        params.extend(b.map(Param::Text));
        params.extend([Param::Int(page.limit), Param::Int(page.offset)]);
        self.person_rows(&sql, &params, read).await?.into_iter().map(PersonRow::into_record).collect()
    }

    async fn add_representative(
        &self,
        actor: &Actor,
        person_id: Uuid,
        r: &RepresentativeData,
    ) -> StoreResult<RepresentativeRecord> {
        let id = Uuid::now_v7();
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let exists: Option<Uuid> = sqlx::query_scalar("SELECT id FROM persons WHERE id = $1")
                .bind(person_id)
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_none() {
                return Err(StoreError::NotFound);
            }
            sqlx::query(
                "INSERT INTO representatives (id, person_id, kind, surname, given_name, patronymic, institution_name, rnokpp, \
                 resident, proof_document, active, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, TRUE, $11)",
            )
            .bind(id)
            .bind(person_id)
            .bind(r.kind.as_str())
            .bind(r.name.surname.as_str())
            .bind(r.name.given.as_str())
            .bind(r.name.patronymic.as_ref().map(|p| p.as_str()))
            .bind(&r.institution_name)
            .bind(r.rnokpp.as_ref().map(|x| x.as_str()))
            .bind(r.resident)
            .bind(&r.proof_document)
            .bind(Utc::now())
            .execute(&mut *tx)
            .await?;
            append_audit!(
                tx,
                d,
                vec![PendingEntry::new(
                    &actor.label,
                    "person.representative.add",
                    format!("person:{person_id}"),
                    json!({"representative_id": id, "kind": r.kind.as_str()})
                )]
            );
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        self.representatives(person_id).await?.into_iter().find(|r| r.id == id).ok_or(StoreError::NotFound)
    }

    async fn represented_by(&self, rnokpp: &str) -> StoreResult<Vec<PersonRecord>> {
        let sql = format!(
            "SELECT {PERSON_COLS} FROM persons WHERE id IN \
             (SELECT person_id FROM representatives WHERE rnokpp = $1 AND active) ORDER BY surname, given_name"
        );
        let rows = self.person_rows(&sql, &[Param::Text(rnokpp.to_owned())], Read::Point).await?;
        rows.into_iter().map(PersonRow::into_record).collect()
    }

    async fn representatives(&self, person_id: Uuid) -> StoreResult<Vec<RepresentativeRecord>> {
        let rows: Vec<RepRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {REP_COLS} FROM representatives WHERE person_id = $1 ORDER BY created_at"))
                .bind(person_id)
                .fetch_all(pool)
                .await?
        });
        rows.into_iter().map(RepRow::into_record).collect()
    }
}

/// What a person query reads: a few rows by an indexed equality, or a range.
enum Read {
    Point,
    Range,
}

impl SqlStore {
    /// Person rows by `sql` (selecting [`PERSON_COLS`]; numbered parameters in
    /// order). Looking a person up is the hottest read there is, so on SQLite a
    /// point read runs on the calling thread (`dossier_db::direct`); ranges, and
    /// PostgreSQL, go through the pool.
    async fn person_rows(&self, sql: &str, params: &[Param], read: Read) -> StoreResult<Vec<PersonRow>> {
        match read {
            Read::Point => self.point_rows(sql, params).await,
            Read::Range => self.pool_rows(sql, params).await,
        }
    }
}
