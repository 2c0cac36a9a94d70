//! The pensions the fund pays (issue 21 §5). Those granted here come from
//! [`crate::e_applications`]; those it paid before Dossier are moved over
//! from its previous system as a CSV file
//! ([`PAID_HEADER`](dossier_domain::payment::PAID_HEADER)), all or nothing,
//! so existing pensioners can order their statements and change their
//! delivery like anyone granted a pension here.
use chrono::{NaiveDate, Utc};
use dossier_domain::org::Permission;
use dossier_domain::payment::{PaidLayout, PaidRow};
use dossier_domain::time::kyiv_time;
use dossier_store::{PensionImport, PensionInPayment};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::{App, Caller};

/// The pension the fund pays a person in the caller's scope, if any; the read is audited.
pub async fn pension_of(app: &App, caller: &Caller, person_id: Uuid) -> AppResult<Option<PensionInPayment>> {
    let person = app.store.person(person_id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{person_id}");
    app.authorize(caller, Permission::ReadPerson, &person.unit_path, &subject).await?;
    app.store.audit(&caller.actor(), "pension.read", &subject, json!({})).await?;
    Ok(app.store.pension(person_id).await?)
}

/// Records the pensions in `body` for people in the caller's scope; any bad
/// row refuses the file, each problem named `rows[LINE].FIELD`.
pub async fn import_paid(app: &App, caller: &Caller, body: &[u8]) -> AppResult<PensionImport> {
    caller.require(Permission::ImportPersons)?;
    let rows = parse_paid(body, kyiv_time(Utc::now()).date_naive())?;
    Ok(app.store.import_pensions(&caller.actor(), &caller.scope, &rows).await?)
}

/// Reads a pensions-paid file's rows, each checked on its own.
pub fn parse_paid(body: &[u8], today: NaiveDate) -> AppResult<Vec<(i64, PaidRow)>> {
    crate::csv_upload::read_text::<PaidLayout>(body, today)
}
