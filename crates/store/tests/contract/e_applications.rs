//! E-applications: filed with their files, signed once, decided once; the
//! decision is queued for the person's subscriptions and for the address
//! given on the application, and nowhere else.
use chrono::{Duration, Utc};
use dossier_domain::e_application::{Decision, EApplicationInput, Status};
use dossier_domain::notify::{Channel, Topic};

use super::*;

fn data(email: &str) -> dossier_domain::e_application::EApplicationData {
    EApplicationInput {
        kind: "delivery_change".into(),
        delivery: "bank".into(),
        iban: "UA213223130000026007233566001".into(),
        email: email.into(),
        ..Default::default()
    }
    .validate()
    .unwrap()
}

contract!(SqlStore; spec_21_4_an_e_application_is_signed_once_decided_once_and_its_decision_is_told, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let now = Utc::now();
    let new = |id| NewEApplication {
        id,
        person_id: p.id,
        unit_id: t.district_a.id,
        data: data("olena@example.org"),
        statement: "ЗАЯВА\n".into(),
        filed_by: "citizen:sub-1".into(),
        by_representative: false,
        lang: "uk".into(),
        files: vec![EApplicationFile {
            position: 1,
            name: "scan.pdf".into(),
            content_type: "application/pdf".into(),
            sha256: "ab".repeat(32),
            size: 1234,
            source: "upload".into(),
        }],
        at: now,
    };
    let a = s.create_e_application(&new(uuid::Uuid::now_v7())).await.unwrap();
    assert_eq!((a.status, a.unit_path.clone()), (Status::Signing, t.district_a.path.clone()));
    assert_eq!(s.e_application_files(a.id).await.unwrap().len(), 1);
    s.set_e_application_signing(a.id, "hub-req-1").await.unwrap();
    // Still being signed: not in the inbox.
    assert!(s.e_application_inbox(&t.district_a.path, None).await.unwrap().is_empty());
    let due_on = today() + Duration::days(7);
    let signed = SigningOutcome::Signed { signature: vec![0x30, 0x03], signer: "CN=X".into(), due_on, at: now };
    let a = s.finish_signing(&actor(), a.id, &signed).await.unwrap();
    assert_eq!((a.status, a.due_on, a.hub_request_id.as_deref()), (Status::Submitted, Some(due_on), Some("hub-req-1")));
    assert!(matches!(s.finish_signing(&actor(), a.id, &signed).await, Err(StoreError::Conflict(_))), "signed once");
    assert_eq!(s.e_application_inbox(&t.district_a.path, Some(Status::Submitted)).await.unwrap().len(), 1);
    assert!(s.e_application_inbox(&t.district_b.path, None).await.unwrap().is_empty(), "another district sees nothing");
    // An abandoned one never reaches the inbox and cannot be decided.
    let b = s.create_e_application(&new(uuid::Uuid::now_v7())).await.unwrap();
    let b = s.finish_signing(&actor(), b.id, &SigningOutcome::NotSigned { at: now }).await.unwrap();
    assert_eq!(b.status, Status::Abandoned);
    let decision = |id, decision| NewDecision {
        id,
        decision,
        reasons: Some("Рахунок перевірено".into()),
        document_sha256: "cd".repeat(32),
        certificate_id: None,
        at: now,
    };
    assert!(matches!(s.decide_e_application(&actor(), &decision(b.id, Decision::Granted)).await, Err(StoreError::Conflict(_))));
    // Nothing is told before the decision; then one e-mail to the address on the application.
    let claim = |when| {
        let s = s.clone();
        async move { s.claim_notifications(&[Channel::Email], when, Duration::minutes(5), 100).await.unwrap() }
    };
    assert!(claim(now).await.is_empty());
    let decided = s.decide_e_application(&actor(), &decision(a.id, Decision::Granted)).await.unwrap();
    assert_eq!(decided.status, Status::Granted);
    assert_eq!(decided.decision_sha256.as_deref(), Some("cd".repeat(32).as_str()));
    assert!(matches!(s.decide_e_application(&actor(), &decision(a.id, Decision::Refused)).await, Err(StoreError::Conflict(_))));
    let told = claim(now + Duration::seconds(1)).await;
    assert_eq!(told.len(), 1, "{told:?}");
    assert_eq!(told[0].notification.topic, Topic::EApplicationDecided);
    assert_eq!(told[0].notification.payload["decision"], "granted");
    assert_eq!(s.e_applications_of(p.id).await.unwrap().len(), 2);
    // The address of the application is no system's webhook and hears nothing else.
    assert!(s.subscriptions_of(Subscribers::Systems).await.unwrap().is_empty());
});

contract!(SqlStore; racing_decisions_leave_exactly_one, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let now = Utc::now();
    let a = s
        .create_e_application(&NewEApplication {
            id: uuid::Uuid::now_v7(),
            person_id: p.id,
            unit_id: t.district_a.id,
            data: data(""),
            statement: "ЗАЯВА\n".into(),
            filed_by: "citizen:sub-1".into(),
            by_representative: false,
            lang: "uk".into(),
            files: vec![],
            at: now,
        })
        .await
        .unwrap();
    let signed = SigningOutcome::Signed { signature: vec![1], signer: "CN=X".into(), due_on: today(), at: now };
    s.finish_signing(&actor(), a.id, &signed).await.unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|i| {
            let s = s.clone();
            let d = NewDecision {
                id: a.id,
                decision: if i % 2 == 0 { Decision::Granted } else { Decision::Refused },
                reasons: Some("Підстави рішення".into()),
                document_sha256: format!("{i:064}"),
                certificate_id: None,
                at: now,
            };
            tokio::spawn(async move { s.decide_e_application(&actor(), &d).await.is_ok() })
        })
        .collect();
    let mut won = 0;
    for t in tasks {
        won += usize::from(t.await.unwrap());
    }
    assert_eq!(won, 1, "one decision, whoever came first");
});
