//! RFC 3161 time-stamping: Dossier's own time-stamping authority (TSA), the
//! request/response encoding for clients, and token verification.
//!
//! A token is a CMS SignedData over a `TSTInfo` (eContentType id-ct-TSTInfo)
//! whose signer certificate carries the critical timeStamping EKU; the token
//! carries signingCertificateV2 as RFC 5816 asks.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use const_oid::ObjectIdentifier;
use der::asn1::{GeneralizedTime, OctetString, Uint};
use der::{Any, Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;

use crate::digest::DigestAlg;
use crate::signed::{SignOptions, SigningIdentity, TimeStamper, VerifyInput};
use crate::validation::{Purpose, SignatureReport, SubIndication, TrustContext, rfc3339};
use crate::{CryptoError, KeyPair, Provider};

/// id-ct-TSTInfo.
pub const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");
/// Dossier's time-stamp policy (a private arc; a national TSA policy OID replaces it in production).
pub const DOSSIER_TSA_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.59999.1.3161.1");

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct MessageImprint {
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub hashed_message: OctetString,
}

/// `TimeStampReq` (RFC 3161 §2.4.1).
#[derive(Clone, Debug, Sequence)]
pub struct TimeStampReq {
    pub version: u8,
    pub message_imprint: MessageImprint,
    #[asn1(optional = "true")]
    pub req_policy: Option<ObjectIdentifier>,
    #[asn1(optional = "true")]
    pub nonce: Option<Uint>,
    #[asn1(optional = "true")]
    pub cert_req: Option<bool>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Vec<Extension>>,
}

/// `PKIStatusInfo`; free text and failure bits are kept opaque.
#[derive(Clone, Debug, Sequence)]
pub struct PkiStatusInfo {
    pub status: u8,
    #[asn1(optional = "true")]
    pub status_string: Option<Any>,
    #[asn1(optional = "true")]
    pub fail_info: Option<der::asn1::BitString>,
}

/// `TimeStampResp` (RFC 3161 §2.4.2).
#[derive(Clone, Debug, Sequence)]
pub struct TimeStampResp {
    pub status: PkiStatusInfo,
    #[asn1(optional = "true")]
    pub time_stamp_token: Option<Any>,
}

/// `TSTInfo` (RFC 3161 §2.4.2).
#[derive(Clone, Debug, Sequence)]
pub struct TstInfo {
    pub version: u8,
    pub policy: ObjectIdentifier,
    pub message_imprint: MessageImprint,
    pub serial_number: Uint,
    pub gen_time: GenTime,
    #[asn1(optional = "true")]
    pub accuracy: Option<Accuracy>,
    #[asn1(optional = "true")]
    pub ordering: Option<bool>,
    #[asn1(optional = "true")]
    pub nonce: Option<Uint>,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    pub tsa: Option<GeneralName>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub extensions: Option<Vec<Extension>>,
}

/// `genTime`: a GeneralizedTime that may carry fractional seconds, which
/// RFC 3161 §2.4.2 allows (`YYYYMMDDhhmmss[.s+]Z`, no trailing zeros) and
/// the `der` crate's type refuses. Dossier's TSA writes whole seconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GenTime(pub SystemTime);

impl GenTime {
    /// Now, to the second.
    fn now() -> GenTime {
        let secs = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
        GenTime(UNIX_EPOCH + std::time::Duration::from_secs(secs))
    }

    fn parse(text: &[u8]) -> Option<SystemTime> {
        let text = std::str::from_utf8(text).ok()?.strip_suffix('Z')?;
        let (whole, fraction) = match text.split_once('.') {
            Some((w, f)) if !f.is_empty() && f.len() <= 9 && !f.ends_with('0') => (w, Some(f)),
            Some(_) => return None,
            None => (text, None),
        };
        if whole.len() != 14 || !whole.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let n = |r: std::ops::Range<usize>| whole.get(r).and_then(|d| d.parse::<u16>().ok());
        let at = der::DateTime::new(
            n(0..4)?,
            n(4..6)? as u8,
            n(6..8)? as u8,
            n(8..10)? as u8,
            n(10..12)? as u8,
            n(12..14)? as u8,
        )
        .ok()?;
        let nanos = match fraction {
            Some(f) if f.bytes().all(|b| b.is_ascii_digit()) => f.parse::<u32>().ok()? * 10u32.pow(9 - f.len() as u32),
            Some(_) => return None,
            None => 0,
        };
        Some(UNIX_EPOCH + at.unix_duration() + std::time::Duration::from_nanos(u64::from(nanos)))
    }
}

impl der::FixedTag for GenTime {
    const TAG: der::Tag = der::Tag::GeneralizedTime;
}

impl<'a> der::DecodeValue<'a> for GenTime {
    type Error = der::Error;
    fn decode_value<R: der::Reader<'a>>(reader: &mut R, header: der::Header) -> der::Result<Self> {
        let text = reader.read_vec(header.length())?;
        GenTime::parse(&text).map(GenTime).ok_or_else(|| der::Error::from(der::ErrorKind::DateTime))
    }
}

