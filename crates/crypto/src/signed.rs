//! CMS SignedData (RFC 5652) as CAdES baseline needs it: signed attributes
//! contentType, messageDigest and ESS signingCertificateV2 (RFC 5035), one
//! signer, attached or detached content; B-T adds a signature time-stamp
//! token as an unsigned attribute.
//!
//! Verification never trusts what the message says about itself: the digest
//! is recomputed, the signing certificate must match signingCertificateV2,
//! and the chain, validity, key usage and revocation are checked by
//! [`crate::validation`]. Malformed input yields a FORMAT_FAILURE report, never a panic.
//!
//! RFC 3161 tokens are checked here too ([`verify_token`]): a token is itself
//! a SignedData, and a signature's time-stamp is verified while the signature
//! is — one recursion in one file.
use std::time::SystemTime;

use cms::cert::{CertificateChoices, IssuerAndSerialNumber};
use cms::content_info::{CmsVersion, ContentInfo};
use cms::signed_data::{
    CertificateSet, EncapsulatedContentInfo, SignedAttributes, SignedData, SignerIdentifier, SignerInfo, SignerInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5911::{
    ID_CONTENT_TYPE, ID_COUNTERSIGNATURE, ID_DATA, ID_MESSAGE_DIGEST, ID_SIGNED_DATA, ID_SIGNING_TIME,
};
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::Certificate;
use x509_cert::attr::Attribute;
use x509_cert::ext::pkix::name::GeneralName;
use x509_cert::serial_number::SerialNumber;

use crate::digest::{DigestAlg, sha256};
use crate::expiry::Used;
use crate::validation::{
    CheckStatus, JudgedAt, Poe, Purpose, SignatureReport, SubIndication, TrustContext, judge_algorithms, rfc3339,
    validate_certificate,
};
use crate::{CryptoError, KeyPair, Provider};

/// id-aa-signingCertificateV2 (RFC 5035).
pub const ID_AA_SIGNING_CERTIFICATE_V2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.47");
/// id-aa-signatureTimeStampToken (RFC 3161 Appendix A).
pub const ID_AA_SIGNATURE_TIME_STAMP_TOKEN: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.2.14");
const ID_EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");

/// `IssuerSerial ::= SEQUENCE { issuer GeneralNames, serialNumber CertificateSerialNumber }`
#[derive(Clone, Debug, Sequence)]
struct IssuerSerial {
    issuer: Vec<GeneralName>,
    serial_number: SerialNumber,
}

/// `ESSCertIDv2`; the hash algorithm defaults to SHA-256 and is then omitted (DER).
#[derive(Clone, Debug, Sequence)]
struct EssCertIdV2 {
    #[asn1(optional = "true")]
    hash_algorithm: Option<AlgorithmIdentifierOwned>,
    cert_hash: OctetString,
    #[asn1(optional = "true")]
    issuer_serial: Option<IssuerSerial>,
}

/// `ContentInfo` with the SignedData inline rather than as an `ANY`: the
/// message is encoded and parsed without the intermediate copy of the whole
/// content an `ANY` costs (a 100 KB attached package is 100 KB per copy).
#[derive(Clone, Debug, Sequence)]
struct SignedContentInfo {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    content: SignedData,
}

#[derive(Clone, Debug, Sequence)]
struct SigningCertificateV2 {
    certs: Vec<EssCertIdV2>,
    #[asn1(optional = "true")]
    policies: Option<Any>,
}

/// A key with its certificate and the CA certificates to ship along.
pub struct SigningIdentity<'a> {
    pub key: &'a dyn KeyPair,
    pub certificate: &'a Certificate,
    pub chain: &'a [Certificate],
}

#[derive(Debug, Clone)]
pub struct SignOptions {
    pub content_type: ObjectIdentifier,
    pub detached: bool,
    /// CMS signing-time; leave `None` for PAdES (the PDF's /M carries it, SPEC §5).
    pub signing_time: Option<SystemTime>,
}

impl Default for SignOptions {
    fn default() -> Self {
        SignOptions { content_type: ID_DATA, detached: false, signing_time: None }
    }
}

fn enc_err(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "CMS" }
}

fn attribute(oid: ObjectIdentifier, value: Any) -> Result<Attribute, CryptoError> {
    Ok(Attribute { oid, values: SetOfVec::try_from(vec![value]).map_err(enc_err)? })
}

