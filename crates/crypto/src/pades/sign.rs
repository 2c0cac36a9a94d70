//! PAdES baseline signing: B-B (CMS with the CAdES attributes, signing time
//! in the PDF's /M) and B-T (plus a signature time-stamp from a TSA), and
//! document time-stamps.
use std::time::SystemTime;

use super::pdf::{self, PdfDate, PdfError, SignatureRequest};
use crate::CryptoError;
use crate::digest::DigestAlg;
use crate::signed::{SignOptions, SigningIdentity, TimeStamper, add_signature_timestamp, sign};
use crate::validation::common_name;

/// What to write into the signature dictionary besides the CMS.
#[derive(Debug, Clone, Default)]
pub struct PadesOptions {
    /// Field name; `None` picks `Signature1`, `Signature2`… (the first free one).
    pub field_name: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// `/M`; `None` = now.
    pub signing_time: Option<SystemTime>,
    /// A certification signature with this DocMDP permission; `None` = an approval signature.
    pub certify: Option<pdf::DocMdp>,
    /// The widget's place on the first page (see [`SignatureRequest::rect`]); `None` = invisible.
    pub rect: Option<[f32; 4]>,
}

/// Room for certificates, signature and a time-stamp token; grown and retried if short.
const FIRST_RESERVE: usize = 12 * 1024;

fn pdf_err(e: PdfError) -> CryptoError {
    CryptoError::Pdf(e.to_string())
}

fn free_field_name(doc: &[u8], prefix: &str) -> Result<String, CryptoError> {
    let taken: Vec<String> = pdf::find_signatures(doc).map_err(pdf_err)?.into_iter().map(|s| s.field_name).collect();
    Ok((1..).map(|n| format!("{prefix}{n}")).find(|n| !taken.contains(n)).unwrap_or_else(|| prefix.to_owned()))
}

/// Signs `doc` (B-B, or B-T when a time-stamper is given) by incremental update.
pub fn sign_pdf(
    doc: &[u8],
    id: &SigningIdentity<'_>,
    tsa: Option<&dyn TimeStamper>,
    opts: &PadesOptions,
) -> Result<Vec<u8>, CryptoError> {
    let field = match &opts.field_name {
        Some(f) => f.clone(),
        None => free_field_name(doc, "Signature")?,
    };
    let time = PdfDate::from_system_time(opts.signing_time.unwrap_or_else(SystemTime::now)).map_err(pdf_err)?;
    let signer_name = common_name(id.certificate);
    let mut reserve = FIRST_RESERVE;
    loop {
        let request = SignatureRequest {
            signer_name: signer_name.clone(),
            reason: opts.reason.clone(),
            location: opts.location.clone(),
            signing_time: Some(time.clone()),
            certify: opts.certify,
            rect: opts.rect,
            ..SignatureRequest::signature(field.clone(), reserve)
        };
        let prepared = pdf::prepare(doc, &request).map_err(pdf_err)?;
        let mut cms = sign(id, &prepared.signed_bytes(), &SignOptions { detached: true, ..SignOptions::default() })?;
        if let Some(tsa) = tsa {
            cms = add_signature_timestamp(&cms, tsa)?;
        }
        match prepared.embed(&cms) {
            Err(PdfError::SignatureTooLarge { needed, .. }) if reserve < pdf::MAX_RESERVE / 2 => {
                reserve = needed * 2;
            }
            other => return other.map_err(pdf_err),
        }
    }
}

/// Adds a document time-stamp (ETSI.RFC3161) over the whole file as it stands.
pub fn timestamp_pdf(doc: &[u8], tsa: &dyn TimeStamper) -> Result<Vec<u8>, CryptoError> {
    let field = free_field_name(doc, "DocTimeStamp")?;
    let prepared = pdf::prepare(doc, &SignatureRequest::doc_timestamp(field, FIRST_RESERVE)).map_err(pdf_err)?;
    let alg = DigestAlg::Sha256;
    let token = tsa.timestamp(alg, &alg.hash_parts(&prepared.signed_parts()))?;
    prepared.embed(&token).map_err(pdf_err)
}
