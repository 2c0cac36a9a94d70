//! The acquirer API (SPEC §2.1), with the public paths and field names:
//! document requests by code, their status, code identification, branches,
//! offers and the deeplink flow; and Dossier's signature requests
//! ([`crate::signature`]). Authenticated by the acquirer's bearer
//! token `<acquirer id>.<secret>`; the secret's hash is compared in constant
//! time. Refused codes are counted per branch: guessing gets 429.
use schemars::JsonSchema;
use std::time::Duration;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use aide::generate::GenContext;
use aide::openapi::{Operation, Response as DocResponse};
use aide::{OperationInput, OperationOutput};
use axum::Json;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use dossier_crypto::secrets::{random_token, token_hash};
use dossier_domain::sharing::{CodeRefusal, DocumentType, SharingCode};
use dossier_domain::{Lang, Message};
use dossier_http::json;
use dossier_http::openapi::{Created, answer, json_content};
use serde::{Deserialize, Serialize};
use serde_json::json;
use subtle::ConstantTimeEq;

use dossier_sharing::Refusal;
use dossier_sharing::wire::{
    AcquirerAnswer, AcquirerError, BranchCreated, BranchRegistration, DocumentIdentification, DocumentRequest,
    SignatureOutcome, SignatureRequest, SignatureRequestCreated, StatusAnswer,
};

use crate::store::{Acquirer, Branch, CodeRecord, HubActor, NewBranch, NewRequest, NewSignatureRequest, TakeOutcome};
use crate::{HubState, WalletEvent, signature};

pub fn routes() -> ApiRouter<HubState> {
    ApiRouter::new()
        .api_route(
            "/api/v1/acquirers/document-request",
            post_with(document_request, |o| o.summary("Ask for a citizen's document by the code their wallet shows")),
        )
        .api_route(
            "/api/v1/acquirers/document-request/status",
            get_with(request_status, |o| o.summary("A document request's status")),
        )
        .api_route(
            "/api/v1/acquirers/document-identification",
            post_with(identification, |o| o.summary("Which document a code is for, without taking it")),
        )
        .api_route("/api/v1/acquirers/branch", post_with(create_branch, |o| o.summary("Register a branch")))
        .api_route("/api/v1/acquirers/branches", get_with(branches, |o| o.summary("The acquirer's branches")))
        .api_route(
            "/api/v1/acquirers/branch/{id}/offer",
            post_with(create_offer, |o| o.summary("Create an offer: the documents a branch asks for by deeplink")),
        )
        .api_route(
            "/api/v1/acquirers/branch/{id}/offer-request/dynamic",
            post_with(offer_request, |o| o.summary("Start a request by deeplink (shown as a QR code)")),
        )
        .api_route(
            "/api/v1/acquirers/signature-requests",
            post_with(create_signature_request, |o| {
                o.summary("Ask a citizen to sign a text with their qualified key in the wallet").description(
                    "The citizen is named by RNOKPP and must have a wallet here. Send the citizen's browser to \
                     `signUrl`; once they sign or decline, the wallet sends it to `returnUrl` with \
                     `signature_request=<id>` appended. `returnUrl` must have the origin of the acquirer's \
                     registered login redirect URI. The request can be signed for 15 minutes, once.",
                )
            }),
        )
        .api_route(
            "/api/v1/acquirers/signature-requests/{id}",
            get_with(signature_outcome, |o| {
                o.summary("A signature request's outcome: the CMS SignedData (content attached) once signed")
            }),
        )
}

/// The document's name for the acquirers' bearer token.
pub const SCHEME: &str = "acquirer";

/// A refusal in the acquirer API's shape: `{success:false, error{code, message, messageEn}}`,
/// with the status the protocol gives its code.
pub struct Refused {
    refusal: Refusal,
    message: Message,
    retry_after: Option<u64>,
}

