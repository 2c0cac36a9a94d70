//! Certificate production (regulation 26-1, §§ III–V): weekly batches and
//! the central duplicate check, production with numbers and blanks,
//! appointments by order, acceptance-transfer acts, issue at the counter and
//! the journal, destruction by commission, and what is due or late. The
//! order of stages and the people who may take each step are the domain's
//! and the store's; here each step is checked against the caller's
//! permission and scope.
use chrono::{DateTime, Duration, NaiveDate, Utc};
use dossier_domain::lifecycle::{CertificateForm, Event, Stage};
use dossier_domain::org::{Permission, UnitPath};
use dossier_domain::production::{
    BatchLevel, BatchWeek, EXPIRY_WARNING, ExpiryFlag, IssueInput, expiry_flag, hands_over_at,
};
use dossier_domain::text::printable;
use dossier_domain::time::{kyiv_midnight, kyiv_time};
use dossier_domain::{Invalid, Message};
use dossier_store::{
    ActAcceptance, ActStatus, AppointmentRecord, Batch, BatchCandidate, BatchOutcome, CertificateRecord,
    DestructionAct, DestructionLine, JournalLine, NewAppointment, Page, ProductionOverview, TransferAct, Unit,
};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use crate::error::{AppError, AppResult, ErrorKind};
use crate::{App, Caller, cards, documents};

fn unknown(field: &str, value: &str) -> AppError {
    AppError::field(field, Message::new("common.unknown_value").with("value", value))
}

/// `2026-W47`; `None` when not given (each use case says what that means).
pub fn week_of(s: Option<&str>) -> AppResult<Option<BatchWeek>> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => BatchWeek::parse(s).map(Some).ok_or_else(|| unknown("week", s)),
    }
}

pub fn level_of(s: &str) -> AppResult<BatchLevel> {
    BatchLevel::parse(s).ok_or_else(|| unknown("level", s))
}

// ---- batches ----

/// Batches submitted in the caller's scope (of one week, or all).
pub async fn batches(app: &App, caller: &Caller, week: Option<BatchWeek>) -> AppResult<Vec<Batch>> {
    caller.require(Permission::ReadProduction)?;
    Ok(app.store.batches(&caller.scope, week).await?)
}

/// The offices of a level in the caller's scope, with what their batch would
/// move and whether it is submitted (of `week`, by default the one the level
/// is collecting now).
pub async fn candidates(
    app: &App,
    caller: &Caller,
    week: Option<BatchWeek>,
    level: BatchLevel,
) -> AppResult<Vec<BatchCandidate>> {
    caller.require(Permission::ReadProduction)?;
    let week = week.unwrap_or_else(|| level.open_week(Utc::now()));
    let all = app.store.batch_candidates(week, level).await?;
    Ok(all.into_iter().filter(|c| app.sees_unit(caller, c.unit_id)).collect())
}

/// Submits an office's batch (early, on time or late); a repeat reports the
/// batch submitted before. Without a week, the one the office owes
/// ([`BatchLevel::due_week`]: a passed cut-off's week until it is submitted).
pub async fn submit_batch(
    app: &App,
    caller: &Caller,
    week: Option<BatchWeek>,
    level: BatchLevel,
    unit_id: i64,
) -> AppResult<BatchOutcome> {
    let unit = app.unit_for(caller, unit_id, Permission::SubmitBatch)?;
    Ok(app.store.submit_batch(&caller.actor(), week, level, unit.id, Utc::now()).await?)
}

/// A batch and the certificates it moved.
pub async fn batch(app: &App, caller: &Caller, id: Uuid) -> AppResult<(Batch, Vec<CertificateRecord>)> {
    let (b, certs) = app.store.batch(id).await?.ok_or_else(AppError::not_found)?;
    app.unit_for(caller, b.unit_id, Permission::ReadProduction)?;
    Ok((b, certs))
}

// ---- production and duplicate holds ----

