//! Demo card exchange (regulation 26-1, §IV), driven through the same
//! service the API uses, so every step is a sealed message from its party:
//! the demo's card applications spread over the stages — some still waiting
//! to be sent to the bank, some at the bank, at the personalizer, with keys
//! generated (two requests per chip) and certified by the centre, delivered
//! to the branch, issued, activated, one blocked.
use anyhow::{Context, Result, anyhow};
use dossier_app::cards::{self, Report, Step};
use dossier_app::{App, Caller, staff};
use dossier_crypto::ca::{SubjectName, make_request};
use dossier_crypto::software::SoftwareKey;
use dossier_domain::Lang;
use dossier_domain::card::{Identification, Party};
use dossier_domain::lifecycle::{Event, Stage};
use dossier_store::*;

/// The steps to take for the `i`-th card: the demo shows every stage.
fn steps_for(i: usize) -> usize {
    match i % 10 {
        0 | 1 => 0,
        2 => 1,
        3 => 3,
        4 => 4,
        5 => 5,
        6 => 7,
        7 => 8,
        _ if i % 20 == 9 => 10,
        _ => 9,
    }
}

pub(crate) const PATH: [(Event, Party); 10] = [
    (Event::SendToBank, Party::Fund),
    (Event::OpenAccount, Party::Bank),
    (Event::SendToPersonalizer, Party::Fund),
    (Event::GenerateKeys, Party::Personalizer),
    (Event::CertifyKeys, Party::CertificationCentre),
    (Event::Personalize, Party::Personalizer),
    (Event::DeliverToBranch, Party::Bank),
    (Event::Issue, Party::Bank),
    (Event::Activate, Party::Bank),
    (Event::Block, Party::Bank),
];

/// The personalizer's identifier for the `i`-th card, as printed under the photo.
pub(crate) fn card_number(i: usize) -> String {
    format!("5168 7420 {:04} {:04}", i / 10_000 % 10_000, i % 10_000)
}

/// A demo account acting from the command line, as it would on its pages.
pub(crate) async fn party(app: &App, login: &str) -> Result<Caller> {
    staff::console(app, login).await.map_err(|e| anyhow!("demo account {login}: {e}"))
}

/// One step of a card as its party reports it, through the same use case as the API.
pub(crate) async fn report(app: &App, caller: &Caller, card: &CertificateRecord, r: Report) -> Result<()> {
    let event = r.event.clone();
    let step = Step { report: r, statement: None, signature: None };
    cards::step(app, caller, card.id, step, Lang::UK)
        .await
        .map_err(|e| anyhow!("demo card {} {event}: {e}", card.number))?;
    Ok(())
}

/// The chip's key requests: two fresh P-256 key pairs, self-signed.
pub(crate) fn key_requests(card: &CertificateRecord) -> Result<Vec<String>> {
    (0..2)
        .map(|n| {
            let key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
            let name = SubjectName {
                country: "UA".into(),
                common_name: format!("{} key {}", card.number, n + 1),
                ..Default::default()
            };
            let der = make_request(&key, name.to_name()?)?;
            x509_cert::der::pem::encode_string("CERTIFICATE REQUEST", x509_cert::der::pem::LineEnding::LF, &der)
                .map_err(|e| anyhow!("PEM: {e}"))
        })
        .collect()
}

pub async fn seed(store: &dyn Store, app: &App) -> Result<()> {
    let fund = party(app, "production").await?;
    let personalizer = party(app, "personalizer").await?;
    let centre = party(app, "ca").await?;
    let banks = [party(app, "bank").await?, party(app, "bank2").await?];
    let root = store.units().await?.into_iter().find(|u| u.parent_id.is_none()).context("central fund")?;
    let filter = CardFilter { issue_scope: None, owner_scope: Some(root.path.clone()), stages: &[Stage::Accepted] };
    let cards = store.cards(&filter, Page::new(0, 200)).await?;
    for (i, card) in cards.into_iter().enumerate() {
        let bank = app
            .unit(card.data.issue_unit_id)
            .and_then(|branch| banks.iter().find(|b| Some(b.unit.id) == branch.parent_id))
            .context("the card's bank has a demo operator")?;
        for (event, party) in &PATH[..steps_for(i)] {
            let caller = match party {
                Party::Fund => &fund,
                Party::Bank => bank,
                Party::Personalizer => &personalizer,
                Party::CertificationCentre => &centre,
            };
            let mut r = Report { event: event.as_str().into(), ..Report::default() };
            match event {
                Event::OpenAccount => {
                    let p = store.person(card.person_id).await?.context("card holder")?.data;
                    r.identification = Some(Identification::of(&p));
                    r.account = Some(format!("UA{:02}3052990000026{:012}", 10 + i % 90, i));
                }
                Event::Issue => {
                    let p = store.person(card.person_id).await?.context("card holder")?.data;
                    r.identification = Some(Identification::of(&p));
                    r.instruction_handed = true;
                }
                Event::GenerateKeys => r.requests = key_requests(&card)?,
                Event::Personalize => r.card_number = Some(card_number(i)),
                Event::Block => r.note = Some("за зверненням власника: картку загублено вдома, шукає".into()),
                _ => {}
            }
            report(app, caller, &card, r).await?;
        }
    }
    Ok(())
}
