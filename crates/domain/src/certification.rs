//! Who may be certified for what: the certification centre's registry checks
//! (SPEC §2.2, §2.4 §IV), decided purely from facts the caller gathers.
//!
//! * A qualified signature (QES) key on the ID card is certified only for a
//!   person aged 18 or more on the day of issue whose ID card is on record and
//!   unexpired; the certificate ends no later than the card.
//! * Keys on the electronic pension certificate (the payment card) are
//!   certified only for the holder of a card application whose keys have been
//!   generated (stage `keys_generated`, §IV.4–6); they end no later than the
//!   card, which itself lives at most 3 years (§IV) and not beyond a fixed-term
//!   pension or the disability term.
//! * The agency's encryption, document-signing and time-stamping certificates
//!   belong to organisational units, never to people.
//!
//! The crypto crate enforces each profile's maximum validity again when it
//! signs; the rules here give the reason in the catalogue's words.
use chrono::{Days, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::application::ApplicationData;
use crate::error::Invalid;
use crate::i18n::Message;
use crate::lifecycle::{CertificateForm, Stage};
use crate::org::UnitKind;
use crate::person::PersonData;

/// What a certificate is for (the end-entity profiles of the certification centre).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Profile {
    /// Qualified electronic signature on the ID card (SPEC §2.2).
    QesIdCard,
    /// A key pair on the electronic pension certificate (SPEC §2.4 §IV).
    CardKey,
    /// An agency's (org unit's) key-agreement certificate.
    AgencyEncryption,
    /// An agency's document-signing certificate.
    DocumentSigning,
    /// A time-stamping unit.
    TimeStamping,
}

impl Profile {
    pub const ALL: [Profile; 5] = [
        Profile::QesIdCard,
        Profile::CardKey,
        Profile::AgencyEncryption,
        Profile::DocumentSigning,
        Profile::TimeStamping,
    ];

    /// Stable name, as stored and as the CLI and API take it.
    pub fn as_str(self) -> &'static str {
        self.names().0
    }

    fn names(self) -> (&'static str, &'static str) {
        match self {
            Profile::QesIdCard => ("qes-id-card", "cert_profile.qes_id_card"),
            Profile::CardKey => ("card-key", "cert_profile.card_key"),
            Profile::AgencyEncryption => ("agency-encryption", "cert_profile.agency_encryption"),
            Profile::DocumentSigning => ("document-signing", "cert_profile.document_signing"),
            Profile::TimeStamping => ("time-stamping", "cert_profile.time_stamping"),
        }
    }

    /// Accepts the stable name, also with underscores (`qes_id_card`).
    pub fn parse(s: &str) -> Result<Profile, Message> {
        let s = s.trim();
        if s.is_empty() {
            return Err(Message::new("common.required"));
        }
        let norm = s.replace('_', "-");
        Self::ALL
            .into_iter()
            .find(|p| p.as_str() == norm)
            .ok_or_else(|| Message::new("common.unknown_value").with("value", s))
    }

    pub fn message(self) -> Message {
        Message::new(self.names().1)
    }

    /// Certified for a person (otherwise for an org unit).
    pub fn for_people(self) -> bool {
        matches!(self, Profile::QesIdCard | Profile::CardKey)
    }

    /// The longest validity, in days: 2 years for the QES on the ID card
    /// (SPEC §2.2), 3 years for card keys (the card's own limit, §IV) and for
    /// the agency's certificates.
    pub fn max_validity_days(self) -> u32 {
        match self {
            Profile::QesIdCard => 2 * 365,
            Profile::CardKey | Profile::AgencyEncryption | Profile::DocumentSigning | Profile::TimeStamping => 3 * 365,
        }
    }
}

/// A card application as the certification check needs it.
#[derive(Debug, Clone, Copy)]
pub struct CardApplication<'a> {
    /// The application is the subject person's own.
    pub of_subject: bool,
    pub stage: Stage,
    pub data: &'a ApplicationData,
    /// The card's last day, fixed when its face was sealed for the personalizer.
    pub expires_on: Option<NaiveDate>,
}

impl CardApplication<'_> {
    /// No key on the chip outlives the card (§IV.4: the key pairs serve the
    /// card's validity); a card not yet sealed would last three years from today.
    fn card_end(&self, today: NaiveDate) -> NaiveDate {
        self.expires_on.unwrap_or_else(|| crate::production::card_expires_on(today))
    }
}

