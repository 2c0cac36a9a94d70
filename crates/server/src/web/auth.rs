//! Sign in, sign out, language switch.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use dossier_app::{App, ErrorKind, staff};
use dossier_domain::Lang;
use dossier_http::ReqLang;
use serde::Deserialize;

use super::form::{Field, Section, SummaryItem, top};
use super::view::{Ctx, PageResult, Staff, check_csrf, html, safe_back, see_other};
use crate::auth::{clear_session_cookie, session_cookie};
use crate::error::status_of;

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

pub async fn login(State(app): State<Arc<App>>, ReqLang(lang): ReqLang, Form(form): Form<LoginForm>) -> PageResult {
    let refused = match staff::sign_in(&app, &form.login, &form.password).await {
        Ok(s) => {
            let cookie = session_cookie(&s.token, app.config().session_ttl.num_seconds());
            return Ok(([(header::SET_COOKIE, cookie)], see_other("/")).into_response());
        }
        // Wrong credentials and a lock-out are told on the form; anything else is the error page.
        Err(e) if matches!(e.kind, ErrorKind::Unauthenticated | ErrorKind::RateLimited) => e,
        Err(e) => return Err(e.into()),
    };
    let status = status_of(refused.kind);
    let mut page = login_view(lang, &form.login, vec![top(&refused.message, lang)]);
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
    State(app): State<Arc<App>>,
    Staff { caller, .. }: Staff,
    Form(form): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&caller, &form.csrf)?;
    staff::sign_out(&app, &caller).await?;
    Ok(([(header::SET_COOKIE, clear_session_cookie())], see_other("/login")).into_response())
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
            let cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", crate::LANG.cookie, lang.code());
            ([(header::SET_COOKIE, cookie)], see_other(&back)).into_response()
        }
        None => see_other(&back),
    }
}
