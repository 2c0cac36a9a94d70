//! CMS `EnvelopedData` (RFC 5652 §6) to one recipient with an EC key, by
//! ephemeral-static ECDH (RFC 5753) — profile [D] of SPEC §5.
//!
//! # Construction ([`encrypt`])
//!
//! 1. A fresh P-256 key pair is generated for this envelope only (the
//!    *ephemeral* key); ECDH between it and the recipient certificate's key
//!    gives the shared secret `Z` (the x-coordinate).
//! 2. The key-encryption key (KEK, 256 bits) is derived from `Z` with the ANSI
//!    X9.63 KDF over SHA-256: `KEK = SHA-256(Z ‖ 00000001 ‖ SharedInfo)`, where
//!    `SharedInfo` is the DER of RFC 5753 §7.2's `ECC-CMS-SharedInfo`
//!    { keyInfo = id-aes256-wrap, entityUInfo = ukm (absent here),
//!    suppPubInfo = the KEK length in bits as a 32-bit big-endian number }.
//! 3. A random 256-bit content-encryption key (CEK) and a random IV encrypt
//!    the content with AES-256-CBC (PKCS#7 padding); the CEK is wrapped under
//!    the KEK with AES key wrap (RFC 3394).
//! 4. The `KeyAgreeRecipientInfo` carries the ephemeral public key as
//!    `originatorKey` (id-ecPublicKey, parameters absent, as OpenSSL writes
//!    it), keyEncryptionAlgorithm dhSinglePass-stdDH-sha256kdf-scheme with
//!    id-aes256-wrap as its parameter, and the wrapped CEK for the recipient
//!    named by issuer and serial number.
//!
//! # Why it is written here
//!
//! The `cms` crate (0.3.0-rc.0) is used for its ASN.1 types only. Its
//! `KeyAgreeRecipientInfo` builder discards the KDF output and wraps the
//! content key under an all-zero key (SPEC §5, known traps): anything it
//! produces can be opened by anyone. The key agreement, KDF and wrapping are
//! therefore ours, and the tests check them against `openssl cms` both ways.
//!
//! # Opening ([`decrypt`])
//!
//! The recipient is found by issuer and serial number (or by subject key
//! identifier, `rKeyId`); ECDH goes through [`KeyPair::agree`], so a key in a
//! token works the same as a software key. Accepted, for envelopes made by
//! OpenSSL and others: stdDH KDF schemes with SHA-256/384/512, AES-128/192/256
//! key wrap, AES-128/192/256-CBC content (each size independently), and a ukm
//! if present. Everything else is refused with [`CryptoError::Unsupported`].
//!
//! **SHA-1 KDF is refused.** OpenSSL 3.0's `openssl cms -encrypt` uses
//! dhSinglePass-stdDH-sha1kdf-scheme unless told `-keyopt ecdh_kdf_md:sha256`.
//! SHA-1 inside X9.63 is not practically broken, but the profile is SHA-256,
//! accepting it would let senders stay on a legacy default, and it would add
//! a SHA-1 dependency for that alone. Such envelopes give `Unsupported`, so
//! the sender can be told to pass the option.
//!
//! A wrong key is reported as [`CryptoError::DecryptionFailed`] by the key
//! wrap's integrity check, never as garbage. Note what EnvelopedData does
//! *not* give: the content (AES-CBC) is not authenticated. A changed
//! ciphertext block may decrypt to altered plaintext without an error, and
//! anyone holding the recipient's certificate can make an envelope.
//! Authenticity comes from signing the content (sign, then envelope).
//!
//! The plaintext is returned in [`Zeroizing`]: envelopes carry personal
//! documents, and the buffer is wiped when the caller drops it, like the
//! shared secrets [`KeyPair::agree`] returns.
//!
//! Input is DER; BER (e.g. `openssl cms -stream`, indefinite lengths) is
//! tried as a fallback.
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::consts::U16;
use aes::cipher::{BlockCipherDecrypt, BlockCipherEncrypt, BlockModeDecrypt, BlockModeEncrypt, KeyInit, KeyIvInit};
use cms::cert::IssuerAndSerialNumber;
use cms::content_info::{CmsVersion, ContentInfo};
use cms::enveloped_data::{
    EncryptedContentInfo, EnvelopedData, KeyAgreeRecipientIdentifier, KeyAgreeRecipientInfo, OriginatorIdentifierOrKey,
    OriginatorPublicKey, RecipientEncryptedKey, RecipientInfo, RecipientInfos,
};
use const_oid::ObjectIdentifier;
use const_oid::db::rfc5753::{
    DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME, DH_SINGLE_PASS_STD_DH_SHA_384_KDF_SCHEME,
    DH_SINGLE_PASS_STD_DH_SHA_512_KDF_SCHEME,
};
use const_oid::db::rfc5911::{
    ID_AES_128_CBC, ID_AES_128_WRAP, ID_AES_192_CBC, ID_AES_192_WRAP, ID_AES_256_CBC, ID_AES_256_WRAP, ID_DATA,
    ID_ENVELOPED_DATA,
};
use const_oid::db::rfc5912::{ID_EC_PUBLIC_KEY, SECP_256_R_1};
use der::asn1::{Any, OctetString};
use der::{Decode, Encode, EncodingRules, Sequence, Tag, Tagged};
use sha2_011::Digest;
use spki::{AlgorithmIdentifierOwned, SubjectPublicKeyInfoOwned};
use x509_cert::Certificate;
use x509_cert::ext::pkix::{KeyUsage, SubjectKeyIdentifier};
use zeroize::{Zeroize, Zeroizing};

