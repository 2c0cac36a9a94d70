//! X.509 for the certification centre: verifying a PKCS#10 request's proof
//! of possession, and issuing certificates whose extensions the CA decides by
//! profile — nothing but the subject name and the public key is taken from a
//! request (SPEC §5: never copy key usage or basic constraints from a CSR).
//!
//! Signing goes through [`KeyPair`], so a CA key in a token signs the same way.
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc5912::{ECDSA_WITH_SHA_256, ECDSA_WITH_SHA_384};
use der::asn1::{BitString, OctetString};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned, SubjectPublicKeyInfoRef};
use x509_cert::builder::profile::BuilderProfile;
use x509_cert::builder::{Builder, CertificateBuilder};
use x509_cert::certificate::{Certificate, TbsCertificate};
use x509_cert::ext::pkix::crl::dp::DistributionPoint;
use x509_cert::ext::pkix::name::{DistributionPointName, GeneralName};
use x509_cert::ext::pkix::{
    AuthorityKeyIdentifier, BasicConstraints, CrlDistributionPoints, ExtendedKeyUsage, KeyUsage, KeyUsages,
    SubjectKeyIdentifier,
};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::Name;
use x509_cert::request::CertReq;
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::{Time, Validity};

use crate::digest::DigestAlg;
use crate::policy::SHA1_RULE;
use crate::{Algorithm, CryptoError, KeyPair, Provider};

/// What a certificate is for; the CA derives every extension from this.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CertProfile {
    RootCa,
    IssuingCa,
    /// Qualified signature on the ID card (SPEC §2.2): 2 years, nonRepudiation, QCStatements.
    QesIdCard,
    /// A signing key on an electronic pension card (SPEC §2.4 §IV): ≤ 3 years.
    CardKey,
    /// An agency's encryption (key agreement) certificate.
    AgencyEncryption,
    /// The hub's or an agency's document-signing certificate.
    DocumentSigning,
    /// The time-stamping unit.
    TimeStamping,
    /// The centre's delegated OCSP responder (RFC 6960 §4.2.2.2): short-lived,
    /// id-kp-OCSPSigning, and id-pkix-ocsp-nocheck so clients need not ask
    /// about the responder itself.
    OcspResponder,
}

impl CertProfile {
    /// The longest validity this profile allows.
    pub fn max_validity(self) -> Duration {
        const DAY: u64 = 86_400;
        Duration::from_secs(match self {
            CertProfile::RootCa => 20 * 365 * DAY,
            CertProfile::IssuingCa => 10 * 365 * DAY,
            CertProfile::QesIdCard => 2 * 365 * DAY,
            CertProfile::CardKey => 3 * 365 * DAY,
            CertProfile::AgencyEncryption | CertProfile::DocumentSigning | CertProfile::TimeStamping => 3 * 365 * DAY,
            // Renewed by the responder itself: a stolen key is good for days at most.
            CertProfile::OcspResponder => 7 * DAY,
        })
    }
}

/// id-pe-qcStatements and the two ETSI EN 319 412-5 statements we assert.
const ID_PE_QC_STATEMENTS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.3");
const QC_COMPLIANCE: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.1");
const QC_SSCD: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1862.1.4");
const ID_KP_TIME_STAMPING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");
const ID_KP_EMAIL_PROTECTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.4");
/// A delegated OCSP responder's extended key usage and its "do not ask about me" extension (RFC 6960 §4.2.2.2).
pub const ID_KP_OCSP_SIGNING: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.9");
pub const ID_PKIX_OCSP_NOCHECK: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1.5");
/// id-pe-authorityInfoAccess and its OCSP access method (RFC 5280 §4.2.2.1).
pub const ID_PE_AUTHORITY_INFO_ACCESS: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.1.1");
pub const ID_AD_OCSP: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.48.1");

fn der_err(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "certificate" }
}

