//! One test per rule of regulation 26-1 §I.2, §I.3, §II, named after the rule.
use super::*;
use crate::person::{Capacity, PersonInput};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn adult() -> PersonData {
    PersonInput {
        rnokpp: Some("1759013776".into()),
        surname: "Шевчук".into(),
        given_name: "Петро".into(),
        patronymic: Some("Іванович".into()),
        birth_date: "1948-02-28".into(),
        sex: "male".into(),
        account_no: Some("123456".into()),
        ..Default::default()
    }
    .validate(today())
    .unwrap()
}

fn child() -> PersonData {
    let mut p = adult();
    p.birth_date = NaiveDate::from_ymd_opt(2015, 5, 1).unwrap();
    p
}

fn paper_old_age() -> ApplicationInput {
    ApplicationInput {
        pension_kind: "old_age".into(),
        form: "paper".into(),
        issue_unit_id: Some(7),
        ..Default::default()
    }
}

struct World {
    person: PersonData,
    reps: Vec<RepresentativeRef>,
    unit: Option<UnitKind>,
    existing: Vec<ExistingCertificate>,
}

impl World {
    fn new(person: PersonData) -> Self {
        World { person, reps: vec![], unit: Some(UnitKind::DistrictOffice), existing: vec![] }
    }
    fn check(&self, input: &ApplicationInput) -> Result<ApplicationData, Invalid> {
        validate(
            input,
            &Facts {
                today: today(),
                person: &self.person,
                representatives: &self.reps,
                issue_unit_kind: self.unit,
                existing: &self.existing,
                amending: None,
            },
        )
    }
}

fn cert(kind: PensionKind, form: CertificateForm, stage: Stage) -> ExistingCertificate {
    ExistingCertificate {
        id: Uuid::new_v4(),
        reference: "ПП-000123".into(),
        pension_kind: kind,
        form,
        stage,
        term_end: None,
        disability: false,
    }
}

#[test]
fn i_2_application_for_adult_needs_no_representative() {
    assert!(World::new(adult()).check(&paper_old_age()).is_ok());
}

#[test]
fn i_2_minor_applies_through_legal_representative() {
    let w = World::new(child());
    let e = w.check(&paper_old_age()).unwrap_err();
    assert!(e.has("representative_id", "application.representative_required"));
}

#[test]
fn i_2_incapacitated_applies_through_legal_representative() {
    let mut p = adult();
    p.capacity = Capacity::Incapacitated;
    let mut w = World::new(p);
    assert!(w.check(&paper_old_age()).unwrap_err().has("representative_id", "application.representative_required"));
    let rep = Uuid::new_v4();
    w.reps.push(RepresentativeRef { id: rep, active: true });
    let mut i = paper_old_age();
    i.representative_id = Some(rep);
    assert!(w.check(&i).is_ok());
}

#[test]
fn i_2_representative_must_be_current_and_on_record() {
    let mut w = World::new(child());
    let old = Uuid::new_v4();
    w.reps.push(RepresentativeRef { id: old, active: false });
    let mut i = paper_old_age();
    i.representative_id = Some(old);
    assert!(w.check(&i).unwrap_err().has("representative_id", "application.representative_inactive"));
    i.representative_id = Some(Uuid::new_v4());
    assert!(w.check(&i).unwrap_err().has("representative_id", "application.representative_unknown"));
}

#[test]
fn i_2_internally_displaced_person_gets_card_form() {
    let mut p = adult();
    p.idp = true;
    let w = World::new(p);
    assert!(w.check(&paper_old_age()).unwrap_err().has("form", "application.idp_gets_card"));
}

#[test]
fn i_2_no_paper_certificate_for_card_holder() {
    let mut w = World::new(adult());
    w.existing.push(cert(PensionKind::Disability, CertificateForm::Card, Stage::Active));
    let e = w.check(&paper_old_age()).unwrap_err();
    assert!(e.has("form", "application.card_holder_no_paper"));
}

