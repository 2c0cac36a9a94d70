//! Subscriptions and the outbox: messages written with the stage change that
//! causes them, each claimed by one worker at a time, settled with receipts.
use std::collections::HashSet;
use std::sync::Arc;

use chrono::{Duration, Utc};
use dossier_domain::notify::{Channel, Topic};

use super::production::production_support::*;
use super::*;

fn email(person: uuid::Uuid, certificate: Option<uuid::Uuid>, address: &str) -> NewSubscription {
    NewSubscription {
        person_id: Some(person),
        certificate_id: certificate,
        channel: Channel::Email,
        address: Some(address.into()),
        secret: None,
        lang: "uk".into(),
        active: false,
        link_expires_at: Some(Utc::now() + Duration::hours(48)),
        limit_pending: false,
        request_id: None,
    }
}

fn webhook() -> NewSubscription {
    NewSubscription {
        person_id: None,
        certificate_id: None,
        channel: Channel::Webhook,
        address: Some("https://pension-registry.example/hooks".into()),
        secret: Some("whsec_c2VjcmV0".into()),
        lang: "uk".into(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
        request_id: None,
    }
}

async fn topics_of(s: &SqlStore, person: uuid::Uuid) -> Vec<(String, Topic)> {
    let mut v: Vec<(String, Topic)> =
        s.notifications_of(person, 100).await.unwrap().into_iter().map(|n| (n.channel.to_string(), n.topic)).collect();
    v.sort();
    v
}

contract!(SqlStore; a_stage_change_writes_its_messages_in_its_own_transaction_once_per_subscriber, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let other = s.create_person(&actor(), t.district_a.id, &someone(31, "Коваль", "1950-03-03")).await.unwrap();
    let now = Utc::now();
    // A pending e-mail gets only its opt-in; a system's webhook hears of every case.
    let sub = s.subscribe(&actor(), &email(p.id, None, "o@example.org"), Some(serde_json::json!({})), now).await.unwrap();
    assert_eq!(sub.status, SubscriptionStatus::Pending);
    s.subscribe(&actor(), &webhook(), None, now).await.unwrap();
    s.subscribe(&actor(), &email(other.id, None, "k@example.org"), None, now).await.unwrap();
    assert_eq!(topics_of(&s, p.id).await, vec![("email".into(), Topic::ConfirmSubscription)]);

    // Confirmed once; a second confirmation changes nothing; an expired link never confirms.
    let active = s.activate_subscription(sub.id, Channel::Email, None, now).await.unwrap().unwrap();
    assert_eq!((active.status, active.address.as_deref()), (SubscriptionStatus::Active, Some("o@example.org")));
    assert!(s.activate_subscription(sub.id, Channel::Email, None, now).await.unwrap().is_none());
    let late = s.subscribe(&actor(), &email(p.id, None, "late@example.org"), None, now).await.unwrap();
    assert!(s.activate_subscription(late.id, Channel::Email, None, now + Duration::hours(49)).await.unwrap().is_none());
    assert!(s.activate_subscription(late.id, Channel::Telegram, Some("1"), now).await.unwrap().is_none(), "another channel");

    let app = s.create_application(&actor(), p.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let expected = vec![
        ("email".to_owned(), Topic::Accepted),
        ("email".to_owned(), Topic::ConfirmSubscription),
        ("webhook".to_owned(), Topic::Accepted),
    ];
    assert_eq!(topics_of(&s, p.id).await, expected, "filing tells the person's subscribers and the systems");
    s.advance_certificate(&actor(), app.id, Event::SendToBank, None).await.unwrap();
    let after = topics_of(&s, p.id).await;
    assert_eq!(after.iter().filter(|(_, t)| *t == Topic::CardAtBank).count(), 2);
    // A refused step writes nothing.
    assert!(s.advance_certificate(&actor(), app.id, Event::Issue, None).await.is_err());
    assert_eq!(topics_of(&s, p.id).await, after);
    assert!(topics_of(&s, other.id).await.is_empty(), "another person's subscription hears nothing");

    // An event told again (same case, topic and time) is written once.
    let event = PersonEvent {
        person_id: p.id,
        certificate_id: Some(app.id),
        case_ref: app.number.clone(),
        topic: Topic::SharedCopyReceived,
        occurred_at: now,
        unit_id: None,
        payload: serde_json::json!({}),
    };
    assert_eq!(s.notify_person(&event, now).await.unwrap(), 2);
    assert_eq!(s.notify_person(&event, now).await.unwrap(), 0);

    // Ending the subscription gives up what it still waits for.
    let ended = s.end_subscription(&actor(), sub.id, "unsubscribed", now).await.unwrap().unwrap();
    assert_eq!(ended.status, SubscriptionStatus::Ended);
    assert!(s.end_subscription(&actor(), sub.id, "again", now).await.unwrap().is_none());
    let mine = s.notifications_of(p.id, 100).await.unwrap();
    assert!(mine.iter().filter(|n| n.channel == Channel::Email).all(|n| n.status == DeliveryStatus::Dead));
    assert_eq!(s.subscriptions_of(Subscribers::Systems).await.unwrap().len(), 1, "the systems' webhooks");
});

contract!(SqlStore; the_weekly_batch_writes_its_holders_messages, |s| {
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 41, "Шевчук", "1948-02-28").await;
    let b = applicant(&s, t.district_a.id, 42, "Коваль", "1950-03-03").await;
    let ca = s.create_application(&actor(), a.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    s.create_application(&actor(), b.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let mut only_a = email(a.id, Some(ca.id), "a@example.org");
    only_a.active = true;
    s.subscribe(&actor(), &only_a, None, Utc::now()).await.unwrap();
    s.subscribe(&actor(), &webhook(), None, Utc::now()).await.unwrap();
    s.submit_batch(&actor(), Some(this_week()), dossier_domain::production::BatchLevel::District, t.district_a.id, now())
        .await
        .unwrap();
    let sent = |v: Vec<(String, Topic)>| v.into_iter().filter(|(_, t)| *t == Topic::SentToProduction).count();
    assert_eq!(sent(topics_of(&s, a.id).await), 2, "the holder's e-mail and the webhook");
    assert_eq!(sent(topics_of(&s, b.id).await), 1, "the webhook only");
    let n = s.notifications_of(a.id, 10).await.unwrap();
    let m = n.iter().find(|n| n.topic == Topic::SentToProduction).unwrap();
    assert_eq!((m.case_ref.as_str(), m.unit_id), (ca.number.as_str(), Some(t.district_a.id)));
    assert!(m.payload.get("due_at").is_some(), "the estimate's deadline");
});

contract!(SqlStore; each_message_is_claimed_by_one_worker_until_its_lease_ends_and_settles_with_receipts, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    // Whole seconds: PostgreSQL keeps microseconds, the comparisons below want equality.
    let now = chrono::SubsecRound::trunc_subsecs(Utc::now(), 0);
    let mut hook = webhook();
    hook.person_id = Some(p.id);
    s.subscribe(&actor(), &hook, None, now).await.unwrap();
    for i in 0..40 {
        let e = PersonEvent {
            person_id: p.id,
            certificate_id: None,
            case_ref: format!("З-2026-{i:07}"),
            topic: Topic::Accepted,
            occurred_at: now,
            unit_id: None,
            payload: serde_json::json!({}),
        };
        s.notify_person(&e, now).await.unwrap();
    }
    // Four workers at once: every message to exactly one of them.
    let s = Arc::new(s);
    let lease = Duration::seconds(60);
    let mut tasks = vec![];
    for _ in 0..4 {
        let s = s.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = vec![];
            loop {
                let batch = s.claim_notifications(&[Channel::Webhook], now, lease, 7).await.unwrap();
                if batch.is_empty() {
                    break got;
                }
                got.extend(batch.into_iter().map(|c| c.notification.id));
            }
        }));
    }
    let mut all = vec![];
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    let unique: HashSet<i64> = all.iter().copied().collect();
    assert_eq!((all.len(), unique.len()), (40, 40), "no message twice, none left out");
    assert!(s.claim_notifications(&[Channel::Email], now, lease, 100).await.unwrap().is_empty(), "other channels");

    // A worker that died: its messages come back when the lease ends.
    let later = now + lease + Duration::seconds(1);
    let back = s.claim_notifications(&[Channel::Webhook], later, lease, 100).await.unwrap();
    assert_eq!(back.len(), 40);
    let c = &back[0];
    assert_eq!(c.address, "https://pension-registry.example/hooks");
    assert_eq!(c.secret.as_deref(), Some("whsec_c2VjcmV0"));
    let ids: Vec<i64> = back.iter().map(|c| c.notification.id).collect();

    s.settle_notification(ids[0], &Settlement::Sent { receipt: "200 OK".into() }, later).await.unwrap();
    let retry_at = later + Duration::seconds(30);
    s.settle_notification(ids[1], &Settlement::Retry { at: retry_at, error: "503".into() }, later).await.unwrap();
    s.settle_notification(ids[2], &Settlement::Dead { error: "400".into() }, later).await.unwrap();
    s.settle_notification(ids[3], &Settlement::Defer { at: retry_at }, later).await.unwrap();
    let (sent, receipts) = s.notification(ids[0]).await.unwrap().unwrap();
    assert_eq!((sent.status, sent.attempts, sent.receipt.as_deref()), (DeliveryStatus::Sent, 1, Some("200 OK")));
    assert_eq!(receipts.iter().map(|r| r.outcome.as_str()).collect::<Vec<_>>(), vec!["sent"]);
    let (retrying, _) = s.notification(ids[1]).await.unwrap().unwrap();
    assert_eq!((retrying.status, retrying.attempts, retrying.next_attempt_at), (DeliveryStatus::Pending, 1, retry_at));
    let (deferred, none) = s.notification(ids[3]).await.unwrap().unwrap();
    assert_eq!((deferred.attempts, none.len()), (0, 0), "a deferral is not an attempt");
    // Not due before its time, due after.
    let due_now: HashSet<i64> = s
        .claim_notifications(&[Channel::Webhook], later + Duration::seconds(61), lease, 100)
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.notification.id)
        .collect();
    assert!(due_now.contains(&ids[1]) && due_now.contains(&ids[3]) && !due_now.contains(&ids[0]) && !due_now.contains(&ids[2]));

    // The dead one is retried by staff, once.
    let again = s.retry_notification(&actor(), ids[2], later).await.unwrap().unwrap();
    assert_eq!((again.status, again.attempts), (DeliveryStatus::Pending, 0));
    assert!(s.retry_notification(&actor(), ids[2], later).await.unwrap().is_none(), "no longer dead");

    let counts = s.outbox_counts(now - Duration::hours(1)).await.unwrap();
    let total: i64 = counts.iter().map(|c| c.count).sum();
    assert_eq!(total, 40);
    assert!(counts.iter().any(|c| c.status == DeliveryStatus::Sent && c.count == 1 && c.channel == Channel::Webhook));
    assert!(counts.iter().any(|c| c.status == DeliveryStatus::Pending && c.retrying));

    // A recipient gone ends the subscription and everything it still waits for.
    s.settle_notification(ids[4], &Settlement::EndSubscription { error: "410 Gone".into() }, later).await.unwrap();
    let subs = s.subscriptions_of(Subscribers::Person(p.id)).await.unwrap();
    assert_eq!(subs[0].status, SubscriptionStatus::Ended);
    assert!(s.notifications_in(DeliveryStatus::Pending, Page::new(0, 200)).await.unwrap().is_empty());
    assert!(s.retry_notification(&actor(), ids[4], later).await.unwrap().is_none(), "its subscription ended");
});

