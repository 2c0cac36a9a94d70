//! Subscriptions and the outbox. The statements that write a stage change's
//! messages are here too, used inside the stage change's own transaction by
//! `steps.rs` and the weekly batch.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_db::BeginWrite;
use dossier_db::audit::PendingEntry;
use dossier_db::{Backend, StoreError, StoreResult, append_audit, on_db};
use dossier_domain::notify::{Channel, Topic};
use serde_json::json;
use uuid::Uuid;

use super::SqlStore;
use crate::*;

/// The messages one event of a person causes: one per active subscription
/// of the person that covers the case, and one per system's webhook. A
/// repeat of the event (same case, topic and time) writes nothing.
/// `$1` person, `$2` case, `$3` topic, `$4` when it happened, `$5` office,
/// `$6` payload, `$7` certificate, `$8` now.
pub(crate) const ENQUEUE_FOR_PERSON: &str = "INSERT INTO notifications \
     (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, payload, status, attempts, next_attempt_at, created_at) \
     SELECT s.id, $1, s.channel, $2, $3, $4, $5, $6, 'pending', 0, $8, $8 FROM subscriptions s \
     WHERE s.status = 'active' AND ((s.person_id = $1 AND (s.certificate_id IS NULL OR s.certificate_id = $7)) \
     OR (s.person_id IS NULL AND s.request_id IS NULL AND s.booking_id IS NULL AND s.question_id IS NULL AND s.e_application_id IS NULL)) \
     ON CONFLICT DO NOTHING";

/// The messages of a shared-document request's own followers (who
/// subscribed on its status page): `$1` request, `$2` its case reference,
/// `$3` person (once matched), `$4` topic, `$5` when it happened, `$6` payload.
pub(crate) const ENQUEUE_FOR_REQUEST: &str = "INSERT INTO notifications \
     (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, payload, status, attempts, next_attempt_at, created_at) \
     SELECT s.id, $3, s.channel, $2, $4, $5, NULL, $6, 'pending', 0, $5, $5 FROM subscriptions s \
     WHERE s.status = 'active' AND s.request_id = $1 \
     ON CONFLICT DO NOTHING";

/// The messages of a weekly batch's certificates (those at stage `$4` in
/// the unit range `$5`–`$6` moved by batch `$7`): their holders'
/// subscriptions, then the systems' webhooks. `$1` topic, `$2` now, `$3` payload.
pub(crate) const ENQUEUE_FOR_BATCH: [&str; 2] = [
    "INSERT INTO notifications \
     (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, payload, status, attempts, next_attempt_at, created_at) \
     SELECT s.id, c.person_id, s.channel, c.number, $1, $2, c.issue_unit_id, $3, 'pending', 0, $2, $2 \
     FROM certificates c JOIN subscriptions s ON s.person_id = c.person_id \
     WHERE s.status = 'active' AND (s.certificate_id IS NULL OR s.certificate_id = c.id) \
     AND c.stage = $4 AND c.unit_path >= $5 AND c.unit_path < $6 AND c.batch_id = $7 \
     ON CONFLICT DO NOTHING",
    "INSERT INTO notifications \
     (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, payload, status, attempts, next_attempt_at, created_at) \
     SELECT s.id, c.person_id, s.channel, c.number, $1, $2, c.issue_unit_id, $3, 'pending', 0, $2, $2 \
     FROM subscriptions s, certificates c \
     WHERE s.person_id IS NULL AND s.request_id IS NULL AND s.booking_id IS NULL AND s.question_id IS NULL AND s.e_application_id IS NULL AND s.status = 'active' \
     AND c.stage = $4 AND c.unit_path >= $5 AND c.unit_path < $6 AND c.batch_id = $7 \
     ON CONFLICT DO NOTHING",
];

/// What a certificate's message is rendered with: enough to estimate the
/// ready date as it stood when the stage was reached.
pub(crate) fn step_payload(
    form: dossier_domain::lifecycle::CertificateForm,
    stage: dossier_domain::lifecycle::Stage,
    accepted_at: Option<DateTime<Utc>>,
    due_at: Option<DateTime<Utc>>,
) -> String {
    json!({"form": form.as_str(), "stage": stage.as_str(), "accepted_at": accepted_at, "due_at": due_at}).to_string()
}

