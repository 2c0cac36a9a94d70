//! Codes citizens are given instead of an account (a booking's code, a
//! question's tracking number): random, short enough to read aloud, forgiving
//! to type, and never written to a log.
/// Crockford's base-32 alphabet: no I, L, O or U, so a code read aloud or
/// typed from paper cannot be mistaken.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A code the fund gives a citizen who has no account — a booking's code, a
/// question's tracking number: ten base-32 characters (50 random bits),
/// shown as `ABCDE-23456`. Typed in any case, with or without the dash or
/// spaces, with O for 0 and I or L for 1.
#[derive(Clone, PartialEq, Eq)]
pub struct CitizenCode(String);

impl CitizenCode {
    pub const LEN: usize = 10;

    /// A code from random bytes (the caller's CSPRNG): 5 bits from each of ten bytes.
    pub fn from_random(bytes: [u8; CitizenCode::LEN]) -> CitizenCode {
        CitizenCode(bytes.iter().map(|b| char::from(ALPHABET[usize::from(b & 31)])).collect())
    }

    pub fn parse(typed: &str) -> Option<CitizenCode> {
        let mut out = String::with_capacity(CitizenCode::LEN);
        for c in typed.chars().filter(|c| !matches!(c, '-' | ' ')) {
            let c = match c.to_ascii_uppercase() {
                'O' => '0',
                'I' | 'L' => '1',
                c => c,
            };
            if !c.is_ascii() || !ALPHABET.contains(&(c as u8)) || out.len() == CitizenCode::LEN {
                return None;
            }
            out.push(c);
        }
        (out.len() == CitizenCode::LEN).then_some(CitizenCode(out))
    }

    /// The canonical form (no dash): what is hashed and stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As shown to the citizen: two groups of five.
    pub fn display(&self) -> String {
        format!("{}-{}", &self.0[..5], &self.0[5..])
    }
}

impl std::fmt::Debug for CitizenCode {
    /// A code is a key to a citizen's booking or question: never in a log.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CitizenCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn codes_read_back_however_they_are_typed() {
        let code = CitizenCode::from_random([0, 1, 2, 3, 4, 31, 30, 29, 28, 27]);
        assert_eq!(code.display(), "01234-ZYXWV");
        for typed in ["01234-ZYXWV", "o1234zyxwv", " OI234 zyxwv ", "0L234-ZYXWV"] {
            assert_eq!(CitizenCode::parse(typed), Some(code.clone()), "{typed}");
        }
        for bad in ["", "01234-ZYXW", "01234-ZYXWVV", "01234-ZYXWU", "0123Ж-ZYXWV"] {
            assert_eq!(CitizenCode::parse(bad), None, "{bad}");
        }
        assert_eq!(format!("{code:?}"), "CitizenCode(…)");
    }

    proptest! {
        #[test]
        fn any_code_reads_back_from_its_display(bytes in proptest::array::uniform10(any::<u8>())) {
            let code = CitizenCode::from_random(bytes);
            prop_assert_eq!(CitizenCode::parse(&code.display()), Some(code.clone()));
            prop_assert_eq!(CitizenCode::parse(&code.as_str().to_lowercase()), Some(code));
        }

        #[test]
        fn parsing_never_panics_and_keeps_the_alphabet(s in "\\PC{0,24}") {
            if let Some(code) = CitizenCode::parse(&s) {
                prop_assert_eq!(code.as_str().len(), CitizenCode::LEN);
                prop_assert!(code.as_str().bytes().all(|b| ALPHABET.contains(&b)));
            }
        }
    }
}
