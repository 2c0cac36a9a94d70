//! The wallet's service: sign-in, the citizen's documents, sharing codes,
//! requests, and approving (with the PIN) or declining them. The web pages and
//! the JSON API (`crate::http`) call these same functions.
//!
//! Key model (docs/decisions.md): the citizen's personal key stays in the
//! hub as a PIN container and is opened only to sign one consent or one text
//! a fund asked to have signed ([`sign_with_pin`], shared with
//! `crate::signature`); the PIN is never stored or logged, wrong PINs count
//! down the container's tries.
use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use dossier_crypto::CryptoError;
use dossier_crypto::container::PinContainer;
use dossier_crypto::secrets::{random_token, token_hash};
use dossier_crypto::signed::{self, SignOptions, SigningIdentity, VerifyInput};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::validation::Indication;
use dossier_domain::sharing::{self, Consent, DocumentType, RequestEvent, RequestStatus, SharingCode};
use dossier_domain::{Lang, Message, i18n};
use dossier_http::Problem;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use uuid::Uuid;
use zeroize::Zeroizing;

use crate::store::{Citizen, CodeRecord, HubActor, HubDocument, HubRequest};
use crate::{HubState, WalletEvent, barcode, delivery};

/// What the wallet's service answers: a value, or a refusal as problem details.
pub type WalletResult<T> = Result<T, Problem>;

/// Checks the password (argon2id); returns a new session token.
pub async fn login(state: &HubState, login: &str, password: &str) -> WalletResult<(String, Citizen)> {
    let refused = || Problem::new(StatusCode::UNAUTHORIZED, "login_failed", "wallet.login.failed");
    let citizen = state.store.citizen_by_login(login.trim()).await?;
    let hash = citizen.as_ref().map(|c| c.password_hash.clone());
    let password = Zeroizing::new(password.to_owned());
    // An unknown login still costs one verification, like a known one.
    let ok = tokio::task::spawn_blocking(move || {
        dossier_crypto::secrets::verify_password_or_dummy(&password, hash.as_deref())
    })
    .await
    .unwrap_or(false);
    let citizen = citizen.filter(|_| ok).ok_or_else(refused)?;
    let token = random_token().map_err(|_| Problem::internal())?;
    state.store.create_wallet_session(&token_hash(&token), citizen.id, Utc::now() + state.config.session_ttl).await?;
    state
        .store
        .audit(
            &HubActor::citizen(citizen.id),
            "hub.wallet.login",
            &format!("citizen:{}", citizen.id),
            serde_json::json!({}),
        )
        .await?;
    Ok((token, citizen))
}

