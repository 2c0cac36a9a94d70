//! The demo's electronic queue at the specialist's service centre, today:
//! three visitors checked in (one already called to desk 2, so the hall
//! screen shows a call) and one booked for now and not yet checked in, whose
//! code is printed so the tour — and the browser test — can check in with it.
use anyhow::{Result, anyhow};
use chrono::{DateTime, Duration, Timelike, Utc};
use dossier_app::{App, queue};
use dossier_crypto::secrets::{random_bytes, token_hash};
use dossier_domain::appointment::Service;
use dossier_domain::ident::CitizenCode;
use dossier_domain::time::{kyiv_midnight, kyiv_time};
use dossier_store::{Actor, NewBooking, Store};

use super::cards::party;

/// The visitors: minutes from the queue's moment, service, name.
const VISITORS: [(i64, Service, &str); 4] = [
    (-10, Service::Consultation, "Олена Коваль"),
    (0, Service::PensionAssignment, "Петро Шевчук"),
    (5, Service::Documents, "Марія Іваненко"),
    (0, Service::Certificate, "Ігор Бондар"),
];

/// The moment the visitors' times are counted from: `now`, moved inside
/// Kyiv's day when a visitor's time would fall on another (a queue is a
/// day's; near midnight the demo failed to check its visitors in).
fn around(now: DateTime<Utc>) -> DateTime<Utc> {
    let day = kyiv_time(now).date_naive();
    let (first, last) = VISITORS.iter().fold((0, 0), |(lo, hi), (m, _, _)| (lo.min(*m), hi.max(*m)));
    let earliest = kyiv_midnight(day) - Duration::minutes(first);
    let latest = day.succ_opt().map_or(now, |next| kyiv_midnight(next) - Duration::minutes(last + 1));
    now.clamp(earliest, latest)
}

/// Today's queue; the code of the visitor not checked in yet and the office, when there is one.
pub async fn seed(store: &dyn Store, app: &App) -> Result<Option<(String, i64)>> {
    let clerk = party(app, "specialist").await?;
    if !dossier_app::org::receives_citizens(&clerk.unit) {
        return Ok(None);
    }
    let office = clerk.unit.id;
    let now = Utc::now().with_second(0).and_then(|t| t.with_nanosecond(0)).unwrap_or_else(Utc::now);
    let at = around(now);
    let mut codes = vec![];
    for (minutes, service, name) in VISITORS {
        let code = CitizenCode::from_random(random_bytes()?);
        let booking = NewBooking {
            unit_id: office,
            service,
            starts_at: at + Duration::minutes(minutes),
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

#[cfg(test)]
mod tests {
    use super::*;
    use dossier_domain::queue::check_in_window;

    #[test]
    fn the_demo_s_queue_stays_within_kyiv_s_day_at_any_hour() {
        // Kyiv is UTC+2 in December: 21:55 UTC is 23:55 there, 22:03 UTC is 00:03.
        for utc in ["2026-12-06T21:55:00Z", "2026-12-06T21:59:00Z", "2026-12-06T22:03:00Z", "2026-12-06T10:00:00Z"] {
            let now: DateTime<Utc> = utc.parse().unwrap();
            let at = around(now);
            for (minutes, _, _) in VISITORS {
                let starts = at + Duration::minutes(minutes);
                assert_eq!(kyiv_time(starts).date_naive(), kyiv_time(now).date_naive(), "{utc}: {minutes}");
                assert_eq!(check_in_window(starts, now), Ok(()), "{utc}: {minutes}");
            }
        }
        let noon: DateTime<Utc> = "2026-12-06T10:00:00Z".parse().unwrap();
        assert_eq!(around(noon), noon, "away from midnight the times are now's");
    }
}
