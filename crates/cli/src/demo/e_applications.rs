//! The demo's e-applications, one in every state, for people of the first
//! district (whose officer's inbox shows them): waiting for the signature,
//! never signed, submitted, overdue, granted, refused — and so the pensions
//! those grants assigned, one of them since moved to a bank account, one
//! with a delivery change waiting. Each signed one bears
//! a real CMS signature over its statement by a qualified certificate the
//! demo centre issues to the person (`TINUA-<RNOKPP>`), as the wallet would
//! make it; the decisions go through the same use case as the inbox's, so
//! each is a PDF signed by the fund and an e-mail in the outbox. (The live
//! path — the wallet's page and the PIN — is the one the e2e test walks.)
use std::time::Duration as StdDuration;

use anyhow::{Context, Result, anyhow};
use chrono::{Duration, Utc};
use dossier_app::App;
use dossier_crypto::ca::{SubjectName, make_request, random_serial};
use dossier_crypto::signed::{self, SignOptions, SigningIdentity};
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::x509::CertProfile;
use dossier_domain::e_application::{DecisionForm, EApplicationInput, StatementFacts, statement};
use dossier_domain::payment::AwardForm;
use dossier_store::{NewEApplication, SigningOutcome, Store};

use super::cards::party;

/// What each demo application asks, and where it ends.
enum End {
    Signing,
    Abandoned,
    Submitted,
    /// Granted; a pension assignment with this monthly amount.
    Granted {
        amount: &'static str,
    },
    Refused,
}

fn input(kind: &str, email: &str) -> EApplicationInput {
    // A pension comes by post; a change of route asks for the bank.
    let by_post = kind == "pension_assignment";
    EApplicationInput {
        kind: kind.into(),
        pension_kind: "old_age".into(),
        delivery: if by_post { "post" } else { "bank" }.into(),
        iban: if by_post { "" } else { "UA21 3223 1300 0002 6007 2335 6600 1" }.into(),
        postcode: if by_post { "82100" } else { "" }.into(),
        address: if by_post { "вул. Івана Франка, 12, кв. 4, Дрогобич" } else { "" }.into(),
        email: email.into(),
        ..Default::default()
    }
}

pub async fn seed(store: &dyn Store, app: &App, ca_dir: &std::path::Path) -> Result<()> {
    let officer = party(app, "district").await?;
    let people = store.search_persons(&officer.scope, &Default::default(), dossier_store::Page::new(0, 6)).await?;
    let centre = dossier_app::certification::CaFiles::new(ca_dir)
        .open(super::DEMO_CA_PIN)
        .map_err(|e| anyhow!("opening the demo centre: {e}"))?;
    let chain = vec![centre.issuing_certificate().clone()];
    // (whose, what, filed how many days ago, how it ends), in the order it happened: a pension is
    // granted before its route changes; decisions come three days after filing.
    let plan = [
        (0, "pension_assignment", 40, End::Granted { amount: "6 240,15" }),
        (1, "pension_assignment", 40, End::Granted { amount: "4 512,80" }),
        (1, "delivery_change", 30, End::Refused),
        (2, "pension_assignment", 0, End::Submitted),
        (3, "pension_assignment", 40, End::Granted { amount: "5 078,00" }),
        (3, "delivery_change", 20, End::Submitted),
        (0, "delivery_change", 30, End::Granted { amount: "" }),
        (4, "pension_assignment", 0, End::Signing),
        (5, "delivery_change", 2, End::Abandoned),
    ];
    let now = Utc::now();
    for (whose, kind, days_ago, end) in plan {
        let Some(person) = people.get(whose) else { continue };
        let data = input(kind, "demo.citizen@example.org").validate().map_err(|e| anyhow!("demo input: {e:?}"))?;
        let at = now - Duration::days(days_ago);
        let id = uuid::Uuid::now_v7();
        let office = app.unit(person.unit_id).context("the person's office")?;
        let rnokpp = person.data.tax_id.number();
        let text = statement(&StatementFacts {
            id: &id.to_string(),
            data: &data,
            office: &office.name_uk,
            issue_unit: None,
            applicant_name: &person.data.name.display(),
            applicant_rnokpp: rnokpp,
            applicant_birth: person.data.birth_date,
            representative: None,
            attachments: &[],
            at,
        });
        store
            .create_e_application(&NewEApplication {
                id,
                person_id: person.id,
                unit_id: office.id,
                data,
                statement: text.clone(),
                filed_by: "citizen:demo".into(),
                by_representative: false,
                lang: "uk".into(),
                files: vec![],
                at,
            })
            .await?;
        let citizen = dossier_store::Actor { label: "citizen:demo".into(), account_id: None };
        if matches!(end, End::Signing) {
            continue;
        }
        if matches!(end, End::Abandoned) {
            store.finish_signing(&citizen, id, &SigningOutcome::NotSigned { at }).await?;
            continue;
        }
        // The person's qualified certificate, and their signature over the statement.
        let key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
        let name = SubjectName {
            country: "UA".into(),
            surname: Some(person.data.name.surname.to_string()),
            given_name: Some(person.data.name.given.to_string()),
            serial_number: Some(format!("TINUA-{rnokpp}")),
            common_name: person.data.name.display(),
            ..Default::default()
        };
        let csr = make_request(&key, name.to_name()?)?;
        let cert = centre.issue(
            &csr,
            CertProfile::QesIdCard,
            Some(name.to_name()?),
            StdDuration::from_secs(365 * 86_400),
            &random_serial()?,
        )?;
        let cms = signed::sign(
            &SigningIdentity { key: &key, certificate: &cert, chain: &chain },
            text.as_bytes(),
            &SignOptions::default(),
        )?;
        let terms = app.config().e_application_terms;
        let due_on =
            terms.due(dossier_domain::e_application::Kind::parse(kind).context("kind")?, at, &app.config().calendar);
        let signer = format!("CN={},SERIALNUMBER=TINUA-{rnokpp},C=UA", person.data.name.display());
        store.finish_signing(&citizen, id, &SigningOutcome::Signed { signature: cms, signer, due_on, at }).await?;
        let applied_on = dossier_domain::time::kyiv_time(at).date_naive().to_string();
        let decided = match end {
            End::Granted { amount } => Some(DecisionForm {
                decision: "granted".into(),
                award: AwardForm {
                    amount: amount.into(),
                    since: if amount.is_empty() { String::new() } else { applied_on },
                },
                ..Default::default()
            }),
            End::Refused => Some(DecisionForm {
                decision: "refused".into(),
                reasons: "Рахунок відкрито на іншу особу: IBAN не належить заявнику.".into(),
                ..Default::default()
            }),
            _ => None,
        };
        if let Some(form) = decided {
            dossier_app::e_applications::decide(app, &officer, id, &form, at + Duration::days(3))
                .await
                .map_err(|e| anyhow!("demo decision: {e}"))?;
        }
    }
    Ok(())
}
