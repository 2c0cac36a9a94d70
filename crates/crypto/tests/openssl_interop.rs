//! Interop with a tool we did not write: OpenSSL opens our PIN containers with
//! the PIN (and refuses a wrong one), verifies our signatures and derives the
//! same ECDH secret; we open OpenSSL's encrypted PKCS#8 and verify its
//! signatures. Skipped with a notice without `openssl`, failed under CI=true.
use std::path::Path;
use std::process::Command;

use dossier_crypto::container::PinContainer;
use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::{Algorithm, KeyPair, Provider};
use pkcs8::der::pem::LineEnding;

fn openssl_available() -> bool {
    let ok = Command::new("openssl").arg("version").output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the openssl command is missing");
    }
    if !ok {
        eprintln!("skipping OpenSSL interop: no openssl command");
    }
    ok
}

fn openssl(args: &[&str], dir: &Path) -> std::process::Output {
    Command::new("openssl").args(args).current_dir(dir).output().unwrap()
}

fn public_pem(der: &[u8]) -> String {
    pkcs8::der::pem::encode_string("PUBLIC KEY", LineEnding::LF, der).unwrap()
}

#[test]
fn openssl_opens_our_container_with_the_pin_only() {
    if !openssl_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    for alg in [Algorithm::EcP256, Algorithm::EcP384] {
        let (container, public) = PinContainer::generate(alg, "482915", 3).unwrap();
        std::fs::write(dir.path().join("key.pem"), &container.encrypted_pkcs8_pem).unwrap();
        let out = openssl(&["pkey", "-in", "key.pem", "-passin", "pass:482915", "-pubout"], dir.path());
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(String::from_utf8_lossy(&out.stdout), public_pem(&public));
        let wrong = openssl(&["pkey", "-in", "key.pem", "-passin", "pass:000000", "-pubout"], dir.path());
        assert!(!wrong.status.success(), "a wrong PIN must not open the container");
    }
}

#[test]
fn we_open_openssl_pbes2_pkcs8_and_both_verify_each_other() {
    if !openssl_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    assert!(
        openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "plain.pem"], p)
            .status
            .success()
    );
    let out = openssl(
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "plain.pem",
            "-v2",
            "aes-256-cbc",
            "-v2prf",
            "hmacWithSHA256",
            "-passout",
            "pass:2468",
            "-out",
            "enc.pem",
        ],
        p,
    );
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let mut container =
        PinContainer::from_encrypted_pem(&std::fs::read_to_string(p.join("enc.pem")).unwrap(), 3).unwrap();
    assert!(container.open("1357").is_err());
    let key = container.open("2468").unwrap();

    // Our signature, OpenSSL's verification.
    std::fs::write(p.join("msg"), b"acceptance-transfer act No 12").unwrap();
    std::fs::write(p.join("sig.der"), key.sign(b"acceptance-transfer act No 12").unwrap()).unwrap();
    std::fs::write(p.join("pub.pem"), public_pem(&key.public_key_der())).unwrap();
    let v = openssl(&["dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig.der", "msg"], p);
    assert!(String::from_utf8_lossy(&v.stdout).contains("Verified OK"), "{}", String::from_utf8_lossy(&v.stderr));

    // OpenSSL's signature, our verification; a changed message fails.
    assert!(openssl(&["dgst", "-sha256", "-sign", "plain.pem", "-out", "theirs.der", "msg"], p).status.success());
    let theirs = std::fs::read(p.join("theirs.der")).unwrap();
    SoftwareProvider.verify(&key.public_key_der(), b"acceptance-transfer act No 12", &theirs).unwrap();
    assert!(SoftwareProvider.verify(&key.public_key_der(), b"acceptance-transfer act No 13", &theirs).is_err());
}

#[test]
fn ecdh_secret_matches_openssl_derive() {
    if !openssl_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    let ours = SoftwareKey::generate(Algorithm::EcP256).unwrap();
    assert!(
        openssl(&["genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "peer.pem"], p)
            .status
            .success()
    );
    assert!(
        openssl(&["pkey", "-in", "peer.pem", "-pubout", "-outform", "DER", "-out", "peer_pub.der"], p).status.success()
    );
    std::fs::write(p.join("ours_pub.pem"), public_pem(&ours.public_key_der())).unwrap();
    let out =
        openssl(&["pkeyutl", "-derive", "-inkey", "peer.pem", "-peerkey", "ours_pub.pem", "-out", "secret.bin"], p);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let theirs = std::fs::read(p.join("secret.bin")).unwrap();
    let peer_pub = std::fs::read(p.join("peer_pub.der")).unwrap();
    assert_eq!(*ours.agree(&peer_pub).unwrap(), theirs);
}
