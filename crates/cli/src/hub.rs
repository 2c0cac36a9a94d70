//! `dossier hub …` — the wallet's back end (SPEC §2.1): serve it, register
//! acquirers, seed demo citizens. The hub has its own database
//! (`--hub-database-url`, default `sqlite://DATA_DIR/hub/hub.db`) and its own
//! keys in `DATA_DIR/hub/keys/` (PIN containers sealed under `DOSSIER_HUB_PIN`,
//! demo `2026`); it shares nothing with the fund's `serve` but the binary.
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow};
use chrono::{Datelike, NaiveDate, Utc};
use clap::{Args, Subcommand};
use dossier_crypto::ca::{CertificationCentre, SubjectName, make_request, random_serial};
use dossier_crypto::container::{DEFAULT_TRIES, PinContainer};
use dossier_crypto::secrets::{hash_password, random_token, token_hash};
use dossier_crypto::signed::{self, SignOptions, SigningIdentity};
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::validation::{RevocationPolicy, TrustContext};
use dossier_crypto::x509::{CertProfile, to_pem};
use dossier_domain::certification::{self, Profile, Subject};
use dossier_domain::person::{PersonData, Sex, TaxId};
use dossier_domain::sharing::DocumentType;
use dossier_hub::login::{LoginKeys, RetiredKey};
use dossier_hub::store::{Acquirer, CitizenKey, HubActor, HubStore, NewCitizen, SqlHubStore};
use dossier_hub::{HubConfig, HubKeys, HubState};
use serde_json::json;
use x509_cert::Certificate;

use crate::config::{Config, SharingConfig};

/// Every demo citizen's wallet password and key PIN (demo only — the README says so).
pub const DEMO_WALLET_PASSWORD: &str = "demo-wallet-2026";
pub const DEMO_WALLET_PIN: &str = "1234";
/// The hub's key PIN when DOSSIER_HUB_PIN is not set (demo only).
pub const DEMO_HUB_PIN: &str = "2026";

#[derive(Args)]
pub struct HubArgs {
    /// Address to listen on.
    #[arg(long, env = "DOSSIER_HUB_LISTEN", default_value = DEMO_HUB_LISTEN)]
    pub listen: String,
    /// The hub's own database (default: sqlite://DATA_DIR/hub/hub.db).
    #[arg(long, env = "DOSSIER_HUB_DATABASE_URL")]
    pub hub_database_url: Option<String>,
    /// Base URL wallets and deeplinks use (default: http://LISTEN).
    #[arg(long, env = "DOSSIER_HUB_PUBLIC_URL")]
    pub public_url: Option<String>,
    #[command(subcommand)]
    pub command: Option<HubCommand>,
}

#[derive(Subcommand)]
pub enum HubCommand {
    /// Register an acquirer (a fund), or update its name and endpoint, and print a new API token once.
    AcquirerAdd {
        #[arg(long)]
        id: String,
        #[arg(long)]
        name: String,
        /// Where packages are delivered (multipart POST), e.g. http://127.0.0.1:8080/api/v1/sharing/deliveries.
        #[arg(long)]
        endpoint: String,
        /// Lets the acquirer log citizens in through the hub (OpenID Connect): its callback,
        /// e.g. https://fund.example/account/callback. The client id is the acquirer id, the
        /// secret the part of the token after the dot.
        #[arg(long)]
        login_redirect_uri: Option<String>,
    },
    /// Create the hub's keys (certified by the demo CA) and demo citizens with documents.
    SeedDemo,
    /// Replace the key that signs citizens' ID tokens. A running hub signs with the new key
    /// within seconds (it looks at its key files every 5 s); the old one stays in the published
    /// key set for a day, so tokens it signed still verify while relying parties fetch the new set.
    RotateLoginKey,
}

pub fn hub_dir(cfg: &Config) -> PathBuf {
    cfg.data_dir.join("hub")
}

pub fn keys_dir(cfg: &Config) -> PathBuf {
    hub_dir(cfg).join("keys")
}

pub(crate) fn hub_pin() -> String {
    std::env::var("DOSSIER_HUB_PIN").unwrap_or_else(|_| DEMO_HUB_PIN.to_owned())
}

