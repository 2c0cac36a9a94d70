//! The digitization benchmark's Dossier half (BENCHMARKS.md "Digitization"):
//! `scans` renders test pages with Dossier's own renderer and rasterises them
//! at 300 dpi with poppler's `pdftoppm`, writing what each page prints;
//! `ocr` recognises a folder of pages as the OCR workers do (Tesseract per
//! page, `workers` at once) and extracts their fields, reporting pages per
//! second and, against the printed values, how many fields were accepted
//! without a person and how many of those were wrong (which must be none).
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use dossier_domain::digitization::{DocumentKind, extract};
use dossier_domain::ident::Rnokpp;
use dossier_domain::person::Sex;
use dossier_scan::{Segmentation, Tesseract};
use futures::StreamExt;

const SURNAMES: &[&str] = &["Шевчук", "Коваленко", "Бондаренко", "Ткаченко", "Кравчук", "Олійник", "Мельник", "Гнатюк"];
const GIVEN: &[(&str, Sex)] = &[
    ("Олена", Sex::Female),
    ("Андрій", Sex::Male),
    ("Марія", Sex::Female),
    ("Тарас", Sex::Male),
    ("Ірина", Sex::Female),
];
const PATRONYMICS: &[(&str, Sex)] =
    &[("Петрівна", Sex::Female), ("Іванович", Sex::Male), ("Степанівна", Sex::Female), ("Миколайович", Sex::Male)];

/// Writes `count` taxpayer cards as `page-NNN.png` and `truth.json` into `out`.
pub fn scans(out: &Path, count: usize) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let mut truth = BTreeMap::new();
    for i in 0..count {
        let (given, sex) = GIVEN[i % GIVEN.len()];
        let patronymic = PATRONYMICS.iter().find(|p| p.1 == sex).map_or("", |p| p.0);
        let surname = SURNAMES[i % SURNAMES.len()];
        let birth = NaiveDate::from_ymd_opt(1940 + (i % 40) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32)
            .context("a date")?;
        let rnokpp = Rnokpp::compose(birth, (i % 900) as u16, sex).context("an RNOKPP")?;
        let fields = [
            ("Прізвище", surname.to_owned()),
            ("Ім’я", given.to_owned()),
            ("По батькові", patronymic.to_owned()),
            ("Дата народження", birth.format("%d.%m.%Y").to_string()),
            ("РНОКПП", rnokpp.to_string()),
        ];
        let copy = dossier_pdf::DocumentCopy {
            title: "Картка платника податків".into(),
            fields: fields.iter().map(|(l, v)| dossier_pdf::Field::new(*l, v.clone())).collect(),
            issuer_note: String::new(),
            stamp: dossier_pdf::Stamp { heading: "—".into(), lines: vec![] },
        };
        let created = chrono::DateTime::parse_from_rfc3339("2026-12-04T10:00:00+02:00")?;
        let pdf = dossier_pdf::render_document_copy_at(&copy, created).map_err(|e| anyhow::anyhow!(e.to_string()))?;
        let name = format!("page-{i:03}");
        let pdf_path = out.join(format!("{name}.pdf"));
        std::fs::write(&pdf_path, pdf)?;
        let status = std::process::Command::new("pdftoppm")
            .args(["-r", "300", "-png", "-singlefile"])
            .arg(&pdf_path)
            .arg(out.join(&name))
            .status()
            .context("pdftoppm (poppler-utils) rasterises the pages")?;
        if !status.success() {
            bail!("pdftoppm failed on {name}");
        }
        std::fs::remove_file(&pdf_path)?;
        let values: BTreeMap<&str, String> = [
            ("surname", surname.to_owned()),
            ("given_name", given.to_owned()),
            ("patronymic", patronymic.to_owned()),
            ("birth_date", birth.to_string()),
            ("rnokpp", rnokpp.to_string()),
        ]
        .into_iter()
        .collect();
        truth.insert(format!("{name}.png"), values);
    }
    std::fs::write(out.join("truth.json"), serde_json::to_vec_pretty(&truth)?)?;
    println!("{count} pages at 300 dpi in {}", out.display());
    Ok(())
}

/// Recognises every `*.png` of `dir` (and checks against `truth.json` when present).
pub async fn ocr(dir: &Path, kind: DocumentKind, workers: usize) -> Result<()> {
    let pages = png_pages(dir)?;
    let truth: BTreeMap<String, BTreeMap<String, String>> = match std::fs::read(dir.join("truth.json")) {
        Ok(b) => serde_json::from_slice(&b)?,
        Err(_) => BTreeMap::new(),
    };
    let tesseract = Tesseract::default();
    let started = Instant::now();
    let results: Vec<Result<(String, Vec<dossier_domain::digitization::Extracted>)>> = futures::stream::iter(pages)
        .map(|path| {
            let tesseract = tesseract.clone();
            async move {
                let bytes = std::fs::read(&path)?;
                let dpi = dossier_scan::header::read(&bytes)
                    .ok()
                    .and_then(|h| h.dpi)
                    .map_or(300, |(x, y)| x.min(y).round() as u32);
                let text = tesseract.recognise(&bytes, kind.languages(), Segmentation::Auto, dpi).await?;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                Ok((name, extract(kind, &[text])))
            }
        })
        .buffer_unordered(workers.max(1))
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let (mut fields, mut accepted, mut wrong) = (0, 0, 0);
    let n = results.len();
    for r in results {
        let (name, extracted) = r?;
        let Some(expected) = truth.get(&name) else { continue };
        for f in extracted {
            let Some(want) = expected.get(f.field.code()) else { continue };
            fields += 1;
            if !f.needs_review() {
                accepted += 1;
                if f.value.as_deref() != Some(want.as_str()) {
                    wrong += 1;
                    eprintln!("WRONG VALUE ACCEPTED: {name} {}: {:?} (printed {want})", f.field.code(), f.value);
                }
            }
        }
    }
    println!(
        "dossier: {n} pages in {secs:.2} s = {:.2} pages/s ({workers} workers, OCR and field extraction)",
        n as f64 / secs
    );
    if fields > 0 {
        println!(
            "fields: {fields}; accepted without a person: {accepted} ({:.1} %); wrong values accepted: {wrong}",
            100.0 * accepted as f64 / fields as f64
        );
    }
    Ok(())
}

