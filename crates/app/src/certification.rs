//! The certification centre, shared by the HTTP API, the card exchange and
//! `dossier ca …`: where its keys live, the registry checks before a key is
//! certified, issuance, revocation and the CRL every app server serves.
//!
//! Keys at rest: `CA_DIR/root.key.json` and `CA_DIR/issuing.key.json` are
//! PIN containers (encrypted PKCS#8, `dossier_crypto::container`), beside
//! them `root.pem` and `issuing.pem`. Serving needs only the issuing key and
//! both certificates, so the root key file can be moved offline after
//! `dossier ca init`. Issued certificates, revocations and CRLs live in the
//! database (`Store`), so every app server sees the same state.
use schemars::JsonSchema;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use dossier_crypto::CryptoError;
use dossier_crypto::ca::{
    Certificate, CertificationCentre, RevocationReason, Revoked, SubjectName, certificate_from_pem, random_serial,
    serial_from_hex, serial_hex, validity,
};
use dossier_crypto::container::PinContainer;
use dossier_crypto::software::{SoftwareKey, SoftwareProvider};
use dossier_crypto::x509::{CertProfile, to_pem};
use dossier_domain::certification::{self, CardApplication, Profile, Subject};
use dossier_domain::ident::Rnokpp;
use dossier_domain::org::Permission;
use dossier_domain::org::UnitKind;
use dossier_domain::person::TaxId;
use dossier_domain::{Invalid, Lang, Message};
use dossier_store::{
    Actor, CertSubject, CrlRecord, IssuedCertificate, NewIssuedCertificate, PersonRecord, RevokedEntry, Store,
    StoreError, Unit,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, Caller};

mod ocsp;
pub use ocsp::{ANSWER_VALIDITY as OCSP_ANSWER_VALIDITY, MAX_REQUEST as MAX_OCSP_REQUEST, OcspAnswer};

/// How long a CRL is valid, and how long before its nextUpdate a fresh one is made.
pub const CRL_VALIDITY: chrono::Duration = chrono::Duration::hours(24);
pub const CRL_RENEW_BEFORE: chrono::Duration = chrono::Duration::hours(12);
/// How long an app server trusts its cached CRL (and OCSP statuses) before
/// asking the database whether another server revoked something.
const CRL_RECHECK: Duration = Duration::from_secs(10);
/// How long the root's revocation list is valid: the root key is offline,
/// so the list is renewed at a key ceremony (`dossier ca arl`), yearly.
pub const ARL_VALIDITY: Duration = Duration::from_secs(365 * 86_400);
/// Wrong PINs before a CA key container blocks. Higher than a card's three:
/// a mistyped `DOSSIER_CA_PIN` must not lock the centre at the first restarts.
pub const CA_PIN_TRIES: u8 = 10;

/// Why the centre refused or failed.
#[derive(Debug)]
pub enum CaError {
    /// The registry checks refused; the fields say why.
    Refused(Invalid),
    /// The input itself is wrong (an unknown reason, no subject …).
    Invalid(Invalid),
    /// The request cannot be used (damaged, or its proof of possession fails).
    BadRequest(Message),
    /// The certificate's state forbids it (e.g. already revoked).
    Conflict(Message),
    /// No such certificate.
    NotFound,
    /// The centre is not set up on this server.
    NotConfigured,
    /// The key files: missing, unreadable, wrong PIN …
    Keys(String),
    Store(StoreError),
    Crypto(CryptoError),
}

impl From<StoreError> for CaError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => CaError::NotFound,
            StoreError::Invalid(inv) => CaError::Invalid(inv),
            other => CaError::Store(other),
        }
    }
}