/// §I.2 read with §I.3, the other direction: a paper holder gets a card only
/// in place of the paper certificate, whatever the pension kind.
#[test]
fn i_2_a_person_holds_one_form_paper_holder_gets_a_card_only_in_its_place() {
    let mut w = World::new(adult());
    w.unit = Some(UnitKind::BankBranch);
    let paper = cert(PensionKind::Disability, CertificateForm::Paper, Stage::Issued);
    let paper_id = paper.id;
    w.existing.push(paper);
    let mut card = paper_old_age();
    card.form = "card".into();
    card.payment_system = Some("national".into());
    // Beside the paper one (another pension kind): refused, naming it.
    let e = w.check(&card).unwrap_err();
    assert!(e.has("form", "application.paper_holder_card_in_its_place"), "{e:?}");
    // A paper application still on its way counts as well.
    w.existing[0].stage = Stage::InProduction;
    assert!(w.check(&card).unwrap_err().has("form", "application.paper_holder_card_in_its_place"));
    // In its place (the paper one handed back): accepted.
    w.existing[0].stage = Stage::Issued;
    card.replacement = Some(ReplacementInput {
        reason: "other_pension_kind".into(),
        previous_certificate_id: Some(paper_id),
        previous_disposition: "returned".into(),
    });
    assert!(w.check(&card).is_ok(), "{:?}", w.check(&card));
    // A paper certificate that is gone (destroyed, lost) stops nothing.
    card.replacement = None;
    w.existing[0].stage = Stage::Destroyed;
    assert!(w.check(&card).is_ok());
}

#[test]
fn i_2_paper_is_issued_at_a_fund_office_card_at_a_bank_branch() {
    let mut w = World::new(adult());
    w.unit = Some(UnitKind::BankBranch);
    assert!(w.check(&paper_old_age()).unwrap_err().has("issue_unit_id", "application.issue_unit_not_office"));
    let mut card = paper_old_age();
    card.form = "card".into();
    card.payment_system = Some("national".into());
    assert!(w.check(&card).is_ok());
    w.unit = Some(UnitKind::ServiceCentre);
    assert!(w.check(&card).unwrap_err().has("issue_unit_id", "application.issue_unit_not_bank_branch"));
    w.unit = None;
    assert!(w.check(&card).is_err());
}

#[test]
fn iv_2_a_card_on_the_payment_system_the_person_chooses() {
    let mut w = World::new(adult());
    w.unit = Some(UnitKind::BankBranch);
    let mut card = paper_old_age();
    card.form = "card".into();
    assert!(w.check(&card).unwrap_err().has("payment_system", "application.payment_system_required"));
    card.payment_system = Some("visa".into());
    assert!(w.check(&card).unwrap_err().has("payment_system", "common.unknown_value"));
    for (code, chosen) in [("international", PaymentSystem::International), ("national", PaymentSystem::National)] {
        card.payment_system = Some(code.into());
        assert_eq!(w.check(&card).unwrap().payment_system, Some(chosen));
    }
    // Paper has no payment system.
    w.unit = Some(UnitKind::DistrictOffice);
    let mut paper = paper_old_age();
    paper.payment_system = Some("national".into());
    assert!(w.check(&paper).unwrap_err().has("payment_system", "application.payment_system_card_only"));
}

#[test]
fn duplicate_check_refuses_second_live_certificate_of_same_kind_naming_it() {
    let mut w = World::new(adult());
    w.existing.push(cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Issued));
    let e = w.check(&paper_old_age()).unwrap_err();
    let m = &e.0.iter().find(|f| f.message.key == "application.duplicate").unwrap().message;
    assert!(m.render(Lang::UK).contains("ПП-000123"));
}

#[test]
fn duplicate_check_counts_pending_applications() {
    let mut w = World::new(adult());
    w.existing.push(cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Accepted));
    assert!(w.check(&paper_old_age()).unwrap_err().has("pension_kind", "application.duplicate"));
}

#[test]
fn duplicate_check_ignores_dead_certificates_and_other_kinds() {
    let mut w = World::new(adult());
    w.existing.push(cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Destroyed));
    w.existing.push(cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Withdrawn));
    w.existing.push(cert(PensionKind::LongService, CertificateForm::Paper, Stage::Issued));
    assert!(w.check(&paper_old_age()).is_ok());
}

#[test]
fn i_3_replacement_requires_previous_returned_or_declared_lost() {
    let mut w = World::new(adult());
    let prev = cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Issued);
    let prev_id = prev.id;
    w.existing.push(prev);
    let mut i = paper_old_age();
    i.replacement = Some(ReplacementInput {
        reason: "unusable".into(),
        previous_certificate_id: Some(prev_id),
        previous_disposition: String::new(),
    });
    assert!(
        w.check(&i).unwrap_err().has("replacement.previous_disposition", "application.previous_disposition_required")
    );
    i.replacement.as_mut().unwrap().previous_disposition = "returned".into();
    let ok = w.check(&i).unwrap();
    assert_eq!(ok.replacement.unwrap().previous_disposition, PreviousDisposition::Returned);
}

