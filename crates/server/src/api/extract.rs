//! Body, query and path extractors whose rejections are problem+json instead
//! of axum's plain-text defaults, and which document what they read.
use aide::OperationInput;
use aide::generate::GenContext;
use aide::openapi::{Operation, Response as DocResponse};
use axum::body::Bytes;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use std::sync::Arc;

use dossier_app::{App, AppError, ErrorKind};
use dossier_domain::Message;
use dossier_http::json::{self, BodyError};
use dossier_http::openapi::problem_answer;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON body.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        json::read(req, state).await.map(ApiJson).map_err(|e| match e {
            BodyError::NotJson => ApiError(AppError::new(
                ErrorKind::UnsupportedMedia,
                "unsupported_media_type",
                Message::new("common.unsupported_media").with("detail", "expected application/json"),
            )),
            BodyError::TooLarge => too_large(),
            BodyError::Malformed(detail) => malformed(detail),
        })
    }
}

fn too_large() -> ApiError {
    ApiError(AppError::new(ErrorKind::TooLarge, "payload_too_large", "common.payload_too_large"))
}

fn malformed(detail: String) -> ApiError {
    ApiError(AppError::bad_request(Message::new("common.malformed_json").with("detail", detail)))
}

impl<T: JsonSchema> OperationInput for ApiJson<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::Json::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![
            (Some(400), problem_answer(ctx, "The body is not JSON of this shape (`malformed_request`)")),
            (Some(413), problem_answer(ctx, "The body is too large (`payload_too_large`)")),
            (Some(415), problem_answer(ctx, "The body is not `application/json` (`unsupported_media_type`)")),
        ]
    }
}

/// A JSON body that may also be empty (then `T::default()`).
pub struct OptionalJson<T>(pub T);

impl<T: DeserializeOwned + Default, S: Send + Sync> FromRequest<S> for OptionalJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let body = Bytes::from_request(req, state).await.map_err(|_| too_large())?;
        if body.is_empty() {
            return Ok(OptionalJson(T::default()));
        }
        json::parse(&body).map(OptionalJson).map_err(malformed)
    }
}

impl<T: JsonSchema> OperationInput for OptionalJson<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::Json::<T>::operation_input(ctx, operation);
        if let Some(aide::openapi::ReferenceOr::Item(body)) = operation.request_body.as_mut() {
            body.required = false;
        }
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(400), problem_answer(ctx, "The body is not JSON of this shape (`malformed_request`)"))]
    }
}

/// A query string.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Query::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Query(v)) => Ok(ApiQuery(v)),
            Err(rej) => Err(ApiError(query_rejection(rej))),
        }
    }
}

fn query_rejection(rej: QueryRejection) -> AppError {
    AppError::bad_request(Message::new("common.malformed_request").with("detail", rej.body_text()))
}

impl<T: JsonSchema> OperationInput for ApiQuery<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Query::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(400), problem_answer(ctx, "A query parameter has the wrong type (`malformed_request`)"))]
    }
}

/// Path parameters: what does not parse (an id that is not a UUID, an
/// unknown picture kind) names nothing here, so it is a clean 404.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match axum::extract::Path::<T>::from_request_parts(parts, state).await {
            Ok(axum::extract::Path(v)) => Ok(ApiPath(v)),
            Err(_) => Err(ApiError(AppError::not_found())),
        }
    }
}

impl<T: JsonSchema> OperationInput for ApiPath<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Path::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(404), problem_answer(ctx, "Nothing here, or nothing the caller may see (`not_found`)"))]
    }
}

/// `{id}`: a person, application, certificate, act, card, request… by its UUID.
#[derive(serde::Deserialize, JsonSchema)]
pub struct Id {
    pub id: uuid::Uuid,
}

/// The address the request came from, as a counter key for limits on
/// guessable look-ups (never logged). Without connection info (requests
/// made in process, as tests do) all share one key. Behind a balancer the
/// connection is the balancer's, so when it is one of the configured
/// `trusted_proxies` the client is the nearest `X-Forwarded-For` hop that is
/// not itself trusted — what a client writes there itself sits further left
/// and is never taken.
pub struct ClientAddr(pub String);

/// Documents nothing: the address is the connection's.
impl OperationInput for ClientAddr {}

impl FromRequestParts<Arc<App>> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, app: &Arc<App>) -> Result<Self, Self::Rejection> {
        let peer = parts.extensions.get::<axum::extract::ConnectInfo<std::net::SocketAddr>>().map(|c| c.0.ip());
        let client = peer.map(|ip| client_behind(ip, &parts.headers, &app.config().trusted_proxies));
        Ok(ClientAddr(client.map_or_else(|| "local".to_owned(), |ip| ip.to_string())))
    }
}

/// The client's address given the connection's `peer` and the proxies trusted to say who they forward.
pub fn client_behind(
    peer: std::net::IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> std::net::IpAddr {
    if !trusted.contains(&peer) {
        return peer;
    }
    // Every X-Forwarded-For line in order, each a comma-separated list: the right end is nearest.
    let hops: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    for hop in hops.iter().rev() {
        match hop.parse::<std::net::IpAddr>() {
            Ok(ip) if trusted.contains(&ip) => continue,
            Ok(ip) => return ip,
            // A hop that is not an address: nothing to its left can be believed.
            Err(_) => return peer,
        }
    }
    peer
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::IpAddr;

    fn headers(lines: &[&str]) -> axum::http::HeaderMap {
        let mut h = axum::http::HeaderMap::new();
        for l in lines {
            h.append("x-forwarded-for", l.parse().unwrap());
        }
        h
    }

    #[test]
    fn the_client_is_the_nearest_hop_no_trusted_proxy_vouches_for_itself() {
        let ip = |s: &str| s.parse::<IpAddr>().unwrap();
        let balancer = [ip("10.0.0.5")];
        // Straight from a client: its own header is ignored.
        assert_eq!(client_behind(ip("198.51.100.9"), &headers(&["1.2.3.4"]), &balancer), ip("198.51.100.9"));
        // Through the balancer: the hop it added.
        assert_eq!(client_behind(ip("10.0.0.5"), &headers(&["203.0.113.7"]), &balancer), ip("203.0.113.7"));
        // A client that writes its own header cannot hide behind it: the balancer's hop is nearer.
        let spoofed = headers(&["1.2.3.4", "203.0.113.7"]);
        assert_eq!(client_behind(ip("10.0.0.5"), &spoofed, &balancer), ip("203.0.113.7"));
        assert_eq!(client_behind(ip("10.0.0.5"), &headers(&["1.2.3.4, 203.0.113.7"]), &balancer), ip("203.0.113.7"));
        // Two trusted proxies in a row, and a balancer that added nothing.
        let two = [ip("10.0.0.5"), ip("10.0.0.6")];
        assert_eq!(client_behind(ip("10.0.0.5"), &headers(&["203.0.113.7, 10.0.0.6"]), &two), ip("203.0.113.7"));
        assert_eq!(client_behind(ip("10.0.0.5"), &headers(&[]), &balancer), ip("10.0.0.5"));
        assert_eq!(client_behind(ip("10.0.0.5"), &headers(&["garbage"]), &balancer), ip("10.0.0.5"));
    }
}
