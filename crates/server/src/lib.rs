//! The fund's HTTP service, and nothing else: every handler parses the
//! request, calls one use case of `dossier_app`, and renders the answer.
//!
//! * `api/` — the JSON API under `/api/v1`; its router and its OpenAPI
//!   document (`/api/openapi.json`) are built together from the handlers;
//! * `web/` — the staff pages (askama templates in `templates/`, assets in
//!   `static/`, labels in `locales/`);
//! * `auth.rs` — who is calling (session cookie with CSRF, or API token);
//! * `error.rs` — how a use case's refusal is answered: problem+json or an error page.
//!
//! The request's language is decided once, by the layer in `dossier_http::lang`.
pub mod api;
pub mod auth;
pub mod error;
pub mod ops;
pub mod web;

use std::sync::Arc;

use axum::Router;
use dossier_app::App;
use tower::Layer;

/// The citizens' login callback, to register with the identity provider.
pub const CITIZEN_CALLBACK: &str = web::account::CALLBACK;

/// Largest accepted request body (CSV uploads included), in bytes.
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// How the fund decides a request's language: `?lang=`, the cookie the
/// language switch sets, then the browser's `Accept-Language`.
pub const LANG: dossier_http::LangPolicy =
    dossier_http::LangPolicy { cookie: "dossier_lang", accept_language: true, remember_query: false };

/// The whole service: API, pages, assets, and the operator's probes.
pub fn router(app: Arc<App>) -> Router {
    let metrics = Arc::new(ops::Metrics::default());
    let routes = Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .route("/healthz", axum::routing::get(ops::healthz))
        .route("/readyz", axum::routing::get(ops::readyz))
        // The counters reach the scrape as an extension of its route alone, and `track` as its state.
        .route("/metrics", axum::routing::get(ops::metrics).layer(axum::Extension(metrics.clone())))
        // These two sit inside the routing, in every route: `track` names the
        // route template, and `localize` must be within `track` (an answer it
        // renders again still gets the request id). The other layers wrap the
        // router once, below.
        .layer(axum::middleware::from_fn_with_state(LANG, dossier_http::lang::localize))
        .layer(axum::middleware::from_fn_with_state(metrics, ops::track));
    let limited = axum::extract::DefaultBodyLimit::max(MAX_BODY_BYTES).layer(routes.with_state(app));
    dossier_http::headers::secured(limited)
}

/// Serves `service` (this crate's [`router`]) on a bound listener until
/// `shutdown` completes. The caller builds the router, so it can give the
/// memory the start freed back to the system before serving (`dossier serve`).
pub async fn serve(
    listener: tokio::net::TcpListener,
    service: Router,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, service.into_make_service_with_connect_info::<std::net::SocketAddr>())
        .with_graceful_shutdown(shutdown)
        .await
}
