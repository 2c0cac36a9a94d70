//! Wiring the notifications from `[notify]`: one transport per configured
//! channel (or the demo folder for all of them), the templates, the link key
//! derived from the master key, the delivery workers; and `dossier notify …`.
use std::sync::Arc;

use anyhow::{Context, Result, anyhow, bail};
use chrono::NaiveTime;
use dossier_app::App;
use dossier_app::notify::{BotSettings, LinkKey, Notifier, NotifySettings, Templates, worker::Worker};
use dossier_domain::notify::{
    Channel, QuietHours, TELEGRAM_BULK_PER_SECOND, TELEGRAM_PER_CHAT_PER_SECOND, VIBER_PER_USER_PER_HOUR,
};
use dossier_notify::email::{EmailTransport, SmtpSettings};
use dossier_notify::folder::FolderTransport;
use dossier_notify::telegram::TelegramBot;
use dossier_notify::viber::ViberBot;
use dossier_notify::webhook::WebhookTransport;
use dossier_store::blobs::BlobStore;

use crate::config::{Config, NotifyFile};

/// The notifier `[notify]` describes, or `None` without the section.
pub fn notifier(cfg: &Config, blobs: &BlobStore, fund_url: &str) -> Result<Option<Arc<Notifier>>> {
    let Some(n) = &cfg.notify else { return Ok(None) };
    let secrets = &cfg.notify_secrets;
    let public_url = cfg.public_url.clone().unwrap_or_else(|| fund_url.to_owned());
    let templates = Templates::load(n.templates.as_deref()).map_err(|e| anyhow!(e))?;
    let mut s = NotifySettings::new(&public_url, LinkKey::new(&blobs.derive_key("notify-links")), templates);
    s.quiet_hours = quiet_hours(n.quiet_hours.as_deref())?;
    if let Some(a) = n.max_attempts {
        s.retry.max_attempts = a.max(1);
    }
    if let Some(c) = n.concurrency {
        s.concurrency = c.max(1);
    }
    if let Some(l) = n.lease_seconds {
        s.lease = chrono::Duration::seconds(l.max(1));
    }
    let http = dossier_notify::http_client();
    let email = match &n.email {
        Some(e) => Some(Arc::new(email_transport(e)?)),
        None => None,
    };
    s.email_rate = n.email.as_ref().and_then(|e| e.rate).unwrap_or(0.0);
    let mut transports: Vec<Arc<dyn dossier_notify::Transport>> = vec![];
    if let Some(t) = &n.telegram {
        let name = t.name.clone().ok_or_else(|| anyhow!("[notify.telegram] needs name (the bot's username)"))?;
        let secret =
            secrets.telegram_secret.as_ref().map(|s| s.expose().to_owned()).ok_or_else(|| {
                anyhow!("[notify.telegram] needs DOSSIER_TELEGRAM_SECRET (the webhook's secret_token)")
            })?;
        check_secret("DOSSIER_TELEGRAM_SECRET", &secret)?;
        s.telegram = Some(BotSettings {
            name,
            secret,
            rate: t.rate.unwrap_or(TELEGRAM_BULK_PER_SECOND),
            per_chat: t.per_chat.unwrap_or(TELEGRAM_PER_CHAT_PER_SECOND),
        });
        if n.folder.is_none() {
            let token = secrets
                .telegram_token
                .as_ref()
                .map(|s| s.expose().to_owned())
                .ok_or_else(|| anyhow!("[notify.telegram] needs DOSSIER_TELEGRAM_TOKEN"))?;
            let api = t.api.as_deref().unwrap_or("https://api.telegram.org");
            transports.push(Arc::new(TelegramBot::new(http.clone(), api, &token)));
        }
    }
    if let Some(v) = &n.viber {
        let name = v.name.clone().ok_or_else(|| anyhow!("[notify.viber] needs name (the bot's chat URI)"))?;
        let token = secrets
            .viber_token
            .as_ref()
            .map(|s| s.expose().to_owned())
            .ok_or_else(|| anyhow!("[notify.viber] needs DOSSIER_VIBER_TOKEN"))?;
        s.viber = Some(BotSettings {
            name: name.clone(),
            secret: token.clone(),
            rate: v.rate.unwrap_or(0.0),
            per_chat: v.per_chat.unwrap_or(VIBER_PER_USER_PER_HOUR),
        });
        if n.folder.is_none() {
            let api = v.api.as_deref().unwrap_or("https://chatapi.viber.com/pa");
            transports.push(Arc::new(ViberBot::new(http.clone(), api, &token, &name)));
        }
    }
    let webhooks = n.webhooks.unwrap_or(true);
    match &n.folder {
        // The demo: every configured channel writes files instead.
        Some(dir) => {
            let mut channels = vec![Channel::Email];
            channels.extend(s.telegram.as_ref().map(|_| Channel::Telegram));
            channels.extend(s.viber.as_ref().map(|_| Channel::Viber));
            if webhooks {
                channels.push(Channel::Webhook);
            }
            let formatter = match email {
                Some(e) => e,
                None => Arc::new(
                    EmailTransport::new(
                        &SmtpSettings {
                            host: "localhost".into(),
                            port: 25,
                            from: "Dossier <noreply@dossier.local>".into(),
                            connections: 1,
                        },
                        None,
                    )
                    .map_err(|e| anyhow!(e))?,
                ),
            };
            for c in channels {
                let f = (c == Channel::Email).then(|| formatter.clone());
                transports.push(Arc::new(FolderTransport::new(c, dir, f)));
            }
        }
        None => {
            if let Some(e) = email {
                transports.push(e);
            }
            if webhooks {
                transports.push(Arc::new(WebhookTransport::new(http)));
            }
        }
    }
    let notifier = transports.into_iter().fold(Notifier::new(s), |n, t| n.with_transport(t));
    Ok(Some(Arc::new(notifier)))
}

