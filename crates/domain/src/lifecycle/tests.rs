//! The life-cycle rules, each tested by its name in the regulation.
use super::CertificateForm::{Card, Paper};
use super::*;
use proptest::prelude::*;
use std::collections::{HashSet, VecDeque};

/// Applies events in order, panicking with the refusal if one is not allowed.
fn run(form: CertificateForm, events: &[Event]) -> Stage {
    events.iter().fold(initial(form), |stage, &event| {
        next(form, stage, event).unwrap_or_else(|m| panic!("{form:?}: {event:?} refused at {stage:?}: {}", m.key))
    })
}

fn refusal_key(form: CertificateForm, from: Stage, event: Event) -> &'static str {
    match next(form, from, event) {
        Ok(to) => panic!("{form:?}: {event:?} at {from:?} unexpectedly led to {to:?}"),
        Err(m) => m.key,
    }
}

const PAPER_TO_ISSUE: &[Event] = path_to_issue(Paper);
const CARD_TO_ISSUE: &[Event] = path_to_issue(Card);

/// Every stage a form can reach from its initial stage.
fn reachable(form: CertificateForm) -> HashSet<Stage> {
    let mut seen = HashSet::from([initial(form)]);
    let mut queue = VecDeque::from([initial(form)]);
    while let Some(stage) = queue.pop_front() {
        for &event in Event::ALL {
            if let Ok(to) = next(form, stage, event)
                && seen.insert(to)
            {
                queue.push_back(to);
            }
        }
    }
    seen
}

// ---- regulation rules -------------------------------------------------

#[test]
fn paper_certificate_goes_region_then_central_then_production() {
    assert_eq!(run(Paper, &PAPER_TO_ISSUE[..1]), Stage::SubmittedToRegion);
    assert_eq!(run(Paper, &PAPER_TO_ISSUE[..2]), Stage::SubmittedToCentral);
    assert_eq!(run(Paper, &PAPER_TO_ISSUE[..3]), Stage::InProduction);
    assert_eq!(run(Paper, PAPER_TO_ISSUE), Stage::Issued);
    // The district cannot skip the regional main office.
    assert_eq!(refusal_key(Paper, Stage::Accepted, Event::SubmitToCentral), "lifecycle.not_allowed");
}

#[test]
fn paper_duplicate_check_comes_before_production() {
    let central = run(Paper, &PAPER_TO_ISSUE[..2]);
    assert_eq!(refusal_key(Paper, central, Event::Produce), "lifecycle.not_allowed");
    let held = run(Paper, &[Event::SubmitToRegion, Event::SubmitToCentral, Event::HoldAsDuplicate]);
    assert_eq!(held, Stage::DuplicateHold);
    assert_eq!(refusal_key(Paper, held, Event::Produce), "lifecycle.not_allowed");
    assert_eq!(next(Paper, held, Event::ReleaseHold), Ok(Stage::InProduction));
    assert_eq!(next(Paper, held, Event::Refuse), Ok(Stage::Refused));
    assert!(Stage::DuplicateHold.is_live(), "a held application still blocks another one");
}

#[test]
fn paper_transfer_by_act_goes_central_to_region_to_district() {
    let produced = run(Paper, &PAPER_TO_ISSUE[..4]);
    assert_eq!(produced, Stage::Produced);
    assert_eq!(refusal_key(Paper, produced, Event::TransferToDistrict), "lifecycle.not_allowed");
    assert_eq!(refusal_key(Paper, produced, Event::Issue), "lifecycle.not_allowed");
    assert_eq!(refusal_key(Paper, Stage::AtRegion, Event::Issue), "lifecycle.not_allowed");
    assert_eq!(next(Paper, Stage::AtDistrict, Event::Issue), Ok(Stage::Issued));
}

