//! Digitization of paper (issue 20): an office opens a dossier for the papers
//! a person brings, adds each paper as a document of scanned pages (each page
//! checked against the scan profile from its header before anything is
//! stored), the OCR workers read the pages ([`worker`]) and extraction
//! leaves every field either accepted or waiting for a person, who confirms
//! or corrects it here.
use std::borrow::Cow;

use chrono::{DateTime, Utc};
use dossier_domain::Lang;
use dossier_domain::digitization::{
    AgencyCode, ApplicantId, DocumentKind, DossierCode, FieldKind, ResultCodeScheme, ScanProfile,
};
use dossier_domain::org::Permission;
use dossier_domain::time::OfficeClock;
use dossier_scan::Tesseract;
use dossier_store::{
    DigitizationDossier, DigitizedDocument, FieldDecision, FieldRecord, NewDigitizationDossier, NewDigitizedDocument,
    NewPage,
};
use uuid::Uuid;

use crate::error::{AppError, AppResult};
use crate::{App, Caller};

pub mod receipt;
pub mod result;
pub mod reuse;
pub mod worker;

pub use receipt::receipt_pdf;

/// How an office digitizes.
#[derive(Debug, Clone)]
pub struct DigitizationSettings {
    /// The agency's code in dossier codes.
    pub agency: AgencyCode,
    pub scheme: ResultCodeScheme,
    pub profile: ScanProfile,
    pub tesseract: Tesseract,
    /// Recognition attempts per page before a person reads it.
    pub max_attempts: u32,
    /// How long a worker holds a page it claimed: a worker that dies gives its
    /// pages back when this ends. Longer than a page may take (the page timeout).
    pub lease: chrono::Duration,
    /// The office's clock: the day a dossier is numbered under, the time on the seal.
    pub clock: OfficeClock,
    /// The language of the seal mark and the result's metadata.
    pub language: Lang,
    /// The seal's picture on the mark; a drawn ring when none.
    pub seal_picture: Option<dossier_pdf::Picture>,
}

impl DigitizationSettings {
    pub fn new(agency: AgencyCode) -> DigitizationSettings {
        DigitizationSettings {
            agency,
            scheme: ResultCodeScheme::default(),
            profile: ScanProfile::default(),
            tesseract: Tesseract::default(),
            max_attempts: 3,
            lease: chrono::Duration::minutes(10),
            clock: OfficeClock::Kyiv,
            language: Lang::UK,
            seal_picture: None,
        }
    }
}

/// The most pages one document may have, and the largest file one page may be.
pub const MAX_PAGES: usize = 50;
pub const MAX_PAGE_BYTES: usize = 30 * 1024 * 1024;

fn settings(app: &App) -> AppResult<&DigitizationSettings> {
    app.digitization().ok_or_else(|| AppError::conflict("digitization.not_configured"))
}

/// What the counter asks to open.
#[derive(Debug, Clone)]
pub struct OpenDossier {
    /// The national procedure's code the papers came for.
    pub procedure: String,
    pub person_id: Option<Uuid>,
    /// The number on the applicant's identity paper; when empty and the
    /// person is registered, their RNOKPP.
    pub applicant: Option<String>,
}

/// Opens a dossier in the caller's own office, dated today on the office's clock.
pub async fn open_dossier(app: &App, caller: &Caller, req: &OpenDossier) -> AppResult<DigitizationDossier> {
    caller.require(Permission::Digitize)?;
    let s = settings(app)?;
    let procedure = req.procedure.trim();
    let ok = !procedure.is_empty()
        && procedure.len() <= 64
        && procedure.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'));
    if !ok {
        return Err(AppError::field("procedure", "digitization.procedure"));
    }
    let typed = req.applicant.as_deref().map(str::trim).filter(|a| !a.is_empty());
    let mut applicant = typed.map(ApplicantId::parse).transpose().map_err(|m| AppError::field("applicant", m))?;
    if let Some(person) = req.person_id {
        // Only staff who may see the person may tie a dossier to them.
        let person = crate::people::get(app, caller, person).await?;
        if applicant.is_none() {
            applicant = person.data.tax_id.rnokpp().and_then(|r| ApplicantId::parse(r.as_str()).ok());
        }
    }
    let new = NewDigitizationDossier {
        id: Uuid::new_v4(),
        agency: s.agency.clone(),
        received_on: s.clock.local(Utc::now()).date_naive(),
        unit_id: caller.unit.id,
        procedure: procedure.to_owned(),
        person_id: req.person_id,
        applicant,
    };
    Ok(app.store.open_digitization_dossier(&caller.actor(), &new).await?)
}

