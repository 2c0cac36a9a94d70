//! The citizen's personal account: sign in through the identity provider
//! (`/account/login` → the provider → `/account/callback`), see one's own
//! record and applications and those of the people one represents, sign out.
//! Citizens' cookies are their own (`__Host-dossier-citizen`), apart from
//! the staff's, and `SameSite=Lax`: the browser comes back from the
//! provider's site, a cross-site navigation a strict cookie would miss.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use dossier_app::account::login::{self, Callback};
use dossier_app::account::{self, AccountView, Citizen};
use dossier_app::{App, AppError};
use dossier_crypto::secrets::constant_time_eq;
use dossier_domain::Lang;
use dossier_http::ReqLang;
use dossier_http::cookies::cookie;
use dossier_store::{CertificateRecord, PersonRecord};
use serde::Deserialize;

use super::status::no_store;
use super::view::{Ctx, date, html};
use crate::error::status_of;

/// The fund's callback path, registered with the identity provider.
pub const CALLBACK: &str = "/account/callback";
const SESSION: &str = "__Host-dossier-citizen";
const LOGIN: &str = "__Host-dossier-login";

fn set_cookie(resp: &mut Response, name: &str, value: &str, max_age: i64) {
    let c = format!("{name}={value}; Path=/; HttpOnly; Secure; SameSite=Lax; Max-Age={max_age}");
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

#[derive(Template)]
#[template(path = "account_login.html")]
struct LoginPage {
    t: Ctx,
    error: Option<String>,
    available: bool,
}

fn login_page(app: &App, lang: Lang, status: StatusCode, error: Option<&AppError>) -> Response {
    let page = LoginPage {
        t: Ctx::anonymous(lang, "/account"),
        error: error.map(|e| e.message.render(lang)),
        available: app.citizen_login().is_some(),
    };
    no_store(html(status, &page))
}

/// `GET /account/login` — off to the identity provider.
pub async fn start(State(app): State<Arc<App>>, ReqLang(lang): ReqLang) -> Response {
    match login::start(&app).await {
        Ok(started) => {
            let mut resp = Redirect::to(&started.redirect).into_response();
            set_cookie(&mut resp, LOGIN, &started.cookie, login::LOGIN_TTL.num_seconds());
            // The account greets the citizen back in the language they left in.
            let lang_cookie = format!("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", crate::LANG.cookie, lang.code());
            if let Ok(v) = HeaderValue::from_str(&lang_cookie) {
                resp.headers_mut().append(header::SET_COOKIE, v);
            }
            no_store(resp)
        }
        Err(e) => login_page(&app, lang, status_of(e.kind), Some(&e)),
    }
}

/// `GET /account/callback` — back from the provider: a session, or why not.
pub async fn callback(
    State(app): State<Arc<App>>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Query(back): Query<Callback>,
) -> Response {
    let result = login::finish(&app, cookie(&headers, LOGIN), back).await;
    let mut resp = match result {
        Ok(signed_in) => {
            let mut resp = Redirect::to("/account").into_response();
            set_cookie(&mut resp, SESSION, &signed_in.token, app_session_secs(&app));
            resp
        }
        Err(e) => login_page(&app, lang, status_of(e.kind), Some(&e)),
    };
    // The login in flight is spent either way.
    set_cookie(&mut resp, LOGIN, "", 0);
    no_store(resp)
}

fn app_session_secs(app: &App) -> i64 {
    app.config().session_ttl.num_seconds()
}

/// The signed-in citizen of a page; without one, the sign-in page.
pub struct SignedCitizen(pub Citizen, pub Lang);

impl axum::extract::FromRequestParts<Arc<App>> for SignedCitizen {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let ReqLang(lang) = ReqLang::from_request_parts(parts, app).await.unwrap_or(ReqLang(Lang::default()));
        let citizen = match cookie(&parts.headers, SESSION) {
            Some(token) => account::by_session(app, token).await,
            None => Ok(None),
        };
        match citizen {
            Ok(Some(c)) => Ok(SignedCitizen(c, lang)),
            Ok(None) => Err(login_page(app, lang, StatusCode::OK, None)),
            Err(e) => Err(login_page(app, lang, status_of(e.kind), Some(&e))),
        }
    }
}

