//! `dossier archive renew` — the re-time-stamping job over archived signed
//! PDFs: every document whose newest time-stamp's certificate ends within the
//! horizon (or that was never time-stamped) gets the validation data for
//! that time-stamp and a new document time-stamp over everything (PAdES
//! B-LTA renewal, `dossier_crypto::pades::archive`). The documents are files
//! and folders, or (`--stored`) every PDF the fund keeps — shared copies
//! first of all. `--dry-run` reports what would be renewed and changes
//! nothing; a file is replaced atomically, a stored document is pointed at its
//! renewed bytes only if nobody changed it meanwhile (the old bytes stay: they
//! are the first revisions of the new ones).
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use dossier_crypto::pades::archive::{self, ArchiveStatus};
use dossier_crypto::pades::pdf::ValidationData;
use dossier_crypto::validation::{TrustContext, pem_or_der, revocation_sources, rfc3339};
use dossier_store::{Actor, StoredBlob};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

use dossier_crypto::expiry::{AlgorithmPolicy, Expiry};

use crate::config::Config;
use crate::trust::HttpTsa;

#[derive(Subcommand)]
pub enum ArchiveCommand {
    /// Re-time-stamp signed PDFs whose newest time-stamp ends within --within-days (or that have
    /// none): store the validation data for it, then a document time-stamp over everything.
    Renew {
        /// PDF files, or folders searched (recursively) for *.pdf.
        #[arg(required_unless_present = "stored", conflicts_with = "stored")]
        paths: Vec<PathBuf>,
        /// Every PDF document the fund stores (its database and blob store, as `serve` uses them).
        #[arg(long)]
        stored: bool,
        /// URL of the RFC 3161 time-stamping service (e.g. http://127.0.0.1:8080/tsa); not needed with --dry-run.
        #[arg(long)]
        tsa: Option<String>,
        /// Renew what stops being provable within this many days.
        #[arg(long, default_value_t = 180)]
        within_days: u32,
        /// Report what is due; change nothing.
        #[arg(long)]
        dry_run: bool,
        /// CRLs (DER or PEM) to store with the renewal; repeatable.
        #[arg(long = "crl")]
        crls: Vec<PathBuf>,
        /// OCSP responses (DER) to store likewise; repeatable.
        #[arg(long = "ocsp")]
        ocsps: Vec<PathBuf>,
        /// Fetch the status of every certificate the document carries from the OCSP responder (else
        /// the CRL) each names.
        #[arg(long)]
        online: bool,
        /// Root certificates (PEM or DER): stored with the renewal, and --online asks for the status
        /// of the CAs they certified too (the root's revocation list); repeatable.
        #[arg(long = "trust")]
        roots: Vec<PathBuf>,
        /// A dated algorithm expiry, NAME=YYYY-MM-DD (sha256, sha384, sha512, ecdsa-BITS, rsa-BITS):
        /// a time-stamp made with it is due before that date too; repeatable.
        #[arg(long = "algorithm-expired")]
        algorithm_expiries: Vec<Expiry>,
    },
}

/// What every document of one run is judged and renewed with.
struct Plan {
    deadline: SystemTime,
    dry_run: bool,
    given: ValidationData,
    anchors: Vec<Certificate>,
    online: bool,
    fetcher: dossier_app::revocation::RevocationFetcher,
    tsa: String,
    algorithms: AlgorithmPolicy,
}

/// What one document came to.
enum Outcome {
    NotDue(String),
    WouldRenew(String),
    Renewed(String, Vec<u8>),
}

impl Plan {
    /// Judges one document and, when due (and not a dry run), renews it.
    async fn renew(&self, doc: Vec<u8>) -> Result<Outcome> {
        let status = archive::status(&doc, &self.algorithms).map_err(|e| anyhow!("{e}"))?;
        let line = describe(&status);
        if !status.due(self.deadline) {
            return Ok(Outcome::NotDue(line));
        }
        if self.dry_run {
            return Ok(Outcome::WouldRenew(line));
        }
        let mut data = self.given.clone();
        data.certs = status.certificates.clone();
        // The roots too: a long-term validator checks the CA lists they sign with them.
        data.certs.extend(self.anchors.iter().filter_map(|c| c.to_der().ok()));
        if self.online {
            fetch_status(&self.fetcher, &status.certificates, &self.anchors, &mut data).await;
        }
        let tsa = HttpTsa(self.tsa.clone());
        let out = tokio::task::spawn_blocking(move || archive::renew(&doc, &data, &tsa)).await??;
        Ok(Outcome::Renewed(line, out))
    }
}

/// The tally of a run, printed as it goes.
#[derive(Default)]
struct Tally {
    seen: usize,
    renewed: usize,
    failed: usize,
}

impl Tally {
    /// Prints one document's line; hands back the renewed bytes to keep.
    fn note(&mut self, name: &str, outcome: Result<Outcome>) -> Option<Vec<u8>> {
        self.seen += 1;
        let (line, bytes) = match outcome {
            Ok(Outcome::NotDue(l)) => (format!("not due — {l}"), None),
            Ok(Outcome::WouldRenew(l)) => (format!("due — {l}; would renew"), None),
            Ok(Outcome::Renewed(l, bytes)) => (format!("renewed — {l}"), Some(bytes)),
            Err(e) => {
                self.failed += 1;
                (format!("error: {e:#}"), None)
            }
        };
        println!("{name}: {line}");
        bytes
    }

    /// Counts the renewed bytes kept, or the failure to keep them.
    fn kept(&mut self, name: &str, result: Result<()>) {
        match result {
            Ok(()) => self.renewed += 1,
            Err(e) => {
                self.failed += 1;
                println!("{name}: error: {e:#}");
            }
        }
    }
}

