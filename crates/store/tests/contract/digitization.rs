//! Digitization dossiers: numbered per agency and day, never twice.
use std::collections::HashSet;
use std::sync::Arc;

use chrono::NaiveDate;
use dossier_domain::digitization::AgencyCode;

use super::*;

fn new_dossier(unit_id: i64, agency: &str, day: NaiveDate) -> NewDigitizationDossier {
    NewDigitizationDossier {
        id: uuid::Uuid::new_v4(),
        agency: AgencyCode::parse(agency).unwrap(),
        received_on: day,
        unit_id,
        procedure: "1.001234".into(),
        person_id: None,
        applicant: None,
    }
}

contract!(SqlStore; spec_9_dossier_codes_number_each_agencys_day_from_0001_and_never_repeat, |s| {
    let t = tree(&s).await;
    let s = Arc::new(s);
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    // Sixteen counters open dossiers at once: sixteen numbers, 0001–0016, each once.
    let opened = futures::future::join_all((0..16).map(|_| {
        let s = s.clone();
        let unit = t.district_a.id;
        async move { s.open_digitization_dossier(&actor(), &new_dossier(unit, "000.00.31.H29", day)).await.unwrap() }
    }))
    .await;
    let codes: HashSet<String> = opened.iter().map(|d| d.code.to_string()).collect();
    let expected: HashSet<String> = (1..=16).map(|n| format!("000.00.31.H29-230405-{n:04}")).collect();
    assert_eq!(codes, expected);
    // Another agency and another day start again at 0001.
    let other = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.12.H56", day)).await.unwrap();
    assert_eq!(other.code.to_string(), "000.00.12.H56-230405-0001");
    let next_day = day.succ_opt().unwrap();
    let d = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", next_day)).await.unwrap();
    assert_eq!(d.code.to_string(), "000.00.31.H29-230406-0001");
    let read = s.digitization_dossier(d.id).await.unwrap().unwrap();
    assert_eq!((read.code, read.procedure.as_str(), read.unit_id), (d.code, "1.001234", t.district_a.id));
    let audit = s.audit_of(&format!("digitization_dossier:{}", d.id), 5).await.unwrap();
    assert_eq!(audit.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(), ["digitization.dossier.open"]);
});

contract!(SqlStore; spec_9_a_day_has_9999_dossier_numbers_and_the_10000th_is_refused_taking_none, |s| {
    let t = tree(&s).await;
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    s.execute_raw(dossier_store::audit::Log::Change, "UPDATE digitization_sequences SET last = 9998").await.unwrap();
    let last = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    assert_eq!(last.code.to_string(), "000.00.31.H29-230405-9999");
    let refused = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await;
    match refused {
        Err(StoreError::Conflict(m)) => assert_eq!(m.key, "digitization.day_full"),
        other => panic!("{other:?}"),
    }
    // The refusal wrote nothing: no dossier, and the counter did not move past 9 999.
    let again = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    let next = day.succ_opt().unwrap();
    let d = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", next)).await.unwrap();
    assert_eq!(d.code.sequence(), 1);
});

fn page(n: u8) -> NewPage {
    NewPage {
        image_sha256: format!("{n:02x}").repeat(32),
        media_type: "image/png".into(),
        width: 2480,
        height: 3508,
        dpi: 300.0,
    }
}

fn words(text: &[(&str, u32, u32)]) -> dossier_domain::digitization::PageText {
    use dossier_domain::digitization::{BBox, Line, PageText, Word};
    PageText {
        lines: text
            .iter()
            .map(|(t, left, top)| Line {
                words: vec![Word {
                    text: (*t).into(),
                    confidence: 96.0,
                    bbox: BBox { left: *left, top: *top, width: 200, height: 40 },
                }],
            })
            .collect(),
    }
}