/// Writes a certificate's messages for its move to `to` inside `$tx`, when
/// the move is one a citizen is told of.
macro_rules! notify_step {
    ($tx:expr, $cert:expr, $to:expr, $now:expr, $due:expr) => {{
        let cert: &$crate::CertificateRecord = $cert;
        if let Some(topic) = dossier_domain::notify::Topic::of_stage(cert.data.form, $to) {
            sqlx::query($crate::sql::notify::ENQUEUE_FOR_PERSON)
                .bind(cert.person_id)
                .bind(&cert.number)
                .bind(topic.as_str())
                .bind($now)
                .bind(cert.data.issue_unit_id)
                .bind($crate::sql::notify::step_payload(cert.data.form, $to, Some(cert.created_at), $due))
                .bind(cert.id)
                .bind($now)
                .execute(&mut *$tx)
                .await?;
        }
    }};
}
pub(crate) use notify_step;

const SUB_COLS: &str = "id, person_id, certificate_id, request_id, channel, address, secret, lang, status, link_expires_at, \
     created_by, created_at, active_at, ended_at, ended_reason";

const NOTE_COLS: &str = "id, subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, payload, \
     status, attempts, next_attempt_at, last_error, receipt, created_at, sent_at";

#[derive(sqlx::FromRow)]
struct SubRow {
    id: i64,
    person_id: Option<Uuid>,
    certificate_id: Option<Uuid>,
    request_id: Option<Uuid>,
    channel: String,
    address: Option<String>,
    secret: Option<String>,
    lang: String,
    status: String,
    link_expires_at: Option<DateTime<Utc>>,
    created_by: String,
    created_at: DateTime<Utc>,
    active_at: Option<DateTime<Utc>>,
    ended_at: Option<DateTime<Utc>>,
    ended_reason: Option<String>,
}

impl SubRow {
    fn into_record(self) -> StoreResult<SubscriptionRecord> {
        Ok(SubscriptionRecord {
            id: self.id,
            person_id: self.person_id,
            certificate_id: self.certificate_id,
            request_id: self.request_id,
            channel: Channel::parse(&self.channel).ok_or_else(|| StoreError::corrupt("channel"))?,
            address: self.address,
            secret: self.secret,
            lang: self.lang,
            status: SubscriptionStatus::parse(&self.status)
                .ok_or_else(|| StoreError::corrupt("subscription status"))?,
            link_expires_at: self.link_expires_at,
            created_by: self.created_by,
            created_at: self.created_at,
            active_at: self.active_at,
            ended_at: self.ended_at,
            ended_reason: self.ended_reason,
        })
    }
}

#[derive(sqlx::FromRow)]
struct NoteRow {
    id: i64,
    subscription_id: i64,
    person_id: Option<Uuid>,
    channel: String,
    case_ref: String,
    topic: String,
    occurred_at: DateTime<Utc>,
    unit_id: Option<i64>,
    payload: String,
    status: String,
    attempts: i64,
    next_attempt_at: DateTime<Utc>,
    last_error: Option<String>,
    receipt: Option<String>,
    created_at: DateTime<Utc>,
    sent_at: Option<DateTime<Utc>>,
}

impl NoteRow {
    fn into_record(self) -> StoreResult<Notification> {
        Ok(Notification {
            id: self.id,
            subscription_id: self.subscription_id,
            person_id: self.person_id,
            channel: Channel::parse(&self.channel).ok_or_else(|| StoreError::corrupt("channel"))?,
            case_ref: self.case_ref,
            topic: Topic::parse(&self.topic).ok_or_else(|| StoreError::corrupt("topic"))?,
            occurred_at: self.occurred_at,
            unit_id: self.unit_id,
            payload: serde_json::from_str(&self.payload).map_err(StoreError::corrupt)?,
            status: DeliveryStatus::parse(&self.status).ok_or_else(|| StoreError::corrupt("delivery status"))?,
            attempts: self.attempts,
            next_attempt_at: self.next_attempt_at,
            last_error: self.last_error,
            receipt: self.receipt,
            created_at: self.created_at,
            sent_at: self.sent_at,
        })
    }
}

