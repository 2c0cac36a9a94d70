//! Signing in and out, who-am-I, and API tokens.
use std::sync::Arc;

use axum::Json;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_app::App;
use dossier_app::staff::{self, IssuedToken, Me};
use serde::Deserialize;
use serde_json::json;

use super::ApiJson;
use crate::auth::{Auth, clear_session_cookie, session_cookie};
use crate::error::ApiResult;

#[derive(Deserialize)]
pub struct LoginBody {
    login: String,
    password: String,
}

/// Signs in: the session cookie, and the CSRF token unsafe calls must send.
pub async fn login(State(app): State<Arc<App>>, ApiJson(body): ApiJson<LoginBody>) -> ApiResult<Response> {
    let s = staff::sign_in(&app, &body.login, &body.password).await?;
    let cookie = session_cookie(&s.token, app.config().session_ttl.num_seconds());
    Ok(([(header::SET_COOKIE, cookie)], Json(json!({"csrf": s.csrf, "account": s.account}))).into_response())
}

pub async fn logout(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Response> {
    staff::sign_out(&app, &caller).await?;
    Ok(([(header::SET_COOKIE, clear_session_cookie())], StatusCode::NO_CONTENT).into_response())
}

pub async fn me(Auth(caller): Auth) -> Json<Me> {
    Json(staff::me(&caller))
}

#[derive(Deserialize)]
pub struct TokenBody {
    login: String,
    name: String,
}

/// An administrator issues an API token for a (system) account; shown once.
pub async fn create_token(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<(StatusCode, Json<IssuedToken>)> {
    Ok((StatusCode::CREATED, Json(staff::issue_api_token(&app, &caller, &body.login, &body.name).await?)))
}