impl std::fmt::Display for CaError {
    /// Both languages, for the command line.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let both = |m: &Message| format!("{} / {}", m.render(Lang::EN), m.render(Lang::UK));
        match self {
            CaError::Refused(inv) | CaError::Invalid(inv) => {
                let title = match self {
                    CaError::Refused(_) => "certification.refused",
                    _ => "common.validation_failed",
                };
                write!(f, "{}", both(&Message::new(title)))?;
                for e in &inv.0 {
                    write!(f, "\n  {}: {}", e.field, both(&e.message))?;
                }
                Ok(())
            }
            CaError::BadRequest(m) | CaError::Conflict(m) => write!(f, "{}", both(m)),
            CaError::NotFound => write!(f, "{}", both(&Message::new("common.not_found"))),
            CaError::NotConfigured => write!(f, "{}", both(&Message::new("ca.not_configured"))),
            CaError::Keys(e) => write!(f, "CA keys: {e}"),
            CaError::Store(e) => write!(f, "{e}"),
            CaError::Crypto(e) => write!(f, "{}: {e}", both(&Message::new("ca.issue_failed"))),
        }
    }
}

impl std::error::Error for CaError {}

/// The request's own problem, in the catalogue's words.
fn request_error(e: CryptoError) -> CaError {
    match e {
        CryptoError::BadSignature => CaError::BadRequest(Message::new("ca.csr_bad_signature")),
        CryptoError::Unsupported | CryptoError::CurveMismatch => {
            CaError::BadRequest(Message::new("ca.csr_unsupported"))
        }
        CryptoError::Malformed { .. } => CaError::BadRequest(Message::new("ca.csr_malformed")),
        CryptoError::WeakAlgorithm { .. } => CaError::BadRequest(Message::new("ca.csr_weak_algorithm")),
        other => CaError::Crypto(other),
    }
}

// ------------------------------------------------------------- key files ----

/// The centre's folder: PIN containers and certificates.
#[derive(Debug, Clone)]
pub struct CaFiles {
    dir: PathBuf,
}

/// What `dossier ca init` created, to print.
pub struct Created {
    pub centre: CertificationCentre,
    pub root_fingerprint: String,
    pub issuing_fingerprint: String,
}

fn keys_err(what: &Path) -> impl Fn(std::io::Error) -> CaError + '_ {
    move |e| CaError::Keys(format!("{}: {e}", what.display()))
}

impl CaFiles {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        CaFiles { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn root_pem(&self) -> PathBuf {
        self.path("root.pem")
    }

    /// Whether a centre exists here (any of its files).
    pub fn exists(&self) -> bool {
        ["root.key.json", "root.pem", "issuing.key.json", "issuing.pem"].iter().any(|f| self.path(f).exists())
    }

    /// Creates the root and the issuing CA, their keys sealed under `pin`.
    /// Refuses when a centre exists, unless `force` (the old files are then
    /// replaced: certificates it issued no longer chain to the new root).
    ///
    /// `arl_url` is where the root's revocation list will be served
    /// (`BASE/ca/root.crl`): the issuing CA's certificate names it, and the
    /// first list (valid a year) is written as `root.crl` while the root key
    /// is at hand.
    pub fn create(
        &self,
        pin: &str,
        organization: &str,
        force: bool,
        arl_url: Option<&str>,
    ) -> Result<Created, CaError> {
        if self.exists() && !force {
            return Err(CaError::Keys(format!(
                "a certification centre already exists in {} (use --force to replace it)",
                self.dir.display()
            )));
        }
        std::fs::create_dir_all(&self.dir).map_err(keys_err(&self.dir))?;
        let root_key = SoftwareKey::generate(CertificationCentre::ROOT_ALGORITHM).map_err(CaError::Crypto)?;
        let issuing_key = SoftwareKey::generate(CertificationCentre::ISSUING_ALGORITHM).map_err(CaError::Crypto)?;
        let root_box = PinContainer::seal(&root_key, pin, CA_PIN_TRIES).map_err(CaError::Crypto)?;
        let issuing_box = PinContainer::seal(&issuing_key, pin, CA_PIN_TRIES).map_err(CaError::Crypto)?;
        let name = |cn: &str| {
            SubjectName {
                country: "UA".into(),
                organization: Some(organization.to_owned()),
                common_name: cn.to_owned(),
                ..Default::default()
            }
            .to_name()
            .map_err(CaError::Crypto)
        };
        let centre = CertificationCentre::create_with_arl(
            Arc::new(SoftwareProvider),
            Box::new(root_key),
            Box::new(issuing_key),
            name("Dossier Root CA")?,
            name("Dossier Issuing CA")?,
            arl_url,
        )
        .map_err(CaError::Crypto)?;
        write_private(&self.path("root.key.json"), &root_box.to_json())?;
        write_private(&self.path("issuing.key.json"), &issuing_box.to_json())?;
        write_public(&self.root_pem(), &to_pem(centre.root_certificate()).map_err(CaError::Crypto)?)?;
        write_public(&self.path("issuing.pem"), &to_pem(centre.issuing_certificate()).map_err(CaError::Crypto)?)?;
        if let Some(root_key) = centre.root_key() {
            self.write_arl(root_key, centre.root_certificate(), 1)?;
        }
        let fp = |c| dossier_crypto::ca::fingerprint_sha256(c).map_err(CaError::Crypto);
        Ok(Created {
            root_fingerprint: fp(centre.root_certificate())?,
            issuing_fingerprint: fp(centre.issuing_certificate())?,
            centre,
        })
    }

