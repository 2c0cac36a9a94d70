//! The hub store's contract, on both backends: SQLite always, PostgreSQL when
//! reachable (`DOSSIER_TEST_PG_URL`, default
//! `postgres://postgres@127.0.0.1:5432/postgres`); with `CI=true` an
//! unreachable PostgreSQL fails instead of skipping.
use std::sync::Arc;

use chrono::{Duration, Utc};
use dossier_db::StoreError;
use dossier_db::contract;
use dossier_domain::sharing::{CODE_TTL, DocumentType, PURGE_AFTER, RequestEvent, RequestStatus, SharingCode};
use dossier_hub::store::*;
use dossier_sharing::wire::SignatureStatus;
use uuid::Uuid;

async fn sqlite() -> (SqlHubStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("hub.db").display());
    (SqlHubStore::open(&url).await.unwrap(), dir)
}

async fn postgres() -> Option<(SqlHubStore, String)> {
    let (url, name) = dossier_db::testing::fresh_pg_database("dossier_hub_test").await?;
    Some((SqlHubStore::open(&url).await.unwrap(), name))
}

fn sys() -> HubActor {
    HubActor::system("test")
}

struct Fixture {
    citizen: Uuid,
    branch: Branch,
}

async fn fixture(s: &SqlHubStore) -> Fixture {
    let c = s
        .create_citizen(
            &sys(),
            NewCitizen {
                login: "1759013776".into(),
                password_hash: "x".into(),
                display_name: "Т. Шевченко".into(),
                rnokpp: "1759013776".into(),
            },
        )
        .await
        .unwrap();
    s.add_document(&sys(), c.id, DocumentType::TaxpayerCard, &serde_json::json!({"docNumber": "1759013776"}), b"sig")
        .await
        .unwrap();
    s.save_acquirer(
        &sys(),
        Acquirer {
            id: "pfu".into(),
            name: "ПФУ".into(),
            endpoint: "http://127.0.0.1:9/d".into(),
            token_hash: "h".into(),
            login_redirect_uri: None,
        },
    )
    .await
    .unwrap();
    let branch = s
        .create_branch(
            &sys(),
            "pfu",
            NewBranch {
                name: "Центр 1".into(),
                address: "Київ".into(),
                scopes: vec![DocumentType::TaxpayerCard],
                encryption_cert_pem: "pem".into(),
            },
        )
        .await
        .unwrap();
    Fixture { citizen: c.id, branch }
}

fn fixed(code: &'static str) -> impl FnMut() -> SharingCode + Send {
    move || SharingCode::parse(code).unwrap()
}

fn new_request(f: &Fixture, request_id: &str) -> NewRequest {
    NewRequest {
        acquirer_id: "pfu".into(),
        branch_id: f.branch.id.clone(),
        request_id: request_id.into(),
        document_type: DocumentType::TaxpayerCard,
    }
}

contract!(SqlHubStore; codes_are_unique_among_live_codes, |s| {
    let f = fixture(&s).await;
    let now = Utc::now();
    let mut draw = fixed("1213187292345");
    let first = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, now, &mut draw).await.unwrap();
    // The same digits cannot be issued while the first is live: the store asks for new digits.
    let mut calls = 0;
    let mut redraw = || {
        calls += 1;
        if calls == 1 {
            SharingCode::parse("1213187292345").unwrap()
        } else {
            SharingCode::parse("4006381333931").unwrap()
        }
    };
    let second = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, now, &mut redraw).await.unwrap();
    assert_eq!(second.code.as_str(), "4006381333931");
    assert_ne!(first.id, second.id);
    // Once the first is dead (expired, unused), its digits may be drawn again.
    let later = now + CODE_TTL + Duration::seconds(1);
    let third = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, later, &mut draw).await.unwrap();
    assert_eq!(third.code.as_str(), "1213187292345");
    assert_eq!(s.code("1213187292345").await.unwrap().unwrap().id, third.id);
});

