//! The delivered package (SPEC §2.1): every part is signed by the hub (CMS
//! SignedData with the content attached) and then encrypted to the branch's
//! acquirer certificate (CMS EnvelopedData) — `doc.pdf.p7s.p7e` and
//! `metadata.json.p7s.p7e`. Signing inside the envelope means the fund keeps
//! a signed copy after decrypting, and a package for another fund is opaque.
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use dossier_crypto::signed::{self, SignOptions, SigningIdentity, VerifyInput};
use dossier_crypto::validation::{Indication, SignatureReport, TrustContext};
use dossier_crypto::{CryptoError, KeyPair, Provider, envelope};
use x509_cert::Certificate;
use x509_cert::der::Encode;
use zeroize::Zeroizing;

use super::wire::Metadata;

/// What the hub posts: the encrypted file, its name, and the encrypted
/// metadata (base64 in the `encodeData` part).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Package {
    pub file_name: String,
    pub file: Vec<u8>,
    pub metadata: Vec<u8>,
}

impl Package {
    /// The `encodeData` multipart value.
    pub fn encode_data(&self) -> String {
        B64.encode(&self.metadata)
    }

    /// Rebuilds a package from the multipart parts; `None` if `encodeData` is not base64.
    pub fn from_parts(file_name: String, file: Vec<u8>, encode_data: &str) -> Option<Package> {
        let metadata = B64.decode(encode_data.trim()).ok()?;
        Some(Package { file_name, file, metadata })
    }
}

/// Signs the (already PAdES-signed) PDF and the metadata with the hub's key
/// and encrypts both to `recipient` (the branch's acquirer certificate).
pub fn seal(
    hub: &SigningIdentity<'_>,
    recipient: &Certificate,
    pdf: &[u8],
    metadata: &Metadata,
) -> Result<Package, CryptoError> {
    let json = serde_json::to_vec(metadata).map_err(|_| CryptoError::Malformed { what: "metadata" })?;
    let attached = SignOptions::default();
    let pdf_p7s = signed::sign(hub, pdf, &attached)?;
    let meta_p7s = signed::sign(hub, &json, &attached)?;
    let stem = metadata.document_types.first().map(|t| t.code()).unwrap_or("doc");
    Ok(Package {
        file_name: format!("{stem}.pdf.p7s.p7e"),
        file: envelope::encrypt(recipient, &pdf_p7s)?,
        metadata: envelope::encrypt(recipient, &meta_p7s)?,
    })
}

/// Why a package could not be opened. None of these carry decrypted content.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("the package is not encrypted to this branch")]
    NotForUs,
    #[error("the package cannot be decrypted: {0}")]
    Undecryptable(CryptoError),
    #[error("the {part} signature is not valid: {indication:?}")]
    BadSignature { part: &'static str, indication: Indication, report: Box<SignatureReport> },
    #[error("the {part} was signed by someone other than the trusted hub")]
    WrongSigner { part: &'static str },
    #[error("the metadata is not the expected JSON: {0}")]
    Metadata(String),
}

/// A decrypted and verified package.
pub struct Opened {
    /// The PAdES-signed PDF copy.
    pub pdf: Zeroizing<Vec<u8>>,
    /// The hub's CMS signatures as received, kept as evidence.
    pub pdf_p7s: Zeroizing<Vec<u8>>,
    pub metadata_p7s: Zeroizing<Vec<u8>>,
    pub metadata: Metadata,
    pub pdf_report: SignatureReport,
    pub metadata_report: SignatureReport,
}

/// Decrypts both parts with the branch's key, then verifies that each is
/// signed by exactly `hub` (the configured trusted hub certificate) and that
/// the signature is valid under `trust`.
pub fn open(
    package: &Package,
    recipient: &Certificate,
    key: &dyn KeyPair,
    provider: &dyn Provider,
    trust: &TrustContext,
    hub: &Certificate,
) -> Result<Opened, OpenError> {
    let hub_der = hub.to_der().map_err(|_| OpenError::Metadata("trusted hub certificate".into()))?;
    let hub_fingerprint = base16ct::lower::encode_string(&dossier_crypto::digest::sha256(&hub_der));
    let decrypt = |der: &[u8]| {
        envelope::decrypt(der, recipient, key).map_err(|e| match e {
            CryptoError::NotForThisRecipient => OpenError::NotForUs,
            other => OpenError::Undecryptable(other),
        })
    };
    let pdf_p7s = decrypt(&package.file)?;
    let metadata_p7s = decrypt(&package.metadata)?;
    let (pdf, pdf_report) = verify_part("file", &pdf_p7s, provider, trust, &hub_fingerprint)?;
    let (json, metadata_report) = verify_part("metadata", &metadata_p7s, provider, trust, &hub_fingerprint)?;
    let metadata = serde_json::from_slice(&json).map_err(|e| OpenError::Metadata(e.to_string()))?;
    Ok(Opened { pdf, pdf_p7s, metadata_p7s, metadata, pdf_report, metadata_report })
}

fn verify_part(
    part: &'static str,
    p7s: &[u8],
    provider: &dyn Provider,
    trust: &TrustContext,
    hub_fingerprint: &str,
) -> Result<(Zeroizing<Vec<u8>>, SignatureReport), OpenError> {
    let verified = signed::verify(provider, p7s, &VerifyInput::attached(), trust);
    let report = verified.report;
    if report.indication != Indication::TotalPassed {
        return Err(OpenError::BadSignature { part, indication: report.indication, report: Box::new(report) });
    }
    // Pinned: a valid signature by any other certificate of the same CA is refused.
    if report.signer.as_ref().map(|s| s.fingerprint.as_str()) != Some(hub_fingerprint) {
        return Err(OpenError::WrongSigner { part });
    }
    let content = verified.content.ok_or(OpenError::Metadata(format!("{part}: no attached content")))?;
    Ok((Zeroizing::new(content), report))
}

#[cfg(test)]
mod tests;