    /// The root's revocation list (DER), as last written.
    pub fn arl(&self) -> Option<Vec<u8>> {
        std::fs::read(self.path("root.crl")).ok()
    }

    /// Signs a new root revocation list with the root key (opened with
    /// `pin`): nothing revoked, valid [`ARL_VALIDITY`]; returns its number.
    pub fn publish_arl(&self, pin: &str) -> Result<u64, CaError> {
        let key = self.open_key("root.key.json", pin)?;
        let root = self.read_cert("root.pem")?;
        // Numbered by the second: increasing without a counter to keep.
        let number = Utc::now().timestamp().unsigned_abs();
        self.write_arl(&key, &root, number)?;
        Ok(number)
    }

    /// Re-certifies the issuing CA's key with the root key (opened with
    /// `pin`) so its certificate names `arl_url` (see
    /// [`CertificationCentre::recertify_issuing`]); the old certificate is
    /// kept beside it as `issuing.<serial>.pem`. `None` when the certificate
    /// already names it. App servers load the new one at their next start.
    pub fn recertify_issuing(&self, pin: &str, arl_url: &str) -> Result<Option<String>, CaError> {
        let issuing = self.read_cert("issuing.pem")?;
        let der = dossier_crypto::ca::certificate_der(&issuing).map_err(CaError::Crypto)?;
        if der.windows(arl_url.len()).any(|w| w == arl_url.as_bytes()) {
            return Ok(None);
        }
        let key = self.open_key("root.key.json", pin)?;
        let root = self.read_cert("root.pem")?;
        let renewed =
            CertificationCentre::recertify_issuing(&key, &root, &issuing, arl_url).map_err(CaError::Crypto)?;
        let kept = self.path(&format!("issuing.{}.pem", dossier_crypto::ca::serial_hex(&issuing).replace(':', "")));
        write_public(&kept, &to_pem(&issuing).map_err(CaError::Crypto)?)?;
        write_public(&self.path("issuing.pem"), &to_pem(&renewed).map_err(CaError::Crypto)?)?;
        dossier_crypto::ca::fingerprint_sha256(&renewed).map(Some).map_err(CaError::Crypto)
    }

    /// Opens a key container of the centre with `pin`; the container's
    /// retry counter is written back whether the PIN was right or not.
    fn open_key(&self, file: &str, pin: &str) -> Result<SoftwareKey, CaError> {
        let key_path = self.path(file);
        let text = std::fs::read_to_string(&key_path).map_err(keys_err(&key_path))?;
        let mut container = PinContainer::from_json(&text).map_err(CaError::Crypto)?;
        let opened = container.open(pin);
        if container.to_json() != text {
            write_private(&key_path, &container.to_json())?;
        }
        opened.map_err(|e| CaError::Keys(format!("{}: {e}", key_path.display())))
    }

    fn read_cert(&self, file: &str) -> Result<Certificate, CaError> {
        let p = self.path(file);
        let bytes = std::fs::read(&p).map_err(keys_err(&p))?;
        certificate_from_pem(&bytes).map_err(|e| CaError::Keys(format!("{}: {e}", p.display())))
    }