/// Exit code 0 when every document was handled, 1 when one failed.
pub async fn run(cfg: impl FnOnce() -> Result<Config>, cmd: ArchiveCommand) -> Result<ExitCode> {
    let ArchiveCommand::Renew {
        paths,
        stored,
        tsa,
        within_days,
        dry_run,
        crls,
        ocsps,
        online,
        roots,
        algorithm_expiries,
    } = cmd;
    if !dry_run && tsa.is_none() {
        bail!("renewing needs a time-stamping service: give --tsa (or --dry-run to report only)");
    }
    let mut given = ValidationData::default();
    for p in &crls {
        given.crls.push(pem_or_der(&read(p)?, "X509 CRL").map_err(|e| anyhow!("{}: {e}", p.display()))?);
    }
    for p in &ocsps {
        let der = read(p)?;
        dossier_crypto::ocsp::OcspEvidence::from_der(&der).map_err(|e| anyhow!("{}: {e}", p.display()))?;
        given.ocsps.push(der);
    }
    let mut anchors = Vec::new();
    for p in &roots {
        anchors.extend(
            dossier_crypto::validation::certificates_from_pem_or_der(&read(p)?)
                .map_err(|e| anyhow!("{}: {e}", p.display()))?,
        );
    }
    let plan = Plan {
        deadline: SystemTime::now() + Duration::from_secs(u64::from(within_days) * 86_400),
        dry_run,
        given,
        anchors,
        online,
        fetcher: dossier_app::revocation::RevocationFetcher::default(),
        tsa: tsa.unwrap_or_default(),
        algorithms: algorithm_expiries.into_iter().fold(AlgorithmPolicy::default(), AlgorithmPolicy::with),
    };
    let mut tally = Tally::default();
    if stored {
        renew_stored(&cfg()?, &plan, &mut tally).await?;
    } else {
        for file in pdf_files(&paths)? {
            let outcome = match read(&file) {
                Ok(doc) => plan.renew(doc).await,
                Err(e) => Err(e),
            };
            let name = file.display().to_string();
            if let Some(bytes) = tally.note(&name, outcome) {
                tally.kept(&name, replace(&file, &bytes));
            }
        }
    }
    let Tally { seen, renewed, failed } = tally;
    println!("{seen} document(s): {renewed} renewed, {failed} failed{}", if dry_run { " (dry run)" } else { "" });
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Every stored PDF, a page at a time: read, judged, renewed, stored, and the
/// document pointed at the new bytes if it still has the bytes read.
async fn renew_stored(cfg: &Config, plan: &Plan, tally: &mut Tally) -> Result<()> {
    let (store, blobs) = crate::storage::open(cfg).await?;
    let actor = Actor::system("archive-renew");
    let mut after = None;
    loop {
        let page = store.documents_of_type("application/pdf", after, 100).await?;
        let Some(last) = page.last() else { break };
        after = Some(last.id);
        for doc in page {
            let name = format!("document {} ({})", doc.id, doc.kind);
            let outcome = match blobs.get(&doc.sha256).await {
                Ok(bytes) => plan.renew(bytes).await,
                Err(e) => Err(e.into()),
            };
            let Some(bytes) = tally.note(&name, outcome) else { continue };
            let kept = async {
                let put = blobs.put(&bytes).await?;
                let renewed = StoredBlob { sha256: put.sha256, size: i64::try_from(bytes.len())? };
                store.renew_document(&actor, doc.id, &doc.sha256, &renewed).await?;
                Ok(())
            }
            .await;
            tally.kept(&name, kept);
        }
    }
    Ok(())
}

fn describe(s: &ArchiveStatus) -> String {
    match &s.newest_timestamp {
        _ if s.signatures == 0 => "no signatures".to_owned(),
        None => format!("{} signature(s), never time-stamped", s.signatures),
        Some(t) => {
            format!("newest time-stamp ({} time-stamp in {}) provable until {}", t.kind, t.field, rfc3339(t.expires))
        }
    }
}

/// The status of every certificate the document carries, asked where each
/// certificate says (OCSP, else CRL), added to `data`; `roots` are issuers too.
async fn fetch_status(
    fetcher: &dossier_app::revocation::RevocationFetcher,
    carried: &[Vec<u8>],
    roots: &[Certificate],
    data: &mut ValidationData,
) {
    let certs: Vec<Certificate> = carried.iter().filter_map(|d| Certificate::from_der(d).ok()).collect();
    let issuers: Vec<&Certificate> = certs.iter().chain(roots).collect();
    let wanted: Vec<_> = certs
        .iter()
        .filter_map(|c| {
            let issuer =
                issuers.iter().find(|i| i.tbs_certificate().subject() == c.tbs_certificate().issuer() && **i != c)?;
            revocation_sources(c, issuer)
        })
        .collect();
    let mut ctx = TrustContext::default();
    fetcher.supply(&wanted, &mut ctx).await;
    data.crls.extend(ctx.crls.iter().filter_map(|c| c.to_der().ok()));
    data.ocsps.extend(ctx.ocsp.iter().map(|o| o.der().to_vec()));
}

fn read(path: &Path) -> Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Writes beside the file and renames over it: a crash leaves the old file or the new, never half.
fn replace(path: &Path, bytes: &[u8]) -> Result<()> {
    let tmp = path.with_extension("pdf.renewing");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot replace {}", path.display()))
}

/// The files named, and the *.pdf files under the folders named, in a stable order.
fn pdf_files(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .with_context(|| format!("cannot list {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out)?;
            } else if p.extension().is_some_and(|e| e.eq_ignore_ascii_case("pdf")) {
                out.push(p);
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            walk(p, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}
