//! The org tree, people, applications: paths and parent kinds, search by every key, the
//! duplicate and one-form rules inside the transaction, representatives.
use super::*;
use crate::production::production_support::now;

contract!(SqlStore; org_tree_has_paths_and_enforces_parent_kinds, |s| {
    let t = tree(&s).await;
    assert_eq!(t.centre_a.path, t.central.path.child(t.region.id).child(t.district_a.id).child(t.centre_a.id));
    let bad = s
        .create_unit(
            &actor(),
            NewUnit {
                parent_id: Some(t.centre_a.id),
                kind: UnitKind::RegionalOffice,
                code: "X".into(),
                name_uk: "X".into(),
                name_en: "X".into(),
                address: None,
            },
        )
        .await;
    assert!(matches!(bad, Err(StoreError::Invalid(_))));
    let dup = s
        .create_unit(
            &actor(),
            NewUnit {
                parent_id: Some(t.region.id),
                kind: UnitKind::DistrictOffice,
                code: "DA".into(),
                name_uk: "X".into(),
                name_en: "X".into(),
                address: None,
            },
        )
        .await;
    assert!(matches!(dup, Err(StoreError::Conflict(_))));
    assert_eq!(s.units().await.unwrap().len(), 7);
});

contract!(SqlStore; person_is_found_by_every_key_within_scope_only, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let scope_a = t.district_a.path.clone();
    let scope_b = t.district_b.path.clone();
    let find = |q: PersonQuery, scope: UnitPath| {
        let s = s.clone();
        async move { s.search_persons(&scope, &q, Page::default()).await.unwrap() }
    };
    assert_eq!(
        find(PersonQuery { rnokpp: Some("1759013776".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    assert_eq!(
        find(PersonQuery { okzo: Some("0000004521".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    assert_eq!(
        find(PersonQuery { account_no: Some("778899".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    assert_eq!(
        find(PersonQuery { document_no: Some("001234567".into()), ..Default::default() }, scope_a.clone()).await.len(),
        1
    );
    // Name prefix: case- and apostrophe-insensitive.
    let q = PersonQuery { name_prefix: Some(dossier_domain::name::normal_form("ШЕВ")), ..Default::default() };
    assert_eq!(find(q.clone(), scope_a.clone()).await[0].id, p.id);
    // Another district's scope sees nothing.
    assert!(find(q, scope_b).await.is_empty());
    assert!(
        find(PersonQuery { rnokpp: Some("1759013776".into()), ..Default::default() }, t.district_b.path.clone())
            .await
            .is_empty()
    );
    // The region sees its districts.
    assert_eq!(find(PersonQuery::default(), t.region.path.clone()).await.len(), 1);
});

contract!(SqlStore; apostrophe_variants_find_the_same_name, |s| {
    let t = tree(&s).await;
    let mut p = person("1759013776", "Мар’яненко", "1948-02-28", "male");
    p.name.given = dossier_domain::name::NamePart::parse("Дем'ян").unwrap();
    s.create_person(&actor(), t.district_a.id, &p).await.unwrap();
    for q in ["мар'ян", "МАРʼЯНЕНКО", "марянен"] {
        let q = PersonQuery { name_prefix: Some(dossier_domain::name::normal_form(q)), ..Default::default() };
        let found = s.search_persons(&t.central.path, &q, Page::default()).await.unwrap();
        assert_eq!(found.len(), 1, "{q:?}");
        assert_eq!(found[0].data.name.surname.as_str(), "Мар’яненко", "spelling kept exactly");
    }
});

contract!(SqlStore; duplicate_person_is_refused_and_nothing_is_written, |s| {
    let t = tree(&s).await;
    s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let before = s.audit_verify(&[]).await.unwrap().entries();
    let again = s.create_person(&actor(), t.district_b.id, &shevchuk()).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    assert_eq!(s.audit_verify(&[]).await.unwrap().entries(), before, "a refused write leaves no audit entry");
    assert_eq!(s.search_persons(&t.central.path, &PersonQuery::default(), Page::default()).await.unwrap().len(), 1);
});

contract!(SqlStore; religious_refusal_stores_no_rnokpp, |s| {
    let t = tree(&s).await;
    let p = PersonInput {
        religious_refusal: true,
        passport: Some("КВ123456".into()),
        surname: "Гнатюк".into(),
        given_name: "Марія".into(),
        birth_date: "1950-05-05".into(),
        sex: "female".into(),
        ..Default::default()
    }
    .validate(today())
    .unwrap();
    let rec = s.create_person(&actor(), t.district_a.id, &p).await.unwrap();
    assert!(rec.data.tax_id.rnokpp().is_none());
    let found = s
        .search_persons(
            &t.central.path,
            &PersonQuery { document_no: Some("КВ123456".into()), ..Default::default() },
            Page::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
});

contract!(SqlStore; application_duplicate_check_runs_inside_the_transaction, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let first = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    assert_eq!(first.stage, Stage::Accepted);
    assert!(first.number.starts_with("З-2026-"));
    match s.create_application(&actor(), p.id, &paper(t.centre_a.id), Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("pension_kind", "application.duplicate")),
        other => panic!("expected a duplicate refusal, got {other:?}"),
    }
    // Concurrent filings for another person: exactly one wins.
    let birth = today() - chrono::Duration::days(25_000);
    let r = dossier_domain::ident::Rnokpp::compose(birth, 17, dossier_domain::person::Sex::Male).unwrap();
    let q = s
        .create_person(&actor(), t.district_a.id, &person(r.as_str(), "Коваль", &birth.to_string(), "male"))
        .await
        .unwrap();
    let mut handles = vec![];
    for _ in 0..6 {
        let s = s.clone();
        let unit = t.district_a.id;
        handles.push(tokio::spawn(
            async move { s.create_application(&actor(), q.id, &paper(unit), Utc::now()).await.is_ok() },
        ));
    }
    let mut wins = 0;
    for h in handles {
        wins += h.await.unwrap() as i32;
    }
    assert_eq!(wins, 1, "the duplicate check must hold under concurrency");
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

contract!(SqlStore; amend_and_withdraw_only_before_production, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let app = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let mut amended = paper(t.centre_a.id);
    amended.pension_kind = "long_service".into();
    let a = s.amend_application(&actor(), app.id, &amended, today()).await.unwrap();
    assert_eq!(a.data.issue_unit_id, t.centre_a.id);
    s.advance_certificate(&actor(), app.id, Event::SubmitToRegion, None).await.unwrap();
    assert!(matches!(
        s.amend_application(&actor(), app.id, &paper(t.district_a.id), today()).await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(s.withdraw_application(&actor(), app.id, "").await, Err(StoreError::Conflict(_))));
    let events = s.certificate_events(app.id).await.unwrap();
    assert_eq!(events.iter().map(|e| e.event.as_str()).collect::<Vec<_>>(), ["file", "submit_to_region"]);
});

contract!(SqlStore; replacement_returns_the_previous_certificate, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let old = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    for ev in dossier_domain::lifecycle::path_to_issue(dossier_domain::lifecycle::CertificateForm::Paper) {
        s.advance_certificate(&actor(), old.id, *ev, None).await.unwrap();
    }
    let mut input = paper(t.district_a.id);
    input.replacement = Some(ReplacementInput {
        reason: "unusable".into(),
        previous_certificate_id: Some(old.id),
        previous_disposition: "returned".into(),
    });
    let new = s.create_application(&actor(), p.id, &input, Utc::now()).await.unwrap();
    assert_eq!(new.stage, Stage::Accepted);
    assert_eq!(s.certificate(old.id).await.unwrap().unwrap().stage, Stage::Returned);
});

contract!(SqlStore; iv_1_the_card_is_made_by_the_bank_where_the_pension_account_is, |s| {
    use dossier_domain::card::Party;
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    // The application names the branch of the bank that keeps the account: not a fund office.
    let mut input = card_at(t.district_a.id);
    match s.create_application(&actor(), p.id, &input, Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("issue_unit_id", "application.issue_unit_not_bank_branch")),
        other => panic!("{other:?}"),
    }
    input.issue_unit_id = Some(t.branch.id);
    let card = s.create_application(&actor(), p.id, &input, Utc::now()).await.unwrap();
    let send = NewCardMessage {
        event: Event::SendToBank,
        sender: Party::Fund,
        unit_id: t.central.id,
        payload: "{\"event\":\"send_to_bank\"}".into(),
        seal: None,
        card_expires_on: None,
    };
    s.card_step(&actor(), card.id, &send, now()).await.unwrap();
    // That bank, and no other, has the card to make.
    let queue = |bank: UnitPath| CardFilter { issue_scope: Some(bank), owner_scope: None, stages: Party::Bank.stages() };
    let bank = s.unit(t.branch.parent_id.unwrap()).await.unwrap().unwrap();
    let made_by = s.cards(&queue(bank.path), Page::default()).await.unwrap();
    assert_eq!(made_by.iter().map(|c| c.id).collect::<Vec<_>>(), [card.id]);
    let other = s
        .create_unit(&actor(), NewUnit {
            parent_id: Some(t.central.id),
            kind: UnitKind::Bank,
            code: "BANK2".into(),
            name_uk: "BANK2".into(),
            name_en: "BANK2".into(),
            address: None,
        })
        .await
        .unwrap();
    assert!(s.cards(&queue(other.path), Page::default()).await.unwrap().is_empty());
});

contract!(SqlStore; a_card_holder_on_record_gets_no_paper_certificate, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    s.create_application(&actor(), p.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let mut paper_kind = paper(t.district_a.id);
    paper_kind.pension_kind = "long_service".into();
    match s.create_application(&actor(), p.id, &paper_kind, Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("form", "application.card_holder_no_paper")),
        other => panic!("{other:?}"),
    }
});

// §I.2 with §I.3, the other direction: a paper holder (or applicant) gets a
// card only in place of the paper certificate, never beside it.
contract!(SqlStore; rule_i_2_a_paper_holder_gets_a_card_only_in_place_of_the_paper_one, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let pending = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let mut card_kind = card_at(t.branch.id);
    card_kind.pension_kind = "long_service".into();
    match s.create_application(&actor(), p.id, &card_kind, Utc::now()).await {
        Err(StoreError::Invalid(inv)) => assert!(inv.has("form", "application.paper_holder_card_in_its_place"), "{inv:?}"),
        other => panic!("{other:?}"),
    }
    let of_person = s.certificates_of(p.id).await.unwrap();
    assert_eq!(of_person.len(), 1, "nothing written");
    crate::same_record(&of_person[0], &s.certificate(of_person[0].id).await.unwrap().unwrap());
    // Withdrawn, the paper application no longer stands in the way.
    s.withdraw_application(&actor(), pending.id, "").await.unwrap();
    s.create_application(&actor(), p.id, &card_kind, Utc::now()).await.unwrap();
});

contract!(SqlStore; representative_is_required_for_a_minor, |s| {
    let t = tree(&s).await;
    let birth = today() - chrono::Duration::days(10 * 365);
    let r = dossier_domain::ident::Rnokpp::compose(birth, 5, dossier_domain::person::Sex::Female).unwrap();
    let child = s
        .create_person(&actor(), t.district_a.id, &person(r.as_str(), "Коваль", &birth.to_string(), "female"))
        .await
        .unwrap();
    let mut input = paper(t.district_a.id);
    input.pension_kind = "loss_of_breadwinner".into();
    assert!(matches!(s.create_application(&actor(), child.id, &input, Utc::now()).await, Err(StoreError::Invalid(_))));
    let rep = RepresentativeInput {
        kind: "parent".into(),
        surname: "Коваль".into(),
        given_name: "Ірина".into(),
        proof_document: "Свідоцтво про народження І-КВ №123456".into(),
        ..Default::default()
    }
    .validate()
    .unwrap();
    let rep = s.add_representative(&actor(), child.id, &rep).await.unwrap();
    input.representative_id = Some(rep.id);
    s.create_application(&actor(), child.id, &input, Utc::now()).await.unwrap();
});
