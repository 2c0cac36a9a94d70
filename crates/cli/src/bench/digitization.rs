//! The digitization benchmark's Dossier half (BENCHMARKS.md "Digitization"):
//! `scans` renders test pages with Dossier's own renderer and rasterises them
//! at 300 dpi with poppler's `pdftoppm`, writing what each page prints;
//! `ocr` recognises a folder of pages as the OCR workers do (Tesseract per
//! page, `workers` at once) and extracts their fields, reporting pages per
//! second and, against the printed values, how many fields were accepted
//! without a person and how many of those were wrong (which must be none),
//! and the character error rate of the recognised text against the printed
//! lines; `cer` scores a peer's text (OCRmyPDF's sidecar) the same way.
//! `scans --noisy` degrades the pages as scanners and photocopies do: tilt,
//! low contrast, blur and grain.
use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use dossier_domain::digitization::{DocumentKind, extract};
use dossier_domain::ident::Rnokpp;
use dossier_domain::person::Sex;
use dossier_scan::Tesseract;
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

/// The key in `truth.json` under which a page's printed lines are.
const PRINTED: &str = "_printed";

/// Vietnamese full names with the sex they are given to (`Thị` marks a woman's).
const VN_NAMES: &[(&str, Sex)] = &[
    ("Nguyễn Thị Hương", Sex::Female),
    ("Trần Văn Đức", Sex::Male),
    ("Lê Thị Ngọc Ánh", Sex::Female),
    ("Phạm Quốc Bảo", Sex::Male),
    ("Hoàng Thị Thu Hà", Sex::Female),
    ("Vũ Đình Khải", Sex::Male),
    ("Đặng Thị Mỹ Duyên", Sex::Female),
    ("Bùi Văn Lượng", Sex::Male),
];