fn builder_err(_: x509_cert::builder::Error) -> CryptoError {
    CryptoError::Malformed { what: "certificate" }
}

/// DER of `QCStatements ::= SEQUENCE OF SEQUENCE { statementId OID }`.
fn qc_statements() -> Result<Vec<u8>, CryptoError> {
    let mut inner = Vec::new();
    for oid in [QC_COMPLIANCE, QC_SSCD] {
        let oid_der = oid.to_der().map_err(der_err)?;
        inner.push(0x30);
        inner.push(oid_der.len() as u8);
        inner.extend_from_slice(&oid_der);
    }
    let mut out = vec![0x30, inner.len() as u8];
    out.extend_from_slice(&inner);
    Ok(out)
}

/// The builder profile: names and the extensions for a [`CertProfile`].
struct Issue {
    subject: Name,
    issuer: Name,
    profile: CertProfile,
    crl_url: Option<String>,
    ocsp_url: Option<String>,
}

impl BuilderProfile for Issue {
    fn get_issuer(&self, _subject: &Name) -> Name {
        self.issuer.clone()
    }

    fn get_subject(&self) -> Name {
        self.subject.clone()
    }

    fn build_extensions(
        &self,
        spk: SubjectPublicKeyInfoRef<'_>,
        issuer_spk: SubjectPublicKeyInfoRef<'_>,
        tbs: &TbsCertificate,
    ) -> x509_cert::builder::Result<Vec<Extension>> {
        let subject = tbs.subject();
        let mut ext: Vec<Extension> = Vec::new();
        let ski = SubjectKeyIdentifier::try_from(spk)?;
        let aki = SubjectKeyIdentifier::try_from(issuer_spk)?;
        ext.push(
            AuthorityKeyIdentifier { key_identifier: Some(aki.0.clone()), ..Default::default() }
                .to_extension(subject, &ext)?,
        );
        ext.push(ski.to_extension(subject, &ext)?);
        let (ca, path_len) = match self.profile {
            CertProfile::RootCa => (true, None),
            CertProfile::IssuingCa => (true, Some(0)),
            _ => (false, None),
        };
        ext.push(BasicConstraints { ca, path_len_constraint: path_len }.to_extension(subject, &ext)?);
        let usage = match self.profile {
            CertProfile::RootCa | CertProfile::IssuingCa => KeyUsages::KeyCertSign | KeyUsages::CRLSign,
            CertProfile::QesIdCard | CertProfile::DocumentSigning => {
                KeyUsages::DigitalSignature | KeyUsages::NonRepudiation
            }
            CertProfile::CardKey => KeyUsages::DigitalSignature | KeyUsages::NonRepudiation,
            CertProfile::AgencyEncryption => KeyUsages::KeyAgreement.into(),
            CertProfile::TimeStamping | CertProfile::OcspResponder => KeyUsages::DigitalSignature.into(),
        };
        ext.push(KeyUsage(usage).to_extension(subject, &ext)?);
        match self.profile {
            CertProfile::TimeStamping => {
                // RFC 3161 §2.3: the only EKU, and critical.
                let mut e = ExtendedKeyUsage(vec![ID_KP_TIME_STAMPING]).to_extension(subject, &ext)?;
                e.critical = true;
                ext.push(e);
            }
            CertProfile::QesIdCard | CertProfile::CardKey => {
                ext.push(ExtendedKeyUsage(vec![ID_KP_EMAIL_PROTECTION]).to_extension(subject, &ext)?);
            }
            CertProfile::OcspResponder => {
                ext.push(ExtendedKeyUsage(vec![ID_KP_OCSP_SIGNING]).to_extension(subject, &ext)?);
                ext.push(Extension {
                    extn_id: ID_PKIX_OCSP_NOCHECK,
                    critical: false,
                    extn_value: OctetString::new(der::asn1::Null.to_der()?)?,
                });
            }
            _ => {}
        }
        // Where relying parties ask for the certificate's status: the
        // issuer's CRL and its OCSP responder (end entities only: the root
        // publishes no CRL of its own, and nobody asks about the responder).
        let end_entity =
            !matches!(self.profile, CertProfile::RootCa | CertProfile::IssuingCa | CertProfile::OcspResponder);
        if let (Some(url), true) = (&self.ocsp_url, end_entity) {
            ext.push(Extension {
                extn_id: ID_PE_AUTHORITY_INFO_ACCESS,
                critical: false,
                extn_value: OctetString::new(ocsp_access(url)?)?,
            });
        }
        // The issuing CA names where the root's revocation list is.
        if let (Some(url), true) = (&self.crl_url, end_entity || self.profile == CertProfile::IssuingCa) {
            let uri = der::asn1::Ia5String::new(url)?;
            let dp = DistributionPoint {
                distribution_point: Some(DistributionPointName::FullName(vec![
                    GeneralName::UniformResourceIdentifier(uri),
                ])),
                reasons: None,
                crl_issuer: None,
            };
            ext.push(CrlDistributionPoints(vec![dp]).to_extension(subject, &ext)?);
        }
        if self.profile == CertProfile::QesIdCard {
            let value = qc_statements().map_err(|_| x509_cert::builder::Error::Asn1(der::ErrorKind::Failed.into()))?;
            ext.push(Extension { extn_id: ID_PE_QC_STATEMENTS, critical: false, extn_value: OctetString::new(value)? });
        }
        Ok(ext)
    }
}

