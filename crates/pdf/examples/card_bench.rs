//! Renders N card backs (form 5) on one thread and prints the rate, for BENCHMARKS.md:
//! once as N one-page files (one per card, as a single card is re-issued) and once as one
//! N-page file (a personalizer's batch).
//!
//!     cargo run --release -p dossier-pdf --example card_bench -- [N] [first-card.pdf]
//!
//! Every card differs (OKZO, card id, surname, photo and signature pixels), so nothing is
//! served from a cache: each card embeds its own 250 × 300 colour photo and 400 × 64 signature
//! (PNG, decoded and re-compressed by the renderer, as a real card is).

use std::time::Instant;

use chrono::{DateTime, NaiveDate};
use dossier_pdf::{CardBack, CardSex, Picture, render_card_backs};

/// A PNG for card `n` that compresses about as a photo does: a vertical gradient with six bits of
/// noise (a flat or periodic test pattern would shrink to nothing and flatter the renderer).
fn png(
    n: usize,
    (w, h): (u32, u32),
    colour: png::ColorType,
    channels: u32,
) -> Result<Picture, Box<dyn std::error::Error>> {
    let row = (w * channels) as u64;
    let pixels: Vec<u8> = (0..(w * h * channels) as u64)
        .map(|i| ((i / row) % 192 + ((i * 2_654_435_761 + n as u64 * 40_503) >> 13) % 64) as u8)
        .collect();
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(colour);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&pixels)?;
    writer.finish()?;
    Ok(Picture::new(out, "bench")?)
}

fn card(n: usize) -> Result<CardBack, Box<dyn std::error::Error>> {
    Ok(CardBack {
        okzo: n as u64,
        card_id: format!("5168 7420 {:08}", n),
        surname: if n.is_multiple_of(10) {
            "Ґалаґан-Рибалко Семенюк-Запорожець".into()
        } else {
            format!("Шевченко-{n}")
        },
        given_name: "Мар’яна".into(),
        patronymic: "Євгенівна".into(),
        sex: CardSex::Female,
        birth_date: NaiveDate::from_ymd_opt(1948, 2, 8).unwrap_or_default(),
        pension_kind: "по інвалідності внаслідок загального захворювання".into(),
        valid_until: NaiveDate::from_ymd_opt(2029, 11, 21).unwrap_or_default(),
        photo: Some(png(n, (250, 300), png::ColorType::Rgb, 3)?),
        signature: Some(png(n, (400, 64), png::ColorType::Grayscale, 1)?),
    })
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(2000);
    let created = DateTime::parse_from_rfc3339("2026-11-21T14:05:31+02:00")?;
    let first = render_card_backs(&[card(1)?], created)?; // warm-up: fonts parsed once per process
    let cards: Vec<CardBack> = (0..n).map(card).collect::<Result<_, _>>()?;
    let start = Instant::now();
    for c in &cards {
        render_card_backs(std::slice::from_ref(c), created)?;
    }
    let single = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let batch = render_card_backs(&cards, created)?;
    let together = start.elapsed().as_secs_f64();
    println!(
        "card backs, one thread: {n} one-page files in {single:.3} s = {:.0} pages/s; one {n}-page file in {together:.3} s = {:.0} pages/s ({} bytes)",
        n as f64 / single,
        n as f64 / together,
        batch.len()
    );
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(&path, &first)?;
        println!("first card written to {path}");
    }
    Ok(())
}