/// One test page: its title, its printed label/value rows, and the values
/// extraction must find (field code → normal form).
struct Card {
    title: &'static str,
    rows: Vec<(&'static str, String)>,
    values: BTreeMap<&'static str, String>,
}

/// The `i`-th Ukrainian taxpayer card.
fn taxpayer_card(i: usize) -> Result<Card> {
    let (given, sex) = GIVEN[i % GIVEN.len()];
    let patronymic = PATRONYMICS.iter().find(|p| p.1 == sex).map_or("", |p| p.0);
    let surname = SURNAMES[i % SURNAMES.len()];
    let birth =
        NaiveDate::from_ymd_opt(1940 + (i % 40) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32).context("a date")?;
    let rnokpp = Rnokpp::compose(birth, (i % 900) as u16, sex).context("an RNOKPP")?;
    Ok(Card {
        title: "Картка платника податків",
        rows: vec![
            ("Прізвище", surname.to_owned()),
            ("Ім’я", given.to_owned()),
            ("По батькові", patronymic.to_owned()),
            ("Дата народження", birth.format("%d.%m.%Y").to_string()),
            ("РНОКПП", rnokpp.to_string()),
        ],
        values: [
            ("surname", surname.to_owned()),
            ("given_name", given.to_owned()),
            ("patronymic", patronymic.to_owned()),
            ("birth_date", birth.to_string()),
            ("rnokpp", rnokpp.to_string()),
        ]
        .into_iter()
        .collect(),
    })
}

/// The `i`-th Vietnamese citizen identity card: the personal identification
/// number made of a province, the century and sex, the year and a serial.
fn citizen_card(i: usize) -> Result<Card> {
    let (name, sex) = VN_NAMES[i % VN_NAMES.len()];
    let birth =
        NaiveDate::from_ymd_opt(1950 + (i % 45) as i32, 1 + (i % 12) as u32, 1 + (i % 28) as u32).context("a date")?;
    let century_sex = if sex == Sex::Female { 1 } else { 0 };
    let id = format!("{:03}{century_sex}{:02}{:06}", 1 + i % 96, birth.format("%y"), 100_000 + i * 7);
    let (sex_printed, sex_value) = if sex == Sex::Female { ("Nữ", "female") } else { ("Nam", "male") };
    Ok(Card {
        title: "Căn cước công dân",
        rows: vec![
            ("Số định danh cá nhân", id.clone()),
            ("Họ và tên", name.to_owned()),
            ("Ngày sinh", birth.format("%d/%m/%Y").to_string()),
            ("Giới tính", sex_printed.to_owned()),
        ],
        values: [
            ("citizen_id", id),
            ("full_name", name.to_owned()),
            ("birth_date", birth.to_string()),
            ("sex", sex_value.to_owned()),
        ]
        .into_iter()
        .collect(),
    })
}

/// Writes `count` cards — Ukrainian taxpayer cards, or Vietnamese citizen
/// identity cards when `vietnamese` — as `page-NNN.png` and `truth.json`
/// into `out`, degraded when `noisy`.
pub fn scans(out: &Path, count: usize, noisy: bool, vietnamese: bool) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let mut truth = BTreeMap::new();
    for i in 0..count {
        let card = if vietnamese { citizen_card(i)? } else { taxpayer_card(i)? };
        let copy = dossier_pdf::DocumentCopy {
            title: card.title.into(),
            fields: card.rows.iter().map(|(l, v)| dossier_pdf::Field::new(*l, v.clone())).collect(),
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
        if noisy {
            let png = out.join(format!("{name}.png"));
            let page = dossier_scan::upright::decode(&std::fs::read(&png)?).map_err(|e| anyhow::anyhow!("{e}"))?;
            std::fs::write(&png, dossier_scan::upright::encode_png(&degrade(page, i), 300.0))?;
        }
        let mut printed = vec![card.title.to_owned()];
        printed.extend(card.rows.iter().map(|(l, v)| format!("{l}{SEGMENTS}{v}")));
        let mut values = card.values;
        values.insert(PRINTED, printed.join("\n"));
        truth.insert(format!("{name}.png"), values);
    }
    std::fs::write(out.join("truth.json"), serde_json::to_vec_pretty(&truth)?)?;
    let how = if noisy { "tilted, low-contrast, blurred and grainy" } else { "clean" };
    println!("{count} {how} pages at 300 dpi in {}", out.display());
    Ok(())
}

/// A page as a worn scan would give it: tilted by up to ±4.5° (a different
/// tilt per page), contrast squeezed to grey ink on grey paper (70–205), a
/// 3 × 3 blur, and grain of ±12 levels (a fixed pseudo-random sequence, so
/// runs compare). Twice that grain leaves Tesseract reading nothing at all.
fn degrade(page: dossier_scan::Raster, index: usize) -> dossier_scan::Raster {
    let tilt = ((index * 37) % 90) as f32 / 10.0 - 4.5;
    let mut r = dossier_scan::upright::rotate(&page, tilt);
    let channels = if r.grey { 1 } else { 3 };
    let (w, h) = (r.width as usize, r.height as usize);
    let source = r.pixels.clone();
    let mut seed = 0x9E37_79B9_7F4A_7C15u64 ^ index as u64;
    for y in 0..h {
        for x in 0..w {
            for c in 0..channels {
                let (mut sum, mut n) = (0u32, 0u32);
                for yy in y.saturating_sub(1)..(y + 2).min(h) {
                    for xx in x.saturating_sub(1)..(x + 2).min(w) {
                        sum += u32::from(source[(yy * w + xx) * channels + c]);
                        n += 1;
                    }
                }
                let blurred = (sum / n) as f32;
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
                let grain = ((seed >> 33) % 25) as f32 - 12.0;
                let low_contrast = 70.0 + blurred * (205.0 - 70.0) / 255.0;
                r.pixels[(y * w + x) * channels + c] = (low_contrast + grain).clamp(0.0, 255.0) as u8;
            }
        }
    }
    r
}

/// Character errors of `recognised` against the `printed` text, counted per
/// printed segment (the title, each label, each value — one per line of
/// `printed`, label and value split on the first run of two spaces): the
/// fewest edits that turn the segment into part of one recognised line. A
/// reader that puts a table's labels and values on separate lines (as
/// Tesseract does with columns) is not charged for the layout, only for the
/// characters. Runs of white space count as one space on both sides.
fn character_errors(printed: &str, recognised: &str) -> (usize, usize) {
    let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let lines: Vec<Vec<char>> =
        recognised.lines().map(squeeze).filter(|l| !l.is_empty()).map(|l| l.chars().collect()).collect();
    let (mut errors, mut chars) = (0, 0);
    for segment in printed.lines().flat_map(|l| l.split(SEGMENTS)).map(squeeze).filter(|s| !s.is_empty()) {
        let want: Vec<char> = segment.chars().collect();
        chars += want.len();
        errors += lines.iter().map(|l| edits_to_part_of(&want, l)).min().unwrap_or(want.len());
    }
    (errors, chars)
}

/// What separates a printed line's label from its value in `truth.json`.
const SEGMENTS: &str = "  ";

/// The fewest insertions, deletions and substitutions that turn `pattern`
/// into some run of `text` (approximate substring matching: the run may
/// start and end anywhere for free).
fn edits_to_part_of(pattern: &[char], text: &[char]) -> usize {
    let mut row = vec![0usize; text.len() + 1];
    for (i, p) in pattern.iter().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, t) in text.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(p != t)).min(row[j] + 1).min(above + 1);
            diagonal = above;
        }
    }
    row.into_iter().min().unwrap_or(pattern.len())
}