impl der::EncodeValue for GenTime {
    fn value_len(&self) -> der::Result<der::Length> {
        GeneralizedTime::from_system_time(self.0)?.value_len()
    }
    fn encode_value(&self, writer: &mut impl der::Writer) -> der::Result<()> {
        GeneralizedTime::from_system_time(self.0)?.encode_value(writer)
    }
}

#[derive(Clone, Debug, Sequence)]
pub struct Accuracy {
    #[asn1(optional = "true")]
    pub seconds: Option<u32>,
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT", optional = "true")]
    pub millis: Option<u16>,
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", optional = "true")]
    pub micros: Option<u16>,
}

fn der_err(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "time-stamp" }
}

/// PKIStatus values.
const GRANTED: u8 = 0;
const REJECTION: u8 = 2;
/// PKIFailureInfo bits: badAlg(0), badRequest(2), badDataFormat(5).
const BAD_ALG: usize = 0;
const BAD_DATA_FORMAT: usize = 5;

/// Dossier's time-stamping unit.
pub struct TimeStampAuthority {
    key: Box<dyn KeyPair>,
    certificate: Certificate,
    chain: Vec<Certificate>,
    serial: AtomicU64,
}

impl TimeStampAuthority {
    pub fn new(key: Box<dyn KeyPair>, certificate: Certificate, chain: Vec<Certificate>) -> Self {
        // Serials start from the clock so restarts never reuse one (RFC 3161: unique per TSA).
        let start = SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_micros() as u64).unwrap_or(1);
        TimeStampAuthority { key, certificate, chain, serial: AtomicU64::new(start) }
    }

    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// Issues a token for `digest` at the current time.
    pub fn stamp(
        &self,
        alg: DigestAlg,
        digest: &[u8],
        nonce: Option<Uint>,
        include_cert: bool,
    ) -> Result<Vec<u8>, CryptoError> {
        let serial = self.serial.fetch_add(1, Ordering::Relaxed);
        let info = TstInfo {
            version: 1,
            policy: DOSSIER_TSA_POLICY,
            message_imprint: MessageImprint {
                hash_algorithm: alg.identifier(),
                hashed_message: OctetString::new(digest.to_vec()).map_err(der_err)?,
            },
            serial_number: Uint::new(&serial.to_be_bytes()).map_err(der_err)?,
            gen_time: GenTime::now(),
            accuracy: Some(Accuracy { seconds: Some(1), millis: None, micros: None }),
            ordering: None,
            nonce,
            tsa: None,
            extensions: None,
        };
        let body = info.to_der().map_err(der_err)?;
        let chain: &[Certificate] = if include_cert { &self.chain } else { &[] };
        let id = SigningIdentity { key: self.key.as_ref(), certificate: &self.certificate, chain };
        crate::signed::sign(
            &id,
            &body,
            &SignOptions { content_type: ID_CT_TST_INFO, detached: false, signing_time: None },
        )
    }

    /// Answers a DER `TimeStampReq` with a DER `TimeStampResp` (granted or a rejection with a reason).
    pub fn respond(&self, request_der: &[u8]) -> Vec<u8> {
        let response = match TimeStampReq::from_der(request_der) {
            Err(_) => rejection(BAD_DATA_FORMAT),
            Ok(req) => {
                let alg = DigestAlg::from_oid(&req.message_imprint.hash_algorithm.oid);
                match alg {
                    Some(alg) if req.message_imprint.hashed_message.as_bytes().len() == alg.hash(b"").len() => {
                        match self.stamp(
                            alg,
                            req.message_imprint.hashed_message.as_bytes(),
                            req.nonce,
                            req.cert_req.unwrap_or(false),
                        ) {
                            Ok(token) => Any::from_der(&token)
                                .map(|t| TimeStampResp {
                                    status: PkiStatusInfo { status: GRANTED, status_string: None, fail_info: None },
                                    time_stamp_token: Some(t),
                                })
                                .unwrap_or_else(|_| rejection(BAD_DATA_FORMAT)),
                            Err(_) => rejection(BAD_DATA_FORMAT),
                        }
                    }
                    _ => rejection(BAD_ALG),
                }
            }
        };
        response.to_der().unwrap_or_default()
    }
}

