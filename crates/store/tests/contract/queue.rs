//! The electronic queue: racing check-ins get distinct numbers of the
//! office's day, a booking keeps its one ticket, and racing desks never call
//! the same ticket — on both databases.
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
        booking_id: b.id,
        token_hash: token,
        starts_at: b.starts_at,
        now: ten,
    };
    let tasks: Vec<_> = bookings
        .iter()
        .map(|b| {
            let (s, t) = (s.clone(), ticket_of(b, format!("token-{}", b.id)));
            tokio::spawn(async move { s.check_in(&t).await.unwrap() })
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
    let (again, fresh) = s.check_in(&ticket_of(&bookings[0], "token-new".into())).await.unwrap();
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
