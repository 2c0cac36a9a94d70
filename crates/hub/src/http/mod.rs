//! The hub over HTTP: the acquirer API funds call, the wallet's JSON API
//! (`dossier wallet`) and the wallet's pages, each calling the hub's service.
pub mod acquirer;
pub mod pages;
pub mod session;
pub mod wallet_api;

use axum::Router;

use crate::HubState;

/// How the wallet decides a request's language: `?lang=` (remembered), then its cookie.
pub const LANG: dossier_http::LangPolicy =
    dossier_http::LangPolicy { cookie: "wallet_lang", accept_language: false, remember_query: true };

/// The acquirer API, the wallet pages and its JSON API, in the request's language.
pub fn router(state: HubState) -> Router {
    let routes = Router::new()
        .merge(acquirer::routes())
        .merge(wallet_api::routes())
        .merge(pages::routes())
        .route("/", axum::routing::get(|| async { axum::response::Redirect::to("/wallet") }))
        .layer(axum::middleware::from_fn_with_state(LANG, dossier_http::lang::localize))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(256 * 1024));
    dossier_http::headers::secured(routes).with_state(state)
}
