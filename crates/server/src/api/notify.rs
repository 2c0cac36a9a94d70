//! Notifications over the API: citizens subscribe from the status page's
//! two facts, confirm and leave by the tokens in their messages; staff record
//! a choice at the counter, watch the outbox, retry the dead, preview
//! templates and register systems' webhooks. The bots' webhooks
//! (`/hooks/telegram`, `/hooks/viber`) follow the platforms' own contracts
//! and are not part of this document.
use std::sync::Arc;

use aide::axum::ApiRouter;
use aide::axum::routing::{delete_with, get_with, post_with};
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::IntoResponse;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_app::App;
use dossier_app::notify::subscribe::CaseKey;
use dossier_app::notify::{chats, outbox, subscribe};
use dossier_app::tracking::StatusQuery;
use dossier_domain::Lang;
use dossier_domain::notify::{Channel, Topic};
use dossier_http::ReqLang;
use dossier_http::openapi::Created;
use dossier_store::{DeliveryAttempt, Notification, OutboxCount, SubscriptionRecord};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::tracking::NoStore;
use super::{ApiJson, ApiPath, ApiQuery, ClientAddr, Id};
use crate::auth::Auth;
use crate::error::{ApiError, ApiResult};

pub fn routes() -> ApiRouter<Arc<App>> {
    ApiRouter::new()
        .api_route(
            "/api/v1/status/subscriptions",
            post_with(from_status, |o| {
                o.summary(
                    "Subscribe to a case's news by its number and the holder's date of birth (public; e-mail is \
                     confirmed by a link sent to it, Telegram and Viber answer with a deep link to open)",
                )
            }),
        )
        .api_route(
            "/api/v1/status/code/subscriptions",
            post_with(from_status_code, |o| {
                o.summary(
                    "Subscribe to a case's news by the token of its status link — a certificate, or a document \
                     shared from the wallet at the counter (public; a token that is not genuine counts as a failed \
                     look-up; a request that has ended answers 409)",
                )
            }),
        )
        .api_route(
            "/api/v1/notify/confirm",
            post_with(confirm, |o| o.summary("Confirm an e-mail subscription with the token from its message")),
        )
        .api_route(
            "/api/v1/notify/unsubscribe",
            post_with(unsubscribe, |o| o.summary("Leave, with the token from any message (repeating is harmless)")),
        )
        .api_route(
            "/api/v1/applications/{id}/subscriptions",
            post_with(at_counter, |o| o.summary("Record the citizen's choice of channel at the counter")),
        )
        .api_route(
            "/api/v1/subscriptions/{id}",
            delete_with(end, |o| o.summary("End a subscription (a citizen's, or a system's webhook)")),
        )
        .api_route(
            "/api/v1/persons/{id}/notifications",
            get_with(of_person, |o| o.summary("A person's subscriptions and messages with their delivery state")),
        )
        .api_route(
            "/api/v1/notifications/outbox",
            get_with(overview, |o| {
                o.summary("The outbox: messages per channel, status and hour; the dead and the retrying; webhooks")
            }),
        )
        .api_route(
            "/api/v1/notifications/{id}",
            get_with(detail, |o| o.summary("One message with every delivery attempt")),
        )
        .api_route(
            "/api/v1/notifications/{id}/retry",
            post_with(retry, |o| o.summary("Put a dead message back in the queue")),
        )
        .api_route(
            "/api/v1/notifications/templates/{topic}",
            get_with(preview, |o| o.summary("A message template rendered with sample values")),
        )
        .api_route(
            "/api/v1/webhooks",
            post_with(register_webhook, |o| {
                o.summary("Register a system's webhook (Standard Webhooks); the signing secret is shown once")
            }),
        )
}

/// The bots' webhooks, outside the OpenAPI document.
pub fn hooks() -> axum::Router<Arc<App>> {
    axum::Router::new()
        .route("/hooks/telegram", axum::routing::post(telegram))
        .route("/hooks/viber", axum::routing::post(viber))
}

/// A channel a citizen may choose.
#[derive(Deserialize, JsonSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum CitizenChannel {
    Email,
    Telegram,
    Viber,
}