fn check_secret(name: &str, secret: &str) -> Result<()> {
    // Telegram allows 1–256 characters of A-Z, a-z, 0-9, _ and -; we ask for enough of them.
    let ok = secret.len() >= dossier_domain::notify::MIN_SECRET_BYTES
        && secret.len() <= 256
        && secret.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !ok {
        bail!("{name}: 24 to 256 characters of A-Z, a-z, 0-9, _ and -");
    }
    Ok(())
}

fn email_transport(e: &crate::config::EmailFile) -> Result<EmailTransport> {
    let relay = e.smtp.as_deref().unwrap_or("127.0.0.1:25");
    let (host, port) = relay.rsplit_once(':').ok_or_else(|| anyhow!("[notify.email] smtp: host:port"))?;
    let port: u16 = port.parse().with_context(|| format!("[notify.email] smtp port {port:?}"))?;
    let from = e.from.clone().ok_or_else(|| anyhow!("[notify.email] needs from (\"Name <address>\")"))?;
    let dkim = match (&e.dkim_key, &e.dkim_domain, &e.dkim_selector) {
        (Some(key), Some(domain), Some(selector)) => {
            let pem = std::fs::read_to_string(key).with_context(|| format!("reading {}", key.display()))?;
            Some(dossier_notify::dkim::DkimSigner::from_pem(&pem, domain, selector).map_err(|e| anyhow!(e))?)
        }
        (None, None, None) => None,
        _ => bail!("[notify.email] DKIM needs dkim_key, dkim_domain and dkim_selector together"),
    };
    let settings = SmtpSettings { host: host.to_owned(), port, from, connections: e.connections.unwrap_or(16) };
    EmailTransport::new(&settings, dkim).map_err(|e| anyhow!(e))
}

/// `HH:MM-HH:MM`, `off`, or the default.
fn quiet_hours(s: Option<&str>) -> Result<Option<QuietHours>> {
    let Some(s) = s.map(str::trim) else { return Ok(Some(QuietHours::default())) };
    if s.is_empty() || s == "off" {
        return Ok(None);
    }
    let (from, until) = s.split_once('-').ok_or_else(|| anyhow!("[notify] quiet_hours: HH:MM-HH:MM or off"))?;
    let t =
        |x: &str| NaiveTime::parse_from_str(x.trim(), "%H:%M").with_context(|| format!("[notify] quiet_hours {x:?}"));
    Ok(Some(QuietHours { from: t(from)?, until: t(until)? }))
}

/// The demo's notifications when `[notify]` is not configured: every channel
/// into `DATA_DIR/outbox` (no network), bots with secrets made up for this run.
pub fn demo_defaults(cfg: &mut Config) {
    if cfg.notify.is_some() {
        return;
    }
    // A made-up secret is 43 base64url characters; should the system's random source fail, a fixed
    // demo value still lets the demo start (these bots never reach a network).
    let made_up = || {
        crate::config::Secret::new(
            dossier_crypto::secrets::random_token().unwrap_or_else(|_| "demo-secret-demo-secret-demo".into()),
        )
    };
    let s = &mut cfg.notify_secrets;
    s.telegram_secret.get_or_insert_with(made_up);
    s.telegram_token.get_or_insert_with(made_up);
    s.viber_token.get_or_insert_with(made_up);
    cfg.notify = Some(NotifyFile {
        folder: Some(cfg.data_dir.join("outbox")),
        quiet_hours: Some("off".into()),
        telegram: Some(crate::config::BotFile { name: Some("dossier_demo_bot".into()), ..Default::default() }),
        viber: Some(crate::config::BotFile { name: Some("dossierdemo".into()), ..Default::default() }),
        ..Default::default()
    });
}