fn signing_certificate_v2(cert: &Certificate) -> Result<Any, CryptoError> {
    let der = cert.to_der().map_err(enc_err)?;
    let tbs = cert.tbs_certificate();
    let id = EssCertIdV2 {
        hash_algorithm: None,
        cert_hash: OctetString::new(sha256(&der).to_vec()).map_err(enc_err)?,
        issuer_serial: Some(IssuerSerial {
            issuer: vec![GeneralName::DirectoryName(tbs.issuer().clone())],
            serial_number: tbs.serial_number().clone(),
        }),
    };
    Any::encode_from(&SigningCertificateV2 { certs: vec![id], policies: None }).map_err(enc_err)
}

/// Signs `content`; returns DER `ContentInfo` of SignedData.
pub fn sign(id: &SigningIdentity<'_>, content: &[u8], opts: &SignOptions) -> Result<Vec<u8>, CryptoError> {
    let digest_alg = DigestAlg::for_key(id.key.algorithm());
    let digest = digest_alg.hash(content);
    let mut attrs = vec![
        attribute(ID_CONTENT_TYPE, Any::encode_from(&opts.content_type).map_err(enc_err)?)?,
        attribute(ID_MESSAGE_DIGEST, Any::encode_from(&OctetString::new(digest).map_err(enc_err)?).map_err(enc_err)?)?,
        attribute(ID_AA_SIGNING_CERTIFICATE_V2, signing_certificate_v2(id.certificate)?)?,
    ];
    if let Some(t) = opts.signing_time {
        let time = x509_cert::time::Time::try_from(t).map_err(enc_err)?;
        attrs.push(attribute(ID_SIGNING_TIME, Any::encode_from(&time).map_err(enc_err)?)?);
    }
    let signed_attrs: SignedAttributes = SetOfVec::try_from(attrs).map_err(enc_err)?;
    // The signature covers the attributes encoded as a SET OF (RFC 5652 §5.4).
    let signature = id.key.sign(&signed_attrs.to_der().map_err(enc_err)?)?;
    let tbs = id.certificate.tbs_certificate();
    let signer_info = SignerInfo {
        version: CmsVersion::V1,
        sid: SignerIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
            issuer: tbs.issuer().clone(),
            serial_number: tbs.serial_number().clone(),
        }),
        digest_alg: digest_alg.identifier(),
        signed_attrs: Some(signed_attrs),
        signature_algorithm: AlgorithmIdentifierOwned { oid: digest_alg.ecdsa_oid(), parameters: None },
        signature: OctetString::new(signature).map_err(enc_err)?,
        unsigned_attrs: None,
    };
    let mut certs = vec![CertificateChoices::Certificate(id.certificate.clone())];
    certs.extend(id.chain.iter().cloned().map(CertificateChoices::Certificate));
    // The content goes straight into the ANY as its OCTET STRING value: one copy.
    let econtent =
        if opts.detached { None } else { Some(Any::new(der::Tag::OctetString, content.to_vec()).map_err(enc_err)?) };
    let signed = SignedData {
        version: if opts.content_type == ID_DATA { CmsVersion::V1 } else { CmsVersion::V3 },
        digest_algorithms: SetOfVec::try_from(vec![digest_alg.identifier()]).map_err(enc_err)?,
        encap_content_info: EncapsulatedContentInfo { econtent_type: opts.content_type, econtent },
        certificates: Some(CertificateSet(SetOfVec::try_from(certs).map_err(enc_err)?)),
        crls: None,
        signer_infos: SignerInfos(SetOfVec::try_from(vec![signer_info]).map_err(enc_err)?),
    };
    SignedContentInfo { content_type: ID_SIGNED_DATA, content: signed }.to_der().map_err(enc_err)
}

/// Something that returns an RFC 3161 time-stamp token (DER ContentInfo) for a digest.
pub trait TimeStamper {
    fn timestamp(&self, alg: DigestAlg, digest: &[u8]) -> Result<Vec<u8>, CryptoError>;
}

/// Adds a signature time-stamp (CAdES/PAdES B-T) over the signature value of the (single) signer.
pub fn add_signature_timestamp(cms_der: &[u8], tsa: &dyn TimeStamper) -> Result<Vec<u8>, CryptoError> {
    let Parsed { mut sd, ocsps } = parse_carrying(cms_der)?;
    let mut infos = sd.signer_infos.0.into_vec();
    let si = infos.first_mut().ok_or(CryptoError::Malformed { what: "CMS" })?;
    let token = tsa.timestamp(DigestAlg::Sha256, &DigestAlg::Sha256.hash(si.signature.as_bytes()))?;
    let token_any = Any::from_der(&token).map_err(enc_err)?;
    let mut unsigned = si.unsigned_attrs.take().map(|a| a.into_vec()).unwrap_or_default();
    unsigned.push(attribute(ID_AA_SIGNATURE_TIME_STAMP_TOKEN, token_any)?);
    si.unsigned_attrs = Some(SetOfVec::try_from(unsigned).map_err(enc_err)?);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(enc_err)?);
    let out = SignedContentInfo { content_type: ID_SIGNED_DATA, content: sd }.to_der().map_err(enc_err)?;
    revocation_info::with_ocsps(&out, &ocsps)
}

