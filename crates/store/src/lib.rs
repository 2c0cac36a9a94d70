//! Persistence for Dossier.
//!
//! * [`Store`] — the one repository trait the server holds as `Arc<dyn Store>`.
//!   [`SqlStore`] implements it for both SQLite (embedded default) and
//!   PostgreSQL (scale-out). The SQL text is shared; the code that runs it is
//!   instantiated once per backend by the `on_db!` macro (see `db.rs`), so the
//!   dialect differences live in one small place and the router never becomes
//!   generic over the database.
//! * [`blobs::BlobStore`] — content-addressed, encrypted-at-rest documents over
//!   the `object_store` crate (local folder now, S3-compatible later).
//! * [`audit`] — the append-only, hash-chained audit log and its verifier.
//!
//! Every write is one transaction that validates first (domain rules run
//! inside the transaction, over facts read in it) and appends its audit
//! entries last, so a refused command writes nothing.

pub mod blobs;
mod model;
mod sql;

pub use dossier_db::audit;
pub use dossier_db::{Backend, StoreError, StoreResult};
pub use model::*;
pub use sql::SqlStore;

use async_trait::async_trait;
use chrono::NaiveDate;
use dossier_domain::application::ApplicationInput;
use dossier_domain::org::UnitPath;
use dossier_domain::person::{PersonData, RepresentativeData};
use uuid::Uuid;

