//! Document sharing, the fund's side, as the binary wires it: the intake
//! service built from configuration (hub client, pinned hub certificate, the
//! units' agency-encryption keys) and `dossier sharing register-branch`.
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use dossier_app::intake::{BranchKey, Intake, IntakeConfig};
use dossier_domain::sharing::DocumentType;
use dossier_sharing::AcquirerClient;
use dossier_sharing::wire::BranchRegistration;
use dossier_store::{Actor, SharingBranch, Store};

use crate::config::{Config, SharingConfig};

/// Where a unit's agency-encryption key and certificate live (as `ca` and
/// the demo write them): `DATA_DIR/keys/<unit code>/agency-encryption.{key.json,pem}`.
pub fn key_files(cfg: &Config, unit_code: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let dir = cfg.data_dir.join("keys").join(unit_code);
    (dir.join("agency-encryption.key.json"), dir.join("agency-encryption.pem"))
}

/// The PIN the server opens the units' keys with: `DOSSIER_KEYS_PIN`, else
/// the CA PIN, else (demo only) the demo PIN.
fn keys_pin(cfg: &Config, s: &SharingConfig, demo: bool) -> Option<String> {
    s.keys_pin
        .as_ref()
        .or(cfg.ca_pin.as_ref())
        .map(|p| p.expose().to_owned())
        .or_else(|| demo.then(|| crate::demo::DEMO_CA_PIN.to_owned()))
}

/// Builds the intake service, or `None` when no hub is configured. Every
/// unit with an agency-encryption key on disk can receive packages.
pub async fn intake(cfg: &Config, store: &dyn Store, demo: bool) -> Result<Option<Arc<Intake>>> {
    let Some(s) = &cfg.sharing else { return Ok(None) };
    let hub_certificate = dossier_crypto::ca::certificate_from_pem(
        &std::fs::read(&s.hub_cert).with_context(|| format!("reading DOSSIER_HUB_CERT {}", s.hub_cert.display()))?,
    )
    .map_err(|e| anyhow!("DOSSIER_HUB_CERT {}: {e}", s.hub_cert.display()))?;
    let pin = keys_pin(cfg, s, demo);
    let mut keys = HashMap::new();
    for unit in store.units().await? {
        let (key_file, cert_file) = key_files(cfg, &unit.code);
        if !key_file.exists() || !cert_file.exists() {
            continue;
        }
        let pin = pin.as_deref().ok_or_else(|| anyhow!("set DOSSIER_KEYS_PIN to open {}", key_file.display()))?;
        let key = crate::trust::open_container_file(&key_file, pin)?;
        let certificate = dossier_crypto::ca::certificate_from_pem(&std::fs::read(&cert_file)?)
            .map_err(|e| anyhow!("{}: {e}", cert_file.display()))?;
        keys.insert(unit.id, BranchKey { certificate, key: Arc::new(key) });
    }
    let config = IntakeConfig {
        hub_url: s.hub_url.clone(),
        acquirer_id: s.acquirer_id.clone(),
        token: s.token.expose().to_owned(),
        hub_certificate,
        public_url: s.public_url.clone(),
        poll_interval: Duration::from_secs(2),
    };
    tracing::info!(hub = %s.hub_url, branches_with_keys = keys.len(), "document sharing enabled");
    Ok(Some(Arc::new(Intake::new(config, keys).map_err(|e| anyhow!(e))?)))
}

/// Registers an org unit as a branch with the hub (its name, address, the
/// document types it may request and its agency-encryption certificate) and
/// stores the hub's branch id. Callable from `dossier demo`.
pub async fn register_branch(
    cfg: &Config,
    store: &dyn Store,
    unit_code: &str,
    scopes: &[DocumentType],
) -> Result<SharingBranch> {
    let s = cfg.sharing.as_ref().ok_or_else(|| anyhow!("no hub configured (DOSSIER_HUB_URL …)"))?;
    let unit = crate::storage::unit_by_code(store, unit_code).await?;
    let (_, cert_file) = key_files(cfg, &unit.code);
    let pem = std::fs::read_to_string(&cert_file).with_context(|| {
        format!("reading {} — certify the unit's agency-encryption key first (dossier ca …)", cert_file.display())
    })?;
    let client = AcquirerClient::new(&s.hub_url, s.token.expose())?;
    let reg = BranchRegistration {
        name: unit.name_uk.clone(),
        address: unit.address.clone().unwrap_or_default(),
        scopes: scopes.iter().map(|t| t.code().to_owned()).collect(),
        encryption_certificate: pem,
    };
    let branch_id =
        client.register_branch(&reg).await.map_err(|e| anyhow!("the hub did not register the branch: {e}"))?;
    let branch = SharingBranch {
        unit_id: unit.id,
        branch_id,
        name: unit.name_uk,
        scopes: scopes.to_vec(),
        registered_at: chrono::Utc::now(),
    };
    store.save_sharing_branch(&Actor::system("cli"), &branch).await?;
    Ok(branch)
}

/// Registers, with every document type, each unit that holds an
/// agency-encryption key but is not yet a branch (the demo's central fund and
/// district offices); the hub's branch ids stay stable across restarts.
pub async fn register_unregistered(cfg: &Config, store: &dyn Store) -> Result<()> {
    let registered = store.sharing_branches().await?;
    for unit in store.units().await? {
        let (key_file, _) = key_files(cfg, &unit.code);
        if key_file.exists() && !registered.iter().any(|b| b.unit_id == unit.id) {
            register_branch(cfg, store, &unit.code, &DocumentType::ALL).await?;
        }
    }
    Ok(())
}

/// `--scopes internal-passport,taxpayer-card` (default: all three).
pub fn parse_scopes(list: Option<&str>) -> Result<Vec<DocumentType>> {
    match list {
        None => Ok(DocumentType::ALL.to_vec()),
        Some(l) => l
            .split(',')
            .filter(|s| !s.trim().is_empty())
            .map(|s| DocumentType::parse(s).map_err(|_| anyhow!("unknown document type {s:?}")))
            .collect(),
    }
}
