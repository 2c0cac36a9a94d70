//! Opening the fund's store and blob store from configuration, and the
//! commands that work on them directly: units by code, accounts, API tokens.
use std::sync::Arc;

use anyhow::{Context, Result, anyhow};
use dossier_crypto::secrets::{hash_password, random_token, token_hash};
use dossier_domain::org::Role;
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewAccount, SqlStore, Store};

use crate::config::Config;

pub async fn open(cfg: &Config) -> Result<(Arc<dyn Store>, BlobStore)> {
    let (store, blobs) = open_sql(cfg).await?;
    Ok((store, blobs))
}

/// [`open`], keeping the concrete store (for what only SQL can do: a snapshot).
pub async fn open_sql(cfg: &Config) -> Result<(Arc<SqlStore>, BlobStore)> {
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
    let blobs = BlobStore::open(&cfg.blobs, key).map_err(|e| anyhow!("blob store {}: {e}", cfg.blobs))?;
    // A wrong key or endpoint is said now, not at the first citizen's document.
    blobs.ping().await.map_err(|e| anyhow!("the blob store {} does not answer: {e}", cfg.blobs))?;
    Ok((Arc::new(store), blobs))
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
    let hash = hash_password(password)?;
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
    let token = format!("dsr_{}", random_token()?);
    store.create_api_token(&Actor::system("cli"), account.id, name, &token_hash(&token)).await?;
    Ok(token)
}
