//! A paper's fields against the fund's register (issue 20: a field that
//! "disagrees with the registry" goes to a person). When the paper belongs
//! to a registered person — their dossier, or the RNOKPP read off it — every
//! field the record also holds must say what the record says; one that does
//! not waits for a person, however surely it was read: either the paper or
//! the record is wrong, and only a person can tell which.
use super::{DocumentKind, Extracted};
use crate::i18n::Message;
use crate::name::is_apostrophe;
use crate::person::PersonData;

/// What the record holds for a person field (as `PersonInput` names it), in
/// the normal form extraction writes values in.
fn recorded(person: &PersonData, field: &str) -> Option<String> {
    match field {
        "surname" => Some(person.name.surname.to_string()),
        "given_name" => Some(person.name.given.to_string()),
        "patronymic" => person.name.patronymic.as_ref().map(ToString::to_string),
        "sex" => Some(person.sex.as_str().to_owned()),
        "birth_date" => Some(person.birth_date.to_string()),
        "rnokpp" => person.tax_id.rnokpp().map(ToString::to_string),
        "unzr" => person.unzr.as_ref().map(ToString::to_string),
        "id_card" => person.id_card.as_ref().map(ToString::to_string),
        "id_card_expires" => person.id_card_expires.map(|d| d.to_string()),
        _ => None,
    }
}

/// Names compare without case and apostrophe variants (`Мар’яна` is
/// `МАР'ЯНА`); every letter, `ї` and `й` included, must match.
fn same(field: &str, a: &str, b: &str) -> bool {
    let names = matches!(field, "surname" | "given_name" | "patronymic");
    if !names {
        return a == b;
    }
    let form = |s: &str| -> String { s.chars().filter(|c| !is_apostrophe(*c)).flat_map(char::to_lowercase).collect() };
    form(a) == form(b)
}

/// Marks each read field of a `kind` paper that the person's record holds
/// differently: it goes to a person with the reason. The record's value is
/// not put in the message — a reviewer in another office must not learn it.
pub fn check_against_register(kind: DocumentKind, fields: &mut [Extracted], person: &PersonData) {
    for f in fields.iter_mut() {
        let (Some(field), Some(value)) = (f.field.person_field(kind), f.value.as_deref()) else { continue };
        if let Some(on_record) = recorded(person, field)
            && !same(field, value, &on_record)
        {
            f.problems.push(Message::new("digitization.register_disagrees"));
        }
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;
    use crate::digitization::FieldKind;
    use crate::person::PersonInput;

    fn shevchuk() -> PersonData {
        let input = PersonInput {
            rnokpp: Some("1759013776".into()),
            surname: "Мар’янчук".into(),
            given_name: "Олег".into(),
            birth_date: "1948-02-28".into(),
            sex: "male".into(),
            ..PersonInput::default()
        };
        input.validate(NaiveDate::from_ymd_opt(2026, 12, 4).expect("date")).expect("valid")
    }

    fn read(field: FieldKind, value: &str) -> Extracted {
        Extracted {
            field,
            value: Some(value.into()),
            read: value.into(),
            confidence: 97.0,
            place: None,
            problems: vec![],
        }
    }

    #[test]
    fn issue_20_a_field_that_disagrees_with_the_register_goes_to_a_person() {
        let mut fields = vec![
            read(FieldKind::Surname, "МАР'ЯНЧУК"),
            read(FieldKind::GivenName, "Ольга"),
            read(FieldKind::BirthDate, "1948-02-28"),
            read(FieldKind::Rnokpp, "1759013776"),
            // The record holds no patronymic: nothing to disagree with.
            read(FieldKind::Patronymic, "Петрович"),
        ];
        check_against_register(DocumentKind::UaTaxpayerCard, &mut fields, &shevchuk());
        let flagged: Vec<FieldKind> = fields.iter().filter(|f| f.needs_review()).map(|f| f.field).collect();
        assert_eq!(flagged, vec![FieldKind::GivenName]);
        assert_eq!(fields[1].problems[0].key, "digitization.register_disagrees");
    }

    #[test]
    fn names_differ_by_a_letter_not_by_case_or_apostrophe() {
        assert!(same("surname", "Мар’янчук", "МАР'ЯНЧУК"));
        assert!(!same("surname", "Їжак", "Іжак"));
        assert!(!same("birth_date", "1948-02-28", "1948-02-29"));
    }
}
