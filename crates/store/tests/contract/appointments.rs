//! Appointments: places per slot never exceeded however many citizens race
//! for them, a move takes the new place and frees the old one together, and
//! a booking's e-mail gets its confirmation, cancellation and reminder.
use chrono::{DateTime, Duration, TimeZone, Utc};
use dossier_domain::appointment::{Reception, ReceptionForm, Rules, Service, Status, WeekHours};
use dossier_domain::notify::Topic;

use super::*;

fn at(h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 9, h, 0, 0).unwrap()
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 4, 9, 0, 0).unwrap()
}

fn booking(unit: i64, starts: DateTime<Utc>, capacity: i64, code: &str, email: Option<&str>) -> NewBooking {
    NewBooking {
        unit_id: unit,
        service: Service::Consultation,
        starts_at: starts,
        capacity,
        code_hash: format!("hash-{code}"),
        name: "Олена Коваль".into(),
        email: email.map(str::to_owned),
        phone: None,
        lang: "uk".into(),
        per_contact: 3,
        remind_at: Some(starts - Duration::hours(24)),
    }
}

fn citizen() -> Actor {
    Actor { label: "citizen".into(), account_id: None }
}

contract!(SqlStore; spec_21_6_sixty_four_clients_racing_for_the_last_ten_places_get_exactly_ten_bookings, |s| {
    let t = tree(&s).await;
    let unit = t.district_a.id;
    // Twelve places, two already taken: ten are left.
    for n in 0..2 {
        s.book(&citizen(), &booking(unit, at(8), 12, &format!("early{n}"), None), now()).await.unwrap();
    }
    let mut racers = Vec::new();
    for n in 0..64 {
        let s = s.clone();
        racers.push(tokio::spawn(async move {
            s.book(&citizen(), &booking(unit, at(8), 12, &format!("racer{n}"), None), now()).await
        }));
    }
    let (mut booked, mut full) = (0, 0);
    for r in racers {
        match r.await.unwrap() {
            Ok(_) => booked += 1,
            Err(StoreError::Conflict(m)) if m.key == "appointment.full" => full += 1,
            Err(e) => panic!("unexpected: {e}"),
        }
    }
    assert_eq!((booked, full), (10, 54));
    let loads = s.slot_loads(unit, Service::Consultation, at(0), at(23)).await.unwrap();
    assert_eq!(loads, vec![(at(8), 12)]);
    let listed = s.bookings_at(unit, at(0), at(23)).await.unwrap();
    assert_eq!(listed.len(), 12);
    // Another service's slot at the same time is a queue of its own.
    let other = NewBooking { service: Service::Certificate, ..booking(unit, at(8), 12, "other", None) };
    s.book(&citizen(), &other, now()).await.unwrap();
});

contract!(SqlStore; a_cancelled_booking_frees_its_place_and_cannot_be_cancelled_twice, |s| {
    let t = tree(&s).await;
    let unit = t.district_a.id;
    let rules = Rules::default();
    let b = s.book(&citizen(), &booking(unit, at(10), 1, "one", None), now()).await.unwrap();
    let err = s.book(&citizen(), &booking(unit, at(10), 1, "two", None), now()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(ref m) if m.key == "appointment.full"), "{err}");
    assert_eq!(s.booking_by_code("hash-one").await.unwrap().map(|b| b.id), Some(b.id));
    assert_eq!(s.booking_by_code("hash-two").await.unwrap(), None);

    let cancelled = s.cancel_booking(&citizen(), b.id, &rules, now()).await.unwrap();
    assert_eq!(cancelled.status, Status::Cancelled);
    let again = s.cancel_booking(&citizen(), b.id, &rules, now()).await.unwrap_err();
    assert!(matches!(again, StoreError::Conflict(ref m) if m.key == "appointment.not_live"), "{again}");
    // The place is free again.
    s.book(&citizen(), &booking(unit, at(10), 1, "two", None), now()).await.unwrap();
    assert_eq!(s.slot_loads(unit, Service::Consultation, at(0), at(23)).await.unwrap(), vec![(at(10), 1)]);
});

