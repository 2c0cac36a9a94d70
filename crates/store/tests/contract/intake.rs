//! The intake of shared documents: branches, live requests per barcode, deliveries stored
//! once, the review queue, wrong-code counters.
use super::*;

mod intake_support {
    use super::*;
    use dossier_domain::sharing::DocumentType;

    pub async fn branch(s: &SqlStore, t: &Tree) -> SharingBranch {
        let b = SharingBranch {
            unit_id: t.centre_a.id,
            branch_id: "hub-branch-1".into(),
            name: "SA".into(),
            scopes: vec![DocumentType::TaxpayerCard, DocumentType::IdCard],
            registered_at: chrono::Utc::now(),
        };
        s.save_sharing_branch(&actor(), &b).await.unwrap();
        b
    }

    pub fn request(unit_id: i64, barcode: &str) -> NewSharingRequest {
        NewSharingRequest {
            id: uuid::Uuid::new_v4(),
            barcode: barcode.into(),
            branch_id: "hub-branch-1".into(),
            unit_id,
            document_type: DocumentType::TaxpayerCard,
            account_id: None,
            next_check_at: chrono::Utc::now(),
        }
    }

    pub fn copy(request_id: uuid::Uuid, person_id: Option<uuid::Uuid>) -> NewSharingCopy {
        NewSharingCopy {
            request_id,
            pdf: StoredBlob { sha256: "a".repeat(64), size: 10 },
            metadata_p7s: StoredBlob { sha256: "b".repeat(64), size: 5 },
            person_id,
            hub_fingerprint: "f".repeat(64),
            formed_at: "2026-11-21T10:00:00Z".into(),
            stamp: serde_json::json!({"branchId": "hub-branch-1"}),
            report: serde_json::json!({"pdf": {"indication": "TOTAL_PASSED"}}),
            consent: Some("Y29uc2VudA==".into()),
        }
    }
}

contract!(SqlStore; intake_branches_are_registered_and_reregistered, |s| {
    let t = tree(&s).await;
    let b = intake_support::branch(&s, &t).await;
    let all = s.sharing_branches().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!((all[0].unit_id, &all[0].branch_id, &all[0].scopes), (b.unit_id, &b.branch_id, &b.scopes));
    let again = SharingBranch { name: "renamed".into(), ..b };
    s.save_sharing_branch(&actor(), &again).await.unwrap();
    let all = s.sharing_branches().await.unwrap();
    assert_eq!(all.len(), 1);
    assert_eq!(all[0].name, "renamed");
    // The same hub branch cannot belong to two units.
    let clash = SharingBranch { unit_id: t.district_b.id, ..again };
    assert!(matches!(s.save_sharing_branch(&actor(), &clash).await, Err(StoreError::Conflict(_))));
});

contract!(SqlStore; intake_one_live_request_per_barcode, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let first =
        s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    assert_eq!(first.status, IntakeStatus::Submitting);
    // Two specialists with the same code at once: the second cannot hold it.
    let (who, ra, rb) = (
        actor(),
        intake_support::request(t.centre_a.id, "1213187292345"),
        intake_support::request(t.centre_a.id, "1213187292345"),
    );
    let (a, b) = tokio::join!(s.create_sharing_request(&who, &ra), s.create_sharing_request(&who, &rb));
    for r in [a, b] {
        match r {
            Err(StoreError::Conflict(m)) => assert_eq!(m.key, "sharing.code.used"),
            other => panic!("{other:?}"),
        }
    }
    // Once refused, the barcode is free again (the hub decides about the code).
    let upd = SharingUpdate {
        status: IntakeStatus::Refused,
        last_error: Some("sharing.code.unknown".into()),
        hub_attempts: 1,
        next_check_at: chrono::Utc::now(),
    };
    let refused = s.update_sharing_request(&actor(), first.id, IntakeStatus::Submitting, &upd).await.unwrap().unwrap();
    assert_eq!(refused.status, IntakeStatus::Refused);
    // Compare-and-set: a stale writer changes nothing.
    assert!(s.update_sharing_request(&actor(), first.id, IntakeStatus::Submitting, &upd).await.unwrap().is_none());
    s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let audit = s.audit_of(&format!("sharing_request:{}", first.id), 10).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "sharing.request.create"));
    assert!(audit.iter().all(|e| !e.details.to_string().contains("1213187292345")), "no full code in the audit");
});