pub async fn run(cfg: &Config, args: HubArgs) -> Result<()> {
    let store = open_store(cfg, args.hub_database_url.clone()).await?;
    match args.command {
        Some(HubCommand::AcquirerAdd { id, name, endpoint, login_redirect_uri }) => {
            let secret = random_token()?;
            let a = Acquirer {
                id: id.trim().into(),
                name: name.trim().into(),
                endpoint,
                token_hash: token_hash(&secret),
                login_redirect_uri,
            };
            store.save_acquirer(&HubActor::system("cli"), a).await?;
            println!("{}.{}", id.trim(), secret);
            eprintln!("Acquirer registered. The token above is shown once: keep it in the fund's configuration.");
            Ok(())
        }
        Some(HubCommand::SeedDemo) => {
            let people = fund_people(cfg).await;
            let logins = seed_demo_with_config(cfg, store.as_ref(), &people).await?;
            print_logins(&logins);
            Ok(())
        }
        Some(HubCommand::RotateLoginKey) => {
            let kid = rotate_login_key(&keys_dir(cfg), &hub_pin(), Utc::now())?;
            let actor = HubActor::system("cli");
            store.audit(&actor, "hub.login_key.rotated", "login-key", json!({"kid": kid})).await?;
            println!("{kid}");
            eprintln!(
                "New login key (its kid above). A running hub signs with it within {} s; the old key stays published for a day.",
                LOGIN_KEY_LOOK.as_secs()
            );
            Ok(())
        }
        None => {
            let (_, url, server) = start(cfg, store, &args.listen, args.public_url).await?;
            // As for `serve`: what the start (migrations, keys) freed goes back now.
            crate::memory::release_freed();
            println!("Dossier hub (wallet) at {url}/wallet");
            server.await??;
            Ok(())
        }
    }
}

/// Starts the hub in this process (for `dossier hub` and `dossier demo`):
/// loads its keys from `DATA_DIR/hub/keys/`, spawns the delivery worker and
/// serves on `listen`. Returns the state, the public URL and the server task.
pub async fn start(
    cfg: &Config,
    store: Arc<dyn HubStore>,
    listen: &str,
    public_url: Option<String>,
) -> Result<(HubState, String, tokio::task::JoinHandle<std::io::Result<()>>)> {
    let (dir, pin) = (keys_dir(cfg), hub_pin());
    let watch = LoginKeyWatch::new(&dir, &pin)?;
    let keys = load_keys(&dir, &pin)?;
    let listener = tokio::net::TcpListener::bind(listen).await.with_context(|| format!("binding {listen}"))?;
    let addr = listener.local_addr()?;
    let public_url = public_url.unwrap_or_else(|| format!("http://{addr}"));
    let state = HubState::new(store, HubConfig { public_url: public_url.clone(), ..HubConfig::default() }, keys);
    dossier_hub::spawn_workers(state.clone());
    tokio::spawn(watch_login_keys(watch, state.clone()));
    let router = dossier_hub::router(state.clone());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });
    Ok((state, public_url, server))
}

/// Opens the hub's database (`--hub-database-url`, default under DATA_DIR/hub/).
pub async fn open_store(cfg: &Config, url: Option<String>) -> Result<Arc<dyn HubStore>> {
    let url = match url {
        Some(u) => u,
        None => {
            let dir = hub_dir(cfg);
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            format!("sqlite://{}", dir.join("hub.db").display())
        }
    };
    Ok(Arc::new(SqlHubStore::open(&url).await?))
}

/// The hub's keys from `dir`: its document-signing key and certificate, the
/// CA chain and root (consent signatures must chain to that root).
pub fn load_keys(dir: &Path, pin: &str) -> Result<HubKeys> {
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .with_context(|| format!("reading {}/{name} (run `dossier hub seed-demo`)", dir.display()))
    };
    let signing_key = crate::trust::open_container_file(&dir.join("document-signing.key.json"), pin)
        .map_err(|e| anyhow!("{e} (the hub's key PIN is DOSSIER_HUB_PIN; run `dossier hub seed-demo` first)"))?;
    let cert =
        |name: &str| -> Result<Certificate> { Ok(dossier_crypto::ca::certificate_from_pem(read(name)?.as_bytes())?) };
    let root = cert("ca-root.pem")?;
    let login = login_keys(dir, pin)?.into();
    Ok(HubKeys {
        signing_key,
        signing_certificate: cert("document-signing.pem")?,
        chain: vec![cert("ca-issuing.pem")?],
        // [D] The hub does not fetch CRLs yet: a revoked citizen key is caught
        // by the fund, which checks revocation on the consent it receives.
        trust: TrustContext { anchors: vec![root], revocation: RevocationPolicy::Skip, ..TrustContext::default() },
        login,
    })
}

