//! `[digitization]` → the app's digitization settings and its OCR workers.
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use dossier_app::App;
use dossier_app::digitization::DigitizationSettings;
use dossier_domain::Lang;
use dossier_domain::digitization::{AgencyCode, ColourPolicy, ResultCodeScheme};
use dossier_domain::time::OfficeClock;

use crate::config::DigitizationFile;

/// The settings `[digitization]` describes; a bad value stops the start with its name.
pub fn settings(d: &DigitizationFile) -> Result<DigitizationSettings> {
    let en = |m: dossier_domain::Message| m.render(dossier_domain::Lang::EN);
    let agency = AgencyCode::parse(&d.agency_code).map_err(|m| anyhow!("[digitization] agency_code: {}", en(m)))?;
    let mut s = DigitizationSettings::new(agency);
    if let Some(scheme) = &d.result_code {
        s.scheme = ResultCodeScheme::parse(scheme).map_err(|m| anyhow!("[digitization] result_code: {}", en(m)))?;
    }
    if let Some(dpi) = d.min_dpi {
        if !(72.0..=1200.0).contains(&dpi) {
            bail!("[digitization] min_dpi: between 72 and 1200");
        }
        s.profile.min_dpi = dpi;
    }
    s.profile.colour = match d.colour.as_deref() {
        None | Some("colour_or_grey") => ColourPolicy::ColourOrGreyscale,
        Some("colour") => ColourPolicy::Colour,
        Some(other) => bail!("[digitization] colour: `colour` or `colour_or_grey`, not {other:?}"),
    };
    if let Some(t) = &d.tesseract {
        s.tesseract.program = t.clone();
    }
    if let Some(secs) = d.page_timeout_seconds {
        s.tesseract.timeout = std::time::Duration::from_secs(secs.clamp(5, 3600));
    }
    if let Some(secs) = d.lease_seconds {
        // A lease shorter than a page may take would hand a page still being read to a second worker.
        if secs <= s.tesseract.timeout.as_secs() {
            bail!("[digitization] lease_seconds: more than the page timeout ({} s)", s.tesseract.timeout.as_secs());
        }
        s.lease = chrono::Duration::seconds(secs.min(86_400) as i64); // at most a day: the cast cannot wrap
    }
    if let Some(clock) = &d.clock {
        s.clock = OfficeClock::parse(clock)
            .ok_or_else(|| anyhow!("[digitization] clock: `kyiv` or an offset like `+07:00`"))?;
    }
    if let Some(lang) = &d.language {
        s.language = Lang::from_tag(lang).ok_or_else(|| anyhow!("[digitization] language: one of uk, en, ru, vi"))?;
    }
    if let Some(path) = &d.seal_image {
        let bytes = std::fs::read(path).with_context(|| format!("[digitization] seal_image: {}", path.display()))?;
        s.seal_picture = Some(
            dossier_pdf::Picture::new(bytes, "seal image")
                .map_err(|_| anyhow!("[digitization] seal_image: not a readable PNG or JPEG"))?,
        );
    }
    Ok(s)
}

/// The demo digitizes as an office with a made-up agency code (the national
/// standard's form) unless `[digitization]` says otherwise.
pub fn demo_defaults(cfg: &mut crate::config::Config) {
    if cfg.digitization.is_none() {
        cfg.digitization = Some(DigitizationFile {
            agency_code: "000.00.31.H29".into(),
            // The postal digitizer's scanner folder, in the demo's data folder.
            watch: Some(cfg.data_dir.join("scans")),
            watch_login: Some("postal".into()),
            ..DigitizationFile::default()
        });
    }
}

/// How often a server that recognises pages also checks the stored scans.
const FIXITY_EVERY: Duration = Duration::from_secs(24 * 3600);

/// Starts the OCR workers beside the server (one per core unless configured)
/// and, with them, the daily fixity check; and the watched folder, if one is set.
pub fn spawn_workers(app: &Arc<App>, d: &DigitizationFile) -> Result<()> {
    if let Some(folder) = &d.watch {
        let login = d.watch_login.clone().context("[digitization] watch needs watch_login: the account it acts as")?;
        std::fs::create_dir_all(folder).with_context(|| format!("[digitization] watch: {}", folder.display()))?;
        tokio::spawn(crate::scan_folder::run(app.clone(), folder.clone(), login));
    }
    let workers = d.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if workers > 0 {
        tokio::spawn(dossier_app::digitization::worker::run(app.clone(), workers));
        let app = app.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(FIXITY_EVERY).await;
                match dossier_app::digitization::fixity(&app).await {
                    Ok(r) => tracing::info!(
                        checked = r.checked,
                        damaged = r.damaged.len() + r.damaged_results.len(),
                        "fixity check"
                    ),
                    Err(e) => tracing::warn!(code = e.code, "fixity check"),
                }
            }
        });
    }
    Ok(())
}

#[derive(clap::Subcommand, Debug)]
pub enum DigitizationCommand {
    /// Re-read every stored scan and signed result and check each is still the content it was
    /// stored as (exit 0: all intact, 2: some changed or missing — listed).
    Fixity,
}

pub async fn run(cfg: crate::config::Config, cmd: DigitizationCommand) -> Result<ExitCode> {
    let DigitizationCommand::Fixity = cmd;
    let (store, blobs) = crate::storage::open(&cfg).await?;
    let app = App::new(store, blobs, cfg.app.clone()).await.context("loading the org tree")?;
    let r = dossier_app::digitization::fixity(&app).await.map_err(|e| anyhow!("fixity check: {}", e.code))?;
    let damaged = r.damaged.len() + r.damaged_results.len();
    println!("{} stored file(s) checked, {damaged} changed or missing", r.checked);
    for (document, page) in &r.damaged {
        println!("  document {document} page {page}");
    }
    for document in &r.damaged_results {
        println!("  document {document} signed result");
    }
    Ok(if damaged == 0 { ExitCode::SUCCESS } else { ExitCode::from(2) })
}
