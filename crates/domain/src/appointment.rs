//! Appointments at an office, booked without registration (issue 21 §6, the
//! seed's "book an appointment"): which services an office receives for, the
//! slots its schedule makes on a working day, how far ahead and how late a
//! slot may be booked, until when a booking may be moved or cancelled, and the
//! booking code a citizen keeps instead of an account.
//!
//! Pure: the caller passes the clock and random bytes. Capacity is counted by
//! the store, in the transaction that books, so racing citizens cannot pass it.
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::Invalid;
use crate::calendar::WorkingCalendar;
use crate::i18n::Message;
use crate::time::{kyiv_instant, kyiv_time};

/// What a citizen comes to the office for; each has its own queue of slots.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
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

impl std::fmt::Display for Service {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// When an office receives by appointment, on Kyiv's clocks: its hours per
/// weekday (Monday first; `None` closed), a break no slot overlaps, and the
/// length of one slot. Holidays and the calendar's days off are closed too.
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
        // The weekday's own hours decide weekends (an office may open on
        // Saturdays); holidays and configured days off close every office.
        if self.slot <= Duration::zero() || calendar.is_public_day_off(day) {
            return Vec::new();
        }
        self.slots_between(day.and_time(open), day.and_time(close))
    }

    /// The slots of one day's opening hours, the break left out.
    fn slots_between(&self, open: NaiveDateTime, close: NaiveDateTime) -> Vec<NaiveTime> {
        let day = open.date();
        let mut out = Vec::new();
        let mut t = open;
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

/// How one office receives by appointment: its hours, the services it
/// receives for, and the places of each slot. Built only valid — from its
/// form, or as the fund's default — so every office a citizen can pick has
/// times to offer. An office without its own receives by the fund's default
/// (the `[appointments]` settings, every service).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "ReceptionForm", into = "ReceptionForm")]
pub struct Reception {
    schedule: Schedule,
    /// Sorted, each once, never empty.
    services: Vec<Service>,
    places: i64,
}

/// A reception as written in the API and kept in the store: times as
/// `08:00-17:00` on Kyiv's clocks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReceptionForm {
    /// Hours by weekday; a day left out is closed (as are the calendar's days off).
    pub hours: WeekHours,
    /// A break no slot overlaps, e.g. `12:00-12:45`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub pause: Option<String>,
    /// The length of one slot, 5 to 240 minutes.
    pub slot_minutes: i64,
    /// What the office receives for, each once.
    pub services: Vec<Service>,
    /// Citizens received at once in one slot for one service, 1 to 100.
    pub places: i64,
}

/// Opening and closing by weekday, e.g. `08:00-17:00`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WeekHours {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub mon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub tue: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub wed: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub thu: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub fri: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub sat: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(max = 20))]
    pub sun: Option<String>,
}

impl WeekHours {
    /// The days' names in the form, Monday first.
    pub const NAMES: [&'static str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

    /// Each day's hours, Monday first.
    pub fn days(&self) -> [&Option<String>; 7] {
        [&self.mon, &self.tue, &self.wed, &self.thu, &self.fri, &self.sat, &self.sun]
    }

    pub fn from_days(days: [Option<String>; 7]) -> WeekHours {
        let [mon, tue, wed, thu, fri, sat, sun] = days;
        WeekHours { mon, tue, wed, thu, fri, sat, sun }
    }
}

/// `08:00-17:00` (a hyphen or an en dash, spaces allowed): a span of one day,
/// its start before its end.
fn span(text: &str) -> Option<(NaiveTime, NaiveTime)> {
    let (from, to) = text.split_once(['-', '–'])?;
    let time = |t: &str| NaiveTime::parse_from_str(t.trim(), "%H:%M").ok();
    let (from, to) = (time(from)?, time(to)?);
    (from < to).then_some((from, to))
}

fn span_text((from, to): (NaiveTime, NaiveTime)) -> String {
    format!("{}-{}", from.format("%H:%M"), to.format("%H:%M"))
}

/// Bounds of a reception's numbers.
const SLOT_MINUTES: std::ops::RangeInclusive<i64> = 5..=240;
const PLACES: std::ops::RangeInclusive<i64> = 1..=100;

impl Reception {
    /// The fund's default: its schedule and places, every service.
    pub fn fund_default(schedule: Schedule, places: i64) -> Reception {
        Reception { schedule, services: Service::ALL.to_vec(), places }
    }

