//! The hub as the citizens' OpenID provider (OpenID Connect Core 1.0, the
//! authorization code flow with PKCE): a fund registered as an acquirer logs
//! its citizens in through their wallet account, the way a fund would through
//! the national identity provider.
//!
//! * the fund sends the browser to `/wallet/authorize` (under the wallet's
//!   path, so its session cookie comes along); the citizen signs in to the
//!   wallet if needed and allows the fund to learn who they are;
//! * the hub redirects back with a one-minute code, kept as its hash and
//!   taken once, bound to the client, the exact redirect URI, the PKCE S256
//!   challenge and the nonce;
//! * the fund redeems it at `/oidc/token` with its acquirer secret and the
//!   PKCE verifier, and gets an ID token signed with the hub's login key
//!   (ES256), published at `/oidc/jwks`.
//!
//! Only what is needed crosses: the subject (the wallet account's id), the
//! name and the RNOKPP — the key the fund's registry knows people by.
use chrono::{DateTime, Duration, Utc};
use dossier_crypto::digest::DigestAlg;
use dossier_crypto::jws::{self, Jwk};
use dossier_crypto::secrets::{constant_time_eq, random_token, token_hash};
use dossier_crypto::software::SoftwareKey;
use reqwest::Url;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, RwLock};

use crate::HubState;
use crate::store::{Acquirer, Citizen, LoginCode};

/// How long an authorization code may wait to be redeemed.
pub const CODE_TTL: Duration = Duration::seconds(60);
/// How long an ID token is good for: it is read once, at the fund's callback.
pub const ID_TOKEN_TTL: Duration = Duration::seconds(300);
/// The only scope the hub needs; `openid` must be among the requested.
const SCOPE: &str = "openid";

/// The provider's metadata (OpenID Connect Discovery 1.0 §3).
pub fn discovery(issuer: &str) -> serde_json::Value {
    serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/wallet/authorize"),
        "token_endpoint": format!("{issuer}/oidc/token"),
        "jwks_uri": format!("{issuer}/oidc/jwks"),
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256", "ES384"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": [SCOPE],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name", "rnokpp"],
    })
}

/// How long a retired login key stays published after a rotation: well past
/// the life of the ID tokens it signed and the hour relying parties may
/// cache the key set.
pub const RETIRED_KEY_GRACE: Duration = Duration::days(1);

/// The keys of citizens' logins: the one that signs ID tokens, and those
/// retired by `dossier hub rotate-login-key`, still published for their grace.
pub struct LoginKeys {
    current: SoftwareKey,
    /// The current key's public JWK, its `kid` in every token's header.
    jwk: Jwk,
    retired: Vec<RetiredKey>,
}

/// A login key taken out of use: only its public JWK is kept.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RetiredKey {
    pub jwk: serde_json::Value,
    pub retired_at: DateTime<Utc>,
}

impl RetiredKey {
    fn kid(&self) -> Option<&str> {
        self.jwk.get("kid").and_then(|k| k.as_str())
    }
}

impl LoginKeys {
    pub fn new(current: SoftwareKey, retired: Vec<RetiredKey>) -> Result<LoginKeys, dossier_crypto::CryptoError> {
        Ok(LoginKeys { jwk: Jwk::of(&current)?, current, retired })
    }

    /// The key id tokens are signed with now.
    pub fn kid(&self) -> &str {
        &self.jwk.kid
    }

    /// The key set (RFC 7517) at `now`: the current key first, then the
    /// retired ones within their grace, each `kid` once (a verifier refuses
    /// a set where a token's `kid` matches twice).
    pub fn key_set(&self, now: DateTime<Utc>) -> serde_json::Value {
        let mut keys = vec![serde_json::to_value(&self.jwk).unwrap_or_default()];
        let mut seen = vec![self.kid()];
        for r in self.retired.iter().filter(|r| now < r.retired_at + RETIRED_KEY_GRACE) {
            if let Some(kid) = r.kid().filter(|kid| !seen.contains(kid)) {
                seen.push(kid);
                keys.push(r.jwk.clone());
            }
        }
        serde_json::json!({ "keys": keys })
    }
}

