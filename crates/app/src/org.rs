//! The org tree: the fund's offices and its partners (banks and their
//! branches, the personalizer, the certification centre) — reference data for
//! card applications and the pages' choices.
use dossier_domain::Invalid;
use dossier_domain::appointment::{Reception, ReceptionForm};
use dossier_domain::org::Permission;
use dossier_domain::text::search_form;
use dossier_store::Unit;

use crate::error::{AppError, AppResult};
use crate::{App, Caller};

/// Longest address or opening-hours text accepted, in characters.
const MAX_CONTACT_CHARS: usize = 300;

/// Every unit, in the order of the tree.
pub fn units(app: &App, caller: &Caller) -> AppResult<Vec<Unit>> {
    caller.require(Permission::ReadOrg)?;
    Ok(app.all_units())
}

/// The fund's offices that receive citizens — those with an address — for the
/// public "find an office" page (no sign-in). `town`, in any case and with or
/// without diacritics or apostrophes, keeps those whose name or address holds it.
pub fn offices(app: &App, town: &str) -> Vec<Unit> {
    let wanted = search_form(town);
    app.all_units()
        .into_iter()
        .filter(receives_citizens)
        .filter(|u| {
            u.address.as_deref().is_some_and(|a| {
                wanted.is_empty() || search_form(&format!("{} {} {a}", u.name_uk, u.name_en)).contains(&wanted)
            })
        })
        .collect()
}

/// One of the fund's own offices with an address: where citizens are received
/// (and may book an appointment).
pub fn receives_citizens(u: &Unit) -> bool {
    u.kind.is_fund() && u.address.is_some()
}

/// Sets an office's address and opening hours — what a citizen is told when
/// a document is ready there. Blank clears a field.
pub async fn set_contact(
    app: &App,
    caller: &Caller,
    id: i64,
    address: Option<String>,
    opening_hours: Option<String>,
) -> AppResult<Unit> {
    caller.require(Permission::ManageOrg)?;
    let (address, opening_hours) = contact_checked(address, opening_hours).map_err(AppError::from)?;
    if app.unit(id).is_none() {
        return Err(AppError::not_found());
    }
    let unit = app.store.set_unit_contact(&caller.actor(), id, address, opening_hours).await?;
    app.reload_units().await?;
    Ok(unit)
}

/// An address and opening hours as kept: trimmed, blank as none, each
/// within its length and without control characters.
fn contact_checked(
    address: Option<String>,
    opening_hours: Option<String>,
) -> Result<(Option<String>, Option<String>), Invalid> {
    let mut invalid = Invalid::default();
    let mut clean = |name: &'static str, value: Option<String>| {
        let value = value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        if let Some(v) = &value
            && (v.chars().count() > MAX_CONTACT_CHARS || v.chars().any(char::is_control))
        {
            invalid.push(name, dossier_domain::Message::new("common.too_long").with("max", MAX_CONTACT_CHARS));
        }
        value
    };
    let checked = (clean("address", address), clean("opening_hours", opening_hours));
    invalid.into_result().map(|()| checked)
}

/// An office's settings as its page edits them at once: where it is, when
/// it is open, and how it receives by appointment (`None`: by the fund's
/// default). Both are checked, then written in one transaction, so a mistake
/// in one (or a crash) changes nothing.
pub async fn set_office(
    app: &App,
    caller: &Caller,
    id: i64,
    address: Option<String>,
    opening_hours: Option<String>,
    reception: Option<&ReceptionForm>,
) -> AppResult<Unit> {
    caller.require(Permission::ManageOrg)?;
    let contact = contact_checked(address, opening_hours);
    let reception = reception.map(Reception::from_form).transpose();
    let ((address, opening_hours), reception) = match (contact, reception) {
        (Ok(c), Ok(r)) => (c, r),
        (c, r) => {
            let mut invalid = Invalid::default();
            invalid.0.extend(c.err().into_iter().chain(r.err()).flat_map(|e| e.0));
            return Err(AppError::from(invalid));
        }
    };
    fund_unit(app, caller, id)?;
    let unit = app.store.set_unit_settings(&caller.actor(), id, address, opening_hours, reception.as_ref()).await?;
    app.reload_units().await?;
    Ok(unit)
}

/// One of the fund's own units, for an administrator to set up; a partner's
/// or an unknown unit is not found.
pub fn fund_unit(app: &App, caller: &Caller, id: i64) -> AppResult<Unit> {
    caller.require(Permission::ManageOrg)?;
    app.unit(id).filter(|u| u.kind.is_fund()).ok_or_else(AppError::not_found)
}

/// The fund's own units, in the order of the tree, for the administrators'
/// list of offices to set up.
pub fn fund_units(app: &App, caller: &Caller) -> AppResult<Vec<Unit>> {
    caller.require(Permission::ManageOrg)?;
    Ok(app.all_units().into_iter().filter(|u| u.kind.is_fund()).collect())
}

/// Sets how one of the fund's offices receives by appointment — its hours,
/// services and places — or, with `None`, returns it to the fund's default.
/// Bookings already made keep their times; new ones follow the new hours.
pub async fn set_reception(app: &App, caller: &Caller, id: i64, form: Option<&ReceptionForm>) -> AppResult<Unit> {
    caller.require(Permission::ManageOrg)?;
    let reception = form.map(Reception::from_form).transpose().map_err(AppError::from)?;
    fund_unit(app, caller, id)?;
    let unit = app.store.set_unit_reception(&caller.actor(), id, reception.as_ref()).await?;
    app.reload_units().await?;
    Ok(unit)
}
