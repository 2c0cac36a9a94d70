//! The OCR workers: claim due pages from the database (so any number of
//! processes share them), recognise each with Tesseract, record the outcome
//! (retrying with back-off, then giving the page to a person), and run
//! extraction and make the signed result when a document's last page
//! settles. One page per job; as many jobs at once as the pool has workers
//! (sized to the cores).
use std::time::Duration;

use chrono::Utc;
use dossier_domain::digitization::{Extracted, FieldKind, PageText, check_against_register, extract};
use dossier_domain::text::search_form;
use dossier_scan::PageRead;
use dossier_store::{ClaimedPage, PageOutcome, SettledDocument, UprightScan};
use futures::StreamExt;

use super::settings;
use crate::App;
use crate::error::AppResult;
use crate::operations::PageOutcomeKind;

/// How often a worker looks for documents a dead worker left unfinished
/// (read but not extracted, extracted but not sealed): see [`sweep`].
const SWEEP_EVERY: Duration = Duration::from_secs(60);

/// Claims up to `workers` due pages and recognises them concurrently;
/// returns how many it settled.
pub async fn run_once(app: &App, workers: usize) -> AppResult<usize> {
    let s = settings(app)?;
    let claimed = app.store.claim_pages(Utc::now(), s.lease, workers.max(1) as i64).await?;
    let n = claimed.len();
    let results: Vec<AppResult<()>> = futures::stream::iter(claimed)
        .map(|page| recognise(app, page))
        .buffer_unordered(workers.max(1))
        .collect()
        .await;
    for r in results {
        r?;
    }
    Ok(n)
}

/// Finishes what a worker that died left: extracts every document whose pages
/// have all settled but which is still `recognising`, then seals up to 64
/// extracted documents that have no signed result (when a seal is configured).
/// Returns how many it finished. Both steps are repeatable: what another
/// worker finished meanwhile is kept as that worker left it.
pub async fn sweep(app: &App) -> AppResult<usize> {
    let mut done = 0;
    loop {
        let settled = app.store.settled_unextracted(64).await?;
        if settled.is_empty() {
            break;
        }
        for doc in settled {
            tracing::info!(document = %doc.document_id, "extracting a document whose worker stopped before it");
            extract_and_seal(app, doc).await?;
            done += 1;
        }
    }
    if app.trust.seal().is_none() {
        return Ok(done);
    }
    // One batch a sweep: a result that cannot be made is tried again next time, not in a loop.
    for doc in app.store.extracted_unsealed(64).await? {
        tracing::info!(document = %doc.id, "sealing a document whose worker stopped before it");
        super::result::ensure(app, &doc).await?;
        done += 1;
    }
    Ok(done)
}

/// Runs until the process ends, resting while nothing is due; sweeps at
/// the start and every minute.
pub async fn run(app: std::sync::Arc<App>, workers: usize) {
    let mut swept = None::<std::time::Instant>;
    loop {
        if swept.is_none_or(|t| t.elapsed() >= SWEEP_EVERY) {
            swept = Some(std::time::Instant::now());
            if let Err(e) = sweep(&app).await {
                tracing::warn!(code = e.code, "digitization sweep");
            }
        }
        match run_once(&app, workers).await {
            Ok(0) => tokio::time::sleep(Duration::from_secs(2)).await,
            Ok(_) => {}
            Err(e) => {
                tracing::warn!(code = e.code, "digitization worker");
                tokio::time::sleep(Duration::from_secs(5)).await;
            }
        }
    }
}

async fn recognise(app: &App, page: ClaimedPage) -> AppResult<()> {
    let s = settings(app)?;
    // A scan that cannot be read back fails the page like a recogniser's error: retried, then
    // given to a person — never left claimed to come back forever.
    let read = match app.blobs.get(&page.image_sha256).await {
        Ok(image) => match s.tesseract.read_upright(image, page.kind.languages(), page.dpi).await {
            Ok(read) => keep_upright(app, &page, read).await,
            Err(e) => Err(e.to_string()),
        },
        Err(e) => Err(format!("the stored scan cannot be read: {e}")),
    };
    app.throughput().count_page(if read.is_ok() { PageOutcomeKind::Recognised } else { PageOutcomeKind::Failed });
    let outcome = match read {
        Ok(text) => PageOutcome::Recognised(text),
        Err(error) => {
            let attempts = page.attempts + 1;
            // Logged without the page: the error names the failure, never what was read.
            tracing::warn!(document = %page.document_id, page = page.page_no, attempts, %error, "recognition failed");
            let retry_at = (attempts < s.max_attempts)
                .then(|| Utc::now() + chrono::Duration::seconds(30 * (1i64 << attempts.min(10))));
            PageOutcome::Failed { error, retry_at }
        }
    };
    if let Some(texts) = app.store.finish_page(page.document_id, page.page_no, &outcome).await? {
        let settled =
            SettledDocument { document_id: page.document_id, dossier_id: page.dossier_id, kind: page.kind, texts };
        extract_and_seal(app, settled).await?;
    }
    Ok(())
}

/// A document's last page settled: its fields are extracted (and checked
/// against the register), its text indexed and its signed result made.
async fn extract_and_seal(app: &App, doc: SettledDocument) -> AppResult<()> {
    let mut fields = extract(doc.kind, &doc.texts);
    if let Some(person) = registered_person(app, doc.dossier_id, &fields).await? {
        check_against_register(doc.kind, &mut fields, &person.data);
    }
    let words = doc.texts.iter().map(PageText::text).collect::<Vec<_>>().join("\n");
    let saved = app.store.save_extraction(doc.document_id, &fields, &search_form(&words)).await?;
    // The signed result is made now; if it cannot be (no seal yet, a failure), the
    // document stays usable and its download makes it later.
    if let Err(e) = super::result::ensure(app, &saved).await {
        tracing::warn!(document = %doc.document_id, code = e.code, "the signed result was not made");
    }
    Ok(())
}

/// The registered person a paper is of: its dossier's, or the one whose
/// RNOKPP was read off it (a misread number that is someone else's then
/// disagrees with their record, and a person looks).
async fn registered_person(
    app: &App,
    dossier_id: uuid::Uuid,
    fields: &[Extracted],
) -> AppResult<Option<dossier_store::PersonRecord>> {
    let dossier = app.store.digitization_dossier(dossier_id).await?;
    if let Some(id) = dossier.and_then(|d| d.person_id) {
        return Ok(app.store.person(id).await?);
    }
    let rnokpp = fields.iter().find(|f| f.field == FieldKind::Rnokpp).and_then(|f| f.value.as_deref());
    Ok(match rnokpp {
        Some(r) => app.store.person_by_rnokpp(r).await?,
        None => None,
    })
}

/// Stores a page read upright as the page's scan (the words' places are on
/// it), beside the scan as received; the words.
async fn keep_upright(app: &App, page: &ClaimedPage, read: PageRead) -> Result<PageText, String> {
    if let Some(u) = read.upright {
        let blob = app.blobs.put(&u.png).await.map_err(|e| format!("the upright page cannot be stored: {e}"))?;
        let scan = UprightScan {
            image_sha256: blob.sha256,
            media_type: "image/png".to_owned(),
            width: u.width,
            height: u.height,
            correction: u.correction,
        };
        app.store.set_upright_scan(page.document_id, page.page_no, &scan).await.map_err(|e| e.to_string())?;
    }
    Ok(read.text)
}