/// CAdES B-LT (ETSI EN 319 122-1): stores `certs` (DER certificates),
/// `crls` (DER CRLs) and `ocsps` (OCSP responses, RFC 5940) in the
/// SignedData's `certificates` and `crls` fields — outside what the
/// signatures cover — so the message validates years later from its own
/// data (with the time its signature time-stamp proves, evidence issued
/// after it gives the status then). What is already there is not added twice.
pub fn add_validation_data(
    cms_der: &[u8],
    certs: &[Vec<u8>],
    crls: &[Vec<u8>],
    ocsps: &[Vec<u8>],
) -> Result<Vec<u8>, CryptoError> {
    use cms::revocation::{RevocationInfoChoice, RevocationInfoChoices};
    let Parsed { mut sd, ocsps: mut carried } = parse_carrying(cms_der)?;
    for der in ocsps {
        carried.push(crate::ocsp::OcspEvidence::from_der(der)?.response_der()?);
    }
    let mut held: Vec<CertificateChoices> = sd.certificates.take().map(|c| c.0.into_vec()).unwrap_or_default();
    for der in certs {
        let cert = Certificate::from_der(der).map_err(|_| CryptoError::Malformed { what: "certificate" })?;
        let choice = CertificateChoices::Certificate(cert);
        if !held.contains(&choice) {
            held.push(choice);
        }
    }
    if !held.is_empty() {
        sd.certificates = Some(CertificateSet(SetOfVec::try_from(held).map_err(enc_err)?));
    }
    let mut lists: Vec<RevocationInfoChoice> = sd.crls.take().map(|c| c.0.into_vec()).unwrap_or_default();
    for der in crls {
        let crl = x509_cert::crl::CertificateList::from_der(der).map_err(|_| CryptoError::Malformed { what: "CRL" })?;
        let choice = RevocationInfoChoice::Crl(crl);
        if !lists.contains(&choice) {
            lists.push(choice);
        }
    }
    if !lists.is_empty() {
        sd.crls = Some(RevocationInfoChoices(SetOfVec::try_from(lists).map_err(enc_err)?));
    }
    let out = SignedContentInfo { content_type: ID_SIGNED_DATA, content: sd }.to_der().map_err(enc_err)?;
    revocation_info::with_ocsps(&out, &carried)
}

/// The CRLs a SignedData carries (CAdES B-LT), as revocation evidence.
fn carried_crls(sd: &SignedData) -> Vec<x509_cert::crl::CertificateList> {
    sd.crls
        .iter()
        .flat_map(|c| c.0.iter())
        .filter_map(|choice| match choice {
            cms::revocation::RevocationInfoChoice::Crl(crl) => Some(crl.clone()),
            _ => None,
        })
        .collect()
}

/// A SignedData, with the OCSP responses its `crls` field carries (RFC 5940),
/// which the `cms` crate cannot read.
pub(crate) struct Parsed {
    pub sd: SignedData,
    pub ocsps: Vec<Vec<u8>>,
}

pub(crate) fn parse_carrying(cms_der: &[u8]) -> Result<Parsed, CryptoError> {
    let split = revocation_info::split(cms_der);
    Ok(Parsed { sd: parse(&split.cms)?, ocsps: split.ocsps })
}

/// Parses a SignedData without `other` revocation entries (see [`parse_carrying`]).
fn parse(cms_der: &[u8]) -> Result<SignedData, CryptoError> {
    if let Ok(ci) = SignedContentInfo::from_der(cms_der)
        && ci.content_type == ID_SIGNED_DATA
    {
        return Ok(ci.content);
    }
    // Not a well-formed SignedData: parse again in two steps to say why.
    let ci = ContentInfo::from_der(cms_der).map_err(|_| CryptoError::Malformed { what: "CMS" })?;
    if ci.content_type != ID_SIGNED_DATA {
        return Err(CryptoError::Malformed { what: "CMS: not SignedData" });
    }
    ci.content.decode_as::<SignedData>().map_err(|_| CryptoError::Malformed { what: "CMS SignedData" })
}

/// The outcome of verifying a SignedData.
#[derive(Debug, Clone)]
pub struct Verified {
    pub report: SignatureReport,
    /// The encapsulated content (attached signatures).
    pub content: Option<Vec<u8>>,
    pub content_type: Option<ObjectIdentifier>,
    /// Signed-attribute signing-time, if the signer put one.
    pub signing_time: Option<SystemTime>,
    /// The reports of the second and further signers (`report` is the first's, with the worst verdict).
    pub other_signers: Vec<SignatureReport>,
}