#[test]
fn card_needs_keys_certified_before_personalization() {
    let generated = run(Card, &CARD_TO_ISSUE[..4]);
    assert_eq!(generated, Stage::KeysGenerated);
    assert_eq!(refusal_key(Card, generated, Event::Personalize), "lifecycle.not_allowed");
    // Keys are generated at the personalizer, after the bank opened the account.
    assert_eq!(refusal_key(Card, Stage::SentToBank, Event::GenerateKeys), "lifecycle.not_allowed");
    assert_eq!(refusal_key(Card, Stage::AtPersonalizer, Event::CertifyKeys), "lifecycle.not_allowed");
    assert_eq!(run(Card, &CARD_TO_ISSUE[..6]), Stage::Personalized);
}

#[test]
fn card_refused_by_bank_or_ca_only_before_personalization() {
    for &stage in &[Stage::SentToBank, Stage::AccountOpened, Stage::KeysGenerated, Stage::KeysCertified] {
        assert_eq!(next(Card, stage, Event::Refuse), Ok(Stage::Refused), "{stage:?}");
    }
    for &stage in &[Stage::Personalized, Stage::AtBranch, Stage::Issued, Stage::Active] {
        assert!(next(Card, stage, Event::Refuse).is_err(), "{stage:?}");
    }
}

#[test]
fn activation_only_after_issue_at_branch() {
    assert_eq!(refusal_key(Card, Stage::AtBranch, Event::Activate), "lifecycle.not_allowed");
    assert_eq!(refusal_key(Card, Stage::Personalized, Event::Issue), "lifecycle.not_allowed");
    let issued = run(Card, CARD_TO_ISSUE);
    assert_eq!(issued, Stage::Issued);
    assert_eq!(next(Card, issued, Event::Activate), Ok(Stage::Active));
}

#[test]
fn only_an_active_card_is_blocked_and_only_a_blocked_one_unblocked() {
    assert_eq!(next(Card, Stage::Active, Event::Block), Ok(Stage::Blocked));
    assert_eq!(next(Card, Stage::Blocked, Event::Unblock), Ok(Stage::Active));
    assert!(next(Card, Stage::Issued, Event::Block).is_err());
    assert!(next(Card, Stage::Active, Event::Unblock).is_err());
    assert!(Stage::Blocked.is_live(), "a blocked card is still the person's certificate");
}

#[test]
fn bank_withdraws_loses_or_destroys_only_a_made_card() {
    for &stage in &[Stage::AtBranch, Stage::Issued, Stage::Active, Stage::Blocked] {
        assert_eq!(next(Card, stage, Event::WithdrawByBank), Ok(Stage::WithdrawnByBank));
        assert_eq!(next(Card, stage, Event::DeclareLost), Ok(Stage::Lost));
        assert_eq!(next(Card, stage, Event::Destroy), Ok(Stage::Destroyed));
    }
    assert!(next(Card, Stage::Personalized, Event::WithdrawByBank).is_err());
    assert!(next(Card, Stage::KeysCertified, Event::Destroy).is_err());
}

#[test]
fn withdraw_only_before_production() {
    for &form in CertificateForm::ALL {
        assert_eq!(next(form, Stage::Accepted, Event::Withdraw), Ok(Stage::Withdrawn));
        let handed_over = run(form, &[if form == Paper { Event::SubmitToRegion } else { Event::SendToBank }]);
        assert!(handed_over.in_production());
        assert!(!handed_over.is_amendable() && !handed_over.is_withdrawable());
        assert_eq!(refusal_key(form, handed_over, Event::Withdraw), "lifecycle.too_late_to_withdraw");
    }
    // Exactly the amendable stages allow withdrawal.
    for &form in CertificateForm::ALL {
        for &stage in Stage::ALL.iter().filter(|s| s.forms().contains(&form)) {
            assert_eq!(next(form, stage, Event::Withdraw).is_ok(), stage.is_withdrawable(), "{stage:?}");
        }
    }
}

