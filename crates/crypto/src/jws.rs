//! JSON Web Signatures (RFC 7515, compact form) by a [`KeyPair`], and its
//! public key as a JSON Web Key (RFC 7517) — what an OpenID provider needs to
//! sign ID tokens and publish their key. ES256 on P-256, ES384 on P-384
//! (RFC 7518 §3.4): the signature is `r ‖ s` at the curve's size, not DER.
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use p256::pkcs8::DecodePublicKey;
use serde::Serialize;

use crate::digest::DigestAlg;
use crate::{Algorithm, CryptoError, KeyPair};

/// Base64url without padding, as JOSE and PKCE (RFC 7636 S256) write bytes.
pub fn base64url(bytes: &[u8]) -> String {
    B64.encode(bytes)
}

/// The JOSE name of a key's signature algorithm.
pub fn alg(algorithm: Algorithm) -> &'static str {
    match algorithm {
        Algorithm::EcP256 => "ES256",
        Algorithm::EcP384 => "ES384",
    }
}

/// An EC public key as a JWK, with its RFC 7638 thumbprint as `kid`.
#[derive(Debug, Clone, Serialize)]
pub struct Jwk {
    pub kty: &'static str,
    pub crv: &'static str,
    pub x: String,
    pub y: String,
    pub kid: String,
    #[serde(rename = "use")]
    pub use_: &'static str,
    pub alg: &'static str,
}

impl Jwk {
    pub fn of(key: &dyn KeyPair) -> Result<Jwk, CryptoError> {
        let spki = key.public_key_der();
        let malformed = |_| CryptoError::Malformed { what: "public key" };
        let (crv, point) = match key.algorithm() {
            Algorithm::EcP256 => {
                let k = p256::PublicKey::from_public_key_der(&spki).map_err(malformed)?;
                ("P-256", p256::elliptic_curve::sec1::ToSec1Point::to_sec1_point(&k, false).as_bytes().to_vec())
            }
            Algorithm::EcP384 => {
                let k = p384::PublicKey::from_public_key_der(&spki).map_err(malformed)?;
                ("P-384", p384::elliptic_curve::sec1::ToSec1Point::to_sec1_point(&k, false).as_bytes().to_vec())
            }
        };
        // Uncompressed SEC1: 0x04 ‖ x ‖ y, each half the rest.
        let half = (point.len() - 1) / 2;
        let (x, y) = (B64.encode(&point[1..1 + half]), B64.encode(&point[1 + half..]));
        // RFC 7638: the required members in lexicographic order, no spaces.
        let canonical = format!(r#"{{"crv":"{crv}","kty":"EC","x":"{x}","y":"{y}"}}"#);
        let kid = B64.encode(DigestAlg::Sha256.hash(canonical.as_bytes()));
        Ok(Jwk { kty: "EC", crv, x, y, kid, use_: "sig", alg: alg(key.algorithm()) })
    }
}

/// Signs `claims` as a compact JWS with header `{alg, typ: "JWT", kid}`.
pub fn sign_jwt(key: &dyn KeyPair, kid: &str, claims: &impl Serialize) -> Result<String, CryptoError> {
    let header = serde_json::json!({ "alg": alg(key.algorithm()), "typ": "JWT", "kid": kid });
    let payload = serde_json::to_vec(claims).map_err(|_| CryptoError::Malformed { what: "claims" })?;
    let signing_input = format!("{}.{}", B64.encode(header.to_string()), B64.encode(payload));
    let der = key.sign(signing_input.as_bytes())?;
    let fixed = match key.algorithm() {
        Algorithm::EcP256 => {
            p256::ecdsa::Signature::from_der(&der).map_err(|_| CryptoError::BadSignature)?.to_bytes().to_vec()
        }
        Algorithm::EcP384 => {
            p384::ecdsa::Signature::from_der(&der).map_err(|_| CryptoError::BadSignature)?.to_bytes().to_vec()
        }
    };
    Ok(format!("{signing_input}.{}", B64.encode(fixed)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::software::SoftwareKey;
    use p256::ecdsa::signature::Verifier;

    #[test]
    fn a_signed_jwt_verifies_with_the_published_jwk_and_fails_when_altered() {
        let key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
        let jwk = Jwk::of(&key).unwrap();
        let token = sign_jwt(&key, &jwk.kid, &serde_json::json!({"sub": "a"})).unwrap();
        let (input, sig) = token.rsplit_once('.').unwrap();
        let mut point = vec![4u8];
        point.extend(B64.decode(&jwk.x).unwrap());
        point.extend(B64.decode(&jwk.y).unwrap());
        let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&point).unwrap();
        let sig = p256::ecdsa::Signature::from_slice(&B64.decode(sig).unwrap()).unwrap();
        assert!(vk.verify(input.as_bytes(), &sig).is_ok());
        let altered = input.replacen('e', "f", 1);
        assert!(vk.verify(altered.as_bytes(), &sig).is_err());
        let header: serde_json::Value =
            serde_json::from_slice(&B64.decode(input.split('.').next().unwrap()).unwrap()).unwrap();
        assert_eq!(header["alg"], "ES256");
        assert_eq!(header["kid"], jwk.kid.as_str());
    }

    #[test]
    fn the_kid_is_the_rfc_7638_thumbprint() {
        // RFC 7638 §3.1 gives an RSA example only; the EC form is the same rule:
        // the thumbprint changes with the key and only with it.
        let a = SoftwareKey::generate(Algorithm::EcP384).unwrap();
        let b = SoftwareKey::generate(Algorithm::EcP384).unwrap();
        let (ja, jb) = (Jwk::of(&a).unwrap(), Jwk::of(&b).unwrap());
        assert_eq!(ja.kid, Jwk::of(&a).unwrap().kid);
        assert_ne!(ja.kid, jb.kid);
        assert_eq!((ja.crv, ja.alg, B64.decode(&ja.x).unwrap().len()), ("P-384", "ES384", 48));
    }
}
