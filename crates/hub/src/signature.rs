//! Signature requests: a fund asks one citizen to sign a text (an
//! e-application) with their qualified key in the wallet, the way the
//! citizen signs a consent to share.
//!
//! * the fund posts the text, the citizen's RNOKPP and where to send the
//!   browser afterwards (`POST /api/v1/acquirers/signature-requests`,
//!   [`crate::http::acquirer`]); the hub answers with the wallet page's URL;
//! * on that page ([`crate::http::sign`]) only the citizen the request names
//!   sees the text and signs it with the key's PIN ([`sign`]) or declines
//!   ([`decline`]); the wallet then sends the browser back to the fund's
//!   `returnUrl` with `signature_request=<id>`;
//! * the fund reads the outcome, and the CMS SignedData once signed
//!   (`GET …/signature-requests/{id}`).
//!
//! The return URL must have the origin of the acquirer's registered login
//! redirect URI, so the hub never redirects a citizen to a place the fund did
//! not register. A request waits 15 minutes and is decided at most once (the
//! store's conditional UPDATE). Neither the text nor the RNOKPP goes to the
//! audit log or the logs.
use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use dossier_domain::Message;
use dossier_http::Problem;
use dossier_sharing::wire::{
    SIGN_DOCUMENT_MAX_BYTES, SIGN_REQUEST_TTL_SECS, SIGN_RETURN_PARAM, SIGN_RETURN_URL_MAX_BYTES, SIGN_TITLE_MAX_CHARS,
    SignatureOutcome, SignatureRequest, SignatureStatus,
};
use reqwest::Url;
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::HubState;
use crate::store::{Citizen, HubActor, SignatureDecision, SignatureRecord};
use crate::wallet::{self, PinRefusal, WalletResult};

/// How long a request waits for the citizen.
pub fn ttl() -> Duration {
    Duration::seconds(SIGN_REQUEST_TTL_SECS)
}

/// The request's fields by the rules: an RNOKPP of 10 digits, a title and a
/// text that are not blank and within their limits.
pub fn check(req: &SignatureRequest) -> Result<(), Message> {
    if req.rnokpp.len() != 10 || !req.rnokpp.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Message::new("wallet.acquirer.sign_rnokpp"));
    }
    if req.title.trim().is_empty() || req.title.chars().count() > SIGN_TITLE_MAX_CHARS {
        return Err(Message::new("wallet.acquirer.sign_title").with("max", SIGN_TITLE_MAX_CHARS));
    }
    if req.document.trim().is_empty() || req.document.len() > SIGN_DOCUMENT_MAX_BYTES {
        return Err(Message::new("wallet.acquirer.sign_document").with("max", SIGN_DOCUMENT_MAX_BYTES));
    }
    Ok(())
}

/// Whether the wallet may send the browser to `return_url` for an acquirer
/// whose login redirect URI is `registered`: an absolute http(s) URL without
/// credentials, of the same origin (scheme, host, port).
pub fn return_url_allowed(return_url: &str, registered: &str) -> bool {
    let (Ok(url), Ok(reg)) = (Url::parse(return_url), Url::parse(registered)) else { return false };
    return_url.len() <= SIGN_RETURN_URL_MAX_BYTES
        && matches!(url.scheme(), "http" | "https")
        && url.username().is_empty()
        && url.password().is_none()
        && url.origin().is_tuple()
        && url.origin() == reg.origin()
}

/// The origin the wallet returns to (`https://fund.example:8443`), for the
/// sign page's `form-action`.
pub fn return_origin(return_url: &str) -> Option<String> {
    let origin = Url::parse(return_url).ok()?.origin();
    origin.is_tuple().then(|| origin.ascii_serialization())
}

/// `return_url` with `signature_request=<id>` appended to its query.
pub fn return_to(return_url: &str, id: Uuid) -> String {
    let Ok(mut url) = Url::parse(return_url) else { return return_url.to_owned() };
    url.query_pairs_mut().append_pair(SIGN_RETURN_PARAM, &id.to_string());
    url.into()
}

/// The wallet page of a request, absolute (from the hub's public URL).
pub fn sign_url(state: &HubState, id: Uuid) -> String {
    format!("{}/wallet/sign/{id}", state.config.public_url.trim_end_matches('/'))
}

