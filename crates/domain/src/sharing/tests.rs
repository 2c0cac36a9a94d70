//! One test per rule of SPEC §2.1, named after it, plus property tests for the
//! code parser and the request state machine.
use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap()
}

fn fresh(document_type: DocumentType) -> CodeState {
    CodeState { document_type, issued_at: t0(), used_at: None }
}

const ALL_SCOPES: &[DocumentType] = &DocumentType::ALL;

#[test]
fn code_has_twelve_digits_and_an_ean13_check_digit() {
    // SPEC §2.1's example.
    assert_eq!(SharingCode::parse("1213187292345").unwrap().as_str(), "1213187292345");
    assert_eq!(SharingCode::parse("1213187292346").unwrap_err().key, "sharing.code.checksum");
    assert_eq!(SharingCode::parse("121318729234").unwrap_err().key, "sharing.code.format");
    assert_eq!(SharingCode::parse("12131872923a5").unwrap_err().key, "sharing.code.format");
    // Groups people type are accepted.
    assert_eq!(SharingCode::parse("1 213187 292345").unwrap().grouped(), "1 213187 292345");
    // A well-known EAN-13 (ISBN 978-0-306-40615-7).
    assert!(SharingCode::parse("9780306406157").is_ok());
}

#[test]
fn code_is_valid_three_minutes() {
    let code = fresh(DocumentType::TaxpayerCard);
    let almost = t0() + Duration::seconds(179);
    assert_eq!(code.check(almost, ALL_SCOPES, None), Ok(()));
    assert_eq!(code.check(t0() + CODE_TTL, ALL_SCOPES, None), Err(CodeRefusal::Expired));
}

#[test]
fn code_is_single_use() {
    let code = CodeState { used_at: Some(t0() + Duration::seconds(5)), ..fresh(DocumentType::IdCard) };
    assert_eq!(code.check(t0() + Duration::seconds(10), ALL_SCOPES, None), Err(CodeRefusal::AlreadyUsed));
    // Used wins over expired: the specialist learns the real reason.
    assert_eq!(code.check(t0() + Duration::hours(1), ALL_SCOPES, None), Err(CodeRefusal::AlreadyUsed));
}

#[test]
fn code_is_bound_to_one_document_type() {
    let code = fresh(DocumentType::BirthCertificate);
    let now = t0() + Duration::seconds(30);
    assert_eq!(code.check(now, ALL_SCOPES, Some(DocumentType::TaxpayerCard)), Err(CodeRefusal::TypeMismatch));
    assert_eq!(code.check(now, ALL_SCOPES, Some(DocumentType::BirthCertificate)), Ok(()));
}

#[test]
fn branch_may_request_only_document_types_in_its_scopes() {
    let code = fresh(DocumentType::BirthCertificate);
    let now = t0() + Duration::seconds(30);
    let scopes = [DocumentType::IdCard, DocumentType::TaxpayerCard];
    assert_eq!(code.check(now, &scopes, None), Err(CodeRefusal::TypeNotAllowed));
}

#[test]
fn unused_codes_are_purged_after_a_day() {
    let code = fresh(DocumentType::IdCard);
    assert!(!code.purgeable(t0() + Duration::hours(23)));
    assert!(code.purgeable(t0() + PURGE_AFTER));
    let used = CodeState { used_at: Some(t0()), ..code };
    assert!(!used.purgeable(t0() + Duration::days(2)), "a used code is kept as evidence of its request");
}

#[test]
fn nothing_is_delivered_before_consent() {
    assert!(next(RequestStatus::WaitingConsent, RequestEvent::Acknowledge).is_err());
    assert!(next(RequestStatus::Declined, RequestEvent::Approve).is_err());
    assert!(next(RequestStatus::Expired, RequestEvent::Approve).is_err());
    assert_eq!(next(RequestStatus::WaitingConsent, RequestEvent::Approve), Ok(RequestStatus::Approved));
    assert_eq!(next(RequestStatus::Approved, RequestEvent::Acknowledge), Ok(RequestStatus::Delivered));
}

#[test]
fn a_request_waits_for_consent_ten_minutes() {
    assert!(!consent_expired(t0(), t0() + Duration::minutes(9)));
    assert!(consent_expired(t0(), t0() + CONSENT_TTL));
}

#[test]
fn deliveries_back_off_exponentially_with_a_cap() {
    assert_eq!(retry_delay(1), Duration::seconds(2));
    assert_eq!(retry_delay(3), Duration::seconds(8));
    assert_eq!(retry_delay(40), Duration::minutes(10));
}

#[test]
fn document_types_use_the_public_api_names() {
    for t in DocumentType::ALL {
        assert_eq!(DocumentType::parse(t.code()), Ok(t));
        assert_eq!(serde_json::to_value(t).unwrap(), serde_json::Value::from(t.code()));
        assert!(crate::i18n::has(t.label_key()));
    }
    assert_eq!(DocumentType::parse("driver-license").unwrap_err().key, "sharing.document_type.unknown");
}

#[test]
fn every_refusal_and_status_has_a_message() {
    for r in [
        CodeRefusal::Unknown,
        CodeRefusal::Expired,
        CodeRefusal::AlreadyUsed,
        CodeRefusal::TypeNotAllowed,
        CodeRefusal::TypeMismatch,
    ] {
        assert!(crate::i18n::has(r.key()), "{}", r.key());
    }
    for s in RequestStatus::ALL {
        assert!(crate::i18n::has(s.label_key()));
        assert_eq!(RequestStatus::parse(s.code()), Some(s));
    }
    for key in ["sharing.code.format", "sharing.code.checksum", "sharing.request.not_allowed"] {
        assert!(crate::i18n::has(key), "{key}");
    }
}

#[test]
fn consent_statement_names_acquirer_branch_and_document() {
    let text = Consent::statement_text("Пенсійний фонд", "Відділ № 1", DocumentType::TaxpayerCard);
    assert!(text.contains("Пенсійний фонд") && text.contains("Відділ № 1") && text.contains("РНОКПП"), "{text}");
}

proptest! {
    #[test]
    fn generated_codes_parse_and_one_changed_digit_is_caught(bytes in proptest::collection::vec(any::<u8>(), 64), pos in 0usize..13, delta in 1u8..10) {
        let mut it = bytes.into_iter().cycle();
        let code = SharingCode::from_random(|| it.next().unwrap_or(0));
        prop_assert_eq!(SharingCode::parse(code.as_str()), Ok(code.clone()));
        let mut digits: Vec<u8> = code.as_str().bytes().collect();
        digits[pos] = b'0' + (digits[pos] - b'0' + delta) % 10;
        let changed = String::from_utf8(digits).unwrap();
        prop_assert!(SharingCode::parse(&changed).is_err(), "EAN-13 catches every single-digit error");
    }

    #[test]
    fn parse_never_panics(s in "\\PC{0,40}") {
        let _ = SharingCode::parse(&s);
    }

    #[test]
    fn final_statuses_never_move(events in proptest::collection::vec(0u8..5, 0..12)) {
        let mut status = RequestStatus::WaitingConsent;
        let mut delivered_after_approval = true;
        let mut approved = false;
        for e in events {
            let event = [RequestEvent::Approve, RequestEvent::Decline, RequestEvent::Expire, RequestEvent::Acknowledge, RequestEvent::GiveUp][e as usize];
            if let Ok(s) = next(status, event) {
                prop_assert!(!status.is_final());
                if s == RequestStatus::Approved { approved = true; }
                if s == RequestStatus::Delivered && !approved { delivered_after_approval = false; }
                status = s;
            }
        }
        prop_assert!(delivered_after_approval);
    }
}
