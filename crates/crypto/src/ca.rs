//! The certification centre: a root CA and an issuing CA beneath it.
//!
//! ```text
//! root (self-signed, P-384, 20 years, keyCertSign|cRLSign)
//!   └─ issuing CA (P-256, 10 years, pathLen 0)
//!        ├─ end entities: QES on the ID card, card keys, agency encryption,
//!        │  document signing, time-stamping — extensions decided by profile
//!        └─ the CRL (RFC 5280 v2, CRLNumber + AuthorityKeyIdentifier,
//!           a reasonCode per entry)
//! ```
//!
//! Requests are accepted only with a valid proof of possession
//! ([`x509::verify_request`]); from a request the centre takes the public key
//! and, unless the caller names the subject, the subject name — never an
//! extension. Every signature goes through [`KeyPair`], so the CA keys may
//! live in a token. The root key is needed only to create the issuing CA; a
//! centre opened for daily work holds the issuing key alone.
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use const_oid::ObjectIdentifier;
use const_oid::db::rfc4519::{COMMON_NAME, COUNTRY_NAME, GIVEN_NAME, ORGANIZATION_NAME, SERIAL_NUMBER, SN};
use der::asn1::{Any, BitString};
use der::referenced::OwnedToRef;
use der::{Decode, Encode, Tag};
use x509_cert::attr::AttributeTypeAndValue;
pub use x509_cert::certificate::Certificate;
use x509_cert::certificate::Version;
use x509_cert::crl::{CertificateList, RevokedCert, TbsCertList};
use x509_cert::ext::pkix::{AuthorityKeyIdentifier, CrlNumber, CrlReason, SubjectKeyIdentifier};
use x509_cert::ext::{Extension, ToExtension};
use x509_cert::name::{Name, RdnSequence, RelativeDistinguishedName};
use x509_cert::serial_number::SerialNumber;
use x509_cert::time::Time;

use crate::x509::{self, CertProfile, IssueOptions};
use crate::{Algorithm, CryptoError, KeyPair, Provider};

const ORGANIZATIONAL_UNIT_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.5.4.11");

/// Why a certificate is revoked: RFC 5280 §5.3.1 `CRLReason` (without the
/// delta-CRL and attribute-authority values the centre never uses).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RevocationReason {
    Unspecified,
    KeyCompromise,
    CaCompromise,
    AffiliationChanged,
    Superseded,
    CessationOfOperation,
    CertificateHold,
    PrivilegeWithdrawn,
}

impl RevocationReason {
    pub const ALL: [RevocationReason; 8] = [
        RevocationReason::Unspecified,
        RevocationReason::KeyCompromise,
        RevocationReason::CaCompromise,
        RevocationReason::AffiliationChanged,
        RevocationReason::Superseded,
        RevocationReason::CessationOfOperation,
        RevocationReason::CertificateHold,
        RevocationReason::PrivilegeWithdrawn,
    ];

    /// Stable name (`key-compromise`), as stored and as the CLI and API take it.
    pub fn as_str(self) -> &'static str {
        match self {
            RevocationReason::Unspecified => "unspecified",
            RevocationReason::KeyCompromise => "key-compromise",
            RevocationReason::CaCompromise => "ca-compromise",
            RevocationReason::AffiliationChanged => "affiliation-changed",
            RevocationReason::Superseded => "superseded",
            RevocationReason::CessationOfOperation => "cessation-of-operation",
            RevocationReason::CertificateHold => "certificate-hold",
            RevocationReason::PrivilegeWithdrawn => "privilege-withdrawn",
        }
    }

    /// Accepts the stable name, also with underscores or in RFC 5280's
    /// camelCase (`keyCompromise`).
    pub fn parse(s: &str) -> Option<RevocationReason> {
        let norm: String = s.trim().chars().filter(|c| *c != '-' && *c != '_').collect::<String>().to_lowercase();
        Self::ALL.into_iter().find(|r| r.as_str().replace('-', "") == norm)
    }

    /// The RFC 5280 code.
    pub fn code(self) -> u8 {
        self.crl_reason() as u8
    }

    /// The RFC 5280 `CRLReason` (as CRL entries and OCSP answers carry it).
    pub fn crl_reason(self) -> CrlReason {
        match self {
            RevocationReason::Unspecified => CrlReason::Unspecified,
            RevocationReason::KeyCompromise => CrlReason::KeyCompromise,
            RevocationReason::CaCompromise => CrlReason::CaCompromise,
            RevocationReason::AffiliationChanged => CrlReason::AffiliationChanged,
            RevocationReason::Superseded => CrlReason::Superseded,
            RevocationReason::CessationOfOperation => CrlReason::CessationOfOperation,
            RevocationReason::CertificateHold => CrlReason::CertificateHold,
            RevocationReason::PrivilegeWithdrawn => CrlReason::PrivilegeWithdrawn,
        }
    }
}

