//! Configuration: compiled-in defaults, then a TOML file, then environment
//! variables (`DOSSIER_…`) and flags — later ones win.
mod blobs;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use dossier_store::blobs::BlobLocation;
use serde::Deserialize;

pub use blobs::S3File;

/// Settings as read from `dossier.toml` (every key optional).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileConfig {
    pub listen: Option<String>,
    pub data_dir: Option<PathBuf>,
    pub database_url: Option<String>,
    /// A folder, or `s3://bucket[/prefix]` with `[s3]` (see `config/blobs.rs`).
    pub blobs: Option<String>,
    /// How to reach an S3-compatible store (`[s3]`).
    pub s3: Option<S3File>,
    pub master_key_file: Option<PathBuf>,
    pub max_login_failures: Option<i32>,
    pub lockout_minutes: Option<i64>,
    pub session_hours: Option<i64>,
    pub max_photo_kb: Option<usize>,
    /// Card exchange: partners' reports must carry their own signature.
    pub require_partner_signatures: Option<bool>,
    pub ca_dir: Option<PathBuf>,
    /// The CA keys' PIN (4–12 digits). Prefer `DOSSIER_CA_PIN`.
    pub ca_pin: Option<String>,
    /// Public base URL of this service; issued certificates point relying
    /// parties to `BASE/ca/crl`.
    pub ca_public_url: Option<String>,
    /// Document sharing: the hub's base URL (`DOSSIER_HUB_URL`).
    pub hub_url: Option<String>,
    /// This fund's acquirer id at the hub (`DOSSIER_HUB_ACQUIRER_ID`).
    pub hub_acquirer_id: Option<String>,
    /// The trusted hub signing certificate, PEM (`DOSSIER_HUB_CERT`).
    pub hub_cert: Option<PathBuf>,
    /// This fund's public base URL; the hub delivers to `BASE/api/v1/sharing/deliveries` (`DOSSIER_PUBLIC_URL`).
    pub public_url: Option<String>,
    /// Martial law in force (SPEC §4): holidays on weekdays are working days. Default true.
    pub martial_law: Option<bool>,
    /// Notifications (`[notify]`); none without it.
    pub notify: Option<NotifyFile>,
    /// Digitization of paper (`[digitization]`); none without it.
    pub digitization: Option<DigitizationFile>,
    /// Appointments at the offices (`[appointments]`); the defaults without it.
    pub appointments: Option<AppointmentsFile>,
    /// Days within which a question asked without registration is answered (default 30: the
    /// Law "On Citizens' Appeals", art. 20).
    pub question_term_days: Option<i64>,
    /// Working days for a decision on an e-application, per kind (`[e_application_terms]`:
    /// `pension_assignment`, `delivery_change`, `certificate`; defaults 10, 5, 10).
    pub e_application_terms: Option<dossier_domain::e_application::Terms>,
    /// Points a year in the pension record for a jurisdiction that counts them: `"russia"` (IPK).
    pub record_points: Option<dossier_domain::calculator::PointsScheme>,
    /// Citizens' login through an OpenID provider (`[citizen_login]`); none without it.
    pub citizen_login: Option<CitizenLoginFile>,
    /// Seconds between signed checkpoints of the audit trail's heads (default 300; 0: only at
    /// shutdown). `DOSSIER_AUDIT_CHECKPOINT_SECONDS` wins.
    pub audit_checkpoint_seconds: Option<u64>,
    /// The balancers' addresses, whose `X-Forwarded-For` names the client
    /// (`DOSSIER_TRUSTED_PROXIES`, comma-separated, wins).
    pub trusted_proxies: Option<Vec<String>>,
}

/// `[citizen_login]`: the identity provider citizens sign in with (issue 21 §1).
/// The client secret comes from `DOSSIER_CITIZEN_LOGIN_SECRET` only; the
/// callback to register with the provider is `PUBLIC_URL/account/callback`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CitizenLoginFile {
    /// The provider's issuer URL, e.g. `https://id.gov.ua` (its discovery document is under it).
    pub issuer: String,
    /// This fund's client id at the provider.
    pub client_id: String,
}

