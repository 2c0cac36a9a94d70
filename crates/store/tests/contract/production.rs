//! Certificate production (regulation 26-1 §§ III–V): batches, acts, the journal,
//! destruction, the overview, the card exchange.
use super::*;

pub(crate) mod production_support {
    use super::*;
    use chrono::{DateTime, Utc};
    use dossier_domain::production::Duty;

    /// A person with its own RNOKPP and no shared documents.
    pub fn someone(n: u16, surname: &str, birth: &str) -> PersonData {
        let b = NaiveDate::parse_from_str(birth, "%Y-%m-%d").unwrap();
        let r = dossier_domain::ident::Rnokpp::compose(b, n, dossier_domain::person::Sex::Male).unwrap();
        let mut p = person(r.as_str(), surname, birth, "male");
        p.id_card = None;
        p
    }

    /// A person with a photo on file: what an application needs to go with
    /// its district's weekly batch (§III).
    pub async fn applicant(s: &SqlStore, unit: i64, n: u16, surname: &str, birth: &str) -> PersonRecord {
        let p = s.create_person(&actor(), unit, &someone(n, surname, birth)).await.unwrap();
        with_photo(s, p.id).await;
        p
    }

    pub async fn with_photo(s: &SqlStore, person: Uuid) {
        let photo = NewDocument {
            person_id: Some(person),
            kind: "photo".into(),
            content_type: "image/png".into(),
            sha256: "0".repeat(64),
            size: 1,
            source: "upload".into(),
        };
        s.add_document(&actor(), photo, true).await.unwrap();
    }

    pub fn now() -> DateTime<Utc> {
        Utc::now()
    }

    pub fn this_week() -> BatchWeek {
        BatchWeek::of_acceptance(now())
    }

    pub async fn staff(s: &SqlStore, login: &str, unit: i64) -> (Actor, Uuid) {
        let a = s
            .create_account(
                &actor(),
                NewAccount {
                    login: login.into(),
                    full_name: format!("{login} full name"),
                    role: dossier_domain::org::Role::TransferResponsible,
                    unit_id: unit,
                    password_hash: "x".into(),
                },
            )
            .await
            .unwrap();
        (Actor { label: login.into(), account_id: Some(a.id) }, a.id)
    }

    pub async fn appoint(s: &SqlStore, account: Uuid, unit: i64, duty: Duty, order: &str) {
        s.appoint(
            &actor(),
            &NewAppointment {
                account_id: account,
                unit_id: unit,
                duty,
                order_no: order.into(),
                valid_from: today() - chrono::Duration::days(30),
                valid_until: None,
            },
        )
        .await
        .unwrap();
    }

    /// Runs the week at every level, like `dossier batches run`.
    pub async fn run_week(s: &SqlStore, week: BatchWeek) -> Vec<BatchOutcome> {
        let mut out = vec![];
        for level in BatchLevel::ALL {
            for c in s.batch_candidates(week, level).await.unwrap() {
                out.push(s.submit_batch(&actor(), Some(week), level, c.unit_id, now()).await.unwrap());
            }
        }
        out
    }
}
use dossier_domain::production::{BatchLevel, BatchWeek, IssueInput};
use production_support::*;
use uuid::Uuid;