contract!(SqlHubStore; a_code_is_single_use_and_two_racing_takes_have_one_winner, |s| {
    let f = fixture(&s).await;
    let mut draw = fixed("1213187292345");
    let code = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, Utc::now(), &mut draw).await.unwrap();
    let (a, b) = tokio::join!(
        s.take_code(code.id, new_request(&f, "r-a"), Utc::now()),
        s.take_code(code.id, new_request(&f, "r-b"), Utc::now())
    );
    let outcomes = [a.unwrap(), b.unwrap()];
    assert_eq!(outcomes.iter().filter(|o| matches!(o, TakeOutcome::Taken(_))).count(), 1, "{outcomes:?}");
    assert_eq!(outcomes.iter().filter(|o| **o == TakeOutcome::AlreadyUsed).count(), 1);
    assert!(s.code(code.code.as_str()).await.unwrap().unwrap().used_at.is_some());
    // The acquirer's request id is unique too.
    let mut other = fixed("4006381333931");
    let code2 = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, Utc::now(), &mut other).await.unwrap();
    let winner = if matches!(outcomes[0], TakeOutcome::Taken(_)) { "r-a" } else { "r-b" };
    assert_eq!(
        s.take_code(code2.id, new_request(&f, winner), Utc::now()).await.unwrap(),
        TakeOutcome::DuplicateRequest
    );
});

contract!(SqlHubStore; unused_codes_are_purged_after_a_day, |s| {
    let f = fixture(&s).await;
    let old = Utc::now() - PURGE_AFTER - Duration::minutes(1);
    let mut d1 = fixed("1213187292345");
    let stale = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, old, &mut d1).await.unwrap();
    let mut d2 = fixed("4006381333931");
    let used = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, old, &mut d2).await.unwrap();
    s.take_code(used.id, new_request(&f, "r1"), old).await.unwrap();
    assert_eq!(s.purge_codes(Utc::now() - PURGE_AFTER).await.unwrap(), 1);
    assert!(s.code_by_id(stale.id).await.unwrap().is_none());
    assert!(s.code_by_id(used.id).await.unwrap().is_some(), "a used code stays with its request");
});

contract!(SqlHubStore; refused_codes_are_counted_per_branch_in_the_database_and_forgotten_after_the_window, |s| {
    let f = fixture(&s).await;
    let now = Utc::now();
    let window = Duration::minutes(10);
    let branch = f.branch.id.as_str();
    // Two refusals long ago, three within the window, and one of another branch.
    for ago in [30, 20, 9, 5, 1] {
        let at = now - Duration::minutes(ago);
        s.record_code_refusal(&sys(), branch, "unknown", at, at - Duration::hours(1)).await.unwrap();
    }
    s.record_code_refusal(&sys(), "another-branch", "expired", now, now - window).await.unwrap();
    let counted = s.code_refusals(branch, now - window).await.unwrap();
    assert_eq!(counted.len(), 3, "{counted:?}");
    assert!(counted.windows(2).all(|w| w[0] <= w[1]), "oldest first");
    // Each refusal is audited under its branch, without the code.
    let actions = s.audit_actions(&format!("branch:{branch}")).await.unwrap();
    assert_eq!(actions.iter().filter(|a| *a == "hub.code.refused").count(), 5);
    // A new refusal forgets what has left the window.
    s.record_code_refusal(&sys(), branch, "unknown", now, now - window).await.unwrap();
    assert_eq!(s.code_refusals(branch, now - Duration::days(1)).await.unwrap().len(), 4);
    assert_eq!(s.code_refusals("another-branch", now - window).await.unwrap().len(), 1);
});