/// Certificates to produce: by id, or everything of a central batch still in production.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct ProduceBody {
    pub certificate_ids: Vec<Uuid>,
    pub batch_id: Option<Uuid>,
}

/// Numbers certificates and records a blank for each.
pub async fn produce(app: &App, caller: &Caller, body: ProduceBody) -> AppResult<Vec<CertificateRecord>> {
    caller.require(Permission::ProduceCertificates)?;
    Invalid::each_once("certificate_ids", &body.certificate_ids)?;
    if body.certificate_ids.is_empty() && body.batch_id.is_none() {
        return Err(AppError::field("certificate_ids", "production.produce.nothing"));
    }
    let mut ids = body.certificate_ids;
    if let Some(b) = body.batch_id {
        let (_, certs) = app.store.batch(b).await?.ok_or_else(AppError::not_found)?;
        let named: std::collections::HashSet<Uuid> = ids.iter().copied().collect();
        ids.extend(
            certs.into_iter().filter(|c| c.stage == Stage::InProduction && !named.contains(&c.id)).map(|c| c.id),
        );
    }
    for id in &ids {
        let c = app.store.certificate(*id).await?.ok_or_else(AppError::not_found)?;
        app.authorize(caller, Permission::ProduceCertificates, &c.unit_path, &format!("certificate:{id}")).await?;
    }
    Ok(app.store.produce(&caller.actor(), &ids, Utc::now()).await?)
}

/// A decision on a duplicate hold.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(default)]
pub struct HoldDecision {
    /// `release` (production goes ahead) or `refuse`.
    #[schemars(required, extend("enum" = ["release", "refuse"]))]
    pub decision: String,
    /// Why, kept with the event.
    pub note: String,
}

pub async fn decide_hold(app: &App, caller: &Caller, id: Uuid, d: &HoldDecision) -> AppResult<CertificateRecord> {
    let c = app.store.certificate(id).await?.ok_or_else(AppError::not_found)?;
    app.authorize(caller, Permission::ProduceCertificates, &c.unit_path, &format!("certificate:{id}")).await?;
    let event = match d.decision.as_str() {
        "release" => Event::ReleaseHold,
        "refuse" => Event::Refuse,
        other => return Err(unknown("decision", other)),
    };
    if c.stage != Stage::DuplicateHold {
        return Err(AppError::conflict("production.hold.none"));
    }
    let note = Some(d.note.trim()).filter(|n| !n.is_empty());
    match (c.data.form, event) {
        // A card's hold is lifted by sending it to its bank.
        (CertificateForm::Card, Event::ReleaseHold) => {
            let sent = cards::release_hold(app, caller, &c).await?;
            let subject = format!("certificate:{id}");
            app.store.audit(&caller.actor(), "production.hold.release", &subject, json!({"note": note})).await?;
            Ok(sent)
        }
        _ => Ok(app.store.advance_certificate(&caller.actor(), id, event, note).await?),
    }
}

// ---- appointments by order ----

/// Who is appointed by order at a unit (the caller's own by default): for
/// production staff, and for the administrator who records the orders.
pub async fn appointments(app: &App, caller: &Caller, unit_id: Option<i64>) -> AppResult<Vec<AppointmentRecord>> {
    let permission =
        if caller.may(Permission::ManageStaff) { Permission::ManageStaff } else { Permission::ReadProduction };
    let unit = app.unit_for(caller, unit_id.unwrap_or(caller.unit.id), permission)?;
    Ok(app.store.appointments(unit.id).await?)
}

/// Records an order (administrator).
pub async fn appoint(app: &App, caller: &Caller, a: &NewAppointment) -> AppResult<AppointmentRecord> {
    app.unit_for(caller, a.unit_id, Permission::ManageStaff)?;
    // The order's number is printed on the acts the appointee signs.
    printable(&a.order_no).map_err(|m| AppError::field("order_no", m))?;
    Ok(app.store.appoint(&caller.actor(), a).await?)
}