#[test]
fn i_3_lost_certificate_is_declared_lost_not_returned() {
    let mut w = World::new(adult());
    let prev = cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Issued);
    let id = prev.id;
    w.existing.push(prev);
    let mut i = paper_old_age();
    i.replacement = Some(ReplacementInput {
        reason: "lost".into(),
        previous_certificate_id: Some(id),
        previous_disposition: "returned".into(),
    });
    assert!(w.check(&i).unwrap_err().has("replacement.previous_disposition", "application.lost_cannot_be_returned"));
    i.replacement.as_mut().unwrap().previous_disposition = "declared_lost".into();
    assert!(w.check(&i).is_ok());
}

#[test]
fn i_3_replacement_only_of_own_certificate_in_hand() {
    let mut w = World::new(adult());
    let pending = cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Accepted);
    let pid = pending.id;
    w.existing.push(pending);
    let mut i = paper_old_age();
    i.replacement = Some(ReplacementInput {
        reason: "unusable".into(),
        previous_certificate_id: Some(pid),
        previous_disposition: "returned".into(),
    });
    assert!(w.check(&i).unwrap_err().has("replacement.previous_certificate_id", "application.previous_not_held"));
    i.replacement.as_mut().unwrap().previous_certificate_id = Some(Uuid::new_v4());
    assert!(w.check(&i).unwrap_err().has("replacement.previous_certificate_id", "application.previous_not_found"));
}

#[test]
fn i_3_other_pension_kind_replacement_changes_the_kind() {
    let mut w = World::new(adult());
    let prev = cert(PensionKind::Disability, CertificateForm::Paper, Stage::Issued);
    let id = prev.id;
    w.existing.push(prev);
    let mut i = paper_old_age();
    i.replacement = Some(ReplacementInput {
        reason: "other_pension_kind".into(),
        previous_certificate_id: Some(id),
        previous_disposition: "returned".into(),
    });
    assert!(w.check(&i).is_ok());
    i.pension_kind = "disability".into();
    i.disability = Some(DisabilityInput { group: "2".into(), cause: "general_disease".into(), ..Default::default() });
    assert!(w.check(&i).unwrap_err().has("pension_kind", "application.other_kind_must_differ"));
}

#[test]
fn i_3_representative_changed_replacement_keeps_kind() {
    let mut w = World::new(adult());
    let prev = cert(PensionKind::OldAge, CertificateForm::Paper, Stage::Issued);
    let id = prev.id;
    w.existing.push(prev);
    let mut i = paper_old_age();
    i.pension_kind = "long_service".into();
    i.replacement = Some(ReplacementInput {
        reason: "representative_changed".into(),
        previous_certificate_id: Some(id),
        previous_disposition: "returned".into(),
    });
    assert!(w.check(&i).unwrap_err().has("pension_kind", "application.replacement_same_kind"));
}

