//! `dossier import`: bulk import of people from CSV.
//!
//! Rows are validated with the same rules as the API; good rows are stored in
//! batches (one transaction each, audited per person), bad rows are rejected
//! with their reason into a report. The run's position is committed with each
//! batch, so re-running the same command on the same file resumes after the
//! last committed batch. A row's content never goes into the report or logs —
//! only its line number, the field and the reason.
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use dossier_app::people::csv::{CrlfAsLf, Layout};
use dossier_domain::{Lang, Message};
use dossier_store::{Actor, ImportBatch, ImportError, Store};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

fn both(m: &Message) -> String {
    format!("{} / {}", m.render(Lang::UK), m.render(Lang::EN))
}

fn file_sha256(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(hex::encode(h.finalize()))
}

/// Runs (or resumes) an import. Returns whether every row was accepted.
pub async fn run(
    store: Arc<dyn Store>,
    file: &Path,
    unit_code: &str,
    report: Option<PathBuf>,
    batch_size: usize,
) -> Result<bool> {
    let unit = crate::storage::unit_by_code(store.as_ref(), unit_code).await?;
    let sha = file_sha256(file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let actor = Actor::system("import");
    let mut run = store.start_import(&actor, &sha, &name, unit.id).await?;
    if run.rows_done > 0 {
        eprintln!("resuming run {} after {} rows", run.id, run.rows_done);
    }

    let input = std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
    let mut reader =
        csv::ReaderBuilder::new().flexible(true).from_reader(CrlfAsLf::new(std::io::BufReader::new(input)));
    let headers = reader.byte_headers()?.clone();
    let layout = Layout::from_headers(&headers).map_err(|m| {
        anyhow::anyhow!("{} (expected: {})", m.render(Lang::EN), dossier_app::people::csv::COLUMNS.join(","))
    })?;
    let size = std::fs::metadata(file)?.len();
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let today = chrono::Utc::now().date_naive();
    let mut batch = ImportBatch::default();
    let mut rec = csv::ByteRecord::new();
    let mut row_no: i64 = 0;
    loop {
        let more = match reader.read_byte_record(&mut rec) {
            Ok(more) => more,
            Err(e) => {
                // A row the CSV reader cannot split (e.g. an unclosed quote):
                // reject it and stop — what follows cannot be trusted either.
                row_no += 1;
                let line = e.position().map(|p| p.line() as i64).unwrap_or(row_no + 1);
                batch.rejected.push(ImportError {
                    line,
                    field: "".into(),
                    message: both(&Message::new("import.malformed_row")),
                });
                batch.consumed += 1;
                false
            }
        };
        if more {
            row_no += 1;
            if row_no <= run.rows_done {
                continue;
            }
            let line = rec.position().map(|p| p.line() as i64).unwrap_or(row_no + 1);
            batch.consumed += 1;
            match layout.person(&rec, today) {
                Ok(p) => batch.rows.push((line, p)),
                Err(errs) => batch.rejected.extend(errs.into_iter().map(|e| ImportError {
                    line,
                    field: e.field,
                    message: both(&e.message),
                })),
            }
        }
        if batch.consumed as usize >= batch_size || (!more && batch.consumed > 0) {
            let b = std::mem::take(&mut batch);
            run = store.import_batch(&actor, &run, b).await?;
            bar.set_position(rec.position().map(|p| p.byte()).unwrap_or(size));
            bar.set_message(format!("{} ok, {} rejected", run.rows_ok, run.rows_failed));
        }
        if !more {
            break;
        }
    }
    bar.finish_with_message(format!("{} ok, {} rejected", run.rows_ok, run.rows_failed));
    let run = store.finish_import(&run).await?;
    let errors = store.import_errors(run.id).await?;
    let report_path = report.unwrap_or_else(|| PathBuf::from(format!("{}.errors.csv", file.display())));
    let mut w = std::io::BufWriter::new(
        std::fs::File::create(&report_path).with_context(|| format!("creating {}", report_path.display()))?,
    );
    writeln!(w, "line,field,reason")?;
    for e in &errors {
        writeln!(w, "{},{},\"{}\"", e.line, e.field, e.message.replace('"', "\"\""))?;
    }
    w.flush()?;
    println!(
        "import {}: {} rows imported, {} rejected; report: {}",
        run.id,
        run.rows_ok,
        run.rows_failed,
        report_path.display()
    );
    Ok(run.rows_failed == 0)
}