contract!(SqlStore; a_platform_update_is_seen_once, |s| {
    let now = Utc::now();
    assert!(s.first_sight_of_update(Channel::Telegram, "1001", now).await.unwrap());
    assert!(!s.first_sight_of_update(Channel::Telegram, "1001", now).await.unwrap(), "a replay");
    assert!(s.first_sight_of_update(Channel::Viber, "1001", now).await.unwrap(), "per platform");
});

contract!(SqlStore; a_missed_deadline_and_an_ending_validity_are_told_once_to_subscribers_only, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let quiet = s.create_person(&actor(), t.district_a.id, &someone(51, "Коваль", "1950-03-03")).await.unwrap();
    let now = Utc::now();
    let app = s.create_application(&actor(), p.id, &paper(t.district_a.id), now).await.unwrap();
    s.create_application(&actor(), quiet.id, &paper(t.district_a.id), now).await.unwrap();
    let mut sub = email(p.id, None, "o@example.org");
    sub.active = true;
    s.subscribe(&actor(), &sub, None, now).await.unwrap();
    let horizon = today();
    assert_eq!(s.notify_due(now, horizon).await.unwrap(), 0, "nothing late yet");
    let later = now + Duration::days(60);
    assert_eq!(s.notify_due(later, horizon).await.unwrap(), 1, "the subscriber's late case only");
    assert_eq!(s.notify_due(later + Duration::hours(1), horizon).await.unwrap(), 0, "once per deadline");
    let n = s.notifications_of(p.id, 10).await.unwrap();
    let late = n.iter().find(|n| n.topic == Topic::DeadlineMissed).unwrap();
    assert_eq!((late.case_ref.as_str(), Some(late.occurred_at)), (app.number.as_str(), app.due_at));
    assert_eq!(late.payload["form"], "paper");

    // Validity ending by the horizon: told once per end date.
    let ends = today() + Duration::days(20);
    s.execute_raw(Log::Change, &format!("UPDATE certificates SET valid_until = '{ends}'")).await.unwrap();
    assert_eq!(s.notify_due(later, today() + Duration::days(10)).await.unwrap(), 0, "not within the horizon");
    assert_eq!(s.notify_due(later, today() + Duration::days(30)).await.unwrap(), 1);
    assert_eq!(s.notify_due(later, today() + Duration::days(30)).await.unwrap(), 0);
    let ending = s.notifications_of(p.id, 10).await.unwrap().into_iter().find(|n| n.topic == Topic::ValidityEnding).unwrap();
    assert_eq!(ending.occurred_at.date_naive(), ends);
    assert!(s.notifications_of(quiet.id, 10).await.unwrap().is_empty());
});

