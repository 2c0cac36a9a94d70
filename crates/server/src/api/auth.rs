//! Login, logout, who-am-I and API tokens.
use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_domain::Message;
use dossier_domain::org::Permission;
use serde::Deserialize;
use serde_json::json;

use super::ApiJson;
use crate::AppState;
use crate::access::Caller;
use crate::auth::{self as a, LoginRefusal, ReqLang, Via};
use crate::error::{ApiError, ApiResult};

#[derive(Deserialize)]
pub struct LoginBody {
    login: String,
    password: String,
}

pub async fn login(
    State(state): State<AppState>,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<LoginBody>,
) -> ApiResult<Response> {
    match a::login(&state, &body.login, &body.password).await? {
        Ok(account) => {
            let (token, csrf) = a::start_session(&state, &account).await?;
            let cookie = a::session_cookie(&token, state.config.session_ttl.num_seconds());
            Ok(([(header::SET_COOKIE, cookie)], Json(json!({"csrf": csrf, "account": account}))).into_response())
        }
        Err(LoginRefusal::Locked) => {
            Err(ApiError::new(StatusCode::TOO_MANY_REQUESTS, "locked", "auth.locked").in_lang(lang))
        }
        Err(LoginRefusal::BadCredentials) => {
            Err(ApiError::new(StatusCode::UNAUTHORIZED, "bad_credentials", "auth.bad_credentials").in_lang(lang))
        }
    }
}

pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    if let Via::Session { token_hash, .. } = &caller.via {
        state.store.delete_session(token_hash).await?;
    }
    Ok(([(header::SET_COOKIE, a::clear_session_cookie())], StatusCode::NO_CONTENT).into_response())
}

pub async fn me(caller: Caller) -> Json<serde_json::Value> {
    Json(json!({
        "account": caller.account,
        "unit": caller.unit,
        "scope": caller.scope.as_str(),
        "csrf": caller.csrf(),
    }))
}

#[derive(Deserialize)]
pub struct TokenBody {
    login: String,
    name: String,
}

/// An administrator issues an API token for a (system) account; the token is
/// shown once and only its hash is kept.
pub async fn create_token(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<serde_json::Value>)> {
    caller.require(Permission::ManageStaff)?;
    let account = state.store.account_by_login(&body.login).await?.ok_or_else(|| {
        ApiError::invalid(dossier_domain::Invalid::one("login", Message::new("common.not_found"))).in_lang(caller.lang)
    })?;
    let unit = state.unit(account.unit_id).ok_or_else(ApiError::not_found)?;
    if !caller.in_scope(&unit.path) {
        return Err(ApiError::forbidden().in_lang(caller.lang));
    }
    let token = format!("dsr_{}", a::random_token().map_err(|_| ApiError::internal())?);
    let id =
        state.store.create_api_token(&caller.actor(), account.id, body.name.trim(), &a::token_hash(&token)).await?;
    Ok((StatusCode::CREATED, Json(json!({"id": id, "token": token}))))
}
