//! The weekly production run at national scale (BENCHMARKS.md "Certificate
//! production"): 27 regions of districts, `persons` registry records and
//! `applications` accepted paper applications, then `batches::run` over all
//! three levels — the same code `dossier batches run` runs. The registry and
//! the applications are a fixture written with set-based SQL (loading a
//! million people through the API would measure the import, not the run);
//! 0.5 % of the people are registered twice, so the duplicate check finds and
//! holds real conflicts.
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{Duration, SecondsFormat, Utc};
use dossier_domain::application::ApplicationInput;
use dossier_domain::org::UnitKind;
use dossier_domain::production::BatchWeek;
use dossier_store::audit::Log;
use dossier_store::{Actor, Backend, NewUnit, SqlStore, Store};
use dossier_store::{Applications as _, Notifications as _, Org as _, People as _};

use crate::batches::{self, LevelSummary};

pub struct Report {
    pub backend: Backend,
    pub fixture_secs: f64,
    pub levels: Vec<(dossier_domain::production::BatchLevel, LevelSummary)>,
    pub total_secs: f64,
    /// CPU seconds this process spent in the run (SQLite works in-process),
    /// steadier than the wall clock on a shared host.
    pub cpu_secs: Option<f64>,
    pub rerun_secs: f64,
    /// The naive peer: certificates moved one transaction each (`advance_certificate`).
    pub naive: (usize, f64),
    /// Subscribed share of applicants, and the messages the run wrote to the outbox.
    pub subscribed: u8,
    pub webhook: bool,
    pub notifications: i64,
}

impl Report {
    pub fn print(&self) {
        println!("backend {:?}: fixture {:.1} s", self.backend, self.fixture_secs);
        for (level, s) in &self.levels {
            println!(
                "  {:<8} {:>4} offices, {:>7} certificates, {:>5} held, {:>5} waiting for a photo: {:.2} s",
                level.as_str(),
                s.offices,
                s.certificates,
                s.held,
                s.without_photo,
                s.secs
            );
        }
        let cpu = self.cpu_secs.map(|c| format!(" ({c:.2} s of CPU in this process)")).unwrap_or_default();
        println!(
            "  weekly run total: {:.2} s{cpu}; repeated run (all already submitted): {:.2} s",
            self.total_secs, self.rerun_secs
        );
        println!(
            "  subscribed: {} % of applicants by e-mail{}; {} messages written to the outbox",
            self.subscribed,
            if self.webhook { " and one system webhook" } else { "" },
            self.notifications
        );
        let moved: i64 = self.levels.iter().map(|(_, s)| s.certificates).sum();
        let (n, secs) = self.naive;
        let batch_rate = moved as f64 / self.total_secs;
        let naive_rate = n as f64 / secs;
        println!(
            "  naive peer: {n} certificates submitted one transaction each in {secs:.2} s = {naive_rate:.0}/s; \
             the batched run moved {batch_rate:.0} certificate-steps/s ({:.1}x)",
            batch_rate / naive_rate
        );
    }
}

/// Runs on a new SQLite file in the temporary folder, or on `database_url`,
/// which must name an empty PostgreSQL database (bench/production.sh makes one).
pub async fn on_fresh_database(
    database_url: Option<&str>,
    persons: u64,
    applications: u64,
    districts_per_region: usize,
    naive: usize,
    subscribed: u8,
    webhook: bool,
) -> Result<Report> {
    match database_url {
        None => {
            let dir = std::env::temp_dir().join(format!("dossier-bench-{}", uuid::Uuid::new_v4().simple()));
            std::fs::create_dir_all(&dir)?;
            let store = SqlStore::open(&format!("sqlite://{}", dir.join("bench.db").display())).await?;
            let report = run(store, persons, applications, districts_per_region, naive, subscribed, webhook).await;
            let _ = std::fs::remove_dir_all(&dir);
            report
        }
        Some(url) => {
            run(SqlStore::open(url).await?, persons, applications, districts_per_region, naive, subscribed, webhook)
                .await
        }
    }
}

/// `dossier bench production-seed`: the fixture alone, in a configured store,
/// for `dossier batches run --week WEEK` (the crash test kills that run).
pub async fn seed(store: &SqlStore, persons: u64, applications: u64, districts_per_region: usize) -> Result<BatchWeek> {
    national_fixture(store, persons, applications, districts_per_region).await?;
    Ok(BatchWeek::of_acceptance(accepted_at()))
}