contract!(SqlStore; leaving_from_a_chat_ends_that_chats_subscriptions_only_and_gives_up_their_messages, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let now = Utc::now();
    let chat = |address: &str| NewSubscription {
        channel: Channel::Telegram,
        address: None,
        ..email(p.id, None, address)
    };
    let mine = s.subscribe(&actor(), &chat("x"), None, now).await.unwrap();
    let other = s.subscribe(&actor(), &chat("x"), None, now).await.unwrap();
    s.activate_subscription(mine.id, Channel::Telegram, Some("777"), now).await.unwrap().unwrap();
    s.activate_subscription(other.id, Channel::Telegram, Some("888"), now).await.unwrap().unwrap();
    // The welcome of each chat waits in the outbox.
    let citizen = Actor { label: "citizen".into(), account_id: None };
    assert_eq!(s.end_chat_subscriptions(&citizen, Channel::Viber, "777", "left", now).await.unwrap(), 0, "another channel");
    assert_eq!(s.end_chat_subscriptions(&citizen, Channel::Telegram, "777", "left", now).await.unwrap(), 1);
    assert_eq!(s.end_chat_subscriptions(&citizen, Channel::Telegram, "777", "left", now).await.unwrap(), 0, "once");
    let subs = s.subscriptions_of(Subscribers::Person(p.id)).await.unwrap();
    let status = |id: i64| subs.iter().find(|x| x.id == id).map(|x| x.status);
    assert_eq!((status(mine.id), status(other.id)), (Some(SubscriptionStatus::Ended), Some(SubscriptionStatus::Active)));
    let messages = s.notifications_of(p.id, 100).await.unwrap();
    let of = |id: i64| messages.iter().filter(|n| n.subscription_id == id).map(|n| n.status).collect::<Vec<_>>();
    assert!(of(mine.id).iter().all(|st| *st == DeliveryStatus::Dead), "{:?}", of(mine.id));
    assert!(of(other.id).iter().all(|st| *st == DeliveryStatus::Pending), "{:?}", of(other.id));
});

