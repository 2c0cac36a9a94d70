//! Throughput of the trust services, one thread, for BENCHMARKS.md
//! ("Trust services"): PAdES B-B sign and verify of a one-page PDF, CMS
//! SignedData sign and verify of a 100 KB package, EnvelopedData encrypt and
//! decrypt of the same package, and the primitives they are made of.
//!
//! ```text
//! cargo run --release -p dossier-crypto --example trust_bench -- DIR [SECONDS] [ROUNDS] [ONLY]
//! ```
//!
//! First writes the fixtures the peers (pyHanko, `openssl cms`) use to `DIR`
//! (or, when `DIR` already has them, reads them back, so that every round of
//! bench/trust.sh measures the same files):
//! `root.pem`, `issuing.pem`, `signer.pem` + `signer.key` (encrypted PKCS#8,
//! PIN `1234`), `agency.pem` + `agency.key` (the envelope recipient, same PIN),
//! `doc.pdf` (one page), `signed.pdf` (signed B-B by Dossier), `payload.bin`
//! (100 KB random), `payload.p7s` (attached SignedData of it, DER) and
//! `payload.env` (EnvelopedData of it to the agency, DER). Every fixture is
//! checked before anything is timed. When pyHanko's bench has left
//! `pyhanko-signed.pdf` (the same page signed by pyHanko) there, its
//! verification is timed too. SECONDS = 0 only writes and checks the fixtures.
//!
//! Then runs each operation for SECONDS (default 3) per round, ROUNDS times
//! (default 3), the operations taken in turn within a round so a change of load
//! on a shared machine hits them all alike, and prints one line per round and
//! one `MEDIAN` line per operation (ONLY, if given, keeps the operations whose
//! name contains it — for profiling one of them):
//!
//! ```text
//! BENCH dossier <op> round=<r> ops=<n> secs=<s> ops_per_s=<x> us_per_op=<y> cpu_secs=<c> cpu_ops_per_s=<z> cpu_us_per_op=<w>
//! MEDIAN dossier <op> ops_per_s=<x> us_per_op=<y> cpu_ops_per_s=<z> cpu_us_per_op=<w>
//! ```
//!
//! `ops_per_s` divides by wall-clock time; `cpu_ops_per_s` by the CPU time the
//! thread got (from `/proc/thread-self/schedstat`, user and kernel time), which
//! is what `openssl speed` divides by (user time) and what holds still when
//! other work on a shared machine takes the core away.
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use aes::cipher::KeyIvInit;
use aes::cipher::block_padding::Pkcs7;
use aes::cipher::{BlockModeDecrypt, BlockModeEncrypt};
use dossier_crypto::container::PinContainer;
use dossier_crypto::digest::DigestAlg;
use dossier_crypto::envelope::{decrypt, encrypt};
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf};
use dossier_crypto::pades::testpdf::minimal_pdf;
use dossier_crypto::pades::validate::verify_pdf;
use dossier_crypto::signed::{SignOptions, SigningIdentity, VerifyInput, sign, verify};
use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::testing::TestPki;
use dossier_crypto::validation::{Indication, RevocationPolicy, TrustContext, certificates_from_pem_or_der};
use dossier_crypto::x509::{CertProfile, to_pem};
use dossier_crypto::{Algorithm, KeyPair, Provider};
use x509_cert::Certificate;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

const PAYLOAD: usize = 100 * 1024;
const PIN: &str = "1234";
/// PBKDF2 work of the fixture keys: enough to be a real container, small
/// enough that opening it is not what the peers' timings measure.
const FIXTURE_PBKDF2_ITERATIONS: u32 = 2048;

fn fail(what: &str) -> Box<dyn std::error::Error> {
    what.into()
}

struct Op<'a> {
    name: &'static str,
    run: Box<dyn FnMut() -> Result<()> + 'a>,
    rates: Vec<f64>,
    cpu_rates: Vec<f64>,
}

impl<'a> Op<'a> {
    fn new(name: &'static str, run: impl FnMut() -> Result<()> + 'a) -> Self {
        Op { name, run: Box::new(run), rates: Vec::new(), cpu_rates: Vec::new() }
    }
}

/// CPU time this thread has had (Linux scheduler statistics), in seconds.
fn thread_cpu_secs() -> Result<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat")?;
    let ns: u64 = stat.split_whitespace().next().ok_or_else(|| fail("empty schedstat"))?.parse()?;
    Ok(ns as f64 / 1e9)
}

