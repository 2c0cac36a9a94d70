//! Questions without registration: found by their tracking number's hash,
//! answered once by staff in scope, the answer queued for the asker's e-mail.
use chrono::{Duration, Utc};
use dossier_domain::notify::{Channel, Topic};
use dossier_domain::question::Subject;

use super::*;

contract!(SqlStore; spec_21_6_a_question_is_answered_once_and_the_answer_goes_to_the_asker_s_e_mail, |s| {
    let t = tree(&s).await;
    let now = Utc::now();
    let q = s
        .ask_question(&NewQuestion {
            unit_id: t.centre_a.id,
            code_hash: "hash-of-the-number".into(),
            subject: Subject::Record,
            name: "Олена Коваль".into(),
            email: "olena@example.org".into(),
            lang: "uk".into(),
            text: "Чому у 1995 році не враховано сумісництво?".into(),
            asked_at: now,
            due_at: now + Duration::days(30),
        })
        .await
        .unwrap();
    assert_eq!(q.status, "open");
    assert_eq!(s.question_by_code("hash-of-the-number").await.unwrap().map(|x| x.id), Some(q.id));
    assert!(s.question_by_code("another").await.unwrap().is_none());
    assert_eq!(s.questions(&t.district_a.path, true).await.unwrap().len(), 1, "the district sees its centre's");
    assert!(s.questions(&t.district_b.path, true).await.unwrap().is_empty(), "another district does not");
    // Nothing is told before the answer.
    let claim = |when| {
        let s = s.clone();
        async move { s.claim_notifications(&[Channel::Email], when, Duration::minutes(5), 100).await.unwrap() }
    };
    assert!(claim(now).await.is_empty());
    let answered = s.answer_question(&actor(), q.id, "Звіт за сумісництвом отримано.", now).await.unwrap();
    assert_eq!((answered.status.as_str(), answered.answer.as_deref()), ("answered", Some("Звіт за сумісництвом отримано.")));
    assert!(matches!(s.answer_question(&actor(), q.id, "ще раз", now).await, Err(StoreError::Conflict(_))));
    let told = claim(now + Duration::seconds(1)).await;
    assert_eq!(told.len(), 1, "one e-mail, to the asker only");
    assert_eq!(told[0].notification.topic, Topic::QuestionAnswered);
    assert_eq!(told[0].notification.payload["answer"], "Звіт за сумісництвом отримано.");
    assert!(s.questions(&t.district_a.path, true).await.unwrap().is_empty());
});