/// The sealed key that signs ID tokens, and the public keys it replaced.
const LOGIN_KEY: &str = "login.key.json";
const RETIRED_LOGIN_KEYS: &str = "login-retired.json";

fn retired_login_keys(dir: &Path) -> Result<Vec<RetiredKey>> {
    let path = dir.join(RETIRED_LOGIN_KEYS);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| format!("reading {}", path.display())),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(e).with_context(|| format!("reading {}", path.display())),
    }
}

fn login_keys(dir: &Path, pin: &str) -> Result<LoginKeys> {
    let current = open_or_create_key(&dir.join(LOGIN_KEY), pin)?;
    Ok(LoginKeys::new(current, retired_login_keys(dir)?)?)
}

/// How often a running hub looks for a login key rotated beside it.
const LOGIN_KEY_LOOK: Duration = Duration::from_secs(5);

/// What the login key files held when last looked at: the sealed key (not
/// its tries counter, which every opening rewrites) and the retired list.
#[derive(PartialEq)]
struct LoginKeyFiles {
    sealed: Option<String>,
    retired: Option<Vec<u8>>,
}

impl LoginKeyFiles {
    fn read(dir: &Path) -> Result<LoginKeyFiles> {
        let read = |name: &str| match std::fs::read(dir.join(name)) {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("reading {}/{name}", dir.display())),
        };
        let sealed = read(LOGIN_KEY)?.map(|bytes| {
            let text = String::from_utf8_lossy(&bytes);
            PinContainer::from_json(&text).map(|c| c.encrypted_pkcs8_pem).unwrap_or_else(|_| text.into_owned())
        });
        Ok(LoginKeyFiles { sealed, retired: read(RETIRED_LOGIN_KEYS)? })
    }
}

/// Lets a running hub pick up `dossier hub rotate-login-key` without a
/// restart: the files are looked at every few seconds and the keys read
/// again when they changed.
struct LoginKeyWatch {
    dir: PathBuf,
    pin: String,
    seen: LoginKeyFiles,
}

impl LoginKeyWatch {
    /// Notes the files before the hub loads its keys, so that a rotation
    /// between the two is picked up at the first look.
    fn new(dir: &Path, pin: &str) -> Result<LoginKeyWatch> {
        Ok(LoginKeyWatch { dir: dir.to_owned(), pin: pin.to_owned(), seen: LoginKeyFiles::read(dir)? })
    }

    /// The login keys read again, when the files changed since the last look.
    fn look(&mut self) -> Result<Option<LoginKeys>> {
        let files = LoginKeyFiles::read(&self.dir)?;
        if files == self.seen {
            return Ok(None);
        }
        // Noted whatever comes of it: a key that will not open is not tried
        // again every few seconds (each wrong PIN would use up one of its tries).
        self.seen = files;
        login_keys(&self.dir, &self.pin).map(Some)
    }
}

async fn watch_login_keys(mut watch: LoginKeyWatch, state: HubState) {
    let mut every = tokio::time::interval(LOGIN_KEY_LOOK);
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        // File reads and, after a rotation, the PIN's key derivation: off the runtime's threads.
        let Ok((back, looked)) = tokio::task::spawn_blocking(move || {
            let looked = watch.look();
            (watch, looked)
        })
        .await
        else {
            return;
        };
        watch = back;
        match looked {
            Ok(None) => {}
            Ok(Some(keys)) => {
                if keys.kid() != state.keys.login.now().kid() {
                    tracing::info!(kid = keys.kid(), "citizens' logins are now signed with a rotated key");
                }
                state.keys.login.replace(keys);
            }
            Err(e) => tracing::error!(
                error = %e,
                "the login key files changed but cannot be read: logins are still signed with the previous key"
            ),
        }
    }
}

