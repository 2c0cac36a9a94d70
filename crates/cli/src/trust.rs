//! `dossier sign | verify | encrypt | decrypt` — the trust services from the
//! command line. Private keys are read from PIN-protected PKCS#8 files; the PIN
//! comes from `DOSSIER_PIN` (never a flag: flags show up in `ps`).
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::SystemTime;

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Subcommand, ValueEnum};
use dossier_app::signatures as verification;
use dossier_crypto::container::PinContainer;
use dossier_crypto::digest::DigestAlg;
use dossier_crypto::expiry::AlgorithmPolicy;
use dossier_crypto::pades::pdf::ValidationData;
use dossier_crypto::pades::sign::{PadesOptions, sign_pdf, timestamp_pdf};
use dossier_crypto::pades::validate::{PdfReport, verify_pdf};
use dossier_crypto::signed::{SignOptions, SigningIdentity, TimeStamper, VerifyInput};
use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::validation::{RevocationPolicy, SignatureReport, TrustContext, certificates_from_pem_or_der};
use dossier_crypto::{CryptoError, envelope, signed, tsp};
use dossier_domain::i18n::Lang;
use x509_cert::Certificate;

#[derive(Subcommand)]
pub enum SignCommand {
    /// Sign a PDF (PAdES baseline B-B, or B-T with --tsa) by incremental update.
    Pdf {
        input: PathBuf,
        output: PathBuf,
        #[command(flatten)]
        signer: SignerArgs,
        #[arg(long)]
        reason: Option<String>,
        #[arg(long)]
        location: Option<String>,
        /// Store the chain and these CRLs (DER or PEM) in the document for validation
        /// years later without fetching anything (PAdES B-LT; needs --tsa). Repeatable.
        #[arg(long = "crl")]
        crls: Vec<PathBuf>,
        /// As --crl, for OCSP responses (DER, e.g. `openssl ocsp -respout`). Repeatable.
        #[arg(long = "ocsp")]
        ocsps: Vec<PathBuf>,
        /// After the validation data, add a document time-stamp over them (PAdES B-LTA; needs --tsa).
        #[arg(long)]
        lta: bool,
    },
    /// Make a CMS SignedData (CAdES attributes), attached unless --detached.
    Cms {
        input: PathBuf,
        output: PathBuf,
        #[command(flatten)]
        signer: SignerArgs,
        #[arg(long)]
        detached: bool,
        /// Store the chain and these CRLs (DER or PEM) in the message's own certificates and crls
        /// fields (CAdES B-LT; needs --tsa). Repeatable.
        #[arg(long = "crl")]
        crls: Vec<PathBuf>,
        /// As --crl, for OCSP responses (DER), stored as RFC 5940 entries. Repeatable.
        #[arg(long = "ocsp")]
        ocsps: Vec<PathBuf>,
        /// After the validation data, add an archive time-stamp over the signature and them
        /// (CAdES-LTA, archive-time-stamp-v3; needs --tsa).
        #[arg(long)]
        lta: bool,
    },
}

#[derive(Args)]
pub struct SignerArgs {
    /// The signer's private key: a PIN container (*.key.json) or an encrypted PKCS#8 PEM; the PIN is read from DOSSIER_PIN.
    #[arg(long)]
    key: PathBuf,
    /// The signer's certificate (PEM or DER).
    #[arg(long)]
    cert: PathBuf,
    /// CA certificates to include (PEM bundle).
    #[arg(long)]
    chain: Option<PathBuf>,
    /// URL of an RFC 3161 time-stamping service (e.g. http://127.0.0.1:8080/tsa): makes B-T.
    #[arg(long)]
    tsa: Option<String>,
}

#[derive(Subcommand)]
pub enum VerifyCommand {
    /// Validate every signature of a PDF.
    Pdf {
        file: PathBuf,
        #[command(flatten)]
        trust: TrustArgs,
    },
    /// Validate a CMS SignedData (give --content for a detached one).
    Cms {
        file: PathBuf,
        #[arg(long)]
        content: Option<PathBuf>,
        /// Write the attached content here.
        #[arg(long)]
        out: Option<PathBuf>,
        #[command(flatten)]
        trust: TrustArgs,
    },
}