/// The dossier a code names, if the caller's scope holds its office (else
/// not found, as for any dossier outside it).
pub async fn dossier_by_code(app: &App, caller: &Caller, code: &str) -> AppResult<DigitizationDossier> {
    let code = DossierCode::parse(code).map_err(|m| AppError::field("code", m))?;
    let d = app.store.digitization_dossier_by_code(&code).await?.ok_or_else(AppError::not_found)?;
    dossier_in_scope(app, caller, d.id, Permission::Digitize).await
}

/// The dossier, if the caller's scope holds its office.
async fn dossier_in_scope(app: &App, caller: &Caller, id: Uuid, p: Permission) -> AppResult<DigitizationDossier> {
    let d = app.store.digitization_dossier(id).await?.ok_or_else(AppError::not_found)?;
    let unit = app.unit(d.unit_id).ok_or_else(AppError::not_found)?;
    app.authorize(caller, p, &unit.path, &format!("digitization_dossier:{id}")).await?;
    Ok(d)
}

/// Adds a paper of `pages` (PNG, JPEG or TIFF files, or PDFs of scanned
/// pages, in order) to a dossier. Every page is judged by the scan profile
/// from its header first; one refusal refuses the document, naming the file,
/// and stores nothing.
pub async fn add_document(
    app: &App,
    caller: &Caller,
    dossier_id: Uuid,
    kind: &str,
    pages: &[Vec<u8>],
    now: DateTime<Utc>,
) -> AppResult<DigitizedDocument> {
    let s = settings(app)?;
    let kind = DocumentKind::parse(kind).map_err(|m| AppError::field("kind", m))?;
    dossier_in_scope(app, caller, dossier_id, Permission::Digitize).await?;
    if pages.is_empty() {
        return Err(AppError::field("pages", "digitization.no_pages"));
    }
    if pages.len() > MAX_PAGES {
        return Err(too_many_pages());
    }
    // Every file as the pages it holds: an image is one page, a PDF one per page (its images
    // taken out, with the resolution its page size gives them).
    let mut scans: Vec<Scan<'_>> = Vec::with_capacity(pages.len());
    for (i, bytes) in pages.iter().enumerate() {
        let field = format!("pages[{i}]");
        if bytes.len() > MAX_PAGE_BYTES {
            return Err(AppError::field(&field, "scan.too_large_file"));
        }
        if dossier_scan::Format::sniff(bytes) == Some(dossier_scan::Format::Pdf) {
            let room = MAX_PAGES.saturating_sub(scans.len());
            // Parsing is CPU work on up to 30 MB: off the async threads.
            let pdf = bytes.clone();
            let inside = tokio::task::spawn_blocking(move || dossier_scan::pdf::pages(&pdf, room))
                .await
                .map_err(|_| AppError::internal())?;
            for page in inside.map_err(|e| pdf_refused(&field, e))? {
                scans.push((field.clone(), Cow::Owned(page.image), Some(page.dpi)));
            }
        } else {
            scans.push((field, Cow::Borrowed(bytes.as_slice()), None));
        }
    }
    if scans.len() > MAX_PAGES {
        return Err(too_many_pages());
    }
    let mut checked = Vec::with_capacity(scans.len());
    for (field, bytes, dpi) in &scans {
        let mut header = dossier_scan::header::read(bytes).map_err(|e| match e {
            dossier_scan::HeaderError::Unknown => AppError::field(field, "scan.not_an_image"),
            dossier_scan::HeaderError::Damaged(_) => AppError::field(field, "scan.damaged"),
        })?;
        if dpi.is_some() {
            header.dpi = *dpi;
        }
        s.profile.check(&header).map_err(|m| AppError::field(field, m))?;
        let format = dossier_scan::Format::sniff(bytes).ok_or_else(|| AppError::field(field, "scan.not_an_image"))?;
        checked.push((header, format));
    }
    let mut new_pages = Vec::with_capacity(scans.len());
    for ((_, bytes, _), (header, format)) in scans.iter().zip(checked) {
        let blob = app.blobs.put(bytes).await?;
        let (x, y) = header.dpi.unwrap_or((0.0, 0.0));
        new_pages.push(NewPage {
            image_sha256: blob.sha256,
            media_type: format.media_type().to_owned(),
            width: header.width,
            height: header.height,
            dpi: x.min(y),
        });
    }
    let new = NewDigitizedDocument { id: Uuid::new_v4(), dossier_id, kind, pages: new_pages };
    Ok(app.store.add_digitized_document(&caller.actor(), &new, &s.scheme, now).await?)
}

