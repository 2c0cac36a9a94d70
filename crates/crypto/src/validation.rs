//! Signature validation results in the vocabulary of ETSI EN 319 102-1, and the
//! X.509 part of every validation: building the chain to a configured trust
//! anchor, validity at the signing time, key usage and revocation by CRL.
//!
//! Reports carry stable codes, not sentences: the server and the CLI render
//! them through the message catalogue in the reader's language.
use schemars::JsonSchema;
use std::time::{SystemTime, UNIX_EPOCH};

use der::{Decode, Encode};
use x509_cert::Certificate;
use x509_cert::crl::CertificateList;
use x509_cert::ext::pkix::{BasicConstraints, ExtendedKeyUsage, KeyUsage, KeyUsages};
use x509_cert::name::Name;

use crate::Provider;

/// ETSI EN 319 102-1 §5.1.3 main status indication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, JsonSchema)]
pub enum Indication {
    #[serde(rename = "TOTAL-PASSED")]
    TotalPassed,
    #[serde(rename = "TOTAL-FAILED")]
    TotalFailed,
    #[serde(rename = "INDETERMINATE")]
    Indeterminate,
}

impl Indication {
    pub fn as_str(self) -> &'static str {
        match self {
            Indication::TotalPassed => "TOTAL-PASSED",
            Indication::TotalFailed => "TOTAL-FAILED",
            Indication::Indeterminate => "INDETERMINATE",
        }
    }
}

/// ETSI EN 319 102-1 §5.1.3 sub-indications used by Dossier's validator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, JsonSchema)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SubIndication {
    // TOTAL-FAILED
    FormatFailure,
    HashFailure,
    SigCryptoFailure,
    Revoked,
    Expired,
    NotYetValid,
    // INDETERMINATE
    SigConstraintsFailure,
    ChainConstraintsFailure,
    CryptoConstraintsFailure,
    CryptoConstraintsFailureNoPoe,
    RevokedNoPoe,
    OutOfBoundsNoPoe,
    NoSigningCertificateFound,
    NoCertificateChainFound,
    TryLater,
    SignedDataNotFound,
}

impl SubIndication {
    pub fn as_str(self) -> &'static str {
        match self {
            SubIndication::FormatFailure => "FORMAT_FAILURE",
            SubIndication::HashFailure => "HASH_FAILURE",
            SubIndication::SigCryptoFailure => "SIG_CRYPTO_FAILURE",
            SubIndication::Revoked => "REVOKED",
            SubIndication::Expired => "EXPIRED",
            SubIndication::NotYetValid => "NOT_YET_VALID",
            SubIndication::SigConstraintsFailure => "SIG_CONSTRAINTS_FAILURE",
            SubIndication::ChainConstraintsFailure => "CHAIN_CONSTRAINTS_FAILURE",
            SubIndication::CryptoConstraintsFailure => "CRYPTO_CONSTRAINTS_FAILURE",
            SubIndication::CryptoConstraintsFailureNoPoe => "CRYPTO_CONSTRAINTS_FAILURE_NO_POE",
            SubIndication::RevokedNoPoe => "REVOKED_NO_POE",
            SubIndication::OutOfBoundsNoPoe => "OUT_OF_BOUNDS_NO_POE",
            SubIndication::NoSigningCertificateFound => "NO_SIGNING_CERTIFICATE_FOUND",
            SubIndication::NoCertificateChainFound => "NO_CERTIFICATE_CHAIN_FOUND",
            SubIndication::TryLater => "TRY_LATER",
            SubIndication::SignedDataNotFound => "SIGNED_DATA_NOT_FOUND",
        }
    }

    /// The indication a sub-indication belongs to (EN 319 102-1 Table 5/6).
    pub fn indication(self) -> Indication {
        use SubIndication::*;
        match self {
            FormatFailure | HashFailure | SigCryptoFailure | Revoked | Expired | NotYetValid => Indication::TotalFailed,
            _ => Indication::Indeterminate,
        }
    }
}

/// One step of a validation, with its outcome.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, JsonSchema)]
pub struct Check {
    /// Stable code, e.g. `message_digest`, `chain`, `revocation`; the catalogue key is `verify.check.<code>`.
    pub code: &'static str,
    pub status: CheckStatus,
    /// Technical detail in English for the expert view and the JSON report.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    Passed,
    Failed,
    Warning,
    Skipped,
}

