//! Authentication: argon2id passwords, session cookies with CSRF tokens,
//! bearer API tokens, lock-out after repeated failures.
//!
//! Secrets (session ids, API tokens) are 256-bit random values; only their
//! SHA-256 is stored, so a database leak yields no usable credential.
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::Utc;
pub use dossier_crypto::secrets::{
    constant_time_eq, hash_password, random_token, token_hash, verify_password, verify_password_or_dummy,
};
use dossier_domain::Lang;
use dossier_store::{Account, NewSession};

use crate::AppState;
use crate::access::Caller;
use crate::error::ApiError;

/// `__Host-` binds the cookie to this exact origin, HTTPS-only, path `/`.
pub const SESSION_COOKIE: &str = "__Host-dossier";
pub const LANG_COOKIE: &str = "dossier_lang";
pub const CSRF_HEADER: &str = "x-csrf-token";

/// Why a login was refused (the UI words it without revealing which part was wrong).
#[derive(Debug, PartialEq, Eq)]
pub enum LoginRefusal {
    BadCredentials,
    Locked,
}

/// Checks a login and password; counts failures and locks the account.
pub async fn login(state: &AppState, login: &str, password: &str) -> Result<Result<Account, LoginRefusal>, ApiError> {
    let account = state.store.account_by_login(login.trim()).await?;
    let Some(account) = account else {
        verify_password_or_dummy(password, None);
        return Ok(Err(LoginRefusal::BadCredentials));
    };
    if account.locked_until.is_some_and(|t| t > Utc::now()) {
        return Ok(Err(LoginRefusal::Locked));
    }
    if !account.active || !verify_password(password, &account.password_hash) {
        state.store.login_failed(account.id, state.config.max_login_failures, state.config.lockout).await?;
        return Ok(Err(LoginRefusal::BadCredentials));
    }
    state.store.login_succeeded(account.id).await?;
    Ok(Ok(account))
}

/// Starts a session; returns `(cookie token, csrf token)`.
pub async fn start_session(state: &AppState, account: &Account) -> Result<(String, String), ApiError> {
    let token = random_token().map_err(|_| ApiError::internal())?;
    let csrf = random_token().map_err(|_| ApiError::internal())?;
    state
        .store
        .create_session(NewSession {
            token_hash: token_hash(&token),
            account_id: account.id,
            csrf: csrf.clone(),
            expires_at: Utc::now() + state.config.session_ttl,
        })
        .await?;
    Ok((token, csrf))
}

pub fn session_cookie(token: &str, max_age_secs: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}")
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The caller's language: `?lang=`, then the language cookie, then Accept-Language.
pub fn lang_of(parts: &Parts) -> Lang {
    if let Some(q) = parts.uri.query() {
        for kv in q.split('&') {
            if let Some(v) = kv.strip_prefix("lang=")
                && let Some(l) = Lang::from_tag(v)
            {
                return l;
            }
        }
    }
    if let Some(l) = cookie(&parts.headers, LANG_COOKIE).and_then(Lang::from_tag) {
        return l;
    }
    parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::negotiate).unwrap_or_default()
}

/// How the caller authenticated.
#[derive(Debug, Clone)]
pub enum Via {
    /// Browser session, with its CSRF token and the cookie's token hash.
    Session { csrf: String, token_hash: String },
    /// `Authorization: Bearer …` API token: no ambient authority, no CSRF.
    Token,
}

/// Language of the request, extracted on its own (for pages without a login).
pub struct ReqLang(pub Lang);

impl FromRequestParts<AppState> for ReqLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(ReqLang(lang_of(parts)))
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let lang = lang_of(parts);
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let (account, via) = if let Some(token) = bearer {
            let account =
                state.account_by_token(&token_hash(token.trim())).await.map_err(|e| ApiError::from(e).in_lang(lang))?;
            (account.ok_or_else(|| ApiError::unauthenticated().in_lang(lang))?, Via::Token)
        } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let th = token_hash(token);
            let found = state.store.session(&th).await.map_err(|e| ApiError::from(e).in_lang(lang))?;
            let (session, account) = found.ok_or_else(|| ApiError::unauthenticated().in_lang(lang))?;
            (account, Via::Session { csrf: session.csrf, token_hash: th })
        } else {
            return Err(ApiError::unauthenticated().in_lang(lang));
        };
        if !account.active {
            return Err(ApiError::unauthenticated().in_lang(lang));
        }
        // A cookie-authenticated request that changes something must carry the
        // session's CSRF token: API calls in the X-CSRF-Token header, the staff
        // UI's HTML forms in their `csrf` field (checked by the page handler,
        // which is why only non-API form posts skip the header here).
        if let Via::Session { csrf, .. } = &via {
            let unsafe_method = !matches!(parts.method.as_str(), "GET" | "HEAD" | "OPTIONS");
            let is_page_form = !parts.uri.path().starts_with("/api/")
                && parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
                    ct.starts_with("application/x-www-form-urlencoded") || ct.starts_with("multipart/form-data")
                });
            if unsafe_method && !is_page_form {
                let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
                if !constant_time_eq(sent, csrf) {
                    return Err(ApiError::new(axum::http::StatusCode::FORBIDDEN, "csrf", "common.csrf").in_lang(lang));
                }
            }
        }
        Caller::new(state, account, via, lang).ok_or_else(|| ApiError::forbidden().in_lang(lang))
    }
}
