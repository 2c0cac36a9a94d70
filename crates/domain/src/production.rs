//! The clock and the people of certificate production (regulation 26-1,
//! §§ I.4, III–V; SPEC §2.4), as pure rules. `lifecycle` knows the order of
//! stages; this module knows *when* each step is due and *who* may take it:
//! the weekly batch and its Monday/Tuesday 12:00 cut-offs (Kyiv time), the
//! two-week production term, the transfer cadence (central → region at least
//! twice a month, region → district within 2 days), the card's 30 working
//! days and ≤ 3-year validity, the destruction commission of at least three
//! chaired by the head of the territorial body, the reconciliation of an
//! acceptance-transfer act, identification and the signature at issue, and
//! the batch levels with their cut-offs.
use schemars::JsonSchema;
use std::collections::BTreeSet;
use std::fmt;

use crate::schema::Text;
use crate::text::printable;

use chrono::{DateTime, Datelike, Duration, Months, NaiveDate, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::application::ApplicationData;
use crate::calendar::WorkingCalendar;
use crate::error::Invalid;
use crate::i18n::Message;
use crate::lifecycle::{CertificateForm, Event, Stage};
use crate::org::{UnitKind, UnitPath};
use crate::time::{kyiv_instant, kyiv_midnight, kyiv_time};

/// The week whose accepted applications form one batch, named by its Monday
/// (a Kyiv date). Displayed and parsed as ISO week `2026-W47`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct BatchWeek(NaiveDate);

impl BatchWeek {
    /// The batch an application accepted at `t` belongs to: the week whose
    /// district cut-off (Monday 12:00 of the next week) is the first one after
    /// `t`. An application accepted on Monday morning still makes the batch
    /// of the week before; one accepted after the cut-off goes to this week's.
    pub fn of_acceptance(t: DateTime<Utc>) -> BatchWeek {
        BatchLevel::District.open_week(t)
    }

    /// The week containing `date`.
    pub fn containing(date: NaiveDate) -> BatchWeek {
        BatchWeek(date - Duration::days(i64::from(date.weekday().num_days_from_monday())))
    }

    pub fn monday(self) -> NaiveDate {
        self.0
    }

    pub fn next(self) -> BatchWeek {
        BatchWeek(self.0 + Duration::days(7))
    }

    pub fn prev(self) -> BatchWeek {
        BatchWeek(self.0 - Duration::days(7))
    }

    /// District office → regional main office: 12:00 Monday of the next week (§III).
    pub fn district_cutoff(self) -> DateTime<Utc> {
        kyiv_instant((self.0 + Duration::days(7)).and_time(noon()))
    }

    /// Regional main office → central fund: 12:00 Tuesday of the next week (§III).
    pub fn region_cutoff(self) -> DateTime<Utc> {
        kyiv_instant((self.0 + Duration::days(8)).and_time(noon()))
    }

    /// `2026-W47`.
    pub fn parse(s: &str) -> Option<BatchWeek> {
        let (y, w) = s.trim().split_once("-W")?;
        let monday = NaiveDate::from_isoywd_opt(y.parse().ok()?, w.parse().ok()?, Weekday::Mon)?;
        Some(BatchWeek(monday))
    }
}

impl fmt::Display for BatchWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let w = self.0.iso_week();
        write!(f, "{}-W{:02}", w.year(), w.week())
    }
}

fn noon() -> chrono::NaiveTime {
    chrono::NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()
}

/// Where a step with a deadline stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Timeliness {
    /// Not done, deadline ahead.
    Due,
    /// Not done, deadline passed: flagged to the office and its superior.
    Overdue,
    OnTime,
    Late,
}

