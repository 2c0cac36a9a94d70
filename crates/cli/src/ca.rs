//! `dossier ca …` — the certification centre from the command line, and
//! loading it for `serve`. The keys live in `CA_DIR` as PIN containers; the
//! PIN comes from `DOSSIER_CA_PIN` (or the `ca_pin` key) and is never printed.
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use clap::Subcommand;
use dossier_app::certification::{Ca, CaFiles, IssueRequest, SubjectRef};
use dossier_domain::certification::Profile;
use dossier_store::{Actor, Store};
use uuid::Uuid;

use crate::config::Config;

/// The organisation named in the CA certificates unless `--organization` says otherwise.
pub const DEFAULT_ORGANIZATION: &str = "Пенсійний фонд України";

#[derive(Subcommand)]
pub enum CaCommand {
    /// Create the root and the issuing CA (keys sealed under DOSSIER_CA_PIN) and print their fingerprints.
    Init {
        /// Replace an existing centre (certificates it issued will no longer chain to the new root).
        #[arg(long)]
        force: bool,
        /// Organisation named in the CA certificates.
        #[arg(long, default_value = DEFAULT_ORGANIZATION)]
        organization: String,
    },
    /// Certify the key of a PKCS#10 request after the registry checks.
    Issue {
        /// The request (PEM or DER), signed by the key to certify.
        #[arg(long)]
        csr: PathBuf,
        /// qes-id-card | card-key | agency-encryption | document-signing | time-stamping
        #[arg(long)]
        profile: String,
        /// The person: RNOKPP or id (qes-id-card, card-key).
        #[arg(long, required_unless_present = "unit", conflicts_with = "unit")]
        person: Option<String>,
        /// The org unit: code or id (agency-encryption, document-signing, time-stamping).
        #[arg(long)]
        unit: Option<String>,
        /// The card application the keys are for (card-key).
        #[arg(long)]
        card_application: Option<Uuid>,
        /// Days of validity (default: the profile's maximum, shortened to the ID card or the card).
        #[arg(long)]
        validity_days: Option<u32>,
        /// Where to write the certificate (PEM).
        #[arg(long)]
        out: PathBuf,
    },
    /// Revoke a certificate; the next CRL lists it.
    Revoke {
        /// Serial number in hex, as `dossier ca issue` printed it.
        serial: String,
        /// unspecified | key-compromise | ca-compromise | affiliation-changed | superseded |
        /// cessation-of-operation | certificate-hold | privilege-withdrawn
        #[arg(long)]
        reason: String,
    },
    /// Sign and publish a new CRL and write it (DER).
    Crl {
        #[arg(long)]
        out: PathBuf,
    },
    /// Sign a new root revocation list with the root key (valid a year; CA_DIR/root.crl, served at
    /// /ca/root.crl): the issuing CA's status, which long-term validators ask for.
    Arl,
    /// Re-certify the issuing CA's key with the root key so its certificate names the root's
    /// revocation list (BASE/ca/root.crl, from ca_public_url) — for centres created before it
    /// existed. Same subject, key and end of validity; everything issued still chains. The old
    /// certificate is kept as CA_DIR/issuing.<serial>.pem; app servers load the new one at restart.
    RecertifyIssuing,
    /// Write the root CA certificate (PEM) — the trust anchor relying parties install.
    ExportRoot {
        #[arg(long)]
        out: PathBuf,
    },
}

fn pin(cfg: &Config) -> Result<&str> {
    cfg.ca_pin
        .as_ref()
        .map(|p| p.expose())
        .ok_or_else(|| anyhow!("set DOSSIER_CA_PIN (4–12 digits) to use the CA keys"))
}

/// Opens the centre for work (issuing key and certificates).
pub fn open(cfg: &Config, pin: &str) -> Result<Ca> {
    let files = CaFiles::new(&cfg.ca_dir);
    let centre = files.open(pin)?.with_crl_url(cfg.crl_url()).with_ocsp_url(cfg.ocsp_url());
    Ok(Ca::new(centre)?.with_arl(files.arl()))
}

/// The centre for `serve`: none when there is no CA folder, or no PIN to open it.
pub fn load(cfg: &Config) -> Result<Option<Arc<Ca>>> {
    let files = CaFiles::new(&cfg.ca_dir);
    if !files.exists() {
        tracing::info!(
            "no certification centre in the CA folder; /ca and /api/v1/ca answer 503 (see `dossier ca init`)"
        );
        return Ok(None);
    }
    let Some(pin) = cfg.ca_pin.as_ref() else {
        tracing::warn!("DOSSIER_CA_PIN is not set: the certification centre is not served");
        return Ok(None);
    };
    Ok(Some(Arc::new(open(cfg, pin.expose()).context("opening the certification centre")?)))
}

