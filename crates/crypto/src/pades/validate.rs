//! PAdES validation: every signature and document time-stamp of a PDF, with
//! its coverage of the file, the revisions appended after it, the CMS and
//! certificate checks, and one overall verdict (ETSI EN 319 102-1).
use der::Decode;
use schemars::JsonSchema;
use std::time::{SystemTime, UNIX_EPOCH};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;

use super::changes::{self, Modifications};
use super::pdf::{self, FoundSignature, PdfError};
use crate::Provider;
use crate::signed::{VerifyInput, verify, verify_token_parts};
use crate::validation::{CheckStatus, Indication, SignatureReport, SubIndication, TrustContext, rfc3339};

/// The validation of one signature field.
#[derive(Debug, Clone, serde::Serialize, JsonSchema)]
pub struct PdfSignature {
    pub field_name: String,
    /// `signature` or `document_timestamp`.
    pub kind: &'static str,
    pub sub_filter: String,
    /// `PAdES-BASELINE-B` / `-T` / `-LT` / `-LTA`, or the legacy sub-filter for others.
    pub level: String,
    pub reason: Option<String>,
    pub location: Option<String>,
    pub byte_range: [usize; 4],
    pub covers_whole_file: bool,
    /// Revisions appended after this signature (form filling, later signatures — or tampering).
    pub later_revisions: usize,
    /// What those revisions changed, and whether DocMDP and FieldMDP permit it.
    pub modifications: Modifications,
    #[serde(flatten)]
    pub report: SignatureReport,
}

impl PdfSignature {
    /// The revision this signature covers — the document as it was signed —
    /// when later revisions follow it; `None` when it covers the whole file
    /// or its byte range is not a revision's.
    pub fn signed_revision<'a>(&self, pdf: &'a [u8]) -> Option<&'a [u8]> {
        let end = self.byte_range[2].checked_add(self.byte_range[3])?;
        let covered = self.report.checks.iter().any(|c| c.code == "byte_range" && c.status == CheckStatus::Passed);
        (covered && end < pdf.len()).then(|| pdf.get(..end)).flatten()
    }
}

/// The validation report of a PDF.
#[derive(Debug, Clone, serde::Serialize, JsonSchema)]
pub struct PdfReport {
    pub indication: Indication,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_indication: Option<SubIndication>,
    pub validation_time: String,
    pub file_sha256: String,
    pub revisions: usize,
    pub signatures: Vec<PdfSignature>,
}

impl PdfReport {
    /// Where the status the validation lacked can be asked, for every signature.
    pub fn revocation_wanted(&self) -> Vec<crate::validation::RevocationWanted> {
        self.signatures.iter().flat_map(|s| s.report.all_revocation_wanted()).collect()
    }
}