// ---- acceptance-transfer acts ----

pub async fn acts(app: &App, caller: &Caller, page: Page) -> AppResult<Vec<TransferAct>> {
    caller.require(Permission::ReadProduction)?;
    Ok(app.store.transfer_acts(&caller.scope, page).await?)
}

/// What an act transfers.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NewAct {
    pub from_unit_id: i64,
    pub to_unit_id: i64,
    pub certificate_ids: Vec<Uuid>,
}

/// The sending side's responsible person draws up and signs an act (form 3).
pub async fn create_act(app: &App, caller: &Caller, a: &NewAct) -> AppResult<TransferAct> {
    let from = app.unit_for(caller, a.from_unit_id, Permission::SignTransferAct)?;
    Invalid::each_once("certificate_ids", &a.certificate_ids)?;
    Ok(app.store.create_transfer_act(&caller.actor(), from.id, a.to_unit_id, &a.certificate_ids, Utc::now()).await?)
}

/// An act from or to the caller's scope.
pub async fn act(app: &App, caller: &Caller, id: Uuid) -> AppResult<TransferAct> {
    let act = app.store.transfer_act(id).await?.ok_or_else(AppError::not_found)?;
    caller.require(Permission::ReadProduction)?;
    if app.sees_unit(caller, act.from_unit_id) || app.sees_unit(caller, act.to_unit_id) {
        Ok(act)
    } else {
        Err(AppError::not_found())
    }
}

/// Whether the caller may confirm the act as its receiving side.
pub fn may_accept(app: &App, caller: &Caller, act: &TransferAct) -> bool {
    act.status == ActStatus::Sent && caller.may(Permission::SignTransferAct) && app.sees_unit(caller, act.to_unit_id)
}

/// The receiving side confirms, recording what was missing, extra or damaged.
pub async fn accept_act(app: &App, caller: &Caller, id: Uuid, acceptance: &ActAcceptance) -> AppResult<TransferAct> {
    let act = act(app, caller, id).await?;
    app.unit_for(caller, act.to_unit_id, Permission::SignTransferAct)?;
    Invalid::each_once("received", acceptance.received.iter().flatten())?;
    Invalid::each_once("damaged", &acceptance.damaged)?;
    Ok(app.store.accept_transfer_act(&caller.actor(), act.id, acceptance, Utc::now()).await?)
}

/// Form 3, signed by the fund.
pub async fn act_pdf(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<u8>> {
    let act = act(app, caller, id).await?;
    documents::transfer_act(app, &act).await
}

// ---- issue and the journal (form 6) ----

/// Hands a certificate over at the counter after identification (§V); the
/// journal line is filled.
pub async fn issue(app: &App, caller: &Caller, id: Uuid, input: &IssueInput) -> AppResult<JournalLine> {
    let c = app.store.certificate(id).await?.ok_or_else(AppError::not_found)?;
    let subject = format!("person:{}", c.person_id);
    app.authorize(caller, Permission::HandOverCertificate, &c.unit_path, &subject).await?;
    // §V.2: handed over by the office the application names, and by no other.
    let office = app.unit(c.data.issue_unit_id).ok_or_else(AppError::not_found)?;
    if !hands_over_at(&caller.unit.path, &office.path) {
        let m = Message::new("production.issue.other_office").with("office", &office.name_uk);
        return Err(AppError::new(ErrorKind::Forbidden, "other_office", m));
    }
    let issue = input.validate()?;
    Ok(app.store.issue_certificate(&caller.actor(), id, &issue, Utc::now()).await?)
}

/// A period of the journal: Kyiv days `from`–`to` (default: the last 31 days to today).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl Period {
    /// The instants it covers and how the printed journal names it.
    fn bounds(self) -> (DateTime<Utc>, DateTime<Utc>, String) {
        // The fund's day is Kyiv's: after 22:00 UTC it is already tomorrow there.
        let to = self.to.unwrap_or_else(|| kyiv_time(Utc::now()).date_naive());
        let from = self.from.unwrap_or(to - Duration::days(31));
        let label = format!("{} – {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"));
        (kyiv_midnight(from), kyiv_midnight(to.succ_opt().unwrap_or(to)), label)
    }
}

