//! Renders acceptance-transfer acts (form 3) and issue journals (form 6) on one thread and prints
//! pages per second, for BENCHMARKS.md; `bench/weasyprint_act.py` renders the same act from
//! equivalent HTML as the peer.
//!
//!     cargo run --release -p dossier-pdf --example act_bench -- [ACTS] [LINES] [first-act.pdf]
//!
//! Each act lists LINES certificates (default 200: a region's act to one district office) and
//! every act differs (its number and the certificate numbers), so nothing is served from a cache.
//! Pages are counted from the output with lopdf, outside the timed loop.

use std::time::Instant;

use chrono::{DateTime, NaiveDate};
use dossier_pdf::{ActLine, Journal, JournalEntry, Signatory, TransferAct, render_journal, render_transfer_act};

const OWNERS: [&str; 4] = [
    "Шевченко Тарас Григорович",
    "Ґалаґан-Рибалко Мар’яна Євгенівна",
    "Їжакевич Юрій Олексійович",
    "Коцюбинська-Запорожець Олена Вʼячеславівна",
];

fn act(n: usize, lines: usize) -> TransferAct {
    TransferAct {
        number: format!("{n}/2026"),
        date: NaiveDate::from_ymd_opt(2026, 11, 19).unwrap_or_default(),
        from: "Головне управління Пенсійного фонду України в Полтавській області".into(),
        to: "Миргородське об’єднане управління Пенсійного фонду України Полтавської області".into(),
        lines: (0..lines)
            .map(|i| ActLine {
                certificate_no: format!("{:010}", n * lines + i),
                owner: OWNERS[i % OWNERS.len()].into(),
                remark: if i % 50 == 7 { "пошкоджено".into() } else { String::new() },
            })
            .collect(),
        discrepancies: String::new(),
        signatories: vec![
            Signatory { role: "Передав".into(), name: "Остапенко Ірина Петрівна".into() },
            Signatory {
                role: "Прийняв".into(), name: "Ярошенко Богдан Миколайович".into()
            },
        ],
    }
}

fn journal(n: usize, lines: usize) -> Journal {
    Journal {
        body: "Миргородське об’єднане управління Пенсійного фонду України Полтавської області".into(),
        period: format!("за період з 01.11.2026 по 30.11.2026 (примірник {n})"),
        entries: (0..lines)
            .map(|i| JournalEntry {
                certificate_no: format!("{:010}", n * lines + i),
                act: "№ 12/2026 від 05.11.2026".into(),
                recipient: OWNERS[i % OWNERS.len()].into(),
                document: "паспорт громадянина України (ID-картка) № 001234567, виданий 8031 15.03.2021".into(),
                issued_by: "КЕП: Остапенко І. П., 21.11.2026 10:15".into(),
                received_by: String::new(),
            })
            .collect(),
    }
}

fn pages(pdf: &[u8]) -> Result<usize, Box<dyn std::error::Error>> {
    Ok(lopdf::Document::load_mem(pdf)?.get_pages().len())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let acts: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(200);
    let lines: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(200);
    let out = args.next();
    let created = DateTime::parse_from_rfc3339("2026-11-21T14:05:31+02:00")?;
    let first = render_transfer_act(&act(0, lines), created)?; // warm-up: fonts parsed once per process
    let per_act = pages(&first)?;

    let start = Instant::now();
    for i in 0..acts {
        render_transfer_act(&act(i, lines), created)?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "transfer acts (form 3), one thread: {acts} acts of {lines} certificates ({per_act} pages each) in {secs:.3} s = {:.0} pages/s, {:.0} acts/s ({} bytes each)",
        (acts * per_act) as f64 / secs,
        acts as f64 / secs,
        first.len()
    );

    let journal_pages = pages(&render_journal(&journal(0, lines), created)?)?;
    let start = Instant::now();
    for i in 0..acts {
        render_journal(&journal(i, lines), created)?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "issue journals (form 6), one thread: {acts} journals of {lines} lines ({journal_pages} pages each) in {secs:.3} s = {:.0} pages/s",
        (acts * journal_pages) as f64 / secs,
    );
    if let Some(path) = out {
        std::fs::write(&path, &first)?;
        println!("first act written to {path}");
    }
    Ok(())
}
