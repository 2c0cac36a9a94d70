//! CMS EnvelopedData checked against OpenSSL both ways: `openssl cms -decrypt`
//! opens our envelopes (and refuses with another key); we open envelopes made
//! by `openssl cms -encrypt` with SHA-256/384/512 KDFs and AES-128/192/256, and
//! refuse OpenSSL's default SHA-1 KDF (see the module doc of `envelope`).
//! Skipped without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};
use std::str::FromStr;
use std::time::Duration;

use dossier_crypto::container::PinContainer;
use dossier_crypto::envelope::{decrypt, encrypt};
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::x509::{CertProfile, issue, to_pem};
use dossier_crypto::{Algorithm, CryptoError, KeyPair};
use x509_cert::Certificate;
use x509_cert::name::Name;

fn openssl(args: &[&str], dir: &Path) -> Output {
    Command::new("openssl").args(args).current_dir(dir).output().unwrap()
}

fn available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    if !ok {
        eprintln!("skipping envelope interop: no openssl command");
    }
    ok
}

fn ok(out: &Output) -> bool {
    if !out.status.success() {
        eprintln!("{}", String::from_utf8_lossy(&out.stderr));
    }
    out.status.success()
}

/// An agency's encryption certificate (issued by a test CA) and its key.
fn agency(cn: &str) -> (Certificate, SoftwareKey) {
    let ca_key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
    let ca_name = Name::from_str("CN=Dossier Test CA,O=Pension Fund of Ukraine,C=UA").unwrap();
    let key = SoftwareKey::generate(Algorithm::EcP256).unwrap();
    let subject = Name::from_str(&format!("CN={cn},O=Pension Fund of Ukraine,C=UA")).unwrap();
    let cert = issue(
        &ca_key,
        Some(&ca_name),
        subject,
        &key.public_key_der(),
        CertProfile::AgencyEncryption,
        Duration::from_secs(86_400),
    )
    .unwrap();
    (cert, key)
}

/// Writes the certificate and the key as unencrypted PKCS#8 PEM (through a
/// PIN container that OpenSSL opens: the crate never exports bare keys).
fn export(dir: &Path, name: &str, cert: &Certificate, key: &SoftwareKey) {
    std::fs::write(dir.join(format!("{name}.crt")), to_pem(cert).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(key, "1234", 3, 1000).unwrap();
    std::fs::write(dir.join(format!("{name}.sealed")), &sealed.encrypted_pkcs8_pem).unwrap();
    let out = openssl(
        &["pkey", "-in", &format!("{name}.sealed"), "-passin", "pass:1234", "-out", &format!("{name}.key")],
        dir,
    );
    assert!(ok(&out));
}

fn payloads() -> Vec<Vec<u8>> {
    let binary: Vec<u8> = (0..100 * 1024).map(|i: u32| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    vec![b"x".to_vec(), b"pension decision No. 42\r\n\x00\xff".to_vec(), binary]
}

#[test]
fn openssl_decrypts_our_envelopes_and_refuses_another_key() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (cert, key) = agency("Agency");
    export(p, "agency", &cert, &key);
    let (_, other_key) = agency("Other");
    export(p, "other", &cert, &other_key);

    for (i, msg) in payloads().iter().enumerate() {
        let env = encrypt(&cert, msg).unwrap();
        std::fs::write(p.join("env.der"), &env).unwrap();
        let out_name = format!("out{i}.bin");
        let out = openssl(
            &[
                "cms",
                "-decrypt",
                "-binary",
                "-inform",
                "DER",
                "-in",
                "env.der",
                "-recip",
                "agency.crt",
                "-inkey",
                "agency.key",
                "-out",
                &out_name,
            ],
            p,
        );
        assert!(ok(&out), "OpenSSL refused our envelope {i}");
        assert_eq!(&std::fs::read(p.join(&out_name)).unwrap(), msg, "payload {i}");

        let wrong = openssl(
            &[
                "cms",
                "-decrypt",
                "-binary",
                "-inform",
                "DER",
                "-in",
                "env.der",
                "-recip",
                "agency.crt",
                "-inkey",
                "other.key",
                "-out",
                "wrong.bin",
            ],
            p,
        );
        assert!(!wrong.status.success(), "OpenSSL opened envelope {i} with another key");
        assert_ne!(std::fs::read(p.join("wrong.bin")).unwrap_or_default(), *msg);
    }
}

/// `openssl cms -encrypt` to `agency.crt` with extra options; the DER envelope.
fn openssl_encrypt(p: &Path, msg: &[u8], cipher: &str, extra: &[&str]) -> Vec<u8> {
    std::fs::write(p.join("msg.bin"), msg).unwrap();
    let mut args = vec!["cms", "-encrypt", "-binary", cipher, "-recip", "agency.crt"];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["-in", "msg.bin", "-outform", "DER", "-out", "env.der"]);
    let out = openssl(&args, p);
    assert!(ok(&out), "openssl {args:?}");
    std::fs::read(p.join("env.der")).unwrap()
}

#[test]
fn we_decrypt_openssl_envelopes_with_sha2_kdfs_and_all_aes_sizes() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (cert, key) = agency("Agency");
    export(p, "agency", &cert, &key);
    let (other_cert, other_key) = agency("Other");

    let cases: [(&str, &str); 5] = [
        ("-aes256", "ecdh_kdf_md:sha256"),
        ("-aes256", "ecdh_kdf_md:sha384"),
        ("-aes256", "ecdh_kdf_md:sha512"),
        ("-aes128", "ecdh_kdf_md:sha256"),
        ("-aes192", "ecdh_kdf_md:sha384"),
    ];
    for (cipher, kdf) in cases {
        for msg in payloads() {
            let env = openssl_encrypt(p, &msg, cipher, &["-keyopt", kdf]);
            assert_eq!(decrypt(&env, &cert, &key).unwrap().as_slice(), msg.as_slice(), "{cipher} {kdf}");
            assert_eq!(decrypt(&env, &cert, &other_key).unwrap_err(), CryptoError::DecryptionFailed);
            assert_eq!(decrypt(&env, &other_cert, &other_key).unwrap_err(), CryptoError::NotForThisRecipient);
        }
    }
}

#[test]
fn openssl_streamed_ber_envelopes_open_too() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (cert, key) = agency("Agency");
    export(p, "agency", &cert, &key);
    for msg in payloads() {
        let env = openssl_encrypt(p, &msg, "-aes256", &["-keyopt", "ecdh_kdf_md:sha256", "-stream"]);
        assert_eq!(decrypt(&env, &cert, &key).unwrap().as_slice(), msg.as_slice());
    }
}

/// OpenSSL 3.0's default KDF is SHA-1 (dhSinglePass-stdDH-sha1kdf-scheme); the
/// profile is SHA-256, so such envelopes are refused as unsupported — cleanly.
#[test]
fn openssl_default_sha1_kdf_is_refused_as_unsupported() {
    if !available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let (cert, key) = agency("Agency");
    export(p, "agency", &cert, &key);
    let env = openssl_encrypt(p, b"legacy sender", "-aes256", &[]);
    let text = openssl(&["asn1parse", "-inform", "DER", "-in", "env.der"], p);
    let text = String::from_utf8_lossy(&text.stdout);
    if text.contains("sha1kdf") {
        assert_eq!(decrypt(&env, &cert, &key).unwrap_err(), CryptoError::Unsupported);
    } else {
        // A newer OpenSSL with a SHA-2 default: then it must simply open.
        assert_eq!(decrypt(&env, &cert, &key).unwrap().as_slice(), b"legacy sender");
    }
}
