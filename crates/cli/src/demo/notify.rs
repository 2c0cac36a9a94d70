//! The demo's subscriptions and messages: a few citizens told by e-mail,
//! Telegram and Viber, a system's webhook, and the messages their cases'
//! stages caused — delivered into the demo's outbox folder, listed on the
//! staff's notifications page.
use anyhow::Result;
use chrono::Utc;
use dossier_domain::lifecycle::Stage;
use dossier_domain::notify::{Channel, Topic};
use dossier_store::{Actor, NewSubscription, Page, PersonEvent, Store};

pub async fn seed(store: &dyn Store) -> Result<()> {
    let actor = Actor::system("demo");
    let now = Utc::now();
    let root = store.units().await?.into_iter().find(|u| u.parent_id.is_none());
    let Some(root) = root else { return Ok(()) };
    let hook = NewSubscription {
        person_id: None,
        certificate_id: None,
        channel: Channel::Webhook,
        address: Some("https://registry.example/dossier-events".into()),
        secret: Some(dossier_notify::webhook::new_secret()),
        lang: "uk".into(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
        request_id: None,
    };
    store.subscribe(&actor, &hook, None, now).await?;
    // A case in production, one ready at its office, one card at its branch.
    let mut certificates = vec![];
    for stage in [Stage::InProduction, Stage::AtDistrict, Stage::AtBranch] {
        let found = store.list_certificates(&root.path, Some(stage.as_str()), Page::new(0, 1)).await?;
        certificates.extend(found);
    }
    let channels = [
        (Channel::Email, Some("olena.demo@example.org".to_owned())),
        (Channel::Telegram, Some("100200300".to_owned())),
        (Channel::Viber, Some("demo-viber-user".to_owned())),
    ];
    // One citizen per channel, each told of their case's current stage.
    for ((channel, address), c) in channels.into_iter().zip(certificates.iter()) {
        let sub = NewSubscription {
            person_id: Some(c.person_id),
            certificate_id: Some(c.id),
            channel,
            address,
            secret: None,
            lang: "uk".into(),
            active: true,
            link_expires_at: None,
            limit_pending: false,
            request_id: None,
        };
        store.subscribe(&actor, &sub, None, now).await?;
        let topic = Topic::of_stage(c.data.form, c.stage).unwrap_or(Topic::Accepted);
        let event = PersonEvent {
            person_id: c.person_id,
            certificate_id: Some(c.id),
            case_ref: c.number.clone(),
            topic,
            occurred_at: c.stage_at,
            unit_id: Some(c.data.issue_unit_id),
            payload: serde_json::json!({"form": c.data.form.as_str(), "stage": c.stage.as_str(), "accepted_at": c.created_at, "due_at": c.due_at}),
        };
        store.notify_person(&event, now).await?;
    }
    Ok(())
}