    fn write_arl(
        &self,
        root_key: &dyn dossier_crypto::KeyPair,
        root: &Certificate,
        number: u64,
    ) -> Result<(), CaError> {
        let now = std::time::SystemTime::now();
        let arl = CertificationCentre::authority_revocation_list(root_key, root, &[], now, now + ARL_VALIDITY, number)
            .map_err(CaError::Crypto)?;
        let path = self.path("root.crl");
        std::fs::write(&path, arl).map_err(keys_err(&path))
    }

    /// Opens the centre for daily work: the issuing key (the container's
    /// retry counter is written back) and both certificates.
    pub fn open(&self, pin: &str) -> Result<CertificationCentre, CaError> {
        let key = self.open_key("issuing.key.json", pin)?;
        CertificationCentre::open(
            Arc::new(SoftwareProvider),
            self.read_cert("root.pem")?,
            self.read_cert("issuing.pem")?,
            Box::new(key),
        )
        .map_err(|e| CaError::Keys(format!("{}: {e}", self.dir.display())))
    }
}

/// Writes a secret file readable by the owner only, replacing it atomically.
pub fn write_private(path: &Path, content: &str) -> Result<(), CaError> {
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    {
        use std::io::Write;
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let mut f = opts.open(&tmp).map_err(keys_err(&tmp))?;
        f.write_all(content.as_bytes()).map_err(keys_err(&tmp))?;
        f.sync_all().map_err(keys_err(&tmp))?;
    }
    std::fs::rename(&tmp, path).map_err(keys_err(path))
}

fn write_public(path: &Path, content: &str) -> Result<(), CaError> {
    std::fs::write(path, content).map_err(keys_err(path))
}

// ---------------------------------------------------------------- service ----

/// Whom a request names: a person by id or RNOKPP, or an org unit by code or id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SubjectRef {
    Person(String),
    Unit(String),
}

impl SubjectRef {
    /// Exactly one of the two must be given.
    pub fn from_parts(person: Option<&str>, unit: Option<&str>) -> Result<SubjectRef, CaError> {
        let given = |v: Option<&str>| v.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
        match (given(person), given(unit)) {
            (Some(p), None) => Ok(SubjectRef::Person(p)),
            (None, Some(u)) => Ok(SubjectRef::Unit(u)),
            _ => Err(CaError::Invalid(Invalid::one("subject", "ca.subject_required"))),
        }
    }
}

/// A request to certify a key.
#[derive(Debug, Clone)]
pub struct IssueRequest {
    /// PKCS#10, PEM or DER.
    pub csr: Vec<u8>,
    pub profile: Profile,
    pub subject: SubjectRef,
    pub card_application_id: Option<Uuid>,
    /// Days of validity; the profile's default (shortened to the card) if `None`.
    pub validity_days: Option<u32>,
}

/// An issued certificate with its PEM and the issuing CA's (the chain up to the root).
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct IssuedView {
    #[serde(flatten)]
    pub record: IssuedCertificate,
    /// `good`, `revoked` or `expired`.
    pub status: &'static str,
    pub certificate_pem: String,
    pub issuing_ca_pem: String,
}

struct CachedCrl {
    record: CrlRecord,
    checked: Instant,
}

/// The centre in service: the opened issuing CA and the CRL cache.
pub struct Ca {
    centre: CertificationCentre,
    issuing_pem: String,
    root_pem: String,
    crl: tokio::sync::Mutex<Option<CachedCrl>>,
    ocsp: ocsp::OcspService,
    /// The root's revocation list, as `dossier ca init`/`arl` wrote it.
    arl: Option<Vec<u8>>,
}

impl std::fmt::Debug for Ca {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Ca").field("centre", &self.centre).finish()
    }
}

fn to_utc(t: std::time::SystemTime) -> DateTime<Utc> {
    DateTime::<Utc>::from(t)
}

/// Resolves a person by id or RNOKPP.
async fn find_person(store: &dyn Store, r: &str) -> Result<PersonRecord, CaError> {
    let found = match Uuid::parse_str(r) {
        Ok(id) => store.person(id).await?,
        Err(_) => match Rnokpp::parse(r) {
            Ok(rnokpp) => store.person_by_rnokpp(rnokpp.as_str()).await?,
            Err(_) => None,
        },
    };
    found.ok_or_else(|| CaError::Refused(Invalid::one("person", "ca.person_not_found")))
}

