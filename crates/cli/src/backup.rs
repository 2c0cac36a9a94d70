//! `dossier backup`, `dossier restore` and `dossier fixity` (issue 22 §5).
//!
//! A backup is a folder: a consistent copy of the database (SQLite's
//! `VACUUM INTO` of both files, or `pg_dump --format=custom`), then every
//! object of the blob store as stored — encrypted, documents and audit
//! checkpoints — and `manifest.json` with each file's SHA-256 and size.
//! The database is copied first: objects are written once and never
//! deleted, so every blob the copy refers to is among those copied after it.
//! Keys never go into a backup (the master key, the centre's and the units'
//! PIN-sealed keys): the operator keeps them apart, and a backup without
//! them reveals nothing.
//!
//! A restore checks every file against the manifest before it touches
//! anything, refuses a database or blob store that is not empty, puts both
//! back, then runs the drill: `audit verify` held to the restored
//! checkpoints, and a fixity pass that decrypts and hashes every blob the
//! database refers to.
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail, ensure};
use dossier_store::blobs::BlobStore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::config::Config;

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    /// `dossier-backup-1`.
    format: String,
    created_at: chrono::DateTime<chrono::Utc>,
    /// `sqlite` or `postgres`.
    backend: String,
    /// Every file of the backup but the manifest: `database/…` and `blobs/…`.
    files: Vec<Entry>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    path: String,
    sha256: String,
    size: u64,
}

const FORMAT: &str = "dossier-backup-1";
const PG_DUMP: &str = "database/dossier.pgdump";

fn sha256_hex(bytes: &[u8]) -> String {
    base16ct::lower::encode_string(&Sha256::digest(bytes))
}

/// A path from a manifest, refused unless it stays inside the backup folder.
fn inside(root: &Path, relative: &str) -> Result<PathBuf> {
    let ok = !relative.is_empty()
        && relative.split('/').all(|part| !part.is_empty() && part != "." && part != "..")
        && !relative.contains('\\');
    ensure!(ok, "the manifest names a path outside the backup: {relative:?}");
    Ok(root.join(relative))
}

pub async fn backup(cfg: &Config, dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir)?.next().is_some() {
        bail!("{} is not empty: a backup goes into a new folder", dir.display());
    }
    std::fs::create_dir_all(dir.join("database")).with_context(|| format!("creating {}", dir.display()))?;
    let (sql, blobs) = crate::storage::open_sql(cfg).await?;
    let mut files = Vec::new();
    let backend = if cfg.is_embedded() {
        for name in sql.snapshot_sqlite(&dir.join("database")).await? {
            files.push(format!("database/{name}"));
        }
        "sqlite"
    } else {
        let out = Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(dir.join(PG_DUMP))
            .arg(&cfg.database_url)
            .output()
            .context("running pg_dump (Debian: postgresql-client)")?;
        ensure!(out.status.success(), "pg_dump failed: {}", String::from_utf8_lossy(&out.stderr).trim());
        files.push(PG_DUMP.to_owned());
        "postgres"
    };
    let mut objects = 0usize;
    for path in blobs.objects().await? {
        let bytes = blobs.object(&path).await?;
        let target = inside(dir, &format!("blobs/{path}"))?;
        if let Some(parent) = target.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::write(&target, &bytes).with_context(|| format!("writing {}", target.display()))?;
        files.push(format!("blobs/{path}"));
        objects += 1;
    }
    let mut entries = Vec::with_capacity(files.len());
    for path in files {
        let bytes = std::fs::read(dir.join(&path))?;
        entries.push(Entry { path, sha256: sha256_hex(&bytes), size: bytes.len() as u64 });
    }
    let manifest =
        Manifest { format: FORMAT.into(), created_at: chrono::Utc::now(), backend: backend.into(), files: entries };
    std::fs::write(dir.join("manifest.json"), serde_json::to_vec_pretty(&manifest)?)?;
    println!(
        "backup of the {backend} database and {objects} stored object(s) in {} (keys are not in it: keep the master key, \
         the CA folder's keys and DATA_DIR/keys apart)",
        dir.display()
    );
    Ok(())
}

