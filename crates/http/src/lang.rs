//! The request's language, decided once per request by [`localize`]: from
//! `?lang=`, then the service's language cookie, then (where the service
//! wants it) `Accept-Language`, else Ukrainian. Handlers read it with the
//! [`ReqLang`] extractor; answers that can be told in any language (problems,
//! error pages) carry a [`Localize`] and are rendered again in it here, so no
//! error has to be told the language on its way out.
use std::sync::Arc;

use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use dossier_domain::Lang;

use crate::cookies::cookie;

/// How a service decides a request's language.
#[derive(Debug, Clone, Copy)]
pub struct LangPolicy {
    /// The cookie that remembers the person's choice.
    pub cookie: &'static str,
    /// Whether the browser's `Accept-Language` counts when there is no choice yet.
    pub accept_language: bool,
    /// Whether a `?lang=` choice is remembered in the cookie by the answer.
    pub remember_query: bool,
}

/// The language the request is answered in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReqLang(pub Lang);

/// Documents nothing: the language comes from the layer, which reads `?lang=`,
/// a cookie or `Accept-Language` for every route alike.
impl aide::OperationInput for ReqLang {}

impl<S: Send + Sync> FromRequestParts<S> for ReqLang {
    type Rejection = std::convert::Infallible;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts.extensions.get::<ReqLang>().copied().unwrap_or_default())
    }
}

/// The language of `?lang=` in a query string.
fn query_lang(query: Option<&str>) -> Option<Lang> {
    query?.split('&').filter_map(|kv| kv.strip_prefix("lang=")).find_map(Lang::from_tag)
}

/// Decides the language of a request; `true` when it was chosen in the query.
pub fn negotiate(parts: &Parts, policy: &LangPolicy) -> (Lang, bool) {
    if let Some(l) = query_lang(parts.uri.query()) {
        return (l, true);
    }
    if let Some(l) = cookie(&parts.headers, policy.cookie).and_then(Lang::from_tag) {
        return (l, false);
    }
    let accepted = policy
        .accept_language
        .then(|| parts.headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(Lang::negotiate))
        .flatten();
    (accepted.unwrap_or_default(), false)
}

/// An answer that can be rendered again in another language.
#[derive(Clone)]
pub struct Localize(Arc<dyn Fn(Lang) -> Response + Send + Sync>);

impl Localize {
    /// Attaches `render` to `resp` (which is `render` in the default language).
    pub fn attach(mut resp: Response, render: impl Fn(Lang) -> Response + Send + Sync + 'static) -> Response {
        resp.extensions_mut().insert(Localize(Arc::new(render)));
        resp
    }
}

/// The middleware: decides the language, hands it to the handlers, renders
/// localizable answers in it, and remembers a `?lang=` choice if the policy
/// says so.
pub async fn localize(State(policy): State<LangPolicy>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let (lang, from_query) = negotiate(&parts, &policy);
    parts.extensions.insert(ReqLang(lang));
    let mut resp = next.run(Request::from_parts(parts, body)).await;
    if let Some(Localize(render)) = resp.extensions_mut().remove::<Localize>()
        && lang != Lang::default()
    {
        resp = render(lang);
    }
    if from_query
        && policy.remember_query
        && let Ok(v) =
            HeaderValue::from_str(&format!("{}={}; Path=/; SameSite=Lax; Max-Age=31536000", policy.cookie, lang.code()))
    {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

#[cfg(test)]
mod tests {
    use axum::Router;
    use axum::body::Body;
    use axum::http::StatusCode;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;
    use crate::problem::Problem;

    const POLICY: LangPolicy = LangPolicy { cookie: "l", accept_language: true, remember_query: false };

    fn parts(uri: &str, headers: &[(&str, &str)]) -> Parts {
        let mut b = axum::http::Request::builder().uri(uri);
        for (k, v) in headers {
            b = b.header(*k, *v);
        }
        b.body(()).unwrap().into_parts().0
    }

    #[test]
    fn the_query_wins_then_the_cookie_then_the_browser() {
        assert_eq!(negotiate(&parts("/?lang=en", &[("cookie", "l=uk")]), &POLICY), (Lang::EN, true));
        assert_eq!(negotiate(&parts("/", &[("cookie", "l=en"), ("accept-language", "uk")]), &POLICY).0, Lang::EN);
        assert_eq!(negotiate(&parts("/", &[("accept-language", "en-GB,en;q=0.9")]), &POLICY).0, Lang::EN);
        let no_browser = LangPolicy { accept_language: false, ..POLICY };
        assert_eq!(negotiate(&parts("/", &[("accept-language", "en")]), &no_browser).0, Lang::UK);
    }

    #[tokio::test]
    async fn a_problem_is_told_in_the_requests_language() {
        let app = Router::new()
            .route("/", get(|| async { Problem::not_found() }))
            .layer(axum::middleware::from_fn_with_state(POLICY, localize));
        let resp = app.oneshot(axum::http::Request::get("/?lang=en").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(resp.status(), StatusCode::NOT_FOUND);
        let body = axum::body::to_bytes(resp.into_body(), 1 << 16).await.unwrap();
        let v: serde_json::Value = serde_json::from_slice(&body).unwrap();
        assert_eq!(v["title"], dossier_domain::i18n::text("common.not_found", Lang::EN));
        assert_eq!(v["detail"]["uk"], dossier_domain::i18n::text("common.not_found", Lang::UK));
    }
}
