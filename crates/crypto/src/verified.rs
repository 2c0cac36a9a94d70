//! Whether a certificate, CRL or OCSP response was signed by a given key —
//! verified once per process: the chain many signatures share (the hub's,
//! the centre's) is checked once, not once per signature.
use der::Encode;
use x509_cert::Certificate;

use crate::Provider;

/// Whether `issuer` signed `cert` (names match and the signature verifies).
pub(crate) fn issued_by(provider: &dyn Provider, cert: &Certificate, issuer: &Certificate) -> bool {
    if cert.tbs_certificate().issuer() != issuer.tbs_certificate().subject() {
        return false;
    }
    let (Ok(tbs), Ok(spki)) =
        (cert.tbs_certificate().to_der(), issuer.tbs_certificate().subject_public_key_info().to_der())
    else {
        return false;
    };
    let Some(sig) = cert.signature().as_bytes() else { return false };
    signature(provider, &spki, cert.signature_algorithm(), &tbs, sig)
}

/// Signatures already verified in this process, keyed by
/// the SHA-256 of (issuer key, algorithm, signed bytes, signature): the
/// chain many signatures share (the hub's, the centre's) is checked once per
/// process, not once per signature. Only successes are kept — the key
/// covers everything the verdict depends on, so a hit is the same verdict.
/// Bounded: cleared when full.
pub(crate) fn signature(
    provider: &dyn Provider,
    spki: &[u8],
    alg: &spki::AlgorithmIdentifierOwned,
    tbs: &[u8],
    sig: &[u8],
) -> bool {
    use sha2_011::Digest;
    use std::collections::HashSet;
    use std::sync::{LazyLock, Mutex, PoisonError};
    const CAPACITY: usize = 4096;
    static VERIFIED: LazyLock<Mutex<HashSet<[u8; 32]>>> = LazyLock::new(|| Mutex::new(HashSet::new()));
    let Ok(alg_der) = alg.to_der() else { return false };
    let mut h = sha2_011::Sha256::new();
    for part in [spki, &alg_der, tbs, sig] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part);
    }
    let key: [u8; 32] = h.finalize().into();
    if VERIFIED.lock().unwrap_or_else(PoisonError::into_inner).contains(&key) {
        return true;
    }
    let ok = crate::digest::verify_signature(provider, spki, alg, tbs, sig).is_ok();
    if ok {
        let mut seen = VERIFIED.lock().unwrap_or_else(PoisonError::into_inner);
        if seen.len() >= CAPACITY {
            seen.clear();
        }
        seen.insert(key);
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestPki;
    use crate::x509::CertProfile;
    use der::Decode;

    #[test]
    fn a_cached_certificate_signature_does_not_vouch_for_an_altered_one() {
        let pki = TestPki::new().unwrap();
        let party = pki.party("Cache Check", CertProfile::DocumentSigning).unwrap();
        let provider = crate::software::SoftwareProvider;
        assert!(issued_by(&provider, &party.certificate, &pki.issuing.certificate));
        assert!(issued_by(&provider, &party.certificate, &pki.issuing.certificate), "again, from the cache");
        let mut der = party.certificate.to_der().unwrap();
        let last = der.len() - 1;
        der[last] ^= 0x01;
        let altered = Certificate::from_der(&der).unwrap();
        assert!(!issued_by(&provider, &altered, &pki.issuing.certificate));
        assert!(!issued_by(&provider, &party.certificate, &pki.root.certificate), "not the root's");
    }
}