/// Builds the fixture in `store` and times the weekly run.
pub async fn run(
    store: SqlStore,
    persons: u64,
    applications: u64,
    districts_per_region: usize,
    naive: usize,
    subscribed: u8,
    webhook: bool,
) -> Result<Report> {
    let backend = store.backend();
    let started = Instant::now();
    let central = national_fixture(&store, persons, applications, districts_per_region).await?;
    if subscribed > 0 {
        subscribe_share(&store, subscribed, webhook).await?;
    }
    let fixture_secs = started.elapsed().as_secs_f64();
    let actor = Actor::system("bench");
    let store: Arc<dyn Store> = Arc::new(store);
    // The naive peer first: the same district step, one certificate per transaction.
    let root = dossier_domain::org::UnitPath::root(central.id);
    let mut sample = vec![];
    while sample.len() < naive {
        let page = dossier_store::Page::new(sample.len() as i64, 200);
        let got = store.list_certificates(&root, Some("accepted"), page).await?;
        if got.is_empty() {
            break;
        }
        sample.extend(got);
    }
    sample.truncate(naive);
    let t = Instant::now();
    for c in &sample {
        store.advance_certificate(&actor, c.id, dossier_domain::lifecycle::Event::SubmitToRegion, None).await?;
    }
    let naive = (sample.len(), t.elapsed().as_secs_f64());
    let week = BatchWeek::of_acceptance(accepted_at());
    let t = Instant::now();
    let cpu_before = process_cpu_secs();
    let levels = batches::run(store.clone(), Some(week), &dossier_domain::production::BatchLevel::ALL, false).await?;
    let total_secs = t.elapsed().as_secs_f64();
    let cpu_secs = process_cpu_secs().zip(cpu_before).map(|(after, before)| after - before);
    let t = Instant::now();
    batches::run(store.clone(), Some(week), &dossier_domain::production::BatchLevel::ALL, false).await?;
    let rerun_secs = t.elapsed().as_secs_f64();
    let counts = store.outbox_counts(Utc::now() - Duration::days(1)).await?;
    let notifications = counts.iter().map(|c| c.count).sum();
    Ok(Report {
        backend,
        fixture_secs,
        levels,
        total_secs,
        cpu_secs,
        rerun_secs,
        naive,
        subscribed,
        webhook,
        notifications,
    })
}

/// When the fixture's applications were accepted: an hour ago.
fn accepted_at() -> chrono::DateTime<Utc> {
    Utc::now() - Duration::hours(1)
}

/// User and system CPU time of this process so far (all its threads), from
/// `/proc/self/stat` (Linux; its clock ticks are USER_HZ = 100 a second).
fn process_cpu_secs() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // Fields after the command name (which may hold spaces): state is the first, utime the 12th, stime the 13th.
    let rest = &stat[stat.rfind(')')? + 1..];
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some((user + system) as f64 / 100.0)
}

/// Subscribes `percent` % of the applicants by e-mail (those whose number
/// ends in 00 … percent−1, so the share is exact and the same every run) and,
/// with `webhook`, registers one system webhook, told of every case.
async fn subscribe_share(store: &SqlStore, percent: u8, webhook: bool) -> Result<()> {
    let now = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
    let sql = format!(
        "INSERT INTO subscriptions (person_id, certificate_id, channel, address, lang, status, created_by, created_at, active_at) \
         SELECT person_id, id, 'email', 'bench@example.org', 'uk', 'active', 'bench', '{now}', '{now}' FROM certificates \
         WHERE CAST(substr(number, length(number) - 1) AS INTEGER) < {percent}"
    );
    let sql = match store.backend() {
        Backend::Postgres => {
            sql.replace(&format!("'{now}', '{now}'"), &format!("'{now}'::timestamptz, '{now}'::timestamptz"))
        }
        Backend::Sqlite => sql,
    };
    store.execute_raw(Log::Change, &sql).await?;
    if !webhook {
        return Ok(());
    }
    let hook = dossier_store::NewSubscription {
        person_id: None,
        certificate_id: None,
        channel: dossier_domain::notify::Channel::Webhook,
        address: Some("https://registry.example/hooks".into()),
        secret: Some(dossier_notify::webhook::new_secret()),
        lang: "uk".into(),
        active: true,
        link_expires_at: None,
        limit_pending: false,
        request_id: None,
    };
    store.subscribe(&Actor::system("bench"), &hook, None, Utc::now()).await?;
    Ok(())
}