contract!(SqlHubStore; requests_follow_the_state_machine_and_the_outbox_keeps_only_sealed_bytes, |s| {
    let f = fixture(&s).await;
    let mut draw = fixed("1213187292345");
    let code = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, Utc::now(), &mut draw).await.unwrap();
    let TakeOutcome::Taken(id) = s.take_code(code.id, new_request(&f, "r1"), Utc::now()).await.unwrap() else {
        panic!("not taken")
    };
    let r = s.request(id).await.unwrap().unwrap();
    assert_eq!((r.status, r.citizen_id), (RequestStatus::WaitingConsent, Some(f.citizen)));
    // Nothing can be delivered before consent.
    assert!(s.claim_deliveries(Utc::now(), Duration::minutes(5), 10).await.unwrap().is_empty());
    let err = s.advance_request(&sys(), id, RequestEvent::Acknowledge, None, None, Utc::now()).await;
    assert!(matches!(err, Err(StoreError::Conflict(_))));
    let pkg =
        SealedPackage { endpoint: "http://x/d".into(), file_name: "f.p7e".into(), file: vec![1, 2], metadata: vec![3] };
    let now = Utc::now();
    let r = s
        .advance_request(&HubActor::citizen(f.citizen), id, RequestEvent::Approve, Some(b"cms"), Some(pkg), now)
        .await
        .unwrap();
    assert_eq!(r.status, RequestStatus::Approved);
    let claimed = s.claim_deliveries(now, Duration::minutes(5), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(claimed[0].request_id, "r1");
    // A claimed row is not handed to a second worker during its lease.
    assert!(s.claim_deliveries(now, Duration::minutes(5), 10).await.unwrap().is_empty());
    s.delivery_failed(id, "HTTP 500", Some(now + Duration::seconds(2)), now).await.unwrap();
    assert!(s.claim_deliveries(now + Duration::seconds(1), Duration::minutes(5), 10).await.unwrap().is_empty());
    let again = s.claim_deliveries(now + Duration::seconds(3), Duration::minutes(5), 10).await.unwrap();
    assert_eq!(again[0].attempts, 1);
    s.delivery_acknowledged(id, now).await.unwrap();
    assert_eq!(s.outbox_len().await.unwrap(), 0);
    assert_eq!(s.request(id).await.unwrap().unwrap().status, RequestStatus::Delivered);
    assert!(s.audit_verify().await.unwrap().logs.iter().all(|l| l.first_broken.is_none()));
    assert!(s.audit_actions(&format!("request:{id}")).await.unwrap().len() >= 3);
});

contract!(SqlHubStore; requests_without_a_decision_expire, |s| {
    let f = fixture(&s).await;
    let mut draw = fixed("1213187292345");
    let code = s.issue_code(&sys(), f.citizen, DocumentType::TaxpayerCard, Utc::now(), &mut draw).await.unwrap();
    let t0 = Utc::now();
    let TakeOutcome::Taken(id) = s.take_code(code.id, new_request(&f, "r1"), t0).await.unwrap() else { panic!() };
    assert!(s.expire_requests(t0 - Duration::minutes(1), t0).await.unwrap().is_empty());
    let expired =
        s.expire_requests(t0 + Duration::seconds(1), t0 + dossier_domain::sharing::CONSENT_TTL).await.unwrap();
    assert_eq!(expired, vec![id]);
    assert_eq!(s.request(id).await.unwrap().unwrap().status, RequestStatus::Expired);
});

contract!(SqlHubStore; a_deeplink_request_belongs_to_the_first_wallet_that_opens_it, |s| {
    let f = fixture(&s).await;
    let out = s.create_deeplink_request(new_request(&f, "d1"), "tokhash", Utc::now()).await.unwrap();
    let TakeOutcome::Taken(id) = out else { panic!() };
    assert_eq!(s.claim_deeplink("tokhash", f.citizen, Utc::now()).await.unwrap(), Some(id));
    assert_eq!(s.claim_deeplink("tokhash", Uuid::new_v4(), Utc::now()).await.unwrap(), None);
    assert_eq!(s.requests_of(f.citizen).await.unwrap().len(), 1);
});

contract!(SqlHubStore; a_login_code_is_taken_once_and_not_after_it_expires, |s| {
    let f = fixture(&s).await;
    let now = Utc::now();
    let code = |hash: &str, expires_at| LoginCode {
        code_hash: hash.into(),
        acquirer_id: "pfu".into(),
        citizen_id: f.citizen,
        redirect_uri: "https://fund.example/account/callback".into(),
        code_challenge: "c".repeat(43),
        nonce: "n".into(),
        auth_time: now,
        expires_at,
    };
    s.save_login_code(&code("live", now + Duration::seconds(60))).await.unwrap();
    s.save_login_code(&code("stale", now + Duration::seconds(1))).await.unwrap();
    let taken = s.take_login_code("live", now).await.unwrap().expect("the code");
    assert_eq!((taken.citizen_id, taken.redirect_uri.as_str()), (f.citizen, "https://fund.example/account/callback"));
    assert!(s.take_login_code("live", now).await.unwrap().is_none(), "a code is redeemed once");
    assert!(s.take_login_code("stale", now + Duration::seconds(2)).await.unwrap().is_none(), "nor after expiry");
    assert!(s.take_login_code("unknown", now).await.unwrap().is_none());
    // Each grant is in the audit chain, under the citizen.
    assert_eq!(s.audit_actions(&format!("citizen:{}", f.citizen)).await.unwrap().iter().filter(|a| a.as_str() == "hub.login.grant").count(), 2);
});

