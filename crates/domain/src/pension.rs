//! Pension kinds, disability and service bodies, with the fixed abbreviations
//! regulation 26-1 prescribes for the certificate (§II.1(6–7), §II.3).
use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::i18n::{Lang, Message, text};

/// Declares a closed list whose values are stored by a snake_case code and
/// shown by a catalogue key `<prefix>.<code>`.
macro_rules! coded_enum {
    ($(#[$m:meta])* $name:ident, $prefix:literal { $($variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $code),+ }
            }
            pub fn parse(s: &str) -> Result<Self, Message> {
                match s.trim() {
                    "" => Err(Message::new("common.required")),
                    $($code => Ok($name::$variant),)+
                    other => Err(Message::new("common.unknown_value").with("value", other)),
                }
            }
            pub fn message(self) -> Message {
                Message::new(match self { $($name::$variant => concat!($prefix, ".", $code)),+ })
            }
        }
    };
}

coded_enum!(
    /// §II.1(6).
    PensionKind, "pension" {
        OldAge = "old_age",
        Disability = "disability",
        LossOfBreadwinner = "loss_of_breadwinner",
        LongService = "long_service",
    }
);

coded_enum!(
    /// §IV.2: the payment system the card works on — international or the
    /// national one — is the person's choice, stated in the application.
    PaymentSystem, "payment_system" { International = "international", National = "national" }
);

coded_enum!(
    /// Disability group I–III.
    DisabilityGroup, "disability_group" { I = "1", II = "2", III = "3" }
);

coded_enum!(
    /// Subgroup A or B — exists only within group I.
    DisabilitySubgroup, "disability_subgroup" { A = "a", B = "b" }
);

coded_enum!(
    /// The regulation's fixed abbreviations of causes (§II.3).
    DisabilityCause, "disability_cause" {
        GeneralDisease = "general_disease",
        FromChildhood = "from_childhood",
        WorkInjury = "work_injury",
        OccupationalDisease = "occupational_disease",
        War = "war",
        ChildWithDisability = "child_with_disability",
        ChildOfWar = "child_of_war",
        Army = "army",
        ChornobylLiquidator = "chornobyl_liquidator",
        ChornobylVictim = "chornobyl_victim",
        RevolutionOfDignity = "revolution_of_dignity",
    }
);

coded_enum!(
    /// Impairments that get an extra entry after the pension kind (§II.3).
    Impairment, "impairment" {
        Hearing = "hearing",
        Sight = "sight",
        Musculoskeletal = "musculoskeletal",
    }
);

coded_enum!(
    /// Bodies of service for pensions under the law on persons discharged from
    /// military service, with the regulation's abbreviations (§II.3).
    ServiceBody, "service_body" {
        Derzhspetszviazku = "derzhspetszviazku",
        Dps = "dps",
        Dkvs = "dkvs",
        Dsns = "dsns",
        Dfs = "dfs",
        Mvs = "mvs",
        Mininfrastruktury = "mininfrastruktury",
        Minoborony = "minoborony",
        NatsionalnaHvardiia = "natsionalna_hvardiia",
        NatsionalnaPolitsiia = "natsionalna_politsiia",
        Sbu = "sbu",
        SluzhbaZovnishnoiRozvidky = "szr",
        Udo = "udo",
    }
);

/// Disability as recorded for the certificate (§II.1(7), §II.3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct Disability {
    pub group: DisabilityGroup,
    pub subgroup: Option<DisabilitySubgroup>,
    pub cause: DisabilityCause,
    /// Nosological form where relevant: hearing, sight or musculoskeletal.
    pub impairment: Option<Impairment>,
    /// Established until this date; `None` means without a re-examination term.
    pub until: Option<NaiveDate>,
}

impl Disability {
    /// The entry printed after the pension kind, e.g. (uk)
    /// "особа з інвалідністю підгрупи Б І групи/загальне захворювання по зору".
    /// The wording and the numerals (Ukrainian writes them with the Cyrillic
    /// letter І, as the regulation does) are the catalogue's `certificate.*`.
    pub fn certificate_entry(&self, lang: Lang) -> String {
        let group = Message::new(match self.group {
            DisabilityGroup::I => "certificate.group_numeral.1",
            DisabilityGroup::II => "certificate.group_numeral.2",
            DisabilityGroup::III => "certificate.group_numeral.3",
        })
        .render(lang);
        let head = match self.subgroup {
            Some(s) => Message::new("certificate.disability_subgroup").with("group", group).with(
                "subgroup",
                text(
                    if s == DisabilitySubgroup::A {
                        "certificate.subgroup_letter.a"
                    } else {
                        "certificate.subgroup_letter.b"
                    },
                    lang,
                ),
            ),
            None => Message::new("certificate.disability").with("group", group),
        }
        .render(lang);
        let cause = self.cause.message().render(lang);
        match self.impairment {
            Some(i) => format!("{head}/{cause} {}", i.message().render(lang)),
            None => format!("{head}/{cause}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_example_entry_for_sight_impairment() {
        let d = Disability {
            group: DisabilityGroup::I,
            subgroup: Some(DisabilitySubgroup::B),
            cause: DisabilityCause::GeneralDisease,
            impairment: Some(Impairment::Sight),
            until: None,
        };
        assert_eq!(
            d.certificate_entry(Lang::UK),
            "особа з інвалідністю підгрупи Б І групи/загальне захворювання по зору"
        );
        assert_eq!(
            d.certificate_entry(Lang::EN),
            "person with disability of subgroup B of group I/general disease sight"
        );
    }

    #[test]
    fn lists_are_complete_as_in_the_regulation() {
        assert_eq!(DisabilityCause::ALL.len(), 11);
        assert_eq!(ServiceBody::ALL.len(), 13);
        assert_eq!(PensionKind::ALL.len(), 4);
    }

    #[test]
    fn every_code_round_trips_and_has_a_text() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            s: fn(T) -> &'static str,
            p: fn(&str) -> Result<T, Message>,
            m: fn(T) -> Message,
        ) {
            for v in all {
                assert_eq!(p(s(*v)).unwrap(), *v);
                assert!(crate::i18n::has(m(*v).key), "no text for {:?}", v);
            }
        }
        check(PensionKind::ALL, PensionKind::as_str, PensionKind::parse, PensionKind::message);
        check(DisabilityGroup::ALL, DisabilityGroup::as_str, DisabilityGroup::parse, DisabilityGroup::message);
        check(
            DisabilitySubgroup::ALL,
            DisabilitySubgroup::as_str,
            DisabilitySubgroup::parse,
            DisabilitySubgroup::message,
        );
        check(DisabilityCause::ALL, DisabilityCause::as_str, DisabilityCause::parse, DisabilityCause::message);
        check(Impairment::ALL, Impairment::as_str, Impairment::parse, Impairment::message);
        check(ServiceBody::ALL, ServiceBody::as_str, ServiceBody::parse, ServiceBody::message);
        assert_eq!(PensionKind::parse("pirate").unwrap_err().key, "common.unknown_value");
    }
}
