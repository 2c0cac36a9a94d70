//! The pension record (issue 21 §2) for staff: employers, their reports
//! loaded into people's records (all or nothing, each bad row named), a
//! person's record, and the mistakes citizens report, answered as cases.
//! What the citizen sees of it is [`crate::account`].
use chrono::{NaiveDate, Utc};
use dossier_domain::calculator::{Decimal, PointsScheme, Tables};
use dossier_domain::org::Permission;
use dossier_domain::record::{EmployerCode, RecordLength, ReportLayout};
use dossier_domain::{Invalid, Message};
use dossier_store::{Correction, Employer, PensionRecord, ReportReceipt};
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::{App, Caller, people};

/// Longest answer to, or description of, a mistake.
pub const MAX_TEXT: usize = 2000;

/// Registers an employer (EDRPOU or a sole proprietor's RNOKPP) or renames it.
pub async fn save_employer(app: &App, caller: &Caller, code: &str, name: &str) -> AppResult<Employer> {
    caller.require(Permission::ImportReports)?;
    let mut errs = Invalid::default();
    let code = errs.check("code", EmployerCode::parse(code));
    let name = name.trim();
    if name.is_empty() {
        errs.push("name", "common.required");
    } else if name.chars().count() > 300 {
        errs.push("name", Message::new("common.too_long").with("max", 300));
    }
    errs.into_result()?;
    let code = code.ok_or_else(AppError::internal)?;
    Ok(app.store.save_employer(&caller.actor(), code.as_str(), name).await?)
}

/// Loads an employer's report (CSV, `dossier_domain::record::REPORT_HEADER`).
pub async fn import_report(app: &App, caller: &Caller, employer: &str, body: &[u8]) -> AppResult<ReportReceipt> {
    caller.require(Permission::ImportReports)?;
    let employer = EmployerCode::parse(employer).map_err(|m| AppError::field("employer", m))?;
    let today = Utc::now().date_naive();
    let rows = parse_report(body, today)?;
    Ok(app.store.import_report(&caller.actor(), employer.as_str(), &rows, today).await?)
}

/// Reads a report's rows; any bad row refuses the file, each problem named `rows[LINE].FIELD`.
pub fn parse_report(body: &[u8], today: NaiveDate) -> AppResult<Vec<(i64, dossier_domain::record::ReportRow)>> {
    crate::csv_upload::read_text::<ReportLayout>(body, today)
}

/// A person's record with its length, as staff and the citizen see it.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecordView {
    #[serde(flatten)]
    pub record: PensionRecord,
    /// The insurance record, each day counted once.
    #[schemars(with = "serde_json::Value")]
    pub length: RecordLength,
    /// In a jurisdiction that counts them: the points each year earned (years
    /// the tables do not cover are left out), and their sum.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub points: Option<RecordPoints>,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct RecordPoints {
    pub by_year: Vec<YearPoints>,
    /// Decimal, three places.
    pub total: String,
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct YearPoints {
    pub year: i32,
    /// Decimal, three places, e.g. `8.123`.
    pub points: String,
}

pub(crate) async fn view_of(app: &App, person_id: Uuid) -> AppResult<RecordView> {
    let record = app.store.pension_record(person_id).await?;
    let today = Utc::now().date_naive();
    let spans: Vec<_> = record.periods.iter().map(|p| (p.from, p.to)).collect();
    let points = match app.config().record_points {
        Some(scheme) => Some(points_of(crate::calculator::tables()?, scheme, &record)),
        None => None,
    };
    Ok(RecordView { length: RecordLength::of(&spans, today), record, points })
}

/// Each year's points from its reported earnings, under `scheme`.
fn points_of(tables: &Tables, scheme: PointsScheme, record: &PensionRecord) -> RecordPoints {
    let by_year: Vec<(i32, Decimal)> =
        record.years.iter().filter_map(|y| Some((y.year, tables.points_of_year(scheme, y.wage, y.year)?))).collect();
    let total: Decimal = by_year.iter().map(|(_, p)| *p).sum();
    RecordPoints {
        by_year: by_year.into_iter().map(|(year, p)| YearPoints { year, points: format!("{p:.3}") }).collect(),
        total: format!("{total:.3}"),
    }
}

/// A person's record, for staff with access to the person.
pub async fn record_of(app: &App, caller: &Caller, person_id: Uuid) -> AppResult<RecordView> {
    people::get(app, caller, person_id).await?;
    view_of(app, person_id).await
}

/// The mistakes reported in the records of people in the caller's scope.
pub async fn corrections(app: &App, caller: &Caller, open_only: bool) -> AppResult<Vec<Correction>> {
    caller.require(Permission::ReadPerson)?;
    Ok(app.store.record_corrections(&caller.scope, open_only).await?)
}

/// Answers a reported mistake (the citizen reads the answer in the account).
pub async fn resolve(app: &App, caller: &Caller, id: Uuid, answer: &str) -> AppResult<Correction> {
    caller.require(Permission::WritePerson)?;
    let case = app.store.record_correction(id).await?.ok_or_else(AppError::not_found)?;
    if !caller.in_scope(&case.unit_path) {
        return Err(AppError::not_found());
    }
    let answer = checked_text("answer", answer)?;
    Ok(app.store.resolve_record_correction(&caller.actor(), id, answer).await?)
}

/// A free text that must be there and not be too long.
pub(crate) fn checked_text<'a>(field: &str, text: &'a str) -> AppResult<&'a str> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::field(field, "common.required"));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::field(field, Message::new("common.too_long").with("max", MAX_TEXT as i64)));
    }
    Ok(text)
}