/// Validates one signature or document time-stamp; `proven` is a time a
/// later document time-stamp proves it existed at. Returns the genTime of a
/// document time-stamp too.
fn verify_one(
    provider: &dyn Provider,
    doc: &[u8],
    parsed: &lopdf::Document,
    found: &FoundSignature,
    ctx: &TrustContext,
    proven: Option<SystemTime>,
) -> (PdfSignature, Option<SystemTime>) {
    let mut report = SignatureReport::new();
    let mut gen_time = None;
    let parts: Option<[&[u8]; 2]> = if found.byte_range_valid {
        let [a, b, c, d] = found.byte_range;
        doc.get(a..a + b).zip(doc.get(c..c + d)).map(|(x, y)| [x, y])
    } else {
        None
    };
    let mut level = found.sub_filter.clone();
    match parts {
        Some(parts) if found.covers_whole_revision => {
            if found.is_doc_timestamp {
                let v = verify_token_parts(provider, &found.contents, &parts, proven, ctx);
                report = v.report;
                gen_time = v.gen_time;
                level = "PAdES document time-stamp".into();
            } else {
                let input = VerifyInput { proven_time: proven, ..VerifyInput::detached(&parts) };
                let v = verify(provider, &found.contents, &input, ctx);
                report = v.report;
                if found.sub_filter == "ETSI.CAdES.detached" {
                    let t = report.timestamp.as_ref().is_some_and(|t| t.is_passed());
                    level = if t { "PAdES-BASELINE-T" } else { "PAdES-BASELINE-B" }.into();
                }
            }
            report.checks.insert(
                0,
                crate::validation::Check { code: "byte_range", status: CheckStatus::Passed, detail: String::new() },
            );
        }
        _ => report.fail(
            "byte_range",
            SubIndication::FormatFailure,
            "the byte range does not cover the whole revision except the signature",
        ),
    }
    if found.signing_time.is_some() && report.claimed_signing_time.is_none() {
        report.claimed_signing_time = found.signing_time.as_deref().and_then(pdf_date_rfc3339);
    }
    let modifications = if found.covers_whole_revision && !found.covers_whole_file {
        changes::analyse_parsed(doc, parsed, found.revision_end, &found.field_name)
    } else {
        Modifications::default()
    };
    let codes = |allowed: bool| {
        let mut kinds: Vec<&str> = Vec::new();
        for c in modifications.changes.iter().filter(|c| c.allowed == allowed) {
            if !kinds.contains(&c.kind.as_str()) {
                kinds.push(c.kind.as_str());
            }
        }
        kinds.join(", ")
    };
    if !modifications.allowed() {
        // What a reader is shown is not what was signed: never a pass.
        report.fail("modifications", SubIndication::HashFailure, codes(false));
    } else if !modifications.changes.is_empty() {
        report.note("modifications", CheckStatus::Passed, codes(true));
    }
    let signature = PdfSignature {
        field_name: found.field_name.clone(),
        kind: if found.is_doc_timestamp { "document_timestamp" } else { "signature" },
        sub_filter: found.sub_filter.clone(),
        level,
        reason: found.reason.clone(),
        location: found.location.clone(),
        byte_range: found.byte_range,
        covers_whole_file: found.covers_whole_file,
        later_revisions: found.later_revisions,
        modifications,
        report,
    };
    (signature, gen_time)
}

/// Validates every signature of `doc`. A file with no signature is INDETERMINATE / SIGNED_DATA_NOT_FOUND.
pub fn verify_pdf(provider: &dyn Provider, doc: &[u8], ctx: &TrustContext) -> Result<PdfReport, PdfError> {
    // Parsed once for everything read from it: the signatures, the DSS, the changes.
    let parsed = pdf::parse(doc)?;
    let found = pdf::signatures_in(&parsed, doc)?;
    // The document security store's certificates and CRLs serve every
    // signature's chain and revocation checks, as if they had been given.
    let dss = pdf::dss_in(&parsed).unwrap_or_default();
    let with_dss;
    let ctx = if dss.is_empty() {
        ctx
    } else {
        let mut extended = ctx.clone();
        extended.intermediates.extend(dss.certs.iter().filter_map(|c| Certificate::from_der(c).ok()));
        extended.crls.extend(dss.crls.iter().filter_map(|c| CertificateList::from_der(c).ok()));
        extended.ocsp.extend(dss.ocsps.iter().filter_map(|o| crate::ocsp::OcspEvidence::from_der(o).ok()));
        with_dss = extended;
        &with_dss
    };
    // Document time-stamps first, the newest first: a valid one proves the
    // revisions it covers existed at its genTime — a proof of existence for
    // the signatures and the older time-stamps in them (EN 319 102-1 §5.6).
    // That keeps a signature valid after its certificate expired, and after
    // its algorithms did, when a later time-stamp made with stronger ones
    // proves it existed before.
    let mut judged: Vec<Option<PdfSignature>> = found.iter().map(|_| None).collect();
    let mut stamps: Vec<(usize, SystemTime)> = Vec::new();
    let proven_by =
        |stamps: &[(usize, SystemTime)], end: usize| stamps.iter().filter(|(e, _)| *e > end).map(|(_, t)| *t).min();
    let mut newest_first: Vec<usize> = (0..found.len()).filter(|&i| found[i].is_doc_timestamp).collect();
    newest_first.sort_by_key(|&i| std::cmp::Reverse(found[i].revision_end));
    for i in newest_first {
        let f = &found[i];
        let (signature, gen_time) = verify_one(provider, doc, &parsed, f, ctx, proven_by(&stamps, f.revision_end));
        if let (true, Some(t)) = (signature.report.is_passed(), gen_time) {
            stamps.push((f.revision_end, t));
        }
        judged[i] = Some(signature);
    }
    for (slot, f) in judged.iter_mut().zip(&found).filter(|(_, f)| !f.is_doc_timestamp) {
        *slot = Some(verify_one(provider, doc, &parsed, f, ctx, proven_by(&stamps, f.revision_end)).0);
    }
    let mut signatures: Vec<PdfSignature> = judged.into_iter().flatten().collect();
    // B-LT: a B-T signature with validation data in the document; B-LTA: and
    // a valid document time-stamp after it, over that data.
    if !dss.is_empty() {
        // A document time-stamp after the signature whose own revision already holds the DSS.
        let stamped_after = |end: usize| {
            signatures.iter().any(|t| {
                let t_end = t.byte_range[2].saturating_add(t.byte_range[3]);
                t.kind == "document_timestamp"
                    && t.report.is_passed()
                    && t_end > end
                    && doc.get(..t_end).and_then(|r| pdf::dss_contents(r).ok()).is_some_and(|v| !v.is_empty())
            })
        };
        let levels: Vec<Option<&'static str>> = signatures
            .iter()
            .map(|s| {
                (s.level == "PAdES-BASELINE-T").then(|| {
                    let end = s.byte_range[2].saturating_add(s.byte_range[3]);
                    if stamped_after(end) { "PAdES-BASELINE-LTA" } else { "PAdES-BASELINE-LT" }
                })
            })
            .collect();
        for (s, level) in signatures.iter_mut().zip(levels) {
            if let Some(level) = level {
                s.level = level.into();
            }
        }
    }
    let worst =
        signatures.iter().map(|s| (s.report.indication, s.report.sub_indication)).max_by_key(|(i, _)| match i {
            Indication::TotalPassed => 0,
            Indication::Indeterminate => 1,
            Indication::TotalFailed => 2,
        });
    let (indication, sub_indication) = match worst {
        Some(w) => w,
        None => (Indication::Indeterminate, Some(SubIndication::SignedDataNotFound)),
    };
    Ok(PdfReport {
        indication,
        sub_indication,
        validation_time: rfc3339(ctx.now()),
        file_sha256: crate::validation::hex(&crate::digest::sha256(doc)),
        revisions: pdf::revisions(doc).len(),
        signatures,
    })
}

