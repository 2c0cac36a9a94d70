//! The electronic certificate's exchange with the parties outside the fund
//! (regulation 26-1, §IV): who reports which step of a card, which stages each
//! party works on, and the bank's identification match the certification
//! centre waits for before it certifies the chip's keys.
//!
//! Every step of a card is one message from one party (§IV.5, §IV.10): the
//! fund sends the application to the bank and the personalization data to the
//! personalizer; the bank opens the account (identifying the holder), delivers,
//! issues, and reports activation, blocking, withdrawal, loss and destruction;
//! the personalizer generates at least two key pairs and personalizes; the
//! certification centre certifies the keys. A party that reports a step that
//! is not its own is refused, whatever stage the card is in.
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::error::Invalid;
use crate::i18n::Message;
use crate::lifecycle::{Event, Stage};
use crate::name::normal_form;
use crate::org::Role;
use crate::person::PersonData;

/// At least two key pairs are written to the chip (§IV).
pub const MIN_CARD_KEYS: usize = 2;
/// More requests than this in one report is not a card.
pub const MAX_CARD_KEYS: usize = 8;

/// A side of the card exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Party {
    Fund,
    Bank,
    Personalizer,
    CertificationCentre,
}

impl Party {
    pub const ALL: [Party; 4] = [Party::Fund, Party::Bank, Party::Personalizer, Party::CertificationCentre];

    pub fn as_str(self) -> &'static str {
        match self {
            Party::Fund => "fund",
            Party::Bank => "bank",
            Party::Personalizer => "personalizer",
            Party::CertificationCentre => "certification_centre",
        }
    }

    pub fn parse(s: &str) -> Option<Party> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    pub fn message(self) -> Message {
        Message::new(match self {
            Party::Fund => "card.party.fund",
            Party::Bank => "card.party.bank",
            Party::Personalizer => "card.party.personalizer",
            Party::CertificationCentre => "card.party.certification_centre",
        })
    }

    /// The party a staff role acts for; `None` for roles outside the card exchange.
    pub fn of_role(role: Role) -> Option<Party> {
        match role {
            Role::CentralProductionOfficer => Some(Party::Fund),
            Role::BankOperator => Some(Party::Bank),
            Role::PersonalizerOperator => Some(Party::Personalizer),
            Role::CaOperator => Some(Party::CertificationCentre),
            _ => None,
        }
    }

    /// The stages of the cards this party works on: its queue. The fund sees
    /// every stage; a partner only what it must act on or report about.
    pub fn stages(self) -> &'static [Stage] {
        use Stage::*;
        match self {
            Party::Fund => &[
                Accepted,
                DuplicateHold,
                SentToBank,
                AccountOpened,
                AtPersonalizer,
                KeysGenerated,
                KeysCertified,
                Personalized,
                AtBranch,
                Issued,
                Active,
                Blocked,
            ],
            Party::Bank => &[SentToBank, Personalized, AtBranch, Issued, Active, Blocked],
            Party::Personalizer => &[AtPersonalizer, KeysGenerated, KeysCertified],
            Party::CertificationCentre => &[KeysGenerated],
        }
    }
}

/// Who reports `event` for a card, and to whom the message goes.
pub fn route(event: Event) -> Option<(&'static [Party], Party)> {
    use Event::*;
    use Party::*;
    Some(match event {
        SendToBank => (&[Fund], Bank),
        SendToPersonalizer => (&[Fund], Personalizer),
        OpenAccount | DeliverToBranch | Issue | Activate | Block | Unblock | WithdrawByBank | DeclareLost | Destroy => {
            (&[Bank], Fund)
        }
        GenerateKeys => (&[Personalizer], CertificationCentre),
        Personalize => (&[Personalizer], Bank),
        CertifyKeys => (&[CertificationCentre], Personalizer),
        // The bank may refuse to open the account, the centre to certify.
        Refuse => (&[Bank, CertificationCentre], Fund),
        _ => return None,
    })
}

/// Checks that `party` is the one that reports `event`; returns the recipient.
pub fn check_reporter(party: Party, event: Event) -> Result<Party, Message> {
    match route(event) {
        Some((from, to)) if from.contains(&party) => Ok(to),
        Some(_) => Err(Message::new("card.not_your_step")
            .with_term("event", event.message().key)
            .with_term("party", party.message().key)),
        None => Err(Message::new("card.not_a_card_step").with_term("event", event.message().key)),
    }
}

/// The bank's identification of the holder when it opens the account (§IV.6):
/// the certification centre certifies the chip's keys only if it matches the
/// fund's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Identification {
    pub surname: String,
    pub given_name: String,
    #[serde(default)]
    pub patronymic: Option<String>,
    pub birth_date: NaiveDate,
    /// RNOKPP, or — for a person who refused it — the passport number.
    pub tax_id: String,
}