#[derive(Clone, Copy, ValueEnum)]
pub enum Revocation {
    Require,
    IfAvailable,
    Skip,
}

#[derive(Args)]
pub struct TrustArgs {
    /// Trusted root certificate(s) (PEM or DER); repeatable.
    #[arg(long = "trust", required = true)]
    anchors: Vec<PathBuf>,
    /// Intermediate CA certificates (PEM bundle); repeatable.
    #[arg(long = "untrusted")]
    intermediates: Vec<PathBuf>,
    /// CRL files (DER or PEM); repeatable.
    #[arg(long = "crl")]
    crls: Vec<PathBuf>,
    /// OCSP responses (DER); repeatable.
    #[arg(long = "ocsp")]
    ocsps: Vec<PathBuf>,
    /// Ask for the status the files do not give: the OCSP responder a
    /// certificate names, else its CRL (only for certificates that chain to --trust).
    #[arg(long)]
    online: bool,
    #[arg(long, value_enum, default_value = "require")]
    revocation: Revocation,
    /// Validate as at this day (YYYY-MM-DD, midnight UTC) instead of now: what a court or an
    /// auditor asks years later.
    #[arg(long, value_parser = validation_day)]
    at: Option<SystemTime>,
    /// A dated algorithm expiry, NAME=YYYY-MM-DD (sha256, sha384, sha512, ecdsa-BITS, rsa-BITS):
    /// from that day a signature made with it is valid only if a time-stamp made with sound
    /// algorithms proves it existed before; repeatable.
    #[arg(long = "algorithm-expired")]
    algorithm_expiries: Vec<dossier_crypto::expiry::Expiry>,
    /// Print the JSON report instead of text.
    #[arg(long)]
    json: bool,
    /// Language of the text report.
    #[arg(long, default_value = "uk")]
    lang: String,
}