    /// Checks a form: every problem at once, each under its field
    /// (`hours.mon`, `pause`, `slot_minutes`, `services`, `places`).
    pub fn from_form(form: &ReceptionForm) -> Result<Reception, Invalid> {
        let mut invalid = Invalid::default();
        let mut days = [None; 7];
        for (i, day) in form.hours.days().into_iter().enumerate() {
            let Some(text) = day.as_deref().map(str::trim).filter(|t| !t.is_empty()) else { continue };
            match span(text) {
                Some(s) => days[i] = Some(s),
                None => invalid.push(format!("hours.{}", WeekHours::NAMES[i]), "appointment.reception.span"),
            }
        }
        let pause = match form.pause.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            Some(text) => {
                let s = span(text);
                if s.is_none() {
                    invalid.push("pause", "appointment.reception.span");
                }
                s
            }
            None => None,
        };
        if !SLOT_MINUTES.contains(&form.slot_minutes) {
            let m = Message::new("appointment.reception.slot_minutes")
                .with("min", *SLOT_MINUTES.start())
                .with("max", *SLOT_MINUTES.end());
            invalid.push("slot_minutes", m);
        }
        if !PLACES.contains(&form.places) {
            let m =
                Message::new("appointment.reception.places").with("min", *PLACES.start()).with("max", *PLACES.end());
            invalid.push("places", m);
        }
        if form.services.is_empty() {
            invalid.push("services", "appointment.reception.services");
        } else if let Err(repeated) = Invalid::each_once("services", &form.services) {
            invalid.0.extend(repeated.0);
        }
        invalid.into_result()?;
        let schedule = Schedule { days, pause, slot: Duration::minutes(form.slot_minutes) };
        // Some open day must fit a slot, or the office could be chosen and never booked.
        let fits = |(open, close): (NaiveTime, NaiveTime)| {
            let day = NaiveDate::default();
            !schedule.slots_between(day.and_time(open), day.and_time(close)).is_empty()
        };
        if !schedule.days.iter().flatten().any(|&d| fits(d)) {
            return Err(Invalid::one("hours", "appointment.reception.no_slots"));
        }
        let mut services = form.services.clone();
        services.sort();
        Ok(Reception { schedule, services, places: form.places })
    }

    /// The form that builds this reception again.
    pub fn form(&self) -> ReceptionForm {
        ReceptionForm {
            hours: WeekHours::from_days(self.schedule.days.map(|d| d.map(span_text))),
            pause: self.schedule.pause.map(span_text),
            slot_minutes: self.schedule.slot.num_minutes(),
            services: self.services.clone(),
            places: self.places,
        }
    }

    pub fn schedule(&self) -> &Schedule {
        &self.schedule
    }

    /// What the office receives for, in a stable order.
    pub fn services(&self) -> &[Service] {
        &self.services
    }

    pub fn offers(&self, service: Service) -> bool {
        self.services.contains(&service)
    }

    /// Places of one slot for one service.
    pub fn places(&self) -> i64 {
        self.places
    }
}

impl TryFrom<ReceptionForm> for Reception {
    type Error = String;
    fn try_from(form: ReceptionForm) -> Result<Reception, String> {
        Reception::from_form(&form).map_err(|e| e.to_string())
    }
}

impl From<Reception> for ReceptionForm {
    fn from(r: Reception) -> ReceptionForm {
        r.form()
    }
}

