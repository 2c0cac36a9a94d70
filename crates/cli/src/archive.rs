//! `dossier archive renew` — the re-time-stamping job over archived signed
//! PDFs: every file whose newest time-stamp's certificate ends within the
//! horizon (or that was never time-stamped) gets the validation data for
//! that time-stamp and a new document time-stamp over everything (PAdES
//! B-LTA renewal, `dossier_crypto::pades::archive`). `--dry-run` reports what
//! would be renewed and changes nothing; files are replaced atomically.
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use dossier_crypto::pades::archive::{self, ArchiveStatus};
use dossier_crypto::pades::pdf::ValidationData;
use dossier_crypto::validation::{TrustContext, pem_or_der, revocation_sources, rfc3339};
use x509_cert::Certificate;
use x509_cert::der::{Decode, Encode};

use crate::trust::HttpTsa;

#[derive(Subcommand)]
pub enum ArchiveCommand {
    /// Re-time-stamp signed PDFs whose newest time-stamp ends within --within-days (or that have
    /// none): store the validation data for it, then a document time-stamp over everything.
    Renew {
        /// PDF files, or folders searched (recursively) for *.pdf.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
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
    },
}

/// Exit code 0 when every file was handled, 1 when one failed.
pub async fn run(cmd: ArchiveCommand) -> Result<ExitCode> {
    let ArchiveCommand::Renew { paths, tsa, within_days, dry_run, crls, ocsps, online, roots } = cmd;
    if !dry_run && tsa.is_none() {
        bail!("renewing needs a time-stamping service: give --tsa (or --dry-run to report only)");
    }
    let deadline = SystemTime::now() + Duration::from_secs(u64::from(within_days) * 86_400);
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
    let files = pdf_files(&paths)?;
    let fetcher = dossier_app::revocation::RevocationFetcher::default();
    let (mut renewed, mut failed) = (0usize, 0usize);
    for file in &files {
        let outcome = async {
            let doc = read(file)?;
            let status = archive::status(&doc).map_err(|e| anyhow!("{e}"))?;
            let line = describe(&status);
            if !status.due(deadline) {
                return Ok(format!("not due — {line}"));
            }
            if dry_run {
                return Ok(format!("due — {line}; would renew"));
            }
            let mut data = given.clone();
            data.certs = status.certificates.clone();
            // The roots too: a long-term validator checks the CA lists they sign with them.
            data.certs.extend(anchors.iter().filter_map(|c| c.to_der().ok()));
            if online {
                fetch_status(&fetcher, &status.certificates, &anchors, &mut data).await;
            }
            let tsa = HttpTsa(tsa.clone().unwrap_or_default());
            let out = tokio::task::spawn_blocking(move || archive::renew(&doc, &data, &tsa)).await??;
            replace(file, &out)?;
            Ok::<_, anyhow::Error>(format!("renewed — {line}"))
        }
        .await;
        match outcome {
            Ok(line) => {
                renewed += usize::from(line.starts_with("renewed"));
                println!("{}: {line}", file.display());
            }
            Err(e) => {
                failed += 1;
                println!("{}: error: {e:#}", file.display());
            }
        }
    }
    println!("{} file(s): {renewed} renewed, {failed} failed{}", files.len(), if dry_run { " (dry run)" } else { "" });
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
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