/// Retires the login key in `dir` (the PIN must open it) and seals a new
/// one in its place; returns the new key's `kid`. The retired list is
/// written first: a crash between the two writes leaves the old key both
/// current and retired, which the published set lists once.
pub fn rotate_login_key(dir: &Path, pin: &str, now: chrono::DateTime<Utc>) -> Result<String> {
    let path = dir.join(LOGIN_KEY);
    if !path.exists() {
        return Err(anyhow!("{} does not exist: the hub makes its first login key when it starts", path.display()));
    }
    let current = crate::trust::open_container_file(&path, pin)?;
    let retired = dossier_hub::login::retire(&current, retired_login_keys(dir)?, now)?;
    dossier_app::certification::write_private(&dir.join(RETIRED_LOGIN_KEYS), &serde_json::to_string_pretty(&retired)?)?;
    let next = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
    let kid = dossier_crypto::jws::Jwk::of(&next)?.kid;
    dossier_app::certification::write_private(&path, &PinContainer::seal(&next, pin, DEFAULT_TRIES)?.to_json())?;
    Ok(kid)
}

/// The hub's ID-token key: made on first start (a hub seeded before logins
/// existed gets one too), kept sealed under the hub's PIN like its other key.
fn open_or_create_key(path: &Path, pin: &str) -> Result<SoftwareKey> {
    if !path.exists() {
        let key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
        dossier_app::certification::write_private(path, &PinContainer::seal(&key, pin, DEFAULT_TRIES)?.to_json())?;
    }
    crate::trust::open_container_file(path, pin)
}

/// Opens Dossier's CA (demo PIN unless DOSSIER_CA_PIN) and seeds the hub.
pub async fn seed_demo_with_config(
    cfg: &Config,
    store: &dyn HubStore,
    people: &[PersonData],
) -> Result<Vec<DemoWalletLogin>> {
    let ca_pin =
        cfg.ca_pin.as_ref().map(|p| p.expose().to_owned()).unwrap_or_else(|| crate::demo::DEMO_CA_PIN.to_owned());
    let files = dossier_app::certification::CaFiles::new(&cfg.ca_dir);
    if !files.exists() {
        files.create(&ca_pin, crate::ca::DEFAULT_ORGANIZATION, false, cfg.arl_url().as_deref())?;
    }
    let centre = files.open(&ca_pin)?;
    seed_demo(store, &keys_dir(cfg), &centre, &hub_pin(), people).await
}

pub struct DemoWalletLogin {
    pub login: String,
    pub name: String,
    pub in_fund_registry: bool,
}

pub fn print_logins(logins: &[DemoWalletLogin]) {
    if logins.is_empty() {
        println!("Hub already seeded.");
        return;
    }
    println!("Wallet logins (password {DEMO_WALLET_PASSWORD}, key PIN {DEMO_WALLET_PIN}):");
    for l in logins {
        let note = if l.in_fund_registry { "" } else { "  (not in the fund's registry)" };
        println!("  {:<12} {}{note}", l.login, l.name);
    }
}

/// Adults from the fund's demo registry (same RNOKPP and names, so the fund
/// matches their copies), when the fund's database is there.
pub async fn fund_people(cfg: &Config) -> Vec<PersonData> {
    let Ok((store, _blobs)) = crate::storage::open(cfg).await else { return Vec::new() };
    pick_adults(store.as_ref()).await
}

pub async fn pick_adults(store: &dyn dossier_store::Store) -> Vec<PersonData> {
    let today = Utc::now().date_naive();
    let Ok(units) = store.units().await else { return Vec::new() };
    let Some(root) = units.iter().find(|u| u.parent_id.is_none()) else { return Vec::new() };
    let mut out = Vec::new();
    for prefix in ["а", "б", "в", "г", "д", "к", "л", "м", "п", "с", "т"] {
        let q = dossier_store::PersonQuery { name_prefix: Some(prefix.into()), ..Default::default() };
        let Ok(found) = store.search_persons(&root.path, &q, dossier_store::Page { offset: 0, limit: 50 }).await else {
            continue;
        };
        for p in found {
            let d = p.data;
            let ok = matches!(d.tax_id, TaxId::Rnokpp { .. })
                && d.age_on(today) >= 18
                && d.id_card.is_some()
                && d.id_card_expires.is_some_and(|e| e > today + chrono::Duration::days(60))
                && d.unzr.is_some();
            if ok && !out.iter().any(|o: &PersonData| o.tax_id == d.tax_id) {
                out.push(d);
            }
            if out.len() >= 4 {
                return out;
            }
        }
    }
    out
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d.%m.%Y").to_string()
}

