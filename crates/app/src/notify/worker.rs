//! The delivery worker: claims due messages from the outbox, renders each in
//! its subscriber's language, sends it through its channel's transport and
//! settles it — sent, retry later, dead, or the subscription ended. Any
//! number of workers may run, in one process or many: the store hands each
//! message to one worker at a time (`FOR UPDATE SKIP LOCKED` on PostgreSQL)
//! for a lease, so a worker killed mid-send gives its messages back when the
//! lease ends, and the message in flight is sent again with the same id.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Utc};
use dossier_domain::Lang;
use dossier_domain::appointment::Service;
use dossier_domain::e_application::{Kind as EKind, Status as EStatus};
use dossier_domain::lifecycle::{CertificateForm, Stage};
use dossier_domain::notify::{AfterFailure, Channel, RateLimit, Topic};
use dossier_domain::sharing::DocumentType;
use dossier_domain::time::kyiv_time;
use dossier_domain::tracking::{self, Progress};
use dossier_notify::Outgoing;
use dossier_store::{Claimed, Notification, Settlement};
use futures::StreamExt;

use super::{Notifier, Purpose};
use crate::App;
use crate::error::{AppError, AppResult};
use crate::tracking::CaseRef;

/// The pace of each channel and of each recipient, in this process.
#[derive(Default)]
pub struct Pacing {
    channels: HashMap<Channel, RateLimit>,
    recipients: HashMap<(Channel, String), RateLimit>,
}

impl Pacing {
    /// Takes a send for `to` on `channel` at `now`, or says when to come back.
    fn take(&mut self, n: &Notifier, channel: Channel, to: &str, now: DateTime<Utc>) -> Result<(), chrono::Duration> {
        let s = &n.settings;
        let (rate, per_chat) = match channel {
            Channel::Email => (s.email_rate, None),
            Channel::Telegram => (
                s.telegram.as_ref().map_or(0.0, |b| b.rate),
                s.telegram.as_ref().map(|b| RateLimit::new(b.per_chat, 1.0)),
            ),
            Channel::Viber => {
                (s.viber.as_ref().map_or(0.0, |b| b.rate), s.viber.as_ref().map(|b| RateLimit::per_hour(b.per_chat)))
            }
            Channel::Webhook => (0.0, None),
        };
        if per_chat.is_some() && self.recipients.len() > 100_000 {
            // Idle buckets are full anyway; forgetting them loses nothing.
            self.recipients.clear();
        }
        let bulk = self.channels.entry(channel).or_insert_with(|| RateLimit::new(rate, rate.max(1.0)));
        let mut recipient = per_chat.map(|fresh| self.recipients.entry((channel, to.to_owned())).or_insert(fresh));
        // Both must allow the send; a refused one spends from neither.
        let waits = [bulk.wait(now), recipient.as_mut().and_then(|r| r.wait(now))];
        if let Some(wait) = waits.into_iter().flatten().max() {
            return Err(wait);
        }
        bulk.spend();
        if let Some(r) = recipient {
            r.spend();
        }
        Ok(())
    }
}

/// How far ahead a citizen is told that their certificate stops serving.
pub const VALIDITY_NOTICE: chrono::Duration = chrono::Duration::days(30);

/// How often the scheduling worker looks for what time alone causes.
const SCHEDULE_EVERY: std::time::Duration = std::time::Duration::from_secs(600);

type SettleRequest = (i64, Settlement, tokio::sync::oneshot::Sender<AppResult<()>>);

/// Group commit of outcomes: the outcomes waiting when the store is free go
/// in one transaction, and each send waits for its own to be written — so a
/// worker killed loses at most the messages it was sending, never more.
struct Settler {
    tx: tokio::sync::mpsc::Sender<SettleRequest>,
}

impl Settler {
    /// Starts the settling task (needs a Tokio runtime).
    fn spawn(app: Arc<App>) -> Settler {
        let (tx, mut rx) = tokio::sync::mpsc::channel::<SettleRequest>(1024);
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < 256 {
                    match rx.try_recv() {
                        Ok(r) => batch.push(r),
                        Err(_) => break,
                    }
                }
                let items: Vec<(i64, Settlement)> = batch.iter().map(|(id, s, _)| (*id, s.clone())).collect();
                let result = app.store.settle_notifications(&items, Utc::now()).await.map_err(AppError::from);
                for (_, _, ack) in batch {
                    let _ = ack.send(result.clone());
                }
            }
        });
        Settler { tx }
    }

    async fn settle(&self, id: i64, settlement: Settlement) -> AppResult<()> {
        let (ack, done) = tokio::sync::oneshot::channel();
        self.tx.send((id, settlement, ack)).await.map_err(|_| AppError::internal())?;
        done.await.map_err(|_| AppError::internal())?
    }
}

