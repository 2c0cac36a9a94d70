use chrono::TimeZone;
use proptest::prelude::*;

use super::*;

fn at(min: i64, sec: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 21, 10, 0, 0).unwrap() + Duration::minutes(min) + Duration::seconds(sec)
}

#[test]
fn guessing_codes_is_rate_limited_five_wrong_in_ten_minutes() {
    let now = at(10, 0);
    let four: Vec<_> = (0..4).map(|i| at(5, i)).collect();
    assert_eq!(guess_wait(&four, now), None);
    let five: Vec<_> = (0..5).map(|i| at(5, i)).collect();
    // The oldest of the five leaves the window at 10:15:00.
    assert_eq!(guess_wait(&five, now), Some(Duration::minutes(5)));
    // Old failures do not count.
    let old: Vec<_> = (0..5).map(|i| at(-1, i)).collect();
    assert_eq!(guess_wait(&old, now), None);
}

#[test]
fn the_audit_trail_keeps_only_the_last_four_digits_of_a_code() {
    assert_eq!(masked_code("1213187292345"), "…2345");
    assert_eq!(masked_code("12"), "…12");
}

#[test]
fn a_request_the_hub_could_not_take_fails_once_its_code_cannot_be_valid() {
    assert!(!submission_given_up(at(0, 0), at(2, 59)));
    assert!(submission_given_up(at(0, 0), at(3, 0)));
}

#[test]
fn the_fund_status_only_moves_forward() {
    use IntakeStatus as I;
    assert_eq!(hub_update(I::WaitingConsent, RequestStatus::Declined), Some(I::Declined));
    assert_eq!(hub_update(I::WaitingConsent, RequestStatus::Approved), Some(I::Approved));
    assert_eq!(hub_update(I::Approved, RequestStatus::WaitingConsent), None);
    // Delivered is set when the fund stored the copy, not by the hub's word.
    assert_eq!(hub_update(I::Approved, RequestStatus::Delivered), None);
    assert_eq!(hub_update(I::Delivered, RequestStatus::Failed), None);
    for s in IntakeStatus::ALL {
        assert_eq!(IntakeStatus::parse(s.code()), Some(s));
        assert!(crate::i18n::has(s.label_key()), "{s:?}");
    }
}

fn expected() -> Expected<'static> {
    Expected {
        request_id: "r1",
        barcode: "1213187292345",
        branch_id: "b1",
        acquirer_id: "pfu",
        document_type: DocumentType::TaxpayerCard,
    }
}

#[test]
fn a_delivery_must_name_this_acquirer_and_the_requesting_branch() {
    let types = [DocumentType::TaxpayerCard];
    let ok = Delivered {
        trace_id: "r1",
        request_id: "r1",
        barcode: "1213187292345",
        branch_id: "b1",
        acquirer_id: "pfu",
        document_types: &types,
    };
    assert_eq!(check_delivery(&expected(), &ok), Ok(()));
    assert_eq!(
        check_delivery(&expected(), &Delivered { branch_id: "b2", ..ok.clone() }),
        Err(DeliveryMismatch::Branch)
    );
    assert_eq!(
        check_delivery(&expected(), &Delivered { acquirer_id: "other", ..ok.clone() }),
        Err(DeliveryMismatch::Acquirer)
    );
    assert_eq!(
        check_delivery(&expected(), &Delivered { trace_id: "r2", ..ok.clone() }),
        Err(DeliveryMismatch::TraceId)
    );
    assert_eq!(
        check_delivery(&expected(), &Delivered { barcode: "0000000000000", ..ok.clone() }),
        Err(DeliveryMismatch::Barcode)
    );
    let other = [DocumentType::IdCard];
    assert_eq!(
        check_delivery(&expected(), &Delivered { document_types: &other, ..ok.clone() }),
        Err(DeliveryMismatch::DocumentType)
    );
    for m in [
        DeliveryMismatch::TraceId,
        DeliveryMismatch::Barcode,
        DeliveryMismatch::Branch,
        DeliveryMismatch::Acquirer,
        DeliveryMismatch::DocumentType,
    ] {
        assert!(crate::i18n::has(m.message().key), "{m:?}");
    }
}

#[test]
fn a_copy_is_matched_by_rnokpp_unzr_or_document_number() {
    let card = serde_json::json!({"docNumber": "1759013776", "lastNameUA": "Шевченко"});
    assert_eq!(person_keys(DocumentType::TaxpayerCard, &card).rnokpp.as_deref(), Some("1759013776"));
    let bad = serde_json::json!({"docNumber": "1759013775"});
    assert!(person_keys(DocumentType::TaxpayerCard, &bad).is_empty(), "a wrong check digit is not matched");
    let id = serde_json::json!({"docNumber": "001234567", "unzr": "19480228-00011"});
    let keys = person_keys(DocumentType::IdCard, &id);
    assert_eq!(keys.document_no.as_deref(), Some("001234567"));
    assert!(person_keys(DocumentType::BirthCertificate, &serde_json::json!({})).is_empty());
}

proptest! {
    #[test]
    fn guess_wait_never_exceeds_the_window(offsets in proptest::collection::vec(0i64..1200, 0..20)) {
        let now = at(20, 0);
        let failures: Vec<_> = offsets.iter().map(|s| now - Duration::seconds(*s)).collect();
        if let Some(w) = guess_wait(&failures, now) {
            prop_assert!(w >= Duration::seconds(1) && w <= GUESS_WINDOW);
        }
    }

    #[test]
    fn person_keys_never_panics(s in "\\PC{0,30}") {
        for t in DocumentType::ALL {
            let _ = person_keys(t, &serde_json::json!({"docNumber": s, "child": {"rnokpp": s}}));
        }
    }
}

#[test]
fn backoff_grows_and_is_capped() {
    assert_eq!(backoff(0).num_seconds(), 1);
    assert_eq!(backoff(3).num_seconds(), 8);
    assert_eq!(backoff(50).num_seconds(), 30);
}