contract!(SqlStore; intake_due_requests_are_the_live_ones_each_claimed_once, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let live =
        s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let gone =
        s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "4006381333931")).await.unwrap();
    let upd = SharingUpdate {
        status: IntakeStatus::Declined,
        last_error: Some("sharing.declined".into()),
        hub_attempts: 1,
        next_check_at: chrono::Utc::now(),
    };
    s.update_sharing_request(&actor(), gone.id, IntakeStatus::Submitting, &upd).await.unwrap().unwrap();
    let lease = chrono::Duration::minutes(2);
    assert!(s.claim_sharing_requests(chrono::Utc::now() - chrono::Duration::hours(1), lease, 10).await.unwrap().is_empty());
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    let due = s.claim_sharing_requests(now, lease, 10).await.unwrap();
    assert_eq!(due.iter().map(|r| r.id).collect::<Vec<_>>(), vec![live.id]);
    // Claimed: passed by until the lease runs out, then due again (its claimer died).
    assert!(s.claim_sharing_requests(now, lease, 10).await.unwrap().is_empty());
    assert!(s.claim_sharing_requests(now + lease - chrono::Duration::seconds(1), lease, 10).await.unwrap().is_empty());
    let again = s.claim_sharing_requests(now + lease, lease, 10).await.unwrap();
    assert_eq!(again.iter().map(|r| r.id).collect::<Vec<_>>(), vec![live.id]);
    // A request the counter holds while it sends is not due before then.
    let mut held = intake_support::request(t.centre_a.id, "4820000000008");
    held.next_check_at = chrono::Utc::now() + lease;
    s.create_sharing_request(&actor(), &held).await.unwrap();
    assert!(s.claim_sharing_requests(chrono::Utc::now(), lease, 10).await.unwrap().iter().all(|r| r.id != held.id));
});

contract!(SqlStore; intake_workers_claiming_at_once_never_take_the_same_request, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let mut ids = vec![];
    for i in 0..40u32 {
        // Twelve digits from i, then the check digit: forty distinct valid codes.
        let digits: [u8; 12] = std::array::from_fn(|k| if k < 10 { 4 } else { [i / 10, i % 10][k - 10] as u8 });
        let code = dossier_domain::sharing::SharingCode::from_digits(digits).unwrap();
        ids.push(s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, code.as_str())).await.unwrap().id);
    }
    let now = chrono::Utc::now() + chrono::Duration::seconds(1);
    let claims = futures::future::join_all(
        (0..6).map(|_| s.claim_sharing_requests(now, chrono::Duration::minutes(2), 8)),
    )
    .await;
    let mut claimed: Vec<uuid::Uuid> = claims.into_iter().flat_map(|c| c.unwrap()).map(|r| r.id).collect();
    let taken = claimed.len();
    claimed.sort();
    claimed.dedup();
    assert_eq!(claimed.len(), taken, "a request claimed twice");
    assert_eq!(taken, 40, "six workers of eight each took all forty");
    assert!(claimed.iter().all(|id| ids.contains(id)));
});

