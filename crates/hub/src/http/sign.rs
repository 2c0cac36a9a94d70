//! The wallet's page where the citizen signs a text a fund sent
//! ([`crate::signature`]): `GET /wallet/sign/{id}` shows who asks, the title
//! and the whole text; `POST` signs it with the key's PIN or declines, then
//! sends the browser back to the fund's return URL with the request's id.
//! Only the citizen the request names sees it; for anyone else, and for an
//! unknown id, there is nothing here (404).
use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Utc;
use dossier_domain::Lang;
use dossier_http::{Problem, ReqLang};
use dossier_sharing::wire::SignatureStatus;
use serde::Deserialize;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::pages::{LoginPage, PageUser, T, csrf_ok, page, refused, t};
use super::session::{WalletUser, user_from_headers};
use crate::HubState;
use crate::signature;
use crate::store::SignatureRecord;

pub fn routes() -> Router<HubState> {
    Router::new().route("/wallet/sign/{id}", get(sign_page).post(decide))
}

#[derive(Template)]
#[template(path = "sign.html")]
struct SignPage {
    t: T,
    csrf: String,
    id: Uuid,
    acquirer: String,
    signer: String,
    title: String,
    document: String,
    /// Until when it can be signed, Kyiv time.
    expires_local: String,
    error: Option<String>,
    /// Why the request can no longer be decided, when it cannot.
    closed: Option<String>,
    /// The way back to the fund, when the request is closed.
    back: Option<String>,
}

/// A request id in the path: the canonical form of a UUID only.
fn parse_id(id: &str) -> Option<Uuid> {
    Uuid::try_parse(id).ok().filter(|u| u.hyphenated().to_string() == id)
}

fn not_found(lang: Lang) -> Response {
    refused(lang, StatusCode::NOT_FOUND, "wallet.error.not_found")
}

/// The page of a request, as it stands now.
async fn render(
    state: &HubState,
    lang: Lang,
    user: &WalletUser,
    rec: &SignatureRecord,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let acquirer = match state.store.acquirer(&rec.acquirer_id).await {
        Ok(Some(a)) => a.name,
        Ok(None) => return Problem::internal().into_response(),
        Err(e) => return Problem::from(e).into_response(),
    };
    let now = Utc::now();
    let open = rec.status_at(now) == SignatureStatus::Waiting;
    let csrf = user.csrf();
    let body = SignPage {
        t: t(lang, Some(csrf.clone())),
        csrf,
        id: rec.id,
        acquirer,
        signer: user.citizen.display_name.clone(),
        title: rec.title.clone(),
        document: rec.document.clone(),
        expires_local: crate::delivery::kyiv_time(rec.expires_at).format("%d.%m.%Y %H:%M").to_string(),
        error,
        closed: (!open).then(|| signature::closed(rec.status_at(now)).message.render(lang)),
        back: (!open).then(|| signature::return_to(&rec.return_url, rec.id)),
    };
    let mut resp = (status, page(body.render())).into_response();
    // The form posts here and the answer redirects to the fund: its origin is
    // a form target too (CSP `form-action` applies to the redirect).
    if let Some(origin) = signature::return_origin(&rec.return_url)
        && let Ok(v) = HeaderValue::from_str(&format!("{} {origin}", dossier_http::headers::CSP))
    {
        resp.headers_mut().insert(header::CONTENT_SECURITY_POLICY, v);
    }
    resp
}

/// The page; without a wallet session, the login first and then back here.
async fn sign_page(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    let Some(id) = parse_id(&id) else { return not_found(lang) };
    let user = match user_from_headers(&headers, &state).await {
        Ok(u) => u,
        Err(e) => return e.into_response(),
    };
    let Some(user) = user else {
        // The login form takes exactly this path as its `next`.
        return page(LoginPage::render_for(lang, None, Some(format!("/wallet/sign/{id}"))));
    };
    match signature::of_citizen(&state, &user.citizen, id).await {
        Ok(rec) => render(&state, lang, &user, &rec, None, StatusCode::OK).await,
        Err(e) if e.status == StatusCode::NOT_FOUND => not_found(lang),
        Err(e) => e.into_response(),
    }
}

#[derive(Deserialize)]
struct SignForm {
    csrf: String,
    /// `sign` or `decline`.
    decision: String,
    #[serde(default)]
    pin: Option<String>,
}

async fn decide(
    State(state): State<HubState>,
    ReqLang(lang): ReqLang,
    PageUser(user): PageUser,
    Path(id): Path<String>,
    Form(f): Form<SignForm>,
) -> Response {
    if !csrf_ok(&user, &f.csrf) {
        return refused(lang, StatusCode::FORBIDDEN, "wallet.error.forbidden");
    }
    let Some(id) = parse_id(&id) else { return not_found(lang) };
    let pin = Zeroizing::new(f.pin.unwrap_or_default());
    let done = match f.decision.as_str() {
        "sign" => signature::sign(&state, &user.citizen, id, &pin).await,
        "decline" => signature::decline(&state, &user.citizen, id).await,
        _ => return refused(lang, StatusCode::BAD_REQUEST, "wallet.error.forbidden"),
    };
    let e = match done {
        Ok(rec) => return Redirect::to(&signature::return_to(&rec.return_url, rec.id)).into_response(),
        Err(e) => e,
    };
    if e.status == StatusCode::NOT_FOUND {
        return not_found(lang);
    }
    if e.status.is_server_error() {
        return e.into_response();
    }
    // The page again: with the PIN's refusal, or saying why it is closed
    // (no redirect: a closed request is told, not retried).
    match signature::of_citizen(&state, &user.citizen, id).await {
        Ok(rec) => {
            let closed = rec.status_at(Utc::now()) != SignatureStatus::Waiting;
            let error = (!closed).then(|| e.message.render(lang));
            render(&state, lang, &user, &rec, error, e.status).await
        }
        Err(_) => e.into_response(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_page_s_policy_can_name_one_more_form_target() {
        assert!(dossier_http::headers::CSP.ends_with("form-action 'self'"));
    }

    #[test]
    fn only_a_canonical_uuid_names_a_request() {
        assert!(super::parse_id("0190a1b2-3c4d-7e5f-8a6b-7c8d9e0f1a2b").is_some());
        assert!(super::parse_id("0190A1B2-3C4D-7E5F-8A6B-7C8D9E0F1A2B").is_none());
        assert!(super::parse_id("0190a1b23c4d7e5f8a6b7c8d9e0f1a2b").is_none());
        assert!(super::parse_id("x").is_none());
    }
}