/// Retires `current` at `now`: the list to keep, with the keys past their
/// grace dropped.
pub fn retire(
    current: &dyn dossier_crypto::KeyPair,
    retired: Vec<RetiredKey>,
    now: DateTime<Utc>,
) -> Result<Vec<RetiredKey>, dossier_crypto::CryptoError> {
    let jwk =
        serde_json::to_value(Jwk::of(current)?).map_err(|_| dossier_crypto::CryptoError::Malformed { what: "JWK" })?;
    let mut kept: Vec<RetiredKey> =
        retired.into_iter().filter(|r| now < r.retired_at + RETIRED_KEY_GRACE && r.jwk != jwk).collect();
    kept.push(RetiredKey { jwk, retired_at: now });
    Ok(kept)
}

/// The login keys in force. `dossier hub rotate-login-key` writes new key
/// files beside a running hub, which reads them and replaces the set whole: a
/// token is signed, and the key set published, from one consistent set.
pub struct LiveLoginKeys(RwLock<Arc<LoginKeys>>);

impl LiveLoginKeys {
    pub fn now(&self) -> Arc<LoginKeys> {
        Arc::clone(&self.0.read().unwrap_or_else(|poisoned| poisoned.into_inner()))
    }

    pub fn replace(&self, keys: LoginKeys) {
        *self.0.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = Arc::new(keys);
    }
}

impl From<LoginKeys> for LiveLoginKeys {
    fn from(keys: LoginKeys) -> LiveLoginKeys {
        LiveLoginKeys(RwLock::new(Arc::new(keys)))
    }
}

/// The key set the ID tokens verify with.
pub fn jwks(state: &HubState) -> serde_json::Value {
    state.keys.login.now().key_set(Utc::now())
}

/// The authorization request's parameters as the browser brings them (all
/// optional here, so that a missing one is refused in OAuth's words).
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AuthorizeParams {
    pub response_type: Option<String>,
    pub client_id: Option<String>,
    pub redirect_uri: Option<String>,
    pub scope: Option<String>,
    pub state: Option<String>,
    pub nonce: Option<String>,
    pub code_challenge: Option<String>,
    pub code_challenge_method: Option<String>,
}

/// A checked authorization request.
#[derive(Debug, Clone)]
pub struct Authorization {
    pub client: Acquirer,
    pub redirect_uri: String,
    pub state: Option<String>,
    pub nonce: String,
    pub code_challenge: String,
}

/// Why an authorization request is refused.
#[derive(Debug)]
pub enum AuthorizeRefusal {
    /// Unknown client or redirect URI: never redirect to it (RFC 6749 §4.1.2.1),
    /// tell the person on the hub's own page.
    NoClient,
    /// Anything else goes back to the client as `error=…` on its redirect URI.
    Redirect(String),
    /// The hub could not read its registry of clients (the page says so; nothing is granted).
    Unavailable,
}

/// A PKCE challenge or verifier: 43–128 unreserved characters (RFC 7636 §4.1).
fn pkce_shaped(s: &str) -> bool {
    (43..=128).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b))
}

/// Checks an authorization request against the registered client.
pub async fn check(state: &HubState, p: &AuthorizeParams) -> Result<Authorization, AuthorizeRefusal> {
    let (Some(client_id), Some(redirect_uri)) = (p.client_id.as_deref(), p.redirect_uri.as_deref()) else {
        return Err(AuthorizeRefusal::NoClient);
    };
    let client = match state.store.acquirer(client_id).await {
        Ok(client) => client.ok_or(AuthorizeRefusal::NoClient)?,
        Err(e) => {
            tracing::error!(error = %e, "reading the acquirers for a login");
            return Err(AuthorizeRefusal::Unavailable);
        }
    };
    if client.login_redirect_uri.as_deref() != Some(redirect_uri) {
        return Err(AuthorizeRefusal::NoClient);
    }
    let back =
        |error: &str| AuthorizeRefusal::Redirect(redirect(redirect_uri, &[("error", error)], p.state.as_deref()));
    if p.response_type.as_deref() != Some("code") {
        return Err(back("unsupported_response_type"));
    }
    if !p.scope.as_deref().unwrap_or("").split(' ').any(|s| s == SCOPE) {
        return Err(back("invalid_scope"));
    }
    let challenge = p.code_challenge.as_deref().filter(|c| pkce_shaped(c));
    let (Some(challenge), Some("S256")) = (challenge, p.code_challenge_method.as_deref()) else {
        return Err(back("invalid_request"));
    };
    let nonce = p.nonce.as_deref().filter(|n| !n.is_empty() && n.len() <= 255);
    let (Some(nonce), true) = (nonce, p.state.as_deref().is_none_or(|s| s.len() <= 512)) else {
        return Err(back("invalid_request"));
    };
    Ok(Authorization {
        redirect_uri: redirect_uri.to_owned(),
        state: p.state.clone(),
        nonce: nonce.to_owned(),
        code_challenge: challenge.to_owned(),
        client,
    })
}

