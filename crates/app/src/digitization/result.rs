//! A digitized document's result: the scans as a searchable PDF/A-2b (the
//! recognised words as an invisible text layer), the office's seal mark at
//! the top right of page 1, signed with the fund's document seal (PAdES, with
//! the widget over the mark), stored encrypted by its SHA-256. Made once,
//! when the document's last page is recognised; whoever finds it missing
//! (the download, a worker after a failure) makes it again, and two makers
//! racing keep the first.
use chrono::{DateTime, FixedOffset, Utc};
use dossier_domain::Lang;
use dossier_pdf::{Picture, PlacedWord, ScannedDocument, ScannedPage, SealMark};
use dossier_store::{DigitizedDocument, DigitizedResult, ResultPage};

use super::settings;
use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};

/// The PAdES signature's reason: what the seal vouches for.
const REASON: &str = "Digitized copy of a paper document";

/// The document's result, made now if it has none (`doc` as just read:
/// callers have it in hand). `Conflict` while pages still wait for
/// recognition; `Unavailable` when no document seal is configured.
pub async fn ensure(app: &App, doc: &DigitizedDocument) -> AppResult<DigitizedResult> {
    let s = settings(app)?;
    let document_id = doc.id;
    if let Some(result) = &doc.result {
        return Ok(result.clone());
    }
    if doc.status == dossier_store::DigitizedStatus::Recognising {
        return Err(AppError::conflict("digitization.result_not_yet"));
    }
    if app.trust.seal().is_none() {
        return Err(AppError::new(ErrorKind::Unavailable, "seal_missing", "digitization.seal_missing"));
    }
    let dossier = app.store.digitization_dossier(doc.dossier_id).await?.ok_or_else(AppError::not_found)?;
    let office = app.unit(dossier.unit_id).map(|u| u.name(s.language).to_owned());
    let now = Utc::now();
    let local = s.clock.local(now);
    let seal = SealMark {
        lines: vec![
            office.unwrap_or_default(),
            dossier_domain::Message::new("digitization.seal_digitized")
                .with("time", seal_time(s.language, local))
                .render(s.language),
            doc.result_code.clone(),
        ],
        picture: s.seal_picture.clone(),
    };
    let mut pages = Vec::with_capacity(doc.pages as usize);
    for page in app.store.digitized_result_pages(document_id).await? {
        let bytes = app.blobs.get(&page.image_sha256).await?;
        pages.push((page, bytes));
    }
    let title = format!("{} {}", dossier_domain::i18n::text(doc.kind.label_key(), s.language), doc.result_code);
    let language = s.language.code().to_owned();
    let trust = app.trust.clone();
    let signed = tokio::task::spawn_blocking(move || -> AppResult<Vec<u8>> {
        let pages = pages
            .into_iter()
            .enumerate()
            .map(|(i, (page, bytes))| scanned_page(i, page, bytes))
            .collect::<AppResult<_>>()?;
        let doc = ScannedDocument { title, language, pages, seal };
        let (pdf, rect) = dossier_pdf::render_scanned(&doc, local).map_err(|e| {
            tracing::error!(error = %e, "rendering a digitized document failed");
            AppError::internal()
        })?;
        let seal = trust.seal().ok_or_else(AppError::internal)?;
        seal.sign_over(&pdf, trust.tsa(), REASON, Some(rect)).map_err(|e| {
            tracing::error!(error = %e, "signing a digitized document failed");
            AppError::internal()
        })
    })
    .await
    .map_err(|_| AppError::internal())??;
    let blob = app.blobs.put(&signed).await?;
    let result =
        app.store.save_digitized_result(document_id, &blob.sha256, now).await?.ok_or_else(AppError::not_found)?;
    if result.sha256 == blob.sha256 {
        let actor = dossier_store::Actor::system("digitization");
        let details = serde_json::json!({"sha256": result.sha256, "bytes": signed.len()});
        app.store
            .audit(&actor, "digitization.result.made", &format!("digitized_document:{document_id}"), details)
            .await?;
    }
    Ok(result)
}

/// A page for the PDF: PNG and JPEG go in as they are, TIFF decoded; the
/// recognised words with their boxes become the text layer.
fn scanned_page(index: usize, page: ResultPage, bytes: Vec<u8>) -> AppResult<ScannedPage> {
    let unreadable = |_| {
        tracing::error!(page = index + 1, "a stored scan cannot be placed in the result");
        AppError::internal()
    };
    let picture = match dossier_scan::Format::sniff(&bytes) {
        Some(dossier_scan::Format::Tiff) => {
            let raster = dossier_scan::decode_tiff(&bytes).map_err(|_| AppError::internal())?;
            Picture::from_raster(raster.width, raster.height, raster.grey, raster.pixels, "page").map_err(unreadable)?
        }
        _ => Picture::new(bytes, "page").map_err(unreadable)?,
    };
    let words = page
        .text
        .words()
        .map(|w| PlacedWord {
            text: w.text.clone(),
            left: w.bbox.left,
            top: w.bbox.top,
            width: w.bbox.width,
            height: w.bbox.height,
        })
        .collect();
    Ok(ScannedPage { picture, dpi: page.dpi, words })
}

/// The seal's time as the office's language writes it: Vietnamese documents
/// put the time before the date (Decree 30/2020: hh:mm:ss dd/mm/yyyy).
pub(super) fn seal_time(lang: Lang, at: DateTime<FixedOffset>) -> String {
    if lang == Lang::VI {
        at.format("%H:%M:%S %d/%m/%Y %:z").to_string()
    } else {
        at.format("%d.%m.%Y %H:%M:%S %:z").to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seal_s_time_follows_the_office_s_language() {
        let at = DateTime::parse_from_rfc3339("2026-12-04T09:05:07+07:00").unwrap();
        assert_eq!(seal_time(Lang::VI, at), "09:05:07 04/12/2026 +07:00");
        assert_eq!(seal_time(Lang::UK, at), "04.12.2026 09:05:07 +07:00");
    }
}