/// Who a certificate names and when it is valid, for reports.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, JsonSchema)]
pub struct CertSummary {
    pub subject: String,
    /// The subject's common name, the part a non-expert recognises.
    pub common_name: Option<String>,
    pub issuer: String,
    pub serial: String,
    pub not_before: String,
    pub not_after: String,
    /// SHA-256 of the DER certificate, hex.
    pub fingerprint: String,
}

/// The subject's common name (UTF8String or PrintableString), if it has one.
pub fn common_name(cert: &Certificate) -> Option<String> {
    cert.tbs_certificate().subject().iter().find_map(|atv| {
        (atv.oid == const_oid::db::rfc4519::CN).then(|| {
            der::asn1::Utf8StringRef::try_from(&atv.value)
                .map(|s| s.as_str().to_owned())
                .or_else(|_| der::asn1::PrintableStringRef::try_from(&atv.value).map(|s| s.as_str().to_owned()))
                .unwrap_or_default()
        })
    })
}

impl CertSummary {
    /// Not free: rendering the two names looks every attribute type up in
    /// const-oid's database, so validations make one summary per certificate
    /// (and [`of_chain`](Self::of_chain) renders each distinct name once).
    pub fn of(cert: &Certificate) -> Self {
        let tbs = cert.tbs_certificate();
        Self::with_names(cert, tbs.subject().to_string(), tbs.issuer().to_string(), None)
    }

    /// The summaries of a chain, in order. A CA's subject is the issuer of the
    /// certificate below it (and a root's its own issuer): each distinct name
    /// is rendered once, and a certificate summarised before in this process
    /// (the hub's, the centre's: in every signature) is not rendered again.
    pub fn of_chain(chain: &[Certificate]) -> Vec<Self> {
        fn render<'a>(done: &mut Vec<(&'a Name, String)>, name: &'a Name) -> String {
            if let Some((_, text)) = done.iter().find(|(n, _)| *n == name) {
                return text.clone();
            }
            let text = name.to_string();
            done.push((name, text.clone()));
            text
        }
        let mut done = Vec::with_capacity(chain.len() + 1);
        chain
            .iter()
            .map(|cert| {
                let digest = cert.to_der().map(|d| crate::digest::sha256(&d)).ok();
                if let Some(known) = digest.as_ref().and_then(summarised::get) {
                    return known;
                }
                let tbs = cert.tbs_certificate();
                let subject = render(&mut done, tbs.subject());
                let issuer = render(&mut done, tbs.issuer());
                let summary = Self::with_names(cert, subject, issuer, digest.as_ref().map(|d| hex(d)));
                if let Some(d) = digest {
                    summarised::put(d, &summary);
                }
                summary
            })
            .collect()
    }

    fn with_names(cert: &Certificate, subject: String, issuer: String, fingerprint: Option<String>) -> Self {
        let tbs = cert.tbs_certificate();
        CertSummary {
            subject,
            common_name: common_name(cert),
            issuer,
            serial: tbs.serial_number().to_string(),
            not_before: tbs.validity().not_before.to_string(),
            not_after: tbs.validity().not_after.to_string(),
            fingerprint: fingerprint
                .or_else(|| cert.to_der().ok().map(|d| hex(&crate::digest::sha256(&d))))
                .unwrap_or_default(),
        }
    }
}

/// Summaries made in this process, by the SHA-256 of the certificate's DER —
/// everything a summary is made from, so a hit is the same summary. Bounded:
/// cleared when full.
mod summarised {
    use std::collections::HashMap;
    use std::sync::{LazyLock, Mutex, PoisonError};

    use super::CertSummary;

    const CAPACITY: usize = 1024;
    static KNOWN: LazyLock<Mutex<HashMap<[u8; 32], CertSummary>>> = LazyLock::new(|| Mutex::new(HashMap::new()));

    pub(super) fn get(digest: &[u8; 32]) -> Option<CertSummary> {
        KNOWN.lock().unwrap_or_else(PoisonError::into_inner).get(digest).cloned()
    }