contract!(SqlStore; unconfirmed_subscriptions_to_one_case_stop_at_the_limit_even_when_asked_for_at_once, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let app = s.create_application(&actor(), p.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let now = Utc::now();
    let from_status_page = |n: usize| NewSubscription {
        limit_pending: true,
        request_id: None,
        ..email(p.id, Some(app.id), &format!("guess{n}@example.org"))
    };
    // Eight at once: the count and the insert are one transaction, so exactly the limit get through.
    let s = Arc::new(s);
    let mut tasks = vec![];
    for n in 0..8 {
        let (s, new) = (s.clone(), from_status_page(n));
        tasks.push(tokio::spawn(async move { s.subscribe(&actor(), &new, None, now).await }));
    }
    let (mut made, mut limited) = (0, 0);
    for task in tasks {
        match task.await.unwrap() {
            Ok(_) => made += 1,
            Err(StoreError::Limited { key, retry_after }) => {
                assert_eq!(key.key, "notify.too_many_pending");
                assert!(retry_after > std::time::Duration::from_secs(47 * 3600), "until the earliest lapses");
                limited += 1;
            }
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!((made, limited), (dossier_domain::notify::PENDING_PER_CASE, 8 - dossier_domain::notify::PENDING_PER_CASE));
    // Staff at the counter are not limited; once the links lapse the page may ask again.
    s.subscribe(&actor(), &email(p.id, Some(app.id), "counter@example.org"), None, now).await.unwrap();
    let later = now + Duration::hours(49);
    s.subscribe(&actor(), &from_status_page(9), None, later).await.unwrap();
});
