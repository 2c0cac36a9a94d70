//! The fund as an OpenID Connect relying party (`openidconnect`): the
//! authorization code flow with PKCE against any standard provider named by
//! configuration — the national identity provider, or in the demo and the
//! tests the wallet hub.
//!
//! What ties the browser's return to its start is server-side: the login
//! cookie holds only a random id; the state, nonce and PKCE verifier stay in
//! the database under its hash and are taken once, so a replayed or forged
//! callback finds nothing. The ID token is checked by the crate (signature
//! by the provider's published key, issuer, audience, expiry, nonce) and
//! must name a well-formed RNOKPP.
use std::time::{Duration, Instant};

use chrono::Utc;
use dossier_crypto::secrets::{constant_time_eq, random_token, token_hash};
use dossier_domain::ident::Rnokpp;
use dossier_store::{CitizenSession, PendingLogin};
use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreProviderMetadata, CoreResponseType,
    CoreRevocableToken, CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, ClaimsVerificationError, ClientId, ClientSecret,
    CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IdTokenVerifier,
    IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, SignatureVerificationError,
    StandardErrorResponse, StandardTokenResponse,
};
use serde::{Deserialize, Serialize};
use tokio::sync::RwLock;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, account};

/// How the fund reaches its citizens' identity provider.
#[derive(Clone)]
pub struct CitizenLoginSettings {
    /// The provider's issuer URL (its discovery document is under it).
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    /// This fund's callback, registered with the provider, e.g. `https://fund.example/account/callback`.
    pub redirect_uri: String,
}

/// Shows the issuer and client only — never the secret.
impl std::fmt::Debug for CitizenLoginSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CitizenLoginSettings({}, {})", self.issuer, self.client_id)
    }
}

/// How long a login may take at the provider.
pub const LOGIN_TTL: chrono::Duration = chrono::Duration::minutes(10);
/// Logins one client address may start within the look-up window: each is a
/// row until it expires, so an anonymous loop must not be able to fill the table.
pub const LOGINS_PER_CLIENT: i64 = 30;
/// How long the provider's metadata and keys are trusted before being fetched again.
const METADATA_TTL: Duration = Duration::from_secs(3600);
/// The keys are fetched again for an ID token signed by a key not in the
/// cached set (a rotation) — no more often than this.
const KEYS_REFETCH: Duration = Duration::from_secs(30);

/// The claim a national provider names the person's tax number by (Ukraine's
/// id.gov.ua calls it `drfocode`; the hub, `rnokpp`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct NationalId {
    #[serde(default)]
    pub rnokpp: Option<String>,
    #[serde(default)]
    pub drfocode: Option<String>,
}
impl AdditionalClaims for NationalId {}

type Fields = IdTokenFields<
    NationalId,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Client = openidconnect::Client<
    NationalId,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    StandardTokenResponse<Fields, CoreTokenType>,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The relying party: settings, an HTTP client that follows no redirects
/// (the provider's answers come from where they were asked), and the
/// provider's metadata and keys, fetched on first use, hourly after, and
/// again when an ID token is signed by a key not among them.
pub struct CitizenLogin {
    settings: CitizenLoginSettings,
    http: reqwest::Client,
    metadata: RwLock<Option<(CoreProviderMetadata, Instant)>>,
    /// When the keys were last fetched again for an unknown key.
    refetched: std::sync::Mutex<Option<Instant>>,
}

impl CitizenLogin {
    pub fn new(settings: CitizenLoginSettings) -> CitizenLogin {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_default();
        CitizenLogin { settings, http, metadata: RwLock::new(None), refetched: std::sync::Mutex::new(None) }
    }

    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    /// A client on the provider's metadata and keys fetched again, for an ID
    /// token signed by a key not in the cached set — unless that was done
    /// less than KEYS_REFETCH ago, whatever the provider sends.
    async fn client_with_fresh_keys(&self) -> AppResult<Client> {
        let max_age = {
            let mut last = self.refetched.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            match *last {
                Some(at) if at.elapsed() < KEYS_REFETCH => METADATA_TTL,
                _ => {
                    *last = Some(Instant::now());
                    Duration::ZERO
                }
            }
        };
        self.client(max_age).await
    }

    /// A client on the provider's metadata and keys: those cached, unless
    /// older than `max_age`.
    async fn client(&self, max_age: Duration) -> AppResult<Client> {
        let cached = self.metadata.read().await.as_ref().filter(|(_, at)| at.elapsed() < max_age).cloned();
        let metadata = match cached {
            Some((m, _)) => m,
            None => {
                let unavailable = |e: &dyn std::fmt::Display| {
                    tracing::warn!(error = %e, issuer = %self.settings.issuer, "identity provider unavailable");
                    AppError::new(ErrorKind::Unavailable, "login_unavailable", "account.login_unavailable")
                };
                let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|e| unavailable(&e))?;
                let m = CoreProviderMetadata::discover_async(issuer, &self.http).await.map_err(|e| unavailable(&e))?;
                *self.metadata.write().await = Some((m.clone(), Instant::now()));
                m
            }
        };
        let redirect = RedirectUrl::new(self.settings.redirect_uri.clone()).map_err(|_| AppError::internal())?;
        Ok(Client::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(self.settings.client_secret.clone())),
        )
        .set_redirect_uri(redirect))
    }
}

/// A login sent to the provider: the login cookie's value and where the browser goes.
pub struct Started {
    pub cookie: String,
    pub redirect: String,
}