use crate::software::SoftwareKey;
use crate::{Algorithm, CryptoError, KeyPair};

const IV_LEN: usize = 16;
/// RFC 3394: the wrapped key is one 64-bit block longer than the key.
const KW_OVERHEAD: usize = 8;

/// `ECC-CMS-SharedInfo` (RFC 5753 §7.2), the X9.63 KDF's SharedInfo.
#[derive(Sequence)]
struct EccCmsSharedInfo {
    key_info: AlgorithmIdentifierOwned,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT", optional = "true")]
    entity_u_info: Option<OctetString>,
    #[asn1(context_specific = "2", tag_mode = "EXPLICIT")]
    supp_pub_info: OctetString,
}

/// `ContentInfo` with the EnvelopedData inline rather than as an `ANY`, so
/// the ciphertext is not copied once more on the way in or out.
#[derive(Sequence)]
struct EnvelopedContentInfo {
    content_type: ObjectIdentifier,
    #[asn1(context_specific = "0", tag_mode = "EXPLICIT")]
    content: EnvelopedData,
}

/// An AES key size, for key wrap and for CBC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Aes {
    A128,
    A192,
    A256,
}

impl Aes {
    fn key_len(self) -> usize {
        match self {
            Aes::A128 => 16,
            Aes::A192 => 24,
            Aes::A256 => 32,
        }
    }

    fn from_wrap_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            ID_AES_128_WRAP => Some(Aes::A128),
            ID_AES_192_WRAP => Some(Aes::A192),
            ID_AES_256_WRAP => Some(Aes::A256),
            _ => None,
        }
    }

    fn from_cbc_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            ID_AES_128_CBC => Some(Aes::A128),
            ID_AES_192_CBC => Some(Aes::A192),
            ID_AES_256_CBC => Some(Aes::A256),
            _ => None,
        }
    }
}

/// The digest of a stdDH KDF scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KdfHash {
    Sha256,
    Sha384,
    Sha512,
}

impl KdfHash {
    fn from_scheme_oid(oid: ObjectIdentifier) -> Option<Self> {
        match oid {
            DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME => Some(KdfHash::Sha256),
            DH_SINGLE_PASS_STD_DH_SHA_384_KDF_SCHEME => Some(KdfHash::Sha384),
            DH_SINGLE_PASS_STD_DH_SHA_512_KDF_SCHEME => Some(KdfHash::Sha512),
            _ => None,
        }
    }
}

fn malformed(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "envelope" }
}

fn encoding(_: der::Error) -> CryptoError {
    CryptoError::Malformed { what: "envelope (encoding)" }
}

/// ANSI X9.63 KDF (SEC 1 §3.6.1): `out = H(Z ‖ counter ‖ SharedInfo) ‖ …`,
/// with a 32-bit big-endian counter starting at 1.
fn x963_kdf<D: Digest>(z: &[u8], shared_info: &[u8], out: &mut [u8]) {
    let size = <D as Digest>::output_size();
    for (i, chunk) in out.chunks_mut(size).enumerate() {
        // `out` is at most 32 bytes here, so the counter stays tiny.
        let counter = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let mut h = D::new();
        h.update(z);
        h.update(counter.to_be_bytes());
        h.update(shared_info);
        let mut block = h.finalize();
        chunk.copy_from_slice(&block[..chunk.len()]);
        block.as_mut_slice().zeroize();
    }
}

/// Derives the KEK for `wrap` (RFC 5753 §7.2 SharedInfo).
fn derive_kek(
    hash: KdfHash,
    shared_secret: &[u8],
    wrap_alg: &AlgorithmIdentifierOwned,
    wrap: Aes,
    ukm: Option<&OctetString>,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let kek_bits = u32::try_from(wrap.key_len() * 8).map_err(|_| CryptoError::Unsupported)?;
    let info = EccCmsSharedInfo {
        key_info: wrap_alg.clone(),
        entity_u_info: ukm.cloned(),
        supp_pub_info: OctetString::new(kek_bits.to_be_bytes()).map_err(encoding)?,
    }
    .to_der()
    .map_err(encoding)?;
    let mut kek = Zeroizing::new(vec![0u8; wrap.key_len()]);
    match hash {
        KdfHash::Sha256 => x963_kdf::<sha2_011::Sha256>(shared_secret, &info, &mut kek),
        KdfHash::Sha384 => x963_kdf::<sha2_011::Sha384>(shared_secret, &info, &mut kek),
        KdfHash::Sha512 => x963_kdf::<sha2_011::Sha512>(shared_secret, &info, &mut kek),
    }
    Ok(kek)
}

fn kw_wrap<C>(kek: &[u8], key: &[u8]) -> Result<Vec<u8>, CryptoError>
where
    C: BlockCipherEncrypt<BlockSize = U16> + KeyInit,
{
    let kw = aes_kw::AesKw::<C>::new_from_slice(kek).map_err(|_| CryptoError::Unsupported)?;
    let mut out = vec![0u8; key.len() + KW_OVERHEAD];
    kw.wrap_key(key, &mut out).map_err(|_| CryptoError::Unsupported)?;
    Ok(out)
}

