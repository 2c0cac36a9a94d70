//! [`SqlStore`]: the [`Store`] over SQLite or PostgreSQL.
mod applications;
mod ca;
mod cards;
mod import;
mod intake;
mod org;
mod people;
mod production;
pub(crate) mod rows;
mod staff;
pub(crate) mod steps;

use async_trait::async_trait;
use chrono::NaiveDate;
use dossier_domain::application::ApplicationInput;
use dossier_domain::calendar::WorkingCalendar;
use dossier_domain::org::UnitPath;
use dossier_domain::person::{PersonData, RepresentativeData};
use uuid::Uuid;

use dossier_db::audit::{AuditEntry, Log, PendingEntry, VerifyReport};
use dossier_db::audit_sql::AuditBatcher;
use dossier_db::{Backend, Db, Migrations, StoreResult, on_db};

use crate::Store;
use crate::model::*;

/// The fund's migrations per database, in order. Each runs once, in its own transaction.
const MIGRATIONS: Migrations = Migrations {
    sqlite: &[
        ("0001_foundation", include_str!("../../migrations/sqlite/0001_foundation.sql")),
        ("0002_certification_centre", include_str!("../../migrations/sqlite/0002_certification_centre.sql")),
        ("0003_sharing_intake", include_str!("../../migrations/sqlite/0003_sharing_intake.sql")),
        ("0004_production", include_str!("../../migrations/sqlite/0004_production.sql")),
        ("0005_card_exchange", include_str!("../../migrations/sqlite/0005_card_exchange.sql")),
        ("0006_batch_indexes", include_str!("../../migrations/sqlite/0006_batch_indexes.sql")),
        ("0007_certificate_validity", include_str!("../../migrations/sqlite/0007_certificate_validity.sql")),
        ("0008_one_name_index", include_str!("../../migrations/sqlite/0008_one_name_index.sql")),
    ],
    sqlite_access: &[("0001_access_log", include_str!("../../migrations/sqlite/access/0001_access_log.sql"))],
    postgres: &[
        ("0001_foundation", include_str!("../../migrations/postgres/0001_foundation.sql")),
        ("0002_access_log", include_str!("../../migrations/postgres/0002_access_log.sql")),
        ("0003_certification_centre", include_str!("../../migrations/postgres/0003_certification_centre.sql")),
        ("0004_sharing_intake", include_str!("../../migrations/postgres/0004_sharing_intake.sql")),
        ("0005_production", include_str!("../../migrations/postgres/0005_production.sql")),
        ("0006_card_exchange", include_str!("../../migrations/postgres/0006_card_exchange.sql")),
        ("0007_batch_indexes", include_str!("../../migrations/postgres/0007_batch_indexes.sql")),
        ("0008_certificate_validity", include_str!("../../migrations/postgres/0008_certificate_validity.sql")),
        ("0009_one_name_index", include_str!("../../migrations/postgres/0009_one_name_index.sql")),
    ],
};

/// The SQL implementation of [`Store`] for both backends.
pub struct SqlStore {
    pub(crate) db: Db,
    pub(crate) reads: AuditBatcher,
    /// Working days for the card deadline (SPEC §4: configured, with the martial-law switch).
    pub(crate) calendar: WorkingCalendar,
}

impl SqlStore {
    /// Connects (`sqlite://path?mode=rwc` or `postgres://…`) and migrates.
    pub async fn open(url: &str) -> StoreResult<SqlStore> {
        let db = Db::connect(url).await?;
        db.migrate(&MIGRATIONS).await?;
        let reads = AuditBatcher::spawn(db.clone());
        Ok(SqlStore { db, reads, calendar: WorkingCalendar::default() })
    }

    /// Replaces the working calendar deadlines are counted in.
    pub fn with_calendar(mut self, calendar: WorkingCalendar) -> SqlStore {
        self.calendar = calendar;
        self
    }

    /// Direct access for tests that must tamper with rows (audit
    /// verification): runs `sql` on the database holding `log`.
    pub async fn execute_raw(&self, log: Log, sql: &str) -> StoreResult<u64> {
        let affected = match log {
            Log::Change => on_db!(&self.db, write, |pool, _d| sqlx::raw_sql(sql).execute(pool).await?.rows_affected()),
            Log::Access => {
                on_db!(&self.db, access, |pool, _d| sqlx::raw_sql(sql).execute(pool).await?.rows_affected())
            }
        };
        Ok(affected)
    }
}

/// Range bounds for "path starts with `p`": every such path sorts in
/// `[p, p with its final '/' replaced by '0')` in byte order, which both
/// databases can answer from an ordinary index.
pub(crate) fn subtree_range(p: &UnitPath) -> (String, String) {
    let lo = p.as_str().to_owned();
    let mut hi = lo.clone();
    hi.pop();
    hi.push('0');
    (lo, hi)
}