impl Refused {
    fn new(refusal: Refusal, message: Message) -> Self {
        Refused { refusal, message, retry_after: None }
    }
    fn unauthorized() -> Self {
        Refused::new(Refusal::Unauthorized, Message::new("wallet.acquirer.unauthorized"))
    }
    fn bad_request(message: Message) -> Self {
        Refused::new(Refusal::BadRequest, message)
    }
    fn internal() -> Self {
        Refused::new(Refusal::Internal, Message::new("common.internal"))
    }
    fn refusal(r: CodeRefusal, t: Option<DocumentType>) -> Self {
        Refused::new(Refusal::Code(r), r.message(t))
    }
}

impl From<dossier_db::StoreError> for Refused {
    fn from(e: dossier_db::StoreError) -> Self {
        tracing::error!(error = %e, "hub store failure");
        Refused::internal()
    }
}

impl IntoResponse for Refused {
    fn into_response(self) -> Response {
        let body = AcquirerAnswer {
            success: false,
            error: Some(AcquirerError::new(self.refusal, &self.message)),
            document_type: None,
        };
        let mut resp = (self.refusal.status(), Json(body)).into_response();
        if let Some(s) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&s.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// Every refusal answers in the acquirer API's own shape.
impl OperationOutput for Refused {
    type Inner = AcquirerAnswer;

    fn operation_response(ctx: &mut GenContext, _: &mut Operation) -> Option<DocResponse> {
        Some(answer("Refused: `error.code` says why", json_content::<AcquirerAnswer>(ctx, "application/json")))
    }

    fn inferred_responses(ctx: &mut GenContext, op: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        Self::operation_response(ctx, op).map(|r| vec![(None, r)]).unwrap_or_default()
    }
}

type Answer<T> = Result<T, Refused>;

/// The guessing limit: at most `max` refused codes per branch within
/// `window`. The refusals are the hub's database's (`hub_code_refusals`), so
/// every hub process behind a balancer counts the same ones.
#[derive(Debug, Clone, Copy)]
pub struct RefusalLimit {
    pub max: usize,
    pub window: Duration,
}

impl RefusalLimit {
    fn window(&self) -> chrono::Duration {
        chrono::Duration::from_std(self.window).unwrap_or(chrono::Duration::MAX)
    }

    /// `Some(seconds to wait)` when the branch's refusals within the window
    /// (`refused`, oldest first) have used up the limit: until the one that
    /// brought it to the limit leaves the window.
    pub fn wait(&self, refused: &[DateTime<Utc>], now: DateTime<Utc>) -> Option<u64> {
        let recent: Vec<&DateTime<Utc>> = refused.iter().filter(|t| now - **t < self.window()).collect();
        let oldest_counted = recent.len().checked_sub(self.max.max(1))?;
        let free_at = *recent[oldest_counted] + self.window();
        Some((free_at - now).num_seconds().max(1) as u64)
    }
}

/// The calling acquirer, named by `Authorization: Bearer <id>.<secret>`.
struct Caller(Acquirer);

impl FromRequestParts<HubState> for Caller {
    type Rejection = Refused;

    async fn from_request_parts(parts: &mut Parts, state: &HubState) -> Result<Self, Self::Rejection> {
        authenticate(state, &parts.headers).await.map(Caller)
    }
}

impl OperationInput for Caller {
    fn operation_input(_: &mut GenContext, operation: &mut Operation) {
        operation.security.push(indexmap::IndexMap::from_iter([(SCHEME.to_owned(), Vec::new())]));
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        let content = json_content::<AcquirerAnswer>(ctx, "application/json");
        vec![(Some(401), answer("No valid acquirer token (`unauthorized`)", content))]
    }
}

/// A JSON body; a body that is not one is refused as `bad_request`.
struct Body<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequest<S> for Body<T> {
    type Rejection = Refused;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        json::read(req, state)
            .await
            .map(Body)
            .map_err(|e| Refused::bad_request(Message::new("wallet.acquirer.bad_body").with("reason", e)))
    }
}

impl<T: JsonSchema> OperationInput for Body<T> {
    fn operation_input(ctx: &mut GenContext, operation: &mut Operation) {
        Json::<T>::operation_input(ctx, operation);
    }

