//! RSA signature verification (PKCS#1 v1.5 and PSS, SHA-256/384/512) for
//! what others sign: most qualified certificates in the EU and many CAs are
//! RSA. Dossier itself signs only with ECDSA. Backed by `ring` (already the
//! TLS provider), whose assembly is constant-time and refuses keys under
//! 2048 bits; the rule is named before it is asked.
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{
    ID_MGF_1, ID_RSASSA_PSS, ID_SHA_256, ID_SHA_384, ID_SHA_512, RSA_ENCRYPTION, SHA_256_WITH_RSA_ENCRYPTION,
    SHA_384_WITH_RSA_ENCRYPTION, SHA_512_WITH_RSA_ENCRYPTION,
};
use der::asn1::UintRef;
use der::{Decode, Sequence};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoRef};

use crate::CryptoError;
use crate::policy::{MIN_RSA_BITS, RSA_RULE, SHA1_RULE};

/// Whether the algorithm is one of RSA's signature algorithms.
pub fn is_rsa(alg: &ObjectIdentifier) -> bool {
    [
        RSA_ENCRYPTION,
        ID_RSASSA_PSS,
        SHA_256_WITH_RSA_ENCRYPTION,
        SHA_384_WITH_RSA_ENCRYPTION,
        SHA_512_WITH_RSA_ENCRYPTION,
    ]
    .contains(alg)
}

#[derive(Sequence)]
struct RsaPublicKey<'a> {
    modulus: UintRef<'a>,
    _exponent: UintRef<'a>,
}

/// RSASSA-PSS-params (RFC 4055); absent fields take SHA-1 defaults, which are refused.
#[derive(Sequence)]
struct PssParams {
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    hash: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", optional = "true")]
    mask_gen: Option<AlgorithmIdentifierOwned>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", optional = "true")]
    salt_length: Option<u32>,
    #[asn1(context_specific = "3", tag_mode = "EXPLICIT", optional = "true")]
    trailer: Option<u32>,
}

/// The ring algorithm for a signature algorithm; `digest` names the hash when
/// the identifier is bare `rsaEncryption` (CMS signer infos).
fn algorithm(
    sig_alg: &AlgorithmIdentifierOwned,
    digest: Option<ObjectIdentifier>,
) -> Result<&'static dyn ring::signature::VerificationAlgorithm, CryptoError> {
    use ring::signature as r;
    let pkcs1 = |hash: ObjectIdentifier| -> Result<&'static dyn r::VerificationAlgorithm, CryptoError> {
        match hash {
            h if h == ID_SHA_256 => Ok(&r::RSA_PKCS1_2048_8192_SHA256),
            h if h == ID_SHA_384 => Ok(&r::RSA_PKCS1_2048_8192_SHA384),
            h if h == ID_SHA_512 => Ok(&r::RSA_PKCS1_2048_8192_SHA512),
            _ => Err(CryptoError::WeakAlgorithm { rule: SHA1_RULE }),
        }
    };
    match sig_alg.oid {
        o if o == SHA_256_WITH_RSA_ENCRYPTION => pkcs1(ID_SHA_256),
        o if o == SHA_384_WITH_RSA_ENCRYPTION => pkcs1(ID_SHA_384),
        o if o == SHA_512_WITH_RSA_ENCRYPTION => pkcs1(ID_SHA_512),
        o if o == RSA_ENCRYPTION => pkcs1(digest.ok_or(CryptoError::Unsupported)?),
        o if o == ID_RSASSA_PSS => {
            let params = sig_alg
                .parameters
                .as_ref()
                .and_then(|p| p.decode_as::<PssParams>().ok())
                .ok_or(CryptoError::Malformed { what: "RSASSA-PSS parameters" })?;
            let hash = params.hash.map(|h| h.oid);
            // ring checks MGF1 with the same hash and a salt as long as the hash.
            let mgf_hash = params
                .mask_gen
                .filter(|m| m.oid == ID_MGF_1)
                .and_then(|m| m.parameters.and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok()))
                .map(|h| h.oid);
            let (expected_salt, alg): (u32, &'static dyn r::VerificationAlgorithm) = match hash {
                Some(h) if h == ID_SHA_256 => (32, &r::RSA_PSS_2048_8192_SHA256),
                Some(h) if h == ID_SHA_384 => (48, &r::RSA_PSS_2048_8192_SHA384),
                Some(h) if h == ID_SHA_512 => (64, &r::RSA_PSS_2048_8192_SHA512),
                _ => return Err(CryptoError::WeakAlgorithm { rule: SHA1_RULE }),
            };
            if mgf_hash != hash || params.salt_length.unwrap_or(20) != expected_salt || params.trailer.unwrap_or(1) != 1
            {
                return Err(CryptoError::Unsupported);
            }
            Ok(alg)
        }
        _ => Err(CryptoError::Unsupported),
    }
}

