//! OCSP (RFC 6960): the certification centre's responder and the relying
//! party's side of the protocol.
//!
//! * [`OcspResponder`] answers requests for the issuing CA's certificates,
//!   signed by a delegated responder certificate (id-kp-OCSPSigning, with
//!   id-pkix-ocsp-nocheck) so the issuing key signs nothing but certificates
//!   and CRLs. It echoes a nonce (RFC 8954) and answers `unknown` for
//!   certificates it did not issue.
//! * [`request`] builds a request; [`OcspEvidence`] is a response kept as
//!   revocation evidence (fetched, or read from a PDF's DSS) and tells the
//!   validator the status it gives a certificate — only when the issuer or
//!   its delegated responder signed it and it is fresh.
//!
//! The `x509-ocsp` crate targets the previous generation of the `der` and
//! `x509-cert` crates, so the few RFC 6960 structures are declared here.
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ID_SHA_1, ID_SHA_256, ID_SHA_384, ID_SHA_512};
use der::asn1::{BitString, GeneralizedTime, Null, OctetString};
use der::{Any, Choice, Decode, Encode, Enumerated, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::ext::pkix::{CrlReason, ExtendedKeyUsage};
use x509_cert::name::Name;
use x509_cert::serial_number::SerialNumber;

pub use crate::x509::{ID_KP_OCSP_SIGNING, ID_PKIX_OCSP_NOCHECK};
use crate::{CryptoError, KeyPair, Provider};

pub const ID_PKIX_OCSP_BASIC: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.1");
pub const ID_PKIX_OCSP_NONCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.2");

/// Certificates asked about in one request, at most: OpenSSL asks one per
/// `-serial`; a long list is only work for the responder.
pub const MAX_REQUESTS: usize = 16;
/// RFC 8954 §2.1: a nonce is 1 to 32 octets.
const MAX_NONCE: usize = 32;
/// A response without nextUpdate is fresh for this long after thisUpdate.
const NO_NEXT_UPDATE_FRESHNESS: Duration = Duration::from_secs(3600);

/// `CertID`: the certificate asked about, by its issuer's name and key hashes and its serial.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct CertId {
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub issuer_name_hash: OctetString,
    pub issuer_key_hash: OctetString,
    pub serial_number: SerialNumber,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct Request {
    pub req_cert: CertId,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub single_request_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct TbsRequest {
    #[asn1(context_specific = "0", default = "Default::default", tag_mode = "EXPLICIT")]
    pub version: u8,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    pub requestor_name: Option<GeneralName>,
    pub request_list: Vec<Request>,
    #[asn1(context_specific = "2", optional = "true", tag_mode = "EXPLICIT")]
    pub request_extensions: Option<Vec<Extension>>,
}

/// `OCSPRequest`; a request's own signature is not required and not checked.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspRequest {
    pub tbs_request: TbsRequest,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub optional_signature: Option<Any>,
}

/// `OCSPResponseStatus`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Enumerated)]
#[repr(u32)]
pub enum ResponseStatus {
    Successful = 0,
    MalformedRequest = 1,
    InternalError = 2,
    TryLater = 3,
    SigRequired = 5,
    Unauthorized = 6,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct OcspResponse {
    pub response_status: ResponseStatus,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub response_bytes: Option<ResponseBytes>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ResponseBytes {
    pub response_type: ObjectIdentifier,
    pub response: OctetString,
}

/// `BasicOCSPResponse`, its signed part kept as received: the signature is
/// checked over those bytes, not over a re-encoding.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct BasicOcspResponse {
    tbs_response_data: Any,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: BitString,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    certs: Option<Vec<Certificate>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct ResponseData {
    #[asn1(context_specific = "0", default = "Default::default", tag_mode = "EXPLICIT")]
    pub version: u8,
    pub responder_id: ResponderId,
    pub produced_at: GeneralizedTime,
    pub responses: Vec<SingleResponse>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    pub response_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum ResponderId {
    #[asn1(context_specific = "1", tag_mode = "EXPLICIT", constructed = "true")]
    ByName(Name),
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT", constructed = "true")]
    ByKey(OctetString),
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct SingleResponse {
    pub cert_id: CertId,
    pub cert_status: CertStatus,
    pub this_update: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub next_update: Option<GeneralizedTime>,
    #[asn1(context_specific = "1", optional = "true", tag_mode = "EXPLICIT")]
    pub single_extensions: Option<Vec<Extension>>,
}

#[derive(Clone, Debug, PartialEq, Eq, Choice)]
pub enum CertStatus {
    #[asn1(context_specific = "0", tag_mode = "IMPLICIT")]
    Good(Null),
    #[asn1(context_specific = "1", tag_mode = "IMPLICIT", constructed = "true")]
    Revoked(RevokedInfo),
    #[asn1(context_specific = "2", tag_mode = "IMPLICIT")]
    Unknown(Null),
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct RevokedInfo {
    pub revocation_time: GeneralizedTime,
    #[asn1(context_specific = "0", optional = "true", tag_mode = "EXPLICIT")]
    pub revocation_reason: Option<CrlReason>,
}

fn malformed(what: &'static str) -> impl Fn(der::Error) -> CryptoError {
    move |_| CryptoError::Malformed { what }
}

/// The digests a CertID may name. SHA-1 is what RFC 5019 makes every
/// responder support, so the client asks with it: there it identifies, it
/// does not sign.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum IdHash {
    Sha1,
    Sha256,
    Sha384,
    Sha512,
}

impl IdHash {
    const ALL: [IdHash; 4] = [IdHash::Sha1, IdHash::Sha256, IdHash::Sha384, IdHash::Sha512];

    fn oid(self) -> ObjectIdentifier {
        match self {
            IdHash::Sha1 => ID_SHA_1,
            IdHash::Sha256 => ID_SHA_256,
            IdHash::Sha384 => ID_SHA_384,
            IdHash::Sha512 => ID_SHA_512,
        }
    }

    fn of(alg: &AlgorithmIdentifierOwned) -> Option<IdHash> {
        Self::ALL.into_iter().find(|h| h.oid() == alg.oid)
    }

    fn hash(self, data: &[u8]) -> Vec<u8> {
        let alg = match self {
            IdHash::Sha1 => &ring::digest::SHA1_FOR_LEGACY_USE_ONLY,
            IdHash::Sha256 => &ring::digest::SHA256,
            IdHash::Sha384 => &ring::digest::SHA384,
            IdHash::Sha512 => &ring::digest::SHA512,
        };
        ring::digest::digest(alg, data).as_ref().to_vec()
    }
}

/// An issuer as CertIDs name it: the DER of its subject name and the bits of its public key.
struct IssuerKeys {
    name_der: Vec<u8>,
    key_bits: Vec<u8>,
}

impl IssuerKeys {
    fn of(issuer: &Certificate) -> Result<Self, CryptoError> {
        let tbs = issuer.tbs_certificate();
        Ok(IssuerKeys {
            name_der: tbs.subject().to_der().map_err(malformed("issuer certificate"))?,
            key_bits: tbs.subject_public_key_info().subject_public_key.raw_bytes().to_vec(),
        })
    }

    /// Whether `id` names a certificate of this issuer (whatever digest it uses).
    fn names(&self, id: &CertId) -> bool {
        IdHash::of(&id.hash_algorithm).is_some_and(|h| {
            h.hash(&self.name_der) == id.issuer_name_hash.as_bytes()
                && h.hash(&self.key_bits) == id.issuer_key_hash.as_bytes()
        })
    }

    fn cert_id(&self, hash: IdHash, serial: &SerialNumber) -> Result<CertId, CryptoError> {
        let octets = |b: Vec<u8>| OctetString::new(b).map_err(malformed("CertID"));
        Ok(CertId {
            hash_algorithm: AlgorithmIdentifierOwned { oid: hash.oid(), parameters: Some(Any::from(Null)) },
            issuer_name_hash: octets(hash.hash(&self.name_der))?,
            issuer_key_hash: octets(hash.hash(&self.key_bits))?,
            serial_number: serial.clone(),
        })
    }
}

fn nonce_extension(value: &[u8]) -> Result<Extension, CryptoError> {
    let inner = OctetString::new(value).and_then(|o| o.to_der()).map_err(malformed("nonce"))?;
    Ok(Extension {
        extn_id: ID_PKIX_OCSP_NONCE,
        critical: false,
        extn_value: OctetString::new(inner).map_err(malformed("nonce"))?,
    })
}

/// A request (DER) for the status of `cert`, issued by `issuer`, with a nonce
/// when given (RFC 8954: 1–32 octets).
pub fn request(cert: &Certificate, issuer: &Certificate, nonce: Option<&[u8]>) -> Result<Vec<u8>, CryptoError> {
    let id = IssuerKeys::of(issuer)?.cert_id(IdHash::Sha1, cert.tbs_certificate().serial_number())?;
    let request_extensions = match nonce {
        Some(n) if n.is_empty() || n.len() > MAX_NONCE => return Err(CryptoError::Malformed { what: "nonce" }),
        Some(n) => Some(vec![nonce_extension(n)?]),
        None => None,
    };
    OcspRequest {
        tbs_request: TbsRequest {
            version: 0,
            requestor_name: None,
            request_list: vec![Request { req_cert: id, single_request_extensions: None }],
            request_extensions,
        },
        optional_signature: None,
    }
    .to_der()
    .map_err(malformed("OCSP request"))
}

/// A fresh random nonce for [`request`].
pub fn random_nonce() -> Result<[u8; 16], CryptoError> {
    let mut n = [0u8; 16];
    crate::rng::fill(&mut n)?;
    Ok(n)
}

/// What the centre's records say of one certificate asked about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertState {
    Good,
    /// `reason` as RFC 5280 names it; `Unspecified` is left out of the answer (as from a CRL entry).
    Revoked {
        at: SystemTime,
        reason: CrlReason,
    },
    /// Not issued by this CA (or not known to it).
    Unknown,
}

/// A request the responder has read: what to look up, and the nonce to echo.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadRequest {
    /// Each certificate asked about, in order, with its serial (big-endian)
    /// when it names this responder's CA — `None` means answer `unknown`.
    pub items: Vec<(CertId, Option<Vec<u8>>)>,
    /// The request's nonce extension, echoed in the response.
    nonce: Option<Extension>,
}

impl ReadRequest {
    /// Whether the client sent a nonce (its answer is then for it alone).
    pub fn has_nonce(&self) -> bool {
        self.nonce.is_some()
    }

    /// The serials to look up (those of this CA).
    pub fn serials(&self) -> impl Iterator<Item = &[u8]> {
        self.items.iter().filter_map(|(_, s)| s.as_deref())
    }
}

/// The centre's responder: the issuing CA it answers for and the delegated
/// responder certificate and key that sign the answers.
pub struct OcspResponder {
    issuer: IssuerKeys,
    certificate: Certificate,
    key: Box<dyn KeyPair>,
}

impl std::fmt::Debug for OcspResponder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OcspResponder")
            .field("certificate", &self.certificate.tbs_certificate().subject().to_string())
            .finish()
    }
}

impl OcspResponder {
    /// `certificate` must be the delegated responder certificate the
    /// issuing CA `issuer` made for `key`.
    pub fn new(issuer: &Certificate, certificate: Certificate, key: Box<dyn KeyPair>) -> Result<Self, CryptoError> {
        let spki =
            certificate.tbs_certificate().subject_public_key_info().to_der().map_err(malformed("certificate"))?;
        if spki != key.public_key_der() {
            return Err(CryptoError::Malformed { what: "responder key (it does not match the certificate)" });
        }
        Ok(OcspResponder { issuer: IssuerKeys::of(issuer)?, certificate, key })
    }

    pub fn certificate(&self) -> &Certificate {
        &self.certificate
    }

    /// When the responder certificate expires.
    pub fn not_after(&self) -> SystemTime {
        UNIX_EPOCH + self.certificate.tbs_certificate().validity().not_after.to_unix_duration()
    }

    /// Reads a request (DER). A request that cannot be read, asks about
    /// nothing or too much, or carries an oversized nonce is `malformedRequest`.
    pub fn read_request(&self, der: &[u8]) -> Result<ReadRequest, ResponseStatus> {
        let req = OcspRequest::from_der(der).map_err(|_| ResponseStatus::MalformedRequest)?;
        let list = req.tbs_request.request_list;
        if list.is_empty() || list.len() > MAX_REQUESTS {
            return Err(ResponseStatus::MalformedRequest);
        }
        let nonce = req.tbs_request.request_extensions.into_iter().flatten().find(|e| e.extn_id == ID_PKIX_OCSP_NONCE);
        if let Some(n) = &nonce {
            let value = OctetString::from_der(n.extn_value.as_bytes()).map_err(|_| ResponseStatus::MalformedRequest)?;
            if value.as_bytes().is_empty() || value.as_bytes().len() > MAX_NONCE {
                return Err(ResponseStatus::MalformedRequest);
            }
        }
        let items = list
            .into_iter()
            .map(|r| {
                let ours = self.issuer.names(&r.req_cert).then(|| r.req_cert.serial_number.as_bytes().to_vec());
                (r.req_cert, ours)
            })
            .collect();
        Ok(ReadRequest { items, nonce })
    }

    /// A signed `successful` response giving `states` (one per item of
    /// `req`, in order), valid from `now` until `next_update`.
    pub fn respond(
        &self,
        req: &ReadRequest,
        states: &[CertState],
        now: SystemTime,
        next_update: SystemTime,
    ) -> Result<Vec<u8>, CryptoError> {
        if states.len() != req.items.len() {
            return Err(CryptoError::Malformed { what: "OCSP answer (one state per certificate asked)" });
        }
        let time = |t: SystemTime| {
            let secs = t.duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
            GeneralizedTime::from_unix_duration(Duration::from_secs(secs)).map_err(malformed("time"))
        };
        let (this_update, next_update) = (time(now)?, time(next_update)?);
        let mut responses = Vec::with_capacity(states.len());
        for ((id, _), state) in req.items.iter().zip(states) {
            let cert_status = match *state {
                CertState::Good => CertStatus::Good(Null),
                CertState::Unknown => CertStatus::Unknown(Null),
                CertState::Revoked { at, reason } => CertStatus::Revoked(RevokedInfo {
                    revocation_time: time(at)?,
                    revocation_reason: (reason != CrlReason::Unspecified).then_some(reason),
                }),
            };
            responses.push(SingleResponse {
                cert_id: id.clone(),
                cert_status,
                this_update,
                next_update: Some(next_update),
                single_extensions: None,
            });
        }
        let data = ResponseData {
            version: 0,
            responder_id: ResponderId::ByName(self.certificate.tbs_certificate().subject().clone()),
            produced_at: this_update,
            responses,
            response_extensions: req.nonce.clone().map(|n| vec![n]),
        };
        let tbs = data.to_der().map_err(malformed("OCSP response"))?;
        let signature = self.key.sign(&tbs)?;
        let basic = BasicOcspResponse {
            tbs_response_data: Any::from_der(&tbs).map_err(malformed("OCSP response"))?,
            signature_algorithm: crate::x509::signature_algorithm(self.key.algorithm()),
            signature: BitString::from_bytes(&signature).map_err(malformed("OCSP response"))?,
            certs: Some(vec![self.certificate.clone()]),
        };
        OcspResponse {
            response_status: ResponseStatus::Successful,
            response_bytes: Some(ResponseBytes {
                response_type: ID_PKIX_OCSP_BASIC,
                response: OctetString::new(basic.to_der().map_err(malformed("OCSP response"))?)
                    .map_err(malformed("OCSP response"))?,
            }),
        }
        .to_der()
        .map_err(malformed("OCSP response"))
    }
}

/// An unsuccessful response (no signature: RFC 6960 §2.3).
pub fn error_response(status: ResponseStatus) -> Vec<u8> {
    // Two fixed bytes plus the status: encoding cannot fail.
    OcspResponse { response_status: status, response_bytes: None }.to_der().unwrap_or_default()
}

/// What a response says of a certificate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OcspStatus {
    Good,
    Revoked { at: SystemTime },
    Unknown,
}

