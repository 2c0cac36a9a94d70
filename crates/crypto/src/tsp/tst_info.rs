//! What an RFC 3161 token says — `TSTInfo`, its imprint and its `genTime` —
//! read without verifying anything: the TSA writes it ([`super`]), and
//! signature checks ([`crate::signed`]) read it from a token they verify.
use std::time::{SystemTime, UNIX_EPOCH};

use const_oid::ObjectIdentifier;
use der::asn1::{GeneralizedTime, OctetString, Uint};
use der::{Decode, Sequence};
use spki::AlgorithmIdentifierOwned;
use x509_cert::ext::Extension;
use x509_cert::ext::pkix::name::GeneralName;

use crate::CryptoError;

/// id-ct-TSTInfo.
pub const ID_CT_TST_INFO: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.16.1.4");

fn der_err(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "time-stamp" }
}

#[derive(Clone, Debug, PartialEq, Eq, Sequence)]
pub struct MessageImprint {
    pub hash_algorithm: AlgorithmIdentifierOwned,
    pub hashed_message: OctetString,
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
    pub(crate) fn now() -> GenTime {
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

#[cfg(test)]
mod tests {
    use super::*;

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
