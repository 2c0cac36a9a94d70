//! The centre's OCSP responder in service (RFC 6960, with RFC 5019's GET).
//!
//! Each app server signs answers with a responder key of its own, made in
//! memory when first needed and certified by the issuing CA for a few days
//! (id-kp-OCSPSigning, ocsp-nocheck), renewed a day before it expires: no
//! responder key is ever stored, and a stolen one dies with its certificate.
//! Statuses come from the centre's records and are cached until the
//! revocation counter moves (checked as often as the CRL's).
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use dossier_crypto::Algorithm;
use dossier_crypto::ca::{CertificationCentre, RevocationReason, SubjectName};
use dossier_crypto::ocsp::{CertState, OcspResponder, ResponseStatus, error_response};
use dossier_crypto::{Provider, software::SoftwareProvider};
use dossier_store::{Actor, Store};
use serde_json::json;

use super::CRL_RECHECK;

/// How long the responder's certificate is valid, and how long before its end a new one is made.
const RESPONDER_VALIDITY: Duration = Duration::from_secs(4 * 86_400);
const RESPONDER_RENEW_BEFORE: Duration = Duration::from_secs(86_400);
/// nextUpdate of an answer: relying parties may reuse it this long, so a
/// revocation reaches every cache within it (the CRL's is a day).
pub const ANSWER_VALIDITY: Duration = Duration::from_secs(3600);
/// Largest request read: sixteen CertIDs and a nonce fit in well under this.
pub const MAX_REQUEST: usize = 8 * 1024;
/// Statuses kept in memory at most (cleared when full).
const STATES_CAPACITY: usize = 100_000;

/// An answer and how long an HTTP cache may keep it.
#[derive(Debug, Clone)]
pub struct OcspAnswer {
    pub der: Vec<u8>,
    /// Seconds a shared cache may keep a `GET` answer: only for a successful
    /// answer without a nonce (a nonce makes it one client's).
    pub max_age: Option<u64>,
}

impl OcspAnswer {
    pub fn refused(status: ResponseStatus) -> Self {
        OcspAnswer { der: error_response(status), max_age: None }
    }
}

#[derive(Default)]
struct States {
    revocations: Option<i64>,
    checked: Option<Instant>,
    known: HashMap<Vec<u8>, CertState>,
}

#[derive(Default)]
pub(super) struct OcspService {
    responder: tokio::sync::RwLock<Option<Arc<OcspResponder>>>,
    states: Mutex<States>,
}

impl OcspService {
    /// Forgets cached statuses (after a revocation on this server).
    pub(super) fn forget(&self) {
        let mut s = self.states.lock().unwrap_or_else(PoisonError::into_inner);
        *s = States::default();
    }

    pub(super) async fn answer(&self, centre: &CertificationCentre, store: &dyn Store, request: &[u8]) -> OcspAnswer {
        if request.len() > MAX_REQUEST {
            return OcspAnswer::refused(ResponseStatus::MalformedRequest);
        }
        let responder = match self.responder(centre, store).await {
            Ok(r) => r,
            Err(e) => {
                tracing::error!(error = %e, "OCSP responder certificate could not be made");
                return OcspAnswer::refused(ResponseStatus::InternalError);
            }
        };
        let read = match responder.read_request(request) {
            Ok(r) => r,
            Err(status) => return OcspAnswer::refused(status),
        };
        if let Err(e) = self.check_counter(store).await {
            tracing::error!(error = %e, "OCSP: revocation counter unavailable");
            return OcspAnswer::refused(ResponseStatus::TryLater);
        }
        let mut states = Vec::with_capacity(read.items.len());
        for (_, serial) in &read.items {
            let state = match serial {
                None => CertState::Unknown,
                Some(serial) => match self.state_of(store, serial).await {
                    Ok(s) => s,
                    Err(e) => {
                        tracing::error!(error = %e, "OCSP: status lookup failed");
                        return OcspAnswer::refused(ResponseStatus::TryLater);
                    }
                },
            };
            states.push(state);
        }
        let now = SystemTime::now();
        match responder.respond(&read, &states, now, now + ANSWER_VALIDITY) {
            Ok(der) => OcspAnswer { der, max_age: (!read.has_nonce()).then_some(ANSWER_VALIDITY.as_secs()) },
            Err(e) => {
                tracing::error!(error = %e, "OCSP answer could not be signed");
                OcspAnswer::refused(ResponseStatus::InternalError)
            }
        }
    }

