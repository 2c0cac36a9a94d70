//! Certificate production over HTTP (regulation 26-1, §§ III–V): weekly
//! batches, production, acceptance-transfer acts, issue and the journal,
//! destruction, and what is late. Handlers check the permission and the
//! caller's scope; the store enforces the regulation's order and people.
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::lifecycle::Event;
use dossier_domain::org::Permission;
use dossier_domain::production::{BatchLevel, BatchWeek, EXPIRY_WARNING, ExpiryFlag, IssueInput, expiry_flag};
use dossier_domain::{Invalid, Message};
use dossier_store::*;
use serde::{Deserialize, Serialize};
use serde_json::json;
use uuid::Uuid;

use super::extract::parse_id;
use super::{ApiJson, ApiQuery, Paged};
use crate::AppState;
use crate::access::Caller;
use crate::error::{ApiError, ApiResult};
use crate::production_pdf;

/// The unit `id`, if the caller may act on it with `p`.
fn unit_for(state: &AppState, caller: &Caller, id: i64, p: Permission) -> ApiResult<Unit> {
    caller.require(p)?;
    match state.unit(id) {
        Some(u) if caller.in_scope(&u.path) => Ok(u),
        _ => Err(ApiError::not_found().in_lang(caller.lang)),
    }
}

fn week_of(s: Option<&str>, lang: dossier_domain::Lang) -> ApiResult<BatchWeek> {
    match s.filter(|s| !s.is_empty()) {
        None => Ok(BatchWeek::of_acceptance(Utc::now())),
        Some(s) => BatchWeek::parse(s).ok_or_else(|| {
            ApiError::invalid(Invalid::one("week", Message::new("common.unknown_value").with("value", s))).in_lang(lang)
        }),
    }
}

fn level_of(s: &str, lang: dossier_domain::Lang) -> ApiResult<BatchLevel> {
    BatchLevel::parse(s).ok_or_else(|| {
        ApiError::invalid(Invalid::one("level", Message::new("common.unknown_value").with("value", s))).in_lang(lang)
    })
}

fn store_err(caller: &Caller) -> impl Fn(StoreError) -> ApiError + '_ {
    move |e| ApiError::from(e).in_lang(caller.lang)
}

// ---- batches ----

#[derive(Deserialize, Default)]
pub struct BatchQuery {
    pub week: Option<String>,
    pub level: Option<String>,
}

/// `GET /api/v1/production/batches` — batches submitted in the caller's scope.
pub async fn batches(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BatchQuery>,
) -> ApiResult<Json<Vec<Batch>>> {
    caller.require(Permission::ReadProduction)?;
    let week = match q.week.as_deref() {
        Some(w) if !w.is_empty() => Some(week_of(Some(w), caller.lang)?),
        _ => None,
    };
    Ok(Json(state.store.batches(&caller.scope, week).await.map_err(store_err(&caller))?))
}

/// `GET /api/v1/production/candidates?week=&level=` — the offices of a level
/// in scope, with what their batch would move and whether it is submitted.
pub async fn candidates(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<BatchQuery>,
) -> ApiResult<Json<Vec<BatchCandidate>>> {
    caller.require(Permission::ReadProduction)?;
    let week = week_of(q.week.as_deref(), caller.lang)?;
    let level = level_of(q.level.as_deref().unwrap_or("district"), caller.lang)?;
    let all = state.store.batch_candidates(week, level).await.map_err(store_err(&caller))?;
    Ok(Json(all.into_iter().filter(|c| state.unit(c.unit_id).is_some_and(|u| caller.in_scope(&u.path))).collect()))
}

#[derive(Deserialize)]
pub struct SubmitBody {
    pub week: Option<String>,
    pub level: String,
    pub unit_id: i64,
}

/// `POST /api/v1/production/batches` — submit an office's batch (early, on
/// time or late); a repeat returns the batch submitted before with 200.
pub async fn submit(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<SubmitBody>,
) -> ApiResult<(StatusCode, Json<BatchOutcome>)> {
    let unit = unit_for(&state, &caller, body.unit_id, Permission::SubmitBatch)?;
    let week = week_of(body.week.as_deref(), caller.lang)?;
    let level = level_of(&body.level, caller.lang)?;
    let out = state
        .store
        .submit_batch(&caller.actor(), week, level, unit.id, Utc::now())
        .await
        .map_err(store_err(&caller))?;
    let status = if matches!(out, BatchOutcome::Submitted(_)) { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(out)))
}