/// Whom the certificate is for.
#[derive(Debug, Clone, Copy)]
pub enum Subject<'a> {
    Person { person: &'a PersonData, card_application: Option<CardApplication<'a>> },
    Unit { kind: UnitKind },
}

fn plus_days(today: NaiveDate, days: u32) -> NaiveDate {
    today.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
}

fn days_until(today: NaiveDate, end: NaiveDate) -> u32 {
    u32::try_from((end - today).num_days().max(0)).unwrap_or(u32::MAX)
}

/// The validity the centre gives when the request names none: the profile's
/// maximum, shortened to the ID card's or the pension card's end.
pub fn default_validity_days(profile: Profile, subject: &Subject<'_>, today: NaiveDate) -> u32 {
    let max = profile.max_validity_days();
    let limit = match (profile, subject) {
        (Profile::QesIdCard, Subject::Person { person, .. }) => person.id_card_expires.map(|e| days_until(today, e)),
        (Profile::CardKey, Subject::Person { card_application: Some(app), .. }) => {
            Some(days_until(today, app.card_end(today)))
        }
        _ => None,
    };
    limit.map_or(max, |l| l.min(max)).max(1)
}

fn date(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// Checks that `subject` may be certified for `profile` on `today` for
/// `validity_days`; reports every reason at once.
pub fn check(profile: Profile, subject: &Subject<'_>, today: NaiveDate, validity_days: u32) -> Result<(), Invalid> {
    let mut errs = Invalid::default();
    let valid_until = plus_days(today, validity_days);
    if validity_days == 0 {
        errs.push("validity_days", "certification.validity_positive");
    } else if validity_days > profile.max_validity_days() {
        errs.push(
            "validity_days",
            Message::new("certification.validity_beyond_profile").with("max", profile.max_validity_days()),
        );
    }
    match (profile, subject) {
        // Keys of a person's signature are certified for that person only …
        (p, Subject::Unit { .. }) if p.for_people() => errs.push("unit", "certification.person_profile_for_unit"),
        // … and the agency's keys belong to an org unit, never to a person.
        (p, Subject::Person { .. }) if !p.for_people() => errs.push("person", "certification.unit_profile_for_person"),
        (Profile::QesIdCard, Subject::Person { person, .. }) => check_qes(person, today, valid_until, &mut errs),
        (Profile::CardKey, Subject::Person { card_application, .. }) => {
            check_card_key(card_application.as_ref(), today, valid_until, &mut errs)
        }
        _ => {}
    }
    errs.into_result()
}

/// SPEC §2.2: QES on the ID card — adults, with a valid card, not beyond it.
fn check_qes(person: &PersonData, today: NaiveDate, valid_until: NaiveDate, errs: &mut Invalid) {
    if person.age_on(today) < 18 {
        errs.push("person", "certification.qes_adults_only");
    }
    match (&person.id_card, person.id_card_expires) {
        (None, _) => errs.push("person", "certification.qes_no_id_card"),
        (Some(_), None) => errs.push("person", "certification.qes_id_card_expiry_unknown"),
        (Some(_), Some(expires)) if expires < today => {
            errs.push("person", Message::new("certification.qes_id_card_expired").with("date", date(expires)))
        }
        (Some(_), Some(expires)) if valid_until > expires => errs.push(
            "validity_days",
            Message::new("certification.qes_beyond_id_card")
                .with("date", date(expires))
                .with("days", days_until(today, expires)),
        ),
        _ => {}
    }
}

/// SPEC §2.4 §IV: card keys for the holder of a card application whose keys
/// were generated, not beyond the card.
fn check_card_key(app: Option<&CardApplication<'_>>, today: NaiveDate, valid_until: NaiveDate, errs: &mut Invalid) {
    const FIELD: &str = "card_application_id";
    let Some(app) = app else {
        errs.push(FIELD, "certification.card_application_required");
        return;
    };
    if !app.of_subject {
        errs.push(FIELD, "certification.card_application_other_person");
        return;
    }
    if app.data.form != CertificateForm::Card {
        errs.push(FIELD, "certification.card_application_not_card");
        return;
    }
    if app.stage != Stage::KeysGenerated {
        errs.push(
            FIELD,
            Message::new("certification.card_application_wrong_stage").with_term("stage", app.stage.message().key),
        );
    }
    let card_end = app.card_end(today);
    if valid_until > card_end {
        errs.push(
            "validity_days",
            Message::new("certification.card_key_beyond_card")
                .with("date", date(card_end))
                .with("days", days_until(today, card_end)),
        );
    }
}

#[cfg(test)]
mod tests {
    //! One test per rule, named after the rule.
    use super::*;
    use crate::application::ApplicationData;
    use crate::pension::PensionKind;
    use crate::person::PersonInput;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn adult() -> PersonData {
        PersonInput {
            rnokpp: Some("1759013776".into()),
            surname: "Шевчук".into(),
            given_name: "Петро".into(),
            birth_date: "1948-02-28".into(),
            sex: "male".into(),
            id_card: Some("001234567".into()),
            id_card_expires: Some("2034-05-01".into()),
            ..Default::default()
        }
        .validate(today())
        .unwrap()
    }

    fn card_app(form: CertificateForm) -> ApplicationData {
        ApplicationData {
            pension_kind: PensionKind::OldAge,
            form,
            issue_unit_id: 7,
            disability: None,
            service_body: None,
            pension_until: None,
            representative_id: None,
            replacement: None,
            payment_system: None,
        }
    }

    fn person(p: &PersonData) -> Subject<'_> {
        Subject::Person { person: p, card_application: None }
    }

    fn with_card<'a>(p: &'a PersonData, app: &'a ApplicationData, stage: Stage, own: bool) -> Subject<'a> {
        let card = CardApplication { of_subject: own, stage, data: app, expires_on: None };
        Subject::Person { person: p, card_application: Some(card) }
    }

    fn refused(r: Result<(), Invalid>, field: &str, key: &str) -> bool {
        r.as_ref().is_err_and(|e| e.has(field, key))
    }

    #[test]
    fn qes_only_for_adults() {
        let mut p = adult();
        assert!(check(Profile::QesIdCard, &person(&p), today(), 730).is_ok());
        // 18 tomorrow: still a minor on the day of issue.
        p.birth_date = NaiveDate::from_ymd_opt(2008, 11, 22).unwrap();
        let r = check(Profile::QesIdCard, &person(&p), today(), 730);
        assert!(refused(r, "person", "certification.qes_adults_only"));
        p.birth_date = NaiveDate::from_ymd_opt(2008, 11, 21).unwrap();
        assert!(check(Profile::QesIdCard, &person(&p), today(), 730).is_ok());
    }

    #[test]
    fn qes_requires_valid_id_card() {
        let mut p = adult();
        p.id_card_expires = NaiveDate::from_ymd_opt(2026, 11, 20);
        assert!(refused(
            check(Profile::QesIdCard, &person(&p), today(), 1),
            "person",
            "certification.qes_id_card_expired"
        ));
        p.id_card_expires = None;
        let r = check(Profile::QesIdCard, &person(&p), today(), 1);
        assert!(refused(r, "person", "certification.qes_id_card_expiry_unknown"));
        p.id_card = None;
        assert!(refused(check(Profile::QesIdCard, &person(&p), today(), 1), "person", "certification.qes_no_id_card"));
    }

    #[test]
    fn qes_validity_not_beyond_id_card() {
        let mut p = adult();
        p.id_card_expires = NaiveDate::from_ymd_opt(2027, 11, 21);
        let r = check(Profile::QesIdCard, &person(&p), today(), 366);
        assert!(refused(r, "validity_days", "certification.qes_beyond_id_card"));
        assert!(check(Profile::QesIdCard, &person(&p), today(), 365).is_ok());
        assert_eq!(default_validity_days(Profile::QesIdCard, &person(&p), today()), 365);
    }

    #[test]
    fn qes_valid_at_most_two_years() {
        let p = adult();
        let r = check(Profile::QesIdCard, &person(&p), today(), 731);
        assert!(refused(r, "validity_days", "certification.validity_beyond_profile"));
        assert_eq!(default_validity_days(Profile::QesIdCard, &person(&p), today()), 730);
    }

    #[test]
    fn card_keys_only_for_card_application() {
        let p = adult();
        let card = card_app(CertificateForm::Card);
        let paper = card_app(CertificateForm::Paper);
        let ok = with_card(&p, &card, Stage::KeysGenerated, true);
        assert!(check(Profile::CardKey, &ok, today(), 365).is_ok());
        let field = "card_application_id";
        let r = check(Profile::CardKey, &person(&p), today(), 365);
        assert!(refused(r, field, "certification.card_application_required"));
        let r = check(Profile::CardKey, &with_card(&p, &paper, Stage::KeysGenerated, true), today(), 365);
        assert!(refused(r, field, "certification.card_application_not_card"));
        let r = check(Profile::CardKey, &with_card(&p, &card, Stage::KeysGenerated, false), today(), 365);
        assert!(refused(r, field, "certification.card_application_other_person"));
    }

    #[test]
    fn card_keys_only_in_the_keys_generated_stage() {
        let p = adult();
        let card = card_app(CertificateForm::Card);
        for stage in [Stage::Accepted, Stage::AtPersonalizer, Stage::KeysCertified, Stage::Active, Stage::Refused] {
            let r = check(Profile::CardKey, &with_card(&p, &card, stage, true), today(), 365);
            assert!(refused(r, "card_application_id", "certification.card_application_wrong_stage"), "{stage:?}");
        }
    }

    #[test]
    fn card_key_validity_not_beyond_card() {
        let p = adult();
        let card = card_app(CertificateForm::Card);
        // A card whose face was sealed (and its validity fixed) to end on 30.06.2027.
        let sealed = CardApplication {
            of_subject: true,
            stage: Stage::KeysGenerated,
            data: &card,
            expires_on: NaiveDate::from_ymd_opt(2027, 6, 30),
        };
        let s = Subject::Person { person: &p, card_application: Some(sealed) };
        let r = check(Profile::CardKey, &s, today(), 300);
        assert!(refused(r, "validity_days", "certification.card_key_beyond_card"));
        assert_eq!(default_validity_days(Profile::CardKey, &s, today()), 221);
        assert!(check(Profile::CardKey, &s, today(), 221).is_ok());
    }

    #[test]
    fn card_keys_serve_the_card_past_a_fixed_term_pension() {
        // §IV.4: the card stays a payment card to its own end even when the pension's
        // term ends first, and its key pairs serve the card's whole validity.
        let p = adult();
        let mut card = card_app(CertificateForm::Card);
        card.pension_until = NaiveDate::from_ymd_opt(2027, 6, 30);
        let s = with_card(&p, &card, Stage::KeysGenerated, true);
        assert_eq!(default_validity_days(Profile::CardKey, &s, today()), 1095);
        assert!(check(Profile::CardKey, &s, today(), 1095).is_ok());
    }

    #[test]
    fn card_key_validity_at_most_three_years() {
        let p = adult();
        let card = card_app(CertificateForm::Card);
        let s = with_card(&p, &card, Stage::KeysGenerated, true);
        assert!(check(Profile::CardKey, &s, today(), 1095).is_ok());
        assert!(refused(
            check(Profile::CardKey, &s, today(), 1096),
            "validity_days",
            "certification.validity_beyond_profile"
        ));
    }

    #[test]
    fn agency_certificates_only_for_units() {
        let p = adult();
        for profile in [Profile::AgencyEncryption, Profile::DocumentSigning, Profile::TimeStamping] {
            let r = check(profile, &person(&p), today(), 365);
            assert!(refused(r, "person", "certification.unit_profile_for_person"), "{profile:?}");
            assert!(check(profile, &Subject::Unit { kind: UnitKind::CentralFund }, today(), 365).is_ok());
        }
    }

    #[test]
    fn personal_keys_never_for_units() {
        for profile in [Profile::QesIdCard, Profile::CardKey] {
            let r = check(profile, &Subject::Unit { kind: UnitKind::CentralFund }, today(), 365);
            assert!(refused(r, "unit", "certification.person_profile_for_unit"), "{profile:?}");
        }
    }

    #[test]
    fn validity_is_at_least_a_day() {
        let r = check(Profile::DocumentSigning, &Subject::Unit { kind: UnitKind::CentralFund }, today(), 0);
        assert!(refused(r, "validity_days", "certification.validity_positive"));
    }

    #[test]
    fn profiles_round_trip_and_have_messages() {
        for p in Profile::ALL {
            assert_eq!(Profile::parse(p.as_str()), Ok(p));
            assert_eq!(Profile::parse(&p.as_str().replace('-', "_")), Ok(p));
            assert!(crate::i18n::has(p.message().key), "{p:?}");
        }
        assert!(Profile::parse("root-ca").is_err());
    }

    #[test]
    fn every_refusal_is_in_the_catalogue() {
        let src = include_str!("certification.rs");
        for piece in src.split("\"certification.").skip(1) {
            let name = piece.split('"').next().unwrap_or_default();
            if name.is_empty() || name == "rs" || !name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_') {
                continue; // this test's own pattern
            }
            let key = format!("certification.{name}");
            assert!(crate::i18n::has(&key), "{key} missing from the catalogue");
        }
    }
}
