//! Notification pages. For citizens, without sign-in: subscribing from the
//! status page, and the pages the links in messages open — a link only shows
//! a button, and the button (a POST) acts, because mail scanners open links
//! on their own; RFC 8058's one-click POST to the unsubscribe link acts at
//! once. For staff: the outbox with the dead and a retry button, and each
//! template rendered with sample values.
use std::sync::Arc;

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, Utc};
use dossier_app::notify::subscribe::CaseKey;
use dossier_app::notify::{outbox, subscribe};
use dossier_app::tracking::StatusQuery;
use dossier_app::{App, AppError};
use dossier_domain::Lang;
use dossier_domain::notify::{Channel, Topic};
use dossier_http::ReqLang;
use dossier_store::{Page, SubscriptionRecord, SubscriptionStatus};
use serde::Deserialize;

use super::form::{SummaryItem, top};
use super::view::{Ctx, PageResult, Staff, check_csrf, datetime, html, see_other};
use crate::api::ClientAddr;
use crate::error::status_of;

#[derive(Template)]
#[template(path = "notify_link.html")]
struct LinkPage {
    t: Ctx,
    title: String,
    summary: Vec<SummaryItem>,
    paragraphs: Vec<String>,
    deep_link: Option<String>,
    /// Where the button posts, with the token; `None`: no button.
    action: Option<String>,
    token: String,
    button: String,
}

impl LinkPage {
    fn new(lang: Lang, here: &str, title: &str) -> LinkPage {
        let t = Ctx::anonymous(lang, here);
        LinkPage {
            title: t.t(title).to_owned(),
            t,
            summary: vec![],
            paragraphs: vec![],
            deep_link: None,
            action: None,
            token: String::new(),
            button: String::new(),
        }
    }

    fn say(mut self, key: &str) -> LinkPage {
        self.paragraphs.push(self.t.t(key).to_owned());
        self
    }

    fn button(mut self, action: &str, token: &str, label: &str) -> LinkPage {
        self.action = Some(format!("{action}?lang={}", self.t.lang_code()));
        self.token = token.to_owned();
        self.button = self.t.t(label).to_owned();
        self
    }