fn kw_unwrap<C>(kek: &[u8], wrapped: &[u8], out: &mut [u8]) -> Result<(), CryptoError>
where
    C: BlockCipherDecrypt<BlockSize = U16> + KeyInit,
{
    let kw = aes_kw::AesKw::<C>::new_from_slice(kek).map_err(|_| CryptoError::DecryptionFailed)?;
    kw.unwrap_key(wrapped, out).map_err(|_| CryptoError::DecryptionFailed)?;
    Ok(())
}

fn unwrap_cek(wrap: Aes, kek: &[u8], wrapped: &[u8], cek_len: usize) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    // RFC 3394 needs at least two 64-bit blocks of key; the CEK size comes
    // from the content algorithm, so anything else is not our envelope.
    if wrapped.len() != cek_len + KW_OVERHEAD {
        return Err(CryptoError::Malformed { what: "envelope (wrapped key length)" });
    }
    let mut cek = Zeroizing::new(vec![0u8; cek_len]);
    match wrap {
        Aes::A128 => kw_unwrap::<aes::Aes128>(kek, wrapped, &mut cek)?,
        Aes::A192 => kw_unwrap::<aes::Aes192>(kek, wrapped, &mut cek)?,
        Aes::A256 => kw_unwrap::<aes::Aes256>(kek, wrapped, &mut cek)?,
    }
    Ok(cek)
}

fn cbc_decrypt_in_place<C>(key: &[u8], iv: &[u8], buf: &mut [u8]) -> Result<usize, CryptoError>
where
    C: BlockCipherDecrypt<BlockSize = U16> + KeyInit,
{
    let dec = cbc::Decryptor::<C>::new_from_slices(key, iv).map_err(|_| CryptoError::DecryptionFailed)?;
    dec.decrypt_padded::<Pkcs7>(buf).map(<[u8]>::len).map_err(|_| CryptoError::DecryptionFailed)
}

/// The recipient certificate's key as an (id-ecPublicKey, namedCurve) pair.
fn ec_recipient(cert: &Certificate) -> Result<(&SubjectPublicKeyInfoOwned, ObjectIdentifier), CryptoError> {
    let spki = cert.tbs_certificate().subject_public_key_info();
    if spki.algorithm.oid != ID_EC_PUBLIC_KEY {
        return Err(CryptoError::Unsupported);
    }
    let curve = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<ObjectIdentifier>().ok())
        .ok_or(CryptoError::Unsupported)?;
    Ok((spki, curve))
}

/// Refuses certificates whose key usage is present and excludes keyAgreement.
fn check_key_usage(cert: &Certificate) -> Result<(), CryptoError> {
    match cert.tbs_certificate().get_extension::<KeyUsage>() {
        Ok(None) => Ok(()),
        Ok(Some((_, ku))) if ku.key_agreement() => Ok(()),
        Ok(Some(_)) => Err(CryptoError::NoKeyAgreement),
        Err(_) => Err(CryptoError::Malformed { what: "certificate key usage" }),
    }
}

/// Encrypts `plaintext` to the holder of `recipient`'s P-256 key.
///
/// Returns a DER `ContentInfo` (id-envelopedData) with one
/// `KeyAgreeRecipientInfo`; see the [module documentation](self) for the
/// construction. The recipient certificate must carry an EC P-256 key
/// ([`CryptoError::Unsupported`] otherwise) and, if it has a key usage
/// extension, allow keyAgreement ([`CryptoError::NoKeyAgreement`]).
pub fn encrypt(recipient: &Certificate, plaintext: &[u8]) -> Result<Vec<u8>, CryptoError> {
    seal(recipient, plaintext, None)
}

