//! The wallet's web pages (mobile-sized, Ukrainian by default, English by
//! `?lang=en`): login, documents, a code with its barcode and countdown,
//! incoming requests with Approve (PIN) and Decline, and the live event
//! stream that announces new requests. Forms carry a CSRF token derived
//! from the session; the session cookie is HttpOnly and SameSite=Strict.
use std::convert::Infallible;

use askama::Template;
use axum::Router;
use axum::extract::{Form, FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dossier_crypto::secrets::{constant_time_eq, token_hash};
use dossier_domain::sharing::{DocumentType, RequestStatus};
use dossier_domain::{Lang, i18n};
use dossier_http::assets::asset;
use dossier_http::{Problem, ReqLang};
use futures::Stream;
use serde::Deserialize;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::session::{SESSION_COOKIE, WalletUser, user_from_headers};
use crate::documents::{DocumentView, document_view};
use crate::wallet::{self, CodeView, RequestView};
use crate::{HubState, WalletEvent};

const WALLET_CSS: &str = include_str!("../../static/wallet.css");
const WALLET_JS: &str = include_str!("../../static/wallet.js");
/// Bumped with the crate version so long-cached assets are refreshed on upgrade.
const ASSET_VERSION: &str = env!("CARGO_PKG_VERSION");

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/wallet", get(home))
        .route("/wallet/login", post(login))
        .route("/wallet/logout", post(logout))
        .route("/wallet/documents/{doc_type}/code", post(new_code))
        .route("/wallet/codes/{id}", get(code_page))
        .route("/wallet/requests", get(requests_page))
        .route("/wallet/requests/{id}/approve", post(approve))
        .route("/wallet/requests/{id}/decline", post(decline))
        .route("/wallet/events", get(events))
        .route("/wallet/offer/{token}", get(open_offer))
        .route("/wallet/c/{code}", get(|| async { Redirect::to("/wallet") }))
        .route("/wallet/static/wallet.css", get(|| async { asset(WALLET_CSS, "text/css; charset=utf-8") }))
        .route("/wallet/static/wallet.js", get(|| async { asset(WALLET_JS, "text/javascript; charset=utf-8") }))
}

/// What every page needs: the language and, when signed in, the CSRF token.
pub struct T {
    pub lang: Lang,
    pub csrf: Option<String>,
    pub asset_v: &'static str,
}

impl T {
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        i18n::text(key, self.lang)
    }
    /// The language switcher's choices.
    pub fn other_languages(&self) -> impl Iterator<Item = Lang> + '_ {
        Lang::ALL.iter().copied().filter(|l| *l != self.lang)
    }
}

pub(super) fn t(lang: Lang, csrf: Option<String>) -> T {
    T { lang, csrf, asset_v: ASSET_VERSION }
}

/// A rendered page (its language cookie is the language layer's business).
pub(super) fn page(html: Result<String, askama::Error>) -> Response {
    match html {
        Ok(h) => Html(h).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "wallet template failed");
            Problem::internal().into_response()
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    t: T,
    title: &'static str,
    message: &'static str,
}

/// A refusal on a citizen's page, as a page of the wallet (not a JSON
/// problem: a person followed a link or pressed a button).
pub(super) fn refused(lang: Lang, status: StatusCode, key: &'static str) -> Response {
    let body =
        ErrorPage { t: t(lang, None), title: i18n::text("wallet.error.title", lang), message: i18n::text(key, lang) };
    (status, page(body.render())).into_response()
}

/// The signed-in citizen for a page, or a redirect to the login page.
pub struct PageUser(pub WalletUser);

