//! Digitization of paper (issue 20): the dossiers papers come in with, each
//! named by a dossier code whose daily number the store hands out; the
//! documents digitized in them, their pages' recognition (a job queue) and
//! their fields as read and as a person decided them.
use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};
use dossier_domain::digitization::{
    AgencyCode, ApplicantId, DocumentKind, DossierCode, Extracted, FieldKind, PageText, Place, ResultCodeScheme,
};
use dossier_domain::person::PersonData;
use serde::Serialize;
use uuid::Uuid;

use crate::{Actor, PersonRecord, StoreResult};

/// A dossier to open: the papers a person brought to `unit_id` for `procedure`.
#[derive(Debug, Clone)]
pub struct NewDigitizationDossier {
    pub id: Uuid,
    pub agency: AgencyCode,
    /// The day of receipt in the agency's time zone (the code's YYMMDD).
    pub received_on: NaiveDate,
    pub unit_id: i64,
    pub procedure: String,
    pub person_id: Option<Uuid>,
    /// The number on the applicant's identity paper, for the receipt.
    pub applicant: Option<ApplicantId>,
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DigitizationDossier {
    pub id: Uuid,
    /// `<agency code>-YYMMDD-NNNN`.
    pub code: DossierCode,
    pub unit_id: i64,
    pub procedure: String,
    pub person_id: Option<Uuid>,
    /// The number on the applicant's identity paper, as the counter typed it.
    pub applicant: Option<ApplicantId>,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[async_trait]
pub trait Digitization: Send + Sync {
    /// Opens a dossier under the next number of its agency's day, in one
    /// transaction with its audit entry: numbers never repeat, however many
    /// app servers open dossiers at once. The 10 000th of a day is refused
    /// (`Conflict`, `digitization.day_full`): the code has four digits for it.
    async fn open_digitization_dossier(
        &self,
        actor: &Actor,
        new: &NewDigitizationDossier,
    ) -> StoreResult<DigitizationDossier>;

    async fn digitization_dossier(&self, id: Uuid) -> StoreResult<Option<DigitizationDossier>>;

    /// The dossier with this code (codes are unique across agencies and days).
    async fn digitization_dossier_by_code(&self, code: &DossierCode) -> StoreResult<Option<DigitizationDossier>>;

    /// Registers a person whose record started from a digitized paper: their
    /// history records what it took (`paper.details`: which paper, which
    /// fields, from which page, decided by whom) and the paper's dossier
    /// becomes theirs if it was opened before they were registered — in the
    /// transaction that creates them.
    async fn create_person_from_paper(
        &self,
        actor: &Actor,
        unit_id: i64,
        person: &PersonData,
        paper: &FromPaper,
    ) -> StoreResult<PersonRecord>;
}

/// Where a new person's record came from: a digitized paper of this dossier.
#[derive(Debug, Clone)]
pub struct FromPaper {
    pub dossier_id: Uuid,
    /// What the record took, for the person's history (no values).
    pub details: serde_json::Value,
}

/// One scanned page to add: its image is already in the blob store.
#[derive(Debug, Clone)]
pub struct NewPage {
    pub image_sha256: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    pub dpi: f32,
}

#[derive(Debug, Clone)]
pub struct NewDigitizedDocument {
    pub id: Uuid,
    pub dossier_id: Uuid,
    pub kind: DocumentKind,
    pub pages: Vec<NewPage>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DigitizedStatus {
    /// Pages wait for recognition.
    Recognising,
    /// A person must look at one or more fields.
    Review,
    /// Every field is accepted as read or decided by a person.
    Ready,
}

impl DigitizedStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            DigitizedStatus::Recognising => "recognising",
            DigitizedStatus::Review => "review",
            DigitizedStatus::Ready => "ready",
        }
    }