#[test]
fn destruction_needs_a_certificate_that_exists() {
    for &stage in &[Stage::Produced, Stage::AtRegion, Stage::AtDistrict, Stage::Returned, Stage::Issued] {
        assert_eq!(next(Paper, stage, Event::Destroy), Ok(Stage::Destroyed), "{stage:?}");
    }
    for &stage in &[Stage::Accepted, Stage::SubmittedToCentral, Stage::InProduction] {
        assert!(next(Paper, stage, Event::Destroy).is_err(), "{stage:?}");
    }
}

#[test]
fn replaced_paper_certificate_is_returned_then_destroyed() {
    let returned = next(Paper, Stage::Issued, Event::ReturnForDestruction);
    assert_eq!(returned, Ok(Stage::Returned));
    assert!(!Stage::Returned.is_live(), "the replacement must pass the duplicate check");
    assert_eq!(allowed_events(Paper, Stage::Returned), vec![Event::Destroy]);
}

#[test]
fn destroyed_is_dead_everywhere() {
    for &form in CertificateForm::ALL {
        assert!(allowed_events(form, Stage::Destroyed).is_empty());
        for &event in Event::ALL.iter().filter(|e| e.forms().contains(&form)) {
            assert_eq!(refusal_key(form, Stage::Destroyed, event), "lifecycle.already_final");
        }
    }
    assert!(Stage::Destroyed.is_final() && !Stage::Destroyed.is_live());
}

#[test]
fn card_events_refused_for_paper() {
    for &event in Event::ALL.iter().filter(|e| e.forms() == [Card]) {
        for &stage in Stage::ALL {
            assert_eq!(refusal_key(Paper, stage, event), "lifecycle.wrong_form", "{event:?}");
        }
    }
    assert_eq!(refusal_key(Paper, Stage::Issued, Event::Activate), "lifecycle.wrong_form");
}

#[test]
fn paper_events_refused_for_card() {
    for &event in Event::ALL.iter().filter(|e| e.forms() == [Paper]) {
        assert_eq!(refusal_key(Card, Stage::Accepted, event), "lifecycle.wrong_form", "{event:?}");
    }
}

#[test]
fn stage_of_the_other_form_is_refused() {
    assert_eq!(refusal_key(Paper, Stage::Active, Event::Destroy), "lifecycle.stage_not_in_form");
    assert_eq!(refusal_key(Card, Stage::AtDistrict, Event::Issue), "lifecycle.stage_not_in_form");
}

#[test]
fn live_stages_are_pending_or_valid_certificates() {
    let dead =
        [Stage::Withdrawn, Stage::Refused, Stage::Destroyed, Stage::Lost, Stage::WithdrawnByBank, Stage::Returned];
    for &stage in Stage::ALL {
        assert_eq!(stage.is_live(), !dead.contains(&stage), "{stage:?}");
        // Whatever is final is no longer live.
        assert!(!(stage.is_final() && stage.is_live()), "{stage:?}");
    }
}

#[test]
fn refusal_names_stage_event_and_form_in_the_readers_words() {
    use crate::i18n::Arg::Term;
    let err = next(Paper, Stage::AtRegion, Event::Issue).unwrap_err();
    assert_eq!(err.key, "lifecycle.not_allowed");
    assert_eq!(
        err.args,
        vec![
            ("stage", Term("stage.at_region")),
            ("event", Term("event.issue")),
            ("form", Term("certificate_form.paper"))
        ]
    );
}

#[test]
fn stored_names_never_change() {
    let stages: Vec<_> = Stage::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        stages,
        [
            "accepted",
            "submitted_to_region",
            "submitted_to_central",
            "duplicate_hold",
            "in_production",
            "produced",
            "at_region",
            "at_district",
            "sent_to_bank",
            "account_opened",
            "at_personalizer",
            "keys_generated",
            "keys_certified",
            "personalized",
            "at_branch",
            "issued",
            "active",
            "blocked",
            "returned",
            "lost",
            "withdrawn_by_bank",
            "destroyed",
            "withdrawn",
            "refused",
        ]
    );
    let events: Vec<_> = Event::ALL.iter().map(|e| e.as_str()).collect();
    assert_eq!(
        events,
        [
            "submit_to_region",
            "submit_to_central",
            "pass_duplicate_check",
            "hold_as_duplicate",
            "release_hold",
            "produce",
            "transfer_to_region",
            "transfer_to_district",
            "send_to_bank",
            "open_account",
            "send_to_personalizer",
            "generate_keys",
            "certify_keys",
            "personalize",
            "deliver_to_branch",
            "issue",
            "activate",
            "block",
            "unblock",
            "withdraw",
            "refuse",
            "return_for_destruction",
            "declare_lost",
            "withdraw_by_bank",
            "destroy",
        ]
    );
}

