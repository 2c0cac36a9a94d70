//! People in the registry and their legal representatives (SPEC §3, seed 003 §I.2, §II.1–2).
use chrono::{Datelike, NaiveDate};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::schema::{DateText, OrBlank, Text, TextUpTo};
use crate::text::printable;

use crate::error::Invalid;
use crate::i18n::Message;
use crate::ident::{AccountNo, IdCardNo, Okzo, PassportNo, Rnokpp, Unzr};
use crate::name::{FullName, NamePart};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
    pub fn parse(s: &str) -> Result<Sex, Message> {
        match s.trim() {
            "male" | "m" | "M" | "ч" | "Ч" => Ok(Sex::Male),
            "female" | "f" | "F" | "ж" | "Ж" => Ok(Sex::Female),
            "" => Err(Message::new("common.required")),
            other => Err(Message::new("common.unknown_value").with("value", other)),
        }
    }
    pub fn message(self) -> Message {
        Message::new(match self {
            Sex::Male => "sex.male",
            Sex::Female => "sex.female",
        })
    }
}

/// Civil capacity; anything but full capacity needs a legal representative (§I.2, §II.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    #[default]
    Full,
    Limited,
    Incapacitated,
}

impl Capacity {
    pub const ALL: [Capacity; 3] = [Capacity::Full, Capacity::Limited, Capacity::Incapacitated];
    pub fn as_str(self) -> &'static str {
        match self {
            Capacity::Full => "full",
            Capacity::Limited => "limited",
            Capacity::Incapacitated => "incapacitated",
        }
    }
    pub fn parse(s: &str) -> Result<Capacity, Message> {
        Capacity::ALL
            .into_iter()
            .find(|c| c.as_str() == s.trim())
            .ok_or_else(|| Message::new("common.unknown_value").with("value", s.trim()))
    }
}

/// How the person is identified for tax purposes: by RNOKPP, or — for those who
/// refused the number for religious reasons — by passport series and number,
/// in which case no RNOKPP is stored or printed anywhere (§II.1(1)).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TaxId {
    Rnokpp { rnokpp: Rnokpp },
    ReligiousRefusal { passport: PassportNo },
}

impl TaxId {
    pub fn rnokpp(&self) -> Option<&Rnokpp> {
        match self {
            TaxId::Rnokpp { rnokpp } => Some(rnokpp),
            TaxId::ReligiousRefusal { .. } => None,
        }
    }

    /// The number that identifies the person for tax purposes: the RNOKPP, or
    /// the passport of a person who refused it for religious reasons.
    pub fn number(&self) -> &str {
        match self {
            TaxId::Rnokpp { rnokpp } => rnokpp.as_str(),
            TaxId::ReligiousRefusal { passport } => passport.as_str(),
        }
    }
}

/// A validated person record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct PersonData {
    pub tax_id: TaxId,
    pub name: FullName,
    #[serde(serialize_with = "crate::time::iso::date")]
    pub birth_date: NaiveDate,
    pub sex: Sex,
    pub passport: Option<PassportNo>,
    pub id_card: Option<IdCardNo>,
    /// Last day the ID card is valid; needed to certify a qualified signature
    /// key on the card (SPEC §2.2). `None` when unknown (older records).
    #[serde(default, serialize_with = "crate::time::iso::option_date")]
    pub id_card_expires: Option<NaiveDate>,
    pub unzr: Option<Unzr>,
    pub account_no: Option<AccountNo>,
    pub okzo: Option<Okzo>,
    pub capacity: Capacity,
    /// Internally displaced person: gets the card form (§I.2).
    pub idp: bool,
}

impl PersonData {
    pub fn age_on(&self, today: NaiveDate) -> u32 {
        age_on(self.birth_date, today)
    }

    /// A minor or a person without full capacity: applications are filed by a
    /// legal representative and the representative is printed (§I.2, §II.2).
    pub fn needs_representative(&self, today: NaiveDate) -> bool {
        self.age_on(today) < 18 || self.capacity != Capacity::Full
    }
}