    pub(super) fn put(digest: [u8; 32], summary: &CertSummary) {
        let mut known = KNOWN.lock().unwrap_or_else(PoisonError::into_inner);
        if known.len() >= CAPACITY {
            known.clear();
        }
        known.insert(digest, summary.clone());
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(bytes)
}

/// RFC 3339 text of a time, for reports.
pub fn rfc3339(t: SystemTime) -> String {
    t.duration_since(UNIX_EPOCH)
        .ok()
        .and_then(|d| der::DateTime::from_unix_duration(d).ok())
        .map(|d| d.to_string())
        .unwrap_or_default()
}

/// The validation of one signature (or one time-stamp token).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, JsonSchema)]
pub struct SignatureReport {
    pub indication: Indication,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sub_indication: Option<SubIndication>,
    pub signer: Option<CertSummary>,
    /// Signer first, trust anchor last.
    pub chain: Vec<CertSummary>,
    /// The time the signer claims (PDF /M or CMS signing-time); not proven.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub claimed_signing_time: Option<String>,
    /// The time-stamp's genTime, when a valid time-stamp proves the signature existed then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proven_signing_time: Option<String>,
    pub checks: Vec<Check>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub timestamp: Option<Box<SignatureReport>>,
    /// Where the status of a certificate whose status was not at hand can
    /// be asked (the validator does no I/O: the caller fetches and validates
    /// again with the answers in the context).
    #[serde(skip)]
    pub revocation_wanted: Vec<RevocationWanted>,
}

/// Where to ask about one certificate's status: the OCSP responders it names
/// first, the CRLs it names otherwise (RFC 5280 §4.2.2.1, §4.2.1.13).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RevocationWanted {
    pub ocsp: Vec<OcspQuery>,
    pub crl_urls: Vec<String>,
}

/// An OCSP request ready to send, and the nonce its answer must echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OcspQuery {
    pub url: String,
    /// The certificate asked about (SHA-256 of its DER, hex): what answers are cached by.
    pub certificate: String,
    pub request: Vec<u8>,
    pub nonce: Vec<u8>,
}

impl SignatureReport {
    pub fn new() -> Self {
        SignatureReport {
            indication: Indication::TotalPassed,
            sub_indication: None,
            signer: None,
            chain: Vec::new(),
            claimed_signing_time: None,
            proven_signing_time: None,
            checks: Vec::new(),
            timestamp: None,
            revocation_wanted: Vec::new(),
        }
    }

    /// Every revocation source this report and its time-stamp's want.
    pub fn all_revocation_wanted(&self) -> Vec<RevocationWanted> {
        let mut all = self.revocation_wanted.clone();
        if let Some(ts) = &self.timestamp {
            all.extend(ts.all_revocation_wanted());
        }
        all
    }

    pub fn passed(&mut self, code: &'static str) {
        self.checks.push(Check { code, status: CheckStatus::Passed, detail: String::new() });
    }

    pub fn note(&mut self, code: &'static str, status: CheckStatus, detail: impl Into<String>) {
        self.checks.push(Check { code, status, detail: detail.into() });
    }

    /// Records a failed check and lowers the verdict; the first, most
    /// fundamental failure decides the sub-indication (TOTAL-FAILED beats INDETERMINATE).
    pub fn fail(&mut self, code: &'static str, sub: SubIndication, detail: impl Into<String>) {
        self.checks.push(Check { code, status: CheckStatus::Failed, detail: detail.into() });
        let worse = matches!(
            (self.indication, sub.indication()),
            (Indication::TotalPassed, _) | (Indication::Indeterminate, Indication::TotalFailed)
        );
        if worse {
            self.indication = sub.indication();
            self.sub_indication = Some(sub);
        }
    }

    pub fn is_passed(&self) -> bool {
        self.indication == Indication::TotalPassed
    }
}

impl Default for SignatureReport {
    fn default() -> Self {
        Self::new()
    }
}

/// How strictly revocation status is required.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RevocationPolicy {
    /// No fresh CRL for a certificate → INDETERMINATE / TRY_LATER.
    #[default]
    Require,
    /// Use CRLs that are there; a missing one is a warning.
    IfAvailable,
    /// Do not check (reported as skipped).
    Skip,
}

/// What the relying party trusts and knows.
#[derive(Debug, Clone, Default)]
pub struct TrustContext {
    pub anchors: Vec<Certificate>,
    /// Extra CA certificates to build chains with (not trusted by themselves).
    pub intermediates: Vec<Certificate>,
    pub crls: Vec<CertificateList>,
    /// OCSP responses at hand (fetched, or from a document's DSS).
    pub ocsp: Vec<crate::ocsp::OcspEvidence>,
    pub revocation: RevocationPolicy,
    /// Validation time; `None` = now.
    pub at: Option<SystemTime>,
    /// Dated algorithm expiries (none by default).
    pub algorithms: crate::expiry::AlgorithmPolicy,
}

