//! The wallet's JSON API under `/wallet/api/…`, used by `dossier wallet`:
//! the same service functions as the pages.
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use dossier_domain::sharing::DocumentType;
use dossier_domain::{Lang, Message};
use dossier_http::Problem;
use serde::Deserialize;
use uuid::Uuid;
use zeroize::Zeroizing;

use super::session::WalletUser;
use crate::HubState;
use crate::documents::{DocumentView, document_view};
use crate::wallet::{self, CodeView, RequestView, WalletResult};

pub fn routes() -> Router<HubState> {
    Router::new()
        .route("/wallet/api/login", post(api_login))
        .route("/wallet/api/documents", get(api_documents))
        .route("/wallet/api/codes", post(api_code))
        .route("/wallet/api/requests", get(api_requests))
        .route("/wallet/api/requests/{id}/approve", post(api_approve))
        .route("/wallet/api/requests/{id}/decline", post(api_decline))
}

fn body<T>(b: Result<Json<T>, JsonRejection>) -> WalletResult<T> {
    b.map(|Json(v)| v).map_err(|e| Problem::bad_request(Message::new("wallet.bad_body").with("reason", e.body_text())))
}

#[derive(Deserialize)]
struct LoginBody {
    login: String,
    password: String,
}

async fn api_login(
    State(state): State<HubState>,
    b: Result<Json<LoginBody>, JsonRejection>,
) -> WalletResult<Json<serde_json::Value>> {
    let b = body(b)?;
    let (token, citizen) = wallet::login(&state, &b.login, &b.password).await?;
    Ok(Json(serde_json::json!({"token": token, "displayName": citizen.display_name})))
}

async fn api_documents(State(state): State<HubState>, user: WalletUser) -> WalletResult<Json<Vec<DocumentView>>> {
    let docs = wallet::documents(&state, &user.citizen).await?;
    Ok(Json(docs.iter().map(|d| document_view(d, Lang::UK)).collect()))
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CodeBody {
    document_type: String,
}

async fn api_code(
    State(state): State<HubState>,
    user: WalletUser,
    b: Result<Json<CodeBody>, JsonRejection>,
) -> WalletResult<Json<CodeView>> {
    let t = DocumentType::parse(&body(b)?.document_type).map_err(Problem::bad_request)?;
    Ok(Json(wallet::issue_code(&state, &user.citizen, t).await?))
}

async fn api_requests(State(state): State<HubState>, user: WalletUser) -> WalletResult<Json<Vec<RequestView>>> {
    Ok(Json(wallet::requests(&state, &user.citizen, Lang::UK).await?))
}

#[derive(Deserialize)]
struct PinBody {
    pin: String,
}

async fn api_approve(
    State(state): State<HubState>,
    user: WalletUser,
    Path(id): Path<Uuid>,
    b: Result<Json<PinBody>, JsonRejection>,
) -> WalletResult<Json<RequestView>> {
    let pin = Zeroizing::new(body(b)?.pin);
    Ok(Json(wallet::approve(&state, &user.citizen, id, &pin).await?))
}

async fn api_decline(
    State(state): State<HubState>,
    user: WalletUser,
    Path(id): Path<Uuid>,
) -> WalletResult<Json<RequestView>> {
    Ok(Json(wallet::decline(&state, &user.citizen, id).await?))
}
