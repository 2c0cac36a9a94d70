//! Demo card exchange (regulation 26-1, §IV), driven through the same
//! service the API uses, so every step is a sealed message from its party:
//! the demo's card applications spread over the stages — some still waiting
//! to be sent to the bank, some at the bank, at the personalizer, with keys
//! generated (two requests per chip) and certified by the centre, delivered
//! to the branch, issued, activated, one blocked.
use anyhow::{Context, Result, anyhow};
use dossier_crypto::ca::{SubjectName, make_request};
use dossier_crypto::software::SoftwareKey;
use dossier_domain::card::{Identification, Party};
use dossier_domain::lifecycle::{Event, Stage};
use dossier_server::AppState;
use dossier_server::cards::{Report, report};
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

pub(crate) async fn account(store: &dyn Store, login: &str) -> Result<(Actor, i64)> {
    let a = store.account_by_login(login).await?.with_context(|| format!("demo account {login}"))?;
    Ok((a.actor(), a.unit_id))
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

pub async fn seed(state: &AppState) -> Result<()> {
    let store = state.store.as_ref();
    let fund = account(store, "production").await?;
    let personalizer = account(store, "personalizer").await?;
    let centre = account(store, "ca").await?;
    let banks = [account(store, "bank").await?, account(store, "bank2").await?];
    let root = store.units().await?.into_iter().find(|u| u.parent_id.is_none()).context("central fund")?;
    let filter = CardFilter { issue_scope: None, owner_scope: Some(root.path.clone()), stages: &[Stage::Accepted] };
    let cards = store.cards(&filter, Page::new(0, 200)).await?;
    for (i, first) in cards.into_iter().enumerate() {
        let mut card = first;
        let bank = state
            .unit(card.data.issue_unit_id)
            .and_then(|branch| banks.iter().find(|(_, unit)| Some(*unit) == branch.parent_id))
            .context("the card's bank has a demo operator")?;
        for (event, party) in &PATH[..steps_for(i)] {
            let (actor, unit) = match party {
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
            card = report(state, actor, *party, *unit, &card, r)
                .await
                .map_err(|e| anyhow!("demo card {} {}: {:?}", card.number, event.as_str(), e.message.key))?
                .0;
        }
    }
    Ok(())
}
