//! OCSP responses in a SignedData's `crls` field (RFC 5940, CAdES B-LT):
//!
//! ```text
//! RevocationInfoChoice ::= CHOICE { crl CertificateList,
//!                                   other [1] IMPLICIT OtherRevocationInfoFormat }
//! OtherRevocationInfoFormat ::= SEQUENCE { otherRevInfoFormat OBJECT IDENTIFIER,
//!                                          otherRevInfo ANY }   -- id-ri-ocsp-response: OCSPResponse
//! ```
//!
//! The `cms` crate (0.3.0-rc.0) models `OtherRevocationInfoFormat` with an
//! AlgorithmIdentifier in place of the OBJECT IDENTIFIER, so it can neither
//! read a message carrying the standard encoding (the whole SignedData fails
//! to parse) nor write one. These entries are therefore taken out at the DER
//! level before the crate parses a message, and put in after it wrote one.
//! The `crls` field is outside what any signature covers: no signed byte changes.
use std::borrow::Cow;

use const_oid::ObjectIdentifier;
use der::asn1::{Any, AnyRef, ObjectIdentifier as Oid};
use der::{Decode, Encode, Reader, SliceReader, Tag, TagNumber, Tagged};

use crate::CryptoError;

/// id-ri-ocsp-response (RFC 5940 §4.1).
pub const ID_RI_OCSP_RESPONSE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.6.1.5.5.7.16.2");

fn malformed(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "CMS SignedData" }
}

/// The TLVs inside a constructed value, borrowed (nothing is copied: a
/// message with an attached PDF is large, and every verification looks).
fn elements(value: &[u8]) -> Result<Vec<AnyRef<'_>>, CryptoError> {
    let mut reader = SliceReader::new(value).map_err(malformed)?;
    let mut out = Vec::new();
    while !reader.is_finished() {
        out.push(AnyRef::decode(&mut reader).map_err(malformed)?);
    }
    Ok(out)
}

fn context(number: u32) -> Tag {
    Tag::ContextSpecific { constructed: true, number: TagNumber(number) }
}

/// A SignedData ContentInfo taken apart: its content type, the SignedData's
/// fields, and where `crls` is among them.
struct Parts<'a> {
    content_type: Oid,
    fields: Vec<AnyRef<'a>>,
    crls: Option<usize>,
}

fn take_apart(cms_der: &[u8]) -> Result<Parts<'_>, CryptoError> {
    let bad = || CryptoError::Malformed { what: "CMS SignedData" };
    let outer = AnyRef::from_der(cms_der).map_err(malformed)?;
    let info = elements(outer.value())?;
    let [content_type, explicit] = info.as_slice() else { return Err(bad()) };
    if outer.tag() != Tag::Sequence || explicit.tag() != context(0) {
        return Err(bad());
    }
    let content_type = content_type.decode_as::<Oid>().map_err(malformed)?;
    let inner = elements(explicit.value())?;
    let [signed_data] = inner.as_slice() else { return Err(bad()) };
    if signed_data.tag() != Tag::Sequence {
        return Err(bad());
    }
    let fields = elements(signed_data.value())?;
    let crls = fields.iter().position(|f| f.tag() == context(1));
    Ok(Parts { content_type, fields, crls })
}

/// The message again, with the `crls` field replaced by `crls` (DER; `None`: no such field).
fn put_together(parts: &Parts<'_>, crls: Option<Vec<u8>>) -> Result<Vec<u8>, CryptoError> {
    let mut body = Vec::new();
    let mut crls = crls;
    // After `certificates` [0] when there is no `crls` yet: before signerInfos, the last field.
    let at = parts.crls.unwrap_or(parts.fields.len().saturating_sub(1));
    for (i, f) in parts.fields.iter().enumerate() {
        if i == at
            && let Some(field) = crls.take()
        {
            body.extend(field);
        }
        if Some(i) != parts.crls {
            f.encode_to_vec(&mut body).map_err(malformed)?;
        }
    }
    let content = Any::new(Tag::Sequence, body).map_err(malformed)?;
    cms::content_info::ContentInfo { content_type: parts.content_type, content }.to_der().map_err(malformed)
}

/// One `other` entry: its format and its value's DER.
fn other_entry(entry: &AnyRef<'_>) -> Option<(Oid, Vec<u8>)> {
    let inner = elements(entry.value()).ok()?;
    let [format, value] = inner.as_slice() else { return None };
    Some((format.decode_as::<Oid>().ok()?, value.to_der().ok()?))
}