/// A person outside the fund's registry, so the fund's review queue has work.
fn outsider(today: NaiveDate) -> Result<PersonData> {
    let input = dossier_domain::person::PersonInput {
        rnokpp: dossier_domain::ident::Rnokpp::compose(
            NaiveDate::from_ymd_opt(1979, 4, 12).unwrap_or(today),
            731,
            Sex::Female,
        )
        .map(|r| r.to_string()),
        id_card: Some("004512377".into()),
        id_card_expires: Some(dmy(today + chrono::Duration::days(2000))),
        unzr: dossier_domain::ident::Unzr::compose(NaiveDate::from_ymd_opt(1979, 4, 12).unwrap_or(today), 4321)
            .map(|u| u.to_string()),
        surname: "Гнатюк".into(),
        given_name: "Оксана".into(),
        patronymic: Some("Василівна".into()),
        birth_date: "1979-04-12".into(),
        sex: "female".into(),
        ..Default::default()
    };
    input.validate(today).map_err(|e| anyhow!("demo outsider: {e:?}"))
}

struct Issuer {
    key: SoftwareKey,
    cert: Certificate,
    chain: Vec<Certificate>,
}

fn certify(
    centre: &CertificationCentre,
    key: &SoftwareKey,
    name: &SubjectName,
    profile: CertProfile,
    days: u32,
) -> Result<Certificate> {
    let csr = make_request(key, name.to_name()?)?;
    Ok(centre.issue(
        &csr,
        profile,
        Some(name.to_name()?),
        Duration::from_secs(u64::from(days) * 86_400),
        &random_serial()?,
    )?)
}

/// Seeds the hub: its document-signing key and the registry's key (both
/// certified by Dossier's CA and written to `keys_dir`), then each person in
/// `people` plus one outsider as a wallet user (login = RNOKPP) with an ID
/// card, a taxpayer card (one also a child's birth certificate), each signed
/// by the registry, and a personal QES key (certified under the rules of
/// `dossier_domain::certification`) in a PIN container. Idempotent: an
/// existing citizen is skipped.
pub async fn seed_demo(
    store: &dyn HubStore,
    keys_dir: &Path,
    centre: &CertificationCentre,
    hub_pin: &str,
    people: &[PersonData],
) -> Result<Vec<DemoWalletLogin>> {
    let today = Utc::now().date_naive();
    std::fs::create_dir_all(keys_dir).with_context(|| format!("creating {}", keys_dir.display()))?;
    let chain = vec![centre.issuing_certificate().clone()];
    std::fs::write(keys_dir.join("ca-root.pem"), to_pem(centre.root_certificate())?)?;
    std::fs::write(keys_dir.join("ca-issuing.pem"), to_pem(centre.issuing_certificate())?)?;
    let org = |cn: &str| SubjectName {
        country: "UA".into(),
        organization: Some("Dossier".into()),
        common_name: cn.into(),
        ..Default::default()
    };
    if !keys_dir.join("document-signing.key.json").exists() {
        let key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
        let cert = certify(centre, &key, &org("Хаб цифрових документів (демо)"), CertProfile::DocumentSigning, 365)?;
        dossier_app::certification::write_private(
            &keys_dir.join("document-signing.key.json"),
            &PinContainer::seal(&key, hub_pin, DEFAULT_TRIES)?.to_json(),
        )?;
        std::fs::write(keys_dir.join("document-signing.pem"), to_pem(&cert)?)?;
    }
    // The registry's key signs issued documents; it lives with the hub only in the demo.
    let registry_key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
    let registry_cert =
        certify(centre, &registry_key, &org("Реєстр документів (демо)"), CertProfile::DocumentSigning, 365)?;
    std::fs::write(keys_dir.join("registry.pem"), to_pem(&registry_cert)?)?;
    let registry = Issuer { key: registry_key, cert: registry_cert, chain };

    let mut all: Vec<(PersonData, bool)> = people.iter().take(4).cloned().map(|p| (p, true)).collect();
    all.push((outsider(today)?, false));
    let sys = HubActor::system("demo");
    let mut logins = Vec::new();
    for (i, (p, in_registry)) in all.iter().enumerate() {
        let TaxId::Rnokpp { rnokpp } = &p.tax_id else { continue };
        let login = rnokpp.to_string();
        if store.citizen_by_login(&login).await?.is_some() {
            continue;
        }
        let name = p.name.display();
        let citizen = store
            .create_citizen(
                &sys,
                NewCitizen {
                    login: login.clone(),
                    password_hash: hash_password(DEMO_WALLET_PASSWORD).map_err(|e| anyhow!(e))?,
                    display_name: name.clone(),
                    rnokpp: login.clone(),
                },
            )
            .await?;
        for (t, data) in documents_of(p, today, i == 0) {
            let sig = signed::sign(
                &SigningIdentity { key: &registry.key, certificate: &registry.cert, chain: &registry.chain },
                data.to_string().as_bytes(),
                &SignOptions::default(),
            )?;
            store.add_document(&sys, citizen.id, t, &data, &sig).await?;
        }
        // The citizen's personal QES key, certified under the registry checks.
        let subject = Subject::Person { person: p, card_application: None };
        let days = certification::default_validity_days(Profile::QesIdCard, &subject, today);
        certification::check(Profile::QesIdCard, &subject, today, days)
            .map_err(|e| anyhow!("certifying {login}: {e:?}"))?;
        let key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
        let subject_name = SubjectName {
            country: "UA".into(),
            surname: Some(p.name.surname.to_string()),
            given_name: Some(p.name.given.to_string()),
            serial_number: Some(format!("TINUA-{login}")),
            common_name: name.clone(),
            ..Default::default()
        };
        let cert = certify(centre, &key, &subject_name, CertProfile::QesIdCard, days)?;
        store
            .set_citizen_key(
                &sys,
                CitizenKey {
                    citizen_id: citizen.id,
                    container_json: PinContainer::seal(&key, DEMO_WALLET_PIN, DEFAULT_TRIES)?.to_json(),
                    certificate_pem: to_pem(&cert)?,
                },
            )
            .await?;
        logins.push(DemoWalletLogin { login, name, in_fund_registry: *in_registry });
    }
    Ok(logins)
}