/// A national org tree (27 regions × `districts_per_region` districts) with
/// `persons` registry records and `applications` accepted paper applications,
/// written by set-based SQL (see [`fixture_sql`]); returns the central fund.
pub async fn national_fixture(
    store: &SqlStore,
    persons: u64,
    applications: u64,
    districts_per_region: usize,
) -> Result<dossier_store::Unit> {
    let actor = Actor::system("bench");
    let unit = |parent: Option<i64>, kind, code: String| NewUnit {
        parent_id: parent,
        kind,
        name_uk: code.clone(),
        name_en: code.clone(),
        code,
        address: None,
    };
    let central = store.create_unit(&actor, unit(None, UnitKind::CentralFund, "C".into())).await?;
    let mut first_district = None;
    for r in 0..27 {
        let region =
            store.create_unit(&actor, unit(Some(central.id), UnitKind::RegionalOffice, format!("R{r:02}"))).await?;
        for d in 0..districts_per_region {
            let district = store
                .create_unit(&actor, unit(Some(region.id), UnitKind::DistrictOffice, format!("D{r:02}{d:02}")))
                .await?;
            first_district.get_or_insert(district);
        }
    }
    let first_district = first_district.context("no districts")?;
    // One application through the store gives the stored JSON shape the fixture copies.
    let template_person = store
        .create_person(
            &actor,
            first_district.id,
            &dossier_domain::person::PersonInput {
                surname: "Шаблон".into(),
                given_name: "Петро".into(),
                birth_date: "1950-01-01".into(),
                sex: "male".into(),
                religious_refusal: true,
                passport: Some("КВ000001".into()),
                ..Default::default()
            }
            .validate(Utc::now().date_naive())
            .map_err(|e| anyhow::anyhow!("{e:?}"))?,
        )
        .await?;
    let input = ApplicationInput {
        pension_kind: "old_age".into(),
        form: "paper".into(),
        issue_unit_id: Some(first_district.id),
        ..Default::default()
    };
    store.create_application(&actor, template_person.id, &input, Utc::now()).await?;
    let template = format!("\"issue_unit_id\":{}", first_district.id);
    for statement in fixture_sql(store.backend(), persons, applications, &template) {
        store
            .execute_raw(Log::Change, &statement)
            .await
            .with_context(|| statement.chars().take(80).collect::<String>())?;
    }
    Ok(central)
}

/// Each photo document becomes its person's photo (the same statement on both databases).
const PHOTO_IDS: &str =
    "UPDATE persons SET photo_id = d.id FROM documents d WHERE d.person_id = persons.id AND d.kind = 'photo'";

