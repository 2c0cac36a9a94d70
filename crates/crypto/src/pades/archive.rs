//! Keeping signed PDFs provable for a lifetime (PAdES B-LTA, ETSI EN 319
//! 142-1 §5.5): a document's newest time-stamp proves everything beneath it
//! only while its unit's certificate can still be checked, so before that
//! certificate expires — or, under a dated algorithm policy, before the
//! algorithms that made it do — the archive stores the validation data for
//! it (DSS) and adds a new document time-stamp over the whole: the renewal a
//! re-time-stamping job runs, report first.
use std::time::{SystemTime, UNIX_EPOCH};

use cms::signed_data::SignedData;
use der::Encode;
use x509_cert::Certificate;

use super::pdf::{self, PdfError, ValidationData};
use crate::CryptoError;
use crate::digest::DigestAlg;
use crate::expiry::{AlgorithmPolicy, Used};
use crate::signed::TimeStamper;

/// Where a document stands: its newest time-stamp and when it stops being provable.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ArchiveStatus {
    /// Signatures and document time-stamps in the file.
    pub signatures: usize,
    /// The newest time-stamp: the last document time-stamp, or else the
    /// signature time-stamp of the last signature.
    pub newest_timestamp: Option<NewestTimestamp>,
    /// Every certificate the signatures and time-stamps carry (DER, each
    /// once): what a renewal stores, and whose status it stores.
    #[serde(skip)]
    pub certificates: Vec<Vec<u8>>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NewestTimestamp {
    /// `document` or `signature`.
    pub kind: &'static str,
    /// The signature field it is in.
    pub field: String,
    /// The earliest end of validity among the certificates the token carries
    /// (its unit's and their CAs'), or of the algorithms that made the token
    /// and those certificates under the algorithm policy: renew before it.
    #[serde(with = "rfc3339_time")]
    pub expires: SystemTime,
}

mod rfc3339_time {
    pub fn serialize<S: serde::Serializer>(t: &std::time::SystemTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::validation::rfc3339(*t))
    }
}

impl ArchiveStatus {
    /// Whether the document needs a new time-stamp by `deadline`: it has
    /// signatures and no time-stamp, or its newest one expires before then.
    pub fn due(&self, deadline: SystemTime) -> bool {
        self.signatures > 0 && self.newest_timestamp.as_ref().is_none_or(|t| t.expires <= deadline)
    }
}

/// Reads where `doc` stands under the dated `algorithms` expiries. Nothing
/// is verified: the renewal does not vouch for the signatures, it preserves
/// the proof that they existed.
pub fn status(doc: &[u8], algorithms: &AlgorithmPolicy) -> Result<ArchiveStatus, PdfError> {
    let found = pdf::find_signatures(doc)?;
    let newest = found.iter().max_by_key(|f| f.revision_end);
    let newest_timestamp = match newest {
        None => None,
        Some(f) if f.is_doc_timestamp => expiry(&f.contents, algorithms).map(|expires| NewestTimestamp {
            kind: "document",
            field: f.field_name.clone(),
            expires,
        }),
        Some(f) => signature_timestamp(&f.contents)
            .and_then(|token| expiry(&token, algorithms))
            .map(|expires| NewestTimestamp { kind: "signature", field: f.field_name.clone(), expires }),
    };
    let mut certificates: Vec<Vec<u8>> = Vec::new();
    for f in &found {
        let tokens = std::iter::once(f.contents.clone()).chain(signature_timestamp(&f.contents));
        for der in tokens.flat_map(|t| carried(&t)).filter_map(|c| c.to_der().ok()) {
            if !certificates.contains(&der) {
                certificates.push(der);
            }
        }
    }
    Ok(ArchiveStatus { signatures: found.len(), newest_timestamp, certificates })
}

fn signed_data(cms_der: &[u8]) -> Option<SignedData> {
    crate::signed::parse_carrying(cms_der).ok().map(|p| p.sd)
}

