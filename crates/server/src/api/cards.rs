//! The card exchange over HTTP (regulation 26-1, §IV): each party's queue,
//! a card with the messages it may see, and a party's report of a step.
//! The rules live in `crate::cards` and the domain; handlers resolve the
//! caller's party and what it may see.
use axum::Json;
use axum::extract::{Path, State};
use chrono::Utc;
use dossier_domain::card::Party;
use dossier_domain::lifecycle::Stage;
use dossier_domain::{Invalid, Message};
use serde::Deserialize;
use serde_json::json;

use super::extract::parse_id;
use super::{ApiJson, ApiQuery, Paged};
use crate::AppState;
use crate::access::Caller;
use crate::cards::{self, CardView, Dispatched, MessageView, Report};
use crate::error::{ApiError, ApiResult};

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

/// `POST /api/v1/cards/{id}/steps` — a party reports one step of the card.
pub async fn step(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Report>,
) -> ApiResult<Json<serde_json::Value>> {
    let (party, reports) = cards::caller_party(&caller)?;
    if !reports {
        return Err(ApiError::forbidden().in_lang(caller.lang));
    }
    let c = cards::load(&state, &caller, party, parse_id(&id)?).await?;
    let (c, m) = cards::report(&state, &caller.actor(), party, caller.unit.id, &c, body)
        .await
        .map_err(|e| e.in_lang(caller.lang))?;
    Ok(Json(
        json!({"card": cards::view(&state, &caller, party, &c, Utc::now()).await?, "message": cards::message_view(m)}),
    ))
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
