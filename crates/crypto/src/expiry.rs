//! Dated algorithm expiries (EN 319 102-1 §5.2.8 cryptographic constraints,
//! §5.6 past signature validation): an algorithm accepted today may be
//! declared broken later. After its expiry date a signature made with it
//! proves something only if a proof of existence from before that date — a
//! time-stamp made with an algorithm still sound — shows it existed then.
//! This is why a fund re-time-stamps its archive with stronger algorithms.
//! The table is configuration: when a new edition of ETSI TS 119 312 or the
//! national regulator moves a date, the operator adds a rule
//! (`--algorithm-expired ecdsa-256=2035-01-01`), no release needed. What is
//! refused outright whatever the date is in [`crate::policy`].
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use spki::SubjectPublicKeyInfoRef;

use crate::digest::DigestAlg;

const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");

/// A family of public keys, measured in bits (the curve's, or the modulus's).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyFamily {
    Ecdsa,
    Rsa,
}

/// What made one signature: its digests (the message digest and the one
/// inside the signature algorithm, which may differ) and the signing key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Used {
    pub digests: [Option<DigestAlg>; 2],
    pub key: Option<(KeyFamily, usize)>,
}

impl Used {
    /// `digests` with the key of the SubjectPublicKeyInfo `spki_der` (an
    /// unknown key type counts as no key: the signature check refuses it anyway).
    pub fn new(digests: [Option<DigestAlg>; 2], spki_der: &[u8]) -> Self {
        Used { digests, key: key_of(spki_der) }
    }
}

/// The family and size of a public key.
fn key_of(spki_der: &[u8]) -> Option<(KeyFamily, usize)> {
    use der::Decode;
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).ok()?;
    if spki.algorithm.oid == RSA_ENCRYPTION {
        return crate::rsa::modulus_bits(spki.subject_public_key.raw_bytes()).map(|b| (KeyFamily::Rsa, b));
    }
    if spki.algorithm.oid == ID_EC_PUBLIC_KEY {
        let curve: ObjectIdentifier = spki.algorithm.parameters?.decode_as().ok()?;
        let bits = match curve {
            c if c == const_oid::db::rfc5912::SECP_256_R_1 => 256,
            c if c == const_oid::db::rfc5912::SECP_384_R_1 => 384,
            c if c == const_oid::db::rfc5912::SECP_521_R_1 => 521,
            _ => return None,
        };
        return Some((KeyFamily::Ecdsa, bits));
    }
    None
}

/// What a dated rule declares broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weak {
    Digest(DigestAlg),
    /// Keys of the family with at most this many bits.
    Key {
        family: KeyFamily,
        up_to_bits: usize,
    },
}

impl Weak {
    fn applies(self, used: &Used) -> bool {
        match self {
            Weak::Digest(d) => used.digests.contains(&Some(d)),
            Weak::Key { family, up_to_bits } => used.key.is_some_and(|(f, b)| f == family && b <= up_to_bits),
        }
    }
}

impl std::fmt::Display for Weak {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Weak::Digest(d) => write!(f, "{}", d.name()),
            Weak::Key { family: KeyFamily::Ecdsa, up_to_bits } => write!(f, "ECDSA keys of {up_to_bits} bits or fewer"),
            Weak::Key { family: KeyFamily::Rsa, up_to_bits } => write!(f, "RSA keys of {up_to_bits} bits or fewer"),
        }
    }
}

/// One dated rule: from `on`, `weak` proves nothing without an earlier proof of existence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expiry {
    pub weak: Weak,
    pub on: SystemTime,
}

impl Expiry {
    /// The rule in words, for reports.
    pub fn describe(&self) -> String {
        let on = der::DateTime::from_system_time(self.on).map_or_else(|_| "?".to_owned(), |d| d.to_string());
        format!("{} expired on {on} (algorithm policy)", self.weak)
    }
}

/// Why an `--algorithm-expired` rule was not understood.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error(
    "`{0}`: expected NAME=YYYY-MM-DD, NAME one of sha256, sha384, sha512, ecdsa-BITS, rsa-BITS \
     (e.g. ecdsa-256=2035-01-01, rsa-2048=2031-01-01)"
)]
pub struct BadRule(pub String);

impl std::str::FromStr for Expiry {
    type Err = BadRule;

