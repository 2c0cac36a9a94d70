//! The delivery worker against the bots' documented answers (the local
//! contract server of `dossier_notify::testing`): a platform that is down or
//! throttles is retried — never sooner than its `retry_after` — and a bot
//! blocked by its user ends that subscription; quiet hours hold a message
//! without counting an attempt; a template is rendered in the subscriber's
//! language with the office's address and hours.
use std::sync::Arc;

use chrono::{Duration, Utc};
use dossier_app::notify::worker::Worker;
use dossier_app::notify::{BotSettings, LinkKey, Notifier, NotifySettings, Templates};
use dossier_app::{App, AppConfig};
use dossier_domain::notify::{Channel, QuietHours, Topic};
use dossier_notify::telegram::TelegramBot;
use dossier_notify::testing::BotServer;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{
    Actor, DeliveryStatus, NewSubscription, NewUnit, Notifications, Org, PersonEvent, SqlStore, Store,
    SubscriptionStatus,
};

const TOKEN: &str = "42:delivery-test";

struct Setup {
    app: Arc<App>,
    store: Arc<SqlStore>,
    bots: BotServer,
    office: i64,
    _dir: tempfile::TempDir,
}

async fn setup(quiet: Option<QuietHours>) -> Setup {
    let dir = tempfile::tempdir().unwrap();
    let store = Arc::new(SqlStore::open(&format!("sqlite://{}", dir.path().join("t.db").display())).await.unwrap());
    let actor = Actor::system("test");
    let unit = NewUnit {
        parent_id: None,
        kind: dossier_domain::org::UnitKind::CentralFund,
        code: "C".into(),
        name_uk: "Центральне управління".into(),
        name_en: "Central office".into(),
        address: None,
    };
    let office = store.create_unit(&actor, unit).await.unwrap().id;
    store.set_unit_contact(&actor, office, Some("вул. Хрещатик, 1".into()), Some("пн–пт 8–17".into())).await.unwrap();
    let bots = BotServer::start(TOKEN).await.unwrap();
    let mut s = NotifySettings::new("https://fund.example", LinkKey::new(&[1u8; 32]), Templates::load(None).unwrap());
    s.quiet_hours = quiet;
    s.retry.base_delay = Duration::milliseconds(200);
    s.telegram = Some(BotSettings { name: "fund_bot".into(), secret: "s".repeat(24), rate: 0.0, per_chat: 0.0 });
    let bot = TelegramBot::new(dossier_notify::http_client(), &bots.base(), TOKEN);
    let notifier = Notifier::new(s).with_transport(Arc::new(bot));
    let blobs = BlobStore::local(&dir.path().join("blobs"), MasterKey::generate()).unwrap();
    let dyn_store: Arc<dyn Store> = store.clone();
    let app = App::new(dyn_store, blobs, AppConfig::default()).await.unwrap().with_notifier(Arc::new(notifier));
    Setup { app: Arc::new(app), store, bots, office, _dir: dir }
}