/// One revoked certificate, as the CRL lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Revoked {
    /// The serial number, big-endian.
    pub serial: Vec<u8>,
    pub at: SystemTime,
    pub reason: RevocationReason,
}

/// A subject distinguished name the centre composes from registry data
/// (ETSI EN 319 412-2/-3 attributes); built attribute by attribute, so names
/// with commas, quotes or Cyrillic need no escaping.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SubjectName {
    /// Two-letter country code (PrintableString).
    pub country: String,
    pub organization: Option<String>,
    pub organizational_unit: Option<String>,
    pub surname: Option<String>,
    pub given_name: Option<String>,
    /// Semantic identifier, e.g. `TINUA-1759013776` (PrintableString).
    pub serial_number: Option<String>,
    pub common_name: String,
}

impl SubjectName {
    pub fn to_name(&self) -> Result<Name, CryptoError> {
        let bad = |_| CryptoError::Malformed { what: "subject name" };
        let mut attrs: Vec<(ObjectIdentifier, Tag, &str)> = vec![(COUNTRY_NAME, Tag::PrintableString, &self.country)];
        if let Some(o) = &self.organization {
            attrs.push((ORGANIZATION_NAME, Tag::Utf8String, o));
        }
        if let Some(ou) = &self.organizational_unit {
            attrs.push((ORGANIZATIONAL_UNIT_NAME, Tag::Utf8String, ou));
        }
        if let Some(sn) = &self.surname {
            attrs.push((SN, Tag::Utf8String, sn));
        }
        if let Some(g) = &self.given_name {
            attrs.push((GIVEN_NAME, Tag::Utf8String, g));
        }
        if let Some(s) = &self.serial_number {
            attrs.push((SERIAL_NUMBER, Tag::PrintableString, s));
        }
        attrs.push((COMMON_NAME, Tag::Utf8String, &self.common_name));
        let mut seq = RdnSequence::default();
        for (oid, tag, value) in attrs {
            if value.trim().is_empty() || value.len() > 64 * 4 {
                return Err(CryptoError::Malformed { what: "subject name" });
            }
            let value = match tag {
                Tag::PrintableString => Any::from(der::asn1::PrintableStringRef::new(value).map_err(bad)?),
                _ => Any::from(der::asn1::Utf8StringRef::new(value).map_err(bad)?),
            };
            let atv = AttributeTypeAndValue { oid, value };
            seq.push(RelativeDistinguishedName::try_from(vec![atv]).map_err(bad)?);
        }
        Name::from_der(&seq.to_der().map_err(bad)?).map_err(bad)
    }
}

/// The centre: root certificate (its key only while creating the centre),
/// issuing certificate and key, the provider that checks requests, and the
/// URL relying parties fetch the CRL from.
pub struct CertificationCentre {
    provider: Arc<dyn Provider>,
    root: Certificate,
    root_key: Option<Box<dyn KeyPair>>,
    issuing: Certificate,
    issuing_key: Box<dyn KeyPair>,
    crl_url: Option<String>,
    ocsp_url: Option<String>,
}

/// Shows names only — never key material.
impl std::fmt::Debug for CertificationCentre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CertificationCentre")
            .field("root", &self.root.tbs_certificate().subject().to_string())
            .field("issuing", &self.issuing.tbs_certificate().subject().to_string())
            .field("crl_url", &self.crl_url)
            .field("ocsp_url", &self.ocsp_url)
            .finish()
    }
}

const YEAR: u64 = 365 * 86_400;

impl CertificationCentre {
    /// The root's curve; the issuing CA and end entities use P-256.
    pub const ROOT_ALGORITHM: Algorithm = Algorithm::EcP384;
    pub const ISSUING_ALGORITHM: Algorithm = Algorithm::EcP256;
    pub const ROOT_VALIDITY: Duration = Duration::from_secs(20 * YEAR);
    pub const ISSUING_VALIDITY: Duration = Duration::from_secs(10 * YEAR);

