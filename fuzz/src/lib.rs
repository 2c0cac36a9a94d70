//! Fixtures shared by the fuzz targets, each built once per process.
//!
//! The PKI in `fixtures/` was made by `dossier_crypto::testing::TestPki`
//! (see `gen-corpus.sh`); loading it instead of a fresh `TestPki` keeps the
//! seed corpora valid for the targets: seed signatures chain to the trust
//! anchor, and seed envelopes are addressed to the fuzzed recipient, so
//! mutations reach chain building, revocation and key unwrapping rather than
//! stopping at "unknown signer" / "not for this recipient".
use std::sync::OnceLock;
use std::time::Duration;

use der::Decode;
use dossier_crypto::container::PinContainer;
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::testing::TestPki;
use dossier_crypto::tsp::TimeStampAuthority;
use dossier_crypto::validation::{RevocationPolicy, TrustContext};
use dossier_crypto::x509::CertProfile;
use x509_cert::Certificate;

/// The PIN of `fixtures/recipient-key.pem` and of the container seeds.
pub const PIN: &str = "1234";
/// The content the signature seeds sign (detached ones need it to verify).
pub const CONTENT: &[u8] = include_bytes!("../fixtures/content.txt");

fn cert(der: &[u8]) -> Certificate {
    Certificate::from_der(der).expect("fixture certificate")
}

/// Trusts the fixture root, knows the issuing CA's CRL, and validates at a
/// fixed time one day into the fixtures' life (deterministic runs).
pub fn trust() -> &'static TrustContext {
    static T: OnceLock<TrustContext> = OnceLock::new();
    T.get_or_init(|| {
        let issuing = cert(include_bytes!("../fixtures/issuing.der"));
        let at = issuing.tbs_certificate().validity().not_before.to_system_time() + Duration::from_secs(86_400);
        let mut ctx = TrustContext {
            anchors: vec![cert(include_bytes!("../fixtures/root.der"))],
            revocation: RevocationPolicy::IfAvailable,
            at: Some(at),
            ..TrustContext::default()
        };
        ctx.add_crl(include_bytes!("../fixtures/issuing-crl.der")).expect("fixture CRL");
        ctx
    })
}

/// The envelope recipient: an AgencyEncryption certificate and its key.
pub fn recipient() -> &'static (Certificate, SoftwareKey) {
    static R: OnceLock<(Certificate, SoftwareKey)> = OnceLock::new();
    R.get_or_init(|| {
        let mut sealed = PinContainer::from_encrypted_pem(include_str!("../fixtures/recipient-key.pem"), 3)
            .expect("fixture key container");
        let key = sealed.open(PIN).expect("fixture key");
        (cert(include_bytes!("../fixtures/recipient.der")), key)
    })
}

/// A time-stamping authority from a fresh TestPki (its answers need no fixed key).
pub fn tsa() -> &'static TimeStampAuthority {
    static T: OnceLock<TimeStampAuthority> = OnceLock::new();
    T.get_or_init(|| {
        let pki = TestPki::new().expect("TestPki");
        let party = pki.party("Fuzz TSA", CertProfile::TimeStamping).expect("TSA certificate");
        TimeStampAuthority::new(Box::new(party.key), party.certificate, pki.chain())
    })
}

/// Whether opening `pem` is cheap enough to do on every fuzz input: PBES2
/// with PBKDF2 of at most 10 000 iterations, or anything else (PBES1, scrypt,
/// unparsable), whose cost the crypto crate has to bound itself.
pub fn cheap_to_open(pem: &str) -> bool {
    use pkcs8::EncryptedPrivateKeyInfoRef;
    let Ok((_, der)) = der::pem::decode_vec(pem.as_bytes()) else { return true };
    let Ok(info) = EncryptedPrivateKeyInfoRef::try_from(der.as_slice()) else { return true };
    match info.encryption_algorithm.pbes2().and_then(|p| p.kdf.pbkdf2()) {
        Some(p) => p.iteration_count <= 10_000,
        None => true,
    }
}

/// The seeds must fit the fixtures, or every mutation stops at the first
/// check (`cargo test --manifest-path fuzz/Cargo.toml`, no fuzzing flags needed).
#[cfg(test)]
mod tests {
    use super::*;
    use dossier_crypto::signed::{VerifyInput, verify};
    use dossier_crypto::software::SoftwareProvider;
    use dossier_crypto::validation::CheckStatus;

    fn seed(target: &str, name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/corpus/{target}/{name}", env!("CARGO_MANIFEST_DIR"))).expect("seed")
    }

    #[test]
    fn signature_seeds_chain_to_the_fixture_root_and_verify() {
        for (name, detached) in [
            ("attached.p7s", false),
            ("attached-bt.p7s", false),
            ("detached.p7s", true),
            ("openssl-attached.p7s", false),
            ("openssl-detached-keyid.p7s", true),
        ] {
            let parts = [CONTENT];
            let input = if detached { VerifyInput::detached(&parts) } else { VerifyInput::attached() };
            let v = verify(&SoftwareProvider, &seed("cms_verify", name), &input, trust());
            let failed: Vec<_> = v.report.checks.iter().filter(|c| c.status == CheckStatus::Failed).collect();
            assert!(failed.is_empty(), "{name}: {failed:?}");
            assert!(v.report.checks.iter().any(|c| c.code == "revocation"), "{name}: revocation checked");
        }
    }

    #[test]
    fn envelope_seeds_open_for_the_fixture_recipient() {
        let (cert, key) = recipient();
        for name in
            ["empty.p7m", "content.p7m", "openssl-aes128.p7m", "openssl-keyid-sha384.p7m", "openssl-stream-ber.p7m"]
        {
            let plain = dossier_crypto::envelope::decrypt(&seed("envelope_decrypt", name), cert, key)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(plain.is_empty() || plain.as_slice() == CONTENT, "{name}");
        }
    }

    #[test]
    fn time_stamp_seeds_are_granted_and_read() {
        for name in ["request-sha256.tsq", "request-sha512.tsq", "openssl-cert.tsq", "openssl-nononce.tsq"] {
            let response = tsa().respond(&seed("tsp_request", name));
            let status = dossier_crypto::tsp::TimeStampResp::from_der(&response).expect("response").status.status;
            assert_eq!(status, 0, "{name}: not granted");
        }
        assert!(dossier_crypto::tsp::token_from_response(&seed("tsp_request", "response.tsr"), 1).is_ok());
        assert!(dossier_crypto::tsp::tst_info(&seed("tsp_request", "token.p7s")).is_ok());
    }
}
