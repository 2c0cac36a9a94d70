//! What a citizen is told about a document Dossier makes for them: the
//! milestone it has reached, in words a citizen uses, and when it should be
//! ready. Staff see every internal stage (`lifecycle::Stage`); a citizen sees
//! a handful of milestones — the migration service's status check (seed 001)
//! tells five, "accepted … data being checked … sent to personalisation …
//! produced and sent … delivered, may be collected" — so several stages map to
//! one milestone and a citizen is told only when the milestone changes.
//!
//! The estimated ready date comes from the deadlines Dossier already tracks
//! (`production`): the deadline of the step a certificate waits for, plus the
//! longest the regulation allows for each step after it. When that deadline
//! has passed without the step done, the estimate is counted again from
//! today and marked revised, so the citizen's page can apologise rather than
//! show a date in the past.
use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::Message;
use crate::calendar::WorkingCalendar;
use crate::e_application::Status as EStatus;
use crate::intake::IntakeStatus;
use crate::lifecycle::{CertificateForm, Stage};
use crate::production::{DISTRICT_TRANSFER_TERM, PRODUCTION_TERM, REGION_TRANSFER_GAP, card_ready_by};
use crate::time::kyiv_time;

/// A milestone as the citizen sees it; its words are the catalogue's
/// `tracking-milestone-<name>` (uk, en, …).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Milestone {
    /// The application was accepted at the office.
    Accepted,
    /// Checks before production (the duplicate check); nothing for the citizen to do.
    BeingChecked,
    /// Being produced (paper) or personalised (card).
    InProduction,
    /// Paper: produced and on its way to the office.
    OnItsWay,
    /// Paper: at the office, ready to collect. Card: at the bank branch.
    ReadyForCollection,
    /// Handed to the holder (or the representative).
    Issued,
    /// Card: the holder activated it.
    Activated,
    /// Card: blocked by the bank.
    Blocked,
    /// No longer in use: returned, lost, destroyed or withdrawn by the bank.
    Ended,
    /// The citizen withdrew the application.
    ApplicationWithdrawn,
    /// Production was refused; the office explains why.
    Refused,
    /// Shared document: the fund asked; the request waits in the citizen's wallet.
    ConsentAwaited,
    /// Shared document: the citizen consented; the copy is on its way.
    BeingDelivered,
    /// Shared document: the fund has the copy.
    Received,
    /// Shared document: declined, or no answer in time — nothing was shared.
    NotShared,
    /// Shared document: the code was refused or the copy could not be delivered.
    NotReceived,
    /// E-application: waiting for the citizen's signature in the wallet.
    AwaitingSignature,
    /// E-application: signed and under review at the office.
    UnderReview,
    /// E-application: granted; the signed decision is in the personal account.
    Granted,
    /// E-application: refused, with reasons in the signed decision.
    Denied,
    /// E-application: never signed, so never submitted.
    NotSubmitted,
}

impl Milestone {
    /// The milestone a certificate of `form` at `stage` has reached.
    pub fn of(form: CertificateForm, stage: Stage) -> Milestone {
        use Stage::*;
        match (form, stage) {
            (_, Accepted) => Milestone::Accepted,
            (_, DuplicateHold) => Milestone::BeingChecked,
            (CertificateForm::Paper, SubmittedToRegion | SubmittedToCentral | InProduction) => Milestone::InProduction,
            (CertificateForm::Paper, Produced | AtRegion) => Milestone::OnItsWay,
            (_, SentToBank | AccountOpened | AtPersonalizer | KeysGenerated | KeysCertified | Personalized) => {
                Milestone::InProduction
            }
            (_, AtDistrict | AtBranch) => Milestone::ReadyForCollection,
            (_, Issued) => Milestone::Issued,
            (_, Active) => Milestone::Activated,
            (_, Blocked) => Milestone::Blocked,
            (_, Returned | Lost | WithdrawnByBank | Destroyed) => Milestone::Ended,
            (_, Withdrawn) => Milestone::ApplicationWithdrawn,
            (_, Refused) => Milestone::Refused,
            // A stage of the other form's path cannot be reached (the life
            // cycle refuses it); the nearest milestone keeps the answer total.
            (CertificateForm::Card, SubmittedToRegion | SubmittedToCentral | InProduction) => Milestone::InProduction,
            (CertificateForm::Card, Produced | AtRegion) => Milestone::InProduction,
        }
    }