    /// Creates a new centre with keys generated by `provider`.
    pub fn init(provider: Arc<dyn Provider>, root_name: Name, issuing_name: Name) -> Result<Self, CryptoError> {
        let root_key = provider.generate(Self::ROOT_ALGORITHM)?;
        let issuing_key = provider.generate(Self::ISSUING_ALGORITHM)?;
        Self::create(provider, root_key, issuing_key, root_name, issuing_name)
    }

    /// Creates a new centre from fresh keys (e.g. generated where they will be
    /// kept): a self-signed root, and an issuing CA certified by it.
    pub fn create(
        provider: Arc<dyn Provider>,
        root_key: Box<dyn KeyPair>,
        issuing_key: Box<dyn KeyPair>,
        root_name: Name,
        issuing_name: Name,
    ) -> Result<Self, CryptoError> {
        Self::create_with_arl(provider, root_key, issuing_key, root_name, issuing_name, None)
    }

    /// As [`create`](Self::create); the issuing CA's certificate names
    /// `arl_url` as its CRL distribution point, where the root's revocation
    /// list ([`authority_revocation_list`](Self::authority_revocation_list)) is published — what
    /// long-term validators need to know the issuing CA was not revoked.
    pub fn create_with_arl(
        provider: Arc<dyn Provider>,
        root_key: Box<dyn KeyPair>,
        issuing_key: Box<dyn KeyPair>,
        root_name: Name,
        issuing_name: Name,
        arl_url: Option<&str>,
    ) -> Result<Self, CryptoError> {
        let root = x509::issue(
            root_key.as_ref(),
            None,
            root_name.clone(),
            &root_key.public_key_der(),
            CertProfile::RootCa,
            Self::ROOT_VALIDITY,
        )?;
        let issuing = x509::issue_with(
            root_key.as_ref(),
            Some(&root_name),
            issuing_name,
            &issuing_key.public_key_der(),
            CertProfile::IssuingCa,
            Self::ISSUING_VALIDITY,
            &IssueOptions { crl_url: arl_url, ..IssueOptions::default() },
        )?;
        Ok(CertificationCentre {
            provider,
            root,
            root_key: Some(root_key),
            issuing,
            issuing_key,
            crl_url: None,
            ocsp_url: None,
        })
    }

    /// The root's authority revocation list (RFC 5280 v2 CRL over CA
    /// certificates: the issuing CA is listed only if revoked), signed with
    /// `root_key` — which lives offline, so the list is made at a key
    /// ceremony and valid long (a year). Long-term validators (EN 319 102-1
    /// §5.6.2.1, pyHanko) need the issuing CA's status as much as the signer's.
    pub fn authority_revocation_list(
        root_key: &dyn KeyPair,
        root: &Certificate,
        revoked: &[Revoked],
        this_update: SystemTime,
        next_update: SystemTime,
        number: u64,
    ) -> Result<Vec<u8>, CryptoError> {
        sign_crl(root_key, root, revoked, this_update, next_update, number)
    }

