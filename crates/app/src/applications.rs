//! Applications for pension certificates (form 1, regulation 26-1 §I.2,
//! §I.3, §II): filing, amending and withdrawing before production, the
//! application with its stage history, and the filled form as a signed PDF.
//! The rules run in the store's transaction (`dossier_domain::application`).
use chrono::Utc;
use dossier_domain::application::ApplicationInput;
use dossier_domain::lifecycle;
use dossier_domain::org::{Permission, UnitKind};
use dossier_store::{CertificateEvent, CertificateRecord, Page, PersonRecord, RepresentativeRecord, Unit};
use schemars::JsonSchema;
use serde::Serialize;
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::{App, Caller, documents};

/// An application with its history and what may happen to it next.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ApplicationView {
    #[serde(flatten)]
    pub record: CertificateRecord,
    pub events: Vec<CertificateEvent>,
    /// What can be done next (for UIs).
    pub allowed_events: Vec<&'static str>,
    pub amendable: bool,
}

/// A person for whom the caller may file.
async fn applicant(app: &App, caller: &Caller, person_id: Uuid) -> AppResult<PersonRecord> {
    let person = app.store.person(person_id).await?.ok_or_else(AppError::not_found)?;
    app.authorize(caller, Permission::WriteApplication, &person.unit_path, &format!("person:{person_id}")).await?;
    Ok(person)
}

/// An application the caller may change.
async fn for_write(app: &App, caller: &Caller, id: Uuid) -> AppResult<CertificateRecord> {
    let cur = app.store.certificate(id).await?.ok_or_else(AppError::not_found)?;
    app.authorize(caller, Permission::WriteApplication, &cur.unit_path, &format!("person:{}", cur.person_id)).await?;
    Ok(cur)
}

/// Files an application now; every rule of §I–§II is checked.
pub async fn file(
    app: &App,
    caller: &Caller,
    person_id: Uuid,
    input: &ApplicationInput,
) -> AppResult<CertificateRecord> {
    applicant(app, caller, person_id).await?;
    Ok(app.store.create_application(&caller.actor(), person_id, input, Utc::now()).await?)
}

/// Changes an application not yet in production.
pub async fn amend(app: &App, caller: &Caller, id: Uuid, input: &ApplicationInput) -> AppResult<CertificateRecord> {
    for_write(app, caller, id).await?;
    Ok(app.store.amend_application(&caller.actor(), id, input, Utc::now().date_naive()).await?)
}

/// Withdraws an application not yet in production.
pub async fn withdraw(app: &App, caller: &Caller, id: Uuid, note: &str) -> AppResult<CertificateRecord> {
    for_write(app, caller, id).await?;
    Ok(app.store.withdraw_application(&caller.actor(), id, note.trim()).await?)
}

/// The person's applications and certificates.
pub async fn of_person(app: &App, caller: &Caller, person_id: Uuid) -> AppResult<Vec<CertificateRecord>> {
    crate::people::load(app, caller, person_id, Permission::ReadApplication, "person.applications.read").await?;
    Ok(app.store.certificates_of(person_id).await?)
}

/// Applications in the caller's scope, newest first, optionally in one stage.
pub async fn list(app: &App, caller: &Caller, stage: Option<&str>, page: Page) -> AppResult<Vec<CertificateRecord>> {
    caller.require(Permission::ReadApplication)?;
    Ok(app.store.list_certificates(&caller.scope, stage.filter(|s| !s.is_empty()), page).await?)
}

/// An application the caller may see, with its history; the read is audited.
pub async fn get(app: &App, caller: &Caller, id: Uuid) -> AppResult<ApplicationView> {
    let record = app.store.certificate(id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{}", record.person_id);
    app.authorize(caller, Permission::ReadApplication, &record.unit_path, &subject).await?;
    app.store.audit(&caller.actor(), "application.read", &subject, json!({"application_id": id})).await?;
    let events = app.store.certificate_events(id).await?;
    let allowed_events =
        lifecycle::allowed_events(record.data.form, record.stage).into_iter().map(|e| e.as_str()).collect();
    let amendable = record.stage.is_amendable();
    Ok(ApplicationView { record, events, allowed_events, amendable })
}

/// The filled form 1, signed by the fund.
pub async fn form_pdf(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<u8>> {
    let view = get(app, caller, id).await?;
    documents::application_form(app, &view.record).await
}

/// What the application form offers for a person: their active representatives,
/// their other certificates (a replacement names one), and where the
/// certificate may be issued — the fund's offices in the caller's scope (paper)
/// and every bank with its branches (a card).
pub struct FormChoices {
    pub person: PersonRecord,
    pub representatives: Vec<RepresentativeRecord>,
    pub certificates: Vec<CertificateRecord>,
    pub offices: Vec<Unit>,
    pub banks: Vec<(Unit, Vec<Unit>)>,
}

async fn choices(app: &App, caller: &Caller, person: PersonRecord, exclude: Option<Uuid>) -> AppResult<FormChoices> {
    let representatives = app.store.representatives(person.id).await?.into_iter().filter(|r| r.active).collect();
    let certificates =
        app.store.certificates_of(person.id).await?.into_iter().filter(|c| Some(c.id) != exclude).collect();
    let units = app.all_units();
    let offices = units.iter().filter(|u| u.kind.issues_paper() && caller.in_scope(&u.path)).cloned().collect();
    let banks = units
        .iter()
        .filter(|u| u.kind == UnitKind::Bank)
        .map(|bank| {
            let branches = units
                .iter()
                .filter(|u| u.kind == UnitKind::BankBranch && u.parent_id == Some(bank.id))
                .cloned()
                .collect::<Vec<_>>();
            (bank.clone(), branches)
        })
        .filter(|(_, branches)| !branches.is_empty())
        .collect();
    Ok(FormChoices { person, representatives, certificates, offices, banks })
}

/// The form for a new application of a person the caller may file for.
pub async fn new_form(app: &App, caller: &Caller, person_id: Uuid) -> AppResult<FormChoices> {
    let person = applicant(app, caller, person_id).await?;
    choices(app, caller, person, None).await
}

/// The form for amending an application: refused once it is in production.
pub async fn amend_form(app: &App, caller: &Caller, id: Uuid) -> AppResult<(CertificateRecord, FormChoices)> {
    let cur = for_write(app, caller, id).await?;
    if !cur.stage.is_amendable() {
        return Err(AppError::conflict("application.not_amendable"));
    }
    let person = app.store.person(cur.person_id).await?.ok_or_else(AppError::not_found)?;
    let c = choices(app, caller, person, Some(cur.id)).await?;
    Ok((cur, c))
}

/// The application page: the application, its person (if in the caller's
/// scope), the representative who filed and the certificate it replaces.
pub struct Details {
    pub view: ApplicationView,
    pub person: Option<PersonRecord>,
    pub representative: Option<RepresentativeRecord>,
    /// The number of the certificate a replacement replaces.
    pub replaces: Option<String>,
}

pub async fn details(app: &App, caller: &Caller, id: Uuid) -> AppResult<Details> {
    let view = get(app, caller, id).await?;
    let r = &view.record;
    let person = app.store.person(r.person_id).await?.filter(|p| caller.in_scope(&p.unit_path));
    let representative = match r.data.representative_id {
        Some(rep_id) => app.store.representatives(r.person_id).await?.into_iter().find(|x| x.id == rep_id),
        None => None,
    };
    let replaces = match &r.data.replacement {
        Some(rep) => app.store.certificate(rep.previous_certificate_id).await?.map(|c| c.number),
        None => None,
    };
    Ok(Details { view, person, representative, replaces })
}