    /// The stable name (API, templates) and the catalogue key side by side.
    fn names(self) -> (&'static str, &'static str) {
        match self {
            Milestone::Accepted => ("accepted", "tracking.milestone.accepted"),
            Milestone::BeingChecked => ("being_checked", "tracking.milestone.being_checked"),
            Milestone::InProduction => ("in_production", "tracking.milestone.in_production"),
            Milestone::OnItsWay => ("on_its_way", "tracking.milestone.on_its_way"),
            Milestone::ReadyForCollection => ("ready", "tracking.milestone.ready"),
            Milestone::Issued => ("issued", "tracking.milestone.issued"),
            Milestone::Activated => ("activated", "tracking.milestone.activated"),
            Milestone::Blocked => ("blocked", "tracking.milestone.blocked"),
            Milestone::Ended => ("ended", "tracking.milestone.ended"),
            Milestone::ApplicationWithdrawn => ("application_withdrawn", "tracking.milestone.application_withdrawn"),
            Milestone::Refused => ("refused", "tracking.milestone.refused"),
            Milestone::ConsentAwaited => ("consent_awaited", "tracking.milestone.consent_awaited"),
            Milestone::BeingDelivered => ("being_delivered", "tracking.milestone.being_delivered"),
            Milestone::Received => ("received", "tracking.milestone.received"),
            Milestone::NotShared => ("not_shared", "tracking.milestone.not_shared"),
            Milestone::NotReceived => ("not_received", "tracking.milestone.not_received"),
            Milestone::AwaitingSignature => ("awaiting_signature", "tracking.milestone.awaiting_signature"),
            Milestone::UnderReview => ("under_review", "tracking.milestone.under_review"),
            Milestone::Granted => ("granted", "tracking.milestone.granted"),
            Milestone::Denied => ("denied", "tracking.milestone.denied"),
            Milestone::NotSubmitted => ("not_submitted", "tracking.milestone.not_submitted"),
        }
    }

    /// The stable name, e.g. `ready`.
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    /// The milestone in the reader's language.
    pub fn message(self) -> Message {
        Message::new(self.names().1)
    }