#[async_trait]
impl Store for SqlStore {
    fn backend(&self) -> Backend {
        self.db.backend()
    }

    async fn create_unit(&self, actor: &Actor, unit: NewUnit) -> StoreResult<Unit> {
        self.create_unit_impl(actor, unit).await
    }
    async fn units(&self) -> StoreResult<Vec<Unit>> {
        self.units_impl().await
    }
    async fn unit(&self, id: i64) -> StoreResult<Option<Unit>> {
        self.unit_impl(id).await
    }

    async fn create_account(&self, actor: &Actor, account: NewAccount) -> StoreResult<Account> {
        self.create_account_impl(actor, account).await
    }
    async fn account(&self, id: Uuid) -> StoreResult<Option<Account>> {
        self.account_impl(id).await
    }
    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>> {
        self.account_by_login_impl(login).await
    }
    async fn accounts(&self) -> StoreResult<Vec<Account>> {
        self.accounts_impl().await
    }
    async fn login_failed(&self, id: Uuid, max_failures: i32, lock_for: chrono::Duration) -> StoreResult<()> {
        self.login_failed_impl(id, max_failures, lock_for).await
    }
    async fn login_succeeded(&self, id: Uuid) -> StoreResult<()> {
        self.login_succeeded_impl(id).await
    }
    async fn create_session(&self, session: NewSession) -> StoreResult<()> {
        self.create_session_impl(session).await
    }
    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>> {
        self.session_impl(token_hash).await
    }
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        self.delete_session_impl(token_hash).await
    }
    async fn create_api_token(
        &self,
        actor: &Actor,
        account_id: Uuid,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<Uuid> {
        self.create_api_token_impl(actor, account_id, name, token_hash).await
    }
    async fn account_by_api_token(&self, token_hash: &str) -> StoreResult<Option<Account>> {
        self.account_by_api_token_impl(token_hash).await
    }

    async fn create_person(&self, actor: &Actor, unit_id: i64, person: &PersonData) -> StoreResult<PersonRecord> {
        self.create_person_impl(actor, unit_id, person).await
    }
    async fn update_person(&self, actor: &Actor, id: Uuid, person: &PersonData) -> StoreResult<PersonRecord> {
        self.update_person_impl(actor, id, person).await
    }
    async fn person(&self, id: Uuid) -> StoreResult<Option<PersonRecord>> {
        self.person_impl(id).await
    }
    async fn person_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<PersonRecord>> {
        self.person_by_rnokpp_impl(rnokpp).await
    }
    async fn search_persons(
        &self,
        scope: &UnitPath,
        query: &PersonQuery,
        page: Page,
    ) -> StoreResult<Vec<PersonRecord>> {
        self.search_persons_impl(scope, query, page).await
    }
    async fn add_representative(
        &self,
        actor: &Actor,
        person_id: Uuid,
        rep: &RepresentativeData,
    ) -> StoreResult<RepresentativeRecord> {
        self.add_representative_impl(actor, person_id, rep).await
    }
    async fn representatives(&self, person_id: Uuid) -> StoreResult<Vec<RepresentativeRecord>> {
        self.representatives_impl(person_id).await
    }

    async fn add_document(&self, actor: &Actor, doc: NewDocument, as_photo: bool) -> StoreResult<DocumentMeta> {
        self.add_document_impl(actor, doc, as_photo).await
    }
    async fn documents(&self, person_id: Uuid) -> StoreResult<Vec<DocumentMeta>> {
        self.documents_impl(person_id).await
    }
    async fn document(&self, id: Uuid) -> StoreResult<Option<DocumentMeta>> {
        self.document_impl(id).await
    }

    async fn start_import(
        &self,
        actor: &Actor,
        file_sha256: &str,
        file_name: &str,
        unit_id: i64,
    ) -> StoreResult<ImportRun> {
        self.start_import_impl(actor, file_sha256, file_name, unit_id).await
    }
    async fn import_batch(&self, actor: &Actor, run: &ImportRun, batch: ImportBatch) -> StoreResult<ImportRun> {
        self.import_batch_impl(actor, run, batch).await
    }
    async fn import_persons(&self, actor: &Actor, unit_id: i64, rows: Vec<(i64, PersonData)>) -> StoreResult<i64> {
        self.import_persons_impl(actor, unit_id, rows).await
    }
    async fn finish_import(&self, run: &ImportRun) -> StoreResult<ImportRun> {
        self.finish_import_impl(run).await
    }
    async fn import_errors(&self, run_id: Uuid) -> StoreResult<Vec<ImportError>> {
        self.import_errors_impl(run_id).await
    }

    async fn create_application(
        &self,
        actor: &Actor,
        person_id: Uuid,
        input: &ApplicationInput,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<CertificateRecord> {
        self.create_application_impl(actor, person_id, input, at).await
    }
    async fn amend_application(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ApplicationInput,
        today: NaiveDate,
    ) -> StoreResult<CertificateRecord> {
        self.amend_application_impl(actor, id, input, today).await
    }
    async fn withdraw_application(&self, actor: &Actor, id: Uuid, note: &str) -> StoreResult<CertificateRecord> {
        self.withdraw_application_impl(actor, id, note).await
    }
    async fn advance_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        event: dossier_domain::lifecycle::Event,
        note: Option<&str>,
    ) -> StoreResult<CertificateRecord> {
        self.advance_certificate_impl(actor, id, event, note).await
    }
    async fn certificate(&self, id: Uuid) -> StoreResult<Option<CertificateRecord>> {
        self.certificate_impl(id).await
    }
    async fn certificates_of(&self, person_id: Uuid) -> StoreResult<Vec<CertificateRecord>> {
        self.certificates_of_impl(person_id).await
    }
    async fn list_certificates(
        &self,
        scope: &UnitPath,
        stage: Option<&str>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>> {
        self.list_certificates_impl(scope, stage, page).await
    }
    async fn certificate_events(&self, id: Uuid) -> StoreResult<Vec<CertificateEvent>> {
        self.certificate_events_impl(id).await
    }

    async fn batch_candidates(
        &self,
        week: dossier_domain::production::BatchWeek,
        level: BatchLevel,
    ) -> StoreResult<Vec<BatchCandidate>> {
        self.batch_candidates_impl(week, level).await
    }
    async fn submit_batch(
        &self,
        actor: &Actor,
        week: dossier_domain::production::BatchWeek,
        level: BatchLevel,
        unit_id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<BatchOutcome> {
        self.submit_batch_impl(actor, week, level, unit_id, now).await
    }
    async fn batches(
        &self,
        scope: &UnitPath,
        week: Option<dossier_domain::production::BatchWeek>,
    ) -> StoreResult<Vec<Batch>> {
        self.batches_impl(scope, week).await
    }
    async fn batch(&self, id: Uuid) -> StoreResult<Option<(Batch, Vec<CertificateRecord>)>> {
        self.batch_impl(id).await
    }
    async fn produce(
        &self,
        actor: &Actor,
        ids: &[Uuid],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<CertificateRecord>> {
        self.produce_impl(actor, ids, now).await
    }
    async fn appoint(&self, actor: &Actor, appointment: &NewAppointment) -> StoreResult<AppointmentRecord> {
        self.appoint_impl(actor, appointment).await
    }
    async fn appointments(&self, unit_id: i64) -> StoreResult<Vec<AppointmentRecord>> {
        self.appointments_impl(unit_id).await
    }
    async fn create_transfer_act(
        &self,
        actor: &Actor,
        from_unit_id: i64,
        to_unit_id: i64,
        certificate_ids: &[Uuid],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<TransferAct> {
        self.create_transfer_act_impl(actor, from_unit_id, to_unit_id, certificate_ids, now).await
    }
    async fn accept_transfer_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        acceptance: &ActAcceptance,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<TransferAct> {
        self.accept_transfer_act_impl(actor, act_id, acceptance, now).await
    }
    async fn transfer_act(&self, id: Uuid) -> StoreResult<Option<TransferAct>> {
        self.transfer_act_impl(id).await
    }
    async fn transfer_acts(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<TransferAct>> {
        self.transfer_acts_impl(scope, page).await
    }
    async fn issue_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &IssueInput,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<JournalLine> {
        self.issue_certificate_impl(actor, id, input, now).await
    }
    async fn journal(
        &self,
        unit_id: i64,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<JournalLine>> {
        self.journal_impl(unit_id, from, to).await
    }
    async fn create_destruction_act(
        &self,
        actor: &Actor,
        unit_id: i64,
        order_no: &str,
        lines: &[DestructionLine],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<DestructionAct> {
        self.create_destruction_act_impl(actor, unit_id, order_no, lines, now).await
    }
    async fn sign_destruction_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<DestructionAct> {
        self.sign_destruction_act_impl(actor, act_id, now).await
    }
    async fn destruction_act(&self, id: Uuid) -> StoreResult<Option<DestructionAct>> {
        self.destruction_act_impl(id).await
    }
    async fn late_certificates(
        &self,
        scope: &UnitPath,
        now: chrono::DateTime<chrono::Utc>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>> {
        self.late_certificates_impl(scope, now, page).await
    }
    async fn expiring_certificates(
        &self,
        scope: &UnitPath,
        until: chrono::NaiveDate,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>> {
        self.expiring_certificates_impl(scope, until, page).await
    }
    async fn production_overview(
        &self,
        scope: &UnitPath,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<ProductionOverview> {
        self.production_overview_impl(scope, now).await
    }
    async fn cards(&self, filter: &CardFilter, page: Page) -> StoreResult<Vec<CertificateRecord>> {
        self.cards_impl(filter, page).await
    }
    async fn card_step(
        &self,
        actor: &Actor,
        id: Uuid,
        message: &NewCardMessage,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(CertificateRecord, CardMessage)> {
        self.card_step_impl(actor, id, message, now).await
    }
    async fn card_messages(&self, id: Uuid) -> StoreResult<Vec<CardMessage>> {
        self.card_messages_impl(id).await
    }
    async fn record_issued_certificate(
        &self,
        actor: &Actor,
        cert: NewIssuedCertificate,
    ) -> StoreResult<IssuedCertificate> {
        self.record_issued_certificate_impl(actor, cert).await
    }
    async fn issued_certificate(&self, serial: &str) -> StoreResult<Option<IssuedCertificate>> {
        self.issued_certificate_impl(serial).await
    }
    async fn issued_certificates_of(&self, subject: CertSubject) -> StoreResult<Vec<IssuedCertificate>> {
        self.issued_certificates_of_impl(subject).await
    }
    async fn revoke_certificate(
        &self,
        actor: &Actor,
        serial: &str,
        reason: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<IssuedCertificate> {
        self.revoke_certificate_impl(actor, serial, reason, at).await
    }
    async fn crl_state(&self) -> StoreResult<CrlState> {
        self.crl_state_impl().await
    }
    async fn publish_crl(
        &self,
        actor: &Actor,
        this_update: chrono::DateTime<chrono::Utc>,
        next_update: chrono::DateTime<chrono::Utc>,
        sign: CrlSigner<'_>,
    ) -> StoreResult<CrlRecord> {
        self.publish_crl_impl(actor, this_update, next_update, sign).await
    }

    async fn save_sharing_branch(&self, actor: &Actor, branch: &SharingBranch) -> StoreResult<()> {
        self.save_sharing_branch_impl(actor, branch).await
    }
    async fn sharing_branches(&self) -> StoreResult<Vec<SharingBranch>> {
        self.sharing_branches_impl().await
    }
    async fn record_code_attempt(&self, actor: &Actor, attempt: &CodeAttempt) -> StoreResult<()> {
        self.record_code_attempt_impl(actor, attempt).await
    }
    async fn code_failures(
        &self,
        account_id: Option<Uuid>,
        branch_id: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(Vec<chrono::DateTime<chrono::Utc>>, Vec<chrono::DateTime<chrono::Utc>>)> {
        self.code_failures_impl(account_id, branch_id, since).await
    }
    async fn create_sharing_request(&self, actor: &Actor, request: &NewSharingRequest) -> StoreResult<SharingRequest> {
        self.create_sharing_request_impl(actor, request).await
    }
    async fn update_sharing_request(
        &self,
        actor: &Actor,
        id: Uuid,
        from: dossier_domain::intake::IntakeStatus,
        update: &SharingUpdate,
    ) -> StoreResult<Option<SharingRequest>> {
        self.update_sharing_request_impl(actor, id, from, update).await
    }
    async fn sharing_request(&self, id: Uuid) -> StoreResult<Option<SharingRequest>> {
        self.sharing_request_impl(id).await
    }
    async fn due_sharing_requests(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        limit: i64,
    ) -> StoreResult<Vec<SharingRequest>> {
        self.due_sharing_requests_impl(now, limit).await
    }
    async fn record_sharing_copy(&self, actor: &Actor, copy: &NewSharingCopy) -> StoreResult<(SharingCopy, bool)> {
        self.record_sharing_copy_impl(actor, copy).await
    }
    async fn sharing_copy(&self, request_id: Uuid) -> StoreResult<Option<SharingCopy>> {
        self.sharing_copy_impl(request_id).await
    }
    async fn review_queue(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<SharingCopy>> {
        self.review_queue_impl(scope, page).await
    }
    async fn assign_sharing_copy(&self, actor: &Actor, request_id: Uuid, person_id: Uuid) -> StoreResult<SharingCopy> {
        self.assign_sharing_copy_impl(actor, request_id, person_id).await
    }

    async fn audit(&self, actor: &Actor, action: &str, subject: &str, details: serde_json::Value) -> StoreResult<()> {
        self.reads.append(PendingEntry::new(&actor.label, action, subject, details)).await
    }
    async fn audit_of(&self, subject: &str, limit: i64) -> StoreResult<Vec<AuditEntry>> {
        dossier_db::audit_sql::history(&self.db, subject, limit).await
    }
    async fn audit_verify(&self) -> StoreResult<VerifyReport> {
        dossier_db::audit_sql::verify(&self.db).await
    }
}