impl Timeliness {
    pub fn of(deadline: DateTime<Utc>, done_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Timeliness {
        match done_at {
            Some(t) if t <= deadline => Timeliness::OnTime,
            Some(_) => Timeliness::Late,
            None if now <= deadline => Timeliness::Due,
            None => Timeliness::Overdue,
        }
    }

    /// Flagged on dashboards and in queues.
    pub fn is_late(self) -> bool {
        matches!(self, Timeliness::Overdue | Timeliness::Late)
    }
}

/// The central fund produces within two weeks of receiving the region's batch (§III).
pub const PRODUCTION_TERM: Duration = Duration::weeks(2);
/// Region → district within 2 days of receipt (§III). [D] Calendar days, as
/// the regulation counts days unless it says "working".
pub const DISTRICT_TRANSFER_TERM: Duration = Duration::days(2);
/// Central → region "at least twice a month": [D] a region is flagged when
/// more than half a month (15 days) has passed since its last act while
/// produced certificates wait for it.
pub const REGION_TRANSFER_GAP: Duration = Duration::days(15);
/// A card is ready within 30 working days of the application (§IV).
pub const CARD_WORKING_DAYS: u32 = 30;
/// A card is valid at most 3 years (§IV).
pub const CARD_VALIDITY_MONTHS: u32 = 36;
/// A destruction commission has at least three members (§III).
pub const MIN_COMMISSION: usize = 3;
/// How long before a fixed-term certificate expires it is flagged. [D]
pub const EXPIRY_WARNING: Duration = Duration::days(30);

pub fn production_deadline(received_at: DateTime<Utc>) -> DateTime<Utc> {
    received_at + PRODUCTION_TERM
}

pub fn district_transfer_deadline(received_at: DateTime<Utc>) -> DateTime<Utc> {
    received_at + DISTRICT_TRANSFER_TERM
}

/// The deadline of a newly filed application: the paper batch leaves the
/// district by the Monday 12:00 after acceptance; a card is ready within 30
/// working days, i.e. by the end of that Kyiv day.
pub fn filing_deadline(form: CertificateForm, at: DateTime<Utc>, calendar: &WorkingCalendar) -> DateTime<Utc> {
    match form {
        CertificateForm::Paper => BatchWeek::of_acceptance(at).district_cutoff(),
        CertificateForm::Card => {
            let ready_by = card_ready_by(kyiv_time(at).date_naive(), calendar);
            kyiv_midnight(ready_by.succ_opt().unwrap_or(ready_by))
        }
    }
}

/// The deadline a certificate runs against after `event` moved it at `at` —
/// the one rule every transition applies, so queues and dashboards ask "what
/// is late" with one indexed comparison. `previous` is the deadline it had;
/// steps inside one term keep it (the duplicate check does not restart the two
/// weeks; a card's 30 working days run from the application to the branch).
/// `None`: nothing is due (it waits for its holder, or its life has ended).
pub fn deadline_after(
    form: CertificateForm,
    event: Event,
    at: DateTime<Utc>,
    previous: Option<DateTime<Utc>>,
) -> Option<DateTime<Utc>> {
    match (form, event) {
        // The region passes a district batch on by Tuesday 12:00; a late
        // district batch goes with the region's next consolidation.
        (CertificateForm::Paper, Event::SubmitToRegion) => Some(BatchWeek::of_acceptance(at).region_cutoff()),
        (CertificateForm::Paper, Event::SubmitToCentral) => Some(production_deadline(at)),
        (CertificateForm::Paper, Event::PassDuplicateCheck | Event::HoldAsDuplicate | Event::ReleaseHold) => previous,
        // Produced certificates wait for the region's act; that cadence is the
        // region's deadline (`region_transfer_overdue`), not the certificate's.
        (CertificateForm::Paper, Event::TransferToRegion) => Some(district_transfer_deadline(at)),
        (
            CertificateForm::Card,
            Event::HoldAsDuplicate
            | Event::SendToBank
            | Event::OpenAccount
            | Event::SendToPersonalizer
            | Event::GenerateKeys
            | Event::CertifyKeys
            | Event::Personalize,
        ) => previous,
        _ => None,
    }
}

/// Whether a region has waited too long for an act, given its last act (if
/// any), the oldest certificate produced for it and not yet sent, and now.
pub fn region_transfer_overdue(
    last_act: Option<DateTime<Utc>>,
    oldest_waiting: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> bool {
    let Some(waiting) = oldest_waiting else { return false };
    let since = last_act.map_or(waiting, |a| a.max(waiting));
    now - since > REGION_TRANSFER_GAP
}

/// The day a card must be ready: 30 working days after the application.
pub fn card_ready_by(applied_on: NaiveDate, calendar: &WorkingCalendar) -> NaiveDate {
    calendar.add_working_days(applied_on, CARD_WORKING_DAYS)
}

/// The last day of a card whose face was sealed for the personalizer on
/// `made_on`: the bank sets it, at most three years (§IV.4). It does not end
/// with a fixed-term pension — the card stays a payment card to its own end,
/// and an extended term gets a new card ([`valid_until`]).
pub fn card_expires_on(made_on: NaiveDate) -> NaiveDate {
    made_on.checked_add_months(Months::new(CARD_VALIDITY_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// The end of the term the pension or the disability was granted for,
/// whichever comes first; `None` when neither is fixed.
pub fn term_end(app: &ApplicationData) -> Option<NaiveDate> {
    crate::application::earliest_term(app.pension_until, app.disability.as_ref())
}

/// Until when a certificate serves as the pension certificate — the date it
/// is flagged before: paper lasts the pension's term and is otherwise
/// unlimited (§III.9); a card lasts its own validity (`card_expires`, known
/// once its face is sealed), or the pension's or disability's term if that
/// ends first (§IV.4: the extension is a new card).
pub fn valid_until(app: &ApplicationData, card_expires: Option<NaiveDate>) -> Option<NaiveDate> {
    match app.form {
        CertificateForm::Paper => app.pension_until,
        CertificateForm::Card => [card_expires, term_end(app)].into_iter().flatten().min(),
    }
}

/// A fixed-term certificate nearing or past its end; `None` for unlimited
/// ones (§III: unlimited unless the pension is for a fixed term) and for
/// those far from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ExpiryFlag {
    Expiring { days_left: i64 },
    Expired,
}

pub fn expiry_flag(valid_until: Option<NaiveDate>, today: NaiveDate) -> Option<ExpiryFlag> {
    let until = valid_until?;
    let left = (until - today).num_days();
    if left < 0 {
        Some(ExpiryFlag::Expired)
    } else if left <= EXPIRY_WARNING.num_days() {
        Some(ExpiryFlag::Expiring { days_left: left })
    } else {
        None
    }
}

/// Why a certificate is destroyed (§I.4), or the old one of a replacement (§I.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DestructionReason {
    ErrorInEntries,
    DecisionCancelled,
    FalseDocuments,
    Unusable,
    OwnerDied,
    Replaced,
}

impl DestructionReason {
    pub const ALL: [DestructionReason; 6] = [
        DestructionReason::ErrorInEntries,
        DestructionReason::DecisionCancelled,
        DestructionReason::FalseDocuments,
        DestructionReason::Unusable,
        DestructionReason::OwnerDied,
        DestructionReason::Replaced,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DestructionReason::ErrorInEntries => "error_in_entries",
            DestructionReason::DecisionCancelled => "decision_cancelled",
            DestructionReason::FalseDocuments => "false_documents",
            DestructionReason::Unusable => "unusable",
            DestructionReason::OwnerDied => "owner_died",
            DestructionReason::Replaced => "replaced",
        }
    }

    pub fn parse(s: &str) -> Option<DestructionReason> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// An appointment by order (a responsible person for acts, a commission
/// member): who, in which role, from which day, until when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Appointment {
    pub person: String,
    pub role: Duty,
    pub from: NaiveDate,
    pub until: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    /// Signs acceptance-transfer acts for the office.
    ResponsiblePerson,
    CommissionChair,
    CommissionMember,
    /// Head of the territorial body (chairs its destruction commission).
    Head,
}

impl Duty {
    pub const ALL: [Duty; 4] = [Duty::ResponsiblePerson, Duty::CommissionChair, Duty::CommissionMember, Duty::Head];

    pub fn as_str(self) -> &'static str {
        match self {
            Duty::ResponsiblePerson => "responsible_person",
            Duty::CommissionChair => "commission_chair",
            Duty::CommissionMember => "commission_member",
            Duty::Head => "head",
        }
    }

    pub fn parse(s: &str) -> Option<Duty> {
        Self::ALL.into_iter().find(|d| d.as_str() == s)
    }
}

impl Appointment {
    pub fn in_force(&self, on: NaiveDate) -> bool {
        self.from <= on && self.until.is_none_or(|u| on <= u)
    }
}

/// Checks a destruction commission on `on`: at least three distinct members
/// appointed and in force, chaired by the head of the territorial body. The
/// refusal names the first rule broken.
pub fn check_commission(members: &[Appointment], head_of_body: &str, on: NaiveDate) -> Result<(), Message> {
    if let Some(m) = members.iter().find(|m| !m.in_force(on)) {
        return Err(Message::new("production.commission.not_appointed").with("person", &m.person));
    }
    let distinct: BTreeSet<&str> = members.iter().map(|m| m.person.as_str()).collect();
    if distinct.len() < MIN_COMMISSION {
        return Err(Message::new("production.commission.too_few").with("min", MIN_COMMISSION));
    }
    let chairs: Vec<&Appointment> = members.iter().filter(|m| m.role == Duty::CommissionChair).collect();
    match chairs.as_slice() {
        [chair] if chair.person == head_of_body => Ok(()),
        _ => Err(Message::new("production.commission.chair")),
    }
}

/// A destruction act takes effect only when every member has signed it.
pub fn check_act_signed(members: &[Appointment], signed_by: &[String]) -> Result<(), Message> {
    let missing: Vec<&str> =
        members.iter().map(|m| m.person.as_str()).filter(|p| !signed_by.iter().any(|s| s == p)).collect();
    if missing.is_empty() { Ok(()) } else { Err(Message::new("production.act.unsigned").with("count", missing.len())) }
}

/// What the receiving side found against an acceptance-transfer act (§III).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Discrepancies {
    /// Listed in the act, not received.
    pub missing: Vec<String>,
    /// Received, not listed.
    pub extra: Vec<String>,
    /// Received damaged.
    pub damaged: Vec<String>,
}

