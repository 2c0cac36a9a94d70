//! Authorization: every handler asks the [`Caller`] for a permission and, for
//! a person or application, whether it lies inside the caller's scope.
use dossier_domain::Lang;
use dossier_domain::org::{Permission, Role, UnitKind, UnitPath};
use dossier_store::{Account, Actor, Unit};
use serde_json::json;

use crate::AppState;
use crate::auth::Via;
use crate::error::ApiError;

/// The authenticated account with its resolved scope.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub unit: Unit,
    /// Root of the subtree this caller may see.
    pub scope: UnitPath,
    pub via: Via,
    pub lang: Lang,
}

impl Caller {
    pub fn new(state: &AppState, account: Account, via: Via, lang: Lang) -> Option<Caller> {
        let unit = state.unit(account.unit_id)?;
        let kinds: Vec<UnitKind> = unit.path.ids().iter().filter_map(|id| state.unit(*id)).map(|u| u.kind).collect();
        let scope = account.role.scope_root(&unit.path, &kinds);
        Some(Caller { account, unit, scope, via, lang })
    }

    pub fn role(&self) -> Role {
        self.account.role
    }

    pub fn actor(&self) -> Actor {
        match self.via {
            Via::Session { .. } => self.account.actor(),
            Via::Token => Actor { label: format!("token:{}", self.account.login), account_id: Some(self.account.id) },
        }
    }

    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token => "",
        }
    }

    /// Refuses unless the role has the permission.
    pub fn require(&self, p: Permission) -> Result<(), ApiError> {
        if self.role().permits(p) { Ok(()) } else { Err(ApiError::forbidden().in_lang(self.lang)) }
    }

    pub fn in_scope(&self, path: &UnitPath) -> bool {
        self.scope.contains(path)
    }

    /// Permission and scope together. An out-of-scope subject is answered as
    /// "not found", so scope probing reveals nothing; the refusal is audited.
    pub async fn authorize(
        &self,
        state: &AppState,
        p: Permission,
        path: &UnitPath,
        subject: &str,
    ) -> Result<(), ApiError> {
        self.require(p)?;
        if self.in_scope(path) {
            return Ok(());
        }
        let _ =
            state.store.audit(&self.actor(), "access.denied", subject, json!({"permission": format!("{p:?}")})).await;
        Err(ApiError::not_found().in_lang(self.lang))
    }
}