async fn chat(s: &Setup, chat_id: &str, lang: &str) -> i64 {
    let sub = NewSubscription {
        person_id: None,
        certificate_id: None,
        channel: Channel::Telegram,
        address: Some(chat_id.into()),
        secret: None,
        lang: lang.into(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
        request_id: None,
    };
    s.store.subscribe(&Actor::system("test"), &sub, None, Utc::now()).await.unwrap().id
}

async fn event(s: &Setup, case: &str, topic: Topic) {
    let e = PersonEvent {
        person_id: uuid::Uuid::new_v4(),
        certificate_id: None,
        case_ref: case.into(),
        topic,
        occurred_at: Utc::now(),
        unit_id: Some(s.office),
        payload: serde_json::json!({}),
    };
    s.store.notify_person(&e, Utc::now()).await.unwrap();
}

async fn all(s: &Setup, status: DeliveryStatus) -> Vec<dossier_store::Notification> {
    s.store.notifications_in(status, dossier_store::Page::new(0, 200)).await.unwrap()
}

#[tokio::test]
async fn a_platform_down_or_throttling_is_retried_and_the_message_arrives_once() {
    let s = setup(None).await;
    chat(&s, "1001", "en").await;
    event(&s, "З-2026-0000001", Topic::Ready).await;
    s.bots.with(|b| b.fail_next = 1);
    let w = Worker::new(s.app.clone());
    assert_eq!(w.deliver_due(Utc::now()).await.unwrap(), 1);
    let pending = all(&s, DeliveryStatus::Pending).await;
    assert_eq!((pending.len(), pending[0].attempts), (1, 1), "a 502 is retried later");
    assert!(s.bots.sent().is_empty());
    // Throttled next: 429 with retry_after 1 — not before a second has passed.
    s.bots.with(|b| b.throttle_next = 1);
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(w.deliver_due(Utc::now()).await.unwrap(), 1);
    let n = &all(&s, DeliveryStatus::Pending).await[0];
    assert!(n.next_attempt_at >= Utc::now() + Duration::milliseconds(700), "retry_after honoured: {n:?}");
    assert_eq!(w.deliver_due(Utc::now()).await.unwrap(), 0, "not due yet");
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    assert_eq!(w.deliver_due(Utc::now()).await.unwrap(), 1);
    let sent = s.bots.sent();
    assert_eq!(sent.len(), 1);
    let text = &sent[0].2;
    assert!(
        text.contains("З-2026-0000001") && text.contains("вул. Хрещатик, 1") && text.contains("пн–пт 8–17"),
        "{text}"
    );
    assert!(text.contains("passport"), "rendered in the subscriber's language: {text}");
    let (note, receipts) = s.store.notification(all(&s, DeliveryStatus::Sent).await[0].id).await.unwrap().unwrap();
    assert_eq!(note.attempts, 3);
    let outcomes: Vec<&str> = receipts.iter().map(|r| r.outcome.as_str()).collect();
    assert_eq!(outcomes, vec!["retry", "retry", "sent"]);
    assert!(receipts[2].detail.as_deref().unwrap().starts_with("message_id"));
}

#[tokio::test]
async fn a_blocked_bot_ends_the_subscription_and_its_waiting_messages() {
    let s = setup(None).await;
    let sub = chat(&s, "2002", "uk").await;
    event(&s, "З-2026-0000002", Topic::Ready).await;
    event(&s, "З-2026-0000003", Topic::Ready).await;
    s.bots.with(|b| b.blocked.insert("2002".into()));
    let w = Worker::new(s.app.clone());
    w.deliver_due(Utc::now()).await.unwrap();
    let sub = s.store.subscription(sub).await.unwrap().unwrap();
    assert_eq!(sub.status, SubscriptionStatus::Ended);
    assert!(sub.ended_reason.unwrap().contains("403"));
    assert_eq!(all(&s, DeliveryStatus::Dead).await.len(), 2);
    assert!(all(&s, DeliveryStatus::Pending).await.is_empty());
}

#[tokio::test]
async fn quiet_hours_hold_a_message_without_counting_an_attempt() {
    // Quiet all day long but one minute: whatever the time now, it is quiet.
    let now = dossier_domain::time::kyiv_time(Utc::now()).time();
    let q = QuietHours { from: now - Duration::minutes(1), until: now - Duration::minutes(2) };
    let s = setup(Some(q)).await;
    chat(&s, "3003", "uk").await;
    event(&s, "З-2026-0000004", Topic::Ready).await;
    let w = Worker::new(s.app.clone());
    assert_eq!(w.deliver_due(Utc::now()).await.unwrap(), 1);
    let n = &all(&s, DeliveryStatus::Pending).await[0];
    assert_eq!(n.attempts, 0);
    assert!(n.next_attempt_at > Utc::now() + Duration::hours(20), "held for the morning: {}", n.next_attempt_at);
    assert!(s.bots.sent().is_empty());
}