/// Starts a login: fresh state, nonce and PKCE pair, remembered under the
/// cookie's hash. `client` is the caller's address (a counter key only).
pub async fn start(app: &App, client: &str) -> AppResult<Started> {
    let login = app.citizen_login().ok_or_else(AppError::not_found)?;
    let now = Utc::now();
    let since = now - app.config.lookup_window;
    let key = [format!("login:{client}")];
    if app.store.lookup_failures(&key, since).await?.first().is_some_and(|n| *n >= LOGINS_PER_CLIENT) {
        tracing::info!(target: "dossier::access", outcome = "limited", "citizen login");
        let wait = u64::try_from(app.config.lookup_window.num_seconds()).unwrap_or(900);
        return Err(
            AppError::new(ErrorKind::RateLimited, "rate_limited", "account.login_limited").with_retry_after(wait)
        );
    }
    app.store.record_lookup_failure(&key, now, since).await?;
    let client = login.client(METADATA_TTL).await?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state, nonce) = client
        .authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        )
        .set_pkce_challenge(challenge)
        .url();
    let cookie = random_token().map_err(|_| AppError::internal())?;
    app.store
        .begin_citizen_login(&PendingLogin {
            id_hash: token_hash(&cookie),
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
            expires_at: Utc::now() + LOGIN_TTL,
        })
        .await?;
    Ok(Started { cookie, redirect: url.into() })
}

/// What the provider sent the browser back with.
#[derive(Debug, Default, Deserialize)]
pub struct Callback {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
}

/// A session just started.
pub struct SignedIn {
    pub token: String,
    pub name: String,
}

/// The ID token checks: ES256/ES384 as the hub signs, RS256/PS256 as
/// national providers do; never `none`.
fn verifier(client: &Client) -> IdTokenVerifier<'_, CoreJsonWebKey> {
    client.id_token_verifier().set_allowed_algs([
        CoreJwsSigningAlgorithm::EcdsaP256Sha256,
        CoreJwsSigningAlgorithm::EcdsaP384Sha384,
        CoreJwsSigningAlgorithm::RsaSsaPkcs1V15Sha256,
        CoreJwsSigningAlgorithm::RsaSsaPssSha256,
    ])
}

fn refused() -> AppError {
    AppError::new(ErrorKind::Unauthenticated, "login_failed", "account.login_failed")
}

/// Finishes a login: the pending login taken once, the state matched, the
/// code redeemed with the verifier, the ID token checked; a session starts.
pub async fn finish(app: &App, cookie: Option<&str>, back: Callback) -> AppResult<SignedIn> {
    let login = app.citizen_login().ok_or_else(AppError::not_found)?;
    let pending = match cookie {
        Some(c) => app.store.take_citizen_login(&token_hash(c), Utc::now()).await?,
        None => None,
    };
    let pending =
        pending.ok_or_else(|| AppError::new(ErrorKind::Unauthenticated, "login_expired", "account.login_expired"))?;
    if back.error.is_some() {
        return Err(AppError::new(ErrorKind::Unauthenticated, "login_declined", "account.login_declined"));
    }
    let (Some(code), Some(state)) = (back.code, back.state) else { return Err(refused()) };
    if !constant_time_eq(&state, &pending.state) {
        return Err(refused());
    }
    let client = login.client(METADATA_TTL).await?;
    let exchange = client.exchange_code(AuthorizationCode::new(code)).map_err(|_| AppError::internal())?;
    let answer = exchange
        .set_pkce_verifier(PkceCodeVerifier::new(pending.pkce_verifier))
        .request_async(&login.http)
        .await
        .map_err(|e| {
            tracing::info!(error = %e, "citizen login: code refused by the provider");
            refused()
        })?;
    use openidconnect::TokenResponse;
    let id_token = answer.id_token().ok_or_else(refused)?;
    let nonce = Nonce::new(pending.nonce);
    let claims = match id_token.claims(&verifier(&client), &nonce) {
        // A key the cached set does not have: the provider has rotated its keys.
        // OpenID Connect Core §10.1.1 — fetch the set again and check once more.
        Err(ClaimsVerificationError::SignatureVerification(SignatureVerificationError::NoMatchingKey)) => {
            id_token.claims(&verifier(&login.client_with_fresh_keys().await?), &nonce)
        }
        checked => checked,
    };
    let claims = claims.map_err(|e| {
        tracing::info!(error = %e, "citizen login: ID token refused");
        refused()
    })?;
    let extra = claims.additional_claims();
    let rnokpp = extra.rnokpp.as_deref().or(extra.drfocode.as_deref()).unwrap_or("");
    let rnokpp = Rnokpp::parse(rnokpp).map_err(|_| refused())?;
    let name = claims
        .name()
        .and_then(|n| n.get(None))
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|| rnokpp.as_str().to_owned());
    let token = random_token().map_err(|_| AppError::internal())?;
    let session = CitizenSession {
        token_hash: token_hash(&token),
        issuer: login.issuer().to_owned(),
        subject: claims.subject().as_str().to_owned(),
        rnokpp: rnokpp.as_str().to_owned(),
        name: name.clone(),
        csrf: random_token().map_err(|_| AppError::internal())?,
        expires_at: Utc::now() + app.config.session_ttl,
    };
    app.store.create_citizen_session(&session).await?;
    account::audit(app, &session, "citizen.login", &format!("citizen:{}", session.subject), serde_json::json!({}))
        .await?;
    Ok(SignedIn { token, name })
}
