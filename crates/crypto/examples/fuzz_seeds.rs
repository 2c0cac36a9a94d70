//! Writes the fuzzing fixtures and seed corpora (`fuzz/gen-corpus.sh` runs it).
//!
//! `cargo run -p dossier-crypto --example fuzz_seeds -- <fuzz dir> <work dir>`
//!
//! Into `<fuzz dir>/fixtures/`: a throw-away PKI made with [`TestPki`] (root,
//! issuing CA, an agency encryption certificate and its key sealed under PIN
//! 1234 with a small PBKDF2 count) — the fuzz targets load these, so the seeds
//! below chain to a trust anchor and are addressed to the fuzzed recipient.
//! Into `<fuzz dir>/corpus/<target>/`: valid inputs made by our own code.
//! Into `<work dir>`: PEM keys and certificates for the OpenSSL-made seeds;
//! the script deletes that directory afterwards.
use std::fs;
use std::path::{Path, PathBuf};

use der::Encode;
use dossier_crypto::Algorithm;
use dossier_crypto::container::PinContainer;
use dossier_crypto::digest::DigestAlg;
use dossier_crypto::signed::{SignOptions, SigningIdentity, add_signature_timestamp, sign};
use dossier_crypto::testing::{Party, TestPki};
use dossier_crypto::tsp::{self, TimeStampAuthority};
use dossier_crypto::x509::{CertProfile, to_pem};

const PIN: &str = "1234";
/// Small on purpose: the fuzz target opens this key once per process and the
/// container seeds once per input.
const ITERATIONS: u32 = 1000;

fn write(path: PathBuf, bytes: impl AsRef<[u8]>) {
    fs::create_dir_all(path.parent().expect("a parent")).expect("create dir");
    fs::write(&path, bytes).expect("write");
    println!("wrote {}", path.display());
}

fn sealed_pem(key: &dossier_crypto::software::SoftwareKey) -> String {
    PinContainer::seal_with_iterations(key, PIN, 3, ITERATIONS).expect("seal").encrypted_pkcs8_pem
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(fuzz), Some(work)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: fuzz_seeds <fuzz dir> <work dir>");
        std::process::exit(2);
    };
    let (fuzz, work) = (Path::new(fuzz), Path::new(work));
    let fixtures = fuzz.join("fixtures");
    let corpus = |target: &str, name: &str| fuzz.join("corpus").join(target).join(name);

    let pki = TestPki::new().expect("PKI");
    let chain = pki.chain();
    let content = fs::read(fixtures.join("content.txt")).expect("fixtures/content.txt");

    // Fixtures the targets load.
    let recipient = pki.party("Fuzz Agency", CertProfile::AgencyEncryption).expect("recipient");
    write(fixtures.join("root.der"), pki.root.certificate.to_der().expect("der"));
    write(fixtures.join("issuing.der"), pki.issuing.certificate.to_der().expect("der"));
    write(fixtures.join("recipient.der"), recipient.certificate.to_der().expect("der"));
    write(fixtures.join("recipient-key.pem"), sealed_pem(&recipient.key));

    // CMS SignedData: attached, detached, B-T; a time-stamp token is one too.
    let signer = pki.party("Fuzz Signer", CertProfile::QesIdCard).expect("signer");
    let tsa_party = pki.party("Fuzz TSA", CertProfile::TimeStamping).expect("TSA");
    let Party { key: tsa_key, certificate: tsa_cert } = tsa_party;
    let tsa_key_pem = sealed_pem(&tsa_key);
    let tsa = TimeStampAuthority::new(Box::new(tsa_key), tsa_cert.clone(), chain.clone());
    let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
    let attached = sign(&id, &content, &SignOptions::default()).expect("sign");
    let detached = sign(&id, &content, &SignOptions { detached: true, ..SignOptions::default() }).expect("sign");
    let timed = add_signature_timestamp(&attached, &tsa).expect("B-T");
    write(corpus("cms_verify", "attached.p7s"), &attached);
    write(corpus("cms_verify", "detached.p7s"), &detached);
    write(corpus("cms_verify", "attached-bt.p7s"), &timed);

    // RFC 3161: a request, the TSA's answer to it, and the token in it.
    let nonce = 1;
    let request = tsp::request(DigestAlg::Sha256, &DigestAlg::Sha256.hash(&content), nonce).expect("request");
    let response = tsa.respond(&request);
    let token = tsp::token_from_response(&response, nonce).expect("token");
    write(corpus("tsp_request", "request-sha256.tsq"), &request);
    write(
        corpus("tsp_request", "request-sha512.tsq"),
        tsp::request(DigestAlg::Sha512, &DigestAlg::Sha512.hash(b"x"), 7).expect("request"),
    );
    write(corpus("tsp_request", "response.tsr"), &response);
    write(corpus("tsp_request", "token.p7s"), &token);
    write(corpus("cms_verify", "tst-token.p7s"), &token);

    // EnvelopedData to the fixture recipient.
    for (name, plain) in [("empty.p7m", &b""[..]), ("content.p7m", &content[..])] {
        let env = dossier_crypto::envelope::encrypt(&recipient.certificate, plain).expect("encrypt");
        write(corpus("envelope_decrypt", name), env);
    }

    // Certificates (the CRL target also reads certificate lists).
    write(corpus("crl", "root.der"), pki.root.certificate.to_der().expect("der"));
    write(corpus("crl", "bundle.pem"), pki.pem_bundle().expect("pem"));

    // Key containers.
    let other = dossier_crypto::software::SoftwareKey::generate(Algorithm::EcP384).expect("key");
    let container = PinContainer::seal_with_iterations(&other, PIN, 3, ITERATIONS).expect("seal");
    write(corpus("container", "container.json"), container.to_json());
    write(corpus("container", "p384.pem"), &container.encrypted_pkcs8_pem);

    // For OpenSSL: PEM certificates and PIN-sealed keys (its `-passin pass:1234` opens them).
    write(work.join("root.pem"), to_pem(&pki.root.certificate).expect("pem"));
    write(work.join("issuing.pem"), to_pem(&pki.issuing.certificate).expect("pem"));
    write(work.join("issuing-key.pem"), sealed_pem(&pki.issuing.key));
    write(work.join("recipient.pem"), to_pem(&recipient.certificate).expect("pem"));
    write(work.join("signer.pem"), to_pem(&signer.certificate).expect("pem"));
    write(work.join("signer-key.pem"), sealed_pem(&signer.key));
    write(work.join("tsa.pem"), to_pem(&tsa_cert).expect("pem"));
    write(work.join("tsa-key.pem"), tsa_key_pem);
    let revoked = pki.party("Fuzz Revoked", CertProfile::DocumentSigning).expect("party");
    write(work.join("revoked.pem"), to_pem(&revoked.certificate).expect("pem"));
}