impl Discrepancies {
    pub fn is_empty(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.damaged.is_empty()
    }
}

/// Reconciles the certificate numbers listed in an act with those received.
pub fn reconcile(listed: &[String], received: &[String], damaged: &[String]) -> Discrepancies {
    let listed_set: BTreeSet<&String> = listed.iter().collect();
    let received_set: BTreeSet<&String> = received.iter().collect();
    Discrepancies {
        missing: listed_set.difference(&received_set).map(|s| (*s).clone()).collect(),
        extra: received_set.difference(&listed_set).map(|s| (*s).clone()).collect(),
        damaged: damaged.iter().filter(|d| received_set.contains(d)).cloned().collect(),
    }
}

/// Who takes a certificate at issue (§V) and what they showed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Recipient {
    /// The certificate's holder.
    Owner {
        /// The identity document presented.
        #[schemars(with = "Text")]
        identity_document: String,
    },
    /// The holder's legal representative.
    Representative {
        /// The identity document presented.
        #[schemars(with = "Text")]
        identity_document: String,
        /// The document proving the representative's status.
        #[schemars(with = "Text")]
        status_document: String,
        /// Resident representatives also show their tax-registration document.
        resident: bool,
        /// Required for a resident.
        tax_registration: Option<String>,
    },
}

impl Recipient {
    /// The recipient's free-text fields with their paths, as the journal prints them.
    fn texts(&self) -> Vec<(&'static str, &str)> {
        match self {
            Recipient::Owner { identity_document } => vec![("recipient.identity_document", identity_document)],
            Recipient::Representative { identity_document, status_document, tax_registration, .. } => {
                let mut texts = vec![
                    ("recipient.identity_document", identity_document.as_str()),
                    ("recipient.status_document", status_document.as_str()),
                ];
                texts.extend(tax_registration.as_deref().map(|t| ("recipient.tax_registration", t)));
                texts
            }
        }
    }
}

