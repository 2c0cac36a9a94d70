//! Search over digitized documents' recognised text (BENCHMARKS.md
//! "Digitization", issue 20: p99 ≤ 50 ms over 100 000 documents): fills a
//! fresh store with `docs` documents whose text is made of names, places and
//! numbers as papers print them (Ukrainian and Vietnamese, in search form),
//! then times `queries` searches as staff type them — a surname, a name and
//! a place, a number, a prefix — one at a time, through the store's search
//! (SQLite FTS5 or PostgreSQL full-text), in the scope of one district.
use std::time::{Duration, Instant};

use anyhow::Result;
use chrono::{NaiveDate, Utc};
use dossier_domain::digitization::{AgencyCode, DocumentKind, ResultCodeScheme};
use dossier_domain::text::search_form;
use dossier_store::{
    Actor, Digitization, DigitizedDocuments, NewDigitizationDossier, NewDigitizedDocument, NewPage, Page, SqlStore,
};

const SURNAMES: &[&str] = &[
    "Шевчук",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравчук",
    "Олійник",
    "Мельник",
    "Гнатюк",
    "Мар’янчук",
    "Nguyễn",
    "Trần",
    "Lê",
    "Phạm",
    "Hoàng",
    "Vũ",
    "Đặng",
    "Bùi",
];
const GIVEN: &[&str] =
    &["Олена", "Андрій", "Марія", "Тарас", "Ірина", "Hương", "Đức", "Ngọc", "Ánh", "Bảo", "Thu", "Khải", "Lượng"];
const PLACES: &[&str] = &["Київ", "Полтава", "Миргород", "Львів", "Hà Nội", "Huế", "Đà Nẵng", "Cần Thơ"];
const WORDS: &[&str] = &[
    "картка",
    "платника",
    "податків",
    "дата",
    "народження",
    "прізвище",
    "căn",
    "cước",
    "công",
    "dân",
    "ngày",
    "sinh",
    "giới",
    "tính",
    "sổ",
    "bảo",
    "hiểm",
    "xã",
    "hội",
];

/// A small deterministic generator, so runs compare.
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.below(from.len())]
    }
}

/// The `i`-th document's text: words of a form, a person's names, a place, a date, a number.
fn text(rng: &mut Lcg, i: usize) -> String {
    let mut words: Vec<String> = (0..12).map(|_| rng.pick(WORDS).to_owned()).collect();
    words.extend([rng.pick(SURNAMES), rng.pick(GIVEN), rng.pick(GIVEN), rng.pick(PLACES)].map(str::to_owned));
    words.push(format!("{:02}.{:02}.{}", 1 + rng.below(28), 1 + rng.below(12), 1940 + rng.below(70)));
    words.push(format!("{:010}", 1_000_000_000 + i * 7919));
    search_form(&words.join(" "))
}

/// One query as staff type it.
fn query(rng: &mut Lcg, docs: usize) -> String {
    let q = match rng.below(4) {
        0 => rng.pick(SURNAMES).to_owned(),
        1 => format!("{} {}", rng.pick(GIVEN), rng.pick(PLACES)),
        2 => format!("{:010}", 1_000_000_000 + rng.below(docs) * 7919),
        _ => rng.pick(SURNAMES).chars().take(3).collect(),
    };
    search_form(&q)
}

pub async fn run(url: &str, docs: usize, queries: usize) -> Result<()> {
    let store = SqlStore::open(url).await?;
    let actor = Actor::system("bench");
    let district = super::one_district(&store, &actor).await?;
    let agency = AgencyCode::parse("000.00.31.H29").map_err(|_| anyhow::anyhow!("agency code"))?;
    let scheme = ResultCodeScheme::default();
    let mut rng = Lcg(2026);
    let started = Instant::now();
    let mut dossier = None;
    let day = NaiveDate::from_ymd_opt(2026, 12, 4).ok_or_else(|| anyhow::anyhow!("a date"))?;
    for i in 0..docs {
        // A dossier holds at most 9 999 documents: a new one every 5 000.
        if i % 5_000 == 0 {
            let new = NewDigitizationDossier {
                id: uuid::Uuid::new_v4(),
                agency: agency.clone(),
                received_on: day,
                unit_id: district.id,
                procedure: "bench".into(),
                person_id: None,
                applicant: None,
            };
            dossier = Some(store.open_digitization_dossier(&actor, &new).await?.id);
        }
        let dossier_id = dossier.ok_or_else(|| anyhow::anyhow!("a dossier"))?;
        let page = NewPage {
            image_sha256: format!("{i:064x}"),
            media_type: "image/png".into(),
            width: 2480,
            height: 3508,
            dpi: 300.0,
        };
        let new = NewDigitizedDocument {
            id: uuid::Uuid::new_v4(),
            dossier_id,
            kind: DocumentKind::UaTaxpayerCard,
            pages: vec![page],
        };
        let doc = store.add_digitized_document(&actor, &new, &scheme, Utc::now()).await?;
        store.save_extraction(doc.id, &[], &text(&mut rng, i)).await?;
    }
    let filled = started.elapsed();
    let mut times: Vec<Duration> = Vec::with_capacity(queries);
    let mut found = 0usize;
    let searching = Instant::now();
    for _ in 0..queries {
        let words: Vec<String> = query(&mut rng, docs).split(' ').map(str::to_owned).collect();
        let t = Instant::now();
        found += store.search_digitized(&district.path, &words, Page::new(0, 20)).await?.len();
        times.push(t.elapsed());
    }
    let backend = if url.starts_with("postgres") { "postgresql" } else { "sqlite" };
    println!(
        "search {backend}: {docs} documents, filled in {:.0} s; {:.1} hits a query (first page of 20)",
        filled.as_secs_f64(),
        found as f64 / queries.max(1) as f64
    );
    super::Figures::from(times, searching.elapsed().as_secs_f64()).print(&format!("search {backend}"));
    Ok(())
}
