//! E-applications (issue 21 §4): what a citizen asks the fund for from the
//! personal account — a pension, another way of paying it, a pension
//! certificate — signed with their qualified signature in the wallet, decided
//! by staff within a term of working days, answered with a signed decision.
//!
//! The rules here are pure: the kinds and their terms, what each kind needs
//! ([`EApplicationInput::validate`]), the life of an e-application
//! ([`Status::after`]) and the exact text the citizen signs ([`statement`]).
use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::calendar::WorkingCalendar;
use crate::lifecycle::CertificateForm;
use crate::notify::email_address;
use crate::payment::{Award, AwardForm, Delivery};
use crate::pension::{PaymentSystem, PensionKind};
use crate::time::kyiv_time;
use crate::{Invalid, Lang, Message};

/// What is asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// Assign a pension (documents attached).
    PensionAssignment,
    /// Pay the pension another way: to a bank account or through the post.
    DeliveryChange,
    /// Issue a pension certificate (form 1 of regulation 26-1).
    Certificate,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::PensionAssignment, Kind::DeliveryChange, Kind::Certificate];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::PensionAssignment => "pension_assignment",
            Kind::DeliveryChange => "delivery_change",
            Kind::Certificate => "certificate",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s.trim())
    }

    /// The application's title, e.g. "Application for a pension".
    pub fn message(self) -> Message {
        Message::new(match self {
            Kind::PensionAssignment => "e_application.kind.pension_assignment",
            Kind::DeliveryChange => "e_application.kind.delivery_change",
            Kind::Certificate => "e_application.kind.certificate",
        })
    }
}

/// Working days staff have for a decision, per kind (configurable: the
/// defaults follow the fund's practice — ten working days to assign a pension
/// once the documents are in (Law 1058, art. 45), five to change the payment
/// route, ten to accept a certificate application).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Terms {
    pub pension_assignment: u32,
    pub delivery_change: u32,
    pub certificate: u32,
}

impl Default for Terms {
    fn default() -> Self {
        Terms { pension_assignment: 10, delivery_change: 5, certificate: 10 }
    }
}

impl Terms {
    pub fn of(&self, kind: Kind) -> u32 {
        match kind {
            Kind::PensionAssignment => self.pension_assignment,
            Kind::DeliveryChange => self.delivery_change,
            Kind::Certificate => self.certificate,
        }
    }

    /// The last day for a decision on an application of `kind` submitted at `at`.
    pub fn due(&self, kind: Kind, at: DateTime<Utc>, calendar: &WorkingCalendar) -> NaiveDate {
        calendar.add_working_days(kyiv_time(at).date_naive(), self.of(kind))
    }
}

/// What the application asks for, validated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Request {
    PensionAssignment {
        pension_kind: PensionKind,
        delivery: Delivery,
    },
    DeliveryChange {
        delivery: Delivery,
    },
    Certificate {
        pension_kind: PensionKind,
        form: CertificateForm,
        /// Paper: the fund office that issues it; card: the bank branch.
        issue_unit_id: i64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        payment_system: Option<PaymentSystem>,
    },
}

impl Request {
    pub fn kind(&self) -> Kind {
        match self {
            Request::PensionAssignment { .. } => Kind::PensionAssignment,
            Request::DeliveryChange { .. } => Kind::DeliveryChange,
            Request::Certificate { .. } => Kind::Certificate,
        }
    }
}

/// A validated application: the request, the citizen's note, and where the
/// decision is e-mailed (besides the account and the person's subscriptions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct EApplicationData {
    pub request: Request,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
}

pub const MAX_NOTE: usize = 2000;
/// Files a citizen may attach to one application, and the size of each.
pub const MAX_ATTACHMENTS: usize = 10;
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;

