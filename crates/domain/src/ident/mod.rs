//! Identifiers of people and documents, each a newtype that can only be built
//! valid (SPEC §3). `parse` trims surrounding whitespace and nothing else.

mod account;
mod citizen_code;
mod documents;
mod iban;
mod okzo;
mod rnokpp;
mod unzr;
mod vn;

pub use account::AccountNo;
pub use citizen_code::CitizenCode;
pub use documents::{IdCardNo, PassportNo};
pub use iban::Iban;
pub use okzo::Okzo;
pub use rnokpp::Rnokpp;
pub use unzr::Unzr;
pub use vn::{VnCitizenId, VnInsuranceCode};

use crate::i18n::Message;

/// Shared helper: the string is exactly `len` ASCII digits.
pub(crate) fn digits_exact(s: &str, len: usize, key: &'static str) -> Result<(), Message> {
    if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(Message::new(key).with("len", len))
    }
}

/// Implements `Display`, `AsRef<str>`, `Serialize`, a `Deserialize` that
/// goes through `parse`, and a JSON schema with the canonical form's pattern
/// (rules no pattern can state, such as check digits, are in `$about`).
macro_rules! string_newtype {
    ($t:ident, $pattern:literal, $about:literal) => {
        impl schemars::JsonSchema for $t {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($t).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({ "type": "string", "pattern": $pattern, "description": $about })
            }
        }
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl AsRef<str> for $t {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }
        impl $t {
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl serde::Serialize for $t {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(&self.0)
            }
        }
        impl<'de> serde::Deserialize<'de> for $t {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                $t::parse(&s).map_err(|m| serde::de::Error::custom(m.render(crate::Lang::EN)))
            }
        }
        impl std::str::FromStr for $t {
            type Err = crate::Message;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $t::parse(s)
            }
        }
    };
}
pub(crate) use string_newtype;
