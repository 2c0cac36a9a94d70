//! The software provider: ECDSA and ECDH on P-256 / P-384 with keys in
//! memory, computed in assembly (`ring`, and aws-lc-rs for static-key ECDH)
//! or by RustCrypto (pure Rust) — see [`crate::ring_backend`] for which does what.
use std::sync::OnceLock;

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
        let point = peer_point(self.algorithm(), peer_public_key_der)?;
        // Static-key ECDH: aws-lc-rs on the assembly backend (ring has
        // ephemeral agreement only), RustCrypto on the pure-Rust one. Each
        // refuses a point that is not on the curve.
        if let Some(key) = self.static_key() {
            return key.agree(point);
        }
        let malformed = |_| CryptoError::Malformed { what: "peer public key" };
        let shared = match &self.key {
            Key::P256(k) => {
                let peer = p256::PublicKey::from_sec1_bytes(point).map_err(malformed)?;
                p256::ecdh::diffie_hellman(k.as_nonzero_scalar(), peer.as_affine()).raw_secret_bytes().to_vec()
            }
            Key::P384(k) => {
                let peer = p384::PublicKey::from_sec1_bytes(point).map_err(malformed)?;
                p384::ecdh::diffie_hellman(k.as_nonzero_scalar(), peer.as_affine()).raw_secret_bytes().to_vec()
            }
        };
        Ok(Zeroizing::new(shared))
    }
}

/// The SEC1 point of a peer's SubjectPublicKeyInfo, read once. Its curve,
/// named by the algorithm's parameters, must be `ours`: a key on the other
/// curve is told apart from a malformed one.
fn peer_point(ours: Algorithm, spki_der: &[u8]) -> Result<&[u8], CryptoError> {
    use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, SECP_256_R_1, SECP_384_R_1};
    use der::Decode;
    let malformed = || CryptoError::Malformed { what: "peer public key" };
    let spki = spki::SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|_| malformed())?;
    if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
        return Err(malformed());
    }
    let curve = spki.algorithm.parameters.and_then(|p| p.decode_as::<const_oid::ObjectIdentifier>().ok());
    let theirs = match curve {
        Some(c) if c == SECP_256_R_1 => Algorithm::EcP256,
        Some(c) if c == SECP_384_R_1 => Algorithm::EcP384,
        _ => return Err(malformed()),
    };
    if theirs != ours {
        return Err(CryptoError::CurveMismatch);
    }
    spki.subject_public_key.as_bytes().ok_or_else(malformed)
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
            let ring_key = ring_backend::signing_key(alg, &key.scalar(), &sec1(&key, false)).unwrap();
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

    /// The public point of `key` in SEC1, compressed or not.
    fn sec1(key: &SoftwareKey, compress: bool) -> Vec<u8> {
        match &key.key {
            Key::P256(k) => k.verifying_key().to_sec1_point(compress).as_bytes().to_vec(),
            Key::P384(k) => k.verifying_key().to_sec1_point(compress).as_bytes().to_vec(),
        }
    }

    /// `key`'s SubjectPublicKeyInfo with its point compressed.
    fn compressed_spki(key: &SoftwareKey) -> Vec<u8> {
        use der::{Decode, Encode};
        let mut spki = spki::SubjectPublicKeyInfoOwned::from_der(&key.public_key_der()).unwrap();
        spki.subject_public_key = der::asn1::BitString::from_bytes(&sec1(key, true)).unwrap();
        spki.to_der().unwrap()
    }

    /// RustCrypto's static ECDH, whatever the process's backend.
    fn rustcrypto_secret(ours: &SoftwareKey, theirs: &SoftwareKey) -> Vec<u8> {
        match (&ours.key, &theirs.key) {
            (Key::P256(k), Key::P256(t)) => {
                p256::ecdh::diffie_hellman(k.as_nonzero_scalar(), t.verifying_key().as_affine())
                    .raw_secret_bytes()
                    .to_vec()
            }
            (Key::P384(k), Key::P384(t)) => {
                p384::ecdh::diffie_hellman(k.as_nonzero_scalar(), t.verifying_key().as_affine())
                    .raw_secret_bytes()
                    .to_vec()
            }
            _ => unreachable!("both keys are on one curve"),
        }
    }

    /// Static-key ECDH gives the same secret in aws-lc and in RustCrypto,
    /// whatever the process's backend, for points written either way, and
    /// aws-lc refuses a point off the curve.
    #[test]
    fn aws_lc_and_rustcrypto_agree_on_the_same_secret() {
        for alg in [Algorithm::EcP256, Algorithm::EcP384] {
            let (ours, theirs) = (SoftwareKey::generate(alg).unwrap(), SoftwareKey::generate(alg).unwrap());
            let expected = rustcrypto_secret(&ours, &theirs);
            let aws_lc = StaticKey::new(alg, &ours.scalar()).unwrap();
            for compress in [false, true] {
                assert_eq!(aws_lc.agree(&sec1(&theirs, compress)).unwrap().as_slice(), expected.as_slice());
            }
            let mut off_curve = sec1(&theirs, false);
            *off_curve.last_mut().unwrap() ^= 1;
            assert!(aws_lc.agree(&off_curve).is_err());
        }
    }

    /// Through the key's own `agree` (the backend the process chose), a peer
    /// key written with its point compressed gives the same secret.
    #[test]
    fn agree_takes_compressed_and_uncompressed_peer_points() {
        for alg in [Algorithm::EcP256, Algorithm::EcP384] {
            let (ours, theirs) = (SoftwareKey::generate(alg).unwrap(), SoftwareKey::generate(alg).unwrap());
            let expected = rustcrypto_secret(&ours, &theirs);
            assert_eq!(ours.agree(&theirs.public_key_der()).unwrap().as_slice(), expected.as_slice());
            assert_eq!(ours.agree(&compressed_spki(&theirs)).unwrap().as_slice(), expected.as_slice());
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
        assert_eq!(c.agree(&a.public_key_der()).unwrap_err(), CryptoError::CurveMismatch);
        // A point off the curve and a curve we do not take are malformed.
        let malformed = CryptoError::Malformed { what: "peer public key" };
        let mut not_a_point = a.public_key_der();
        *not_a_point.last_mut().unwrap() ^= 1;
        assert_eq!(b.agree(&not_a_point).unwrap_err(), malformed);
        let mut other_curve = a.public_key_der();
        let oid = [0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07]; // prime256v1
        let at = other_curve.windows(oid.len()).position(|w| w == oid).unwrap();
        other_curve[at + oid.len() - 1] = 0x06; // 1.2.840.10045.3.1.6, not a curve we take
        assert_eq!(b.agree(&other_curve).unwrap_err(), malformed);
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