/// The chain with the CRL and OCSP files given, read and checked: what B-LT stores.
fn validation_data(chain: &[Certificate], crls: &[PathBuf], ocsps: &[PathBuf]) -> Result<ValidationData> {
    let ocsps = ocsps
        .iter()
        .map(|p| {
            let der = read(p)?;
            dossier_crypto::ocsp::OcspEvidence::from_der(&der).map_err(|e| anyhow!("{}: {e}", p.display()))?;
            Ok(der)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(ValidationData {
        certs: chain.iter().filter_map(|c| x509_cert::der::Encode::to_der(c).ok()).collect(),
        crls: read_crls(crls)?,
        ocsps,
    })
}

fn validation_day(s: &str) -> Result<SystemTime, String> {
    dossier_crypto::expiry::parse_date(s).ok_or_else(|| format!("`{s}`: expected YYYY-MM-DD"))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// CRL files (DER or PEM) as DER.
fn read_crls(paths: &[PathBuf]) -> Result<Vec<Vec<u8>>> {
    paths
        .iter()
        .map(|p| {
            dossier_crypto::validation::pem_or_der(&read(p)?, "X509 CRL").map_err(|e| anyhow!("{}: {e}", p.display()))
        })
        .collect()
}

fn certs(path: &Path) -> Result<Vec<Certificate>> {
    certificates_from_pem_or_der(&read(path)?).map_err(|e| anyhow!("{}: {e}", path.display()))
}

/// Opens a key file: encrypted PKCS#8 PEM, or Dossier's PIN container (JSON,
/// which also remembers the wrong-PIN count — written back after each try).
/// What `sign` and `decrypt` open, said when another kind of file is given.
const KEY_FORMATS: &str = "a PIN container (*.key.json, made by `dossier ca` or `dossier demo`) or an encrypted \
     PKCS#8 PEM (-----BEGIN ENCRYPTED PRIVATE KEY-----, e.g. `openssl pkcs8 -topk8 -v2 aes-256-cbc -in key.pem`)";

fn load_key(path: &Path) -> Result<SoftwareKey> {
    let text = String::from_utf8(read(path)?)
        .map_err(|_| anyhow!("{} is not a key file Dossier opens: expected {KEY_FORMATS}", path.display()))?;
    let trimmed = text.trim_start();
    if !trimmed.starts_with('{') {
        // Name what the file is before asking for a PIN it cannot have.
        let label = trimmed.strip_prefix("-----BEGIN ").and_then(|rest| rest.split_once("-----")).map(|(l, _)| l);
        match label {
            Some("ENCRYPTED PRIVATE KEY") => {}
            Some(label @ ("PRIVATE KEY" | "EC PRIVATE KEY" | "RSA PRIVATE KEY")) => bail!(
                "{} holds an unencrypted private key ({label}); Dossier keeps keys only under a PIN: give {KEY_FORMATS}",
                path.display()
            ),
            Some(label) => bail!("{} holds a {label}, not a private key; expected {KEY_FORMATS}", path.display()),
            None => bail!("{} is not a key file Dossier opens: expected {KEY_FORMATS}", path.display()),
        }
    }
    let pin = std::env::var("DOSSIER_PIN").context("set DOSSIER_PIN to the key's PIN")?;
    if trimmed.starts_with('{') {
        return open_container(path, &text, &pin);
    }
    let mut container = PinContainer::from_encrypted_pem(&text, 3).map_err(|e| anyhow!("{e}"))?;
    container.open(&pin).map_err(|e| anyhow!("{e}"))
}

/// Opens a PIN container file (`*.key.json`) with `pin`. Every key file the
/// binary opens goes through here, because the wrong-PIN counter is part of
/// the file: it is written back atomically (0600) after each try, so a
/// wrong PIN counts wherever it was typed and half a key is never left.
pub fn open_container_file(path: &Path, pin: &str) -> Result<SoftwareKey> {
    let text = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    open_container(path, &text, pin)
}

fn open_container(path: &Path, json: &str, pin: &str) -> Result<SoftwareKey> {
    let mut container = PinContainer::from_json(json).map_err(|e| anyhow!("{}: {e}", path.display()))?;
    let opened = container.open(pin);
    dossier_app::certification::write_private(path, &container.to_json())
        .map_err(|e| anyhow!("cannot update {}: {e}", path.display()))?;
    opened.map_err(|e| anyhow!("opening {}: {e}", path.display()))
}

fn trust_context(args: &TrustArgs) -> Result<TrustContext> {
    let mut ctx = TrustContext {
        revocation: match args.revocation {
            Revocation::Require => RevocationPolicy::Require,
            Revocation::IfAvailable => RevocationPolicy::IfAvailable,
            Revocation::Skip => RevocationPolicy::Skip,
        },
        at: args.at,
        algorithms: args.algorithm_expiries.iter().copied().fold(Default::default(), AlgorithmPolicy::with),
        ..TrustContext::default()
    };
    for a in &args.anchors {
        ctx.anchors.extend(certs(a)?);
    }
    for i in &args.intermediates {
        ctx.intermediates.extend(certs(i)?);
    }
    for c in &args.crls {
        ctx.add_crl(&read(c)?).map_err(|e| anyhow!("{}: {e}", c.display()))?;
    }
    for o in &args.ocsps {
        ctx.add_ocsp(&read(o)?).map_err(|e| anyhow!("{}: {e}", o.display()))?;
    }
    Ok(ctx)
}

/// Runs a validation; with `--online`, fetches the status it lacked and runs it again.
async fn validate<R, V, W>(args: &TrustArgs, ctx: TrustContext, validate: V, wanted: W) -> Result<R>
where
    R: Send + 'static,
    V: Fn(&TrustContext) -> R + Send + Sync + Clone + 'static,
    W: Fn(&R) -> Vec<dossier_crypto::validation::RevocationWanted>,
{
    if !args.online {
        return Ok(validate(&ctx));
    }
    let fetcher = dossier_app::revocation::RevocationFetcher::default();
    Ok(dossier_app::revocation::validate_online(&fetcher, ctx, validate, wanted).await?)
}

/// An RFC 3161 client over HTTP. Runs on a blocking thread of its own (the
/// signing code is synchronous).
pub(crate) struct HttpTsa(pub(crate) String);

impl TimeStamper for HttpTsa {
    fn timestamp(&self, alg: DigestAlg, digest: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let nonce: u64 = rand::random();
        let request = tsp::request(alg, digest, nonce)?;
        let url = self.0.clone();
        let unreachable = |_| CryptoError::Malformed { what: "time-stamping service unreachable" };
        let response = std::thread::spawn(move || -> Result<Vec<u8>, CryptoError> {
            let rt =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(|_| CryptoError::Random)?;
            rt.block_on(async {
                let resp = reqwest::Client::new()
                    .post(&url)
                    .header("content-type", "application/timestamp-query")
                    .body(request)
                    .send()
                    .await
                    .map_err(unreachable)?;
                Ok(resp.bytes().await.map_err(unreachable)?.to_vec())
            })
        })
        .join()
        .map_err(|_| CryptoError::Malformed { what: "time-stamping client" })??;
        tsp::token_from_response(&response, nonce)
    }
}

pub fn sign(cmd: SignCommand) -> Result<ExitCode> {
    let (signer, input, output) = match &cmd {
        SignCommand::Pdf { signer, input, output, .. } | SignCommand::Cms { signer, input, output, .. } => {
            (signer, input, output)
        }
    };
    let long_term = match &cmd {
        SignCommand::Pdf { crls, ocsps, lta, .. } => *lta || !crls.is_empty() || !ocsps.is_empty(),
        SignCommand::Cms { crls, ocsps, lta, .. } => *lta || !crls.is_empty() || !ocsps.is_empty(),
    };
    if long_term && signer.tsa.is_none() {
        bail!("--crl, --ocsp and --lta make B-LT / B-LTA, which need a signature time-stamp: give --tsa");
    }
    let key = load_key(&signer.key)?;
    let cert = certs(&signer.cert)?.into_iter().next().ok_or_else(|| anyhow!("no certificate"))?;
    let chain = match &signer.chain {
        Some(p) => certs(p)?,
        None => Vec::new(),
    };
    let id = SigningIdentity { key: &key, certificate: &cert, chain: &chain };
    let tsa = signer.tsa.clone().map(HttpTsa);
    let tsa_ref = tsa.as_ref().map(|t| t as &dyn TimeStamper);
    let data = read(input)?;
    let signed_bytes = match &cmd {
        SignCommand::Pdf { reason, location, crls, ocsps, lta, .. } => {
            let opts = PadesOptions { reason: reason.clone(), location: location.clone(), ..PadesOptions::default() };
            let long_term = *lta || !crls.is_empty() || !ocsps.is_empty();
            let mut pdf = sign_pdf(&data, &id, tsa_ref, &opts)?;
            if long_term {
                pdf = dossier_crypto::pades::pdf::add_dss(&pdf, &validation_data(&chain, crls, ocsps)?)?;
            }
            match tsa_ref {
                Some(t) if *lta => timestamp_pdf(&pdf, t)?,
                _ => pdf,
            }
        }
        SignCommand::Cms { detached, crls, ocsps, lta, .. } => {
            let cms = signed::sign(&id, &data, &SignOptions { detached: *detached, ..SignOptions::default() })?;
            let cms = match tsa_ref {
                Some(t) => signed::add_signature_timestamp(&cms, t)?,
                None => cms,
            };
            let cms = if crls.is_empty() && ocsps.is_empty() {
                cms
            } else {
                let evidence = validation_data(&chain, crls, ocsps)?;
                signed::add_validation_data(&cms, &evidence.certs, &evidence.crls, &evidence.ocsps)?
            };
            match tsa_ref {
                Some(t) if *lta => {
                    let content: [&[u8]; 1] = [&data];
                    signed::add_archive_timestamp(&cms, detached.then_some(&content[..]), t)?
                }
                _ => cms,
            }
        }
    };
    std::fs::write(output, signed_bytes).with_context(|| format!("cannot write {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
}

/// Exit code: 0 TOTAL-PASSED, 1 TOTAL-FAILED, 2 INDETERMINATE, 3 the check could not run.
pub async fn verify(cmd: VerifyCommand) -> ExitCode {
    match verify_inner(cmd).await {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(3)
        }
    }
}

async fn verify_inner(cmd: VerifyCommand) -> Result<u8> {
    match cmd {
        VerifyCommand::Pdf { file, trust } => {
            let ctx = trust_context(&trust)?;
            let lang = Lang::from_tag(&trust.lang).unwrap_or_default();
            let pdf = std::sync::Arc::new(read(&file)?);
            let run = move |ctx: &TrustContext| verify_pdf(&SoftwareProvider, &pdf, ctx);
            let wanted = |r: &Result<_, _>| r.as_ref().map(PdfReport::revocation_wanted).unwrap_or_default();
            let report = validate(&trust, ctx, run, wanted).await?.map_err(|e| anyhow!("{e}"))?;
            if trust.json {
                println!("{}", serde_json::to_string_pretty(&report)?);
            } else {
                print!("{}", verification::pdf_report_text(&report, lang));
            }
            Ok(verification::exit_code(report.indication))
        }
        VerifyCommand::Cms { file, content, out, trust } => {
            let ctx = trust_context(&trust)?;
            let lang = Lang::from_tag(&trust.lang).unwrap_or_default();
            let cms = dossier_crypto::validation::pem_or_der(&read(&file)?, "CMS")
                .map_err(|e| anyhow!("{}: {e}", file.display()))?;
            let detached = content.as_deref().map(read).transpose()?;
            let run = move |ctx: &TrustContext| {
                let parts: Vec<&[u8]> = detached.iter().map(Vec::as_slice).collect();
                let input = if detached.is_some() { VerifyInput::detached(&parts) } else { VerifyInput::attached() };
                signed::verify(&SoftwareProvider, &cms, &input, ctx)
            };
            let wanted = |v: &signed::Verified| {
                let mut all = v.report.all_revocation_wanted();
                all.extend(v.other_signers.iter().flat_map(SignatureReport::all_revocation_wanted));
                all
            };
            let v = validate(&trust, ctx, run, wanted).await?;
            if trust.json {
                // The first signer's report (with the worst verdict), and the others beside it.
                let mut json = serde_json::to_value(&v.report)?;
                if let Some(object) = json.as_object_mut() {
                    object.insert("other_signers".into(), serde_json::to_value(&v.other_signers)?);
                }
                println!("{}", serde_json::to_string_pretty(&json)?);
            } else {
                let mut text = String::new();
                verification::signature_text("CMS", &v.report, lang, &mut text);
                for (n, other) in v.other_signers.iter().enumerate() {
                    verification::signature_text(&format!("CMS #{}", n + 2), other, lang, &mut text);
                }
                print!("{text}");
            }
            if let (Some(out), Some(c)) = (out, &v.content) {
                std::fs::write(&out, c).with_context(|| format!("cannot write {}", out.display()))?;
            }
            Ok(verification::exit_code(v.report.indication))
        }
    }
}

pub fn encrypt(input: &Path, output: &Path, to: &Path) -> Result<ExitCode> {
    let cert = certs(to)?.into_iter().next().ok_or_else(|| anyhow!("no certificate"))?;
    let envelope = envelope::encrypt(&cert, &read(input)?)?;
    std::fs::write(output, envelope).with_context(|| format!("cannot write {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
}

pub fn decrypt(input: &Path, output: &Path, key: &Path, cert: &Path) -> Result<ExitCode> {
    let key = load_key(key)?;
    let cert = certs(cert)?.into_iter().next().ok_or_else(|| anyhow!("no certificate"))?;
    let der = dossier_crypto::validation::pem_or_der(&read(input)?, "CMS").map_err(|e| anyhow!("{e}"))?;
    let plain = envelope::decrypt(&der, &cert, &key).map_err(|e| anyhow!("{e}"))?;
    std::fs::write(output, plain.as_slice()).with_context(|| format!("cannot write {}", output.display()))?;
    Ok(ExitCode::SUCCESS)
}