/// `[appointments]`: how the offices receive by appointment (issue 21 §6).
/// Hours are the usual office's (Mon–Thu 8:00–17:00, Fri to 15:45, lunch 12:00–12:45).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppointmentsFile {
    /// Places per slot of each service (default 2).
    pub places: Option<i64>,
    /// Minutes per slot (default 30).
    pub slot_minutes: Option<i64>,
    /// Days ahead that may be booked (default 30).
    pub horizon_days: Option<u32>,
    /// Least hours between booking and the visit (default 2).
    pub lead_hours: Option<i64>,
    /// Upcoming bookings one e-mail or phone may hold (default 3).
    pub per_contact: Option<i64>,
    /// Bookings one client address may make in 15 minutes (default 10).
    pub per_client: Option<i64>,
}

/// `[digitization]`: how an office digitizes paper (issue 20).
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DigitizationFile {
    /// The agency's code in the national identifier standard (`000.00.31.H29`): dossier codes begin with it.
    pub agency_code: String,
    /// The digitization-result code scheme: `{dossier}` and `{n}` or `{n:W}` (default `{dossier}.KQ{n:2}`).
    pub result_code: Option<String>,
    /// Least resolution a scan must declare (default 200 dpi).
    pub min_dpi: Option<f32>,
    /// `colour` (colour only) or `colour_or_grey` (default).
    pub colour: Option<String>,
    /// OCR workers `serve` runs (default: the cores; 0 leaves recognition to another process).
    pub workers: Option<usize>,
    /// The Tesseract program (default `tesseract` on the PATH).
    pub tesseract: Option<PathBuf>,
    /// Seconds one page may take before it is stopped (default 60).
    pub page_timeout_seconds: Option<u64>,
    /// Seconds a worker holds the pages it claimed; a worker that dies gives them back after
    /// this (default 600; more than page_timeout_seconds).
    pub lease_seconds: Option<u64>,
    /// The office's clock for dossier dates and the seal's time: `kyiv` (default) or a fixed
    /// offset such as `+07:00`.
    pub clock: Option<String>,
    /// The language of the seal mark on results: `uk` (default), `en`, `ru` or `vi`.
    pub language: Option<String>,
    /// A PNG or JPEG of the office's seal, drawn in the seal mark (default: a drawn ring).
    pub seal_image: Option<PathBuf>,
    /// A folder a scanner drops into: `<watch>/<dossier code>/<document kind>/<file>` becomes a
    /// document of that dossier (taken files are deleted; refused ones move to `.refused/`).
    pub watch: Option<PathBuf>,
    /// The staff account the watched folder acts as (its role and office scope apply).
    pub watch_login: Option<String>,
}