impl FromRequestParts<HubState> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, Self::Rejection> {
        match user_from_headers(&parts.headers, state).await {
            Ok(Some(u)) => Ok(PageUser(u)),
            Ok(None) => Err(Redirect::to("/wallet").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

pub(super) fn csrf_ok(user: &WalletUser, presented: &str) -> bool {
    constant_time_eq(&user.csrf(), presented)
}

#[derive(Template)]
#[template(path = "login.html")]
pub(super) struct LoginPage {
    t: T,
    error: Option<String>,
    /// Where to go once signed in: only a login a fund asked for
    /// (`/wallet/authorize?…`) or a text it asked to have signed (`/wallet/sign/<id>`).
    next: Option<String>,
}

impl LoginPage {
    pub(super) fn render_for(lang: Lang, error: Option<String>, next: Option<String>) -> Result<String, askama::Error> {
        LoginPage { t: t(lang, None), error, next: next.filter(|n| allowed_next(n)) }.render()
    }
}

/// A login a fund asked for: the only query-bearing place the login form returns to.
const AUTHORIZE_PREFIX: &str = "/wallet/authorize?";
/// A text a fund asked the citizen to sign: `/wallet/sign/<uuid>`, nothing more.
const SIGN_PREFIX: &str = "/wallet/sign/";

/// The places the login form may return to other than the wallet itself.
fn allowed_next(next: &str) -> bool {
    next.starts_with(AUTHORIZE_PREFIX)
        || next
            .strip_prefix(SIGN_PREFIX)
            .is_some_and(|id| Uuid::try_parse(id).is_ok_and(|u| u.hyphenated().to_string() == id))
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    t: T,
    name: String,
    csrf: String,
    docs: Vec<DocumentView>,
    waiting: usize,
    /// Texts institutions asked to have signed, still waiting.
    to_sign: Vec<ToSign>,
}

/// A text waiting for the citizen's signature, as the home page links it.
struct ToSign {
    url: String,
    title: String,
    acquirer: String,
    /// Until when, Kyiv time.
    until: String,
}

#[derive(Template)]
#[template(path = "code.html")]
struct CodePage {
    t: T,
    document: String,
    code: CodeView,
    expires_local: String,
    ean_svg: String,
    qr_svg: String,
}

#[derive(Template)]
#[template(path = "requests.html")]
struct RequestsPage {
    t: T,
    csrf: String,
    requests: Vec<RequestView>,
    error: Option<String>,
    notice: Option<String>,
}

async fn home(State(state): State<HubState>, ReqLang(lang): ReqLang, headers: axum::http::HeaderMap) -> Response {
    let user = match user_from_headers(&headers, &state).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Some(user) = user else {
        return page(LoginPage::render_for(lang, None, None));
    };
    let docs = match wallet::documents(&state, &user.citizen).await {
        Ok(d) => d.iter().map(|d| document_view(d, lang)).collect(),
        Err(e) => return e.into_response(),
    };
    let waiting = match wallet::requests(&state, &user.citizen, lang).await {
        Ok(r) => r.iter().filter(|r| r.status == RequestStatus::WaitingConsent).count(),
        Err(e) => return e.into_response(),
    };
    let to_sign = match crate::signature::waiting_list(&state, &user.citizen).await {
        Ok(list) => list
            .into_iter()
            .map(|w| ToSign {
                url: w.url,
                title: w.title,
                acquirer: w.acquirer,
                until: crate::delivery::kyiv_time(w.expires_at).format("%H:%M").to_string(),
            })
            .collect(),
        Err(e) => return e.into_response(),
    };
    let csrf = user.csrf();
    let home =
        HomePage { t: t(lang, Some(csrf.clone())), name: user.citizen.display_name, csrf, docs, waiting, to_sign };
    page(home.render())
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
    #[serde(default)]
    next: Option<String>,
}

async fn login(State(state): State<HubState>, ReqLang(lang): ReqLang, Form(f): Form<LoginForm>) -> Response {
    let password = Zeroizing::new(f.password);
    match wallet::login(&state, &f.login, &password).await {
        Ok((token, _)) => {
            let ttl = state.config.session_ttl.num_seconds();
            let cookie = format!("{SESSION_COOKIE}={token}; Path=/wallet; HttpOnly; SameSite=Strict; Max-Age={ttl}");
            let to = f.next.as_deref().filter(|n| allowed_next(n)).unwrap_or("/wallet");
            let mut resp = Redirect::to(to).into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => page(LoginPage::render_for(lang, Some(e.message.render(lang)), f.next)),
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return refused(lang, StatusCode::FORBIDDEN, "wallet.error.forbidden");
    }
    if let Err(e) = state.store.delete_wallet_session(&user.session_hash).await {
        return Problem::from(e).into_response();
    }
    let mut resp = Redirect::to("/wallet").into_response();
    resp.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("hub_session=; Path=/wallet; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    resp
}

async fn new_code(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Path(doc_type): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return refused(lang, StatusCode::FORBIDDEN, "wallet.error.forbidden");
    }
    let Ok(t) = DocumentType::parse(&doc_type) else {
        return refused(lang, StatusCode::NOT_FOUND, "wallet.error.not_found");
    };
    match wallet::issue_code(&state, &user.citizen, t).await {
        Ok(c) => Redirect::to(&format!("/wallet/codes/{}", c.id)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn code_page(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    let rec = match state.store.code_by_id(id).await {
        Ok(Some(r)) if r.citizen_id == user.citizen.id => r,
        Ok(_) => return refused(lang, StatusCode::NOT_FOUND, "wallet.error.not_found"),
        Err(e) => return Problem::from(e).into_response(),
    };
    let code = wallet::code_view(&state, &rec);
    let (ean_svg, qr_svg) = wallet::code_svgs(&code);
    let expires_local = crate::delivery::kyiv_time(code.expires_at).format("%H:%M:%S").to_string();
    page(
        CodePage {
            t: t(lang, Some(user.csrf())),
            document: i18n::text(code.document_type.label_key(), lang).to_owned(),
            code,
            expires_local,
            ean_svg,
            qr_svg,
        }
        .render(),
    )
}

#[derive(Deserialize)]
struct Done {
    done: Option<String>,
}

async fn render_requests(
    state: &HubState,
    lang: Lang,
    user: &WalletUser,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    match wallet::requests(state, &user.citizen, lang).await {
        Ok(requests) => {
            let csrf = user.csrf();
            page(RequestsPage { t: t(lang, Some(csrf.clone())), csrf, requests, error, notice }.render())
        }
        Err(e) => e.into_response(),
    }
}

async fn requests_page(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Query(q): Query<Done>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("approved") => Some(i18n::text("wallet.requests.approved", lang).to_owned()),
        Some("declined") => Some(i18n::text("wallet.requests.declined", lang).to_owned()),
        _ => None,
    };
    render_requests(&state, lang, &user, None, notice).await
}

#[derive(Deserialize)]
struct ApproveForm {
    csrf: String,
    pin: String,
}

async fn approve(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ApproveForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return refused(lang, StatusCode::FORBIDDEN, "wallet.error.forbidden");
    }
    let pin = Zeroizing::new(f.pin);
    match wallet::approve(&state, &user.citizen, id, &pin).await {
        Ok(_) => Redirect::to("/wallet/requests?done=approved").into_response(),
        Err(e) => render_requests(&state, lang, &user, Some(e.message.render(lang)), None).await,
    }
}

async fn decline(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return refused(lang, StatusCode::FORBIDDEN, "wallet.error.forbidden");
    }
    match wallet::decline(&state, &user.citizen, id).await {
        Ok(_) => Redirect::to("/wallet/requests?done=declined").into_response(),
        Err(e) => render_requests(&state, lang, &user, Some(e.message.render(lang)), None).await,
    }
}

/// Server-Sent Events: this citizen's new requests and status changes.
async fn events(
    State(state): State<HubState>,
    PageUser(user): PageUser,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let rx = state.events.subscribe();
    let me = user.citizen.id;
    let stream = futures::stream::unfold(rx, move |mut rx| async move {
        loop {
            match rx.recv().await {
                Ok(e) if e.citizen_id == me => {
                    let data = serde_json::to_string(&e).unwrap_or_default();
                    return Some((Ok(Event::default().event("request").data(data)), rx));
                }
                Ok(_) | Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => continue,
                Err(tokio::sync::broadcast::error::RecvError::Closed) => return None,
            }
        }
    });
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The deeplink/QR flow: the wallet that opens the link gets the request.
async fn open_offer(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Path(token): Path<String>,
) -> Response {
    match state.store.claim_deeplink(&token_hash(&token), user.citizen.id, chrono::Utc::now()).await {
        Ok(Some(id)) => {
            if let Ok(Some(r)) = state.store.request(id).await
                && let (Ok(Some(a)), Ok(Some(b))) =
                    (state.store.acquirer(&r.acquirer_id).await, state.store.branch(&r.branch_id).await)
            {
                state.notify(WalletEvent {
                    citizen_id: user.citizen.id,
                    request: id,
                    acquirer: a.name,
                    branch: b.name,
                    document_type: r.document_type.code().into(),
                    document: i18n::text(r.document_type.label_key(), Lang::UK).into(),
                    status: r.status.code().into(),
                });
            }
            Redirect::to(&format!("/wallet/requests#r-{id}")).into_response()
        }
        Ok(None) => refused(lang, StatusCode::NOT_FOUND, "wallet.error.offer"),
        Err(e) => Problem::from(e).into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::allowed_next;

    #[test]
    fn the_login_form_returns_only_to_a_fund_s_login_or_a_signature_request() {
        assert!(allowed_next("/wallet/authorize?client_id=pfu"));
        assert!(allowed_next("/wallet/sign/0190a1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b"));
        for refused in [
            "/wallet/sign/",
            "/wallet/sign/0190a1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b/x",
            "/wallet/sign/0190a1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b?x=1",
            "/wallet/sign/0190A1B2-3C4D-7E5F-8A6B-7C8D9E0F1A2B",
            "/wallet/sign/0190a1b23c4d7e5f8a6b7c8d9e0f1a2b",
            "/wallet/sign/{0190a1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b}",
            "/wallet/sign/..%2F..%2Fevil",
            "//evil.example/wallet/sign/0190a1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b",
            "https://evil.example/",
            "/wallet/requests",
        ] {
            assert!(!allowed_next(refused), "{refused}");
        }
    }
}