/// What the acquirer reads of its request at `now`.
pub fn outcome(rec: &SignatureRecord, now: DateTime<Utc>) -> SignatureOutcome {
    use base64::Engine as _;
    let status = rec.status_at(now);
    let signed = status == SignatureStatus::Signed;
    SignatureOutcome {
        id: rec.id.to_string(),
        status,
        signature: rec
            .signature
            .as_deref()
            .filter(|_| signed)
            .map(|s| base64::engine::general_purpose::STANDARD.encode(s)),
        signed_at: rec.decided_at.filter(|_| signed).map(rfc3339),
    }
}

pub fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A request of this citizen; another citizen's or an unknown id is 404.
pub async fn of_citizen(state: &HubState, citizen: &Citizen, id: Uuid) -> WalletResult<SignatureRecord> {
    state.store.signature_request(id).await?.filter(|r| r.citizen_id == citizen.id).ok_or_else(Problem::not_found)
}

/// A text waiting for the citizen's signature, as the wallet lists it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct WaitingView {
    pub id: Uuid,
    /// The institution that asks, by its registered name.
    pub acquirer: String,
    pub title: String,
    pub requested_at: DateTime<Utc>,
    /// After this the request is closed unsigned.
    pub expires_at: DateTime<Utc>,
    /// The wallet page where the whole text is read and signed or declined.
    pub url: String,
}

/// The citizen's requests still waiting, the newest first, so a text a fund
/// sent can be found and signed from the wallet itself — not only by
/// following the fund's link.
pub async fn waiting_list(state: &HubState, citizen: &Citizen) -> WalletResult<Vec<WaitingView>> {
    let mut out = Vec::new();
    for rec in state.store.waiting_signature_requests(citizen.id, Utc::now()).await? {
        let acquirer =
            state.store.acquirer(&rec.acquirer_id).await?.map_or_else(|| rec.acquirer_id.clone(), |a| a.name);
        out.push(WaitingView {
            id: rec.id,
            acquirer,
            title: rec.title,
            requested_at: rec.created_at,
            expires_at: rec.expires_at,
            url: format!("/wallet/sign/{}", rec.id),
        });
    }
    Ok(out)
}

/// The refusal for a request that can no longer be decided, naming why.
pub fn closed(status: SignatureStatus) -> Problem {
    let key = match status {
        SignatureStatus::Signed => "wallet.sign.already_signed",
        SignatureStatus::Declined => "wallet.sign.already_declined",
        SignatureStatus::Expired | SignatureStatus::Waiting => "wallet.sign.expired",
    };
    Problem::new(StatusCode::CONFLICT, "signature_request_closed", key)
}

/// A request of this citizen that still waits at `now`.
async fn waiting(state: &HubState, citizen: &Citizen, id: Uuid, now: DateTime<Utc>) -> WalletResult<SignatureRecord> {
    let rec = of_citizen(state, citizen, id).await?;
    match rec.status_at(now) {
        SignatureStatus::Waiting => Ok(rec),
        other => Err(closed(other)),
    }
}

/// Records the decision; a request decided or expired meanwhile is refused as closed.
async fn decide(
    state: &HubState,
    citizen: &Citizen,
    id: Uuid,
    decision: SignatureDecision,
) -> WalletResult<SignatureRecord> {
    let actor = HubActor::citizen(citizen.id);
    match state.store.decide_signature_request(&actor, id, citizen.id, decision, Utc::now()).await {
        Ok(rec) => Ok(rec),
        Err(dossier_db::StoreError::Conflict(_)) => {
            let now = Utc::now();
            let status = of_citizen(state, citizen, id).await?.status_at(now);
            Err(closed(if status == SignatureStatus::Waiting { SignatureStatus::Expired } else { status }))
        }
        Err(dossier_db::StoreError::NotFound) => Err(Problem::not_found()),
        Err(e) => Err(e.into()),
    }
}