/// `D:YYYYMMDDHHmmSS` with `Z`, `+HH'mm'` or nothing (taken as UTC) → RFC 3339 UTC.
fn pdf_date_rfc3339(m: &str) -> Option<String> {
    let s = m.strip_prefix("D:").unwrap_or(m);
    let num = |r: std::ops::Range<usize>, default: u32| -> Option<u32> {
        match s.get(r) {
            Some(t) if !t.is_empty() => t.parse().ok(),
            _ => Some(default),
        }
    };
    let year = u16::try_from(num(0..4, 0)?).ok()?;
    let (month, day, hour, minute, second) =
        (num(4..6, 1)?, num(6..8, 1)?, num(8..10, 0)?, num(10..12, 0)?, num(12..14, 0)?);
    let local = der::DateTime::new(year, month as u8, day as u8, hour as u8, minute as u8, second as u8).ok()?;
    let mut unix = local.unix_duration().as_secs() as i64;
    let tz = s.get(14..).unwrap_or("");
    if let Some(sign @ ('+' | '-')) = tz.chars().next() {
        let digits: String = tz.chars().filter(char::is_ascii_digit).collect();
        let h: i64 = digits.get(0..2).and_then(|d| d.parse().ok()).unwrap_or(0);
        let mi: i64 = digits.get(2..4).and_then(|d| d.parse().ok()).unwrap_or(0);
        let offset = h * 3600 + mi * 60;
        unix -= if sign == '+' { offset } else { -offset };
    }
    Some(rfc3339(UNIX_EPOCH + std::time::Duration::from_secs(u64::try_from(unix).ok()?)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pdf_dates_become_utc() {
        assert_eq!(pdf_date_rfc3339("D:20261121143000Z").as_deref(), Some("2026-11-21T14:30:00Z"));
        assert_eq!(pdf_date_rfc3339("D:20261121163000+02'00'").as_deref(), Some("2026-11-21T14:30:00Z"));
        assert_eq!(pdf_date_rfc3339("D:2026").as_deref(), Some("2026-01-01T00:00:00Z"));
        assert_eq!(pdf_date_rfc3339("D:20261399"), None);
        assert_eq!(pdf_date_rfc3339("garbage"), None);
    }
}