/// The journal lines of a district (the caller's own by default) received in a period.
pub async fn journal(
    app: &App,
    caller: &Caller,
    unit_id: Option<i64>,
    period: Period,
) -> AppResult<(Unit, Vec<JournalLine>)> {
    let unit = app.unit_for(caller, unit_id.unwrap_or(caller.unit.id), Permission::ReadProduction)?;
    let (from, to, _) = period.bounds();
    let lines = app.store.journal(unit.id, from, to).await?;
    Ok((unit, lines))
}

/// The journal printed for a period, signed.
pub async fn journal_pdf(app: &App, caller: &Caller, unit_id: Option<i64>, period: Period) -> AppResult<Vec<u8>> {
    let (unit, lines) = journal(app, caller, unit_id, period).await?;
    let (_, _, label) = period.bounds();
    documents::journal(app, &unit, &label, &lines).await
}

// ---- destruction (§I.4, §III.8) ----

/// A destruction act to draw up.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
pub struct NewDestruction {
    pub unit_id: i64,
    /// The order appointing the commission.
    #[schemars(with = "dossier_domain::schema::Text")]
    pub order_no: String,
    pub items: Vec<DestructionLine>,
}

pub async fn create_destruction(app: &App, caller: &Caller, d: &NewDestruction) -> AppResult<DestructionAct> {
    let unit = app.unit_for(caller, d.unit_id, Permission::DestroyCertificates)?;
    printable(&d.order_no).map_err(|m| AppError::field("order_no", m))?;
    let ids = d.items.iter().map(|l| l.certificate_id);
    Invalid::each_once("items", &ids.collect::<Vec<_>>())?;
    Ok(app.store.create_destruction_act(&caller.actor(), unit.id, &d.order_no, &d.items, Utc::now()).await?)
}

async fn destruction_for(app: &App, caller: &Caller, id: Uuid, p: Permission) -> AppResult<DestructionAct> {
    let act = app.store.destruction_act(id).await?.ok_or_else(AppError::not_found)?;
    app.unit_for(caller, act.unit_id, p)?;
    Ok(act)
}

/// Destruction acts in the caller's scope, those awaiting signatures first:
/// where a commission member finds the act to sign.
pub async fn destructions(app: &App, caller: &Caller, page: Page) -> AppResult<Vec<DestructionAct>> {
    caller.require(Permission::ReadProduction)?;
    Ok(app.store.destruction_acts(&caller.scope, page).await?)
}

pub async fn destruction(app: &App, caller: &Caller, id: Uuid) -> AppResult<DestructionAct> {
    destruction_for(app, caller, id, Permission::ReadProduction).await
}

/// A commission member signs; the last signature destroys the certificates.
pub async fn sign_destruction(app: &App, caller: &Caller, id: Uuid) -> AppResult<DestructionAct> {
    let act = destruction_for(app, caller, id, Permission::DestroyCertificates).await?;
    Ok(app.store.sign_destruction_act(&caller.actor(), act.id, Utc::now()).await?)
}

pub async fn destruction_pdf(app: &App, caller: &Caller, id: Uuid) -> AppResult<Vec<u8>> {
    let act = destruction(app, caller, id).await?;
    documents::destruction_act(app, &act).await
}

// ---- what is due and late ----

/// Counts by stage, late items by office, median hours per stage, regions waiting for an act.
pub async fn overview(app: &App, caller: &Caller) -> AppResult<ProductionOverview> {
    caller.require(Permission::ReadProduction)?;
    Ok(app.store.production_overview(&caller.scope, Utc::now()).await?)
}