    /// A new certificate for the issuing CA's key — same subject, same key,
    /// same end of validity — naming `arl_url` as its CRL distribution point.
    /// Centres created before the root's revocation list existed lack that
    /// pointer, which long-term validators (pyHanko's LTA profile) need;
    /// everything the issuing CA certified chains to the new certificate as
    /// to the old (the issuer's name and key are the same). Signed at a key
    /// ceremony with the offline `root_key`.
    pub fn recertify_issuing(
        root_key: &dyn KeyPair,
        root: &Certificate,
        issuing: &Certificate,
        arl_url: &str,
    ) -> Result<Certificate, CryptoError> {
        let root_spki = root
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|_| CryptoError::Malformed { what: "root certificate" })?;
        if root_key.public_key_der() != root_spki {
            return Err(CryptoError::Malformed { what: "root key (it does not match the root certificate)" });
        }
        if issuing.tbs_certificate().issuer() != root.tbs_certificate().subject() {
            return Err(CryptoError::Malformed { what: "issuing certificate (not issued by the root)" });
        }
        let (_, not_after) = validity(issuing);
        let now = SystemTime::now();
        let remaining = not_after
            .duration_since(now)
            .map_err(|_| CryptoError::Malformed { what: "issuing certificate (expired)" })?;
        let spki = issuing
            .tbs_certificate()
            .subject_public_key_info()
            .to_der()
            .map_err(|_| CryptoError::Malformed { what: "issuing certificate" })?;
        x509::issue_with(
            root_key,
            Some(root.tbs_certificate().subject()),
            issuing.tbs_certificate().subject().clone(),
            &spki,
            CertProfile::IssuingCa,
            remaining,
            &IssueOptions { crl_url: Some(arl_url), not_before: Some(now), ..IssueOptions::default() },
        )
    }

    /// Opens an existing centre for daily work: checks that the root signed
    /// the issuing certificate and that `issuing_key` is its key.
    pub fn open(
        provider: Arc<dyn Provider>,
        root: Certificate,
        issuing: Certificate,
        issuing_key: Box<dyn KeyPair>,
    ) -> Result<Self, CryptoError> {
        let spki_der = |c: &Certificate| c.tbs_certificate().subject_public_key_info().to_der();
        let root_spki = spki_der(&root).map_err(|_| CryptoError::Malformed { what: "root certificate" })?;
        let issuing_spki = spki_der(&issuing).map_err(|_| CryptoError::Malformed { what: "issuing certificate" })?;
        if issuing_key.public_key_der() != issuing_spki {
            return Err(CryptoError::Malformed { what: "issuing key (it does not match the issuing certificate)" });
        }
        let tbs =
            issuing.tbs_certificate().to_der().map_err(|_| CryptoError::Malformed { what: "issuing certificate" })?;
        let sig = issuing.signature().as_bytes().ok_or(CryptoError::BadSignature)?;
        provider.verify(&root_spki, &tbs, sig)?;
        if issuing.tbs_certificate().issuer() != root.tbs_certificate().subject() {
            return Err(CryptoError::Malformed { what: "issuing certificate (not issued by the root)" });
        }
        Ok(CertificationCentre { provider, root, root_key: None, issuing, issuing_key, crl_url: None, ocsp_url: None })
    }

    /// Writes `url` as the CRL distribution point of every end-entity
    /// certificate issued from now on.
    pub fn with_crl_url(mut self, url: Option<String>) -> Self {
        self.crl_url = url.filter(|u| !u.trim().is_empty());
        self
    }

    pub fn crl_url(&self) -> Option<&str> {
        self.crl_url.as_deref()
    }

    /// Writes `url` as the OCSP responder (authorityInfoAccess) of every
    /// end-entity certificate issued from now on.
    pub fn with_ocsp_url(mut self, url: Option<String>) -> Self {
        self.ocsp_url = url.filter(|u| !u.trim().is_empty());
        self
    }

    pub fn ocsp_url(&self) -> Option<&str> {
        self.ocsp_url.as_deref()
    }

    pub fn root_certificate(&self) -> &Certificate {
        &self.root
    }

    pub fn issuing_certificate(&self) -> &Certificate {
        &self.issuing
    }

    /// The root key, present only in a centre just created.
    pub fn root_key(&self) -> Option<&dyn KeyPair> {
        self.root_key.as_deref()
    }

    /// Checks a PKCS#10 request's proof of possession without issuing.
    pub fn check_request(&self, csr: &[u8]) -> Result<x509::VerifiedRequest, CryptoError> {
        x509::verify_request(self.provider.as_ref(), csr)
    }

    /// Certifies the key of a PKCS#10 request (DER or PEM) after checking its
    /// proof of possession. `subject` replaces the request's subject name;
    /// extensions come from `profile` alone.
    pub fn issue(
        &self,
        csr: &[u8],
        profile: CertProfile,
        subject: Option<Name>,
        validity: Duration,
        serial: &[u8],
    ) -> Result<Certificate, CryptoError> {
        if matches!(profile, CertProfile::RootCa | CertProfile::IssuingCa | CertProfile::OcspResponder) {
            return Err(CryptoError::Malformed { what: "profile (the centre issues end-entity certificates only)" });
        }
        let request = x509::verify_request(self.provider.as_ref(), csr)?;
        let subject = subject.unwrap_or(request.subject);
        x509::issue_with(
            self.issuing_key.as_ref(),
            Some(self.issuing.tbs_certificate().subject()),
            subject,
            &request.public_key_der,
            profile,
            validity,
            &IssueOptions {
                serial: Some(serial),
                not_before: None,
                crl_url: self.crl_url.as_deref(),
                ocsp_url: self.ocsp_url.as_deref(),
            },
        )
    }

    /// Certifies a delegated OCSP responder's key (RFC 6960 §4.2.2.2) for
    /// `validity` (at most the profile's week): the responder holds a key
    /// of its own, so the issuing key signs nothing but certificates and CRLs.
    pub fn certify_responder(
        &self,
        responder_key: &dyn KeyPair,
        subject: Name,
        validity: Duration,
    ) -> Result<Certificate, CryptoError> {
        x509::issue_with(
            self.issuing_key.as_ref(),
            Some(self.issuing.tbs_certificate().subject()),
            subject,
            &responder_key.public_key_der(),
            CertProfile::OcspResponder,
            validity,
            &IssueOptions::default(),
        )
    }

    /// The issuing CA's CRL (RFC 5280 v2): CRLNumber and
    /// AuthorityKeyIdentifier extensions, and a reasonCode per entry (absent
    /// for `unspecified`, as §5.3.1 asks); signed through the [`KeyPair`].
    pub fn crl(
        &self,
        revoked: &[Revoked],
        this_update: SystemTime,
        next_update: SystemTime,
        crl_number: u64,
    ) -> Result<Vec<u8>, CryptoError> {
        sign_crl(self.issuing_key.as_ref(), &self.issuing, revoked, this_update, next_update, crl_number)
    }
}