/// A page to add: the form field it came in, its image, and its resolution when a PDF's page
/// size gave it (else the image's header says).
type Scan<'a> = (String, Cow<'a, [u8]>, Option<(f32, f32)>);

fn too_many_pages() -> AppError {
    AppError::field("pages", dossier_domain::Message::new("digitization.too_many_pages").with("max", MAX_PAGES))
}

/// Why a PDF was not taken as scans, as the person who sent it reads it.
fn pdf_refused(field: &str, e: dossier_scan::pdf::PdfScanError) -> AppError {
    use dossier_scan::pdf::PdfScanError as E;
    match e {
        E::Damaged => AppError::field(field, "scan.pdf_damaged"),
        E::Encrypted => AppError::field(field, "scan.pdf_encrypted"),
        E::NoPages => AppError::field(field, "scan.pdf_no_pages"),
        E::TooManyPages(_) => too_many_pages(),
        E::NotAScan { page, .. } => {
            AppError::field(field, dossier_domain::Message::new("scan.pdf_not_a_scan").with("page", page))
        }
    }
}

/// A document with its fields, if the caller may see its dossier.
pub async fn document(app: &App, caller: &Caller, id: Uuid) -> AppResult<(DigitizedDocument, Vec<FieldRecord>)> {
    let (doc, fields) = app.store.digitized_document(id).await?.ok_or_else(AppError::not_found)?;
    dossier_in_scope(app, caller, doc.dossier_id, Permission::Digitize).await?;
    Ok((doc, fields))
}

/// A person's decision on a field in review: confirm the value as read, or
/// type it (checked by the field's own validator).
pub async fn decide(
    app: &App,
    caller: &Caller,
    document_id: Uuid,
    field: &str,
    value: Option<&str>,
    now: DateTime<Utc>,
) -> AppResult<FieldRecord> {
    let (doc, _) = app.store.digitized_document(document_id).await?.ok_or_else(AppError::not_found)?;
    dossier_in_scope(app, caller, doc.dossier_id, Permission::ReviewDigitization).await?;
    let field =
        FieldKind::parse(field).filter(|f| doc.kind.field_kinds().contains(f)).ok_or_else(AppError::not_found)?;
    let decision = match value {
        None => FieldDecision::Confirm,
        Some(v) => FieldDecision::Correct(field.check_value(doc.kind, v).map_err(|m| AppError::field("value", m))?),
    };
    Ok(app.store.decide_field(&caller.actor(), document_id, field, &decision, now).await?)
}

/// Documents waiting for a person in the caller's scope, oldest first.
pub async fn review_queue(app: &App, caller: &Caller, page: dossier_store::Page) -> AppResult<Vec<DigitizedDocument>> {
    caller.require(Permission::ReviewDigitization)?;
    Ok(app.store.digitized_documents_in(&caller.scope, Some(dossier_store::DigitizedStatus::Review), page).await?)
}

/// A page's scan, for the person comparing a field with it. Reading a
/// scan is reading personal data: audited.
pub async fn page_image(app: &App, caller: &Caller, document_id: Uuid, page_no: u32) -> AppResult<(Vec<u8>, String)> {
    let (doc, _) = app.store.digitized_document(document_id).await?.ok_or_else(AppError::not_found)?;
    dossier_in_scope(app, caller, doc.dossier_id, Permission::Digitize).await?;
    let scan = app.store.digitized_page(document_id, page_no).await?.ok_or_else(AppError::not_found)?;
    let bytes = app.blobs.get(&scan.image_sha256).await?;
    let subject = format!("digitized_document:{document_id}");
    app.store.audit(&caller.actor(), "digitization.page.read", &subject, serde_json::json!({"page": page_no})).await?;
    Ok((bytes, scan.media_type))
}

