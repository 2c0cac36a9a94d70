//! P-256 ECDSA sign/verify and ECDH, ring vs aws-lc-rs, one thread, interleaved rounds;
//! static-key ECDH (what opening an envelope does), RustCrypto vs aws-lc-rs.
// Dossier uses ring; aws-lc-rs is the other assembly-backed candidate the issue named.
use std::time::Instant;

fn time<F: FnMut()>(name: &str, round: usize, n: usize, mut f: F) {
    let t = Instant::now();
    for _ in 0..n {
        f();
    }
    let us = t.elapsed().as_secs_f64() * 1e6 / n as f64;
    println!("{name} round={round} us_per_op={us:.1}");
}

fn main() {
    let msg = b"signed attributes of a pension record, about this long........................";
    // ring
    let rng = ring::rand::SystemRandom::new();
    let rp8 = ring::signature::EcdsaKeyPair::generate_pkcs8(&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING, &rng).unwrap();
    let rk = ring::signature::EcdsaKeyPair::from_pkcs8(&ring::signature::ECDSA_P256_SHA256_ASN1_SIGNING, rp8.as_ref(), &rng).unwrap();
    use ring::signature::KeyPair as _;
    let rpub = rk.public_key().as_ref().to_vec();
    let rsig = rk.sign(&rng, msg).unwrap().as_ref().to_vec();
    // aws-lc-rs
    let arng = aws_lc_rs::rand::SystemRandom::new();
    let ap8 = aws_lc_rs::signature::EcdsaKeyPair::generate_pkcs8(&aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING, &arng).unwrap();
    let ak = aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(&aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1_SIGNING, ap8.as_ref()).unwrap();
    use aws_lc_rs::signature::KeyPair as _;
    let apub = ak.public_key().as_ref().to_vec();
    let asig = ak.sign(&arng, msg).unwrap().as_ref().to_vec();
    // Static keys: the recipient's, as an envelope is opened with it.
    let rc_key = p256::SecretKey::from_slice(&[7u8; 32]).unwrap();
    let rc_peer = p256::PublicKey::from_sec1_bytes(&rpub).unwrap();
    let aw_key = aws_lc_rs::agreement::PrivateKey::generate(&aws_lc_rs::agreement::ECDH_P256).unwrap();
    for round in 1..=3 {
        time("rustcrypto p256_ecdh_static", round, 4000, || {
            let peer = p256::PublicKey::from_sec1_bytes(&rpub).unwrap();
            let s = p256::ecdh::diffie_hellman(rc_key.to_nonzero_scalar(), peer.as_affine());
            std::hint::black_box(s.raw_secret_bytes().len());
        });
        time("awslc  p256_ecdh_static", round, 10000, || {
            let peer = aws_lc_rs::agreement::UnparsedPublicKey::new(&aws_lc_rs::agreement::ECDH_P256, &rpub);
            aws_lc_rs::agreement::agree(&aw_key, peer, (), |s| Ok(s.len())).unwrap();
        });
        std::hint::black_box(&rc_peer);
        time("ring   p256_sign", round, 20000, || { rk.sign(&rng, msg).unwrap(); });
        time("awslc  p256_sign", round, 20000, || { ak.sign(&arng, msg).unwrap(); });
        time("ring   p256_verify", round, 10000, || {
            ring::signature::UnparsedPublicKey::new(&ring::signature::ECDSA_P256_SHA256_ASN1, &rpub).verify(msg, &rsig).unwrap();
        });
        time("awslc  p256_verify", round, 10000, || {
            aws_lc_rs::signature::UnparsedPublicKey::new(&aws_lc_rs::signature::ECDSA_P256_SHA256_ASN1, &apub).verify(msg, &asig).unwrap();
        });
        time("ring   p256_ecdh_ephemeral", round, 10000, || {
            let k = ring::agreement::EphemeralPrivateKey::generate(&ring::agreement::ECDH_P256, &rng).unwrap();
            let peer = ring::agreement::UnparsedPublicKey::new(&ring::agreement::ECDH_P256, &rpub);
            ring::agreement::agree_ephemeral(k, &peer, |s| s.len()).unwrap();
        });
        time("awslc  p256_ecdh_ephemeral", round, 10000, || {
            let k = aws_lc_rs::agreement::EphemeralPrivateKey::generate(&aws_lc_rs::agreement::ECDH_P256, &arng).unwrap();
            let peer = aws_lc_rs::agreement::UnparsedPublicKey::new(&aws_lc_rs::agreement::ECDH_P256, &apub);
            aws_lc_rs::agreement::agree_ephemeral(k, peer, (), |s| Ok(s.len())).unwrap();
        });
    }
}
