//! `dossier` — the one binary of the Dossier document back office.
mod archive;
mod audit;
mod backup;
mod batches;
mod bench;
mod ca;
mod config;
mod demo;
mod digitization;
mod hub;
mod import;
mod logging;
mod memory;
mod notify;
mod scan_folder;
mod serve;
mod sharing;
mod storage;
mod trust;
mod wallet;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Result;
use clap::{Parser, Subcommand};

use crate::config::{Config, StoreArgs};

#[derive(Parser)]
#[command(
    name = "dossier",
    version,
    about = "Document back office for pension and social-insurance funds",
    long_about = "Dossier keeps a fund's people registry, their documents (encrypted at rest) and the \
                  pension-certificate applications of regulation 26-1, with a hash-chained audit trail.\n\n\
                  Start here:  dossier demo            (SQLite + demo data, prints URL and logins)\n\
                  Production:  dossier serve --database-url postgres://…",
    after_help = "Every flag can also be set by its DOSSIER_… environment variable or in dossier.toml."
)]
struct Cli {
    #[command(flatten)]
    store: StoreArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the agency service (API, staff UI).
    Serve {
        /// Address to listen on.
        #[arg(long, env = "DOSSIER_LISTEN")]
        listen: Option<String>,
        /// Seed demo data first (only into an empty database).
        #[arg(long)]
        demo: bool,
    },
    /// Run the service with demo data on the embedded default and print the logins.
    Demo {
        #[arg(long, env = "DOSSIER_LISTEN")]
        listen: Option<String>,
        /// Only seed the demo data (the same as a served demo's), do not serve.
        #[arg(long)]
        seed_only: bool,
        /// Where the demo hub and wallet listen.
        #[arg(long, env = "DOSSIER_HUB_LISTEN", default_value = crate::hub::DEMO_HUB_LISTEN)]
        hub_listen: String,
    },
    /// Document sharing with the citizens' wallet hub (DOSSIER_HUB_URL …).
    Sharing {
        #[command(subcommand)]
        command: SharingCommand,
    },
    /// Bulk-import people from a CSV file (resumable; writes a per-row error report). Exit code:
    /// 0 every row imported, 2 some rows rejected (listed in the report), 1 the import could not run.
    Import {
        /// CSV with a header row: rnokpp,religious_refusal,passport,id_card,unzr,account_no,okzo,
        /// surname,given_name,patronymic,birth_date,sex,capacity,idp
        file: PathBuf,
        /// Code of the district office the people are registered at.
        #[arg(long)]
        unit: String,
        /// Where to write the rejected rows (default: FILE.errors.csv).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Rows per transaction (larger batches mean fewer commits; each holds
        /// the SQLite writer for its duration, about a second at 50 000).
        #[arg(long, default_value_t = 50000)]
        batch: usize,
    },
    /// Import the pensions the fund paid before Dossier from a CSV file (resumable; writes a per-row
    /// error report). A person granted a pension here is never overwritten; a pension an earlier
    /// import recorded is replaced. Exit code: 0 every row imported, 2 some rows rejected, 1 the
    /// import could not run.
    ImportPensions {
        /// CSV with a header row: rnokpp,kind,amount,since,delivery[,iban,postcode,address,delivery_since]
        /// (amount in hryvnias, e.g. 4123.50; delivery `bank` or `post`)
        file: PathBuf,
        /// Code of the org unit whose people the file may name (default: the whole fund).
        #[arg(long)]
        unit: Option<String>,
        /// Where to write the rejected rows (default: FILE.errors.csv).
        #[arg(long)]
        report: Option<PathBuf>,
        /// Rows per transaction.
        #[arg(long, default_value_t = 20000)]
        batch: usize,
    },
    /// The document-sharing hub (the wallet's back end): serve it (default), register acquirers, seed demo citizens.
    Hub(hub::HubArgs),
    /// The citizen's wallet against a hub: documents, codes, requests, approve, decline.
    Wallet(wallet::WalletArgs),
    /// The certification centre: create it, certify keys, revoke, publish the CRL.
    Ca {
        #[command(subcommand)]
        command: ca::CaCommand,
    },
    /// Weekly production batches (regulation 26-1, §III).
    Batches {
        #[command(subcommand)]
        command: BatchesCommand,
    },
    /// Notifications: delivery workers, the bots' webhooks.
    Notify {
        #[command(subcommand)]
        command: NotifyCommand,
    },
    /// A consistent backup of the database and the blob store into a new FOLDER, with a manifest
    /// of every file's SHA-256 (keys are never in it).
    Backup { folder: PathBuf },
    /// Restore a backup into an empty database and blob store, then verify the audit trail and
    /// read back every blob (exit code 1 if the drill finds anything).
    Restore { folder: PathBuf },
    /// Read back every blob the database refers to (decrypted and hashed); exit code 1 if any fails.
    Fixity,
    /// Audit-trail tools.
    Audit {
        #[command(subcommand)]
        command: audit::AuditCommand,
    },
    /// Create a staff account.
    UserAdd {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
        /// One of: specialist, district_officer, regional_officer, central_production_officer,
        /// transfer_responsible, commission_member, bank_operator, personalizer_operator,
        /// ca_operator, auditor, administrator.
        #[arg(long)]
        role: String,
        /// Code of the org unit the account belongs to.
        #[arg(long)]
        unit: String,
        /// Password (read from DOSSIER_PASSWORD if not given).
        #[arg(long, env = "DOSSIER_PASSWORD", hide_env_values = true)]
        password: String,
    },
    /// Issue an API token for an account (printed once).
    TokenCreate {
        #[arg(long)]
        login: String,
        #[arg(long)]
        name: String,
    },
    /// Sign a PDF (PAdES) or any file (CMS); the key's PIN is read from DOSSIER_PIN.
    Sign {
        #[command(subcommand)]
        command: trust::SignCommand,
    },
    /// Digitization: the fixity check of stored scans.
    Digitization {
        #[command(subcommand)]
        command: digitization::DigitizationCommand,
    },
    /// Keep archived signed PDFs provable: re-time-stamp those whose newest time-stamp is about to expire.
    Archive {
        #[command(subcommand)]
        command: archive::ArchiveCommand,
    },
    /// Validate signatures. Exit code: 0 valid, 1 not valid, 2 indeterminate, 3 could not check.
    Verify {
        #[command(subcommand)]
        command: trust::VerifyCommand,
    },
    /// Encrypt a file to one recipient's certificate (CMS EnvelopedData, ECDH P-256, AES-256).
    Encrypt {
        input: PathBuf,
        output: PathBuf,
        /// The recipient's certificate.
        #[arg(long)]
        to: PathBuf,
    },
    /// Decrypt an envelope with the recipient's key (PIN from DOSSIER_PIN).
    Decrypt {
        input: PathBuf,
        output: PathBuf,
        /// The recipient's key: a PIN container (*.key.json) or an encrypted PKCS#8 PEM.
        #[arg(long)]
        key: PathBuf,
        /// The recipient's certificate (PEM).
        #[arg(long)]
        cert: PathBuf,
    },
    /// Benchmark helpers (see bench/ and BENCHMARKS.md).
    #[command(hide = true)]
    Bench {
        #[command(subcommand)]
        command: BenchCommand,
    },
    /// Generate a CSV of valid, realistic people (for benchmarks and trials).
    GenPeople {
        /// How many rows.
        count: usize,
        /// Output file.
        out: PathBuf,
        #[arg(long, default_value_t = 42)]
        seed: u64,
    },
}