/// Read and written as its form.
impl JsonSchema for Reception {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        ReceptionForm::schema_name()
    }
    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        ReceptionForm::json_schema(generator)
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

    fn form() -> ReceptionForm {
        ReceptionForm {
            hours: WeekHours {
                tue: Some("09:00-18:00".into()),
                sat: Some(" 10:00 – 14:00 ".into()),
                ..WeekHours::default()
            },
            pause: Some("13:00-14:00".into()),
            slot_minutes: 20,
            services: vec![Service::Consultation, Service::Certificate],
            places: 3,
        }
    }

    #[test]
    fn spec_21_6_an_office_receives_on_its_own_hours_for_its_own_services() {
        let r = Reception::from_form(&form()).unwrap();
        assert!(r.offers(Service::Certificate) && !r.offers(Service::PensionAssignment));
        assert_eq!(r.services(), [Service::Certificate, Service::Consultation]);
        assert_eq!(r.places(), 3);
        // Tuesday 8 December 2026: 9:00–13:00 and 14:00–18:00 in 20 minutes.
        let tue = r.schedule().slots(&cal(), day(2026, 12, 8));
        assert_eq!((tue.first(), tue.last(), tue.len()), (Some(&hm(9, 0)), Some(&hm(17, 40)), 24));
        // Saturday the 12th is open until the break at 13:00; Monday the 7th is closed.
        assert_eq!(r.schedule().slots(&cal(), day(2026, 12, 12)).len(), 9);
        assert!(r.schedule().slots(&cal(), day(2026, 12, 7)).is_empty());
        // Written back in its canonical form, it builds the same reception.
        let written = r.form();
        assert_eq!(written.hours.sat.as_deref(), Some("10:00-14:00"));
        assert_eq!(Reception::from_form(&written), Ok(r.clone()));
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(serde_json::from_str::<Reception>(&json).unwrap(), r);
    }

    #[test]
    fn a_reception_that_cannot_work_is_refused_with_every_reason() {
        let bad = ReceptionForm {
            hours: WeekHours { mon: Some("17:00-08:00".into()), tue: Some("8-17".into()), ..WeekHours::default() },
            pause: Some("noon".into()),
            slot_minutes: 0,
            services: vec![Service::Documents, Service::Documents],
            places: 0,
        };
        let e = Reception::from_form(&bad).unwrap_err();
        for (field, key) in [
            ("hours.mon", "appointment.reception.span"),
            ("hours.tue", "appointment.reception.span"),
            ("pause", "appointment.reception.span"),
            ("slot_minutes", "appointment.reception.slot_minutes"),
            ("places", "appointment.reception.places"),
            ("services[1]", "common.repeated_item"),
        ] {
            assert!(e.has(field, key), "{field} {key}: {e:?}");
        }
        let none = ReceptionForm { services: vec![], ..form() };
        assert!(Reception::from_form(&none).unwrap_err().has("services", "appointment.reception.services"));
        // Open hours too short for one slot: the office could never be booked.
        let short = ReceptionForm {
            hours: WeekHours { wed: Some("09:00-09:15".into()), ..WeekHours::default() },
            pause: None,
            ..form()
        };
        assert!(Reception::from_form(&short).unwrap_err().has("hours", "appointment.reception.no_slots"));
        // A form kept in the store is checked on the way back too.
        assert!(
            serde_json::from_str::<Reception>(r#"{"hours":{},"slot_minutes":30,"services":[],"places":1}"#).is_err()
        );
        for key in [
            "appointment.reception.span",
            "appointment.reception.slot_minutes",
            "appointment.reception.places",
            "appointment.reception.services",
            "appointment.reception.no_slots",
            "appointment.service_not_offered",
        ] {
            assert!(crate::i18n::has(key), "{key}");
        }
    }

    #[test]
    fn the_fund_default_receives_for_every_service() {
        let r = Reception::fund_default(Schedule::default(), 2);
        assert_eq!(r.services(), Service::ALL);
        assert_eq!(Reception::from_form(&r.form()), Ok(r));
    }

    proptest! {
        #[test]
        fn a_valid_reception_round_trips_through_its_form(
            days in proptest::collection::vec(proptest::option::of((0u32..24, 0u32..60, 1u32..600)), 7),
            pause in proptest::option::of((0u32..24, 0u32..60, 1u32..120)),
            slot_minutes in 0i64..300,
            services in proptest::sample::subsequence(Service::ALL.to_vec(), 0..=5),
            places in -1i64..120,
        ) {
            let text = |(h, m, len): (u32, u32, u32)| {
                let from = hm(h, m);
                let to = from.overflowing_add_signed(Duration::minutes(i64::from(len))).0;
                format!("{}-{}", from.format("%H:%M"), to.format("%H:%M"))
            };
            let d: Vec<Option<String>> = days.into_iter().map(|d| d.map(text)).collect();
            let hours = WeekHours::from_days([0, 1, 2, 3, 4, 5, 6].map(|i| d[i].clone()));
            let form = ReceptionForm { hours, pause: pause.map(text), slot_minutes, services, places };
            if let Ok(r) = Reception::from_form(&form) {
                prop_assert_eq!(Reception::from_form(&r.form()), Ok(r.clone()));
                prop_assert!(r.schedule().days.iter().flatten().all(|(a, b)| a < b));
                prop_assert!(!r.services().is_empty() && PLACES.contains(&r.places()));
            }
        }

        #[test]
        fn any_typed_span_is_read_or_refused_without_panic(text in "\\PC{0,24}") {
            if let Some((a, b)) = span(&text) {
                prop_assert!(a < b);
            }
        }

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