/// Writes one message to one subscription (the opt-in, the welcome in a
/// newly linked chat) inside `$tx`.
macro_rules! enqueue_to {
    ($tx:expr, $sub:expr, $topic:expr, $case:expr, $payload:expr, $now:expr) => {{
        let sub: &SubRow = $sub;
        sqlx::query(
            "INSERT INTO notifications (subscription_id, person_id, channel, case_ref, topic, occurred_at, unit_id, payload, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, 'pending', 0, $6, $6) ON CONFLICT DO NOTHING",
        )
        .bind(sub.id)
        .bind(sub.person_id)
        .bind(&sub.channel)
        .bind($case)
        .bind($topic.as_str())
        .bind($now)
        .bind($payload)
        .execute(&mut *$tx)
        .await?;
    }};
}

/// The case a subscription's own messages name, and what their templates
/// need to say what it is: an application number; a shared document's
/// request id and type; or nothing for one that covers all of a person's cases.
macro_rules! case_of {
    ($tx:expr, $sub:expr) => {{
        let sub: &SubRow = $sub;
        match (sub.certificate_id, sub.request_id) {
            (Some(id), _) => {
                let number: Option<String> = sqlx::query_scalar("SELECT number FROM certificates WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                (number.unwrap_or_default(), serde_json::json!({}))
            }
            (None, Some(id)) => {
                let kind: Option<String> = sqlx::query_scalar("SELECT document_type FROM sharing_requests WHERE id = $1")
                    .bind(id)
                    .fetch_optional(&mut *$tx)
                    .await?;
                (id.to_string(), serde_json::json!({ "document_type": kind }))
            }
            (None, None) => (String::new(), serde_json::json!({})),
        }
    }};
}

/// Ends a subscription and gives up its waiting messages inside `$tx`;
/// the row when it was not ended already.
macro_rules! end_in_tx {
    ($tx:expr, $id:expr, $reason:expr, $now:expr) => {{
        let row: Option<SubRow> = sqlx::query_as(&format!(
            "UPDATE subscriptions SET status = 'ended', ended_at = $1, ended_reason = $2 \
             WHERE id = $3 AND status <> 'ended' RETURNING {SUB_COLS}"
        ))
        .bind($now)
        .bind($reason)
        .bind($id)
        .fetch_optional(&mut *$tx)
        .await?;
        if row.is_some() {
            sqlx::query(
                "UPDATE notifications SET status = 'dead', last_error = 'subscription ended', claimed_until = NULL \
                 WHERE subscription_id = $1 AND status = 'pending'",
            )
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        }
        row
    }};
}

#[async_trait]
impl Notifications for SqlStore {
    async fn subscribe(
        &self,
        actor: &Actor,
        new: &NewSubscription,
        confirm: Option<serde_json::Value>,
        now: DateTime<Utc>,
    ) -> StoreResult<SubscriptionRecord> {
        let status = if new.active { SubscriptionStatus::Active } else { SubscriptionStatus::Pending };
        let row: SubRow = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            // The case's row is the lock that serializes the count on
            // PostgreSQL (SQLite has one writer anyway).
            let case = match (new.certificate_id, new.request_id) {
                (Some(id), _) => Some((id, "certificates", "certificate_id")),
                (None, Some(id)) => Some((id, "sharing_requests", "request_id")),
                (None, None) => None,
            };
            if let (true, Some((id, table, column))) = (new.limit_pending, case) {
                if d.backend == Backend::Postgres {
                    sqlx::query(&format!("SELECT id FROM {table} WHERE id = $1 FOR UPDATE"))
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                let expiries: Vec<(DateTime<Utc>,)> = sqlx::query_as(&format!(
                    "SELECT link_expires_at FROM subscriptions WHERE {column} = $1 AND status = 'pending' \
                     AND link_expires_at > $2"
                ))
                .bind(id)
                .bind(now)
                .fetch_all(&mut *tx)
                .await?;
                let expiries: Vec<DateTime<Utc>> = expiries.into_iter().map(|(e,)| e).collect();
                if let Some(wait) = dossier_domain::notify::pending_wait(&expiries, now) {
                    return Err(StoreError::Limited {
                        key: dossier_domain::Message::new("notify.too_many_pending"),
                        retry_after: wait.to_std().unwrap_or_default(),
                    });
                }
            }
            let row: SubRow = sqlx::query_as(&format!(
                "INSERT INTO subscriptions (person_id, certificate_id, channel, address, secret, lang, status, \
                 link_expires_at, created_by, created_at, active_at, request_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING {SUB_COLS}"
            ))
            .bind(new.person_id)
            .bind(new.certificate_id)
            .bind(new.channel.as_str())
            .bind(&new.address)
            .bind(&new.secret)
            .bind(&new.lang)
            .bind(status.as_str())
            .bind(new.link_expires_at)
            .bind(&actor.label)
            .bind(now)
            .bind(new.active.then_some(now))
            .bind(new.request_id)
            .fetch_one(&mut *tx)
            .await?;
            if let Some(payload) = confirm {
                let (case, mut about) = case_of!(tx, &row);
                if let (Some(about), serde_json::Value::Object(given)) = (about.as_object_mut(), payload) {
                    about.extend(given);
                }
                enqueue_to!(tx, &row, Topic::ConfirmSubscription, case, about.to_string(), now);
            }
            let details = json!({"channel": new.channel.as_str(), "certificate_id": new.certificate_id,
                                 "request_id": new.request_id, "active": new.active});
            let subject = match (new.person_id, new.request_id) {
                (Some(p), _) => format!("person:{p}"),
                (None, Some(r)) => format!("sharing_request:{r}"),
                (None, None) => format!("subscription:{}", row.id),
            };
            append_audit!(tx, d, vec![PendingEntry::new(&actor.label, "notify.subscribe", subject, details)]);
            tx.commit().await?;
            Ok::<SubRow, StoreError>(row)
        })?;
        row.into_record()
    }

    async fn subscription(&self, id: i64) -> StoreResult<Option<SubscriptionRecord>> {
        let row: Option<SubRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!("SELECT {SUB_COLS} FROM subscriptions WHERE id = $1"))
                .bind(id)
                .fetch_optional(pool)
                .await?
        });
        row.map(SubRow::into_record).transpose()
    }

    async fn activate_subscription(
        &self,
        id: i64,
        channel: Channel,
        address: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SubscriptionRecord>> {
        let row: Option<SubRow> = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<SubRow> = sqlx::query_as(&format!(
                "UPDATE subscriptions SET status = 'active', active_at = $1, address = COALESCE($2, address) \
                 WHERE id = $3 AND channel = $4 AND status = 'pending' AND link_expires_at > $1 RETURNING {SUB_COLS}"
            ))
            .bind(now)
            .bind(address)
            .bind(id)
            .bind(channel.as_str())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(row) = &row {
                if channel != Channel::Email {
                    let (case, about) = case_of!(tx, row);
                    enqueue_to!(tx, row, Topic::Subscribed, case, about.to_string(), now);
                }
                let subject = row.person_id.map_or(format!("subscription:{id}"), |p| format!("person:{p}"));
                let entry = PendingEntry::new(
                    "citizen",
                    "notify.activate",
                    subject,
                    json!({"subscription": id, "channel": channel.as_str()}),
                );
                append_audit!(tx, d, vec![entry]);
            }
            tx.commit().await?;
            Ok::<Option<SubRow>, StoreError>(row)
        })?;
        row.map(SubRow::into_record).transpose()
    }

    async fn end_subscription(
        &self,
        actor: &Actor,
        id: i64,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<SubscriptionRecord>> {
        let row: Option<SubRow> = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<SubRow> = end_in_tx!(tx, id, reason, now);
            if let Some(row) = &row {
                let subject = row.person_id.map_or(format!("subscription:{id}"), |p| format!("person:{p}"));
                let entry = PendingEntry::new(
                    &actor.label,
                    "notify.unsubscribe",
                    subject,
                    json!({"subscription": id, "reason": reason}),
                );
                append_audit!(tx, d, vec![entry]);
            }
            tx.commit().await?;
            Ok::<Option<SubRow>, StoreError>(row)
        })?;
        row.map(SubRow::into_record).transpose()
    }

    async fn end_chat_subscriptions(
        &self,
        actor: &Actor,
        channel: Channel,
        address: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<u64> {
        on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM subscriptions WHERE channel = $1 AND address = $2 AND status <> 'ended' ORDER BY id",
            )
            .bind(channel.as_str())
            .bind(address)
            .fetch_all(&mut *tx)
            .await?;
            let mut entries = Vec::new();
            for id in ids {
                let row: Option<SubRow> = end_in_tx!(tx, id, reason, now);
                if let Some(row) = row {
                    let subject = row.person_id.map_or(format!("subscription:{id}"), |p| format!("person:{p}"));
                    let details = json!({"subscription": id, "reason": reason});
                    entries.push(PendingEntry::new(&actor.label, "notify.unsubscribe", subject, details));
                }
            }
            let ended = entries.len() as u64;
            if !entries.is_empty() {
                append_audit!(tx, d, entries);
            }
            tx.commit().await?;
            Ok::<u64, StoreError>(ended)
        })
    }

    async fn subscriptions_of(&self, whose: Subscribers) -> StoreResult<Vec<SubscriptionRecord>> {
        let (filter, id) = match whose {
            Subscribers::Person(p) => ("person_id = $1", Some(p)),
            Subscribers::Request(r) => ("request_id = $1", Some(r)),
            Subscribers::Systems => (
                "person_id IS NULL AND request_id IS NULL AND booking_id IS NULL AND question_id IS NULL AND e_application_id IS NULL",
                None,
            ),
        };
        let sql = format!("SELECT {SUB_COLS} FROM subscriptions WHERE {filter} ORDER BY id DESC");
        let rows: Vec<SubRow> = on_db!(&self.db, read, |pool, _d| {
            let q = sqlx::query_as(&sql);
            match id {
                Some(id) => q.bind(id).fetch_all(pool).await?,
                None => q.fetch_all(pool).await?,
            }
        });
        rows.into_iter().map(SubRow::into_record).collect()
    }

    async fn notify_person(&self, e: &PersonEvent, now: DateTime<Utc>) -> StoreResult<u64> {
        let n = on_db!(&self.db, write, |pool, _d| {
            sqlx::query(ENQUEUE_FOR_PERSON)
                .bind(e.person_id)
                .bind(&e.case_ref)
                .bind(e.topic.as_str())
                .bind(e.occurred_at)
                .bind(e.unit_id)
                .bind(e.payload.to_string())
                .bind(e.certificate_id)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n)
    }

    async fn notify_due(&self, now: DateTime<Utc>, horizon: NaiveDate) -> StoreResult<u64> {
        let dead = super::rows::dead_stages_sql();
        let n = on_db!(&self.db, write, |pool, d| {
            // The end date as the instant it starts (UTC midnight): the same on every run.
            let ends = match d.backend {
                Backend::Sqlite => "c.valid_until || 'T00:00:00+00:00'",
                Backend::Postgres => "CAST(c.valid_until AS TIMESTAMPTZ)",
            };
            let insert = "INSERT INTO notifications (subscription_id, person_id, channel, case_ref, topic, occurred_at, \
                 unit_id, payload, status, attempts, next_attempt_at, created_at)";
            let joined = "FROM certificates c JOIN subscriptions s ON s.person_id = c.person_id \
                 AND (s.certificate_id IS NULL OR s.certificate_id = c.id) WHERE s.status = 'active'";
            let mut tx = pool.begin_write().await?;
            let late = sqlx::query(&format!(
                "{insert} SELECT s.id, c.person_id, s.channel, c.number, $1, c.due_at, c.issue_unit_id, \
                 '{{\"form\":\"' || c.form || '\",\"stage\":\"' || c.stage || '\"}}', 'pending', 0, $2, $2 \
                 {joined} AND c.due_at < $2 ON CONFLICT DO NOTHING"
            ))
            .bind(Topic::DeadlineMissed.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            let ending = sqlx::query(&format!(
                "{insert} SELECT s.id, c.person_id, s.channel, c.number, $1, {ends}, c.issue_unit_id, '{{}}', \
                 'pending', 0, $2, $2 {joined} AND c.valid_until <= $3 AND c.stage NOT IN ({dead}) ON CONFLICT DO NOTHING"
            ))
            .bind(Topic::ValidityEnding.as_str())
            .bind(now)
            .bind(horizon)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            // An appointment's reminder, once per slot it is booked for (a
            // moved booking is reminded of its new time).
            let reminders = sqlx::query(&format!(
                "{insert} SELECT s.id, NULL, s.channel, 'appointment:' || a.id, $1, a.starts_at, a.unit_id, \
                 '{{\"service\":\"' || a.service || '\"}}', 'pending', 0, $2, $2 FROM bookings a \
                 JOIN subscriptions s ON s.booking_id = a.id WHERE s.status = 'active' AND a.status = 'booked' \
                 AND a.remind_at <= $2 AND a.starts_at > $2 ON CONFLICT DO NOTHING"
            ))
            .bind(Topic::AppointmentReminder.as_str())
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            tx.commit().await?;
            late + ending + reminders
        });
        Ok(n)
    }

    async fn claim_notifications(
        &self,
        channels: &[Channel],
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<Claimed>> {
        if channels.is_empty() {
            return Ok(Vec::new());
        }
        let rows: Vec<(NoteRow, Option<String>, Option<String>, String)> = on_db!(&self.db, write, |pool, d| {
            let marks: Vec<String> = (3..channels.len() + 3).map(|n| format!("${n}")).collect();
            let marks = marks.join(", ");
            let skip_locked = if d.backend == Backend::Postgres { " FOR UPDATE SKIP LOCKED" } else { "" };
            let mut tx = pool.begin_write().await?;
            let claim = format!(
                "UPDATE notifications SET claimed_until = $1 WHERE id IN (SELECT id FROM notifications \
                 WHERE status = 'pending' AND next_attempt_at <= $2 AND (claimed_until IS NULL OR claimed_until <= $2) \
                 AND channel IN ({marks}) ORDER BY next_attempt_at LIMIT {limit}{skip_locked}) RETURNING id"
            );
            let mut q = sqlx::query_scalar(&claim).bind(now + lease).bind(now);
            for c in channels {
                q = q.bind(c.as_str());
            }
            let ids: Vec<i64> = q.fetch_all(&mut *tx).await?;
            let mut out = Vec::with_capacity(ids.len());
            if !ids.is_empty() {
                let marks = d.list(0, ids.len());
                let sql = format!(
                    "SELECT n.id, n.subscription_id, n.person_id, n.channel, n.case_ref, n.topic, n.occurred_at, n.unit_id, \
                     n.payload, n.status, n.attempts, n.next_attempt_at, n.last_error, n.receipt, n.created_at, n.sent_at, \
                     s.address, s.secret, s.lang FROM notifications n JOIN subscriptions s ON s.id = n.subscription_id \
                     WHERE n.id IN ({marks}) ORDER BY n.next_attempt_at"
                );
                let mut q = sqlx::query(&sql);
                for id in &ids {
                    q = q.bind(id);
                }
                for r in q.fetch_all(&mut *tx).await? {
                    use sqlx::{FromRow, Row};
                    out.push((NoteRow::from_row(&r)?, r.try_get("address")?, r.try_get("secret")?, r.try_get("lang")?));
                }
            }
            tx.commit().await?;
            Ok::<_, StoreError>(out)
        })?;
        let mut claimed = Vec::with_capacity(rows.len());
        for (row, address, secret, lang) in rows {
            let notification = row.into_record()?;
            match address {
                Some(address) => claimed.push(Claimed { notification, address, secret, lang }),
                // A chat never linked has nowhere to go (it cannot be active; kept total).
                None => {
                    let settle = Settlement::Dead { error: "no address".into() };
                    self.settle_notification(notification.id, &settle, now).await?;
                }
            }
        }
        Ok(claimed)
    }

    async fn settle_notifications(&self, items: &[(i64, Settlement)], now: DateTime<Utc>) -> StoreResult<()> {
        if items.is_empty() {
            return Ok(());
        }
        on_db!(&self.db, write, |pool, _d| {
            let mut tx = pool.begin_write().await?;
            for (id, settlement) in items {
                let id = *id;
                let (outcome, detail): (&str, Option<&str>) = match settlement {
                    Settlement::Sent { receipt } => {
                        sqlx::query(
                            "UPDATE notifications SET status = 'sent', attempts = attempts + 1, sent_at = $1, receipt = $2, \
                             claimed_until = NULL, last_error = NULL WHERE id = $3",
                        )
                        .bind(now)
                        .bind(receipt)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        ("sent", Some(receipt.as_str()))
                    }
                    Settlement::Retry { at, error } => {
                        sqlx::query(
                            "UPDATE notifications SET attempts = attempts + 1, next_attempt_at = $1, last_error = $2, \
                             claimed_until = NULL WHERE id = $3 AND status = 'pending'",
                        )
                        .bind(at)
                        .bind(error)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        ("retry", Some(error.as_str()))
                    }
                    Settlement::Dead { error } | Settlement::EndSubscription { error } => {
                        let sub: Option<i64> = sqlx::query_scalar(
                            "UPDATE notifications SET status = 'dead', attempts = attempts + 1, last_error = $1, \
                             claimed_until = NULL WHERE id = $2 RETURNING subscription_id",
                        )
                        .bind(error)
                        .bind(id)
                        .fetch_optional(&mut *tx)
                        .await?;
                        if let (Settlement::EndSubscription { .. }, Some(sub)) = (settlement, sub) {
                            end_in_tx!(tx, sub, error.as_str(), now);
                        }
                        ("dead", Some(error.as_str()))
                    }
                    Settlement::Defer { at } => {
                        sqlx::query(
                            "UPDATE notifications SET next_attempt_at = $1, claimed_until = NULL WHERE id = $2",
                        )
                        .bind(at)
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                        continue;
                    }
                };
                sqlx::query(
                    "INSERT INTO notification_attempts (notification_id, at, outcome, detail) VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(now)
                .bind(outcome)
                .bind(detail)
                .execute(&mut *tx)
                .await?;
            }
            tx.commit().await?;
            Ok::<(), StoreError>(())
        })?;
        Ok(())
    }

    async fn notification(&self, id: i64) -> StoreResult<Option<(Notification, Vec<DeliveryAttempt>)>> {
        let (row, attempts): (Option<NoteRow>, Vec<(DateTime<Utc>, String, Option<String>)>) =
            on_db!(&self.db, read, |pool, _d| {
                let row = sqlx::query_as(&format!("SELECT {NOTE_COLS} FROM notifications WHERE id = $1"))
                    .bind(id)
                    .fetch_optional(pool)
                    .await?;
                let attempts = sqlx::query_as(
                    "SELECT at, outcome, detail FROM notification_attempts WHERE notification_id = $1 ORDER BY at",
                )
                .bind(id)
                .fetch_all(pool)
                .await?;
                (row, attempts)
            });
        let Some(row) = row else { return Ok(None) };
        let attempts =
            attempts.into_iter().map(|(at, outcome, detail)| DeliveryAttempt { at, outcome, detail }).collect();
        Ok(Some((row.into_record()?, attempts)))
    }

    async fn notifications_of(&self, person_id: Uuid, limit: i64) -> StoreResult<Vec<Notification>> {
        let rows: Vec<NoteRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {NOTE_COLS} FROM notifications WHERE person_id = $1 ORDER BY id DESC LIMIT $2"
            ))
            .bind(person_id)
            .bind(limit)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(NoteRow::into_record).collect()
    }

    async fn notifications_in(&self, status: DeliveryStatus, page: Page) -> StoreResult<Vec<Notification>> {
        let rows: Vec<NoteRow> = on_db!(&self.db, read, |pool, _d| {
            sqlx::query_as(&format!(
                "SELECT {NOTE_COLS} FROM notifications WHERE status = $1 ORDER BY id DESC LIMIT $2 OFFSET $3"
            ))
            .bind(status.as_str())
            .bind(page.limit)
            .bind(page.offset)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter().map(NoteRow::into_record).collect()
    }

    async fn outbox_counts(&self, since: DateTime<Utc>) -> StoreResult<Vec<OutboxCount>> {
        let rows: Vec<(String, String, bool, String, i64)> = on_db!(&self.db, read, |pool, d| {
            // The hour as text, `YYYY-MM-DD HH` (SQLite keeps times as RFC 3339 text in UTC).
            let hour = match d.backend {
                Backend::Sqlite => "substr(COALESCE(sent_at, created_at), 1, 13)",
                Backend::Postgres => "to_char(COALESCE(sent_at, created_at) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24')",
            };
            sqlx::query_as(&format!(
                "SELECT channel, status, attempts > 0 AND status = 'pending', {hour} AS hour, COUNT(*) FROM notifications \
                 WHERE created_at >= $1 OR status <> 'sent' GROUP BY channel, status, attempts > 0 AND status = 'pending', hour \
                 ORDER BY hour DESC, channel, status"
            ))
            .bind(since)
            .fetch_all(pool)
            .await?
        });
        rows.into_iter()
            .map(|(channel, status, retrying, hour, count)| {
                Ok(OutboxCount {
                    channel: Channel::parse(&channel).ok_or_else(|| StoreError::corrupt("channel"))?,
                    status: DeliveryStatus::parse(&status).ok_or_else(|| StoreError::corrupt("delivery status"))?,
                    retrying,
                    hour: parse_hour(&hour).ok_or_else(|| StoreError::corrupt(format!("hour {hour}")))?,
                    count,
                })
            })
            .collect()
    }

    async fn retry_notification(
        &self,
        actor: &Actor,
        id: i64,
        now: DateTime<Utc>,
    ) -> StoreResult<Option<Notification>> {
        let row: Option<NoteRow> = on_db!(&self.db, write, |pool, d| {
            let mut tx = pool.begin_write().await?;
            let row: Option<NoteRow> = sqlx::query_as(&format!(
                "UPDATE notifications SET status = 'pending', attempts = 0, next_attempt_at = $1, claimed_until = NULL \
                 WHERE id = $2 AND status = 'dead' AND EXISTS (SELECT 1 FROM subscriptions s \
                 WHERE s.id = notifications.subscription_id AND s.status <> 'ended') RETURNING {NOTE_COLS}"
            ))
            .bind(now)
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
            if row.is_some() {
                let entry = PendingEntry::new(&actor.label, "notify.retry", format!("notification:{id}"), json!({}));
                append_audit!(tx, d, vec![entry]);
            }
            tx.commit().await?;
            Ok::<Option<NoteRow>, StoreError>(row)
        })?;
        row.map(NoteRow::into_record).transpose()
    }

    async fn first_sight_of_update(&self, channel: Channel, update_id: &str, now: DateTime<Utc>) -> StoreResult<bool> {
        let n = on_db!(&self.db, write, |pool, _d| {
            sqlx::query("INSERT INTO chat_updates (channel, update_id, at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(channel.as_str())
                .bind(update_id)
                .bind(now)
                .execute(pool)
                .await?
                .rows_affected()
        });
        Ok(n == 1)
    }
}

/// `YYYY-MM-DD HH` (or with `T`) as the start of that hour in UTC.
fn parse_hour(s: &str) -> Option<DateTime<Utc>> {
    let date = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let hour: u32 = s.get(11..13)?.parse().ok()?;
    Some(date.and_hms_opt(hour, 0, 0)?.and_utc())
}