    fn refused(mut self, e: &AppError) -> Response {
        self.summary = vec![top(&e.message, self.t.lang)];
        html(status_of(e.kind), &self)
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    token: String,
}

/// `GET /notify/confirm?token=…` — the link in the opt-in message: a button.
pub async fn confirm_page(ReqLang(lang): ReqLang, Query(q): Query<TokenForm>) -> Response {
    let page = LinkPage::new(lang, "/notify/confirm", "ui.notify.confirm_title").say("ui.notify.confirm_intro").button(
        "/notify/confirm",
        &q.token,
        "ui.notify.confirm_button",
    );
    html(StatusCode::OK, &page)
}

/// `POST /notify/confirm` — the button: the subscription becomes active.
pub async fn confirm(State(app): State<Arc<App>>, ReqLang(lang): ReqLang, Form(f): Form<TokenForm>) -> Response {
    let page = LinkPage::new(lang, "/notify/confirm", "ui.notify.confirm_title");
    match subscribe::confirm(&app, f.token.trim(), Utc::now()).await {
        Ok(_) => html(StatusCode::OK, &page.say("ui.notify.confirmed")),
        Err(e) => page.refused(&e),
    }
}

/// `GET /notify/unsubscribe?token=…` — the link in every message: a button.
pub async fn unsubscribe_page(ReqLang(lang): ReqLang, Query(q): Query<TokenForm>) -> Response {
    let page = LinkPage::new(lang, "/notify/unsubscribe", "ui.notify.unsubscribe_title")
        .say("ui.notify.unsubscribe_intro")
        .button("/notify/unsubscribe", &q.token, "ui.notify.unsubscribe_button");
    html(StatusCode::OK, &page)
}

/// `POST /notify/unsubscribe?token=…` — the button, or a mail client's
/// one-click POST (RFC 8058: body `List-Unsubscribe=One-Click`, the token in
/// the URL). Either way the subscription ends.
pub async fn unsubscribe(
    State(app): State<Arc<App>>,
    ReqLang(lang): ReqLang,
    Query(q): Query<TokenForm>,
    body: axum::body::Bytes,
) -> Response {
    let from_form = form_urlencoded_token(&body);
    let token = if q.token.is_empty() { from_form.unwrap_or_default() } else { q.token };
    let page = LinkPage::new(lang, "/notify/unsubscribe", "ui.notify.unsubscribe_title");
    match subscribe::unsubscribe(&app, token.trim(), Utc::now()).await {
        Ok(()) => html(StatusCode::OK, &page.say("ui.notify.unsubscribed")),
        Err(e) => page.refused(&e),
    }
}

/// The `token` field of a form body (the page's button), if it has one. A
/// token is base64url, which a form sends without percent-encoding.
fn form_urlencoded_token(body: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(body).ok()?;
    text.split('&').find_map(|pair| pair.strip_prefix("token=")).map(str::to_owned)
}

/// The channels a citizen may choose on this server, as `(value, label)`:
/// those it delivers to a person (not systems' webhooks).
pub(crate) fn citizen_channels(app: &App, lang: Lang) -> Vec<(&'static str, String)> {
    let channels = app.notifier().map(|n| n.channels()).unwrap_or_default();
    channels
        .into_iter()
        .filter(|c| *c != Channel::Webhook)
        .map(|c| {
            (c.as_str(), dossier_domain::i18n::text(&format!("ui.status.channel_{}", c.as_str()), lang).to_owned())
        })
        .collect()
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SubscribeForm {
    number: String,
    birth_date: String,
    /// The status link's token, instead of the two facts.
    t: String,
    channel: String,
    address: String,
}

/// `POST /status/subscribe` — from the status page's result: the two facts
/// again or the status link's token (hidden fields), the channel and, for
/// e-mail, the address.
pub async fn subscribe_from_status(
    State(app): State<Arc<App>>,
    ClientAddr(client): ClientAddr,
    ReqLang(lang): ReqLang,
    Form(f): Form<SubscribeForm>,
) -> Response {
    let page = LinkPage::new(lang, "/status", "ui.notify.subscribe_title");
    let key = if f.t.trim().is_empty() {
        let Ok(birth_date) = NaiveDate::parse_from_str(f.birth_date.trim(), "%Y-%m-%d") else {
            return page.refused(&AppError::field("birth_date", "tracking.birth_date_format"));
        };
        CaseKey::Facts(StatusQuery { number: f.number, birth_date })
    } else {
        CaseKey::Token(f.t)
    };
    let Some(channel) = Channel::parse(&f.channel).filter(|c| *c != Channel::Webhook) else {
        return page.refused(&AppError::field("channel", "notify.channel_unavailable"));
    };
    let req = subscribe::Request { channel, address: Some(f.address).filter(|a| !a.trim().is_empty()), lang };
    match subscribe::from_status_page(&app, &client, &key, &req, Utc::now()).await {
        Ok(_) if channel == Channel::Email => html(StatusCode::OK, &page.say("ui.notify.check_mail")),
        Ok(s) => {
            let mut page = page.say("ui.notify.open_chat_intro");
            page.deep_link = s.deep_link;
            html(StatusCode::OK, &page)
        }
        Err(e) => page.refused(&e),
    }
}

// ---- staff ----

pub struct NoteRow {
    pub id: i64,
    pub channel: &'static str,
    pub case_ref: String,
    pub topic: &'static str,
    pub attempts: i64,
    pub next: String,
    pub error: String,
}

pub struct CountRow {
    pub hour: String,
    pub channel: &'static str,
    pub status: String,
    pub count: i64,
}

#[derive(Template)]
#[template(path = "outbox.html")]
struct OutboxPage {
    t: Ctx,
    channels: Vec<&'static str>,
    counts: Vec<CountRow>,
    dead: Vec<NoteRow>,
    retrying: Vec<NoteRow>,
    topics: Vec<&'static str>,
    /// The systems' webhooks, in `subscriptions.html`.
    subscriptions: Vec<SubRow>,
}

/// A subscription as staff see it (`subscriptions.html`): on a person's
/// dossier, a shared-document request's page, the outbox's webhooks.
pub struct SubRow {
    pub id: i64,
    pub channel: &'static str,
    pub address: String,
    pub status: &'static str,
    pub since: String,
    /// Not ended yet: staff may end it.
    pub live: bool,
}

impl SubRow {
    pub fn of(x: &SubscriptionRecord) -> SubRow {
        SubRow {
            id: x.id,
            channel: x.channel.as_str(),
            address: x.address.clone().unwrap_or_default(),
            status: x.status.as_str(),
            since: datetime(x.created_at),
            live: x.status != SubscriptionStatus::Ended,
        }
    }
}

fn row(n: &dossier_store::Notification) -> NoteRow {
    NoteRow {
        id: n.id,
        channel: n.channel.as_str(),
        case_ref: n.case_ref.clone(),
        topic: n.topic.as_str(),
        attempts: n.attempts,
        next: datetime(n.next_attempt_at),
        error: n.last_error.clone().unwrap_or_default(),
    }
}

/// `GET /notifications` — the outbox.
pub async fn outbox_page(State(app): State<Arc<App>>, staff: Staff) -> PageResult {
    let o = outbox::overview(&app, &staff.caller, Page::new(0, 100), Utc::now()).await?;
    let t = staff.ctx("/notifications");
    let counts = o
        .counts
        .iter()
        .map(|c| CountRow {
            hour: datetime(c.hour),
            channel: c.channel.as_str(),
            status: if c.retrying { format!("{} (retrying)", c.status.as_str()) } else { c.status.as_str().to_owned() },
            count: c.count,
        })
        .collect();
    let page = OutboxPage {
        t,
        channels: o.channels.iter().map(|c| c.as_str()).collect(),
        counts,
        dead: o.dead.iter().map(row).collect(),
        retrying: o.retrying.iter().map(row).collect(),
        topics: Topic::ALL.iter().map(|t| t.as_str()).collect(),
        subscriptions: o.webhooks.iter().map(SubRow::of).collect(),
    };
    Ok(html(StatusCode::OK, &page))
}

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// `POST /notifications/{id}/retry`.
pub async fn retry(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    outbox::retry(&app, &staff.caller, id, Utc::now()).await?;
    Ok(see_other("/notifications"))
}

/// `POST /subscriptions/{id}/end` — staff end a subscription (the citizen
/// asked at the counter, a system left), then return to where it is listed:
/// the person's dossier, the request's page, or the outbox.
pub async fn end_subscription(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(id): Path<i64>,
    Form(f): Form<CsrfForm>,
) -> PageResult {
    check_csrf(&staff.caller, &f.csrf)?;
    let ended = subscribe::end(&app, &staff.caller, id, Utc::now()).await?;
    Ok(see_other(&match (ended.person_id, ended.request_id) {
        (Some(person), _) => format!("/persons/{person}#notifications"),
        (None, Some(request)) => format!("/sharing/requests/{request}#followers"),
        (None, None) => "/notifications#webhooks".to_owned(),
    }))
}

#[derive(Template)]
#[template(path = "template_preview.html")]
struct PreviewPage {
    t: Ctx,
    topic: &'static str,
    lang: &'static str,
    source: String,
    subject: String,
    body: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct LangQuery {
    lang: String,
}

/// `GET /notifications/templates/{topic}?lang=…` — a template with sample values.
pub async fn preview(
    State(app): State<Arc<App>>,
    staff: Staff,
    Path(topic): Path<String>,
    Query(q): Query<LangQuery>,
) -> PageResult {
    let topic = Topic::parse(&topic).ok_or_else(AppError::not_found)?;
    let lang = Lang::from_tag(&q.lang).unwrap_or(staff.lang);
    let (r, source) = outbox::preview(&app, &staff.caller, topic, lang)?;
    let t = staff.ctx("/notifications");
    let page = PreviewPage { t, topic: topic.as_str(), lang: lang.code(), source, subject: r.subject, body: r.body };
    Ok(html(StatusCode::OK, &page))
}
