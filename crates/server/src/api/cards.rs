//! The card exchange over HTTP (regulation 26-1, §IV): each party's queue,
//! a card with the messages it may see, a party's report of a step, the
//! card's back and pictures, and the fund's dispatch.
use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use dossier_app::cards::{self, CardDetail, CardView, Dispatched, Step, Stepped};
use dossier_app::pictures::PictureKind;
use dossier_app::{App, AppError};
use dossier_domain::Message;
use dossier_domain::lifecycle::Stage;
use dossier_http::ReqLang;
use serde::Deserialize;

use super::{ApiJson, ApiQuery, Paged, content, page, parse_id, pdf};
use crate::auth::Auth;
use crate::error::ApiResult;

#[derive(Deserialize, Default)]
pub struct QueueQuery {
    pub stage: Option<String>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// `GET /api/v1/cards?stage=` — the caller's queue, nearest deadline first.
pub async fn queue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Paged<CardView>>> {
    let stage = match q.stage.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            Stage::parse(s)
                .ok_or_else(|| AppError::field("stage", Message::new("common.unknown_value").with("value", s)))?,
        ),
    };
    let page = page(q.offset, q.limit);
    let queue = cards::queue(&app, &caller, stage, page, lang).await?;
    Ok(Json(Paged::of(queue.cards, page)))
}

/// `GET /api/v1/cards/{id}` — the card and the messages the caller's party sent or received.
pub async fn card(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    Path(id): Path<String>,
) -> ApiResult<Json<CardDetail>> {
    let (_, detail) = cards::card(&app, &caller, parse_id(&id)?, lang).await?;
    Ok(Json(detail))
}

/// `POST /api/v1/cards/{id}/steps` — a party reports one step of the card.
pub async fn step(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<Step>,
) -> ApiResult<Json<Stepped>> {
    Ok(Json(cards::step(&app, &caller, parse_id(&id)?, body, lang).await?))
}

#[derive(Deserialize, Default)]
pub struct BackQuery {
    /// The personalizer's card number, for a back printed before the card is reported made.
    pub card_number: Option<String>,
}

/// `GET /api/v1/cards/{id}/back.pdf` — form 5 as the card prints it, signed PDF/A.
pub async fn back_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path(id): Path<String>,
    ApiQuery(q): ApiQuery<BackQuery>,
) -> ApiResult<Response> {
    let bytes = cards::back_pdf(&app, &caller, parse_id(&id)?, q.card_number.as_deref()).await?;
    Ok(pdf(bytes, "card-back.pdf"))
}

/// `GET /api/v1/cards/{id}/pictures/{photo|signature}` — the exact image the sealed message names.
pub async fn picture(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    Path((id, kind)): Path<(String, String)>,
) -> ApiResult<Response> {
    let id = parse_id(&id)?;
    let kind = PictureKind::parse(&kind).ok_or_else(AppError::not_found)?;
    Ok(content(cards::picture(&app, &caller, id, kind).await?))
}

/// `POST /api/v1/cards/dispatch` — the fund sends every ready card in scope on.
pub async fn dispatch(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<Dispatched>> {
    Ok(Json(cards::dispatch(&app, &caller).await?))
}