/// What the verifier should treat as the signed content and the signer's role.
pub struct VerifyInput<'a> {
    /// Content of a detached signature, as the parts it is the concatenation of.
    pub detached: Option<&'a [&'a [u8]]>,
    pub purpose: Purpose,
    /// A time proven by other means (a PDF document time-stamp), if any.
    pub proven_time: Option<SystemTime>,
    /// For a time-stamp token, whose `proven_time` is its own genTime: the
    /// time a later time-stamp proves it existed at, if one does — the time
    /// its algorithms are judged at (its own claim cannot vouch for them).
    pub algorithms_proven: Option<SystemTime>,
}

impl<'a> VerifyInput<'a> {
    pub fn attached() -> Self {
        VerifyInput { detached: None, purpose: Purpose::Signature, proven_time: None, algorithms_proven: None }
    }

    pub fn detached(parts: &'a [&'a [u8]]) -> Self {
        VerifyInput { detached: Some(parts), ..Self::attached() }
    }
}

fn format_failure(detail: &str) -> Verified {
    let mut report = SignatureReport::new();
    report.fail("format", SubIndication::FormatFailure, detail);
    Verified { report, content: None, content_type: None, signing_time: None, other_signers: Vec::new() }
}

/// Verifies every signer of a SignedData (and reports their counter-signatures).
pub fn verify(provider: &dyn Provider, cms_der: &[u8], input: &VerifyInput<'_>, ctx: &TrustContext) -> Verified {
    let Ok(Parsed { sd, ocsps }) = parse_carrying(cms_der) else {
        return format_failure("not a CMS SignedData structure");
    };
    let content = match &sd.encap_content_info.econtent {
        Some(any) => match any.decode_as::<OctetString>() {
            Ok(o) => Some(o.into_bytes().into_vec()),
            Err(_) => return format_failure("encapsulated content is not an OCTET STRING"),
        },
        None => None,
    };
    let mut out = Verified {
        report: SignatureReport::new(),
        content,
        content_type: Some(sd.encap_content_info.econtent_type),
        signing_time: None,
        other_signers: Vec::new(),
    };
    let report = &mut out.report;
    let parts: Vec<&[u8]> = match (&out.content, input.detached) {
        (Some(c), None) => vec![c.as_slice()],
        (None, Some(parts)) => parts.to_vec(),
        (Some(_), Some(_)) => {
            report.fail("format", SubIndication::FormatFailure, "content both attached and supplied");
            return out;
        }
        (None, None) => {
            report.fail("format", SubIndication::SignedDataNotFound, "detached signature without the signed data");
            return out;
        }
    };
    let signer_infos: Vec<&SignerInfo> = sd.signer_infos.0.iter().collect();
    if signer_infos.is_empty() {
        report.fail("format", SubIndication::FormatFailure, "no signer");
        return out;
    }
    let certs: Vec<Certificate> = sd
        .certificates
        .iter()
        .flat_map(|s| s.0.iter())
        .filter_map(|c| match c {
            CertificateChoices::Certificate(c) => Some(c.clone()),
            _ => None,
        })
        .collect();
    // CRLs and OCSP responses the message carries (CAdES B-LT) serve every signer as if given.
    let carried = carried_crls(&sd);
    let with_evidence;
    let ctx = if carried.is_empty() && ocsps.is_empty() {
        ctx
    } else {
        let mut extended = ctx.clone();
        extended.crls.extend(carried);
        extended.ocsp.extend(ocsps.iter().filter_map(|o| crate::ocsp::OcspEvidence::from_der(o).ok()));
        with_evidence = extended;
        &with_evidence
    };
    // Every signer is checked; the verdict is the worst of them, the first
    // signer's report carries the details and names the others' failures.
    // What archive time-stamps index, read only when there is one.
    let archived = signer_infos.iter().any(|si| archive_timestamp::has_stamp(si));
    let (carried_certs, carried_lists) =
        if archived { revocation_info::carried_items(cms_der).unwrap_or_default() } else { Default::default() };
    let covered = Covered { sd: &sd, certs: &carried_certs, crls: &carried_lists, content: &parts };
    let mut reports = signer_infos.iter().map(|si| {
        let mut r = SignatureReport::new();
        let time = verify_signer(provider, &covered, si, &certs, input, ctx, &mut r);
        (r, time)
    });
    if let Some((first, time)) = reports.next() {
        out.report = first;
        out.signing_time = time;
    }
    for (n, (other, _)) in reports.enumerate() {
        let who = other.signer.as_ref().map(|c| c.subject.clone()).unwrap_or_default();
        match other.sub_indication.filter(|_| !other.is_passed()) {
            Some(sub) => out.report.fail("other_signers", sub, format!("signer {}: {who}", n + 2)),
            None => out.report.note("other_signers", CheckStatus::Passed, format!("signer {}: {who}", n + 2)),
        }
        out.other_signers.push(other);
    }
    out
}