/// A v2 CRL by `issuer` (its certificate) signed with `key`: CRLNumber and
/// AuthorityKeyIdentifier extensions, a reasonCode per entry (absent for
/// `unspecified`, as RFC 5280 §5.3.1 asks).
fn sign_crl(
    key: &dyn KeyPair,
    issuer_cert: &Certificate,
    revoked: &[Revoked],
    this_update: SystemTime,
    next_update: SystemTime,
    crl_number: u64,
) -> Result<Vec<u8>, CryptoError> {
    let bad = |_| CryptoError::Malformed { what: "CRL" };
    let issuer = issuer_cert.tbs_certificate().subject().clone();
    let aki = AuthorityKeyIdentifier { key_identifier: Some(key_id(issuer_cert)?), ..Default::default() };
    let number = CrlNumber::try_from(crl_number).map_err(bad)?.to_extension(&issuer, &[]).map_err(bad)?;
    let key_id = aki.to_extension(&issuer, std::slice::from_ref(&number)).map_err(bad)?;
    let extensions: Vec<Extension> = vec![number, key_id];
    let mut entries: Vec<RevokedCert> = Vec::with_capacity(revoked.len());
    for r in revoked {
        let crl_entry_extensions = match r.reason {
            RevocationReason::Unspecified => None,
            reason => Some(vec![reason.crl_reason().to_extension(&issuer, &[]).map_err(bad)?]),
        };
        entries.push(RevokedCert {
            serial_number: SerialNumber::new(&r.serial).map_err(|_| CryptoError::Malformed { what: "serial" })?,
            revocation_date: Time::try_from(r.at).map_err(bad)?,
            crl_entry_extensions,
        });
    }
    let tbs = TbsCertList {
        version: Version::V2,
        signature: x509::signature_algorithm(key.algorithm()),
        issuer,
        this_update: Time::try_from(this_update).map_err(bad)?,
        next_update: Some(Time::try_from(next_update).map_err(bad)?),
        // RFC 5280 §5.1.2.6: absent, not empty, when nothing is revoked.
        revoked_certificates: if entries.is_empty() { None } else { Some(entries) },
        crl_extensions: Some(extensions),
    };
    let signature = key.sign(&tbs.to_der().map_err(bad)?)?;
    let list = CertificateList {
        signature_algorithm: tbs.signature.clone(),
        tbs_cert_list: tbs,
        signature: BitString::from_bytes(&signature).map_err(bad)?,
    };
    list.to_der().map_err(bad)
}

/// A CA's key identifier: its SubjectKeyIdentifier (a CRL's
/// AuthorityKeyIdentifier must name the key that signs it).
fn key_id(cert: &Certificate) -> Result<der::asn1::OctetString, CryptoError> {
    let tbs = cert.tbs_certificate();
    if let Ok(Some((_, ski))) = tbs.get_extension::<SubjectKeyIdentifier>() {
        return Ok(ski.0);
    }
    let spki = tbs.subject_public_key_info();
    let ski = SubjectKeyIdentifier::try_from(spki.owned_to_ref())
        .map_err(|_| CryptoError::Malformed { what: "CA certificate" })?;
    Ok(ski.0)
}