    /// The milestones a document of `form` passes on its way to its holder,
    /// in order: the progress line of the status page.
    pub fn path(form: CertificateForm) -> &'static [Milestone] {
        match form {
            CertificateForm::Paper => &[
                Milestone::Accepted,
                Milestone::InProduction,
                Milestone::OnItsWay,
                Milestone::ReadyForCollection,
                Milestone::Issued,
            ],
            CertificateForm::Card => &[
                Milestone::Accepted,
                Milestone::InProduction,
                Milestone::ReadyForCollection,
                Milestone::Issued,
                Milestone::Activated,
            ],
        }
    }

    /// The milestone a document request shared from a wallet has reached.
    /// A code the hub has not taken yet waits like one it has: for the
    /// citizen, the fund has asked either way.
    pub fn of_request(status: IntakeStatus) -> Milestone {
        match status {
            IntakeStatus::Submitting | IntakeStatus::WaitingConsent => Milestone::ConsentAwaited,
            IntakeStatus::Approved => Milestone::BeingDelivered,
            IntakeStatus::Delivered => Milestone::Received,
            IntakeStatus::Declined | IntakeStatus::Expired => Milestone::NotShared,
            IntakeStatus::Refused | IntakeStatus::Failed => Milestone::NotReceived,
        }
    }

    /// The progress line of a shared document on its way.
    const REQUEST_PATH: &'static [Milestone] =
        &[Milestone::ConsentAwaited, Milestone::BeingDelivered, Milestone::Received];

    /// The progress line of a shared document in `status`: one that ended
    /// without a copy ends where it stopped, with no steps left "not yet".
    pub fn request_path(status: IntakeStatus) -> &'static [Milestone] {
        match Milestone::of_request(status) {
            Milestone::NotShared => &[Milestone::ConsentAwaited, Milestone::NotShared],
            Milestone::NotReceived => &[Milestone::ConsentAwaited, Milestone::BeingDelivered, Milestone::NotReceived],
            _ => Milestone::REQUEST_PATH,
        }
    }

    /// The milestone an e-application has reached.
    pub fn of_e_application(status: EStatus) -> Milestone {
        match status {
            EStatus::Signing => Milestone::AwaitingSignature,
            EStatus::Submitted => Milestone::UnderReview,
            EStatus::Granted => Milestone::Granted,
            EStatus::Refused => Milestone::Denied,
            EStatus::Abandoned => Milestone::NotSubmitted,
        }
    }

    /// The progress line of an e-application in `status`.
    pub fn e_application_path(status: EStatus) -> &'static [Milestone] {
        match status {
            EStatus::Abandoned => &[Milestone::AwaitingSignature, Milestone::NotSubmitted],
            EStatus::Refused => &[Milestone::AwaitingSignature, Milestone::UnderReview, Milestone::Denied],
            _ => &[Milestone::AwaitingSignature, Milestone::UnderReview, Milestone::Granted],
        }
    }

    /// Whether the document has reached its holder (nothing left to estimate).
    pub fn is_done(self) -> bool {
        matches!(
            self,
            Milestone::Issued
                | Milestone::Activated
                | Milestone::Blocked
                | Milestone::Ended
                | Milestone::ApplicationWithdrawn
                | Milestone::Refused
                | Milestone::Received
                | Milestone::NotShared
                | Milestone::NotReceived
                | Milestone::Granted
                | Milestone::Denied
                | Milestone::NotSubmitted
        )
    }
}

/// An application number as people type it — `З-2026-0000042`, with spaces,
/// without dashes, with a Latin `Z` or a digit `3` for the Cyrillic `З` (the
/// migration service's check took three spellings of one number) — in its
/// one stored form, or `None` when it cannot be one.
pub fn case_number(typed: &str) -> Option<String> {
    let compact: String = typed.chars().filter(|c| !c.is_whitespace() && *c != '-' && *c != '–').collect();
    let mut chars = compact.chars();
    let letter = chars.next()?;
    if !matches!(letter, 'З' | 'з' | 'Z' | 'z' | '3') {
        return None;
    }
    let digits: String = chars.collect();
    if digits.len() != 11 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    Some(format!("З-{}-{}", &digits[..4], &digits[4..]))
}

/// When a document should be ready for collection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// The day (Kyiv time) it should be ready for collection.
    pub ready_by: NaiveDate,
    /// A deadline was missed: counted again from today (the page apologises).
    pub revised: bool,
}

impl Estimate {
    /// "Expected to be ready by …", or the apology with the new date.
    pub fn message(self) -> Message {
        let key = if self.revised { "tracking.estimate_revised" } else { "tracking.estimate" };
        Message::new(key).with("date", self.ready_by.format("%d.%m.%Y"))
    }
}

/// Where a certificate stands, as the estimate needs it.
#[derive(Debug, Clone, Copy)]
pub struct Progress {
    pub form: CertificateForm,
    pub stage: Stage,
    /// When it entered its current stage.
    pub stage_at: DateTime<Utc>,
    /// When the application was accepted.
    pub accepted_at: DateTime<Utc>,
    /// The deadline of the step it waits for (`production::deadline_after`).
    pub due_at: Option<DateTime<Utc>>,
}