    fn inferred_early_responses(ctx: &mut GenContext, _: &mut Operation) -> Vec<(Option<u16>, DocResponse)> {
        let content = json_content::<AcquirerAnswer>(ctx, "application/json");
        vec![(Some(400), answer("The body is not JSON of this shape (`bad_request`)", content))]
    }
}

async fn authenticate(state: &HubState, headers: &HeaderMap) -> Answer<Acquirer> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .ok_or_else(Refused::unauthorized)?;
    let (id, secret) = token.trim().split_once('.').ok_or_else(Refused::unauthorized)?;
    let acquirer = state.store.acquirer(id).await?;
    // Hash even for an unknown id so both paths cost the same.
    let presented = token_hash(secret);
    let stored = acquirer.as_ref().map(|a| a.token_hash.clone()).unwrap_or_else(|| "0".repeat(64));
    if bool::from(presented.as_bytes().ct_eq(stored.as_bytes())) {
        acquirer.ok_or_else(Refused::unauthorized)
    } else {
        Err(Refused::unauthorized())
    }
}

async fn own_branch(state: &HubState, acquirer: &Acquirer, id: &str) -> Answer<Branch> {
    match state.store.branch(id).await? {
        Some(b) if b.acquirer_id == acquirer.id => Ok(b),
        _ => Err(Refused::new(Refusal::UnknownBranch, Message::new("wallet.acquirer.unknown_branch"))),
    }
}

/// The code checks shared by identification and request: rate limit, format,
/// the code's rules. Refusals are counted and audited (without the code).
async fn check_code(
    state: &HubState,
    acquirer: &Acquirer,
    branch: &Branch,
    barcode: &str,
    expected: Option<DocumentType>,
) -> Answer<CodeRecord> {
    let actor = HubActor::acquirer(&acquirer.id);
    let limit = state.refusal_limit;
    let now = Utc::now();
    let refused = state.store.code_refusals(&branch.id, now - limit.window()).await?;
    if let Some(wait) = limit.wait(&refused, now) {
        state.store.audit(&actor, "hub.code.rate_limited", &format!("branch:{}", branch.id), json!({})).await?;
        let mut r = Refused::new(Refusal::RateLimited, Message::new("sharing.rate_limited"));
        r.retry_after = Some(wait);
        return Err(r);
    }
    let outcome = match SharingCode::parse(barcode) {
        Err(m) => Err(Refused::new(Refusal::InvalidCode, m)),
        Ok(code) => match state.store.code(code.as_str()).await? {
            None => Err(Refused::refusal(CodeRefusal::Unknown, expected)),
            Some(rec) => match rec.state().check(Utc::now(), &branch.scopes, expected) {
                Ok(()) => Ok(rec),
                Err(r) => Err(Refused::refusal(
                    r,
                    if r == CodeRefusal::TypeMismatch { expected } else { Some(rec.document_type) },
                )),
            },
        },
    };
    if let Err(r) = &outcome {
        let now = Utc::now();
        state.store.record_code_refusal(&actor, &branch.id, r.refusal.as_str(), now, now - limit.window()).await?;
    }
    outcome
}