/// [`encrypt`] with optional user keying material (the KARI's `ukm`, which
/// enters the KDF as entityUInfo); tests use it to cover that path.
fn seal(recipient: &Certificate, plaintext: &[u8], ukm: Option<&[u8]>) -> Result<Vec<u8>, CryptoError> {
    let ukm = ukm.map(OctetString::new).transpose().map_err(encoding)?;
    let (spki, curve) = ec_recipient(recipient)?;
    if curve != SECP_256_R_1 {
        return Err(CryptoError::Unsupported);
    }
    check_key_usage(recipient)?;
    let recipient_spki_der = spki.to_der().map_err(|_| CryptoError::Malformed { what: "certificate" })?;

    // Ephemeral-static ECDH (ring's, on its backend) and the KEK.
    let with_ring = (crate::ring_backend::backend() == crate::ring_backend::Backend::Ring)
        .then(|| crate::ring_backend::ephemeral_agree_p256(&recipient_spki_der))
        .flatten()
        .transpose()?;
    let (ephemeral_spki_der, shared) = match with_ring {
        Some(agreed) => agreed,
        None => {
            let ephemeral = SoftwareKey::generate(Algorithm::EcP256)?;
            let shared = ephemeral.agree(&recipient_spki_der)?;
            (ephemeral.public_key_der(), shared)
        }
    };
    let ephemeral_spki = SubjectPublicKeyInfoOwned::from_der(&ephemeral_spki_der)
        .map_err(|_| CryptoError::Malformed { what: "ephemeral public key" })?;
    let wrap_alg = AlgorithmIdentifierOwned { oid: ID_AES_256_WRAP, parameters: None };
    let kek = derive_kek(KdfHash::Sha256, &shared, &wrap_alg, Aes::A256, ukm.as_ref())?;
    drop(shared);

    // Content key, content, wrapped content key.
    let mut cek = Zeroizing::new([0u8; 32]);
    let mut iv = [0u8; IV_LEN];
    crate::rng::fill(cek.as_mut_slice())?;
    crate::rng::fill(&mut iv)?;
    let wrapped = kw_wrap::<aes::Aes256>(&kek, cek.as_slice())?;
    let msg_len = plaintext.len();
    let mut buf = vec![0u8; (msg_len / IV_LEN + 1) * IV_LEN];
    buf[..msg_len].copy_from_slice(plaintext);
    let enc =
        cbc::Encryptor::<aes::Aes256>::new_from_slices(cek.as_slice(), &iv).map_err(|_| CryptoError::Unsupported)?;
    let ct_len = enc.encrypt_padded::<Pkcs7>(&mut buf, msg_len).map_err(|_| CryptoError::Unsupported)?.len();
    buf.truncate(ct_len);

    let kari = KeyAgreeRecipientInfo {
        version: CmsVersion::V3,
        originator: OriginatorIdentifierOrKey::OriginatorKey(OriginatorPublicKey {
            // RFC 5753 §3.1.1: parameters SHOULD be absent (the recipient's curve).
            algorithm: AlgorithmIdentifierOwned { oid: ID_EC_PUBLIC_KEY, parameters: None },
            public_key: ephemeral_spki.subject_public_key,
        }),
        ukm,
        key_enc_alg: AlgorithmIdentifierOwned {
            oid: DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME,
            parameters: Some(Any::encode_from(&wrap_alg).map_err(encoding)?),
        },
        recipient_enc_keys: vec![RecipientEncryptedKey {
            rid: KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(IssuerAndSerialNumber {
                issuer: recipient.tbs_certificate().issuer().clone(),
                serial_number: recipient.tbs_certificate().serial_number().clone(),
            }),
            enc_key: OctetString::new(wrapped).map_err(encoding)?,
        }],
    };
    let enveloped = EnvelopedData {
        // RFC 5652 §6.1: 2, since the KeyAgreeRecipientInfo is version 3.
        version: CmsVersion::V2,
        originator_info: None,
        recip_infos: RecipientInfos::try_from(vec![RecipientInfo::Kari(kari)]).map_err(encoding)?,
        encrypted_content: EncryptedContentInfo {
            content_type: ID_DATA,
            content_enc_alg: AlgorithmIdentifierOwned {
                oid: ID_AES_256_CBC,
                parameters: Some(Any::encode_from(&OctetString::new(iv).map_err(encoding)?).map_err(encoding)?),
            },
            encrypted_content: Some(OctetString::new(buf).map_err(encoding)?),
        },
        unprotected_attrs: None,
    };
    EnvelopedContentInfo { content_type: ID_ENVELOPED_DATA, content: enveloped }.to_der().map_err(encoding)
}

/// Parses a ContentInfo holding EnvelopedData: DER, or BER as a fallback.
fn parse(envelope: &[u8]) -> Result<EnvelopedData, CryptoError> {
    if let Ok(ci) = EnvelopedContentInfo::from_der(envelope)
        && ci.content_type == ID_ENVELOPED_DATA
    {
        return Ok(ci.content);
    }
    // Not DER EnvelopedData: in two steps, to tell another content type from BER.
    let der = ContentInfo::from_der(envelope).map_err(malformed).and_then(|ci| {
        check_content_type(&ci)?;
        ci.content.decode_as::<EnvelopedData>().map_err(malformed)
    });
    match der {
        Ok(env) => Ok(env),
        Err(CryptoError::Malformed { .. }) => {
            let ci = ContentInfo::from_ber(envelope).map_err(malformed)?;
            check_content_type(&ci)?;
            ci.content.decode_as_encoding::<EnvelopedData>(EncodingRules::Ber).map_err(malformed)
        }
        Err(e) => Err(e),
    }
}

fn check_content_type(ci: &ContentInfo) -> Result<(), CryptoError> {
    if ci.content_type == ID_ENVELOPED_DATA { Ok(()) } else { Err(CryptoError::Unsupported) }
}

/// Does this recipient identifier name `cert`?
fn names_recipient(rid: &KeyAgreeRecipientIdentifier, cert: &Certificate, ski: Option<&SubjectKeyIdentifier>) -> bool {
    match rid {
        KeyAgreeRecipientIdentifier::IssuerAndSerialNumber(ias) => {
            ias.issuer == *cert.tbs_certificate().issuer()
                && ias.serial_number == *cert.tbs_certificate().serial_number()
        }
        KeyAgreeRecipientIdentifier::RKeyId(r) => ski.is_some_and(|s| *s == r.subject_key_identifier),
    }
}

