//! `dossier import` and `dossier import-pensions`: bulk imports from CSV —
//! the people of a district, the pensions paid before Dossier.
//!
//! Rows are validated with the same rules as the API; good rows are stored in
//! batches (one transaction each, audited per row), bad rows are rejected
//! with their reason into a report. The run's position is committed with each
//! batch, so re-running the same command on the same file resumes after the
//! last committed batch. A row's content never goes into the report or logs —
//! only its line number, the field and the reason.
use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, Result};
use dossier_app::people::csv::{CrlfAsLf, Layout};
use dossier_domain::payment::{PAID_HEADER, PaidLayout, PaidRow};
use dossier_domain::person::PersonData;
use dossier_domain::record::TextLayout;
use dossier_domain::{Lang, Message};
use dossier_store::{Actor, ImportBatch, ImportError, ImportKind, ImportRun, Store, StoreResult};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

fn file_sha256(path: &Path) -> Result<String> {
    let mut f = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut h = Sha256::new();
    std::io::copy(&mut f, &mut h)?;
    Ok(base16ct::lower::encode_string(&h.finalize()))
}

/// What one kind of import reads from a row and where a batch of them goes.
trait Rows {
    type Row: Send;
    const KIND: ImportKind;

    /// Reads one row (`line` is its physical line), or names its problems.
    fn read(&mut self, rec: &csv::ByteRecord, line: i64) -> Result<Self::Row, Vec<ImportError>>;

    /// A row a resumed run skips (an earlier run stored or reported it):
    /// nothing to do, unless what it says matters to a later row.
    fn skipped(&mut self, _rec: &csv::ByteRecord, _line: i64) {}

    async fn store(
        &self,
        store: &dyn Store,
        actor: &Actor,
        run: &ImportRun,
        batch: ImportBatch<Self::Row>,
    ) -> StoreResult<ImportRun>;
}

/// The people of one district office.
struct People {
    layout: Layout,
    today: chrono::NaiveDate,
}

impl Rows for People {
    type Row = PersonData;
    const KIND: ImportKind = ImportKind::People;

    fn read(&mut self, rec: &csv::ByteRecord, line: i64) -> Result<PersonData, Vec<ImportError>> {
        self.layout
            .person(rec, self.today)
            .map_err(|errs| errs.into_iter().map(|e| ImportError::new(line, &e.field, e.message)).collect())
    }

    async fn store(
        &self,
        store: &dyn Store,
        actor: &Actor,
        run: &ImportRun,
        batch: ImportBatch<PersonData>,
    ) -> StoreResult<ImportRun> {
        store.import_batch(actor, run, batch).await
    }
}

/// The pensions paid before Dossier. A person is paid one pension: a second
/// row for them anywhere in the file is refused, in a later batch as in the
/// same one, and after a resume as before it.
struct Pensions {
    layout: PaidLayout,
    today: chrono::NaiveDate,
    seen: HashSet<u64>,
}

impl Rows for Pensions {
    type Row = PaidRow;
    const KIND: ImportKind = ImportKind::Pensions;

    fn read(&mut self, rec: &csv::ByteRecord, line: i64) -> Result<PaidRow, Vec<ImportError>> {
        let field = |i: usize| rec.get(i).and_then(|b| std::str::from_utf8(b).ok());
        let row = self
            .layout
            .row(field, self.today)
            .map_err(|errs| errs.into_iter().map(|(f, m)| ImportError::new(line, f, m)).collect::<Vec<_>>())?;
        // An RNOKPP is ten digits, so it fits a u64: ten million pensioners
        // seen take about 130 MB.
        if let Ok(key) = row.rnokpp.as_str().parse::<u64>()
            && !self.seen.insert(key)
        {
            return Err(vec![ImportError::new(line, "rnokpp", "payment.person_twice")]);
        }
        Ok(row)
    }

    fn skipped(&mut self, rec: &csv::ByteRecord, line: i64) {
        // Only for the RNOKPP it adds to those seen.
        let _ = self.read(rec, line);
    }

    async fn store(
        &self,
        store: &dyn Store,
        actor: &Actor,
        run: &ImportRun,
        batch: ImportBatch<PaidRow>,
    ) -> StoreResult<ImportRun> {
        store.import_pension_batch(actor, run, batch).await
    }
}

