//! What staff see of notifications: the outbox (per channel, status and
//! hour; the dead with a retry action), a person's messages with their
//! delivery receipts, one message in full, and every template rendered with
//! sample values before a fund changes it.
use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use dossier_domain::Lang;
use dossier_domain::notify::{Rendered, Topic};
use dossier_domain::org::Permission;
use dossier_store::{
    DeliveryAttempt, DeliveryStatus, Notification, OutboxCount, Page, Subscribers, SubscriptionRecord,
};
use uuid::Uuid;

use super::subscribe::notifier;
use crate::error::{AppError, AppResult};
use crate::{App, Caller};

/// The outbox page.
pub struct Outbox {
    /// The last 24 hours, and everything not sent whenever it was written.
    pub counts: Vec<OutboxCount>,
    pub dead: Vec<Notification>,
    /// Waiting for a retry after a failure.
    pub retrying: Vec<Notification>,
    /// Systems' webhooks.
    pub webhooks: Vec<SubscriptionRecord>,
    /// Channels this server delivers to.
    pub channels: Vec<dossier_domain::notify::Channel>,
}

pub async fn overview(app: &App, caller: &Caller, page: Page, now: DateTime<Utc>) -> AppResult<Outbox> {
    caller.require(Permission::ManageNotifications)?;
    let channels = app.notifier.as_ref().map(|n| n.channels()).unwrap_or_default();
    let store = &app.store;
    let pending = store.notifications_in(DeliveryStatus::Pending, page).await?;
    Ok(Outbox {
        counts: store.outbox_counts(now - Duration::hours(24)).await?,
        dead: store.notifications_in(DeliveryStatus::Dead, page).await?,
        retrying: pending.into_iter().filter(|n| n.attempts > 0).collect(),
        webhooks: store.subscriptions_of(Subscribers::Systems).await?,
        channels,
    })
}

/// One message with every attempt.
pub async fn detail(app: &App, caller: &Caller, id: i64) -> AppResult<(Notification, Vec<DeliveryAttempt>)> {
    caller.require(Permission::ManageNotifications)?;
    app.store.notification(id).await?.ok_or_else(AppError::not_found)
}

/// Puts a dead message back in the queue.
pub async fn retry(app: &App, caller: &Caller, id: i64, now: DateTime<Utc>) -> AppResult<Notification> {
    caller.require(Permission::ManageNotifications)?;
    app.store.retry_notification(&caller.actor(), id, now).await?.ok_or_else(|| AppError::conflict("notify.not_dead"))
}

/// A person's subscriptions and messages (newest first), for the dossier.
pub async fn of_person(
    app: &App,
    caller: &Caller,
    person_id: Uuid,
) -> AppResult<(Vec<SubscriptionRecord>, Vec<Notification>)> {
    // Reading the person checks the role and scope and audits the read.
    crate::people::get(app, caller, person_id).await?;
    Ok((
        app.store.subscriptions_of(Subscribers::Person(person_id)).await?,
        app.store.notifications_of(person_id, 100).await?,
    ))
}

/// A template rendered with sample values.
pub fn preview(app: &App, caller: &Caller, topic: Topic, lang: Lang) -> AppResult<(Rendered, String)> {
    caller.require(Permission::ManageNotifications)?;
    let n = notifier(app)?;
    let s = &n.settings;
    let mut v: BTreeMap<&str, String> = BTreeMap::new();
    v.insert("case", "З-2026-0000042".into());
    v.insert("date", "03.12.2026".into());
    v.insert("office", if lang == Lang::UK { "Шевченківський відділ" } else { "Shevchenkivskyi office" }.into());
    v.insert("address", "вул. Хрещатик, 1, Київ".into());
    v.insert("hours", "пн–пт 08:00–17:00".into());
    let sample = dossier_domain::tracking::Estimate {
        ready_by: chrono::NaiveDate::from_ymd_opt(2027, 1, 8).unwrap_or_default(),
        revised: topic == Topic::DeadlineMissed,
    };
    v.insert("estimate", sample.message().render(lang));
    v.insert("status_link", format!("{}/status?lang={}", s.public_url, lang.code()));
    v.insert("confirm_link", format!("{}/notify/confirm?token=…", s.public_url));
    v.insert("unsubscribe_link", format!("{}/notify/unsubscribe?token=…", s.public_url));
    Ok((s.templates.render(lang, topic, &v), s.templates.source(lang, topic).to_owned()))
}
