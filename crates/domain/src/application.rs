//! The application for a pension certificate (form 1) and the rules it must
//! satisfy before anything is written (regulation 26-1 §I.2, §I.3, §II).
//!
//! An application and the certificate made from it are one record moving
//! through [`crate::lifecycle`]; "a live certificate or pending application"
//! is therefore one notion, [`Stage::is_live`]. The store gathers the
//! [`Facts`] (the person, their representatives, their other certificates,
//! the chosen office or bank branch) and [`validate`] decides, purely.
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::schema::{DateText, OrBlank};

use crate::error::Invalid;
use crate::i18n::{Lang, Message};
use crate::lifecycle::{CertificateForm, Stage};
use crate::org::UnitKind;
use crate::pension::{
    Disability, DisabilityCause, DisabilityGroup, DisabilitySubgroup, Impairment, PaymentSystem, PensionKind,
    ServiceBody,
};
use crate::person::{PersonData, TaxId, parse_date};

/// Why a new certificate replaces an earlier one (§I.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReplacementReason {
    Unusable,
    Lost,
    OtherPensionKind,
    RepresentativeChanged,
    /// §IV.4: the pension's term was extended, or a disability established or
    /// extended for a new term — a card is made anew.
    TermExtended,
}

impl ReplacementReason {
    pub const ALL: [ReplacementReason; 5] = [
        ReplacementReason::Unusable,
        ReplacementReason::Lost,
        ReplacementReason::OtherPensionKind,
        ReplacementReason::RepresentativeChanged,
        ReplacementReason::TermExtended,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            ReplacementReason::Unusable => "unusable",
            ReplacementReason::Lost => "lost",
            ReplacementReason::OtherPensionKind => "other_pension_kind",
            ReplacementReason::RepresentativeChanged => "representative_changed",
            ReplacementReason::TermExtended => "term_extended",
        }
    }
    pub fn parse(s: &str) -> Result<Self, Message> {
        if s.trim().is_empty() {
            return Err(Message::new("common.required"));
        }
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == s.trim())
            .ok_or_else(|| Message::new("common.unknown_value").with("value", s.trim()))
    }
    pub fn message(self) -> Message {
        Message::new(match self {
            ReplacementReason::Unusable => "replacement.unusable",
            ReplacementReason::Lost => "replacement.lost",
            ReplacementReason::OtherPensionKind => "replacement.other_pension_kind",
            ReplacementReason::RepresentativeChanged => "replacement.representative_changed",
            ReplacementReason::TermExtended => "replacement.term_extended",
        })
    }
}

/// What happened to the certificate being replaced: handed back (to the fund
/// for paper, to the bank for a card) for destruction, or declared lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreviousDisposition {
    Returned,
    DeclaredLost,
}

