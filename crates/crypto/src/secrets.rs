//! Secrets people and systems present: passwords (argon2id), and bearer
//! tokens and session ids (256-bit random values of which only the SHA-256 is
//! stored, so a database leak yields no usable credential). One implementation
//! of each primitive for the fund's staff, the wallet's citizens and the
//! hub's acquirers.
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2_011::Digest as _;
use subtle::ConstantTimeEq;

use crate::CryptoError;

/// An argon2id hash (PHC string) of `password` with a fresh random salt.
pub fn hash_password(password: &str) -> Result<String, CryptoError> {
    let mut salt = [0u8; 16];
    crate::rng::fill(&mut salt)?;
    let salt = SaltString::encode_b64(&salt).map_err(|_| CryptoError::Random)?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|_| CryptoError::Malformed { what: "password" })
}

/// Whether `password` matches the stored PHC string (a malformed one never matches).
pub fn verify_password(password: &str, stored: &str) -> bool {
    match PasswordHash::new(stored) {
        Ok(h) => Argon2::default().verify_password(password.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

/// A fixed hash to verify against when the login is unknown, so both cases
/// take the same time and do not reveal which logins exist.
static DUMMY_HASH: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| hash_password("dossier-timing-equaliser").unwrap_or_default());

/// Verifies `password` against `stored`, or against a fixed hash when the
/// login is unknown (`None`), so both cases cost one argon2 verification.
pub fn verify_password_or_dummy(password: &str, stored: Option<&str>) -> bool {
    match stored {
        Some(h) => verify_password(password, h),
        None => {
            let _ = verify_password(password, &DUMMY_HASH);
            false
        }
    }
}

/// 256 random bits, URL-safe base64 (a session id or a token's secret).
pub fn random_token() -> Result<String, CryptoError> {
    let mut b = [0u8; 32];
    crate::rng::fill(&mut b)?;
    Ok(URL_SAFE_NO_PAD.encode(b))
}

/// `N` random bytes from the operating system (a booking code's randomness).
pub fn random_bytes<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut b = [0u8; N];
    crate::rng::fill(&mut b)?;
    Ok(b)
}

/// What is stored of a token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    base16ct::lower::encode_string(&sha2_011::Sha256::digest(token.as_bytes()))
}

/// Compares two secrets in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_only_against_its_own_hash() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("correct horse batterY", &h));
        assert!(!verify_password("x", "not a hash"));
        assert!(!verify_password_or_dummy("correct horse battery", None));
    }

    #[test]
    fn tokens_are_random_and_stored_as_their_hash() {
        let (a, b) = (random_token().unwrap(), random_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(
            token_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "SHA-256 of \"abc\" (FIPS 180-2)"
        );
        assert!(constant_time_eq("same", "same"));
        assert!(!constant_time_eq("same", "Same"));
        assert!(!constant_time_eq("same", "sam"));
    }
}
