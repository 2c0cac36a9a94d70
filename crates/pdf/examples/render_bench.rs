//! Renders N document copies on one thread and prints the rate, for BENCHMARKS.md.
//!
//!     cargo run --release -p dossier-pdf --example render_bench -- [N] [first-copy.pdf]
//!
//! With a second argument the first copy is also written there, to look at.
//! Every copy differs (request number in the stamp), as in production, so nothing is served
//! from a cache inside krilla; fonts are parsed once per process, as in the server.

use std::time::Instant;

use chrono::DateTime;
use dossier_pdf::{DocumentCopy, Field, Stamp, render_document_copy_at};

fn copy(n: usize) -> DocumentCopy {
    DocumentCopy {
        title: "Копія електронного документа: ID-картка".into(),
        fields: vec![
            Field::new("Прізвище", "Ґалаґан"),
            Field::new("Ім’я", "Мар’яна"),
            Field::new("По батькові", "Євгенівна"),
            Field::new("Дата народження", "01.02.1990"),
            Field::new("Місце народження", "с. Їжаківка, Полтавська обл."),
            Field::new("Запис у реєстрі (УНЗР)", "19900201-01234"),
            Field::new(
                "Адреса реєстрації місця проживання",
                "Україна, Київська область, Бучанський район, місто Ірпінь, вулиця Університетська, будинок 2-Є, квартира 117",
            ),
            Field::new("Номер документа", "001234567"),
            Field::new("Дата видачі", "15.03.2021"),
            Field::new("Дійсний до", "15.03.2031"),
            Field::new("Орган, що видав", "8031"),
        ],
        issuer_note: "Документ видано: Державна міграційна служба України (реєстр)".into(),
        stamp: Stamp {
            heading: "Копію сформовано для".into(),
            lines: vec![
                Field::new("Отримувач", "Пенсійний фонд України"),
                Field::new("Відділення", "Сервісний центр № 3 Головного управління ПФУ в Київській області"),
                Field::new("Дата і час формування", "21.11.2026 14:05:31 (Київ)"),
                Field::new("Запит", format!("0192f6c4-5a1b-7c3d-9e8f-{n:012}")),
            ],
        },
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args().nth(1).map(|a| a.parse()).transpose()?.unwrap_or(2000);
    let created = DateTime::parse_from_rfc3339("2026-11-21T14:05:31+02:00")?;
    // Warm-up: parses the fonts (once per process) so the loop measures rendering alone.
    let first = render_document_copy_at(&copy(0), created)?;
    let start = Instant::now();
    let mut bytes = 0;
    for i in 0..n {
        bytes += render_document_copy_at(&copy(i), created)?.len();
    }
    let elapsed = start.elapsed().as_secs_f64();
    println!(
        "rendered {n} one-page copies in {elapsed:.3} s: {:.0} pages/s on one thread, {:.0} µs/page, {} bytes/copy",
        n as f64 / elapsed,
        elapsed * 1e6 / n as f64,
        bytes / n.max(1)
    );
    if let Some(path) = std::env::args().nth(2) {
        std::fs::write(&path, &first)?;
        println!("first copy written to {path}");
    }
    Ok(())
}