/// An application as the form gives it (every field text; blank = not given).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct EApplicationInput {
    #[schemars(required, with = "Kind")]
    pub kind: String,
    /// Pension assignment and certificate.
    pub pension_kind: String,
    /// Pension assignment and delivery change: `bank` or `post`.
    pub delivery: String,
    pub iban: String,
    pub postcode: String,
    pub address: String,
    /// Certificate: `paper` or `card`.
    pub certificate_form: String,
    /// Certificate: the office (paper) or bank branch (card) that issues it.
    pub issue_unit_id: Option<i64>,
    /// Certificate on a card: the payment system the person chose (§IV.2).
    pub payment_system: String,
    pub note: String,
    /// Where the decision is e-mailed (optional).
    pub email: String,
}

impl EApplicationInput {
    /// Checks every field the kind needs; reports all problems at once.
    pub fn validate(&self) -> Result<EApplicationData, Invalid> {
        let mut errs = Invalid::default();
        let Some(kind) = Kind::parse(&self.kind) else {
            return Err(Invalid::one("kind", "e_application.kind_required"));
        };
        let pension_kind = match kind {
            Kind::PensionAssignment | Kind::Certificate => {
                errs.check("pension_kind", PensionKind::parse(&self.pension_kind))
            }
            Kind::DeliveryChange => None,
        };
        let delivery = match kind {
            Kind::PensionAssignment | Kind::DeliveryChange => self.delivery(&mut errs),
            Kind::Certificate => None,
        };
        let certificate = match kind {
            Kind::Certificate => self.certificate(&mut errs),
            _ => None,
        };
        let note = self.note.trim();
        if note.chars().count() > MAX_NOTE {
            errs.push("note", Message::new("common.too_long").with("max", MAX_NOTE as i64));
        } else if let Err(m) = crate::text::printable_multiline(note) {
            errs.push("note", m);
        }
        let email = match self.email.trim() {
            "" => None,
            e => {
                let parsed = email_address(e);
                if parsed.is_none() {
                    errs.push("email", "notify.email_format");
                }
                parsed
            }
        };
        errs.into_result()?;
        let request = match (kind, pension_kind, delivery, certificate) {
            (Kind::PensionAssignment, Some(pension_kind), Some(delivery), _) => {
                Request::PensionAssignment { pension_kind, delivery }
            }
            (Kind::DeliveryChange, _, Some(delivery), _) => Request::DeliveryChange { delivery },
            (Kind::Certificate, Some(pension_kind), _, Some((form, issue_unit_id, payment_system))) => {
                Request::Certificate { pension_kind, form, issue_unit_id, payment_system }
            }
            _ => return Err(Invalid::one("kind", "e_application.kind_required")),
        };
        Ok(EApplicationData { request, note: (!note.is_empty()).then(|| note.to_owned()), email })
    }

    fn delivery(&self, errs: &mut Invalid) -> Option<Delivery> {
        match Delivery::from_fields(&self.delivery, &self.iban, &self.postcode, &self.address) {
            Ok(d) => Some(d),
            Err(problems) => {
                for (field, m) in problems {
                    errs.push(field, m);
                }
                None
            }
        }
    }

    fn certificate(&self, errs: &mut Invalid) -> Option<(CertificateForm, i64, Option<PaymentSystem>)> {
        let form = CertificateForm::parse(self.certificate_form.trim());
        if form.is_none() {
            errs.push("certificate_form", "e_application.form_required");
        }
        if self.issue_unit_id.is_none() {
            errs.push("issue_unit_id", "common.required");
        }
        // §IV.2: a card names the payment system the person chose; paper names none.
        let payment_system = match (form, self.payment_system.trim()) {
            (Some(CertificateForm::Card), p) => errs.check("payment_system", PaymentSystem::parse(p)),
            (_, "") => None,
            (_, _) => {
                errs.push("payment_system", "application.payment_system_card_only");
                None
            }
        };
        Some((form?, self.issue_unit_id?, payment_system))
    }
}

/// Where an e-application is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Waiting for the citizen's signature in the wallet.
    Signing,
    /// Signed and in the office's inbox, due by its term.
    Submitted,
    Granted,
    Refused,
    /// Never signed: declined in the wallet or left until the request expired.
    Abandoned,
}