impl Identification {
    /// The fund's record of the holder in the shape the bank identifies by:
    /// what the fund sends the bank to open the account.
    pub fn of(person: &PersonData) -> Identification {
        let name = &person.name;
        Identification {
            surname: name.surname.as_str().to_owned(),
            given_name: name.given.as_str().to_owned(),
            patronymic: name.patronymic.as_ref().map(|p| p.as_str().to_owned()),
            birth_date: person.birth_date,
            tax_id: person.tax_id.number().to_owned(),
        }
    }
}

fn same(a: &str, b: &str) -> bool {
    normal_form(a) == normal_form(b)
}

/// Compares the bank's identification with the fund's record; names the
/// fields that differ (never echoing the record's values).
pub fn check_identification(bank: &Identification, person: &PersonData) -> Result<(), Invalid> {
    let record = Identification::of(person);
    let mut errs = Invalid::default();
    let texts = [
        ("surname", bank.surname.as_str(), record.surname.as_str()),
        ("given_name", &bank.given_name, &record.given_name),
        ("patronymic", bank.patronymic.as_deref().unwrap_or(""), record.patronymic.as_deref().unwrap_or("")),
        ("tax_id", &bank.tax_id, &record.tax_id),
    ];
    for (field, theirs, ours) in texts {
        if !same(theirs, ours) {
            errs.push(field, "card.identification.mismatch");
        }
    }
    if bank.birth_date != record.birth_date {
        errs.push("birth_date", "card.identification.mismatch");
    }
    errs.into_result()
}

/// The personalizer's key requests for one chip: at least two, each a
/// different key (the request's proof of possession is the crypto crate's).
pub fn check_key_requests(public_keys: &[&[u8]]) -> Result<(), Invalid> {
    let n = public_keys.len();
    if n < MIN_CARD_KEYS {
        return Err(Invalid::one("requests", Message::new("card.keys.too_few").with("min", MIN_CARD_KEYS.to_string())));
    }
    if n > MAX_CARD_KEYS {
        return Err(Invalid::one(
            "requests",
            Message::new("card.keys.too_many").with("max", MAX_CARD_KEYS.to_string()),
        ));
    }
    for (i, k) in public_keys.iter().enumerate() {
        if public_keys[..i].contains(k) {
            return Err(Invalid::one(format!("requests[{i}]"), "card.keys.repeated"));
        }
    }
    Ok(())
}

/// The personalized card's unique identifier (form 5, zone 3: printed under the photo), given by
/// the personalizer when it reports the card made. Digits in groups separated by one space or
/// hyphen, 4–19 characters: a card number such as "5168 7420 0000 0042" fits the 25 mm under
/// the photo, and nothing wider can be accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CardNumber(String);

impl JsonSchema for CardNumber {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "CardNumber".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^[0-9]+([ -][0-9]+)*$",
            "minLength": 4,
            "maxLength": CardNumber::MAX_LEN,
            "description": "The card's unique identifier as printed under the photo: digit groups separated by spaces or hyphens."
        })
    }
}

impl CardNumber {
    pub const MAX_LEN: usize = 19;

