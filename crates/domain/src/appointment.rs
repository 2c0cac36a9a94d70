//! Appointments at an office, booked without registration (issue 21 §6, the
//! seed's "book an appointment"): which services an office receives for, the
//! slots its schedule makes on a working day, how far ahead and how late a
//! slot may be booked, until when a booking may be moved or cancelled, and the
//! booking code a citizen keeps instead of an account.
//!
//! Pure: the caller passes the clock and random bytes. Capacity is counted by
//! the store, in the transaction that books, so racing citizens cannot pass it.
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};

use crate::calendar::WorkingCalendar;
use crate::i18n::Message;
use crate::time::{kyiv_instant, kyiv_time};

/// What a citizen comes to the office for; each has its own queue of slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Service {
    /// Applying for a pension (assignment), with the documents.
    PensionAssignment,
    /// Recalculating or transferring a pension already paid.
    Recalculation,
    /// Collecting or applying for a pension certificate.
    Certificate,
    /// Handing in or collecting other documents and statements.
    Documents,
    /// Advice only.
    Consultation,
}

impl Service {
    pub const ALL: [Service; 5] = [
        Service::PensionAssignment,
        Service::Recalculation,
        Service::Certificate,
        Service::Documents,
        Service::Consultation,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Service::PensionAssignment => "pension_assignment",
            Service::Recalculation => "recalculation",
            Service::Certificate => "certificate",
            Service::Documents => "documents",
            Service::Consultation => "consultation",
        }
    }

    pub fn parse(s: &str) -> Option<Service> {
        Service::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Service::PensionAssignment => "appointment.service.pension_assignment",
            Service::Recalculation => "appointment.service.recalculation",
            Service::Certificate => "appointment.service.certificate",
            Service::Documents => "appointment.service.documents",
            Service::Consultation => "appointment.service.consultation",
        })
    }
}

/// When an office receives by appointment, on Kyiv's clocks: its hours per
/// weekday (Monday first; `None` closed), a break no slot overlaps, and the
/// length of one slot. Days off of the working calendar are closed too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub days: [Option<(NaiveTime, NaiveTime)>; 7],
    pub pause: Option<(NaiveTime, NaiveTime)>,
    pub slot: Duration,
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap_or(NaiveTime::MIN)
}

impl Default for Schedule {
    /// A Ukrainian fund office's usual hours: Monday to Thursday 8:00–17:00,
    /// Friday to 15:45, lunch 12:00–12:45, half-hour slots.
    fn default() -> Schedule {
        let day = Some((hm(8, 0), hm(17, 0)));
        Schedule {
            days: [day, day, day, day, Some((hm(8, 0), hm(15, 45))), None, None],
            pause: Some((hm(12, 0), hm(12, 45))),
            slot: Duration::minutes(30),
        }
    }
}

impl Schedule {
    /// The start times of the slots on `day` (local), earliest first: none on
    /// a closed weekday or a day off. A slot that would overlap the break
    /// starts after it; a slot that would run past closing is not offered.
    pub fn slots(&self, calendar: &WorkingCalendar, day: NaiveDate) -> Vec<NaiveTime> {
        let Some((open, close)) = self.days[day.weekday().num_days_from_monday() as usize] else {
            return Vec::new();
        };
        if self.slot <= Duration::zero() || !calendar.is_working_day(day) {
            return Vec::new();
        }
        let mut out = Vec::new();
        let mut t = day.and_time(open);
        let close = day.and_time(close);
        while t + self.slot <= close {
            if let Some((from, to)) = self.pause {
                let (from, to) = (day.and_time(from), day.and_time(to));
                if t < to && t + self.slot > from {
                    t = to;
                    continue;
                }
            }
            out.push(t.time());
            t += self.slot;
        }
        out
    }

    /// Whether `local` is the start of one of the schedule's slots.
    pub fn is_slot(&self, calendar: &WorkingCalendar, local: NaiveDateTime) -> bool {
        self.slots(calendar, local.date()).contains(&local.time())
    }
}

/// How far ahead, how late, and until when: the booking rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rules {
    /// The last day that may be booked, counted from today.
    pub horizon_days: u32,
    /// The least time between booking and the slot (the office prepares).
    pub lead: Duration,
    /// A booking may be moved or cancelled until this long before its slot.
    pub change_until: Duration,
    /// The reminder goes this long before the slot.
    pub remind_before: Duration,
}