/// What happens to an e-application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Event {
    /// The wallet returned a valid signature of the citizen over the statement.
    Signed,
    /// The wallet said declined or expired.
    NotSigned,
    Grant,
    Refuse,
}

impl Status {
    pub const ALL: [Status; 5] =
        [Status::Signing, Status::Submitted, Status::Granted, Status::Refused, Status::Abandoned];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Signing => "signing",
            Status::Submitted => "submitted",
            Status::Granted => "granted",
            Status::Refused => "refused",
            Status::Abandoned => "abandoned",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Status::Signing => "e_application.status.signing",
            Status::Submitted => "e_application.status.submitted",
            Status::Granted => "e_application.status.granted",
            Status::Refused => "e_application.status.refused",
            Status::Abandoned => "e_application.status.abandoned",
        })
    }

    /// The status after `event`, or `None` when the event cannot happen now:
    /// only a signed application is decided, and only once.
    pub fn after(self, event: Event) -> Option<Status> {
        match (self, event) {
            (Status::Signing, Event::Signed) => Some(Status::Submitted),
            (Status::Signing, Event::NotSigned) => Some(Status::Abandoned),
            (Status::Submitted, Event::Grant) => Some(Status::Granted),
            (Status::Submitted, Event::Refuse) => Some(Status::Refused),
            _ => None,
        }
    }

    /// Decided or abandoned: nothing more happens to it.
    pub fn is_final(self) -> bool {
        matches!(self, Status::Granted | Status::Refused | Status::Abandoned)
    }
}

/// Reasons for a refusal: required, and a refusal must say why.
pub const MIN_REASONS: usize = 10;
pub const MAX_REASONS: usize = 4000;

/// The staff's decision as typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Granted,
    Refused,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Granted => "granted",
            Decision::Refused => "refused",
        }
    }

    pub fn parse(s: &str) -> Option<Decision> {
        [Decision::Granted, Decision::Refused].into_iter().find(|d| d.as_str() == s.trim())
    }

    pub fn event(self) -> Event {
        match self {
            Decision::Granted => Event::Grant,
            Decision::Refused => Event::Refuse,
        }
    }
}

/// Checks the reasons given with a decision: a refusal needs them; a grant may have a comment.
pub fn check_reasons(decision: Decision, reasons: &str) -> Result<Option<String>, Invalid> {
    let r = reasons.trim();
    let len = r.chars().count();
    if decision == Decision::Refused && len < MIN_REASONS {
        return Err(Invalid::one(
            "reasons",
            Message::new("e_application.reasons_required").with("min", MIN_REASONS as i64),
        ));
    }
    if len > MAX_REASONS {
        return Err(Invalid::one("reasons", Message::new("common.too_long").with("max", MAX_REASONS as i64)));
    }
    crate::text::printable_multiline(r).map_err(|m| Invalid::one("reasons", m))?;
    Ok((!r.is_empty()).then(|| r.to_owned()))
}

/// A decision as staff type it, on the inbox's page or through the API.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default)]
pub struct DecisionForm {
    /// `granted` or `refused`.
    pub decision: String,
    /// Required to refuse (at least ten characters); a comment when granting.
    pub reasons: String,
    /// Granting a pension assignment: the monthly amount and the first day paid.
    #[serde(flatten)]
    pub award: AwardForm,
}

/// A decision that passed its checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckedDecision {
    pub decision: Decision,
    pub reasons: Option<String>,
    /// Present exactly when a pension assignment is granted.
    pub award: Option<Award>,
}

