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

/// Room for a CMS beyond its certificates: identifiers, the CAdES attributes
/// (two issuer names in them) and the signature.
const CMS_ROOM: usize = 2 * 1024;
/// Room for a signature time-stamp token (its TSA's chain inside).
const TOKEN_ROOM: usize = 8 * 1024;
/// Room for a document time-stamp token.
const DOC_TIMESTAMP_RESERVE: usize = 12 * 1024;

/// The room reserved for a signature's CMS: its certificates and what goes
/// around them, and a token when a time-stamper is given; a signature that
/// does not fit is made again with twice what it needed. The room not used
/// stays in the file as hex zeros, stored and parsed by every reader: a
/// fixed 12 KB left most of a 2 KB signature's room empty (BENCHMARKS.md).
fn first_reserve(id: &SigningIdentity<'_>, time_stamped: bool) -> usize {
    use der::Encode;
    let certificates: usize = std::iter::once(id.certificate)
        .chain(id.chain)
        .map(|c| c.encoded_len().ok().and_then(|l| usize::try_from(l).ok()).unwrap_or(2 * 1024))
        .sum();
    certificates + CMS_ROOM + if time_stamped { TOKEN_ROOM } else { 0 }
}

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
    let mut reserve = first_reserve(id, tsa.is_some());
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
    let prepared =
        pdf::prepare(doc, &SignatureRequest::doc_timestamp(field, DOC_TIMESTAMP_RESERVE)).map_err(pdf_err)?;
    let alg = DigestAlg::Sha256;
    let token = tsa.timestamp(alg, &alg.hash_parts(&prepared.signed_parts()))?;
    prepared.embed(&token).map_err(pdf_err)
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;
    use crate::pades::pdf::find_signatures;
    use crate::pades::testpdf::minimal_pdf;
    use crate::pades::validate::verify_pdf;
    use crate::software::SoftwareProvider;
    use crate::testing::TestPki;
    use crate::tsp::TimeStampAuthority;
    use crate::validation::Indication;
    use crate::x509::CertProfile;

    /// The bytes a file's first signature leaves unused in its `/Contents`.
    fn unused_room(pdf: &[u8]) -> usize {
        let sig = &find_signatures(pdf).unwrap()[0];
        let [a, b, c, _] = sig.byte_range;
        // The gap is `<hex>`: two digits a byte, between the brackets.
        (c - (a + b) - 2) / 2 - sig.contents.len()
    }

    #[test]
    fn a_signature_reserves_little_more_than_it_needs() {
        let pki = TestPki::new().unwrap();
        let signer = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
        let chain = pki.chain();
        let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
        let signed = sign_pdf(&minimal_pdf("Pension record"), &id, None, &PadesOptions::default()).unwrap();
        assert!(unused_room(&signed) <= CMS_ROOM, "{} bytes unused", unused_room(&signed));
        let report = verify_pdf(&SoftwareProvider, &signed, &pki.trust()).unwrap();
        assert_eq!(report.indication, Indication::TotalPassed, "{report:#?}");
    }

    /// Counts the tokens asked for.
    struct Counting<'a>(&'a dyn TimeStamper, Cell<usize>);

    impl TimeStamper for Counting<'_> {
        fn timestamp(&self, alg: DigestAlg, digest: &[u8]) -> Result<Vec<u8>, CryptoError> {
            self.1.set(self.1.get() + 1);
            self.0.timestamp(alg, digest)
        }
    }

    #[test]
    fn a_token_larger_than_its_room_is_signed_again_with_room_for_it() {
        let pki = TestPki::new().unwrap();
        let signer = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
        let chain = pki.chain();
        let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
        // A TSA whose tokens carry twenty more certificates than they need.
        let unit = pki.party("Dossier TSA", CertProfile::TimeStamping).unwrap();
        let extra = (0..20).map(|i| pki.party(&format!("Unit {i}"), CertProfile::DocumentSigning).unwrap().certificate);
        let tsa =
            TimeStampAuthority::new(Box::new(unit.key), unit.certificate, chain.iter().cloned().chain(extra).collect());
        let counting = Counting(&tsa, Cell::new(0));

        let signed = sign_pdf(&minimal_pdf("Pension record"), &id, Some(&counting), &PadesOptions::default()).unwrap();
        assert_eq!(counting.1.get(), 2, "the first token did not fit, the second did");
        assert!(find_signatures(&signed).unwrap()[0].contents.len() > first_reserve(&id, true));
        let report = verify_pdf(&SoftwareProvider, &signed, &pki.trust()).unwrap();
        assert_eq!(report.indication, Indication::TotalPassed, "{report:#?}");
        assert_eq!(report.signatures[0].level, "PAdES-BASELINE-T");
    }
}
