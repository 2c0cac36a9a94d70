//! Static files compiled into the binary (CSS, scripts): no file system at run time.
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};

/// A compiled-in file. Pages link assets with a version in the URL (`?v=`),
/// so they may be cached for a year and are refreshed on upgrade.
pub fn asset(body: &'static str, content_type: &'static str) -> Response {
    let mut resp = body.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    resp
}