/// Scores a peer's recognised text — pages separated by form feeds, in page
/// name order, as OCRmyPDF's `--sidecar` writes it — against `truth.json`.
pub fn cer(truth: &Path, text: &Path) -> Result<()> {
    let truth: BTreeMap<String, BTreeMap<String, String>> = serde_json::from_slice(&std::fs::read(truth)?)?;
    let text = std::fs::read_to_string(text)?;
    let pages: Vec<&str> = text.split('\x0c').collect();
    let (mut errors, mut chars) = (0, 0);
    for (i, expected) in truth.values().enumerate() {
        let Some(printed) = expected.get(PRINTED) else { continue };
        let (e, c) = character_errors(printed, pages.get(i).copied().unwrap_or(""));
        errors += e;
        chars += c;
    }
    println!("peer: character error rate {:.2} % ({errors} errors in {chars} printed characters)", rate(errors, chars));
    Ok(())
}

fn rate(errors: usize, chars: usize) -> f64 {
    100.0 * errors as f64 / chars.max(1) as f64
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
    type Read = (String, String, Vec<dossier_domain::digitization::Extracted>);
    let results: Vec<Result<Read>> = futures::stream::iter(pages)
        .map(|path| {
            let tesseract = tesseract.clone();
            async move {
                let bytes = std::fs::read(&path)?;
                let dpi = dossier_scan::header::read(&bytes).ok().and_then(|h| h.dpi).map_or(300.0, |(x, y)| x.min(y));
                // As the OCR workers read a page: put upright, then recognised.
                let text = tesseract.read_upright(bytes, kind.languages(), dpi).await?.text;
                let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                let fields = extract(kind, std::slice::from_ref(&text));
                Ok((name, text.text(), fields))
            }
        })
        .buffer_unordered(workers.max(1))
        .collect()
        .await;
    let secs = started.elapsed().as_secs_f64();
    let (mut fields, mut accepted, mut wrong, mut errors, mut chars) = (0, 0, 0, 0, 0);
    let n = results.len();
    for r in results {
        let (name, text, extracted) = r?;
        let Some(expected) = truth.get(&name) else { continue };
        if let Some(printed) = expected.get(PRINTED) {
            let (e, c) = character_errors(printed, &text);
            errors += e;
            chars += c;
        }
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
    if chars > 0 {
        println!(
            "dossier: character error rate {:.2} % ({errors} errors in {chars} printed characters)",
            rate(errors, chars)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn character_errors_count_edits_per_segment_wherever_the_reader_put_it() {
        let printed = "Прізвище  Шевчук\nРНОКПП  1759013776";
        // Labels and values on lines of their own, or together, in any order: no error.
        assert_eq!(character_errors(printed, "РНОКПП\nПрізвище\n1759013776\nШевчук"), (0, 30));
        assert_eq!(character_errors(printed, "Прізвище Шевчук\nРНОКПП  1759013776"), (0, 30));
        // One substitution and one missing character.
        assert_eq!(character_errors(printed, "Прізвище Шевчyк\nРНОКПП 175901377"), (2, 30));
        assert_eq!(character_errors("abc", ""), (3, 3));
    }

    #[test]
    fn a_pattern_costs_nothing_inside_a_longer_line() {
        let chars = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(edits_to_part_of(&chars("Đức"), &chars("Trần Văn Đức")), 0);
        assert_eq!(edits_to_part_of(&chars("Đức"), &chars("Trần Văn Duc")), 2);
        assert_eq!(edits_to_part_of(&chars("abc"), &[]), 3);
    }
}
