//! Staff signing in: passwords (argon2id) with lock-out after repeated
//! failures, sessions with their CSRF token, and API tokens for systems.
//! Secrets (session ids, tokens) are 256-bit random values; only their
//! SHA-256 is stored, so a database leak yields no usable credential.
use schemars::JsonSchema;
use std::collections::HashMap;
use std::sync::RwLock;
use std::time::{Duration, Instant};

use chrono::Utc;
use dossier_crypto::secrets::{random_token, token_hash, verify_password, verify_password_or_dummy};
use dossier_domain::org::Permission;
use dossier_domain::{Invalid, Message};
use dossier_store::{Account, NewSession, Unit};
use serde::Serialize;
use uuid::Uuid;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, Caller, Via};

/// How long an API token's account is remembered: systems call at high rates
/// and the account behind a token changes rarely. A revoked token or a
/// deactivated account stops working within that time on every server.
pub const TOKEN_CACHE_TTL: Duration = Duration::from_secs(30);

/// API token hash → account, for [`TOKEN_CACHE_TTL`].
#[derive(Default)]
pub(crate) struct TokenCache(RwLock<HashMap<String, (Account, Instant)>>);

/// A session just started: the cookie's token and the CSRF token.
pub struct SignedIn {
    pub account: Account,
    pub token: String,
    pub csrf: String,
}

fn refusal(code: &'static str, kind: ErrorKind, key: &'static str) -> AppError {
    AppError::new(kind, code, key)
}

/// Checks a login and password — counting failures and locking the account
/// after too many — and starts a session. An unknown login costs the same
/// argon2 verification as a known one, and is refused in the same words.
pub async fn sign_in(app: &App, login: &str, password: &str) -> AppResult<SignedIn> {
    let bad = || refusal("bad_credentials", ErrorKind::Unauthenticated, "auth.bad_credentials");
    let Some(account) = app.store.account_by_login(login.trim()).await? else {
        verify_password_or_dummy(password, None);
        return Err(bad());
    };
    if account.locked_until.is_some_and(|t| t > Utc::now()) {
        return Err(refusal("locked", ErrorKind::RateLimited, "auth.locked"));
    }
    if !account.active || !verify_password(password, &account.password_hash) {
        app.store.login_failed(account.id, app.config.max_login_failures, app.config.lockout).await?;
        return Err(bad());
    }
    app.store.login_succeeded(account.id).await?;
    let token = random_token().map_err(|_| AppError::internal())?;
    let csrf = random_token().map_err(|_| AppError::internal())?;
    app.store
        .create_session(NewSession {
            token_hash: token_hash(&token),
            account_id: account.id,
            csrf: csrf.clone(),
            expires_at: Utc::now() + app.config.session_ttl,
        })
        .await?;
    Ok(SignedIn { account, token, csrf })
}

/// Ends the caller's session (API tokens have none to end).
pub async fn sign_out(app: &App, caller: &Caller) -> AppResult<()> {
    if let Via::Session { token_hash, .. } = &caller.via {
        app.store.delete_session(token_hash).await?;
    }
    Ok(())
}

/// The caller behind a session cookie's token, if it is live and its account active.
pub async fn by_session(app: &App, token: &str) -> AppResult<Option<Caller>> {
    let th = token_hash(token);
    let Some((session, account)) = app.store.session(&th).await? else { return Ok(None) };
    active_caller(app, account, Via::Session { csrf: session.csrf, token_hash: th })
}

/// The caller behind an API token (its account cached for [`TOKEN_CACHE_TTL`]).
pub async fn by_token(app: &App, token: &str) -> AppResult<Option<Caller>> {
    let th = token_hash(token.trim());
    let cached = app.tokens.0.read().ok().and_then(|cache| {
        cache.get(&th).filter(|(_, at)| at.elapsed() < TOKEN_CACHE_TTL).map(|(account, _)| account.clone())
    });
    let account = match cached {
        Some(a) => a,
        None => {
            let Some(account) = app.store.account_by_api_token(&th).await? else { return Ok(None) };
            if let Ok(mut cache) = app.tokens.0.write() {
                // Bounded: unknown tokens are never cached, known ones are few.
                if cache.len() > 10_000 {
                    cache.clear();
                }
                cache.insert(th, (account.clone(), Instant::now()));
            }
            account
        }
    };
    active_caller(app, account, Via::Token)
}

/// An inactive account is nobody; an account whose unit is unknown may do nothing.
fn active_caller(app: &App, account: Account, via: Via) -> AppResult<Option<Caller>> {
    if !account.active {
        return Ok(None);
    }
    app.caller(account, via).map(Some).ok_or_else(AppError::forbidden)
}

/// An API token just issued: shown once, only its hash is kept.
#[derive(Debug, Serialize, JsonSchema)]
pub struct IssuedToken {
    pub id: Uuid,
    pub token: String,
}

/// An administrator issues an API token for a (system) account in their scope.
pub async fn issue_api_token(app: &App, caller: &Caller, login: &str, name: &str) -> AppResult<IssuedToken> {
    caller.require(Permission::ManageStaff)?;
    let account = app
        .store
        .account_by_login(login)
        .await?
        .ok_or_else(|| AppError::invalid(Invalid::one("login", Message::new("common.not_found"))))?;
    let unit = app.unit(account.unit_id).ok_or_else(AppError::not_found)?;
    if !caller.in_scope(&unit.path) {
        return Err(AppError::forbidden());
    }
    let token = format!("dsr_{}", random_token().map_err(|_| AppError::internal())?);
    let id = app.store.create_api_token(&caller.actor(), account.id, name.trim(), &token_hash(&token)).await?;
    Ok(IssuedToken { id, token })
}

/// Who the caller is: account, unit and scope (and the CSRF token of a session).
#[derive(Debug, Serialize, JsonSchema)]
pub struct Me {
    pub account: Account,
    pub unit: Unit,
    pub scope: String,
    pub csrf: String,
}

pub fn me(caller: &Caller) -> Me {
    Me {
        account: caller.account.clone(),
        unit: caller.unit.clone(),
        scope: caller.scope.as_str().to_owned(),
        csrf: caller.csrf().to_owned(),
    }
}

/// The caller an account is on the command line (the demo, the benchmarks):
/// the same permissions and scope as when it signs in.
pub async fn console(app: &App, login: &str) -> AppResult<Caller> {
    let account = app.store.account_by_login(login).await?.ok_or_else(AppError::not_found)?;
    active_caller(app, account, Via::Console)?.ok_or_else(AppError::forbidden)
}