/// Sign: opens the citizen's key with the PIN, signs exactly the request's
/// text (CMS SignedData, attached), checks the signature against Dossier's CA
/// and keeps it for the fund.
pub async fn sign(state: &HubState, citizen: &Citizen, id: Uuid, pin: &str) -> WalletResult<SignatureRecord> {
    let rec = waiting(state, citizen, id, Utc::now()).await?;
    let content = rec.document.as_bytes().to_vec();
    let refused = PinRefusal { action: "hub.signature.pin_refused", subject: format!("signature:{id}") };
    let (cms, cert) = wallet::sign_with_pin(state, citizen, pin, content, refused).await?;
    if !wallet::signed_by(state, &cms, &cert, rec.document.as_bytes())? {
        return Err(Problem::new(StatusCode::FORBIDDEN, "signature_invalid", "wallet.sign.invalid"));
    }
    let rec = decide(state, citizen, id, SignatureDecision::Sign(cms)).await?;
    tracing::info!(signature_request = %id, acquirer = %rec.acquirer_id, "text signed in the wallet");
    Ok(rec)
}

/// Decline: nothing is signed; the fund reads `declined`.
pub async fn decline(state: &HubState, citizen: &Citizen, id: Uuid) -> WalletResult<SignatureRecord> {
    waiting(state, citizen, id, Utc::now()).await?;
    let rec = decide(state, citizen, id, SignatureDecision::Decline).await?;
    tracing::info!(signature_request = %id, acquirer = %rec.acquirer_id, "signature declined in the wallet");
    Ok(rec)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(rnokpp: &str, title: &str, document: &str) -> SignatureRequest {
        SignatureRequest {
            rnokpp: rnokpp.into(),
            title: title.into(),
            document: document.into(),
            return_url: "https://fund.example/x".into(),
        }
    }

    #[test]
    fn a_request_names_ten_digits_and_a_text_within_limits() {
        assert_eq!(check(&req("1759013776", "Заява", "Прошу")), Ok(()));
        assert!(check(&req("175901377", "Заява", "Прошу")).is_err());
        assert!(check(&req("17590137760", "Заява", "Прошу")).is_err());
        assert!(check(&req("175901377a", "Заява", "Прошу")).is_err());
        assert!(check(&req("1759013776", " ", "Прошу")).is_err());
        assert!(check(&req("1759013776", &"з".repeat(200), "Прошу")).is_ok());
        assert!(check(&req("1759013776", &"з".repeat(201), "Прошу")).is_err());
        assert!(check(&req("1759013776", "Заява", "\n\t ")).is_err());
        // The limit is in bytes: 8 192 two-byte letters fit, one more does not.
        assert!(check(&req("1759013776", "Заява", &"я".repeat(8192))).is_ok());
        assert!(check(&req("1759013776", "Заява", &"я".repeat(8193))).is_err());
    }

    #[test]
    fn the_wallet_returns_only_to_the_registered_origin() {
        let reg = "https://fund.example/account/callback";
        assert!(return_url_allowed("https://fund.example/applications/7?x=1", reg));
        assert!(return_url_allowed("https://fund.example:443/a", reg), "the default port is the same origin");
        assert!(!return_url_allowed("http://fund.example/a", reg), "another scheme");
        assert!(!return_url_allowed("https://fund.example:8443/a", reg), "another port");
        assert!(!return_url_allowed("https://evil.example/a", reg));
        assert!(!return_url_allowed("https://fund.example.evil.example/a", reg));
        assert!(!return_url_allowed("https://user@fund.example/a", reg), "no credentials");
        assert!(!return_url_allowed("/relative", reg));
        assert!(!return_url_allowed("javascript:alert(1)", reg));
        assert!(!return_url_allowed("https://fund.example/a", "not a url"));
        let long = format!("https://fund.example/{}", "a".repeat(SIGN_RETURN_URL_MAX_BYTES));
        assert!(!return_url_allowed(&long, reg));
    }

    #[test]
    fn the_return_link_carries_the_request_id_after_any_query() {
        let id = Uuid::nil();
        assert_eq!(
            return_to("https://fund.example/a", id),
            "https://fund.example/a?signature_request=00000000-0000-0000-0000-000000000000"
        );
        assert_eq!(
            return_to("https://fund.example/a?x=1#top", id),
            "https://fund.example/a?x=1&signature_request=00000000-0000-0000-0000-000000000000#top"
        );
        assert_eq!(return_origin("http://127.0.0.1:8080/a?b").as_deref(), Some("http://127.0.0.1:8080"));
    }
}
