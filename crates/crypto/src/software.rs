//! The software provider: ECDSA and ECDH on P-256 / P-384 with keys in
//! memory, computed in assembly (`ring`, and aws-lc-rs for static-key ECDH)
//! or by RustCrypto (pure Rust) — see [`crate::ring_backend`] for which does what.
use std::sync::OnceLock;

use p256::elliptic_curve::sec1::ToSec1Point;
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use zeroize::Zeroizing;

use crate::digest::DigestAlg;
use crate::ring_backend::{self, Backend, backend};
use crate::static_agreement::StaticKey;
use crate::{Algorithm, CryptoError, KeyPair, Provider};

/// A private key held in memory.
pub struct SoftwareKey {
    key: Key,
    /// The same key for ring, made on first use (checking it costs about one signature).
    ring: OnceLock<Option<ring::signature::EcdsaKeyPair>>,
    /// The same key for aws-lc-rs's static ECDH, made on first agreement.
    agreement: OnceLock<Option<StaticKey>>,
}

enum Key {
    P256(p256::ecdsa::SigningKey),
    P384(p384::ecdsa::SigningKey),
}

/// Shows the algorithm only — never key material.
impl std::fmt::Debug for SoftwareKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SoftwareKey({:?})", self.algorithm())
    }
}

impl SoftwareKey {
    pub fn generate(algorithm: Algorithm) -> Result<Self, CryptoError> {
        use p256::elliptic_curve::Generate;
        let mut rng = getrandom_04::SysRng;
        Ok(SoftwareKey::new(match algorithm {
            Algorithm::EcP256 => {
                Key::P256(p256::ecdsa::SigningKey::try_generate_from_rng(&mut rng).map_err(|_| CryptoError::Random)?)
            }
            Algorithm::EcP384 => {
                Key::P384(p384::ecdsa::SigningKey::try_generate_from_rng(&mut rng).map_err(|_| CryptoError::Random)?)
            }
        }))
    }

    fn new(key: Key) -> Self {
        SoftwareKey { key, ring: OnceLock::new(), agreement: OnceLock::new() }
    }

    /// The private scalar, big-endian — only for handing to the assembly backend.
    fn scalar(&self) -> Zeroizing<Vec<u8>> {
        match &self.key {
            Key::P256(k) => Zeroizing::new(k.to_bytes().to_vec()),
            Key::P384(k) => Zeroizing::new(k.to_bytes().to_vec()),
        }
    }

    /// The aws-lc agreement key, when the assembly backend is chosen.
    fn static_key(&self) -> Option<&StaticKey> {
        if backend() != Backend::Ring {
            return None;
        }
        self.agreement.get_or_init(|| StaticKey::new(self.algorithm(), &self.scalar())).as_ref()
    }

    /// The ring key, when ring is the backend and takes this key.
    fn ring_key(&self) -> Option<&ring::signature::EcdsaKeyPair> {
        if backend() != Backend::Ring {
            return None;
        }
        self.ring
            .get_or_init(|| {
                let point = match &self.key {
                    Key::P256(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
                    Key::P384(k) => k.verifying_key().to_sec1_point(false).as_bytes().to_vec(),
                };
                ring_backend::signing_key(self.algorithm(), &self.scalar(), &point)
            })
            .as_ref()
    }

    /// Unencrypted PKCS#8 DER — only ever held in memory, to be sealed.
    pub(crate) fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let doc = match &self.key {
            Key::P256(k) => k.to_pkcs8_der(),
            Key::P384(k) => k.to_pkcs8_der(),
        }
        .map_err(|_| CryptoError::Malformed { what: "private key" })?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// Reads an unencrypted PKCS#8 DER key of either curve.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SoftwareKey::new(Key::P256(k)));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SoftwareKey::new(Key::P384(k)));
        }
        Err(CryptoError::Unsupported)
    }
}