contract!(SqlStore; intake_a_repeated_delivery_is_stored_once, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let before = s.delivery_route(r.id).await.unwrap();
    let request = s.sharing_request(r.id).await.unwrap().unwrap();
    assert_eq!(before, Some(DeliveryRoute { request, branch_unit: Some(t.centre_a.id), stored: None }));
    assert_eq!(s.delivery_route(uuid::Uuid::new_v4()).await.unwrap(), None, "no such request");
    let (copy, created) = s.record_sharing_copy(&actor(), &intake_support::copy(r.id, Some(p.id))).await.unwrap();
    assert!(created);
    assert_eq!(copy.review, CopyReview::Matched);
    assert_eq!(copy.person_id, Some(p.id));
    assert_eq!(s.sharing_copy(r.id).await.unwrap().as_ref(), Some(&copy), "the copy returned is the copy stored");
    let after = s.delivery_route(r.id).await.unwrap().unwrap();
    assert_eq!(after.stored, Some((copy.document_id, Some(p.id))), "a repeat is recognised before its crypto");
    assert_eq!(Some(&after.request), s.sharing_request(r.id).await.unwrap().as_ref(), "the route carries the request as it is now");
    let unmatched = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292346")).await.unwrap();
    let (copy_of_nobody, _) = s.record_sharing_copy(&actor(), &intake_support::copy(unmatched.id, None)).await.unwrap();
    let route = s.delivery_route(unmatched.id).await.unwrap().unwrap();
    assert_eq!(route.stored, Some((copy_of_nobody.document_id, None)), "a copy matched to no one is stored all the same");
    let (again, created) = s.record_sharing_copy(&actor(), &intake_support::copy(r.id, Some(p.id))).await.unwrap();
    assert!(!created);
    assert_eq!(again.document_id, copy.document_id);
    let docs = s.documents(p.id).await.unwrap();
    assert_eq!(docs.len(), 2, "the PDF and the signed metadata, once");
    assert!(docs.iter().any(|d| d.kind == "taxpayer-card" && d.content_type == "application/pdf"));
    let req = s.sharing_request(r.id).await.unwrap().unwrap();
    assert_eq!(req.status, IntakeStatus::Delivered);
    assert_eq!(req.document_id, Some(copy.document_id));
    assert!(req.delivered_at.is_some());
    assert_eq!(copy.report["pdf"]["indication"], "TOTAL_PASSED");
    assert_eq!(copy.consent.as_deref(), Some("Y29uc2VudA=="));
    let audit = s.audit_of(&format!("person:{}", p.id), 20).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "document.add").count(), 2);
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

contract!(SqlStore; intake_a_closed_request_takes_no_delivery, |s| {
    use dossier_domain::intake::IntakeStatus;
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let upd = SharingUpdate {
        status: IntakeStatus::Declined,
        last_error: None,
        hub_attempts: 1,
        next_check_at: chrono::Utc::now(),
    };
    s.update_sharing_request(&actor(), r.id, IntakeStatus::Submitting, &upd).await.unwrap().unwrap();
    assert!(matches!(
        s.record_sharing_copy(&actor(), &intake_support::copy(r.id, None)).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        s.record_sharing_copy(&actor(), &intake_support::copy(uuid::Uuid::new_v4(), None)).await,
        Err(StoreError::NotFound)
    ));
});

contract!(SqlStore; intake_unmatched_copies_wait_in_the_review_queue_of_their_scope, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let (copy, _) = s.record_sharing_copy(&actor(), &intake_support::copy(r.id, None)).await.unwrap();
    assert_eq!(copy.review, CopyReview::Pending);
    let page = Page::new(0, 50);
    assert_eq!(s.review_queue(&t.district_a.path, page).await.unwrap().len(), 1);
    assert!(s.review_queue(&t.district_b.path, page).await.unwrap().is_empty(), "another district does not see it");
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let assigned = s.assign_sharing_copy(&actor(), r.id, p.id).await.unwrap();
    assert_eq!(assigned.review, CopyReview::Assigned);
    assert_eq!(assigned.person_id, Some(p.id));
    assert_eq!(s.documents(p.id).await.unwrap().len(), 2);
    assert!(s.review_queue(&t.central.path, page).await.unwrap().is_empty());
    assert!(matches!(s.assign_sharing_copy(&actor(), r.id, p.id).await, Err(StoreError::Conflict(_))));
});

