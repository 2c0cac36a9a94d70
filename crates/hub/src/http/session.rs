//! The signed-in citizen: a session token from the `hub_session` cookie (the
//! pages) or `Authorization: Bearer` (the JSON API, `dossier wallet`).
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use chrono::Utc;
use dossier_crypto::secrets::token_hash;
use dossier_http::Problem;
use dossier_http::cookies::cookie;

use crate::HubState;
use crate::store::Citizen;

pub const SESSION_COOKIE: &str = "hub_session";

/// The signed-in citizen, from the session cookie or `Authorization: Bearer`.
pub struct WalletUser {
    pub citizen: Citizen,
    /// The session token's hash (CSRF tokens are derived from it).
    pub session_hash: String,
}

impl WalletUser {
    pub fn csrf(&self) -> String {
        token_hash(&format!("csrf:{}", self.session_hash))
    }
}

pub fn session_token(headers: &HeaderMap) -> Option<String> {
    if let Some(b) = headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok())
        && let Some(t) = b.strip_prefix("Bearer ")
    {
        return Some(t.trim().to_owned());
    }
    cookie(headers, SESSION_COOKIE).map(str::to_owned)
}

pub async fn user_from_headers(headers: &HeaderMap, state: &HubState) -> Result<Option<WalletUser>, Problem> {
    let Some(token) = session_token(headers) else { return Ok(None) };
    let hash = token_hash(&token);
    Ok(state.store.wallet_session(&hash, Utc::now()).await?.map(|citizen| WalletUser { citizen, session_hash: hash }))
}

impl FromRequestParts<HubState> for WalletUser {
    type Rejection = Problem;
    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, Self::Rejection> {
        user_from_headers(&parts.headers, state).await?.ok_or_else(Problem::unauthenticated)
    }
}
