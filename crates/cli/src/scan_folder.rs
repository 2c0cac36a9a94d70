//! The watched folder a scanner drops into (`[digitization] watch`): a file
//! at `<folder>/<dossier code>/<document kind>/<any name>` — an image or a
//! scanner's PDF — becomes a document of that dossier, added as the
//! configured account (`watch_login`) would add it at the counter, with the
//! same checks. The clerk opens the dossier at the counter and points the
//! scanner at the folder its code names.
//!
//! A file is taken once it has not changed for [`SETTLE`] (the scanner has
//! finished writing it). Taken, it is deleted: the scan now lives encrypted
//! in the store, and a plain copy must not stay behind. Refused, it moves to
//! `<folder>/.refused/` with a `.reason.txt` beside it saying why, for the
//! operator. While it is being added it waits in `<folder>/.taking/`. Hidden files and folders (a leading dot) and partial uploads
//! (`.part`, `.tmp`) are never taken.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::Result;
use dossier_app::{App, AppError, Caller};
use dossier_domain::Lang;

/// How long a file must stay unchanged before it is taken.
pub const SETTLE: Duration = Duration::from_secs(2);
/// How often the folder is looked at.
const EVERY: Duration = Duration::from_secs(2);
/// Where refused files go, with their reasons.
const REFUSED: &str = ".refused";
/// Where a file waits while it is being added.
const TAKING: &str = ".taking";

/// What one look at the folder did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Sweep {
    pub added: usize,
    pub refused: usize,
}

/// Looks at the folder until the process ends.
pub async fn run(app: Arc<App>, folder: PathBuf, login: String) {
    loop {
        match dossier_app::staff::console(&app, &login).await {
            Ok(caller) => match sweep(&app, &caller, &folder, SETTLE).await {
                Ok(s) if s != Sweep::default() => {
                    tracing::info!(added = s.added, refused = s.refused, "watched folder");
                }
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "watched folder"),
            },
            Err(e) => tracing::warn!(code = e.code, "watched folder: the watch_login account cannot act"),
        }
        tokio::time::sleep(EVERY).await;
    }
}

/// Takes every settled file under `folder` once. A file is first claimed by
/// moving it into `.taking/` (a rename: of several servers watching one
/// folder, one wins), so a file added but not deleted — a crash, a
/// permission — waits there for the operator instead of being added again.
pub async fn sweep(app: &App, caller: &Caller, folder: &Path, settle: Duration) -> Result<Sweep> {
    let mut sweep = Sweep::default();
    let taking = folder.join(TAKING);
    std::fs::create_dir_all(&taking)?;
    for (code, kind, file) in settled_files(folder, settle)? {
        let claimed = taking.join(uuid::Uuid::new_v4().to_string());
        if std::fs::rename(&file, &claimed).is_err() {
            continue; // another server took it
        }
        let name = file.file_name().map(|n| n.to_owned()).unwrap_or_default();
        match take(app, caller, &code, &kind, &claimed).await {
            Ok(()) => {
                if let Err(e) = std::fs::remove_file(&claimed) {
                    tracing::warn!(error = %e, "watched folder: an added file could not be deleted from .taking");
                }
                sweep.added += 1;
            }
            Err(e) => {
                refuse(folder, &code, &kind, &claimed, &name, &e)?;
                sweep.refused += 1;
            }
        }
    }
    Ok(sweep)
}

async fn take(app: &App, caller: &Caller, code: &str, kind: &str, file: &Path) -> Result<(), AppError> {
    let bytes = std::fs::read(file).map_err(|_| AppError::field("file", "scan.damaged"))?;
    if bytes.len() > dossier_app::digitization::MAX_PAGE_BYTES {
        return Err(AppError::field("file", "scan.too_large_file"));
    }
    let dossier = dossier_app::digitization::dossier_by_code(app, caller, code).await?;
    dossier_app::digitization::add_document(app, caller, dossier.id, kind, &[bytes], chrono::Utc::now()).await?;
    Ok(())
}

/// Moves a refused file under `.refused/<code>/<kind>/` and writes why beside it, in
/// the staff's language and in English.
fn refuse(folder: &Path, code: &str, kind: &str, file: &Path, name: &std::ffi::OsStr, e: &AppError) -> Result<()> {
    let dir = folder.join(REFUSED).join(code).join(kind);
    std::fs::create_dir_all(&dir)?;
    let target = dir.join(name);
    std::fs::rename(file, &target)?;
    let mut why: Vec<String> = e.fields.iter().map(|f| f.message.render(Lang::UK)).collect();
    why.extend(e.fields.iter().map(|f| f.message.render(Lang::EN)));
    if why.is_empty() {
        why = vec![e.message.render(Lang::UK), e.message.render(Lang::EN)];
    }
    let mut reason = target.into_os_string();
    reason.push(".reason.txt");
    std::fs::write(reason, why.join("\n") + "\n")?;
    tracing::info!(code = e.code, "watched folder: a file was refused");
    Ok(())
}

/// Files at `<code>/<kind>/<name>` unchanged for `settle`, oldest first.
fn settled_files(folder: &Path, settle: Duration) -> Result<Vec<(String, String, PathBuf)>> {
    let visible = |p: &Path| p.file_name().and_then(|n| n.to_str()).is_some_and(|n| !n.starts_with('.'));
    let now = SystemTime::now();
    let mut found = vec![];
    for code in dirs(folder)?.into_iter().filter(|p| visible(p)) {
        for kind in dirs(&code)?.into_iter().filter(|p| visible(p)) {
            for entry in std::fs::read_dir(&kind)?.flatten() {
                let path = entry.path();
                let partial = path.extension().is_some_and(|x| x == "part" || x == "tmp");
                let Ok(meta) = entry.metadata() else { continue };
                let modified = meta.modified().unwrap_or(now);
                let settled = now.duration_since(modified).is_ok_and(|age| age >= settle);
                if meta.is_file() && visible(&path) && !partial && settled {
                    let name = |p: &Path| p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                    found.push((modified, name(&code), name(&kind), path));
                }
            }
        }
    }
    found.sort_by_key(|f| f.0);
    Ok(found.into_iter().map(|(_, code, kind, path)| (code, kind, path)).collect())
}

fn dirs(dir: &Path) -> Result<Vec<PathBuf>> {
    Ok(std::fs::read_dir(dir)?.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect())
}