/// `GET /api/v1/production/batches/{id}` — a batch and its certificates.
pub async fn batch(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<serde_json::Value>> {
    let id = parse_id(&id)?;
    let (b, certs) = state.store.batch(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    unit_for(&state, &caller, b.unit_id, Permission::ReadProduction)?;
    Ok(Json(json!({"batch": b, "certificates": certs})))
}

// ---- production and duplicate holds ----

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ProduceBody {
    pub certificate_ids: Vec<Uuid>,
    /// Everything of this central batch that is still in production.
    pub batch_id: Option<Uuid>,
}

/// `POST /api/v1/production/produce` — number certificates and record their blanks.
pub async fn produce(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ProduceBody>,
) -> ApiResult<Json<Vec<CertificateRecord>>> {
    caller.require(Permission::ProduceCertificates)?;
    let mut ids = body.certificate_ids;
    if let Some(b) = body.batch_id {
        let (_, certs) = state.store.batch(b).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
        ids.extend(
            certs.into_iter().filter(|c| c.stage == dossier_domain::lifecycle::Stage::InProduction).map(|c| c.id),
        );
    }
    for id in &ids {
        let c = state.store.certificate(*id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
        caller.authorize(&state, Permission::ProduceCertificates, &c.unit_path, &format!("certificate:{id}")).await?;
    }
    Ok(Json(state.store.produce(&caller.actor(), &ids, Utc::now()).await.map_err(store_err(&caller))?))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DecisionBody {
    /// `release` (production goes ahead) or `refuse`.
    pub decision: String,
    pub note: String,
}

/// `POST /api/v1/production/holds/{id}` — decide a duplicate hold.
pub async fn decide_hold(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<DecisionBody>,
) -> ApiResult<Json<CertificateRecord>> {
    let id = parse_id(&id)?;
    let c = state.store.certificate(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(&state, Permission::ProduceCertificates, &c.unit_path, &format!("certificate:{id}")).await?;
    let event = match body.decision.as_str() {
        "release" => Event::ReleaseHold,
        "refuse" => Event::Refuse,
        other => {
            return Err(ApiError::invalid(Invalid::one(
                "decision",
                Message::new("common.unknown_value").with("value", other),
            ))
            .in_lang(caller.lang));
        }
    };
    if c.stage != dossier_domain::lifecycle::Stage::DuplicateHold {
        return Err(ApiError::from(StoreError::Conflict(Message::new("production.hold.none"))).in_lang(caller.lang));
    }
    let note = Some(body.note.trim()).filter(|n| !n.is_empty());
    Ok(Json(state.store.advance_certificate(&caller.actor(), id, event, note).await.map_err(store_err(&caller))?))
}

// ---- appointments by order ----

#[derive(Deserialize, Default)]
pub struct UnitQuery {
    pub unit_id: Option<i64>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

/// `GET /api/v1/production/appointments?unit_id=` — who is appointed by order.
pub async fn appointments(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> ApiResult<Json<Vec<AppointmentRecord>>> {
    let unit = unit_for(&state, &caller, q.unit_id.unwrap_or(caller.unit.id), Permission::ReadProduction)?;
    Ok(Json(state.store.appointments(unit.id).await?))
}

/// `POST /api/v1/production/appointments` — record an order (administrator).
pub async fn appoint(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<NewAppointment>,
) -> ApiResult<(StatusCode, Json<AppointmentRecord>)> {
    unit_for(&state, &caller, body.unit_id, Permission::ManageStaff)?;
    let rec = state.store.appoint(&caller.actor(), &body).await.map_err(store_err(&caller))?;
    Ok((StatusCode::CREATED, Json(rec)))
}

// ---- acceptance-transfer acts ----

#[derive(Deserialize, Default)]
pub struct PageQuery {
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

pub async fn acts(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<TransferAct>>> {
    caller.require(Permission::ReadProduction)?;
    let page = super::page(q.offset, q.limit);
    let items = state.store.transfer_acts(&caller.scope, page).await?;
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}

#[derive(Deserialize)]
pub struct ActBody {
    pub from_unit_id: i64,
    pub to_unit_id: i64,
    pub certificate_ids: Vec<Uuid>,
}

/// `POST /api/v1/production/acts` — the sending side's responsible person draws up and signs an act.
pub async fn create_act(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<ActBody>,
) -> ApiResult<(StatusCode, Json<TransferAct>)> {
    let from = unit_for(&state, &caller, body.from_unit_id, Permission::SignTransferAct)?;
    let act = state
        .store
        .create_transfer_act(&caller.actor(), from.id, body.to_unit_id, &body.certificate_ids, Utc::now())
        .await
        .map_err(store_err(&caller))?;
    Ok((StatusCode::CREATED, Json(act)))
}

async fn load_act(state: &AppState, caller: &Caller, id: &str) -> ApiResult<TransferAct> {
    let id = parse_id(id)?;
    let act = state.store.transfer_act(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.require(Permission::ReadProduction)?;
    let visible =
        [act.from_unit_id, act.to_unit_id].iter().any(|u| state.unit(*u).is_some_and(|u| caller.in_scope(&u.path)));
    if visible { Ok(act) } else { Err(ApiError::not_found().in_lang(caller.lang)) }
}

pub async fn act(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<TransferAct>> {
    Ok(Json(load_act(&state, &caller, &id).await?))
}

/// `POST /api/v1/production/acts/{id}/accept` — the receiving side confirms,
/// recording what was missing, extra or damaged.
pub async fn accept_act(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<ActAcceptance>,
) -> ApiResult<Json<TransferAct>> {
    let act = load_act(&state, &caller, &id).await?;
    unit_for(&state, &caller, act.to_unit_id, Permission::SignTransferAct)?;
    Ok(Json(
        state
            .store
            .accept_transfer_act(&caller.actor(), act.id, &body, Utc::now())
            .await
            .map_err(store_err(&caller))?,
    ))
}

pub(super) fn pdf(bytes: Vec<u8>, name: &str) -> Response {
    let mut resp = bytes.into_response();
    resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{name}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    resp
}

/// `GET /api/v1/production/acts/{id}/pdf` — form 3, signed by the issuing office.
pub async fn act_pdf(State(state): State<AppState>, caller: Caller, Path(id): Path<String>) -> ApiResult<Response> {
    let act = load_act(&state, &caller, &id).await?;
    let bytes = production_pdf::transfer_act(&state, &act).await?;
    Ok(pdf(bytes, "act.pdf"))
}

// ---- issue and the journal ----

/// `POST /api/v1/production/certificates/{id}/issue` — hand over at the counter.
pub async fn issue(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<IssueInput>,
) -> ApiResult<Json<JournalLine>> {
    let id = parse_id(&id)?;
    let c = state.store.certificate(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    caller.authorize(&state, Permission::HandOverCertificate, &c.unit_path, &format!("person:{}", c.person_id)).await?;
    let issue = body.validate().map_err(|e| ApiError::invalid(e).in_lang(caller.lang))?;
    Ok(Json(state.store.issue_certificate(&caller.actor(), id, &issue, Utc::now()).await.map_err(store_err(&caller))?))
}

fn period(q: &UnitQuery) -> (DateTime<Utc>, DateTime<Utc>, String) {
    // The fund's day is Kyiv's: after 22:00 UTC it is already tomorrow there.
    let to = q.to.unwrap_or_else(|| dossier_domain::time::kyiv_time(Utc::now()).date_naive());
    let from = q.from.unwrap_or(to - chrono::Duration::days(31));
    let at = |d: NaiveDate| dossier_domain::time::kyiv_instant(d.and_time(chrono::NaiveTime::MIN));
    let label = format!("{} – {}", from.format("%d.%m.%Y"), to.format("%d.%m.%Y"));
    (at(from), at(to.succ_opt().unwrap_or(to)), label)
}

/// `GET /api/v1/production/journal?unit_id=&from=&to=` — form 6 lines received in the period.
pub async fn journal(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> ApiResult<Json<Vec<JournalLine>>> {
    let unit = unit_for(&state, &caller, q.unit_id.unwrap_or(caller.unit.id), Permission::ReadProduction)?;
    let (from, to, _) = period(&q);
    Ok(Json(state.store.journal(unit.id, from, to).await?))
}

/// `GET /api/v1/production/journal.pdf` — the journal printed for any period.
pub async fn journal_pdf(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<UnitQuery>,
) -> ApiResult<Response> {
    let unit = unit_for(&state, &caller, q.unit_id.unwrap_or(caller.unit.id), Permission::ReadProduction)?;
    let (from, to, label) = period(&q);
    let lines = state.store.journal(unit.id, from, to).await?;
    let bytes = production_pdf::journal(&state, &unit, &label, &lines).await?;
    Ok(pdf(bytes, "journal.pdf"))
}

// ---- destruction ----

#[derive(Deserialize)]
pub struct DestructionBody {
    pub unit_id: i64,
    /// The order appointing the commission.
    pub order_no: String,
    pub items: Vec<DestructionLine>,
}

pub async fn create_destruction(
    State(state): State<AppState>,
    caller: Caller,
    ApiJson(body): ApiJson<DestructionBody>,
) -> ApiResult<(StatusCode, Json<DestructionAct>)> {
    let unit = unit_for(&state, &caller, body.unit_id, Permission::DestroyCertificates)?;
    let act = state
        .store
        .create_destruction_act(&caller.actor(), unit.id, &body.order_no, &body.items, Utc::now())
        .await
        .map_err(store_err(&caller))?;
    Ok((StatusCode::CREATED, Json(act)))
}

async fn load_destruction(state: &AppState, caller: &Caller, id: &str, p: Permission) -> ApiResult<DestructionAct> {
    let id = parse_id(id)?;
    let act = state.store.destruction_act(id).await?.ok_or_else(|| ApiError::not_found().in_lang(caller.lang))?;
    unit_for(state, caller, act.unit_id, p)?;
    Ok(act)
}

pub async fn destruction(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DestructionAct>> {
    Ok(Json(load_destruction(&state, &caller, &id, Permission::ReadProduction).await?))
}

/// `POST /api/v1/production/destructions/{id}/sign` — a member signs; the
/// last signature destroys the certificates.
pub async fn sign_destruction(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Json<DestructionAct>> {
    let act = load_destruction(&state, &caller, &id, Permission::DestroyCertificates).await?;
    Ok(Json(state.store.sign_destruction_act(&caller.actor(), act.id, Utc::now()).await.map_err(store_err(&caller))?))
}

pub async fn destruction_pdf(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    let act = load_destruction(&state, &caller, &id, Permission::ReadProduction).await?;
    let bytes = production_pdf::destruction_act(&state, &act).await?;
    Ok(pdf(bytes, "destruction-act.pdf"))
}

// ---- what is late ----

/// `GET /api/v1/production/overview` — counts by stage, late items by office,
/// median hours per stage, regions waiting too long for an act.
pub async fn overview(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<ProductionOverview>> {
    caller.require(Permission::ReadProduction)?;
    Ok(Json(state.store.production_overview(&caller.scope, Utc::now()).await?))
}

/// `GET /api/v1/production/late` — certificates past their deadline, most overdue first.
pub async fn late(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> ApiResult<Json<Paged<CertificateRecord>>> {
    caller.require(Permission::ReadProduction)?;
    let page = super::page(q.offset, q.limit);
    let items = state.store.late_certificates(&caller.scope, Utc::now(), page).await?;
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ExpiringQuery {
    /// How far ahead to look, in days (default: the 30-day warning).
    pub days: Option<i64>,
    pub offset: Option<i64>,
    pub limit: Option<i64>,
}

/// A certificate whose validity ends soon or has ended, with its flag.
#[derive(Serialize)]
pub struct Expiring {
    #[serde(flatten)]
    pub certificate: CertificateRecord,
    pub flag: Option<ExpiryFlag>,
}

/// Live certificates in `scope` whose validity ends within `days` of `today`
/// (those already past it first), each with its flag (§III.9, §IV.4).
pub async fn expiring_in(
    state: &AppState,
    scope: &dossier_domain::org::UnitPath,
    today: NaiveDate,
    days: i64,
    page: Page,
) -> ApiResult<Vec<Expiring>> {
    let until = today + chrono::Duration::days(days);
    let items = state.store.expiring_certificates(scope, until, page).await?;
    Ok(items.into_iter().map(|c| Expiring { flag: expiry_flag(c.valid_until, today), certificate: c }).collect())
}

/// `GET /api/v1/production/expiring?days=` — term-limited certificates flagged before expiry:
/// fixed-term paper and cards whose own validity or pension term ends within `days`
/// (default 30, at most 366), those already expired first.
pub async fn expiring(
    State(state): State<AppState>,
    caller: Caller,
    ApiQuery(q): ApiQuery<ExpiringQuery>,
) -> ApiResult<Json<Paged<Expiring>>> {
    caller.require(Permission::ReadProduction)?;
    let days = q.days.unwrap_or(EXPIRY_WARNING.num_days());
    if !(0..=366).contains(&days) {
        return Err(ApiError::invalid(Invalid::one(
            "days",
            Message::new("common.out_of_range").with("min", 0).with("max", 366),
        ))
        .in_lang(caller.lang));
    }
    let page = super::page(q.offset, q.limit);
    let today = dossier_domain::time::kyiv_time(Utc::now()).date_naive();
    let items = expiring_in(&state, &caller.scope, today, days, page).await?;
    Ok(Json(Paged { items, offset: page.offset, limit: page.limit }))
}