async fn document_request(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Body(req): Body<DocumentRequest>,
) -> Answer<Json<AcquirerAnswer>> {
    if req.request_id.trim().is_empty() || req.request_id.chars().count() > 100 {
        return Err(Refused::bad_request(Message::new("wallet.acquirer.request_id")));
    }
    let branch = own_branch(&state, &acquirer, &req.branch_id).await?;
    let code = check_code(&state, &acquirer, &branch, &req.barcode, req.document_type).await?;
    let new = NewRequest {
        acquirer_id: acquirer.id.clone(),
        branch_id: branch.id.clone(),
        request_id: req.request_id.trim().to_owned(),
        document_type: code.document_type,
    };
    match state.store.take_code(code.id, new, Utc::now()).await? {
        TakeOutcome::Taken(pk) => {
            state.notify(WalletEvent {
                citizen_id: code.citizen_id,
                request: pk,
                acquirer: acquirer.name.clone(),
                branch: branch.name.clone(),
                document_type: code.document_type.code().into(),
                document: dossier_domain::i18n::text(code.document_type.label_key(), Lang::UK).into(),
                status: "waiting_consent".into(),
            });
            tracing::info!(request = %pk, branch = %branch.id, "document request accepted");
            Ok(Json(AcquirerAnswer { success: true, error: None, document_type: Some(code.document_type) }))
        }
        TakeOutcome::AlreadyUsed => Err(Refused::refusal(CodeRefusal::AlreadyUsed, None)),
        TakeOutcome::DuplicateRequest => {
            Err(Refused::new(Refusal::DuplicateRequest, Message::new("wallet.acquirer.duplicate_request")))
        }
    }
}

