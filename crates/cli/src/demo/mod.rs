//! Demo data for a newcomer: an org tree, staff of every role, a few hundred
//! people and applications in various stages. Seeded only into an empty database.
pub mod appointments;
pub mod cards;
pub mod digitization;
pub mod e_applications;
pub mod notify;
pub mod people;
pub mod pictures;
mod production;
pub mod queue;
pub mod record;

use anyhow::{Context, Result};
use chrono::Utc;
use dossier_crypto::secrets::hash_password;
use dossier_domain::application::ApplicationInput;
use dossier_domain::appointment::{Reception, ReceptionForm, Service, WeekHours};
use dossier_domain::org::{Role, UnitKind};
use dossier_domain::person::RepresentativeInput;
use dossier_store::blobs::BlobStore;
use dossier_store::{Actor, NewAccount, NewUnit, Store, Unit};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

/// Every demo account's password (demo only — the README says so).
pub const DEMO_PASSWORD: &str = "demo-dossier-2026";
/// The demo certification centre's PIN when DOSSIER_CA_PIN is not set (demo only — the README says so).
pub const DEMO_CA_PIN: &str = "2026";
/// The central fund's unit code in the demo.
pub const CENTRAL_FUND_CODE: &str = "00000";

pub struct DemoLogin {
    pub login: String,
    pub role: Role,
    pub unit: String,
}

async fn unit(
    store: &dyn Store,
    actor: &Actor,
    parent: Option<&Unit>,
    kind: UnitKind,
    code: &str,
    uk: &str,
    en: &str,
) -> Result<Unit> {
    Ok(store
        .create_unit(
            actor,
            NewUnit {
                parent_id: parent.map(|p| p.id),
                kind,
                code: code.into(),
                name_uk: uk.into(),
                name_en: en.into(),
                address: None,
            },
        )
        .await?)
}

