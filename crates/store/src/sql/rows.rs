//! Row types as the database returns them, and their conversion into checked
//! domain records. Stored values are parsed again on the way out: a row that
//! no longer parses is reported as corrupt rather than shown.
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::{StoreError, StoreResult};
use dossier_domain::ident::{AccountNo, IdCardNo, Okzo, PassportNo, Rnokpp, Unzr};
use dossier_domain::lifecycle::Stage;
use dossier_domain::name::{FullName, NamePart};
use dossier_domain::org::{Role, UnitKind, UnitPath};
use dossier_domain::person::{Capacity, PersonData, RepresentativeData, RepresentativeKind, Sex, TaxId};
use uuid::Uuid;

use crate::*;

fn corrupt<E: std::fmt::Debug>(what: &'static str) -> impl FnOnce(E) -> StoreError {
    move |e| StoreError::corrupt(format!("{what}: {e:?}"))
}

#[derive(sqlx::FromRow)]
pub(crate) struct UnitRow {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub code: String,
    pub name_uk: String,
    pub name_en: String,
    pub address: Option<String>,
    pub opening_hours: Option<String>,
    pub reception: Option<String>,
    pub path: String,
}

impl UnitRow {
    pub fn into_unit(self) -> StoreResult<Unit> {
        Ok(Unit {
            id: self.id,
            parent_id: self.parent_id,
            kind: UnitKind::parse(&self.kind).ok_or_else(|| StoreError::corrupt("unit kind"))?,
            code: self.code,
            name_uk: self.name_uk,
            name_en: self.name_en,
            address: self.address,
            opening_hours: self.opening_hours,
            // Read through the rules of this version: a reception they no longer
            // accept leaves that one office on the fund's default (and says so),
            // rather than failing the whole org tree and the server with it.
            reception: self.reception.and_then(|json| {
                serde_json::from_str(&json)
                    .inspect_err(|e| {
                        tracing::warn!(unit = self.id, error = %e, "an office's reception is not readable; it receives by the fund's default");
                    })
                    .ok()
            }),
            path: UnitPath::parse(&self.path).ok_or_else(|| StoreError::corrupt("unit path"))?,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct AccountRow {
    pub id: Uuid,
    pub login: String,
    pub full_name: String,
    pub role: String,
    pub unit_id: i64,
    pub password_hash: String,
    pub failed_logins: i32,
    pub locked_until: Option<DateTime<Utc>>,
    pub active: bool,
}

pub(crate) const ACCOUNT_COLS: &str =
    "id, login, full_name, role, unit_id, password_hash, failed_logins, locked_until, active";

impl AccountRow {
    pub fn into_account(self) -> StoreResult<Account> {
        Ok(Account {
            id: self.id,
            login: self.login,
            full_name: self.full_name,
            role: Role::parse(&self.role).ok_or_else(|| StoreError::corrupt("role"))?,
            unit_id: self.unit_id,
            password_hash: self.password_hash,
            failed_logins: self.failed_logins,
            locked_until: self.locked_until,
            active: self.active,
        })
    }
}

pub(crate) const PERSON_COLS: &str = "id, unit_id, unit_path, rnokpp, religious_refusal, passport, id_card, id_card_expires, unzr, \
     account_no, okzo, surname, given_name, patronymic, birth_date, sex, capacity, idp, photo_id, created_at, updated_at";

dossier_db::direct_row! {
    #[derive(sqlx::FromRow)]
    pub(crate) struct PersonRow {
        pub id: Uuid,
        pub unit_id: i64,
        pub unit_path: String,
        pub rnokpp: Option<String>,
        pub religious_refusal: bool,
        pub passport: Option<String>,
        pub id_card: Option<String>,
        pub id_card_expires: Option<NaiveDate>,
        pub unzr: Option<String>,
        pub account_no: Option<String>,
        pub okzo: Option<String>,
        pub surname: String,
        pub given_name: String,
        pub patronymic: Option<String>,
        pub birth_date: NaiveDate,
        pub sex: String,
        pub capacity: String,
        pub idp: bool,
        pub photo_id: Option<Uuid>,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
    }
}

fn opt<T>(
    v: Option<String>,
    parse: fn(&str) -> Result<T, dossier_domain::Message>,
    what: &'static str,
) -> StoreResult<Option<T>> {
    v.map(|s| parse(&s).map_err(corrupt(what))).transpose()
}

pub(crate) fn full_name(surname: &str, given: &str, patronymic: Option<&str>) -> StoreResult<FullName> {
    Ok(FullName {
        surname: NamePart::parse(surname).map_err(corrupt("surname"))?,
        given: NamePart::parse(given).map_err(corrupt("given name"))?,
        patronymic: patronymic.map(NamePart::parse).transpose().map_err(corrupt("patronymic"))?,
    })
}

impl PersonRow {
    pub fn into_record(self) -> StoreResult<PersonRecord> {
        let passport = opt(self.passport, PassportNo::parse, "passport")?;
        let tax_id = if self.religious_refusal {
            TaxId::ReligiousRefusal {
                passport: passport.clone().ok_or_else(|| StoreError::corrupt("refusal without passport"))?,
            }
        } else {
            let r = self.rnokpp.as_deref().ok_or_else(|| StoreError::corrupt("missing rnokpp"))?;
            TaxId::Rnokpp { rnokpp: Rnokpp::parse(r).map_err(corrupt("rnokpp"))? }
        };
        Ok(PersonRecord {
            id: self.id,
            unit_id: self.unit_id,
            unit_path: UnitPath::parse(&self.unit_path).ok_or_else(|| StoreError::corrupt("unit path"))?,
            data: PersonData {
                tax_id,
                name: full_name(&self.surname, &self.given_name, self.patronymic.as_deref())?,
                birth_date: self.birth_date,
                sex: Sex::parse(&self.sex).map_err(corrupt("sex"))?,
                passport,
                id_card: opt(self.id_card, IdCardNo::parse, "id card")?,
                id_card_expires: self.id_card_expires,
                unzr: opt(self.unzr, Unzr::parse, "unzr")?,
                account_no: opt(self.account_no, AccountNo::parse, "account no")?,
                okzo: opt(self.okzo, Okzo::parse, "okzo")?,
                capacity: Capacity::parse(&self.capacity).map_err(corrupt("capacity"))?,
                idp: self.idp,
            },
            photo_id: self.photo_id,
            created_at: self.created_at,
            updated_at: self.updated_at,
        })
    }
}

pub(crate) const REP_COLS: &str = "id, person_id, kind, surname, given_name, patronymic, institution_name, rnokpp, \
     resident, proof_document, active, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct RepRow {
    pub id: Uuid,
    pub person_id: Uuid,
    pub kind: String,
    pub surname: String,
    pub given_name: String,
    pub patronymic: Option<String>,
    pub institution_name: Option<String>,
    pub rnokpp: Option<String>,
    pub resident: bool,
    pub proof_document: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl RepRow {
    pub fn into_record(self) -> StoreResult<RepresentativeRecord> {
        Ok(RepresentativeRecord {
            id: self.id,
            person_id: self.person_id,
            data: RepresentativeData {
                kind: RepresentativeKind::parse(&self.kind).map_err(corrupt("representative kind"))?,
                name: full_name(&self.surname, &self.given_name, self.patronymic.as_deref())?,
                institution_name: self.institution_name,
                rnokpp: opt(self.rnokpp, Rnokpp::parse, "representative rnokpp")?,
                resident: self.resident,
                proof_document: self.proof_document,
            },
            active: self.active,
            created_at: self.created_at,
        })
    }
}

pub(crate) const DOC_COLS: &str = "id, person_id, kind, content_type, sha256, size, source, created_by, created_at";

#[derive(sqlx::FromRow)]
pub(crate) struct DocRow {
    pub id: Uuid,
    pub person_id: Option<Uuid>,
    pub kind: String,
    pub content_type: String,
    pub sha256: String,
    pub size: i64,
    pub source: String,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

impl DocRow {
    pub fn into_meta(self) -> DocumentMeta {
        DocumentMeta {
            id: self.id,
            person_id: self.person_id,
            kind: self.kind,
            content_type: self.content_type,
            sha256: self.sha256,
            size: self.size,
            source: self.source,
            created_by: self.created_by,
            created_at: self.created_at,
        }
    }
}

pub(crate) const CERT_COLS: &str = "id, number, person_id, unit_id, unit_path, stage, data, certificate_no, created_by, created_at, updated_at, due_at, stage_at, batch_id, valid_until, card_expires_on";

dossier_db::direct_row! {
    #[derive(sqlx::FromRow)]
    pub(crate) struct CertRow {
        pub id: Uuid,
        pub number: String,
        pub person_id: Uuid,
        pub unit_id: i64,
        pub unit_path: String,
        pub stage: String,
        pub data: String,
        pub certificate_no: Option<String>,
        pub created_by: String,
        pub created_at: DateTime<Utc>,
        pub updated_at: DateTime<Utc>,
        pub due_at: Option<DateTime<Utc>>,
        pub stage_at: Option<DateTime<Utc>>,
        pub batch_id: Option<Uuid>,
        pub valid_until: Option<NaiveDate>,
        pub card_expires_on: Option<NaiveDate>,
    }
}

impl CertRow {
    pub fn into_record(self) -> StoreResult<CertificateRecord> {
        Ok(CertificateRecord {
            id: self.id,
            number: self.number,
            person_id: self.person_id,
            unit_id: self.unit_id,
            unit_path: UnitPath::parse(&self.unit_path).ok_or_else(|| StoreError::corrupt("unit path"))?,
            stage: Stage::parse(&self.stage).ok_or_else(|| StoreError::corrupt("stage"))?,
            data: serde_json::from_str(&self.data).map_err(corrupt("application data"))?,
            certificate_no: self.certificate_no,
            created_by: self.created_by,
            created_at: self.created_at,
            updated_at: self.updated_at,
            due_at: self.due_at,
            stage_at: self.stage_at.unwrap_or(self.updated_at),
            batch_id: self.batch_id,
            valid_until: self.valid_until,
            card_expires_on: self.card_expires_on,
        })
    }
}

#[derive(sqlx::FromRow)]
pub(crate) struct EventRow {
    pub event: String,
    pub from_stage: Option<String>,
    pub to_stage: String,
    pub actor: String,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(sqlx::FromRow)]
pub(crate) struct ImportRunRow {
    pub id: Uuid,
    pub kind: String,
    pub file_sha256: String,
    pub file_name: String,
    pub unit_id: i64,
    pub rows_done: i64,
    pub rows_ok: i64,
    pub rows_failed: i64,
    pub started_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

pub(crate) const RUN_COLS: &str =
    "id, kind, file_sha256, file_name, unit_id, rows_done, rows_ok, rows_failed, started_at, finished_at";

impl TryFrom<ImportRunRow> for ImportRun {
    type Error = StoreError;
    fn try_from(r: ImportRunRow) -> Result<Self, StoreError> {
        Ok(ImportRun {
            id: r.id,
            kind: ImportKind::parse(&r.kind).ok_or_else(|| StoreError::corrupt("import kind"))?,
            file_sha256: r.file_sha256,
            file_name: r.file_name,
            unit_id: r.unit_id,
            rows_done: r.rows_done,
            rows_ok: r.rows_ok,
            rows_failed: r.rows_failed,
            started_at: r.started_at,
            finished_at: r.finished_at,
        })
    }
}

/// The columns a person row is inserted with, in the order [`bind_person!`] binds them.
pub(crate) const PERSON_INSERT_COLS: &str = "id, unit_id, unit_path, rnokpp, religious_refusal, passport, id_card, \
     id_card_expires, unzr, account_no, okzo, surname, given_name, patronymic, name_key, birth_date, sex, capacity, idp, \
     created_at, updated_at";
pub(crate) const PERSON_INSERT_WIDTH: usize = 21;

/// Binds one person's [`PERSON_INSERT_COLS`] to query `$q`.
macro_rules! bind_person {
    ($q:expr, $id:expr, $unit_id:expr, $unit_path:expr, $c:expr, $p:expr, $now:expr) => {
        $q.bind($id)
            .bind($unit_id)
            .bind($unit_path)
            .bind($c.rnokpp)
            .bind($c.religious_refusal)
            .bind($c.passport)
            .bind($c.id_card)
            .bind($p.id_card_expires)
            .bind($c.unzr)
            .bind($c.account_no)
            .bind($c.okzo)
            .bind($c.surname)
            .bind($c.given_name)
            .bind($c.patronymic)
            .bind(&$c.name_key)
            .bind($p.birth_date)
            .bind($c.sex)
            .bind($c.capacity)
            .bind($p.idp)
            .bind($now)
            .bind($now)
    };
}
pub(crate) use bind_person;

/// The stored values of a person: `(rnokpp, passport)` honour the religious
/// refusal (no RNOKPP stored at all then).
pub(crate) struct PersonColumns<'a> {
    pub rnokpp: Option<&'a str>,
    pub religious_refusal: bool,
    pub passport: Option<&'a str>,
    pub id_card: Option<&'a str>,
    pub unzr: Option<&'a str>,
    pub account_no: Option<&'a str>,
    pub okzo: Option<&'a str>,
    pub surname: &'a str,
    pub given_name: &'a str,
    pub patronymic: Option<&'a str>,
    pub name_key: String,
    pub sex: &'static str,
    pub capacity: &'static str,
}

impl<'a> PersonColumns<'a> {
    pub fn of(p: &'a PersonData) -> Self {
        let (rnokpp, religious_refusal) = match &p.tax_id {
            TaxId::Rnokpp { rnokpp } => (Some(rnokpp.as_str()), false),
            TaxId::ReligiousRefusal { .. } => (None, true),
        };
        PersonColumns {
            rnokpp,
            religious_refusal,
            passport: match &p.tax_id {
                TaxId::ReligiousRefusal { passport } => Some(passport.as_str()),
                TaxId::Rnokpp { .. } => p.passport.as_ref().map(|x| x.as_str()),
            },
            id_card: p.id_card.as_ref().map(|x| x.as_str()),
            unzr: p.unzr.as_ref().map(|x| x.as_str()),
            account_no: p.account_no.as_ref().map(|x| x.as_str()),
            okzo: p.okzo.as_ref().map(|x| x.as_str()),
            surname: p.name.surname.as_str(),
            given_name: p.name.given.as_str(),
            patronymic: p.name.patronymic.as_ref().map(|x| x.as_str()),
            name_key: p.name.search_key(),
            sex: p.sex.as_str(),
            capacity: p.capacity.as_str(),
        }
    }
}

/// `'withdrawn', 'refused', …`: the stages that no longer count for the
/// duplicate check, as an SQL list (enum names only, never input).
pub(crate) fn dead_stages_sql() -> String {
    Stage::ALL.iter().filter(|s| !s.is_live()).map(|s| format!("'{}'", s.as_str())).collect::<Vec<_>>().join(", ")
}