async fn identification(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Body(req): Body<DocumentIdentification>,
) -> Answer<Json<AcquirerAnswer>> {
    let branch = own_branch(&state, &acquirer, &req.branch_id).await?;
    let code = check_code(&state, &acquirer, &branch, &req.barcode, None).await?;
    Ok(Json(AcquirerAnswer { success: true, error: None, document_type: Some(code.document_type) }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct StatusQuery {
    #[serde(default)]
    barcode: Option<String>,
    request_id: String,
}

async fn request_status(
    State(state): State<HubState>,
    headers: HeaderMap,
    query: Result<Query<StatusQuery>, QueryRejection>,
) -> Answer<Json<StatusAnswer>> {
    let acquirer = authenticate(&state, &headers).await?;
    let Query(q) = query
        .map_err(|e| Refused::bad_request(Message::new("wallet.acquirer.bad_body").with("reason", e.body_text())))?;
    let not_found = || Refused::new(Refusal::UnknownRequest, Message::new("sharing.request.unknown"));
    let req = state.store.request_by_acquirer(&acquirer.id, &q.request_id).await?.ok_or_else(not_found)?;
    if let Some(b) = q.barcode.as_deref().filter(|b| !b.trim().is_empty())
        && req.barcode.as_deref() != Some(b.trim())
    {
        return Err(not_found());
    }
    Ok(Json(StatusAnswer {
        success: true,
        request_id: req.request_id,
        status: req.status,
        updated_at: req.updated_at.to_rfc3339(),
    }))
}

fn parse_scopes(scopes: &[String]) -> Answer<Vec<DocumentType>> {
    let mut out = Vec::new();
    for s in scopes {
        let t = DocumentType::parse(s).map_err(Refused::bad_request)?;
        // Each document type is named once: a repeat is a mistake to show.
        if out.contains(&t) {
            return Err(Refused::bad_request(Message::new("common.repeated_item").with("item", t.code())));
        }
        out.push(t);
    }
    if out.is_empty() {
        return Err(Refused::bad_request(Message::new("wallet.acquirer.scopes_required")));
    }
    Ok(out)
}

async fn create_branch(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Body(b): Body<BranchRegistration>,
) -> Answer<Json<BranchCreated>> {
    if b.name.trim().is_empty() || b.name.chars().count() > 200 || b.address.chars().count() > 500 {
        return Err(Refused::bad_request(Message::new("wallet.acquirer.branch_name")));
    }
    let scopes = parse_scopes(&b.scopes)?;
    // The certificate must parse and be for key agreement; packages are sealed to it.
    let cert = dossier_crypto::ca::certificate_from_pem(b.encryption_certificate.as_bytes())
        .map_err(|_| Refused::bad_request(Message::new("wallet.acquirer.bad_certificate")))?;
    let pem = dossier_crypto::x509::to_pem(&cert).map_err(|_| Refused::internal())?;
    let branch = state
        .store
        .create_branch(
            &HubActor::acquirer(&acquirer.id),
            &acquirer.id,
            NewBranch {
                name: b.name.trim().into(),
                address: b.address.trim().into(),
                scopes,
                encryption_cert_pem: pem,
            },
        )
        .await?;
    Ok(Json(BranchCreated { id: branch.id }))
}

/// The acquirer's branches.
#[derive(Serialize, JsonSchema)]
struct Branches {
    total: usize,
    branches: Vec<Branch>,
}

async fn branches(State(state): State<HubState>, Caller(acquirer): Caller) -> Answer<Json<Branches>> {
    let branches = state.store.branches(&acquirer.id).await?;
    Ok(Json(Branches { total: branches.len(), branches }))
}

/// `{id}`: a branch of the calling acquirer.
#[derive(Deserialize, JsonSchema)]
struct BranchId {
    id: String,
}

#[derive(Deserialize, JsonSchema)]
struct OfferBody {
    /// What the citizen sees the request called.
    #[schemars(length(max = 200), pattern(r"\S"))]
    name: String,
    /// The documents asked for; each must be in the branch's scopes.
    #[schemars(with = "Vec<DocumentType>", length(min = 1))]
    scopes: Vec<String>,
}

/// An offer just created.
#[derive(Serialize, JsonSchema)]
struct OfferCreated {
    #[serde(rename = "_id")]
    id: String,
}

async fn create_offer(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Path(BranchId { id }): Path<BranchId>,
    Body(b): Body<OfferBody>,
) -> Answer<Json<OfferCreated>> {
    let branch = own_branch(&state, &acquirer, &id).await?;
    let scopes = parse_scopes(&b.scopes)?;
    if scopes.iter().any(|s| !branch.scopes.contains(s)) {
        return Err(Refused::new(
            Refusal::Code(CodeRefusal::TypeNotAllowed),
            Message::new("sharing.type_not_allowed")
                .with("type", scopes.iter().map(|s| s.code()).collect::<Vec<_>>().join(", ")),
        ));
    }
    if b.name.trim().is_empty() || b.name.chars().count() > 200 {
        return Err(Refused::bad_request(Message::new("wallet.acquirer.branch_name")));
    }
    let offer = state.store.create_offer(&HubActor::acquirer(&acquirer.id), &branch.id, b.name.trim(), &scopes).await?;
    Ok(Json(OfferCreated { id: offer.id }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
struct OfferRequestBody {
    /// An offer of this branch.
    offer_id: String,
    /// The acquirer's own id of the request (unique per acquirer).
    #[schemars(length(max = 100), pattern(r"\S"))]
    request_id: String,
}

/// The deeplink the acquirer shows as a QR code.
#[derive(Serialize, JsonSchema)]
struct Deeplink {
    deeplink: String,
}

/// The deeplink/QR flow: the acquirer shows the deeplink as a QR code; the
/// citizen's wallet opens it and sees the same request screen as for a code.
async fn offer_request(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Path(BranchId { id }): Path<BranchId>,
    Body(b): Body<OfferRequestBody>,
) -> Answer<Json<Deeplink>> {
    let branch = own_branch(&state, &acquirer, &id).await?;
    let offer = match state.store.offer(&b.offer_id).await? {
        Some(o) if o.branch_id == branch.id => o,
        _ => {
            return Err(Refused::new(Refusal::UnknownOffer, Message::new("wallet.acquirer.unknown_offer")));
        }
    };
    if b.request_id.trim().is_empty() || b.request_id.chars().count() > 100 {
        return Err(Refused::bad_request(Message::new("wallet.acquirer.request_id")));
    }
    let document_type = *offer.scopes.first().ok_or_else(Refused::internal)?;
    let token = random_token().map_err(|_| Refused::internal())?;
    let new = NewRequest {
        acquirer_id: acquirer.id.clone(),
        branch_id: branch.id.clone(),
        request_id: b.request_id.trim().into(),
        document_type,
    };
    match state.store.create_deeplink_request(new, &token_hash(&token), Utc::now()).await? {
        TakeOutcome::Taken(_) => {
            let deeplink = format!("{}/wallet/offer/{token}", state.config.public_url.trim_end_matches('/'));
            Ok(Json(Deeplink { deeplink }))
        }
        _ => Err(Refused::new(Refusal::DuplicateRequest, Message::new("wallet.acquirer.duplicate_request"))),
    }
}

/// A fund asks a citizen to sign a text in the wallet ([`crate::signature`]).
async fn create_signature_request(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Body(req): Body<SignatureRequest>,
) -> Answer<Created<SignatureRequestCreated>> {
    signature::check(&req).map_err(Refused::bad_request)?;
    let registered = acquirer
        .login_redirect_uri
        .as_deref()
        .ok_or_else(|| Refused::bad_request(Message::new("wallet.acquirer.sign_no_return")))?;
    if !signature::return_url_allowed(&req.return_url, registered) {
        return Err(Refused::bad_request(Message::new("wallet.acquirer.sign_return_url")));
    }
    let citizen = state
        .store
        .citizen_by_rnokpp(&req.rnokpp)
        .await?
        .ok_or_else(|| Refused::new(Refusal::UnknownCitizen, Message::new("wallet.acquirer.unknown_citizen")))?;
    let now = Utc::now();
    let rec = state
        .store
        .create_signature_request(
            &HubActor::acquirer(&acquirer.id),
            NewSignatureRequest {
                acquirer_id: acquirer.id.clone(),
                citizen_id: citizen.id,
                title: req.title.trim().to_owned(),
                document: req.document,
                return_url: req.return_url,
                created_at: now,
                expires_at: now + signature::ttl(),
            },
        )
        .await?;
    tracing::info!(signature_request = %rec.id, acquirer = %acquirer.id, "signature requested");
    Ok(Created(SignatureRequestCreated {
        id: rec.id.to_string(),
        sign_url: signature::sign_url(&state, rec.id),
        expires_at: signature::rfc3339(rec.expires_at),
    }))
}

/// `{id}`: one of the calling acquirer's signature requests.
#[derive(Deserialize, JsonSchema)]
struct SignatureId {
    id: String,
}

async fn signature_outcome(
    State(state): State<HubState>,
    Caller(acquirer): Caller,
    Path(SignatureId { id }): Path<SignatureId>,
) -> Answer<Json<SignatureOutcome>> {
    let unknown = || Refused::new(Refusal::UnknownRequest, Message::new("wallet.acquirer.unknown_signature_request"));
    let id = uuid::Uuid::try_parse(&id).map_err(|_| unknown())?;
    let rec = state.store.signature_request_of(&acquirer.id, id).await?.ok_or_else(unknown)?;
    Ok(Json(signature::outcome(&rec, Utc::now())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guessing_codes_is_limited_within_the_window() {
        let limit = RefusalLimit { max: 3, window: Duration::from_secs(600) };
        let t0 = Utc::now();
        let at = |s: i64| t0 + chrono::Duration::seconds(s);
        assert_eq!(limit.wait(&[], t0), None);
        assert_eq!(limit.wait(&[at(0), at(10)], at(20)), None, "two of three");
        // The third refusal uses the limit up: free when the first leaves the window.
        assert_eq!(limit.wait(&[at(0), at(10), at(20)], at(30)), Some(570));
        assert_eq!(limit.wait(&[at(0), at(10), at(20)], at(600)), None, "the first has left the window");
        // More than the limit (several processes at once): free when enough have left.
        assert_eq!(limit.wait(&[at(0), at(10), at(20), at(30)], at(40)), Some(570));
        assert_eq!(limit.wait(&[at(0), at(10), at(20), at(30)], at(605)), Some(5));
        assert_eq!(limit.wait(&[at(0)], at(1)), None);
    }
}
