//! `dossier serve` and `dossier demo`: the composition root that builds the
//! fund's service from configuration — store, keys, certification centre,
//! trust services, the intake — and serves it (with the demo, the hub too).
use std::sync::Arc;

use anyhow::{Context, Result};
use dossier_app::App;

use crate::config::Config;

/// Serves the fund. With `demo`, seeds the demo data and runs the hub and the
/// wallet in the same process (on `hub_listen`), wired to this fund.
pub async fn serve(mut cfg: Config, demo: bool, hub_listen: Option<&str>) -> Result<()> {
    let (store, blobs) = crate::storage::open(&cfg).await?;
    let logins = if demo { crate::demo::seed(store.as_ref(), &blobs).await? } else { None };
    // Bound first: the demo hub needs this fund's address to deliver to, and
    // the demo centre names it in certificates as where their status is.
    let listener =
        tokio::net::TcpListener::bind(&cfg.listen).await.with_context(|| format!("binding {}", cfg.listen))?;
    let addr = listener.local_addr()?;
    let fund_url = format!("http://{addr}");
    if demo && cfg.ca_public_url.is_none() {
        cfg.ca_public_url = Some(fund_url.clone());
    }
    let ca = if demo { Some(crate::ca::seed_demo(store.as_ref(), &cfg).await?) } else { crate::ca::load(&cfg)? };
    if demo {
        crate::demo::print_logins(logins.as_deref());
        let (sharing, hub_url) =
            crate::hub::start_demo(&cfg, hub_listen.unwrap_or(crate::hub::DEMO_HUB_LISTEN), &fund_url).await?;
        println!("Dossier hub is listening on {hub_url}/  (wallet: {hub_url}/wallet)");
        // The demo's citizens sign in through the hub, as the fund's acquirer there.
        if cfg.citizen_login.is_none()
            && let Some((client_id, secret)) = sharing.token.expose().split_once('.')
        {
            cfg.citizen_login = Some(crate::config::CitizenLogin {
                issuer: hub_url.clone(),
                client_id: client_id.to_owned(),
                client_secret: crate::config::Secret::new(secret.to_owned()),
            });
        }
        cfg.sharing = Some(sharing);
    }
    if demo {
        crate::notify::demo_defaults(&mut cfg);
        crate::digitization::demo_defaults(&mut cfg);
    }
    // Receipts carry a QR code of their status link at the fund's public address.
    cfg.app.public_url = Some(cfg.public_url.clone().unwrap_or_else(|| fund_url.clone()));
    let notifier = crate::notify::notifier(&cfg, &blobs, &fund_url)?;
    let mut app = assemble(&cfg, store.clone(), blobs, ca, demo).await?;
    let intake = crate::sharing::intake(&cfg, store.as_ref(), demo).await?;
    if let Some(intake) = &intake {
        app = app.with_intake(intake.clone());
    }
    if let Some(n) = notifier {
        app = app.with_notifier(n);
    }
    if let Some(d) = &cfg.digitization {
        app = app.with_digitization(crate::digitization::settings(d)?);
    }
    if let (Some(l), Some(public)) = (&cfg.citizen_login, &cfg.app.public_url) {
        app = app.with_citizen_login(dossier_app::account::login::CitizenLoginSettings {
            issuer: l.issuer.clone(),
            client_id: l.client_id.clone(),
            client_secret: l.client_secret.expose().to_owned(),
            redirect_uri: format!("{public}{}", dossier_server::CITIZEN_CALLBACK),
        });
    }
    let app = Arc::new(app);
    if let Some(d) = &cfg.digitization {
        crate::digitization::spawn_workers(&app, d)?;
    }
    // Delivery runs beside the server unless `[notify] workers = 0` leaves it to `dossier notify work`.
    let _delivery =
        cfg.notify.as_ref().filter(|_| app.notifier().is_some()).map(|n| crate::notify::spawn_workers(&app, n));
    if logins.is_some() {
        seed_cards(&store, &app).await?;
        crate::demo::appointments::seed(&app).await.context("demo appointments")?;
        crate::demo::e_applications::seed(store.as_ref(), &app, &cfg.ca_dir).await.context("demo e-applications")?;
        if let Some((code, office)) = crate::demo::queue::seed(store.as_ref(), &app).await.context("demo queue")? {
            println!("Electronic queue: check in today at /queue with code {code}; hall screen /offices/{office}/hall");
        }
        if app.notifier().is_some() {
            crate::demo::notify::seed(store.as_ref()).await.context("demo notifications")?;
        }
        if app.digitization().is_some() {
            crate::demo::digitization::seed(store.as_ref(), &app).await.context("demo digitization")?;
        }
    }
    if let Some(intake) = intake {
        // Resubmits while the hub is unreachable and polls live requests for declined/expired.
        tokio::spawn(dossier_app::intake::worker::run(app.clone(), intake));
        if demo {
            crate::sharing::register_unregistered(&cfg, store.as_ref()).await?;
        }
    }
    let checkpoints = app.trust().seal().is_some().then(|| spawn_checkpoints(&app, cfg.audit_checkpoint_every));
    let service = dossier_server::router(app.clone());
    // Everything the start allocated for itself is freed by now; give it back.
    crate::memory::release_freed();
    println!("Dossier is listening on {fund_url}/  (database: {:?})", store.backend());
    dossier_server::serve(listener, service, shutdown_signal()).await.context("serving")?;
    if let Some(every) = checkpoints {
        every.abort();
        // The last word before stopping: the heads as this server leaves them.
        if let Err(e) = dossier_app::audit_checkpoints::checkpoint(&app).await {
            tracing::error!(error = ?e, "the audit checkpoint at shutdown failed");
        }
    }
    Ok(())
}