/// Fresh random serial number: 16 bytes, positive.
pub fn random_serial() -> Result<[u8; 16], CryptoError> {
    x509::random_serial()
}

/// A certificate's serial number as lowercase hex.
pub fn serial_hex(cert: &Certificate) -> String {
    crate::validation::hex(cert.tbs_certificate().serial_number().as_bytes())
}

/// Decodes a serial number given as hex (`7f0a…`, `7F:0A:…`).
pub fn serial_from_hex(s: &str) -> Option<Vec<u8>> {
    let s: String = s.trim().trim_start_matches("0x").chars().filter(|c| *c != ':').collect();
    if s.is_empty() || s.len() > 42 || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let s = if s.len() % 2 == 1 { format!("0{s}") } else { s };
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok()).collect()
}

/// The certificate's DER encoding.
pub fn certificate_der(cert: &Certificate) -> Result<Vec<u8>, CryptoError> {
    cert.to_der().map_err(|_| CryptoError::Malformed { what: "certificate" })
}

/// SHA-256 fingerprint of the DER certificate, as OpenSSL prints it (`AB:CD:…`).
pub fn fingerprint_sha256(cert: &Certificate) -> Result<String, CryptoError> {
    let der = cert.to_der().map_err(|_| CryptoError::Malformed { what: "certificate" })?;
    let digest = crate::digest::sha256(&der);
    Ok(digest.iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":"))
}

/// Reads one PEM (or DER) certificate.
pub fn certificate_from_pem(input: &[u8]) -> Result<Certificate, CryptoError> {
    match crate::validation::certificates_from_pem_or_der(input)?.as_slice() {
        [one] => Ok(one.clone()),
        _ => Err(CryptoError::Malformed { what: "certificate" }),
    }
}

/// The certificate's validity as system times.
pub fn validity(cert: &Certificate) -> (SystemTime, SystemTime) {
    let v = cert.tbs_certificate().validity();
    (v.not_before.to_system_time(), v.not_after.to_system_time())
}