/// Seeds the demo unless the database already has data; returns the logins created.
pub async fn seed(store: &dyn Store, blobs: &BlobStore) -> Result<Option<Vec<DemoLogin>>> {
    if !store.units().await?.is_empty() {
        tracing::info!("database already has data; demo seeding skipped");
        return Ok(None);
    }
    let sys = Actor::system("demo");
    let central = unit(
        store,
        &sys,
        None,
        UnitKind::CentralFund,
        CENTRAL_FUND_CODE,
        "Пенсійний фонд України",
        "Pension Fund of Ukraine",
    )
    .await?;
    let kyiv = unit(
        store,
        &sys,
        Some(&central),
        UnitKind::RegionalOffice,
        "26000",
        "Головне управління ПФУ в м. Києві",
        "Main office in Kyiv",
    )
    .await?;
    let lviv = unit(
        store,
        &sys,
        Some(&central),
        UnitKind::RegionalOffice,
        "13000",
        "Головне управління ПФУ у Львівській області",
        "Main office in Lviv region",
    )
    .await?;
    let mut districts = vec![];
    let mut centres = vec![];
    for (region, code, uk, en, town) in [
        (
            &kyiv,
            "26101",
            "Управління в Шевченківському районі м. Києва",
            "Shevchenkivskyi district office, Kyiv",
            "м. Київ",
        ),
        (&kyiv, "26102", "Управління в Печерському районі м. Києва", "Pecherskyi district office, Kyiv", "м. Київ"),
        (
            &lviv,
            "13101",
            "Управління у Франківському районі м. Львова",
            "Frankivskyi district office, Lviv",
            "м. Львів",
        ),
        (&lviv, "13102", "Управління в Дрогобицькому районі", "Drohobych district office", "м. Дрогобич"),
    ] {
        let d = unit(store, &sys, Some(region), UnitKind::DistrictOffice, code, uk, en).await?;
        for n in 1..=2 {
            let c = unit(
                store,
                &sys,
                Some(&d),
                UnitKind::ServiceCentre,
                &format!("{code}-{n}"),
                &format!("Сервісний центр №{n} ({uk})"),
                &format!("Service centre {n} ({en})"),
            )
            .await?;
            // Where citizens collect documents: a made-up address and the usual hours.
            let c = store
                .set_unit_contact(
                    &sys,
                    c.id,
                    Some(format!("{town}, вул. Прикладна, {}{n}", code.len() + n)),
                    Some("Пн–Чт 8:00–17:00, Пт 8:00–15:45 / Mon–Thu 8:00–17:00, Fri 8:00–15:45".into()),
                )
                .await?;
            centres.push(c);
        }
        districts.push(d);
    }
    // One centre keeps hours of its own: open on Saturday, closed on Monday,
    // one specialist, and no pension applications (the district office takes them).
    if let Some(c) = centres.last_mut() {
        let mut hours = WeekHours::default();
        for day in [&mut hours.tue, &mut hours.wed, &mut hours.thu, &mut hours.fri] {
            *day = Some("09:00-18:00".into());
        }
        hours.sat = Some("09:00-14:00".into());
        let form = ReceptionForm {
            hours,
            pause: Some("13:00-14:00".into()),
            slot_minutes: 20,
            services: vec![Service::Certificate, Service::Documents, Service::Consultation],
            places: 1,
        };
        let reception = Reception::from_form(&form).map_err(|e| anyhow::anyhow!("{e}"))?;
        store.set_unit_reception(&sys, c.id, Some(&reception)).await?;
        let hours = "Вт–Пт 9:00–18:00, Сб 9:00–14:00 / Tue–Fri 9:00–18:00, Sat 9:00–14:00";
        *c = store.set_unit_contact(&sys, c.id, c.address.clone(), Some(hours.into())).await?;
    }
    let oschad = unit(store, &sys, Some(&central), UnitKind::Bank, "B-OSCHAD", "АТ «Ощадбанк»", "Oschadbank").await?;
    let privat =
        unit(store, &sys, Some(&central), UnitKind::Bank, "B-PRIVAT", "АТ КБ «ПриватБанк»", "PrivatBank").await?;
    let mut branches = vec![];
    for (bank, code, uk, en) in [
        (&oschad, "B-OSCHAD-KY1", "Відділення №10026/01, Київ", "Branch 10026/01, Kyiv"),
        (&oschad, "B-OSCHAD-LV1", "Відділення №10013/05, Львів", "Branch 10013/05, Lviv"),
        (&privat, "B-PRIVAT-KY1", "Відділення «Хрещатик», Київ", "Khreshchatyk branch, Kyiv"),
        (&privat, "B-PRIVAT-LV1", "Відділення «Площа Ринок», Львів", "Rynok Square branch, Lviv"),
    ] {
        branches.push(unit(store, &sys, Some(bank), UnitKind::BankBranch, code, uk, en).await?);
    }
    let personalizer =
        unit(store, &sys, Some(&central), UnitKind::Personalizer, "P-01", "Персоналізатор карток", "Card personalizer")
            .await?;
    let ca = unit(
        store,
        &sys,
        Some(&central),
        UnitKind::CertificationCentre,
        "CA-01",
        "Кваліфікований центр сертифікації ключів",
        "Qualified certification centre",
    )
    .await?;

    let hash = hash_password(DEMO_PASSWORD)?;
    let staff: Vec<(&str, &str, Role, &Unit)> = vec![
        ("specialist", "Оксана Мельник", Role::Specialist, &centres[0]),
        ("specialist2", "Тарас Гнатюк", Role::Specialist, &centres[4]),
        ("postal", "Марія Лисенко", Role::PostalDigitizer, &centres[0]),
        ("district", "Ірина Бондаренко", Role::DistrictOfficer, &districts[0]),
        ("regional", "Василь Кушнір", Role::RegionalOfficer, &kyiv),
        ("production", "Галина Руденко", Role::CentralProductionOfficer, &central),
        ("transfer", "Андрій Савченко", Role::TransferResponsible, &kyiv),
        ("transfer.central", "Микола Гребенюк", Role::TransferResponsible, &central),
        ("transfer.district", "Софія Ковальчук", Role::TransferResponsible, &districts[0]),
        ("commission", "Людмила Мороз", Role::CommissionMember, &districts[0]),
        ("commission2", "Петро Дяченко", Role::CommissionMember, &districts[0]),
        ("bank", "Олег Клименко", Role::BankOperator, &oschad),
        ("bank2", "Ірина Павленко", Role::BankOperator, &privat),
        ("personalizer", "Юлія Ткачук", Role::PersonalizerOperator, &personalizer),
        ("ca", "Ярослав Поліщук", Role::CaOperator, &ca),
        ("auditor", "Надія Левченко", Role::Auditor, &central),
        ("admin", "Максим Шаповал", Role::Administrator, &central),
    ];
    let mut logins = vec![];
    let mut specialist_actor = None;
    for (login, name, role, u) in &staff {
        let account = store
            .create_account(
                &sys,
                NewAccount {
                    login: (*login).into(),
                    full_name: (*name).into(),
                    role: *role,
                    unit_id: u.id,
                    password_hash: hash.clone(),
                },
            )
            .await?;
        if *login == "specialist" {
            specialist_actor = Some(account.actor());
        }
        logins.push(DemoLogin { login: (*login).into(), role: *role, unit: u.name_en.clone() });
    }
    let actor = specialist_actor.context("demo specialist")?;

    let now = Utc::now();
    let today = now.date_naive();
    // The demo's paper chain ran last week (`production::seed`): most paper
    // applications were filed then; every fourth is this week's, not yet in a
    // batch. One card in four was filed seven weeks ago, past its 30 working
    // days, so the card queues show late cards.
    let last_week = production::filed_last_week(now);
    let mut rng = StdRng::seed_from_u64(2026);
    let mut serial = 10_000u64;
    let mut photo_gap_shown = false;
    for (di, district) in districts.iter().enumerate() {
        for i in 0..80 {
            serial += 1;
            let minor = i % 20 == 0;
            let mut input = if minor {
                people::person(&mut rng, serial, today, 5, 17)
            } else {
                people::person(&mut rng, serial, today, 45, 92)
            };
            if i == 7 {
                // A person who refused the RNOKPP for religious reasons.
                input.rnokpp = None;
                input.religious_refusal = true;
                input.passport = Some(format!("КА{:06}", 100_000 + serial));
            }
            let Ok(data) = input.validate(today) else { continue };
            let person = store.create_person(&actor, district.id, &data).await?;
            let rep_id = if minor {
                let rep = RepresentativeInput {
                    kind: "parent".into(),
                    surname: data.name.surname.to_string(),
                    given_name: "Ольга".into(),
                    patronymic: Some("Петрівна".into()),
                    resident: true,
                    rnokpp: Some("1759013776".into()),
                    proof_document: format!("Свідоцтво про народження І-КВ №{:06}", serial),
                    ..Default::default()
                }
                .validate()
                .map_err(|e| anyhow::anyhow!("demo representative: {e}"))?;
                Some(store.add_representative(&actor, person.id, &rep).await?.id)
            } else {
                None
            };
            // Roughly a third of the people have an application, and the photo and specimen
            // signature the certificate needs.
            if i % 3 != 0 {
                continue;
            }
            let card = data.idp || rng.gen_bool(0.2);
            let branch = &branches[di / 2 + if rng.gen_bool(0.5) { 0 } else { 2 }];
            let input = ApplicationInput {
                pension_kind: if minor {
                    "loss_of_breadwinner".into()
                } else if rng.gen_bool(0.8) {
                    "old_age".into()
                } else {
                    "long_service".into()
                },
                form: if card { "card".into() } else { "paper".into() },
                // §IV.2: the person's choice; the demo's holders alternate.
                payment_system: card.then(|| if i % 2 == 0 { "national" } else { "international" }.into()),
                // §V.2: paper is handed over where the application says — the
                // district's first service centre, near the people; a card at its branch.
                issue_unit_id: Some(if card { branch.id } else { centres[2 * di].id }),
                representative_id: rep_id,
                service_body: None,
                // One pension granted for a fixed term that ends in three weeks: the
                // certificate is flagged before it expires (§III.9).
                pension_until: (di == 0 && i == 6).then(|| (today + chrono::Duration::days(21)).to_string()),
                ..Default::default()
            };
            let filed = match (card, i % 4 == 0) {
                (false, true) | (true, false) => now,
                (false, false) => last_week,
                (true, true) => now - chrono::Duration::days(49),
            };
            let app = match store.create_application(&actor, person.id, &input, filed).await {
                Ok(a) => a,
                Err(e) => {
                    tracing::debug!(error = %e, "demo application skipped");
                    continue;
                }
            };
            // Paper certificates go through the weekly production below, cards
            // through the exchange with the bank, the personalizer and the
            // centre once the server is up (`cards::seed`).
            if rng.gen_bool(0.05) {
                store.withdraw_application(&actor, app.id, "заяву відкликано на прохання особи").await?;
            } else if !card && filed == now && di == 0 && !photo_gap_shown {
                // One of this week's paper applicants has not brought the photo
                // yet: the batch leaves the application for a later week (§III).
                photo_gap_shown = true;
                continue;
            }
            pictures::attach(store, blobs, &actor, person.id, serial).await?;
        }
    }
    production::seed(
        store,
        &production::Offices { central: &central, kyiv: &kyiv, lviv: &lviv, districts: &districts },
        last_week,
    )
    .await?;
    people::link_ward(store, &actor, today).await?;
    record::seed(store, &actor, today).await?;
    Ok(Some(logins))
}

pub fn print_logins(logins: Option<&[DemoLogin]>) {
    match logins {
        None => println!("(existing data kept; demo logins are those created at the first demo start)"),
        Some(list) => {
            println!("\nDemo logins (password for all: {DEMO_PASSWORD}):");
            for l in list {
                println!("  {:<13} {:<28} {}", l.login, l.role.as_str(), l.unit);
            }
            println!();
        }
    }
}
