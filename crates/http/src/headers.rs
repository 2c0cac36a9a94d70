//! The security headers every answer carries, unless a handler set its own.
use std::convert::Infallible;

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::response::Response;
use tower::Service;
use tower_http::set_header::SetResponseHeaderLayer;

/// The content security policy of every page: only this origin's scripts,
/// styles and forms (inline SVG and `data:` images for photos and codes), and
/// no framing by another site (`frame-ancestors`, with `X-Frame-Options` for
/// older browsers).
pub const CSP: &str = "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'";

/// No MIME sniffing, no framing, the content security policy, and no caching
/// of pages: every HTML answer of both services may hold personal data (a
/// dossier, a consent to approve), so a shared or back-buttoned browser must
/// not keep it.
///
/// The headers wrap the whole finished service once, around its routing,
/// not each route as `Router::layer` would: axum clones a route's layered
/// stack at every layer on every call, and these layers need nothing the
/// routing decides (BENCHMARKS.md, "Look-up at 1 M people"). So does any
/// other layer a caller hands in with `service`.
pub fn secured<S>(service: S) -> Router
where
    S: Service<Request, Response = Response, Error = Infallible> + Clone + Send + Sync + 'static,
    S::Future: Send + 'static,
{
    let stack = tower::ServiceBuilder::new()
        .layer(SetResponseHeaderLayer::if_not_present(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(CSP)))
        .layer(SetResponseHeaderLayer::if_not_present(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(axum::middleware::map_response(pages_are_not_stored))
        .service(service);
    Router::new().fallback_service(stack)
}

async fn pages_are_not_stored(mut resp: Response) -> Response {
    let html = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim_start().get(..9))
        .is_some_and(|v| v.eq_ignore_ascii_case("text/html"));
    if html && !resp.headers().contains_key(header::CACHE_CONTROL) {
        resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    resp
}

/// What a test expects of every HTML page: the headers above. Returns what is
/// missing or wrong, by name.
pub fn page_header_problems(headers: &axum::http::HeaderMap) -> Vec<String> {
    let has = |name: header::HeaderName, want: &str| {
        headers.get(&name).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains(want))
    };
    let mut missing = vec![];
    for (name, want) in [
        (header::CONTENT_SECURITY_POLICY, "frame-ancestors 'none'"),
        (header::CONTENT_SECURITY_POLICY, "default-src 'self'"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::CACHE_CONTROL, "no-store"),
    ] {
        if !has(name.clone(), want) {
            missing.push(format!("{name}: {want}"));
        }
    }
    missing
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::Request;
    use axum::routing::get;
    use tower::ServiceExt;

    use super::*;

    #[tokio::test]
    async fn pages_get_every_header_and_other_answers_keep_their_caching() {
        let app = secured(
            Router::new()
                .route("/page", get(|| async { axum::response::Html("<p>hi</p>") }))
                .route("/asset", get(|| async { ([(header::CACHE_CONTROL, "public, max-age=60")], "x") })),
        );
        let missing = app.clone().oneshot(Request::get("/nowhere").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(missing.status(), axum::http::StatusCode::NOT_FOUND);
        assert_eq!(missing.headers()[header::X_CONTENT_TYPE_OPTIONS], "nosniff", "the router's own answers too");
        let page = app.clone().oneshot(Request::get("/page").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(page_header_problems(page.headers()), Vec::<String>::new());
        let asset = app.oneshot(Request::get("/asset").body(Body::empty()).unwrap()).await.unwrap();
        assert_eq!(asset.headers()[header::CACHE_CONTROL], "public, max-age=60");
        assert_eq!(asset.headers()[header::X_FRAME_OPTIONS], "DENY");
    }
}
