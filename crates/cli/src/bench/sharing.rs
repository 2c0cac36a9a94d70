//! Document-sharing benchmarks (issue 4; `bench/sharing.sh` runs them):
//! * `intake`: packages decrypted, verified (two CMS signatures + the PAdES
//!   copy), matched and stored per second — in process, on a fresh SQLite
//!   store, over packages the hub's own code formed before the clock starts;
//!   optionally writes the packages and the branch key for the OpenSSL peer.
//! * `hub`: a running hub's code issuance and document-request handling over
//!   HTTP, requests per second and latency.
//! * `flow`: a running demo's time from the specialist's submit to the stored
//!   copy, without the citizen's think time.
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail, ensure};
use chrono::Utc;
use dossier_app::intake::{BranchKey, Intake, IntakeConfig};
use dossier_app::{App, AppConfig};
use dossier_crypto::container::PinContainer;
use dossier_crypto::testing::TestPki;
use dossier_crypto::x509::{CertProfile, to_pem};
use dossier_domain::sharing::{DocumentType, SharingCode};
use dossier_hub::HubKeys;
use dossier_hub::delivery::{copy_of, kyiv_time, seal_copy};
use dossier_hub::store::HubDocument;
use dossier_sharing::package::Package;
use dossier_sharing::wire::{Metadata, Recipient};
use dossier_store::blobs::{BlobStore, MasterKey};
use dossier_store::{Actor, NewSharingRequest, SharingBranch, SqlStore};
use dossier_store::{Intake as _, People as _};
use futures::StreamExt;
use serde_json::{Value, json};
use uuid::Uuid;

use super::Figures;

const BRANCH: &str = "bench-branch";
const RNOKPP: &str = "1759013776";

