//! The org tree: the fund's offices and its partners (banks and their
//! branches, the personalizer, the certification centre) — reference data for
//! card applications and the pages' choices.
use dossier_domain::org::Permission;
use dossier_store::Unit;

use crate::error::AppResult;
use crate::{App, Caller};

/// Every unit, in the order of the tree.
pub fn units(app: &App, caller: &Caller) -> AppResult<Vec<Unit>> {
    caller.require(Permission::ReadOrg)?;
    Ok(app.all_units())
}
