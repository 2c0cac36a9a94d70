//! People: search within the caller's scope, the dossier, registering and
//! correcting a person, legal representatives, and the CSV import. Every
//! person shown is a read of personal data and is audited.
pub mod csv;

use chrono::Utc;
use dossier_domain::ident::{Okzo, Rnokpp};
use dossier_domain::name::normal_form;
use dossier_domain::org::{Permission, UnitKind};
use dossier_domain::person::{PersonData, PersonInput, RepresentativeInput};
use dossier_domain::{FieldError, Invalid};
use dossier_store::audit::AuditEntry;
use dossier_store::{DocumentMeta, Page, PersonQuery, PersonRecord, RepresentativeRecord, Unit};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, Caller};

/// What a person is looked up by; the first identifier given counts.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SearchQuery {
    pub rnokpp: Option<String>,
    pub okzo: Option<String>,
    pub account_no: Option<String>,
    pub document_no: Option<String>,
    /// The beginning of the name (case and apostrophes do not matter).
    pub name: Option<String>,
}

impl SearchQuery {
    /// The store's query, validating identifiers so a mistyped number gets
    /// the precise message (e.g. the RNOKPP check digit).
    pub fn to_query(&self) -> Result<PersonQuery, Invalid> {
        let mut out = PersonQuery::default();
        let present = |v: &Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        if let Some(r) = present(&self.rnokpp) {
            out.rnokpp = Some(Rnokpp::parse(&r).map_err(|m| Invalid::one("rnokpp", m))?.to_string());
        } else if let Some(o) = present(&self.okzo) {
            out.okzo = Some(Okzo::parse(&o).map_err(|m| Invalid::one("okzo", m))?.to_string());
        } else if let Some(a) = present(&self.account_no) {
            out.account_no = Some(a);
        } else if let Some(d) = present(&self.document_no) {
            out.document_no = Some(d.replace(' ', ""));
        } else if let Some(n) = present(&self.name) {
            out.name_prefix = Some(normal_form(&n));
        }
        Ok(out)
    }
}

/// People in the caller's scope matching the query; each one shown is audited.
pub async fn search(app: &App, caller: &Caller, query: &SearchQuery, page: Page) -> AppResult<Vec<PersonRecord>> {
    caller.require(Permission::ReadPerson)?;
    let query = query.to_query()?;
    let found = app.store.search_persons(&caller.scope, &query, page).await?;
    // Every person shown is a read of personal data: audit each (group-committed).
    for p in &found {
        app.store.audit(&caller.actor(), "person.read", &format!("person:{}", p.id), json!({"via": "search"})).await?;
    }
    Ok(found)
}