impl DecisionForm {
    /// Checks the decision on an application of `kind` the person submitted on
    /// `applied_on`: a grant of a pension assignment needs its amount and first
    /// day; any other decision takes neither.
    pub fn validate(&self, kind: Kind, applied_on: NaiveDate) -> Result<CheckedDecision, Invalid> {
        let decision = Decision::parse(&self.decision)
            .ok_or_else(|| Invalid::one("decision", "e_application.decision_required"))?;
        let reasons = check_reasons(decision, &self.reasons);
        let award = match (decision, kind) {
            (Decision::Granted, Kind::PensionAssignment) => self.award.validate(applied_on).map(Some),
            _ if self.award.is_blank() => Ok(None),
            _ => Err(Invalid::one("amount", "payment.award_only_with_assignment")),
        };
        match (reasons, award) {
            (Ok(reasons), Ok(award)) => Ok(CheckedDecision { decision, reasons, award }),
            (Err(Invalid(mut a)), Err(Invalid(b))) => {
                a.extend(b);
                Err(Invalid(a))
            }
            (Err(e), _) | (_, Err(e)) => Err(e),
        }
    }
}

/// An attachment as the statement names it: the signature covers its digest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentLine {
    pub name: String,
    pub sha256: String,
}

/// Everything the signed text says.
#[derive(Debug, Clone)]
pub struct StatementFacts<'a> {
    /// The application's id: the signature is bound to this application only.
    pub id: &'a str,
    pub data: &'a EApplicationData,
    /// The fund office that receives it.
    pub office: &'a str,
    /// The certificate's issuing office or bank branch, by name.
    pub issue_unit: Option<&'a str>,
    pub applicant_name: &'a str,
    pub applicant_rnokpp: &'a str,
    pub applicant_birth: NaiveDate,
    /// The legal representative who signs for the applicant, when not the applicant.
    pub representative: Option<&'a str>,
    pub attachments: &'a [AttachmentLine],
    pub at: DateTime<Utc>,
}

/// The exact text the citizen signs, in Ukrainian (the state language of
/// the fund's records); pages show it as it is, and the fund checks the
/// signature over these very bytes.
pub fn statement(f: &StatementFacts<'_>) -> String {
    let uk = |m: Message| m.render(Lang::UK);
    let mut lines = vec![
        uk(f.data.request.kind().message()).to_uppercase(),
        String::new(),
        uk(Message::new("e_application.statement.to").with("office", f.office)),
        uk(Message::new("e_application.statement.applicant")
            .with("name", f.applicant_name)
            .with("rnokpp", f.applicant_rnokpp)
            .with("birth", f.applicant_birth.format("%d.%m.%Y").to_string())),
    ];
    if let Some(rep) = f.representative {
        lines.push(uk(Message::new("e_application.statement.representative").with("name", rep)));
    }
    lines.push(String::new());
    lines.push(uk(match &f.data.request {
        Request::PensionAssignment { pension_kind, delivery } => Message::new("e_application.statement.pension")
            .with("pension", uk(pension_kind.message()))
            .with("delivery", uk(delivery.message())),
        Request::DeliveryChange { delivery } => {
            Message::new("e_application.statement.delivery").with("delivery", uk(delivery.message()))
        }
        Request::Certificate { pension_kind, form, payment_system, .. } => {
            let form = match (form, payment_system) {
                (CertificateForm::Card, Some(ps)) => {
                    Message::new("e_application.statement.card").with("system", uk(ps.message()))
                }
                _ => Message::new("e_application.statement.paper"),
            };
            Message::new("e_application.statement.certificate")
                .with("pension", uk(pension_kind.message()))
                .with("form", uk(form))
                .with("unit", f.issue_unit.unwrap_or_default())
        }
    }));
    if let Some(note) = &f.data.note {
        lines.push(uk(Message::new("e_application.statement.note").with("note", note.as_str())));
    }
    if !f.attachments.is_empty() {
        lines.push(String::new());
        lines.push(uk(Message::new("e_application.statement.attachments")));
        for (i, a) in f.attachments.iter().enumerate() {
            lines.push(format!("{}. {} (SHA-256 {})", i + 1, a.name, a.sha256));
        }
    }
    lines.push(String::new());
    lines.push(uk(Message::new("e_application.statement.truth")));
    lines.push(uk(Message::new("e_application.statement.signed_at")
        .with("at", kyiv_time(f.at).format("%d.%m.%Y %H:%M").to_string())
        .with("id", f.id)));
    let mut text = lines.join("\n");
    text.push('\n');
    text
}

#[cfg(test)]
mod tests;