/// Reads the manifest and checks every file it lists (and that it lists every file).
fn checked_manifest(dir: &Path) -> Result<Manifest> {
    let text =
        std::fs::read(dir.join("manifest.json")).with_context(|| format!("reading {}/manifest.json", dir.display()))?;
    let manifest: Manifest = serde_json::from_slice(&text).context("manifest.json")?;
    ensure!(manifest.format == FORMAT, "not a Dossier backup ({:?})", manifest.format);
    let mut bad = Vec::new();
    for e in &manifest.files {
        let path = inside(dir, &e.path)?;
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() as u64 == e.size && sha256_hex(&bytes) == e.sha256 => {}
            Ok(_) => bad.push(format!("{} differs from the manifest", e.path)),
            Err(_) => bad.push(format!("{} is missing", e.path)),
        }
    }
    ensure!(bad.is_empty(), "the backup is damaged — nothing was restored:\n  {}", bad.join("\n  "));
    Ok(manifest)
}

pub async fn restore(cfg: &Config, dir: &Path) -> Result<ExitCode> {
    let manifest = checked_manifest(dir)?;
    if cfg.master_key_env.is_none() && !cfg.master_key_file.exists() {
        bail!(
            "a restore needs the master key the backup was made under: put it at {} or set DOSSIER_MASTER_KEY",
            cfg.master_key_file.display()
        );
    }
    let expected = if cfg.is_embedded() { "sqlite" } else { "postgres" };
    ensure!(manifest.backend == expected, "the backup is of a {} database; the target is {expected}", manifest.backend);
    // The target must be empty: a restore never merges into a fund's data.
    // (Objects go back as they were stored: no key is needed to place them.)
    let blob_target = BlobStore::open(&cfg.blobs, dossier_store::blobs::MasterKey::generate())?;
    ensure!(blob_target.objects().await?.is_empty(), "the blob store {} is not empty", cfg.blobs);
    if let Some((main, access)) = dossier_store::sqlite_files(&cfg.database_url) {
        ensure!(!main.exists() && !access.exists(), "the database {} already exists", main.display());
        if let Some(parent) = main.parent() {
            std::fs::create_dir_all(parent)?;
        }
        // Both files or neither: a copy that fails (a full disk) leaves the target as it was.
        let copied = std::fs::copy(dir.join("database/dossier.db"), &main)
            .and_then(|_| std::fs::copy(dir.join("database/dossier.access.db"), &access));
        if let Err(e) = copied {
            let _ = std::fs::remove_file(&main);
            let _ = std::fs::remove_file(&access);
            return Err(e).context("copying the database back");
        }
    } else {
        let out = Command::new("psql")
            .args(["-tAc", "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"])
            .arg(&cfg.database_url)
            .output()
            .context("running psql (Debian: postgresql-client)")?;
        ensure!(out.status.success(), "psql: {}", String::from_utf8_lossy(&out.stderr).trim());
        ensure!(String::from_utf8_lossy(&out.stdout).trim() == "0", "the database is not empty");
        // One transaction: a restore that fails leaves the database as empty as it found it.
        let out = Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--single-transaction", "--dbname"])
            .arg(&cfg.database_url)
            .arg(dir.join(PG_DUMP))
            .output()
            .context("running pg_restore")?;
        ensure!(out.status.success(), "pg_restore failed: {}", String::from_utf8_lossy(&out.stderr).trim());
    }
    let mut objects = 0usize;
    for e in manifest.files.iter().filter(|e| e.path.starts_with("blobs/")) {
        let bytes = std::fs::read(inside(dir, &e.path)?)?;
        let path = e.path.strip_prefix("blobs/").unwrap_or(&e.path);
        blob_target.restore_object(path, bytes).await?;
        objects += 1;
    }
    println!("restored the {} database and {objects} object(s) from {}", manifest.backend, dir.display());
    // The drill: the trail held to its checkpoints, every blob read back.
    let audit = crate::audit::run(cfg.clone(), crate::audit::AuditCommand::verify()).await?;
    let fixity = fixity(cfg).await?;
    Ok(if audit == ExitCode::SUCCESS && fixity == ExitCode::SUCCESS { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Reads back every blob the database refers to: decrypted under the master
/// key and hashed, each must be the content the database names.
pub async fn fixity(cfg: &Config) -> Result<ExitCode> {
    let (store, blobs) = crate::storage::open(cfg).await?;
    let refs = store.blob_references().await?;
    let (mut ok, mut failed) = (0usize, Vec::new());
    for sha in &refs {
        match blobs.get(sha).await {
            Ok(_) => ok += 1,
            Err(e) => failed.push(format!("{sha}: {e}")),
        }
    }
    println!("fixity: {ok} of {} blob(s) the database refers to read back intact", refs.len());
    for f in &failed {
        println!("  FAILED {f}");
    }
    Ok(if failed.is_empty() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}
