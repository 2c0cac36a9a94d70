use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn pension() -> EApplicationInput {
    EApplicationInput {
        kind: "pension_assignment".into(),
        pension_kind: "old_age".into(),
        delivery: "bank".into(),
        iban: "UA21 3223 1300 0002 6007 2335 6600 1".into(),
        ..Default::default()
    }
}

fn fields(e: Invalid) -> Vec<String> {
    e.0.into_iter().map(|f| f.field).collect()
}

#[test]
fn spec_21_4_a_pension_application_names_the_pension_and_where_it_is_paid() {
    let data = pension().validate().unwrap();
    let Request::PensionAssignment { pension_kind, delivery: Delivery::Bank { iban } } = data.request else {
        panic!("{:?}", data.request)
    };
    assert_eq!(pension_kind, PensionKind::OldAge);
    assert_eq!(iban.as_str(), "UA213223130000026007233566001");
    let bad = EApplicationInput { pension_kind: String::new(), delivery: "pigeon".into(), ..pension() };
    assert_eq!(fields(bad.validate().unwrap_err()), ["pension_kind", "delivery"]);
}

#[test]
fn spec_21_4_a_delivery_change_takes_a_valid_ukrainian_iban_or_a_post_office() {
    let change = |delivery: &str, iban: &str, postcode: &str, address: &str| EApplicationInput {
        kind: "delivery_change".into(),
        delivery: delivery.into(),
        iban: iban.into(),
        postcode: postcode.into(),
        address: address.into(),
        ..Default::default()
    };
    let typo = change("bank", "UA21 3223 1300 0002 6007 2335 6600 2", "", "").validate().unwrap_err();
    assert!(typo.has("iban", "iban.checksum"));
    let foreign = change("bank", "DE89 3704 0044 0532 0130 00", "", "").validate().unwrap_err();
    assert!(foreign.has("iban", "iban.not_ua"));
    let post = change("post", "", "01001", "вул. Хрещатик, 1, кв. 5, Київ").validate().unwrap();
    assert_eq!(post.request.kind(), Kind::DeliveryChange);
    let bad = change("post", "", "1001", "").validate().unwrap_err();
    assert_eq!(fields(bad), ["postcode", "address"]);
}

#[test]
fn spec_21_4_a_certificate_application_follows_form_1_choices() {
    let cert = |form: &str, ps: &str| EApplicationInput {
        kind: "certificate".into(),
        pension_kind: "disability".into(),
        certificate_form: form.into(),
        issue_unit_id: Some(7),
        payment_system: ps.into(),
        ..Default::default()
    };
    assert!(cert("paper", "").validate().is_ok());
    assert!(cert("card", "national").validate().is_ok());
    // §IV.2: a card needs the payment system; paper has none.
    assert!(cert("card", "").validate().unwrap_err().has("payment_system", "common.required"));
    assert!(
        cert("paper", "national").validate().unwrap_err().has("payment_system", "application.payment_system_card_only")
    );
    assert!(cert("plastic", "").validate().unwrap_err().has("certificate_form", "e_application.form_required"));
}

#[test]
fn notes_and_e_mail_are_checked_and_optional() {
    let data = pension().validate().unwrap();
    assert_eq!((data.note, data.email), (None, None));
    let with = EApplicationInput {
        note: "Стаж у 1990-х\nдив. трудову книжку".into(),
        email: "a@example.org".into(),
        ..pension()
    };
    assert!(with.validate().unwrap().note.is_some());
    let bad = EApplicationInput { note: "x\u{0007}".into(), email: "nope".into(), ..pension() };
    assert_eq!(fields(bad.validate().unwrap_err()), ["note", "email"]);
    assert!(
        EApplicationInput { kind: "loan".into(), ..pension() }
            .validate()
            .unwrap_err()
            .has("kind", "e_application.kind_required")
    );
}

#[test]
fn spec_21_4_only_a_signed_application_is_decided_and_only_once() {
    use Event::*;
    assert_eq!(Status::Signing.after(Signed), Some(Status::Submitted));
    assert_eq!(Status::Signing.after(NotSigned), Some(Status::Abandoned));
    assert_eq!(Status::Signing.after(Grant), None);
    assert_eq!(Status::Submitted.after(Grant), Some(Status::Granted));
    assert_eq!(Status::Submitted.after(Refuse), Some(Status::Refused));
    assert_eq!(Status::Granted.after(Refuse), None);
    assert_eq!(Status::Submitted.after(Signed), None);
}

