//! The card exchange over HTTP (regulation 26-1, §IV): each party's queue,
//! a card with the messages it may see, and a party's report of a step.
//! The rules live in `crate::cards` and the domain; handlers resolve the
//! caller's party and what it may see.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use dossier_domain::card::{CardNumber, Party};
use dossier_domain::lifecycle::Stage;
use dossier_domain::{Invalid, Message};
use dossier_store::{CertificateRecord, StoreError};
use serde::Deserialize;
use serde_json::json;

use super::extract::parse_id;
use super::{ApiJson, ApiQuery, Paged};
use crate::AppState;
use crate::access::Caller;
use crate::cards::{self, CardFace, CardView, Dispatched, MessageView, Report};
use crate::error::{ApiError, ApiResult};
use crate::production_pdf;

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    pub stage: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// `GET /api/v1/cards?stage=` — the caller's queue, nearest deadline first.
pub async fn queue(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Paged<CardView>>> {
    let (party, _) = cards::caller_party(&caller)?;
    let stages: &'static [Stage] = match q.stage.as_deref().filter(|s| !s.is_empty()) {
        None => party.stages(),
        Some(s) => {
            let stage = Stage::parse(s).filter(|st| party.stages().contains(st)).ok_or_else(|| {
                ApiError::invalid(Invalid::one("stage", Message::new("common.unknown_value").with("value", s)))
                    .in_lang(caller.lang)
            })?;
            // A one-stage slice of the party's own list.
            let i = party.stages().iter().position(|x| *x == stage).unwrap_or(0);
            &party.stages()[i..=i]
        }
    };
    let page = super::page(q.offset, q.limit);
    let now = Utc::now();
    let mut items = vec![];
    for c in state.store.cards(&cards::queue(&caller, party, stages), page).await? {
        items.push(cards::view(&state, &caller, party, &c, now).await?);
    }
    if party != Party::Fund && !items.is_empty() {
        // A partner read registry facts (names for the bank): audited.
        let ids: Vec<_> = items.iter().map(|i| i.id).collect();
        state
            .store
            .audit(&caller.actor(), "card.queue", &format!("party:{}", party.as_str()), json!({"cards": ids}))
            .await?;
    }
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}

/// `GET /api/v1/cards/{id}` — the card and the messages the caller's party
/// sent or received (each with the fund's seal over its exact bytes).
pub async fn card(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let (party, _) = cards::caller_party(&caller)?;
    let c = cards::load(&state, &caller, party, parse_id(&id)?).await?;
    let messages: Vec<MessageView> = cards::messages_for(&caller, party, state.store.card_messages(c.id).await?);
    state.store.audit(&caller.actor(), "card.read", &format!("certificate:{}", c.id), json!({"party": party})).await?;
    Ok(Json(json!({"card": cards::view(&state, &caller, party, &c, Utc::now()).await?, "messages": messages})))
}

/// A step as reported: the report's fields, or a partner's signed statement of them.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StepBody {
    #[serde(flatten)]
    pub report: Report,
    /// The report's JSON exactly as the partner signed it, naming the card (`"card": id`).
    pub statement: Option<String>,
    /// The partner's detached CMS signature over `statement` (DER, base64).
    pub signature: Option<String>,
}

/// `POST /api/v1/cards/{id}/steps` — a party reports one step of the card.
pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<StepBody>,
) -> ApiResult<Json<serde_json::Value>> {
    let (party, reports) = cards::caller_party(&caller)?;
    if !reports {
        return Err(ApiError::forbidden().in_lang(caller.lang));
    }
    let c = cards::load(&state, &caller, party, parse_id(&id)?).await?;
    let report = match (body.statement.as_deref(), body.signature.as_deref()) {
        (None, None) => body.report,
        (Some(statement), Some(signature)) => cards::verify_statement(&state, &caller, c.id, statement, signature)
            .await
            .map_err(|e| e.in_lang(caller.lang))?,
        _ => {
            let missing = if body.statement.is_none() { "statement" } else { "signature" };
            return Err(ApiError::invalid(Invalid::one(missing, "common.required")).in_lang(caller.lang));
        }
    };
    cards::check_signature_policy(&state, party, &report).map_err(|e| e.in_lang(caller.lang))?;
    let (c, m) = cards::report(&state, &caller.actor(), party, caller.unit.id, &c, report)
        .await
        .map_err(|e| e.in_lang(caller.lang))?;
    Ok(Json(
        json!({"card": cards::view(&state, &caller, party, &c, Utc::now()).await?, "message": cards::message_view(m)}),
    ))
}

