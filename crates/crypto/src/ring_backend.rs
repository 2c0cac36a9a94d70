//! ECDSA through `ring`'s assembly, the software provider's default backend:
//! P-256 and P-384 signatures are made and checked 2–4× faster than by the
//! pure-Rust curves (BENCHMARKS.md), and ring is already in the build as the
//! TLS provider. ECDH with a static key (opening an envelope with the
//! recipient's key), which ring does not offer, is aws-lc-rs's on this
//! backend ([`crate::static_agreement`]); sealing an envelope (an ephemeral
//! key) is ring's. What neither is asked for falls back to RustCrypto, which
//! stays selectable for everything (`DOSSIER_CRYPTO_BACKEND=rustcrypto`):
//! verification of a digest computed elsewhere, curve/digest pairings ring
//! lacks (ECDSA with SHA-512), and compressed points.
use std::sync::LazyLock;

use const_oid::ObjectIdentifier;
use der::Decode;
use ring::signature as r;
use spki::SubjectPublicKeyInfoRef;

use crate::digest::DigestAlg;
use crate::{Algorithm, CryptoError};

/// Which implementation the software provider computes with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Assembly: `ring`, aws-lc-rs for static-key ECDH, RustCrypto where neither answers.
    Ring,
    /// RustCrypto's pure-Rust `p256`/`p384` for everything.
    RustCrypto,
}

/// The process's backend: `DOSSIER_CRYPTO_BACKEND=rustcrypto` selects the
/// pure-Rust one, anything else (or nothing) ring. Read once.
pub fn backend() -> Backend {
    static CHOSEN: LazyLock<Backend> = LazyLock::new(|| match std::env::var("DOSSIER_CRYPTO_BACKEND").as_deref() {
        Ok("rustcrypto") => Backend::RustCrypto,
        _ => Backend::Ring,
    });
    *CHOSEN
}

const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// Verifies an ECDSA signature over `message` hashed with `digest`, or
/// `None` when ring cannot judge this key and digest (the caller falls back).
pub(crate) fn verify(
    spki_der: &[u8],
    digest: DigestAlg,
    message: &[u8],
    signature: &[u8],
) -> Option<Result<(), CryptoError>> {
    let spki = SubjectPublicKeyInfoRef::from_der(spki_der).ok()?;
    let curve = spki.algorithm.parameters.as_ref()?.decode_as::<ObjectIdentifier>().ok()?;
    let point = spki.subject_public_key.as_bytes()?;
    // ring takes uncompressed points only.
    if point.first() != Some(&0x04) {
        return None;
    }
    let alg: &'static r::EcdsaVerificationAlgorithm = match (curve, digest) {
        (c, DigestAlg::Sha256) if c == P256 => &r::ECDSA_P256_SHA256_ASN1,
        (c, DigestAlg::Sha384) if c == P256 => &r::ECDSA_P256_SHA384_ASN1,
        (c, DigestAlg::Sha256) if c == P384 => &r::ECDSA_P384_SHA256_ASN1,
        (c, DigestAlg::Sha384) if c == P384 => &r::ECDSA_P384_SHA384_ASN1,
        _ => return None,
    };
    Some(r::UnparsedPublicKey::new(alg, point).verify(message, signature).map_err(|_| CryptoError::BadSignature))
}

/// A ring signing key for a software key's scalar and public point (SEC1, uncompressed).
pub(crate) fn signing_key(algorithm: Algorithm, scalar: &[u8], point: &[u8]) -> Option<r::EcdsaKeyPair> {
    let alg = match algorithm {
        Algorithm::EcP256 => &r::ECDSA_P256_SHA256_ASN1_SIGNING,
        Algorithm::EcP384 => &r::ECDSA_P384_SHA384_ASN1_SIGNING,
    };
    r::EcdsaKeyPair::from_private_key_and_public_key(alg, scalar, point, &ring::rand::SystemRandom::new()).ok()
}

/// Signs `message` (hashed with the key's curve digest); DER.
pub(crate) fn sign(key: &r::EcdsaKeyPair, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
    key.sign(&ring::rand::SystemRandom::new(), message).map(|s| s.as_ref().to_vec()).map_err(|_| CryptoError::Random)
}

/// An ephemeral public key (SPKI DER) and the secret it agreed.
pub(crate) type Agreed = (Vec<u8>, zeroize::Zeroizing<Vec<u8>>);

/// Ephemeral-static ECDH on P-256 with the recipient's SubjectPublicKeyInfo:
/// the ephemeral public key (SPKI DER) and the shared secret, or `None` when
/// ring cannot take this key (the caller falls back).
pub(crate) fn ephemeral_agree_p256(recipient_spki_der: &[u8]) -> Option<Result<Agreed, CryptoError>> {
    use der::Encode;
    use ring::agreement as a;
    let spki = SubjectPublicKeyInfoRef::from_der(recipient_spki_der).ok()?;
    let curve = spki.algorithm.parameters.as_ref()?.decode_as::<ObjectIdentifier>().ok()?;
    let point = spki.subject_public_key.as_bytes()?;
    if curve != P256 || point.first() != Some(&0x04) {
        return None;
    }
    let agree = || -> Result<Agreed, CryptoError> {
        let rng = ring::rand::SystemRandom::new();
        let ephemeral = a::EphemeralPrivateKey::generate(&a::ECDH_P256, &rng).map_err(|_| CryptoError::Random)?;
        let public = ephemeral.compute_public_key().map_err(|_| CryptoError::Random)?;
        let ephemeral_spki = spki::SubjectPublicKeyInfoOwned {
            algorithm: spki::AlgorithmIdentifierOwned {
                oid: const_oid::db::rfc5912::ID_EC_PUBLIC_KEY,
                parameters: Some(
                    der::Any::encode_from(&P256).map_err(|_| CryptoError::Malformed { what: "public key" })?,
                ),
            },
            subject_public_key: der::asn1::BitString::from_bytes(public.as_ref())
                .map_err(|_| CryptoError::Malformed { what: "public key" })?,
        }
        .to_der()
        .map_err(|_| CryptoError::Malformed { what: "public key" })?;
        let peer = a::UnparsedPublicKey::new(&a::ECDH_P256, point);
        let shared = a::agree_ephemeral(ephemeral, &peer, |secret| zeroize::Zeroizing::new(secret.to_vec()))
            .map_err(|_| CryptoError::Malformed { what: "peer public key" })?;
        Ok((ephemeral_spki, shared))
    };
    Some(agree())
}
