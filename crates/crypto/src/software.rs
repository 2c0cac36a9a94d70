//! The software provider: ECDSA and ECDH on P-256 / P-384 (RustCrypto).
use p256::pkcs8::{DecodePrivateKey, DecodePublicKey, EncodePrivateKey, EncodePublicKey};
use zeroize::Zeroizing;

use crate::{Algorithm, CryptoError, KeyPair, Provider};

/// A private key held in memory.
pub enum SoftwareKey {
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
        Ok(match algorithm {
            Algorithm::EcP256 => SoftwareKey::P256(
                p256::ecdsa::SigningKey::try_generate_from_rng(&mut rng).map_err(|_| CryptoError::Random)?,
            ),
            Algorithm::EcP384 => SoftwareKey::P384(
                p384::ecdsa::SigningKey::try_generate_from_rng(&mut rng).map_err(|_| CryptoError::Random)?,
            ),
        })
    }

    /// Unencrypted PKCS#8 DER — only ever held in memory, to be sealed.
    pub(crate) fn to_pkcs8_der(&self) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let doc = match self {
            SoftwareKey::P256(k) => k.to_pkcs8_der(),
            SoftwareKey::P384(k) => k.to_pkcs8_der(),
        }
        .map_err(|_| CryptoError::Malformed { what: "private key" })?;
        Ok(Zeroizing::new(doc.as_bytes().to_vec()))
    }

    /// Reads an unencrypted PKCS#8 DER key of either curve.
    pub(crate) fn from_pkcs8_der(der: &[u8]) -> Result<Self, CryptoError> {
        if let Ok(k) = p256::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SoftwareKey::P256(k));
        }
        if let Ok(k) = p384::ecdsa::SigningKey::from_pkcs8_der(der) {
            return Ok(SoftwareKey::P384(k));
        }
        Err(CryptoError::Unsupported)
    }
}

impl KeyPair for SoftwareKey {
    fn algorithm(&self) -> Algorithm {
        match self {
            SoftwareKey::P256(_) => Algorithm::EcP256,
            SoftwareKey::P384(_) => Algorithm::EcP384,
        }
    }

    fn public_key_der(&self) -> Vec<u8> {
        let der = match self {
            SoftwareKey::P256(k) => k.verifying_key().to_public_key_der(),
            SoftwareKey::P384(k) => k.verifying_key().to_public_key_der(),
        };
        // Encoding a valid point cannot fail; an empty key would fail every later check.
        der.map(|d| d.as_bytes().to_vec()).unwrap_or_default()
    }

    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, CryptoError> {
        use p256::ecdsa::signature::Signer;
        Ok(match self {
            SoftwareKey::P256(k) => {
                let sig: p256::ecdsa::DerSignature = k.try_sign(message).map_err(|_| CryptoError::BadSignature)?;
                sig.as_bytes().to_vec()
            }
            SoftwareKey::P384(k) => {
                let sig: p384::ecdsa::DerSignature = k.try_sign(message).map_err(|_| CryptoError::BadSignature)?;
                sig.as_bytes().to_vec()
            }
        })
    }

    fn agree(&self, peer_public_key_der: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let malformed = |_| CryptoError::Malformed { what: "peer public key" };
        match self {
            SoftwareKey::P256(k) => {
                let peer = p256::PublicKey::from_public_key_der(peer_public_key_der).map_err(|e| {
                    if p384::PublicKey::from_public_key_der(peer_public_key_der).is_ok() {
                        CryptoError::CurveMismatch
                    } else {
                        malformed(e)
                    }
                })?;
                let shared = p256::ecdh::diffie_hellman(k.as_nonzero_scalar(), peer.as_affine());
                Ok(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
            }
            SoftwareKey::P384(k) => {
                let peer = p384::PublicKey::from_public_key_der(peer_public_key_der).map_err(|e| {
                    if p256::PublicKey::from_public_key_der(peer_public_key_der).is_ok() {
                        CryptoError::CurveMismatch
                    } else {
                        malformed(e)
                    }
                })?;
                let shared = p384::ecdh::diffie_hellman(k.as_nonzero_scalar(), peer.as_affine());
                Ok(Zeroizing::new(shared.raw_secret_bytes().to_vec()))
            }
        }
    }
}

/// ECDSA/ECDH in software.
pub struct SoftwareProvider;

impl Provider for SoftwareProvider {
    fn name(&self) -> &'static str {
        "software (RustCrypto p256/p384)"
    }

    fn generate(&self, algorithm: Algorithm) -> Result<Box<dyn KeyPair>, CryptoError> {
        Ok(Box::new(SoftwareKey::generate(algorithm)?))
    }

    fn verify(&self, public_key_der: &[u8], message: &[u8], signature_der: &[u8]) -> Result<(), CryptoError> {
        use p256::ecdsa::signature::Verifier;
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
        Err(CryptoError::Malformed { what: "public key" })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
