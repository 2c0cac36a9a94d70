//! The electronic queue at an office (issue 21 §6): a citizen with a booking
//! checks in with its code on the day, gets a ticket (`П-007`: the service's
//! letter and the day's number), follows its position on their phone, and
//! the hall screen shows who is called to which desk. Staff call the next
//! ticket to their desk and mark it served or missed.
//!
//! Pure: the caller passes the clock; numbers and positions are the store's.
use chrono::{DateTime, Duration, Utc};

use crate::Message;
use crate::appointment::Service;
use crate::time::kyiv_time;

/// A citizen may check in from an hour before the booked time…
pub const CHECK_IN_EARLY: Duration = Duration::minutes(60);
/// …until a quarter of an hour after it; later, the time is someone else's.
pub const CHECK_IN_LATE: Duration = Duration::minutes(15);
/// Desks (windows) are numbered 1 to this.
pub const MAX_DESK: i64 = 99;

/// Why a check-in is refused now.
pub fn check_in_window(starts_at: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), Message> {
    let at = kyiv_time(starts_at).format("%d.%m.%Y %H:%M").to_string();
    if now < starts_at - CHECK_IN_EARLY {
        return Err(Message::new("queue.too_early").with("at", at).with("minutes", CHECK_IN_EARLY.num_minutes()));
    }
    if now > starts_at + CHECK_IN_LATE {
        return Err(Message::new("queue.too_late").with("at", at));
    }
    Ok(())
}

/// The letter a service's tickets carry, so the hall tells the queues apart.
pub fn letter(service: Service) -> char {
    match service {
        Service::PensionAssignment => 'П',
        Service::Recalculation => 'Р',
        Service::Certificate => 'С',
        Service::Documents => 'Д',
        Service::Consultation => 'К',
    }
}

/// A ticket as the hall screen shows it: `П-007`.
pub fn label(service: Service, number: i64) -> String {
    format!("{}-{number:03}", letter(service))
}

/// Where a ticket is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Waiting,
    /// Called to a desk.
    Called,
    Served,
    /// Called, and did not come.
    Missed,
}

/// What staff do with a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Call,
    Serve,
    Miss,
}

impl Status {
    pub const ALL: [Status; 4] = [Status::Waiting, Status::Called, Status::Served, Status::Missed];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Waiting => "waiting",
            Status::Called => "called",
            Status::Served => "served",
            Status::Missed => "missed",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Status::Waiting => "queue.status.waiting",
            Status::Called => "queue.status.called",
            Status::Served => "queue.status.served",
            Status::Missed => "queue.status.missed",
        })
    }

    /// The status after `event`; `None` when it cannot happen: a ticket is
    /// called once, and only a called ticket is served or missed.
    pub fn after(self, event: Event) -> Option<Status> {
        match (self, event) {
            (Status::Waiting, Event::Call) => Some(Status::Called),
            (Status::Called, Event::Serve) => Some(Status::Served),
            (Status::Called, Event::Miss) => Some(Status::Missed),
            _ => None,
        }
    }
}

/// A desk number as staff type it.
pub fn desk(typed: &str) -> Result<i64, Message> {
    match typed.trim().parse::<i64>() {
        Ok(n) if (1..=MAX_DESK).contains(&n) => Ok(n),
        _ => Err(Message::new("queue.desk").with("max", MAX_DESK)),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    #[test]
    fn spec_21_6_check_in_opens_an_hour_before_and_closes_a_quarter_after() {
        let starts = Utc.with_ymd_and_hms(2026, 12, 8, 8, 30, 0).unwrap();
        assert_eq!(check_in_window(starts, starts - Duration::minutes(61)).unwrap_err().key, "queue.too_early");
        assert!(check_in_window(starts, starts - Duration::minutes(60)).is_ok());
        assert!(check_in_window(starts, starts + Duration::minutes(15)).is_ok());
        assert_eq!(check_in_window(starts, starts + Duration::minutes(16)).unwrap_err().key, "queue.too_late");
    }

    #[test]
    fn tickets_carry_their_service_s_letter_and_the_day_s_number() {
        assert_eq!(label(Service::PensionAssignment, 7), "П-007");
        assert_eq!(label(Service::Consultation, 123), "К-123");
        let letters: std::collections::HashSet<char> = Service::ALL.into_iter().map(letter).collect();
        assert_eq!(letters.len(), Service::ALL.len(), "one letter per service");
    }

    #[test]
    fn desks_are_numbered_one_to_ninety_nine() {
        assert_eq!(desk(" 3 "), Ok(3));
        assert!(desk("0").is_err() && desk("100").is_err() && desk("три").is_err());
    }

    proptest! {
        #[test]
        fn a_ticket_is_called_once_and_finished_once(i in 0usize..4, e in 0usize..3) {
            let events = [Event::Call, Event::Serve, Event::Miss];
            let s = Status::ALL[i];
            if let Some(next) = s.after(events[e]) {
                prop_assert_ne!(next, s);
                prop_assert_eq!(Status::parse(next.as_str()), Some(next));
                // A finished ticket takes no event at all.
                if matches!(next, Status::Served | Status::Missed) {
                    prop_assert!(events.iter().all(|e| next.after(*e).is_none()));
                }
            }
        }
    }
}
