//! Fills the outbox of a configured store: one system subscription (a
//! webhook URL or an e-mail address, told of every case) and `messages`
//! events for it — what the delivery benchmark and the crash test drain.
use anyhow::{Result, bail};
use chrono::Utc;
use dossier_domain::notify::{Channel, Topic};
use dossier_store::{Actor, NewSubscription, PersonEvent, Store};

pub async fn seed(store: &dyn Store, messages: u64, webhook: Option<&str>, email: Option<&str>) -> Result<()> {
    let (channel, address, secret) = match (webhook, email) {
        (Some(url), None) => (Channel::Webhook, url.to_owned(), Some(dossier_notify::webhook::new_secret())),
        (None, Some(addr)) => (Channel::Email, addr.to_owned(), None),
        _ => bail!("give exactly one of --webhook URL and --email ADDRESS"),
    };
    let now = Utc::now();
    let sub = NewSubscription {
        person_id: None,
        certificate_id: None,
        channel,
        address: Some(address),
        secret: secret.clone(),
        lang: "uk".into(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
        request_id: None,
    };
    store.subscribe(&Actor::system("bench"), &sub, None, now).await?;
    if let Some(secret) = secret {
        println!("webhook secret {secret}");
    }
    for i in 0..messages {
        let event = PersonEvent {
            person_id: uuid::Uuid::new_v4(),
            certificate_id: None,
            case_ref: format!("З-2026-{:07}", i + 1),
            topic: Topic::Accepted,
            occurred_at: now,
            unit_id: None,
            payload: serde_json::json!({}),
        };
        store.notify_person(&event, now).await?;
    }
    println!("outbox: {messages} messages written");
    Ok(())
}