impl KeyPair for SoftwareKey {
    fn algorithm(&self) -> Algorithm {
        match &self.key {
            Key::P256(_) => Algorithm::EcP256,
            Key::P384(_) => Algorithm::EcP384,
        }
    }

    fn public_key_der(&self) -> Vec<u8> {
        let der = match &self.key {
            Key::P256(k) => k.verifying_key().to_public_key_der(),
            Key::P384(k) => k.verifying_key().to_public_key_der(),
        };
        // Encoding a valid point cannot fail; an empty key would fail every later check.
        der.map(|d| d.as_bytes().to_vec()).unwrap_or_default()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use p256::ecdsa::signature::Signer;
        if let Some(key) = self.ring_key() {
            return ring_backend::sign(key, message);
        }
        Ok(match &self.key {
            Key::P256(k) => {
                let sig: p256::ecdsa::DerSignature = k.try_sign(message).map_err(|_| CryptoError::BadSignature)?;
                sig.as_bytes().to_vec()
            }
            Key::P384(k) => {
                let sig: p384::ecdsa::DerSignature = k.try_sign(message).map_err(|_| CryptoError::BadSignature)?;
                sig.as_bytes().to_vec()
            }
        })
    }

    fn agree(&self, peer_public_key_der: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let malformed = |_| CryptoError::Malformed { what: "peer public key" };
        // Static-key ECDH: aws-lc-rs on the assembly backend (ring has
        // ephemeral agreement only), RustCrypto on the pure-Rust one. The
        // peer's key is parsed here either way, so a key on the other curve
        // is told apart from a malformed one.
        match &self.key {
            Key::P256(k) => {
                let peer = p256::PublicKey::from_public_key_der(peer_public_key_der).map_err(|e| {
                    if p384::PublicKey::from_public_key_der(peer_public_key_der).is_ok() {
                        CryptoError::CurveMismatch
                    } else {
                        malformed(e)
                    }
                })?;
                if let Some(key) = self.static_key() {
                    return key.agree(peer.to_sec1_point(false).as_bytes());
                }
                let shared = p256::ecdh::diffie_hellman(k.as_nonzero_scalar(), peer.as_affine());
                Ok(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
            }
            Key::P384(k) => {
                let peer = p384::PublicKey::from_public_key_der(peer_public_key_der).map_err(|e| {
                    if p256::PublicKey::from_public_key_der(peer_public_key_der).is_ok() {
                        CryptoError::CurveMismatch
                    } else {
                        malformed(e)
                    }
                })?;
                if let Some(key) = self.static_key() {
                    return key.agree(peer.to_sec1_point(false).as_bytes());
                }
                let shared = p384::ecdh::diffie_hellman(k.as_nonzero_scalar(), peer.as_affine());
                Ok(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
            }
        }
    }
}

/// ECDSA/ECDH in software, on the process's [`Backend`].
pub struct SoftwareProvider;

impl Provider for SoftwareProvider {
    fn name(&self) -> &'static str {
        match backend() {
            Backend::Ring => "software (ring, aws-lc-rs for static ECDH, RustCrypto for prehashed checks)",
            Backend::RustCrypto => "software (RustCrypto p256/p384)",
        }
    }

    fn verify_message(
        &self,
        public_key_der: &[u8],
        digest: DigestAlg,
        message: &[u8],
        signature_der: &[u8],
    ) -> Result<(), CryptoError> {
        if backend() == Backend::Ring
            && let Some(verdict) = ring_backend::verify(public_key_der, digest, message, signature_der)
        {
            return verdict;
        }
        self.verify_prehash(public_key_der, &digest.hash(message), signature_der)
    }

    fn generate(&self, algorithm: Algorithm) -> Result<Box<dyn KeyPair>, CryptoError> {
        Ok(Box::new(SoftwareKey::generate(algorithm)?))
    }

    fn verify(&self, public_key_der: &[u8], message: &[u8], signature_der: &[u8]) -> Result<(), CryptoError> {
        use p256::ecdsa::signature::Verifier;
        if backend() == Backend::Ring {
            // The curve's own digest: SHA-256 for P-256, SHA-384 for P-384.
            for digest in [DigestAlg::Sha256, DigestAlg::Sha384] {
                let curve_digest = match digest {
                    DigestAlg::Sha256 => p256::PublicKey::from_public_key_der(public_key_der).is_ok(),
                    _ => p384::PublicKey::from_public_key_der(public_key_der).is_ok(),
                };
                if curve_digest
                    && let Some(verdict) = ring_backend::verify(public_key_der, digest, message, signature_der)
                {
                    return verdict;
                }
            }
        }
        if let Ok(vk) = p256::ecdsa::VerifyingKey::from_public_key_der(public_key_der) {
            let sig = p256::ecdsa::DerSignature::try_from(signature_der).map_err(|_| CryptoError::BadSignature)?;
            return vk.verify(message, &sig).map_err(|_| CryptoError::BadSignature);
        }
        if let Ok(vk) = p384::ecdsa::VerifyingKey::from_public_key_der(public_key_der) {
            let sig = p384::ecdsa::DerSignature::try_from(signature_der).map_err(|_| CryptoError::BadSignature)?;
            return vk.verify(message, &sig).map_err(|_| CryptoError::BadSignature);
        }
        Err(CryptoError::Malformed { what: "public key" })
    }

    fn verify_prehash(&self, public_key_der: &[u8], digest: &[u8], signature_der: &[u8]) -> Result<(), CryptoError> {
        use signature::hazmat::PrehashVerifier;
        if let Ok(vk) = p256::ecdsa::VerifyingKey::from_public_key_der(public_key_der) {
            let sig = p256::ecdsa::Signature::from_der(signature_der).map_err(|_| CryptoError::BadSignature)?;
            return vk.verify_prehash(digest, &sig).map_err(|_| CryptoError::BadSignature);
        }
        if let Ok(vk) = p384::ecdsa::VerifyingKey::from_public_key_der(public_key_der) {
            let sig = p384::ecdsa::Signature::from_der(signature_der).map_err(|_| CryptoError::BadSignature)?;
            return vk.verify_prehash(digest, &sig).map_err(|_| CryptoError::BadSignature);
        }
        // P-521: what others sign with (ETSI TS 119 312 lists it), verified only.
        if let Ok(pk) = p521::PublicKey::from_public_key_der(public_key_der) {
            let vk = p521::ecdsa::VerifyingKey::from_affine(*pk.as_affine()).map_err(|_| CryptoError::BadSignature)?;
            let sig = p521::ecdsa::Signature::from_der(signature_der).map_err(|_| CryptoError::BadSignature)?;
            return vk.verify_prehash(digest, &sig).map_err(|_| CryptoError::BadSignature);
        }
        Err(CryptoError::Malformed { what: "public key" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Whatever the process's backend, a signature made by one is accepted by
    /// the other, and an altered one by neither.
    #[test]
    fn ring_and_rustcrypto_agree_on_both_curves() {
        use p256::ecdsa::signature::Signer;
        for alg in [Algorithm::EcP256, Algorithm::EcP384] {
            let key = SoftwareKey::generate(alg).unwrap();
            let spki = key.public_key_der();
            let digest = DigestAlg::for_key(alg);
            let (scalar, point) = match &key.key {
                Key::P256(k) => (k.to_bytes().to_vec(), k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
                Key::P384(k) => (k.to_bytes().to_vec(), k.verifying_key().to_sec1_point(false).as_bytes().to_vec()),
            };
            let ring_key = ring_backend::signing_key(alg, &scalar, &point).unwrap();
            let by_ring = ring_backend::sign(&ring_key, b"pension record").unwrap();
            let by_rustcrypto = match &key.key {
                Key::P256(k) => Signer::<p256::ecdsa::DerSignature>::sign(k, b"pension record").as_bytes().to_vec(),
                Key::P384(k) => Signer::<p384::ecdsa::DerSignature>::sign(k, b"pension record").as_bytes().to_vec(),
            };
            let hash = digest.hash(b"pension record");
            SoftwareProvider.verify_prehash(&spki, &hash, &by_ring).expect("RustCrypto accepts ring's");
            ring_backend::verify(&spki, digest, b"pension record", &by_rustcrypto)
                .unwrap()
                .expect("ring accepts RustCrypto's");
            assert!(ring_backend::verify(&spki, digest, b"pension recorD", &by_rustcrypto).unwrap().is_err());
            assert!(SoftwareProvider.verify_prehash(&spki, &digest.hash(b"pension recorD"), &by_ring).is_err());
        }
    }

    /// Static-key ECDH gives the same secret in aws-lc and in RustCrypto,
    /// whatever the process's backend, and aws-lc refuses a point off the curve.
    #[test]
    fn aws_lc_and_rustcrypto_agree_on_the_same_secret() {
        use crate::static_agreement::StaticKey;
        for alg in [Algorithm::EcP256, Algorithm::EcP384] {
            let (ours, theirs) = (SoftwareKey::generate(alg).unwrap(), SoftwareKey::generate(alg).unwrap());
            let (by_rustcrypto, point) = match (&ours.key, &theirs.key) {
                (Key::P256(k), Key::P256(t)) => {
                    let shared = p256::ecdh::diffie_hellman(k.as_nonzero_scalar(), t.verifying_key().as_affine());
                    (shared.raw_secret_bytes().to_vec(), t.verifying_key().to_sec1_point(false).as_bytes().to_vec())
                }
                (Key::P384(k), Key::P384(t)) => {
                    let shared = p384::ecdh::diffie_hellman(k.as_nonzero_scalar(), t.verifying_key().as_affine());
                    (shared.raw_secret_bytes().to_vec(), t.verifying_key().to_sec1_point(false).as_bytes().to_vec())
                }
                _ => unreachable!("both keys are on {alg:?}"),
            };
            let by_aws_lc = StaticKey::new(alg, &ours.scalar()).unwrap().agree(&point).unwrap();
            assert_eq!(by_aws_lc.as_slice(), by_rustcrypto.as_slice());
            let mut off_curve = point.clone();
            *off_curve.last_mut().unwrap() ^= 1;
            assert!(StaticKey::new(alg, &ours.scalar()).unwrap().agree(&off_curve).is_err());
        }
    }

    #[test]
    fn sign_and_verify_on_both_curves() {
        for alg in [Algorithm::EcP256, Algorithm::EcP384] {
            let p = SoftwareProvider;
            let key = p.generate(alg).unwrap();
            let sig = key.sign(b"pension certificate").unwrap();
            p.verify(&key.public_key_der(), b"pension certificate", &sig).unwrap();
            assert_eq!(p.verify(&key.public_key_der(), b"pension certificatE", &sig), Err(CryptoError::BadSignature));
        }
    }

    #[test]
    fn ecdh_agrees_both_ways_and_refuses_other_curves() {
        let a = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let b = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        assert_eq!(*a.agree(&b.public_key_der()).unwrap(), *b.agree(&a.public_key_der()).unwrap());
        let c = SoftwareKey::generate(Algorithm::EcP384).unwrap();
        assert_eq!(a.agree(&c.public_key_der()).unwrap_err(), CryptoError::CurveMismatch);
    }

    proptest! {
        #[test]
        fn verify_never_panics_on_garbage(key in proptest::collection::vec(any::<u8>(), 0..200), sig in proptest::collection::vec(any::<u8>(), 0..120)) {
            let _ = SoftwareProvider.verify(&key, b"m", &sig);
            let k = SoftwareKey::generate(Algorithm::EcP256).unwrap();
            let _ = SoftwareProvider.verify(&k.public_key_der(), b"m", &sig);
            let _ = k.agree(&key);
        }
    }
}
