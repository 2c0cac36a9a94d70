//! PIN-protected key containers — the software stand-in for a card's "PIN 2".
//!
//! The key is stored only as an encrypted PKCS#8 `EncryptedPrivateKeyInfo`
//! (PBES2 with PBKDF2-HMAC-SHA256 and AES-256-CBC), in PEM, so OpenSSL opens
//! it with `openssl pkey -passin pass:PIN`. Beside it, the container keeps a
//! retry counter: each wrong PIN uses up one attempt, and at zero the
//! container refuses every PIN, like a card's blocked PIN. The caller must
//! persist the container after every `open` (the counter is part of it).
use pkcs8::der::pem::{LineEnding, PemLabel};
use pkcs8::{EncryptedPrivateKeyInfoRef, PrivateKeyInfoRef};
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use crate::software::SoftwareKey;
use crate::{CryptoError, KeyPair};

/// PBKDF2 iterations: OWASP's figure for PBKDF2-HMAC-SHA256.
pub const PBKDF2_ITERATIONS: u32 = 600_000;
pub const PIN_MIN: usize = 4;
pub const PIN_MAX: usize = 12;
/// Attempts before a new container blocks (cards commonly allow three).
pub const DEFAULT_TRIES: u8 = 3;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PinContainer {
    /// `-----BEGIN ENCRYPTED PRIVATE KEY-----` …
    pub encrypted_pkcs8_pem: String,
    pub tries_left: u8,
    pub max_tries: u8,
}

fn check_pin(pin: &str) -> Result<(), CryptoError> {
    if (PIN_MIN..=PIN_MAX).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit()) {
        Ok(())
    } else {
        Err(CryptoError::PinFormat { min: PIN_MIN, max: PIN_MAX })
    }
}

impl PinContainer {
    /// Seals a key under a PIN (digits only, 4–12).
    pub fn seal(key: &SoftwareKey, pin: &str, max_tries: u8) -> Result<Self, CryptoError> {
        Self::seal_with_iterations(key, pin, max_tries, PBKDF2_ITERATIONS)
    }

    /// As [`seal`](Self::seal) with a chosen PBKDF2 work factor (tests use a small one).
    pub fn seal_with_iterations(
        key: &SoftwareKey,
        pin: &str,
        max_tries: u8,
        iterations: u32,
    ) -> Result<Self, CryptoError> {
        check_pin(pin)?;
        let der = key.to_pkcs8_der()?;
        let info =
            PrivateKeyInfoRef::try_from(der.as_slice()).map_err(|_| CryptoError::Malformed { what: "private key" })?;
        let mut salt = [0u8; 16];
        let mut iv = [0u8; 16];
        crate::rng::fill(&mut salt)?;
        crate::rng::fill(&mut iv)?;
        let params = pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(iterations, &salt, iv)
            .map_err(|_| CryptoError::Malformed { what: "PBES2 parameters" })?;
        let sealed = info
            .encrypt_with_params(params, pin.as_bytes())
            .map_err(|_| CryptoError::Malformed { what: "private key" })?;
        let pem = sealed
            .to_pem(EncryptedPrivateKeyInfoRef::PEM_LABEL, LineEnding::LF)
            .map_err(|_| CryptoError::Malformed { what: "private key" })?;
        let max_tries = max_tries.max(1);
        Ok(PinContainer { encrypted_pkcs8_pem: pem.to_string(), tries_left: max_tries, max_tries })
    }

    /// Imports an encrypted PKCS#8 PEM made elsewhere (e.g. by OpenSSL).
    pub fn from_encrypted_pem(pem: &str, max_tries: u8) -> Result<Self, CryptoError> {
        let (label, der) =
            pkcs8::der::pem::decode_vec(pem.as_bytes()).map_err(|_| CryptoError::Malformed { what: "PEM" })?;
        if label != EncryptedPrivateKeyInfoRef::PEM_LABEL
            || EncryptedPrivateKeyInfoRef::try_from(der.as_slice()).is_err()
        {
            return Err(CryptoError::Malformed { what: "encrypted private key" });
        }
        let max_tries = max_tries.max(1);
        Ok(PinContainer { encrypted_pkcs8_pem: pem.to_owned(), tries_left: max_tries, max_tries })
    }

    pub fn is_blocked(&self) -> bool {
        self.tries_left == 0
    }