impl TrustContext {
    pub fn now(&self) -> SystemTime {
        self.at.unwrap_or_else(SystemTime::now)
    }

    /// Adds a DER or PEM CRL.
    pub fn add_crl(&mut self, bytes: &[u8]) -> Result<(), crate::CryptoError> {
        let der = pem_or_der(bytes, "X509 CRL")?;
        let crl = CertificateList::from_der(&der).map_err(|_| crate::CryptoError::Malformed { what: "CRL" })?;
        self.crls.push(crl);
        Ok(())
    }

    /// Adds an OCSP response (DER `OCSPResponse` or `BasicOCSPResponse`).
    pub fn add_ocsp(&mut self, bytes: &[u8]) -> Result<(), crate::CryptoError> {
        self.ocsp.push(crate::ocsp::OcspEvidence::from_der(bytes)?);
        Ok(())
    }
}

/// Accepts DER or a PEM block with the given label.
pub fn pem_or_der(bytes: &[u8], label: &str) -> Result<Vec<u8>, crate::CryptoError> {
    if bytes.first() == Some(&0x30) {
        return Ok(bytes.to_vec());
    }
    let (found, der) = der::pem::decode_vec(bytes).map_err(|_| crate::CryptoError::Malformed { what: "PEM" })?;
    if found != label {
        return Err(crate::CryptoError::Malformed { what: "PEM label" });
    }
    Ok(der)
}

/// Reads every certificate from PEM text (or one DER certificate).
pub fn certificates_from_pem_or_der(bytes: &[u8]) -> Result<Vec<Certificate>, crate::CryptoError> {
    let bad = |_| crate::CryptoError::Malformed { what: "certificate" };
    if bytes.first() == Some(&0x30) {
        return Ok(vec![Certificate::from_der(bytes).map_err(bad)?]);
    }
    let certs = Certificate::load_pem_chain(bytes).map_err(bad)?;
    if certs.is_empty() {
        return Err(crate::CryptoError::Malformed { what: "certificate" });
    }
    Ok(certs)
}

/// What the signer's certificate must allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Signing documents: digitalSignature or nonRepudiation.
    Signature,
    /// Time-stamping: the critical timeStamping extended key usage (RFC 3161 §2.3).
    TimeStamping,
}

const ID_KP_TIME_STAMPING: const_oid::ObjectIdentifier = const_oid::ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.3.8");

fn time_of(t: &x509_cert::time::Time) -> SystemTime {
    UNIX_EPOCH + t.to_unix_duration()
}

fn same_cert(a: &Certificate, b: &Certificate) -> bool {
    a == b
}

/// The time a signature is judged at.
#[derive(Debug, Clone, Copy)]
pub struct JudgedAt {
    pub time: SystemTime,
    /// Whether a time-stamp proves the signature existed at `time` (proof of existence).
    pub proven: bool,
    /// When its algorithms are judged: as `time`, except for a time-stamp,
    /// whose own genTime cannot vouch for the algorithms that made it.
    pub algorithms: Poe,
}

/// A time something is judged at, and whether a proof of existence gives it.
#[derive(Debug, Clone, Copy)]
pub struct Poe {
    pub time: SystemTime,
    pub proven: bool,
}

impl Poe {
    /// The proven time if there is one, else the validation time.
    pub fn or_now(proven: Option<SystemTime>, ctx: &TrustContext) -> Self {
        Poe { time: proven.unwrap_or_else(|| ctx.now()), proven: proven.is_some() }
    }
}

/// Applies the dated algorithm expiries to what made one signature (`what`
/// names it in the report): broken at the time it is proven to exist →
/// INDETERMINATE (`_NO_POE` when only the validation time was known);
/// expired since but proven before → passed, and the report says why.
pub fn judge_algorithms(
    ctx: &TrustContext,
    used: &crate::expiry::Used,
    poe: Poe,
    what: &str,
    report: &mut SignatureReport,
) {
    if ctx.algorithms.is_empty() {
        return;
    }
    if let Some(broken) = ctx.algorithms.broken_at(used, poe.time) {
        if poe.proven {
            let detail =
                format!("{what}: {}, before {} which a time-stamp proves", broken.describe(), rfc3339(poe.time));
            report.fail("algorithm", SubIndication::CryptoConstraintsFailure, detail);
        } else {
            let detail = format!("{what}: {}, and nothing proves it existed before", broken.describe());
            report.fail("algorithm", SubIndication::CryptoConstraintsFailureNoPoe, detail);
        }
    } else if let Some(expired) = ctx.algorithms.expiry(used).filter(|e| e.on <= ctx.now()) {
        let detail = format!("{what}: {}; it is proven to exist at {}", expired.describe(), rfc3339(poe.time));
        report.note("algorithm", CheckStatus::Passed, detail);
    }
}