fn rejection(bit: usize) -> TimeStampResp {
    let mut bits = [0u8; 1];
    bits[0] = 0x80 >> bit;
    TimeStampResp {
        status: PkiStatusInfo {
            status: REJECTION,
            status_string: None,
            fail_info: der::asn1::BitString::new((7 - bit) as u8, bits.to_vec()).ok(),
        },
        time_stamp_token: None,
    }
}

impl TimeStamper for TimeStampAuthority {
    fn timestamp(&self, alg: DigestAlg, digest: &[u8]) -> Result<Vec<u8>, CryptoError> {
        self.stamp(alg, digest, None, true)
    }
}

/// A DER `TimeStampReq` for `digest`, asking for the TSA certificate.
pub fn request(alg: DigestAlg, digest: &[u8], nonce: u64) -> Result<Vec<u8>, CryptoError> {
    TimeStampReq {
        version: 1,
        message_imprint: MessageImprint {
            hash_algorithm: alg.identifier(),
            hashed_message: OctetString::new(digest.to_vec()).map_err(der_err)?,
        },
        req_policy: None,
        nonce: Some(Uint::new(&nonce.to_be_bytes()).map_err(der_err)?),
        cert_req: Some(true),
        extensions: None,
    }
    .to_der()
    .map_err(der_err)
}

/// Takes the token out of a DER `TimeStampResp`, checking it answers `nonce`.
pub fn token_from_response(response_der: &[u8], nonce: u64) -> Result<Vec<u8>, CryptoError> {
    let resp = TimeStampResp::from_der(response_der).map_err(der_err)?;
    if resp.status.status > 1 {
        return Err(CryptoError::Malformed { what: "time-stamp refused by the TSA" });
    }
    let token =
        resp.time_stamp_token.ok_or(CryptoError::Malformed { what: "time-stamp" })?.to_der().map_err(der_err)?;
    let info = tst_info(&token)?;
    let expected = Uint::new(&nonce.to_be_bytes()).map_err(der_err)?;
    if info.nonce.as_ref() != Some(&expected) {
        return Err(CryptoError::Malformed { what: "time-stamp nonce" });
    }
    Ok(token)
}

