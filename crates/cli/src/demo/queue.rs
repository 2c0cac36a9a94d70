//! The demo's electronic queue at the specialist's service centre, today:
//! three visitors checked in (one already called to desk 2, so the hall
//! screen shows a call) and one booked for now and not yet checked in, whose
//! code is printed so the tour — and the browser test — can check in with it.
use anyhow::{Result, anyhow};
use chrono::{Duration, Timelike, Utc};
use dossier_app::{App, queue};
use dossier_crypto::secrets::{random_bytes, token_hash};
use dossier_domain::appointment::Service;
use dossier_domain::ident::CitizenCode;
use dossier_store::{Actor, NewBooking, Store};

use super::cards::party;

/// Today's queue; the code of the visitor not checked in yet and the office, when there is one.
pub async fn seed(store: &dyn Store, app: &App) -> Result<Option<(String, i64)>> {
    let clerk = party(app, "specialist").await?;
    if !dossier_app::org::receives_citizens(&clerk.unit) {
        return Ok(None);
    }
    let office = clerk.unit.id;
    let now = Utc::now().with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or_else(Utc::now);
    let visitors = [
        (-10, Service::Consultation, "Олена Коваль"),
        (0, Service::PensionAssignment, "Петро Шевчук"),
        (5, Service::Documents, "Марія Іваненко"),
        (0, Service::Certificate, "Ігор Бондар"),
    ];
    let mut codes = vec![];
    for (minutes, service, name) in visitors {
        let code = CitizenCode::from_random(random_bytes()?);
        let booking = NewBooking {
            unit_id: office,
            service,
            starts_at: now + Duration::minutes(minutes),
            capacity: 10,
            code_hash: token_hash(code.as_str()),
            name: name.into(),
            email: None,
            phone: None,
            lang: "uk".into(),
            per_contact: 3,
            remind_at: None,
        };
        store.book(&Actor::system("demo"), &booking, now - Duration::days(1)).await?;
        codes.push(code.display());
    }
    for code in &codes[..3] {
        queue::check_in(app, "demo", code, now).await.map_err(|e| anyhow!("demo check-in: {e}"))?;
    }
    queue::call_next(app, &clerk, office, "2", now).await.map_err(|e| anyhow!("demo call: {e}"))?;
    Ok(codes.pop().map(|c| (c, office)))
}
