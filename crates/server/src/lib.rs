//! Dossier's HTTP service.
//!
//! * `api/` — the JSON API under `/api/v1` (documented at `/api/openapi.json`);
//! * `web/` — the server-rendered staff UI (Ukrainian first, English second);
//! * `auth.rs` — sessions, API tokens, CSRF, password hashing, lock-out;
//! * `access.rs` — who may do what where: role permission + organisational scope.
//!
//! Handlers are thin: parse, authorize, call the store, shape the answer.
//! Every refusal is a `problem+json` (API) or an inline message (UI) from the
//! one message catalogue in `dossier_domain::i18n`.

pub mod access;
pub mod api;
pub mod auth;
pub mod ca;
pub mod cards;
pub mod error;
pub mod intake;
pub mod person_csv;
pub mod production_pdf;
pub mod trust;
pub mod verification;
pub mod web;

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::Router;
use dossier_store::blobs::BlobStore;
use dossier_store::{Store, StoreResult, Unit};

/// Settings the service needs at run time.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Failed logins before an account is locked.
    pub max_login_failures: i32,
    /// How long a lock-out lasts.
    pub lockout: chrono::Duration,
    /// Session lifetime.
    pub session_ttl: chrono::Duration,
    /// Largest accepted photo, in bytes.
    pub max_photo_bytes: usize,
    /// Largest accepted request body (CSV uploads included), in bytes.
    pub max_body_bytes: usize,
    /// Card exchange: refuse a partner's report (bank, personalizer, centre) that does not carry
    /// the partner's own signature. Off by default: partners who work on the fund's pages
    /// cannot sign there; the fund seals every message either way.
    pub require_partner_signatures: bool,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            max_login_failures: 5,
            lockout: chrono::Duration::minutes(15),
            session_ttl: chrono::Duration::hours(8),
            max_photo_bytes: 2 * 1024 * 1024,
            max_body_bytes: 32 * 1024 * 1024,
            require_partner_signatures: false,
        }
    }
}

/// Shared state of every request.
#[derive(Clone)]
pub struct AppState {
    pub store: Arc<dyn Store>,
    pub blobs: BlobStore,
    pub config: Arc<ServerConfig>,
    /// The certification centre, when this server holds its issuing key.
    pub ca: Option<Arc<ca::Ca>>,
    units: Arc<RwLock<HashMap<i64, Unit>>>,
    /// API token hash → account, for `TOKEN_CACHE_TTL`: systems call at high
    /// rates and the account behind a token changes rarely. A revoked token
    /// or deactivated account stops working within that time on every server.
    tokens: Arc<RwLock<HashMap<String, (dossier_store::Account, std::time::Instant)>>>,
    /// Trust anchors, CRLs and the time-stamping unit.
    pub trust: Arc<trust::TrustServices>,
    /// The intake of shared documents, when a hub is configured.
    pub intake: Option<Arc<intake::Intake>>,
}

/// How long an API token's account is remembered.
pub const TOKEN_CACHE_TTL: std::time::Duration = std::time::Duration::from_secs(30);

impl AppState {
    pub async fn new(store: Arc<dyn Store>, blobs: BlobStore, config: ServerConfig) -> StoreResult<Self> {
        let state = AppState {
            store,
            blobs,
            config: Arc::new(config),
            ca: None,
            units: Arc::default(),
            tokens: Arc::default(),
            trust: Arc::default(),
            intake: None,
        };
        state.reload_units().await?;
        Ok(state)
    }

    /// Installs the trust services (anchors, CRLs, TSA) the wiring built.
    pub fn with_trust(mut self, trust: trust::TrustServices) -> Self {
        self.trust = Arc::new(trust);
        self
    }

    /// Enables document sharing (the counter, the delivery endpoint).
    pub fn with_intake(mut self, intake: Arc<intake::Intake>) -> Self {
        self.intake = Some(intake);
        self
    }

    /// Serves the certification centre (`/ca/…`, `/api/v1/ca/…`) with this CA.
    pub fn with_ca(mut self, ca: Arc<ca::Ca>) -> Self {
        self.ca = Some(ca);
        self
    }

    /// The org tree changes rarely; it is cached and reloaded after a change.
    pub async fn reload_units(&self) -> StoreResult<()> {
        let units = self.store.units().await?;
        let map = units.into_iter().map(|u| (u.id, u)).collect();
        if let Ok(mut guard) = self.units.write() {
            *guard = map;
        }
        Ok(())
    }

    /// The account behind an API token (cached for `TOKEN_CACHE_TTL`).
    pub async fn account_by_token(&self, token_hash: &str) -> StoreResult<Option<dossier_store::Account>> {
        if let Ok(cache) = self.tokens.read()
            && let Some((account, at)) = cache.get(token_hash)
            && at.elapsed() < TOKEN_CACHE_TTL
        {
            return Ok(Some(account.clone()));
        }
        let found = self.store.account_by_api_token(token_hash).await?;
        if let (Some(account), Ok(mut cache)) = (&found, self.tokens.write()) {
            // Bounded: unknown tokens are never cached, known ones are few.
            if cache.len() > 10_000 {
                cache.clear();
            }
            cache.insert(token_hash.to_owned(), (account.clone(), std::time::Instant::now()));
        }
        Ok(found)
    }

    pub fn unit(&self, id: i64) -> Option<Unit> {
        self.units.read().ok().and_then(|m| m.get(&id).cloned())
    }

    pub fn all_units(&self) -> Vec<Unit> {
        let mut v: Vec<Unit> = self.units.read().map(|m| m.values().cloned().collect()).unwrap_or_default();
        v.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
        v
    }
}

/// The whole application: API, UI, static assets.
pub fn router(state: AppState) -> Router {
    let max_body = state.config.max_body_bytes;
    Router::new()
        .merge(api::routes())
        .merge(web::routes())
        .layer(axum::extract::DefaultBodyLimit::max(max_body))
        // Spans name the route template (`/api/v1/persons/{id}`), never the
        // URI: query strings carry RNOKPPs and names, which must not reach logs.
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let route = req.extensions().get::<axum::extract::MatchedPath>().map(|p| p.as_str().to_owned());
            tracing::info_span!("request", method = %req.method(), route = route.as_deref().unwrap_or("-"))
        }))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_CONTENT_TYPE_OPTIONS,
            axum::http::HeaderValue::from_static("nosniff"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::X_FRAME_OPTIONS,
            axum::http::HeaderValue::from_static("DENY"),
        ))
        .layer(tower_http::set_header::SetResponseHeaderLayer::if_not_present(
            axum::http::header::CONTENT_SECURITY_POLICY,
            axum::http::HeaderValue::from_static(
                "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
            ),
        ))
        .with_state(state)
}

/// Serves the application on a bound listener until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state)).with_graceful_shutdown(shutdown).await
}
