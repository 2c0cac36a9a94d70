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
use axum::http::{HeaderValue, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use dossier_domain::sharing::{DocumentType, RequestStatus};
use dossier_domain::{Lang, i18n};
use futures::Stream;
use serde::Deserialize;
use subtle::ConstantTimeEq;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::HubState;
use super::wallet::{self, CodeView, DocumentView, RequestView, SESSION_COOKIE, WalletUser};
use crate::error::ApiError;

const WALLET_CSS: &str = include_str!("../../static/hub/wallet.css");
const WALLET_JS: &str = include_str!("../../static/hub/wallet.js");

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

fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp
}

/// What every page needs: the language and, when signed in, the CSRF token.
pub struct T {
    pub lang: Lang,
    pub other: Lang,
    pub csrf: Option<String>,
}

impl T {
    pub fn t<'a>(&self, key: &'a str) -> &'a str {
        i18n::text(key, self.lang)
    }
    pub fn other_label(&self) -> &'static str {
        match self.other {
            Lang::En => "English",
            Lang::Uk => "Українська",
        }
    }
}

/// The page's language: `?lang=` (remembered in a cookie), else the cookie, else Ukrainian.
pub struct PageLang {
    lang: Lang,
    set_cookie: bool,
}

impl<S: Send + Sync> FromRequestParts<S> for PageLang {
    type Rejection = Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or("");
        if let Some(l) = query.split('&').filter_map(|kv| kv.strip_prefix("lang=")).find_map(Lang::from_tag) {
            return Ok(PageLang { lang: l, set_cookie: true });
        }
        let cookie = parts
            .headers
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|c| c.trim().strip_prefix("wallet_lang="))
            .find_map(Lang::from_tag);
        Ok(PageLang { lang: cookie.unwrap_or(Lang::Uk), set_cookie: false })
    }
}

impl PageLang {
    fn t(&self, csrf: Option<String>) -> T {
        let other = if self.lang == Lang::Uk { Lang::En } else { Lang::Uk };
        T { lang: self.lang, other, csrf }
    }

    fn page(&self, html: Result<String, askama::Error>) -> Response {
        let mut resp = match html {
            Ok(h) => Html(h).into_response(),
            Err(e) => {
                tracing::error!(error = %e, "wallet template failed");
                ApiError::internal().into_response()
            }
        };
        if self.set_cookie
            && let Ok(v) = HeaderValue::from_str(&format!(
                "wallet_lang={}; Path=/; SameSite=Lax; Max-Age=31536000",
                self.lang.code()
            ))
        {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
        resp
    }
}

/// The signed-in citizen for a page, or a redirect to the login page.
pub struct PageUser(WalletUser);

impl FromRequestParts<HubState> for PageUser {
    type Rejection = Response;
    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, Self::Rejection> {
        match wallet::user_from_headers(&parts.headers, state).await {
            Ok(Some(u)) => Ok(PageUser(u)),
            Ok(None) => Err(Redirect::to("/wallet").into_response()),
            Err(e) => Err(e.into_response()),
        }
    }
}

fn csrf_ok(user: &WalletUser, presented: &str) -> bool {
    bool::from(user.csrf().as_bytes().ct_eq(presented.as_bytes()))
}

#[derive(Template)]
#[template(path = "hub/login.html")]
struct LoginPage {
    t: T,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "hub/home.html")]
struct HomePage {
    t: T,
    name: String,
    csrf: String,
    docs: Vec<DocumentView>,
    waiting: usize,
}

#[derive(Template)]
#[template(path = "hub/code.html")]
struct CodePage {
    t: T,
    document: String,
    code: CodeView,
    expires_local: String,
    ean_svg: String,
    qr_svg: String,
}

#[derive(Template)]
#[template(path = "hub/requests.html")]
struct RequestsPage {
    t: T,
    csrf: String,
    requests: Vec<RequestView>,
    error: Option<String>,
    notice: Option<String>,
}

async fn home(State(state): State<HubState>, lang: PageLang, headers: axum::http::HeaderMap) -> Response {
    let user = match wallet::user_from_headers(&headers, &state).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Some(user) = user else {
        return lang.page(LoginPage { t: lang.t(None), error: None }.render());
    };
    let docs = match wallet::documents(&state, &user.citizen).await {
        Ok(d) => d.iter().map(|d| wallet::document_view(d, lang.lang)).collect(),
        Err(e) => return e.into_response(),
    };
    let waiting = match wallet::requests(&state, &user.citizen, lang.lang).await {
        Ok(r) => r.iter().filter(|r| r.status == RequestStatus::WaitingConsent).count(),
        Err(e) => return e.into_response(),
    };
    let csrf = user.csrf();
    lang.page(HomePage { t: lang.t(Some(csrf.clone())), name: user.citizen.display_name, csrf, docs, waiting }.render())
}

#[derive(Deserialize)]
struct LoginForm {
    login: String,
    password: String,
}