    pub fn parse(s: &str) -> Result<CardNumber, Invalid> {
        let s = s.trim();
        let bad = || Invalid::one("card_number", "card.number.invalid");
        let groups: Vec<&str> = s.split([' ', '-']).collect();
        let digits = groups.iter().all(|g| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit()));
        if !digits || !(4..=Self::MAX_LEN).contains(&s.len()) {
            return Err(bad());
        }
        Ok(CardNumber(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::{CertificateForm, path_to_issue};
    use proptest::prelude::*;

    #[test]
    fn form_5_card_number_takes_digit_groups_that_fit_under_the_photo() {
        for ok in ["5168 7420 0000 0042", "5168-7420-0000-0042", "0042", " 12345678 "] {
            assert!(CardNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in ["", "123", "5168  7420", "5168 7420 0000 0042 1", "ABCD 1234", "12 34-", "-1234", "12\u{a0}34"] {
            assert!(CardNumber::parse(bad).is_err(), "{bad:?}");
        }
        assert_eq!(CardNumber::parse(" 0042 ").unwrap().as_str(), "0042");
    }

    proptest! {
        #[test]
        fn a_card_number_accepted_is_short_digits_and_single_separators(s in "\\PC{0,24}") {
            if let Ok(n) = CardNumber::parse(&s) {
                let n = n.as_str();
                prop_assert!(n.len() <= CardNumber::MAX_LEN);
                prop_assert!(n.bytes().all(|b| b.is_ascii_digit() || b == b' ' || b == b'-'));
                prop_assert!(!n.contains("  ") && !n.starts_with(['-', ' ']) && !n.ends_with(['-', ' ']));
            }
        }
    }

    #[test]
    fn personalizer_report_of_a_bank_step_refused() {
        for ev in [Event::OpenAccount, Event::DeliverToBranch, Event::Activate, Event::Destroy] {
            assert_eq!(check_reporter(Party::Personalizer, ev).unwrap_err().key, "card.not_your_step");
        }
        assert_eq!(check_reporter(Party::Bank, Event::CertifyKeys).unwrap_err().key, "card.not_your_step");
        assert_eq!(check_reporter(Party::Personalizer, Event::GenerateKeys), Ok(Party::CertificationCentre));
        assert_eq!(check_reporter(Party::CertificationCentre, Event::CertifyKeys), Ok(Party::Personalizer));
        assert_eq!(check_reporter(Party::Bank, Event::Produce).unwrap_err().key, "card.not_a_card_step");
    }

    #[test]
    fn bank_withdraws_the_card_and_notifies_the_fund_electronically() {
        // §IV.10: the bank's withdrawal, loss, blocking and destruction are its messages to the fund.
        for ev in [Event::WithdrawByBank, Event::DeclareLost, Event::Block, Event::Destroy, Event::Issue] {
            assert_eq!(check_reporter(Party::Bank, ev), Ok(Party::Fund), "{ev:?}");
            assert_eq!(check_reporter(Party::Fund, ev).unwrap_err().key, "card.not_your_step", "{ev:?}");
        }
    }

    #[test]
    fn keys_certified_only_after_the_banks_identification_matches() {
        let person = crate::person::PersonInput {
            rnokpp: Some("1759013776".into()),
            surname: "Шевчук".into(),
            given_name: "Петро".into(),
            patronymic: Some("Іванович".into()),
            birth_date: "1948-02-28".into(),
            sex: "male".into(),
            ..Default::default()
        }
        .validate(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap())
        .unwrap();
        let mut bank = Identification::of(&person);
        // Case and apostrophes are how the name is written, not who it is.
        bank.surname = "ШЕВЧУК".into();
        assert!(check_identification(&bank, &person).is_ok());
        bank.birth_date = NaiveDate::from_ymd_opt(1948, 2, 27).unwrap();
        bank.tax_id = "1759013777".into();
        let e = check_identification(&bank, &person).unwrap_err();
        assert!(e.has("birth_date", "card.identification.mismatch") && e.has("tax_id", "card.identification.mismatch"));
        assert_eq!(e.0.len(), 2);
    }

    #[test]
    fn card_keys_at_least_two_pairs() {
        let (a, b) = ([1u8, 2], [3u8, 4]);
        assert_eq!(check_key_requests(&[&a]).unwrap_err().0[0].message.key, "card.keys.too_few");
        assert_eq!(check_key_requests(&[&a, &a]).unwrap_err().0[0].message.key, "card.keys.repeated");
        assert!(check_key_requests(&[&a, &b]).is_ok());
    }

    #[test]
    fn iv_8_the_fund_records_every_production_stage_and_each_partner_its_own() {
        use crate::lifecycle::{initial, next};
        // The fund follows the card through every stage it passes on the way to the holder.
        let mut stage = initial(CertificateForm::Card);
        for ev in path_to_issue(CertificateForm::Card) {
            assert!(Party::Fund.stages().contains(&stage), "{stage:?}");
            stage = next(CertificateForm::Card, stage, *ev).unwrap();
        }
        assert!(Party::Fund.stages().contains(&stage), "{stage:?}");
        // The bank records accounts, delivery to the branch (where the card is stored until
        // issue), issue, activation and destruction, each reported to the fund.
        for ev in [Event::OpenAccount, Event::DeliverToBranch, Event::Issue, Event::Activate, Event::Destroy] {
            assert_eq!(check_reporter(Party::Bank, ev), Ok(Party::Fund), "{ev:?}");
        }
        // The personalizer records the personalization, which hands the card to the bank, and
        // the generation of the keys, whose requests go to the certification centre.
        assert_eq!(check_reporter(Party::Personalizer, Event::Personalize), Ok(Party::Bank));
        assert_eq!(check_reporter(Party::Personalizer, Event::GenerateKeys), Ok(Party::CertificationCentre));
        // Each step on the way to the holder has exactly one reporter: one party's record.
        for ev in path_to_issue(CertificateForm::Card) {
            assert_eq!(Party::ALL.iter().filter(|p| check_reporter(**p, *ev).is_ok()).count(), 1, "{ev:?}");
        }
    }

    #[test]
    fn each_party_queue_is_a_subset_of_the_funds() {
        for p in Party::ALL {
            assert!(p.stages().iter().all(|s| Party::Fund.stages().contains(s)), "{p:?}");
            assert_eq!(Party::parse(p.as_str()), Some(p));
        }
    }
}
