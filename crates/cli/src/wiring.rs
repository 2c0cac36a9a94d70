//! Opening the store and blob store from configuration, and serving.
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use dossier_domain::org::Role;
use dossier_server::{AppState, auth};
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewAccount, SqlStore, Store};

use crate::config::Config;

pub async fn open(cfg: &Config) -> Result<(Arc<dyn Store>, BlobStore)> {
    if cfg.is_embedded() {
        std::fs::create_dir_all(&cfg.data_dir).with_context(|| format!("creating {}", cfg.data_dir.display()))?;
    }
    let key = match &cfg.master_key_env {
        Some(hex) => MasterKey::from_hex(hex).map_err(|e| anyhow!("DOSSIER_MASTER_KEY: {e}"))?,
        None if cfg.is_embedded() => {
            let (key, created) = MasterKey::load_or_create(&cfg.master_key_file).map_err(|e| anyhow!(e))?;
            if created {
                tracing::warn!(file = %cfg.master_key_file.display(), "generated a new master key — back it up: without it the documents cannot be read");
            }
            key
        }
        // Outside the embedded default the key must be supplied, never invented.
        None => {
            let text = std::fs::read_to_string(&cfg.master_key_file).with_context(|| {
                format!("reading the master key {} (or set DOSSIER_MASTER_KEY)", cfg.master_key_file.display())
            })?;
            MasterKey::from_hex(&text).map_err(|e| anyhow!("{}: {e}", cfg.master_key_file.display()))?
        }
    };
    let store =
        SqlStore::open(&cfg.database_url).await.context("opening the database")?.with_calendar(cfg.calendar.clone());
    let blobs = BlobStore::local(&cfg.blobs_dir, key).map_err(|e| anyhow!("blob store: {e}"))?;
    Ok((Arc::new(store), blobs))
}

/// Serves the fund. With `demo`, seeds the demo data and runs the hub and the
/// wallet in the same process (on `hub_listen`), wired to this fund.
pub async fn serve(mut cfg: Config, demo: bool, hub_listen: Option<&str>) -> Result<()> {
    let (store, blobs) = open(&cfg).await?;
    let logins = if demo { crate::demo::seed(store.as_ref(), &blobs).await? } else { None };
    let ca = if demo { Some(crate::ca::seed_demo(store.as_ref(), &cfg).await?) } else { crate::ca::load(&cfg)? };
    // Bound first: the demo hub needs this fund's address to deliver to.
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("binding {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    let fund_url = format!("http://{addr}");
    if demo {
        crate::demo::print_logins(logins.as_deref());
        let (sharing, hub_url) =
            crate::hub::start_demo(&cfg, hub_listen.unwrap_or(crate::hub::DEMO_HUB_LISTEN), &fund_url).await?;
        println!("Dossier hub is listening on {hub_url}/  (wallet: {hub_url}/wallet)");
        cfg.sharing = Some(sharing);
    }
    let mut state = AppState::new(store.clone(), blobs, cfg.server.clone()).await.context("loading the org tree")?;
    state = state.with_trust(crate::ca::trust_services(&cfg, ca.as_deref(), demo)?);
    if let Some(ca) = ca {
        state = state.with_ca(ca);
    }
    if logins.is_some() {
        // The card exchange needs the fund's seal and the centre: seeded last.
        crate::demo::cards::seed(&state).await.context("demo card exchange")?;
    }
    if let Some(intake) = crate::sharing::intake(&cfg, store.as_ref(), demo).await? {
        state = state.with_intake(intake.clone());
        // Resubmits while the hub is unreachable and polls live requests for declined/expired.
        tokio::spawn(dossier_server::intake::worker::run(state.clone(), intake));
        if demo {
            crate::sharing::register_unregistered(&cfg, store.as_ref()).await?;
        }
    }
    println!("Dossier is listening on {fund_url}/  (database: {:?})", store.backend());
    dossier_server::serve(listener, state, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("serving")?;
    Ok(())
}

pub async fn unit_by_code(store: &dyn Store, code: &str) -> Result<dossier_store::Unit> {
    store.units().await?.into_iter().find(|u| u.code == code).ok_or_else(|| anyhow!("no org unit with code {code:?}"))
}

pub async fn add_user(
    store: &dyn Store,
    login: &str,
    name: &str,
    role: &str,
    unit: &str,
    password: &str,
) -> Result<uuid::Uuid> {
    let role = Role::parse(role).ok_or_else(|| anyhow!("unknown role {role:?}; see `dossier user-add --help`"))?;
    if password.chars().count() < 12 {
        anyhow::bail!("the password must be at least 12 characters");
    }
    let unit = unit_by_code(store, unit).await?;
    let hash = auth::hash_password(password).map_err(|e| anyhow!(e))?;
    let account = store
        .create_account(
            &Actor::system("cli"),
            NewAccount { login: login.into(), full_name: name.into(), role, unit_id: unit.id, password_hash: hash },
        )
        .await?;
    Ok(account.id)
}

pub async fn create_token(store: &dyn Store, login: &str, name: &str) -> Result<String> {
    let account = store.account_by_login(login).await?.ok_or_else(|| anyhow!("no account {login:?}"))?;
    let token = format!("dsr_{}", auth::random_token()?);
    store.create_api_token(&Actor::system("cli"), account.id, name, &auth::token_hash(&token)).await?;
    Ok(token)
}