    pub fn parse(s: &str) -> Option<DigitizedStatus> {
        [DigitizedStatus::Recognising, DigitizedStatus::Review, DigitizedStatus::Ready]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct DigitizedDocument {
    pub id: Uuid,
    pub dossier_id: Uuid,
    /// Its place in the dossier, from 1.
    pub ordinal: u32,
    /// The digitization-result code.
    pub result_code: String,
    #[schemars(with = "String")]
    pub kind: DocumentKind,
    pub status: DigitizedStatus,
    pub pages: u32,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    /// The signed, searchable PDF/A, once made.
    pub result: Option<DigitizedResult>,
}

/// A digitized document's signed PDF/A: an encrypted blob, by the SHA-256 of its content.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct DigitizedResult {
    pub sha256: String,
    pub made_at: DateTime<Utc>,
}

/// What a document's result is made of, page by page: the scan and what was read on it.
#[derive(Debug, Clone, PartialEq)]
pub struct ResultPage {
    pub image_sha256: String,
    pub media_type: String,
    pub dpi: f32,
    /// Empty for a page recognition gave up on.
    pub text: PageText,
}

/// A page's scan turned upright before recognition, already in the blob store.
#[derive(Debug, Clone, PartialEq)]
pub struct UprightScan {
    pub image_sha256: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
    /// What was done, e.g. "turned 180°, deskewed -4.2°".
    pub correction: String,
}

/// A stored page's scan.
#[derive(Debug, Clone, PartialEq)]
pub struct PageScan {
    pub image_sha256: String,
    pub media_type: String,
    pub width: u32,
    pub height: u32,
}

/// A page an OCR worker holds until its lease ends.
#[derive(Debug, Clone)]
pub struct ClaimedPage {
    pub document_id: Uuid,
    pub dossier_id: Uuid,
    pub page_no: u32,
    pub image_sha256: String,
    pub media_type: String,
    pub dpi: f32,
    pub kind: DocumentKind,
    /// Attempts before this one.
    pub attempts: u32,
}

/// A document whose pages have all settled while it is still `recognising`:
/// its texts, ready for extraction.
#[derive(Debug, Clone)]
pub struct SettledDocument {
    pub document_id: Uuid,
    pub dossier_id: Uuid,
    pub kind: DocumentKind,
    /// Every page's text in order (a page given up reads as empty).
    pub texts: Vec<PageText>,
}

/// What became of a claimed page.
#[derive(Debug, Clone)]
pub enum PageOutcome {
    Recognised(PageText),
    /// Try again at `retry_at`, or — `None` — give up: a person reads the page.
    Failed {
        error: String,
        retry_at: Option<DateTime<Utc>>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldStatus {
    /// Accepted as read: found, checked, agreeing, read surely enough.
    Accepted,
    /// Waits for a person.
    Review,
    /// A person confirmed the value as read.
    Confirmed,
    /// A person typed the value.
    Corrected,
}

impl FieldStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FieldStatus::Accepted => "accepted",
            FieldStatus::Review => "review",
            FieldStatus::Confirmed => "confirmed",
            FieldStatus::Corrected => "corrected",
        }
    }

    pub fn parse(s: &str) -> Option<FieldStatus> {
        [FieldStatus::Accepted, FieldStatus::Review, FieldStatus::Confirmed, FieldStatus::Corrected]
            .into_iter()
            .find(|x| x.as_str() == s)
    }
}

/// A field of a digitized document, with where it came from and who decided it.
#[derive(Debug, Clone, Serialize, schemars::JsonSchema)]
pub struct FieldRecord {
    #[schemars(with = "String")]
    pub field: FieldKind,
    pub value: Option<String>,
    /// The words as recognised.
    pub read: String,
    pub confidence: f32,
    #[schemars(with = "Option<serde_json::Value>")]
    pub place: Option<Place>,
    #[schemars(with = "Vec<serde_json::Value>")]
    pub problems: Vec<dossier_domain::Message>,
    pub status: FieldStatus,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
}

/// A person's decision on a field in review.
#[derive(Debug, Clone)]
pub enum FieldDecision {
    /// The value as read is right.
    Confirm,
    /// The value is this (already checked and in its normal form).
    Correct(String),
}

#[async_trait]
pub trait DigitizedDocuments: Send + Sync {
    /// Adds a document to its dossier under the dossier's next ordinal and the
    /// result code `scheme` makes of it, its pages queued for recognition.
    async fn add_digitized_document(
        &self,
        actor: &Actor,
        new: &NewDigitizedDocument,
        scheme: &ResultCodeScheme,
        now: DateTime<Utc>,
    ) -> StoreResult<DigitizedDocument>;