/// DER of `AuthorityInfoAccessSyntax` with one OCSP access description.
fn ocsp_access(url: &str) -> der::Result<Vec<u8>> {
    let ad = x509_cert::ext::pkix::AccessDescription {
        access_method: ID_AD_OCSP,
        access_location: GeneralName::UniformResourceIdentifier(der::asn1::Ia5String::new(url)?),
    };
    x509_cert::ext::pkix::AuthorityInfoAccessSyntax(vec![ad]).to_der()
}

/// The OCSP responder URLs a certificate's authorityInfoAccess names.
pub fn ocsp_urls(cert: &Certificate) -> Vec<String> {
    let Some(exts) = cert.tbs_certificate().extensions() else { return Vec::new() };
    exts.iter()
        .filter(|e| e.extn_id == ID_PE_AUTHORITY_INFO_ACCESS)
        .filter_map(|e| x509_cert::ext::pkix::AuthorityInfoAccessSyntax::from_der(e.extn_value.as_bytes()).ok())
        .flat_map(|aia| aia.0)
        .filter(|ad| ad.access_method == ID_AD_OCSP)
        .filter_map(|ad| match ad.access_location {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// The CRL URLs a certificate's CRL distribution points name.
pub fn crl_urls(cert: &Certificate) -> Vec<String> {
    let Ok(Some((_, dps))) = cert.tbs_certificate().get_extension::<CrlDistributionPoints>() else {
        return Vec::new();
    };
    dps.0
        .into_iter()
        .filter_map(|dp| match dp.distribution_point {
            Some(DistributionPointName::FullName(names)) => Some(names),
            _ => None,
        })
        .flatten()
        .filter_map(|n| match n {
            GeneralName::UniformResourceIdentifier(uri) => Some(uri.as_str().to_owned()),
            _ => None,
        })
        .collect()
}

/// Presents a [`KeyPair`] to the x509-cert builder.
struct KeySigner<'a>(&'a dyn KeyPair);

#[derive(Clone)]
struct SpkiDer(Vec<u8>);

impl spki::EncodePublicKey for SpkiDer {
    fn to_public_key_der(&self) -> spki::Result<der::Document> {
        Ok(der::Document::try_from(self.0.as_slice())?)
    }
}

impl signature::Keypair for KeySigner<'_> {
    type VerifyingKey = SpkiDer;
    fn verifying_key(&self) -> SpkiDer {
        SpkiDer(self.0.public_key_der())
    }
}

pub(crate) fn signature_algorithm(alg: Algorithm) -> AlgorithmIdentifierOwned {
    let oid = match alg {
        Algorithm::EcP256 => ECDSA_WITH_SHA_256,
        Algorithm::EcP384 => ECDSA_WITH_SHA_384,
    };
    AlgorithmIdentifierOwned { oid, parameters: None }
}

impl spki::DynSignatureAlgorithmIdentifier for KeySigner<'_> {
    fn signature_algorithm_identifier(&self) -> spki::Result<AlgorithmIdentifierOwned> {
        Ok(signature_algorithm(self.0.algorithm()))
    }
}

