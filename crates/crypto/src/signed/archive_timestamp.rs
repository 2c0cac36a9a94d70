//! CAdES-LTA (ETSI EN 319 122-1 §5.5.3): the archive-time-stamp-v3, an
//! unsigned attribute of a signer holding an RFC 3161 token over
//!
//! 1. the encapsulated content type (DER),
//! 2. the hash of the signed content (with the index's algorithm),
//! 3. the signer's version, sid, digestAlgorithm, signedAttrs,
//!    signatureAlgorithm and signature, as encoded in the message,
//! 4. an `ATSHashIndexV3`: the hash of every certificate, every revocation
//!    entry and every value of every unsigned attribute present when it
//!    was made — carried in the token's own unsigned attributes.
//!
//! So it proves that the signature, its time-stamp and the validation data
//! stored beside them (CAdES-LT) existed at its genTime. Data added later
//! (the next CRLs, the next archive time-stamp) is not in its index and
//! changes nothing it covers; data it indexed and that is gone means the
//! message was cut down, and the stamp proves nothing.
use std::time::SystemTime;

use const_oid::ObjectIdentifier;
use der::asn1::{OctetString, SetOfVec};
use der::{Any, Decode, Encode, Sequence};
use spki::AlgorithmIdentifierOwned;

use cms::signed_data::{SignedData, SignerInfo};

use super::{TimeStamper, attribute, enc_err};
use crate::CryptoError;
use crate::digest::DigestAlg;

/// id-aa-ets-archiveTimestampV3 (EN 319 122-1 §5.5.3).
pub const ID_AA_ETS_ARCHIVE_TIMESTAMP_V3: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.1733.2.4");
/// id-aa-ATSHashIndex-v3 (EN 319 122-1 §5.5.2).
const ID_AA_ATS_HASH_INDEX_V3: ObjectIdentifier = ObjectIdentifier::new_unwrap("0.4.0.19122.1.5");

/// `ATSHashIndexV3`; `hashIndAlgorithm DEFAULT {id-sha256}` is absent for
/// SHA-256, as DER requires of a default value. Read with [`read_index`]:
/// the optional first field and the next are both SEQUENCEs, so a decoder
/// that goes by tag alone takes one for the other.
#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
struct AtsHashIndexV3 {
    #[asn1(optional = "true")]
    hash_ind_algorithm: Option<AlgorithmIdentifierOwned>,
    certificates_hash_index: Vec<OctetString>,
    crls_hash_index: Vec<OctetString>,
    unsigned_attr_values_hash_index: Vec<OctetString>,
}

/// What in a message an archive time-stamp can cover, as encoded there.
pub(crate) struct Covered<'a> {
    pub sd: &'a SignedData,
    /// The `certificates` and `crls` elements (DER, `other` entries included).
    pub certs: &'a [Vec<u8>],
    pub crls: &'a [Vec<u8>],
    /// The signed content, as the parts it is the concatenation of.
    pub content: &'a [&'a [u8]],
}

/// The hash of one unsigned attribute value: its type and the value, encoded.
fn attr_value_hash(alg: DigestAlg, oid: &ObjectIdentifier, value: &Any) -> Result<Vec<u8>, CryptoError> {
    let mut bytes = oid.to_der().map_err(enc_err)?;
    value.encode_to_vec(&mut bytes).map_err(enc_err)?;
    Ok(alg.hash(&bytes))
}

fn attr_value_hashes(alg: DigestAlg, si: &SignerInfo) -> Result<Vec<Vec<u8>>, CryptoError> {
    let mut out = Vec::new();
    for a in si.unsigned_attrs.iter().flat_map(|set| set.iter()) {
        for v in a.values.iter() {
            out.push(attr_value_hash(alg, &a.oid, v)?);
        }
    }
    Ok(out)
}

/// The index of what is there now.
fn index_now(alg: DigestAlg, covered: &Covered<'_>, si: &SignerInfo) -> Result<AtsHashIndexV3, CryptoError> {
    let octets = |hashes: Vec<Vec<u8>>| -> Result<Vec<OctetString>, CryptoError> {
        hashes.into_iter().map(|h| OctetString::new(h).map_err(enc_err)).collect()
    };
    Ok(AtsHashIndexV3 {
        hash_ind_algorithm: (alg != DigestAlg::Sha256).then(|| alg.identifier()),
        certificates_hash_index: octets(covered.certs.iter().map(|c| alg.hash(c)).collect())?,
        crls_hash_index: octets(covered.crls.iter().map(|c| alg.hash(c)).collect())?,
        unsigned_attr_values_hash_index: octets(attr_value_hashes(alg, si)?)?,
    })
}