impl Default for Rules {
    fn default() -> Rules {
        Rules {
            horizon_days: 30,
            lead: Duration::hours(2),
            change_until: Duration::hours(24),
            remind_before: Duration::hours(24),
        }
    }
}

/// Why a slot cannot be booked (each a message a citizen reads).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Not one of the office's slots (closed, a day off, an odd time).
    NotASlot,
    /// Closer than the lead time (or past).
    TooSoon,
    /// Beyond the horizon.
    TooFar,
    /// Every place is taken.
    Full,
    /// Within `change_until` of the slot: no longer moved or cancelled here.
    TooLateToChange,
    /// Already cancelled (or past): nothing to change.
    NotLive,
}

impl Refusal {
    pub fn message(self) -> Message {
        Message::new(match self {
            Refusal::NotASlot => "appointment.not_a_slot",
            Refusal::TooSoon => "appointment.too_soon",
            Refusal::TooFar => "appointment.too_far",
            Refusal::Full => "appointment.full",
            Refusal::TooLateToChange => "appointment.too_late_to_change",
            Refusal::NotLive => "appointment.not_live",
        })
    }
}

impl Rules {
    /// The days a citizen may choose from at `now`: today to the horizon (Kyiv dates).
    pub fn days(&self, now: DateTime<Utc>) -> impl Iterator<Item = NaiveDate> {
        let today = kyiv_time(now).date_naive();
        (0..=i64::from(self.horizon_days)).map(move |n| today + Duration::days(n))
    }

    /// Whether the slot starting at `local` (Kyiv time) may be booked at `now`.
    pub fn check(
        &self,
        schedule: &Schedule,
        calendar: &WorkingCalendar,
        now: DateTime<Utc>,
        local: NaiveDateTime,
    ) -> Result<DateTime<Utc>, Refusal> {
        if !schedule.is_slot(calendar, local) {
            return Err(Refusal::NotASlot);
        }
        let starts = kyiv_instant(local);
        if starts < now + self.lead {
            return Err(Refusal::TooSoon);
        }
        let last_day = kyiv_time(now).date_naive() + Duration::days(i64::from(self.horizon_days));
        if local.date() > last_day {
            return Err(Refusal::TooFar);
        }
        Ok(starts)
    }

    /// Whether a booking of the slot at `starts` may still be moved or cancelled at `now`.
    pub fn may_change(&self, now: DateTime<Utc>, starts: DateTime<Utc>) -> Result<(), Refusal> {
        if now + self.change_until <= starts { Ok(()) } else { Err(Refusal::TooLateToChange) }
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Booked,
    /// Cancelled by the citizen (or moved: the old slot is freed, the booking keeps its code).
    Cancelled,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Booked => "booked",
            Status::Cancelled => "cancelled",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        [Status::Booked, Status::Cancelled].into_iter().find(|x| x.as_str() == s)
    }
}