fn new_signature(f: &Fixture, created_at: chrono::DateTime<Utc>) -> NewSignatureRequest {
    NewSignatureRequest {
        acquirer_id: "pfu".into(),
        citizen_id: f.citizen,
        title: "Заява про призначення пенсії".into(),
        document: "Прошу призначити мені пенсію за віком.\n<підпис>".into(),
        return_url: "https://fund.example/applications/7".into(),
        created_at,
        expires_at: created_at + Duration::minutes(15),
    }
}

contract!(SqlHubStore; a_signature_request_is_read_by_its_acquirer_only_and_decided_once, |s| {
    let f = fixture(&s).await;
    assert_eq!(s.citizen_by_rnokpp("1759013776").await.unwrap().map(|c| c.id), Some(f.citizen));
    assert!(s.citizen_by_rnokpp("0000000000").await.unwrap().is_none());
    let now = Utc::now();
    let rec = s.create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, now)).await.unwrap();
    assert_eq!((rec.status, rec.status_at(now)), (SignatureStatus::Waiting, SignatureStatus::Waiting));
    let read = s.signature_request_of("pfu", rec.id).await.unwrap().expect("the acquirer's own request");
    assert_eq!(read.document, "Прошу призначити мені пенсію за віком.\n<підпис>");
    assert_eq!((read.citizen_id, read.title.as_str()), (f.citizen, "Заява про призначення пенсії"));
    assert_eq!((read.created_at, read.expires_at), (rec.created_at, rec.expires_at));
    assert!(read.signature.is_none() && read.decided_at.is_none());
    // Another acquirer, or an unknown id, reads nothing.
    let other = Acquirer {
        id: "other".into(),
        name: "Інший фонд".into(),
        endpoint: "http://127.0.0.1:9/o".into(),
        token_hash: "h".into(),
        login_redirect_uri: None,
    };
    s.save_acquirer(&sys(), other).await.unwrap();
    assert!(s.signature_request_of("other", rec.id).await.unwrap().is_none());
    assert!(s.signature_request_of("pfu", Uuid::new_v4()).await.unwrap().is_none());
    // Another citizen cannot decide it.
    let stranger = Uuid::new_v4();
    let err = s
        .decide_signature_request(&HubActor::citizen(stranger), rec.id, stranger, SignatureDecision::Decline, now)
        .await;
    assert!(matches!(err, Err(StoreError::NotFound)), "{err:?}");
    // Signing and declining race: exactly one decision is taken.
    let me = HubActor::citizen(f.citizen);
    let (a, b) = tokio::join!(
        s.decide_signature_request(&me, rec.id, f.citizen, SignatureDecision::Sign(b"cms".to_vec()), now),
        s.decide_signature_request(&me, rec.id, f.citizen, SignatureDecision::Decline, now)
    );
    let won = match (a, b) {
        (Ok(r), Err(StoreError::Conflict(_))) | (Err(StoreError::Conflict(_)), Ok(r)) => r,
        other => panic!("not exactly one decision: {other:?}"),
    };
    let stored = s.signature_request(rec.id).await.unwrap().unwrap();
    assert_eq!(stored.status, won.status);
    assert_eq!(stored.decided_at, Some(dossier_db::audit::canonical_time(now)));
    match won.status {
        SignatureStatus::Signed => assert_eq!(stored.signature.as_deref(), Some(&b"cms"[..])),
        SignatureStatus::Declined => assert!(stored.signature.is_none()),
        other => panic!("{other:?}"),
    }
    // Nothing decides it again.
    let again = s.decide_signature_request(&me, rec.id, f.citizen, SignatureDecision::Sign(b"x".to_vec()), now).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    let again = s.decide_signature_request(&me, rec.id, f.citizen, SignatureDecision::Decline, now).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    assert_eq!(s.signature_request(rec.id).await.unwrap().unwrap().status, won.status);
    // Each step is in the audit chain, under the request.
    let actions = s.audit_actions(&format!("signature:{}", rec.id)).await.unwrap();
    let decided = if won.status == SignatureStatus::Signed { "hub.signature.signed" } else { "hub.signature.declined" };
    assert_eq!(actions, vec!["hub.signature.requested".to_owned(), decided.to_owned()]);
    assert!(s.audit_verify().await.unwrap().logs.iter().all(|l| l.first_broken.is_none()));
});

