//! Booking under contention (issue 21 §6): `slots` slots of `places` places
//! each, `clients` citizens booking at once, each trying the slots in its own
//! order until every place is taken — every booking one transaction with the
//! conditional place update, the booking row and its audit entry. Prints the
//! bookings per second with p50/p99 of a successful booking, and checks that
//! exactly `slots × places` were booked (no slot over its capacity).
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Result, ensure};
use chrono::{Duration, TimeZone, Utc};
use dossier_domain::appointment::Service;
use dossier_store::{Actor, Appointments, NewBooking, SqlStore, StoreError};

use super::Figures;

pub async fn run(url: &str, slots: usize, places: i64, clients: usize) -> Result<()> {
    let store = Arc::new(SqlStore::open(url).await?);
    let office = super::one_district(&store, &Actor::system("bench")).await?;
    let first = Utc.with_ymd_and_hms(2027, 1, 4, 6, 0, 0).single().ok_or_else(|| anyhow::anyhow!("time"))?;
    let times: Arc<Vec<_>> = Arc::new((0..slots).map(|n| first + Duration::minutes(30 * n as i64)).collect());
    let start = Instant::now();
    let mut tasks = vec![];
    for c in 0..clients {
        let (store, times) = (store.clone(), times.clone());
        tasks.push(tokio::spawn(async move {
            let actor = Actor::system("bench");
            let (mut lat, mut full) = (Vec::new(), 0u64);
            // Each client starts at its own slot and walks on: the crowd meets at every slot.
            for k in 0..times.len() {
                let at = times[(c * 7 + k) % times.len()];
                loop {
                    let new = NewBooking {
                        unit_id: office.id,
                        service: Service::Consultation,
                        starts_at: at,
                        capacity: places,
                        code_hash: uuid::Uuid::new_v4().simple().to_string(),
                        name: format!("Citizen {c}"),
                        email: None,
                        phone: None,
                        lang: "uk".into(),
                        per_contact: 3,
                        remind_at: None,
                    };
                    let t0 = Instant::now();
                    match store.book(&actor, &new, Utc::now()).await {
                        Ok(_) => lat.push(t0.elapsed()),
                        Err(StoreError::Conflict(_)) => {
                            full += 1;
                            break;
                        }
                        Err(e) => return Err(anyhow::Error::from(e)),
                    }
                }
            }
            Ok::<_, anyhow::Error>((lat, full))
        }));
    }
    let (mut all, mut full) = (vec![], 0);
    for t in tasks {
        let (lat, f) = t.await??;
        all.extend(lat);
        full += f;
    }
    let figures = Figures::from(all, start.elapsed().as_secs_f64());
    let booked = figures.ops;
    ensure!(booked == slots as u64 * places as u64, "{booked} bookings for {} places", slots as i64 * places);
    let last = *times.last().unwrap_or(&first) + Duration::minutes(1);
    for (_, n) in store.slot_loads(office.id, Service::Consultation, first, last).await? {
        ensure!(n == places, "a slot holds {n} bookings of {places} places");
    }
    let backend = if url.starts_with("postgres") { "PostgreSQL" } else { "SQLite" };
    figures.print(&format!(
        "{backend}: {clients} clients booking {slots} slots × {places} places ({full} refused as full)"
    ));
    Ok(())
}