impl PreviousDisposition {
    pub fn parse(s: &str) -> Result<Self, Message> {
        match s.trim() {
            "returned" => Ok(PreviousDisposition::Returned),
            "declared_lost" => Ok(PreviousDisposition::DeclaredLost),
            other => Err(Message::new("common.unknown_value").with("value", other)),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            PreviousDisposition::Returned => "returned",
            PreviousDisposition::DeclaredLost => "declared_lost",
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct DisabilityInput {
    #[schemars(required, with = "DisabilityGroup")]
    pub group: String,
    /// Only within group I.
    #[schemars(with = "Option<OrBlank<DisabilitySubgroup>>")]
    pub subgroup: Option<String>,
    /// `child_with_disability` exactly for a person under 18.
    #[schemars(required, with = "DisabilityCause")]
    pub cause: String,
    #[schemars(with = "Option<OrBlank<Impairment>>")]
    pub impairment: Option<String>,
    /// The day the disability is established until (in the future); none: without a re-examination term.
    #[schemars(with = "Option<OrBlank<DateText>>")]
    pub until: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ReplacementInput {
    #[schemars(required, with = "ReplacementReason")]
    pub reason: String,
    /// The person's certificate it replaces, still in their hands.
    #[schemars(required)]
    pub previous_certificate_id: Option<Uuid>,
    /// What became of the previous certificate (a lost one cannot be returned).
    #[schemars(required, with = "PreviousDisposition")]
    pub previous_disposition: String,
}

/// Raw fields of form 1 as the API or the web form gives them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ApplicationInput {
    /// One certificate per pension kind: not while another of the kind is live.
    #[schemars(required, with = "PensionKind")]
    pub pension_kind: String,
    /// Paper (form 2), or the card that is also the certificate (internally displaced persons get the card).
    #[schemars(required, with = "CertificateForm")]
    pub form: String,
    /// Paper: the fund office that will issue it; card: the bank branch (§V.2).
    #[schemars(required)]
    pub issue_unit_id: Option<i64>,
    /// Required for a disability pension.
    pub disability: Option<DisabilityInput>,
    /// Body of service for a pension under the military-service pensions law.
    #[schemars(with = "Option<OrBlank<ServiceBody>>")]
    pub service_body: Option<String>,
    /// Last day of a pension granted for a fixed term, in the future (§II.1(8), §III.9).
    #[schemars(with = "Option<OrBlank<DateText>>")]
    pub pension_until: Option<String>,
    /// The person's current legal representative; required for a minor or a person without full capacity.
    pub representative_id: Option<Uuid>,
    /// When the certificate replaces an earlier one (§I.3).
    pub replacement: Option<ReplacementInput>,
    /// Card only, and required for it: the payment system the person chose (§IV.2).
    #[schemars(with = "Option<OrBlank<PaymentSystem>>")]
    pub payment_system: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Replacement {
    pub reason: ReplacementReason,
    pub previous_certificate_id: Uuid,
    pub previous_disposition: PreviousDisposition,
}

/// A validated application, ready to be stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ApplicationData {
    pub pension_kind: PensionKind,
    pub form: CertificateForm,
    pub issue_unit_id: i64,
    pub disability: Option<Disability>,
    pub service_body: Option<ServiceBody>,
    pub pension_until: Option<NaiveDate>,
    pub representative_id: Option<Uuid>,
    pub replacement: Option<Replacement>,
    /// The card's payment system as the person chose it (§IV.2); `None` for paper.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_system: Option<PaymentSystem>,
}

/// Another certificate or application of the same person, as the store knows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingCertificate {
    pub id: Uuid,
    /// Human reference shown in messages: certificate number or application number.
    pub reference: String,
    pub pension_kind: PensionKind,
    pub form: CertificateForm,
    pub stage: Stage,
    /// The end of the term its pension or disability was granted for (`production::term_end`).
    pub term_end: Option<NaiveDate>,
    /// It was made for a disability.
    pub disability: bool,
}

/// A representative on record for the person, with whether the status is current.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepresentativeRef {
    pub id: Uuid,
    pub active: bool,
}

/// Everything the rules need to know besides the input.
pub struct Facts<'a> {
    pub today: NaiveDate,
    pub person: &'a PersonData,
    pub representatives: &'a [RepresentativeRef],
    /// Kind of the unit named by `issue_unit_id`; `None` if no such unit.
    pub issue_unit_kind: Option<UnitKind>,
    /// The person's other certificates and applications.
    pub existing: &'a [ExistingCertificate],
    /// When amending: the application being amended (not its own duplicate).
    pub amending: Option<Uuid>,
}

/// Stages in which a certificate is in the holder's hands and so can be replaced.
fn is_held(stage: Stage) -> bool {
    matches!(stage, Stage::Issued | Stage::Active | Stage::Blocked)
}