/// The bytes the token's imprint is the hash of (items 1–4 above).
fn imprint_input(
    alg: DigestAlg,
    covered: &Covered<'_>,
    si: &SignerInfo,
    index_der: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    let mut input = covered.sd.encap_content_info.econtent_type.to_der().map_err(enc_err)?;
    input.extend(alg.hash_parts(covered.content));
    si.version.encode_to_vec(&mut input).map_err(enc_err)?;
    si.sid.encode_to_vec(&mut input).map_err(enc_err)?;
    si.digest_alg.encode_to_vec(&mut input).map_err(enc_err)?;
    if let Some(attrs) = &si.signed_attrs {
        // As in the message: [0] IMPLICIT, the SET's tag replaced.
        let mut signed = attrs.to_der().map_err(enc_err)?;
        if let Some(tag) = signed.first_mut() {
            *tag = 0xA0;
        }
        input.extend(signed);
    }
    si.signature_algorithm.encode_to_vec(&mut input).map_err(enc_err)?;
    si.signature.encode_to_vec(&mut input).map_err(enc_err)?;
    input.extend_from_slice(index_der);
    Ok(input)
}

/// Makes the attribute value for the first signer of `covered`: a token from
/// `tsa` with the index in its unsigned attributes.
pub(crate) fn make(covered: &Covered<'_>, si: &SignerInfo, tsa: &dyn TimeStamper) -> Result<Any, CryptoError> {
    let alg = DigestAlg::Sha256;
    let index = index_now(alg, covered, si)?.to_der().map_err(enc_err)?;
    let token = tsa.timestamp(alg, &alg.hash(&imprint_input(alg, covered, si, &index)?))?;
    // The index travels in the token's unsigned attributes, which its signature does not cover.
    let mut token =
        super::SignedContentInfo::from_der(&token).map_err(|_| CryptoError::Malformed { what: "time-stamp token" })?;
    let mut infos = token.content.signer_infos.0.into_vec();
    let tsi = infos.first_mut().ok_or(CryptoError::Malformed { what: "time-stamp token" })?;
    let mut unsigned = tsi.unsigned_attrs.take().map(|a| a.into_vec()).unwrap_or_default();
    unsigned.push(attribute(ID_AA_ATS_HASH_INDEX_V3, Any::from_der(&index).map_err(enc_err)?)?);
    tsi.unsigned_attrs = Some(SetOfVec::try_from(unsigned).map_err(enc_err)?);
    token.content.signer_infos = cms::signed_data::SignerInfos(SetOfVec::try_from(infos).map_err(enc_err)?);
    Any::from_der(&token.to_der().map_err(enc_err)?).map_err(enc_err)
}

/// One archive time-stamp of a signer, ready to be verified.
pub(crate) struct Stamp {
    /// The token (DER).
    pub token: Vec<u8>,
    /// What its imprint must be the hash of.
    pub input: Vec<u8>,
    /// The attribute-value hashes its index lists (what it proves existed).
    indexed_values: Vec<Vec<u8>>,
    alg: DigestAlg,
    /// Why it cannot prove anything, when it cannot.
    pub unusable: Option<&'static str>,
}

impl Stamp {
    /// Whether this stamp covers the value `value` of the unsigned attribute `oid`.
    pub fn covers(&self, oid: &ObjectIdentifier, value: &Any) -> bool {
        attr_value_hash(self.alg, oid, value).is_ok_and(|h| self.indexed_values.contains(&h))
    }
}

/// Whether `si` has an archive time-stamp.
pub(crate) fn has_stamp(si: &SignerInfo) -> bool {
    si.unsigned_attrs.iter().flat_map(|set| set.iter()).any(|a| a.oid == ID_AA_ETS_ARCHIVE_TIMESTAMP_V3)
}

