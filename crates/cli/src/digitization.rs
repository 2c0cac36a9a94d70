//! `[digitization]` → the app's digitization settings and its OCR workers.
use std::sync::Arc;

use anyhow::{Result, anyhow, bail};
use dossier_app::App;
use dossier_app::digitization::DigitizationSettings;
use dossier_domain::digitization::{AgencyCode, ColourPolicy, ResultCodeScheme};

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
    Ok(s)
}

/// The demo digitizes as an office with a made-up agency code (the national
/// standard's form) unless `[digitization]` says otherwise.
pub fn demo_defaults(cfg: &mut crate::config::Config) {
    if cfg.digitization.is_none() {
        cfg.digitization =
            Some(DigitizationFile { agency_code: "000.00.31.H29".into(), ..DigitizationFile::default() });
    }
}

/// Starts the OCR workers beside the server: one per core unless configured.
pub fn spawn_workers(app: &Arc<App>, d: &DigitizationFile) {
    let workers = d.workers.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    if workers > 0 {
        tokio::spawn(dossier_app::digitization::worker::run(app.clone(), workers));
    }
}