contract!(SqlStore; spec_21_6_no_change_within_24_hours_and_a_move_is_all_or_nothing, |s| {
    let t = tree(&s).await;
    let unit = t.district_a.id;
    let rules = Rules::default();
    let b = s.book(&citizen(), &booking(unit, at(10), 1, "mover", None), now()).await.unwrap();
    s.book(&citizen(), &booking(unit, at(11), 1, "taken", None), now()).await.unwrap();
    // The wanted time is full: nothing moves, the old place stays taken.
    let to = |h| NewSlot { starts_at: at(h), capacity: 1, remind_at: None };
    let full = s.move_booking(&citizen(), b.id, to(11), &rules, now()).await.unwrap_err();
    assert!(matches!(full, StoreError::Conflict(ref m) if m.key == "appointment.full"), "{full}");
    assert_eq!(s.booking(b.id).await.unwrap().unwrap().starts_at, at(10));
    // A free time: the booking moves and its old place is freed.
    let moved = s.move_booking(&citizen(), b.id, to(13), &rules, now()).await.unwrap();
    assert_eq!(moved.starts_at, at(13));
    let loads = s.slot_loads(unit, Service::Consultation, at(0), at(23)).await.unwrap();
    assert_eq!(loads, vec![(at(10), 0), (at(11), 1), (at(13), 1)]);
    // Less than 24 hours before: neither moved nor cancelled.
    let late = at(13) - Duration::hours(23);
    let refused = s.cancel_booking(&citizen(), b.id, &rules, late).await.unwrap_err();
    assert!(matches!(refused, StoreError::Conflict(ref m) if m.key == "appointment.too_late_to_change"), "{refused}");
    let refused = s.move_booking(&citizen(), b.id, to(10), &rules, late).await.unwrap_err();
    assert!(matches!(refused, StoreError::Conflict(ref m) if m.key == "appointment.too_late_to_change"), "{refused}");
    assert_eq!(s.booking(b.id).await.unwrap().unwrap().status, Status::Booked);
});

contract!(SqlStore; one_contact_holds_at_most_its_share_of_upcoming_bookings, |s| {
    let t = tree(&s).await;
    let unit = t.district_a.id;
    for (n, h) in [8, 9, 10].into_iter().enumerate() {
        s.book(&citizen(), &booking(unit, at(h), 2, &format!("c{n}"), Some("olena@example.org")), now()).await.unwrap();
    }
    let err = s.book(&citizen(), &booking(unit, at(11), 2, "c3", Some("olena@example.org")), now()).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(ref m) if m.key == "appointment.too_many"), "{err}");
    // Nothing written for the refused one: its place is still free.
    assert!(s.slot_loads(unit, Service::Consultation, at(11), at(12)).await.unwrap().is_empty());
    s.book(&citizen(), &booking(unit, at(11), 2, "c4", Some("petro@example.org")), now()).await.unwrap();
});

contract!(SqlStore; a_bookings_email_is_told_of_it_reminded_once_and_told_of_its_cancellation, |s| {
    let t = tree(&s).await;
    let unit = t.district_a.id;
    let b = s.book(&citizen(), &booking(unit, at(10), 2, "mail", Some("olena@example.org")), now()).await.unwrap();
    // A booking without an address has no messages.
    s.book(&citizen(), &booking(unit, at(10), 2, "nomail", None), now()).await.unwrap();
    let claim = |when| {
        let s = s.clone();
        async move {
            s.claim_notifications(&[dossier_domain::notify::Channel::Email], when, Duration::minutes(5), 100)
                .await
                .unwrap()
        }
    };
    let first = claim(now()).await;
    assert_eq!(first.len(), 1);
    let n = &first[0].notification;
    assert_eq!((n.topic, n.case_ref.as_str(), n.unit_id), (Topic::AppointmentBooked, &*format!("appointment:{}", b.id), Some(unit)));
    assert_eq!(first[0].address, "olena@example.org");
    assert_eq!(n.payload["service"], "consultation");
    s.settle_notification(n.id, &Settlement::Sent { receipt: "250 ok".into() }, now()).await.unwrap();

    // The day before: one reminder, however often the timer runs.
    let eve = at(10) - Duration::hours(23);
    assert_eq!(s.notify_due(eve, eve.date_naive()).await.unwrap(), 1);
    assert_eq!(s.notify_due(eve, eve.date_naive()).await.unwrap(), 0);
    let reminded = claim(eve).await;
    assert_eq!(reminded.len(), 1);
    assert_eq!(reminded[0].notification.topic, Topic::AppointmentReminder);
    s.settle_notification(reminded[0].notification.id, &Settlement::Sent { receipt: "250 ok".into() }, eve).await.unwrap();

    // A second booking, cancelled in time: its cancellation is told, and then nothing more.
    let c = s.book(&citizen(), &booking(unit, at(14), 2, "cancel", Some("petro@example.org")), now()).await.unwrap();
    s.cancel_booking(&citizen(), c.id, &Rules::default(), now()).await.unwrap();
    let mut topics: Vec<Topic> = claim(now()).await.into_iter().map(|c| c.notification.topic).collect();
    topics.sort();
    assert_eq!(topics, vec![Topic::AppointmentBooked, Topic::AppointmentCancelled]);
    let eve = at(14) - Duration::hours(23);
    assert_eq!(s.notify_due(eve, eve.date_naive()).await.unwrap(), 0);
});