/// A phone number as a citizen types it, kept as `+` and its digits
/// (E.164: 8 to 15 digits). A Ukrainian number written nationally
/// (`0XX XXX XX XX`) gets its country code.
pub fn phone_number(typed: &str) -> Option<String> {
    let t = typed.trim();
    if t.is_empty() || t.chars().any(|c| !(c.is_ascii_digit() || " -()+".contains(c))) {
        return None;
    }
    let plus = t.starts_with('+');
    if t.chars().skip(1).any(|c| c == '+') {
        return None;
    }
    let digits: String = t.chars().filter(char::is_ascii_digit).collect();
    let digits = if !plus && digits.len() == 10 && digits.starts_with('0') { format!("38{digits}") } else { digits };
    (8..=15).contains(&digits.len()).then(|| format!("+{digits}"))
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use proptest::prelude::*;

    use super::*;

    fn cal() -> WorkingCalendar {
        WorkingCalendar::law_2023(false)
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_working_day_has_half_hour_slots_around_lunch() {
        // Tuesday 8 December 2026.
        let slots = Schedule::default().slots(&cal(), day(2026, 12, 8));
        assert_eq!(slots.first(), Some(&hm(8, 0)));
        assert_eq!(slots.last(), Some(&hm(16, 15)));
        assert!(slots.contains(&hm(11, 30)));
        // 12:00–12:45 is lunch: the next slot starts when it ends.
        assert!(!slots.contains(&hm(12, 0)) && !slots.contains(&hm(12, 30)));
        assert!(slots.contains(&hm(12, 45)));
        // 8:00–12:00 gives 8, 12:45–17:00 gives 8 (the last from 16:15; a ninth would end at 17:15).
        assert_eq!(slots.len(), 16);
        // Friday closes at 15:45: the last slot starts at 15:15.
        assert_eq!(Schedule::default().slots(&cal(), day(2026, 12, 11)).last(), Some(&hm(15, 15)));
    }

    #[test]
    fn weekends_and_days_off_have_no_slots() {
        assert!(Schedule::default().slots(&cal(), day(2026, 12, 12)).is_empty());
        assert!(Schedule::default().slots(&cal(), day(2026, 12, 13)).is_empty());
        // 25 December is a holiday in peacetime's calendar.
        assert!(Schedule::default().slots(&cal(), day(2026, 12, 25)).is_empty());
    }

    #[test]
    fn a_slot_is_booked_no_sooner_than_the_lead_time_and_no_further_than_the_horizon() {
        let rules = Rules::default();
        let s = Schedule::default();
        // Monday 7 December 2026, 9:00 Kyiv (7:00 UTC, winter time).
        let now = Utc.with_ymd_and_hms(2026, 12, 7, 7, 0, 0).unwrap();
        let at = |d: NaiveDate, h, m| d.and_time(hm(h, m));
        assert_eq!(rules.check(&s, &cal(), now, at(day(2026, 12, 7), 10, 30)), Err(Refusal::TooSoon));
        assert_eq!(
            rules.check(&s, &cal(), now, at(day(2026, 12, 7), 11, 0)),
            Ok(Utc.with_ymd_and_hms(2026, 12, 7, 9, 0, 0).unwrap())
        );
        assert_eq!(rules.check(&s, &cal(), now, at(day(2026, 12, 7), 11, 10)), Err(Refusal::NotASlot));
        assert_eq!(rules.check(&s, &cal(), now, at(day(2026, 12, 12), 10, 0)), Err(Refusal::NotASlot));
        assert!(rules.check(&s, &cal(), now, at(day(2027, 1, 6), 10, 0)).is_ok());
        assert_eq!(rules.check(&s, &cal(), now, at(day(2027, 1, 7), 10, 0)), Err(Refusal::TooFar));
    }

    #[test]
    fn spec_21_6_rebook_or_cancel_until_24_hours_before() {
        let rules = Rules::default();
        let starts = Utc.with_ymd_and_hms(2026, 12, 9, 8, 0, 0).unwrap();
        assert!(rules.may_change(starts - Duration::hours(24), starts).is_ok());
        assert_eq!(
            rules.may_change(starts - Duration::hours(24) + Duration::seconds(1), starts),
            Err(Refusal::TooLateToChange)
        );
    }

    #[test]
    fn phone_numbers_are_kept_in_international_form() {
        assert_eq!(phone_number("067 123 45 67").as_deref(), Some("+380671234567"));
        assert_eq!(phone_number("+380 (67) 123-45-67").as_deref(), Some("+380671234567"));
        assert_eq!(phone_number("+84 912 345 678").as_deref(), Some("+84912345678"));
        for bad in ["", "12345", "+38067+1234567", "call me", "+1234567890123456"] {
            assert_eq!(phone_number(bad), None, "{bad}");
        }
    }

    #[test]
    fn every_service_round_trips_and_is_worded() {
        for s in Service::ALL {
            assert_eq!(Service::parse(s.as_str()), Some(s));
            assert!(crate::i18n::has(s.message().key), "{s:?}");
        }
        for r in [
            Refusal::NotASlot,
            Refusal::TooSoon,
            Refusal::TooFar,
            Refusal::Full,
            Refusal::TooLateToChange,
            Refusal::NotLive,
        ] {
            assert!(crate::i18n::has(r.message().key), "{r:?}");
        }
    }

    proptest! {
        #[test]
        fn slots_lie_within_the_hours_and_never_overlap_the_break(offset in 0i64..400) {
            let d = day(2026, 1, 1) + Duration::days(offset);
            let s = Schedule::default();
            let slots = s.slots(&cal(), d);
            for w in slots.windows(2) {
                prop_assert!(w[0] + s.slot <= w[1]);
            }
            if let (Some((open, close)), Some((from, to))) = (s.days[d.weekday().num_days_from_monday() as usize], s.pause) {
                for t in slots {
                    let end = t + s.slot;
                    prop_assert!(t >= open && end <= close);
                    prop_assert!(end <= from || t >= to);
                }
            }
        }
    }
}
