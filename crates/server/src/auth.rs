//! Who is calling: an API token (`Authorization: Bearer …`) or the staff's
//! session cookie, resolved by `dossier_app::staff` to a [`Caller`]. A
//! cookie-authenticated request that changes something must carry the
//! session's CSRF token.
use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use dossier_app::{App, AppError, Caller, ErrorKind, Via, staff};
use dossier_crypto::secrets::constant_time_eq;
use dossier_http::cookies::cookie;

use crate::error::ApiError;

/// `__Host-` binds the cookie to this exact origin, HTTPS-only, path `/`.
pub const SESSION_COOKIE: &str = "__Host-dossier";
pub const CSRF_HEADER: &str = "x-csrf-token";

pub fn session_cookie(token: &str, max_age_secs: i64) -> String {
    format!("{SESSION_COOKIE}={token}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={max_age_secs}")
}

pub fn clear_session_cookie() -> String {
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0")
}

/// An answer that also sets (or clears) the session cookie.
pub struct WithCookie<T>(pub String, pub T);

impl<T: axum::response::IntoResponse> axum::response::IntoResponse for WithCookie<T> {
    fn into_response(self) -> axum::response::Response {
        ([(header::SET_COOKIE, self.0)], self.1).into_response()
    }
}

impl<T: aide::OperationOutput> aide::OperationOutput for WithCookie<T> {
    type Inner = T::Inner;

    fn operation_response(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Option<aide::openapi::Response> {
        T::operation_response(ctx, operation)
    }

    fn inferred_responses(
        ctx: &mut aide::generate::GenContext,
        operation: &mut aide::openapi::Operation,
    ) -> Vec<(Option<u16>, aide::openapi::Response)> {
        T::inferred_responses(ctx, operation)
    }
}

/// The signed-in caller of an API call or a page.
pub struct Auth(pub Caller);

impl FromRequestParts<Arc<App>> for Auth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let bearer = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let caller = match (bearer, cookie(&parts.headers, SESSION_COOKIE)) {
            (Some(token), _) => staff::by_token(app, token).await?,
            (None, Some(token)) => staff::by_session(app, token).await?,
            (None, None) => None,
        };
        let caller = caller.ok_or_else(AppError::unauthenticated)?;
        if let Via::Session { csrf, .. } = &caller.via {
            check_csrf_header(parts, csrf)?;
        }
        Ok(Auth(caller))
    }
}

/// An operation that needs a caller accepts an API token or the session
/// cookie (schemes `bearer` and `session` of the document).
impl aide::OperationInput for Auth {
    fn operation_input(_: &mut aide::generate::GenContext, operation: &mut aide::openapi::Operation) {
        for scheme in [BEARER_SCHEME, SESSION_SCHEME] {
            operation.security.push(indexmap::IndexMap::from_iter([(scheme.to_owned(), Vec::new())]));
        }
    }

    fn inferred_early_responses(
        ctx: &mut aide::generate::GenContext,
        _: &mut aide::openapi::Operation,
    ) -> Vec<(Option<u16>, aide::openapi::Response)> {
        use dossier_http::openapi::problem_answer;
        vec![
            (Some(401), problem_answer(ctx, "No valid API token or session (`unauthenticated`)")),
            (
                Some(403),
                problem_answer(
                    ctx,
                    "The caller's role may not do this, or the CSRF token is missing (`forbidden`, `csrf`)",
                ),
            ),
        ]
    }
}

/// The document's names of the two ways to authenticate.
pub const BEARER_SCHEME: &str = "bearer";
pub const SESSION_SCHEME: &str = "session";

/// A cookie-authenticated request that changes something carries the session's
/// CSRF token: API calls in the `X-CSRF-Token` header, the pages' HTML forms in
/// their `csrf` field (checked by the page, which is why only non-API form
/// posts skip the header here).
fn check_csrf_header(parts: &Parts, csrf: &str) -> Result<(), AppError> {
    let unsafe_method = !matches!(parts.method.as_str(), "GET" | "HEAD" | "OPTIONS");
    let is_page_form = !parts.uri.path().starts_with("/api/")
        && parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|ct| {
            ct.starts_with("application/x-www-form-urlencoded") || ct.starts_with("multipart/form-data")
        });
    if unsafe_method && !is_page_form {
        let sent = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()).unwrap_or("");
        if !constant_time_eq(sent, csrf) {
            return Err(AppError::new(ErrorKind::Forbidden, "csrf", "common.csrf"));
        }
    }
    Ok(())
}

/// The status of a refusal for pages that need it (the login form).
pub fn status(e: &AppError) -> StatusCode {
    crate::error::status_of(e.kind)
}