pub async fn run(cfg: &Config, command: CaCommand) -> Result<()> {
    let actor = Actor::system("cli");
    match command {
        CaCommand::Init { force, organization } => {
            let arl_url = cfg.arl_url();
            let created =
                CaFiles::new(&cfg.ca_dir).create(pin(cfg)?, organization.trim(), force, arl_url.as_deref())?;
            println!("created the certification centre in {}", cfg.ca_dir.display());
            println!("root CA     SHA-256 {}", created.root_fingerprint);
            println!("issuing CA  SHA-256 {}", created.issuing_fingerprint);
            println!(
                "{} is needed only to renew the issuing CA: keep it offline",
                cfg.ca_dir.join("root.key.json").display()
            );
        }
        CaCommand::Issue { csr, profile, person, unit, card_application, validity_days, out } => {
            let profile =
                Profile::parse(&profile).map_err(|m| anyhow!("--profile: {}", m.render(dossier_domain::Lang::EN)))?;
            let subject = SubjectRef::from_parts(person.as_deref(), unit.as_deref())?;
            let csr = std::fs::read(&csr).with_context(|| format!("reading {}", csr.display()))?;
            let ca = open(cfg, pin(cfg)?)?;
            let (store, _) = crate::storage::open(cfg).await?;
            let req = IssueRequest { csr, profile, subject, card_application_id: card_application, validity_days };
            let view = ca.issue(store.as_ref(), &actor, req).await?;
            std::fs::write(&out, &view.certificate_pem).with_context(|| format!("writing {}", out.display()))?;
            println!(
                "issued serial {} ({}), valid until {}",
                view.record.serial,
                profile.as_str(),
                view.record.not_after
            );
            println!("wrote {}", out.display());
        }
        CaCommand::Revoke { serial, reason } => {
            let (store, _) = crate::storage::open(cfg).await?;
            let record =
                dossier_app::certification::record_revocation(store.as_ref(), &actor, &serial, &reason).await?;
            println!(
                "revoked serial {} ({}); the next CRL lists it",
                record.serial,
                record.revocation_reason.as_deref().unwrap_or_default()
            );
        }
        CaCommand::Crl { out } => {
            let ca = open(cfg, pin(cfg)?)?;
            let (store, _) = crate::storage::open(cfg).await?;
            let crl = ca.publish_crl(store.as_ref(), chrono::Utc::now()).await?;
            std::fs::write(&out, &crl.der).with_context(|| format!("writing {}", out.display()))?;
            println!("CRL number {} (next update {}) written to {}", crl.crl_number, crl.next_update, out.display());
        }
        CaCommand::RecertifyIssuing => {
            let Some(arl_url) = cfg.arl_url() else {
                bail!("set ca_public_url (DOSSIER_CA_PUBLIC_URL): the certificate must name BASE/ca/root.crl");
            };
            match CaFiles::new(&cfg.ca_dir).recertify_issuing(pin(cfg)?, &arl_url)? {
                Some(fingerprint) => println!(
                    "issuing CA re-certified (names {arl_url}); SHA-256 {fingerprint}; restart the app servers"
                ),
                None => println!("the issuing CA's certificate already names {arl_url}; nothing to do"),
            }
        }
        CaCommand::Arl => {
            let files = CaFiles::new(&cfg.ca_dir);
            let number = files.publish_arl(pin(cfg)?)?;
            println!(
                "root revocation list number {number} (valid {} days) written to {}; app servers serve it after a restart",
                dossier_app::certification::ARL_VALIDITY.as_secs() / 86_400,
                cfg.ca_dir.join("root.crl").display()
            );
        }
        CaCommand::ExportRoot { out } => {
            let files = CaFiles::new(&cfg.ca_dir);
            if !files.exists() {
                bail!("no certification centre in {} (run `dossier ca init`)", cfg.ca_dir.display());
            }
            std::fs::copy(files.root_pem(), &out).with_context(|| format!("writing {}", out.display()))?;
            println!("wrote {}", out.display());
        }
    }
    Ok(())
}