contract!(SqlStore; digitized_documents_get_codes_pages_are_claimed_once_and_fields_wait_for_a_person, |s| {
    use dossier_domain::digitization::{DocumentKind, FieldKind, ResultCodeScheme, extract};
    let t = tree(&s).await;
    let now = chrono::Utc::now();
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    let dossier = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    let scheme = ResultCodeScheme::default();
    let add = |pages: Vec<NewPage>| NewDigitizedDocument {
        id: uuid::Uuid::new_v4(),
        dossier_id: dossier.id,
        kind: DocumentKind::UaTaxpayerCard,
        pages,
    };
    let found = s.digitization_dossier_by_code(&dossier.code).await.unwrap().expect("found by its code");
    assert_eq!(found.id, dossier.id);
    let other = dossier_domain::digitization::DossierCode::parse("000.00.31.H29-230405-0099").unwrap();
    assert!(s.digitization_dossier_by_code(&other).await.unwrap().is_none());
    let first = s.add_digitized_document(&actor(), &add(vec![page(1), page(2)]), &scheme, now).await.unwrap();
    let second = s.add_digitized_document(&actor(), &add(vec![page(3)]), &scheme, now).await.unwrap();
    assert_eq!(first.result_code, "000.00.31.H29-230405-0001.KQ01");
    assert_eq!(second.result_code, "000.00.31.H29-230405-0001.KQ02");
    assert_eq!((first.status, first.pages), (DigitizedStatus::Recognising, 2));

    // Three pages due; two workers claim at once and never hold the same page.
    let lease = chrono::Duration::seconds(120);
    let (a, b) = tokio::join!(s.claim_pages(now, lease, 2), s.claim_pages(now, lease, 2));
    let (a, b) = (a.unwrap(), b.unwrap());
    let mut held: Vec<(uuid::Uuid, u32)> = a.iter().chain(&b).map(|p| (p.document_id, p.page_no)).collect();
    held.sort();
    held.dedup();
    assert_eq!(held.len(), a.len() + b.len(), "a page claimed twice");
    assert_eq!(held.len(), 3);
    assert!(s.claim_pages(now, lease, 10).await.unwrap().is_empty(), "all leased");
    assert_eq!(a.iter().chain(&b).next().unwrap().kind, DocumentKind::UaTaxpayerCard);

    // Page 1 fails once (retried later), then both pages are read; the last hands over the text.
    let retry = PageOutcome::Failed { error: "tesseract: timeout".into(), retry_at: Some(now) };
    assert_eq!(s.finish_page(first.id, 1, &retry).await.unwrap(), None);
    let again = s.claim_pages(now, lease, 10).await.unwrap();
    assert_eq!((again.len(), again[0].attempts), (1, 1), "{again:?}");
    let p1 = words(&[("Прізвище", 100, 200), ("Шевчук", 900, 200)]);
    let p2 = words(&[("РНОКПП", 100, 200), ("1759013776", 900, 200)]);
    assert_eq!(s.finish_page(first.id, 2, &PageOutcome::Recognised(p2.clone())).await.unwrap(), None);
    assert!(s.settled_unextracted(10).await.unwrap().is_empty(), "a page still waits");
    let texts = s.finish_page(first.id, 1, &PageOutcome::Recognised(p1.clone())).await.unwrap().expect("the last page");
    assert_eq!(texts, vec![p1.clone(), p2.clone()]);
    // Until it is extracted, a worker that died now leaves it for the sweep to find, texts and all.
    let settled = s.settled_unextracted(10).await.unwrap();
    assert_eq!(settled.iter().map(|d| (d.document_id, &d.texts)).collect::<Vec<_>>(), vec![(first.id, &texts)]);
    assert_eq!((settled[0].dossier_id, settled[0].kind), (first.dossier_id, DocumentKind::UaTaxpayerCard));

    // Extraction: the surname and number are accepted, the rest waits for a person.
    let fields = extract(DocumentKind::UaTaxpayerCard, &texts);
    let doc = s.save_extraction(first.id, &fields, "прізвище шевчук рнокпп 1759013776").await.unwrap();
    assert_eq!(doc.status, DigitizedStatus::Review);
    let again = s.save_extraction(first.id, &fields, "прізвище шевчук рнокпп 1759013776").await.unwrap();
    assert_eq!(again.status, DigitizedStatus::Review, "saved once");
    assert!(s.settled_unextracted(10).await.unwrap().is_empty(), "extracted: nothing left to sweep");
    let unsealed = s.extracted_unsealed(10).await.unwrap();
    assert_eq!(unsealed.iter().map(|d| d.id).collect::<Vec<_>>(), vec![first.id], "extracted, not yet sealed");
    s.save_digitized_result(first.id, &"ab".repeat(32), now).await.unwrap();
    assert!(s.extracted_unsealed(10).await.unwrap().is_empty(), "sealed: nothing left to sweep");
    // The review queue of the office's scope holds it; another office's does not.
    let page_all = dossier_store::Page::new(0, 50);
    let queue = s.digitized_documents_in(&t.district_a.path, Some(DigitizedStatus::Review), page_all).await.unwrap();
    assert_eq!(queue.iter().map(|d| d.id).collect::<Vec<_>>(), vec![first.id]);
    assert!(s.digitized_documents_in(&t.district_b.path, None, page_all).await.unwrap().is_empty());
    assert_eq!(s.digitized_documents_in(&t.district_a.path, None, page_all).await.unwrap().len(), 2);
    let scan = s.digitized_page(first.id, 2).await.unwrap().unwrap();
    assert_eq!((scan.image_sha256, scan.media_type.as_str(), scan.width), (page(2).image_sha256, "image/png", 2480));
    // The fixity check walks every page, a batch at a time.
    let mut walked = vec![];
    let mut after = None;
    loop {
        let batch = s.digitized_pages_after(after, 2).await.unwrap();
        let Some(last) = batch.last() else { break };
        after = Some((last.0, last.1));
        walked.extend(batch);
    }
    assert_eq!(walked.len(), 3, "{walked:?}");
    assert!(walked.iter().any(|(d, p, shas)| *d == first.id && *p == 2 && *shas == vec![page(2).image_sha256]));
    assert_eq!(s.digitized_page_sizes(first.id).await.unwrap(), vec![(2480, 3508), (2480, 3508)]);
    // A page turned upright: the upright copy is its scan now, the received scan is kept and
    // still walked; a second attempt's copy replaces the first copy, not the received scan.
    let upright = |sha: &str| UprightScan {
        image_sha256: sha.into(),
        media_type: "image/png".into(),
        width: 3508,
        height: 2480,
        correction: "turned 90°".into(),
    };
    s.set_upright_scan(first.id, 2, &upright(&"a1".repeat(32))).await.unwrap();
    s.set_upright_scan(first.id, 2, &upright(&"a2".repeat(32))).await.unwrap();
    let scan = s.digitized_page(first.id, 2).await.unwrap().unwrap();
    assert_eq!((scan.image_sha256, scan.width), ("a2".repeat(32), 3508));
    assert_eq!(s.digitized_page_sizes(first.id).await.unwrap(), vec![(2480, 3508), (3508, 2480)]);
    let walked = s.digitized_pages_after(Some((first.id, 1)), 1).await.unwrap();
    assert_eq!(walked[0].2, vec!["a2".repeat(32), page(2).image_sha256]);
    let in_dossier = s.dossier_documents(dossier.id).await.unwrap();
    assert_eq!(in_dossier.iter().map(|d| d.ordinal).collect::<Vec<_>>(), vec![1, 2]);
    assert!(s.digitized_page(first.id, 3).await.unwrap().is_none());
    let (_, stored) = s.digitized_document(first.id).await.unwrap().unwrap();
    assert_eq!(stored.len(), fields.len());
    let status_of = |k: FieldKind| stored.iter().find(|f| f.field == k).unwrap().status;
    assert_eq!(status_of(FieldKind::Surname), FieldStatus::Accepted);
    assert_eq!(status_of(FieldKind::GivenName), FieldStatus::Review);
    let rnokpp = stored.iter().find(|f| f.field == FieldKind::Rnokpp).unwrap();
    assert_eq!(rnokpp.place.map(|p| p.page), Some(2));
    let given = stored.iter().find(|f| f.field == FieldKind::GivenName).unwrap();
    assert_eq!(given.problems[0].key, "digitization.not_found", "problems read back: {given:?}");

    // A person decides: a field without a value cannot be confirmed, only typed; an accepted one is not in review.
    let confirm = s.decide_field(&actor(), first.id, FieldKind::GivenName, &FieldDecision::Confirm, now).await;
    assert!(matches!(confirm, Err(StoreError::Conflict(_))), "{confirm:?}");
    let accepted = s.decide_field(&actor(), first.id, FieldKind::Surname, &FieldDecision::Confirm, now).await;
    assert!(matches!(accepted, Err(StoreError::Conflict(_))));
    for k in [FieldKind::GivenName, FieldKind::Patronymic, FieldKind::BirthDate] {
        let v = match k { FieldKind::BirthDate => "1948-02-28", FieldKind::GivenName => "Олена", _ => "Петрівна" };
        let f = s.decide_field(&actor(), first.id, k, &FieldDecision::Correct(v.into()), now).await.unwrap();
        assert_eq!((f.status, f.value.as_deref(), f.decided_by.as_deref()), (FieldStatus::Corrected, Some(v), Some(actor().label.as_str())));
    }
    let (doc, _) = s.digitized_document(first.id).await.unwrap().unwrap();
    assert_eq!(doc.status, DigitizedStatus::Ready, "no field waits any more");
    let audit = s.audit_of(&format!("digitized_document:{}", first.id), 10).await.unwrap();
    assert_eq!(audit.iter().filter(|e| e.action == "digitization.field.decide").count(), 3);

    // A worker that died holding a page loses it when its lease ends; the page's attempts then
    // run out and it is given up: the document still settles (that page reads as empty).
    let later = now + lease + chrono::Duration::seconds(1);
    let claimed = s.claim_pages(later, lease, 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    let give_up = PageOutcome::Failed { error: "poisoned".into(), retry_at: None };
    let texts = s.finish_page(second.id, 1, &give_up).await.unwrap().expect("settled");
    assert_eq!(texts, vec![Default::default()]);
    assert!(s.claim_pages(later + lease * 2, lease, 10).await.unwrap().is_empty());
});

contract!(SqlStore; recognised_text_is_searched_without_diacritics_or_apostrophes_within_the_scope, |s| {
    use dossier_domain::digitization::{DocumentKind, ResultCodeScheme};
    use dossier_domain::text::search_form;
    let t = tree(&s).await;
    let now = chrono::Utc::now();
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    let mut ids = vec![];
    for (unit, text) in [(t.district_a.id, "Họ và tên: NGUYỄN Thị Hương\nМар’яна Шевчук"), (t.district_b.id, "Nguyễn Văn An")] {
        let dossier = s.open_digitization_dossier(&actor(), &new_dossier(unit, "000.00.31.H29", day)).await.unwrap();
        let new = NewDigitizedDocument { id: uuid::Uuid::new_v4(), dossier_id: dossier.id, kind: DocumentKind::VnCitizenIdCard, pages: vec![page(1)] };
        let doc = s.add_digitized_document(&actor(), &new, &ResultCodeScheme::default(), now).await.unwrap();
        s.finish_page(doc.id, 1, &PageOutcome::Recognised(Default::default())).await.unwrap();
        s.save_extraction(doc.id, &[], &search_form(text)).await.unwrap();
        ids.push(doc.id);
    }
    let find = |scope: &dossier_domain::org::UnitPath, q: &str| {
        let words: Vec<String> = search_form(q).split(' ').map(str::to_owned).collect();
        let scope = scope.clone();
        let s = &s;
        async move { s.search_digitized(&scope, &words, dossier_store::Page::new(0, 50)).await.unwrap().into_iter().map(|d| d.id).collect::<Vec<_>>() }
    };
    assert_eq!(find(&t.district_a.path, "nguyen").await, vec![ids[0]], "typed without diacritics");
    assert_eq!(find(&t.district_a.path, "Hương THI").await, vec![ids[0]], "any order, any case");
    assert_eq!(find(&t.district_a.path, "nguy").await, vec![ids[0]], "a word's beginning");
    assert_eq!(find(&t.district_a.path, "Мар'яна").await, vec![ids[0]], "another apostrophe");
    assert_eq!(find(&t.district_a.path, "марьяна").await, Vec::<uuid::Uuid>::new(), "a different spelling is not the same word");
    assert_eq!(find(&t.district_a.path, "nguyen an").await, Vec::<uuid::Uuid>::new(), "the other office's document is out of scope");
    let mut both = find(&t.region.path, "nguyen").await;
    both.sort();
    let mut expected = ids.clone();
    expected.sort();
    assert_eq!(both, expected, "the region sees both");
    assert!(find(&t.district_a.path, "\" OR 1=1 --").await.is_empty(), "operators are not words");
});

contract!(SqlStore; search_answers_in_reverse_reading_order_a_page_at_a_time_within_the_scope, |s| {
    use dossier_domain::digitization::{DocumentKind, ResultCodeScheme};
    use dossier_domain::text::search_form;
    let t = tree(&s).await;
    let day = NaiveDate::from_ymd_opt(2023, 4, 7).unwrap();
    let now = chrono::Utc::now();
    // Five papers naming the same person, every other one at the other
    // office; their text is read in the opposite order to the one they came in.
    let mut added = vec![];
    for i in 0..5 {
        let unit = if i % 2 == 0 { t.district_a.id } else { t.district_b.id };
        let dossier = s.open_digitization_dossier(&actor(), &new_dossier(unit, "000.00.31.H29", day)).await.unwrap();
        let new = NewDigitizedDocument { id: uuid::Uuid::new_v4(), dossier_id: dossier.id, kind: DocumentKind::UaTaxpayerCard, pages: vec![page(1)] };
        let doc = s.add_digitized_document(&actor(), &new, &ResultCodeScheme::default(), now).await.unwrap();
        s.finish_page(doc.id, 1, &PageOutcome::Recognised(Default::default())).await.unwrap();
        added.push((doc.id, unit));
    }
    for (id, _) in added.iter().rev() {
        s.save_extraction(*id, &[], &search_form("Шевчук Тарас Київ")).await.unwrap();
    }
    // Read last comes first: the first added.
    let ours: Vec<uuid::Uuid> = added.iter().filter(|(_, u)| *u == t.district_a.id).map(|(id, _)| *id).collect();
    let words = vec!["шевчук".to_owned()];
    let find = |scope: &dossier_domain::org::UnitPath, offset, limit| {
        let scope = scope.clone();
        let words = &words;
        let s = &s;
        async move {
            let page = dossier_store::Page::new(offset, limit);
            s.search_digitized(&scope, words, page).await.unwrap().into_iter().map(|d| d.id).collect::<Vec<_>>()
        }
    };
    assert_eq!(find(&t.district_a.path, 0, 50).await, ours, "the office's three, read last first");
    assert_eq!(find(&t.district_a.path, 0, 2).await, ours[..2].to_vec(), "the first page");
    assert_eq!(find(&t.district_a.path, 2, 2).await, ours[2..].to_vec(), "the second page");
    assert!(find(&t.district_a.path, 3, 2).await.is_empty(), "past the last");
    let region: Vec<uuid::Uuid> = added.iter().map(|(id, _)| *id).collect();
    assert_eq!(find(&t.region.path, 0, 50).await, region, "the region's five");
});

contract!(SqlStore; a_document_s_signed_result_is_recorded_once_and_the_fixity_walk_finds_every_result, |s| {
    use dossier_domain::digitization::{DocumentKind, ResultCodeScheme};
    let t = tree(&s).await;
    let now = chrono::Utc::now();
    let day = NaiveDate::from_ymd_opt(2023, 4, 6).unwrap();
    let dossier = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    let mut ids = vec![];
    for n in 0..3u8 {
        let new = NewDigitizedDocument {
            id: uuid::Uuid::new_v4(),
            dossier_id: dossier.id,
            kind: DocumentKind::UaIdCard,
            pages: vec![page(n), page(n + 10)],
        };
        ids.push(s.add_digitized_document(&actor(), &new, &ResultCodeScheme::default(), now).await.unwrap().id);
    }
    // Pages come back in order with their resolution; unread pages have no words.
    let pages = s.digitized_result_pages(ids[0]).await.unwrap();
    assert_eq!(pages.iter().map(|p| p.image_sha256.clone()).collect::<Vec<_>>(), vec![page(0).image_sha256, page(10).image_sha256]);
    assert!(pages.iter().all(|p| p.dpi == 300.0 && p.text.words().next().is_none()));
    assert!(s.digitized_results_after(None, 10).await.unwrap().is_empty());

    // Two makers race: the first recorded stays.
    let at = chrono::Timelike::with_nanosecond(&now, 0).unwrap();
    let (aa, bb) = ("aa".repeat(32), "bb".repeat(32));
    let (a, b) = tokio::join!(s.save_digitized_result(ids[0], &aa, at), s.save_digitized_result(ids[0], &bb, at));
    let (a, b) = (a.unwrap().unwrap(), b.unwrap().unwrap());
    assert_eq!(a, b, "both see the one recorded");
    assert_eq!(a.made_at, at);
    let (doc, _) = s.digitized_document(ids[0]).await.unwrap().unwrap();
    assert_eq!(doc.result, Some(a.clone()));
    assert_eq!(s.save_digitized_result(uuid::Uuid::new_v4(), &"cc".repeat(32), at).await.unwrap(), None);

    s.save_digitized_result(ids[2], &"dd".repeat(32), at).await.unwrap();
    let mut expected = vec![(ids[0], a.sha256.clone()), (ids[2], "dd".repeat(32))];
    expected.sort();
    // Walked one at a time, in id order, each result once.
    let first = s.digitized_results_after(None, 1).await.unwrap();
    let rest = s.digitized_results_after(Some(first[0].0), 10).await.unwrap();
    assert_eq!([first, rest].concat(), expected);
});

contract!(SqlStore; a_dossier_keeps_its_applicant_and_a_persons_record_lists_the_papers_digitized_for_them, |s| {
    use dossier_domain::digitization::{ApplicantId, DocumentKind, ResultCodeScheme};
    let t = tree(&s).await;
    let now = chrono::Utc::now();
    let day = NaiveDate::from_ymd_opt(2023, 4, 5).unwrap();
    let person = s.create_person(&actor(), t.district_a.id, &shevchuk()).await.unwrap();
    let mut mine = new_dossier(t.district_a.id, "000.00.31.H29", day);
    mine.person_id = Some(person.id);
    mine.applicant = Some(ApplicantId::parse("1759013776").unwrap());
    let mine = s.open_digitization_dossier(&actor(), &mine).await.unwrap();
    assert_eq!(mine.applicant.as_ref().map(|a| a.as_str()), Some("1759013776"));
    assert_eq!(s.digitization_dossier(mine.id).await.unwrap().unwrap().applicant, mine.applicant);
    let other = s.open_digitization_dossier(&actor(), &new_dossier(t.district_a.id, "000.00.31.H29", day)).await.unwrap();
    assert!(other.applicant.is_none());
    assert!(s.digitized_documents_of_person(person.id).await.unwrap().is_empty());
    let add = |dossier_id, n| NewDigitizedDocument {
        id: uuid::Uuid::new_v4(),
        dossier_id,
        kind: DocumentKind::UaIdCard,
        pages: vec![page(n)],
    };
    let a = s.add_digitized_document(&actor(), &add(mine.id, 1), &ResultCodeScheme::default(), now).await.unwrap();
    s.add_digitized_document(&actor(), &add(other.id, 2), &ResultCodeScheme::default(), now).await.unwrap();
    let later = now + chrono::Duration::seconds(1);
    let b = s.add_digitized_document(&actor(), &add(mine.id, 3), &ResultCodeScheme::default(), later).await.unwrap();
    // Only the person's dossier's papers, newest first.
    let listed: Vec<uuid::Uuid> = s.digitized_documents_of_person(person.id).await.unwrap().iter().map(|d| d.id).collect();
    assert_eq!(listed, vec![b.id, a.id]);
});
