//! The card exchange (issue 5, §IV; `bench/cards.sh` runs it): card steps
//! reported per second, in process, on a fresh demo data folder (SQLite) —
//! each report goes through `dossier_app::cards::step` as the API's handler
//! calls it: the party's desk and the card's visibility, the rules, the fund's
//! payload, the CAdES seal, and the stage change, message and audit entry in
//! one transaction; the centre's step also issues the chip's two
//! certificates. Then the seal alone over the same payloads, the part of a
//! step that is cryptography.
//!
//! The chip's key pairs and requests are made before the clock starts (they
//! are the personalizer's work, not the fund's).
use std::collections::BTreeMap;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use chrono::Utc;
use dossier_app::App;
use dossier_app::cards::Report;
use dossier_crypto::KeyPair;
use dossier_domain::application::ApplicationInput;
use dossier_domain::card::{Identification, Party};
use dossier_domain::lifecycle::Event;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::config::{Config, StoreArgs};
use crate::demo::cards::{PATH, card_number, key_requests, party, report};

/// Moves `cards` new card applications through the nine steps from the
/// application to activation and prints the rates.
pub async fn run(cards: usize) -> Result<()> {
    let dir = std::env::temp_dir().join(format!("dossier-bench-cards-{}", uuid::Uuid::new_v4().simple()));
    // Every store path is named, so a dossier.toml in the working folder cannot
    // point the bench (and its demo seed) at a real database.
    let args = StoreArgs {
        data_dir: Some(dir.clone()),
        database_url: Some(format!("sqlite://{}", dir.join("dossier.db").display())),
        blobs: Some(dir.join("blobs").display().to_string()),
        master_key_file: Some(dir.join("master.key")),
        ca_dir: Some(dir.join("ca")),
        config: None,
    };
    let cfg = Config::resolve(&args, None)?;
    let result = measure(&cfg, cards).await;
    let _ = std::fs::remove_dir_all(&dir);
    result
}

async fn measure(cfg: &Config, cards: usize) -> Result<()> {
    let (store, blobs) = crate::storage::open(cfg).await?;
    crate::demo::seed(store.as_ref(), &blobs).await?.context("a fresh folder gets the demo data")?;
    let ca = crate::ca::seed_demo(store.as_ref(), cfg).await?;
    let app = App::new(store.clone(), blobs.clone(), cfg.app.clone())
        .await?
        .with_trust(crate::ca::trust_services(cfg, Some(&ca), true)?)
        .with_ca(ca);
    let seal = app.trust().seal().context("the demo's document seal")?;

    // The holders: new people in a Kyiv district, each applying for a card at Oschadbank's Kyiv branch.
    let specialist = store.account_by_login("specialist").await?.context("demo account specialist")?.actor();
    let district = crate::storage::unit_by_code(store.as_ref(), "26101").await?;
    let branch = crate::storage::unit_by_code(store.as_ref(), "B-OSCHAD-KY1").await?;
    let today = Utc::now().date_naive();
    let mut rng = StdRng::seed_from_u64(7);
    let mut queue = Vec::with_capacity(cards);
    for n in 0..cards {
        let Ok(data) = crate::demo::people::person(&mut rng, 500_000 + n as u64, today, 45, 92).validate(today) else {
            continue;
        };
        let person = store.create_person(&specialist, district.id, &data).await?;
        crate::demo::pictures::attach(store.as_ref(), &blobs, &specialist, person.id, n as u64).await?;
        let input = ApplicationInput {
            pension_kind: "old_age".into(),
            form: "card".into(),
            issue_unit_id: Some(branch.id),
            payment_system: Some("national".into()),
            ..Default::default()
        };
        let card = store.create_application(&specialist, person.id, &input, Utc::now()).await?;
        let requests = key_requests(&card)?;
        queue.push((card, Identification::of(&data), requests));
    }

    let parties = [
        (Party::Fund, party(&app, "production").await?),
        (Party::Bank, party(&app, "bank").await?),
        (Party::Personalizer, party(&app, "personalizer").await?),
        (Party::CertificationCentre, party(&app, "ca").await?),
    ];
    let steps = &PATH[..9]; // to activation
    let mut per_event: BTreeMap<&'static str, (usize, f64)> = BTreeMap::new();
    let started = Instant::now();
    for (i, (card, identification, requests)) in queue.iter().enumerate() {
        for (event, party) in steps {
            let caller = &parties.iter().find(|(p, _)| p == party).context("a demo account per party")?.1;
            let mut r = Report { event: event.as_str().into(), ..Report::default() };
            match event {
                Event::OpenAccount => {
                    r.identification = Some(identification.clone());
                    r.account = Some(format!("UA{:02}3052990000026{:012}", 10 + i % 90, i));
                }
                Event::Issue => {
                    r.identification = Some(identification.clone());
                    r.instruction_handed = true;
                }
                Event::GenerateKeys => r.requests = requests.clone(),
                Event::Personalize => r.card_number = Some(card_number(i)),
                _ => {}
            }
            let t = Instant::now();
            report(&app, caller, card, r).await?;
            let entry = per_event.entry(event.as_str()).or_default();
            entry.0 += 1;
            entry.1 += t.elapsed().as_secs_f64();
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let messages = queue.len() * steps.len();
    println!(
        "card exchange, one task: {} cards × {} steps = {messages} sealed messages in {secs:.2} s = {:.0} steps/s",
        queue.len(),
        steps.len(),
        messages as f64 / secs
    );
    for (event, (n, s)) in &per_event {
        println!("  {event:<22} {n:>5} × {:>7.3} ms = {:.0}/s", s / *n as f64 * 1000.0, *n as f64 / s);
    }

    // The seal alone, over the payloads the exchange stored.
    let mut payloads = Vec::with_capacity(messages);
    for (card, _, _) in &queue {
        payloads.extend(store.card_messages(card.id).await?.into_iter().map(|m| m.payload));
    }
    let t = Instant::now();
    for p in &payloads {
        seal.seal_detached(p.as_bytes()).map_err(|e| anyhow!("{e}"))?;
    }
    let seal_secs = t.elapsed().as_secs_f64();
    println!(
        "the seal alone (CAdES-B detached, {:?}): {} payloads in {seal_secs:.2} s = {:.0}/s — {:.0} % of a step's time",
        seal.key.algorithm(),
        payloads.len(),
        payloads.len() as f64 / seal_secs,
        100.0 * seal_secs / secs
    );
    Ok(())
}
