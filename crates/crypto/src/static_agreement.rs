//! ECDH with a static private key — what opening an envelope does with the
//! recipient's key — through aws-lc-rs's assembly, on the assembly backend.
//! ring, which does everything else there, offers only ephemeral agreement,
//! and RustCrypto's variable-base multiplication takes 289–316 µs on P-256
//! where aws-lc-rs takes 48–58 µs on this machine (`bench/provider-choice`):
//! with two envelopes in every shared document, it had become the intake's
//! largest single cost (BENCHMARKS.md). RustCrypto still computes it on the
//! pure-Rust backend.
use aws_lc_rs::agreement as a;
use zeroize::Zeroizing;

use crate::{Algorithm, CryptoError};

/// A private key held by aws-lc for agreement only (aws-lc wipes it when freed).
pub(crate) struct StaticKey(a::PrivateKey);

impl StaticKey {
    /// The key for `scalar` (big-endian, the curve's length), or `None` when
    /// aws-lc does not take it (the caller computes in RustCrypto instead).
    pub(crate) fn new(algorithm: Algorithm, scalar: &[u8]) -> Option<Self> {
        let alg = match algorithm {
            Algorithm::EcP256 => &a::ECDH_P256,
            Algorithm::EcP384 => &a::ECDH_P384,
        };
        a::PrivateKey::from_private_key(alg, scalar).ok().map(StaticKey)
    }

    /// The shared secret (the x-coordinate) with a peer's SEC1 point, which
    /// aws-lc checks is on the key's curve.
    pub(crate) fn agree(&self, peer_point: &[u8]) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
        let peer = a::UnparsedPublicKey::new(self.0.algorithm(), peer_point);
        a::agree(&self.0, peer, CryptoError::Malformed { what: "peer public key" }, |secret| {
            Ok(Zeroizing::new(secret.to_vec()))
        })
    }
}