/// Full years between `birth` and `today` (0 if `today` is before `birth`).
pub fn age_on(birth: NaiveDate, today: NaiveDate) -> u32 {
    let mut years = today.year() - birth.year();
    if (today.month(), today.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Raw person fields as a form, a JSON body or a CSV row gives them.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(default)]
pub struct PersonInput {
    /// Required, unless the person refused it for religious reasons.
    #[schemars(with = "Option<OrBlank<Rnokpp>>")]
    pub rnokpp: Option<String>,
    /// Set when the person refused the RNOKPP for religious reasons (then the passport is required).
    pub religious_refusal: bool,
    #[schemars(with = "Option<OrBlank<PassportNo>>")]
    pub passport: Option<String>,
    #[schemars(with = "Option<OrBlank<IdCardNo>>")]
    pub id_card: Option<String>,
    /// Expiry date of the ID card (only with the ID card).
    #[schemars(with = "Option<OrBlank<DateText>>")]
    pub id_card_expires: Option<String>,
    /// Its birth date must be the person's.
    #[schemars(with = "Option<OrBlank<Unzr>>")]
    pub unzr: Option<String>,
    #[schemars(with = "Option<OrBlank<AccountNo>>")]
    pub account_no: Option<String>,
    #[schemars(with = "Option<OrBlank<Okzo>>")]
    pub okzo: Option<String>,
    #[schemars(required, with = "NamePart")]
    pub surname: String,
    #[schemars(required, with = "NamePart")]
    pub given_name: String,
    #[schemars(with = "Option<OrBlank<NamePart>>")]
    pub patronymic: Option<String>,
    /// Not in the future, not before 1900, and the one the RNOKPP encodes.
    #[schemars(required, with = "DateText")]
    pub birth_date: String,
    /// The one the RNOKPP encodes (also accepted: `m`/`f`, `ч`/`ж`).
    #[schemars(required, with = "Sex")]
    pub sex: String,
    /// Default: full capacity.
    #[schemars(with = "Option<OrBlank<Capacity>>")]
    pub capacity: Option<String>,
    /// An internally displaced person (receives the card form).
    pub idp: bool,
}

fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Parses an ISO date (`YYYY-MM-DD`) or the Ukrainian `dd.mm.yyyy`.
pub fn parse_date(s: &str) -> Result<NaiveDate, Message> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d.%m.%Y"))
        .map_err(|_| Message::new("common.invalid_date"))
}

/// One of [`PersonInput`]'s text fields, reached by name.
pub enum TextField<'a> {
    Required(&'a mut String),
    Optional(&'a mut Option<String>),
}

impl TextField<'_> {
    pub fn get(&self) -> Option<&str> {
        match self {
            TextField::Required(v) => Some(v.as_str()),
            TextField::Optional(v) => v.as_deref(),
        }
    }

    pub fn set(self, value: String) {
        match self {
            TextField::Required(v) => *v = value,
            TextField::Optional(v) => *v = Some(value),
        }
    }
}