    /// Opens the container with the PIN. A wrong PIN uses up an attempt (the
    /// caller persists `self` either way); a right one restores them all.
    pub fn open(&mut self, pin: &str) -> Result<SoftwareKey, CryptoError> {
        if self.is_blocked() {
            return Err(CryptoError::Blocked);
        }
        let (_, der) = pkcs8::der::pem::decode_vec(self.encrypted_pkcs8_pem.as_bytes())
            .map_err(|_| CryptoError::Malformed { what: "key container" })?;
        let sealed = EncryptedPrivateKeyInfoRef::try_from(der.as_slice())
            .map_err(|_| CryptoError::Malformed { what: "key container" })?;
        // A wrong PIN shows as a decryption (padding) failure or, rarely, as
        // plaintext that is not a key: both count as a wrong PIN.
        let key = sealed
            .decrypt(pin.as_bytes())
            .ok()
            .map(|doc| Zeroizing::new(doc.as_bytes().to_vec()))
            .and_then(|plain| SoftwareKey::from_pkcs8_der(&plain).ok());
        match key {
            Some(k) => {
                self.tries_left = self.max_tries;
                Ok(k)
            }
            None => {
                self.tries_left = self.tries_left.saturating_sub(1);
                if self.tries_left == 0 {
                    Err(CryptoError::Blocked)
                } else {
                    Err(CryptoError::WrongPin { tries_left: self.tries_left })
                }
            }
        }
    }

    /// Generates a key inside a new container and returns the container with
    /// the public key (SubjectPublicKeyInfo DER) — the public half is kept
    /// beside the container, since reading it must not need the PIN.
    pub fn generate(algorithm: crate::Algorithm, pin: &str, max_tries: u8) -> Result<(Self, Vec<u8>), CryptoError> {
        let key = SoftwareKey::generate(algorithm)?;
        let public = key.public_key_der();
        Ok((Self::seal(&key, pin, max_tries)?, public))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    pub fn from_json(s: &str) -> Result<Self, CryptoError> {
        let c: PinContainer = serde_json::from_str(s).map_err(|_| CryptoError::Malformed { what: "key container" })?;
        if c.tries_left > c.max_tries {
            return Err(CryptoError::Malformed { what: "key container" });
        }
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Algorithm;
    use proptest::prelude::*;

    fn sealed(pin: &str) -> (PinContainer, Vec<u8>) {
        let key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let public = key.public_key_der();
        (PinContainer::seal_with_iterations(&key, pin, 3, 1000).unwrap(), public)
    }

    #[test]
    fn the_right_pin_opens_the_same_key() {
        let (mut c, public) = sealed("1234");
        assert!(c.encrypted_pkcs8_pem.starts_with("-----BEGIN ENCRYPTED PRIVATE KEY-----"));
        assert_eq!(c.open("1234").unwrap().public_key_der(), public);
    }

    #[test]
    fn wrong_pins_count_down_then_block_even_the_right_pin() {
        let (mut c, _) = sealed("1234");
        assert_eq!(c.open("0000").unwrap_err(), CryptoError::WrongPin { tries_left: 2 });
        assert_eq!(c.open("1111").unwrap_err(), CryptoError::WrongPin { tries_left: 1 });
        assert_eq!(c.open("2222").unwrap_err(), CryptoError::Blocked);
        assert_eq!(c.open("1234").unwrap_err(), CryptoError::Blocked);
        // The counter survives a round trip through storage.
        let mut stored = PinContainer::from_json(&c.to_json()).unwrap();
        assert_eq!(stored.open("1234").unwrap_err(), CryptoError::Blocked);
    }

    #[test]
    fn a_right_pin_restores_the_attempts() {
        let (mut c, _) = sealed("123456");
        let _ = c.open("000000");
        assert!(c.open("123456").is_ok());
        assert_eq!(c.tries_left, 3);
    }

    #[test]
    fn pins_are_digits_of_sane_length() {
        let key = SoftwareKey::generate(Algorithm::EcP384).unwrap();
        for bad in ["123", "abcd", "1234567890123", ""] {
            assert!(
                matches!(PinContainer::seal_with_iterations(&key, bad, 3, 1000), Err(CryptoError::PinFormat { .. })),
                "{bad}"
            );
        }
    }

    proptest! {
        #[test]
        fn containers_from_garbage_never_panic(s in "\\PC{0,300}") {
            if let Ok(mut c) = PinContainer::from_json(&s) {
                let _ = c.open("1234");
            }
            let _ = PinContainer::from_encrypted_pem(&s, 3);
        }
    }
}