#[test]
fn iv_4_a_new_card_when_the_pension_term_is_extended_or_disability_established() {
    let mut w = World::new(adult());
    w.unit = Some(UnitKind::BankBranch);
    let mut prev = cert(PensionKind::OldAge, CertificateForm::Card, Stage::Active);
    prev.term_end = NaiveDate::from_ymd_opt(2027, 1, 31);
    let id = prev.id;
    w.existing.push(prev);
    let mut i = paper_old_age();
    i.form = "card".into();
    i.payment_system = Some("international".into());
    i.pension_until = Some("2027-01-31".into());
    i.replacement = Some(ReplacementInput {
        reason: "term_extended".into(),
        previous_certificate_id: Some(id),
        previous_disposition: "returned".into(),
    });
    // The same term is no extension.
    let err = w.check(&i).unwrap_err();
    assert!(err.has("pension_until", "application.term_not_extended"), "{err:?}");
    // Extended to a later date, or no longer for a fixed term: a new card.
    i.pension_until = Some("2029-01-31".into());
    assert_eq!(w.check(&i).unwrap().replacement.unwrap().reason, ReplacementReason::TermExtended);
    i.pension_until = None;
    assert!(w.check(&i).is_ok());
    // A disability established for a card made without one is a new card too.
    w.existing[0].term_end = None;
    i.pension_kind = "disability".into();
    i.disability = Some(DisabilityInput {
        group: "2".into(),
        cause: "general_disease".into(),
        until: Some("2028-06-30".into()),
        ..Default::default()
    });
    let ok = w.check(&i);
    assert!(ok.is_err(), "the kind changes: that is another pension kind's replacement");
    i.pension_kind = "old_age".into();
    assert!(w.check(&i).is_ok(), "disability established");
    // Nothing new about an unlimited card: refused, saying there is no term to extend.
    i.disability = None;
    assert!(w.check(&i).unwrap_err().has("pension_until", "application.term_not_fixed"));
    // Paper states its term and is not remade for it.
    w.unit = Some(UnitKind::DistrictOffice);
    w.existing[0].form = CertificateForm::Paper;
    let mut p = paper_old_age();
    p.pension_until = Some("2029-01-31".into());
    p.replacement = i.replacement.clone();
    assert!(w.check(&p).unwrap_err().has("replacement.reason", "application.term_extended_card_only"));
}

#[test]
fn ii_1_pension_kind_is_one_of_four() {
    let mut i = paper_old_age();
    i.pension_kind = "early".into();
    assert!(World::new(adult()).check(&i).unwrap_err().has("pension_kind", "common.unknown_value"));
}

#[test]
fn ii_1_disability_pension_requires_group_and_cause() {
    let mut i = paper_old_age();
    i.pension_kind = "disability".into();
    assert!(World::new(adult()).check(&i).unwrap_err().has("disability", "application.disability_required"));
    i.disability = Some(DisabilityInput { group: "4".into(), cause: "flu".into(), ..Default::default() });
    let e = World::new(adult()).check(&i).unwrap_err();
    assert!(e.has("disability.group", "common.unknown_value"));
    assert!(e.has("disability.cause", "common.unknown_value"));
}

#[test]
fn ii_1_rnokpp_not_printed_for_religious_refusal() {
    let mut p = adult();
    p.tax_id = TaxId::ReligiousRefusal { passport: crate::ident::PassportNo::parse("КВ123456").unwrap() };
    let app = World::new(p.clone()).check(&paper_old_age()).unwrap();
    let t = CertificateText::compose(&p, &app, None, today(), Lang::UK);
    assert_eq!(t.rnokpp, None);
    assert_eq!(t.passport.as_deref(), Some("КВ123456"));
}

#[test]
fn ii_1_certificate_carries_all_eight_data_items() {
    let p = adult();
    let mut i = paper_old_age();
    i.pension_kind = "disability".into();
    i.disability = Some(DisabilityInput {
        group: "1".into(),
        subgroup: Some("b".into()),
        cause: "general_disease".into(),
        impairment: Some("sight".into()),
        until: Some("2028-01-31".into()),
    });
    i.pension_until = Some("2028-01-31".into());
    let app = World::new(p.clone()).check(&i).unwrap();
    let t = CertificateText::compose(&p, &app, None, today(), Lang::UK);
    assert_eq!(t.rnokpp.as_deref(), Some("1759013776"));
    assert_eq!(t.full_name, "Шевчук Петро Іванович");
    assert_eq!(t.birth_date, "28.02.1948");
    assert_eq!(t.sex, "чоловіча");
    assert_eq!(t.account_no.as_deref(), Some("123456"));
    assert_eq!(t.pension_kind, "по інвалідності");
    assert!(
        t.disability
            .as_deref()
            .unwrap()
            .starts_with("особа з інвалідністю підгрупи Б І групи/загальне захворювання по зору")
    );
    assert_eq!(t.valid_until.as_deref(), Some("31.01.2028"));
}

#[test]
fn ii_1_validity_term_cannot_be_in_the_past() {
    let mut i = paper_old_age();
    i.pension_until = Some("2020-01-01".into());
    assert!(World::new(adult()).check(&i).unwrap_err().has("pension_until", "application.term_in_past"));
}