#[test]
fn spec_21_4_a_refusal_gives_reasons() {
    assert!(check_reasons(Decision::Refused, "  ").unwrap_err().has("reasons", "e_application.reasons_required"));
    assert_eq!(check_reasons(Decision::Granted, "").unwrap(), None);
    assert!(check_reasons(Decision::Refused, "Не подано довідку про стаж за 1991–1995 роки.").unwrap().is_some());
}

#[test]
fn spec_21_5_granting_a_pension_assignment_states_the_amount_and_the_first_day_and_nothing_else_does() {
    let applied = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let form = |decision: &str, reasons: &str, amount: &str, since: &str| DecisionForm {
        decision: decision.into(),
        reasons: reasons.into(),
        award: AwardForm { amount: amount.into(), since: since.into() },
    };
    let granted = form("granted", "", "5 123,40", "2026-11-30").validate(Kind::PensionAssignment, applied).unwrap();
    assert_eq!(granted.award, Some(Award { amount: 512_340, since: applied }));
    let missing = form("granted", "", "", "").validate(Kind::PensionAssignment, applied).unwrap_err();
    assert_eq!(fields(missing), ["amount", "since"]);
    assert_eq!(form("granted", "", "", "").validate(Kind::DeliveryChange, applied).unwrap().award, None);
    let stray = form("granted", "", "100", "").validate(Kind::Certificate, applied).unwrap_err();
    assert!(stray.has("amount", "payment.award_only_with_assignment"));
    // A refusal with an amount typed and no reasons: both mistakes at once.
    let both = form("refused", "", "100", "2026-11-30").validate(Kind::PensionAssignment, applied).unwrap_err();
    assert_eq!(fields(both), ["reasons", "amount"]);
    let unknown = form("maybe", "", "", "").validate(Kind::PensionAssignment, applied).unwrap_err();
    assert!(unknown.has("decision", "e_application.decision_required"));
}

#[test]
fn spec_21_4_legal_deadlines_count_working_days() {
    let cal = WorkingCalendar::law_2023(false);
    // Friday 4 December 2026, 18:00 Kyiv: ten working days end on Friday 18 December.
    let at = Utc.with_ymd_and_hms(2026, 12, 4, 16, 0, 0).unwrap();
    let terms = Terms::default();
    assert_eq!(terms.due(Kind::PensionAssignment, at, &cal), NaiveDate::from_ymd_opt(2026, 12, 18).unwrap());
    assert_eq!(terms.due(Kind::DeliveryChange, at, &cal), NaiveDate::from_ymd_opt(2026, 12, 11).unwrap());
}

#[test]
fn the_statement_names_everything_the_signature_covers() {
    let data = pension().validate().unwrap();
    let attachments = [AttachmentLine { name: "trudova.pdf".into(), sha256: "ab".repeat(32) }];
    let text = statement(&StatementFacts {
        id: "7f0c",
        data: &data,
        office: "Печерський відділ",
        issue_unit: None,
        applicant_name: "Коваль Олена Петрівна",
        applicant_rnokpp: "3012345678",
        applicant_birth: NaiveDate::from_ymd_opt(1962, 3, 1).unwrap(),
        representative: Some("Коваль Петро Іванович"),
        attachments: &attachments,
        at: Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0).unwrap(),
    });
    for needle in [
        "Коваль Олена Петрівна",
        "3012345678",
        "01.03.1962",
        "Коваль Петро Іванович",
        "UA21 3223",
        "trudova.pdf",
        &"ab".repeat(32),
        "04.12.2026 12:00",
        "7f0c",
    ] {
        assert!(text.contains(needle), "{needle} not in\n{text}");
    }
    assert!(text.ends_with('\n') && !text.contains('\u{2068}'));
}

proptest! {
    #[test]
    fn no_event_leaves_a_final_status(i in 0usize..5, e in 0usize..4) {
        let events = [Event::Signed, Event::NotSigned, Event::Grant, Event::Refuse];
        let s = Status::ALL[i];
        if s.is_final() {
            prop_assert_eq!(s.after(events[e]), None);
        }
        if let Some(next) = s.after(events[e]) {
            prop_assert_ne!(next, s);
            prop_assert_eq!(Status::parse(next.as_str()), Some(next));
        }
    }

    #[test]
    fn validation_never_panics(kind in "pension_assignment|delivery_change|certificate|x", iban in "\\PC{0,40}", postcode in "[0-9]{0,6}", note in "\\PC{0,50}") {
        let input = EApplicationInput { kind, delivery: "bank".into(), iban, postcode, note, ..Default::default() };
        let _ = input.validate();
    }
}