/// A PKCS#10 request for `key` under `subject`, signed by the key itself
/// (the proof of possession); DER. For keys the centre's own operators hold
/// (e.g. the agency's), and for tests.
pub fn make_request(key: &dyn KeyPair, subject: Name) -> Result<Vec<u8>, CryptoError> {
    use x509_cert::request::{CertReq, CertReqInfo};
    let bad = |_| CryptoError::Malformed { what: "certificate request" };
    let public_key = spki::SubjectPublicKeyInfoOwned::from_der(&key.public_key_der()).map_err(bad)?;
    let info =
        CertReqInfo { version: x509_cert::request::Version::V1, subject, public_key, attributes: Default::default() };
    let signature = key.sign(&info.to_der().map_err(bad)?)?;
    let req = CertReq {
        info,
        algorithm: x509::signature_algorithm(key.algorithm()),
        signature: BitString::from_bytes(&signature).map_err(bad)?,
    };
    req.to_der().map_err(bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::software::{SoftwareKey, SoftwareProvider};
    use std::str::FromStr;

    fn centre() -> CertificationCentre {
        CertificationCentre::init(
            Arc::new(SoftwareProvider),
            Name::from_str("CN=Test Root,C=UA").unwrap(),
            Name::from_str("CN=Test Issuing,C=UA").unwrap(),
        )
        .unwrap()
    }

    #[test]
    fn reasons_round_trip_with_rfc_codes() {
        for r in RevocationReason::ALL {
            assert_eq!(RevocationReason::parse(r.as_str()), Some(r));
        }
        assert_eq!(RevocationReason::parse("keyCompromise"), Some(RevocationReason::KeyCompromise));
        assert_eq!(RevocationReason::parse("cessation_of_operation"), Some(RevocationReason::CessationOfOperation));
        assert_eq!(RevocationReason::KeyCompromise.code(), 1);
        assert_eq!(RevocationReason::CertificateHold.code(), 6);
        assert_eq!(RevocationReason::PrivilegeWithdrawn.code(), 9);
        assert_eq!(RevocationReason::parse("remove-from-crl"), None);
    }

    #[test]
    fn serial_hex_round_trips() {
        assert_eq!(serial_from_hex("7F:0a:01"), Some(vec![0x7f, 0x0a, 0x01]));
        assert_eq!(serial_from_hex("abc"), Some(vec![0x0a, 0xbc]));
        assert_eq!(serial_from_hex("xyz"), None);
        assert_eq!(serial_from_hex(""), None);
    }

    #[test]
    fn the_centre_issues_only_end_entities_with_the_given_serial() {
        let ca = centre();
        let key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let csr = make_request(&key, Name::from_str("CN=Agency,C=UA").unwrap()).unwrap();
        let serial = random_serial().unwrap();
        let cert = ca.issue(&csr, CertProfile::DocumentSigning, None, Duration::from_secs(86_400), &serial).unwrap();
        assert_eq!(serial_hex(&cert), crate::validation::hex(&serial));
        assert_eq!(cert.tbs_certificate().issuer(), ca.issuing_certificate().tbs_certificate().subject());
        assert!(ca.issue(&csr, CertProfile::IssuingCa, None, Duration::from_secs(86_400), &serial).is_err());
        assert!(ca.issue(&csr, CertProfile::DocumentSigning, None, Duration::from_secs(86_400), &[0x80, 1]).is_err());
    }

    #[test]
    fn a_recertified_issuing_ca_names_the_root_list_and_keeps_what_it_certified() {
        let centre = centre();
        let (_, party) = crate::testing::centre_party(&centre, "Olena", CertProfile::DocumentSigning).unwrap();
        let root_key = centre.root_key().unwrap();
        let url = "https://fund.example/ca/root.crl";
        let renewed = CertificationCentre::recertify_issuing(
            root_key,
            centre.root_certificate(),
            centre.issuing_certificate(),
            url,
        )
        .unwrap();
        assert_eq!(renewed.tbs_certificate().subject(), centre.issuing_certificate().tbs_certificate().subject());
        assert_eq!(validity(&renewed).1, validity(centre.issuing_certificate()).1, "no longer than before");
        let der = renewed.to_der().unwrap();
        assert!(der.windows(url.len()).any(|w| w == url.as_bytes()), "the ARL distribution point");
        // What the issuing CA certified before chains to the new certificate.
        let ctx = crate::validation::TrustContext {
            anchors: vec![centre.root_certificate().clone()],
            intermediates: vec![renewed.clone()],
            revocation: crate::validation::RevocationPolicy::Skip,
            ..Default::default()
        };
        let mut report = crate::validation::SignatureReport::new();
        let now = crate::validation::Poe::or_now(None, &ctx);
        crate::validation::validate_certificate(
            &crate::software::SoftwareProvider,
            &party,
            &[],
            &ctx,
            crate::validation::JudgedAt { time: now.time, proven: false, algorithms: now },
            crate::validation::Purpose::Signature,
            &mut report,
        );
        assert!(report.is_passed(), "{report:#?}");
        assert_eq!(report.chain[1].fingerprint, fingerprint_sha256(&renewed).unwrap().replace(':', "").to_lowercase());
        // Another root's key cannot do it.
        let other = CertificationCentre::init(
            Arc::new(SoftwareProvider),
            Name::from_str("CN=Other Root,C=UA").unwrap(),
            Name::from_str("CN=Other Issuing,C=UA").unwrap(),
        )
        .unwrap();
        let wrong = other.root_key().unwrap();
        assert!(
            CertificationCentre::recertify_issuing(wrong, centre.root_certificate(), centre.issuing_certificate(), url)
                .is_err()
        );
    }

    #[test]
    fn a_reopened_centre_checks_its_parts() {
        let ca = centre();
        let other = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let wrong = CertificationCentre::open(
            Arc::new(SoftwareProvider),
            ca.root_certificate().clone(),
            ca.issuing_certificate().clone(),
            Box::new(other),
        );
        assert!(wrong.is_err(), "a key that is not the issuing CA's is refused");
    }

    #[test]
    fn subject_names_take_any_characters() {
        let n = SubjectName {
            country: "UA".into(),
            organization: Some("Пенсійний фонд України".into()),
            organizational_unit: Some("Відділення №10026/01, Київ «Центр»".into()),
            common_name: "Шевчук Петро Іванович".into(),
            serial_number: Some("TINUA-1759013776".into()),
            ..Default::default()
        }
        .to_name()
        .unwrap();
        let text = n.to_string();
        assert!(text.contains("Шевчук") && text.contains("TINUA-1759013776"), "{text}");
        let bad = SubjectName { country: "Україна".into(), common_name: "x".into(), ..Default::default() };
        assert!(bad.to_name().is_err(), "the country is a PrintableString");
    }
}