    /// The responder, certified anew when it has less than a day left.
    async fn responder(
        &self,
        centre: &CertificationCentre,
        store: &dyn Store,
    ) -> Result<Arc<OcspResponder>, Box<dyn std::error::Error + Send + Sync>> {
        let renew_after = SystemTime::now() + RESPONDER_RENEW_BEFORE;
        if let Some(r) = self.responder.read().await.as_ref()
            && r.not_after() > renew_after
        {
            return Ok(r.clone());
        }
        let mut slot = self.responder.write().await;
        if let Some(r) = slot.as_ref()
            && r.not_after() > renew_after
        {
            return Ok(r.clone());
        }
        let key = SoftwareProvider.generate(Algorithm::EcP256)?;
        let issuing = centre.issuing_certificate();
        let ca_name = dossier_crypto::validation::common_name(issuing).unwrap_or_else(|| "Dossier CA".into());
        let subject =
            SubjectName { country: "UA".into(), common_name: format!("{ca_name} OCSP"), ..Default::default() }
                .to_name()?;
        let certificate = centre.certify_responder(key.as_ref(), subject, RESPONDER_VALIDITY)?;
        let serial = dossier_crypto::ca::serial_hex(&certificate);
        let responder = Arc::new(OcspResponder::new(issuing, certificate, key)?);
        store
            .audit(
                &Actor::system("ca"),
                "ca.ocsp_responder.certify",
                &format!("ca:ocsp:{serial}"),
                json!({"serial": serial, "not_after": dossier_crypto::validation::rfc3339(responder.not_after())}),
            )
            .await?;
        *slot = Some(responder.clone());
        Ok(responder)
    }

    /// Drops the cached statuses when another server revoked something.
    async fn check_counter(&self, store: &dyn Store) -> Result<(), dossier_store::StoreError> {
        {
            let s = self.states.lock().unwrap_or_else(PoisonError::into_inner);
            if s.checked.is_some_and(|c| c.elapsed() < CRL_RECHECK) {
                return Ok(());
            }
        }
        let revocations = store.crl_state().await?.revocations;
        let mut s = self.states.lock().unwrap_or_else(PoisonError::into_inner);
        if s.revocations != Some(revocations) {
            s.known.clear();
            s.revocations = Some(revocations);
        }
        s.checked = Some(Instant::now());
        Ok(())
    }

    /// What the records say of a serial. `unknown` is not cached: a
    /// certificate may be issued after someone asked about its serial.
    async fn state_of(&self, store: &dyn Store, serial: &[u8]) -> Result<CertState, dossier_store::StoreError> {
        if let Some(s) = self.states.lock().unwrap_or_else(PoisonError::into_inner).known.get(serial) {
            return Ok(*s);
        }
        let Some(record) = store.issued_certificate(&base16ct::lower::encode_string(serial)).await? else {
            return Ok(CertState::Unknown);
        };
        let state = match record.revoked_at {
            Some(at) => CertState::Revoked {
                at: at.into(),
                reason: record
                    .revocation_reason
                    .as_deref()
                    .and_then(RevocationReason::parse)
                    .unwrap_or(RevocationReason::Unspecified)
                    .crl_reason(),
            },
            None => CertState::Good,
        };
        let mut s = self.states.lock().unwrap_or_else(PoisonError::into_inner);
        if s.known.len() >= STATES_CAPACITY {
            s.known.clear();
        }
        s.known.insert(serial.to_vec(), state);
        Ok(state)
    }
}