/// Identification at issue (§V): the document presented is recorded; a
/// representative also proves the status and, when resident, tax registration.
pub fn check_recipient(r: &Recipient) -> Result<(), Message> {
    let blank = |s: &str| s.trim().is_empty();
    match r {
        Recipient::Owner { identity_document } if blank(identity_document) => {
            Err(Message::new("production.issue.identity_document"))
        }
        Recipient::Representative { identity_document, .. } if blank(identity_document) => {
            Err(Message::new("production.issue.identity_document"))
        }
        Recipient::Representative { status_document, .. } if blank(status_document) => {
            Err(Message::new("production.issue.status_document"))
        }
        Recipient::Representative { resident: true, tax_registration, .. }
            if tax_registration.as_deref().is_none_or(blank) =>
        {
            Err(Message::new("production.issue.tax_registration"))
        }
        _ => Ok(()),
    }
}

/// The recipient's signature in the journal (§V.3): confirmed by the
/// specialist with their credentials (`tick`), or a captured image named by
/// its SHA-256 (`image:<hex>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JournalSignature {
    Tick,
    Image(String),
}

impl JournalSignature {
    pub fn parse(s: &str) -> Option<JournalSignature> {
        if s == "tick" {
            return Some(JournalSignature::Tick);
        }
        let digest = s.strip_prefix("image:")?;
        (digest.len() == 64 && digest.bytes().all(|b| b.is_ascii_hexdigit()))
            .then(|| JournalSignature::Image(digest.to_ascii_lowercase()))
    }

    /// As the journal records it.
    pub fn as_text(&self) -> String {
        match self {
            JournalSignature::Tick => "tick".to_owned(),
            JournalSignature::Image(digest) => format!("image:{digest}"),
        }
    }
}

/// §V.2: a certificate is handed over by the fund body named in the application.
/// Staff may hand it over when they work at that office or within it (a service
/// centre of the named district) or above it (the district's own staff at one
/// of its service centres) — never at a sibling office: a specialist of one
/// service centre does not issue what the application sends to another.
pub fn hands_over_at(staff_unit: &UnitPath, issue_office: &UnitPath) -> bool {
    issue_office.contains(staff_unit) || staff_unit.contains(issue_office)
}

/// An issue at the counter as the specialist records it (§V), unchecked.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct IssueInput {
    /// Who took the certificate, as they sign the journal.
    #[schemars(with = "Text")]
    pub recipient_name: String,
    pub recipient: Recipient,
    /// The recipient's signature in the journal: `tick` (confirmed by the
    /// specialist's credentials) or `image:<SHA-256 of the captured image>`.
    #[schemars(pattern(r"^(tick|image:[0-9a-fA-F]{64})$"))]
    pub signature: String,
}

/// An issue that satisfies §V: the recipient named, identified as the rules
/// ask, and signed for. Only [`IssueInput::validate`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    recipient_name: String,
    recipient: Recipient,
    signature: JournalSignature,
}

impl IssueInput {
    /// Checks identification (§V.1–2) and the journal signature (§V.3); every
    /// problem is reported at once.
    pub fn validate(&self) -> Result<Issue, Invalid> {
        let mut problems = Invalid::default();
        problems.check("recipient", check_recipient(&self.recipient));
        if self.recipient_name.trim().is_empty() {
            problems.push("recipient_name", "common.required");
        }
        // Everything here goes into the printed journal (form 6).
        problems.check("recipient_name", printable(&self.recipient_name));
        for (field, text) in self.recipient.texts() {
            problems.check(field, printable(text));
        }
        let signature = JournalSignature::parse(&self.signature);
        if signature.is_none() {
            problems.push("signature", "production.issue.signature");
        }
        problems.into_result()?;
        let signature = signature.ok_or_else(|| Invalid::one("signature", "production.issue.signature"))?;
        Ok(Issue {
            recipient_name: self.recipient_name.trim().to_owned(),
            recipient: self.recipient.clone(),
            signature,
        })
    }
}

impl Issue {
    pub fn recipient_name(&self) -> &str {
        &self.recipient_name
    }
    pub fn recipient(&self) -> &Recipient {
        &self.recipient
    }
    pub fn signature(&self) -> &JournalSignature {
        &self.signature
    }
}

/// Where a weekly batch goes (§III): district → region (Monday 12:00),
/// region → central fund (Tuesday 12:00), and the central fund's duplicate check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum BatchLevel {
    District,
    Region,
    Central,
}

impl BatchLevel {
    pub const ALL: [BatchLevel; 3] = [BatchLevel::District, BatchLevel::Region, BatchLevel::Central];