/// Resolves an org unit by code or numeric id.
async fn find_unit(store: &dyn Store, r: &str) -> Result<(Unit, Vec<Unit>), CaError> {
    let units = store.units().await?;
    let unit = units
        .iter()
        .find(|u| u.code == r)
        .or_else(|| r.parse::<i64>().ok().and_then(|id| units.iter().find(|u| u.id == id)))
        .cloned()
        .ok_or_else(|| CaError::Refused(Invalid::one("unit", "ca.unit_not_found")))?;
    Ok((unit, units))
}

fn crypto_profile(p: Profile) -> CertProfile {
    match p {
        Profile::QesIdCard => CertProfile::QesIdCard,
        Profile::CardKey => CertProfile::CardKey,
        Profile::AgencyEncryption => CertProfile::AgencyEncryption,
        Profile::DocumentSigning => CertProfile::DocumentSigning,
        Profile::TimeStamping => CertProfile::TimeStamping,
    }
}

/// The subject name the centre writes for a person (ETSI EN 319 412-2): the
/// name from the registry and the semantic identifier `TINUA-<RNOKPP>` (or
/// `PASUA-<passport>` for a person who refused the number).
fn person_name(p: &PersonRecord) -> SubjectName {
    let d = &p.data;
    let serial_number = match &d.tax_id {
        TaxId::Rnokpp { rnokpp } => format!("TINUA-{rnokpp}"),
        // Cyrillic series letters are not printable: spell the passport in
        // the registry's form only as far as PrintableString allows.
        TaxId::ReligiousRefusal { passport } => format!("PASUA-{}", passport.number()),
    };
    SubjectName {
        country: "UA".into(),
        surname: Some(d.name.surname.to_string()),
        given_name: Some(d.name.given.to_string()),
        serial_number: Some(serial_number),
        common_name: d.name.display(),
        ..Default::default()
    }
}

/// The subject name for an org unit (ETSI EN 319 412-3): the unit as common
/// name, the organisation it belongs to (the fund, or the partner bank,
/// personalizer or centre) as organization.
fn unit_name(unit: &Unit, units: &[Unit]) -> SubjectName {
    let org = unit
        .path
        .ids()
        .iter()
        .rev()
        .filter_map(|id| units.iter().find(|u| u.id == *id))
        .find(|u| {
            matches!(
                u.kind,
                UnitKind::CentralFund | UnitKind::Bank | UnitKind::Personalizer | UnitKind::CertificationCentre
            )
        })
        .map(|u| u.name_uk.clone());
    SubjectName {
        country: "UA".into(),
        organization: org.filter(|o| *o != unit.name_uk),
        common_name: unit.name_uk.clone(),
        ..Default::default()
    }
}

impl Ca {
    pub fn new(centre: CertificationCentre) -> Result<Ca, CaError> {
        Ok(Ca {
            issuing_pem: to_pem(centre.issuing_certificate()).map_err(CaError::Crypto)?,
            root_pem: to_pem(centre.root_certificate()).map_err(CaError::Crypto)?,
            centre,
            crl: tokio::sync::Mutex::new(None),
            ocsp: ocsp::OcspService::default(),
            arl: None,
        })
    }

    pub fn root_pem(&self) -> &str {
        &self.root_pem
    }

    /// Serves `arl` as the root's revocation list.
    pub fn with_arl(mut self, arl: Option<Vec<u8>>) -> Self {
        self.arl = arl;
        self
    }

    pub fn arl(&self) -> Option<&[u8]> {
        self.arl.as_deref()
    }

    pub fn issuing_pem(&self) -> &str {
        &self.issuing_pem
    }

    pub fn centre(&self) -> &CertificationCentre {
        &self.centre
    }