async fn login(State(state): State<HubState>, lang: PageLang, Form(f): Form<LoginForm>) -> Response {
    let password = Zeroizing::new(f.password);
    match wallet::login(&state, &f.login, &password).await {
        Ok((token, _)) => {
            let ttl = state.config.session_ttl.num_seconds();
            let cookie = format!("{SESSION_COOKIE}={token}; Path=/wallet; HttpOnly; SameSite=Strict; Max-Age={ttl}");
            let mut resp = Redirect::to("/wallet").into_response();
            if let Ok(v) = HeaderValue::from_str(&cookie) {
                resp.headers_mut().insert(header::SET_COOKIE, v);
            }
            resp
        }
        Err(e) => {
            let error = Some(e.message.render(lang.lang));
            lang.page(LoginPage { t: lang.t(None), error }.render())
        }
    }
}

#[derive(Deserialize)]
struct CsrfForm {
    csrf: String,
}

async fn logout(State(state): State<HubState>, PageUser(user): PageUser, Form(f): Form<CsrfForm>) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return ApiError::forbidden().into_response();
    }
    if let Err(e) = state.store.delete_wallet_session(&user.session_hash).await {
        return ApiError::from(e).into_response();
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
    PageUser(user): PageUser,
    Path(doc_type): Path<String>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return ApiError::forbidden().into_response();
    }
    let Ok(t) = DocumentType::parse(&doc_type) else { return ApiError::not_found().into_response() };
    match wallet::issue_code(&state, &user.citizen, t).await {
        Ok(c) => Redirect::to(&format!("/wallet/codes/{}", c.id)).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn code_page(
    State(state): State<HubState>,
    lang: PageLang,
    PageUser(user): PageUser,
    Path(id): Path<Uuid>,
) -> Response {
    let rec = match state.store.code_by_id(id).await {
        Ok(Some(r)) if r.citizen_id == user.citizen.id => r,
        Ok(_) => return ApiError::not_found().into_response(),
        Err(e) => return ApiError::from(e).into_response(),
    };
    let code = wallet::code_view(&state, &rec);
    let (ean_svg, qr_svg) = wallet::code_svgs(&code);
    let expires_local = super::delivery::kyiv_time(code.expires_at).format("%H:%M:%S").to_string();
    lang.page(
        CodePage {
            t: lang.t(Some(user.csrf())),
            document: i18n::text(code.document_type.label_key(), lang.lang).to_owned(),
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
    lang: &PageLang,
    user: &WalletUser,
    error: Option<String>,
    notice: Option<String>,
) -> Response {
    match wallet::requests(state, &user.citizen, lang.lang).await {
        Ok(requests) => {
            let csrf = user.csrf();
            lang.page(RequestsPage { t: lang.t(Some(csrf.clone())), csrf, requests, error, notice }.render())
        }
        Err(e) => e.into_response(),
    }
}

async fn requests_page(
    State(state): State<HubState>,
    lang: PageLang,
    PageUser(user): PageUser,
    Query(q): Query<Done>,
) -> Response {
    let notice = match q.done.as_deref() {
        Some("approved") => Some(i18n::text("wallet.requests.approved", lang.lang).to_owned()),
        Some("declined") => Some(i18n::text("wallet.requests.declined", lang.lang).to_owned()),
        _ => None,
    };
    render_requests(&state, &lang, &user, None, notice).await
}

#[derive(Deserialize)]
struct ApproveForm {
    csrf: String,
    pin: String,
}

async fn approve(
    State(state): State<HubState>,
    lang: PageLang,
    PageUser(user): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<ApproveForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return ApiError::forbidden().into_response();
    }
    let pin = Zeroizing::new(f.pin);
    match wallet::approve(&state, &user.citizen, id, &pin).await {
        Ok(_) => Redirect::to("/wallet/requests?done=approved").into_response(),
        Err(e) => render_requests(&state, &lang, &user, Some(e.message.render(lang.lang)), None).await,
    }
}

async fn decline(
    State(state): State<HubState>,
    lang: PageLang,
    PageUser(user): PageUser,
    Path(id): Path<Uuid>,
    Form(f): Form<CsrfForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return ApiError::forbidden().into_response();
    }
    match wallet::decline(&state, &user.citizen, id).await {
        Ok(_) => Redirect::to("/wallet/requests?done=declined").into_response(),
        Err(e) => render_requests(&state, &lang, &user, Some(e.message.render(lang.lang)), None).await,
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
async fn open_offer(State(state): State<HubState>, PageUser(user): PageUser, Path(token): Path<String>) -> Response {
    match state.store.claim_deeplink(&super::token_hash(&token), user.citizen.id, chrono::Utc::now()).await {
        Ok(Some(id)) => {
            if let Ok(Some(r)) = state.store.request(id).await
                && let (Ok(Some(a)), Ok(Some(b))) =
                    (state.store.acquirer(&r.acquirer_id).await, state.store.branch(&r.branch_id).await)
            {
                state.notify(super::WalletEvent {
                    citizen_id: user.citizen.id,
                    request: id,
                    acquirer: a.name,
                    branch: b.name,
                    document_type: r.document_type.code().into(),
                    document: i18n::text(r.document_type.label_key(), Lang::Uk).into(),
                    status: r.status.code().into(),
                });
            }
            Redirect::to(&format!("/wallet/requests#r-{id}")).into_response()
        }
        Ok(None) => ApiError::not_found().into_response(),
        Err(e) => ApiError::from(e).into_response(),
    }
}