/// `[notify]`: how citizens and systems are told. Secrets (bot tokens) come
/// from the environment only.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyFile {
    /// Every channel's messages as files in this folder instead of the network (the demo).
    pub folder: Option<PathBuf>,
    /// A folder of templates (`<lang>/<event>.txt`) that replace the built-in ones.
    pub templates: Option<PathBuf>,
    /// `HH:MM-HH:MM` Kyiv time when nothing reaches a phone or mailbox; `off` for none. Default 21:00-08:00.
    pub quiet_hours: Option<String>,
    /// Delivery workers `serve` runs (default 1; 0 leaves delivery to `dossier notify work`).
    pub workers: Option<usize>,
    /// Attempts before a message is dead (default 12).
    pub max_attempts: Option<u32>,
    /// Messages each worker sends at once (default 16).
    pub concurrency: Option<usize>,
    /// How long a worker holds the messages it claimed (default 120 s): longer than a send can take,
    /// or a slow send may be repeated by another worker.
    pub lease_seconds: Option<i64>,
    /// Systems may register webhooks (default true).
    pub webhooks: Option<bool>,
    pub email: Option<EmailFile>,
    pub telegram: Option<BotFile>,
    pub viber: Option<BotFile>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailFile {
    /// The relay, `host:port`.
    pub smtp: Option<String>,
    /// `Name <address>` of the sender.
    pub from: Option<String>,
    /// Connections kept open to the relay (default 16).
    pub connections: Option<u32>,
    /// E-mails per second (default: no limit).
    pub rate: Option<f64>,
    /// DKIM: an RSA key (PKCS#8 PEM), the signing domain and selector.
    pub dkim_key: Option<PathBuf>,
    pub dkim_domain: Option<String>,
    pub dkim_selector: Option<String>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BotFile {
    /// The API's base URL (Telegram: https://api.telegram.org or a self-hosted Bot API server;
    /// Viber: https://chatapi.viber.com/pa).
    pub api: Option<String>,
    /// Telegram: the bot's username; Viber: the bot's chat URI.
    pub name: Option<String>,
    /// Messages per second across all chats (Telegram default 30).
    pub rate: Option<f64>,
    /// Per chat: per second (Telegram, default 1) or per hour (Viber, default 100).
    pub per_chat: Option<f64>,
}

/// Flags shared by every command that opens the store (each also read from
/// its `DOSSIER_…` environment variable).
#[derive(Debug, Clone, clap::Args)]
pub struct StoreArgs {
    /// Configuration file (TOML). Default: ./dossier.toml when it exists.
    #[arg(long, env = "DOSSIER_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    /// Folder for the embedded database, blobs and generated master key.
    #[arg(long, env = "DOSSIER_DATA_DIR", global = true)]
    pub data_dir: Option<PathBuf>,
    /// Database: `sqlite://PATH` (default: DATA_DIR/dossier.db) or `postgres://…`.
    #[arg(long, env = "DOSSIER_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// Blob store: a local folder (default: DATA_DIR/blobs) or `s3://bucket[/prefix]` (see `[s3]`).
    #[arg(long, env = "DOSSIER_BLOBS", global = true)]
    pub blobs: Option<String>,
    /// File holding the 256-bit master key as 64 hex characters.
    /// Default: DATA_DIR/master.key, generated on first start.
    #[arg(long, env = "DOSSIER_MASTER_KEY_FILE", global = true)]
    pub master_key_file: Option<PathBuf>,
    /// Folder of the certification centre's keys and certificates (default: DATA_DIR/ca).
    #[arg(long, env = "DOSSIER_CA_DIR", global = true)]
    pub ca_dir: Option<PathBuf>,
}

/// A secret from the configuration: never printed, not even by `{:?}`.
#[derive(Clone)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: String) -> Secret {
        Secret(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// The resolved configuration.
#[derive(Debug, Clone)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: String,
    /// Where the documents are kept (a folder or an S3 bucket).
    pub blobs: BlobLocation,
    pub master_key_file: PathBuf,
    /// Master key given directly (DOSSIER_MASTER_KEY, hex) — wins over the file.
    pub master_key_env: Option<String>,
    pub listen: String,
    pub app: dossier_app::AppConfig,
    pub ca_dir: PathBuf,
    /// `DOSSIER_CA_PIN`, else the `ca_pin` key.
    pub ca_pin: Option<Secret>,
    pub ca_public_url: Option<String>,
    /// Document sharing with a hub; `None` when no hub is configured.
    pub sharing: Option<SharingConfig>,
    /// Working days for deadlines (`DOSSIER_MARTIAL_LAW`, else `martial_law`; default on).
    pub calendar: dossier_domain::calendar::WorkingCalendar,
    /// `[notify]`, when present.
    pub notify: Option<NotifyFile>,
    /// `[digitization]`, when present.
    pub digitization: Option<DigitizationFile>,
    /// The bots' secrets, from the environment only.
    pub notify_secrets: NotifySecrets,
    /// This fund's public base URL (`DOSSIER_PUBLIC_URL`, else `public_url`): links in messages.
    pub public_url: Option<String>,
    /// Citizens' login, when `[citizen_login]` and its secret are given.
    pub citizen_login: Option<CitizenLogin>,
    /// How often `serve` signs a checkpoint of the audit trail; `None`: only at shutdown.
    pub audit_checkpoint_every: Option<std::time::Duration>,
}

/// The identity provider citizens sign in with.
#[derive(Debug, Clone)]
pub struct CitizenLogin {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Secret,
}

/// The bots' secrets: `DOSSIER_TELEGRAM_TOKEN`, `DOSSIER_TELEGRAM_SECRET`
/// (the webhook's `secret_token`), `DOSSIER_VIBER_TOKEN`.
#[derive(Debug, Clone, Default)]
pub struct NotifySecrets {
    pub telegram_token: Option<Secret>,
    pub telegram_secret: Option<Secret>,
    pub viber_token: Option<Secret>,
}

/// How this fund meets the hub (all of `DOSSIER_HUB_URL`, `DOSSIER_HUB_ACQUIRER_ID`,
/// `DOSSIER_HUB_TOKEN`, `DOSSIER_HUB_CERT` are needed to enable sharing).
#[derive(Debug, Clone)]
pub struct SharingConfig {
    pub hub_url: String,
    pub acquirer_id: String,
    /// The acquirer token; environment only (`DOSSIER_HUB_TOKEN`), never in a file.
    pub token: Secret,
    pub hub_cert: PathBuf,
    pub public_url: Option<String>,
    /// PIN of the units' agency-encryption keys (`DOSSIER_KEYS_PIN`, else the CA PIN):
    /// the server opens them once at start, so no person types it per delivery.
    pub keys_pin: Option<Secret>,
}

impl Config {
    pub fn resolve(args: &StoreArgs, listen_flag: Option<&str>) -> Result<Config> {
        let file = match &args.config {
            Some(p) => read_file(p)?,
            None if Path::new("dossier.toml").exists() => read_file(Path::new("dossier.toml"))?,
            None => FileConfig::default(),
        };
        let data_dir = args.data_dir.clone().or(file.data_dir).unwrap_or_else(|| PathBuf::from("data"));
        let database_url = args
            .database_url
            .clone()
            .or(file.database_url)
            .unwrap_or_else(|| format!("sqlite://{}", data_dir.join("dossier.db").display()));
        let blobs = blobs::location(args.blobs.clone().or(file.blobs), file.s3, &data_dir, |k| {
            std::env::var(k).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
        })?;
        let master_key_file =
            args.master_key_file.clone().or(file.master_key_file).unwrap_or_else(|| data_dir.join("master.key"));
        let mut app = dossier_app::AppConfig::default();
        if let Some(n) = file.max_login_failures {
            app.max_login_failures = n;
        }
        if let Some(m) = file.lockout_minutes {
            app.lockout = chrono::Duration::minutes(m);
        }
        if let Some(h) = file.session_hours {
            app.session_ttl = chrono::Duration::hours(h);
        }
        if let Some(kb) = file.max_photo_kb {
            app.max_photo_bytes = kb * 1024;
        }
        if let Some(days) = file.question_term_days {
            anyhow::ensure!(days > 0, "question_term_days must be positive, got {days}");
            app.question_term = chrono::Duration::days(days);
        }
        if let Some(terms) = file.e_application_terms {
            let kinds = dossier_domain::e_application::Kind::ALL;
            anyhow::ensure!(
                kinds.iter().all(|k| terms.of(*k) > 0),
                "e_application_terms must be positive working days"
            );
            app.e_application_terms = terms;
        }
        app.record_points = file.record_points;
        let proxies = match std::env::var("DOSSIER_TRUSTED_PROXIES") {
            Ok(v) => v.split(',').map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect(),
            Err(_) => file.trusted_proxies.clone().unwrap_or_default(),
        };
        for p in proxies {
            app.trusted_proxies.push(p.parse().with_context(|| format!("trusted proxy {p:?}: not an IP address"))?);
        }
        // The scraper's token, from the environment only: `/metrics` is served only with one.
        app.metrics_token_hash = std::env::var("DOSSIER_METRICS_TOKEN")
            .ok()
            .map(|t| t.trim().to_owned())
            .filter(|t| !t.is_empty())
            .map(|t| dossier_crypto::secrets::token_hash(&t));
        if let Some(required) = file.require_partner_signatures {
            app.require_partner_signatures = required;
        }
        let listen = listen_flag.map(str::to_owned).or(file.listen).unwrap_or_else(|| "127.0.0.1:8080".to_owned());
        let ca_dir = args.ca_dir.clone().or(file.ca_dir).unwrap_or_else(|| data_dir.join("ca"));
        let ca_pin = std::env::var("DOSSIER_CA_PIN").ok().or(file.ca_pin).filter(|s| !s.trim().is_empty());
        let ca_public_url =
            std::env::var("DOSSIER_CA_PUBLIC_URL").ok().or(file.ca_public_url).filter(|s| !s.trim().is_empty());
        let env = |k: &str| std::env::var(k).ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty());
        let hub_url = env("DOSSIER_HUB_URL").or(file.hub_url);
        let acquirer_id = env("DOSSIER_HUB_ACQUIRER_ID").or(file.hub_acquirer_id);
        let hub_cert = env("DOSSIER_HUB_CERT").map(PathBuf::from).or(file.hub_cert);
        let token = env("DOSSIER_HUB_TOKEN");
        let sharing = match (hub_url, acquirer_id, hub_cert, token) {
            (Some(hub_url), Some(acquirer_id), Some(hub_cert), Some(token)) => Some(SharingConfig {
                hub_url,
                acquirer_id,
                token: Secret(token),
                hub_cert,
                public_url: env("DOSSIER_PUBLIC_URL").or(file.public_url.clone()),
                keys_pin: env("DOSSIER_KEYS_PIN").map(Secret),
            }),
            (None, None, None, None) => None,
            _ => anyhow::bail!(
                "document sharing needs all of DOSSIER_HUB_URL, DOSSIER_HUB_ACQUIRER_ID, DOSSIER_HUB_CERT and DOSSIER_HUB_TOKEN"
            ),
        };
        let martial_law = match env("DOSSIER_MARTIAL_LAW").as_deref() {
            Some("1" | "true" | "yes") => true,
            Some("0" | "false" | "no") => false,
            Some(other) => anyhow::bail!("DOSSIER_MARTIAL_LAW: expected true or false, got {other:?}"),
            None => file.martial_law.unwrap_or(true),
        };
        if let Some(a) = &file.appointments {
            let s = &mut app.appointments;
            let positive = |name: &str, v: i64| {
                if v > 0 { Ok(v) } else { Err(anyhow::anyhow!("appointments.{name} must be positive, got {v}")) }
            };
            if let Some(n) = a.places {
                s.places = positive("places", n)?;
            }
            if let Some(n) = a.slot_minutes {
                s.schedule.slot = chrono::Duration::minutes(positive("slot_minutes", n)?);
            }
            if let Some(n) = a.horizon_days {
                s.rules.horizon_days = n;
            }
            if let Some(n) = a.lead_hours {
                s.rules.lead = chrono::Duration::hours(n.max(0));
            }
            if let Some(n) = a.per_contact {
                s.per_contact = positive("per_contact", n)?;
            }
            if let Some(n) = a.per_client {
                s.per_client = positive("per_client", n)?;
            }
        }
        let citizen_login = match (file.citizen_login, env("DOSSIER_CITIZEN_LOGIN_SECRET")) {
            (Some(l), Some(secret)) => {
                Some(CitizenLogin { issuer: l.issuer, client_id: l.client_id, client_secret: Secret(secret) })
            }
            (None, _) => None,
            (Some(_), None) => anyhow::bail!("[citizen_login] needs its client secret in DOSSIER_CITIZEN_LOGIN_SECRET"),
        };
        let checkpoint_seconds = match env("DOSSIER_AUDIT_CHECKPOINT_SECONDS") {
            Some(v) => v.parse::<u64>().with_context(|| format!("DOSSIER_AUDIT_CHECKPOINT_SECONDS: {v:?}"))?,
            None => file.audit_checkpoint_seconds.unwrap_or(300),
        };
        let calendar = dossier_domain::calendar::WorkingCalendar::law_2023(martial_law);
        app.calendar = calendar.clone();
        Ok(Config {
            audit_checkpoint_every: (checkpoint_seconds > 0)
                .then(|| std::time::Duration::from_secs(checkpoint_seconds)),
            citizen_login,
            calendar,
            public_url: env("DOSSIER_PUBLIC_URL").or(file.public_url),
            notify: file.notify,
            digitization: file.digitization,
            notify_secrets: NotifySecrets {
                telegram_token: env("DOSSIER_TELEGRAM_TOKEN").map(Secret),
                telegram_secret: env("DOSSIER_TELEGRAM_SECRET").map(Secret),
                viber_token: env("DOSSIER_VIBER_TOKEN").map(Secret),
            },
            sharing,
            data_dir,
            database_url,
            blobs,
            master_key_file,
            master_key_env: std::env::var("DOSSIER_MASTER_KEY").ok().filter(|s| !s.trim().is_empty()),
            listen,
            app,
            ca_dir,
            ca_pin: ca_pin.map(|p| Secret(p.trim().to_owned())),
            ca_public_url,
        })
    }

    /// Where issued certificates say the CRL is: `BASE/ca/crl`.
    pub fn crl_url(&self) -> Option<String> {
        self.ca_public_url.as_ref().map(|base| format!("{}/ca/crl", base.trim_end_matches('/')))
    }

    /// Where the issuing CA's certificate says the root's revocation list is: `BASE/ca/root.crl`.
    pub fn arl_url(&self) -> Option<String> {
        self.ca_public_url.as_ref().map(|base| format!("{}/ca/root.crl", base.trim_end_matches('/')))
    }

    /// Where issued certificates say the OCSP responder is: `BASE/ca/ocsp`.
    pub fn ocsp_url(&self) -> Option<String> {
        self.ca_public_url.as_ref().map(|base| format!("{}/ca/ocsp", base.trim_end_matches('/')))
    }

    pub fn is_embedded(&self) -> bool {
        !self.database_url.starts_with("postgres")
    }
}

fn read_file(p: &Path) -> Result<FileConfig> {
    let text = std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
    toml::from_str(&text).with_context(|| format!("parsing {}", p.display()))
}