contract!(SqlStore; weekly_batches_go_district_region_central_once_and_the_duplicate_check_holds_conflicts, |s| {
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 11, "Шевчук", "1948-02-28").await;
    let b = applicant(&s, t.district_b.id, 12, "Коваль", "1950-03-03").await;
    // The same human registered again in another district: an earlier pension.
    let a2 = s.create_person(&actor(), t.district_b.id, &someone(13, "Шевчук", "1948-02-28")).await.unwrap();
    let ca = s.create_application(&actor(), a.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let cb = s.create_application(&actor(), b.id, &paper(t.district_b.id), Utc::now()).await.unwrap();
    let week = this_week();
    assert_eq!(ca.due_at, Some(week.district_cutoff()), "filing sets the Monday 12:00 deadline");
    let candidates = s.batch_candidates(week, BatchLevel::District).await.unwrap();
    assert_eq!(candidates.iter().map(|c| c.pending).sum::<i64>(), 2);

    let first = run_week(&s, week).await;
    assert!(first.iter().all(|o| matches!(o, BatchOutcome::Submitted(_))));
    let central = first.iter().map(BatchOutcome::batch).find(|b| b.level == BatchLevel::Central).unwrap();
    assert_eq!((central.items, central.held), (2, 1));
    assert!(!central.late, "submitted before the cut-off");
    let ca = s.certificate(ca.id).await.unwrap().unwrap();
    assert_eq!(ca.stage, Stage::DuplicateHold);
    let cb = s.certificate(cb.id).await.unwrap().unwrap();
    assert_eq!(cb.stage, Stage::InProduction);
    assert_eq!(cb.batch_id, Some(central.id));
    // The production term runs two weeks from receipt at the central fund.
    let received = s.certificate_events(cb.id).await.unwrap().iter().find(|e| e.event == "submit_to_central").unwrap().at;
    assert_eq!(cb.due_at.map(|d| d - received), Some(dossier_domain::production::PRODUCTION_TERM));
    // The hold names what it found.
    let hold = s.certificate_events(ca.id).await.unwrap().into_iter().last().unwrap();
    assert_eq!(hold.event, "hold_as_duplicate");
    assert!(hold.note.unwrap().contains(&a2.id.to_string()));

    // Repeating the run changes nothing.
    let audit_before = s.audit_verify(&[]).await.unwrap().entries();
    let again = run_week(&s, week).await;
    assert!(again.iter().all(|o| matches!(o, BatchOutcome::AlreadySubmitted(_))));
    assert_eq!(s.audit_verify(&[]).await.unwrap().entries(), audit_before);
    let (batch, members) = s.batch(central.id).await.unwrap().unwrap();
    assert_eq!((batch.items, members.len()), (2, 2));
    assert_eq!(s.batches(&t.district_a.path, Some(week)).await.unwrap().len(), 1, "a district sees its own batch");
});

contract!(SqlStore; a_batch_submitted_after_its_cutoff_is_flagged_late_and_later_applications_wait, |s| {
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 21, "Мельник", "1951-01-01").await;
    s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    // Last week's batch: its cut-off is past, and this application came after it.
    let last_week = BatchWeek::containing(this_week().monday() - chrono::Duration::days(7));
    let out = s.submit_batch(&actor(), Some(last_week), BatchLevel::District, t.district_a.id, now()).await.unwrap();
    let b = out.batch();
    assert!(b.late, "submitted after Monday 12:00");
    assert_eq!(b.items, 0, "accepted after the cut-off: goes to the next week");
    // The wrong kind of office is refused.
    assert!(matches!(
        s.submit_batch(&actor(), Some(this_week()), BatchLevel::District, t.region.id, now()).await,
        Err(StoreError::Invalid(_))
    ));
});