/// Issues a certificate. `issuer` is `None` for a self-signed root.
pub fn issue(
    issuer_key: &dyn KeyPair,
    issuer: Option<&Name>,
    subject: Name,
    subject_public_key_der: &[u8],
    profile: CertProfile,
    validity: Duration,
) -> Result<Certificate, CryptoError> {
    issue_with(issuer_key, issuer, subject, subject_public_key_der, profile, validity, &IssueOptions::default())
}

/// What the certification centre may fix besides the profile; defaults: a
/// random serial, valid from now, no CRL distribution point.
#[derive(Debug, Clone, Default)]
pub struct IssueOptions<'a> {
    /// A positive serial number of at most 20 bytes (big-endian).
    pub serial: Option<&'a [u8]>,
    pub not_before: Option<SystemTime>,
    /// URL of the issuer's CRL, written as the CRL distribution point.
    pub crl_url: Option<&'a str>,
    /// URL of the issuer's OCSP responder, written in authorityInfoAccess.
    pub ocsp_url: Option<&'a str>,
}

/// 16 random bytes, positive and without a leading zero byte.
pub fn random_serial() -> Result<[u8; 16], CryptoError> {
    let mut serial = [0u8; 16];
    crate::rng::fill(&mut serial)?;
    serial[0] &= 0x7f; // positive
    serial[0] |= 0x01; // and without a leading zero byte
    Ok(serial)
}

/// As [`issue`], with the serial, start and CRL distribution point chosen by the caller.
pub fn issue_with(
    issuer_key: &dyn KeyPair,
    issuer: Option<&Name>,
    subject: Name,
    subject_public_key_der: &[u8],
    profile: CertProfile,
    validity: Duration,
    options: &IssueOptions<'_>,
) -> Result<Certificate, CryptoError> {
    if validity > profile.max_validity() {
        return Err(CryptoError::Malformed { what: "validity beyond the profile's maximum" });
    }
    let spki = SubjectPublicKeyInfoOwned::from_der(subject_public_key_der).map_err(der_err)?;
    let issuer = issuer.cloned().unwrap_or_else(|| subject.clone());
    let serial = match options.serial {
        Some(s) if s.iter().any(|b| *b != 0) && s.first().is_some_and(|b| b & 0x80 == 0) => s.to_vec(),
        Some(_) => return Err(CryptoError::Malformed { what: "serial number" }),
        None => random_serial()?.to_vec(),
    };
    let serial = SerialNumber::new(&serial).map_err(|_| CryptoError::Malformed { what: "serial number" })?;
    let not_before = options.not_before.unwrap_or_else(SystemTime::now);
    let not_after = not_before.checked_add(validity).ok_or(CryptoError::Malformed { what: "validity" })?;
    let validity =
        Validity::new(Time::try_from(not_before).map_err(der_err)?, Time::try_from(not_after).map_err(der_err)?);
    let (crl_url, ocsp_url) = (options.crl_url.map(str::to_owned), options.ocsp_url.map(str::to_owned));
    let mut builder =
        CertificateBuilder::new(Issue { subject, issuer, profile, crl_url, ocsp_url }, serial, validity, spki)
            .map_err(builder_err)?;
    let signer = KeySigner(issuer_key);
    let tbs = builder.finalize(&signer).map_err(builder_err)?;
    let signature = issuer_key.sign(&tbs)?;
    builder.assemble(BitString::from_bytes(&signature).map_err(der_err)?, &signer).map_err(builder_err)
}