#[derive(Subcommand)]
enum BatchesCommand {
    /// Submit the week's batches: districts → regions (Monday 12:00), regions →
    /// central fund (Tuesday 12:00), central duplicate check. Idempotent.
    Run {
        /// ISO week of the batch, e.g. 2026-W47 (default: for each office the week it owes —
        /// the one whose cut-off passed, until its batch is submitted (late), then the week
        /// being collected).
        #[arg(long)]
        week: Option<String>,
        /// district, region, central or all.
        #[arg(long)]
        level: Option<String>,
    },
}

#[derive(Subcommand)]
enum NotifyCommand {
    /// Deliver the outbox's messages, without serving HTTP (any number of these may run).
    Work {
        /// Workers in this process.
        #[arg(long, default_value_t = 1)]
        workers: usize,
        /// Deliver what is due, then exit (and print the rate).
        #[arg(long)]
        until_empty: bool,
    },
    /// Register this fund's webhook with the Telegram and Viber bot platforms (needs DOSSIER_PUBLIC_URL).
    SetWebhooks,
}

#[derive(Subcommand)]
enum BenchCommand {
    /// In-process look-ups by RNOKPP (the peer of the HTTP look-up benchmark).
    DirectLookup {
        /// File with one RNOKPP per line.
        #[arg(long)]
        rnokpps: PathBuf,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// In-process application filing (the peer of the HTTP application benchmark).
    DirectApply {
        /// File with one person id per line.
        #[arg(long)]
        ids: PathBuf,
        /// Code of the bank branch that issues the cards.
        #[arg(long)]
        unit: String,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
    },
    /// Intake throughput: packages opened, verified, matched and stored per second (in process).
    SharingIntake {
        #[arg(long, default_value_t = 2000)]
        packages: usize,
        #[arg(long, default_value_t = 8)]
        concurrency: usize,
        /// Also write the packages, the branch certificate and key (PIN 1234) and the CA root here.
        #[arg(long)]
        export: Option<PathBuf>,
    },
    /// The card exchange: card steps reported, sealed and stored per second (in process,
    /// on a fresh demo data folder in the temporary directory).
    Cards {
        #[arg(long, default_value_t = 300)]
        cards: usize,
    },
    /// The weekly production run at national scale on a fresh database
    /// (SQLite in a temporary folder, or a new database on --postgres).
    Production {
        #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u64).range(1..))]
        persons: u64,
        /// At most --persons: applications are filed by the first registry records.
        #[arg(long, default_value_t = 100_000)]
        applications: u64,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=99))]
        districts_per_region: u64,
        /// Certificates moved one transaction each first, as the naive peer.
        #[arg(long, default_value_t = 2000)]
        naive: usize,
        /// An empty PostgreSQL database to run on (default: a new SQLite file).
        #[arg(long)]
        postgres: Option<String>,
        /// Subscribe this percentage of applicants by e-mail (and one system webhook) before the run.
        #[arg(long, default_value_t = 0, value_parser = clap::value_parser!(u8).range(0..=100))]
        subscribed: u8,
        /// With --subscribed: also one system webhook, told of every case.
        #[arg(long)]
        webhook: bool,
    },
    /// Write the weekly run's national fixture into the configured (empty) store, for
    /// `dossier batches run` to run on — and be killed on, in the crash test.
    ProductionSeed {
        #[arg(long, default_value_t = 40_000, value_parser = clap::value_parser!(u64).range(1..))]
        persons: u64,
        #[arg(long, default_value_t = 20_000)]
        applications: u64,
        #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u64).range(1..=99))]
        districts_per_region: u64,
    },
    /// Digitization: write --count test pages (rendered, rasterised at 300 dpi) and what they print.
    Scans {
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(long, default_value_t = 20)]
        count: usize,
        /// Degrade the pages as worn scans: tilt, low contrast, blur, grain.
        #[arg(long)]
        noisy: bool,
        /// Vietnamese citizen identity cards instead of Ukrainian taxpayer cards.
        #[arg(long)]
        vietnamese: bool,
    },
    /// Digitization: search over --docs documents' recognised text in a fresh store (--database-url, default a
    /// temporary SQLite file), --queries searches timed one at a time.
    Search {
        #[arg(long, default_value_t = 100_000)]
        docs: usize,
        #[arg(long, default_value_t = 2_000)]
        queries: usize,
        /// `postgres://…` of an empty database; default: a temporary SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Appointments: --clients citizens at once book --slots slots of --places places each until all are
    /// taken (a fresh database); checks that no slot is over its capacity.
    Appointments {
        #[arg(long, default_value_t = 200)]
        slots: usize,
        #[arg(long, default_value_t = 10)]
        places: i64,
        #[arg(long, default_value_t = 64)]
        clients: usize,
        /// `postgres://…` of an empty database; default: a temporary SQLite file.
        #[arg(long)]
        database_url: Option<String>,
    },
    /// Pension record: --rounds employers' reports of --people people × --months months each, parsed,
    /// judged and written (a fresh SQLite file), against the same rows inserted bare.
    RecordImport {
        #[arg(long, default_value_t = 20_000)]
        people: usize,
        #[arg(long, default_value_t = 12)]
        months: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Pensions paid before Dossier: --rounds imports of a pension for each of --people pensioners
    /// (parsed, checked, written and audited; a fresh SQLite file), against the same rows upserted bare.
    PensionImport {
        #[arg(long, default_value_t = 20_000)]
        people: usize,
        #[arg(long, default_value_t = 5)]
        rounds: usize,
    },
    /// Personal account over HTTP: --people people with --years years of monthly earnings, --clients
    /// at once asking for account pages for --seconds, against the bare store read. --citizens
    /// signed in (default: one per client) are taken in turn, so with as many as the people every
    /// page of a pass is another citizen's.
    Account {
        #[arg(long, default_value_t = 10_000)]
        people: usize,
        #[arg(long, default_value_t = 40)]
        years: usize,
        #[arg(long, default_value_t = 200)]
        clients: usize,
        #[arg(long)]
        citizens: Option<usize>,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
    },
    /// Blob store: --count documents of --size bytes sealed and written, then read back, --in-flight
    /// at once, at the configured `--blobs` (a folder or `s3://…`).
    Blobs {
        #[arg(long, default_value_t = 2000)]
        count: usize,
        #[arg(long, default_value_t = 100_000)]
        size: usize,
        #[arg(long, default_value_t = 16)]
        in_flight: usize,
    },
    /// Personal account: --count estimates of each country's pension calculator in process, one core.
    Calculator {
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
    },
    /// Digitization: the character error rate of a peer's text (pages split by form feeds) against truth.json.
    Cer {
        #[arg(long)]
        truth: std::path::PathBuf,
        #[arg(long)]
        text: std::path::PathBuf,
    },
    /// Digitization: recognise a folder of pages as the OCR workers do and check them against its truth.json.
    Ocr {
        #[arg(long)]
        pages: std::path::PathBuf,
        #[arg(long, default_value = "ua-taxpayer-card")]
        kind: String,
        #[arg(long, default_value_t = 2)]
        workers: usize,
        /// Through the app as the server runs it: stored, recognised, extracted, signed PDF/A made.
        #[arg(long)]
        end_to_end: bool,
    },
    /// What a hub would deliver to the configured fund: --packages approved requests in the
    /// store, their packages (formed with the demo hub's keys) written to --out.
    DeliveriesSeed {
        #[arg(long, default_value_t = 1000)]
        packages: usize,
        #[arg(long)]
        out: std::path::PathBuf,
    },
    /// The hub's side of the intake: the packages `deliveries-seed` wrote to --from, posted to --to
    /// (`…/api/v1/sharing/deliveries`) --in-flight at once, each until acknowledged.
    Deliver {
        #[arg(long)]
        from: std::path::PathBuf,
        #[arg(long)]
        to: String,
        #[arg(long, default_value_t = 16)]
        in_flight: usize,
    },
    /// Fill the configured store's outbox: one system subscription and --messages events for it.
    OutboxSeed {
        #[arg(long, default_value_t = 10_000)]
        messages: u64,
        /// A webhook URL to deliver to.
        #[arg(long)]
        webhook: Option<String>,
        /// Or an e-mail address.
        #[arg(long)]
        email: Option<String>,
    },
    /// The public status look-up over --cases certificates, in process and over HTTP.
    Status {
        #[arg(long, default_value_t = 200_000)]
        cases: u64,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 64)]
        concurrency: usize,
        /// After the in-process run, serve the fixture here for an outside load generator.
        #[arg(long)]
        serve: Option<std::net::SocketAddr>,
        /// Write the fixture's cases (`NUMBER BIRTH_DATE` per line) here first.
        #[arg(long)]
        cases_out: Option<PathBuf>,
    },
    /// A running hub's code issuance and document requests over HTTP.
    SharingHub {
        #[arg(long)]
        hub: String,
        /// An acquirer token (`dossier hub acquirer-add`).
        #[arg(long, env = "DOSSIER_BENCH_ACQUIRER_TOKEN", hide_env_values = true)]
        token: String,
        /// The encryption certificate (PEM) the bench branch registers with.
        #[arg(long)]
        cert: PathBuf,
        /// Wallet logins, comma-separated.
        #[arg(long, value_delimiter = ',')]
        logins: Vec<String>,
        #[arg(long, default_value_t = 10)]
        seconds: u64,
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// A running demo's time from the specialist's submit to the stored copy.
    SharingFlow {
        #[arg(long)]
        fund: String,
        #[arg(long)]
        hub: String,
        /// Wallet logins, comma-separated.
        #[arg(long, value_delimiter = ',')]
        logins: Vec<String>,
        #[arg(long, default_value_t = 200)]
        count: usize,
    },
    /// Export person ids and RNOKPPs for the load scripts.
    ExportIds {
        #[arg(long)]
        count: usize,
        #[arg(long)]
        ids: PathBuf,
        #[arg(long)]
        rnokpps: PathBuf,
    },
}