/// One worker's state.
pub struct Worker {
    app: Arc<App>,
    pacing: Mutex<Pacing>,
    settler: Settler,
    /// This worker also writes the messages of missed deadlines and ending
    /// validity (any number may; running it twice writes nothing twice).
    schedules: bool,
}

impl Worker {
    pub fn new(app: Arc<App>) -> Worker {
        let settler = Settler::spawn(app.clone());
        Worker { app, pacing: Mutex::default(), settler, schedules: false }
    }

    /// A worker that also raises the scheduled events.
    pub fn scheduling(mut self) -> Worker {
        self.schedules = true;
        self
    }

    /// Writes the messages of missed deadlines, of validity ending within
    /// [`VALIDITY_NOTICE`] and of appointments' reminders now due; how many.
    pub async fn raise_scheduled(&self, now: DateTime<Utc>) -> AppResult<u64> {
        let horizon = kyiv_time(now).date_naive() + VALIDITY_NOTICE;
        Ok(self.app.store.notify_due(now, horizon).await?)
    }

    /// Claims one batch of due messages and delivers it; how many were claimed.
    pub async fn deliver_due(&self, now: DateTime<Utc>) -> AppResult<usize> {
        let Some(notifier) = self.app.notifier.clone() else { return Ok(0) };
        let s = &notifier.settings;
        let claimed = self.app.store.claim_notifications(&notifier.channels(), now, s.lease, s.batch).await?;
        let count = claimed.len();
        let results: Vec<AppResult<()>> = futures::stream::iter(claimed)
            .map(|c| self.deliver(&notifier, c))
            .buffer_unordered(s.concurrency.max(1))
            .collect()
            .await;
        results.into_iter().collect::<AppResult<Vec<()>>>()?;
        Ok(count)
    }

    /// Delivers until nothing is due; how many messages were claimed.
    pub async fn drain(&self) -> AppResult<u64> {
        let mut total = 0u64;
        loop {
            match self.deliver_due(Utc::now()).await? {
                0 => return Ok(total),
                n => total += n as u64,
            }
        }
    }

    /// Delivers until `stop` says so, waiting `idle` when nothing is due.
    pub async fn run(&self, idle: std::time::Duration, mut stop: tokio::sync::watch::Receiver<bool>) {
        let mut scheduled: Option<std::time::Instant> = None;
        loop {
            if *stop.borrow() {
                return;
            }
            if self.schedules && scheduled.is_none_or(|t| t.elapsed() >= SCHEDULE_EVERY) {
                scheduled = Some(std::time::Instant::now());
                if let Err(e) = self.raise_scheduled(Utc::now()).await {
                    tracing::warn!(error = %e, "scheduled notifications");
                }
            }
            let wait = match self.deliver_due(Utc::now()).await {
                Ok(0) => idle,
                Ok(_) => continue,
                Err(e) => {
                    tracing::warn!(error = %e, "notification delivery");
                    idle
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(wait) => {}
                _ = stop.changed() => {}
            }
        }
    }

    async fn deliver(&self, notifier: &Notifier, c: Claimed) -> AppResult<()> {
        let n = &c.notification;
        let now = Utc::now();
        // A message the citizen asked for this minute is not held for the night.
        if n.channel.reaches_a_person()
            && !n.topic.is_personal_only()
            && let Some(morning) = notifier.settings.quiet_hours.and_then(|q| q.defer(now))
        {
            return self.settler.settle(n.id, Settlement::Defer { at: morning }).await;
        }
        let paced = self.pacing.lock().map_or(Ok(()), |mut p| p.take(notifier, n.channel, &c.address, now));
        if let Err(wait) = paced {
            return self.settler.settle(n.id, Settlement::Defer { at: now + wait }).await;
        }
        let Some(transport) = notifier.transport(n.channel) else { return Ok(()) };
        let outgoing = outgoing(&self.app, notifier, &c);
        let settlement = match transport.send(&outgoing).await {
            Ok(receipt) => Settlement::Sent { receipt },
            Err(failure) => {
                let attempts = u32::try_from(n.attempts + 1).unwrap_or(u32::MAX);
                let error = failure.error().chars().take(500).collect::<String>();
                match notifier.settings.retry.after(attempts, &failure, Utc::now(), jitter(n.id, attempts)) {
                    AfterFailure::RetryAt(at) => Settlement::Retry { at, error },
                    AfterFailure::Dead => Settlement::Dead { error },
                    AfterFailure::EndSubscription => Settlement::EndSubscription { error },
                }
            }
        };
        // The outcome's log line names the message and channel, never the recipient.
        tracing::info!(target: "dossier::notify", id = n.id, channel = %n.channel, outcome = settlement_name(&settlement), "delivery");
        self.settler.settle(n.id, settlement).await
    }
}

fn settlement_name(s: &Settlement) -> &'static str {
    match s {
        Settlement::Sent { .. } => "sent",
        Settlement::Retry { .. } => "retry",
        Settlement::Dead { .. } => "dead",
        Settlement::EndSubscription { .. } => "ended",
        Settlement::Defer { .. } => "deferred",
    }
}