/// The repository: everything the service reads and writes.
#[async_trait]
pub trait Store: Send + Sync + 'static {
    fn backend(&self) -> Backend;

    // ---- organisation ----
    async fn create_unit(&self, actor: &Actor, unit: NewUnit) -> StoreResult<Unit>;
    async fn units(&self) -> StoreResult<Vec<Unit>>;
    async fn unit(&self, id: i64) -> StoreResult<Option<Unit>>;

    // ---- staff, sessions, API tokens ----
    async fn create_account(&self, actor: &Actor, account: NewAccount) -> StoreResult<Account>;
    async fn account(&self, id: Uuid) -> StoreResult<Option<Account>>;
    async fn account_by_login(&self, login: &str) -> StoreResult<Option<Account>>;
    async fn accounts(&self) -> StoreResult<Vec<Account>>;
    /// Counts a failed login; locks the account for `lock_for` once `max_failures` is reached.
    async fn login_failed(&self, id: Uuid, max_failures: i32, lock_for: chrono::Duration) -> StoreResult<()>;
    async fn login_succeeded(&self, id: Uuid) -> StoreResult<()>;
    async fn create_session(&self, session: NewSession) -> StoreResult<()>;
    async fn session(&self, token_hash: &str) -> StoreResult<Option<(Session, Account)>>;
    async fn delete_session(&self, token_hash: &str) -> StoreResult<()>;
    async fn create_api_token(
        &self,
        actor: &Actor,
        account_id: Uuid,
        name: &str,
        token_hash: &str,
    ) -> StoreResult<Uuid>;
    async fn account_by_api_token(&self, token_hash: &str) -> StoreResult<Option<Account>>;

    // ---- people ----
    async fn create_person(&self, actor: &Actor, unit_id: i64, person: &PersonData) -> StoreResult<PersonRecord>;
    async fn update_person(&self, actor: &Actor, id: Uuid, person: &PersonData) -> StoreResult<PersonRecord>;
    async fn person(&self, id: Uuid) -> StoreResult<Option<PersonRecord>>;
    async fn person_by_rnokpp(&self, rnokpp: &str) -> StoreResult<Option<PersonRecord>>;
    async fn search_persons(&self, scope: &UnitPath, query: &PersonQuery, page: Page)
    -> StoreResult<Vec<PersonRecord>>;
    async fn add_representative(
        &self,
        actor: &Actor,
        person_id: Uuid,
        rep: &RepresentativeData,
    ) -> StoreResult<RepresentativeRecord>;
    async fn representatives(&self, person_id: Uuid) -> StoreResult<Vec<RepresentativeRecord>>;

    // ---- documents (metadata; the bytes live in the blob store) ----
    async fn add_document(&self, actor: &Actor, doc: NewDocument, as_photo: bool) -> StoreResult<DocumentMeta>;
    async fn documents(&self, person_id: Uuid) -> StoreResult<Vec<DocumentMeta>>;
    async fn document(&self, id: Uuid) -> StoreResult<Option<DocumentMeta>>;

    // ---- bulk import ----
    /// Finds an unfinished run of the same file (to resume) or starts a new one.
    async fn start_import(
        &self,
        actor: &Actor,
        file_sha256: &str,
        file_name: &str,
        unit_id: i64,
    ) -> StoreResult<ImportRun>;
    /// Stores one batch of validated rows and the batch's rejected rows, and
    /// advances the run's position — all in one transaction, so a crash
    /// resumes exactly after the last committed batch.
    async fn import_batch(&self, actor: &Actor, run: &ImportRun, batch: ImportBatch) -> StoreResult<ImportRun>;
    async fn finish_import(&self, run: &ImportRun) -> StoreResult<ImportRun>;
    /// Stores validated people all or nothing (the API's CSV upload): if any
    /// is already in the registry, nothing is written and the rows are named.
    async fn import_persons(&self, actor: &Actor, unit_id: i64, rows: Vec<(i64, PersonData)>) -> StoreResult<i64>;
    async fn import_errors(&self, run_id: Uuid) -> StoreResult<Vec<ImportError>>;

    // ---- pension-certificate applications ----
    /// Files an application at `at`: the rules judge it by that instant's Kyiv
    /// date, and its deadline runs from that instant.
    async fn create_application(
        &self,
        actor: &Actor,
        person_id: Uuid,
        input: &ApplicationInput,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<CertificateRecord>;
    async fn amend_application(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &ApplicationInput,
        today: NaiveDate,
    ) -> StoreResult<CertificateRecord>;
    async fn withdraw_application(&self, actor: &Actor, id: Uuid, note: &str) -> StoreResult<CertificateRecord>;
    /// Moves a certificate one step along its life cycle (`dossier_domain::lifecycle::next`).
    async fn advance_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        event: dossier_domain::lifecycle::Event,
        note: Option<&str>,
    ) -> StoreResult<CertificateRecord>;
    async fn certificate(&self, id: Uuid) -> StoreResult<Option<CertificateRecord>>;
    async fn certificates_of(&self, person_id: Uuid) -> StoreResult<Vec<CertificateRecord>>;
    async fn list_certificates(
        &self,
        scope: &UnitPath,
        stage: Option<&str>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>>;
    async fn certificate_events(&self, id: Uuid) -> StoreResult<Vec<CertificateEvent>>;

    // ---- certificate production (regulation 26-1, §§ III–V) ----
    /// The offices that submit at `level`, with what each has waiting for `week`'s batch.
    async fn batch_candidates(
        &self,
        week: dossier_domain::production::BatchWeek,
        level: BatchLevel,
    ) -> StoreResult<Vec<BatchCandidate>>;
    /// Submits one office's batch in one transaction (the central level runs
    /// the duplicate check); a batch submitted before is reported, not repeated.
    async fn submit_batch(
        &self,
        actor: &Actor,
        week: dossier_domain::production::BatchWeek,
        level: BatchLevel,
        unit_id: i64,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<BatchOutcome>;
    async fn batches(
        &self,
        scope: &UnitPath,
        week: Option<dossier_domain::production::BatchWeek>,
    ) -> StoreResult<Vec<Batch>>;
    /// A batch and the certificates it moved.
    async fn batch(&self, id: Uuid) -> StoreResult<Option<(Batch, Vec<CertificateRecord>)>>;
    /// Numbers certificates that passed the duplicate check and records a blank for each.
    async fn produce(
        &self,
        actor: &Actor,
        ids: &[Uuid],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<CertificateRecord>>;
    async fn appoint(&self, actor: &Actor, appointment: &NewAppointment) -> StoreResult<AppointmentRecord>;
    async fn appointments(&self, unit_id: i64) -> StoreResult<Vec<AppointmentRecord>>;
    async fn create_transfer_act(
        &self,
        actor: &Actor,
        from_unit_id: i64,
        to_unit_id: i64,
        certificate_ids: &[Uuid],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<TransferAct>;
    async fn accept_transfer_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        acceptance: &ActAcceptance,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<TransferAct>;
    async fn transfer_act(&self, id: Uuid) -> StoreResult<Option<TransferAct>>;
    async fn transfer_acts(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<TransferAct>>;
    async fn issue_certificate(
        &self,
        actor: &Actor,
        id: Uuid,
        input: &IssueInput,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<JournalLine>;
    async fn journal(
        &self,
        unit_id: i64,
        from: chrono::DateTime<chrono::Utc>,
        to: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<Vec<JournalLine>>;
    async fn create_destruction_act(
        &self,
        actor: &Actor,
        unit_id: i64,
        order_no: &str,
        lines: &[DestructionLine],
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<DestructionAct>;
    async fn sign_destruction_act(
        &self,
        actor: &Actor,
        act_id: Uuid,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<DestructionAct>;
    async fn destruction_act(&self, id: Uuid) -> StoreResult<Option<DestructionAct>>;
    /// Certificates in `scope` past their deadline, the most overdue first.
    async fn late_certificates(
        &self,
        scope: &UnitPath,
        now: chrono::DateTime<chrono::Utc>,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>>;
    /// Live certificates in `scope` whose validity ends on or before `until`,
    /// the soonest (or already past) first: what is flagged before expiry.
    async fn expiring_certificates(
        &self,
        scope: &UnitPath,
        until: chrono::NaiveDate,
        page: Page,
    ) -> StoreResult<Vec<CertificateRecord>>;
    async fn production_overview(
        &self,
        scope: &UnitPath,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<ProductionOverview>;

    // ---- the card exchange (regulation 26-1, §IV) ----
    /// Cards in a party's queue, those nearest their deadline first.
    async fn cards(&self, filter: &CardFilter, page: Page) -> StoreResult<Vec<CertificateRecord>>;
    /// One step of a card reported by a party: the stage change, the sealed
    /// message and the audit entry in one transaction; refused (nothing
    /// written) if it is not a card, not the party's step, or out of order.
    async fn card_step(
        &self,
        actor: &Actor,
        id: Uuid,
        message: &NewCardMessage,
        now: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(CertificateRecord, CardMessage)>;
    /// A card's exchange, oldest first.
    async fn card_messages(&self, id: Uuid) -> StoreResult<Vec<CardMessage>>;

    // ---- certification centre ----
    /// Records a certificate the issuing CA signed, with its audit entry.
    async fn record_issued_certificate(
        &self,
        actor: &Actor,
        cert: NewIssuedCertificate,
    ) -> StoreResult<IssuedCertificate>;
    /// A certificate by serial (hex, any case, colons allowed).
    async fn issued_certificate(&self, serial: &str) -> StoreResult<Option<IssuedCertificate>>;
    /// Certificates issued to a person or an org unit, newest first.
    async fn issued_certificates_of(&self, subject: CertSubject) -> StoreResult<Vec<IssuedCertificate>>;
    /// Revokes a certificate (`Conflict` if it already is), bumping the
    /// revocation counter that makes the latest CRL stale.
    async fn revoke_certificate(
        &self,
        actor: &Actor,
        serial: &str,
        reason: &str,
        at: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<IssuedCertificate>;
    /// The revocation counter and the latest published CRL.
    async fn crl_state(&self) -> StoreResult<CrlState>;
    /// Publishes a new CRL in one transaction: takes the next CRL number,
    /// lists every revoked certificate, lets `sign` build the DER and stores it.
    async fn publish_crl(
        &self,
        actor: &Actor,
        this_update: chrono::DateTime<chrono::Utc>,
        next_update: chrono::DateTime<chrono::Utc>,
        sign: CrlSigner<'_>,
    ) -> StoreResult<CrlRecord>;

    // ---- document sharing: the fund's intake ----
    /// Registers (or re-registers) an org unit as a branch with the hub.
    async fn save_sharing_branch(&self, actor: &Actor, branch: &SharingBranch) -> StoreResult<()>;
    async fn sharing_branches(&self) -> StoreResult<Vec<SharingBranch>>;
    /// Records a typed code (accepted or refused) with its audit entry.
    async fn record_code_attempt(&self, actor: &Actor, attempt: &CodeAttempt) -> StoreResult<()>;
    /// Times of wrong codes since `since`: by the account, and at the branch.
    async fn code_failures(
        &self,
        account_id: Option<Uuid>,
        branch_id: &str,
        since: chrono::DateTime<chrono::Utc>,
    ) -> StoreResult<(Vec<chrono::DateTime<chrono::Utc>>, Vec<chrono::DateTime<chrono::Utc>>)>;
    /// A new request in status `submitting`; `Conflict(sharing.code.used)` if
    /// another live request holds the barcode.
    async fn create_sharing_request(&self, actor: &Actor, request: &NewSharingRequest) -> StoreResult<SharingRequest>;
    /// Changes a request that still has status `from`; `None` if it had moved.
    async fn update_sharing_request(
        &self,
        actor: &Actor,
        id: Uuid,
        from: dossier_domain::intake::IntakeStatus,
        update: &SharingUpdate,
    ) -> StoreResult<Option<SharingRequest>>;
    async fn sharing_request(&self, id: Uuid) -> StoreResult<Option<SharingRequest>>;
    /// Live requests whose next hub call is due.
    async fn due_sharing_requests(
        &self,
        now: chrono::DateTime<chrono::Utc>,
        limit: i64,
    ) -> StoreResult<Vec<SharingRequest>>;
    /// Stores a delivered copy once per request; `(copy, false)` for a repeat.
    async fn record_sharing_copy(&self, actor: &Actor, copy: &NewSharingCopy) -> StoreResult<(SharingCopy, bool)>;
    async fn sharing_copy(&self, request_id: Uuid) -> StoreResult<Option<SharingCopy>>;
    /// Copies no person matched, requested within `scope`, oldest first.
    async fn review_queue(&self, scope: &UnitPath, page: Page) -> StoreResult<Vec<SharingCopy>>;
    async fn assign_sharing_copy(&self, actor: &Actor, request_id: Uuid, person_id: Uuid) -> StoreResult<SharingCopy>;

    // ---- audit ----
    /// Records a read (or a refused attempt). Reads are group-committed: many
    /// concurrent reads share one transaction, and the call returns once the
    /// entry is durable.
    async fn audit(&self, actor: &Actor, action: &str, subject: &str, details: serde_json::Value) -> StoreResult<()>;
    async fn audit_of(&self, subject: &str, limit: i64) -> StoreResult<Vec<audit::AuditEntry>>;
    async fn audit_verify(&self) -> StoreResult<audit::VerifyReport>;
}
