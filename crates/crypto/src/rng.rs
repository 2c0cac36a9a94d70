//! The operating system's CSPRNG.

/// Fills `buf` from the OS source.
pub(crate) fn fill(buf: &mut [u8]) -> Result<(), crate::CryptoError> {
    getrandom_04::fill(buf).map_err(|_| crate::CryptoError::Random)
}