/// One person the citizen may look at, as a tab.
pub struct PersonTab {
    pub href: String,
    pub name: String,
    pub current: bool,
}

/// One application or certificate as the citizen sees it.
pub struct CertificateRow {
    pub number: String,
    pub stage: String,
    pub certificate_no: Option<String>,
    pub filed: String,
    pub valid_until: Option<String>,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    t: Ctx,
    name: String,
    csrf: String,
    tabs: Vec<PersonTab>,
    shown: Option<ShownPerson>,
    acting_for_other: bool,
    certificates: Vec<CertificateRow>,
}

pub struct ShownPerson {
    pub name: String,
    pub birth_date: String,
    pub tax_id: String,
}

#[derive(Deserialize)]
pub struct AccountQuery {
    #[serde(rename = "for")]
    pub acting_for: Option<String>,
}

/// `GET /account[?for=<person>]` — the account, for oneself or a ward.
pub async fn page(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, lang): SignedCitizen,
    Query(q): Query<AccountQuery>,
) -> Response {
    let acting_for = match q.acting_for.as_deref().map(str::parse::<uuid::Uuid>) {
        None => None,
        Some(Ok(id)) => Some(id),
        Some(Err(_)) => return refused(&AppError::not_found()),
    };
    match account::view(&app, &citizen, acting_for).await {
        Ok(view) => no_store(html(StatusCode::OK, &account_page(&citizen, lang, &view))),
        Err(e) => refused(&e),
    }
}

/// A refusal on the account's pages (never the staff's login page).
fn refused(e: &AppError) -> Response {
    super::view::PageError::new(status_of(e.kind), e.message.clone()).into_response()
}

fn account_page(citizen: &Citizen, lang: Lang, v: &AccountView) -> AccountPage {
    let shown_id = v.shown.as_ref().map(|p| p.id);
    let tab = |p: &PersonRecord, own: bool| PersonTab {
        href: if own { "/account".into() } else { format!("/account?for={}", p.id) },
        name: p.data.name.display(),
        current: Some(p.id) == shown_id,
    };
    let mut tabs: Vec<PersonTab> = v.own.iter().map(|p| tab(p, true)).collect();
    tabs.extend(v.represented.iter().map(|p| tab(p, false)));
    if tabs.len() < 2 {
        tabs.clear();
    }
    let certificates = v.certificates.iter().map(|c| certificate_row(c, lang)).collect();
    AccountPage {
        t: Ctx::anonymous(lang, "/account"),
        name: citizen.name().to_owned(),
        csrf: citizen.csrf().to_owned(),
        tabs,
        acting_for_other: v.shown.as_ref().is_some_and(|p| v.own.as_ref().is_none_or(|o| o.id != p.id)),
        shown: v.shown.as_ref().map(|p| ShownPerson {
            name: p.data.name.display(),
            birth_date: date(p.data.birth_date),
            tax_id: p.data.tax_id.number().to_owned(),
        }),
        certificates,
    }
}

fn certificate_row(c: &CertificateRecord, lang: Lang) -> CertificateRow {
    CertificateRow {
        number: c.number.clone(),
        stage: c.stage.message().render(lang),
        certificate_no: c.certificate_no.clone(),
        filed: date(c.created_at.date_naive()),
        valid_until: c.valid_until.map(date),
    }
}

#[derive(Deserialize)]
pub struct LogoutForm {
    pub csrf: String,
}

/// `POST /account/logout`.
pub async fn logout(
    State(app): State<Arc<App>>,
    SignedCitizen(citizen, _): SignedCitizen,
    Form(f): Form<LogoutForm>,
) -> Response {
    if !constant_time_eq(&f.csrf, citizen.csrf()) {
        return refused(&AppError::new(dossier_app::ErrorKind::Forbidden, "csrf", "common.csrf"));
    }
    if let Err(e) = account::sign_out(&app, &citizen).await {
        return refused(&e);
    }
    let mut resp = Redirect::to("/account").into_response();
    set_cookie(&mut resp, SESSION, "", 0);
    resp
}