contract!(SqlStore; intake_wrong_codes_are_counted_per_account_and_branch, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let acc = uuid::Uuid::new_v4();
    let since = chrono::Utc::now() - chrono::Duration::minutes(10);
    for refusal in [Some("sharing.code.unknown"), None, Some("sharing.code.expired")] {
        let a = CodeAttempt {
            account_id: Some(acc),
            branch_id: "hub-branch-1".into(),
            masked_code: "…2345".into(),
            refusal: refusal.map(str::to_owned),
        };
        s.record_code_attempt(&actor(), &a).await.unwrap();
    }
    let (by_account, by_branch) = s.code_failures(Some(acc), "hub-branch-1", since).await.unwrap();
    assert_eq!((by_account.len(), by_branch.len()), (2, 2));
    let (other, _) = s.code_failures(Some(uuid::Uuid::new_v4()), "hub-branch-1", since).await.unwrap();
    assert!(other.is_empty());
    let audit = s.audit_of("sharing_branch:hub-branch-1", 10).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "sharing.code.attempt").count(), 3);
});

contract!(SqlStore; intake_two_deliveries_at_once_store_one_copy, |s| {
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let (who, a, b) = (actor(), intake_support::copy(r.id, None), intake_support::copy(r.id, None));
    let (x, y) = tokio::join!(s.record_sharing_copy(&who, &a), s.record_sharing_copy(&who, &b));
    let (x, y) = (x.unwrap(), y.unwrap());
    assert!(x.1 ^ y.1, "exactly one stored");
    assert_eq!(x.0.document_id, y.0.document_id);
});

// ---- certificate production (regulation 26-1, §§ III–V) ----

contract!(SqlStore; intake_a_requests_followers_hear_of_its_copy_once_and_only_they, |s| {
    use dossier_domain::notify::{Channel, Topic};
    let t = tree(&s).await;
    intake_support::branch(&s, &t).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let r = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292345")).await.unwrap();
    let other = s.create_sharing_request(&actor(), &intake_support::request(t.centre_a.id, "1213187292346")).await.unwrap();
    let follow = |request_id| NewSubscription {
        person_id: None,
        certificate_id: None,
        request_id: Some(request_id),
        channel: Channel::Email,
        address: Some("follower@example.org".into()),
        secret: None,
        lang: "uk".into(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
    };
    let now = chrono::Utc::now();
    let mine = s.subscribe(&actor(), &follow(r.id), None, now).await.unwrap();
    s.subscribe(&actor(), &follow(other.id), None, now).await.unwrap();
    // Followers belong to their request: not to a person, not among the systems' webhooks.
    let listed = s.subscriptions_of(Subscribers::Request(r.id)).await.unwrap();
    assert_eq!(listed.iter().map(|x| x.id).collect::<Vec<_>>(), vec![mine.id]);
    assert_eq!(listed[0].request_id, Some(r.id));
    assert!(s.subscriptions_of(Subscribers::Systems).await.unwrap().is_empty());
    assert!(s.subscriptions_of(Subscribers::Person(p.id)).await.unwrap().is_empty());
    // The copy's arrival is written for this request's follower, once however often it is delivered.
    s.record_sharing_copy(&actor(), &intake_support::copy(r.id, Some(p.id))).await.unwrap();
    s.record_sharing_copy(&actor(), &intake_support::copy(r.id, Some(p.id))).await.unwrap();
    let counts = s.outbox_counts(now - chrono::Duration::hours(1)).await.unwrap();
    assert_eq!(counts.iter().map(|c| c.count).sum::<i64>(), 1, "{counts:?}");
    let written = s.notifications_of(p.id, 10).await.unwrap();
    assert_eq!(written.len(), 1);
    assert_eq!((written[0].subscription_id, written[0].topic), (mine.id, Topic::SharedCopyReceived));
});