/// Certificates past their deadline (or due by `until`), the most overdue first.
pub async fn late(app: &App, caller: &Caller, until: DateTime<Utc>, page: Page) -> AppResult<Vec<CertificateRecord>> {
    caller.require(Permission::ReadProduction)?;
    Ok(app.store.late_certificates(&caller.scope, until, page).await?)
}

/// A certificate whose validity ends soon or has ended, with its flag.
#[derive(Debug, Serialize, JsonSchema)]
pub struct Expiring {
    #[serde(flatten)]
    pub certificate: CertificateRecord,
    pub flag: Option<ExpiryFlag>,
}

/// Term-limited certificates flagged before expiry (§III.9, §IV.4): live ones
/// whose validity ends within `days` (default 30, at most 366) of today, those
/// already past it first.
pub async fn expiring(app: &App, caller: &Caller, days: Option<i64>, page: Page) -> AppResult<Vec<Expiring>> {
    caller.require(Permission::ReadProduction)?;
    let days = days.unwrap_or(EXPIRY_WARNING.num_days());
    if !(0..=366).contains(&days) {
        let m = Message::new("common.out_of_range").with("min", 0).with("max", 366);
        return Err(AppError::invalid(Invalid::one("days", m)));
    }
    let today = kyiv_time(Utc::now()).date_naive();
    expiring_in(app, &caller.scope, today, days, page).await
}

async fn expiring_in(app: &App, scope: &UnitPath, today: NaiveDate, days: i64, page: Page) -> AppResult<Vec<Expiring>> {
    let until = today + Duration::days(days);
    let items = app.store.expiring_certificates(scope, until, page).await?;
    Ok(items.into_iter().map(|c| Expiring { flag: expiry_flag(c.valid_until, today), certificate: c }).collect())
}

/// The dashboard of the week in one read: the overview, what is due by the end
/// of today (Kyiv), what expires within the warning, this week's offices per
/// level, and the batches submitted recently (newest first).
pub struct Dashboard {
    pub week: BatchWeek,
    pub overview: ProductionOverview,
    pub due: Vec<CertificateRecord>,
    pub expiring: Vec<Expiring>,
    /// Each office's batch it owes now: the week whose cut-off passed while it
    /// is not submitted (overdue), else the week being collected.
    pub candidates: Vec<(BatchLevel, BatchWeek, BatchCandidate)>,
    pub recent: Vec<Batch>,
}

pub async fn dashboard(app: &App, caller: &Caller) -> AppResult<Dashboard> {
    let overview = overview(app, caller).await?;
    let now = Utc::now();
    let today = kyiv_time(now).date_naive();
    let end_of_day = kyiv_midnight(today + Duration::days(1));
    let due = app.store.late_certificates(&caller.scope, end_of_day, Page::new(0, 50)).await?;
    let expiring = expiring_in(app, &caller.scope, today, EXPIRY_WARNING.num_days(), Page::new(0, 50)).await?;
    let week = BatchWeek::of_acceptance(now);
    let mut candidates = vec![];
    for level in BatchLevel::ALL {
        let open = level.open_week(now);
        let mut owed: std::collections::HashMap<i64, BatchCandidate> = app
            .store
            .batch_candidates(open.prev(), level)
            .await?
            .into_iter()
            .filter(|c| c.submitted.is_none())
            .map(|c| (c.unit_id, c))
            .collect();
        for c in app.store.batch_candidates(open, level).await? {
            if app.sees_unit(caller, c.unit_id) {
                candidates.push(match owed.remove(&c.unit_id) {
                    Some(late) => (level, open.prev(), late),
                    None => (level, open, c),
                });
            }
        }
    }
    let mut recent = app.store.batches(&caller.scope, None).await?;
    recent.sort_by_key(|b| std::cmp::Reverse(b.submitted_at));
    recent.truncate(30);
    Ok(Dashboard { week, overview, due, expiring, candidates, recent })
}