/// Checks a SignerInfo's signature over its DER signed attributes: ECDSA
/// (any SHA-2 digest on either curve, through the provider) or RSA.
fn signer_signature(
    provider: &dyn Provider,
    si: &SignerInfo,
    digest: DigestAlg,
    spki: &[u8],
    signed: &[u8],
    signature: &[u8],
) -> Result<(), CryptoError> {
    if crate::rsa::is_rsa(&si.signature_algorithm.oid) {
        return crate::rsa::verify(spki, &si.signature_algorithm, Some(si.digest_alg.oid), signed, signature);
    }
    let sig_digest = if si.signature_algorithm.oid == ID_EC_PUBLIC_KEY {
        digest
    } else {
        DigestAlg::from_ecdsa_oid(&si.signature_algorithm.oid).ok_or(CryptoError::Unsupported)?
    };
    provider.verify_message(spki, sig_digest, signed, signature)
}

/// Finds the certificate a SignerInfo names, among the message's and the trust context's.
fn signer_certificate<'a>(si: &SignerInfo, certs: &'a [Certificate], ctx: &'a TrustContext) -> Option<&'a Certificate> {
    certs.iter().chain(ctx.intermediates.iter()).find(|c| match &si.sid {
        SignerIdentifier::IssuerAndSerialNumber(ias) => {
            c.tbs_certificate().issuer() == &ias.issuer && c.tbs_certificate().serial_number() == &ias.serial_number
        }
        SignerIdentifier::SubjectKeyIdentifier(ski) => c
            .tbs_certificate()
            .extensions()
            .into_iter()
            .flatten()
            .find(|e| e.extn_id == const_oid::db::rfc5280::ID_CE_SUBJECT_KEY_IDENTIFIER)
            .is_some_and(|e| {
                x509_cert::ext::pkix::SubjectKeyIdentifier::from_der(e.extn_value.as_bytes()).is_ok_and(|k| k == *ski)
            }),
    })
}

/// Reports each counter-signature (RFC 5652 §11.4) of a signer: whose it
/// is, and whether it signs this signature's value. A counter-signature
/// adds a second opinion; it does not change the signature's own verdict.
fn countersignatures(
    provider: &dyn Provider,
    si: &SignerInfo,
    certs: &[Certificate],
    ctx: &TrustContext,
    report: &mut SignatureReport,
) {
    let values = si.unsigned_attrs.iter().flat_map(|a| a.iter()).filter(|a| a.oid == ID_COUNTERSIGNATURE);
    for value in values.flat_map(|a| a.values.iter()) {
        let Ok(counter) = value.decode_as::<SignerInfo>() else {
            report.note("countersignature", CheckStatus::Failed, "not a SignerInfo");
            continue;
        };
        let Some(cert) = signer_certificate(&counter, certs, ctx) else {
            report.note(
                "countersignature",
                CheckStatus::Failed,
                "the counter-signer's certificate is not in the message",
            );
            continue;
        };
        let who = crate::validation::CertSummary::of(cert).subject;
        let checked = (|| {
            let digest = DigestAlg::from_oid(&counter.digest_alg.oid)?;
            let attrs = counter.signed_attrs.as_ref()?;
            let md = attrs.iter().find(|a| a.oid == ID_MESSAGE_DIGEST)?.values.iter().next()?;
            let md = md.decode_as::<OctetString>().ok()?;
            if md.as_bytes() != digest.hash(si.signature.as_bytes()).as_slice() {
                return Some(false);
            }
            let spki = cert.tbs_certificate().subject_public_key_info().to_der().ok()?;
            let signed = attrs.to_der().ok()?;
            Some(signer_signature(provider, &counter, digest, &spki, &signed, counter.signature.as_bytes()).is_ok())
        })();
        match checked {
            Some(true) => report.note("countersignature", CheckStatus::Passed, who),
            Some(false) => report.note("countersignature", CheckStatus::Failed, format!("{who}: does not match")),
            None => report.note("countersignature", CheckStatus::Failed, format!("{who}: not verifiable")),
        }
    }
}