impl PersonInput {
    /// The text field the API and the form call `name`, for code that fills
    /// the form from elsewhere (a digitized paper's fields).
    pub fn text_field(&mut self, name: &str) -> Option<TextField<'_>> {
        Some(match name {
            "rnokpp" => TextField::Optional(&mut self.rnokpp),
            "passport" => TextField::Optional(&mut self.passport),
            "id_card" => TextField::Optional(&mut self.id_card),
            "id_card_expires" => TextField::Optional(&mut self.id_card_expires),
            "unzr" => TextField::Optional(&mut self.unzr),
            "account_no" => TextField::Optional(&mut self.account_no),
            "okzo" => TextField::Optional(&mut self.okzo),
            "surname" => TextField::Required(&mut self.surname),
            "given_name" => TextField::Required(&mut self.given_name),
            "patronymic" => TextField::Optional(&mut self.patronymic),
            "birth_date" => TextField::Required(&mut self.birth_date),
            "sex" => TextField::Required(&mut self.sex),
            _ => return None,
        })
    }

    /// Checks every field and every cross-field rule, reporting all problems at once.
    pub fn validate(&self, today: NaiveDate) -> Result<PersonData, Invalid> {
        let mut errs = Invalid::default();
        let surname = errs.check("surname", NamePart::parse(&self.surname));
        let given = errs.check("given_name", NamePart::parse(&self.given_name));
        let patronymic = match present(&self.patronymic) {
            Some(p) => errs.check("patronymic", NamePart::parse(p)).map(Some),
            None => Some(None),
        };
        let birth_date = errs.check("birth_date", parse_date(&self.birth_date));
        if let Some(b) = birth_date {
            if b > today {
                errs.push("birth_date", "common.date_in_future");
            } else if b.year() < 1900 {
                errs.push("birth_date", "person.birth_too_early");
            }
        }
        let sex = errs.check("sex", Sex::parse(&self.sex));
        let passport = present(&self.passport).and_then(|p| errs.check("passport", PassportNo::parse(p)));
        let id_card = present(&self.id_card).and_then(|p| errs.check("id_card", IdCardNo::parse(p)));
        let id_card_expires = present(&self.id_card_expires).and_then(|d| errs.check("id_card_expires", parse_date(d)));
        if id_card_expires.is_some() && present(&self.id_card).is_none() {
            errs.push("id_card_expires", "person.id_card_expiry_without_card");
        }
        let unzr = present(&self.unzr).and_then(|p| errs.check("unzr", Unzr::parse(p)));
        let account_no = present(&self.account_no).and_then(|p| errs.check("account_no", AccountNo::parse(p)));
        let okzo = present(&self.okzo).and_then(|p| errs.check("okzo", Okzo::parse(p)));
        let capacity = match present(&self.capacity) {
            Some(c) => errs.check("capacity", Capacity::parse(c)),
            None => Some(Capacity::Full),
        };

        let tax_id = if self.religious_refusal {
            if present(&self.rnokpp).is_some() {
                errs.push("rnokpp", "person.rnokpp_with_refusal");
            }
            match (&passport, present(&self.passport)) {
                (Some(p), _) => Some(TaxId::ReligiousRefusal { passport: p.clone() }),
                (None, None) => {
                    errs.push("passport", "person.passport_required_for_refusal");
                    None
                }
                (None, Some(_)) => None, // already reported as a format error
            }
        } else {
            match present(&self.rnokpp) {
                None => {
                    errs.push("rnokpp", "person.rnokpp_required");
                    None
                }
                Some(r) => errs.check("rnokpp", Rnokpp::parse(r)).map(|rnokpp| TaxId::Rnokpp { rnokpp }),
            }
        };
        if let (Some(TaxId::Rnokpp { rnokpp }), Some(b), Some(s)) = (&tax_id, birth_date, sex)
            && let Err(m) = rnokpp.agrees_with(b, s)
        {
            let field = if m.key == "rnokpp.sex_mismatch" { "sex" } else { "birth_date" };
            errs.push(field, m);
        }
        if let (Some(u), Some(b)) = (&unzr, birth_date)
            && u.birth_date() != Some(b)
        {
            errs.push("unzr", "person.unzr_birth_mismatch");
        }
        errs.clone().into_result()?;
        match (tax_id, surname, given, patronymic, birth_date, sex, capacity) {
            (
                Some(tax_id),
                Some(surname),
                Some(given),
                Some(patronymic),
                Some(birth_date),
                Some(sex),
                Some(capacity),
            ) => Ok(PersonData {
                tax_id,
                name: FullName { surname, given, patronymic },
                birth_date,
                sex,
                passport,
                id_card,
                id_card_expires,
                unzr,
                account_no,
                okzo,
                capacity,
                idp: self.idp,
            }),
            // Every `None` above pushed an error, so this arm is unreachable in
            // practice; answer with a generic validation failure rather than panic.
            _ => Err(Invalid::one("", "common.validation_failed")),
        }
    }
}

/// Who a legal representative is to the person (§I.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RepresentativeKind {
    Parent,
    AdoptiveParent,
    ParentEducator,
    FosterParent,
    PatronageEducator,
    Guardian,
    Custodian,
    Institution,
}

