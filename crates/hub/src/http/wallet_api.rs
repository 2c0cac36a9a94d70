//! The wallet's JSON API under `/wallet/api/…`, used by `dossier wallet`:
//! the same service functions as the pages.
use aide::OperationInput;
use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use aide::generate::GenContext;
use aide::openapi::{Operation, Response as DocResponse};
use axum::Json;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use dossier_domain::sharing::DocumentType;
use dossier_domain::{Lang, Message};
use dossier_http::Problem;
use dossier_http::json;
use dossier_http::openapi::problem_answer;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use super::session::WalletUser;
use crate::HubState;
use crate::documents::{DocumentView, document_view};
use crate::wallet::{self, CodeView, RequestView, WalletResult};

pub fn routes() -> ApiRouter<HubState> {
    ApiRouter::new()
        .api_route("/wallet/api/login", post_with(api_login, |o| o.summary("Sign in to the wallet: a session token")))
        .api_route("/wallet/api/documents", get_with(api_documents, |o| o.summary("The citizen's documents")))
        .api_route(
            "/wallet/api/codes",
            post_with(api_code, |o| o.summary("Make a one-time 13-digit code to share a document")),
        )
        .api_route(
            "/wallet/api/requests",
            get_with(api_requests, |o| o.summary("Requests for the citizen's documents, newest first")),
        )
        .api_route(
            "/wallet/api/signature-requests",
            get_with(api_signature_requests, |o| {
                o.summary("Texts institutions asked the citizen to sign, still waiting, newest first")
            }),
        )
        .api_route(
            "/wallet/api/requests/{id}/approve",
            post_with(api_approve, |o| o.summary("Consent: sign the request with the key's PIN; the copy is sent")),
        )
        .api_route(
            "/wallet/api/requests/{id}/decline",
            post_with(api_decline, |o| o.summary("Decline a request; nothing is shared")),
        )
}

/// The document's name for the wallet's session token.
pub const SCHEME: &str = "wallet";

/// The signed-in citizen (documented as the `wallet` bearer token).
impl OperationInput for WalletUser {
    fn operation_input(_: &mut GenContext, operation: &mut Operation) {
        operation.security.push(indexmap::IndexMap::from_iter([(SCHEME.to_owned(), Vec::new())]));
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(401), problem_answer(ctx, "No valid wallet session (`unauthenticated`)"))]
    }
}

/// A JSON body; one that is not is refused as `malformed_request`.
struct Body<T>(T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Problem;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        json::read(req, state)
            .await
            .map(Body)
            .map_err(|e| Problem::bad_request(Message::new("wallet.bad_body").with("reason", e)))
    }
}

impl<T: JsonSchema> OperationInput for Body<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        Json::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        vec![(Some(400), problem_answer(ctx, "The body is not JSON of this shape (`malformed_request`)"))]
    }
}

/// `{id}`: one of the citizen's requests; anything else names nothing (404).
struct RequestId(Uuid);

#[derive(Deserialize, JsonSchema)]
struct RequestIdPath {
    id: Uuid,
}

impl<S: Send + Sync> FromRequestParts<S> for RequestId {
    type Rejection = Problem;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<RequestIdPath>::from_request_parts(parts, state)
            .await
            .map(|p| RequestId(p.0.id))
            .map_err(|_| Problem::not_found())
    }
}

impl OperationInput for RequestId {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        axum::extract::Path::<RequestIdPath>::operation_input(ctx, operation);
    }
}

#[derive(Deserialize, JsonSchema)]
struct LoginBody {
    /// The citizen's RNOKPP.
    login: String,
    password: String,
}

/// A wallet session.
#[derive(Serialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct Session {
    /// Send it as `Authorization: Bearer …`.
    token: String,
    display_name: String,
}

async fn api_login(State(state): State<HubState>, Body(b): Body<LoginBody>) -> WalletResult<Json<Session>> {
    let (token, citizen) = wallet::login(&state, &b.login, &b.password).await?;
    Ok(Json(Session { token, display_name: citizen.display_name }))
}

async fn api_documents(State(state): State<HubState>, user: WalletUser) -> WalletResult<Json<Vec<DocumentView>>> {
    let docs = wallet::documents(&state, &user.citizen).await?;
    Ok(Json(docs.iter().map(|d| document_view(d, Lang::UK)).collect()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct CodeBody {
    /// The document to share; the citizen must hold one.
    #[schemars(with = "DocumentType")]
    document_type: String,
}

async fn api_code(
    State(state): State<HubState>,
    user: WalletUser,
    Body(b): Body<CodeBody>,
) -> WalletResult<Json<CodeView>> {
    let t = DocumentType::parse(&b.document_type).map_err(Problem::bad_request)?;
    Ok(Json(wallet::issue_code(&state, &user.citizen, t).await?))
}

async fn api_requests(State(state): State<HubState>, user: WalletUser) -> WalletResult<Json<Vec<RequestView>>> {
    Ok(Json(wallet::requests(&state, &user.citizen, Lang::UK).await?))
}

async fn api_signature_requests(
    State(state): State<HubState>,
    user: WalletUser,
) -> WalletResult<Json<Vec<crate::signature::WaitingView>>> {
    Ok(Json(crate::signature::waiting_list(&state, &user.citizen).await?))
}

#[derive(Deserialize, JsonSchema)]
struct PinBody {
    /// The PIN of the citizen's signing key.
    pin: String,
}

async fn api_approve(
    State(state): State<HubState>,
    user: WalletUser,
    RequestId(id): RequestId,
    Body(b): Body<PinBody>,
) -> WalletResult<Json<RequestView>> {
    let pin = Zeroizing::new(b.pin);
    Ok(Json(wallet::approve(&state, &user.citizen, id, &pin).await?))
}

async fn api_decline(
    State(state): State<HubState>,
    user: WalletUser,
    RequestId(id): RequestId,
) -> WalletResult<Json<RequestView>> {
    Ok(Json(wallet::decline(&state, &user.citizen, id).await?))
}
