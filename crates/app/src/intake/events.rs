//! Status changes of document requests, broadcast to the counter pages that
//! follow them (Server-Sent Events). In-process: with several app servers a
//! page also re-reads the request on (re)connect, so a change made by
//! another server is seen at the next poll of that server's worker at worst.
use dossier_domain::intake::IntakeStatus;
use tokio::sync::broadcast;
use uuid::Uuid;

/// One change: which request, and its new status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatusEvent {
    pub request_id: Uuid,
    pub status: IntakeStatus,
}

#[derive(Clone)]
pub struct Events {
    tx: broadcast::Sender<StatusEvent>,
}

impl Default for Events {
    fn default() -> Self {
        // Slow subscribers skip ahead (Lagged) and re-read the request.
        Events { tx: broadcast::channel(1024).0 }
    }
}

impl Events {
    pub fn publish(&self, request_id: Uuid, status: IntakeStatus) {
        // No subscribers is normal (nobody watching): ignore the error.
        let _ = self.tx.send(StatusEvent { request_id, status });
    }

    pub fn subscribe(&self) -> broadcast::Receiver<StatusEvent> {
        self.tx.subscribe()
    }
}
