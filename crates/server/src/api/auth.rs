//! Signing in and out, who-am-I, and API tokens.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use axum::response::NoContent;
use dossier_app::App;
use dossier_app::staff::{self, IssuedToken, Me};
use dossier_http::openapi::Created;
use dossier_store::Account;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ApiJson;
use crate::auth::{Auth, WithCookie, clear_session_cookie, session_cookie};
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/auth/login",
            post_with(login, |o| o.summary("Sign in; sets the session cookie and returns the CSRF token")),
        )
        .api_route("/api/v1/auth/logout", post_with(logout, |o| o.summary("Sign out")))
        .api_route("/api/v1/me", get_with(me, |o| o.summary("The signed-in account, its unit and scope")))
        .api_route(
            "/api/v1/tokens",
            post_with(create_token, |o| o.summary("Issue an API token for a system account (administrator)")),
        )
}

#[derive(Deserialize, JsonSchema)]
pub struct LoginBody {
    login: String,
    password: String,
}

/// A session just started (its token is in the `Set-Cookie` header).
#[derive(Serialize, JsonSchema)]
pub struct Session {
    /// Send it as `X-CSRF-Token` with every unsafe request of this session.
    csrf: String,
    account: Account,
}

async fn login(State(app): State<Arc<App>>, ApiJson(body): ApiJson<LoginBody>) -> ApiResult<WithCookie<Json<Session>>> {
    let s = staff::sign_in(&app, &body.login, &body.password).await?;
    let cookie = session_cookie(&s.token, app.config().session_ttl.num_seconds());
    Ok(WithCookie(cookie, Json(Session { csrf: s.csrf, account: s.account })))
}

async fn logout(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<WithCookie<NoContent>> {
    staff::sign_out(&app, &caller).await?;
    Ok(WithCookie(clear_session_cookie(), NoContent))
}

async fn me(Auth(caller): Auth) -> Json<Me> {
    Json(staff::me(&caller))
}

#[derive(Deserialize, JsonSchema)]
pub struct TokenBody {
    /// The system account the token acts as.
    login: String,
    /// What the token is for, e.g. the system that uses it.
    name: String,
}

async fn create_token(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<TokenBody>,
) -> ApiResult<Created<IssuedToken>> {
    Ok(Created(staff::issue_api_token(&app, &caller, &body.login, &body.name).await?))
}