/// A card whose back the caller may see (the personalizer; fund staff who may read the holder's
/// data), with what the back prints and the card number recorded for it.
async fn printable(
    state: &AppState,
    caller: &Caller,
    id: &str,
) -> ApiResult<(CertificateRecord, Party, CardFace, Option<String>)> {
    let (party, reports) = cards::caller_party(caller)?;
    if !cards::may_read_back(caller, party, reports) {
        return Err(ApiError::forbidden().in_lang(caller.lang));
    }
    let c = cards::load(state, caller, party, parse_id(id)?).await?;
    let (face, number) = cards::printed_face(state, &c).await.map_err(|e| e.in_lang(caller.lang))?;
    Ok((c, party, face, number))
}

#[derive(Deserialize, Default)]
pub struct BackQuery {
    /// The personalizer's card number, for a back printed before the card is reported made.
    pub card_number: Option<String>,
}

/// `GET /api/v1/cards/{id}/back.pdf` — form 5 as the card prints it: the fields and pictures
/// sealed to the personalizer (a proof composed now before that), with the card number the
/// personalizer reported (or gives in `card_number` to print before reporting), as signed
/// PDF/A. For the personalizer and the fund's staff who may read the holder's data.
pub async fn back_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BackQuery>,
) -> ApiResult<Response> {
    let (c, party, face, recorded) = printable(&state, &caller, &id).await?;
    let asked = match q.card_number.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(n) => Some(CardNumber::parse(n).map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?),
        None => None,
    };
    let number = match (recorded, asked) {
        (Some(r), Some(a)) if r != a.as_str() => {
            return Err(ApiError::from(StoreError::Conflict(Message::new("card.number.differs"))).in_lang(caller.lang));
        }
        (Some(r), _) => r,
        (None, Some(a)) => a.as_str().to_owned(),
        (None, None) => String::new(),
    };
    state
        .store
        .audit(&caller.actor(), "card.back.read", &format!("certificate:{}", c.id), json!({"party": party}))
        .await?;
    let bytes = production_pdf::card_back(&state, &face, &number).await.map_err(|e| e.in_lang(caller.lang))?;
    Ok(super::production::pdf(bytes, "card-back.pdf"))
}

/// `GET /api/v1/cards/{id}/pictures/{photo|signature}` — the exact image the fund's message to
/// the personalizer names (its SHA-256 is in the sealed payload), for the personalizer to print.
pub async fn picture(
    State(state): State<AppState>,
    caller: Caller,
    Path((id, kind)): Path<(String, String)>,
) -> ApiResult<Response> {
    let (c, party, face, _) = printable(&state, &caller, &id).await?;
    let picture = match kind.as_str() {
        "photo" => face.photo,
        "signature" => face.signature,
        _ => return Err(ApiError::not_found().in_lang(caller.lang)),
    };
    state
        .store
        .audit(
            &caller.actor(),
            "card.picture.read",
            &format!("certificate:{}", c.id),
            json!({"party": party, "kind": kind}),
        )
        .await?;
    let bytes = state.blobs.get(&picture.sha256).await?;
    let mut resp = bytes.into_response();
    if let Ok(v) = HeaderValue::from_str(&picture.content_type) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
    Ok(resp)
}

/// `POST /api/v1/cards/dispatch` — the fund sends every ready card in scope
/// on: accepted applications to their banks, opened accounts to the personalizer.
pub async fn dispatch(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Dispatched>> {
    match cards::caller_party(&caller)? {
        (Party::Fund, true) => {}
        _ => return Err(ApiError::forbidden().in_lang(caller.lang)),
    }
    Ok(Json(
        cards::dispatch(&state, &caller.actor(), &caller, caller.unit.id).await.map_err(|e| e.in_lang(caller.lang))?,
    ))
}