/// What a response says of one certificate, and the time it is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Said {
    pub status: OcspStatus,
    pub this_update: SystemTime,
    /// The answer's nextUpdate (thisUpdate + 1 h when it gives none).
    pub next_update: SystemTime,
}

/// A basic OCSP response kept as revocation evidence, parsed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OcspEvidence {
    /// The bytes as received: an `OCSPResponse`, or a bare `BasicOCSPResponse` from a DSS.
    der: Vec<u8>,
    tbs: Vec<u8>,
    data: ResponseData,
    signature_algorithm: AlgorithmIdentifierOwned,
    signature: Vec<u8>,
    certs: Vec<Certificate>,
}

fn time_of(t: &GeneralizedTime) -> SystemTime {
    UNIX_EPOCH + t.to_unix_duration()
}

impl OcspEvidence {
    /// Reads an `OCSPResponse` (which must be `successful` and basic) or a
    /// `BasicOCSPResponse`. Nothing is trusted yet: see [`status_of`](Self::status_of).
    pub fn from_der(bytes: &[u8]) -> Result<Self, CryptoError> {
        let basic_der = match OcspResponse::from_der(bytes) {
            Ok(resp) => {
                if resp.response_status != ResponseStatus::Successful {
                    return Err(CryptoError::Malformed { what: "OCSP response (not successful)" });
                }
                let body = resp.response_bytes.ok_or(CryptoError::Malformed { what: "OCSP response" })?;
                if body.response_type != ID_PKIX_OCSP_BASIC {
                    return Err(CryptoError::Unsupported);
                }
                body.response.as_bytes().to_vec()
            }
            Err(_) => bytes.to_vec(),
        };
        let basic = BasicOcspResponse::from_der(&basic_der).map_err(malformed("OCSP response"))?;
        let tbs = basic.tbs_response_data.to_der().map_err(malformed("OCSP response"))?;
        let data = ResponseData::from_der(&tbs).map_err(malformed("OCSP response"))?;
        Ok(OcspEvidence {
            der: bytes.to_vec(),
            tbs,
            data,
            signature_algorithm: basic.signature_algorithm,
            signature: basic.signature.as_bytes().ok_or(CryptoError::Malformed { what: "OCSP response" })?.to_vec(),
            certs: basic.certs.unwrap_or_default(),
        })
    }

