//! RFC 3161 time-stamping: Dossier's own time-stamping authority (TSA) and
//! the request/response encoding for clients; what a token says is in
//! [`tst_info`], and tokens are verified by [`crate::signed::verify_token`].
//!
//! A token is a CMS SignedData over a `TSTInfo` (eContentType id-ct-TSTInfo)
//! whose signer certificate carries the critical timeStamping EKU; the token
//! carries signingCertificateV2 as RFC 5816 asks.
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, Uint};
use der::{Any, Decode, Encode, Sequence};
use x509_cert::Certificate;
use x509_cert::ext::Extension;

use crate::digest::DigestAlg;
use crate::signed::{SignOptions, SigningIdentity, TimeStamper};
use crate::{CryptoError, KeyPair};

pub mod tst_info;
pub use tst_info::{Accuracy, GenTime, ID_CT_TST_INFO, MessageImprint, TstInfo, tst_info};

/// Dossier's time-stamp policy (a private arc; a national TSA policy OID replaces it in production).
pub const DOSSIER_TSA_POLICY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.4.1.59999.1.3161.1");

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
}
