//! The card exchange over HTTP (regulation 26-1, §IV): each party's queue,
//! a card with the messages it may see, a party's report of a step, the
//! card's back and pictures, and the fund's dispatch.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{get_with, post_with};
use axum::Json;
use axum::extract::State;
use dossier_app::App;
use dossier_app::cards::{self, CardDetail, CardView, Dispatched, Step, Stepped};
use dossier_app::pictures::PictureKind;
use dossier_domain::card::CardNumber;
use dossier_domain::lifecycle::Stage;
use dossier_domain::schema::OrBlank;
use dossier_http::ReqLang;
use dossier_http::openapi::{Binary, Image, Pdf};
use schemars::JsonSchema;
use serde::Deserialize;
use uuid::Uuid;

use super::{ApiJson, ApiPath, ApiQuery, Id, Paged, page, stored};
use crate::auth::Auth;
use crate::error::ApiResult;

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route("/api/v1/cards", get_with(queue, |o| o.summary("The caller's card queue: the cards at its steps")))
        .api_route(
            "/api/v1/cards/dispatch",
            post_with(dispatch, |o| o.summary("Send the cards due to their banks (the fund's production staff)")),
        )
        .api_route("/api/v1/cards/{id}", get_with(card, |o| o.summary("A card with the messages the caller may see")))
        .api_route(
            "/api/v1/cards/{id}/steps",
            post_with(step, |o| {
                o.summary("Report a step of the card: its event with the step's data, or a partner's signed statement")
            }),
        )
        .api_route(
            "/api/v1/cards/{id}/back.pdf",
            get_with(back_pdf, |o| o.summary("The card's back (form 5) for the personalizer to print")),
        )
        .api_route(
            "/api/v1/cards/{id}/pictures/{kind}",
            get_with(picture, |o| o.summary("The holder's photo or specimen signature, for personalization")),
        )
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct QueueQuery {
    /// Only cards at this stage.
    pub stage: Option<Stage>,
    /// Rows to skip.
    pub offset: Option<i64>,
    /// Rows to return (1–200, default 50).
    pub limit: Option<i64>,
}

async fn queue(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiQuery(q): ApiQuery<QueueQuery>,
) -> ApiResult<Json<Paged<CardView>>> {
    let page = page(q.offset, q.limit);
    let queue = cards::queue(&app, &caller, q.stage, page, lang).await?;
    Ok(Json(Paged::of(queue.cards, page)))
}

async fn card(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<Json<CardDetail>> {
    let (_, detail) = cards::card(&app, &caller, id, lang).await?;
    Ok(Json(detail))
}

async fn step(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<Step>,
) -> ApiResult<Json<Stepped>> {
    Ok(Json(cards::step(&app, &caller, id, body, lang).await?))
}

#[derive(Deserialize, Default, JsonSchema)]
pub struct BackQuery {
    /// The personalizer's card number, for a back printed before the card is reported made.
    #[schemars(with = "Option<OrBlank<CardNumber>>")]
    pub card_number: Option<String>,
}

async fn back_pdf(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiQuery(q): ApiQuery<BackQuery>,
) -> ApiResult<Binary<Pdf>> {
    let bytes = cards::back_pdf(&app, &caller, id, q.card_number.as_deref()).await?;
    Ok(Binary::new(bytes).inline("card-back.pdf"))
}

/// `{id}/pictures/{kind}`: the card and which picture.
#[derive(Deserialize, JsonSchema)]
struct CardPicture {
    id: Uuid,
    kind: PictureKind,
}

async fn picture(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(CardPicture { id, kind }): ApiPath<CardPicture>,
) -> ApiResult<Binary<Image>> {
    Ok(stored(cards::picture(&app, &caller, id, kind).await?))
}

async fn dispatch(State(app): State<Arc<App>>, Auth(caller): Auth) -> ApiResult<Json<Dispatched>> {
    Ok(Json(cards::dispatch(&app, &caller).await?))
}