    pub fn as_str(self) -> &'static str {
        match self {
            BatchLevel::District => "district",
            BatchLevel::Region => "region",
            BatchLevel::Central => "central",
        }
    }

    pub fn parse(s: &str) -> Option<BatchLevel> {
        Self::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// The org units that submit a batch at this level.
    pub fn unit_kind(self) -> UnitKind {
        match self {
            BatchLevel::District => UnitKind::DistrictOffice,
            BatchLevel::Region => UnitKind::RegionalOffice,
            BatchLevel::Central => UnitKind::CentralFund,
        }
    }

    /// The cut-off of `week`'s batch at this level. The central fund's duplicate
    /// check has no cut-off of its own; its term is the two weeks of production,
    /// so the Tuesday cut-off stands in for "received".
    pub fn cutoff(self, week: BatchWeek) -> DateTime<Utc> {
        match self {
            BatchLevel::District => week.district_cutoff(),
            BatchLevel::Region | BatchLevel::Central => week.region_cutoff(),
        }
    }

    /// The week whose batch this level is collecting at `t`: the first whose
    /// cut-off is after `t` (a district's week until Monday 12:00 Kyiv, a
    /// region's until Tuesday 12:00).
    pub fn open_week(self, t: DateTime<Utc>) -> BatchWeek {
        let before = BatchWeek::containing(kyiv_time(t).date_naive()).prev();
        if self.cutoff(before) > t { before } else { before.next() }
    }

    /// The week a batch submitted at `t` without a named week is for (§III.1–2).
    /// A cut-off does not close a week by itself: until the office submits it,
    /// the week whose cut-off passed stays the one it owes, and its batch is
    /// late; applications accepted after that cut-off wait for the next batch.
    /// Once it is submitted, the office works on the week it is collecting.
    pub fn due_week(self, t: DateTime<Utc>, owes_passed_week: bool) -> BatchWeek {
        let open = self.open_week(t);
        if owes_passed_week { open.prev() } else { open }
    }

    /// The stage a batch at this level takes certificates from, and the event it records.
    pub fn step(self) -> (Stage, Event) {
        match self {
            BatchLevel::District => (Stage::Accepted, Event::SubmitToRegion),
            BatchLevel::Region => (Stage::SubmittedToRegion, Event::SubmitToCentral),
            BatchLevel::Central => (Stage::SubmittedToCentral, Event::PassDuplicateCheck),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn appointed(person: &str, role: Duty) -> Appointment {
        Appointment { person: person.into(), role, from: date("2026-01-01"), until: None }
    }

    #[test]
    fn every_transition_sets_the_deadline_of_the_next_step() {
        use CertificateForm::*;
        let cal = WorkingCalendar::law_2023(true);
        // Accepted Wednesday 18 Nov 2026 → the batch leaves the district Monday 23 Nov 12:00 Kyiv.
        let filed = utc("2026-11-18T09:00:00Z");
        assert_eq!(filing_deadline(Paper, filed, &cal), utc("2026-11-23T10:00:00Z"));
        // Submitted Monday morning → the region passes it on by Tuesday 12:00.
        let sub = utc("2026-11-23T08:00:00Z");
        assert_eq!(deadline_after(Paper, Event::SubmitToRegion, sub, None), Some(utc("2026-11-24T10:00:00Z")));
        let at_central = utc("2026-11-24T09:00:00Z");
        let due = deadline_after(Paper, Event::SubmitToCentral, at_central, None);
        assert_eq!(due, Some(at_central + PRODUCTION_TERM));
        // The duplicate check keeps the two weeks running.
        assert_eq!(deadline_after(Paper, Event::HoldAsDuplicate, at_central, due), due);
        assert_eq!(deadline_after(Paper, Event::ReleaseHold, at_central + Duration::days(5), due), due);
        assert_eq!(deadline_after(Paper, Event::Produce, at_central, due), None);
        let at_region = utc("2026-12-01T08:00:00Z");
        assert_eq!(
            deadline_after(Paper, Event::TransferToRegion, at_region, None),
            Some(at_region + DISTRICT_TRANSFER_TERM)
        );
        assert_eq!(deadline_after(Paper, Event::TransferToDistrict, at_region, None), None);
    }

    #[test]
    fn card_deadline_runs_from_filing_to_the_branch() {
        let cal = WorkingCalendar::law_2023(true);
        let filed = utc("2026-11-18T09:00:00Z");
        let due = filing_deadline(CertificateForm::Card, filed, &cal);
        // 30 working days after Wed 18 Nov 2026 (martial law: only weekends off) is Wed 30 Dec;
        // the deadline is the end of that Kyiv day.
        assert_eq!(due, utc("2026-12-30T22:00:00Z"));
        assert_eq!(deadline_after(CertificateForm::Card, Event::Personalize, filed, Some(due)), Some(due));
        assert_eq!(deadline_after(CertificateForm::Card, Event::DeliverToBranch, filed, Some(due)), None);
    }

    #[test]
    fn district_batch_cutoff_is_monday_noon_kyiv_time() {
        // Week of Monday 16 November 2026 (winter time, UTC+2).
        let w = BatchWeek::parse("2026-W47").unwrap();
        assert_eq!(w.monday(), date("2026-11-16"));
        assert_eq!(w.district_cutoff(), utc("2026-11-23T10:00:00Z"));
        // In summer (UTC+3).
        assert_eq!(BatchWeek::containing(date("2026-07-06")).district_cutoff(), utc("2026-07-13T09:00:00Z"));
    }

    #[test]
    fn regional_batch_cutoff_is_tuesday_noon_kyiv_time() {
        assert_eq!(BatchWeek::parse("2026-W47").unwrap().region_cutoff(), utc("2026-11-24T10:00:00Z"));
    }

    #[test]
    fn applications_accepted_after_a_cutoff_go_to_the_next_week() {
        let w47 = BatchWeek::parse("2026-W47").unwrap();
        // Monday 23 November, 11:59 Kyiv: still last week's batch; 12:00 and later: this week's.
        assert_eq!(BatchWeek::of_acceptance(utc("2026-11-23T09:59:00Z")), w47);
        assert_eq!(BatchWeek::of_acceptance(utc("2026-11-23T10:00:00Z")), w47.next());
        // Sunday night in Kyiv is already Monday 00:30 local → still the week before.
        assert_eq!(BatchWeek::of_acceptance(utc("2026-11-22T22:30:00Z")), w47);
        assert_eq!(w47.to_string(), "2026-W47");
    }

    #[test]
    fn rule_v_2_issued_by_the_office_the_application_names_not_by_a_sibling() {
        let district = UnitPath::root(1).child(2).child(3);
        let (centre_1, centre_2) = (district.child(4), district.child(5));
        // The application names service centre 2.
        assert!(hands_over_at(&centre_2, &centre_2));
        assert!(hands_over_at(&district, &centre_2), "the district's own staff");
        assert!(!hands_over_at(&centre_1, &centre_2), "a sibling service centre");
        // It names the district: any of its offices.
        assert!(hands_over_at(&centre_1, &district));
        assert!(!hands_over_at(&UnitPath::root(1).child(2).child(9), &district), "another district");
    }

    /// §III.1–2 on both sides of each cut-off, in winter and in summer time:
    /// the week a batch is for when none is named.
    #[test]
    fn rule_iii_1_2_a_passed_cutoff_leaves_its_week_owed_until_submitted() {
        use BatchLevel::*;
        // (Kyiv clock as UTC, level, the week it owes if unsubmitted, the week it collects).
        let cases = [
            // Winter (UTC+2): Monday 19 Oct 2026 is still summer; 26 Oct is the first winter Monday.
            ("2026-10-26T09:58:00Z", District, "2026-W42", "2026-W43"), // 11:58 Kyiv: on time
            ("2026-10-26T10:04:00Z", District, "2026-W43", "2026-W44"), // 12:04 Kyiv: W43 is late
            ("2026-10-27T09:59:00Z", Region, "2026-W42", "2026-W43"),   // Tuesday 11:59
            ("2026-10-27T10:05:00Z", Region, "2026-W43", "2026-W44"),   // Tuesday 12:05
            // Summer (UTC+3): clocks went forward on Sunday 28 March 2027.
            ("2027-03-29T08:58:00Z", District, "2027-W11", "2027-W12"), // Monday 11:58 Kyiv
            ("2027-03-29T09:04:00Z", District, "2027-W12", "2027-W13"), // Monday 12:04 Kyiv
            ("2027-03-30T08:59:00Z", Central, "2027-W11", "2027-W12"),
            ("2027-03-30T09:05:00Z", Central, "2027-W12", "2027-W13"),
            // The Monday before the change (still winter): 12:00 Kyiv is 10:00 UTC.
            ("2027-03-22T09:30:00Z", District, "2027-W10", "2027-W11"),
            ("2027-03-22T10:00:00Z", District, "2027-W11", "2027-W12"),
        ];
        for (t, level, owed, open) in cases {
            let t = utc(t);
            let (owed, open) = (BatchWeek::parse(owed).unwrap(), BatchWeek::parse(open).unwrap());
            assert_eq!(level.open_week(t), open, "{t} {level:?}");
            assert_eq!(level.due_week(t, true), owed, "{t} {level:?}: the passed week is owed");
            assert_eq!(level.due_week(t, false), open, "{t} {level:?}: once submitted, the open week");
            // The owed week's cut-off has passed (its batch is late); the open one's has not.
            assert!(level.cutoff(owed) <= t && level.cutoff(open) > t, "{t} {level:?}");
        }
    }

    proptest! {
        #[test]
        fn the_open_week_is_the_first_whose_cutoff_is_ahead(secs in 1_700_000_000i64..1_900_000_000) {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            for level in BatchLevel::ALL {
                let open = level.open_week(t);
                prop_assert!(level.cutoff(open) > t);
                prop_assert!(level.cutoff(open.prev()) <= t);
            }
        }
    }

    #[test]
    fn a_batch_not_submitted_by_its_cutoff_is_flagged_late() {
        let cut = BatchWeek::parse("2026-W47").unwrap().district_cutoff();
        let before = cut - Duration::minutes(1);
        let after = cut + Duration::minutes(1);
        assert_eq!(Timeliness::of(cut, None, before), Timeliness::Due);
        assert_eq!(Timeliness::of(cut, None, after), Timeliness::Overdue);
        assert_eq!(Timeliness::of(cut, Some(before - Duration::days(3)), after), Timeliness::OnTime, "early is fine");
        assert_eq!(Timeliness::of(cut, Some(after), after), Timeliness::Late);
        assert!(Timeliness::Overdue.is_late() && Timeliness::Late.is_late() && !Timeliness::Due.is_late());
    }

    #[test]
    fn central_production_is_due_within_two_weeks() {
        assert_eq!(production_deadline(utc("2026-11-24T10:00:00Z")), utc("2026-12-08T10:00:00Z"));
    }

    #[test]
    fn region_passes_certificates_to_the_district_within_two_days() {
        assert_eq!(district_transfer_deadline(utc("2026-11-24T10:00:00Z")), utc("2026-11-26T10:00:00Z"));
    }

    #[test]
    fn central_fund_transfers_to_each_region_at_least_twice_a_month() {
        let now = utc("2026-11-30T12:00:00Z");
        // Certificates waiting since the 10th, last act on the 12th: 18 days → flagged.
        assert!(region_transfer_overdue(Some(utc("2026-11-12T12:00:00Z")), Some(utc("2026-11-10T00:00:00Z")), now));
        // Last act on the 20th: 10 days → fine.
        assert!(!region_transfer_overdue(Some(utc("2026-11-20T12:00:00Z")), Some(utc("2026-11-10T00:00:00Z")), now));
        // Nothing waiting → nothing to flag, however long ago the last act was.
        assert!(!region_transfer_overdue(Some(utc("2026-01-01T00:00:00Z")), None, now));
        // Never an act, and certificates waiting for 16 days → flagged.
        assert!(region_transfer_overdue(None, Some(utc("2026-11-14T00:00:00Z")), now));
    }

    #[test]
    fn card_is_ready_within_thirty_working_days_of_the_application() {
        let martial = WorkingCalendar::law_2023(true);
        assert_eq!(card_ready_by(date("2026-08-03"), &martial), date("2026-09-14"));
        assert_eq!(card_ready_by(date("2026-08-03"), &WorkingCalendar::law_2023(false)), date("2026-09-15"));
    }

    fn app(form: CertificateForm, pension_until: Option<&str>, disability_until: Option<&str>) -> ApplicationData {
        use crate::pension::{Disability, DisabilityCause, DisabilityGroup, PensionKind};
        ApplicationData {
            pension_kind: PensionKind::Disability,
            form,
            issue_unit_id: 1,
            disability: disability_until.map(|u| Disability {
                group: DisabilityGroup::II,
                subgroup: None,
                cause: DisabilityCause::GeneralDisease,
                impairment: None,
                until: Some(date(u)),
            }),
            service_body: None,
            pension_until: pension_until.map(date),
            representative_id: None,
            replacement: None,
            payment_system: None,
        }
    }

    #[test]
    fn section_4_4_a_card_is_valid_at_most_three_years_and_stays_a_payment_card_past_the_pension_term() {
        assert_eq!(card_expires_on(date("2026-11-21")), date("2029-11-21"));
        assert_eq!(card_expires_on(date("2028-02-29")), date("2031-02-28"), "a leap day ends on the 28th");
        // The card's own validity does not depend on the pension; the certificate's does.
        let fixed = app(CertificateForm::Card, Some("2027-06-30"), None);
        assert_eq!(valid_until(&fixed, Some(card_expires_on(date("2026-11-21")))), Some(date("2027-06-30")));
        let disability = app(CertificateForm::Card, Some("2035-01-01"), Some("2028-03-01"));
        assert_eq!(term_end(&disability), Some(date("2028-03-01")));
        assert_eq!(valid_until(&disability, Some(date("2029-11-21"))), Some(date("2028-03-01")));
        let open = app(CertificateForm::Card, None, None);
        assert_eq!(valid_until(&open, Some(date("2029-11-21"))), Some(date("2029-11-21")));
        assert_eq!(valid_until(&open, None), None, "not made yet: no validity");
    }

    #[test]
    fn paper_validity_is_unlimited_unless_the_pension_is_for_a_fixed_term() {
        assert_eq!(valid_until(&app(CertificateForm::Paper, None, None), None), None);
        // The disability's term is printed as an entry; the paper's validity is the pension's (§III.9).
        assert_eq!(valid_until(&app(CertificateForm::Paper, None, Some("2028-03-01")), None), None);
        assert_eq!(valid_until(&app(CertificateForm::Paper, Some("2027-06-30"), None), None), Some(date("2027-06-30")));
    }

    #[test]
    fn section_3_9_term_limited_certificates_are_flagged_before_expiry() {
        assert_eq!(expiry_flag(None, date("2026-11-21")), None);
        assert_eq!(expiry_flag(Some(date("2027-06-30")), date("2026-11-21")), None);
        assert_eq!(
            expiry_flag(Some(date("2026-12-01")), date("2026-11-21")),
            Some(ExpiryFlag::Expiring { days_left: 10 })
        );
        assert_eq!(expiry_flag(Some(date("2026-11-20")), date("2026-11-21")), Some(ExpiryFlag::Expired));
    }

    #[test]
    fn destruction_needs_a_commission_of_at_least_three_chaired_by_the_head() {
        let today = date("2026-11-21");
        let full = [
            appointed("head", Duty::CommissionChair),
            appointed("a", Duty::CommissionMember),
            appointed("b", Duty::CommissionMember),
        ];
        assert_eq!(check_commission(&full, "head", today), Ok(()));
        let two = &full[..2];
        assert_eq!(check_commission(two, "head", today).unwrap_err().key, "production.commission.too_few");
        // The same person twice is still two people.
        let twice = [full[0].clone(), full[1].clone(), full[1].clone()];
        assert_eq!(check_commission(&twice, "head", today).unwrap_err().key, "production.commission.too_few");
        // Chaired by someone other than the head of the territorial body.
        assert_eq!(check_commission(&full, "deputy", today).unwrap_err().key, "production.commission.chair");
        // A member whose appointment has not started yet.
        let mut late = full.clone();
        late[2].from = date("2026-12-01");
        assert_eq!(check_commission(&late, "head", today).unwrap_err().key, "production.commission.not_appointed");
    }

    #[test]
    fn a_destruction_act_is_signed_by_every_member() {
        let members = [
            appointed("head", Duty::CommissionChair),
            appointed("a", Duty::CommissionMember),
            appointed("b", Duty::CommissionMember),
        ];
        let all: Vec<String> = ["head", "a", "b"].map(String::from).to_vec();
        assert_eq!(check_act_signed(&members, &all), Ok(()));
        let err = check_act_signed(&members, &all[..2]).unwrap_err();
        assert_eq!(err.key, "production.act.unsigned");
    }

    #[test]
    fn destruction_reasons_are_those_of_section_i_4() {
        for r in DestructionReason::ALL {
            assert_eq!(DestructionReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(DestructionReason::parse("boredom"), None);
    }

    #[test]
    fn acceptance_by_act_records_missing_extra_and_damaged_certificates() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let d = reconcile(&s(&["1", "2", "3"]), &s(&["2", "3", "4"]), &s(&["3", "9"]));
        assert_eq!(d, Discrepancies { missing: s(&["1"]), extra: s(&["4"]), damaged: s(&["3"]) });
        assert!(reconcile(&s(&["1"]), &s(&["1"]), &[]).is_empty());
    }

    #[test]
    fn issue_to_a_representative_needs_status_proof_and_tax_registration_if_resident() {
        let rep = |status: &str, resident, tax: Option<&str>| Recipient::Representative {
            identity_document: "паспорт КВ123456".into(),
            status_document: status.into(),
            resident,
            tax_registration: tax.map(String::from),
        };
        assert_eq!(check_recipient(&rep("рішення суду №1", true, Some("1759013776"))), Ok(()));
        assert_eq!(check_recipient(&rep("рішення суду №1", false, None)), Ok(()));
        assert_eq!(check_recipient(&rep("", false, None)).unwrap_err().key, "production.issue.status_document");
        assert_eq!(
            check_recipient(&rep("рішення суду №1", true, Some(" "))).unwrap_err().key,
            "production.issue.tax_registration"
        );
        let owner = Recipient::Owner { identity_document: String::new() };
        assert_eq!(check_recipient(&owner).unwrap_err().key, "production.issue.identity_document");
    }

    #[test]
    fn v_3_the_recipient_signs_the_journal_with_a_tick_or_a_captured_image() {
        let issue = |signature: &str| IssueInput {
            recipient_name: " Бондар Петро Іванович ".into(),
            recipient: Recipient::Owner { identity_document: "ID 001234567".into() },
            signature: signature.into(),
        };
        let ok = issue("tick").validate().unwrap();
        assert_eq!((ok.recipient_name(), ok.signature()), ("Бондар Петро Іванович", &JournalSignature::Tick));
        let digest = "AB".repeat(32);
        let image = issue(&format!("image:{digest}")).validate().unwrap();
        assert_eq!(image.signature().as_text(), format!("image:{}", digest.to_ascii_lowercase()));
        for unsigned in ["", "image:not-a-digest", "image:", "Tick"] {
            assert!(
                issue(unsigned).validate().unwrap_err().has("signature", "production.issue.signature"),
                "{unsigned:?}"
            );
        }
    }

    #[test]
    fn v_1_an_issue_names_the_recipient_and_reports_every_problem_at_once() {
        let bad = IssueInput {
            recipient_name: " ".into(),
            recipient: Recipient::Representative {
                identity_document: "паспорт".into(),
                status_document: " ".into(),
                resident: true,
                tax_registration: Some("1234567890".into()),
            },
            signature: String::new(),
        };
        let e = bad.validate().unwrap_err();
        assert!(e.has("recipient", "production.issue.status_document"));
        assert!(e.has("recipient_name", "common.required"));
        assert!(e.has("signature", "production.issue.signature"));
    }

    #[test]
    fn section_3_batches_climb_district_region_central_with_their_cutoffs() {
        let w = BatchWeek::of_acceptance(Utc::now());
        assert_eq!(BatchLevel::District.cutoff(w), w.district_cutoff());
        assert_eq!(BatchLevel::Region.cutoff(w), w.region_cutoff());
        assert_eq!(BatchLevel::Central.cutoff(w), w.region_cutoff(), "the central check has no cut-off of its own");
        assert_eq!(BatchLevel::District.step(), (Stage::Accepted, Event::SubmitToRegion));
        assert_eq!(BatchLevel::Region.step(), (Stage::SubmittedToRegion, Event::SubmitToCentral));
        assert_eq!(BatchLevel::Central.step(), (Stage::SubmittedToCentral, Event::PassDuplicateCheck));
        for l in BatchLevel::ALL {
            assert_eq!(BatchLevel::parse(l.as_str()), Some(l));
        }
        assert_eq!(BatchLevel::District.unit_kind(), UnitKind::DistrictOffice);
    }

    proptest! {
        #[test]
        fn every_acceptance_belongs_to_the_batch_whose_cutoff_comes_next(secs in 1_600_000_000i64..2_000_000_000) {
            let t = DateTime::from_timestamp(secs, 0).unwrap();
            let w = BatchWeek::of_acceptance(t);
            prop_assert!(t < w.district_cutoff());
            prop_assert!(t >= w.district_cutoff() - Duration::weeks(1) - Duration::hours(1));
            prop_assert!(w.region_cutoff() > w.district_cutoff());
            prop_assert_eq!(BatchWeek::parse(&w.to_string()), Some(w));
        }
    }
}
