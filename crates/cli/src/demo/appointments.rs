//! The demo's appointments: visits booked at the first service centre for its
//! coming days — one with an e-mail (its confirmation goes to the outbox when
//! notifications are on), one moved, one cancelled — so the office's day list
//! and the booking pages have something to show.
use anyhow::Result;
use chrono::Utc;
use dossier_app::App;
use dossier_app::appointments::{self, BookingKey, BookingRequest};
use dossier_domain::Lang;
use dossier_domain::appointment::Service;

pub async fn seed(app: &App) -> Result<()> {
    let now = Utc::now();
    let Some(office) = dossier_app::org::offices(app, "").into_iter().next() else { return Ok(()) };
    let free = appointments::free_slots(app, office.id, Service::Consultation, now).await?;
    // From two days ahead: a visit closer than 24 hours may no longer be moved or cancelled
    // (SPEC 21.6), and the demo moves one and cancels another whatever the hour it starts at.
    let from = now + chrono::Duration::days(2);
    let times: Vec<_> =
        free.iter().flat_map(|(_, slots)| slots.iter().filter(|s| s.starts_at >= from).map(|s| s.local)).collect();
    let visitors = [
        ("Олена Коваль", Some("olena.demo@example.org"), None, Service::Consultation),
        ("Петро Шевчук", None, Some("067 123 45 67"), Service::Consultation),
        ("Марія Іваненко", None, Some("050 765 43 21"), Service::Consultation),
        ("Ігор Бондар", Some("igor.demo@example.org"), None, Service::Consultation),
    ];
    let mut booked = vec![];
    for (n, (name, email, phone, service)) in visitors.into_iter().enumerate() {
        let Some(local) = times.get(n * 3).copied() else { break };
        let req = BookingRequest {
            office_id: office.id,
            service,
            local: Some(local),
            name: name.into(),
            email: email.map(str::to_owned),
            phone: phone.map(str::to_owned),
            lang: Lang::UK,
        };
        booked.push(appointments::book(app, "demo", &req, now).await?);
    }
    // One visitor moved to a later time, one cancelled.
    if let (Some(b), Some(later)) = (booked.get(2), times.get(20)) {
        appointments::rebook(app, "demo", &BookingKey::Code(b.code.as_str().to_owned()), *later, now).await?;
    }
    if let Some(b) = booked.get(3) {
        appointments::cancel(app, "demo", &BookingKey::Code(b.code.as_str().to_owned()), now).await?;
    }
    tracing::info!(office = office.id, bookings = booked.len(), "demo appointments booked");
    Ok(())
}