/// The longest the regulation allows from the end of the step a paper
/// certificate at `stage` waits for until it is at the district office.
fn paper_after(stage: Stage) -> Option<Duration> {
    use Stage::*;
    // District batch (Monday 12:00) → region consolidation (Tuesday 12:00) is a day.
    let from_region = PRODUCTION_TERM + REGION_TRANSFER_GAP + DISTRICT_TRANSFER_TERM;
    match stage {
        Accepted => Some(Duration::days(1) + from_region),
        SubmittedToRegion => Some(from_region),
        SubmittedToCentral | DuplicateHold | InProduction => Some(REGION_TRANSFER_GAP + DISTRICT_TRANSFER_TERM),
        AtRegion => Some(Duration::zero()),
        _ => None,
    }
}

/// The estimated ready date of a certificate, or `None` when it is ready or
/// done already (or waits for a decision with no term, such as a card held
/// at the duplicate check whose term has passed — see below).
pub fn estimate(p: &Progress, now: DateTime<Utc>, calendar: &WorkingCalendar) -> Option<Estimate> {
    let milestone = Milestone::of(p.form, p.stage);
    if milestone.is_done() || milestone == Milestone::ReadyForCollection {
        return None;
    }
    let day = |t: DateTime<Utc>| kyiv_time(t).date_naive();
    match p.form {
        CertificateForm::Paper => {
            // Produced certificates wait for the region's act, at least twice a month.
            let (deadline, after) = match (p.stage, p.due_at) {
                (Stage::Produced, _) => (p.stage_at + REGION_TRANSFER_GAP, DISTRICT_TRANSFER_TERM),
                (stage, Some(due)) => (due, paper_after(stage)?),
                (stage, None) => (now, paper_after(stage)?),
            };
            let revised = deadline < now;
            let base = if revised { now } else { deadline };
            Some(Estimate { ready_by: day(base + after), revised })
        }
        CertificateForm::Card => {
            // The 30 working days run from the application to the branch.
            let promised = card_ready_by(day(p.accepted_at), calendar);
            let today = day(now);
            if promised >= today {
                return Some(Estimate { ready_by: promised, revised: false });
            }
            // Missed: what is left of the path, counted in working days again
            // from today (the steps after this one, at most the whole term).
            let left = card_steps_left(p.stage);
            Some(Estimate { ready_by: calendar.add_working_days(today, left), revised: true })
        }
    }
}

