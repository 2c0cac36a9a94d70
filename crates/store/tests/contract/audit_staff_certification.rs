//! The audit and access chains, imports, sessions and lock-out, ID-card expiry, and the
//! certification centre's issued certificates, revocations and CRL numbers.
use super::*;

contract!(SqlStore; audit_chain_verifies_and_catches_a_direct_edit, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    s.audit(&actor(), "person.read", &format!("person:{}", p.id), serde_json::json!({})).await.unwrap();
    let ok = s.audit_verify(&[]).await.unwrap();
    assert!(ok.first_broken().is_none());
    assert_eq!(ok.of(Log::Change).unwrap().entries, 8);
    assert_eq!(ok.of(Log::Access).unwrap().entries, 1);
    let history = s.audit_of(&format!("person:{}", p.id), 10).await.unwrap();
    assert_eq!(history.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["person.read", "person.create"]);
    assert_eq!(history.iter().map(|e| e.log).collect::<Vec<_>>(), [Log::Access, Log::Change]);
    s.execute_raw(Log::Change, "UPDATE audit_log SET actor = 'mallory' WHERE seq = 3").await.unwrap();
    let broken = s.audit_verify(&[]).await.unwrap();
    let (log, link) = broken.first_broken().unwrap();
    assert_eq!((log, link.seq), (Log::Change, 3));
});

contract!(SqlStore; access_log_tampering_is_caught_too, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    for _ in 0..3 {
        s.audit(&actor(), "person.read", &format!("person:{}", p.id), serde_json::json!({})).await.unwrap();
    }
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
    s.execute_raw(Log::Access, "DELETE FROM access_log WHERE seq = 2").await.unwrap();
    let broken = s.audit_verify(&[]).await.unwrap();
    let (log, link) = broken.first_broken().unwrap();
    assert_eq!((log, link.seq), (Log::Access, 3));
});

contract!(SqlStore; a_cut_tail_with_the_head_moved_passes_the_chain_but_not_its_checkpoint, |s| {
    let t = tree(&s).await;
    s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let heads = s.audit_heads().await.unwrap();
    let (log, seq, hash) = heads.iter().find(|h| h.0 == Log::Change).cloned().unwrap();
    assert!(seq >= 3);
    assert_eq!(heads.iter().find(|h| h.0 == Log::Access).map(|h| h.1), Some(0), "nothing read yet");
    let point = Checkpoint { log, seq, head_hash: hash, at: chrono::Utc::now() };
    let r = s.audit_verify(std::slice::from_ref(&point)).await.unwrap();
    assert!(r.first_broken().is_none());
    assert_eq!(r.of(Log::Change).unwrap().first_uncovered(), seq + 1);
    let keep = seq - 2;
    s.execute_raw(Log::Change, &format!("DELETE FROM audit_log WHERE seq > {keep}")).await.unwrap();
    s.execute_raw(
        Log::Change,
        &format!("UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit_log WHERE seq = {keep}) WHERE id = 1"),
    )
    .await
    .unwrap();
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none(), "the chain alone cannot tell");
    let r = s.audit_verify(&[point]).await.unwrap();
    let (log, link) = r.first_broken().unwrap();
    assert_eq!((log, link.seq), (Log::Change, keep + 1));
    assert!(link.reason.contains("removed from the end"), "{}", link.reason);
});

contract!(SqlStore; concurrent_reads_are_audited_without_forking_the_chain, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let mut handles = vec![];
    for i in 0..200 {
        let s = s.clone();
        let subject = format!("person:{}", p.id);
        handles.push(tokio::spawn(async move {
            s.audit(&actor(), "person.read", &subject, serde_json::json!({"i": i})).await
        }));
    }
    for h in handles {
        h.await.unwrap().unwrap();
    }
    let r = s.audit_verify(&[]).await.unwrap();
    assert!(r.first_broken().is_none(), "{:?}", r.first_broken());
    let subject = format!("person:{}", p.id);
    assert_eq!(s.audit_of(&subject, 1000).await.unwrap().len(), 201);
    // The same once the access log's index has caught up (SQLite builds it behind the log).
    tokio::time::sleep(std::time::Duration::from_millis(1200)).await;
    let history = s.audit_of(&subject, 1000).await.unwrap();
    assert_eq!(history.len(), 201);
    assert_eq!(s.audit_of(&subject, 7).await.unwrap().len(), 7);
    assert!(history.windows(2).all(|w| (w[0].at, w[0].seq) >= (w[1].at, w[1].seq)), "newest first");
});