/// Builds and checks the chain of `signer` at the time the signature is
/// judged at (the proven signing time when a time-stamp gives one, or now).
pub fn validate_certificate(
    provider: &dyn Provider,
    signer: &Certificate,
    bundled: &[Certificate],
    ctx: &TrustContext,
    when: JudgedAt,
    purpose: Purpose,
    report: &mut SignatureReport,
) {
    let JudgedAt { time: at, proven: poe, algorithms } = when;
    // 1. Chain to an anchor, signatures verified on the way.
    let mut chain = vec![signer.clone()];
    let mut anchored = false;
    for _ in 0..8 {
        let Some(current) = chain.last() else { break };
        if ctx.anchors.iter().any(|a| same_cert(a, current)) {
            anchored = true;
            break;
        }
        let next = ctx
            .anchors
            .iter()
            .chain(ctx.intermediates.iter())
            .chain(bundled.iter())
            .find(|cand| !same_cert(cand, current) && crate::verified::issued_by(provider, current, cand))
            .cloned();
        match next {
            Some(n) => chain.push(n),
            None => break,
        }
    }
    report.chain = CertSummary::of_chain(&chain);
    // The chain starts with the signer: its summary is made once.
    report.signer = report.chain.first().cloned();
    if !anchored {
        report.fail(
            "chain",
            SubIndication::NoCertificateChainFound,
            "no chain from the signer's certificate to a trusted root",
        );
        return;
    }
    report.passed("chain");
    // Every certificate's signature, with the algorithms its issuer used, at the time they are proven.
    let dated = !ctx.algorithms.is_empty();
    for pair in chain.windows(2).filter(|_| dated) {
        let (cert, issuer) = (&pair[0], &pair[1]);
        let Ok(spki) = issuer.tbs_certificate().subject_public_key_info().to_der() else { continue };
        let used = crate::expiry::Used::new(
            [crate::digest::DigestAlg::of_signature_algorithm(cert.signature_algorithm()), None],
            &spki,
        );
        let who = common_name(cert).unwrap_or_else(|| "a certificate".into());
        judge_algorithms(ctx, &used, algorithms, &format!("the signature on {who}'s certificate"), report);
    }

    // 2. Validity of every certificate at the signing time (shell model).
    let mut validity_ok = true;
    for (i, cert) in chain.iter().enumerate() {
        let v = cert.tbs_certificate().validity();
        let (nb, na) = (time_of(&v.not_before), time_of(&v.not_after));
        let who = if i == 0 { "signer" } else { "CA" };
        if at < nb {
            report.fail(
                "validity",
                SubIndication::NotYetValid,
                format!("{who} certificate not yet valid at {}", rfc3339(at)),
            );
            validity_ok = false;
        } else if at > na {
            let sub = if poe { SubIndication::Expired } else { SubIndication::OutOfBoundsNoPoe };
            report.fail("validity", sub, format!("{who} certificate expired before {}", rfc3339(at)));
            validity_ok = false;
        }
    }
    if validity_ok {
        report.passed("validity");
    }

    // 3. Constraints: issuers are CAs allowed to sign certificates; the signer may sign for this purpose.
    let mut constraints_ok = true;
    for issuer in chain.iter().skip(1) {
        let bc = ext::<BasicConstraints>(issuer);
        let ku = ext::<KeyUsage>(issuer);
        if !bc.is_some_and(|b| b.ca) || ku.is_some_and(|k| !k.0.contains(KeyUsages::KeyCertSign)) {
            report.fail(
                "chain_constraints",
                SubIndication::ChainConstraintsFailure,
                "an issuer is not a certification authority",
            );
            constraints_ok = false;
        }
    }
    let ku = ext::<KeyUsage>(signer);
    let eku = ext::<ExtendedKeyUsage>(signer);
    let usage_ok = match purpose {
        Purpose::Signature => {
            ku.is_none_or(|k| k.0.contains(KeyUsages::DigitalSignature) || k.0.contains(KeyUsages::NonRepudiation))
        }
        Purpose::TimeStamping => eku.is_some_and(|e| e.0.contains(&ID_KP_TIME_STAMPING)),
    };
    if !usage_ok {
        report.fail(
            "key_usage",
            SubIndication::ChainConstraintsFailure,
            "the certificate is not for this kind of signature",
        );
        constraints_ok = false;
    }
    if constraints_ok {
        report.passed("key_usage");
    }

    // 4. Revocation of every certificate but the anchor.
    check_revocation(provider, &chain, ctx, at, poe, report);
}