/// Runs `f` for `secs` of wall-clock time (after a short warm-up): the
/// number of runs, the wall-clock and the CPU seconds they took.
fn measure(f: &mut dyn FnMut() -> Result<()>, secs: Duration) -> Result<(u64, f64, f64)> {
    for _ in 0..3 {
        f()?;
    }
    let cpu_start = thread_cpu_secs()?;
    let start = Instant::now();
    let mut n = 0u64;
    loop {
        f()?;
        n += 1;
        // Reading the clock costs tens of nanoseconds against operations of
        // tens of microseconds and more, so it is read after every one.
        let elapsed = start.elapsed();
        if elapsed >= secs {
            return Ok((n, elapsed.as_secs_f64(), thread_cpu_secs()? - cpu_start));
        }
    }
}

fn median(values: &[f64]) -> f64 {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn write(dir: &Path, name: &str, bytes: impl AsRef<[u8]>) -> Result<()> {
    std::fs::write(dir.join(name), bytes)?;
    Ok(())
}

/// What every run measures, made once and written to DIR, or read back from
/// it so that every round and every tool works on the same files.
struct Fixtures {
    root: Certificate,
    issuing: Certificate,
    signer_cert: Certificate,
    signer_key: SoftwareKey,
    agency_cert: Certificate,
    agency_key: SoftwareKey,
    doc: Vec<u8>,
    signed_pdf: Vec<u8>,
    payload: Vec<u8>,
    p7s: Vec<u8>,
    envelope: Vec<u8>,
}

impl Fixtures {
    fn create(dir: &Path) -> Result<Self> {
        let pki = TestPki::new()?;
        let signer = pki.party("Bench Signer", CertProfile::DocumentSigning)?;
        let agency = pki.party("Bench Agency", CertProfile::AgencyEncryption)?;
        let chain = pki.chain();
        let id = SigningIdentity { key: &signer.key, certificate: &signer.certificate, chain: &chain };
        let doc = minimal_pdf("Pension certificate copy");
        let opts = PadesOptions { field_name: Some("Signature1".into()), ..PadesOptions::default() };
        let signed_pdf = sign_pdf(&doc, &id, None, &opts)?;
        let mut payload = vec![0u8; PAYLOAD];
        getrandom_04::fill(&mut payload).map_err(|_| fail("no randomness"))?;
        let p7s = sign(&id, &payload, &SignOptions::default())?;
        let envelope = encrypt(&agency.certificate, &payload)?;

        write(dir, "root.pem", to_pem(&pki.root.certificate)?)?;
        write(dir, "issuing.pem", to_pem(&pki.issuing.certificate)?)?;
        write(dir, "signer.pem", to_pem(&signer.certificate)?)?;
        let seal = |key: &SoftwareKey| PinContainer::seal_with_iterations(key, PIN, 3, FIXTURE_PBKDF2_ITERATIONS);
        write(dir, "signer.key", seal(&signer.key)?.encrypted_pkcs8_pem)?;
        write(dir, "agency.pem", to_pem(&agency.certificate)?)?;
        write(dir, "agency.key", seal(&agency.key)?.encrypted_pkcs8_pem)?;
        write(dir, "doc.pdf", &doc)?;
        write(dir, "signed.pdf", &signed_pdf)?;
        write(dir, "payload.bin", &payload)?;
        write(dir, "payload.p7s", &p7s)?;
        write(dir, "payload.env", &envelope)?;
        Ok(Fixtures {
            root: pki.root.certificate.clone(),
            issuing: pki.issuing.certificate.clone(),
            signer_cert: signer.certificate,
            signer_key: signer.key,
            agency_cert: agency.certificate,
            agency_key: agency.key,
            doc,
            signed_pdf,
            payload,
            p7s,
            envelope,
        })
    }

    fn load(dir: &Path) -> Result<Self> {
        let read = |name: &str| std::fs::read(dir.join(name));
        let cert = |name: &str| -> Result<Certificate> {
            let mut certs = certificates_from_pem_or_der(&read(name)?)?;
            certs.pop().ok_or_else(|| fail("no certificate"))
        };
        let key = |name: &str| -> Result<SoftwareKey> {
            let pem = std::fs::read_to_string(dir.join(name))?;
            Ok(PinContainer::from_encrypted_pem(&pem, 3)?.open(PIN)?)
        };
        Ok(Fixtures {
            root: cert("root.pem")?,
            issuing: cert("issuing.pem")?,
            signer_cert: cert("signer.pem")?,
            signer_key: key("signer.key")?,
            agency_cert: cert("agency.pem")?,
            agency_key: key("agency.key")?,
            doc: read("doc.pdf")?,
            signed_pdf: read("signed.pdf")?,
            payload: read("payload.bin")?,
            p7s: read("payload.p7s")?,
            envelope: read("payload.env")?,
        })
    }
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let dir = PathBuf::from(args.next().ok_or_else(|| fail("usage: trust_bench DIR [SECONDS] [ROUNDS] [ONLY]"))?);
    let secs: f64 = args.next().map(|s| s.parse()).transpose()?.unwrap_or(3.0);
    let rounds: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(3).max(1);
    let only = args.next().unwrap_or_default();
    let secs = Duration::from_secs_f64(secs);
    std::fs::create_dir_all(&dir)?;

    // ---- Fixtures ------------------------------------------------------
    let fx = if dir.join("signer.key").exists() { Fixtures::load(&dir)? } else { Fixtures::create(&dir)? };
    let chain = vec![fx.issuing.clone()];
    let trust =
        TrustContext { anchors: vec![fx.root.clone()], revocation: RevocationPolicy::Skip, ..TrustContext::default() };
    let (doc, signed_pdf, payload, p7s, envelope) = (&fx.doc, &fx.signed_pdf, &fx.payload, &fx.p7s, &fx.envelope);
    let (agency_cert, agency_key) = (&fx.agency_cert, &fx.agency_key);
    let id = SigningIdentity { key: &fx.signer_key, certificate: &fx.signer_cert, chain: &chain };
    let pades_opts = PadesOptions { field_name: Some("Signature1".into()), ..PadesOptions::default() };

    let report = verify_pdf(&SoftwareProvider, signed_pdf, &trust)?;
    if report.indication != Indication::TotalPassed || report.signatures.len() != 1 {
        return Err(fail("the signed PDF fixture does not verify"));
    }
    let checked = verify(&SoftwareProvider, p7s, &VerifyInput::attached(), &trust);
    if !checked.report.is_passed() || checked.content.as_deref() != Some(payload.as_slice()) {
        return Err(fail("the CMS fixture does not verify"));
    }
    if decrypt(envelope, agency_cert, agency_key)?.as_slice() != payload.as_slice() {
        return Err(fail("the envelope fixture does not open"));
    }
    // The same PDF signed by pyHanko (bench/pyhanko_bench.py writes it), if there.
    let pyhanko_signed = std::fs::read(dir.join("pyhanko-signed.pdf")).ok();
    if let Some(theirs) = &pyhanko_signed
        && verify_pdf(&SoftwareProvider, theirs, &trust)?.indication != Indication::TotalPassed
    {
        return Err(fail("pyhanko-signed.pdf does not verify"));
    }
    println!(
        "FIXTURES {} (doc.pdf {} B, signed.pdf {} B, payload.p7s {} B, payload.env {} B, pyhanko-signed.pdf {})",
        dir.display(),
        doc.len(),
        signed_pdf.len(),
        p7s.len(),
        envelope.len(),
        pyhanko_signed.as_ref().map_or("absent".to_owned(), |p| format!("{} B", p.len()))
    );
    if secs.is_zero() {
        return Ok(());
    }

    // ---- Operations ----------------------------------------------------
    let ecdsa_key = SoftwareKey::generate(Algorithm::EcP256)?;
    let ecdsa_spki = ecdsa_key.public_key_der();
    let ecdsa_sig = ecdsa_key.sign(b"a signed-attributes SET OF")?;
    let peer_spki = agency_key.public_key_der();
    let (aes_key, aes_iv) = ([7u8; 32], [9u8; 16]);
    let mut aes_buf = vec![0u8; PAYLOAD + 16];
    let mut ops = vec![
        Op::new("pades_sign_bb", || {
            let out = sign_pdf(doc, &id, None, &pades_opts)?;
            black_box(out);
            Ok(())
        }),
        Op::new("pades_verify", || {
            let r = verify_pdf(&SoftwareProvider, signed_pdf, &trust)?;
            if r.indication != Indication::TotalPassed {
                return Err(fail("PAdES verify did not pass"));
            }
            Ok(())
        }),
        Op::new("cms_sign_100k", || {
            black_box(sign(&id, payload, &SignOptions::default())?);
            Ok(())
        }),
        Op::new("cms_verify_100k", || {
            let v = verify(&SoftwareProvider, p7s, &VerifyInput::attached(), &trust);
            if !v.report.is_passed() {
                return Err(fail("CMS verify did not pass"));
            }
            black_box(v);
            Ok(())
        }),
        Op::new("envelope_encrypt_100k", || {
            black_box(encrypt(agency_cert, payload)?);
            Ok(())
        }),
        Op::new("envelope_decrypt_100k", || {
            let plain = decrypt(envelope, agency_cert, agency_key)?;
            if plain.len() != PAYLOAD {
                return Err(fail("envelope decrypt gave the wrong length"));
            }
            Ok(())
        }),
        // The primitives the operations above are made of (for "what limits each figure").
        Op::new("prim_ecdsa_p256_sign", || {
            black_box(ecdsa_key.sign(b"a signed-attributes SET OF")?);
            Ok(())
        }),
        Op::new("prim_ecdsa_p256_verify", || {
            SoftwareProvider.verify_message(
                &ecdsa_spki,
                DigestAlg::Sha256,
                b"a signed-attributes SET OF",
                &ecdsa_sig,
            )?;
            Ok(())
        }),
        Op::new("prim_ecdh_p256_keygen_agree", || {
            let eph = SoftwareKey::generate(Algorithm::EcP256)?;
            black_box(eph.agree(&peer_spki)?);
            Ok(())
        }),
        Op::new("prim_sha256_100k", || {
            black_box(dossier_crypto::digest::sha256(payload));
            Ok(())
        }),
        Op::new("prim_aes256cbc_enc_100k", || {
            aes_buf[..PAYLOAD].copy_from_slice(payload);
            let enc = cbc::Encryptor::<aes::Aes256>::new_from_slices(&aes_key, &aes_iv).map_err(|_| fail("aes"))?;
            let ct = enc.encrypt_padded::<Pkcs7>(&mut aes_buf, PAYLOAD).map_err(|_| fail("aes"))?;
            black_box(ct);
            Ok(())
        }),
    ];
    // Decryption needs a ciphertext: made once, decrypted in a copy each time.
    let mut ciphertext = vec![0u8; PAYLOAD + 16];
    ciphertext[..PAYLOAD].copy_from_slice(payload);
    let enc = cbc::Encryptor::<aes::Aes256>::new_from_slices(&aes_key, &aes_iv).map_err(|_| fail("aes"))?;
    let ct_len = enc.encrypt_padded::<Pkcs7>(&mut ciphertext, PAYLOAD).map_err(|_| fail("aes"))?.len();
    ciphertext.truncate(ct_len);
    let mut dec_buf = ciphertext.clone();
    ops.push(Op::new("prim_aes256cbc_dec_100k", move || {
        dec_buf.copy_from_slice(&ciphertext);
        let dec = cbc::Decryptor::<aes::Aes256>::new_from_slices(&aes_key, &aes_iv).map_err(|_| fail("aes"))?;
        black_box(dec.decrypt_padded::<Pkcs7>(&mut dec_buf).map_err(|_| fail("aes"))?);
        Ok(())
    }));

    if let Some(theirs) = &pyhanko_signed {
        // pyHanko reserves just the room its signature needs: a smaller file than Dossier's.
        let trust = &trust;
        ops.insert(
            2,
            Op::new("pades_verify_pyhanko_signed", move || {
                if verify_pdf(&SoftwareProvider, theirs, trust)?.indication != Indication::TotalPassed {
                    return Err(fail("PAdES verify did not pass"));
                }
                Ok(())
            }),
        );
    }
    ops.retain(|op| op.name.contains(only.as_str()));
    for round in 1..=rounds {
        for op in &mut ops {
            let (n, s, cpu) = measure(&mut op.run, secs)?;
            let (rate, cpu_rate) = (n as f64 / s, n as f64 / cpu);
            op.rates.push(rate);
            op.cpu_rates.push(cpu_rate);
            println!(
                "BENCH dossier {} round={round} ops={n} secs={s:.3} ops_per_s={rate:.1} us_per_op={:.1} \
                 cpu_secs={cpu:.3} cpu_ops_per_s={cpu_rate:.1} cpu_us_per_op={:.1}",
                op.name,
                1e6 / rate,
                1e6 / cpu_rate
            );
        }
    }
    for op in &ops {
        let (m, c) = (median(&op.rates), median(&op.cpu_rates));
        println!(
            "MEDIAN dossier {} ops_per_s={m:.1} us_per_op={:.1} cpu_ops_per_s={c:.1} cpu_us_per_op={:.1}",
            op.name,
            1e6 / m,
            1e6 / c
        );
    }
    Ok(())
}
