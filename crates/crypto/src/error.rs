/// Why a cryptographic operation was refused. Messages name the problem, never key material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("wrong PIN; {tries_left} attempt(s) left")]
    WrongPin { tries_left: u8 },
    #[error("the key container is blocked after too many wrong PINs")]
    Blocked,
    #[error("the PIN must be {min}–{max} digits")]
    PinFormat { min: usize, max: usize },
    #[error("malformed {what}")]
    Malformed { what: &'static str },
    #[error("unsupported algorithm or curve")]
    Unsupported,
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the keys belong to different curves")]
    CurveMismatch,
    #[error("the system random source failed")]
    Random,
}
