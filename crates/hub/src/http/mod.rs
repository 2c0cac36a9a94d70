//! The hub over HTTP: the acquirer API funds call, the wallet's JSON API
//! (`dossier wallet`) and the wallet's pages, each calling the hub's service.
//! The two APIs and their OpenAPI document (`/api/openapi.json`) are built
//! together from the handlers' types (`dossier_http::openapi`).
pub mod acquirer;
pub mod login;
pub mod pages;
pub mod session;
pub mod sign;
pub mod wallet_api;

use aide::axum::ApiRouter;
use aide::openapi::SecurityScheme;
use aide::transform::TransformOpenApi;
use axum::Router;

use crate::HubState;

/// How the wallet decides a request's language: `?lang=` (remembered), then its cookie.
pub const LANG: dossier_http::LangPolicy =
    dossier_http::LangPolicy { cookie: "wallet_lang", accept_language: false, remember_query: true };

/// The acquirer API, the wallet pages and its JSON API, in the request's language.
pub fn router(state: HubState) -> Router {
    let routes = dossier_http::openapi::finish(api, describe)
        .merge(pages::routes())
        .merge(login::routes())
        .merge(sign::routes())
        .route("/", axum::routing::get(|| async { axum::response::Redirect::to("/wallet") }))
        .layer(axum::middleware::from_fn_with_state(LANG, dossier_http::lang::localize))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(256 * 1024));
    dossier_http::headers::secured(routes.with_state(state))
}

fn api() -> ApiRouter<HubState> {
    ApiRouter::new()
        .merge(acquirer::routes().with_path_items(|i| i.tag("acquirers")))
        .merge(wallet_api::routes().with_path_items(|i| i.tag("wallet")))
}

fn describe(doc: TransformOpenApi) -> TransformOpenApi {
    let bearer = |description: &str| SecurityScheme::Http {
        scheme: "bearer".into(),
        bearer_format: None,
        description: Some(description.into()),
        extensions: Default::default(),
    };
    doc.title("Dossier wallet hub API")
        .version(env!("CARGO_PKG_VERSION"))
        .description(
            "The citizens' wallet hub as Dossier plays it: the acquirer API funds call to ask for a document by \
             the code the citizen's wallet shows, or to have a citizen sign a text in the wallet (refusals in the \
             API's own `{success:false, error}` shape), and the wallet's JSON API (refusals as RFC 9457 problem \
             details).",
        )
        .security_scheme(acquirer::SCHEME, bearer("The acquirer's token, `<acquirer id>.<secret>`"))
        .security_scheme(wallet_api::SCHEME, bearer("A wallet session (`POST /wallet/api/login`)"))
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_operation_is_documented_with_its_answers_and_parameters() {
        let (_, doc) = dossier_http::openapi::generate(super::api, super::describe);
        assert_eq!(dossier_http::openapi::check_document(&doc), Vec::<String>::new());
        let operations: usize =
            doc["paths"].as_object().map_or(0, |p| p.values().map(|i| i.as_object().map_or(0, |o| o.len())).sum());
        assert_eq!(operations, 16, "every route of both APIs is in the document");
        // The acquirer API refuses in its own shape, the wallet's API with problem details.
        let refused = &doc["paths"]["/api/v1/acquirers/document-request"]["post"]["responses"]["default"]["content"];
        assert!(refused["application/json"].is_object(), "{refused}");
        let problem = &doc["paths"]["/wallet/api/codes"]["post"]["responses"]["default"]["content"];
        assert!(problem["application/problem+json"].is_object(), "{problem}");
    }
}