impl From<CitizenChannel> for Channel {
    fn from(c: CitizenChannel) -> Channel {
        match c {
            CitizenChannel::Email => Channel::Email,
            CitizenChannel::Telegram => Channel::Telegram,
            CitizenChannel::Viber => Channel::Viber,
        }
    }
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StatusSubscription {
    /// The application number on the receipt.
    #[schemars(length(min = 1, max = 40), pattern(r"^[ \t\-–]*[ЗзZz3]([ \t\-–]*[0-9]){11}[ \t\-–]*$"))]
    pub number: String,
    pub birth_date: NaiveDate,
    pub channel: CitizenChannel,
    /// The e-mail address (e-mail only).
    #[schemars(length(max = 254))]
    pub address: Option<String>,
    /// The messages' language (default: the request's).
    #[schemars(with = "Option<LangCode>")]
    pub lang: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CodeSubscription {
    /// The `t` of the case's status link.
    #[schemars(length(min = 1, max = 64))]
    pub token: String,
    pub channel: CitizenChannel,
    /// The e-mail address (e-mail only).
    #[schemars(length(max = 254))]
    pub address: Option<String>,
    /// The messages' language (default: the request's).
    #[schemars(with = "Option<LangCode>")]
    pub lang: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CounterSubscription {
    pub channel: CitizenChannel,
    #[schemars(length(max = 254))]
    pub address: Option<String>,
    /// The messages' language (default: the request's).
    #[schemars(with = "Option<LangCode>")]
    pub lang: Option<String>,
}

/// A subscription made.
#[derive(Serialize, JsonSchema)]
pub struct SubscribedView {
    pub id: i64,
    /// `email`, `telegram` or `viber`.
    pub channel: &'static str,
    /// `pending` until the e-mail is confirmed or the chat linked.
    pub status: &'static str,
    /// Telegram or Viber: open it to link the chat (single use, until `expires_at`).
    pub deep_link: Option<String>,
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<subscribe::Subscribed> for SubscribedView {
    fn from(s: subscribe::Subscribed) -> Self {
        SubscribedView {
            id: s.id,
            channel: s.channel.as_str(),
            status: s.status.as_str(),
            deep_link: s.deep_link,
            expires_at: s.expires_at,
        }
    }
}

/// A language of the message catalogue by its code (the schema of `lang` fields).
struct LangCode;

impl JsonSchema for LangCode {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "LangCode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        let codes: Vec<&str> = Lang::ALL.iter().map(|l| l.code()).collect();
        schemars::json_schema!({
            "type": "string",
            "enum": codes,
            "description": "A language of the message catalogue: `uk`, `en`, …"
        })
    }
}

fn lang_of(asked: Option<&str>, request: Lang) -> ApiResult<Lang> {
    match asked {
        None => Ok(request),
        Some(tag) => Lang::from_tag(tag).ok_or_else(|| {
            let m = dossier_domain::Message::new("common.unknown_value").with("value", tag);
            ApiError(dossier_app::AppError::field("lang", m))
        }),
    }
}

/// What a citizen asked for; the messages' language defaults to the request's.
fn citizen_request(
    channel: CitizenChannel,
    address: Option<String>,
    asked: Option<&str>,
    lang: Lang,
) -> ApiResult<subscribe::Request> {
    Ok(subscribe::Request { channel: channel.into(), address, lang: lang_of(asked, lang)? })
}

async fn from_status(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<StatusSubscription>,
) -> ApiResult<Created<SubscribedView>> {
    let key = CaseKey::Facts(StatusQuery { number: body.number, birth_date: body.birth_date });
    let req = citizen_request(body.channel, body.address, body.lang.as_deref(), lang)?;
    Ok(Created(subscribe::from_status_page(&app, &client, &key, &req, Utc::now()).await?.into()))
}

async fn from_status_code(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    ApiJson(body): ApiJson<CodeSubscription>,
) -> ApiResult<Created<SubscribedView>> {
    let key = CaseKey::Token(body.token);
    let req = citizen_request(body.channel, body.address, body.lang.as_deref(), lang)?;
    Ok(Created(subscribe::from_status_page(&app, &client, &key, &req, Utc::now()).await?.into()))
}

async fn at_counter(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiPath(Id { id }): ApiPath<Id>,
    ApiJson(body): ApiJson<CounterSubscription>,
) -> ApiResult<Created<SubscribedView>> {
    let req = citizen_request(body.channel, body.address, body.lang.as_deref(), lang)?;
    Ok(Created(subscribe::at_counter(&app, &caller, id, &req, Utc::now()).await?.into()))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenBody {
    /// The token from the message's link.
    #[schemars(length(min = 1, max = 64))]
    pub token: String,
}

#[derive(Serialize, JsonSchema)]
pub struct Done {
    pub status: &'static str,
}

async fn confirm(State(app): State<Arc<App>>, ApiJson(body): ApiJson<TokenBody>) -> ApiResult<Json<Done>> {
    subscribe::confirm(&app, &body.token, Utc::now()).await?;
    Ok(Json(Done { status: "active" }))
}

async fn unsubscribe(State(app): State<Arc<App>>, ApiJson(body): ApiJson<TokenBody>) -> ApiResult<Json<Done>> {
    subscribe::unsubscribe(&app, &body.token, Utc::now()).await?;
    Ok(Json(Done { status: "ended" }))
}

#[derive(Deserialize, JsonSchema)]
pub struct NumericId {
    pub id: i64,
}

async fn end(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(NumericId { id }): ApiPath<NumericId>,
) -> ApiResult<Json<SubscriptionRecord>> {
    Ok(Json(subscribe::end(&app, &caller, id, Utc::now()).await?))
}

#[derive(Serialize, JsonSchema)]
pub struct PersonNotifications {
    pub subscriptions: Vec<SubscriptionRecord>,
    pub notifications: Vec<Notification>,
}

async fn of_person(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(Id { id }): ApiPath<Id>,
) -> ApiResult<NoStore<PersonNotifications>> {
    let (subscriptions, notifications) = outbox::of_person(&app, &caller, id).await?;
    Ok(NoStore(Json(PersonNotifications { subscriptions, notifications })))
}

#[derive(Serialize, JsonSchema)]
pub struct OutboxView {
    pub counts: Vec<OutboxCount>,
    pub dead: Vec<Notification>,
    pub retrying: Vec<Notification>,
    pub webhooks: Vec<SubscriptionRecord>,
    pub channels: Vec<&'static str>,
}

#[derive(Deserialize, JsonSchema)]
pub struct PageQuery {
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

async fn overview(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<OutboxView>> {
    let o = outbox::overview(&app, &caller, super::page(q.offset, q.limit), Utc::now()).await?;
    Ok(Json(OutboxView {
        counts: o.counts,
        dead: o.dead,
        retrying: o.retrying,
        webhooks: o.webhooks,
        channels: o.channels.iter().map(|c| c.as_str()).collect(),
    }))
}

#[derive(Serialize, JsonSchema)]
pub struct NotificationDetail {
    pub notification: Notification,
    pub attempts: Vec<DeliveryAttempt>,
}

async fn detail(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(NumericId { id }): ApiPath<NumericId>,
) -> ApiResult<Json<NotificationDetail>> {
    let (notification, attempts) = outbox::detail(&app, &caller, id).await?;
    Ok(Json(NotificationDetail { notification, attempts }))
}

async fn retry(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiPath(NumericId { id }): ApiPath<NumericId>,
) -> ApiResult<Json<Notification>> {
    Ok(Json(outbox::retry(&app, &caller, id, Utc::now()).await?))
}

#[derive(Deserialize, JsonSchema)]
pub struct TopicPath {
    /// The event, e.g. `ready`, `confirm_subscription`.
    pub topic: String,
}

#[derive(Deserialize, JsonSchema)]
pub struct LangQuery {
    /// The language (default: the request's).
    #[schemars(with = "Option<LangCode>")]
    pub lang: Option<String>,
}

#[derive(Serialize, JsonSchema)]
pub struct Preview {
    pub subject: String,
    pub body: String,
    /// `built-in`, or the file a fund put in place.
    pub source: String,
}

async fn preview(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ReqLang(lang): ReqLang,
    ApiPath(TopicPath { topic }): ApiPath<TopicPath>,
    ApiQuery(q): ApiQuery<LangQuery>,
) -> ApiResult<Json<Preview>> {
    let topic = Topic::parse(&topic).ok_or_else(|| ApiError(dossier_app::AppError::not_found()))?;
    let lang = lang_of(q.lang.as_deref(), lang)?;
    let (r, source) = outbox::preview(&app, &caller, topic, lang)?;
    Ok(Json(Preview { subject: r.subject, body: r.body, source }))
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NewWebhook {
    /// Where events are POSTed, `https://…`.
    #[schemars(length(min = 8, max = 2000))]
    pub url: String,
}

#[derive(Serialize, JsonSchema)]
pub struct RegisteredWebhook {
    pub subscription: SubscriptionRecord,
    /// The signing secret (`whsec_…`): shown only now.
    pub secret: String,
}

async fn register_webhook(
    State(app): State<Arc<App>>,
    Auth(caller): Auth,
    ApiJson(body): ApiJson<NewWebhook>,
) -> ApiResult<Created<RegisteredWebhook>> {
    let (subscription, secret) = subscribe::register_webhook(&app, &caller, &body.url, Utc::now()).await?;
    Ok(Created(RegisteredWebhook { subscription, secret }))
}

async fn telegram(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> ApiResult<impl IntoResponse> {
    let secret = headers.get("x-telegram-bot-api-secret-token").and_then(|v| v.to_str().ok());
    chats::telegram_update(&app, secret, &body, Utc::now()).await?;
    Ok(StatusCode::OK)
}

async fn viber(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> ApiResult<impl IntoResponse> {
    let signature = headers.get("x-viber-content-signature").and_then(|v| v.to_str().ok());
    chats::viber_callback(&app, signature, &body, Utc::now()).await?;
    Ok(StatusCode::OK)
}