/// Digitizes every `*.png` of `dir` end to end as the server does: each page a
/// document of a dossier in a fresh SQLite store with encrypted blobs, the OCR
/// workers (`workers` tasks) recognising, extracting, making the searchable
/// PDF/A and signing it with a throw-away document seal; timed from the first
/// page stored to the last result stored.
pub async fn end_to_end(dir: &Path, kind: DocumentKind, workers: usize) -> Result<()> {
    use dossier_app::digitization::{self as dz, DigitizationSettings, OpenDossier};
    use dossier_store::{DigitizedDocuments, NewAccount, NewUnit, Org, Staff};
    let pages = png_pages(dir)?;
    let work = std::env::temp_dir().join(format!("dossier-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&work)?;
    let store = std::sync::Arc::new(
        dossier_store::SqlStore::open(&format!("sqlite://{}", work.join("bench.db").display())).await?,
    );
    let actor = dossier_store::Actor::system("bench");
    let unit = NewUnit {
        parent_id: None,
        kind: dossier_domain::org::UnitKind::CentralFund,
        code: "B".into(),
        name_uk: "Управління з оцифрування".into(),
        name_en: "Digitization office".into(),
        address: None,
    };
    let unit = store.create_unit(&actor, unit).await?.id;
    let account = NewAccount {
        login: "bench".into(),
        full_name: "Bench".into(),
        role: dossier_domain::org::Role::DistrictOfficer,
        unit_id: unit,
        password_hash: "-".into(),
    };
    let account = store.create_account(&actor, account).await?;
    let pki = dossier_crypto::testing::TestPki::new()?;
    let party = pki.party("Digitization office", dossier_crypto::x509::CertProfile::DocumentSigning)?;
    let seal = dossier_app::trust::DocumentSeal { key: party.key, certificate: party.certificate, chain: pki.chain() };
    let blobs =
        dossier_store::blobs::BlobStore::local(&work.join("blobs"), dossier_store::blobs::MasterKey::generate())?;
    let reader = blobs.clone();
    let dyn_store: std::sync::Arc<dyn dossier_store::Store> = store.clone();
    let app = dossier_app::App::new(dyn_store, blobs, dossier_app::AppConfig::default())
        .await?
        .with_digitization(DigitizationSettings::new(
            dossier_domain::digitization::AgencyCode::parse("000.00.31.H29")
                .map_err(|_| anyhow::anyhow!("agency code"))?,
        ))
        .with_trust(dossier_app::trust::TrustServices::default().with_seal(Some(seal)));
    let app = std::sync::Arc::new(app);
    let caller = app.caller(account, dossier_app::Via::Console).context("the bench account's office")?;
    let dossier =
        dz::open_dossier(&app, &caller, &OpenDossier { procedure: "bench".into(), person_id: None, applicant: None })
            .await
            .map_err(|e| anyhow::anyhow!(e.code))?;
    let started = Instant::now();
    let mut ids = Vec::with_capacity(pages.len());
    for path in &pages {
        let bytes = std::fs::read(path)?;
        let doc = dz::add_document(&app, &caller, dossier.id, kind.code(), &[bytes], chrono::Utc::now())
            .await
            .map_err(|e| anyhow::anyhow!("{}: {}", path.display(), e.code))?;
        ids.push(doc.id);
    }
    let tasks: Vec<_> = (0..workers.max(1))
        .map(|_| {
            let app = app.clone();
            tokio::spawn(async move {
                while dz::worker::run_once(&app, 1).await.map_err(|e| anyhow::anyhow!(e.code))? > 0 {}
                anyhow::Ok(())
            })
        })
        .collect();
    for t in tasks {
        t.await??;
    }
    let secs = started.elapsed().as_secs_f64();
    let mut bytes = 0u64;
    for id in &ids {
        let (doc, _) = store.digitized_document(*id).await?.context("document")?;
        let result = doc.result.context("a document without its signed result")?;
        bytes += reader.get(&result.sha256).await?.len() as u64;
    }
    std::fs::remove_dir_all(&work)?;
    println!(
        "dossier end to end: {} pages in {secs:.2} s = {:.2} pages/s ({workers} workers: OCR, extraction, signed PDF/A, \
         encrypted storage; {:.0} KB per result)",
        ids.len(),
        ids.len() as f64 / secs,
        bytes as f64 / 1024.0 / ids.len().max(1) as f64
    );
    Ok(())
}

/// The `*.png` files of `dir`, in name order.
fn png_pages(dir: &Path) -> Result<Vec<std::path::PathBuf>> {
    let mut pages: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "png"))
        .collect();
    pages.sort();
    Ok(pages)
}
