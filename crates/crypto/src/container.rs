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

/// The work a container may ask of [`PinContainer::open`]. Its key-derivation
/// parameters travel inside the container, so without bounds an imported or
/// tampered file could stall a worker (PBKDF2 count up to 2³²), exhaust memory
/// (scrypt N·r) or panic the PBES2 library (scrypt N = 0, fuzz target
/// `container`). PBKDF2: at most this many iterations (≈16× our default).
pub const PBKDF2_MAX_ITERATIONS: u32 = 10_000_000;
/// scrypt: at most this much memory (128·r·N bytes) — OpenSSL's default limit.
pub const SCRYPT_MAX_MEMORY: u64 = 32 * 1024 * 1024;
/// scrypt: at most this parallelisation parameter p.
pub const SCRYPT_MAX_PARALLELISM: u16 = 16;

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

/// Refuses PBES1 and key-derivation parameters outside the bounds above,
/// before any key derivation runs.
fn check_kdf(sealed: &EncryptedPrivateKeyInfoRef<'_>) -> Result<(), CryptoError> {
    use pkcs5::pbes2::Kdf;
    let out_of_bounds = CryptoError::Malformed { what: "key container (key derivation parameters)" };
    let pbes2 = sealed.encryption_algorithm.pbes2().ok_or(CryptoError::Unsupported)?;
    match &pbes2.kdf {
        Kdf::Pbkdf2(p) if (1..=PBKDF2_MAX_ITERATIONS).contains(&p.iteration_count) => Ok(()),
        Kdf::Scrypt(p) => {
            let n = p.cost_parameter;
            let memory = 128u64.checked_mul(u64::from(p.block_size)).and_then(|m| m.checked_mul(n));
            let ok = n >= 2
                && n.is_power_of_two()
                && p.block_size >= 1
                && (1..=SCRYPT_MAX_PARALLELISM).contains(&p.parallelization)
                && memory.is_some_and(|m| m <= SCRYPT_MAX_MEMORY);
            if ok { Ok(()) } else { Err(out_of_bounds) }
        }
        _ => Err(out_of_bounds),
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
        if label != EncryptedPrivateKeyInfoRef::PEM_LABEL {
            return Err(CryptoError::Malformed { what: "encrypted private key" });
        }
        let sealed = EncryptedPrivateKeyInfoRef::try_from(der.as_slice())
            .map_err(|_| CryptoError::Malformed { what: "encrypted private key" })?;
        check_kdf(&sealed)?;
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
        // A stored container may have been altered since import: re-check the
        // cost before deriving; refusing it does not use up an attempt.
        check_kdf(&sealed)?;
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

    /// A sealed key whose PBES2 parameters are replaced by `kdf` (the
    /// ciphertext stays; these containers must be refused before decryption).
    fn with_kdf(kdf: pkcs5::pbes2::Kdf) -> PinContainer {
        let (c, _) = sealed("1234");
        let (_, der) = pkcs8::der::pem::decode_vec(c.encrypted_pkcs8_pem.as_bytes()).unwrap();
        let mut info = EncryptedPrivateKeyInfoRef::try_from(der.as_slice()).unwrap();
        info.encryption_algorithm = pkcs5::EncryptionScheme::Pbes2(pkcs5::pbes2::Parameters {
            kdf,
            encryption: pkcs5::pbes2::EncryptionScheme::Aes256Cbc { iv: [7; 16] },
        });
        let pem = der::EncodePem::to_pem(&info, LineEnding::LF).unwrap();
        PinContainer { encrypted_pkcs8_pem: pem, tries_left: 3, max_tries: 3 }
    }

    fn scrypt(n: u64, r: u16, p: u16) -> pkcs5::pbes2::Kdf {
        pkcs5::pbes2::Kdf::Scrypt(pkcs5::pbes2::ScryptParams {
            salt: pkcs5::pbes2::Salt::new([9u8; 16]).unwrap(),
            cost_parameter: n,
            block_size: r,
            parallelization: p,
            key_length: None,
        })
    }

    /// Found while writing the `container` fuzz target and reproduced with it
    /// (`fuzz/regressions/container/scrypt-n0.der`): scrypt N = 0 made the
    /// PBES2 library panic (integer overflow computing log2 N) inside `open`.
    /// Huge work factors are refused the same way, before any derivation.
    #[test]
    fn key_derivation_beyond_the_bounds_is_refused_without_using_a_try() {
        let mut pbkdf2 =
            with_kdf(pkcs5::pbes2::Kdf::Pbkdf2(pkcs5::pbes2::Pbkdf2Params::hmac_sha256(1000, &[9; 16]).unwrap()));
        let mut huge = pbkdf2.clone();
        huge.encrypted_pkcs8_pem = {
            let (_, der) = pkcs8::der::pem::decode_vec(pbkdf2.encrypted_pkcs8_pem.as_bytes()).unwrap();
            let mut info = EncryptedPrivateKeyInfoRef::try_from(der.as_slice()).unwrap();
            if let pkcs5::EncryptionScheme::Pbes2(p) = &mut info.encryption_algorithm
                && let pkcs5::pbes2::Kdf::Pbkdf2(k) = &mut p.kdf
            {
                k.iteration_count = u32::MAX;
            }
            der::EncodePem::to_pem(&info, LineEnding::LF).unwrap()
        };
        // In bounds: decrypts (to garbage, as the IV changed) — a wrong PIN, not malformed.
        assert_eq!(pbkdf2.open("1234").unwrap_err(), CryptoError::WrongPin { tries_left: 2 });
        for mut c in [
            huge,
            with_kdf(scrypt(0, 8, 1)),
            with_kdf(scrypt(1 << 40, 8, 1)),
            with_kdf(scrypt(1000, 8, 1)),
            with_kdf(scrypt(1 << 16, 8, 1)),
            with_kdf(scrypt(1024, 0, 1)),
            with_kdf(scrypt(1024, 8, 0)),
            with_kdf(scrypt(1024, 8, 1000)),
        ] {
            assert!(matches!(
                PinContainer::from_encrypted_pem(&c.encrypted_pkcs8_pem, 3),
                Err(CryptoError::Malformed { .. })
            ));
            assert!(matches!(c.open("1234"), Err(CryptoError::Malformed { .. })), "{c:?}");
            assert_eq!(c.tries_left, 3, "refusing a container must not use up an attempt");
        }
    }

    #[test]
    fn scrypt_within_the_bounds_opens() {
        let key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let der = key.to_pkcs8_der().unwrap();
        let info = PrivateKeyInfoRef::try_from(der.as_slice()).unwrap();
        // OpenSSL's `-scrypt` shape with a small N: 128·8·1024 = 1 MiB.
        let params = pkcs5::pbes2::Parameters {
            kdf: scrypt(1024, 8, 1),
            encryption: pkcs5::pbes2::EncryptionScheme::Aes256Cbc { iv: [7; 16] },
        };
        let pem = info
            .encrypt_with_params(params, b"1234")
            .unwrap()
            .to_pem(EncryptedPrivateKeyInfoRef::PEM_LABEL, LineEnding::LF)
            .unwrap();
        let mut c = PinContainer::from_encrypted_pem(&pem, 3).unwrap();
        assert_eq!(c.open("1234").unwrap().public_key_der(), key.public_key_der());
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
