//! `dossier batches run`: the weekly production run (regulation 26-1, §III).
//! District batches go to the regions, the regions consolidate for the
//! central fund, the central fund runs the duplicate check — office by
//! office, each office's batch one transaction. A crash leaves finished
//! offices done and the rest untouched; running again skips what was
//! submitted (idempotent) and completes the rest.
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Result, anyhow};
use chrono::Utc;
use dossier_domain::production::BatchLevel;
use dossier_domain::production::BatchWeek;
use dossier_store::{Actor, BatchOutcome, Store};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// What one level of a run did.
#[derive(Debug, Default, Clone)]
pub struct LevelSummary {
    pub offices: usize,
    pub submitted: usize,
    pub already: usize,
    pub certificates: i64,
    pub held: i64,
    /// Applications left for a later batch because the person has no photo yet.
    pub without_photo: i64,
    pub late: usize,
    /// The weeks of the batches submitted or found submitted.
    pub weeks: std::collections::BTreeSet<BatchWeek>,
    pub secs: f64,
}

/// `None`: each office's batch of the week it owes (`BatchLevel::due_week`).
pub fn parse_week(week: Option<&str>) -> Result<Option<BatchWeek>> {
    match week {
        None => Ok(None),
        Some(w) => Ok(Some(
            BatchWeek::parse(w).ok_or_else(|| anyhow!("--week: expected an ISO week like 2026-W47, got {w:?}"))?,
        )),
    }
}

pub fn parse_levels(level: Option<&str>) -> Result<Vec<BatchLevel>> {
    match level {
        None | Some("all") => Ok(BatchLevel::ALL.to_vec()),
        Some(l) => Ok(vec![
            BatchLevel::parse(l).ok_or_else(|| anyhow!("--level: district, region, central or all, got {l:?}"))?,
        ]),
    }
}

/// Runs `week` (or each office's owed week) at each of `levels` in order;
/// `progress` draws a bar per level on stderr.
pub async fn run(
    store: Arc<dyn Store>,
    week: Option<BatchWeek>,
    levels: &[BatchLevel],
    progress: bool,
) -> Result<Vec<(BatchLevel, LevelSummary)>> {
    let actor = Actor::system("weekly-run");
    let mut out = vec![];
    for &level in levels {
        let started = Instant::now();
        // The offices of the level (whichever week lists them).
        let listed = week.unwrap_or_else(|| level.open_week(Utc::now()));
        let candidates = store.batch_candidates(listed, level).await?;
        let bar = ProgressBar::new(candidates.len() as u64);
        if !progress {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_style(
            ProgressStyle::with_template(
                "{spinner} {prefix:>8} [{elapsed_precise}] {wide_bar} {pos}/{len} offices {msg}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar.set_prefix(level.as_str());
        let mut s = LevelSummary { offices: candidates.len(), ..LevelSummary::default() };
        for c in candidates {
            s.without_photo += c.without_photo;
            let outcome = store.submit_batch(&actor, week, level, c.unit_id, Utc::now()).await?;
            if let Some(w) = BatchWeek::parse(&outcome.batch().week) {
                s.weeks.insert(w);
            }
            match outcome {
                BatchOutcome::Submitted(b) => {
                    s.submitted += 1;
                    s.certificates += b.items;
                    s.held += b.held;
                    s.late += usize::from(b.late);
                }
                BatchOutcome::AlreadySubmitted(_) => s.already += 1,
            }
            bar.set_message(format!("{} certificates", s.certificates));
            bar.inc(1);
        }
        bar.finish();
        s.secs = started.elapsed().as_secs_f64();
        out.push((level, s));
    }
    Ok(out)
}

pub fn print(summary: &[(BatchLevel, LevelSummary)]) {
    for (level, s) in summary {
        let weeks: Vec<String> = s.weeks.iter().map(|w| format!("{w} (cut-off {})", level.cutoff(*w))).collect();
        println!(
            "  {:<8} week {}: {} offices: {} submitted ({} late), {} already submitted; {} certificates moved{}; {:.2} s",
            level.as_str(),
            if weeks.is_empty() { "-".to_owned() } else { weeks.join(", ") },
            s.offices,
            s.submitted,
            s.late,
            s.already,
            s.certificates,
            match level {
                BatchLevel::Central => format!(", {} held by the duplicate check", s.held),
                BatchLevel::District if s.without_photo > 0 => {
                    format!(", {} waiting for the applicant's photo", s.without_photo)
                }
                _ => String::new(),
            },
            s.secs
        );
    }
}