/// Every demo start: the centre exists (created under the demo PIN unless
/// DOSSIER_CA_PIN is set), the central fund holds its agency-encryption,
/// document-signing and time-stamping certificates and every district office
/// its agency-encryption certificate. Their private keys are sealed under
/// the same PIN in `DATA_DIR/keys/<unit code>/`, the certificates are in the
/// database (found by unit) and beside the keys as PEM.
pub async fn seed_demo(store: &dyn Store, cfg: &Config) -> Result<Arc<Ca>> {
    use dossier_crypto::ca::make_request;
    use dossier_crypto::container::PinContainer;
    use dossier_crypto::software::SoftwareKey;
    use dossier_store::CertSubject;

    let pin = cfg.ca_pin.as_ref().map(|p| p.expose().to_owned()).unwrap_or_else(|| crate::demo::DEMO_CA_PIN.to_owned());
    let files = CaFiles::new(&cfg.ca_dir);
    if !files.exists() {
        let created = files.create(&pin, DEFAULT_ORGANIZATION, false, cfg.arl_url().as_deref())?;
        println!(
            "Certification centre created in {} (root SHA-256 {})",
            cfg.ca_dir.display(),
            created.root_fingerprint
        );
    }
    let ca = open(cfg, &pin)?;
    // The central fund signs, time-stamps and receives; every district office
    // receives shared documents as its own branch (the stamp names it).
    for unit in store.units().await? {
        let profiles: &[Profile] = match unit.kind {
            _ if unit.code == crate::demo::CENTRAL_FUND_CODE => {
                &[Profile::AgencyEncryption, Profile::DocumentSigning, Profile::TimeStamping]
            }
            dossier_domain::org::UnitKind::DistrictOffice => &[Profile::AgencyEncryption],
            _ => continue,
        };
        let held = store.issued_certificates_of(CertSubject::Unit(unit.id)).await?;
        let keys_dir = cfg.data_dir.join("keys").join(&unit.code);
        for &profile in profiles {
            if held.iter().any(|c| c.profile == profile && c.revoked_at.is_none()) {
                continue;
            }
            std::fs::create_dir_all(&keys_dir).with_context(|| format!("creating {}", keys_dir.display()))?;
            let key = SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?;
            let name = dossier_crypto::ca::SubjectName {
                country: "UA".into(),
                common_name: unit.name_uk.clone(),
                ..Default::default()
            };
            let csr = make_request(&key, name.to_name()?)?;
            let sealed = PinContainer::seal(&key, &pin, dossier_crypto::container::DEFAULT_TRIES)?;
            dossier_app::certification::write_private(
                &keys_dir.join(format!("{}.key.json", profile.as_str())),
                &sealed.to_json(),
            )?;
            let req = IssueRequest {
                csr,
                profile,
                subject: SubjectRef::Unit(unit.code.clone()),
                card_application_id: None,
                validity_days: None,
            };
            let view = ca.issue(store, &Actor::system("demo"), req).await?;
            std::fs::write(keys_dir.join(format!("{}.pem", profile.as_str())), &view.certificate_pem)?;
        }
    }
    Ok(Arc::new(ca))
}

/// The fund's document seal: the central fund's document-signing key (sealed
/// with the CA PIN) and its certificate.
pub fn seal_files(cfg: &Config) -> (std::path::PathBuf, std::path::PathBuf) {
    let central = cfg.data_dir.join("keys").join(crate::demo::CENTRAL_FUND_CODE);
    (central.join("document-signing.key.json"), central.join("document-signing.pem"))
}

/// The trust services `serve` offers: relying on the centre's root (with its
/// issuing CA as intermediate) and, when the fund has a time-stamping key
/// (`DATA_DIR/keys/<unit>/time-stamping.{key.json,pem}`, sealed with the CA PIN),
/// the RFC 3161 unit at `POST /tsa`.
pub fn trust_services(cfg: &Config, ca: Option<&Ca>, demo: bool) -> Result<dossier_app::trust::TrustServices> {
    use dossier_crypto::validation::{RevocationPolicy, TrustContext};
    let mut context = TrustContext { revocation: RevocationPolicy::Require, ..TrustContext::default() };
    let Some(ca) = ca else {
        return Ok(dossier_app::trust::TrustServices::new(context, None));
    };
    context.anchors.push(ca.centre().root_certificate().clone());
    context.intermediates.push(ca.centre().issuing_certificate().clone());
    let pin = match (&cfg.ca_pin, demo) {
        (Some(p), _) => p.expose().to_owned(),
        (None, true) => crate::demo::DEMO_CA_PIN.to_owned(),
        (None, false) => return Ok(dossier_app::trust::TrustServices::new(context, None)),
    };
    let mut tsa = None;
    let keys = cfg.data_dir.join("keys");
    for unit in std::fs::read_dir(&keys).into_iter().flatten().flatten() {
        let key_file = unit.path().join("time-stamping.key.json");
        let cert_file = unit.path().join("time-stamping.pem");
        if !key_file.exists() || !cert_file.exists() {
            continue;
        }
        let key = crate::trust::open_container_file(&key_file, &pin)?;
        let cert = dossier_crypto::ca::certificate_from_pem(&std::fs::read(&cert_file)?)?;
        tsa = Some(dossier_crypto::tsp::TimeStampAuthority::new(
            Box::new(key),
            cert,
            vec![ca.centre().issuing_certificate().clone()],
        ));
        break;
    }
    // The fund's document seal: the central fund's document-signing key signs
    // the acts and journals Dossier issues.
    let mut seal = None;
    let (key_file, cert_file) = seal_files(cfg);
    if key_file.exists() && cert_file.exists() {
        seal = Some(dossier_app::trust::DocumentSeal {
            key: crate::trust::open_container_file(&key_file, &pin)?,
            certificate: dossier_crypto::ca::certificate_from_pem(&std::fs::read(&cert_file)?)?,
            chain: vec![ca.centre().issuing_certificate().clone()],
        });
    }
    Ok(dossier_app::trust::TrustServices::new(context, tsa).with_seal(seal))
}
