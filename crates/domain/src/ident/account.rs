//! Personal account number of a pension recipient (the pension file number).
//!
//! [D] The regulation names the number but not its format; territorial bodies
//! use up to 12 digits. Dossier accepts 1–12 digits and keeps them as given
//! (leading zeros are significant).
use super::string_newtype;
use crate::i18n::Message;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AccountNo(String);
string_newtype!(AccountNo, "^[0-9]{1,12}$", "Pension account number: 1 to 12 digits.");

impl AccountNo {
    pub const MAX_LEN: usize = 12;

    pub fn parse(input: &str) -> Result<Self, Message> {
        let s = input.trim();
        if s.is_empty() || s.len() > Self::MAX_LEN || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Message::new("account.format").with("max", Self::MAX_LEN));
        }
        Ok(AccountNo(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers() {
        assert_eq!(AccountNo::parse(" 001234 ").unwrap().as_str(), "001234");
        assert!(AccountNo::parse("1234567890123").is_err());
        assert!(AccountNo::parse("12-34").is_err());
    }
}