/// A spread in [0, 1) that differs between messages and attempts, so that
/// messages that failed together do not come back together.
fn jitter(id: i64, attempts: u32) -> f64 {
    let mut x = (id as u64) ^ (u64::from(attempts) << 32) ^ 0x9E37_79B9_7F4A_7C15;
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// The message as it leaves: rendered for a person, or the event as data
/// for a system.
pub fn outgoing(app: &App, notifier: &Notifier, c: &Claimed) -> Outgoing {
    let n = &c.notification;
    let lang = Lang::from_tag(&c.lang).unwrap_or(Lang::UK);
    let values = values(app, notifier, n, lang);
    let rendered = notifier.settings.templates.render(lang, n.topic, &values);
    let unsubscribe_url = (n.channel == Channel::Email && n.topic != Topic::ConfirmSubscription).then(|| {
        let token = notifier.settings.link_key.token(Purpose::Unsubscribe, n.subscription_id, None);
        format!("{}/notify/unsubscribe?token={token}", notifier.settings.public_url)
    });
    Outgoing {
        id: format!("ntf-{}", n.id),
        to: c.address.clone(),
        secret: c.secret.clone(),
        subject: rendered.subject,
        body: rendered.body,
        lang: lang.code().to_owned(),
        unsubscribe_url,
        event: event_data(n, values.get("estimate_date")),
        created_at: n.created_at,
    }
}

/// A system's view of the event (Standard Webhooks body): what happened to
/// which case, when, and where; no personal data beyond the case number.
fn event_data(n: &Notification, ready_by: Option<&String>) -> serde_json::Value {
    serde_json::json!({
        "type": format!("case.{}", n.topic.as_str()),
        "timestamp": n.occurred_at,
        "data": {"case": n.case_ref, "office_id": n.unit_id, "ready_by": ready_by},
    })
}

/// The shared document a message is about (its request and type), if it is about one.
fn shared_document(n: &Notification) -> Option<(uuid::Uuid, DocumentType)> {
    let kind = n.payload.get("document_type").and_then(|t| t.as_str()).and_then(|t| DocumentType::parse(t).ok())?;
    Some((uuid::Uuid::parse_str(&n.case_ref).ok()?, kind))
}

/// The appointment a message is about (its booking id and service), if it is about one.
fn appointment(n: &Notification) -> Option<(i64, Service)> {
    let id = n.case_ref.strip_prefix("appointment:")?.parse().ok()?;
    Some((id, Service::parse(n.payload.get("service")?.as_str()?)?))
}

/// The e-application a message is about (its id and kind), if it is about one.
fn e_application(n: &Notification) -> Option<(uuid::Uuid, EKind)> {
    let id = uuid::Uuid::parse_str(n.case_ref.strip_prefix("e-application:")?).ok()?;
    Some((id, EKind::parse(n.payload.get("kind")?.as_str()?)?))
}

/// The case in words: an appointment by its service, a shared document by
/// its type, an e-application by its kind, else an application by its number.
fn about(n: &Notification) -> dossier_domain::Message {
    if let Some((_, service)) = appointment(n) {
        return service.message();
    }
    if let Some((_, kind)) = e_application(n) {
        return kind.message();
    }
    if n.topic == Topic::QuestionAnswered {
        return dossier_domain::Message::new("question.about");
    }
    match shared_document(n) {
        Some((_, t)) => dossier_domain::Message::new("notify.about_document").with_term("type", t.label_key()),
        None => dossier_domain::Message::new("notify.about_application").with("case", &n.case_ref),
    }
}

/// What a template may name, for this message.
fn values<'a>(app: &App, notifier: &Notifier, n: &Notification, lang: Lang) -> BTreeMap<&'a str, String> {
    let s = &notifier.settings;
    let mut v = BTreeMap::new();
    let day = |t: DateTime<Utc>| kyiv_time(t).format("%d.%m.%Y").to_string();
    v.insert("case", n.case_ref.clone());
    v.insert("about", about(n).render(lang));
    v.insert("date", n.payload.get("date").and_then(|d| d.as_str()).map_or_else(|| day(n.occurred_at), str::to_owned));
    if n.topic == Topic::QuestionAnswered {
        // The question's date is when it was asked; the answer is the message.
        let asked = n.payload.get("asked_at").and_then(|t| serde_json::from_value(t.clone()).ok());
        v.insert("date", day(asked.unwrap_or(n.occurred_at)));
        v.insert("answer", n.payload.get("answer").and_then(|a| a.as_str()).unwrap_or("").to_owned());
    }
    if let Some((id, _)) = e_application(n) {
        // The decision in words, with the reasons of a refusal.
        let status = n.payload.get("decision").and_then(|d| d.as_str()).and_then(EStatus::parse);
        let mut decision = status.map(|s| s.message().render(lang)).unwrap_or_default();
        if let Some(reasons) = n.payload.get("reasons").and_then(|r| r.as_str()) {
            decision = format!("{decision}. {reasons}");
        }
        v.insert("decision", decision);
        v.insert("case", id.to_string());
    }
    if let Some((id, _)) = appointment(n) {
        // An appointment's date is its slot's, with the time on the office's clock.
        let starts = n.payload.get("starts_at").and_then(|t| serde_json::from_value(t.clone()).ok());
        v.insert("date", kyiv_time(starts.unwrap_or(n.occurred_at)).format("%d.%m.%Y %H:%M").to_string());
        let token = s.link_key.token(Purpose::Appointment, id, None);
        v.insert("manage_link", format!("{}/appointments/manage?token={token}&lang={}", s.public_url, lang.code()));
    }
    if let Some(unit) = n.unit_id.and_then(|id| app.unit(id)) {
        let name = if lang == Lang::UK { &unit.name_uk } else { &unit.name_en };
        v.insert("office", name.clone());
        v.insert("address", unit.address.clone().unwrap_or_default());
        v.insert("hours", unit.opening_hours.clone().unwrap_or_default());
    }
    if let Some(e) = estimate(app, n) {
        v.insert("estimate", e.message().render(lang));
        v.insert("estimate_date", e.ready_by.to_string());
    }
    // A shared document has no number and date of birth to type: its follower gets its own link.
    let status = match (shared_document(n), e_application(n)) {
        (Some((id, _)), _) => format!("?t={}&", crate::tracking::status_token(app, CaseRef::SharingRequest(id))),
        (_, Some((id, _))) => format!("?t={}&", crate::tracking::status_token(app, CaseRef::EApplication(id))),
        _ => "?".to_owned(),
    };
    v.insert("status_link", format!("{}/status{status}lang={}", s.public_url, lang.code()));
    if n.topic == Topic::ConfirmSubscription {
        let expires = n.payload.get("expires").and_then(|e| serde_json::from_value(e.clone()).ok());
        let token = s.link_key.token(Purpose::Confirm, n.subscription_id, expires);
        v.insert("confirm_link", format!("{}/notify/confirm?token={token}", s.public_url));
    }
    let token = s.link_key.token(Purpose::Unsubscribe, n.subscription_id, None);
    v.insert("unsubscribe_link", format!("{}/notify/unsubscribe?token={token}", s.public_url));
    v
}

/// The ready date as it stood when the stage was reached, from what the
/// stage change recorded.
fn estimate(app: &App, n: &Notification) -> Option<tracking::Estimate> {
    let p = &n.payload;
    let form = match p.get("form")?.as_str()? {
        "paper" => CertificateForm::Paper,
        "card" => CertificateForm::Card,
        _ => return None,
    };
    let stage = Stage::parse(p.get("stage")?.as_str()?)?;
    let time = |k: &str| p.get(k).and_then(|t| serde_json::from_value::<DateTime<Utc>>(t.clone()).ok());
    let progress = Progress {
        form,
        stage,
        stage_at: n.occurred_at,
        accepted_at: time("accepted_at").unwrap_or(n.occurred_at),
        due_at: time("due_at"),
    };
    tracking::estimate(&progress, n.occurred_at, &app.config().calendar)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, TimeZone, Utc};
    use dossier_domain::notify::{
        Channel, TELEGRAM_BULK_PER_SECOND, TELEGRAM_PER_CHAT_PER_SECOND, VIBER_PER_USER_PER_HOUR,
    };

    use super::Pacing;
    use crate::notify::{BotSettings, LinkKey, Notifier, NotifySettings, Templates};

    /// A notifier paced by the platforms' default limits, as `[notify.telegram]`
    /// and `[notify.viber]` without `rate` or `per_chat` set it up.
    fn paced_by_defaults() -> Notifier {
        let templates = Templates::load(None).expect("built-in templates");
        let mut s = NotifySettings::new("https://fund.example", LinkKey::new(&[7; 32]), templates);
        let bot = |rate, per_chat| BotSettings { name: "bot".into(), secret: "s".repeat(24), rate, per_chat };
        s.telegram = Some(bot(TELEGRAM_BULK_PER_SECOND, TELEGRAM_PER_CHAT_PER_SECOND));
        s.viber = Some(bot(0.0, VIBER_PER_USER_PER_HOUR));
        Notifier::new(s)
    }

    #[test]
    fn spec_7_telegram_takes_about_30_messages_a_second_in_bulk_and_1_a_second_per_chat() {
        let n = paced_by_defaults();
        let mut pacing = Pacing::default();
        let t0 = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).single().expect("a time");
        // Thirty chats in the same instant go; the thirty-first waits a thirtieth of a second.
        for chat in 0..30 {
            assert_eq!(pacing.take(&n, Channel::Telegram, &format!("chat-{chat}"), t0), Ok(()), "chat {chat}");
        }
        let wait = pacing.take(&n, Channel::Telegram, "chat-30", t0).expect_err("over 30 a second");
        assert!(wait > Duration::milliseconds(30) && wait <= Duration::milliseconds(34), "{wait}");
        // The refusal spent nothing of that chat's own second: it goes as soon as the bulk allows.
        assert_eq!(pacing.take(&n, Channel::Telegram, "chat-30", t0 + wait), Ok(()));
        // One chat: a second between its messages, whatever the bulk allows.
        let later = t0 + Duration::seconds(10);
        assert_eq!(pacing.take(&n, Channel::Telegram, "chat-0", later), Ok(()));
        let wait = pacing.take(&n, Channel::Telegram, "chat-0", later).expect_err("1 a second per chat");
        assert_eq!(wait, Duration::seconds(1));
        assert_eq!(pacing.take(&n, Channel::Telegram, "chat-0", later + Duration::seconds(1)), Ok(()));
    }

    #[test]
    fn spec_7_viber_sends_one_user_at_most_100_messages_an_hour() {
        let n = paced_by_defaults();
        let mut pacing = Pacing::default();
        let t0 = Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).single().expect("a time");
        for i in 0..100 {
            assert_eq!(pacing.take(&n, Channel::Viber, "user-a", t0), Ok(()), "message {i}");
        }
        // The 101st waits for the hour's share to come back: 3 600 s / 100.
        let wait = pacing.take(&n, Channel::Viber, "user-a", t0).expect_err("over 100 an hour");
        assert_eq!(wait, Duration::seconds(36));
        // Another user is not held back, and Viber has no bulk limit of its own.
        assert_eq!(pacing.take(&n, Channel::Viber, "user-b", t0), Ok(()));
    }

    #[test]
    fn jitter_stays_in_its_range_and_differs_between_messages() {
        let xs: Vec<f64> = (0..1000).map(|i| super::jitter(i, 1)).collect();
        assert!(xs.iter().all(|x| (0.0..1.0).contains(x)));
        let mean = xs.iter().sum::<f64>() / xs.len() as f64;
        assert!((0.4..0.6).contains(&mean), "{mean}");
        assert_ne!(super::jitter(1, 1), super::jitter(1, 2));
    }
}