/// The document's signed, searchable PDF, made now if it was not yet (see
/// [`result::ensure`]), if the caller may see its dossier. Audited: it holds the scans.
pub async fn result_pdf(app: &App, caller: &Caller, document_id: Uuid) -> AppResult<(Vec<u8>, String)> {
    let (doc, _) = app.store.digitized_document(document_id).await?.ok_or_else(AppError::not_found)?;
    dossier_in_scope(app, caller, doc.dossier_id, Permission::Digitize).await?;
    let made = result::ensure(app, &doc).await?;
    let bytes = app.blobs.get(&made.sha256).await?;
    let subject = format!("digitized_document:{document_id}");
    app.store.audit(&caller.actor(), "digitization.result.read", &subject, serde_json::json!({})).await?;
    Ok((bytes, format!("{}.pdf", doc.result_code)))
}

/// A dossier with its documents, if the caller's scope holds its office.
pub async fn dossier(app: &App, caller: &Caller, id: Uuid) -> AppResult<(DigitizationDossier, Vec<DigitizedDocument>)> {
    let d = dossier_in_scope(app, caller, id, Permission::Digitize).await?;
    let documents = app.store.dossier_documents(id).await?;
    Ok((d, documents))
}

/// A document with its fields and each page's size in pixels (to show
/// where a field was read), if the caller may see its dossier.
pub async fn document_with_pages(
    app: &App,
    caller: &Caller,
    id: Uuid,
) -> AppResult<(DigitizedDocument, Vec<FieldRecord>, Vec<(u32, u32)>)> {
    let (doc, fields) = document(app, caller, id).await?;
    let sizes = app.store.digitized_page_sizes(id).await?;
    Ok((doc, fields, sizes))
}

/// The longest search accepted.
pub const MAX_QUERY_CHARS: usize = 200;

/// Documents in the caller's scope whose recognised text holds every word of
/// `q` — typed with or without diacritics and apostrophes — newest first.
/// Recognised text is personal data: fund staff who review may search it.
pub async fn search(
    app: &App,
    caller: &Caller,
    q: &str,
    page: dossier_store::Page,
) -> AppResult<Vec<DigitizedDocument>> {
    caller.require(Permission::ReviewDigitization)?;
    if q.chars().count() > MAX_QUERY_CHARS {
        return Err(AppError::field("q", dossier_domain::Message::new("common.too_long").with("max", MAX_QUERY_CHARS)));
    }
    let words: Vec<String> =
        dossier_domain::text::search_form(q).split(' ').filter(|w| !w.is_empty()).map(str::to_owned).collect();
    if words.is_empty() {
        return Err(AppError::field("q", "common.required"));
    }
    Ok(app.store.search_digitized(&caller.scope, &words, page).await?)
}

/// What a fixity check found.
#[derive(Debug, Default, Clone, PartialEq, serde::Serialize)]
pub struct FixityReport {
    pub checked: u64,
    /// Pages whose stored scan no longer decrypts to the content it was stored as, or is gone.
    pub damaged: Vec<(Uuid, u32)>,
    /// Signed results (by document) likewise damaged or gone.
    pub damaged_results: Vec<Uuid>,
}

/// Re-reads every stored page and signed result: each blob must still decrypt
/// (AES-GCM's tag) to content with its recorded SHA-256. The result goes to the audit log
/// (counts and the pages' ids, nothing read off them).
pub async fn fixity(app: &App) -> AppResult<FixityReport> {
    let mut report = FixityReport::default();
    let mut after = None;
    loop {
        let batch = app.store.digitized_pages_after(after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = Some((last.0, last.1));
        for (document_id, page_no, scans) in batch {
            for sha in scans {
                report.checked += 1;
                if app.blobs.get(&sha).await.is_err() {
                    tracing::error!(document = %document_id, page = page_no, "fixity: a stored scan changed or is missing");
                    report.damaged.push((document_id, page_no));
                }
            }
        }
    }
    let mut after = None;
    loop {
        let batch = app.store.digitized_results_after(after, 500).await?;
        let Some(last) = batch.last() else { break };
        after = Some(last.0);
        for (document_id, sha) in batch {
            report.checked += 1;
            if app.blobs.get(&sha).await.is_err() {
                tracing::error!(document = %document_id, "fixity: a stored signed result changed or is missing");
                report.damaged_results.push(document_id);
            }
        }
    }
    let actor = dossier_store::Actor::system("fixity");
    let details = serde_json::json!({
        "checked": report.checked, "damaged": report.damaged, "damaged_results": report.damaged_results,
    });
    app.store.audit(&actor, "digitization.fixity", "digitization", details).await?;
    Ok(report)
}