/// The archive time-stamps of `si`, each with the input its imprint must
/// cover, checked against what the message still holds.
pub(crate) fn stamps_of(covered: &Covered<'_>, si: &SignerInfo) -> Vec<Stamp> {
    let values = si
        .unsigned_attrs
        .iter()
        .flat_map(|set| set.iter())
        .filter(|a| a.oid == ID_AA_ETS_ARCHIVE_TIMESTAMP_V3)
        .flat_map(|a| a.values.iter());
    values.map(|value| stamp(covered, si, value)).collect()
}

fn stamp(covered: &Covered<'_>, si: &SignerInfo, value: &Any) -> Stamp {
    let token = value.to_der().unwrap_or_default();
    let mut out =
        Stamp { token, input: Vec::new(), indexed_values: Vec::new(), alg: DigestAlg::Sha256, unusable: None };
    let Some(index_der) = index_in(&out.token) else {
        out.unusable = Some("the archive time-stamp has no ATSHashIndexV3");
        return out;
    };
    let Some(index) = read_index(&index_der) else {
        out.unusable = Some("the archive time-stamp's ATSHashIndexV3 is malformed");
        return out;
    };
    let named = index.hash_ind_algorithm.as_ref().map_or(Some(DigestAlg::Sha256), |a| DigestAlg::from_oid(&a.oid));
    let Some(alg) = named else {
        out.unusable = Some("the archive time-stamp's index digest is not accepted");
        return out;
    };
    out.alg = alg;
    // Everything it indexed must still be there: a message cut down after
    // the stamp (a CRL or a time-stamp removed) is not what it proves.
    let now_certs: Vec<Vec<u8>> = covered.certs.iter().map(|c| alg.hash(c)).collect();
    let now_crls: Vec<Vec<u8>> = covered.crls.iter().map(|c| alg.hash(c)).collect();
    let now_values = attr_value_hashes(alg, si).unwrap_or_default();
    let all_there =
        |indexed: &[OctetString], now: &[Vec<u8>]| indexed.iter().all(|h| now.iter().any(|n| n == h.as_bytes()));
    if !all_there(&index.certificates_hash_index, &now_certs)
        || !all_there(&index.crls_hash_index, &now_crls)
        || !all_there(&index.unsigned_attr_values_hash_index, &now_values)
    {
        out.unusable = Some("data the archive time-stamp covered has been removed");
        return out;
    }
    out.indexed_values = index.unsigned_attr_values_hash_index.iter().map(|h| h.as_bytes().to_vec()).collect();
    match imprint_input(alg, covered, si, &index_der) {
        Ok(input) => out.input = input,
        Err(_) => out.unusable = Some("the signer cannot be encoded again"),
    }
    out
}

/// Reads an ATSHashIndexV3: three SEQUENCE OF OCTET STRING, after an
/// AlgorithmIdentifier when the digest is not SHA-256.
fn read_index(der: &[u8]) -> Option<AtsHashIndexV3> {
    let fields = Vec::<Any>::from_der(der).ok()?;
    let (alg, lists) = match fields.as_slice() {
        [alg, rest @ ..] if rest.len() == 3 => (Some(alg.decode_as::<AlgorithmIdentifierOwned>().ok()?), rest),
        lists if lists.len() == 3 => (None, lists),
        _ => return None,
    };
    let list = |a: &Any| a.decode_as::<Vec<OctetString>>().ok();
    Some(AtsHashIndexV3 {
        hash_ind_algorithm: alg,
        certificates_hash_index: list(&lists[0])?,
        crls_hash_index: list(&lists[1])?,
        unsigned_attr_values_hash_index: list(&lists[2])?,
    })
}

/// The ATSHashIndexV3 (DER) in a token's unsigned attributes.
fn index_in(token: &[u8]) -> Option<Vec<u8>> {
    let token = super::SignedContentInfo::from_der(token).ok()?;
    let tsi = token.content.signer_infos.0.iter().next()?;
    let attr = tsi.unsigned_attrs.as_ref()?.iter().find(|a| a.oid == ID_AA_ATS_HASH_INDEX_V3)?;
    attr.values.iter().next()?.to_der().ok()
}

/// The newest-first order in which stamps prove one another: a stamp is
/// proven at the earliest genTime of a valid later stamp that indexed it.
pub(crate) fn proven_by(stamps: &[(Stamp, SystemTime)], value: (&ObjectIdentifier, &Any)) -> Option<SystemTime> {
    stamps.iter().filter(|(s, _)| s.covers(value.0, value.1)).map(|(_, t)| *t).min()
}