/// Runs the intake benchmark over `count` packages with `concurrency` tasks.
/// With `export`, writes `N.pdf.p7e`/`N.meta.p7e`, the branch certificate
/// and key (PKCS#8 encrypted under PIN 1234) and the CA root there.
pub async fn intake(count: usize, concurrency: usize, export: Option<&Path>) -> Result<Figures> {
    let dir = tempfile_dir()?;
    let store = SqlStore::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
    let sys = Actor::system("bench");
    let d = super::one_district(&store, &sys).await?;
    let person = dossier_domain::person::PersonInput {
        rnokpp: Some(RNOKPP.into()),
        surname: "Шевченко".into(),
        given_name: "Тарас".into(),
        birth_date: "1948-02-28".into(),
        sex: "male".into(),
        ..Default::default()
    }
    .validate(Utc::now().date_naive())
    .map_err(|e| anyhow!("{e:?}"))?;
    store.create_person(&sys, d.id, &person).await?;
    let branch = SharingBranch {
        unit_id: d.id,
        branch_id: BRANCH.into(),
        name: "D".into(),
        scopes: DocumentType::ALL.to_vec(),
        registered_at: Utc::now(),
    };
    store.save_sharing_branch(&sys, &branch).await?;

    let pki = TestPki::new()?;
    let hub = pki.party("Bench hub", CertProfile::DocumentSigning)?;
    let branch_party = pki.party("Bench branch", CertProfile::AgencyEncryption)?;
    let hub_certificate = hub.certificate.clone();
    let branch_certificate = branch_party.certificate.clone();
    if let Some(out) = export {
        std::fs::create_dir_all(out)?;
        std::fs::write(out.join("branch.pem"), to_pem(&branch_party.certificate)?)?;
        let sealed = PinContainer::seal_with_iterations(&branch_party.key, "1234", 3, 1000)?;
        std::fs::write(out.join("branch.sealed.pem"), &sealed.encrypted_pkcs8_pem)?;
        std::fs::write(out.join("root.pem"), to_pem(&pki.root.certificate)?)?;
    }
    let mut keys = HashMap::new();
    keys.insert(d.id, BranchKey { certificate: branch_party.certificate, key: Arc::new(branch_party.key) });
    let config = IntakeConfig {
        hub_url: "http://127.0.0.1:9".into(),
        acquirer_id: "pfu".into(),
        token: "unused".into(),
        hub_certificate,
        public_url: None,
        poll_interval: Duration::from_secs(3600),
    };
    let intake = Arc::new(Intake::new(config, keys).map_err(|e| anyhow!(e))?);
    let blobs = BlobStore::local(&dir.join("blobs"), MasterKey::generate()).map_err(|e| anyhow!("{e}"))?;
    let store = Arc::new(store);
    let app = App::new(store.clone(), blobs, AppConfig::default())
        .await?
        .with_trust(dossier_app::trust::TrustServices::new(pki.trust(), None))
        .with_intake(intake.clone());
    let app = Arc::new(app);

    // The packages, formed by the hub's own code (render, PAdES, seal) before the clock starts.
    let hub_keys = Arc::new(HubKeys {
        signing_key: hub.key,
        signing_certificate: hub.certificate,
        chain: pki.chain(),
        trust: pki.trust(),
        login: dossier_hub::login::LoginKeys::new(
            dossier_crypto::software::SoftwareKey::generate(dossier_crypto::Algorithm::EcP256)?,
            vec![],
        )?
        .into(),
    });
    let mut requests = Vec::with_capacity(count);
    for _ in 0..count {
        let barcode = SharingCode::from_random(rand::random::<u8>).to_string();
        let req = NewSharingRequest {
            id: Uuid::new_v4(),
            barcode,
            branch_id: BRANCH.into(),
            unit_id: d.id,
            document_type: DocumentType::TaxpayerCard,
            account_id: None,
            next_check_at: chrono::Utc::now(),
        };
        store.create_sharing_request(&sys, &req).await?;
        requests.push(req);
    }
    print!("forming {count} packages… ");
    let t = Instant::now();
    let formed = form_packages(hub_keys, &branch_certificate, &requests).await?;
    let bytes = formed.iter().map(|(_, p)| p.file.len() + p.metadata.len()).sum::<usize>() / formed.len().max(1);
    // bench/intake-callgrind.sh starts counting at the end of this line.
    println!("{:.1} s", t.elapsed().as_secs_f64());
    println!("{bytes} bytes a package (file and metadata, encrypted)");
    if let Some(out) = export {
        for (i, (_, p)) in formed.iter().enumerate() {
            std::fs::write(out.join(format!("{i}.pdf.p7e")), &p.file)?;
            std::fs::write(out.join(format!("{i}.meta.p7e")), &p.metadata)?;
        }
    }

    let queue = Arc::new(std::sync::Mutex::new(formed));
    let start = Instant::now();
    let mut tasks = vec![];
    for _ in 0..concurrency {
        let (app, queue) = (app.clone(), queue.clone());
        tasks.push(tokio::spawn(async move {
            let mut lat = vec![];
            loop {
                let next = queue.lock().map_err(|_| anyhow!("poisoned"))?.pop();
                let Some((id, package)) = next else { break };
                let t0 = Instant::now();
                let got = dossier_app::intake::deliver(&app, Some(&id.to_string()), package)
                    .await
                    .map_err(|e| anyhow!("delivery refused: {e}"))?;
                ensure!(got.created && got.person_id.is_some(), "the copy was not stored and matched");
                lat.push(t0.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    let figures = Figures::from(all, start.elapsed().as_secs_f64());
    let _ = std::fs::remove_dir_all(&dir);
    Ok(figures)
}

/// `dossier bench deliveries-seed`: what a hub would deliver to this fund.
/// In the configured store (seeded by `dossier demo --seed-only` and `dossier
/// hub seed-demo`): a branch for the first unit with an agency-encryption
/// key, and `count` of its requests approved by the citizen (not polled again
/// for an hour). In `out`: each request's package formed by the hub's code
/// with the demo hub's keys, as `N.file`, `N.meta`, `N.name` and `N.request`
/// (the trace id), for a test to deliver as the hub does.
pub async fn seed_deliveries(cfg: &crate::config::Config, count: usize, out: &Path) -> Result<()> {
    let (store, _) = crate::storage::open(cfg).await?;
    let sys = Actor::system("bench");
    let keys = crate::hub::load_keys(&crate::hub::keys_dir(cfg), &crate::hub::hub_pin())?;
    let mut branch_certificate = None;
    for unit in store.units().await? {
        let (key, cert) = crate::sharing::key_files(cfg, &unit.code);
        if key.exists() && cert.exists() {
            let pem = std::fs::read(&cert)?;
            let certificate = dossier_crypto::ca::certificate_from_pem(&pem).map_err(|e| anyhow!("{e}"))?;
            branch_certificate = Some((unit, certificate));
            break;
        }
    }
    let (unit, certificate) =
        branch_certificate.context("no unit has an agency-encryption key: run `dossier demo --seed-only` first")?;
    let branch = SharingBranch {
        unit_id: unit.id,
        branch_id: BRANCH.into(),
        name: unit.code.clone(),
        scopes: DocumentType::ALL.to_vec(),
        registered_at: Utc::now(),
    };
    store.save_sharing_branch(&sys, &branch).await?;
    let mut requests = Vec::with_capacity(count);
    for _ in 0..count {
        let req = NewSharingRequest {
            id: Uuid::new_v4(),
            barcode: SharingCode::from_random(rand::random::<u8>).to_string(),
            branch_id: BRANCH.into(),
            unit_id: unit.id,
            document_type: DocumentType::TaxpayerCard,
            account_id: None,
            // Approved below: no server's worker is to send it meanwhile.
            next_check_at: Utc::now() + chrono::Duration::hours(1),
        };
        let created = store.create_sharing_request(&sys, &req).await?;
        let approved = dossier_store::SharingUpdate {
            status: dossier_domain::intake::IntakeStatus::Approved,
            last_error: None,
            hub_attempts: 0,
            next_check_at: Utc::now() + chrono::Duration::hours(1),
        };
        store.update_sharing_request(&sys, req.id, created.status, &approved).await?;
        requests.push(req);
    }
    let formed = form_packages(Arc::new(keys), &certificate, &requests).await?;
    std::fs::create_dir_all(out)?;
    for (i, (id, p)) in formed.iter().enumerate() {
        std::fs::write(out.join(format!("{i}.file")), &p.file)?;
        std::fs::write(out.join(format!("{i}.meta")), &p.metadata)?;
        std::fs::write(out.join(format!("{i}.request")), id.to_string())?;
        std::fs::write(out.join(format!("{i}.name")), &p.file_name)?;
    }
    println!("{count} packages for unit {} written to {}", unit.code, out.display());
    Ok(())
}

/// `dossier bench deliver`: posts the packages [`seed_deliveries`] wrote to
/// `from` to the fund at `to`, `in_flight` at once, as the hub does: each
/// resent after a pause until the fund acknowledges it; a refusal (4xx)
/// stops the run. The latency is the acknowledged attempt's.
pub async fn deliver(from: &Path, to: &str, in_flight: usize) -> Result<Figures> {
    let read = |i: usize, ext: &str| std::fs::read(from.join(format!("{i}.{ext}")));
    let mut packages = Vec::new();
    while from.join(format!("{}.request", packages.len())).exists() {
        let i = packages.len();
        let text = |ext| -> Result<String> { Ok(String::from_utf8(read(i, ext)?)?) };
        packages.push((
            text("request")?,
            Package { file_name: text("name")?, file: read(i, "file")?, metadata: read(i, "meta")? },
        ));
    }
    ensure!(!packages.is_empty(), "no packages in {}: run `dossier bench deliveries-seed` first", from.display());
    let http = reqwest::Client::new();
    let start = Instant::now();
    let latencies = futures::stream::iter(packages)
        .map(|(request, package)| {
            let http = &http;
            async move {
                loop {
                    let t = Instant::now();
                    match dossier_sharing::client::deliver(http, to, &request, package.clone(), Duration::from_secs(60))
                        .await
                    {
                        Ok(()) => return Ok(t.elapsed()),
                        Err(e) if e.contains("HTTP 4") => bail!("package {request} refused: {e}"),
                        Err(_) => tokio::time::sleep(Duration::from_millis(250)).await,
                    }
                }
            }
        })
        .buffer_unordered(in_flight.max(1))
        .collect::<Vec<Result<Duration>>>()
        .await;
    let secs = start.elapsed().as_secs_f64();
    Ok(Figures::from(latencies.into_iter().collect::<Result<_>>()?, secs))
}

fn tempfile_dir() -> Result<std::path::PathBuf> {
    let dir = std::env::temp_dir().join(format!("dossier-bench-{}", Uuid::new_v4()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

/// Forms one package per request on the blocking pool, as the hub does.
async fn form_packages(
    keys: Arc<HubKeys>,
    branch_certificate: &x509_cert::Certificate,
    requests: &[NewSharingRequest],
) -> Result<Vec<(Uuid, Package)>> {
    let data = json!({"creationDate": "01.02.2010", "docNumber": RNOKPP, "lastNameUA": "Шевченко",
                      "firstNameUA": "Тарас", "middleNameUA": "Григорович", "birthday": "28.02.1948"});
    let document = HubDocument {
        id: Uuid::new_v4(),
        citizen_id: Uuid::new_v4(),
        document_type: DocumentType::TaxpayerCard,
        data: data.clone(),
        registry_signature: vec![],
        issued_at: Utc::now(),
    };
    let recipient = Recipient {
        acquirer_id: "pfu".into(),
        acquirer_name: "Пенсійний фонд України".into(),
        branch_id: BRANCH.into(),
        branch_name: "Управління в Шевченківському районі м. Києва".into(),
    };
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    let chunks: Vec<Vec<NewSharingRequest>> =
        requests.chunks(requests.len().div_ceil(workers).max(1)).map(<[_]>::to_vec).collect();
    let mut tasks = vec![];
    for chunk in chunks {
        let (keys, cert, document, recipient, data) =
            (keys.clone(), branch_certificate.clone(), document.clone(), recipient.clone(), data.clone());
        tasks.push(tokio::task::spawn_blocking(move || -> Result<Vec<(Uuid, Package)>> {
            let mut out = vec![];
            for req in chunk {
                let now = Utc::now();
                let local = kyiv_time(now);
                let formed_local = local.format("%d.%m.%Y %H:%M:%S").to_string();
                let mut map = serde_json::Map::new();
                map.insert(DocumentType::TaxpayerCard.code().into(), data.clone());
                let metadata = Metadata {
                    request_id: req.id.to_string(),
                    barcode: req.barcode.clone(),
                    document_types: vec![DocumentType::TaxpayerCard],
                    data: map,
                    recipient: recipient.clone(),
                    formed_at: now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                    formed_at_local: formed_local.clone(),
                    consent: None,
                };
                let copy = copy_of(&document, &recipient, &formed_local, &metadata.request_id);
                out.push((req.id, seal_copy(&keys, &copy, local, &metadata, &cert).map_err(|e| anyhow!(e))?));
            }
            Ok(out)
        }));
    }
    let mut all = vec![];
    for t in tasks {
        all.extend(t.await??);
    }
    Ok(all)
}

/// A small JSON client for the running hub and fund.
struct Http {
    client: reqwest::Client,
}

impl Http {
    fn new() -> Result<Http> {
        Ok(Http { client: reqwest::Client::builder().timeout(Duration::from_secs(30)).build()? })
    }

    async fn send(&self, req: reqwest::RequestBuilder) -> Result<Value> {
        let resp = req.send().await?;
        let status = resp.status();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        ensure!(status.is_success(), "HTTP {status}: {body}");
        Ok(body)
    }
}

/// Wallet session tokens for `logins` (demo password).
async fn wallet_tokens(http: &Http, hub: &str, logins: &[String], password: &str) -> Result<Vec<String>> {
    let mut tokens = vec![];
    for login in logins {
        let v = http
            .send(
                http.client
                    .post(format!("{hub}/wallet/api/login"))
                    .json(&json!({"login": login, "password": password})),
            )
            .await
            .with_context(|| format!("wallet login {login}"))?;
        tokens.push(v["token"].as_str().context("no wallet token")?.to_owned());
    }
    ensure!(!tokens.is_empty(), "no wallet logins given");
    Ok(tokens)
}

/// The hub benchmark: registers a branch for the acquirer `token`, then for
/// `seconds` issues codes from `concurrency` tasks (wallet API), then spends
/// them on document requests from `concurrency` tasks (acquirer API).
pub async fn hub(
    hub: &str,
    token: &str,
    certificate_pem: &Path,
    logins: &[String],
    password: &str,
    seconds: u64,
    concurrency: usize,
) -> Result<(Figures, Figures)> {
    let http = Arc::new(Http::new()?);
    let pem = std::fs::read_to_string(certificate_pem).with_context(|| format!("{}", certificate_pem.display()))?;
    let branch = http
        .send(http.client.post(format!("{hub}/api/v1/acquirers/branch")).bearer_auth(token).json(&json!({
            "name": "Bench branch", "address": "", "scopes": ["taxpayer-card"], "encryptionCertificate": pem})))
        .await?;
    let branch = branch["_id"].as_str().context("no branch id")?.to_owned();
    let wallets = Arc::new(wallet_tokens(&http, hub, logins, password).await?);

    let deadline = Instant::now() + Duration::from_secs(seconds);
    let start = Instant::now();
    let mut tasks = vec![];
    for t in 0..concurrency {
        let (http, wallets, hub) = (http.clone(), wallets.clone(), hub.to_owned());
        tasks.push(tokio::spawn(async move {
            let (mut lat, mut codes) = (vec![], vec![]);
            let mut i = t;
            while Instant::now() < deadline {
                let t0 = Instant::now();
                let v = http
                    .send(
                        http.client
                            .post(format!("{hub}/wallet/api/codes"))
                            .bearer_auth(&wallets[i % wallets.len()])
                            .json(&json!({"documentType": "taxpayer-card"})),
                    )
                    .await?;
                lat.push(t0.elapsed());
                codes.push(v["code"].as_str().context("no code")?.to_owned());
                i += concurrency;
            }
            Ok::<_, anyhow::Error>((lat, codes))
        }));
    }
    let (mut lat, mut codes) = (vec![], vec![]);
    for t in tasks {
        let (l, c) = t.await??;
        lat.extend(l);
        codes.extend(c);
    }
    let issuance = Figures::from(lat, start.elapsed().as_secs_f64());

    let queue = Arc::new(std::sync::Mutex::new(codes));
    let start = Instant::now();
    let mut tasks = vec![];
    for _ in 0..concurrency {
        let (http, queue, hub, branch, token) =
            (http.clone(), queue.clone(), hub.to_owned(), branch.clone(), token.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut lat = vec![];
            loop {
                let next = queue.lock().map_err(|_| anyhow!("poisoned"))?.pop();
                let Some(code) = next else { break };
                let t0 = Instant::now();
                let v = http
                    .send(
                        http.client.post(format!("{hub}/api/v1/acquirers/document-request")).bearer_auth(&token).json(
                            &json!({"branchId": branch, "barcode": code, "requestId": Uuid::new_v4().to_string()}),
                        ),
                    )
                    .await?;
                ensure!(v["success"] == true, "document request refused: {v}");
                lat.push(t0.elapsed());
            }
            Ok::<_, anyhow::Error>(lat)
        }));
    }
    let mut lat = vec![];
    for t in tasks {
        lat.extend(t.await??);
    }
    Ok((issuance, Figures::from(lat, start.elapsed().as_secs_f64())))
}

/// Per share: (submit → the fund's answer) + (approval sent → copy stored),
/// and the two parts. The wallet reads its request list in between (the
/// citizen's side, not counted).
pub struct FlowFigures {
    pub total: Figures,
    pub submit: Figures,
    /// The approval call alone: opening the PIN container and signing the consent.
    pub approve: Figures,
    pub approve_to_stored: Figures,
}

/// The flow benchmark against a running demo: `count` shares one after the
/// other, by the specialist `staff` and the wallet `logins`.
#[allow(clippy::too_many_arguments)]
pub async fn flow(
    fund: &str,
    hub: &str,
    staff: &str,
    staff_password: &str,
    logins: &[String],
    password: &str,
    pin: &str,
    count: usize,
) -> Result<FlowFigures> {
    let http = Http::new()?;
    let resp = http
        .client
        .post(format!("{fund}/api/v1/auth/login"))
        .json(&json!({"login": staff, "password": staff_password}))
        .send()
        .await?;
    ensure!(resp.status().is_success(), "staff login refused: {}", resp.status());
    let cookie = resp
        .headers()
        .get("set-cookie")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .context("no session cookie")?
        .to_owned();
    let csrf = resp.json::<Value>().await?["csrf"].as_str().context("no csrf")?.to_owned();
    let fund_req = |m: reqwest::Method, path: &str| {
        http.client.request(m, format!("{fund}{path}")).header("cookie", &cookie).header("x-csrf-token", &csrf)
    };
    let wallets = wallet_tokens(&http, hub, logins, password).await?;

    let (mut total, mut submit, mut approve, mut delivered) = (vec![], vec![], vec![], vec![]);
    let start = Instant::now();
    for i in 0..count {
        let wallet = &wallets[i % wallets.len()];
        let code = http
            .send(
                http.client
                    .post(format!("{hub}/wallet/api/codes"))
                    .bearer_auth(wallet)
                    .json(&json!({"documentType": "taxpayer-card"})),
            )
            .await?;
        let t0 = Instant::now();
        let v = http
            .send(
                fund_req(reqwest::Method::POST, "/api/v1/sharing/requests")
                    .json(&json!({"barcode": code["code"], "documentType": "taxpayer-card"})),
            )
            .await?;
        let submitted = t0.elapsed();
        ensure!(v["status"] == "waiting_consent", "request not accepted: {v}");
        let id = v["id"].as_str().context("no request id")?.to_owned();
        let list = http.send(http.client.get(format!("{hub}/wallet/api/requests")).bearer_auth(wallet)).await?;
        let hub_id = list
            .as_array()
            .and_then(|l| l.iter().find(|r| r["status"] == "waiting_consent"))
            .and_then(|r| r["id"].as_str())
            .context("the wallet sees no request")?
            .to_owned();
        let t1 = Instant::now();
        http.send(
            http.client
                .post(format!("{hub}/wallet/api/requests/{hub_id}/approve"))
                .bearer_auth(wallet)
                .json(&json!({"pin": pin})),
        )
        .await?;
        approve.push(t1.elapsed());
        loop {
            let v = http.send(fund_req(reqwest::Method::GET, &format!("/api/v1/sharing/requests/{id}"))).await?;
            match v["status"].as_str() {
                Some("delivered") => break,
                Some("approved" | "waiting_consent") => tokio::time::sleep(Duration::from_millis(2)).await,
                other => bail!("request ended {other:?}: {v}"),
            }
        }
        let stored = t1.elapsed();
        submit.push(submitted);
        delivered.push(stored);
        total.push(submitted + stored);
    }
    let secs = start.elapsed().as_secs_f64();
    Ok(FlowFigures {
        total: Figures::from(total, secs),
        submit: Figures::from(submit, secs),
        approve: Figures::from(approve, secs),
        approve_to_stored: Figures::from(delivered, secs),
    })
}