/// Ctrl-C, or SIGTERM (what systemd and container runtimes send).
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(t) => t,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = tokio::signal::ctrl_c().await;
}

/// Signs a checkpoint of the audit trail's heads at start and then every
/// `every` (when set), so a rewrite of the database is caught by
/// `dossier audit verify` (see `dossier_app::audit_checkpoints`).
fn spawn_checkpoints(app: &Arc<App>, every: Option<std::time::Duration>) -> tokio::task::JoinHandle<()> {
    let app = app.clone();
    tokio::spawn(async move {
        loop {
            if let Err(e) = dossier_app::audit_checkpoints::checkpoint(&app).await {
                tracing::error!(error = ?e, "an audit checkpoint failed");
            }
            match every {
                Some(d) => tokio::time::sleep(d).await,
                None => return,
            }
        }
    })
}

/// `dossier demo --seed-only`: the same demo data as `dossier demo` — people,
/// applications, the production week, the centre, the card exchange and the
/// e-applications —
/// without serving (the hub's share of the demo lives in the hub).
pub async fn seed_only(cfg: Config) -> Result<()> {
    let (store, blobs) = crate::storage::open(&cfg).await?;
    let logins = crate::demo::seed(store.as_ref(), &blobs).await?;
    let ca = crate::ca::seed_demo(store.as_ref(), &cfg).await?;
    if logins.is_some() {
        let app = assemble(&cfg, store.clone(), blobs, Some(ca), true).await?;
        seed_cards(&store, &app).await?;
        crate::demo::e_applications::seed(store.as_ref(), &app, &cfg.ca_dir).await.context("demo e-applications")?;
    }
    crate::demo::print_logins(logins.as_deref());
    Ok(())
}

/// The fund's use cases over a store: trust services and, when there is one, the centre.
async fn assemble(
    cfg: &Config,
    store: Arc<dyn dossier_store::Store>,
    blobs: dossier_store::blobs::BlobStore,
    ca: Option<Arc<dossier_app::certification::Ca>>,
    demo: bool,
) -> Result<App> {
    let mut app = App::new(store, blobs, cfg.app.clone()).await.context("loading the org tree")?;
    app = app.with_trust(crate::ca::trust_services(cfg, ca.as_deref(), demo)?);
    if let Some(ca) = ca {
        app = app.with_ca(ca);
    }
    Ok(app)
}

/// The demo's card exchange needs the fund's seal and the centre: seeded last.
async fn seed_cards(store: &Arc<dyn dossier_store::Store>, app: &App) -> Result<()> {
    crate::demo::cards::seed(store.as_ref(), app).await.context("demo card exchange")
}