/// A PKCS#10 request whose signature verified with its own public key.
#[derive(Debug, Clone)]
pub struct VerifiedRequest {
    pub subject: Name,
    pub public_key_der: Vec<u8>,
}

const ECDSA_WITH_SHA_1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.4.1");
const SHA_1_WITH_RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.5");

/// Parses a CSR (DER or PEM) and checks its proof of possession.
pub fn verify_request(provider: &dyn Provider, input: &[u8]) -> Result<VerifiedRequest, CryptoError> {
    let der = if input.starts_with(b"-----BEGIN") {
        let (label, der) = der::pem::decode_vec(input).map_err(|_| CryptoError::Malformed { what: "PEM" })?;
        if label != "CERTIFICATE REQUEST" && label != "NEW CERTIFICATE REQUEST" {
            return Err(CryptoError::Malformed { what: "certificate request" });
        }
        der
    } else {
        input.to_vec()
    };
    let req = CertReq::from_der(&der).map_err(|_| CryptoError::Malformed { what: "certificate request" })?;
    // The request is checked with the digest it names (`openssl req` signs a
    // P-384 key's request with SHA-256 by default), not the curve's own.
    let digest = match DigestAlg::from_ecdsa_oid(&req.algorithm.oid) {
        Some(d) => d,
        None if [ECDSA_WITH_SHA_1, SHA_1_WITH_RSA_ENCRYPTION].contains(&req.algorithm.oid) => {
            return Err(CryptoError::WeakAlgorithm { rule: SHA1_RULE });
        }
        None => return Err(CryptoError::Unsupported),
    };
    let info = req.info.to_der().map_err(|_| CryptoError::Malformed { what: "certificate request" })?;
    let public_key_der =
        req.info.public_key.to_der().map_err(|_| CryptoError::Malformed { what: "certificate request" })?;
    let signature = req.signature.as_bytes().ok_or(CryptoError::BadSignature)?;
    provider.verify_prehash(&public_key_der, &digest.hash(&info), signature)?;
    Ok(VerifiedRequest { subject: req.info.subject, public_key_der })
}

pub fn to_pem(cert: &Certificate) -> Result<String, CryptoError> {
    use der::EncodePem;
    cert.to_pem(der::pem::LineEnding::LF).map_err(der_err)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::software::SoftwareProvider;
    use proptest::prelude::*;

    #[test]
    fn qc_statements_are_well_formed_der() {
        let der = qc_statements().unwrap();
        // SEQUENCE { SEQUENCE { OID }, SEQUENCE { OID } }
        assert_eq!(der[0], 0x30);
        assert_eq!(der[1] as usize, der.len() - 2);
    }

    proptest! {
        #[test]
        fn requests_from_random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let _ = verify_request(&SoftwareProvider, &bytes);
            let mut pem = b"-----BEGIN CERTIFICATE REQUEST-----\n".to_vec();
            pem.extend_from_slice(&bytes);
            let _ = verify_request(&SoftwareProvider, &pem);
        }

        #[test]
        fn damaged_certificate_der_never_panics_the_parser(pos in 0usize..200, bit in 0u8..8) {
            use std::str::FromStr;
            let key = crate::software::SoftwareKey::generate(Algorithm::EcP256).unwrap();
            let name = Name::from_str("CN=x").unwrap();
            // A self-issued certificate stands in for signed DER we can damage.
            let cert = issue(&key, None, name, &key.public_key_der(), CertProfile::DocumentSigning, Duration::from_secs(86_400)).unwrap();
            let mut der = cert.to_der().unwrap();
            let i = pos % der.len();
            der[i] ^= 1 << bit;
            let _ = Certificate::from_der(&der);
        }
    }
}