contract!(SqlHubStore; a_signature_request_expires_fifteen_minutes_after_it_was_made, |s| {
    let f = fixture(&s).await;
    let t0 = Utc::now();
    let me = HubActor::citizen(f.citizen);
    let rec = s.create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0)).await.unwrap();
    assert_eq!(rec.status_at(t0 + Duration::minutes(15) - Duration::seconds(1)), SignatureStatus::Waiting);
    assert_eq!(rec.status_at(t0 + Duration::minutes(15)), SignatureStatus::Expired);
    // Past its time it can be neither signed nor declined, and reads as expired.
    let late = t0 + Duration::minutes(15) + Duration::seconds(1);
    let err = s.decide_signature_request(&me, rec.id, f.citizen, SignatureDecision::Sign(b"cms".to_vec()), late).await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    let err = s.decide_signature_request(&me, rec.id, f.citizen, SignatureDecision::Decline, late).await;
    assert!(matches!(err, Err(StoreError::Conflict(_))), "{err:?}");
    let stored = s.signature_request(rec.id).await.unwrap().unwrap();
    assert_eq!((stored.status, stored.status_at(late)), (SignatureStatus::Waiting, SignatureStatus::Expired));
    assert!(stored.signature.is_none());
    // Within its time it can.
    let fresh = s.create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0)).await.unwrap();
    let within = t0 + Duration::minutes(14);
    let signed = s
        .decide_signature_request(&me, fresh.id, f.citizen, SignatureDecision::Sign(b"cms".to_vec()), within)
        .await
        .unwrap();
    assert_eq!((signed.status, signed.status_at(late)), (SignatureStatus::Signed, SignatureStatus::Signed));
});

contract!(SqlHubStore; signature_requests_are_deleted_a_week_after_they_expire_decided_or_not, |s| {
    let f = fixture(&s).await;
    let t0 = Utc::now();
    let me = HubActor::citizen(f.citizen);
    let waiting = s.create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0)).await.unwrap();
    let signed = s.create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0)).await.unwrap();
    s.decide_signature_request(&me, signed.id, f.citizen, SignatureDecision::Sign(b"cms".to_vec()), t0).await.unwrap();
    let later = s
        .create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0 + Duration::hours(1)))
        .await
        .unwrap();
    // The worker purges at `now - SIGNATURE_PURGE_AFTER`: here, as if a week had gone by.
    let expired = waiting.expires_at;
    assert_eq!(s.purge_signature_requests(expired - Duration::seconds(1)).await.unwrap(), 0);
    assert_eq!(s.purge_signature_requests(expired).await.unwrap(), 2, "both of t0, signed or not");
    for gone in [waiting.id, signed.id] {
        assert!(s.signature_request_of("pfu", gone).await.unwrap().is_none());
    }
    assert!(s.signature_request_of("pfu", later.id).await.unwrap().is_some(), "an hour younger: kept");
    assert_eq!(s.audit_actions("signatures").await.unwrap(), ["hub.signature.purge"]);
    assert!(s.audit_verify().await.unwrap().logs.iter().all(|l| l.first_broken.is_none()));
});

contract!(SqlHubStore; the_wallet_lists_a_citizen_s_waiting_texts_only_until_decided_or_expired, |s| {
    let f = fixture(&s).await;
    let t0 = Utc::now();
    let me = HubActor::citizen(f.citizen);
    let older = s.create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0)).await.unwrap();
    let newer = s
        .create_signature_request(&HubActor::acquirer("pfu"), new_signature(&f, t0 + Duration::minutes(1)))
        .await
        .unwrap();
    let ids = |list: Vec<SignatureRecord>| list.into_iter().map(|r| r.id).collect::<Vec<_>>();
    let at = t0 + Duration::minutes(2);
    assert_eq!(ids(s.waiting_signature_requests(f.citizen, at).await.unwrap()), vec![newer.id, older.id]);
    // Nobody else's list holds them.
    assert!(s.waiting_signature_requests(Uuid::new_v4(), at).await.unwrap().is_empty());
    // Decided, it leaves the list; expired too (the older at 15 minutes, the newer a minute later).
    s.decide_signature_request(&me, newer.id, f.citizen, SignatureDecision::Decline, at).await.unwrap();
    assert_eq!(ids(s.waiting_signature_requests(f.citizen, at).await.unwrap()), vec![older.id]);
    assert!(s.waiting_signature_requests(f.citizen, t0 + Duration::minutes(15)).await.unwrap().is_empty());
});
