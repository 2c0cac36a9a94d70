//! A throw-away PKI (root → issuing CA → end entities) for tests, fuzzing
//! and benchmarks. Keys live in memory only; nothing here is for production.
use std::str::FromStr;
use std::time::Duration;

use x509_cert::Certificate;
use x509_cert::name::Name;

use crate::software::SoftwareKey;
use crate::validation::{RevocationPolicy, TrustContext};
use crate::x509::{CertProfile, issue, to_pem};
use crate::{Algorithm, CryptoError, KeyPair};

const YEAR: u64 = 365 * 86_400;

pub struct Party {
    pub key: SoftwareKey,
    pub certificate: Certificate,
}

pub struct TestPki {
    pub root: Party,
    pub issuing: Party,
    root_name: Name,
    issuing_name: Name,
    algorithm: Algorithm,
}

impl TestPki {
    /// A P-256 hierarchy.
    pub fn new() -> Result<Self, CryptoError> {
        Self::with_algorithm(Algorithm::EcP256)
    }

    /// A hierarchy whose every key is of `algorithm`.
    pub fn with_algorithm(algorithm: Algorithm) -> Result<Self, CryptoError> {
        let bad = |_| CryptoError::Malformed { what: "name" };
        let root_name = Name::from_str("CN=Test Root CA,O=Dossier Test,C=UA").map_err(bad)?;
        let issuing_name = Name::from_str("CN=Test Issuing CA,O=Dossier Test,C=UA").map_err(bad)?;
        let root_key = SoftwareKey::generate(algorithm)?;
        let root = issue(
            &root_key,
            None,
            root_name.clone(),
            &root_key.public_key_der(),
            CertProfile::RootCa,
            Duration::from_secs(20 * YEAR),
        )?;
        let issuing_key = SoftwareKey::generate(algorithm)?;
        let issuing = issue(
            &root_key,
            Some(&root_name),
            issuing_name.clone(),
            &issuing_key.public_key_der(),
            CertProfile::IssuingCa,
            Duration::from_secs(10 * YEAR),
        )?;
        Ok(TestPki {
            root: Party { key: root_key, certificate: root },
            issuing: Party { key: issuing_key, certificate: issuing },
            root_name,
            issuing_name,
            algorithm,
        })
    }

    /// A new end entity with a fresh key, issued by the issuing CA.
    pub fn party(&self, common_name: &str, profile: CertProfile) -> Result<Party, CryptoError> {
        let name = Name::from_str(&format!("CN={common_name},O=Dossier Test,C=UA"))
            .map_err(|_| CryptoError::Malformed { what: "name" })?;
        let key = SoftwareKey::generate(self.algorithm)?;
        let certificate = issue(
            &self.issuing.key,
            Some(&self.issuing_name),
            name,
            &key.public_key_der(),
            profile,
            Duration::from_secs(YEAR),
        )?;
        Ok(Party { key, certificate })
    }

    /// Trusts the root; revocation not checked (tests that need CRLs add them).
    pub fn trust(&self) -> TrustContext {
        TrustContext {
            anchors: vec![self.root.certificate.clone()],
            revocation: RevocationPolicy::Skip,
            ..TrustContext::default()
        }
    }

    pub fn root_name(&self) -> &Name {
        &self.root_name
    }

    pub fn chain(&self) -> Vec<Certificate> {
        vec![self.issuing.certificate.clone()]
    }

    /// Root and issuing certificates as PEM, for external tools.
    pub fn pem_bundle(&self) -> Result<String, CryptoError> {
        Ok(format!("{}{}", to_pem(&self.issuing.certificate)?, to_pem(&self.root.certificate)?))
    }
}

/// A key pair of `profile` certified for 30 days by a running centre (tests
/// that need its CRLs rather than [`TestPki`]'s fixed chain).
pub fn centre_party(
    ca: &crate::ca::CertificationCentre,
    common_name: &str,
    profile: CertProfile,
) -> Result<(SoftwareKey, Certificate), CryptoError> {
    let key = SoftwareKey::generate(Algorithm::EcP256)?;
    let subject =
        Name::from_str(&format!("CN={common_name},C=UA")).map_err(|_| CryptoError::Malformed { what: "name" })?;
    let csr = crate::ca::make_request(&key, subject)?;
    let cert = ca.issue(&csr, profile, None, Duration::from_secs(30 * 86_400), &crate::ca::random_serial()?)?;
    Ok((key, cert))
}

/// A running centre (root `CN=Root,C=UA`, issuing `CN=Issuing,C=UA`), a
/// signer it certified for 30 days and its time-stamping unit: what the
/// long-term tests start from.
pub struct CentreSetup {
    pub ca: crate::ca::CertificationCentre,
    pub key: SoftwareKey,
    pub cert: Certificate,
    pub tsa: crate::tsp::TimeStampAuthority,
    pub tsa_cert: Certificate,
}

impl CentreSetup {
    pub fn new() -> Result<Self, CryptoError> {
        let bad = |_| CryptoError::Malformed { what: "name" };
        let ca = crate::ca::CertificationCentre::init(
            std::sync::Arc::new(crate::software::SoftwareProvider),
            Name::from_str("CN=Root,C=UA").map_err(bad)?,
            Name::from_str("CN=Issuing,C=UA").map_err(bad)?,
        )?;
        let (key, cert) = centre_party(&ca, "Olena Petrenko", CertProfile::DocumentSigning)?;
        let (tsa_key, tsa_cert) = centre_party(&ca, "Dossier TSA", CertProfile::TimeStamping)?;
        let chain = vec![ca.issuing_certificate().clone()];
        let tsa = crate::tsp::TimeStampAuthority::new(Box::new(tsa_key), tsa_cert.clone(), chain);
        Ok(CentreSetup { ca, key, cert, tsa, tsa_cert })
    }

    /// The signer, its chain left out (the message or the DSS supplies it).
    pub fn signer(&self) -> crate::signed::SigningIdentity<'_> {
        crate::signed::SigningIdentity { key: &self.key, certificate: &self.cert, chain: &[] }
    }
}