// ---- structure of the table (finite domains: checked exhaustively) ----

/// serde's `rename_all = "snake_case"` for a CamelCase variant name.
fn snake_case(camel: &str) -> String {
    let mut out = String::new();
    for (i, c) in camel.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[test]
fn all_is_in_declaration_order_and_names_match_serde() {
    for (i, &s) in Stage::ALL.iter().enumerate() {
        assert_eq!(s as usize, i, "Stage::ALL out of order at {s:?}");
        assert_eq!(s.as_str(), snake_case(&format!("{s:?}")));
        assert_eq!(s.message().key, format!("stage.{}", s.as_str()));
    }
    for (i, &e) in Event::ALL.iter().enumerate() {
        assert_eq!(e as usize, i, "Event::ALL out of order at {e:?}");
        assert_eq!(e.as_str(), snake_case(&format!("{e:?}")));
        assert_eq!(e.message().key, format!("event.{}", e.as_str()));
    }
    for &f in CertificateForm::ALL {
        assert_eq!(f.as_str(), snake_case(&format!("{f:?}")));
        assert_eq!(CertificateForm::parse(f.as_str()), Some(f));
    }
}

#[test]
fn names_round_trip() {
    for &s in Stage::ALL {
        assert_eq!(Stage::parse(s.as_str()), Some(s));
    }
    for &e in Event::ALL {
        assert_eq!(Event::parse(e.as_str()), Some(e));
    }
    assert_eq!(Stage::parse("Accepted"), None);
    assert_eq!(Event::parse(" issue"), None);
}

#[test]
fn every_stage_of_a_form_is_reachable_and_no_other() {
    for &form in CertificateForm::ALL {
        let expected: HashSet<Stage> = Stage::ALL.iter().copied().filter(|s| s.forms().contains(&form)).collect();
        assert_eq!(reachable(form), expected, "{form:?}");
    }
}

#[test]
fn every_event_of_a_form_is_used() {
    for &form in CertificateForm::ALL {
        for &event in Event::ALL.iter().filter(|e| e.forms().contains(&form)) {
            assert!(Stage::ALL.iter().any(|&s| next(form, s, event).is_ok()), "{form:?}: {event:?} never allowed");
        }
    }
}

#[test]
fn final_means_no_way_out_and_allowed_events_match_next() {
    for &form in CertificateForm::ALL {
        for &stage in Stage::ALL {
            let allowed = allowed_events(form, stage);
            let ok: Vec<Event> = Event::ALL.iter().copied().filter(|&e| next(form, stage, e).is_ok()).collect();
            assert_eq!(allowed, ok);
            if stage.forms().contains(&form) {
                assert_eq!(stage.is_final(), allowed.is_empty(), "{form:?} {stage:?}");
            }
        }
    }
}

#[test]
fn amendable_is_before_production_and_not_final() {
    for &s in Stage::ALL {
        if s.is_amendable() {
            assert!(!s.in_production() && !s.is_final(), "{s:?}");
        }
        if s.in_production() {
            assert!(!s.is_final() && s.is_live(), "{s:?}");
        }
    }
}

#[test]
fn every_name_and_refusal_is_in_the_catalogue() {
    use crate::i18n::{Lang, has};
    let mut keys: HashSet<&str> = HashSet::new();
    keys.extend(Stage::ALL.iter().map(|s| s.message().key));
    keys.extend(Event::ALL.iter().map(|e| e.message().key));
    keys.extend(CertificateForm::ALL.iter().map(|f| f.message().key));
    for &key in &keys {
        assert!(has(key), "catalogue lacks {key}");
    }
    // Every refusal, rendered in each language, has all its placeholders filled.
    for &form in CertificateForm::ALL {
        for &stage in Stage::ALL {
            for &event in Event::ALL {
                if let Err(m) = next(form, stage, event) {
                    assert!(has(m.key), "catalogue lacks {}", m.key);
                    for &lang in Lang::ALL {
                        let text = m.render(lang);
                        assert!(!text.contains('{'), "{}: unfilled placeholder in {text}", m.key);
                    }
                }
            }
        }
    }
}

// ---- properties over random event sequences ---------------------------

/// One step of a random walk: a blind event (usually refused) or the n-th
/// currently allowed one, so that walks also reach the deep stages.
#[derive(Debug, Clone)]
enum Step {
    Any(Event),
    Allowed(usize),
}

fn steps() -> impl Strategy<Value = (CertificateForm, Vec<Step>)> {
    // Mostly guided steps, and mostly the first allowed event (the forward one,
    // by the order of `Event::ALL`): blind events are nearly always refused, and
    // a uniform pick takes a side exit (refuse, withdraw) too soon to see the
    // deep stages of a card.
    let step = prop_oneof![
        1 => prop::sample::select(Event::ALL).prop_map(Step::Any),
        3 => Just(Step::Allowed(0)),
        1 => any::<usize>().prop_map(Step::Allowed),
    ];
    (prop::sample::select(CertificateForm::ALL), prop::collection::vec(step, 0..60))
}

/// Walks from `initial(form)` and checks the invariants at every stage reached.
fn check_walk(form: CertificateForm, walk: &[Step]) -> Result<(), TestCaseError> {
    let mut stage = initial(form);
    for step in walk {
        // (3) every stage reached belongs to the form.
        prop_assert!(stage.forms().contains(&form), "{stage:?} not in {form:?}");
        // (4) the buttons shown are exactly the events `next` accepts.
        let allowed = allowed_events(form, stage);
        for &event in Event::ALL {
            prop_assert_eq!(allowed.contains(&event), next(form, stage, event).is_ok());
        }
        // (2) a final stage refuses everything.
        if stage.is_final() {
            prop_assert!(allowed.is_empty(), "{stage:?} is final but allows {allowed:?}");
        }
        // (5) amendable means neither in production nor final.
        if stage.is_amendable() {
            prop_assert!(!stage.in_production() && !stage.is_final());
        }
        // (1) `next` never panics, whatever the event.
        let event = match *step {
            Step::Any(event) => event,
            Step::Allowed(_) if allowed.is_empty() => continue,
            Step::Allowed(n) => allowed[n % allowed.len()],
        };
        match next(form, stage, event) {
            Ok(to) => stage = to,
            Err(m) => prop_assert!(!allowed.contains(&event), "{event:?} allowed but refused: {}", m.key),
        }
    }
    prop_assert!(stage.forms().contains(&form));
    Ok(())
}

proptest! {
    #[test]
    fn prop_random_walks_keep_the_invariants((form, walk) in steps()) {
        check_walk(form, &walk)?;
    }

    #[test]
    fn prop_parse_accepts_exactly_the_stored_names(s in "[a-z_]{0,24}|\\PC{0,24}") {
        // (6) parse is the exact inverse of as_str, and never invents a value.
        if let Some(stage) = Stage::parse(&s) {
            prop_assert_eq!(stage.as_str(), s.as_str());
        }
        if let Some(event) = Event::parse(&s) {
            prop_assert_eq!(event.as_str(), s.as_str());
        }
    }

    #[test]
    fn prop_names_round_trip(stage in prop::sample::select(Stage::ALL), event in prop::sample::select(Event::ALL)) {
        prop_assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        prop_assert_eq!(Event::parse(event.as_str()), Some(event));
    }
}