#[derive(Subcommand)]
enum SharingCommand {
    /// Register an org unit as a branch with the hub (uses the unit's agency-encryption
    /// certificate DATA_DIR/keys/<CODE>/agency-encryption.pem) and store the hub's branch id.
    RegisterBranch {
        /// Code of the org unit.
        #[arg(long)]
        unit: String,
        /// Document types the branch may request, comma-separated
        /// (internal-passport, taxpayer-card, birth-certificate; default: all).
        #[arg(long)]
        scopes: Option<String>,
    },
}

fn main() -> ExitCode {
    memory::no_huge_pages();
    let cli = Cli::parse();
    logging::init();
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    match cli.command {
        Command::Serve { listen, demo } => {
            let cfg = Config::resolve(&cli.store, listen.as_deref())?;
            serve::serve(cfg, demo, None).await?;
        }
        Command::Demo { listen, seed_only, hub_listen } => {
            let cfg = Config::resolve(&cli.store, listen.as_deref())?;
            if seed_only {
                serve::seed_only(cfg).await?;
            } else {
                serve::serve(cfg, true, Some(&hub_listen)).await?;
            }
        }
        Command::Import { file, unit, report, batch } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _blobs) = storage::open(&cfg).await?;
            let ok = import::people(store, &file, &unit, report, batch.max(1)).await?;
            return Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(2) });
        }
        Command::ImportPensions { file, unit, report, batch } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _blobs) = storage::open(&cfg).await?;
            let ok = import::pensions(store, &file, unit.as_deref(), report, batch.max(1)).await?;
            return Ok(if ok { ExitCode::SUCCESS } else { ExitCode::from(2) });
        }
        Command::Sharing { command: SharingCommand::RegisterBranch { unit, scopes } } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _) = storage::open(&cfg).await?;
            let scopes = sharing::parse_scopes(scopes.as_deref())?;
            let b = sharing::register_branch(&cfg, store.as_ref(), &unit, &scopes).await?;
            println!("unit {unit} is branch {} at the hub", b.branch_id);
        }
        Command::Hub(args) => {
            let cfg = Config::resolve(&cli.store, None)?;
            hub::run(&cfg, args).await?;
        }
        Command::Wallet(args) => return wallet::run(args).await,
        Command::Ca { command } => {
            let cfg = Config::resolve(&cli.store, None)?;
            ca::run(&cfg, command).await?;
        }
        Command::Batches { command: BatchesCommand::Run { week, level } } => {
            let week = batches::parse_week(week.as_deref())?;
            let levels = batches::parse_levels(level.as_deref())?;
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _) = storage::open(&cfg).await?;
            let summary = batches::run(store, week, &levels, true).await?;
            batches::print(&summary);
        }
        Command::Notify { command } => {
            let cfg = Config::resolve(&cli.store, None)?;
            match command {
                NotifyCommand::Work { workers, until_empty } => notify::work(cfg, workers, until_empty).await?,
                NotifyCommand::SetWebhooks => notify::set_webhooks(cfg).await?,
            }
        }
        Command::Backup { folder } => {
            let cfg = Config::resolve(&cli.store, None)?;
            backup::backup(&cfg, &folder).await?;
        }
        Command::Restore { folder } => {
            let cfg = Config::resolve(&cli.store, None)?;
            return backup::restore(&cfg, &folder).await;
        }
        Command::Fixity => {
            let cfg = Config::resolve(&cli.store, None)?;
            return backup::fixity(&cfg).await;
        }
        Command::Audit { command } => {
            let cfg = Config::resolve(&cli.store, None)?;
            return audit::run(cfg, command).await;
        }
        Command::UserAdd { login, name, role, unit, password } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _) = storage::open(&cfg).await?;
            let id = storage::add_user(store.as_ref(), &login, &name, &role, &unit, &password).await?;
            println!("created account {login} ({id})");
        }
        Command::TokenCreate { login, name } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _) = storage::open(&cfg).await?;
            let token = storage::create_token(store.as_ref(), &login, &name).await?;
            println!("{token}");
        }
        Command::Bench {
            command:
                BenchCommand::Production {
                    persons,
                    applications,
                    districts_per_region,
                    naive,
                    postgres,
                    subscribed,
                    webhook,
                },
        } => {
            anyhow::ensure!(
                applications <= persons,
                "--applications ({applications}) cannot exceed --persons ({persons})"
            );
            let db = postgres.as_deref();
            let districts = districts_per_region as usize;
            bench::production::on_fresh_database(db, persons, applications, districts, naive, subscribed, webhook)
                .await?
                .print();
        }
        Command::Bench { command: BenchCommand::ProductionSeed { persons, applications, districts_per_region } } => {
            anyhow::ensure!(
                applications <= persons,
                "--applications ({applications}) cannot exceed --persons ({persons})"
            );
            let (store, _) = storage::open_sql(&Config::resolve(&cli.store, None)?).await?;
            let week = bench::production::seed(&store, persons, applications, districts_per_region as usize).await?;
            println!("fixture: {persons} registry records, {applications} applications accepted in week {week}");
        }
        Command::Bench { command: BenchCommand::Cards { cards } } => bench::cards::run(cards).await?,
        Command::Bench { command: BenchCommand::Scans { out, count, noisy, vietnamese } } => {
            bench::digitization::scans(&out, count, noisy, vietnamese)?;
        }
        Command::Bench { command: BenchCommand::Cer { truth, text } } => bench::digitization::cer(&truth, &text)?,
        Command::Bench { command: BenchCommand::Calculator { count } } => bench::calculator::run(count)?,
        Command::Bench { command: BenchCommand::Blobs { count, size, in_flight } } => {
            let cfg = Config::resolve(&cli.store, None)?;
            bench::blobs::run(&cfg, count, size, in_flight).await?
        }
        Command::Bench { command: BenchCommand::Search { docs, queries, database_url } } => {
            let dir = std::env::temp_dir().join(format!("dossier-search-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir)?;
            let url = database_url.unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.join("search.db").display()));
            let ran = bench::search::run(&url, docs, queries).await;
            std::fs::remove_dir_all(&dir)?;
            ran?;
        }
        Command::Bench { command: BenchCommand::Appointments { slots, places, clients, database_url } } => {
            let dir = std::env::temp_dir().join(format!("dossier-appointments-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir)?;
            let url =
                database_url.unwrap_or_else(|| format!("sqlite://{}?mode=rwc", dir.join("bookings.db").display()));
            let ran = bench::appointments::run(&url, slots, places, clients).await;
            std::fs::remove_dir_all(&dir)?;
            ran?;
        }
        Command::Bench { command: BenchCommand::Account { people, years, clients, citizens, seconds } } => {
            let dir = std::env::temp_dir().join(format!("dossier-account-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir)?;
            let citizens = citizens.unwrap_or(clients);
            let shape = bench::account::Shape { people, years, clients, citizens, seconds };
            let ran = bench::account::run(&dir, shape).await;
            std::fs::remove_dir_all(&dir)?;
            ran?;
        }
        Command::Bench { command: BenchCommand::RecordImport { people, months, rounds } } => {
            let dir = std::env::temp_dir().join(format!("dossier-record-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir)?;
            let ran = bench::record::run(&dir, people, months, rounds).await;
            std::fs::remove_dir_all(&dir)?;
            ran?;
        }
        Command::Bench { command: BenchCommand::PensionImport { people, rounds } } => {
            let dir = std::env::temp_dir().join(format!("dossier-pensions-{}", uuid::Uuid::new_v4()));
            std::fs::create_dir_all(&dir)?;
            let ran = bench::pensions::run(&dir, people, rounds).await;
            std::fs::remove_dir_all(&dir)?;
            ran?;
        }
        Command::Bench { command: BenchCommand::Ocr { pages, kind, workers, end_to_end } } => {
            let kind = dossier_domain::digitization::DocumentKind::parse(&kind)
                .map_err(|m| anyhow::anyhow!(m.render(dossier_domain::Lang::EN)))?;
            if end_to_end {
                bench::digitization::end_to_end(&pages, kind, workers).await?;
            } else {
                bench::digitization::ocr(&pages, kind, workers).await?;
            }
        }
        Command::Bench { command: BenchCommand::DeliveriesSeed { packages, out } } => {
            bench::sharing::seed_deliveries(&Config::resolve(&cli.store, None)?, packages, &out).await?;
        }
        Command::Bench { command: BenchCommand::Deliver { from, to, in_flight } } => {
            bench::sharing::deliver(&from, &to, in_flight).await?.print("deliveries acknowledged");
        }
        Command::Bench { command: BenchCommand::OutboxSeed { messages, webhook, email } } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _) = storage::open(&cfg).await?;
            bench::outbox::seed(store.as_ref(), messages, webhook.as_deref(), email.as_deref()).await?;
        }
        Command::Bench { command: BenchCommand::Status { cases, seconds, concurrency, serve, cases_out } } => {
            if let Some(out) = &cases_out {
                bench::status::cases_file(cases, out)?;
            }
            let (direct, http) = bench::status::run(cases, seconds, concurrency, serve).await?;
            direct.print("status look-up in process");
            if serve.is_none() {
                http.print("status look-up over HTTP");
            }
        }
        Command::Bench { command: BenchCommand::SharingIntake { packages, concurrency, export } } => {
            bench::sharing::intake(packages, concurrency, export.as_deref()).await?.print("sharing intake");
        }
        Command::Bench { command: BenchCommand::SharingHub { hub, token, cert, logins, seconds, concurrency } } => {
            let password = hub::DEMO_WALLET_PASSWORD;
            let (codes, requests) =
                bench::sharing::hub(&hub, &token, &cert, &logins, password, seconds, concurrency).await?;
            codes.print("hub code issuance");
            requests.print("hub document requests");
        }
        Command::Bench { command: BenchCommand::SharingFlow { fund, hub, logins, count } } => {
            let (wallet, pin) = (hub::DEMO_WALLET_PASSWORD, hub::DEMO_WALLET_PIN);
            let f = bench::sharing::flow(&fund, &hub, "specialist", demo::DEMO_PASSWORD, &logins, wallet, pin, count)
                .await?;
            f.submit.print("submit (fund + hub)");
            f.approve.print("approval (PIN container opened, consent signed)");
            f.approve_to_stored.print("approval to stored copy (consent, form, sign, seal, deliver, intake)");
            f.total.print("submit to stored copy, without think time");
        }
        Command::Bench { command } => {
            let cfg = Config::resolve(&cli.store, None)?;
            let (store, _) = storage::open(&cfg).await?;
            match command {
                BenchCommand::DirectLookup { rnokpps, seconds, concurrency } => {
                    bench::direct_lookup(store, &rnokpps, seconds, concurrency).await?.print("direct lookup");
                }
                BenchCommand::DirectApply { ids, unit, concurrency } => {
                    let unit = storage::unit_by_code(store.as_ref(), &unit).await?;
                    bench::direct_apply(store, &ids, unit.id, concurrency).await?.print("direct apply");
                }
                BenchCommand::ExportIds { count, ids, rnokpps } => {
                    bench::export_ids(store, count, &ids, &rnokpps).await?
                }
                _ => unreachable!("the sharing benchmarks are matched above"),
            }
        }
        Command::Sign { command } => return trust::sign(command),
        Command::Verify { command } => return Ok(trust::verify(command).await),
        Command::Digitization { command } => {
            return digitization::run(Config::resolve(&cli.store, None)?, command).await;
        }
        Command::Archive { command } => {
            let store = &cli.store;
            return archive::run(|| Config::resolve(store, None), command).await;
        }
        Command::Encrypt { input, output, to } => return trust::encrypt(&input, &output, &to),
        Command::Decrypt { input, output, key, cert } => return trust::decrypt(&input, &output, &key, &cert),
        Command::GenPeople { count, out, seed } => {
            demo::people::write_csv(&out, count, seed)?;
            println!("wrote {count} people to {}", out.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