fn ext<'a, T: der::Decode<'a> + const_oid::AssociatedOid>(cert: &'a Certificate) -> Option<T> {
    cert.tbs_certificate()
        .extensions()?
        .iter()
        .find(|e| e.extn_id == T::OID)
        .and_then(|e| T::from_der(e.extn_value.as_bytes()).ok())
}

fn check_revocation(
    provider: &dyn Provider,
    chain: &[Certificate],
    ctx: &TrustContext,
    at: SystemTime,
    poe: bool,
    report: &mut SignatureReport,
) {
    if ctx.revocation == RevocationPolicy::Skip {
        report.note("revocation", CheckStatus::Skipped, "revocation checking switched off");
        return;
    }
    let now = ctx.now();
    // The end entity's status must be known. CA certificates are checked when
    // their issuer publishes status (an ARL or OCSP); an offline root that
    // publishes none vouches for its issuing CA by being trusted.
    let mut all_known = true;
    for (i, pair) in chain.windows(2).enumerate() {
        let (cert, issuer) = (&pair[0], &pair[1]);
        let serial = cert.tbs_certificate().serial_number();
        let fresh = Freshness { now, issued_after: poe.then_some(at) };
        let revoked_at = match status_at_hand(provider, cert, issuer, ctx, fresh) {
            Some(Known::Good) => continue,
            Some(Known::Revoked(at)) => at,
            None => {
                if i == 0 {
                    all_known = false;
                    report.revocation_wanted.extend(revocation_sources(cert, issuer));
                }
                continue;
            }
        };
        if !poe {
            report.fail(
                "revocation",
                SubIndication::RevokedNoPoe,
                format!(
                    "certificate {serial} revoked at {} and no time-stamp proves an earlier signature",
                    rfc3339(revoked_at)
                ),
            );
            return;
        }
        if revoked_at <= at {
            report.fail(
                "revocation",
                SubIndication::Revoked,
                format!("certificate {serial} revoked at {}", rfc3339(revoked_at)),
            );
            return;
        }
    }
    if all_known {
        report.passed("revocation");
    } else if ctx.revocation == RevocationPolicy::Require {
        report.fail(
            "revocation",
            SubIndication::TryLater,
            "no current OCSP response or CRL from the issuer is available",
        );
    } else {
        report.note(
            "revocation",
            CheckStatus::Warning,
            "no current OCSP response or CRL from the issuer; status unknown",
        );
    }
}

/// Which revocation evidence tells a certificate's status when a signature
/// is judged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Freshness {
    /// The validation time: evidence still current then will do.
    pub now: SystemTime,
    /// A proven signing time: evidence issued at or after it will do too,
    /// however old it is now (EN 319 102-1 §5.6, past signature validation).
    /// A CRL or OCSP answer lists every revocation up to its issue, so one
    /// issued after the signature says whether the key was revoked when the
    /// signature was made — which is what keeps a B-LT document valid from
    /// its own DSS after its certificates expire and its CA stops publishing.
    pub issued_after: Option<SystemTime>,
}

impl Freshness {
    pub fn accepts(&self, this_update: SystemTime, next_update: Option<SystemTime>) -> bool {
        next_update.is_none_or(|n| n >= self.now) || self.issued_after.is_some_and(|t| this_update >= t)
    }
}

/// A certificate's status as fresh evidence at hand says.
enum Known {
    Good,
    Revoked(SystemTime),
}