    /// Certifies a key: checks the request's proof of possession, resolves
    /// the subject, runs the registry checks (`dossier_domain::certification`),
    /// signs with the profile's extensions and records the certificate (with
    /// its audit entry). Reading the person's facts is audited as an access.
    pub async fn issue(&self, store: &dyn Store, actor: &Actor, req: IssueRequest) -> Result<IssuedView, CaError> {
        self.centre.check_request(&req.csr).map_err(request_error)?;
        let now = Utc::now();
        let today = now.date_naive();
        let card = match req.card_application_id {
            None => None,
            Some(id) => Some(store.certificate(id).await?.ok_or_else(|| {
                CaError::Refused(Invalid::one("card_application_id", "ca.card_application_not_found"))
            })?),
        };
        let (cert_subject, name, days) = match &req.subject {
            SubjectRef::Person(r) => {
                let person = find_person(store, r).await?;
                store
                    .audit(
                        actor,
                        "ca.identify",
                        &format!("person:{}", person.id),
                        json!({"profile": req.profile.as_str(), "card_application_id": req.card_application_id}),
                    )
                    .await?;
                let card_application = card.as_ref().map(|c| CardApplication {
                    of_subject: c.person_id == person.id,
                    stage: c.stage,
                    data: &c.data,
                    expires_on: c.card_expires_on,
                });
                let subject = Subject::Person { person: &person.data, card_application };
                let days = req
                    .validity_days
                    .unwrap_or_else(|| certification::default_validity_days(req.profile, &subject, today));
                certification::check(req.profile, &subject, today, days).map_err(CaError::Refused)?;
                (CertSubject::Person(person.id), person_name(&person), days)
            }
            SubjectRef::Unit(r) => {
                let (unit, units) = find_unit(store, r).await?;
                let subject = Subject::Unit { kind: unit.kind };
                let days = req
                    .validity_days
                    .unwrap_or_else(|| certification::default_validity_days(req.profile, &subject, today));
                certification::check(req.profile, &subject, today, days).map_err(CaError::Refused)?;
                (CertSubject::Unit(unit.id), unit_name(&unit, &units), days)
            }
        };
        let subject_name = name.to_name().map_err(CaError::Crypto)?;
        let serial = random_serial().map_err(CaError::Crypto)?;
        let cert = self
            .centre
            .issue(
                &req.csr,
                crypto_profile(req.profile),
                Some(subject_name.clone()),
                Duration::from_secs(u64::from(days) * 86_400),
                &serial,
            )
            .map_err(request_error)?;
        let (not_before, not_after) = validity(&cert);
        let der = der_of(&cert)?;
        let record = store
            .record_issued_certificate(
                actor,
                NewIssuedCertificate {
                    serial: serial_hex(&cert),
                    profile: req.profile,
                    subject: cert_subject,
                    card_application_id: req.card_application_id.filter(|_| req.profile == Profile::CardKey),
                    subject_name: subject_name.to_string(),
                    not_before: to_utc(not_before),
                    not_after: to_utc(not_after),
                    der,
                },
            )
            .await?;
        self.view(record)
    }

    /// A recorded certificate with its PEM and status.
    pub fn view(&self, record: IssuedCertificate) -> Result<IssuedView, CaError> {
        let cert = certificate_from_pem(&record.der).map_err(|_| CaError::Store(StoreError::corrupt("certificate")))?;
        let status = if record.revoked_at.is_some() {
            "revoked"
        } else if record.not_after < Utc::now() {
            "expired"
        } else {
            "good"
        };
        Ok(IssuedView {
            status,
            certificate_pem: to_pem(&cert).map_err(CaError::Crypto)?,
            issuing_ca_pem: self.issuing_pem.clone(),
            record,
        })
    }

    /// Revokes a certificate; the next CRL request publishes a new CRL.
    pub async fn revoke(
        &self,
        store: &dyn Store,
        actor: &Actor,
        serial: &str,
        reason: &str,
    ) -> Result<IssuedView, CaError> {
        let record = record_revocation(store, actor, serial, reason).await?;
        *self.crl.lock().await = None;
        self.ocsp.forget();
        self.view(record)
    }

    /// The current CRL (DER): the latest published one while it lists every
    /// revocation and is not due for renewal; otherwise a new one is signed,
    /// numbered and published for every app server.
    pub async fn crl(&self, store: &dyn Store) -> Result<CrlRecord, CaError> {
        let mut cache = self.crl.lock().await;
        let now = Utc::now();
        if let Some(c) = cache.as_ref()
            && c.checked.elapsed() < CRL_RECHECK
            && now + CRL_RENEW_BEFORE < c.record.next_update
        {
            return Ok(c.record.clone());
        }
        let state = store.crl_state().await?;
        let record = match state.current(now, CRL_RENEW_BEFORE) {
            Some(c) => c.clone(),
            None => self.sign_crl(store, now, Some(CRL_RENEW_BEFORE)).await?,
        };
        *cache = Some(CachedCrl { record: record.clone(), checked: Instant::now() });
        Ok(record)
    }