/// End of the Second World War for the "child of war" status (born after
/// 1927-09-02, i.e. under 18 on 1945-09-02).
fn child_of_war_born_after() -> NaiveDate {
    NaiveDate::from_ymd_opt(1927, 9, 2).expect("constant date")
}
fn end_of_ww2() -> NaiveDate {
    NaiveDate::from_ymd_opt(1945, 9, 2).expect("constant date")
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Validates form 1 against every rule; reports all problems at once.
pub fn validate(input: &ApplicationInput, facts: &Facts<'_>) -> Result<ApplicationData, Invalid> {
    let mut errs = Invalid::default();
    let person = facts.person;

    // §II.1(6): the pension kind is one of four.
    let pension_kind = errs.check("pension_kind", PensionKind::parse(&input.pension_kind));

    // §I.2: paper (form 2) or the card that is also the certificate.
    let form = match input.form.trim() {
        "paper" => Some(CertificateForm::Paper),
        "card" => Some(CertificateForm::Card),
        "" => {
            errs.push("form", "common.required");
            None
        }
        other => {
            errs.push("form", Message::new("common.unknown_value").with("value", other));
            None
        }
    };

    // §V.2: paper is issued by the fund office named in the application,
    // a card by the named bank branch.
    let issue_unit_id = match (input.issue_unit_id, form) {
        (None, _) => {
            errs.push("issue_unit_id", "common.required");
            None
        }
        (Some(id), Some(f)) => {
            let ok = match (f, facts.issue_unit_kind) {
                (CertificateForm::Paper, Some(k)) => k.issues_paper(),
                (CertificateForm::Card, Some(k)) => k == UnitKind::BankBranch,
                (_, None) => false,
            };
            if !ok {
                let key = match f {
                    CertificateForm::Paper => "application.issue_unit_not_office",
                    CertificateForm::Card => "application.issue_unit_not_bank_branch",
                };
                errs.push("issue_unit_id", key);
            }
            Some(id)
        }
        (Some(id), None) => Some(id),
    };

    // §IV.2: a card works on the payment system the person chooses; paper has none.
    let payment_system = match (form, present(&input.payment_system)) {
        (Some(CertificateForm::Card), None) => {
            errs.push("payment_system", "application.payment_system_required");
            None
        }
        (Some(CertificateForm::Paper), Some(_)) => {
            errs.push("payment_system", "application.payment_system_card_only");
            None
        }
        (_, Some(s)) => errs.check("payment_system", PaymentSystem::parse(s)),
        (_, None) => None,
    };

    // §I.2: internally displaced persons receive the card form.
    if person.idp && form == Some(CertificateForm::Paper) {
        errs.push("form", "application.idp_gets_card");
    }

    // §II.1(7), §II.3: disability data, its fixed lists and their consistency.
    let disability = match &input.disability {
        None => None,
        Some(d) => validate_disability(d, person, facts.today, &mut errs),
    };
    if pension_kind == Some(PensionKind::Disability) && input.disability.is_none() {
        errs.push("disability", "application.disability_required");
    }

    // §II.3: a military-service pension names the body served in.
    let service_body = present(&input.service_body).and_then(|b| errs.check("service_body", ServiceBody::parse(b)));

    // §II.1(8), §III.9: a fixed-term pension bounds the validity term.
    let pension_until = match present(&input.pension_until) {
        None => None,
        Some(s) => match errs.check("pension_until", parse_date(s)) {
            Some(d) if d <= facts.today => {
                errs.push("pension_until", "application.term_in_past");
                None
            }
            other => other,
        },
    };

    // §I.2, §II.2: a minor, incapacitated or limited-capacity person applies
    // through a current legal representative, whose name goes on the certificate.
    let representative_id = input.representative_id;
    match representative_id {
        None if person.needs_representative(facts.today) => {
            errs.push("representative_id", "application.representative_required");
        }
        Some(id) => match facts.representatives.iter().find(|r| r.id == id) {
            None => errs.push("representative_id", "application.representative_unknown"),
            Some(r) if !r.active => errs.push("representative_id", "application.representative_inactive"),
            Some(_) => {}
        },
        None => {}
    }

    // §I.3: a replacement names the previous certificate, which must be the
    // person's own, in their hands, and returned or declared lost.
    let new = NewTerms {
        pension_kind,
        form,
        term_end: earliest_term(pension_until, disability.as_ref()),
        disability: disability.is_some(),
    };
    let replacement = input.replacement.as_ref().and_then(|r| validate_replacement(r, &new, facts, &mut errs));

    // Duplicate check: no second live certificate or pending application of the
    // same pension kind for the person (the one being replaced excluded).
    if let Some(kind) = pension_kind {
        let replaced = replacement.as_ref().map(|r| r.previous_certificate_id);
        if let Some(dup) = facts.existing.iter().find(|c| {
            c.pension_kind == kind && c.stage.is_live() && Some(c.id) != facts.amending && Some(c.id) != replaced
        }) {
            errs.push(
                "pension_kind",
                Message::new("application.duplicate")
                    .with("reference", &dup.reference)
                    .with_term("stage", dup.stage.message().key),
            );
        }
    }

    // §I.2 with §I.3: a person holds one form of certificate. Whoever holds an
    // electronic one gets no paper one; a paper holder gets a card only in
    // place of the paper certificate (a replacement: it is handed back and
    // destroyed), never beside it — so neither form is made while the other
    // is live or on its way, except the one being replaced.
    if let Some(form) = form {
        let replaced = replacement.as_ref().map(|r| r.previous_certificate_id);
        if let Some(other) = facts
            .existing
            .iter()
            .find(|c| c.form != form && c.stage.is_live() && Some(c.id) != facts.amending && Some(c.id) != replaced)
        {
            let key = match form {
                CertificateForm::Paper => "application.card_holder_no_paper",
                CertificateForm::Card => "application.paper_holder_card_in_its_place",
            };
            errs.push("form", Message::new(key).with("reference", &other.reference));
        }
    }

    errs.clone().into_result()?;
    match (pension_kind, form, issue_unit_id) {
        (Some(pension_kind), Some(form), Some(issue_unit_id)) => Ok(ApplicationData {
            pension_kind,
            form,
            issue_unit_id,
            disability,
            service_body,
            pension_until,
            representative_id,
            replacement,
            payment_system,
        }),
        _ => Err(Invalid::one("", "common.validation_failed")),
    }
}

fn validate_disability(
    d: &DisabilityInput,
    person: &PersonData,
    today: NaiveDate,
    errs: &mut Invalid,
) -> Option<Disability> {
    let group = errs.check("disability.group", DisabilityGroup::parse(&d.group));
    let subgroup = present(&d.subgroup).and_then(|s| errs.check("disability.subgroup", DisabilitySubgroup::parse(s)));
    let cause = errs.check("disability.cause", DisabilityCause::parse(&d.cause));
    let impairment = present(&d.impairment).and_then(|s| errs.check("disability.impairment", Impairment::parse(s)));
    let until = present(&d.until).and_then(|s| errs.check("disability.until", parse_date(s)));
    if subgroup.is_some() && group.is_some() && group != Some(DisabilityGroup::I) {
        errs.push("disability.subgroup", "application.subgroup_only_group_one");
    }
    let age = person.age_on(today);
    if cause == Some(DisabilityCause::ChildWithDisability) && age >= 18 {
        errs.push("disability.cause", "application.child_with_disability_age");
    }
    if cause != Some(DisabilityCause::ChildWithDisability) && cause.is_some() && age < 18 {
        errs.push("disability.cause", "application.minor_is_child_with_disability");
    }
    if cause == Some(DisabilityCause::ChildOfWar)
        && !(person.birth_date > child_of_war_born_after() && person.birth_date <= end_of_ww2())
    {
        errs.push("disability.cause", "application.child_of_war_birth");
    }
    if let Some(u) = until
        && u <= today
    {
        errs.push("disability.until", "application.term_in_past");
    }
    Some(Disability { group: group?, subgroup, cause: cause?, impairment, until })
}

/// The end of the term the pension or the disability was granted for, whichever
/// comes first; `None` when neither is fixed.
pub(crate) fn earliest_term(pension_until: Option<NaiveDate>, disability: Option<&Disability>) -> Option<NaiveDate> {
    [pension_until, disability.and_then(|d| d.until)].into_iter().flatten().min()
}

/// What a replacement is checked against: the new application's own terms.
struct NewTerms {
    pension_kind: Option<PensionKind>,
    form: Option<CertificateForm>,
    term_end: Option<NaiveDate>,
    disability: bool,
}

fn validate_replacement(
    r: &ReplacementInput,
    new: &NewTerms,
    facts: &Facts<'_>,
    errs: &mut Invalid,
) -> Option<Replacement> {
    let pension_kind = new.pension_kind;
    let reason = errs.check("replacement.reason", ReplacementReason::parse(&r.reason));
    let disposition = if r.previous_disposition.trim().is_empty() {
        errs.push("replacement.previous_disposition", "application.previous_disposition_required");
        None
    } else {
        errs.check("replacement.previous_disposition", PreviousDisposition::parse(&r.previous_disposition))
    };
    if reason == Some(ReplacementReason::Lost) && disposition == Some(PreviousDisposition::Returned) {
        errs.push("replacement.previous_disposition", "application.lost_cannot_be_returned");
    }
    let Some(prev_id) = r.previous_certificate_id else {
        errs.push("replacement.previous_certificate_id", "common.required");
        return None;
    };
    match facts.existing.iter().find(|c| c.id == prev_id) {
        None => errs.push("replacement.previous_certificate_id", "application.previous_not_found"),
        Some(c) if !is_held(c.stage) => errs.push(
            "replacement.previous_certificate_id",
            Message::new("application.previous_not_held").with("reference", &c.reference),
        ),
        Some(c) => {
            if reason == Some(ReplacementReason::OtherPensionKind) && pension_kind == Some(c.pension_kind) {
                errs.push("pension_kind", "application.other_kind_must_differ");
            }
            if reason.is_some()
                && reason != Some(ReplacementReason::OtherPensionKind)
                && pension_kind.is_some()
                && pension_kind != Some(c.pension_kind)
            {
                errs.push("pension_kind", "application.replacement_same_kind");
            }
            if reason == Some(ReplacementReason::TermExtended) {
                check_term_extended(c, new, errs);
            }
        }
    }
    Some(Replacement { reason: reason?, previous_certificate_id: prev_id, previous_disposition: disposition? })
}

/// §IV.4: a new card follows a pension term extended, or a disability established or
/// extended for a new term; a paper certificate is not remade for it (it states its term).
fn check_term_extended(previous: &ExistingCertificate, new: &NewTerms, errs: &mut Invalid) {
    if previous.form != CertificateForm::Card || new.form != Some(CertificateForm::Card) {
        errs.push("replacement.reason", "application.term_extended_card_only");
        return;
    }
    let established = new.disability && !previous.disability;
    let extended = previous.term_end.is_some_and(|old| new.term_end.is_none_or(|n| n > old));
    if !established && !extended {
        let key = Message::new("application.term_not_extended");
        errs.push(
            "pension_until",
            match previous.term_end {
                Some(old) => key.with("date", old.format("%d.%m.%Y")),
                None => Message::new("application.term_not_fixed"),
            },
        );
    }
}

/// The data items printed on the certificate (§II.1–§II.3), composed from a
/// validated person and application; what is printed is decided here, once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CertificateText {
    /// (1) RNOKPP — `None` for a person who refused it (then nothing is printed).
    pub rnokpp: Option<String>,
    /// (1) passport series and number for such a person.
    pub passport: Option<String>,
    /// (2) full name.
    pub full_name: String,
    /// (3) date of birth, `dd.mm.yyyy`.
    pub birth_date: String,
    /// (4) sex, as the word the certificate prints.
    pub sex: String,
    /// (5) personal account number.
    pub account_no: Option<String>,
    /// (6) pension kind, followed by the §II.3 entries (service body, disability).
    pub pension_kind: String,
    /// (7) disability group/subgroup/cause with nosology, and its term.
    pub disability: Option<String>,
    /// (8) validity term: `None` = unlimited.
    pub valid_until: Option<String>,
    /// §II.2: the legal representative's full name, when one applies.
    pub representative: Option<String>,
}