/// Checks one SignerInfo into `report`; returns its claimed signing time.
#[allow(clippy::too_many_arguments)]
fn verify_signer(
    provider: &dyn Provider,
    covered: &Covered<'_>,
    si: &SignerInfo,
    certs: &[Certificate],
    input: &VerifyInput<'_>,
    ctx: &TrustContext,
    report: &mut SignatureReport,
) -> Option<SystemTime> {
    let (sd, parts) = (covered.sd, covered.content);
    let mut signing_time = None;
    let signer_cert = signer_certificate(si, certs, ctx);
    let Some(signer_cert) = signer_cert.cloned() else {
        report.fail(
            "signing_certificate",
            SubIndication::NoSigningCertificateFound,
            "the signer's certificate is not in the message",
        );
        return signing_time;
    };
    // validate_certificate (below) names the signer; the two early returns before it do so here.
    let Some(digest_alg) = DigestAlg::from_oid(&si.digest_alg.oid) else {
        report.signer = Some(crate::validation::CertSummary::of(&signer_cert));
        report.fail(
            "message_digest",
            SubIndication::CryptoConstraintsFailure,
            format!("digest algorithm {} not accepted", si.digest_alg.oid),
        );
        return signing_time;
    };
    let Some(attrs) = &si.signed_attrs else {
        report.signer = Some(crate::validation::CertSummary::of(&signer_cert));
        report.fail("format", SubIndication::FormatFailure, "no signed attributes");
        return signing_time;
    };
    let single = |oid: ObjectIdentifier| -> Option<&Any> {
        let mut found = attrs.iter().filter(|a| a.oid == oid);
        let a = found.next()?;
        if found.next().is_some() || a.values.len() != 1 {
            return None;
        }
        a.values.iter().next()
    };
    // contentType must name the encapsulated type.
    match single(ID_CONTENT_TYPE).and_then(|v| v.decode_as::<ObjectIdentifier>().ok()) {
        Some(ct) if ct == sd.encap_content_info.econtent_type => report.passed("content_type"),
        _ => report.fail("content_type", SubIndication::FormatFailure, "contentType attribute missing or different"),
    }
    // messageDigest over the content.
    match single(ID_MESSAGE_DIGEST).and_then(|v| v.decode_as::<OctetString>().ok()) {
        Some(md) if md.as_bytes() == digest_alg.hash_parts(parts).as_slice() => report.passed("message_digest"),
        Some(_) => report.fail("message_digest", SubIndication::HashFailure, "the signed data has been changed"),
        None => report.fail("message_digest", SubIndication::FormatFailure, "messageDigest attribute missing"),
    }
    if let Some(t) = single(ID_SIGNING_TIME).and_then(|v| v.decode_as::<x509_cert::time::Time>().ok()) {
        let st = std::time::UNIX_EPOCH + t.to_unix_duration();
        signing_time = Some(st);
        report.claimed_signing_time = Some(rfc3339(st));
    }
    // The signature over the DER SET OF attributes.
    let spki = signer_cert.tbs_certificate().subject_public_key_info().to_der().unwrap_or_default();
    let checked = match attrs.to_der() {
        Ok(signed) => signer_signature(provider, si, digest_alg, &spki, &signed, si.signature.as_bytes()),
        Err(_) => Err(CryptoError::Malformed { what: "signed attributes" }),
    };
    match checked {
        Ok(()) => report.passed("signature"),
        Err(CryptoError::WeakAlgorithm { rule }) => {
            report.fail("signature", SubIndication::CryptoConstraintsFailure, rule)
        }
        Err(CryptoError::Malformed { .. }) | Err(CryptoError::Unsupported) => report.fail(
            "signature",
            SubIndication::CryptoConstraintsFailure,
            format!("signature algorithm {} or the signer's key type is not supported", si.signature_algorithm.oid),
        ),
        Err(_) => report.fail("signature", SubIndication::SigCryptoFailure, "the signature value does not match"),
    }
    // signingCertificateV2 binds the certificate to the signature (protects against substitution).
    match single(ID_AA_SIGNING_CERTIFICATE_V2).and_then(|v| v.decode_as::<SigningCertificateV2>().ok()) {
        Some(sc) => {
            let ok = sc.certs.first().is_some_and(|id| {
                let alg = id.hash_algorithm.as_ref().map_or(Some(DigestAlg::Sha256), |a| DigestAlg::from_oid(&a.oid));
                let der = signer_cert.to_der().unwrap_or_default();
                alg.is_some_and(|a| a.hash(&der) == id.cert_hash.as_bytes())
            });
            if ok {
                report.passed("signing_certificate");
            } else {
                report.fail(
                    "signing_certificate",
                    SubIndication::NoSigningCertificateFound,
                    "signingCertificateV2 names another certificate",
                );
            }
        }
        None => report.note("signing_certificate", CheckStatus::Warning, "no signingCertificateV2 attribute"),
    }
    // LTA: archive time-stamps prove the signature and what they indexed existed.
    let archived = archive_timestamps(provider, covered, si, input, ctx, report);
    let archive_poe = archived.iter().map(|(_, t)| *t).min();
    let earliest = |a: Option<SystemTime>, b: Option<SystemTime>| a.into_iter().chain(b).min();
    // B-T: a signature time-stamp proves the signature existed at genTime.
    let mut proven = earliest(input.proven_time, archive_poe);
    if let Some(value) = si
        .unsigned_attrs
        .iter()
        .flat_map(|a| a.iter())
        .find(|a| a.oid == ID_AA_SIGNATURE_TIME_STAMP_TOKEN)
        .and_then(|a| a.values.iter().next())
        && let Ok(token) = value.to_der()
    {
        // What proves this signature existed (a document time-stamp, an
        // archive time-stamp that indexed it) proves its time-stamp existed too.
        let by_archive = archive_timestamp::proven_by(&archived, (&ID_AA_SIGNATURE_TIME_STAMP_TOKEN, value));
        let ts_proven = earliest(input.proven_time, by_archive);
        let ts = verify_token_parts(provider, &token, &[si.signature.as_bytes()], ts_proven, ctx);
        if ts.report.is_passed() {
            report.passed("timestamp");
            if let Some(t) = ts.gen_time {
                proven = Some(proven.map_or(t, |p| p.min(t)));
            }
        } else {
            report.note("timestamp", CheckStatus::Failed, "the signature time-stamp is not valid");
        }
        report.timestamp = Some(Box::new(ts.report));
    }
    if let Some(p) = proven {
        report.proven_signing_time = Some(rfc3339(p));
    }
    let at = proven.unwrap_or_else(|| ctx.now());
    let algorithms = match input.purpose {
        Purpose::TimeStamping => Poe::or_now(input.algorithms_proven, ctx),
        Purpose::Signature => Poe::or_now(proven, ctx),
    };
    if !ctx.algorithms.is_empty() {
        let used = Used::new([Some(digest_alg), DigestAlg::of_signature_algorithm(&si.signature_algorithm)], &spki);
        judge_algorithms(ctx, &used, algorithms, "the signature", report);
    }
    let when = JudgedAt { time: at, proven: proven.is_some(), algorithms };
    validate_certificate(provider, &signer_cert, certs, ctx, when, input.purpose, report);
    countersignatures(provider, si, certs, ctx, report);
    signing_time
}