/// Working days a card at `stage` still needs when its term was missed: a
/// share of the 30 for each step left (the regulation gives one term for the
/// whole path, so the share is Dossier's estimate, not a rule).
fn card_steps_left(stage: Stage) -> u32 {
    use Stage::*;
    match stage {
        Accepted | DuplicateHold => 20,
        SentToBank | AccountOpened => 15,
        AtPersonalizer | KeysGenerated | KeysCertified => 10,
        Personalized => 5,
        _ => 5,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{self, Event};
    use chrono::TimeZone;
    use proptest::prelude::*;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).single().unwrap()
    }

    fn calendar() -> WorkingCalendar {
        WorkingCalendar::default()
    }

    #[test]
    fn every_stage_of_either_form_has_a_milestone_on_or_beside_its_path() {
        for form in [CertificateForm::Paper, CertificateForm::Card] {
            for stage in Stage::ALL {
                let m = Milestone::of(form, *stage);
                assert!(
                    Milestone::path(form).contains(&m) || m == Milestone::BeingChecked || m.is_done(),
                    "{form:?} {stage:?} → {m:?}"
                );
            }
        }
    }

    #[test]
    fn a_paper_certificate_accepted_on_wednesday_is_estimated_from_the_batch_week() {
        // Accepted Wednesday 2026-12-02; the district batch leaves Monday 12-07 12:00 (Kyiv),
        // the region's Tuesday; two weeks of production, up to 15 days to the region, 2 to the district.
        let accepted = at(2026, 12, 2, 9);
        let due = crate::production::filing_deadline(CertificateForm::Paper, accepted, &calendar());
        let p = Progress {
            form: CertificateForm::Paper,
            stage: Stage::Accepted,
            stage_at: accepted,
            accepted_at: accepted,
            due_at: Some(due),
        };
        let e = estimate(&p, accepted, &calendar()).unwrap();
        assert!(!e.revised);
        assert_eq!(e.ready_by, NaiveDate::from_ymd_opt(2027, 1, 8).unwrap(), "12-07 + 1 + 14 + 15 + 2 days");
    }

    #[test]
    fn a_missed_deadline_revises_the_estimate_from_today_and_says_so() {
        let received = at(2026, 11, 1, 10);
        let due = crate::production::production_deadline(received);
        let p = Progress {
            form: CertificateForm::Paper,
            stage: Stage::InProduction,
            stage_at: received,
            accepted_at: received,
            due_at: Some(due),
        };
        let on_time = estimate(&p, received, &calendar()).unwrap();
        assert_eq!((on_time.ready_by, on_time.revised), (NaiveDate::from_ymd_opt(2026, 12, 2).unwrap(), false));
        let late = estimate(&p, at(2026, 12, 1, 10), &calendar()).unwrap();
        assert!(late.revised);
        assert_eq!(late.ready_by, NaiveDate::from_ymd_opt(2026, 12, 18).unwrap(), "today + 15 + 2 days");
    }

    #[test]
    fn a_card_is_promised_thirty_working_days_after_the_application() {
        let applied = at(2026, 12, 1, 9); // Tuesday
        let p = Progress {
            form: CertificateForm::Card,
            stage: Stage::SentToBank,
            stage_at: applied,
            accepted_at: applied,
            due_at: None,
        };
        let e = estimate(&p, applied, &calendar()).unwrap();
        assert_eq!((e.ready_by, e.revised), (NaiveDate::from_ymd_opt(2027, 1, 12).unwrap(), false));
        let late = estimate(&p, at(2027, 1, 20, 9), &calendar()).unwrap();
        assert!(late.revised && late.ready_by > NaiveDate::from_ymd_opt(2027, 1, 20).unwrap());
    }

    #[test]
    fn every_milestone_and_estimate_is_worded_in_every_language() {
        let all = [
            Milestone::Accepted,
            Milestone::BeingChecked,
            Milestone::InProduction,
            Milestone::OnItsWay,
            Milestone::ReadyForCollection,
            Milestone::Issued,
            Milestone::Activated,
            Milestone::Blocked,
            Milestone::Ended,
            Milestone::ApplicationWithdrawn,
            Milestone::Refused,
            Milestone::ConsentAwaited,
            Milestone::BeingDelivered,
            Milestone::Received,
            Milestone::NotShared,
            Milestone::NotReceived,
        ];
        let date = NaiveDate::from_ymd_opt(2027, 1, 8).unwrap();
        for lang in crate::Lang::ALL {
            let mut texts: Vec<Message> = all.iter().map(|m| m.message()).collect();
            texts.push(Estimate { ready_by: date, revised: false }.message());
            texts.push(Estimate { ready_by: date, revised: true }.message());
            for m in texts {
                let text = m.render(*lang);
                assert!(!text.is_empty() && !text.contains("tracking"), "{lang:?}: {text}");
            }
        }
        assert!(Estimate { ready_by: date, revised: true }.message().render(crate::Lang::UK).contains("08.01.2027"));
    }

    #[test]
    fn every_request_status_has_a_milestone_and_only_live_ones_are_not_done() {
        for status in IntakeStatus::ALL {
            let m = Milestone::of_request(status);
            assert_eq!(m.is_done(), !IntakeStatus::LIVE.contains(&status), "{status:?} → {m:?}");
            let path = Milestone::request_path(status);
            assert_eq!(path.first(), Some(&Milestone::ConsentAwaited), "{status:?}");
            assert!(path.contains(&m), "{status:?} → {m:?} is on its line");
            if m.is_done() {
                assert_eq!(path.last(), Some(&m), "{status:?}: an ended request's line ends where it stopped");
            }
        }
        assert_eq!(Milestone::of_request(IntakeStatus::Delivered), Milestone::Received);
    }

    #[test]
    fn a_case_number_is_read_however_it_is_typed() {
        for typed in
            ["З-2026-0000042", " з 2026 0000042 ", "Z-2026-0000042", "3-2026-0000042", "З20260000042", "З–2026–0000042"]
        {
            assert_eq!(case_number(typed).as_deref(), Some("З-2026-0000042"), "{typed}");
        }
        for bad in ["", "З-2026-42", "Ж-2026-0000042", "З-2026-00000423", "З-2026-000004x", "2026-0000042"] {
            assert_eq!(case_number(bad), None, "{bad}");
        }
    }

    proptest! {
        /// Whatever is typed, reading it answers, and an answer reads back as itself.
        #[test]
        fn any_text_is_read_or_refused_and_answers_are_stable(s in ".{0,30}") {
            if let Some(n) = case_number(&s) {
                prop_assert_eq!(case_number(&n), Some(n.clone()));
            }
        }
    }

    #[test]
    fn ready_or_done_has_no_estimate() {
        let t = at(2026, 12, 1, 9);
        for (form, stage) in [
            (CertificateForm::Paper, Stage::AtDistrict),
            (CertificateForm::Paper, Stage::Issued),
            (CertificateForm::Card, Stage::AtBranch),
            (CertificateForm::Card, Stage::Active),
        ] {
            let p = Progress { form, stage, stage_at: t, accepted_at: t, due_at: None };
            assert_eq!(estimate(&p, t, &calendar()), None, "{form:?} {stage:?}");
        }
    }

    proptest! {
        /// Along any path the life cycle allows, the milestone never goes back
        /// (except a card blocked and unblocked), and an estimate is never
        /// before today.
        #[test]
        fn milestones_only_move_forward_and_estimates_are_never_in_the_past(
            card in any::<bool>(),
            choices in proptest::collection::vec(any::<u8>(), 0..20),
            hours in proptest::collection::vec(1i64..2000, 20),
        ) {
            let form = if card { CertificateForm::Card } else { CertificateForm::Paper };
            let mut stage = Stage::Accepted;
            let mut now = at(2026, 12, 1, 9);
            let accepted = now;
            let mut due = Some(crate::production::filing_deadline(form, now, &calendar()));
            let rank = |m: Milestone| Milestone::path(form).iter().position(|x| *x == m);
            for (c, h) in choices.iter().zip(&hours) {
                let events: Vec<Event> = Event::ALL.iter().copied().filter(|e| lifecycle::next(form, stage, *e).is_ok()).collect();
                if events.is_empty() { break; }
                let event = events[usize::from(*c) % events.len()];
                let next = lifecycle::next(form, stage, event).unwrap();
                now += Duration::hours(*h);
                due = crate::production::deadline_after(form, event, now, due);
                let (before, after) = (Milestone::of(form, stage), Milestone::of(form, next));
                if let (Some(a), Some(b)) = (rank(before), rank(after)) {
                    prop_assert!(b >= a || before == Milestone::Blocked || after == Milestone::Blocked, "{stage:?} → {next:?}");
                }
                stage = next;
                let p = Progress { form, stage, stage_at: now, accepted_at: accepted, due_at: due };
                if let Some(e) = estimate(&p, now, &calendar()) {
                    prop_assert!(e.ready_by >= kyiv_time(now).date_naive(), "{e:?} at {now}");
                }
            }
        }
    }
}
