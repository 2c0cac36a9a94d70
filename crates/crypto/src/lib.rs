//! Dossier's trust services (issue "Trust services"), first layer:
//!
//! * [`Provider`] and [`KeyPair`] — the seam every caller uses to generate
//!   keys, sign, verify and agree. [`software::SoftwareProvider`] implements
//!   it with ECDSA/ECDH on P-256 and P-384; a national-algorithm (DSTU 4145)
//!   or hardware (PKCS#11) provider implements the same traits, so callers do
//!   not change — they never see key bytes, only a `Box<dyn KeyPair>`.
//! * [`container::PinContainer`] — a private key at rest only as encrypted
//!   PKCS#8 (PBES2: PBKDF2-HMAC-SHA256 + AES-256-CBC, which OpenSSL opens with
//!   the PIN), with a retry counter that blocks the container after repeated
//!   wrong PINs — the software stand-in for the card's "PIN 2".
//!
//! * [`x509`] and [`ca`] — the certification centre: root and issuing CA,
//!   certificates whose extensions the CA decides, revocation lists.
//! * [`envelope`] — CMS EnvelopedData to one recipient by ephemeral-static
//!   ECDH (RFC 5652 + RFC 5753: X9.63 KDF, AES key wrap, AES-CBC), opened
//!   through [`KeyPair::agree`]; written by hand because the `cms` crate's
//!   builder wraps the content key under an all-zero key (SPEC §5).
//!
//! * [`secrets`] — argon2id passwords, random tokens stored as their hash,
//!   constant-time comparison.
//! * [`signed`] — CMS SignedData with the CAdES attributes, attached or
//!   detached, B-T time-stamps; [`tsp`] — Dossier's RFC 3161 TSA and token checks;
//!   [`validation`] — chain, validity, key usage and CRL checks reported with
//!   ETSI EN 319 102-1 indications; [`ocsp`] — the centre's RFC 6960
//!   responder and OCSP responses as revocation evidence.

pub mod ca;
pub mod container;
pub mod digest;
pub mod envelope;
mod error;
pub mod expiry;
pub mod jws;
pub mod ocsp;
pub mod pades;
pub mod policy;
pub mod ring_backend;
mod rng;
pub mod rsa;
pub mod secrets;
pub mod signed;
pub mod software;
mod static_agreement;
pub mod testing;
pub mod tsp;
pub mod validation;
mod verified;
pub mod x509;

pub use error::CryptoError;

/// Signature / key-agreement algorithms of the default (EU/international) profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algorithm {
    /// ECDSA / ECDH on NIST P-256 with SHA-256.
    EcP256,
    /// ECDSA / ECDH on NIST P-384 with SHA-384.
    EcP384,
}

/// A private key the caller may use but not necessarily read: software keys
/// and keys inside a token look the same.
pub trait KeyPair: Send + Sync {
    fn algorithm(&self) -> Algorithm;
    /// The public key as DER SubjectPublicKeyInfo.
    fn public_key_der(&self) -> Vec<u8>;
    /// Signs `message` (hashing it with the algorithm's digest); DER-encoded ECDSA signature.
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError>;
    /// ECDH with a peer's SubjectPublicKeyInfo: the shared secret (x-coordinate).
    fn agree(&self, peer_public_key_der: &[u8]) -> Result<zeroize::Zeroizing<Vec<u8>>, CryptoError>;
}

/// The cryptographic provider.
pub trait Provider: Send + Sync {
    fn name(&self) -> &'static str;
    fn generate(&self, algorithm: Algorithm) -> Result<Box<dyn KeyPair>, CryptoError>;
    /// Verifies a DER ECDSA signature over `message` by the SubjectPublicKeyInfo `public_key_der`.
    fn verify(&self, public_key_der: &[u8], message: &[u8], signature_der: &[u8]) -> Result<(), CryptoError>;
    /// Verifies a DER ECDSA signature over an already computed digest: foreign
    /// signers may pair any SHA-2 digest with any curve (ECDSA-with-SHA512 on P-256).
    fn verify_prehash(&self, public_key_der: &[u8], digest: &[u8], signature_der: &[u8]) -> Result<(), CryptoError>;
    /// Verifies a DER ECDSA signature over `message` hashed with `digest`;
    /// providers that cannot take a digest computed elsewhere (assembly
    /// implementations hash inside) override this.
    fn verify_message(
        &self,
        public_key_der: &[u8],
        digest: digest::DigestAlg,
        message: &[u8],
        signature_der: &[u8],
    ) -> Result<(), CryptoError> {
        self.verify_prehash(public_key_der, &digest.hash(message), signature_der)
    }
}