/// A person the caller may see with `p`, the read audited as `action`.
pub(crate) async fn load(app: &App, caller: &Caller, id: Uuid, p: Permission, action: &str) -> AppResult<PersonRecord> {
    let person = app.store.person(id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{id}");
    app.authorize(caller, p, &person.unit_path, &subject).await?;
    app.store.audit(&caller.actor(), action, &subject, json!({})).await?;
    Ok(person)
}

/// A person the caller may change.
pub(crate) async fn for_write(app: &App, caller: &Caller, id: Uuid) -> AppResult<PersonRecord> {
    let person = app.store.person(id).await?.ok_or_else(AppError::not_found)?;
    app.authorize(caller, Permission::WritePerson, &person.unit_path, &format!("person:{id}")).await?;
    Ok(person)
}

/// A person's record.
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<PersonRecord> {
    load(app, caller, id, Permission::ReadPerson, "person.read").await
}

/// The district office a person is registered at: the one given (which must
/// be a district office in the caller's scope) or the caller's own district.
pub fn target_district(app: &App, caller: &Caller, unit_id: Option<i64>) -> AppResult<i64> {
    let id = match unit_id {
        Some(id) => id,
        None => *caller.scope.ids().last().ok_or_else(AppError::forbidden)?,
    };
    let unit = app.unit(id).ok_or_else(|| AppError::field("unit_id", "common.not_found"))?;
    if unit.kind != UnitKind::DistrictOffice {
        return Err(AppError::field("unit_id", "person.unit_not_district"));
    }
    if !caller.in_scope(&unit.path) {
        return Err(AppError::forbidden());
    }
    Ok(id)
}

/// Whether the caller may look people up (the search page before a query).
pub fn may_search(caller: &Caller) -> AppResult<()> {
    caller.require(Permission::ReadPerson)
}

/// What the registration form offers: the district offices in the caller's
/// scope, and the caller's own district when they work at one.
pub struct RegistrationForm {
    pub districts: Vec<Unit>,
    pub own: Option<i64>,
}

pub fn registration_form(app: &App, caller: &Caller) -> AppResult<RegistrationForm> {
    caller.require(Permission::WritePerson)?;
    let districts = app
        .all_units()
        .into_iter()
        .filter(|u| u.kind == UnitKind::DistrictOffice && caller.in_scope(&u.path))
        .collect();
    let own = caller
        .scope
        .ids()
        .last()
        .copied()
        .filter(|id| app.unit(*id).is_some_and(|u| u.kind == UnitKind::DistrictOffice));
    Ok(RegistrationForm { districts, own })
}

/// Registers a person at a district office. Every problem — with the office
/// and with the person's data — is reported at once.
pub async fn create(app: &App, caller: &Caller, unit_id: Option<i64>, input: &PersonInput) -> AppResult<PersonRecord> {
    let (unit_id, data) = validated(app, caller, unit_id, input)?;
    Ok(app.store.create_person(&caller.actor(), unit_id, &data).await?)
}

/// The district a new person is registered in and their validated data, or
/// every problem with both at once.
pub(crate) fn validated(
    app: &App,
    caller: &Caller,
    unit_id: Option<i64>,
    input: &PersonInput,
) -> AppResult<(i64, PersonData)> {
    caller.require(Permission::WritePerson)?;
    let mut problems: Vec<FieldError> = vec![];
    let unit = match target_district(app, caller, unit_id) {
        Ok(id) => Some(id),
        Err(e) if e.kind == ErrorKind::Invalid => {
            problems.extend(e.fields);
            None
        }
        Err(e) => return Err(e),
    };
    let data = match input.validate(Utc::now().date_naive()) {
        Ok(d) => Some(d),
        Err(inv) => {
            problems.extend(inv.0);
            None
        }
    };
    let (Some(unit_id), Some(data), true) = (unit, data, problems.is_empty()) else {
        return Err(AppError::invalid(Invalid(problems)));
    };
    Ok((unit_id, data))
}

/// Corrects a person's record.
pub async fn update(app: &App, caller: &Caller, id: Uuid, input: &PersonInput) -> AppResult<PersonRecord> {
    for_write(app, caller, id).await?;
    let data = input.validate(Utc::now().date_naive())?;
    Ok(app.store.update_person(&caller.actor(), id, &data).await?)
}

pub async fn representatives(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<RepresentativeRecord>> {
    load(app, caller, id, Permission::ReadPerson, "person.representatives.read").await?;
    Ok(app.store.representatives(id).await?)
}

pub async fn add_representative(
    app: &App,
    caller: &Caller,
    id: Uuid,
    input: &RepresentativeInput,
) -> AppResult<RepresentativeRecord> {
    for_write(app, caller, id).await?;
    let rep = input.validate()?;
    Ok(app.store.add_representative(&caller.actor(), id, &rep).await?)
}

pub async fn documents(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<DocumentMeta>> {
    load(app, caller, id, Permission::ReadPerson, "person.documents.read").await?;
    Ok(app.store.documents(id).await?)
}

/// The dossier's history: every read and change of the person, newest first.
pub async fn history(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<AuditEntry>> {
    load(app, caller, id, Permission::ReadPerson, "person.history.read").await?;
    Ok(app.store.audit_of(&format!("person:{id}"), 500).await?)
}

/// People uploaded as CSV, all or nothing: every row is checked first; any bad
/// row refuses the whole upload (each problem named as `rows[LINE].FIELD`) and
/// nothing is written. Otherwise all rows are stored in one transaction — or
/// none, if one is already in the registry. Large files with partial
/// acceptance and resume are `dossier import`'s job. Returns the district and
/// how many people were imported.
pub async fn import_csv(app: &App, caller: &Caller, unit_id: Option<i64>, body: &[u8]) -> AppResult<(i64, i64)> {
    caller.require(Permission::ImportPersons)?;
    let unit_id = target_district(app, caller, unit_id)?;
    let today = Utc::now().date_naive();
    let rows = crate::csv_upload::read_all(body, csv::Layout::from_headers, |layout, rec| {
        layout.person(rec, today).map_err(|errs| errs.into_iter().map(|e| (e.field, e.message)).collect())
    })?;
    let imported = app.store.import_persons(&caller.actor(), unit_id, rows).await?;
    Ok((unit_id, imported))
}
