//! `dossier audit`: walk the audit trail held to its signed checkpoints,
//! sign one now, and copy the checkpoints out of the fund's storage
//! (`dossier_app::audit_checkpoints` says why and how).
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, anyhow, bail};
use dossier_app::audit_checkpoints::{self, Verdict};
use dossier_crypto::validation::{RevocationPolicy, TrustContext, certificates_from_pem_or_der};
use x509_cert::Certificate;

use crate::config::Config;

#[derive(Debug, clap::Subcommand)]
pub enum AuditCommand {
    /// Walk both hash chains held to every signed checkpoint (the blob store's and, with
    /// --checkpoints, a copy kept elsewhere); report the first broken link, a cut tail or a
    /// recomputed chain, and the first entry no checkpoint vouches for. Exit code 1 if any.
    Verify {
        /// A folder of checkpoints `dossier audit export` wrote (held to as well).
        #[arg(long)]
        checkpoints: Option<PathBuf>,
        /// Root certificates the checkpoints' seal must chain to (PEM or DER; default: the
        /// centre's root and issuing CA in the CA folder); repeatable.
        #[arg(long = "trust")]
        roots: Vec<PathBuf>,
        /// The fund's seal certificates a checkpoint may be signed with (default: the current
        /// seal's, DATA_DIR/keys/00000/document-signing.pem); repeatable — give the earlier
        /// seals' after a key change.
        #[arg(long = "signer")]
        signers: Vec<PathBuf>,
        /// Print the verdict as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Sign a checkpoint of each chain's head now (`serve` does it every few minutes and at
    /// shutdown). Needs the fund's seal: DOSSIER_CA_PIN.
    Checkpoint,
    /// Copy every checkpoint into FOLDER (write-once: an existing different file is an error).
    Export { folder: PathBuf },
}

impl AuditCommand {
    /// `verify` with the defaults: the blob store's checkpoints, the centre's roots, the current seal.
    pub fn verify() -> Self {
        AuditCommand::Verify { checkpoints: None, roots: Vec::new(), signers: Vec::new(), json: false }
    }
}

pub async fn run(cfg: Config, command: AuditCommand) -> Result<ExitCode> {
    match command {
        AuditCommand::Verify { checkpoints, roots, signers, json } => {
            let (store, blobs) = crate::storage::open(&cfg).await?;
            let exported = match &checkpoints {
                Some(dir) => read_folder(dir)?,
                None => Vec::new(),
            };
            let trust = trust_context(&cfg, &roots)?;
            let signers = seal_certificates(&cfg, &signers)?;
            let verdict = audit_checkpoints::verify(store.as_ref(), &blobs, exported, &trust, &signers).await?;
            if json {
                println!("{}", serde_json::to_string_pretty(&verdict)?);
            } else {
                print(&verdict);
            }
            Ok(if verdict.intact() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
        }
        AuditCommand::Checkpoint => {
            let (store, blobs) = crate::storage::open(&cfg).await?;
            let ca = crate::ca::load(&cfg)?;
            let trust = crate::ca::trust_services(&cfg, ca.as_deref(), false)?;
            if trust.seal().is_none() {
                bail!("no fund seal to sign with: the centre and DOSSIER_CA_PIN are needed");
            }
            let app = dossier_app::App::new(store, blobs, cfg.app.clone()).await?.with_trust(trust);
            let written = audit_checkpoints::checkpoint(&app).await?;
            if written.is_empty() {
                println!("every chain's head already has its checkpoint");
            }
            for p in written {
                println!("{}: checkpoint of entry {} ({})", p.log.name(), p.seq, p.head_hash);
            }
            Ok(ExitCode::SUCCESS)
        }
        AuditCommand::Export { folder } => {
            let (_, blobs) = crate::storage::open(&cfg).await?;
            let (mut copied, mut kept) = (0, 0);
            for (name, bytes) in audit_checkpoints::export(&blobs).await? {
                let relative = name.strip_prefix(audit_checkpoints::RECORDS).unwrap_or(&name).trim_start_matches('/');
                let path = folder.join(relative);
                match std::fs::read(&path) {
                    Ok(existing) if existing == bytes => kept += 1,
                    Ok(_) => bail!("{} exists with other content: not overwritten", path.display()),
                    Err(_) => {
                        if let Some(dir) = path.parent() {
                            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
                        }
                        std::fs::write(&path, &bytes).with_context(|| format!("writing {}", path.display()))?;
                        copied += 1;
                    }
                }
            }
            println!("{copied} checkpoint(s) copied to {}, {kept} already there", folder.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

fn print(v: &Verdict) {
    for log in &v.report.logs {
        let covered = match &log.covered {
            Some(c) => format!(
                "held to {} checkpoint(s); the newest, of {}, covers entries 1–{}",
                log.checkpoints,
                c.at.format("%Y-%m-%d %H:%M:%SZ"),
                c.seq
            ),
            None => "no checkpoint covers it".to_owned(),
        };
        let first_uncovered = log.first_uncovered();
        let tail = if first_uncovered <= log.entries {
            format!("; entries from {first_uncovered} are not yet covered")
        } else {
            String::new()
        };
        match &log.first_broken {
            None => {
                println!("{} intact: {} entries, head {}; {covered}{tail}", log.log.name(), log.entries, log.head_hash)
            }
            Some(b) => println!("{} BROKEN at entry {}: {}", log.log.name(), b.seq, b.reason),
        }
    }
    for r in &v.refused {
        println!("checkpoint {} REFUSED: {}", r.name, r.reason);
    }
}

/// What the checkpoints' seal must chain to: the given roots, or the centre's
/// public certificates in the CA folder. Revocation is used when at hand: a
/// checkpoint is a constraint, so a forged one could only make the verdict
/// fail, never hide a rewrite.
fn trust_context(cfg: &Config, roots: &[PathBuf]) -> Result<TrustContext> {
    let mut ctx = TrustContext { revocation: RevocationPolicy::IfAvailable, ..TrustContext::default() };
    if roots.is_empty() {
        for (name, anchor) in [("root.pem", true), ("issuing.pem", false)] {
            let path = cfg.ca_dir.join(name);
            if let Ok(bytes) = std::fs::read(&path) {
                let certs = certificates_from_pem_or_der(&bytes).map_err(|e| anyhow!("{}: {e}", path.display()))?;
                if anchor { ctx.anchors.extend(certs) } else { ctx.intermediates.extend(certs) }
            }
        }
    }
    for p in roots {
        let bytes = std::fs::read(p).with_context(|| format!("reading {}", p.display()))?;
        ctx.anchors.extend(certificates_from_pem_or_der(&bytes).map_err(|e| anyhow!("{}: {e}", p.display()))?);
    }
    Ok(ctx)
}

/// The seal certificates a checkpoint may be signed with.
fn seal_certificates(cfg: &Config, given: &[PathBuf]) -> Result<Vec<Certificate>> {
    let mut out = Vec::new();
    let (_, current) = crate::ca::seal_files(cfg);
    let paths: Vec<&Path> =
        if given.is_empty() { vec![current.as_path()] } else { given.iter().map(|p| p.as_path()).collect() };
    for p in paths {
        match std::fs::read(p) {
            Ok(bytes) => out.extend(certificates_from_pem_or_der(&bytes).map_err(|e| anyhow!("{}: {e}", p.display()))?),
            Err(_) if given.is_empty() => {}
            Err(e) => bail!("reading {}: {e}", p.display()),
        }
    }
    Ok(out)
}

/// Every file under `dir`, named by its path below it.
fn read_folder(dir: &Path) -> Result<Vec<(String, Vec<u8>)>> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<(String, Vec<u8>)>) -> Result<()> {
        for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(root, &path, out)?;
            } else {
                let name = path.strip_prefix(root).unwrap_or(&path).display().to_string();
                out.push((format!("exported:{name}"), std::fs::read(&path)?));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    Ok(out)
}
