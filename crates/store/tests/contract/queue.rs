//! The electronic queue: racing check-ins get distinct numbers of the
//! office's day, a booking keeps its one ticket, walk-ins take their turn
//! among the booked times by arrival, and racing desks never call the same
//! ticket — on both databases.
use chrono::{Duration, NaiveDate, TimeZone, Utc};
use dossier_domain::appointment::Service;
use dossier_domain::queue::Status;

use super::*;

contract!(SqlStore; spec_21_6_tickets_are_numbered_once_and_called_once_even_when_racing, |s| {
    let t = tree(&s).await;
    let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let ten = Utc.with_ymd_and_hms(2026, 12, 8, 8, 0, 0).unwrap();
    let mut bookings = vec![];
    for i in 0..8i64 {
        let b = NewBooking {
            unit_id: t.district_a.id,
            service: Service::Consultation,
            starts_at: ten + Duration::minutes(30 * (i % 4)),
            capacity: 10,
            code_hash: format!("code-{i}"),
            name: format!("V{i}"),
            email: None,
            phone: None,
            lang: "uk".into(),
            per_contact: 3,
            remind_at: None,
        };
        bookings.push(s.book(&actor(), &b, ten - Duration::days(1)).await.unwrap());
    }
    let ticket_of = |b: &Booking, token: String| NewTicket {
        unit_id: b.unit_id,
        day,
        service: b.service,
        booking_id: Some(b.id),
        token_hash: token,
        starts_at: b.starts_at,
        now: ten,
    };
    let tasks: Vec<_> = bookings
        .iter()
        .map(|b| {
            let (s, t) = (s.clone(), ticket_of(b, format!("token-{}", b.id)));
            tokio::spawn(async move { s.check_in(&actor(), &t).await.unwrap() })
        })
        .collect();
    let mut numbers = vec![];
    for task in tasks {
        let (ticket, fresh) = task.await.unwrap();
        assert!(fresh);
        numbers.push(ticket.number);
    }
    numbers.sort();
    assert_eq!(numbers, (1..=8).collect::<Vec<i64>>(), "one number each, none skipped");
    let (again, fresh) = s.check_in(&actor(), &ticket_of(&bookings[0], "token-new".into())).await.unwrap();
    assert!(!fresh);
    assert!(s.ticket_by_token(&format!("token-{}", bookings[0].id)).await.unwrap().is_none(), "the old link is gone");
    assert_eq!(s.ticket_by_token("token-new").await.unwrap().map(|x| x.id), Some(again.id));

    let calls: Vec<_> = (0..10i64)
        .map(|desk| {
            let s = s.clone();
            tokio::spawn(async move { s.call_next(&actor(), t.district_a.id, day, desk + 1, ten).await.unwrap() })
        })
        .collect();
    let mut called = vec![];
    for c in calls {
        if let Some(ticket) = c.await.unwrap() {
            called.push(ticket.id);
        }
    }
    called.sort();
    called.dedup();
    assert_eq!(called.len(), 8, "eight tickets called once each; two desks found the queue empty");
    let all = s.queue_of(t.district_a.id, day).await.unwrap();
    assert!(all.iter().all(|x| x.status == Status::Called && x.desk.is_some()));
    // Called in the booked order.
    let starts: Vec<_> = all.iter().map(|x| x.starts_at).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]));
    s.finish_ticket(&actor(), all[0].id, Status::Served, ten).await.unwrap();
    assert!(matches!(s.finish_ticket(&actor(), all[0].id, Status::Missed, ten).await, Err(StoreError::Conflict(_))));
});

contract!(SqlStore; spec_21_6_walk_ins_share_the_day_s_numbers_and_wait_their_turn_by_arrival, |s| {
    let t = tree(&s).await;
    let day = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let at = |h: u32, m: u32| Utc.with_ymd_and_hms(2026, 12, 8, h, m, 0).unwrap();
    let b = NewBooking {
        unit_id: t.district_a.id,
        service: Service::Consultation,
        starts_at: at(8, 30),
        capacity: 2,
        code_hash: "code-walk".into(),
        name: "V".into(),
        email: None,
        phone: None,
        lang: "uk".into(),
        per_contact: 3,
        remind_at: None,
    };
    let booked = s.book(&actor(), &b, at(7, 0) - Duration::days(1)).await.unwrap();
    let walk_in = |n: u32, arrived| NewTicket {
        unit_id: t.district_a.id,
        day,
        service: Service::Documents,
        booking_id: None,
        token_hash: format!("walk-{n}"),
        starts_at: arrived,
        now: arrived,
    };
    let audited = s.audit_verify(&[]).await.unwrap().entries();
    // Two walk-ins, one before and one after the booked time, and the booking checked in between.
    let (first, fresh) = s.check_in(&actor(), &walk_in(1, at(8, 10))).await.unwrap();
    assert!(fresh && first.booking_id.is_none());
    let checked = NewTicket {
        unit_id: booked.unit_id,
        day,
        service: booked.service,
        booking_id: Some(booked.id),
        token_hash: "booked".into(),
        starts_at: booked.starts_at,
        now: at(8, 15),
    };
    let (ticket, _) = s.check_in(&actor(), &checked).await.unwrap();
    let (second, fresh) = s.check_in(&actor(), &walk_in(2, at(8, 20))).await.unwrap();
    assert!(fresh, "every walk-in is a ticket of its own");
    assert_eq!((first.number, ticket.number, second.number), (1, 2, 3), "one sequence for the office's day");
    assert_eq!(s.audit_verify(&[]).await.unwrap().entries(), audited + 3, "each ticket is audited");
    // Called by time: the first walk-in (8:10), the second (8:20), then the 8:30 booking.
    let order: Vec<i64> = s.queue_of(t.district_a.id, day).await.unwrap().iter().map(|x| x.id).collect();
    assert_eq!(order, vec![first.id, second.id, ticket.id]);
    assert_eq!(s.tickets_ahead(&ticket).await.unwrap(), 2);
    let called = s.call_next(&actor(), t.district_a.id, day, 1, at(8, 21)).await.unwrap().unwrap();
    assert_eq!(called.id, first.id);
});
