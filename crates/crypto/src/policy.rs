//! What is too weak to accept at all (ETSI TS 119 312): SHA-1 and RSA keys
//! under 2048 bits, refused outright; the rules' words travel with the
//! refusal. Dated expiries of algorithms sound today are in [`crate::expiry`].

/// Why SHA-1 is refused (collisions are practical since 2017).
pub const SHA1_RULE: &str = "SHA-1 is not accepted in new signatures (ETSI TS 119 312)";

/// Why a short RSA key is refused.
pub const RSA_RULE: &str = "RSA keys shorter than 2048 bits are not accepted (ETSI TS 119 312)";

/// The shortest RSA modulus accepted, in bits.
pub const MIN_RSA_BITS: usize = 2048;