/// The status of `cert` from an OCSP response at hand, else from a CRL: a
/// responder's `unknown` leaves the question open for the CRL to answer.
fn status_at_hand(
    provider: &dyn Provider,
    cert: &Certificate,
    issuer: &Certificate,
    ctx: &TrustContext,
    fresh: Freshness,
) -> Option<Known> {
    use crate::ocsp::OcspStatus;
    /// How far a response's thisUpdate may lie ahead of the validation time (clock skew).
    const SKEW: std::time::Duration = std::time::Duration::from_secs(300);
    for evidence in &ctx.ocsp {
        let Some(said) = evidence.status_of(provider, cert, issuer) else { continue };
        if said.this_update > fresh.now + SKEW || !fresh.accepts(said.this_update, Some(said.next_update)) {
            continue;
        }
        match said.status {
            OcspStatus::Good => return Some(Known::Good),
            OcspStatus::Revoked { at } => return Some(Known::Revoked(at)),
            OcspStatus::Unknown => {}
        }
    }
    let crl = ctx.crls.iter().find(|crl| {
        let tbs = &crl.tbs_cert_list;
        tbs.issuer == *cert.tbs_certificate().issuer()
            && fresh.accepts(time_of(&tbs.this_update), tbs.next_update.as_ref().map(time_of))
            && crl_signed_by(provider, crl, issuer)
    })?;
    let serial = cert.tbs_certificate().serial_number();
    let entry =
        crl.tbs_cert_list.revoked_certificates.as_ref().and_then(|r| r.iter().find(|e| e.serial_number == *serial));
    Some(match entry {
        Some(e) => Known::Revoked(time_of(&e.revocation_date)),
        None => Known::Good,
    })
}

/// Where to ask about `cert`: its OCSP responders (a request with a fresh
/// nonce for each) and its CRLs; only http(s) addresses.
pub fn revocation_sources(cert: &Certificate, issuer: &Certificate) -> Option<RevocationWanted> {
    let web = |u: &String| u.starts_with("http://") || u.starts_with("https://");
    let ocsp: Vec<OcspQuery> = crate::x509::ocsp_urls(cert)
        .into_iter()
        .filter(web)
        .filter_map(|url| {
            let nonce = crate::ocsp::random_nonce().ok()?;
            let request = crate::ocsp::request(cert, issuer, Some(&nonce)).ok()?;
            let certificate = cert.to_der().map(|d| hex(&crate::digest::sha256(&d))).ok()?;
            Some(OcspQuery { url, certificate, request, nonce: nonce.to_vec() })
        })
        .collect();
    let crl_urls: Vec<String> = crate::x509::crl_urls(cert).into_iter().filter(web).collect();
    (!ocsp.is_empty() || !crl_urls.is_empty()).then_some(RevocationWanted { ocsp, crl_urls })
}

fn crl_signed_by(provider: &dyn Provider, crl: &CertificateList, issuer: &Certificate) -> bool {
    let (Ok(tbs), Ok(spki)) = (crl.tbs_cert_list.to_der(), issuer.tbs_certificate().subject_public_key_info().to_der())
    else {
        return false;
    };
    let Some(sig) = crl.signature.as_bytes() else { return false };
    crate::verified::signature(provider, &spki, &crl.signature_algorithm, &tbs, sig)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::TestPki;
    use crate::x509::CertProfile;

    #[test]
    fn chain_summaries_are_the_single_summaries() {
        let pki = TestPki::new().unwrap();
        let leaf = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap();
        let chain = [leaf.certificate, pki.issuing.certificate.clone(), pki.root.certificate.clone()];
        let one_by_one: Vec<CertSummary> = chain.iter().map(CertSummary::of).collect();
        assert_eq!(CertSummary::of_chain(&chain), one_by_one);
        // Again, now from the summaries remembered: the same.
        assert_eq!(CertSummary::of_chain(&chain), one_by_one);
        assert_eq!(one_by_one[0].issuer, one_by_one[1].subject);
        assert_eq!(one_by_one[2].issuer, one_by_one[2].subject);
        assert_eq!(one_by_one[0].fingerprint.len(), 64);
    }

    #[test]
    fn a_remembered_summary_is_never_another_certificates() {
        let pki = TestPki::new().unwrap();
        let a = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap().certificate;
        let b = pki.party("Olena Petrenko", CertProfile::DocumentSigning).unwrap().certificate;
        let (sa, sb) =
            (CertSummary::of_chain(std::slice::from_ref(&a)), CertSummary::of_chain(std::slice::from_ref(&b)));
        assert_eq!(sa[0].subject, sb[0].subject, "the same name");
        assert_ne!(sa[0].serial, sb[0].serial);
        assert_ne!(sa[0].fingerprint, sb[0].fingerprint);
        assert_eq!(CertSummary::of_chain(std::slice::from_ref(&b)), sb);
    }
}