/// Reads the TSTInfo of a token without verifying it.
pub fn tst_info(token_der: &[u8]) -> Result<TstInfo, CryptoError> {
    let ci = cms::content_info::ContentInfo::from_der(token_der).map_err(der_err)?;
    let sd = ci.content.decode_as::<cms::signed_data::SignedData>().map_err(der_err)?;
    if sd.encap_content_info.econtent_type != ID_CT_TST_INFO {
        return Err(CryptoError::Malformed { what: "time-stamp" });
    }
    let body = sd.encap_content_info.econtent.ok_or(CryptoError::Malformed { what: "time-stamp" })?;
    let octets = body.decode_as::<OctetString>().map_err(der_err)?;
    TstInfo::from_der(octets.as_bytes()).map_err(der_err)
}

/// A verified time-stamp.
pub struct TokenVerification {
    pub report: SignatureReport,
    pub gen_time: Option<SystemTime>,
}

/// Verifies a token over `data` (its imprint is recomputed with the token's own digest).
pub fn verify_token(provider: &dyn Provider, token_der: &[u8], data: &[u8], ctx: &TrustContext) -> TokenVerification {
    verify_token_parts(provider, token_der, &[data], ctx)
}

/// As [`verify_token`], the data given as parts (a PDF's byte ranges).
pub fn verify_token_parts(
    provider: &dyn Provider,
    token_der: &[u8],
    parts: &[&[u8]],
    ctx: &TrustContext,
) -> TokenVerification {
    let info = match tst_info(token_der) {
        Ok(i) => i,
        Err(_) => {
            let mut report = SignatureReport::new();
            report.fail("timestamp_format", SubIndication::FormatFailure, "not an RFC 3161 time-stamp token");
            return TokenVerification { report, gen_time: None };
        }
    };
    let gen_time = info.gen_time.0;
    // The TSA's certificate is judged at genTime: the token is its own proof of existence.
    let mut verified = crate::signed::verify(
        provider,
        token_der,
        &VerifyInput { detached: None, purpose: Purpose::TimeStamping, proven_time: Some(gen_time) },
        ctx,
    );
    let report = &mut verified.report;
    report.proven_signing_time = Some(rfc3339(gen_time));
    match DigestAlg::from_oid(&info.message_imprint.hash_algorithm.oid) {
        Some(alg) if alg.hash_parts(parts) == info.message_imprint.hashed_message.as_bytes() => {
            report.passed("timestamp_imprint")
        }
        Some(_) => report.fail("timestamp_imprint", SubIndication::HashFailure, "the time-stamp is over other data"),
        None => {
            report.fail("timestamp_imprint", SubIndication::CryptoConstraintsFailure, "time-stamp digest not accepted")
        }
    }
    TokenVerification { report: verified.report, gen_time: Some(gen_time) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejection_names_the_failure_bit() {
        let der = rejection(BAD_ALG).to_der().unwrap();
        let back = TimeStampResp::from_der(&der).unwrap();
        assert_eq!(back.status.status, REJECTION);
        assert!(back.time_stamp_token.is_none());
    }

    #[test]
    fn gen_time_may_carry_fractional_seconds_rfc_3161() {
        let at = |t: &str| GenTime::parse(t.as_bytes()).map(|t| t.duration_since(UNIX_EPOCH).unwrap());
        assert_eq!(at("20261203101500Z").unwrap().as_secs(), 1_796_292_900);
        let fractional = at("20261203101500.125Z").unwrap();
        assert_eq!((fractional.as_secs(), fractional.subsec_millis()), (1_796_292_900, 125));
        // DER: no trailing zeros, no empty fraction, UTC only.
        for bad in
            ["20261203101500.120Z", "20261203101500.Z", "20261203101500", "20261203101500+0200", "2026120310150Z"]
        {
            assert_eq!(at(bad), None, "{bad}");
        }
        // As a DER value inside a token.
        let der = [&[0x18, 19][..], b"20261203101500.125Z"].concat();
        let decoded = GenTime::from_der(&der).unwrap();
        assert_eq!(decoded.0.duration_since(UNIX_EPOCH).unwrap().subsec_millis(), 125);
    }
}