contract!(SqlStore; an_office_keeps_its_own_reception_until_it_returns_to_the_default, |s| {
    let t = tree(&s).await;
    let form = ReceptionForm {
        hours: WeekHours { sat: Some("09:00-14:00".into()), ..WeekHours::default() },
        pause: None,
        slot_minutes: 20,
        services: vec![Service::Documents],
        places: 1,
    };
    let reception = Reception::from_form(&form).unwrap();
    let audited = s.audit_verify(&[]).await.unwrap().entries();
    let unit = s.set_unit_reception(&citizen(), t.district_a.id, Some(&reception)).await.unwrap();
    assert_eq!(unit.reception.as_ref(), Some(&reception));
    // Read back from the row, not from what was passed in.
    let read = s.unit(t.district_a.id).await.unwrap().unwrap();
    assert_eq!(read.reception, Some(reception.clone()));
    assert!(s.units().await.unwrap().iter().any(|u| u.reception == Some(reception.clone())));
    assert_eq!(s.audit_verify(&[]).await.unwrap().entries(), audited + 1, "the change is audited");
    let cleared = s.set_unit_reception(&citizen(), t.district_a.id, None).await.unwrap();
    assert_eq!(cleared.reception, None);
    // A reception this version's rules refuse (written by hand, or under other rules) leaves that
    // office on the fund's default; the org tree still loads.
    let sql = format!("UPDATE org_units SET reception = '{{\"hours\":{{}},\"slot_minutes\":0}}' WHERE id = {}", t.district_a.id);
    s.execute_raw(dossier_store::audit::Log::Change, &sql).await.unwrap();
    assert_eq!(s.unit(t.district_a.id).await.unwrap().unwrap().reception, None);
    assert!(s.units().await.unwrap().iter().any(|u| u.id == t.district_a.id));
    assert!(matches!(s.set_unit_reception(&citizen(), 999_999, Some(&reception)).await, Err(StoreError::NotFound)));
    // Contact and reception together: one transaction, each part audited, the rest of the row kept.
    let audited = s.audit_verify(&[]).await.unwrap().entries();
    let both = s
        .set_unit_settings(&citizen(), t.district_a.id, Some("вул. Хрещатик, 1".into()), None, Some(&reception))
        .await
        .unwrap();
    assert_eq!((both.address.as_deref(), both.opening_hours.as_deref()), (Some("вул. Хрещатик, 1"), None));
    assert_eq!((both.reception.as_ref(), both.code.as_str()), (Some(&reception), t.district_a.code.as_str()));
    assert_eq!(s.audit_verify(&[]).await.unwrap().entries(), audited + 2);
    // Setting the contact alone keeps the reception, and the other way round.
    let contact = s.set_unit_contact(&citizen(), t.district_a.id, None, Some("Пн–Пт".into())).await.unwrap();
    assert_eq!((contact.address, contact.reception.as_ref()), (None, Some(&reception)));
    let cleared = s.set_unit_reception(&citizen(), t.district_a.id, None).await.unwrap();
    assert_eq!((cleared.opening_hours.as_deref(), cleared.reception), (Some("Пн–Пт"), None));
    let unknown = s.set_unit_settings(&citizen(), 999_999, None, None, None).await;
    assert!(matches!(unknown, Err(StoreError::NotFound)));
});
