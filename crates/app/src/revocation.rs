//! Fetching the revocation status the validator asks for: OCSP from the
//! responders a certificate names, CRLs otherwise (RFC 5280 §4.2.2.1,
//! §4.2.1.13), each answer cached for as long as it says it is valid.
//!
//! The validator itself does no I/O: a validation that lacks a status lists
//! where to ask ([`RevocationWanted`]); [`validate_online`] fetches those
//! answers into the context and validates once more. Only certificates that
//! chained to a trust anchor are asked about, so the addresses fetched are
//! ones a trusted CA wrote — not ones an attacker's certificate names.
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use dossier_crypto::ocsp::OcspEvidence;
use dossier_crypto::validation::{OcspQuery, RevocationWanted, TrustContext};
use x509_cert::crl::CertificateList;
use x509_cert::der::Decode;

/// How long one fetch may take.
const TIMEOUT: Duration = Duration::from_secs(5);
/// Largest answer read: OCSP responses are a few KB, national CRLs a few MB.
const MAX_ANSWER: usize = 16 * 1024 * 1024;
/// An answer without nextUpdate is reused this long; a failed fetch is not retried for this long.
const SHORT: Duration = Duration::from_secs(60);
/// No answer is reused longer than this, whatever its nextUpdate says.
const LONGEST: Duration = Duration::from_secs(86_400);

#[derive(Clone)]
enum Answer {
    Ocsp(Box<OcspEvidence>),
    Crl(Box<CertificateList>),
    Failed,
}

/// The fetcher and its cache, shared by every validation of the process.
pub struct RevocationFetcher {
    client: reqwest::Client,
    cache: Mutex<HashMap<String, (Answer, SystemTime)>>,
}

impl Default for RevocationFetcher {
    fn default() -> Self {
        RevocationFetcher {
            client: reqwest::Client::builder()
                .timeout(TIMEOUT)
                .redirect(reqwest::redirect::Policy::limited(3))
                .build()
                .unwrap_or_default(),
            cache: Mutex::default(),
        }
    }
}

impl std::fmt::Debug for RevocationFetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RevocationFetcher").finish_non_exhaustive()
    }
}

fn until(next_update: Option<SystemTime>, now: SystemTime) -> SystemTime {
    next_update.unwrap_or(now + SHORT).min(now + LONGEST)
}

impl RevocationFetcher {
    /// Adds to `ctx` an answer for each certificate `wanted` names — from the
    /// cache while it is valid, else fetched: its OCSP responders in turn,
    /// then its CRLs. Returns how many answers were added.
    pub async fn supply(&self, wanted: &[RevocationWanted], ctx: &mut TrustContext) -> usize {
        let mut added = 0;
        for w in wanted {
            let mut answered = false;
            for q in &w.ocsp {
                if let Some(ev) = self.ocsp(q).await {
                    ctx.ocsp.push(ev);
                    answered = true;
                    break;
                }
            }
            if !answered {
                for url in &w.crl_urls {
                    if let Some(crl) = self.crl(url).await {
                        ctx.crls.push(crl);
                        answered = true;
                        break;
                    }
                }
            }
            added += usize::from(answered);
        }
        added
    }

    fn cached(&self, key: &str) -> Option<Answer> {
        let cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        cache.get(key).filter(|(_, until)| *until > SystemTime::now()).map(|(a, _)| a.clone())
    }

    fn keep(&self, key: String, answer: Answer, until: SystemTime) {
        let mut cache = self.cache.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = SystemTime::now();
        cache.retain(|_, (_, u)| *u > now);
        cache.insert(key, (answer, until));
    }

    /// An OCSP answer about the query's certificate. A fetched response must
    /// echo the nonce if it carries one (RFC 8954): a replayed answer with
    /// another nonce is refused.
    async fn ocsp(&self, q: &OcspQuery) -> Option<OcspEvidence> {
        let key = format!("ocsp {} {}", q.url, q.certificate);
        match self.cached(&key) {
            Some(Answer::Ocsp(ev)) => return Some(*ev),
            Some(_) => return None,
            None => {}
        }
        let now = SystemTime::now();
        let fetched = self
            .fetch(self.client.post(&q.url).header("content-type", "application/ocsp-request").body(q.request.clone()))
            .await
            .and_then(|bytes| OcspEvidence::from_der(&bytes).ok())
            .filter(|ev| ev.nonce().is_none_or(|n| n == q.nonce));
        match fetched {
            Some(ev) => {
                self.keep(key, Answer::Ocsp(Box::new(ev.clone())), until(ev.next_update(), now));
                Some(ev)
            }
            None => {
                tracing::warn!(url = %q.url, "OCSP responder gave no usable answer");
                self.keep(key, Answer::Failed, now + SHORT);
                None
            }
        }
    }

    async fn crl(&self, url: &str) -> Option<CertificateList> {
        let key = format!("crl {url}");
        match self.cached(&key) {
            Some(Answer::Crl(crl)) => return Some(*crl),
            Some(_) => return None,
            None => {}
        }
        let now = SystemTime::now();
        let fetched = self
            .fetch(self.client.get(url))
            .await
            .and_then(|bytes| dossier_crypto::validation::pem_or_der(&bytes, "X509 CRL").ok())
            .and_then(|der| CertificateList::from_der(&der).ok());
        match fetched {
            Some(crl) => {
                let next = crl.tbs_cert_list.next_update.map(|t| SystemTime::UNIX_EPOCH + t.to_unix_duration());
                self.keep(key, Answer::Crl(Box::new(crl.clone())), until(next, now));
                Some(crl)
            }
            None => {
                tracing::warn!(%url, "CRL could not be fetched");
                self.keep(key, Answer::Failed, now + SHORT);
                None
            }
        }
    }

    /// The body of a successful answer, read up to [`MAX_ANSWER`].
    async fn fetch(&self, request: reqwest::RequestBuilder) -> Option<Vec<u8>> {
        let mut resp = request.send().await.ok()?.error_for_status().ok()?;
        if resp.content_length().is_some_and(|n| n > MAX_ANSWER as u64) {
            return None;
        }
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.ok()? {
            if body.len() + chunk.len() > MAX_ANSWER {
                return None;
            }
            body.extend_from_slice(&chunk);
        }
        Some(body)
    }
}

/// Runs `validate` (a blocking validation) with `ctx`; when it names
/// revocation status it lacked, fetches what can be fetched and runs it once
/// more with the answers.
pub async fn validate_online<R, V, W>(
    fetcher: &RevocationFetcher,
    mut ctx: TrustContext,
    validate: V,
    wanted: W,
) -> Result<R, tokio::task::JoinError>
where
    R: Send + 'static,
    V: Fn(&TrustContext) -> R + Send + Sync + Clone + 'static,
    W: Fn(&R) -> Vec<RevocationWanted>,
{
    let first_ctx = ctx.clone();
    let run = validate.clone();
    let first = tokio::task::spawn_blocking(move || run(&first_ctx)).await?;
    let asked = wanted(&first);
    if asked.is_empty() || fetcher.supply(&asked, &mut ctx).await == 0 {
        return Ok(first);
    }
    tokio::task::spawn_blocking(move || validate(&ctx)).await
}