impl CertificateText {
    pub fn compose(
        person: &PersonData,
        app: &ApplicationData,
        representative: Option<&str>,
        today: NaiveDate,
        lang: Lang,
    ) -> Self {
        let (rnokpp, passport) = match &person.tax_id {
            TaxId::Rnokpp { rnokpp } => (Some(rnokpp.to_string()), None),
            TaxId::ReligiousRefusal { passport } => (None, Some(passport.to_string())),
        };
        let mut kind = app.pension_kind.message().render(lang);
        if let Some(body) = app.service_body {
            kind = format!("{kind}, {}", body.message().render(lang));
        }
        let disability = app.disability.as_ref().map(|d| match d.until {
            Some(u) => format!(
                "{} ({} {})",
                d.certificate_entry(lang),
                Message::new("application.until").render(lang),
                u.format("%d.%m.%Y")
            ),
            None => d.certificate_entry(lang),
        });
        // The certificate is valid for the pension's term; paper is otherwise unlimited (§III.9).
        let valid_until = app.pension_until.map(|d| d.format("%d.%m.%Y").to_string());
        CertificateText {
            rnokpp,
            passport,
            full_name: person.name.display(),
            birth_date: person.birth_date.format("%d.%m.%Y").to_string(),
            sex: person.sex.message().render(lang),
            account_no: person.account_no.as_ref().map(ToString::to_string),
            pension_kind: kind,
            disability,
            valid_until,
            // §II.2: only for a minor, incapacitated or limited-capacity person.
            representative: representative.filter(|_| person.needs_representative(today)).map(str::to_owned),
        }
    }
}

#[cfg(test)]
mod tests;