    /// Signs and publishes a new CRL now (`dossier ca crl`).
    pub async fn publish_crl(&self, store: &dyn Store, now: DateTime<Utc>) -> Result<CrlRecord, CaError> {
        self.sign_crl(store, now, None).await
    }

    /// Publishes a CRL, or with `unless_current` keeps the latest while it is current.
    async fn sign_crl(
        &self,
        store: &dyn Store,
        now: DateTime<Utc>,
        unless_current: Option<chrono::Duration>,
    ) -> Result<CrlRecord, CaError> {
        let centre = &self.centre;
        let next = now + CRL_VALIDITY;
        let sign = move |number: i64, entries: &[RevokedEntry]| -> Result<Vec<u8>, String> {
            let mut revoked = Vec::with_capacity(entries.len());
            for e in entries {
                revoked.push(Revoked {
                    serial: serial_from_hex(&e.serial).ok_or_else(|| format!("stored serial {:?}", e.serial))?,
                    at: e.revoked_at.into(),
                    reason: RevocationReason::parse(&e.reason).unwrap_or(RevocationReason::Unspecified),
                });
            }
            let number = u64::try_from(number).map_err(|_| "CRL number".to_owned())?;
            centre.crl(&revoked, now.into(), next.into(), number).map_err(|e| e.to_string())
        };
        Ok(store.publish_crl(&Actor::system("ca"), now, next, &sign, unless_current).await?)
    }
}

/// Records a revocation (no CA key needed: the CRL is signed later).
pub async fn record_revocation(
    store: &dyn Store,
    actor: &Actor,
    serial: &str,
    reason: &str,
) -> Result<IssuedCertificate, CaError> {
    let reason = RevocationReason::parse(reason).ok_or_else(|| {
        let m = if reason.trim().is_empty() {
            Message::new("common.required")
        } else {
            Message::new("common.unknown_value").with("value", reason.trim())
        };
        CaError::Invalid(Invalid::one("reason", m))
    })?;
    serial_from_hex(serial).ok_or(CaError::NotFound)?;
    store.revoke_certificate(actor, serial, reason.as_str(), Utc::now()).await.map_err(|e| match e {
        StoreError::Conflict(m) => CaError::Conflict(m),
        other => other.into(),
    })
}

fn der_of(cert: &dossier_crypto::ca::Certificate) -> Result<Vec<u8>, CaError> {
    dossier_crypto::ca::certificate_der(cert).map_err(CaError::Crypto)
}

impl From<CaError> for AppError {
    fn from(e: CaError) -> Self {
        match e {
            CaError::Refused(inv) => AppError {
                fields: inv.0,
                ..AppError::new(ErrorKind::Invalid, "certification_refused", "certification.refused")
            },
            CaError::Invalid(inv) => AppError::invalid(inv),
            CaError::Conflict(m) => AppError::conflict(m),
            CaError::BadRequest(m) => AppError::new(ErrorKind::Invalid, "csr_rejected", m),
            CaError::NotFound => AppError::not_found(),
            CaError::NotConfigured => AppError::new(ErrorKind::Unavailable, "ca_unavailable", "ca.not_configured"),
            CaError::Store(s) => AppError::from(s),
            other => {
                // Key files and signing: nothing of the request is logged.
                tracing::error!(error = %other, "certification centre failure");
                AppError::internal()
            }
        }
    }
}

// ---- use cases ----

/// The centre on this server, or why there is none.
fn centre(app: &App) -> AppResult<&Ca> {
    app.ca.as_deref().ok_or_else(|| CaError::NotConfigured.into())
}

/// The issuing CA's current CRL (DER), for relying parties: no sign-in.
pub async fn crl(app: &App) -> AppResult<CrlRecord> {
    Ok(centre(app)?.crl(app.store.as_ref()).await?)
}