impl RepresentativeKind {
    pub const ALL: [RepresentativeKind; 8] = [
        RepresentativeKind::Parent,
        RepresentativeKind::AdoptiveParent,
        RepresentativeKind::ParentEducator,
        RepresentativeKind::FosterParent,
        RepresentativeKind::PatronageEducator,
        RepresentativeKind::Guardian,
        RepresentativeKind::Custodian,
        RepresentativeKind::Institution,
    ];
    pub fn as_str(self) -> &'static str {
        match self {
            RepresentativeKind::Parent => "parent",
            RepresentativeKind::AdoptiveParent => "adoptive_parent",
            RepresentativeKind::ParentEducator => "parent_educator",
            RepresentativeKind::FosterParent => "foster_parent",
            RepresentativeKind::PatronageEducator => "patronage_educator",
            RepresentativeKind::Guardian => "guardian",
            RepresentativeKind::Custodian => "custodian",
            RepresentativeKind::Institution => "institution",
        }
    }
    pub fn parse(s: &str) -> Result<Self, Message> {
        if s.trim().is_empty() {
            return Err(Message::new("common.required"));
        }
        Self::ALL
            .into_iter()
            .find(|k| k.as_str() == s.trim())
            .ok_or_else(|| Message::new("common.unknown_value").with("value", s.trim()))
    }
    pub fn message(self) -> Message {
        Message::new(match self {
            RepresentativeKind::Parent => "rep.parent",
            RepresentativeKind::AdoptiveParent => "rep.adoptive_parent",
            RepresentativeKind::ParentEducator => "rep.parent_educator",
            RepresentativeKind::FosterParent => "rep.foster_parent",
            RepresentativeKind::PatronageEducator => "rep.patronage_educator",
            RepresentativeKind::Guardian => "rep.guardian",
            RepresentativeKind::Custodian => "rep.custodian",
            RepresentativeKind::Institution => "rep.institution",
        })
    }
}

