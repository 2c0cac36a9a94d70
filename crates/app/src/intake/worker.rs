//! Keeps live requests moving without anyone watching: a request the hub
//! could not take is resent (same requestId) until its code can no longer
//! be valid, then failed cleanly with a message; a request waiting for the
//! citizen is polled for `declined` / `expired`. Every app server runs this
//! loop: each due request is claimed by one of them for [`LEASE`] (a claim
//! in the store), so the hub hears each resend and each poll once; status
//! changes are compare-and-set besides, so no request moves twice.
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use dossier_domain::intake::{IntakeStatus, backoff, hub_update, submission_given_up};
use dossier_domain::sharing::{CONSENT_TTL, RequestStatus};
use dossier_store::{Actor, SharingRequest, SharingUpdate};
use futures::StreamExt;

use super::{HubError, Intake, LEASE};
use crate::App;

/// A worker's batch: claimed together, run [`IN_FLIGHT`] at once, so that at
/// the worst (a hub that times out every call: 4 rounds of connect + request
/// timeouts, 52 s) it ends well inside the claim's [`LEASE`].
const BATCH: i64 = 50;
const IN_FLIGHT: usize = 16;

/// Runs forever (spawned by `serve`).
pub async fn run(app: Arc<App>, intake: Arc<Intake>) {
    let mut tick = tokio::time::interval(Duration::from_millis(500));
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        if let Err(e) = step(&app, &intake).await {
            tracing::warn!(error = %e, "intake worker step failed");
        }
    }
}

/// One pass over the due requests this worker claimed (also called directly by tests).
pub async fn step(app: &App, intake: &Intake) -> Result<usize, dossier_store::StoreError> {
    let due = app.store.claim_sharing_requests(Utc::now(), LEASE, BATCH).await?;
    let n = due.len();
    futures::stream::iter(due)
        .for_each_concurrent(IN_FLIGHT, |r| async move {
            let done = match r.status {
                IntakeStatus::Submitting => resubmit(app, intake, &r).await,
                IntakeStatus::WaitingConsent | IntakeStatus::Approved => poll(app, intake, &r).await,
                _ => Ok(()),
            };
            // Left claimed: taken up again when the lease runs out.
            if let Err(e) = done {
                tracing::warn!(request_id = %r.id, error = %e, "intake request not moved on");
            }
        })
        .await;
    Ok(n)
}

async fn resubmit(app: &App, intake: &Intake, r: &SharingRequest) -> Result<(), dossier_store::StoreError> {
    if submission_given_up(r.created_at, Utc::now()) {
        let update = SharingUpdate {
            status: IntakeStatus::Failed,
            last_error: Some("sharing.hub_unreachable".into()),
            hub_attempts: r.hub_attempts,
            next_check_at: Utc::now(),
        };
        return set(app, intake, r, update).await;
    }
    let sent = super::requests::send(intake, r).await;
    if let Err(e) = super::requests::after_send(app, intake, r, sent).await {
        tracing::warn!(request_id = %r.id, error = %e, "resubmission not recorded");
    }
    Ok(())
}

async fn poll(app: &App, intake: &Intake, r: &SharingRequest) -> Result<(), dossier_store::StoreError> {
    let now = Utc::now();
    let attempts = r.hub_attempts + 1;
    let reported = intake.hub.status(&r.barcode, &r.id.to_string()).await;
    let (status, last_error) = match reported {
        Ok(answer) => match hub_update(r.status, answer.status) {
            Some(new) => (new, (answer.status == RequestStatus::Declined).then(|| "sharing.declined".to_owned())),
            None => (r.status, None),
        },
        // The hub lost track of it (or it was purged): nothing more will come.
        Err(HubError::Refused(_)) => (IntakeStatus::Failed, Some("intake.hub.bad_request".to_owned())),
        // Unreachable for longer than consent can take: the copy cannot come any more.
        Err(_) if now > r.created_at + CONSENT_TTL + chrono::Duration::minutes(5) => {
            (IntakeStatus::Failed, Some("sharing.hub_unreachable".to_owned()))
        }
        Err(_) => (r.status, r.last_error.clone()),
    };
    let next = if status == r.status && last_error.is_none() {
        // Nothing new: poll at the configured pace, slower after a while.
        now + chrono::Duration::from_std(intake.config.poll_interval).unwrap_or_default() * attempts.clamp(2, 10) / 2
    } else {
        now + backoff(attempts)
    };
    set(app, intake, r, SharingUpdate { status, last_error, hub_attempts: attempts, next_check_at: next }).await
}

async fn set(
    app: &App,
    intake: &Intake,
    r: &SharingRequest,
    update: SharingUpdate,
) -> Result<(), dossier_store::StoreError> {
    let changed = update.status != r.status;
    if let Some(u) = app.store.update_sharing_request(&Actor::system("intake"), r.id, r.status, &update).await?
        && changed
    {
        intake.events.publish(u.id, u.status);
    }
    Ok(())
}