/// Verifies a signer's archive time-stamps (CAdES-LTA), newest first — a
/// stamp no other pending stamp indexed — each proven at the genTime of a
/// valid later one that indexed it. Returns the valid ones with their
/// genTime; each is reported.
fn archive_timestamps(
    provider: &dyn Provider,
    covered: &Covered<'_>,
    si: &SignerInfo,
    input: &VerifyInput<'_>,
    ctx: &TrustContext,
    report: &mut SignatureReport,
) -> Vec<(archive_timestamp::Stamp, SystemTime)> {
    use archive_timestamp::ID_AA_ETS_ARCHIVE_TIMESTAMP_V3 as ARCHIVE;
    let mut pending: Vec<(archive_timestamp::Stamp, Any)> = archive_timestamp::stamps_of(covered, si)
        .into_iter()
        .filter_map(|s| Any::from_der(&s.token).ok().map(|value| (s, value)))
        .collect();
    let mut valid: Vec<(archive_timestamp::Stamp, SystemTime)> = Vec::new();
    while !pending.is_empty() {
        let newest = (0..pending.len())
            .find(|&i| {
                !pending.iter().enumerate().any(|(j, (other, _))| j != i && other.covers(&ARCHIVE, &pending[i].1))
            })
            .unwrap_or(0);
        let (stamp, value) = pending.remove(newest);
        if let Some(why) = stamp.unusable {
            report.note("archive_timestamp", CheckStatus::Failed, why);
            continue;
        }
        let by_later = archive_timestamp::proven_by(&valid, (&ARCHIVE, &value));
        let proven = input.proven_time.into_iter().chain(by_later).min();
        let ts = verify_token_parts(provider, &stamp.token, &[&stamp.input], proven, ctx);
        match ts.gen_time.filter(|_| ts.report.is_passed()) {
            Some(t) => {
                report.note("archive_timestamp", CheckStatus::Passed, rfc3339(t));
                valid.push((stamp, t));
            }
            None => {
                let why = ts.report.sub_indication.map_or("", |s| s.as_str());
                report.note("archive_timestamp", CheckStatus::Failed, format!("not valid: {why}"));
            }
        }
    }
    valid
}