/// The person's documents in the public metadata shape (SPEC §2.1).
fn documents_of(p: &PersonData, today: NaiveDate, with_child: bool) -> Vec<(DocumentType, serde_json::Value)> {
    let rnokpp = match &p.tax_id {
        TaxId::Rnokpp { rnokpp } => rnokpp.to_string(),
        TaxId::ReligiousRefusal { .. } => String::new(),
    };
    let middle = p.name.patronymic.as_ref().map(|m| m.to_string()).unwrap_or_default();
    let expires = p.id_card_expires.unwrap_or(today + chrono::Duration::days(3650));
    let issued = expires.with_year(expires.year() - 10).unwrap_or(today);
    let mut docs = vec![
        (
            DocumentType::IdCard,
            json!({
                "docNumber": p.id_card.as_ref().map(|c| c.to_string()).unwrap_or_default(),
                "lastNameUA": p.name.surname.to_string(),
                "firstNameUA": p.name.given.to_string(),
                "middleNameUA": middle,
                "birthday": dmy(p.birth_date),
                "sex": if p.sex == Sex::Female { "Ж" } else { "Ч" },
                "issueDate": dmy(issued),
                "expirationDate": dmy(expires),
                "department": "8031",
                "recordNumber": p.unzr.as_ref().map(|u| u.to_string()).unwrap_or_default(),
            }),
        ),
        (
            DocumentType::TaxpayerCard,
            json!({
                "creationDate": dmy(p.birth_date.with_year(p.birth_date.year() + 16).unwrap_or(p.birth_date)),
                "docNumber": rnokpp,
                "lastNameUA": p.name.surname.to_string(),
                "firstNameUA": p.name.given.to_string(),
                "middleNameUA": middle,
                "birthday": dmy(p.birth_date),
            }),
        ),
    ];
    if with_child {
        let born = today - chrono::Duration::days(9 * 365);
        docs.push((
            DocumentType::BirthCertificate,
            json!({
                "id": "demo-bc-0001",
                "document": {"serie": "І-КВ", "number": "284617", "department": "Шевченківський відділ ДРАЦС у місті Києві", "issueDate": dmy(born + chrono::Duration::days(12))},
                "child": {"lastName": p.name.surname.to_string(), "firstName": "Софія", "middleName": if p.sex == Sex::Male { format!("{}івна", p.name.given) } else { "Андріївна".to_owned() }, "birthDate": dmy(born), "birthPlace": "м. Київ"},
                "parents": {
                    "father": {"fullName": if p.sex == Sex::Male { p.name.display() } else { "—".to_owned() }},
                    "mother": {"fullName": if p.sex == Sex::Female { p.name.display() } else { "—".to_owned() }}
                },
                "act": {"name": "Актовий запис № 1547", "registrationPlace": "Шевченківський відділ ДРАЦС у місті Києві"}
            }),
        ));
    }
    docs
}

