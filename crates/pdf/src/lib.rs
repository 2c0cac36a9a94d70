//! Dossier's own PDF renderer: PDF/A-2b files written with krilla, text in DejaVu Sans (from the
//! `dejavu` crate, embedded and subset), so Ukrainian prints and archives without fonts on the
//! reader's machine.
//!
//! Forms: the copy of a citizen's digital document that the document-sharing hub forms after
//! the citizen's consent ([`render_document_copy`]), built on the small layout layer in `layout`
//! (A4 page, wrapped text, label/value table, framed box, rules); and the back of the electronic
//! pension certificate, form 5 of regulation 26-1 ([`render_card_backs`]), placed zone by zone
//! on an ID-1 card; the issue journal, form 6 ([`render_journal`]), a ruled register; and the
//! acceptance-transfer act, form 3 ([`render_transfer_act`]), and the destruction act
//! ([`render_destruction_act`]); the filled application for a certificate, form 1
//! ([`render_application_form`]); a digitization dossier's receipt with its QR code
//! ([`render_receipt`]); and a digitized paper, its scans with an invisible text
//! layer and the office's seal mark ([`render_scanned`]).
//!
//! Output is deterministic: the same copy and creation time give the same bytes (krilla derives
//! the file IDs from the content), so a copy can be stored content-addressed and re-rendered
//! for comparison.

mod acts;
mod application;
mod card;
mod copy;
mod font;
mod journal;
mod layout;
mod picture;
mod receipt;
mod render;
mod scanned;
mod wrap;

pub use acts::{ActLine, DestructionAct, Signatory, TransferAct};
pub use application::ApplicationForm;
pub use card::{CardBack, CardSex};
use chrono::{DateTime, FixedOffset, Utc};
pub use journal::{Journal, JournalEntry};
pub use picture::Picture;
pub use receipt::{DossierReceipt, PAPER_COLUMN_SHARES};
pub use scanned::{PlacedWord, ScannedDocument, ScannedPage, SealMark, SealRect};

/// A two-dimensional code (a QR code's modules), row by row, `true` for dark:
/// drawn as filled cells, so any matrix code the caller computes can be printed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    /// Modules per row (the code is square).
    pub width: usize,
    pub dark: Vec<bool>,
}

/// One labelled field of the document copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: String,
    pub value: String,
}

impl Field {
    pub fn new(label: impl Into<String>, value: impl Into<String>) -> Self {
        Self { label: label.into(), value: value.into() }
    }
}

/// Everything printed on a document copy. All strings are already in the reader's language
/// (Ukrainian).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentCopy {
    /// E.g. "Копія електронного документа: ID-картка".
    pub title: String,
    /// The document's data, in order.
    pub fields: Vec<Field>,
    /// E.g. "Документ видано: Державна міграційна служба України (реєстр)".
    pub issuer_note: String,
    pub stamp: Stamp,
}

/// The stamp every copy must carry (privacy rule: recipient, branch and date of formation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// E.g. "Копію сформовано для".
    pub heading: String,
    /// E.g. Отримувач, Відділення, Дата і час формування, Запит.
    pub lines: Vec<Field>,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// A character DejaVu Sans has no glyph for (CJK, a control character…). It is refused
    /// rather than replaced: a copy of a document must not silently change its data.
    #[error("the character U+{:04X} in the {place} cannot be printed: DejaVu Sans has no glyph for it", u32::from(*character))]
    UnsupportedCharacter { character: char, place: String },
    #[error("the stamp needs {needed:.0} pt of height but a page has {available:.0} pt; shorten its lines")]
    StampTooLarge { needed: f32, available: f32 },
    /// A value that does not fit the lines a form gives it (e.g. a surname needing three lines
    /// on the card back). It is refused rather than shrunk or cut.
    #[error("the {field} does not fit in {lines} line(s) of the form")]
    DoesNotFit { field: &'static str, lines: usize },
    /// A photo or signature that is not a readable PNG or JPEG image.
    #[error("the {place} is not a readable PNG or JPEG image")]
    BadPicture { place: &'static str },
    /// A scanned document without a page.
    #[error("a scanned document needs at least one page")]
    NoPages,
    /// A scan whose resolution cannot size a page (the header is broken).
    #[error("a scan at {0} dpi cannot be placed on a page")]
    BadResolution(f32),
    #[error("the creation time {0} cannot be written as a PDF date (year 0–9999)")]
    DateOutOfRange(String),
    #[error("the built-in font could not be loaded: {0}")]
    Font(String),
    /// krilla refused to write the file, e.g. PDF/A-2b validation failed.
    #[error("PDF export failed: {0}")]
    Export(String),
}

/// Renders the copy as a PDF/A-2b file, dated now (UTC) in its metadata.
///
/// The time printed in the stamp is the caller's text; use [`render_document_copy_at`] to give
/// the metadata the same instant (and get reproducible bytes).
pub fn render_document_copy(copy: &DocumentCopy) -> Result<Vec<u8>, PdfError> {
    render_document_copy_at(copy, Utc::now().fixed_offset())
}

/// Renders the copy as a PDF/A-2b file whose metadata says it was created at `created`
/// (PDF/A requires a creation date).
pub fn render_document_copy_at(copy: &DocumentCopy, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    copy::render(copy, created)
}

/// Renders card backs (form 5 of regulation 26-1), one per page, as a PDF/A-2b file dated
/// `created` in its metadata; the holder's photo and signature, when given, fill their fields.
pub fn render_card_backs(cards: &[CardBack], created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    card::render(cards, created)
}

/// Renders the issue journal (form 6 of regulation 26-1) on A4 landscape as a PDF/A-2b file.
pub fn render_journal(journal: &Journal, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    journal::render(journal, created)
}

/// Renders an acceptance-transfer act (form 3 of regulation 26-1) as a PDF/A-2b file.
pub fn render_transfer_act(act: &TransferAct, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    acts::render_transfer(act, created)
}

/// Renders a destruction commission's act as a PDF/A-2b file.
pub fn render_destruction_act(act: &DestructionAct, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    acts::render_destruction(act, created)
}

/// Renders a filled application for a pension certificate (form 1 of regulation 26-1) as a
/// PDF/A-2b file.
pub fn render_application_form(form: &ApplicationForm, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    application::render(form, created)
}

/// Renders a digitization dossier's receipt, its QR code in the mark at the bottom, as a PDF/A-2b file.
pub fn render_receipt(receipt: &DossierReceipt, created: DateTime<FixedOffset>) -> Result<Vec<u8>, PdfError> {
    receipt::render(receipt, created)
}

/// Renders a digitized paper as a searchable PDF/A-2b file: the scans as pages, the recognised
/// words as an invisible text layer, the office's seal mark at the top right of page 1. Returns
/// the file and where the seal mark stands, for the signature's widget.
pub fn render_scanned(doc: &ScannedDocument, created: DateTime<FixedOffset>) -> Result<(Vec<u8>, SealRect), PdfError> {
    scanned::render(doc, created)
}

/// Refuses, before any layout, a character `face` cannot print, naming its place (not the
/// text: values are personal data and errors end up in logs).
pub(crate) fn check_texts(face: &font::Face, texts: &[(String, &str)]) -> Result<(), PdfError> {
    for (place, text) in texts {
        if let Some(character) = face.first_missing(text) {
            return Err(PdfError::UnsupportedCharacter { character, place: place.clone() });
        }
    }
    Ok(())
}