pub async fn documents(state: &HubState, citizen: &Citizen) -> WalletResult<Vec<HubDocument>> {
    Ok(state.store.documents_of(citizen.id).await?)
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct CodeView {
    pub id: Uuid,
    pub code: String,
    pub grouped: String,
    pub document_type: DocumentType,
    pub issued_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub deeplink: String,
}

/// Draws a fresh code for one of the citizen's documents (12 CSPRNG digits + check digit).
pub async fn issue_code(state: &HubState, citizen: &Citizen, document_type: DocumentType) -> WalletResult<CodeView> {
    let docs = state.store.documents_of(citizen.id).await?;
    if !docs.iter().any(|d| d.document_type == document_type) {
        return Err(Problem::not_found());
    }
    let mut draw = || {
        let mut rng = rand::rngs::OsRng;
        SharingCode::from_random(|| rand::Rng::r#gen::<u8>(&mut rng))
    };
    let rec = state
        .store
        .issue_code(&HubActor::citizen(citizen.id), citizen.id, document_type, Utc::now(), &mut draw)
        .await?;
    Ok(code_view(state, &rec))
}

pub fn code_view(state: &HubState, rec: &CodeRecord) -> CodeView {
    CodeView {
        id: rec.id,
        code: rec.code.as_str().to_owned(),
        grouped: rec.code.grouped(),
        document_type: rec.document_type,
        issued_at: rec.issued_at,
        expires_at: rec.state().expires_at(),
        deeplink: format!("{}/wallet/c/{}", state.config.public_url.trim_end_matches('/'), rec.code.as_str()),
    }
}

pub fn code_svgs(view: &CodeView) -> (String, String) {
    let ean = SharingCode::parse(&view.code).map(|c| barcode::ean13_svg(&c)).unwrap_or_default();
    let qr = barcode::qr_svg(&view.deeplink).unwrap_or_default();
    (ean, qr)
}

#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase")]
pub struct RequestView {
    pub id: Uuid,
    pub acquirer: String,
    pub branch: String,
    pub branch_address: String,
    pub document_type: DocumentType,
    pub document: String,
    pub status: RequestStatus,
    pub status_text: String,
    pub requested_at: DateTime<Utc>,
    /// The statement the citizen signs on approval.
    pub statement: String,
}

async fn request_view(state: &HubState, r: &HubRequest, lang: Lang) -> WalletResult<RequestView> {
    let acquirer = state.store.acquirer(&r.acquirer_id).await?.ok_or_else(Problem::internal)?;
    let branch = state.store.branch(&r.branch_id).await?.ok_or_else(Problem::internal)?;
    Ok(RequestView {
        id: r.id,
        statement: Consent::statement_text(&acquirer.name, &branch.name, r.document_type),
        acquirer: acquirer.name,
        branch: branch.name,
        branch_address: branch.address,
        document_type: r.document_type,
        document: i18n::text(r.document_type.label_key(), lang).to_owned(),
        status: r.status,
        status_text: i18n::text(r.status.label_key(), lang).to_owned(),
        requested_at: r.requested_at,
    })
}

/// The citizen's requests, newest first; those past the consent time are expired first.
pub async fn requests(state: &HubState, citizen: &Citizen, lang: Lang) -> WalletResult<Vec<RequestView>> {
    let mut out = Vec::new();
    for mut r in state.store.requests_of(citizen.id).await? {
        if r.status == RequestStatus::WaitingConsent && sharing::consent_expired(r.requested_at, Utc::now()) {
            r = expire(state, r).await?;
        }
        out.push(request_view(state, &r, lang).await?);
    }
    Ok(out)
}

async fn expire(state: &HubState, r: HubRequest) -> WalletResult<HubRequest> {
    match state
        .store
        .advance_request(&HubActor::system("expiry"), r.id, RequestEvent::Expire, None, None, Utc::now())
        .await
    {
        Ok(r) => Ok(r),
        Err(dossier_db::StoreError::Conflict(_)) => Ok(state.store.request(r.id).await?.unwrap_or(r)),
        Err(e) => Err(e.into()),
    }
}

/// A request of this citizen that still waits for a decision.
async fn pending(state: &HubState, citizen: &Citizen, id: Uuid) -> WalletResult<HubRequest> {
    let r =
        state.store.request(id).await?.filter(|r| r.citizen_id == Some(citizen.id)).ok_or_else(Problem::not_found)?;
    if r.status == RequestStatus::WaitingConsent && sharing::consent_expired(r.requested_at, Utc::now()) {
        expire(state, r).await?;
        return Err(Problem::new(StatusCode::CONFLICT, "expired", "wallet.request.expired"));
    }
    if r.status != RequestStatus::WaitingConsent {
        return Err(Problem::new(
            StatusCode::CONFLICT,
            "not_waiting",
            Message::new("sharing.request.not_allowed").with("status", r.status.code()),
        ));
    }
    Ok(r)
}

fn pin_error(e: CryptoError) -> Problem {
    match e {
        CryptoError::WrongPin { tries_left } => {
            Problem::new(StatusCode::FORBIDDEN, "wrong_pin", Message::new("wallet.pin.wrong").with("tries", tries_left))
        }
        CryptoError::Blocked => Problem::new(StatusCode::FORBIDDEN, "pin_blocked", "wallet.pin.blocked"),
        CryptoError::PinFormat { .. } => {
            Problem::new(StatusCode::UNPROCESSABLE_ENTITY, "pin_format", "wallet.pin.format")
        }
        other => {
            tracing::error!(error = %other, "citizen key container failure");
            Problem::internal()
        }
    }
}

/// Approve: opens the citizen's key with the PIN, signs the consent
/// statement (CMS SignedData, attached), verifies it against Dossier's CA,
/// forms and seals the copy, and stores only the sealed package for delivery.
pub async fn approve(state: &HubState, citizen: &Citizen, id: Uuid, pin: &str) -> WalletResult<RequestView> {
    let req = pending(state, citizen, id).await?;
    let acquirer = state.store.acquirer(&req.acquirer_id).await?.ok_or_else(Problem::internal)?;
    let branch = state.store.branch(&req.branch_id).await?.ok_or_else(Problem::internal)?;
    let document = state
        .store
        .documents_of(citizen.id)
        .await?
        .into_iter()
        .find(|d| d.document_type == req.document_type)
        .ok_or_else(|| Problem::new(StatusCode::CONFLICT, "no_document", "wallet.document.missing"))?;
    let consent = Consent {
        request_id: req.request_id.clone(),
        acquirer: acquirer.name.clone(),
        branch_id: branch.id.clone(),
        branch_name: branch.name.clone(),
        document_type: req.document_type,
        barcode: req.barcode.clone().unwrap_or_default(),
        signed_at: Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        statement: Consent::statement_text(&acquirer.name, &branch.name, req.document_type),
    };
    let refused = PinRefusal { action: "hub.consent.pin_refused", subject: format!("request:{id}") };
    let (cms, cert) = sign_with_pin(state, citizen, pin, consent.to_bytes(), refused).await?;
    verify_consent(state, &cms, &cert, &consent.to_bytes())?;
    let package = delivery::form_package(state, &req, &acquirer, &branch, &document, &cms).await?;
    let updated = state
        .store
        .advance_request(
            &HubActor::citizen(citizen.id),
            id,
            RequestEvent::Approve,
            Some(&cms),
            Some(package),
            Utc::now(),
        )
        .await
        .map_err(|e| match e {
            dossier_db::StoreError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "not_waiting", m),
            other => other.into(),
        })?;
    state.wake.notify_one();
    tracing::info!(request = %id, "consent signed; package queued for delivery");
    let view = request_view(state, &updated, Lang::UK).await?;
    notify_status(state, citizen, &view);
    Ok(view)
}

/// What a refused PIN is audited as: the action (`hub.consent.pin_refused`,
/// `hub.signature.pin_refused`) and what the key was opened for.
pub struct PinRefusal {
    pub action: &'static str,
    pub subject: String,
}

/// Opens the citizen's key with the PIN and signs `content` with it: CMS
/// SignedData, content attached, with the citizen's certificate and the CA
/// chain. The container is saved either way (its retry counter went down on
/// a wrong PIN, back up on a right one); a refused PIN is audited as
/// `refused` says. The PIN is never stored or logged.
pub async fn sign_with_pin(
    state: &HubState,
    citizen: &Citizen,
    pin: &str,
    content: Vec<u8>,
    refused: PinRefusal,
) -> WalletResult<(Vec<u8>, x509_cert::Certificate)> {
    let key = state
        .store
        .citizen_key(citizen.id)
        .await?
        .ok_or_else(|| Problem::new(StatusCode::CONFLICT, "no_signing_key", "wallet.key.missing"))?;
    let keys = state.keys.clone();
    let pin = Zeroizing::new(pin.to_owned());
    let container_json = key.container_json;
    let cert_pem = key.certificate_pem;
    // PBKDF2 and signing are CPU work: off the async threads.
    let (container, signed) = tokio::task::spawn_blocking(move || {
        let mut container = PinContainer::from_json(&container_json)?;
        let opened = container.open(&pin);
        let signed = opened.and_then(|k| {
            let cert = dossier_crypto::ca::certificate_from_pem(cert_pem.as_bytes())?;
            let id = SigningIdentity { key: &k, certificate: &cert, chain: &keys.chain };
            let cms = signed::sign(&id, &content, &SignOptions::default())?;
            Ok((cms, cert))
        });
        Ok::<_, CryptoError>((container, signed))
    })
    .await
    .map_err(|_| Problem::internal())?
    .map_err(pin_error)?;
    // The retry counter changed either way (down on a wrong PIN, reset on a right one).
    state.store.update_key_container(citizen.id, &container.to_json()).await?;
    match signed {
        Ok(s) => Ok(s),
        Err(e) => {
            state
                .store
                .audit(&HubActor::citizen(citizen.id), refused.action, &refused.subject, serde_json::json!({}))
                .await?;
            Err(pin_error(e))
        }
    }
}

/// Whether `cms` chains to Dossier's CA, was made with `cert` and carries
/// exactly `content` (attached).
pub fn signed_by(state: &HubState, cms: &[u8], cert: &x509_cert::Certificate, content: &[u8]) -> WalletResult<bool> {
    let verified = signed::verify(&SoftwareProvider, cms, &VerifyInput::attached(), &state.keys.trust);
    let der = dossier_crypto::ca::certificate_der(cert).map_err(|_| Problem::internal())?;
    let fingerprint = base16ct::lower::encode_string(&dossier_crypto::digest::sha256(&der));
    let ok = verified.report.indication == Indication::TotalPassed
        && verified.report.signer.as_ref().is_some_and(|s| s.fingerprint == fingerprint)
        && verified.content.as_deref() == Some(content);
    if !ok {
        tracing::warn!(indication = ?verified.report.indication, "citizen's signature refused");
    }
    Ok(ok)
}

/// The hub acts only on a consent whose signature chains to Dossier's CA and
/// was made by this citizen's certificate over exactly this statement.
pub fn verify_consent(
    state: &HubState,
    cms: &[u8],
    cert: &x509_cert::Certificate,
    statement: &[u8],
) -> WalletResult<()> {
    if signed_by(state, cms, cert, statement)? {
        Ok(())
    } else {
        Err(Problem::new(StatusCode::FORBIDDEN, "consent_signature_invalid", "wallet.consent.invalid"))
    }
}

pub async fn decline(state: &HubState, citizen: &Citizen, id: Uuid) -> WalletResult<RequestView> {
    pending(state, citizen, id).await?;
    let updated = state
        .store
        .advance_request(&HubActor::citizen(citizen.id), id, RequestEvent::Decline, None, None, Utc::now())
        .await
        .map_err(|e| match e {
            dossier_db::StoreError::Conflict(m) => Problem::new(StatusCode::CONFLICT, "not_waiting", m),
            other => other.into(),
        })?;
    let view = request_view(state, &updated, Lang::UK).await?;
    notify_status(state, citizen, &view);
    Ok(view)
}

fn notify_status(state: &HubState, citizen: &Citizen, v: &RequestView) {
    state.notify(WalletEvent {
        citizen_id: citizen.id,
        request: v.id,
        acquirer: v.acquirer.clone(),
        branch: v.branch.clone(),
        document_type: v.document_type.code().into(),
        document: v.document.clone(),
        status: v.status.code().into(),
    });
}

#[cfg(test)]
mod tests {
    #[test]
    fn an_unknown_login_is_refused_after_a_real_verification() {
        assert!(!dossier_crypto::secrets::verify_password_or_dummy("pw-2026", None));
        let stored = dossier_crypto::secrets::hash_password("pw-2026").unwrap();
        assert!(dossier_crypto::secrets::verify_password_or_dummy("pw-2026", Some(&stored)));
    }
}
