//! The pension record: employers, their reports (insurance periods and
//! monthly earnings), and the mistakes citizens report in their record.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::org::UnitPath;
use dossier_domain::record::{Activity, ReportRow, YearTotals};
use schemars::JsonSchema;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, StoreResult};

/// Employers, reports, the record, corrections.
#[async_trait]
pub trait PensionRecords: Send + Sync {
    /// Registers an employer or renames it.
    async fn save_employer(&self, actor: &Actor, code: &str, name: &str) -> StoreResult<Employer>;
    async fn employer(&self, code: &str) -> StoreResult<Option<Employer>>;
    /// Stores an employer's report in one transaction, or nothing: every row
    /// must name a person in the registry, fit the periods on file (no month
    /// reported twice, no hiring into an open period, nothing before birth or
    /// in the future); problems are named `rows[LINE].FIELD`.
    async fn import_report(
        &self,
        actor: &Actor,
        employer: &str,
        rows: &[(i64, ReportRow)],
        today: NaiveDate,
    ) -> StoreResult<ReportReceipt>;
    async fn pension_record(&self, person_id: Uuid) -> StoreResult<PensionRecord>;
    async fn report_record_mistake(&self, mistake: &NewCorrection) -> StoreResult<Correction>;
    async fn record_corrections(&self, scope: &UnitPath, open_only: bool) -> StoreResult<Vec<Correction>>;
    async fn record_corrections_of(&self, person_id: Uuid) -> StoreResult<Vec<Correction>>;
    async fn record_correction(&self, id: Uuid) -> StoreResult<Option<Correction>>;
    async fn resolve_record_correction(&self, actor: &Actor, id: Uuid, answer: &str) -> StoreResult<Correction>;
}

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Employer {
    pub code: String,
    pub name: String,
}

/// What an accepted report brought.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct ReportReceipt {
    pub id: Uuid,
    pub employer: String,
    pub rows: i64,
    pub periods_opened: i64,
    pub periods_closed: i64,
}

/// One insurance period as the record shows it, with the reports it came from.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct PeriodRecord {
    pub employer: String,
    pub employer_name: String,
    #[schemars(with = "String")]
    pub kind: Activity,
    pub from: NaiveDate,
    pub to: Option<NaiveDate>,
    /// When the report that opened it arrived.
    pub reported_at: DateTime<Utc>,
}

/// A year of the record.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct YearRecord {
    pub year: i32,
    /// Months with earnings reported.
    pub months: u32,
    /// Kopecks.
    pub wage: i64,
    pub contribution: i64,
    /// The employers that reported in the year.
    pub employers: Vec<String>,
}

impl YearRecord {
    pub fn totals(&self) -> YearTotals {
        YearTotals { year: self.year, months: self.months, wage: self.wage, contribution: self.contribution }
    }
}

#[derive(Debug, Clone, Default, Serialize, JsonSchema)]
pub struct PensionRecord {
    pub periods: Vec<PeriodRecord>,
    pub years: Vec<YearRecord>,
}

#[derive(Debug, Clone)]
pub struct NewCorrection {
    pub person_id: Uuid,
    /// Who reported it: `citizen:<subject>`.
    pub reported_by: String,
    pub year: Option<i32>,
    pub text: String,
}

/// A mistake reported in a record: a case for staff until answered.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct Correction {
    pub id: Uuid,
    pub person_id: Uuid,
    #[serde(skip)]
    pub unit_path: UnitPath,
    pub year: Option<i32>,
    pub text: String,
    /// `open` or `resolved`.
    pub status: String,
    pub answer: Option<String>,
    pub created_at: DateTime<Utc>,
    pub resolved_at: Option<DateTime<Utc>>,
}