/// Raw fields of a legal representative.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq, Eq, JsonSchema)]
#[serde(default)]
pub struct RepresentativeInput {
    #[schemars(required, with = "RepresentativeKind")]
    pub kind: String,
    #[schemars(required, with = "NamePart")]
    pub surname: String,
    #[schemars(required, with = "NamePart")]
    pub given_name: String,
    #[schemars(with = "Option<OrBlank<NamePart>>")]
    pub patronymic: Option<String>,
    /// For an institution (required then): its name; the name fields hold its head's name.
    #[schemars(with = "Option<OrBlank<Text>>")]
    pub institution_name: Option<String>,
    /// Required for a resident representative.
    #[schemars(with = "Option<OrBlank<Rnokpp>>")]
    pub rnokpp: Option<String>,
    /// Resident representatives also show their tax-registration document (§V.1).
    pub resident: bool,
    /// The document proving the status (certificate, birth certificate, court decision…).
    #[schemars(required, with = "TextUpTo<200>")]
    pub proof_document: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct RepresentativeData {
    pub kind: RepresentativeKind,
    pub name: FullName,
    pub institution_name: Option<String>,
    pub rnokpp: Option<Rnokpp>,
    pub resident: bool,
    pub proof_document: String,
}

impl RepresentativeInput {
    pub fn validate(&self) -> Result<RepresentativeData, Invalid> {
        let mut errs = Invalid::default();
        let kind = errs.check("kind", RepresentativeKind::parse(&self.kind));
        let surname = errs.check("surname", NamePart::parse(&self.surname));
        let given = errs.check("given_name", NamePart::parse(&self.given_name));
        let patronymic = match present(&self.patronymic) {
            Some(p) => errs.check("patronymic", NamePart::parse(p)).map(Some),
            None => Some(None),
        };
        let rnokpp = present(&self.rnokpp).and_then(|r| errs.check("rnokpp", Rnokpp::parse(r)));
        let proof = self.proof_document.trim();
        if proof.is_empty() {
            errs.push("proof_document", "rep.proof_required");
        } else if proof.chars().count() > 200 {
            errs.push("proof_document", Message::new("common.too_long").with("max", 200));
        }
        // Both go on the printed application form.
        errs.check("proof_document", printable(proof));
        let institution_name = present(&self.institution_name).map(str::to_owned);
        if let Some(name) = &institution_name {
            errs.check("institution_name", printable(name));
        }
        if kind == Some(RepresentativeKind::Institution) && institution_name.is_none() {
            errs.push("institution_name", "common.required");
        }
        if self.resident && rnokpp.is_none() && present(&self.rnokpp).is_none() {
            errs.push("rnokpp", "rep.resident_needs_rnokpp");
        }
        errs.clone().into_result()?;
        match (kind, surname, given, patronymic) {
            (Some(kind), Some(surname), Some(given), Some(patronymic)) => Ok(RepresentativeData {
                kind,
                name: FullName { surname, given, patronymic },
                institution_name,
                rnokpp,
                resident: self.resident,
                proof_document: proof.to_owned(),
            }),
            _ => Err(Invalid::one("", "common.validation_failed")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
    }

    fn valid() -> PersonInput {
        PersonInput {
            rnokpp: Some("1759013776".into()),
            surname: "Шевчук".into(),
            given_name: "Петро".into(),
            patronymic: Some("Іванович".into()),
            birth_date: "1948-02-28".into(),
            sex: "male".into(),
            okzo: Some("4521".into()),
            ..Default::default()
        }
    }

    #[test]
    fn valid_person_passes() {
        let p = valid().validate(today()).unwrap();
        assert_eq!(p.okzo.as_ref().unwrap().as_str(), "0000004521");
        assert_eq!(p.age_on(today()), 78);
    }

    #[test]
    fn rnokpp_must_agree_with_birth_date_and_sex() {
        let mut i = valid();
        i.birth_date = "28.02.1949".into();
        assert!(i.validate(today()).unwrap_err().has("birth_date", "rnokpp.birth_mismatch"));
        let mut i = valid();
        i.sex = "female".into();
        assert!(i.validate(today()).unwrap_err().has("sex", "rnokpp.sex_mismatch"));
    }

    #[test]
    fn religious_refusal_needs_passport_and_no_rnokpp() {
        let mut i = valid();
        i.religious_refusal = true;
        let e = i.validate(today()).unwrap_err();
        assert!(e.has("rnokpp", "person.rnokpp_with_refusal"));
        assert!(e.has("passport", "person.passport_required_for_refusal"));
        i.rnokpp = None;
        i.passport = Some("КВ123456".into());
        let p = i.validate(today()).unwrap();
        assert!(p.tax_id.rnokpp().is_none());
    }

    #[test]
    fn reports_every_problem_at_once() {
        let i = PersonInput {
            rnokpp: Some("1759013770".into()),
            birth_date: "x".into(),
            sex: "?".into(),
            ..Default::default()
        };
        let e = i.validate(today()).unwrap_err();
        for f in ["rnokpp", "surname", "given_name", "birth_date", "sex"] {
            assert!(e.0.iter().any(|x| x.field == f), "missing error for {f}: {e:?}");
        }
    }

    #[test]
    fn minors_and_incapacitated_need_a_representative() {
        let p = valid().validate(today()).unwrap();
        assert!(!p.needs_representative(today()));
        let mut q = p.clone();
        q.capacity = Capacity::Incapacitated;
        assert!(q.needs_representative(today()));
        let mut child = p;
        child.birth_date = NaiveDate::from_ymd_opt(2015, 1, 1).unwrap();
        assert!(child.needs_representative(today()));
    }

    #[test]
    fn age_counts_birthdays() {
        let b = NaiveDate::from_ymd_opt(2008, 11, 22).unwrap();
        assert_eq!(age_on(b, today()), 17);
        assert_eq!(age_on(b, NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()), 18);
    }

    #[test]
    fn id_card_expiry_needs_a_card() {
        let mut i = valid();
        i.id_card_expires = Some("2030-01-01".into());
        assert!(i.validate(today()).unwrap_err().has("id_card_expires", "person.id_card_expiry_without_card"));
        i.id_card = Some("001234567".into());
        let p = i.validate(today()).unwrap();
        assert_eq!(p.id_card_expires, NaiveDate::from_ymd_opt(2030, 1, 1));
    }

    #[test]
    fn representative_needs_proof_document() {
        let r = RepresentativeInput {
            kind: "guardian".into(),
            surname: "Коваль".into(),
            given_name: "Ірина".into(),
            ..Default::default()
        };
        assert!(r.validate().unwrap_err().has("proof_document", "rep.proof_required"));
    }
}
