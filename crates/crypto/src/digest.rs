//! The SHA-2 digests CMS, time-stamps and certificates name by OID, and
//! signature checks that honour the digest a foreign signer chose.
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{
    ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384, ECDSA_WITH_SHA_512, ID_SHA_256, ID_SHA_384, ID_SHA_512,
};
use sha2_011::Digest as _;
use spki::AlgorithmIdentifierOwned;

use crate::{Algorithm, CryptoError, Provider};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DigestAlg {
    Sha256,
    Sha384,
    Sha512,
}

impl DigestAlg {
    /// The digest an ECDSA key of this curve signs with (SHA-256 for P-256…).
    pub fn for_key(alg: Algorithm) -> Self {
        match alg {
            Algorithm::EcP256 => DigestAlg::Sha256,
            Algorithm::EcP384 => DigestAlg::Sha384,
        }
    }

    /// The name reports use.
    pub fn name(self) -> &'static str {
        match self {
            DigestAlg::Sha256 => "SHA-256",
            DigestAlg::Sha384 => "SHA-384",
            DigestAlg::Sha512 => "SHA-512",
        }
    }

    /// The digest a signature algorithm identifier uses (ECDSA, RSA PKCS#1
    /// v1.5 or PSS), when it names one of these.
    pub fn of_signature_algorithm(alg: &AlgorithmIdentifierOwned) -> Option<Self> {
        if crate::rsa::is_rsa(&alg.oid) {
            return crate::rsa::digest_oid(alg).and_then(|o| Self::from_oid(&o));
        }
        Self::from_ecdsa_oid(&alg.oid)
    }

    pub fn oid(self) -> ObjectIdentifier {
        match self {
            DigestAlg::Sha256 => ID_SHA_256,
            DigestAlg::Sha384 => ID_SHA_384,
            DigestAlg::Sha512 => ID_SHA_512,
        }
    }

    pub fn from_oid(oid: &ObjectIdentifier) -> Option<Self> {
        [DigestAlg::Sha256, DigestAlg::Sha384, DigestAlg::Sha512].into_iter().find(|d| d.oid() == *oid)
    }

    /// The algorithm identifier with parameters absent (RFC 5754 §2).
    pub fn identifier(self) -> AlgorithmIdentifierOwned {
        AlgorithmIdentifierOwned { oid: self.oid(), parameters: None }
    }

    pub fn ecdsa_oid(self) -> ObjectIdentifier {
        match self {
            DigestAlg::Sha256 => ECDSA_WITH_SHA_256,
            DigestAlg::Sha384 => ECDSA_WITH_SHA_384,
            DigestAlg::Sha512 => ECDSA_WITH_SHA_512,
        }
    }

    /// The digest inside an `ecdsa-with-SHA…` signature algorithm.
    pub fn from_ecdsa_oid(oid: &ObjectIdentifier) -> Option<Self> {
        [DigestAlg::Sha256, DigestAlg::Sha384, DigestAlg::Sha512].into_iter().find(|d| d.ecdsa_oid() == *oid)
    }

    /// Digest of the concatenation of `parts` (a PDF's two byte ranges).
    pub fn hash_parts(self, parts: &[&[u8]]) -> Vec<u8> {
        fn run<D: sha2_011::Digest>(parts: &[&[u8]]) -> Vec<u8> {
            let mut h = D::new();
            for p in parts {
                h.update(p);
            }
            h.finalize().to_vec()
        }
        match self {
            DigestAlg::Sha256 => run::<sha2_011::Sha256>(parts),
            DigestAlg::Sha384 => run::<sha2_011::Sha384>(parts),
            DigestAlg::Sha512 => run::<sha2_011::Sha512>(parts),
        }
    }

    pub fn hash(self, data: &[u8]) -> Vec<u8> {
        self.hash_parts(&[data])
    }
}

pub fn sha256(data: &[u8]) -> [u8; 32] {
    sha2_011::Sha256::digest(data).into()
}

/// Verifies `signature` over `message` under the signature algorithm `sig_alg`:
/// ECDSA with any SHA-2 digest on either curve (through the provider), or
/// RSA (PKCS#1 v1.5 or PSS, ≥ 2048 bits) for what others sign.
pub fn verify_signature(
    provider: &dyn Provider,
    public_key_der: &[u8],
    sig_alg: &spki::AlgorithmIdentifierOwned,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    if crate::rsa::is_rsa(&sig_alg.oid) {
        return crate::rsa::verify(public_key_der, sig_alg, None, message, signature);
    }
    let digest = DigestAlg::from_ecdsa_oid(&sig_alg.oid).ok_or(CryptoError::Unsupported)?;
    provider.verify_message(public_key_der, digest, message, signature)
}
