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
    /// An algorithm too weak for new signatures; `rule` says which.
    #[error("{rule}")]
    WeakAlgorithm { rule: &'static str },
    #[error("the signature does not verify")]
    BadSignature,
    #[error("the keys belong to different curves")]
    CurveMismatch,
    #[error("the system random source failed")]
    Random,
    #[error("the envelope has no recipient entry for this certificate")]
    NotForThisRecipient,
    /// Wrong key, or a damaged envelope: the key-wrap integrity check or the
    /// content padding failed. Deliberately one variant for both.
    #[error("the envelope cannot be decrypted with this key")]
    DecryptionFailed,
    #[error("the certificate's key usage does not allow key agreement")]
    NoKeyAgreement,
    #[error("PDF: {0}")]
    Pdf(String),
}