/// Runs (or resumes) an import of people into the district `unit_code`.
/// Returns whether every row was accepted.
pub async fn people(
    store: Arc<dyn Store>,
    file: &Path,
    unit_code: &str,
    report: Option<PathBuf>,
    batch_size: usize,
) -> Result<bool> {
    let unit = crate::storage::unit_by_code(store.as_ref(), unit_code).await?;
    let headers = headers(file)?;
    let layout = Layout::from_headers(&headers).map_err(|m| {
        anyhow::anyhow!("{} (expected: {})", m.render(Lang::EN), dossier_app::people::csv::COLUMNS.join(","))
    })?;
    let rows = People { layout, today: chrono::Utc::now().date_naive() };
    run(store, rows, file, unit.id, report, batch_size).await
}

/// Runs (or resumes) an import of the pensions paid before Dossier to the
/// people registered under `unit_code` (by default, the whole fund). Returns
/// whether every row was accepted.
pub async fn pensions(
    store: Arc<dyn Store>,
    file: &Path,
    unit_code: Option<&str>,
    report: Option<PathBuf>,
    batch_size: usize,
) -> Result<bool> {
    let unit = match unit_code {
        Some(code) => crate::storage::unit_by_code(store.as_ref(), code).await?,
        None => store
            .units()
            .await?
            .into_iter()
            .find(|u| u.parent_id.is_none())
            .ok_or_else(|| anyhow::anyhow!("the fund has no org units yet"))?,
    };
    let headers = headers(file)?;
    let names = headers.iter().map(|h| std::str::from_utf8(h).unwrap_or(""));
    let layout = PaidLayout::from_headers(names)
        .map_err(|m| anyhow::anyhow!("{} (expected: {PAID_HEADER})", m.render(Lang::EN)))?;
    // Kyiv's day, as the API judges "a day in the future".
    let today = dossier_domain::time::kyiv_time(chrono::Utc::now()).date_naive();
    let rows = Pensions { layout, today, seen: HashSet::new() };
    run(store, rows, file, unit.id, report, batch_size).await
}

fn reader(file: &Path) -> Result<csv::Reader<CrlfAsLf<std::io::BufReader<std::fs::File>>>> {
    let input = std::fs::File::open(file).with_context(|| format!("reading {}", file.display()))?;
    Ok(csv::ReaderBuilder::new().flexible(true).from_reader(CrlfAsLf::new(std::io::BufReader::new(input))))
}

fn headers(file: &Path) -> Result<csv::ByteRecord> {
    Ok(reader(file)?.byte_headers()?.clone())
}

/// Reads `file` in batches of `batch_size` rows into the store, resuming an
/// unfinished run of the same file, and writes the report. Returns whether
/// every row was accepted.
async fn run<R: Rows>(
    store: Arc<dyn Store>,
    mut rows: R,
    file: &Path,
    unit_id: i64,
    report: Option<PathBuf>,
    batch_size: usize,
) -> Result<bool> {
    let sha = file_sha256(file)?;
    let name = file.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let actor = Actor::system("import");
    let mut run = store.start_import(&actor, R::KIND, &sha, &name, unit_id).await?;
    if run.rows_done > 0 {
        eprintln!("resuming run {} after {} rows", run.id, run.rows_done);
    }
    let mut reader = reader(file)?;
    reader.byte_headers()?;
    let size = std::fs::metadata(file)?.len();
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {wide_bar} {bytes}/{total_bytes} {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
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
                batch.rejected.push(ImportError::new(line, "", Message::new("import.malformed_row")));
                batch.consumed += 1;
                false
            }
        };
        if more {
            row_no += 1;
            let line = rec.position().map(|p| p.line() as i64).unwrap_or(row_no + 1);
            if row_no <= run.rows_done {
                rows.skipped(&rec, line);
                continue;
            }
            batch.consumed += 1;
            match rows.read(&rec, line) {
                Ok(r) => batch.rows.push((line, r)),
                Err(errs) => batch.rejected.extend(errs),
            }
        }
        if batch.consumed as usize >= batch_size || (!more && batch.consumed > 0) {
            let b = std::mem::take(&mut batch);
            run = rows.store(store.as_ref(), &actor, &run, b).await?;
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
        "import {} of {}: {} rows imported, {} rejected; report: {}",
        run.id,
        R::KIND.as_str(),
        run.rows_ok,
        run.rows_failed,
        report_path.display()
    );
    Ok(run.rows_failed == 0)
}