/// The centre's OCSP answer (DER `OCSPResponse`) to a request (DER): no
/// sign-in, as a responder answers anyone; without a centre on this server
/// the answer is `unauthorized` (RFC 6960 §2.3).
pub async fn ocsp(app: &App, request: &[u8]) -> OcspAnswer {
    match app.ca.as_deref() {
        Some(ca) => ca.ocsp.answer(&ca.centre, app.store.as_ref(), request).await,
        None => OcspAnswer::refused(dossier_crypto::ocsp::ResponseStatus::Unauthorized),
    }
}

/// The root's revocation list (DER), for relying parties: no sign-in.
pub fn arl(app: &App) -> AppResult<Vec<u8>> {
    centre(app)?.arl().map(<[u8]>::to_vec).ok_or_else(AppError::not_found)
}

/// The trust anchor (PEM), for relying parties.
pub fn root_pem(app: &App) -> AppResult<String> {
    Ok(centre(app)?.root_pem().to_owned())
}

/// The intermediate (PEM), for building chains.
pub fn issuing_pem(app: &App) -> AppResult<String> {
    Ok(centre(app)?.issuing_pem().to_owned())
}

/// What a CA operator asks to certify.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct IssueBody {
    /// PKCS#10 request, PEM, signed by the key to certify.
    pub csr: String,
    /// What the certificate is for: a person's keys (`qes-id-card`, `card-key`) or an org unit's.
    #[schemars(extend("enum" = ["qes-id-card", "card-key", "agency-encryption", "document-signing", "time-stamping"]))]
    pub profile: String,
    /// Person: id or RNOKPP (person profiles).
    pub person: Option<String>,
    /// Org unit: code or id (unit profiles).
    pub unit: Option<String>,
    /// The card application whose keys these are (`card-key`).
    pub card_application_id: Option<String>,
    /// Days the certificate is valid (default and maximum: the profile's).
    pub validity_days: Option<u32>,
}

/// Certifies the key of a request; every problem of the request is named at once.
pub async fn issue(app: &App, caller: &Caller, body: IssueBody) -> AppResult<IssuedView> {
    caller.require(Permission::IssueCertificate)?;
    let ca = centre(app)?;
    let mut errs = Invalid::default();
    if body.csr.trim().is_empty() {
        errs.push("csr", "common.required");
    }
    let profile = errs.check("profile", Profile::parse(&body.profile));
    let card_application_id = match body.card_application_id.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => match Uuid::parse_str(s) {
            Ok(id) => Some(id),
            Err(_) => {
                errs.push("card_application_id", "ca.card_application_not_found");
                None
            }
        },
    };
    let subject = match SubjectRef::from_parts(body.person.as_deref(), body.unit.as_deref()) {
        Ok(s) => Some(s),
        Err(CaError::Invalid(inv)) => {
            errs.0.extend(inv.0);
            None
        }
        Err(e) => return Err(e.into()),
    };
    let (Some(profile), Some(subject), true) = (profile, subject, errs.is_empty()) else {
        return Err(AppError::invalid(errs));
    };
    let req = IssueRequest {
        csr: body.csr.into_bytes(),
        profile,
        subject,
        card_application_id,
        validity_days: body.validity_days,
    };
    Ok(ca.issue(app.store.as_ref(), &caller.actor(), req).await?)
}

/// A certificate by serial, with its status.
pub async fn get(app: &App, caller: &Caller, serial: &str) -> AppResult<IssuedView> {
    caller.require(Permission::ReadCertificate)?;
    let ca = centre(app)?;
    if serial_from_hex(serial).is_none() {
        return Err(AppError::not_found());
    }
    let record = app.store.issued_certificate(serial).await?.ok_or_else(AppError::not_found)?;
    Ok(ca.view(record)?)
}

/// Revokes a certificate; the next CRL lists it.
pub async fn revoke(app: &App, caller: &Caller, serial: &str, reason: &str) -> AppResult<IssuedView> {
    caller.require(Permission::RevokeCertificate)?;
    Ok(centre(app)?.revoke(app.store.as_ref(), &caller.actor(), serial, reason).await?)
}