    /// The bytes as received (what a DSS stores).
    pub fn der(&self) -> &[u8] {
        &self.der
    }

    /// As an `OCSPResponse` (RFC 5940 stores that in CMS): the bytes as
    /// received, or a bare `BasicOCSPResponse` wrapped as a successful answer.
    pub fn response_der(&self) -> Result<Vec<u8>, CryptoError> {
        if OcspResponse::from_der(&self.der).is_ok() {
            return Ok(self.der.clone());
        }
        OcspResponse {
            response_status: ResponseStatus::Successful,
            response_bytes: Some(ResponseBytes {
                response_type: ID_PKIX_OCSP_BASIC,
                response: OctetString::new(self.der.clone()).map_err(malformed("OCSP response"))?,
            }),
        }
        .to_der()
        .map_err(malformed("OCSP response"))
    }

    pub fn produced_at(&self) -> SystemTime {
        time_of(&self.data.produced_at)
    }

    /// The nonce the response echoes, if any.
    pub fn nonce(&self) -> Option<Vec<u8>> {
        let ext = self.data.response_extensions.iter().flatten().find(|e| e.extn_id == ID_PKIX_OCSP_NONCE)?;
        OctetString::from_der(ext.extn_value.as_bytes()).ok().map(|o| o.as_bytes().to_vec())
    }