    /// `sha256=2040-01-01`, `ecdsa-256=2035-01-01`, `rsa-3072=2040-01-01`.
    fn from_str(s: &str) -> Result<Self, BadRule> {
        let bad = || BadRule(s.to_owned());
        let (name, date) = s.split_once('=').ok_or_else(bad)?;
        let name = name.trim().to_ascii_lowercase();
        let weak = match name.as_str() {
            "sha256" | "sha-256" => Weak::Digest(DigestAlg::Sha256),
            "sha384" | "sha-384" => Weak::Digest(DigestAlg::Sha384),
            "sha512" | "sha-512" => Weak::Digest(DigestAlg::Sha512),
            other => {
                let (family, bits) = if let Some(b) = other.strip_prefix("ecdsa-") {
                    (KeyFamily::Ecdsa, b)
                } else if let Some(b) = other.strip_prefix("rsa-") {
                    (KeyFamily::Rsa, b)
                } else {
                    return Err(bad());
                };
                let up_to_bits: usize = bits.parse().ok().filter(|b| (1..=16_384).contains(b)).ok_or_else(bad)?;
                Weak::Key { family, up_to_bits }
            }
        };
        Ok(Expiry { weak, on: parse_date(date.trim()).ok_or_else(bad)? })
    }
}

/// `YYYY-MM-DD` as midnight UTC.
pub fn parse_date(s: &str) -> Option<SystemTime> {
    let mut parts = s.splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    let dt = der::DateTime::new(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?, 0, 0, 0).ok()?;
    Some(SystemTime::UNIX_EPOCH + Duration::from_secs(dt.unix_duration().as_secs()))
}

/// The dated expiries a validation applies. Empty by default: every
/// algorithm Dossier verifies (SHA-2, ECDSA P-256/384/521, RSA ≥ 2048) is
/// sound today; the weak ones are refused outright (above).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AlgorithmPolicy {
    expiries: Vec<Expiry>,
}

impl AlgorithmPolicy {
    pub fn with(mut self, expiry: Expiry) -> Self {
        self.expiries.push(expiry);
        self
    }

    /// Whether no rule is set (the default): nothing to judge.
    pub fn is_empty(&self) -> bool {
        self.expiries.is_empty()
    }

    /// The earliest expiry that applies to what made a signature, if any.
    pub fn expiry(&self, used: &Used) -> Option<Expiry> {
        self.expiries.iter().filter(|e| e.weak.applies(used)).min_by_key(|e| e.on).copied()
    }

    /// The rule that makes `used` unacceptable for a signature proven to
    /// exist at `at` (a proof of existence, or the validation time), if one does.
    pub fn broken_at(&self, used: &Used, at: SystemTime) -> Option<Expiry> {
        self.expiries.iter().filter(|e| e.weak.applies(used) && e.on <= at).min_by_key(|e| e.on).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn date(s: &str) -> SystemTime {
        parse_date(s).unwrap()
    }

    #[test]
    fn rules_are_read_from_their_short_names() {
        let e: Expiry = "ecdsa-256=2035-01-01".parse().unwrap();
        assert_eq!(e.weak, Weak::Key { family: KeyFamily::Ecdsa, up_to_bits: 256 });
        assert_eq!(e.on, date("2035-01-01"));
        assert_eq!("SHA256 = 2040-06-30".parse::<Expiry>().unwrap().weak, Weak::Digest(DigestAlg::Sha256));
        assert_eq!(e.describe(), "ECDSA keys of 256 bits or fewer expired on 2035-01-01T00:00:00Z (algorithm policy)");
        for bad in [
            "",
            "ecdsa-256",
            "md5=2000-01-01",
            "ecdsa-=2030-01-01",
            "rsa-0=2030-01-01",
            "sha256=2030-13-01",
            "sha256=30-01-01",
        ] {
            assert!(bad.parse::<Expiry>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_rule_applies_from_its_date_to_what_it_names() {
        let policy = AlgorithmPolicy::default()
            .with("ecdsa-256=2035-01-01".parse().unwrap())
            .with("sha256=2040-01-01".parse().unwrap());
        let p256 = Used { digests: [Some(DigestAlg::Sha256), None], key: Some((KeyFamily::Ecdsa, 256)) };
        let p384 = Used { digests: [Some(DigestAlg::Sha384), None], key: Some((KeyFamily::Ecdsa, 384)) };
        assert_eq!(policy.broken_at(&p256, date("2034-12-31")), None);
        assert_eq!(policy.broken_at(&p256, date("2035-01-01")).map(|e| e.on), Some(date("2035-01-01")));
        assert_eq!(policy.expiry(&p256).map(|e| e.on), Some(date("2035-01-01")), "the earliest of the two");
        assert_eq!(policy.broken_at(&p384, date("2050-01-01")), None);
        let rsa =
            Used { digests: [Some(DigestAlg::Sha384), Some(DigestAlg::Sha256)], key: Some((KeyFamily::Rsa, 4096)) };
        assert_eq!(policy.broken_at(&rsa, date("2041-01-01")).map(|e| e.weak), Some(Weak::Digest(DigestAlg::Sha256)));
        assert_eq!(AlgorithmPolicy::default().broken_at(&p256, date("2999-01-01")), None);
    }

    proptest! {
        /// Whatever an operator types, reading a rule answers and never panics.
        #[test]
        fn any_rule_text_is_read_or_refused(s in ".{0,40}") {
            let _ = s.parse::<Expiry>();
        }
    }
}
