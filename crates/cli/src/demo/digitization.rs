//! The demo's digitization: a dossier at the first service centre with a
//! document in each state — ready (every field accepted), waiting for a
//! person, and still being recognised (the server's workers take it; without
//! Tesseract installed its attempts run out and it goes to a person too).
//! The pages are plain sheets at 300 dpi; what was "read" off the first two is
//! written as recognition would have (demo data, not OCR).
use anyhow::{Context, Result};
use chrono::Utc;
use dossier_app::digitization::{self, OpenDossier};
use dossier_app::{App, Via};
use dossier_domain::digitization::{BBox, DocumentKind, Line, PageText, Word, extract};
use dossier_store::{PageOutcome, Store};

/// A blank A4 sheet at 300 dpi, greyscale, declaring its resolution.
fn sheet() -> Result<Vec<u8>> {
    let (w, h) = (2480u32, 3508u32);
    let mut out = Vec::new();
    {
        let mut e = png::Encoder::new(&mut out, w, h);
        e.set_color(png::ColorType::Grayscale);
        e.set_depth(png::BitDepth::Eight);
        // 300 dpi in pixels per metre.
        e.set_pixel_dims(Some(png::PixelDimensions { xppu: 11_811, yppu: 11_811, unit: png::Unit::Meter }));
        let mut writer = e.write_header()?;
        writer.write_image_data(&vec![250u8; (w * h) as usize])?;
    }
    Ok(out)
}

/// Labels at the left, values at x = 1200, one row every 120 px.
fn page(rows: &[(&str, &str, f32)]) -> PageText {
    let mut lines = vec![];
    for (i, (label, value, confidence)) in rows.iter().enumerate() {
        let top = 400 + 120 * i as u32;
        let mut words = vec![];
        let mut left = 200;
        for part in label.split(' ') {
            let width = 34 * part.chars().count() as u32;
            words.push(Word { text: part.into(), confidence: 95.0, bbox: BBox { left, top, width, height: 56 } });
            left += width + 24;
        }
        lines.push(Line { words });
        let width = 34 * value.chars().count() as u32;
        let word =
            Word { text: (*value).into(), confidence: *confidence, bbox: BBox { left: 1200, top, width, height: 56 } };
        lines.push(Line { words: vec![word] });
    }
    PageText { lines }
}

pub async fn seed(store: &dyn Store, app: &App) -> Result<()> {
    let account = store.account_by_login("specialist").await?.context("the demo specialist")?;
    let caller = app.caller(account, Via::Console).context("the specialist's office")?;
    // The dossier is a person's, so their record lists the papers and the receipt names them.
    let people = store.search_persons(&caller.scope, &Default::default(), dossier_store::Page::new(0, 1)).await?;
    let open = OpenDossier { procedure: "1.001234".into(), person_id: people.first().map(|p| p.id), applicant: None };
    let dossier = digitization::open_dossier(app, &caller, &open)
        .await
        .map_err(|e| anyhow::anyhow!("demo dossier: {}", e.code))?;
    let sheet = sheet()?;
    let now = Utc::now();
    let read = [
        page(&[
            ("Прізвище", "Шевчук", 96.0),
            ("Ім'я", "Олена", 95.0),
            ("По батькові", "Петрівна", 96.0),
            ("Дата народження", "28.02.1948", 97.0),
            ("РНОКПП", "1759013776", 94.0),
        ]),
        // A doubtful name and a check digit that does not add up: a person looks.
        page(&[
            ("Прізвище", "Коваленко", 97.0),
            ("Ім'я", "Андрій", 71.0),
            ("По батькові", "Іванович", 95.0),
            ("Дата народження", "03.11.1955", 96.0),
            ("РНОКПП", "2045612340", 92.0),
        ]),
    ];
    for text in read {
        let doc = digitization::add_document(
            app,
            &caller,
            dossier.id,
            DocumentKind::UaTaxpayerCard.code(),
            std::slice::from_ref(&sheet),
            now,
        )
        .await
        .map_err(|e| anyhow::anyhow!("demo document: {}", e.code))?;
        if let Some(pages) = store.finish_page(doc.id, 1, &PageOutcome::Recognised(text)).await? {
            let words = pages.iter().map(PageText::text).collect::<Vec<_>>().join("\n");
            let fields = extract(DocumentKind::UaTaxpayerCard, &pages);
            store.save_extraction(doc.id, &fields, &dossier_domain::text::search_form(&words)).await?;
        }
    }
    // The third is left to the workers.
    digitization::add_document(app, &caller, dossier.id, DocumentKind::UaIdCard.code(), &[sheet], now)
        .await
        .map_err(|e| anyhow::anyhow!("demo document: {}", e.code))?;
    Ok(())
}