/// The content algorithm, IV and ciphertext.
fn content_params(eci: &EncryptedContentInfo) -> Result<(Aes, [u8; IV_LEN], &[u8]), CryptoError> {
    let aes = Aes::from_cbc_oid(eci.content_enc_alg.oid).ok_or(CryptoError::Unsupported)?;
    let iv = eci
        .content_enc_alg
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<OctetString>().ok())
        .and_then(|o| <[u8; IV_LEN]>::try_from(o.as_bytes()).ok())
        .ok_or(CryptoError::Malformed { what: "envelope (content IV)" })?;
    let ciphertext = eci
        .encrypted_content
        .as_ref()
        .map(OctetString::as_bytes)
        .ok_or(CryptoError::Malformed { what: "envelope (detached content is not supported)" })?;
    Ok((aes, iv, ciphertext))
}

/// Recovers the CEK from one KeyAgreeRecipientInfo entry.
fn open_kari(
    kari: &KeyAgreeRecipientInfo,
    rek: &RecipientEncryptedKey,
    recipient_alg: &AlgorithmIdentifierOwned,
    key: &dyn KeyPair,
    cek_len: usize,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let hash = KdfHash::from_scheme_oid(kari.key_enc_alg.oid).ok_or(CryptoError::Unsupported)?;
    let wrap_alg = kari
        .key_enc_alg
        .parameters
        .as_ref()
        .and_then(|p| p.decode_as::<AlgorithmIdentifierOwned>().ok())
        .ok_or(CryptoError::Malformed { what: "envelope (key wrap algorithm)" })?;
    let wrap = Aes::from_wrap_oid(wrap_alg.oid).ok_or(CryptoError::Unsupported)?;
    // RFC 3565 §2.3.2: AES key wrap parameters are absent (some write NULL).
    if wrap_alg.parameters.as_ref().is_some_and(|p| !p.is_null()) {
        return Err(CryptoError::Malformed { what: "envelope (key wrap parameters)" });
    }

    let OriginatorIdentifierOrKey::OriginatorKey(originator) = &kari.originator else {
        // Static-static ECDH (originator named by certificate) is not ours.
        return Err(CryptoError::Unsupported);
    };
    if originator.algorithm.oid != ID_EC_PUBLIC_KEY {
        return Err(CryptoError::Unsupported);
    }
    // RFC 5753 §3.1.1: parameters absent or NULL mean the recipient's curve;
    // present, they must name it.
    match &originator.algorithm.parameters {
        None => {}
        Some(p) if p.is_null() => {}
        Some(p) if Some(p) == recipient_alg.parameters.as_ref() => {}
        Some(p) if p.tag() == Tag::ObjectIdentifier => return Err(CryptoError::CurveMismatch),
        Some(_) => return Err(CryptoError::Malformed { what: "envelope (originator key)" }),
    }
    let originator_spki = SubjectPublicKeyInfoOwned {
        algorithm: recipient_alg.clone(),
        subject_public_key: originator.public_key.clone(),
    }
    .to_der()
    .map_err(malformed)?;
    let shared = key.agree(&originator_spki)?;
    let kek = derive_kek(hash, &shared, &wrap_alg, wrap, kari.ukm.as_ref())?;
    unwrap_cek(wrap, &kek, rek.enc_key.as_bytes(), cek_len)
}