/// The citizen allowed: a fresh code, and where the browser goes with it.
pub async fn grant(state: &HubState, citizen: &Citizen, a: &Authorization) -> Result<String, dossier_http::Problem> {
    let code = random_token().map_err(|_| dossier_http::Problem::internal())?;
    let now = Utc::now();
    state
        .store
        .save_login_code(&LoginCode {
            code_hash: token_hash(&code),
            acquirer_id: a.client.id.clone(),
            citizen_id: citizen.id,
            redirect_uri: a.redirect_uri.clone(),
            code_challenge: a.code_challenge.clone(),
            nonce: a.nonce.clone(),
            auth_time: now,
            expires_at: now + CODE_TTL,
        })
        .await?;
    Ok(redirect(&a.redirect_uri, &[("code", &code)], a.state.as_deref()))
}

/// The citizen declined.
pub fn deny(a: &Authorization) -> String {
    redirect(&a.redirect_uri, &[("error", "access_denied")], a.state.as_deref())
}

fn redirect(uri: &str, params: &[(&str, &str)], state: Option<&str>) -> String {
    let Ok(mut url) = Url::parse(uri) else { return uri.to_owned() };
    {
        let mut q = url.query_pairs_mut();
        for (k, v) in params {
            q.append_pair(k, v);
        }
        if let Some(s) = state {
            q.append_pair("state", s);
        }
    }
    url.into()
}

/// The token request's form (RFC 6749 §4.1.3 with RFC 7636's verifier);
/// the client's credentials come in the form or as HTTP Basic.
#[derive(Debug, Default, Deserialize)]
pub struct TokenForm {
    pub grant_type: Option<String>,
    pub code: Option<String>,
    pub redirect_uri: Option<String>,
    pub code_verifier: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct TokenAnswer {
    pub access_token: String,
    pub token_type: &'static str,
    pub expires_in: i64,
    pub id_token: String,
}

/// A token endpoint refusal: its OAuth error code (RFC 6749 §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenRefusal {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnsupportedGrantType,
    ServerError,
}

impl TokenRefusal {
    pub fn code(self) -> &'static str {
        match self {
            TokenRefusal::InvalidRequest => "invalid_request",
            TokenRefusal::InvalidClient => "invalid_client",
            TokenRefusal::InvalidGrant => "invalid_grant",
            TokenRefusal::UnsupportedGrantType => "unsupported_grant_type",
            TokenRefusal::ServerError => "server_error",
        }
    }
}

/// The ID token's claims.
#[derive(Debug, Serialize)]
struct IdClaims<'a> {
    iss: &'a str,
    sub: String,
    aud: &'a str,
    exp: i64,
    iat: i64,
    auth_time: i64,
    nonce: &'a str,
    name: &'a str,
    rnokpp: &'a str,
}

/// Redeems a code: the client authenticated by its acquirer secret, the code
/// taken once, its client, redirect URI and PKCE verifier matched.
pub async fn token(
    state: &HubState,
    basic: Option<(String, String)>,
    f: TokenForm,
) -> Result<TokenAnswer, TokenRefusal> {
    use TokenRefusal::*;
    let (client_id, secret) = match (basic, f.client_id.clone(), f.client_secret.clone()) {
        (Some(b), _, _) => b,
        (None, Some(id), Some(secret)) => (id, secret),
        _ => return Err(InvalidClient),
    };
    let client = state.store.acquirer(&client_id).await.map_err(|_| ServerError)?;
    // An unknown client costs the same hash and comparison as a known one.
    let expected = client.as_ref().map_or_else(|| token_hash(""), |c| c.token_hash.clone());
    let authenticated = constant_time_eq(&token_hash(&secret), &expected);
    let client = client.filter(|c| authenticated && c.login_redirect_uri.is_some()).ok_or(InvalidClient)?;
    if f.grant_type.as_deref() != Some("authorization_code") {
        return Err(UnsupportedGrantType);
    }
    let (Some(code), Some(redirect_uri), Some(verifier)) = (f.code, f.redirect_uri, f.code_verifier) else {
        return Err(InvalidRequest);
    };
    let now = Utc::now();
    let taken = state.store.take_login_code(&token_hash(&code), now).await.map_err(|_| ServerError)?;
    let code = taken.ok_or(InvalidGrant)?;
    let challenge = jws::base64url(&DigestAlg::Sha256.hash(verifier.as_bytes()));
    let matches = code.acquirer_id == client.id
        && code.redirect_uri == redirect_uri
        && pkce_shaped(&verifier)
        && constant_time_eq(&challenge, &code.code_challenge);
    if !matches {
        return Err(InvalidGrant);
    }
    let citizen = state.store.citizen(code.citizen_id).await.map_err(|_| ServerError)?.ok_or(InvalidGrant)?;
    let id_token = id_token(state, &client, &citizen, &code.nonce, code.auth_time, now).map_err(|_| ServerError)?;
    // The hub serves no user-info or other API to this token: the ID token
    // carries all the fund asks. It is random, so it proves nothing if leaked.
    let access_token = random_token().map_err(|_| ServerError)?;
    Ok(TokenAnswer { access_token, token_type: "Bearer", expires_in: ID_TOKEN_TTL.num_seconds(), id_token })
}