#[test]
fn ii_2_representative_name_printed_for_minor() {
    let p = child();
    let mut w = World::new(p.clone());
    let rep = Uuid::new_v4();
    w.reps.push(RepresentativeRef { id: rep, active: true });
    let mut i = paper_old_age();
    i.pension_kind = "loss_of_breadwinner".into();
    i.representative_id = Some(rep);
    let app = w.check(&i).unwrap();
    let t = CertificateText::compose(&p, &app, Some("Шевчук Ольга Петрівна"), today(), Lang::UK);
    assert_eq!(t.representative.as_deref(), Some("Шевчук Ольга Петрівна"));
    // …but not for an adult with full capacity.
    let a = adult();
    let app = World::new(a.clone()).check(&paper_old_age()).unwrap();
    assert_eq!(CertificateText::compose(&a, &app, Some("X Y"), today(), Lang::UK).representative, None);
}

#[test]
fn ii_3_disability_shown_whatever_the_pension_kind() {
    let p = adult();
    let mut i = paper_old_age();
    i.disability = Some(DisabilityInput { group: "2".into(), cause: "work_injury".into(), ..Default::default() });
    let app = World::new(p.clone()).check(&i).unwrap();
    let t = CertificateText::compose(&p, &app, None, today(), Lang::UK);
    assert_eq!(t.pension_kind, "за віком");
    assert_eq!(t.disability.as_deref(), Some("особа з інвалідністю ІІ групи/трудове каліцтво"));
}

#[test]
fn ii_3_subgroup_only_within_group_one() {
    let mut i = paper_old_age();
    i.disability = Some(DisabilityInput {
        group: "2".into(),
        subgroup: Some("a".into()),
        cause: "general_disease".into(),
        ..Default::default()
    });
    assert!(
        World::new(adult()).check(&i).unwrap_err().has("disability.subgroup", "application.subgroup_only_group_one")
    );
}

#[test]
fn ii_3_hearing_sight_musculoskeletal_get_extra_entry() {
    let p = adult();
    let mut i = paper_old_age();
    i.disability = Some(DisabilityInput {
        group: "3".into(),
        cause: "from_childhood".into(),
        impairment: Some("hearing".into()),
        ..Default::default()
    });
    let app = World::new(p.clone()).check(&i).unwrap();
    let t = CertificateText::compose(&p, &app, None, today(), Lang::UK);
    assert_eq!(t.disability.as_deref(), Some("особа з інвалідністю ІІІ групи/інвалідність з дитинства по слуху"));
    i.disability.as_mut().unwrap().impairment = Some("smell".into());
    assert!(World::new(adult()).check(&i).unwrap_err().has("disability.impairment", "common.unknown_value"));
}

#[test]
fn ii_3_military_service_pension_names_the_body() {
    let p = adult();
    let mut i = paper_old_age();
    i.pension_kind = "long_service".into();
    i.service_body = Some("minoborony".into());
    let app = World::new(p.clone()).check(&i).unwrap();
    let t = CertificateText::compose(&p, &app, None, today(), Lang::UK);
    assert_eq!(t.pension_kind, "за вислугу років, Міноборони");
    i.service_body = Some("army of darkness".into());
    assert!(World::new(adult()).check(&i).unwrap_err().has("service_body", "common.unknown_value"));
}

#[test]
fn ii_3_child_with_disability_only_under_eighteen() {
    let mut i = paper_old_age();
    i.disability =
        Some(DisabilityInput { group: "2".into(), cause: "child_with_disability".into(), ..Default::default() });
    assert!(
        World::new(adult()).check(&i).unwrap_err().has("disability.cause", "application.child_with_disability_age")
    );
}

#[test]
fn ii_3_child_of_war_born_between_1927_and_end_of_war() {
    let mut i = paper_old_age();
    i.disability = Some(DisabilityInput { group: "2".into(), cause: "child_of_war".into(), ..Default::default() });
    // Born 1948: not a child of war.
    assert!(World::new(adult()).check(&i).unwrap_err().has("disability.cause", "application.child_of_war_birth"));
    let mut p = adult();
    p.birth_date = NaiveDate::from_ymd_opt(1940, 3, 1).unwrap();
    assert!(World::new(p).check(&i).is_ok());
}

#[test]
fn ii_1_missing_choices_are_reported_as_required() {
    let i = ApplicationInput { issue_unit_id: Some(7), ..Default::default() };
    let e = World::new(adult()).check(&i).unwrap_err();
    assert!(e.has("pension_kind", "common.required"));
    assert!(e.has("form", "common.required"));
}
