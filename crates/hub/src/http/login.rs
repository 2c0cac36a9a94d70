//! The OpenID provider over HTTP ([`crate::login`]): discovery, the key set,
//! the token endpoint (OAuth's JSON errors), and the wallet's page where the
//! citizen allows a fund to learn who they are.
use axum::Router;
use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Json, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use dossier_http::ReqLang;
use serde::Deserialize;

use super::pages::{LoginPage, PageUser, csrf_ok, page, refused, t};
use super::session::user_from_headers;
use crate::HubState;
use crate::login::{self, AuthorizeParams, AuthorizeRefusal, TokenForm};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/oidc/jwks", get(jwks))
        .route("/oidc/token", axum::routing::post(token))
        .route("/wallet/authorize", get(authorize).post(decide))
}

/// Provider metadata and keys change rarely; relying parties may cache them briefly.
fn cached(body: serde_json::Value) -> Response {
    ([(header::CACHE_CONTROL, "public, max-age=300")], Json(body)).into_response()
}

async fn discovery(State(state): State<HubState>) -> Response {
    cached(login::discovery(&state.config.public_url))
}

async fn jwks(State(state): State<HubState>) -> Response {
    cached(login::jwks(&state))
}

#[derive(askama::Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    t: super::pages::T,
    csrf: String,
    client: String,
    name: String,
    params: Vec<(&'static str, String)>,
}

/// Hidden fields that carry the request through the consent form.
fn carried(p: &AuthorizeParams) -> Vec<(&'static str, String)> {
    let fields = [
        ("response_type", &p.response_type),
        ("client_id", &p.client_id),
        ("redirect_uri", &p.redirect_uri),
        ("scope", &p.scope),
        ("state", &p.state),
        ("nonce", &p.nonce),
        ("code_challenge", &p.code_challenge),
        ("code_challenge_method", &p.code_challenge_method),
    ];
    fields.into_iter().filter_map(|(k, v)| v.clone().map(|v| (k, v))).collect()
}

/// A fund asks who the citizen is: sign in if needed, then allow or decline.
async fn authorize(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(p): Query<AuthorizeParams>,
) -> Response {
    let a = match login::check(&state, &p).await {
        Ok(a) => a,
        Err(refusal) => return refuse(lang, refusal),
    };
    let user = match user_from_headers(&headers, &state).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Some(user) = user else {
        // Back here once signed in; the login form takes only this path as its `next`.
        let query = query_string(&carried(&p));
        return page(LoginPage::render_for(lang, None, Some(format!("/wallet/authorize?{query}"))));
    };
    let csrf = user.csrf();
    let consent = ConsentPage {
        t: t(lang, Some(csrf.clone())),
        csrf,
        client: a.client.name,
        name: user.citizen.display_name,
        params: carried(&p),
    };
    page(askama::Template::render(&consent))
}

/// The consent form: the decision and the request it carried (spelled out:
/// `serde(flatten)` does not survive form decoding).
#[derive(Deserialize)]
struct Decision {
    csrf: String,
    decision: String,
    response_type: Option<String>,
    client_id: Option<String>,
    redirect_uri: Option<String>,
    scope: Option<String>,
    state: Option<String>,
    nonce: Option<String>,
    code_challenge: Option<String>,
    code_challenge_method: Option<String>,
}

impl Decision {
    fn params(self) -> AuthorizeParams {
        AuthorizeParams {
            response_type: self.response_type,
            client_id: self.client_id,
            redirect_uri: self.redirect_uri,
            scope: self.scope,
            state: self.state,
            nonce: self.nonce,
            code_challenge: self.code_challenge,
            code_challenge_method: self.code_challenge_method,
        }
    }
}

async fn decide(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Form(f): Form<Decision>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return refused(lang, StatusCode::FORBIDDEN, "wallet.error.forbidden");
    }
    let allow = f.decision == "allow";
    let a = match login::check(&state, &f.params()).await {
        Ok(a) => a,
        Err(refusal) => return refuse(lang, refusal),
    };
    let to = if allow {
        match login::grant(&state, &user.citizen, &a).await {
            Ok(to) => to,
            Err(e) => return e.into_response(),
        }
    } else {
        login::deny(&a)
    };
    Redirect::to(&to).into_response()
}

fn refuse(lang: dossier_domain::Lang, refusal: AuthorizeRefusal) -> Response {
    match refusal {
        AuthorizeRefusal::NoClient => refused(lang, StatusCode::BAD_REQUEST, "wallet.login.unknown_client"),
        AuthorizeRefusal::Unavailable => refused(lang, StatusCode::SERVICE_UNAVAILABLE, "wallet.error.unavailable"),
        AuthorizeRefusal::Redirect(to) => Redirect::to(&to).into_response(),
    }
}

/// `k=v&…`, form-encoded, for the login form's way back here.
fn query_string(pairs: &[(&'static str, String)]) -> String {
    let mut url = reqwest::Url::parse("http://x/").expect("a constant URL parses");
    url.query_pairs_mut().extend_pairs(pairs.iter().map(|(k, v)| (*k, v.as_str())));
    url.query().unwrap_or("").to_owned()
}

/// `Authorization: Basic` client credentials, each form-urlencoded (RFC 6749 §2.3.1).
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.strip_prefix("Basic ")?;
    let decoded = base64::engine::general_purpose::STANDARD.decode(value.trim()).ok()?;
    let (id, secret) = std::str::from_utf8(&decoded).ok()?.split_once(':')?;
    let unescape = |s: &str| -> Option<String> {
        let url = reqwest::Url::parse(&format!("http://x/?v={s}")).ok()?;
        url.query_pairs().next().map(|(_, v)| v.into_owned())
    };
    Some((unescape(id)?, unescape(secret)?))
}

async fn token(State(state): State<HubState>, headers: HeaderMap, Form(f): Form<TokenForm>) -> Response {
    // Token answers are never cached (RFC 6749 §5.1).
    let no_store = [(header::CACHE_CONTROL, "no-store")];
    match login::token(&state, basic_credentials(&headers), f).await {
        Ok(answer) => (no_store, Json(answer)).into_response(),
        Err(refusal) => {
            let status = match refusal {
                login::TokenRefusal::InvalidClient => StatusCode::UNAUTHORIZED,
                login::TokenRefusal::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
                _ => StatusCode::BAD_REQUEST,
            };
            (status, no_store, Json(serde_json::json!({ "error": refusal.code() }))).into_response()
        }
    }
}