    /// The latest nextUpdate among its answers: how long it may be cached.
    pub fn next_update(&self) -> Option<SystemTime> {
        self.data.responses.iter().filter_map(|r| r.next_update.as_ref().map(time_of)).max()
    }

    /// What this response says of `cert` (issued by `issuer`), and for
    /// when: `None` unless it speaks of the certificate and is signed by the
    /// issuer itself or by a responder certificate the issuer made for OCSP
    /// signing that was valid when the response was produced. Whether it is
    /// fresh enough is the caller's question.
    pub fn status_of(&self, provider: &dyn Provider, cert: &Certificate, issuer: &Certificate) -> Option<Said> {
        let keys = IssuerKeys::of(issuer).ok()?;
        let serial = cert.tbs_certificate().serial_number();
        let single =
            self.data.responses.iter().find(|r| r.cert_id.serial_number == *serial && keys.names(&r.cert_id))?;
        if !self.signed_for(provider, issuer) {
            return None;
        }
        let this_update = time_of(&single.this_update);
        Some(Said {
            status: match &single.cert_status {
                CertStatus::Good(_) => OcspStatus::Good,
                CertStatus::Revoked(info) => OcspStatus::Revoked { at: time_of(&info.revocation_time) },
                CertStatus::Unknown(_) => OcspStatus::Unknown,
            },
            this_update,
            next_update: single.next_update.as_ref().map_or(this_update + NO_NEXT_UPDATE_FRESHNESS, time_of),
        })
    }

