//! Who is asking, and what they may do where: a [`Caller`] is an account with
//! its resolved organisational scope. Every use case asks it for a permission
//! and, for a subject that lives in the org tree (a person, an application, a
//! unit), whether the subject lies inside the caller's scope — here, once.
use dossier_domain::org::{Permission, Role, UnitKind, UnitPath};
use dossier_store::{Account, Actor, Unit};
use serde_json::json;

use crate::App;
use crate::error::{AppError, AppResult};

/// How the caller authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// Browser session, with its CSRF token and the cookie's token hash.
    Session { csrf: String, token_hash: String },
    /// `Authorization: Bearer …` API token: no ambient authority, no CSRF.
    Token,
    /// The `dossier` command line acting as the account (the demo, the benchmarks).
    Console,
}

/// The authenticated account with its resolved scope.
#[derive(Debug, Clone)]
pub struct Caller {
    pub account: Account,
    pub unit: Unit,
    /// Root of the subtree this caller may see.
    pub scope: UnitPath,
    pub via: Via,
}

impl Caller {
    pub fn role(&self) -> Role {
        self.account.role
    }

    /// As the audit log names the caller.
    pub fn actor(&self) -> Actor {
        match self.via {
            Via::Session { .. } | Via::Console => self.account.actor(),
            Via::Token => Actor { label: format!("token:{}", self.account.login), account_id: Some(self.account.id) },
        }
    }

    /// The session's CSRF token (empty for API tokens).
    pub fn csrf(&self) -> &str {
        match &self.via {
            Via::Session { csrf, .. } => csrf,
            Via::Token | Via::Console => "",
        }
    }

    /// Whether the role has the permission (for what a page offers).
    pub fn may(&self, p: Permission) -> bool {
        self.role().permits(p)
    }

    /// Refuses unless the role has the permission.
    pub fn require(&self, p: Permission) -> AppResult<()> {
        if self.may(p) { Ok(()) } else { Err(AppError::forbidden()) }
    }

    pub fn in_scope(&self, path: &UnitPath) -> bool {
        self.scope.contains(path)
    }
}

impl App {
    /// The caller an account is, with its scope; `None` when its unit is unknown.
    pub fn caller(&self, account: Account, via: Via) -> Option<Caller> {
        let unit = self.unit(account.unit_id)?;
        let kinds: Vec<UnitKind> = unit.path.ids().iter().filter_map(|id| self.unit(*id)).map(|u| u.kind).collect();
        let scope = account.role.scope_root(&unit.path, &kinds);
        Some(Caller { account, unit, scope, via })
    }

    /// Permission and scope together. An out-of-scope subject is answered as
    /// "not found", so scope probing reveals nothing; the refusal is audited.
    pub(crate) async fn authorize(
        &self,
        caller: &Caller,
        p: Permission,
        path: &UnitPath,
        subject: &str,
    ) -> AppResult<()> {
        caller.require(p)?;
        if caller.in_scope(path) {
            return Ok(());
        }
        let _ =
            self.store.audit(&caller.actor(), "access.denied", subject, json!({"permission": format!("{p:?}")})).await;
        Err(AppError::not_found())
    }

    /// The unit `id`, if the caller may act on it with `p`; another unit looks unknown.
    pub(crate) fn unit_for(&self, caller: &Caller, id: i64, p: Permission) -> AppResult<Unit> {
        caller.require(p)?;
        match self.unit(id) {
            Some(u) if caller.in_scope(&u.path) => Ok(u),
            _ => Err(AppError::not_found()),
        }
    }

    /// Whether the unit `id` lies in the caller's scope.
    pub(crate) fn sees_unit(&self, caller: &Caller, id: i64) -> bool {
        self.unit(id).is_some_and(|u| caller.in_scope(&u.path))
    }
}