fn field(entries: &[u8]) -> Result<Vec<u8>, CryptoError> {
    Any::new(context(1), entries.to_vec()).map_err(malformed)?.to_der().map_err(malformed)
}

/// DER elements of a field, each as it is in the message.
pub type Elements = Vec<Vec<u8>>;

/// Every element of the SignedData's `certificates` and `crls` fields as
/// it is in the message (DER), `other` revocation entries included: what an
/// archive time-stamp's hash index lists.
pub fn carried_items(cms_der: &[u8]) -> Result<(Elements, Elements), CryptoError> {
    let parts = take_apart(cms_der)?;
    let items = |number: u32| -> Result<Elements, CryptoError> {
        match parts.fields.iter().find(|f| f.tag() == context(number)) {
            Some(field) => elements(field.value())?.iter().map(|e| e.to_der().map_err(malformed)).collect(),
            None => Ok(Vec::new()),
        }
    };
    Ok((items(0)?, items(1)?))
}

/// A message with its RFC 5940 OCSP responses taken out of `crls`.
pub struct Split<'a> {
    /// The message without any `other` revocation entry (the bytes given when it had none).
    pub cms: Cow<'a, [u8]>,
    /// The `OCSPResponse`s it carried (DER).
    pub ocsps: Vec<Vec<u8>>,
}

/// Takes the `other` revocation entries out of a SignedData, keeping the
/// OCSP responses; entries of other formats are dropped (nothing here reads
/// them). Bytes that are not a SignedData are returned as given, for the
/// parser to refuse with its own words.
pub fn split(cms_der: &[u8]) -> Split<'_> {
    let unchanged = || Split { cms: Cow::Borrowed(cms_der), ocsps: Vec::new() };
    let Ok(parts) = take_apart(cms_der) else { return unchanged() };
    let Some(at) = parts.crls else { return unchanged() };
    let Ok(entries) = elements(parts.fields[at].value()) else { return unchanged() };
    if entries.iter().all(|e| e.tag() == Tag::Sequence) {
        return unchanged();
    }
    let mut kept = Vec::new();
    let mut ocsps = Vec::new();
    for e in &entries {
        if e.tag() == Tag::Sequence {
            if e.encode_to_vec(&mut kept).is_err() {
                return unchanged();
            }
        } else if e.tag() == context(1)
            && let Some((format, value)) = other_entry(e)
            && format == ID_RI_OCSP_RESPONSE
        {
            ocsps.push(value);
        }
    }
    let crls = if kept.is_empty() {
        None
    } else {
        match field(&kept) {
            Ok(f) => Some(f),
            Err(_) => return unchanged(),
        }
    };
    match put_together(&parts, crls) {
        Ok(cms) => Split { cms: Cow::Owned(cms), ocsps },
        Err(_) => unchanged(),
    }
}

/// Adds `ocsps` (DER `OCSPResponse`s) to the message's `crls` as RFC 5940
/// entries, each once, keeping what is there; the set stays in DER order.
pub fn with_ocsps(cms_der: &[u8], ocsps: &[Vec<u8>]) -> Result<Vec<u8>, CryptoError> {
    if ocsps.is_empty() {
        return Ok(cms_der.to_vec());
    }
    let parts = take_apart(cms_der)?;
    let mut entries: Vec<Vec<u8>> = match parts.crls {
        Some(at) => elements(parts.fields[at].value())?
            .iter()
            .map(|e| e.to_der().map_err(malformed))
            .collect::<Result<_, _>>()?,
        None => Vec::new(),
    };
    for response in ocsps {
        let value = AnyRef::from_der(response).map_err(|_| CryptoError::Malformed { what: "OCSP response" })?;
        let mut body = ID_RI_OCSP_RESPONSE.to_der().map_err(malformed)?;
        value.encode_to_vec(&mut body).map_err(malformed)?;
        let entry = Any::new(context(1), body).map_err(malformed)?.to_der().map_err(malformed)?;
        if !entries.contains(&entry) {
            entries.push(entry);
        }
    }
    // DER orders a SET OF by the encodings (X.690 §11.6).
    entries.sort();
    put_together(&parts, Some(field(&entries.concat())?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Whatever bytes arrive, splitting answers and never panics.
        #[test]
        fn split_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
            let s = split(&bytes);
            prop_assert!(s.ocsps.is_empty() || s.cms.as_ref() != bytes.as_slice());
        }
    }
}