    /// Signed by `issuer`, or by a delegated responder `issuer` certified
    /// (RFC 6960 §4.2.2.2) — a certificate the response merely carries
    /// vouches for nothing by itself.
    fn signed_for(&self, provider: &dyn Provider, issuer: &Certificate) -> bool {
        let verifies = |signer: &Certificate| {
            signer.tbs_certificate().subject_public_key_info().to_der().is_ok_and(|spki| {
                crate::verified::signature(provider, &spki, &self.signature_algorithm, &self.tbs, &self.signature)
            })
        };
        if verifies(issuer) {
            return true;
        }
        let produced = self.produced_at();
        self.certs.iter().any(|responder| {
            let v = responder.tbs_certificate().validity();
            let valid = v.not_before.to_system_time() <= produced && produced <= v.not_after.to_system_time();
            let for_ocsp = responder
                .tbs_certificate()
                .get_extension::<ExtendedKeyUsage>()
                .ok()
                .flatten()
                .is_some_and(|(_, eku)| eku.0.contains(&ID_KP_OCSP_SIGNING));
            valid && for_ocsp && crate::verified::issued_by(provider, responder, issuer) && verifies(responder)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::software::SoftwareProvider;
    use crate::testing::TestPki;
    use crate::x509::CertProfile;
    use crate::{Algorithm, Provider};

    const DAY: Duration = Duration::from_secs(86_400);

    /// The status a response gives, if it is current at `now`.
    fn current(ev: &OcspEvidence, pki: &TestPki, cert: &Certificate, now: SystemTime) -> Option<OcspStatus> {
        let said = ev.status_of(&SoftwareProvider, cert, &pki.issuing.certificate)?;
        (said.this_update <= now && now <= said.next_update).then_some(said.status)
    }

    fn responder(pki: &TestPki) -> OcspResponder {
        let key = SoftwareProvider.generate(Algorithm::EcP256).unwrap();
        let cert = crate::x509::issue(
            &pki.issuing.key,
            Some(pki.issuing.certificate.tbs_certificate().subject()),
            crate::ca::SubjectName { country: "UA".into(), common_name: "OCSP".into(), ..Default::default() }
                .to_name()
                .unwrap(),
            &key.public_key_der(),
            CertProfile::OcspResponder,
            DAY,
        )
        .unwrap();
        OcspResponder::new(&pki.issuing.certificate, cert, key).unwrap()
    }

    #[test]
    fn a_request_round_trips_through_the_responder_and_back() {
        let pki = TestPki::new().unwrap();
        let party = pki.party("Olena", CertProfile::DocumentSigning).unwrap();
        let ocsp = responder(&pki);
        let nonce = random_nonce().unwrap();
        let req = request(&party.certificate, &pki.issuing.certificate, Some(&nonce)).unwrap();
        let read = ocsp.read_request(&req).unwrap();
        assert_eq!(
            read.serials().collect::<Vec<_>>(),
            vec![party.certificate.tbs_certificate().serial_number().as_bytes()]
        );
        let now = SystemTime::now();
        for (state, expected) in [
            (CertState::Good, OcspStatus::Good),
            (CertState::Unknown, OcspStatus::Unknown),
            (
                CertState::Revoked {
                    at: UNIX_EPOCH + Duration::from_secs(1_700_000_000),
                    reason: CrlReason::KeyCompromise,
                },
                OcspStatus::Revoked { at: UNIX_EPOCH + Duration::from_secs(1_700_000_000) },
            ),
        ] {
            let der = ocsp.respond(&read, &[state], now, now + DAY).unwrap();
            let ev = OcspEvidence::from_der(&der).unwrap();
            assert_eq!(ev.nonce().as_deref(), Some(&nonce[..]));
            let status = current(&ev, &pki, &party.certificate, now);
            assert_eq!(status, Some(expected));
            // Stale tomorrow after next: not evidence any more.
            assert_eq!(current(&ev, &pki, &party.certificate, now + 2 * DAY), None);
        }
    }

    #[test]
    fn a_response_signed_by_a_stranger_says_nothing() {
        let pki = TestPki::new().unwrap();
        let other = TestPki::new().unwrap();
        let party = pki.party("Olena", CertProfile::DocumentSigning).unwrap();
        // The other CA's responder answers about our certificate: the CertID
        // matches (it is copied from the request), the signer does not.
        let mut foreign = responder(&other);
        foreign.issuer = IssuerKeys::of(&pki.issuing.certificate).unwrap();
        let req = request(&party.certificate, &pki.issuing.certificate, None).unwrap();
        let read = foreign.read_request(&req).unwrap();
        let now = SystemTime::now();
        let der = foreign.respond(&read, &[CertState::Good], now, now + DAY).unwrap();
        let ev = OcspEvidence::from_der(&der).unwrap();
        assert_eq!(current(&ev, &pki, &party.certificate, now), None);
    }

    #[test]
    fn an_altered_response_says_nothing() {
        let pki = TestPki::new().unwrap();
        let party = pki.party("Olena", CertProfile::DocumentSigning).unwrap();
        let ocsp = responder(&pki);
        let read = ocsp.read_request(&request(&party.certificate, &pki.issuing.certificate, None).unwrap()).unwrap();
        let now = SystemTime::now();
        let der = ocsp
            .respond(&read, &[CertState::Revoked { at: now, reason: CrlReason::Unspecified }], now, now + DAY)
            .unwrap();
        // Turn "revoked" into "good" by hand is a different length; flip a bit of the time instead.
        let ev = OcspEvidence::from_der(&der).unwrap();
        let mut tampered = ev.clone();
        let last = tampered.tbs.len() - 1;
        tampered.tbs[last] ^= 1;
        assert_eq!(current(&tampered, &pki, &party.certificate, now), None);
        assert!(current(&ev, &pki, &party.certificate, now).is_some());
    }

    #[test]
    fn requests_for_other_issuers_are_unknown_and_bad_requests_malformed() {
        let pki = TestPki::new().unwrap();
        let other = TestPki::new().unwrap();
        let stranger = other.party("Stranger", CertProfile::DocumentSigning).unwrap();
        let ocsp = responder(&pki);
        let read =
            ocsp.read_request(&request(&stranger.certificate, &other.issuing.certificate, None).unwrap()).unwrap();
        assert_eq!(read.serials().count(), 0);
        assert_eq!(ocsp.read_request(b"not DER"), Err(ResponseStatus::MalformedRequest));
        assert_eq!(ocsp.read_request(&[]), Err(ResponseStatus::MalformedRequest));
        let empty = OcspRequest {
            tbs_request: TbsRequest {
                version: 0,
                requestor_name: None,
                request_list: vec![],
                request_extensions: None,
            },
            optional_signature: None,
        };
        assert_eq!(ocsp.read_request(&empty.to_der().unwrap()), Err(ResponseStatus::MalformedRequest));
        assert!(request(&stranger.certificate, &other.issuing.certificate, Some(&[0u8; 33])).is_err());
        assert_eq!(
            OcspResponse::from_der(&error_response(ResponseStatus::TryLater)).unwrap().response_status,
            ResponseStatus::TryLater
        );
    }

    proptest::proptest! {
        #[test]
        fn the_responder_never_panics_on_hostile_requests(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300)) {
            static PKI: std::sync::LazyLock<TestPki> = std::sync::LazyLock::new(|| TestPki::new().unwrap());
            let ocsp = responder(&PKI);
            let _ = ocsp.read_request(&bytes);
            let _ = OcspEvidence::from_der(&bytes);
        }
    }
}