    /// Claims up to `limit` pages due for recognition until `now + lease`;
    /// on PostgreSQL with `FOR UPDATE SKIP LOCKED`, so any number of workers share them.
    async fn claim_pages(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> StoreResult<Vec<ClaimedPage>>;

    /// Records a page's outcome. When it was the document's last page to
    /// settle, returns every page's text in order (a page given up reads as
    /// empty), for extraction.
    async fn finish_page(
        &self,
        document_id: Uuid,
        page_no: u32,
        outcome: &PageOutcome,
    ) -> StoreResult<Option<Vec<PageText>>>;

    /// Up to `limit` documents still `recognising` though none of their pages
    /// waits: the worker that settled the last page died before extraction.
    async fn settled_unextracted(&self, limit: i64) -> StoreResult<Vec<SettledDocument>>;

    /// Up to `limit` documents extracted but without their signed result: the
    /// worker died before making it (or no seal was configured then).
    async fn extracted_unsealed(&self, limit: i64) -> StoreResult<Vec<DigitizedDocument>>;

    /// Stores what extraction read and the document's text for search (in
    /// `search_form`); the document goes to review if any field needs a
    /// person, else it is ready. A document already extracted is left as it is.
    async fn save_extraction(
        &self,
        document_id: Uuid,
        fields: &[Extracted],
        search_text: &str,
    ) -> StoreResult<DigitizedDocument>;

    /// Documents in `scope` whose recognised text holds every word of
    /// `words` (each already in `search_form`; a word matches as a prefix), newest first.
    async fn search_digitized(
        &self,
        scope: &dossier_domain::org::UnitPath,
        words: &[String],
        page: crate::Page,
    ) -> StoreResult<Vec<DigitizedDocument>>;

    async fn digitized_document(&self, id: Uuid) -> StoreResult<Option<(DigitizedDocument, Vec<FieldRecord>)>>;

    /// Documents of dossiers received in `scope`, oldest first (a queue), in
    /// `status` or any; with their dossier's office.
    async fn digitized_documents_in(
        &self,
        scope: &dossier_domain::org::UnitPath,
        status: Option<DigitizedStatus>,
        page: crate::Page,
    ) -> StoreResult<Vec<DigitizedDocument>>;

    /// A page's scan: where its image is and what it is.
    async fn digitized_page(&self, document_id: Uuid, page_no: u32) -> StoreResult<Option<PageScan>>;

    /// Each page's size in pixels, in page order.
    async fn digitized_page_sizes(&self, document_id: Uuid) -> StoreResult<Vec<(u32, u32)>>;

    /// Every stored page after `after` (document, page), in that order,
    /// `limit` at a time, with its stored images (the scan, and the scan as
    /// received when it was turned upright): the fixity check walks them all.
    async fn digitized_pages_after(
        &self,
        after: Option<(Uuid, u32)>,
        limit: i64,
    ) -> StoreResult<Vec<(Uuid, u32, Vec<String>)>>;

    /// Makes `upright` the page's scan (what is read, cropped and put in the
    /// result), keeping the scan as received: a later attempt's copy replaces
    /// the earlier copy, never the received scan.
    async fn set_upright_scan(&self, document_id: Uuid, page_no: u32, upright: &UprightScan) -> StoreResult<()>;

    /// Every page's scan and recognised text, in page order, to make the result from.
    async fn digitized_result_pages(&self, document_id: Uuid) -> StoreResult<Vec<ResultPage>>;

    /// Records the document's result, made at `at`, unless one is recorded already (two
    /// makers racing keep the first). Returns the document's result either way; `None` when
    /// the document does not exist.
    async fn save_digitized_result(
        &self,
        document_id: Uuid,
        sha256: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<DigitizedResult>>;

    /// Every stored result after document `after`, in id order, `limit` at a
    /// time (document id, SHA-256): the fixity check walks them all.
    async fn digitized_results_after(&self, after: Option<Uuid>, limit: i64) -> StoreResult<Vec<(Uuid, String)>>;

    /// A dossier's documents in order.
    async fn dossier_documents(&self, dossier_id: Uuid) -> StoreResult<Vec<DigitizedDocument>>;

    /// The documents of every dossier opened for `person_id`, newest first:
    /// the person's record lists them.
    async fn digitized_documents_of_person(&self, person_id: Uuid) -> StoreResult<Vec<DigitizedDocument>>;

    /// A person decides a field in review; the document is ready once none waits.
    /// `Conflict` when the field is not in review.
    async fn decide_field(
        &self,
        actor: &Actor,
        document_id: Uuid,
        field: FieldKind,
        decision: &FieldDecision,
        now: DateTime<Utc>,
    ) -> StoreResult<FieldRecord>;
}