contract!(SqlStore; import_batches_resume_and_report_rejects, |s| {
    let t = tree(&s).await;
    let run = s.start_import(&actor(), ImportKind::People, "abc", "people.csv", t.district_a.id).await.unwrap();
    let batch = ImportBatch {
        rows: vec![(2, shevchuk()), (3, shevchuk())],
        rejected: vec![ImportError { line: 4, field: "rnokpp".into(), message: "bad".into() }],
        consumed: 3,
    };
    let run = s.import_batch(&actor(), &run, batch).await.unwrap();
    assert_eq!((run.rows_done, run.rows_ok, run.rows_failed), (3, 1, 2));
    // Same file again before finishing: the run resumes where it stopped.
    let resumed = s.start_import(&actor(), ImportKind::People, "abc", "people.csv", t.district_a.id).await.unwrap();
    assert_eq!((resumed.id, resumed.rows_done), (run.id, 3));
    let done = s.finish_import(&resumed).await.unwrap();
    assert!(done.finished_at.is_some());
    let errors = s.import_errors(run.id).await.unwrap();
    assert_eq!(errors.iter().map(|e| e.line).collect::<Vec<_>>(), [3, 4]);
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

contract!(SqlStore; sessions_tokens_and_lockout, |s| {
    let t = tree(&s).await;
    let acc = s
        .create_account(
            &actor(),
            NewAccount {
                login: "ivan".into(),
                full_name: "Іван".into(),
                role: dossier_domain::org::Role::Specialist,
                unit_id: t.centre_a.id,
                password_hash: "x".into(),
            },
        )
        .await
        .unwrap();
    for _ in 0..3 {
        s.login_failed(acc.id, 3, chrono::Duration::minutes(5)).await.unwrap();
    }
    assert!(s.account(acc.id).await.unwrap().unwrap().locked_until.is_some());
    s.create_session(NewSession {
        token_hash: "h1".into(),
        account_id: acc.id,
        csrf: "c".into(),
        expires_at: chrono::Utc::now() + chrono::Duration::hours(1),
    })
    .await
    .unwrap();
    assert_eq!(s.session("h1").await.unwrap().unwrap().1.login, "ivan");
    s.delete_session("h1").await.unwrap();
    assert!(s.session("h1").await.unwrap().is_none());
    s.create_api_token(&actor(), acc.id, "robot", "th").await.unwrap();
    assert_eq!(s.account_by_api_token("th").await.unwrap().unwrap().id, acc.id);
    assert!(s.account_by_api_token("nope").await.unwrap().is_none());
});

contract!(SqlStore; id_card_expiry_is_stored_and_corrected, |s| {
    let t = tree(&s).await;
    let mut p = shevchuk();
    p.id_card_expires = NaiveDate::from_ymd_opt(2031, 3, 9);
    let rec = s.create_person(&actor(), t.district_a.id, &p).await.unwrap();
    assert_eq!(s.person(rec.id).await.unwrap().unwrap().data.id_card_expires, NaiveDate::from_ymd_opt(2031, 3, 9));
    p.id_card_expires = NaiveDate::from_ymd_opt(2035, 1, 1);
    s.update_person(&actor(), rec.id, &p).await.unwrap();
    assert_eq!(s.person(rec.id).await.unwrap().unwrap().data.id_card_expires, NaiveDate::from_ymd_opt(2035, 1, 1));
    let history = s.audit_of(&format!("person:{}", rec.id), 10).await.unwrap();
    assert!(history[0].details.contains("id_card_expires"), "{}", history[0].details);
});

fn issued(serial: &str, subject: CertSubject) -> NewIssuedCertificate {
    let now = chrono::Utc::now();
    NewIssuedCertificate {
        serial: serial.into(),
        profile: match subject {
            CertSubject::Person(_) => dossier_domain::certification::Profile::QesIdCard,
            CertSubject::Unit(_) => dossier_domain::certification::Profile::DocumentSigning,
        },
        subject,
        card_application_id: None,
        subject_name: "CN=test".into(),
        not_before: now,
        not_after: now + chrono::Duration::days(365),
        der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
    }
}

contract!(SqlStore; issued_certificates_and_revocations_are_recorded_and_audited, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let unit_cert =
        s.record_issued_certificate(&actor(), issued("7F0A01", CertSubject::Unit(t.central.id))).await.unwrap();
    assert_eq!(unit_cert.serial, "7f0a01");
    assert_eq!(unit_cert.der, vec![0x30, 0x03, 0x02, 0x01, 0x01]);
    s.record_issued_certificate(&actor(), issued("7f0a02", CertSubject::Person(p.id))).await.unwrap();
    // A serial is never reused.
    let again = s.record_issued_certificate(&actor(), issued("7f0a01", CertSubject::Unit(t.region.id))).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    // Found by serial in any spelling, and by subject.
    assert!(s.issued_certificate("7F:0A:01").await.unwrap().is_some());
    assert!(s.issued_certificate("ffff").await.unwrap().is_none());
    let of_unit = s.issued_certificates_of(CertSubject::Unit(t.central.id)).await.unwrap();
    assert_eq!(of_unit.iter().map(|c| c.serial.as_str()).collect::<Vec<_>>(), ["7f0a01"]);
    assert_eq!(s.issued_certificates_of(CertSubject::Person(p.id)).await.unwrap().len(), 1);

    let at = chrono::Utc::now();
    let revoked = s.revoke_certificate(&actor(), "7f0a02", "key-compromise", at).await.unwrap();
    assert_eq!(revoked.revocation_reason.as_deref(), Some("key-compromise"));
    assert_eq!(revoked.revoked_by.as_deref(), Some("tester"));
    assert!(matches!(
        s.revoke_certificate(&actor(), "7f0a02", "superseded", at).await,
        Err(StoreError::Conflict(m)) if m.key == "ca.already_revoked"
    ));
    assert!(matches!(s.revoke_certificate(&actor(), "99", "superseded", at).await, Err(StoreError::NotFound)));

    let history = s.audit_of(&format!("person:{}", p.id), 10).await.unwrap();
    let actions: Vec<&str> = history.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions[..2], ["ca.certificate.revoke", "ca.certificate.issue"]);
    let unit_history = s.audit_of(&format!("unit:{}", t.central.id), 10).await.unwrap();
    assert!(unit_history.iter().any(|e| e.action == "ca.certificate.issue" && e.details.contains("7f0a01")));
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

contract!(SqlStore; crl_numbers_grow_and_a_revocation_makes_the_crl_stale, |s| {
    let t = tree(&s).await;
    let state = s.crl_state().await.unwrap();
    assert_eq!(state.revocations, 0);
    assert!(state.latest.is_none());
    let now = chrono::Utc::now();
    let day = chrono::Duration::days(1);
    let hour = chrono::Duration::hours(1);
    let sign = |n: i64, entries: &[RevokedEntry]| -> Result<Vec<u8>, String> {
        Ok(format!(
            "crl {n}: {}",
            entries.iter().map(|e| format!("{}/{}", e.serial, e.reason)).collect::<Vec<_>>().join(",")
        )
        .into_bytes())
    };
    let first = s.publish_crl(&actor(), now, now + day, &sign, None).await.unwrap();
    assert_eq!((first.crl_number, first.der.as_slice()), (1, &b"crl 1: "[..]));
    assert!(s.crl_state().await.unwrap().current(now, hour).is_some());

    s.record_issued_certificate(&actor(), issued("0a", CertSubject::Unit(t.central.id))).await.unwrap();
    s.revoke_certificate(&actor(), "0a", "superseded", now).await.unwrap();
    let state = s.crl_state().await.unwrap();
    assert_eq!(state.revocations, 1);
    assert!(state.current(now, hour).is_none(), "a revocation makes the published CRL stale");

    let second = s.publish_crl(&actor(), now, now + day, &sign, None).await.unwrap();
    assert_eq!((second.crl_number, second.der.as_slice()), (2, &b"crl 2: 0a/superseded"[..]));
    let state = s.crl_state().await.unwrap();
    assert_eq!(state.latest.as_ref().map(|c| c.crl_number), Some(2));
    assert!(state.current(now, hour).is_some());
    // Due for renewal when less than the margin is left before nextUpdate.
    assert!(state.current(now + day - hour / 2, hour).is_none());

    // A signer that fails writes nothing and uses up no number for good.
    let broken = |_: i64, _: &[RevokedEntry]| -> Result<Vec<u8>, String> { Err("token unplugged".into()) };
    assert!(matches!(s.publish_crl(&actor(), now, now + day, &broken, None).await, Err(StoreError::Signing(_))));
    let third = s.publish_crl(&actor(), now, now + day, &sign, None).await.unwrap();
    assert_eq!(third.crl_number, 3);

    // Servers asking at once, each having found no current CRL: one publishes,
    // the others get its CRL (decided under the lock, whatever each read before).
    s.record_issued_certificate(&actor(), issued("0b", CertSubject::Unit(t.central.id))).await.unwrap();
    s.revoke_certificate(&actor(), "0b", "keyCompromise", now).await.unwrap();
    let system = actor();
    let at_once =
        futures::future::join_all((0..4).map(|_| s.publish_crl(&system, now, now + day, &sign, Some(hour)))).await;
    let numbers: Vec<i64> = at_once.into_iter().map(|r| r.unwrap().crl_number).collect();
    assert_eq!(numbers, [4, 4, 4, 4]);
    assert_eq!(s.crl_state().await.unwrap().latest.map(|c| c.crl_number), Some(4));
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

// ---- document sharing: the fund's intake ----

contract!(SqlStore; the_operator_s_numbers_read_on_an_empty_fund, |s| {
    use dossier_store::operations::Operations;
    s.ping().await.unwrap();
    let pools = s.pools();
    assert!(!pools.is_empty() && pools.iter().all(|p| p.max >= 1 && p.idle <= p.size), "{pools:?}");
    let queues = s.work_queues(Utc::now()).await.unwrap();
    let names: Vec<_> = queues.iter().map(|q| q.name).collect();
    assert_eq!(names, ["notifications", "ocr_pages", "sharing_requests", "e_applications"]);
    assert!(queues.iter().all(|q| q.depth == 0 && q.oldest.is_none() && q.overdue_since.is_none()), "{queues:?}");
});