/// The size in bits of the modulus of an RSAPublicKey (DER).
pub fn modulus_bits(rsa_public_key: &[u8]) -> Option<usize> {
    let parsed = RsaPublicKey::from_der(rsa_public_key).ok()?;
    // Saturating: a hostile key's empty modulus must be refused, not underflow.
    let modulus = parsed.modulus.as_bytes();
    Some((modulus.len() * 8).saturating_sub(modulus.first().map_or(8, |b| b.leading_zeros() as usize)))
}

/// The digest an RSA signature algorithm names (bare `rsaEncryption` names none).
pub fn digest_oid(sig_alg: &AlgorithmIdentifierOwned) -> Option<ObjectIdentifier> {
    let hash = match sig_alg.oid {
        o if o == SHA_256_WITH_RSA_ENCRYPTION => ID_SHA_256,
        o if o == SHA_384_WITH_RSA_ENCRYPTION => ID_SHA_384,
        o if o == SHA_512_WITH_RSA_ENCRYPTION => ID_SHA_512,
        o if o == ID_RSASSA_PSS => sig_alg.parameters.as_ref()?.decode_as::<PssParams>().ok()?.hash?.oid,
        _ => return None,
    };
    Some(hash)
}

/// Verifies an RSA `signature` over `message` by the SubjectPublicKeyInfo `spki_der`.
pub fn verify(
    spki_der: &[u8],
    sig_alg: &AlgorithmIdentifierOwned,
    digest: Option<ObjectIdentifier>,
    message: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    let spki =
        SubjectPublicKeyInfoRef::from_der(spki_der).map_err(|_| CryptoError::Malformed { what: "public key" })?;
    if spki.algorithm.oid != RSA_ENCRYPTION {
        return Err(CryptoError::Unsupported);
    }
    let key = spki.subject_public_key.raw_bytes();
    let bits = modulus_bits(key).ok_or(CryptoError::Malformed { what: "RSA public key" })?;
    if bits < MIN_RSA_BITS {
        return Err(CryptoError::WeakAlgorithm { rule: RSA_RULE });
    }
    let alg = algorithm(sig_alg, digest)?;
    ring::signature::UnparsedPublicKey::new(alg, key).verify(message, signature).map_err(|_| CryptoError::BadSignature)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The SubjectPublicKeyInfo of an RSA key whose RSAPublicKey DER is `key`.
    fn spki(key: &[u8]) -> Vec<u8> {
        use der::Encode;
        spki::SubjectPublicKeyInfoOwned {
            algorithm: AlgorithmIdentifierOwned { oid: RSA_ENCRYPTION, parameters: None },
            subject_public_key: der::asn1::BitString::from_bytes(key).unwrap(),
        }
        .to_der()
        .unwrap()
    }

    #[test]
    fn a_zero_or_tiny_modulus_is_weak_not_a_panic() {
        let alg = AlgorithmIdentifierOwned { oid: SHA_256_WITH_RSA_ENCRYPTION, parameters: None };
        // RSAPublicKey { modulus 0, exponent 3 } and { modulus 255, exponent 3 }.
        for key in [
            &[0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x03][..],
            &[0x30, 0x07, 0x02, 0x02, 0x00, 0xff, 0x02, 0x01, 0x03],
        ] {
            let verdict = verify(&spki(key), &alg, None, b"m", &[1, 2, 3]);
            assert!(
                matches!(verdict, Err(CryptoError::WeakAlgorithm { .. }) | Err(CryptoError::Malformed { .. })),
                "{verdict:?}"
            );
        }
    }

    proptest! {
        /// Whatever a foreign key and signature hold, verification answers and never panics.
        #[test]
        fn hostile_keys_never_panic(key in proptest::collection::vec(any::<u8>(), 0..300), sig in proptest::collection::vec(any::<u8>(), 0..64)) {
            let alg = AlgorithmIdentifierOwned { oid: SHA_256_WITH_RSA_ENCRYPTION, parameters: None };
            prop_assert!(verify(&spki(&key), &alg, None, b"m", &sig).is_err());
        }
    }
}
