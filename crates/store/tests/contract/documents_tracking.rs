//! Stored documents renewed from what was read, and the citizens' status look-up.
use super::*;
use uuid::Uuid;

contract!(SqlStore; archived_pdfs_are_walked_and_renewed_only_from_what_was_read, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let mut pdfs = vec![];
    for (i, kind) in ["taxpayer-card", "photo", "internal-passport"].into_iter().enumerate() {
        let content_type = if kind == "photo" { "image/png" } else { "application/pdf" };
        let doc = NewDocument {
            person_id: Some(p.id),
            kind: kind.into(),
            content_type: content_type.into(),
            sha256: format!("{i}").repeat(64),
            size: 10,
            source: "hub".into(),
        };
        let meta = s.add_document(&actor(), doc, false).await.unwrap();
        if content_type == "application/pdf" {
            pdfs.push(meta.id);
        }
    }
    let first = s.documents_of_type("application/pdf", None, 1).await.unwrap();
    let rest = s.documents_of_type("application/pdf", Some(first[0].id), 10).await.unwrap();
    let walked: Vec<Uuid> = first.iter().chain(&rest).map(|d| d.id).collect();
    assert_eq!(walked, pdfs, "every PDF once, in id order, no picture");
    let renewed = StoredBlob { sha256: "f".repeat(64), size: 20 };
    let before = s.audit_verify(&[]).await.unwrap().entries();
    let doc = s.renew_document(&actor(), pdfs[0], &"0".repeat(64), &renewed).await.unwrap();
    assert_eq!((doc.sha256.as_str(), doc.size), (renewed.sha256.as_str(), 20));
    // Renewing again from the old fingerprint: someone else renewed first — refused, nothing written.
    let again = StoredBlob { sha256: "e".repeat(64), size: 30 };
    assert!(matches!(
        s.renew_document(&actor(), pdfs[0], &"0".repeat(64), &again).await,
        Err(StoreError::Conflict(m)) if m.key == "document.changed"
    ));
    assert_eq!(s.document(pdfs[0]).await.unwrap().unwrap().sha256, renewed.sha256);
    assert_eq!(s.audit_verify(&[]).await.unwrap().entries(), before + 1);
});

contract!(SqlStore; tracking_finds_a_certificate_by_number_with_its_office_and_counts_failures_per_key, |s| {
    let t = tree(&s).await;
    let office = s
        .set_unit_contact(&actor(), t.district_a.id, Some("вул. Хрещатик, 1".into()), Some("Пн–Чт 8:00–17:00".into()))
        .await
        .unwrap();
    assert_eq!(office.opening_hours.as_deref(), Some("Пн–Чт 8:00–17:00"));
    assert!(matches!(s.set_unit_contact(&actor(), 999_999, None, None).await, Err(StoreError::NotFound)));
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let app = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let born = NaiveDate::from_ymd_opt(1948, 2, 28).unwrap();
    let since = Utc::now() - chrono::Duration::minutes(15);
    let keys_of = |n: &str| ["client:192.0.2.1".to_owned(), format!("case:{n}")];
    let look = |number: String, born: NaiveDate| {
        let s = &s;
        async move {
            let keys = keys_of(&number);
            s.look_up_certificate(&number, born, [&keys[0], &keys[1]], since).await.unwrap()
        }
    };
    let found = look(app.number.clone(), born).await.found.unwrap();
    assert_eq!(found.certificate.id, app.id);
    assert!(look(app.number.clone(), born.succ_opt().unwrap()).await.found.is_none(), "another date");
    let office = s.unit(found.certificate.data.issue_unit_id).await.unwrap().unwrap();
    assert_eq!(office.address.as_deref(), Some("вул. Хрещатик, 1"));
    assert_eq!(found.reached.iter().map(|r| r.0).collect::<Vec<_>>(), vec![Stage::Accepted], "one row per stage");
    let unknown = look("З-2026-9999999".to_owned(), born).await;
    assert!(unknown.found.is_none());
    assert_eq!(unknown.failures, [0, 0], "nothing counted yet");

    // Failures count per key within a window; an old window starts again.
    let now = Utc::now();
    let window = chrono::Duration::minutes(15);
    let keys = vec!["client:192.0.2.1".to_owned(), format!("case:{}", app.number)];
    for _ in 0..3 {
        s.record_lookup_failure(&keys, now, now - window).await.unwrap();
    }
    s.record_lookup_failure(&keys[..1], now, now - window).await.unwrap();
    assert_eq!(s.lookup_failures(&keys, now - window).await.unwrap(), vec![4, 3], "per key, in order");
    // The look-up reads the same counters with the certificate.
    let both = s.look_up_certificate(&app.number, born, [&keys[0], &keys[1]], now - window).await.unwrap();
    assert_eq!(both.failures, [4, 3], "the counters beside the certificate");
    assert!(both.found.is_some());
    assert_eq!(s.lookup_failures(&["client:other".to_owned()], now - window).await.unwrap(), vec![0]);
    let later = now + chrono::Duration::minutes(20);
    assert_eq!(s.lookup_failures(&keys, later - window).await.unwrap(), vec![0, 0], "the window has passed");
    s.record_lookup_failure(&keys[..1], later, later - window).await.unwrap();
    assert_eq!(s.lookup_failures(&keys[..1], later - window).await.unwrap(), vec![1], "a new window");
});