contract!(SqlStore; section_3_the_district_batch_goes_with_the_photo_and_an_application_without_one_waits, |s| {
    let t = tree(&s).await;
    let with = applicant(&s, t.district_a.id, 71, "Савчук", "1949-09-09").await;
    let without = s.create_person(&actor(), t.district_a.id, &someone(72, "Руденко", "1948-08-08")).await.unwrap();
    let ready = s.create_application(&actor(), with.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let waiting = s.create_application(&actor(), without.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let candidate = |week| {
        let s = &s;
        async move {
            let all = s.batch_candidates(week, BatchLevel::District).await.unwrap();
            all.into_iter().find(|c| c.unit_id == t.district_a.id).map(|c| (c.pending, c.without_photo))
        }
    };
    let stage = |id| {
        let s = &s;
        async move { s.certificate(id).await.unwrap().unwrap().stage }
    };
    let week = this_week();
    assert_eq!(candidate(week).await, Some((1, 1)), "one ready, one waiting for the photo");
    let batch = s.submit_batch(&actor(), Some(week), BatchLevel::District, t.district_a.id, now()).await.unwrap();
    let batch = batch.batch();
    assert_eq!(batch.items, 1, "only the application with the photo goes");
    let (_, members) = s.batch(batch.id).await.unwrap().unwrap();
    assert_eq!(members.iter().map(|c| c.id).collect::<Vec<_>>(), [ready.id]);
    assert_eq!(stage(ready.id).await, Stage::SubmittedToRegion);
    assert_eq!(stage(waiting.id).await, Stage::Accepted, "no photo: it stays with the district");
    assert_eq!(candidate(week).await, Some((0, 1)), "still waiting after the batch");
    // The photo arrives: the next week's batch takes the application.
    with_photo(&s, without.id).await;
    let next = week.next();
    assert_eq!(candidate(next).await, Some((1, 0)));
    let later = s.submit_batch(&actor(), Some(next), BatchLevel::District, t.district_a.id, now()).await.unwrap();
    assert_eq!(later.batch().items, 1);
    assert_eq!(stage(waiting.id).await, Stage::SubmittedToRegion);
});

contract!(SqlStore; transfer_acts_need_responsible_persons_and_fill_the_issue_journal, |s| {
    use dossier_domain::production::{Duty, Recipient};
    let t = tree(&s).await;
    let r2 = s
        .create_unit(
            &actor(),
            NewUnit {
                parent_id: Some(t.central.id),
                kind: UnitKind::RegionalOffice,
                code: "R2".into(),
                name_uk: "R2".into(),
                name_en: "R2".into(),
                address: None,
            },
        )
        .await
        .unwrap();
    let p = applicant(&s, t.district_a.id, 31, "Бондар", "1949-04-04").await;
    let q = applicant(&s, t.district_a.id, 32, "Ткачук", "1947-05-05").await;
    let cp = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let cq = s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    let made = s.produce(&actor(), &[cp.id, cq.id], now()).await.unwrap();
    assert!(made.iter().all(|c| c.stage == Stage::Produced && c.certificate_no.as_deref().is_some_and(|n| n.starts_with("ПП-"))));
    let (central_staff, cs) = staff(&s, "central.resp", t.central.id).await;
    let (region_staff, rs) = staff(&s, "region.resp", t.region.id).await;
    let (district_staff, ds) = staff(&s, "district.resp", t.district_a.id).await;
    // Not appointed by order yet: refused.
    assert!(matches!(
        s.create_transfer_act(&central_staff, t.central.id, t.region.id, &[cp.id], now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.act.not_responsible"
    ));
    appoint(&s, cs, t.central.id, Duty::ResponsiblePerson, "наказ 1").await;
    appoint(&s, rs, t.region.id, Duty::ResponsiblePerson, "наказ 2").await;
    appoint(&s, ds, t.district_a.id, Duty::ResponsiblePerson, "наказ 3").await;
    // A certificate of another region is refused and nothing is written.
    assert!(matches!(
        s.create_transfer_act(&central_staff, t.central.id, r2.id, &[cp.id], now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.act.other_unit"
    ));
    let act = s.create_transfer_act(&central_staff, t.central.id, t.region.id, &[cp.id, cq.id], now()).await.unwrap();
    assert_eq!(act.items.len(), 2);
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::Produced, "moves on acceptance");
    // The receiving side confirms; one certificate did not arrive.
    let no_p = act.items[0].certificate_no.clone();
    let accepted = s
        .accept_transfer_act(
            &region_staff,
            act.id,
            &ActAcceptance { received: Some(vec![no_p.clone()]), damaged: vec![] },
            now(),
        )
        .await
        .unwrap();
    let disc = accepted.discrepancies.unwrap();
    assert_eq!(disc.missing, vec![act.items[1].certificate_no.clone()]);
    let at_region = s.certificate(cp.id).await.unwrap().unwrap();
    assert_eq!(at_region.stage, Stage::AtRegion);
    assert!(at_region.due_at.is_some(), "region → district within 2 days");
    assert_eq!(s.certificate(cq.id).await.unwrap().unwrap().stage, Stage::Produced, "missing: not moved");
    // Issuing before acceptance at the district is refused.
    let input = IssueInput {
        recipient_name: "Бондар Петро Іванович".into(),
        recipient: Recipient::Owner { identity_document: "ID 001234567".into() },
        signature: "tick".into(),
    };
    let issue = input.validate().unwrap();
    assert!(matches!(
        s.issue_certificate(&district_staff, cp.id, &issue, now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.issue.not_received"
    ));
    let act2 = s.create_transfer_act(&region_staff, t.region.id, t.district_a.id, &[cp.id], now()).await.unwrap();
    s.accept_transfer_act(&district_staff, act2.id, &ActAcceptance::default(), now()).await.unwrap();
    let from = now() - chrono::Duration::days(1);
    let to = now() + chrono::Duration::days(1);
    let journal = s.journal(t.district_a.id, from, to).await.unwrap();
    assert_eq!(journal.len(), 1);
    assert_eq!((journal[0].line, journal[0].act_number.as_str()), (1, act2.number.as_str()));
    assert_eq!(journal[0].holder_name, "Бондар Петро Іванович");
    assert!(journal[0].issued_at.is_none());
    // A representative without the status document, or an issue not signed for (§V.3: a tick or a
    // captured image), is no `Issue` at all: the domain refuses it (`v_1_…`, `v_3_…`), so the store
    // is never asked.
    let bad = IssueInput {
        recipient: Recipient::Representative {
            identity_document: "паспорт".into(),
            status_document: " ".into(),
            resident: true,
            tax_registration: Some("1234567890".into()),
        },
        ..input.clone()
    };
    assert!(bad.validate().is_err());
    for signature in ["", "image:not-a-digest"] {
        let unsigned = IssueInput { signature: signature.into(), ..input.clone() };
        assert!(unsigned.validate().unwrap_err().has("signature", "production.issue.signature"));
    }
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::AtDistrict, "nothing changed");
    let line = s.issue_certificate(&district_staff, cp.id, &issue, now()).await.unwrap();
    assert!(line.issued_at.is_some());
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::Issued);
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

contract!(SqlStore; section_3_6_a_region_without_an_act_for_over_fifteen_days_is_flagged, |s| {
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 91, "Олійник", "1947-07-07").await;
    let c = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    let produced_at = now();
    s.produce(&actor(), &[c.id], produced_at).await.unwrap();
    let waiting = |at| {
        let s = &s;
        let scope = t.central.path.clone();
        async move { s.production_overview(&scope, at).await.unwrap().regions_waiting }
    };
    // Central → region at least twice a month: produced and never sent, the region waits.
    assert!(waiting(produced_at + chrono::Duration::days(10)).await.is_empty(), "ten days: within the cadence");
    assert_eq!(waiting(produced_at + chrono::Duration::days(16)).await, [t.region.id], "sixteen days: flagged");
    // Nothing waiting for another region, so nothing flagged for it; a district's view has no regions.
    let district = s.production_overview(&t.district_b.path, produced_at + chrono::Duration::days(16)).await.unwrap();
    assert!(district.regions_waiting.is_empty());
});

contract!(SqlStore; destruction_needs_a_full_commission_chaired_by_the_head_and_every_signature, |s| {
    use dossier_domain::production::{DestructionReason, Duty};
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 41, "Лисенко", "1946-06-06").await;
    let c = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    s.produce(&actor(), &[c.id], now()).await.unwrap();
    let (head, h) = staff(&s, "head", t.central.id).await;
    let (m1, a1) = staff(&s, "member1", t.central.id).await;
    let (m2, a2) = staff(&s, "member2", t.central.id).await;
    appoint(&s, h, t.central.id, Duty::Head, "наказ 7").await;
    appoint(&s, h, t.central.id, Duty::CommissionChair, "наказ 8").await;
    appoint(&s, a1, t.central.id, Duty::CommissionMember, "наказ 8").await;
    let lines = [DestructionLine { certificate_id: c.id, reason: DestructionReason::ErrorInEntries }];
    // Two members are not a commission.
    assert!(matches!(
        s.create_destruction_act(&head, t.central.id, "наказ 8", &lines, now()).await,
        Err(StoreError::Conflict(m)) if m.key == "production.commission.too_few"
    ));
    appoint(&s, a2, t.central.id, Duty::CommissionMember, "наказ 8").await;
    let act = s.create_destruction_act(&head, t.central.id, "наказ 8", &lines, now()).await.unwrap();
    assert_eq!(act.commission.len(), 3);
    s.sign_destruction_act(&head, act.id, now()).await.unwrap();
    let half = s.sign_destruction_act(&m1, act.id, now()).await.unwrap();
    assert!(!half.completed);
    assert_eq!(s.certificate(c.id).await.unwrap().unwrap().stage, Stage::Produced, "not until every member signed");
    let (outsider, _) = staff(&s, "outsider", t.central.id).await;
    assert!(matches!(s.sign_destruction_act(&outsider, act.id, now()).await, Err(StoreError::Conflict(_))));
    let done = s.sign_destruction_act(&m2, act.id, now()).await.unwrap();
    assert!(done.completed);
    let dead = s.certificate(c.id).await.unwrap().unwrap();
    assert_eq!(dead.stage, Stage::Destroyed);
    assert_eq!(dead.due_at, None);
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

contract!(SqlStore; the_overview_counts_stages_and_late_items, |s| {
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &someone(51, "Гончар", "1945-07-07")).await.unwrap();
    s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let later = this_week().district_cutoff() + chrono::Duration::hours(1);
    let o = s.production_overview(&t.central.path, later).await.unwrap();
    assert_eq!(o.by_stage, vec![("accepted".to_string(), 1)]);
    assert_eq!(o.late.len(), 1, "the batch missed Monday 12:00");
    assert_eq!(s.late_certificates(&t.region.path, later, Page::default()).await.unwrap().len(), 1);
    assert!(s.late_certificates(&t.district_b.path, later, Page::default()).await.unwrap().is_empty());
});

contract!(SqlStore; section_3_9_term_limited_certificates_are_flagged_before_expiry, |s| {
    use chrono::Duration;
    use dossier_domain::card::Party;
    let t = tree(&s).await;
    let today = Utc::now().date_naive();
    let p = s.create_person(&actor(), t.district_a.id, &someone(81, "Кравець", "1952-02-02")).await.unwrap();
    let mut input = paper(t.district_a.id);
    input.pension_until = Some((today + Duration::days(20)).to_string());
    let fixed = s.create_application(&actor(), p.id, &input, Utc::now()).await.unwrap();
    assert_eq!(fixed.valid_until, Some(today + Duration::days(20)), "paper lasts the pension's term");
    let q = s.create_person(&actor(), t.district_a.id, &someone(82, "Гнатюк", "1953-03-03")).await.unwrap();
    let open = s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    assert_eq!(open.valid_until, None, "unlimited without a fixed term");
    // A card: the pension runs 700 days; the card's own last day is fixed when its face is
    // sealed (here one ending in 10 days), and the earlier of the two is flagged.
    let r = s.create_person(&actor(), t.district_a.id, &someone(83, "Петренко", "1954-04-04")).await.unwrap();
    let mut input = card_at(t.branch.id);
    input.pension_until = Some((today + Duration::days(700)).to_string());
    let card = s.create_application(&actor(), r.id, &input, Utc::now()).await.unwrap();
    assert_eq!((card.valid_until, card.card_expires_on), (Some(today + Duration::days(700)), None));
    for (event, sender) in
        [(Event::SendToBank, Party::Fund), (Event::OpenAccount, Party::Bank), (Event::SendToPersonalizer, Party::Fund)]
    {
        let msg = NewCardMessage {
            event,
            sender,
            unit_id: t.central.id,
            payload: "{}".into(),
            seal: None,
            card_expires_on: Some(today + Duration::days(10)),
        };
        s.card_step(&actor(), card.id, &msg, now()).await.unwrap();
    }
    let card = s.certificate(card.id).await.unwrap().unwrap();
    assert_eq!(card.card_expires_on, Some(today + Duration::days(10)), "recorded with the sealed face only");
    assert_eq!(card.valid_until, Some(today + Duration::days(10)));

    let flagged = |scope: UnitPath, days: i64| {
        let s = &s;
        async move {
            let until = today + Duration::days(days);
            let all = s.expiring_certificates(&scope, until, Page::default()).await.unwrap();
            all.into_iter().map(|c| c.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(flagged(t.central.path.clone(), 30).await, [card.id, fixed.id], "soonest first; unlimited never");
    assert_eq!(flagged(t.central.path.clone(), 15).await, [card.id]);
    assert!(flagged(t.district_b.path.clone(), 30).await.is_empty(), "another office's are not in scope");
    // A withdrawn application is no certificate to flag.
    s.withdraw_application(&actor(), fixed.id, "відкликано").await.unwrap();
    assert_eq!(flagged(t.central.path.clone(), 30).await, [card.id]);
});

// ---- the card exchange (regulation 26-1, §IV) ----

contract!(SqlStore; card_exchange_each_step_reported_by_its_party_with_its_message, |s| {
    use dossier_domain::card::Party;
    let t = tree(&s).await;
    let p = s.create_person(&actor(), t.district_a.id, &someone(61, "Бойко", "1950-01-01")).await.unwrap();
    let card = s.create_application(&actor(), p.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let paper_app = {
        let q = s.create_person(&actor(), t.district_a.id, &someone(62, "Ткач", "1951-01-01")).await.unwrap();
        s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap()
    };
    let msg = |event, sender, seal: Option<Vec<u8>>| NewCardMessage {
        event,
        sender,
        unit_id: t.central.id,
        payload: format!("{{\"event\":\"{}\"}}", Event::as_str(event)),
        seal,
        card_expires_on: None,
    };
    let (sent, m) = s.card_step(&actor(), card.id, &msg(Event::SendToBank, Party::Fund, Some(vec![1, 2, 3])), now()).await.unwrap();
    assert_eq!(sent.stage, Stage::SentToBank);
    assert_eq!((m.sender, m.recipient), (Party::Fund, Party::Bank));
    // A step reported by the wrong party changes nothing.
    assert!(matches!(
        s.card_step(&actor(), card.id, &msg(Event::OpenAccount, Party::Personalizer, None), now()).await,
        Err(StoreError::Conflict(m)) if m.key == "card.not_your_step"
    ));
    // Out of order: keys before the account and the personalizer's data.
    assert!(matches!(
        s.card_step(&actor(), card.id, &msg(Event::GenerateKeys, Party::Personalizer, None), now()).await,
        Err(StoreError::Conflict(_))
    ));
    // A personalizer report for an unknown card, or for a paper certificate: refused.
    assert!(matches!(
        s.card_step(&actor(), Uuid::new_v4(), &msg(Event::GenerateKeys, Party::Personalizer, None), now()).await,
        Err(StoreError::NotFound)
    ));
    assert!(matches!(
        s.card_step(&actor(), paper_app.id, &msg(Event::SendToBank, Party::Fund, None), now()).await,
        Err(StoreError::NotFound)
    ));
    assert_eq!(s.certificate(paper_app.id).await.unwrap().unwrap().stage, Stage::Accepted);
    s.card_step(&actor(), card.id, &msg(Event::OpenAccount, Party::Bank, None), now()).await.unwrap();
    let messages = s.card_messages(card.id).await.unwrap();
    assert_eq!(messages.iter().map(|m| m.event.as_str()).collect::<Vec<_>>(), ["send_to_bank", "open_account"]);
    assert_eq!(messages[0].seal.as_deref(), Some(&[1u8, 2, 3][..]));
    assert_eq!(messages[0].payload, "{\"event\":\"send_to_bank\"}");
    assert!(s.card_messages(paper_app.id).await.unwrap().is_empty());

    // Queues: the bank has the card at its stage; the personalizer none yet (other banks: §IV.1 above).
    let bank = s.unit(t.branch.parent_id.unwrap()).await.unwrap().unwrap();
    let of = |issue_scope: Option<UnitPath>, stages| CardFilter { issue_scope, owner_scope: None, stages };
    let bank_queue = s.cards(&of(Some(bank.path), &[Stage::AccountOpened]), Page::default()).await.unwrap();
    assert_eq!(bank_queue.iter().map(|c| c.id).collect::<Vec<_>>(), [card.id]);
    assert!(s.cards(&of(None, Party::Personalizer.stages()), Page::default()).await.unwrap().is_empty());
    let fund = CardFilter { issue_scope: None, owner_scope: Some(t.district_b.path.clone()), stages: Party::Fund.stages() };
    assert!(s.cards(&fund, Page::default()).await.unwrap().is_empty(), "another district's card");
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

// ---- rules found by reading the regulation against the API (issue 23) ----

// §III.1–2: without a named week, the office's batch is of the week whose
// cut-off passed, until it is submitted (late); applications accepted after
// the cut-off wait for the next batch. Winter and summer time alike.
contract!(SqlStore; rule_iii_1_2_a_passed_cutoff_leaves_its_week_owed_and_late, |s| {
    use chrono::DateTime;
    let utc = |t: &str| DateTime::parse_from_rfc3339(t).unwrap().with_timezone(&Utc);
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 81, "Зінченко", "1950-05-05").await;
    let b = applicant(&s, t.district_a.id, 82, "Захарченко", "1951-06-06").await;
    // Winter: Monday 26 October 2026, 12:00 Kyiv = 10:00 UTC; the week of 19–25 October is 2026-W43.
    let early = s.create_application(&actor(), a.id, &paper(t.district_a.id), utc("2026-10-26T09:58:00Z")).await.unwrap();
    let after = s.create_application(&actor(), b.id, &paper(t.district_a.id), utc("2026-10-26T10:01:00Z")).await.unwrap();
    let sys = actor();
    let district = |at| s.submit_batch(&sys, None, BatchLevel::District, t.district_a.id, utc(at));
    let late = district("2026-10-26T10:04:00Z").await.unwrap();
    let late = late.batch();
    assert_eq!((late.week.as_str(), late.late, late.items), ("2026-W43", true, 1), "{late:?}");
    let (_, moved) = s.batch(late.id).await.unwrap().unwrap();
    assert_eq!(moved.iter().map(|c| c.id).collect::<Vec<_>>(), [early.id], "the 12:01 application waits");
    // Once the owed week is in, the office works on the week it is collecting (on time).
    let next = district("2026-10-26T10:05:00Z").await.unwrap();
    assert_eq!((next.batch().week.as_str(), next.batch().late, next.batch().items), ("2026-W44", false, 1));
    assert_eq!(s.certificate(after.id).await.unwrap().unwrap().stage, Stage::SubmittedToRegion);
    // The region: Tuesday 27 October 12:05 Kyiv, W43 still owed, so late.
    let region = s.submit_batch(&actor(), None, BatchLevel::Region, t.region.id, utc("2026-10-27T10:05:00Z")).await.unwrap();
    assert_eq!((region.batch().week.as_str(), region.batch().late), ("2026-W43", true));
    // Summer (clocks went forward on 28 March 2027): Monday 29 March, 12:00 Kyiv = 09:00 UTC.
    let c = applicant(&s, t.district_b.id, 83, "Зайченко", "1952-07-07").await;
    s.create_application(&actor(), c.id, &paper(t.district_b.id), utc("2027-03-29T08:58:00Z")).await.unwrap();
    let owed = |at| s.submit_batch(&sys, None, BatchLevel::District, t.district_b.id, utc(at));
    // District B never submitted 2027-W11: at 11:59 it owes W11 (late), then W12 before its cut-off.
    let w11 = owed("2027-03-29T08:59:00Z").await.unwrap();
    assert_eq!((w11.batch().week.as_str(), w11.batch().late, w11.batch().items), ("2027-W11", true, 0));
    let w12 = owed("2027-03-29T08:59:30Z").await.unwrap();
    assert_eq!((w12.batch().week.as_str(), w12.batch().late, w12.batch().items), ("2027-W12", false, 1));
    // Pressing again after the cut-off reports nothing new: W12 is the week that passed, and it is in.
    let w13 = owed("2027-03-29T09:04:00Z").await.unwrap();
    assert_eq!((w13.batch().week.as_str(), w13.batch().late), ("2027-W13", false));
});

/// A district's commission: the head chairs it, two members sign with it.
async fn commission(s: &SqlStore, unit: i64, tag: &str) -> [Actor; 3] {
    use dossier_domain::production::Duty;
    let (head, h) = staff(s, &format!("{tag}.head"), unit).await;
    let (m1, a1) = staff(s, &format!("{tag}.member1"), unit).await;
    let (m2, a2) = staff(s, &format!("{tag}.member2"), unit).await;
    appoint(s, h, unit, Duty::Head, "наказ Г").await;
    appoint(s, h, unit, Duty::CommissionChair, "наказ К").await;
    appoint(s, a1, unit, Duty::CommissionMember, "наказ К").await;
    appoint(s, a2, unit, Duty::CommissionMember, "наказ К").await;
    [head, m1, m2]
}

// §III.6, §III.8: a certificate an open act lists (transfer or destruction)
// moves only by that act: it is not issued, transferred or listed again, and
// the refusal names the act.
contract!(SqlStore; rule_iii_8_a_certificate_on_an_open_act_moves_only_by_that_act, |s| {
    use dossier_domain::production::{DestructionReason, Duty, Recipient};
    let t = tree(&s).await;
    let p = applicant(&s, t.district_a.id, 84, "Кравчук", "1946-02-02").await;
    let q = applicant(&s, t.district_a.id, 85, "Кравець", "1947-03-03").await;
    let cp = s.create_application(&actor(), p.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    let cq = s.create_application(&actor(), q.id, &paper(t.district_a.id), Utc::now()).await.unwrap();
    run_week(&s, this_week()).await;
    s.produce(&actor(), &[cp.id, cq.id], now()).await.unwrap();
    let (central_staff, cs) = staff(&s, "c.resp", t.central.id).await;
    let (region_staff, rs) = staff(&s, "r.resp", t.region.id).await;
    let (district_staff, ds) = staff(&s, "d.resp", t.district_a.id).await;
    appoint(&s, cs, t.central.id, Duty::ResponsiblePerson, "наказ 1").await;
    appoint(&s, rs, t.region.id, Duty::ResponsiblePerson, "наказ 2").await;
    appoint(&s, ds, t.district_a.id, Duty::ResponsiblePerson, "наказ 3").await;
    fn on_act<T: std::fmt::Debug>(r: Result<T, StoreError>, act: &str) {
        match r {
            Err(StoreError::Conflict(m)) => {
                assert_eq!(m.key, "production.certificate.on_open_act");
                assert_eq!(m.text_of("act"), Some(act), "{m:?}");
            }
            other => panic!("{other:?}"),
        }
    }
    // On its way to the region: no destruction act may list it meanwhile.
    let to_region = s.create_transfer_act(&central_staff, t.central.id, t.region.id, &[cp.id, cq.id], now()).await.unwrap();
    let [chair, m1, m2] = commission(&s, t.central.id, "central").await;
    let line = |id| [DestructionLine { certificate_id: id, reason: DestructionReason::ErrorInEntries }];
    on_act(s.create_destruction_act(&chair, t.central.id, "наказ К", &line(cp.id), now()).await, &to_region.number);
    s.accept_transfer_act(&region_staff, to_region.id, &ActAcceptance::default(), now()).await.unwrap();
    let to_district = s.create_transfer_act(&region_staff, t.region.id, t.district_a.id, &[cp.id, cq.id], now()).await.unwrap();
    s.accept_transfer_act(&district_staff, to_district.id, &ActAcceptance::default(), now()).await.unwrap();
    drop((m1, m2));

    // At the district, a destruction act for an error in the entries, signed by two of three.
    let [head, d1, d2] = commission(&s, t.district_a.id, "district").await;
    let act = s.create_destruction_act(&head, t.district_a.id, "наказ К", &line(cp.id), now()).await.unwrap();
    s.sign_destruction_act(&head, act.id, now()).await.unwrap();
    s.sign_destruction_act(&d1, act.id, now()).await.unwrap();
    // Not issued to the person meanwhile, nor listed in a second act, nor declared lost.
    let issue = IssueInput {
        recipient_name: "Кравчук Петро Іванович".into(),
        recipient: Recipient::Owner { identity_document: "ID 001234567".into() },
        signature: "tick".into(),
    }
    .validate()
    .unwrap();
    on_act(s.issue_certificate(&district_staff, cp.id, &issue, now()).await, &act.number);
    on_act(s.create_destruction_act(&head, t.district_a.id, "наказ К", &line(cp.id), now()).await, &act.number);
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::AtDistrict, "nothing changed");
    assert!(s.journal(t.district_a.id, now() - chrono::Duration::days(1), now() + chrono::Duration::days(1)).await.unwrap().iter().all(|l| l.issued_at.is_none()));
    // The other certificate, on no act, is issued as usual.
    s.issue_certificate(&district_staff, cq.id, &issue, now()).await.unwrap();
    // The last signature completes the act: destroyed, and the act is closed.
    let listed = s.destruction_acts(&t.district_a.path, Page::default()).await.unwrap();
    assert_eq!(listed.iter().map(|a| (a.id, a.completed)).collect::<Vec<_>>(), [(act.id, false)]);
    assert!(s.destruction_acts(&t.district_b.path, Page::default()).await.unwrap().is_empty(), "another district");
    let done = s.sign_destruction_act(&d2, act.id, now()).await.unwrap();
    assert!(done.completed);
    assert_eq!(s.certificate(cp.id).await.unwrap().unwrap().stage, Stage::Destroyed);
    assert!(s.audit_verify(&[]).await.unwrap().first_broken().is_none());
});

// §I.2, §III.4: a card passes the central duplicate check too — another
// registry record of the same person with a live paper certificate is found.
contract!(SqlStore; rule_i_2_a_card_meets_the_duplicate_check_of_another_registry_record, |s| {
    let t = tree(&s).await;
    let a = applicant(&s, t.district_a.id, 86, "Гребенюк", "1949-01-01").await;
    // The same human, registered again elsewhere, holding a paper certificate on its way.
    let a2 = s.create_person(&actor(), t.district_b.id, &someone(87, "Гребенюк", "1949-01-01")).await.unwrap();
    let paper_one = s.create_application(&actor(), a2.id, &paper(t.district_b.id), Utc::now()).await.unwrap();
    let card = s.create_application(&actor(), a.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    let found = s.duplicate_findings(card.id).await.unwrap();
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].other_person_id, found[0].other_certificate.as_deref()), (a2.id, Some(paper_one.number.as_str())));
    // A card with no such record finds nothing.
    let b = applicant(&s, t.district_a.id, 88, "Гнатюк", "1949-01-02").await;
    let clean = s.create_application(&actor(), b.id, &card_at(t.branch.id), Utc::now()).await.unwrap();
    assert!(s.duplicate_findings(clean.id).await.unwrap().is_empty());
    // The hold and its release (sending to the bank) are steps of the card's life.
    let held = s.advance_certificate(&actor(), card.id, Event::HoldAsDuplicate, Some("found")).await.unwrap();
    assert_eq!(held.stage, Stage::DuplicateHold);
    let msg = NewCardMessage {
        event: Event::SendToBank,
        sender: dossier_domain::card::Party::Fund,
        unit_id: t.central.id,
        payload: "{}".into(),
        seal: None,
        card_expires_on: None,
    };
    let (sent, _) = s.card_step(&actor(), card.id, &msg, now()).await.unwrap();
    assert_eq!(sent.stage, Stage::SentToBank);
});

// An archival job walks the stored PDFs a page at a time and points each at its renewed bytes,
// only if nothing changed it meanwhile; the renewal is audited with both fingerprints.