/// Opens an envelope with the recipient's certificate and key.
///
/// `key` only needs [`KeyPair::agree`], so a hardware key works. Errors:
/// [`CryptoError::NotForThisRecipient`] when no `KeyAgreeRecipientInfo`
/// names `recipient`; [`CryptoError::DecryptionFailed`] for a wrong key or a
/// damaged wrapped key / padding; [`CryptoError::Unsupported`] for algorithms
/// outside the module documentation's list; [`CryptoError::Malformed`] for
/// anything that does not parse. Never panics on malformed input.
///
/// The plaintext comes in [`Zeroizing`] so it is wiped when dropped.
pub fn decrypt(
    envelope_der: &[u8],
    recipient: &Certificate,
    key: &dyn KeyPair,
) -> Result<Zeroizing<Vec<u8>>, CryptoError> {
    let mut env = parse(envelope_der)?;
    let (recipient_spki, _curve) = ec_recipient(recipient)?;
    let ski = recipient.tbs_certificate().get_extension::<SubjectKeyIdentifier>().ok().flatten().map(|(_, s)| s);

    let mut entries = Vec::new();
    for ri in env.recip_infos.0.iter() {
        if let RecipientInfo::Kari(kari) = ri {
            for rek in &kari.recipient_enc_keys {
                if names_recipient(&rek.rid, recipient, ski.as_ref()) {
                    entries.push((kari, rek));
                }
            }
        }
    }
    if entries.is_empty() {
        return Err(CryptoError::NotForThisRecipient);
    }

    let (aes, iv, _) = content_params(&env.encrypted_content)?;
    let mut failure = CryptoError::NotForThisRecipient;
    let mut cek = None;
    for (kari, rek) in entries {
        match open_kari(kari, rek, &recipient_spki.algorithm, key, aes.key_len()) {
            Ok(k) => {
                cek = Some(k);
                break;
            }
            Err(e) => failure = e,
        }
    }
    let cek = cek.ok_or(failure)?;
    // The parsed envelope is ours: the ciphertext is decrypted where it lies, not copied first.
    let ciphertext = env.encrypted_content.encrypted_content.take().map(|c| c.into_bytes().into_vec());
    let mut buf = Zeroizing::new(ciphertext.ok_or(CryptoError::Malformed { what: "envelope" })?);
    let len = match aes {
        Aes::A128 => cbc_decrypt_in_place::<aes::Aes128>(&cek, &iv, &mut buf)?,
        Aes::A192 => cbc_decrypt_in_place::<aes::Aes192>(&cek, &iv, &mut buf)?,
        Aes::A256 => cbc_decrypt_in_place::<aes::Aes256>(&cek, &iv, &mut buf)?,
    };
    buf.truncate(len);
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::{CertProfile, issue};
    use proptest::prelude::*;
    use std::str::FromStr;
    use std::sync::OnceLock;
    use std::time::Duration;
    use x509_cert::name::Name;

    const DAY: Duration = Duration::from_secs(86_400);

    /// A recipient: encryption certificate issued by a throwaway CA, and its key.
    fn recipient(cn: &str, alg: Algorithm, profile: CertProfile) -> (Certificate, SoftwareKey) {
        let ca_key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let ca_name = Name::from_str("CN=Test CA").unwrap();
        let key = SoftwareKey::generate(alg).unwrap();
        let subject = Name::from_str(&format!("CN={cn}")).unwrap();
        let cert = issue(&ca_key, Some(&ca_name), subject, &key.public_key_der(), profile, DAY).unwrap();
        (cert, key)
    }

    fn agency() -> &'static (Certificate, SoftwareKey) {
        static A: OnceLock<(Certificate, SoftwareKey)> = OnceLock::new();
        A.get_or_init(|| recipient("Agency", Algorithm::EcP256, CertProfile::AgencyEncryption))
    }

    fn sample_envelope() -> &'static Vec<u8> {
        static E: OnceLock<Vec<u8>> = OnceLock::new();
        E.get_or_init(|| encrypt(&agency().0, b"pension decision No. 42").unwrap())
    }

    /// Byte range of `needle` in `hay` (it occurs once).
    fn find(hay: &[u8], needle: &[u8]) -> std::ops::Range<usize> {
        let at = hay.windows(needle.len()).position(|w| w == needle).unwrap();
        at..at + needle.len()
    }

    #[test]
    fn round_trips_empty_small_and_large_content() {
        let (cert, key) = agency();
        let large: Vec<u8> = (0..100 * 1024).map(|i| (i * 7 % 251) as u8).collect();
        for msg in [&b""[..], b"x", &large[..]] {
            let env = encrypt(cert, msg).unwrap();
            assert_eq!(decrypt(&env, cert, key).unwrap().as_slice(), msg);
        }
    }

    #[test]
    fn each_envelope_has_a_fresh_ephemeral_key_and_content_key() {
        let (cert, _) = agency();
        assert_ne!(encrypt(cert, b"same").unwrap(), encrypt(cert, b"same").unwrap());
    }

    #[test]
    fn structure_is_the_rfc_5753_profile() {
        let (cert, _) = agency();
        let env = parse(sample_envelope()).unwrap();
        assert_eq!(env.version, CmsVersion::V2);
        assert_eq!(env.recip_infos.0.len(), 1);
        let Some(RecipientInfo::Kari(kari)) = env.recip_infos.0.iter().next() else { panic!("not a KARI") };
        assert_eq!(kari.version, CmsVersion::V3);
        assert_eq!(kari.key_enc_alg.oid, DH_SINGLE_PASS_STD_DH_SHA_256_KDF_SCHEME);
        let wrap = kari.key_enc_alg.parameters.as_ref().unwrap().decode_as::<AlgorithmIdentifierOwned>().unwrap();
        assert_eq!(wrap, AlgorithmIdentifierOwned { oid: ID_AES_256_WRAP, parameters: None });
        let OriginatorIdentifierOrKey::OriginatorKey(orig) = &kari.originator else { panic!("no originator key") };
        assert_eq!(orig.algorithm.oid, ID_EC_PUBLIC_KEY);
        assert_eq!(orig.public_key.raw_bytes().len(), 65, "uncompressed P-256 point");
        assert_eq!(kari.recipient_enc_keys.len(), 1);
        assert!(names_recipient(&kari.recipient_enc_keys[0].rid, cert, None));
        assert_eq!(kari.recipient_enc_keys[0].enc_key.as_bytes().len(), 40);
        assert_eq!(env.encrypted_content.content_enc_alg.oid, ID_AES_256_CBC);
        assert_eq!(env.encrypted_content.content_type, ID_DATA);
    }

    /// X9.63 KDF against an independent vector: NIST CAVS (SP 800-135) SHA-256,
    /// |Z| = 192 bits, SharedInfo 0 bits, 128-bit key (first test case).
    #[test]
    fn x963_kdf_matches_a_cavs_vector() {
        let z = hex("96c05619d56c328ab95fe84b18264b08725b85e33fd34f08");
        let mut out = [0u8; 16];
        x963_kdf::<sha2_011::Sha256>(&z, &[], &mut out);
        assert_eq!(out.to_vec(), hex("443024c3dae66b95e6f5670601558f71"));
    }

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len()).step_by(2).map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap()).collect()
    }

    #[test]
    fn wrong_key_fails_the_unwrap_integrity_check() {
        let (cert, _) = agency();
        let stranger = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        assert_eq!(decrypt(sample_envelope(), cert, &stranger).unwrap_err(), CryptoError::DecryptionFailed);
        let p384 = SoftwareKey::generate(Algorithm::EcP384).unwrap();
        assert_eq!(decrypt(sample_envelope(), cert, &p384).unwrap_err(), CryptoError::CurveMismatch);
    }

    #[test]
    fn envelope_to_someone_else_is_not_for_this_recipient() {
        let (other_cert, other_key) = recipient("Other agency", Algorithm::EcP256, CertProfile::AgencyEncryption);
        assert_eq!(decrypt(sample_envelope(), &other_cert, &other_key).unwrap_err(), CryptoError::NotForThisRecipient);
    }

    #[test]
    fn recipients_without_a_p256_key_agreement_key_are_refused() {
        let (p384, _) = recipient("P-384 agency", Algorithm::EcP384, CertProfile::AgencyEncryption);
        assert_eq!(encrypt(&p384, b"m").unwrap_err(), CryptoError::Unsupported);
        let (signing, _) = recipient("Signer", Algorithm::EcP256, CertProfile::DocumentSigning);
        assert_eq!(encrypt(&signing, b"m").unwrap_err(), CryptoError::NoKeyAgreement);
    }

    #[test]
    fn every_changed_byte_of_the_wrapped_key_is_refused() {
        let (cert, key) = agency();
        let env = sample_envelope();
        let Some(RecipientInfo::Kari(kari)) = parse(env).unwrap().recip_infos.0.iter().next().cloned() else {
            panic!("not a KARI")
        };
        let range = find(env, kari.recipient_enc_keys[0].enc_key.as_bytes());
        for i in range {
            let mut bad = env.clone();
            bad[i] ^= 0x01;
            assert_eq!(decrypt(&bad, cert, key).unwrap_err(), CryptoError::DecryptionFailed, "byte {i}");
        }
    }

    /// CBC is not authenticated (see the module doc): a changed ciphertext
    /// byte either breaks the padding or yields different plaintext — never a
    /// panic and never the original message passed off as intact.
    #[test]
    fn every_changed_byte_of_the_ciphertext_is_an_error_or_different_plaintext() {
        let (cert, key) = agency();
        let env = sample_envelope();
        let parsed = parse(env).unwrap();
        let ct = parsed.encrypted_content.encrypted_content.as_ref().unwrap().as_bytes();
        let range = find(env, ct);
        let original = decrypt(env, cert, key).unwrap();
        // A flipped bit in the second-to-last block flips the same bit of the
        // last plaintext block: the padding then breaks or the length stays.
        // (A change inside the last block garbles it at random, so its padding
        // may happen to be valid with another length — that case is only
        // required to differ from the original.)
        let before_last = (range.end.saturating_sub(2 * IV_LEN)).max(range.start)..range.end - IV_LEN;
        for i in range {
            let mut bad = env.clone();
            bad[i] ^= 0x80;
            match decrypt(&bad, cert, key) {
                Err(e) => assert_eq!(e, CryptoError::DecryptionFailed, "byte {i}"),
                Ok(p) => {
                    assert_ne!(p, original, "byte {i}");
                    assert!(!before_last.contains(&i) || p.len() == original.len(), "byte {i}");
                }
            }
        }
    }

    #[test]
    fn other_content_types_and_garbage_are_refused_cleanly() {
        let (cert, key) = agency();
        for input in [&b""[..], b"\x30\x00", b"\x30\x80\x00\x00", &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff][..]] {
            assert!(matches!(decrypt(input, cert, key), Err(CryptoError::Malformed { .. })));
        }
        // A ContentInfo of another type (id-data).
        let ci = ContentInfo {
            content_type: ID_DATA,
            content: Any::encode_from(&OctetString::new(*b"x").unwrap()).unwrap(),
        };
        assert_eq!(decrypt(&ci.to_der().unwrap(), cert, key).unwrap_err(), CryptoError::Unsupported);
    }

    #[test]
    fn the_inline_content_info_is_the_generic_one_byte_for_byte() {
        let env = sample_envelope();
        let generic = ContentInfo::from_der(env).unwrap();
        assert_eq!(generic.content_type, ID_ENVELOPED_DATA);
        assert_eq!(&generic.to_der().unwrap(), env);
        assert_eq!(parse(env).unwrap(), generic.content.decode_as::<EnvelopedData>().unwrap());
    }

    /// Re-encodes `env` after `f` changed its (only) KeyAgreeRecipientInfo.
    fn with_kari(env: &[u8], f: impl FnOnce(&mut KeyAgreeRecipientInfo)) -> Vec<u8> {
        let mut parsed = parse(env).unwrap();
        let Some(RecipientInfo::Kari(mut kari)) = parsed.recip_infos.0.iter().next().cloned() else {
            panic!("not a KARI")
        };
        f(&mut kari);
        parsed.recip_infos = RecipientInfos::try_from(vec![RecipientInfo::Kari(kari)]).unwrap();
        ContentInfo { content_type: ID_ENVELOPED_DATA, content: Any::encode_from(&parsed).unwrap() }.to_der().unwrap()
    }

    #[test]
    fn ukm_enters_the_kdf() {
        let (cert, key) = agency();
        let env = seal(cert, b"with ukm", Some(b"0123456789abcdef")).unwrap();
        assert_eq!(decrypt(&env, cert, key).unwrap().as_slice(), b"with ukm");
        let stripped = with_kari(&env, |k| k.ukm = None);
        assert_eq!(decrypt(&stripped, cert, key).unwrap_err(), CryptoError::DecryptionFailed);
    }

    #[test]
    fn recipient_found_by_subject_key_identifier_too() {
        let (cert, key) = agency();
        let (_, ski) = cert.tbs_certificate().get_extension::<SubjectKeyIdentifier>().unwrap().unwrap();
        let by_ski = with_kari(sample_envelope(), |k| {
            k.recipient_enc_keys[0].rid =
                KeyAgreeRecipientIdentifier::RKeyId(cms::enveloped_data::RecipientKeyIdentifier {
                    subject_key_identifier: ski,
                    date: None,
                    other: None,
                })
        });
        assert_eq!(decrypt(&by_ski, cert, key).unwrap().as_slice(), b"pension decision No. 42");
        let (other_cert, other_key) = recipient("Other agency", Algorithm::EcP256, CertProfile::AgencyEncryption);
        assert_eq!(decrypt(&by_ski, &other_cert, &other_key).unwrap_err(), CryptoError::NotForThisRecipient);
    }

    #[test]
    fn originator_key_parameters_absent_null_or_the_recipients_curve() {
        let (cert, key) = agency();
        let set = |params: Option<Any>| {
            with_kari(sample_envelope(), |k| {
                if let OriginatorIdentifierOrKey::OriginatorKey(o) = &mut k.originator {
                    o.algorithm.parameters = params;
                }
            })
        };
        for ok in [Some(Any::null()), Some(Any::encode_from(&SECP_256_R_1).unwrap())] {
            assert_eq!(decrypt(&set(ok), cert, key).unwrap().as_slice(), b"pension decision No. 42");
        }
        let p384 = Any::encode_from(&const_oid::db::rfc5912::SECP_384_R_1).unwrap();
        assert_eq!(decrypt(&set(Some(p384)), cert, key).unwrap_err(), CryptoError::CurveMismatch);
    }

    #[test]
    fn other_kdfs_and_wrap_algorithms_are_unsupported() {
        let (cert, key) = agency();
        let sha1 = with_kari(sample_envelope(), |k| {
            k.key_enc_alg.oid = const_oid::db::rfc5753::DH_SINGLE_PASS_STD_DH_SHA_1_KDF_SCHEME
        });
        assert_eq!(decrypt(&sha1, cert, key).unwrap_err(), CryptoError::Unsupported);
        let cofactor = with_kari(sample_envelope(), |k| {
            k.key_enc_alg.oid = const_oid::db::rfc5753::DH_SINGLE_PASS_COFACTOR_DH_SHA_256_KDF_SCHEME
        });
        assert_eq!(decrypt(&cofactor, cert, key).unwrap_err(), CryptoError::Unsupported);
        let gcm = with_kari(sample_envelope(), |k| {
            let alg = AlgorithmIdentifierOwned { oid: const_oid::db::rfc5911::ID_AES_256_GCM, parameters: None };
            k.key_enc_alg.parameters = Some(Any::encode_from(&alg).unwrap());
        });
        assert_eq!(decrypt(&gcm, cert, key).unwrap_err(), CryptoError::Unsupported);
    }

    #[test]
    fn deeply_nested_input_is_refused_without_overflow() {
        let (cert, key) = agency();
        let depth = 100_000;
        let mut ber = [0x30, 0x80].repeat(depth);
        ber.extend(std::iter::repeat_n(0u8, 2 * depth));
        assert!(decrypt(&ber, cert, key).is_err());
        // SEQUENCE { SEQUENCE { … } } with definite lengths, outermost first.
        let der: Vec<u8> = (0..depth)
            .flat_map(|k| {
                let inner = u32::try_from(6 * (depth - 1 - k)).unwrap().to_be_bytes();
                [0x30, 0x84, inner[0], inner[1], inner[2], inner[3]]
            })
            .collect();
        assert!(decrypt(&der, cert, key).is_err());
    }

    proptest! {
        #[test]
        fn random_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
            let (cert, key) = agency();
            let _ = decrypt(&bytes, cert, key);
            let mut prefixed = vec![0x30, 0x82, 0x01, 0x00];
            prefixed.extend_from_slice(&bytes);
            let _ = decrypt(&prefixed, cert, key);
        }

        #[test]
        fn damaged_envelopes_never_panic(
            cut in any::<prop::sample::Index>(),
            flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..6),
            insert in proptest::option::of((any::<prop::sample::Index>(), proptest::collection::vec(any::<u8>(), 1..8))),
        ) {
            let (cert, key) = agency();
            let env = sample_envelope();
            let _ = decrypt(&env[..cut.index(env.len() + 1)], cert, key);
            let mut bad = env.clone();
            for (at, x) in &flips {
                let i = at.index(bad.len());
                bad[i] ^= *x;
            }
            if let Some((at, bytes)) = &insert {
                let i = at.index(bad.len());
                bad.splice(i..i, bytes.iter().copied());
            }
            let _ = decrypt(&bad, cert, key);
            let _ = decrypt(&bad[..cut.index(bad.len() + 1)], cert, key);
        }
    }
}
