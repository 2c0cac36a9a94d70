//! Sign in, sign out, language switch.
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_domain::Lang;
use serde::Deserialize;

use super::form::{Field, Section, SummaryItem, top};
use super::view::{Ctx, PageError, PageResult, Staff, check_csrf, html, safe_back, see_other};
use crate::AppState;
use crate::auth::{self as a, LANG_COOKIE, LoginRefusal, ReqLang, Via};

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    t: Ctx,
    summary: Vec<SummaryItem>,
    sections: Vec<Section>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LoginForm {
    login: String,
    password: String,
}

fn login_view(lang: Lang, login: &str, summary: Vec<SummaryItem>) -> LoginPage {
    let t = Ctx::anonymous(lang, "/login");
    let fields = vec![
        Field::text("f-", "login", t.t("ui.login.login"), login).required().autofocus().autocomplete("username"),
        Field::new("f-", "password", t.t("ui.login.password"), "password", "")
            .required()
            .autocomplete("current-password"),
    ];
    LoginPage { sections: vec![Section::new("f-credentials", t.t("ui.login.title"), fields)], t, summary }
}

pub async fn login_page(ReqLang(lang): ReqLang) -> Response {
    html(StatusCode::OK, &login_view(lang, "", vec![]))
}

pub async fn login(State(state): State<AppState>, ReqLang(lang): ReqLang, Form(form): Form<LoginForm>) -> PageResult {
    let (status, key) =
        match a::login(&state, &form.login, &form.password).await.map_err(|e| PageError::from(e.in_lang(lang)))? {
            Ok(account) => {
                let (token, _csrf) =
                    a::start_session(&state, &account).await.map_err(|e| PageError::from(e.in_lang(lang)))?;
                let cookie = a::session_cookie(&token, state.config.session_ttl.num_seconds());
                return Ok(([(header::SET_COOKIE, cookie)], see_other("/")).into_response());
            }
            Err(LoginRefusal::Locked) => (StatusCode::TOO_MANY_REQUESTS, "auth.locked"),
            Err(LoginRefusal::BadCredentials) => (StatusCode::UNAUTHORIZED, "auth.bad_credentials"),
        };
    let mut page = login_view(lang, &form.login, vec![top(&key.into(), lang)]);
    if let Some(f) = page.sections.iter_mut().flat_map(|s| s.fields.iter_mut()).find(|f| f.name == "login") {
        f.autofocus = false;
    }
    if let Some(f) = page.sections.iter_mut().flat_map(|s| s.fields.iter_mut()).find(|f| f.name == "password") {
        f.autofocus = true;
    }
    Ok(html(status, &page))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CsrfForm {
    csrf: String,
}

pub async fn logout(
    State(state): State<AppState>,
    Staff { caller, .. }: Staff,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    if let Via::Session { token_hash, .. } = &caller.via {
        state.store.delete_session(token_hash).await?;
    }
    Ok(([(header::SET_COOKIE, a::clear_session_cookie())], see_other("/login")).into_response())
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BackQuery {
    back: Option<String>,
}

/// `GET /lang/{uk|en}?back=/path` — remembers the language for a year.
pub async fn switch_lang(Path(code): Path<String>, Query(q): Query<BackQuery>) -> Response {
    let back = safe_back(q.back.as_deref()).to_owned();
    match Lang::from_tag(&code) {
        Some(lang) => {
            let cookie = format!("{LANG_COOKIE}={}; Path=/; Max-Age=31536000; SameSite=Lax", lang.code());
            ([(header::SET_COOKIE, cookie)], see_other(&back)).into_response()
        }
        None => see_other(&back),
    }
}
