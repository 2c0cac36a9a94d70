//! Citizens signed in through an identity provider: a login in flight is
//! finished once, a session lives until it expires or is ended, and a
//! citizen represents exactly the people whose active representative they are.
use chrono::Duration;

use super::*;

contract!(SqlStore; a_pending_login_is_taken_once_and_never_after_it_expires, |s| {
    let now = Utc::now();
    let pending = |id: &str, expires_at| PendingLogin {
        id_hash: id.into(),
        state: "state".into(),
        nonce: "nonce".into(),
        pkce_verifier: "v".repeat(43),
        expires_at,
    };
    s.begin_citizen_login(&pending("a", now + Duration::minutes(10))).await.unwrap();
    s.begin_citizen_login(&pending("b", now + Duration::seconds(1))).await.unwrap();
    assert_eq!(s.take_citizen_login("a", now).await.unwrap().unwrap().nonce, "nonce");
    assert!(s.take_citizen_login("a", now).await.unwrap().is_none(), "a replayed callback finds nothing");
    assert!(s.take_citizen_login("b", now + Duration::seconds(2)).await.unwrap().is_none(), "an expired login neither");
});

contract!(SqlStore; a_citizen_session_ends_at_its_expiry_or_at_sign_out, |s| {
    let now = Utc::now();
    let session = |hash: &str, expires_at| CitizenSession {
        token_hash: hash.into(),
        issuer: "https://id.example".into(),
        subject: "sub-1".into(),
        rnokpp: "1759013776".into(),
        name: "Тарас Шевченко".into(),
        csrf: "csrf".into(),
        expires_at,
    };
    s.create_citizen_session(&session("live", now + Duration::hours(1))).await.unwrap();
    s.create_citizen_session(&session("old", now + Duration::seconds(1))).await.unwrap();
    assert_eq!(s.citizen_session("live", now).await.unwrap().unwrap().rnokpp, "1759013776");
    assert!(s.citizen_session("old", now + Duration::seconds(2)).await.unwrap().is_none());
    s.delete_citizen_session("live").await.unwrap();
    assert!(s.citizen_session("live", now).await.unwrap().is_none());
});

contract!(SqlStore; a_citizen_represents_only_the_people_whose_representative_they_are, |s| {
    let t = tree(&s).await;
    let birth = today() - chrono::Duration::days(10 * 365);
    let child = |serial: u16| dossier_domain::ident::Rnokpp::compose(birth, serial, dossier_domain::person::Sex::Male).unwrap();
    let (a, b) = (child(11), child(12));
    let ward = s.create_person(&actor(), t.district_a.id, &person(a.as_str(), "Коваль", &birth.to_string(), "male")).await.unwrap();
    let other = s.create_person(&actor(), t.district_a.id, &person(b.as_str(), "Бондар", &birth.to_string(), "male")).await.unwrap();
    let rep = |rnokpp: &str| {
        RepresentativeInput {
            kind: "parent".into(),
            surname: "Коваль".into(),
            given_name: "Ірина".into(),
            rnokpp: Some(rnokpp.into()),
            proof_document: "Свідоцтво про народження І-КВ №123456".into(),
            ..Default::default()
        }
        .validate()
        .unwrap()
    };
    let parent = |serial: u16| {
        let born = today() - chrono::Duration::days(40 * 365);
        dossier_domain::ident::Rnokpp::compose(born, serial, dossier_domain::person::Sex::Female).unwrap()
    };
    let (mother, stranger) = (parent(21), parent(22));
    s.add_representative(&actor(), ward.id, &rep(mother.as_str())).await.unwrap();
    s.add_representative(&actor(), other.id, &rep(stranger.as_str())).await.unwrap();
    let wards: Vec<_> = s.represented_by(mother.as_str()).await.unwrap().into_iter().map(|p| p.id).collect();
    assert_eq!(wards, vec![ward.id]);
    assert!(s.represented_by(parent(23).as_str()).await.unwrap().is_empty());
});