/// The certificates a CMS SignedData (a signature or a token) carries.
fn carried(cms_der: &[u8]) -> Vec<Certificate> {
    let Some(sd) = signed_data(cms_der) else {
        return Vec::new();
    };
    sd.certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .filter_map(|c| match c {
            cms::cert::CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect()
}

/// When a token stops proving anything: the earliest notAfter among the
/// certificates it carries, or the earliest expiry of an algorithm its
/// signer or those certificates' issuers used (the keys it carries, with
/// every digest the token and the certificates name — a conservative
/// over-approximation: renewing early costs a time-stamp, late the proof).
fn expiry(token: &[u8], algorithms: &AlgorithmPolicy) -> Option<SystemTime> {
    let certs = carried(token);
    let validity = certs.iter().map(|c| UNIX_EPOCH + c.tbs_certificate().validity().not_after.to_unix_duration());
    let mut digests: Vec<Option<DigestAlg>> =
        certs.iter().map(|c| DigestAlg::of_signature_algorithm(c.signature_algorithm())).collect();
    for si in signed_data(token).iter().flat_map(|sd| sd.signer_infos.0.iter().cloned().collect::<Vec<_>>()) {
        digests.push(DigestAlg::from_oid(&si.digest_alg.oid));
        digests.push(DigestAlg::of_signature_algorithm(&si.signature_algorithm));
    }
    let algorithm_ends =
        certs.iter().filter_map(|c| c.tbs_certificate().subject_public_key_info().to_der().ok()).flat_map(|spki| {
            digests
                .iter()
                .filter_map(|&d| algorithms.expiry(&Used::new([d, None], &spki)))
                .map(|e| e.on)
                .collect::<Vec<_>>()
        });
    validity.chain(algorithm_ends).min()
}

/// The signature time-stamp token in a CMS signature's unsigned attributes.
fn signature_timestamp(cms_der: &[u8]) -> Option<Vec<u8>> {
    const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: const_oid::ObjectIdentifier =
        const_oid::ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
    let sd = signed_data(cms_der)?;
    let si = sd.signer_infos.0.iter().next()?;
    let attr = si.unsigned_attrs.as_ref()?.iter().find(|a| a.oid == ID_AA_SIGNATURE_TIME_STAMP_TOKEN)?;
    attr.values.iter().next()?.to_der().ok()
}

/// Renews `doc`: stores `data` (the validation data: the certificates its
/// signatures and time-stamps carry and CRLs or OCSP answers issued now) in the
/// DSS and adds a document time-stamp over everything. Both are incremental
/// updates the modification analysis permits, so every signature stays as
/// it was and gains a newer proof of existence.
pub fn renew(doc: &[u8], data: &ValidationData, tsa: &dyn TimeStamper) -> Result<Vec<u8>, CryptoError> {
    let with_data = if data.is_empty() {
        doc.to_vec()
    } else {
        pdf::add_dss(doc, data).map_err(|e| CryptoError::Pdf(e.to_string()))?
    };
    super::sign::timestamp_pdf(&with_data, tsa)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pades::sign::{PadesOptions, sign_pdf};
    use crate::pades::testpdf::minimal_pdf;
    use crate::signed::SigningIdentity;
    use crate::testing::TestPki;
    use crate::tsp::TimeStampAuthority;
    use crate::x509::CertProfile;

    #[test]
    fn the_newest_time_stamp_decides_when_a_document_is_due() {
        let pki = TestPki::new().unwrap();
        let signer = pki.party("Signer", CertProfile::DocumentSigning).unwrap();
        let unit = pki.party("TSA", CertProfile::TimeStamping).unwrap();
        let unit_ends = UNIX_EPOCH + unit.certificate.tbs_certificate().validity().not_after.to_unix_duration();
        let tsa = TimeStampAuthority::new(Box::new(unit.key), unit.certificate, pki.chain());
        let chain = pki.chain();
        let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };

        let plain = minimal_pdf("Pension record");
        assert!(
            !status(&plain, &AlgorithmPolicy::default()).unwrap().due(SystemTime::now()),
            "nothing signed, nothing to keep"
        );
        let b_b = sign_pdf(&plain, &id, None, &PadesOptions::default()).unwrap();
        let s = status(&b_b, &AlgorithmPolicy::default()).unwrap();
        assert!(s.newest_timestamp.is_none() && s.due(SystemTime::now()), "signed, never time-stamped: {s:?}");

        let b_t = sign_pdf(&plain, &id, Some(&tsa), &PadesOptions::default()).unwrap();
        let s = status(&b_t, &AlgorithmPolicy::default()).unwrap();
        let newest = s.newest_timestamp.clone().unwrap();
        assert_eq!((newest.kind, newest.expires), ("signature", unit_ends));
        assert!(!s.due(SystemTime::now()) && s.due(unit_ends), "{s:?}");

        let renewed = renew(&b_t, &ValidationData::default(), &tsa).unwrap();
        assert!(renewed.starts_with(&b_t), "an incremental update");
        let s = status(&renewed, &AlgorithmPolicy::default()).unwrap();
        assert_eq!(s.newest_timestamp.unwrap().kind, "document");
        assert_eq!(s.signatures, 2);

        // Under a policy that ends P-256 before the unit's certificate does, the document is due then.
        let p256_ends = unit_ends - std::time::Duration::from_secs(86_400);
        let policy = AlgorithmPolicy::default().with(crate::expiry::Expiry {
            weak: crate::expiry::Weak::Key { family: crate::expiry::KeyFamily::Ecdsa, up_to_bits: 256 },
            on: p256_ends,
        });
        let s = status(&b_t, &policy).unwrap();
        assert_eq!(s.newest_timestamp.unwrap().expires, p256_ends);
    }
}
