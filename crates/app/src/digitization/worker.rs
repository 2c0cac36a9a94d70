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
use dossier_scan::{Segmentation, upright};
use dossier_store::{ClaimedPage, PageOutcome, UprightScan};
use futures::StreamExt;

use super::settings;
use crate::App;
use crate::error::AppResult;

/// How long a worker holds a page before another may take it over.
const LEASE: chrono::Duration = chrono::Duration::minutes(10);

/// Claims up to `workers` due pages and recognises them concurrently;
/// returns how many it settled.
pub async fn run_once(app: &App, workers: usize) -> AppResult<usize> {
    settings(app)?;
    let claimed = app.store.claim_pages(Utc::now(), LEASE, workers.max(1) as i64).await?;
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

/// Runs until the process ends, resting while nothing is due.
pub async fn run(app: std::sync::Arc<App>, workers: usize) {
    loop {
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
    let dpi = page.dpi.round().clamp(70.0, 2400.0) as u32;
    // A scan that cannot be read back fails the page like a recogniser's error: retried, then
    // given to a person — never left claimed to come back forever.
    let read = match app.blobs.get(&page.image_sha256).await {
        Ok(image) => read_upright(app, &page, image, dpi).await,
        Err(e) => Err(format!("the stored scan cannot be read: {e}")),
    };
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
        let mut fields = extract(page.kind, &texts);
        if let Some(person) = registered_person(app, &page, &fields).await? {
            check_against_register(page.kind, &mut fields, &person.data);
        }
        let words = texts.iter().map(PageText::text).collect::<Vec<_>>().join("\n");
        let doc = app.store.save_extraction(page.document_id, &fields, &search_form(&words)).await?;
        // The signed result is made now; if it cannot be (no seal yet, a failure), the
        // document stays usable and its download makes it later.
        if let Err(e) = super::result::ensure(app, &doc).await {
            tracing::warn!(document = %page.document_id, code = e.code, "the signed result was not made");
        }
    }
    Ok(())
}

/// The registered person a paper is of: its dossier's, or the one whose
/// RNOKPP was read off it (a misread number that is someone else's then
/// disagrees with their record, and a person looks).
async fn registered_person(
    app: &App,
    page: &ClaimedPage,
    fields: &[Extracted],
) -> AppResult<Option<dossier_store::PersonRecord>> {
    let dossier = match app.store.digitized_document(page.document_id).await? {
        Some((doc, _)) => app.store.digitization_dossier(doc.dossier_id).await?,
        None => None,
    };
    if let Some(id) = dossier.and_then(|d| d.person_id) {
        return Ok(app.store.person(id).await?);
    }
    let rnokpp = fields.iter().find(|f| f.field == FieldKind::Rnokpp).and_then(|f| f.value.as_deref());
    Ok(match rnokpp {
        Some(r) => app.store.person_by_rnokpp(r).await?,
        None => None,
    })
}

/// A page that reads this badly may be sideways or upside down: Tesseract's
/// orientation detection is asked then (it costs about a quarter of a recognition).
fn poorly_read(text: &PageText) -> bool {
    text.words().count() < 5 || text.confidence() < 50.0
}

/// Recognises a page put upright first: its skew found and turned back (past
/// [`upright::MIN_CORRECTED_SKEW`]), and, when the page reads poorly, turned
/// the quarter turns Tesseract's orientation detection asks for (kept only if
/// it then reads better). A corrected page is stored and becomes the page's
/// scan — the words' places are on it — beside the scan as received.
async fn read_upright(app: &App, page: &ClaimedPage, image: Vec<u8>, dpi: u32) -> Result<PageText, String> {
    let s = settings(app).map_err(|e| e.code.to_owned())?;
    let languages = page.kind.languages();
    let scan_dpi = page.dpi;
    let straightened = tokio::task::spawn_blocking(move || -> Result<(Vec<u8>, Option<Upright>), String> {
        // A page that cannot be decoded here (Tesseract may still read it) goes as it is.
        let Ok(raster) = upright::decode(&image) else { return Ok((image, None)) };
        let skew = upright::skew_degrees(&raster);
        if skew.abs() < upright::MIN_CORRECTED_SKEW {
            return Ok((image, Some(Upright { raster, skew: 0.0, turn: 0 })));
        }
        let raster = upright::rotate(&raster, -skew);
        Ok((upright::encode_png(&raster, scan_dpi), Some(Upright { raster, skew, turn: 0 })))
    })
    .await
    .map_err(|e| e.to_string())??;
    let (mut bytes, mut upright) = straightened;
    let mut text =
        s.tesseract.recognise(&bytes, languages, Segmentation::Auto, dpi).await.map_err(|e| e.to_string())?;
    if poorly_read(&text)
        && let Some(u) = upright.as_ref()
        && let Ok(Some(turn)) = s.tesseract.orientation(&bytes, dpi).await
    {
        let raster = u.raster.clone();
        let turned = tokio::task::spawn_blocking(move || {
            let raster = upright::turn_clockwise(&raster, turn);
            let png = upright::encode_png(&raster, scan_dpi);
            (raster, png)
        })
        .await
        .map_err(|e| e.to_string())?;
        let again = s.tesseract.recognise(&turned.1, languages, Segmentation::Auto, dpi).await;
        if let Ok(again) = again
            && again.confidence() * again.words().count() as f32 > text.confidence() * text.words().count() as f32
        {
            text = again;
            bytes = turned.1;
            upright = Some(Upright { raster: turned.0, skew: u.skew, turn });
        }
    }
    if let Some(u) = upright.filter(|u| u.skew != 0.0 || u.turn != 0) {
        let blob = app.blobs.put(&bytes).await.map_err(|e| format!("the upright page cannot be stored: {e}"))?;
        let scan = UprightScan {
            image_sha256: blob.sha256,
            media_type: "image/png".to_owned(),
            width: u.raster.width,
            height: u.raster.height,
            correction: u.describe(),
        };
        app.store.set_upright_scan(page.document_id, page.page_no, &scan).await.map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// A page as it was put upright: its pixels, the skew turned back and the quarter turn made.
struct Upright {
    raster: dossier_scan::Raster,
    skew: f32,
    turn: u16,
}

impl Upright {
    /// What was done, for the page's record: "turned 180°, deskewed -4.2°".
    fn describe(&self) -> String {
        let mut done = vec![];
        if self.turn != 0 {
            done.push(format!("turned {}°", self.turn));
        }
        if self.skew != 0.0 {
            done.push(format!("deskewed {:.1}°", self.skew));
        }
        done.join(", ")
    }
}