/// Adds an archive time-stamp (CAdES-LTA, archive-time-stamp-v3) to the
/// first signer: over the signature, its content, its unsigned attributes
/// (its time-stamp, earlier archive time-stamps) and the validation data
/// the message carries — so all of it stays provable after its
/// certificates and algorithms expire. `detached` is the content of a
/// detached signature. Add the validation data for the newest time-stamp
/// first ([`add_validation_data`]): the archive time-stamp covers it.
pub fn add_archive_timestamp(
    cms_der: &[u8],
    detached: Option<&[&[u8]]>,
    tsa: &dyn TimeStamper,
) -> Result<Vec<u8>, CryptoError> {
    let Parsed { mut sd, ocsps } = parse_carrying(cms_der)?;
    let (certs, crls) = revocation_info::carried_items(cms_der)?;
    let attached = match &sd.encap_content_info.econtent {
        Some(any) => Some(any.decode_as::<OctetString>().map_err(enc_err)?.into_bytes().into_vec()),
        None => None,
    };
    let content: Vec<&[u8]> = match (&attached, detached) {
        (Some(c), None) => vec![c.as_slice()],
        (None, Some(parts)) => parts.to_vec(),
        _ => return Err(CryptoError::Malformed { what: "CMS: the content, attached or given, once" }),
    };
    let value = {
        let si = sd.signer_infos.0.iter().next().ok_or(CryptoError::Malformed { what: "CMS" })?;
        let covered = Covered { sd: &sd, certs: &certs, crls: &crls, content: &content };
        archive_timestamp::make(&covered, si, tsa)?
    };
    let mut infos = sd.signer_infos.0.into_vec();
    let si = infos.first_mut().ok_or(CryptoError::Malformed { what: "CMS" })?;
    let mut unsigned = si.unsigned_attrs.take().map(|a| a.into_vec()).unwrap_or_default();
    unsigned.push(attribute(archive_timestamp::ID_AA_ETS_ARCHIVE_TIMESTAMP_V3, value)?);
    si.unsigned_attrs = Some(SetOfVec::try_from(unsigned).map_err(enc_err)?);
    sd.signer_infos = SignerInfos(SetOfVec::try_from(infos).map_err(enc_err)?);
    let out = SignedContentInfo { content_type: ID_SIGNED_DATA, content: sd }.to_der().map_err(enc_err)?;
    revocation_info::with_ocsps(&out, &ocsps)
}

// ---- RFC 3161 tokens: SignedData over a TSTInfo, checked as a time-stamp ----

/// A verified time-stamp.
pub struct TokenVerification {
    pub report: SignatureReport,
    pub gen_time: Option<SystemTime>,
}

/// Verifies a token over `data` (its imprint is recomputed with the token's own digest).
pub fn verify_token(provider: &dyn Provider, token_der: &[u8], data: &[u8], ctx: &TrustContext) -> TokenVerification {
    verify_token_parts(provider, token_der, &[data], None, ctx)
}

/// As [`verify_token`], the data given as parts (a PDF's byte ranges);
/// `proven` is when a later time-stamp proves this token existed, if one does.
pub fn verify_token_parts(
    provider: &dyn Provider,
    token_der: &[u8],
    parts: &[&[u8]],
    proven: Option<SystemTime>,
    ctx: &TrustContext,
) -> TokenVerification {
    let info = match crate::tsp::tst_info::tst_info(token_der) {
        Ok(i) => i,
        Err(_) => {
            let mut report = SignatureReport::new();
            report.fail("timestamp_format", SubIndication::FormatFailure, "not an RFC 3161 time-stamp token");
            return TokenVerification { report, gen_time: None };
        }
    };
    let gen_time = info.gen_time.0;
    // The TSA's certificate is judged at genTime: the token is its own proof of existence.
    let mut verified = verify(
        provider,
        token_der,
        &VerifyInput {
            detached: None,
            purpose: Purpose::TimeStamping,
            proven_time: Some(gen_time),
            algorithms_proven: proven,
        },
        ctx,
    );
    let report = &mut verified.report;
    report.proven_signing_time = Some(rfc3339(gen_time));
    let imprint = DigestAlg::from_oid(&info.message_imprint.hash_algorithm.oid);
    if let Some(alg) = imprint {
        // A broken digest would let the token stand for other data.
        let used = Used { digests: [Some(alg), None], key: None };
        judge_algorithms(ctx, &used, Poe::or_now(proven, ctx), "the time-stamp's imprint", report);
    }
    match imprint {
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

mod archive_timestamp;
mod revocation_info;

use archive_timestamp::Covered;

#[cfg(test)]
mod tests;