/// `dossier demo`: the hub and the wallet in the same process as the fund, on
/// their own listener and database. Seeds the hub on first start, registers
/// the fund as acquirer `pfu` delivering to `fund_url` (a fresh token each
/// start, so a changed port just works), starts serving, and returns the
/// sharing configuration the fund needs. The hub listens before the fund
/// registers its branches, which is done over HTTP like any acquirer would.
pub async fn start_demo(cfg: &Config, listen: &str, fund_url: &str) -> Result<(SharingConfig, String)> {
    let store = open_store(cfg, None).await?;
    let people = fund_people(cfg).await;
    let logins = seed_demo_with_config(cfg, store.as_ref(), &people).await?;
    let token = random_token()?;
    let acquirer = Acquirer {
        id: DEMO_ACQUIRER_ID.into(),
        name: "Пенсійний фонд України".into(),
        endpoint: format!("{fund_url}/api/v1/sharing/deliveries"),
        token_hash: token_hash(&token),
        login_redirect_uri: Some(format!("{fund_url}{}", dossier_server::CITIZEN_CALLBACK)),
    };
    store.save_acquirer(&HubActor::system("demo"), acquirer).await?;
    let (_state, hub_url, _server) = start(cfg, store, listen, None).await?;
    print_logins(&logins);
    let sharing = SharingConfig {
        hub_url: hub_url.clone(),
        acquirer_id: DEMO_ACQUIRER_ID.into(),
        token: crate::config::Secret::new(format!("{DEMO_ACQUIRER_ID}.{token}")),
        hub_cert: keys_dir(cfg).join("document-signing.pem"),
        public_url: Some(fund_url.to_owned()),
        keys_pin: None,
    };
    Ok((sharing, hub_url))
}

/// Where the hub listens unless told otherwise.
pub const DEMO_HUB_LISTEN: &str = "127.0.0.1:8090";
/// The demo fund's acquirer id at the hub.
pub const DEMO_ACQUIRER_ID: &str = "pfu";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_running_hub_picks_up_a_rotated_login_key_once_and_tries_a_foreign_one_once() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path();
        let mut watch = LoginKeyWatch::new(dir, "2026").unwrap();
        // The hub's first start makes its key after the watch looked: read again, the same key.
        let first = login_keys(dir, "2026").unwrap();
        assert_eq!(watch.look().unwrap().expect("a new file").kid(), first.kid());
        assert!(watch.look().unwrap().is_none(), "opening rewrote the tries counter, not the key");

        let kid = rotate_login_key(dir, "2026", Utc::now()).unwrap();
        let rotated = watch.look().unwrap().expect("the rotation is seen");
        assert_eq!(rotated.kid(), kid);
        let published: Vec<String> = rotated.key_set(Utc::now())["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k["kid"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(published, [kid.clone(), first.kid().to_owned()], "the old key is still published");
        assert!(watch.look().unwrap().is_none());

        // A key sealed under a PIN the hub does not hold: refused once, not at every look.
        let foreign = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256).unwrap();
        let sealed = PinContainer::seal(&foreign, "999999", DEFAULT_TRIES).unwrap().to_json();
        dossier_app::certification::write_private(&dir.join(LOGIN_KEY), &sealed).unwrap();
        assert!(watch.look().is_err());
        assert!(watch.look().unwrap().is_none());
        let left = PinContainer::from_json(&std::fs::read_to_string(dir.join(LOGIN_KEY)).unwrap()).unwrap().tries_left;
        assert_eq!(left, DEFAULT_TRIES - 1, "one try used, not one every few seconds");
    }
}