fn id_token(
    state: &HubState,
    client: &Acquirer,
    citizen: &Citizen,
    nonce: &str,
    auth_time: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<String, dossier_crypto::CryptoError> {
    let keys = state.keys.login.now();
    let claims = IdClaims {
        iss: &state.config.public_url,
        sub: citizen.id.to_string(),
        aud: &client.id,
        exp: (now + ID_TOKEN_TTL).timestamp(),
        iat: now.timestamp(),
        auth_time: auth_time.timestamp(),
        nonce,
        name: &citizen.display_name,
        rnokpp: &citizen.rnokpp,
    };
    jws::sign_jwt(&keys.current, keys.kid(), &claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> SoftwareKey {
        SoftwareKey::generate(dossier_crypto::Algorithm::EcP256).unwrap()
    }

    fn kids(set: &serde_json::Value) -> Vec<String> {
        set["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap().to_owned()).collect()
    }

    #[test]
    fn a_rotated_key_stays_published_for_its_grace_after_the_current_one() {
        let (a, b) = (key(), key());
        let t0 = Utc::now();
        let retired = retire(&a, vec![], t0).unwrap();
        let keys = LoginKeys::new(b, retired.clone()).unwrap();
        let (kid_a, kid_b) = (Jwk::of(&a).unwrap().kid, keys.kid().to_owned());
        assert_eq!(kids(&keys.key_set(t0)), [kid_b.clone(), kid_a.clone()], "the signing key first");
        assert_eq!(kids(&keys.key_set(t0 + RETIRED_KEY_GRACE - Duration::seconds(1))), [kid_b.clone(), kid_a]);
        assert_eq!(kids(&keys.key_set(t0 + RETIRED_KEY_GRACE)), std::slice::from_ref(&kid_b), "gone after its grace");
        // The next rotation keeps A within its grace, drops it after.
        let c = key();
        let twice = retire(&keys.current, retired.clone(), t0 + Duration::hours(1)).unwrap();
        assert_eq!(twice.len(), 2);
        let later = retire(&c, twice, t0 + RETIRED_KEY_GRACE + Duration::minutes(30)).unwrap();
        let later: Vec<_> = later.iter().filter_map(|r| r.kid().map(str::to_owned)).collect();
        assert_eq!(later, [kid_b, Jwk::of(&c).unwrap().kid]);
    }

    #[test]
    fn a_key_both_current_and_retired_is_published_once() {
        // A rotation stopped between its two writes leaves the old key current and retired.
        let a = key();
        let retired = retire(&a, vec![], Utc::now()).unwrap();
        let keys = LoginKeys::new(a, retired.clone()).unwrap();
        assert_eq!(kids(&keys.key_set(Utc::now())).len(), 1);
        let again = retire(&keys.current, retired, Utc::now()).unwrap();
        assert_eq!(again.len(), 1, "retired once");
    }

    #[test]
    fn pkce_values_are_43_to_128_unreserved_characters() {
        assert!(pkce_shaped(&"a".repeat(43)));
        assert!(pkce_shaped(&"A-._~9".repeat(20)));
        assert!(!pkce_shaped(&"a".repeat(42)));
        assert!(!pkce_shaped(&"a".repeat(129)));
        assert!(!pkce_shaped(&format!("{}+", "a".repeat(43))));
    }

    #[test]
    fn a_redirect_keeps_the_client_s_query_and_adds_the_state() {
        let url = redirect("https://fund.example/cb?x=1", &[("code", "c d")], Some("s&t"));
        assert_eq!(url, "https://fund.example/cb?x=1&code=c+d&state=s%26t");
    }
}