/// The fixture as SQL for `backend`: people spread over the districts
/// (record i: `okzo` = i; records from `persons − persons/200` on repeat the
/// name and birth date of records from 0), applications of records below
/// `applications`, accepted an hour ago, each with a photo document (its
/// metadata only: the run checks that a photo is there, never reads it)
/// except one applicant in 200, whose application waits for it (§III). Ids are UUIDv7 as the store makes
/// them (`Uuid::now_v7`): a millisecond timestamp first, so records made one
/// after another sort together, as they do in every index on an id.
fn fixture_sql(backend: Backend, persons: u64, applications: u64, template: &str) -> Vec<String> {
    let dup_from = persons - persons / 200;
    let ts = |t: chrono::DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::AutoSi, false);
    let accepted = accepted_at();
    let due = BatchWeek::of_acceptance(accepted).district_cutoff();
    let (accepted, due) = (ts(accepted), ts(due));
    // The name and birth index: duplicates copy those of the first records.
    let k = format!("(CASE WHEN i >= {dup_from} THEN i - {dup_from} ELSE i END)");
    let districts = "CREATE TABLE bench_districts AS SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS k, id, path FROM org_units WHERE kind = 'district_office'";
    let index = "CREATE INDEX bench_districts_k ON bench_districts (k)";
    let count = "(SELECT COUNT(*) FROM bench_districts)";
    // UUIDv7 of the n-th record: 48-bit milliseconds, version 7, 12 random
    // bits, variant 10, 62 random bits.
    let base_ms = (Utc::now() - Duration::days(30)).timestamp_millis();
    let v7_sqlite = |n: &str| {
        format!(
            "unhex(printf('%012x7%03x%x%015x', {base_ms} + {n}, abs(random()) % 4096, 8 + abs(random()) % 4, \
             abs(random()) % 1152921504606846976))"
        )
    };
    let v7_pg = |n: &str| {
        format!(
            "(lpad(to_hex({base_ms} + {n}), 12, '0') || '7' || substr(md5(random()::text), 1, 3) || '8' \
             || substr(md5(random()::text), 1, 15))::uuid"
        )
    };
    match backend {
        Backend::Sqlite => vec![
            districts.into(),
            index.into(),
            format!(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < {last}) \
                 INSERT INTO persons (id, unit_id, unit_path, rnokpp, religious_refusal, passport, id_card, unzr, account_no, okzo, \
                   surname, given_name, patronymic, name_key, birth_date, sex, capacity, idp, photo_id, created_at, updated_at) \
                 SELECT {id}, d.id, d.path, NULL, 0, NULL, NULL, NULL, NULL, printf('%010d', i), \
                   'Прізвище' || {k}, 'Петро', 'Іванович', 'прізвище' || {k} || ' петро іванович', \
                   date('1940-01-01', '+' || ({k} % 20000) || ' days'), 'male', 'full', 0, NULL, '{accepted}', '{accepted}' \
                 FROM n JOIN bench_districts d ON d.k = i % {count}",
                last = persons - 1,
                id = v7_sqlite("i"),
            ),
            format!(
                "INSERT INTO certificates (id, number, person_id, unit_id, unit_path, pension_kind, form, issue_unit_id, stage, data, \
                   created_by, created_at, updated_at, stage_at, due_at) \
                 SELECT {id}, 'Б-' || p.okzo, p.id, p.unit_id, p.unit_path, 'old_age', 'paper', p.unit_id, 'accepted', \
                   replace((SELECT data FROM certificates LIMIT 1), '{template}', '\"issue_unit_id\":' || p.unit_id), \
                   'bench', '{accepted}', '{accepted}', '{accepted}', '{due}' \
                 FROM persons p WHERE p.okzo < printf('%010d', {applications})",
                id = v7_sqlite(&format!("{persons} + p.rowid")),
            ),
            format!(
                "INSERT INTO documents (id, person_id, kind, content_type, sha256, size, source, created_by, created_at) \
                 SELECT {id}, p.id, 'photo', 'image/jpeg', printf('%064x', p.rowid), 30000, 'upload', 'bench', '{accepted}' \
                 FROM persons p WHERE p.okzo < printf('%010d', {applications}) AND CAST(p.okzo AS INTEGER) % 200 <> 199",
                id = v7_sqlite(&format!("2 * {persons} + p.rowid")),
            ),
            PHOTO_IDS.into(),
            "DROP TABLE bench_districts".into(),
            "ANALYZE".into(),
        ],
        Backend::Postgres => vec![
            districts.into(),
            index.into(),
            format!(
                "INSERT INTO persons (id, unit_id, unit_path, rnokpp, religious_refusal, passport, id_card, unzr, account_no, okzo, \
                   surname, given_name, patronymic, name_key, birth_date, sex, capacity, idp, photo_id, created_at, updated_at) \
                 SELECT {id}, d.id, d.path, NULL, false, NULL, NULL, NULL, NULL, lpad(i::text, 10, '0'), \
                   'Прізвище' || {k}, 'Петро', 'Іванович', 'прізвище' || {k} || ' петро іванович', \
                   DATE '1940-01-01' + ({k} % 20000)::int, 'male', 'full', false, NULL, '{accepted}', '{accepted}' \
                 FROM generate_series(0, {last}) AS i JOIN bench_districts d ON d.k = i % {count}",
                last = persons - 1,
                id = v7_pg("i"),
            ),
            format!(
                "INSERT INTO certificates (id, number, person_id, unit_id, unit_path, pension_kind, form, issue_unit_id, stage, data, \
                   created_by, created_at, updated_at, stage_at, due_at) \
                 SELECT {id}, 'Б-' || p.okzo, p.id, p.unit_id, p.unit_path, 'old_age', 'paper', p.unit_id, 'accepted', \
                   replace((SELECT data FROM certificates LIMIT 1), '{template}', '\"issue_unit_id\":' || p.unit_id), \
                   'bench', '{accepted}', '{accepted}', '{accepted}', '{due}' \
                 FROM persons p WHERE p.okzo < lpad('{applications}', 10, '0')",
                id = v7_pg(&format!("{persons} + p.okzo::bigint")),
            ),
            format!(
                "INSERT INTO documents (id, person_id, kind, content_type, sha256, size, source, created_by, created_at) \
                 SELECT {id}, p.id, 'photo', 'image/jpeg', lpad(to_hex(p.okzo::bigint), 64, '0'), 30000, 'upload', 'bench', '{accepted}' \
                 FROM persons p WHERE p.okzo < lpad('{applications}', 10, '0') AND p.okzo::bigint % 200 <> 199",
                id = v7_pg(&format!("2 * {persons} + p.okzo::bigint")),
            ),
            PHOTO_IDS.into(),
            "DROP TABLE bench_districts".into(),
            "ANALYZE".into(),
        ],
    }
}