/// Starts `[notify] workers` delivery workers (default 1) in this process.
pub fn spawn_workers(app: &Arc<App>, n: &NotifyFile) -> tokio::sync::watch::Sender<bool> {
    let (stop, rx) = tokio::sync::watch::channel(false);
    for i in 0..n.workers.unwrap_or(1) {
        let worker = if i == 0 { Worker::new(app.clone()).scheduling() } else { Worker::new(app.clone()) };
        let rx = rx.clone();
        tokio::spawn(async move { worker.run(std::time::Duration::from_millis(500), rx).await });
    }
    stop
}

/// `dossier notify work`: delivery workers only, no HTTP — as many processes
/// as needed. With `until_empty`, delivers what is due and exits, printing the rate.
pub async fn work(cfg: Config, workers: usize, until_empty: bool) -> Result<()> {
    let (store, blobs) = crate::storage::open(&cfg).await?;
    let notifier = notifier(&cfg, &blobs, "http://localhost")?.ok_or_else(|| anyhow!("no [notify] section"))?;
    let app = Arc::new(
        App::new(store, blobs, cfg.app.clone()).await.context("loading the org tree")?.with_notifier(notifier),
    );
    if until_empty {
        let started = std::time::Instant::now();
        let mut tasks = vec![];
        for _ in 0..workers.max(1) {
            let worker = Worker::new(app.clone());
            tasks.push(tokio::spawn(async move { worker.drain().await }));
        }
        let mut total = 0;
        for t in tasks {
            total += t.await?.map_err(|e| anyhow!("delivery: {e}"))?;
        }
        let secs = started.elapsed().as_secs_f64();
        println!("delivered {total} messages in {secs:.2} s = {:.0}/s", total as f64 / secs.max(1e-9));
        return Ok(());
    }
    let (stop, rx) = tokio::sync::watch::channel(false);
    let mut tasks = vec![];
    for i in 0..workers.max(1) {
        let worker = if i == 0 { Worker::new(app.clone()).scheduling() } else { Worker::new(app.clone()) };
        let rx = rx.clone();
        tasks.push(tokio::spawn(async move { worker.run(std::time::Duration::from_millis(200), rx).await }));
    }
    println!("delivering notifications with {} worker(s)", workers.max(1));
    let _ = tokio::signal::ctrl_c().await;
    let _ = stop.send(true);
    for t in tasks {
        let _ = t.await;
    }
    Ok(())
}

/// `dossier notify set-webhooks`: tells the bot platforms where to call.
pub async fn set_webhooks(cfg: Config) -> Result<()> {
    let base = cfg.public_url.clone().ok_or_else(|| anyhow!("set DOSSIER_PUBLIC_URL (the fund's https address)"))?;
    let n = cfg.notify.clone().ok_or_else(|| anyhow!("no [notify] section"))?;
    let http = dossier_notify::http_client();
    let expose = |s: &Option<crate::config::Secret>, name: &str| {
        s.as_ref().map(|s| s.expose().to_owned()).ok_or_else(|| anyhow!("{name} is not set"))
    };
    if let Some(t) = &n.telegram {
        let token = expose(&cfg.notify_secrets.telegram_token, "DOSSIER_TELEGRAM_TOKEN")?;
        let secret = expose(&cfg.notify_secrets.telegram_secret, "DOSSIER_TELEGRAM_SECRET")?;
        let bot = TelegramBot::new(http.clone(), t.api.as_deref().unwrap_or("https://api.telegram.org"), &token);
        bot.set_webhook(&format!("{base}/hooks/telegram"), &secret)
            .await
            .map_err(|e| anyhow!("Telegram: {}", e.error()))?;
        println!("Telegram calls {base}/hooks/telegram");
    }
    if let Some(v) = &n.viber {
        let token = expose(&cfg.notify_secrets.viber_token, "DOSSIER_VIBER_TOKEN")?;
        let bot = ViberBot::new(
            http,
            v.api.as_deref().unwrap_or("https://chatapi.viber.com/pa"),
            &token,
            v.name.as_deref().unwrap_or("Dossier"),
        );
        bot.set_webhook(&format!("{base}/hooks/viber")).await.map_err(|e| anyhow!("Viber: {}", e.error()))?;
        println!("Viber calls {base}/hooks/viber");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    /// SPEC §7: Telegram's `secret_token` is 1–256 characters of `A-Za-z0-9_-` (we ask for at least 24).
    #[test]
    fn spec_7_telegram_secret_token_is_up_to_256_chars_of_a_z_0_9_underscore_dash() {
        let ok = "telegram-webhook_secret-0123456789";
        assert!(super::check_secret("S", ok).is_ok());
        assert!(super::check_secret("S", &"a".repeat(256)).is_ok());
        assert!(super::check_secret("S", &"a".repeat(257)).is_err(), "longer than Telegram takes");
        assert!(super::check_secret("S", "telegram webhook secret 0123456789").is_err(), "a space");
        assert!(super::check_secret("S", "telegram-webhook-secret-01234567+9").is_err(), "a plus");
        assert!(super::check_secret("S", "short").is_err(), "too short to be a secret");
    }
}
