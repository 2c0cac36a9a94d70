//! The PDF side of PAdES, without cryptography: reserve room for a signature in
//! an incremental update, embed the CMS once it is made, and find the
//! signatures of a file with what a verifier needs to check their coverage.
//!
//! # Layout of the incremental update
//!
//! [`prepare`] never rewrites a byte of the input: its output starts with the
//! exact input bytes (plus one line feed if the file did not end with an
//! end-of-line) and appends one new revision:
//!
//! ```text
//! <original file, untouched>
//! S 0 obj  << /Type /Sig (or /DocTimeStamp) /Filter /Adobe.PPKLite /SubFilter …
//!             /ByteRange [0 a b c      ]   fixed width, patched in place
//!             /Contents <0000…0000>        2 × reserve hex digits
//!             /M … /Name … /Reason … /Location … >>          (signatures only)
//! W 0 obj  << /Type /Annot /Subtype /Widget /FT /Sig /T (name) /V S 0 R
//!             /Rect [0 0 0 0] (or over a seal mark) /F 132 /P <first page> /AP << /N A 0 R >> >>
//! A 0 obj  empty Form XObject, /BBox [0 0 w h]
//! <first page re-written with W in /Annots, or the /Annots array object>
//! <catalog re-written with /AcroForm, or the AcroForm / Fields object>
//! xref table + trailer /Prev (or a cross-reference stream with /Prev)
//! startxref … %%EOF
//! ```
//!
//! The new revision uses the same kind of cross-reference section as the
//! previous one (a classic table after a table, an uncompressed stream after a
//! stream), so readers that handle the original handle the update. New objects
//! are numbered from the previous trailer's `/Size` upward.
//!
//! The signed bytes are everything but the `<…>` of `/Contents`: `/ByteRange`
//! is `[0, offset of '<', offset after '>', rest of the file]`. Its numbers are
//! only known once the whole revision is written, so it is first written as a
//! placeholder of fixed width and patched afterwards with the numbers padded by
//! spaces; nothing moves, and the cross-reference offsets stay right.
//!
//! The field is invisible (a zero rectangle), but its widget carries the Print
//! flag and an (empty) normal appearance, because PDF/A requires both for every
//! annotation; it is Locked so viewers do not offer to move or delete it.
//!
//! Re-written objects (first page, catalog, AcroForm, arrays) are serialised
//! from lopdf's parse with their keys in order; lopdf holds real numbers as
//! `f32`, so a real with more than about seven significant digits comes out
//! rounded in the new revision (page geometry is normally far coarser).
//!
//! A field name that already exists is refused ([`PdfError::FieldExists`]);
//! the caller picks another name. Encrypted files, files whose
//! cross-reference data had to be repaired to be read (or with anything but
//! white space after the last `%%EOF`), and signatures on a document certified
//! with DocMDP P=1 are refused too.
//!
//! [`find_signatures`] parses with `lopdf`, walks `/AcroForm /Fields`, and
//! reads each `/Contents` from the gap of the byte range in the file itself,
//! checking it against what the parser read. Malformed, truncated or hostile
//! input gives an error, never a panic.
//!
//! Here: preparing and completing the signature revision. Beside it: `find`
//! (reading signatures), `dss` (the document security store), `write`
//! (serialising objects and cross-reference sections), `date` (PDF dates).

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, StringFormat};

mod date;
mod dss;
mod find;
mod write;

pub use date::*;
pub use dss::*;
pub use find::*;
use write::*;

/// Digits of each number in the fixed-width `/ByteRange` placeholder: files up to 10 GB.
const BYTE_RANGE_DIGITS: usize = 10;
/// `[0 N N N]` with three numbers of [`BYTE_RANGE_DIGITS`] digits.
const BYTE_RANGE_WIDTH: usize = 3 + 3 * BYTE_RANGE_DIGITS + 2 + 1;
/// Largest CMS reservation accepted by [`prepare`] (16 MiB of DER).
pub const MAX_RESERVE: usize = 16 << 20;
/// Depth and size bounds for walking a hostile field tree.
const MAX_FIELD_DEPTH: usize = 32;
const MAX_FIELD_NODES: usize = 100_000;
/// Bound on any one stream lopdf decompresses while loading (object and xref streams).
const MAX_DECOMPRESSED: usize = 64 << 20;
/// Longest field name accepted.
const MAX_FIELD_NAME: usize = 128;

/// Why a PDF could not be prepared, completed or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PdfError {
    #[error("not a PDF file: {0}")]
    NotPdf(&'static str),
    #[error("the PDF could not be parsed: {0}")]
    Parse(String),
    #[error("malformed PDF: {0}")]
    Malformed(&'static str),
    #[error("the PDF's cross-reference data is damaged; repair the file before signing it")]
    Damaged,
    #[error("encrypted PDFs are not supported")]
    Encrypted,
    #[error("a form field named {0:?} already exists")]
    FieldExists(String),
    #[error("invalid signature field name: {0}")]
    FieldName(&'static str),
    #[error("invalid PDF date: {0}")]
    Date(&'static str),
    #[error("the space reserved for the signature must be 1..={max} bytes, not {requested}")]
    Reserve { requested: usize, max: usize },
    #[error("the signature ({needed} bytes) does not fit the {reserved} bytes reserved for it")]
    SignatureTooLarge { needed: usize, reserved: usize },
    #[error("a certification signature forbids any change to this document (DocMDP P=1)")]
    ChangesNotPermitted,
    #[error("only a document's first signature may certify it (DocMDP)")]
    CertifyNotFirst,
    #[error("the signature is empty")]
    EmptySignature,
    #[error("the PDF is too large to sign")]
    TooLarge,
}

/// What the signature dictionary holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubFilter {
    /// A PAdES signature: `/Type /Sig /SubFilter /ETSI.CAdES.detached`.
    EtsiCadesDetached,
    /// A document time-stamp: `/Type /DocTimeStamp /SubFilter /ETSI.RFC3161`.
    EtsiRfc3161,
}

impl SubFilter {
    /// The `/SubFilter` name, without the slash.
    pub fn name(self) -> &'static str {
        match self {
            SubFilter::EtsiCadesDetached => "ETSI.CAdES.detached",
            SubFilter::EtsiRfc3161 => "ETSI.RFC3161",
        }
    }
}

/// What to put into the new signature field.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureRequest {
    /// The partial (= fully qualified, the field is top-level) field name; no periods.
    pub field_name: String,
    /// `/Name`: the signer, when no certificate is at hand to say it.
    pub signer_name: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// `/M`: the signing time claimed by the signer (PAdES puts it here, not in the CMS).
    pub signing_time: Option<PdfDate>,
    pub sub_filter: SubFilter,
    /// Bytes reserved for the CMS DER; `/Contents` holds twice as many hex digits.
    pub reserve: usize,
    /// Makes this a certification signature with the DocMDP permission
    /// given (ISO 32000-2, 12.8.2.2): only the document's first signature may be one.
    pub certify: Option<DocMdp>,
    /// Where the widget stands on the first page, `[x1 y1 x2 y2]` in user space: over a seal
    /// mark the page draws, so a viewer shows the signature when the mark is clicked. `None`
    /// makes an invisible signature (a zero-sized widget).
    pub rect: Option<[f32; 4]>,
}

/// What a certification signature permits after it (DocMDP `/P`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocMdp {
    /// P = 1: no change at all (validation data and document time-stamps excepted).
    NoChanges,
    /// P = 2: filling in forms and signing.
    FillForms,
    /// P = 3: also annotations.
    Annotate,
}

impl DocMdp {
    pub fn p(self) -> u8 {
        match self {
            DocMdp::NoChanges => 1,
            DocMdp::FillForms => 2,
            DocMdp::Annotate => 3,
        }
    }
}

impl SignatureRequest {
    /// A PAdES signature request with nothing optional filled in.
    pub fn signature(field_name: impl Into<String>, reserve: usize) -> Self {
        SignatureRequest {
            field_name: field_name.into(),
            signer_name: None,
            reason: None,
            location: None,
            signing_time: None,
            sub_filter: SubFilter::EtsiCadesDetached,
            reserve,
            certify: None,
            rect: None,
        }
    }

    /// A document time-stamp request (`/Type /DocTimeStamp`; /M, /Name, /Reason and /Location are not written).
    pub fn doc_timestamp(field_name: impl Into<String>, reserve: usize) -> Self {
        SignatureRequest { sub_filter: SubFilter::EtsiRfc3161, ..SignatureRequest::signature(field_name, reserve) }
    }
}

/// A file with the new revision written, `/ByteRange` filled in and `/Contents` still zeros.
#[derive(Clone, PartialEq, Eq)]
pub struct Prepared {
    bytes: Vec<u8>,
    byte_range: [usize; 4],
}

impl fmt::Debug for Prepared {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Prepared").field("len", &self.bytes.len()).field("byte_range", &self.byte_range).finish()
    }
}

impl Prepared {
    /// `[0, offset of '<', offset after '>', bytes after '>']`.
    pub fn byte_range(&self) -> [usize; 4] {
        self.byte_range
    }

    /// The two signed slices, for hashing without a copy.
    pub fn signed_parts(&self) -> [&[u8]; 2] {
        let [_, before, after, _] = self.byte_range;
        [self.bytes.get(..before).unwrap_or_default(), self.bytes.get(after..).unwrap_or_default()]
    }

    /// The signed bytes: the file without the `<…>` of `/Contents`.
    pub fn signed_bytes(&self) -> Vec<u8> {
        self.signed_parts().concat()
    }

    /// Bytes of DER that fit into `/Contents`.
    pub fn reserved(&self) -> usize {
        self.byte_range[2].saturating_sub(self.byte_range[1]).saturating_sub(2) / 2
    }

    /// The whole prepared file (the placeholder still zero-filled).
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Writes `cms_der` as hex into the placeholder; the rest stays zero padding.
    pub fn embed(mut self, cms_der: &[u8]) -> Result<Vec<u8>, PdfError> {
        if cms_der.is_empty() {
            return Err(PdfError::EmptySignature);
        }
        let reserved = self.reserved();
        if cms_der.len() > reserved {
            return Err(PdfError::SignatureTooLarge { needed: cms_der.len(), reserved });
        }
        let start = self.byte_range[1] + 1;
        let slot = self.bytes.get_mut(start..start + 2 * cms_der.len()).ok_or(PdfError::Malformed("placeholder"))?;
        for (pair, byte) in slot.chunks_exact_mut(2).zip(cms_der) {
            pair[0] = HEX[usize::from(byte >> 4)];
            pair[1] = HEX[usize::from(byte & 0x0f)];
        }
        Ok(self.bytes)
    }
}

const HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Where the cross-reference data of the last revision is, and of which kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum XrefKind {
    Table,
    Stream,
}

/// Appends a signature revision to `pdf`; see the module documentation for the layout.
pub fn prepare(pdf: &[u8], req: &SignatureRequest) -> Result<Prepared, PdfError> {
    check_field_name(&req.field_name)?;
    if req.reserve == 0 || req.reserve > MAX_RESERVE {
        return Err(PdfError::Reserve { requested: req.reserve, max: MAX_RESERVE });
    }
    let Update { doc, prev_xref, kind, root_id, next_id } = Update::open(pdf)?;
    let trailer = &doc.trailer;
    let mut catalog = doc.get_dictionary(root_id).map_err(|_| PdfError::Malformed("no catalog"))?.clone();
    let mut next = next_id;
    let mut alloc = || -> Result<ObjectId, PdfError> {
        let id = next;
        next = next.checked_add(1).filter(|n| *n < 8_388_607).ok_or(PdfError::Malformed("object numbers"))?;
        Ok((id, 0))
    };

    if req.sub_filter == SubFilter::EtsiCadesDetached && doc_mdp_permission(&doc, &catalog) == Some(1) {
        return Err(PdfError::ChangesNotPermitted);
    }
    if req.certify.is_some() && !find_signatures(pdf)?.is_empty() {
        return Err(PdfError::CertifyNotFirst);
    }

    // Unique field name.
    let acroform = catalog.get(b"AcroForm").ok().and_then(|o| doc.dereference(o).ok());
    if let Some((_, Object::Dictionary(form))) = acroform
        && let Some(fields) = deref_array(&doc, form.get(b"Fields").ok())
    {
        let mut taken = false;
        walk_fields(&doc, fields, |node| taken |= node.name == req.field_name);
        if taken {
            return Err(PdfError::FieldExists(req.field_name.clone()));
        }
    }

    let page_id = first_page(&doc)?;
    let sig_id = alloc()?;
    let widget_id = alloc()?;
    let ap_id = alloc()?;
    let widget_ref = Object::Reference(widget_id);
    let mut changed = Changed::default();

    // The first page lists the widget among its annotations.
    let mut page = doc.get_dictionary(page_id).map_err(|_| PdfError::Malformed("first page"))?.clone();
    let mut page_changed = true;
    match page.get(b"Annots").ok().cloned() {
        None | Some(Object::Null) => page.set("Annots", vec![widget_ref.clone()]),
        Some(Object::Array(mut items)) => {
            items.push(widget_ref.clone());
            page.set("Annots", items);
        }
        Some(reference @ Object::Reference(_)) => match doc.dereference(&reference) {
            Ok((Some(id), Object::Array(items))) => {
                let mut items = items.clone();
                items.push(widget_ref.clone());
                changed.put(id, Object::Array(items))?;
                page_changed = false;
            }
            // A reference to a missing object is null: no annotations yet.
            Err(lopdf::Error::ObjectNotFound(_)) => page.set("Annots", vec![widget_ref.clone()]),
            _ => return Err(PdfError::Malformed("page /Annots is not an array")),
        },
        Some(_) => return Err(PdfError::Malformed("page /Annots is not an array")),
    }
    if page_changed {
        changed.put(page_id, Object::Dictionary(page))?;
    }

    // The catalog's interactive form lists the field and says signatures exist (SigFlags 3).
    let mut create_form = false;
    let mut catalog_changed = false;
    match catalog.get(b"AcroForm").ok().cloned() {
        None | Some(Object::Null) => create_form = true,
        Some(Object::Dictionary(form)) => {
            let form = add_field(&doc, form, &widget_ref, &mut changed)?;
            catalog.set("AcroForm", form);
            catalog_changed = true;
        }
        Some(reference @ Object::Reference(_)) => match doc.dereference(&reference) {
            Ok((Some(id), Object::Dictionary(form))) => {
                let form = add_field(&doc, form.clone(), &widget_ref, &mut changed)?;
                changed.put(id, Object::Dictionary(form))?;
            }
            Err(lopdf::Error::ObjectNotFound(_)) => create_form = true,
            _ => return Err(PdfError::Malformed("/AcroForm is not a dictionary")),
        },
        Some(_) => return Err(PdfError::Malformed("/AcroForm is not a dictionary")),
    }
    if create_form {
        let form_id = alloc()?;
        let mut form = Dictionary::new();
        form.set("Fields", vec![widget_ref.clone()]);
        form.set("SigFlags", 3);
        changed.put(form_id, Object::Dictionary(form))?;
        catalog.set("AcroForm", Object::Reference(form_id));
        catalog_changed = true;
    }
    if req.certify.is_some() {
        // The certification signature is named in the catalogue's /Perms.
        let mut perms = deref_dict(&doc, catalog.get(b"Perms").ok()).cloned().unwrap_or_default();
        perms.set("DocMDP", Object::Reference(sig_id));
        catalog.set("Perms", perms);
        catalog_changed = true;
    }
    if catalog_changed {
        changed.put(root_id, Object::Dictionary(catalog))?;
    }
    for id in [sig_id, widget_id, ap_id] {
        if changed.0.contains_key(&id) {
            return Err(PdfError::Malformed("object numbers"));
        }
    }
    let xref_id = if kind == XrefKind::Stream { Some(alloc()?) } else { None };
    let size = next;

    // Write the revision.
    let mut out = Vec::with_capacity(pdf.len() + 2 * req.reserve + 4096);
    out.extend_from_slice(pdf);
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets: BTreeMap<u32, (u16, usize)> = BTreeMap::new();

    offsets.insert(sig_id.0, (0, out.len()));
    let (range_at, contents_at) = write_signature_dict(&mut out, sig_id.0, req);

    offsets.insert(widget_id.0, (0, out.len()));
    let mut widget = Vec::new();
    widget.extend_from_slice(b"<< /Type /Annot /Subtype /Widget /FT /Sig /T ");
    write_text_string(&mut widget, &req.field_name);
    // A finite rectangle or none: a NaN or infinity would write a token no reader parses.
    let [x1, y1, x2, y2] = req.rect.filter(|r| r.iter().all(|v| v.is_finite())).unwrap_or_default();
    let (w, h) = ((x2 - x1).abs(), (y2 - y1).abs());
    widget.extend_from_slice(
        format!(
            " /V {} 0 R /Rect [{x1:.2} {y1:.2} {x2:.2} {y2:.2}] /F 132 /P {} {} R /AP << /N {} 0 R >> >>",
            sig_id.0, page_id.0, page_id.1, ap_id.0
        )
        .as_bytes(),
    );
    write_indirect(&mut out, widget_id, &widget);

    // The appearance is empty: what the widget covers is drawn by the page itself.
    offsets.insert(ap_id.0, (0, out.len()));
    write_indirect(
        &mut out,
        ap_id,
        format!(
            "<< /Type /XObject /Subtype /Form /BBox [0 0 {w:.2} {h:.2}] /Resources << >> /Length 0 >>\nstream\n\nendstream"
        )
        .as_bytes(),
    );

    finish_revision(&mut out, &mut offsets, &changed, trailer, root_id, size, prev_xref, xref_id)?;

    // Patch the byte range in place.
    let lt = contents_at;
    let gt_end = lt + 2 + 2 * req.reserve;
    let byte_range = [0, lt, gt_end, out.len() - gt_end];
    let mut patch = format!("[0 {} {} {}", byte_range[1], byte_range[2], byte_range[3]).into_bytes();
    if patch.len() + 1 > BYTE_RANGE_WIDTH {
        return Err(PdfError::TooLarge);
    }
    patch.resize(BYTE_RANGE_WIDTH - 1, b' ');
    patch.push(b']');
    out.get_mut(range_at..range_at + BYTE_RANGE_WIDTH)
        .ok_or(PdfError::Malformed("placeholder"))?
        .copy_from_slice(&patch);
    Ok(Prepared { bytes: out, byte_range })
}

/// A file opened for an incremental update: parsed, checked to be one we may
/// append to (a PDF, not encrypted, its cross-reference data read as written).
struct Update {
    doc: Document,
    prev_xref: usize,
    kind: XrefKind,
    root_id: ObjectId,
    /// The first object number free for new objects.
    next_id: u32,
}

impl Update {
    fn open(pdf: &[u8]) -> Result<Update, PdfError> {
        if !pdf.starts_with(b"%PDF-") {
            return Err(PdfError::NotPdf("no %PDF- header at the start"));
        }
        let prev_xref = last_startxref(pdf)?;
        let kind = xref_kind_at(pdf, prev_xref)?;
        let doc = load(pdf)?;
        if doc.encryption_state.is_some() || doc.trailer.has(b"Encrypt") {
            return Err(PdfError::Encrypted);
        }
        if doc.xref_recovery.is_some() || doc.xref_start != prev_xref {
            return Err(PdfError::Damaged);
        }
        let root_id =
            doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| PdfError::Malformed("no /Root"))?;
        let prev_size = doc
            .trailer
            .get(b"Size")
            .and_then(Object::as_i64)
            .ok()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or(PdfError::Malformed("trailer /Size"))?;
        let next_id = prev_size.max(doc.max_id.saturating_add(1));
        Ok(Update { doc, prev_xref, kind, root_id, next_id })
    }
}

/// Writes the re-written objects, the cross-reference section (of the kind
/// the previous revision used) and the trailer that ends a revision.
#[allow(clippy::too_many_arguments)]
fn finish_revision(
    out: &mut Vec<u8>,
    offsets: &mut BTreeMap<u32, (u16, usize)>,
    changed: &Changed,
    trailer: &Dictionary,
    root_id: ObjectId,
    size: u32,
    prev_xref: usize,
    xref_id: Option<ObjectId>,
) -> Result<(), PdfError> {
    for (id, object) in &changed.0 {
        offsets.insert(id.0, (id.1, out.len()));
        let mut body = Vec::new();
        write_object(&mut body, object);
        write_indirect(out, *id, &body);
    }
    let mut tail = Dictionary::new();
    tail.set("Size", i64::from(size));
    tail.set("Root", Object::Reference(root_id));
    for key in [&b"Info"[..], b"ID"] {
        if let Ok(value) = trailer.get(key) {
            tail.set(key, value.clone());
        }
    }
    tail.set("Prev", i64::try_from(prev_xref).map_err(|_| PdfError::TooLarge)?);
    let xref_at = out.len();
    match xref_id {
        None => write_xref_table(out, offsets, &tail),
        Some(id) => write_xref_stream(out, id, offsets, tail),
    }
    out.extend_from_slice(format!("startxref\n{xref_at}\n%%EOF\n").as_bytes());
    Ok(())
}

/// Objects re-written in the new revision; one object may be changed only once.
#[derive(Default)]
struct Changed(BTreeMap<ObjectId, Object>);

impl Changed {
    fn put(&mut self, id: ObjectId, object: Object) -> Result<(), PdfError> {
        if self.0.insert(id, object).is_some() {
            return Err(PdfError::Malformed("one object plays two roles"));
        }
        Ok(())
    }
}

/// The `/P` of a certification (DocMDP) signature, when the document has one:
/// 1 allows no change at all — not even another signature, though a document
/// time-stamp is still allowed (ISO 32000-2, 12.8.2.2) — 2 and 3 allow signing.
pub(crate) fn doc_mdp_permission_of(doc: &Document) -> Option<i64> {
    doc_mdp_permission(doc, doc.catalog().ok()?)
}

fn doc_mdp_permission(doc: &Document, catalog: &Dictionary) -> Option<i64> {
    let perms = deref_dict(doc, catalog.get(b"Perms").ok())?;
    let sig = deref_dict(doc, perms.get(b"DocMDP").ok())?;
    let references = deref_array(doc, sig.get(b"Reference").ok())?;
    references.iter().filter_map(|r| deref_dict(doc, Some(r))).find_map(|reference| {
        let method = doc.dereference(reference.get(b"TransformMethod").ok()?).ok()?.1.as_name().ok()?;
        if method != b"DocMDP" {
            return None;
        }
        let p = deref_dict(doc, reference.get(b"TransformParams").ok())
            .and_then(|params| doc.dereference(params.get(b"P").ok()?).ok()?.1.as_i64().ok());
        Some(p.unwrap_or(2))
    })
}

/// The AcroForm dictionary with the field appended to `/Fields` (or to the
/// `/Fields` array object, recorded in `changed`) and `/SigFlags` 3 set.
fn add_field(
    doc: &Document,
    mut form: Dictionary,
    field: &Object,
    changed: &mut Changed,
) -> Result<Dictionary, PdfError> {
    match form.get(b"Fields").ok() {
        None | Some(Object::Null) => form.set("Fields", vec![field.clone()]),
        Some(Object::Array(items)) => {
            let mut items = items.clone();
            items.push(field.clone());
            form.set("Fields", items);
        }
        Some(reference @ Object::Reference(_)) => match doc.dereference(reference) {
            Ok((Some(id), Object::Array(items))) => {
                let mut items = items.clone();
                items.push(field.clone());
                changed.put(id, Object::Array(items))?;
            }
            Err(lopdf::Error::ObjectNotFound(_)) => form.set("Fields", vec![field.clone()]),
            _ => return Err(PdfError::Malformed("/AcroForm /Fields is not an array")),
        },
        Some(_) => return Err(PdfError::Malformed("/AcroForm /Fields is not an array")),
    }
    let flags = form.get(b"SigFlags").and_then(Object::as_i64).unwrap_or(0);
    form.set("SigFlags", flags | 3);
    Ok(form)
}

fn check_field_name(name: &str) -> Result<(), PdfError> {
    if name.is_empty() {
        return Err(PdfError::FieldName("empty"));
    }
    if name.chars().count() > MAX_FIELD_NAME {
        return Err(PdfError::FieldName("too long"));
    }
    if name.contains('.') {
        return Err(PdfError::FieldName("periods separate the parts of field names"));
    }
    if name.chars().any(char::is_control) {
        return Err(PdfError::FieldName("control characters"));
    }
    Ok(())
}

pub(crate) fn load(pdf: &[u8]) -> Result<Document, PdfError> {
    let options = LoadOptions { max_decompressed_size: Some(MAX_DECOMPRESSED), ..LoadOptions::default() };
    Document::load_mem_with_options(pdf, options).map_err(|e| PdfError::Parse(e.to_string()))
}

/// The first page, found by the bounded walk (never lopdf's unbounded iterator).
fn first_page(doc: &Document) -> Result<ObjectId, PdfError> {
    const MAX_PAGE_NODES: usize = 1_000_000;
    let root =
        doc.trailer.get(b"Root").and_then(Object::as_reference).map_err(|_| PdfError::Malformed("no catalog"))?;
    page_list(doc, root, MAX_PAGE_NODES).into_iter().next().ok_or(PdfError::Malformed("no pages"))
}

/// The pages in order, walked with a visited set: lopdf's own iterator
/// bounds only the depth, and a page tree that lists itself twice would make
/// it run for ever on a hostile file. At most `max_nodes` nodes are visited.
pub(crate) fn page_list(doc: &Document, root: ObjectId, max_nodes: usize) -> Vec<ObjectId> {
    let mut pages = Vec::new();
    let top = doc.get_dictionary(root).ok().and_then(|c| c.get(b"Pages").ok()).and_then(|o| o.as_reference().ok());
    let mut stack: Vec<ObjectId> = top.into_iter().collect();
    let mut seen = HashSet::new();
    while let Some(id) = stack.pop() {
        if seen.len() >= max_nodes {
            break;
        }
        if !seen.insert(id) {
            continue;
        }
        let Ok(node) = doc.get_dictionary(id) else { continue };
        match node.get(b"Type").and_then(Object::as_name) {
            Ok(b"Pages") => {
                let kids = deref_array(doc, node.get(b"Kids").ok()).unwrap_or_default();
                stack.extend(kids.iter().rev().filter_map(|k| k.as_reference().ok()));
            }
            Ok(b"Page") => pages.push(id),
            _ => {}
        }
    }
    pages
}

pub(crate) fn deref_array<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a [Object]> {
    match doc.dereference(object?).ok()?.1 {
        Object::Array(items) => Some(items),
        _ => None,
    }
}

pub(crate) fn deref_dict<'a>(doc: &'a Document, object: Option<&'a Object>) -> Option<&'a Dictionary> {
    match doc.dereference(object?).ok()?.1 {
        Object::Dictionary(dict) => Some(dict),
        _ => None,
    }
}

/// The offset `startxref` names in the file's tail; only white space may follow `%%EOF`.
fn last_startxref(pdf: &[u8]) -> Result<usize, PdfError> {
    let end = pdf.iter().rposition(|b| !is_white(*b)).map_or(0, |p| p + 1);
    let body = pdf.get(..end).unwrap_or_default();
    let eof = body.strip_suffix(b"%%EOF").ok_or(PdfError::Damaged)?;
    let eof = trim_end_white(eof);
    let digits_from = eof.iter().rposition(|b| !b.is_ascii_digit()).map_or(0, |p| p + 1);
    let digits = eof.get(digits_from..).unwrap_or_default();
    let keyword = trim_end_white(eof.get(..digits_from).unwrap_or_default());
    if digits.is_empty() || digits.len() > 15 || !keyword.ends_with(b"startxref") || keyword.len() == digits_from {
        return Err(PdfError::Damaged);
    }
    let offset = parse_usize(digits).ok_or(PdfError::Damaged)?;
    if offset >= pdf.len() {
        return Err(PdfError::Damaged);
    }
    Ok(offset)
}

/// Whether the section at `offset` is an `xref` table or an `N G obj` cross-reference stream.
fn xref_kind_at(pdf: &[u8], offset: usize) -> Result<XrefKind, PdfError> {
    let at = pdf.get(offset..).ok_or(PdfError::Damaged)?;
    let at = &at[at.iter().position(|b| !is_white(*b)).unwrap_or(at.len())..];
    if at.starts_with(b"xref") {
        return Ok(XrefKind::Table);
    }
    // "N G obj"
    let mut rest = at;
    for _ in 0..2 {
        let n = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        if n == 0 {
            return Err(PdfError::Damaged);
        }
        rest = rest.get(n..).unwrap_or_default();
        let w = rest.iter().take_while(|b| is_white(**b)).count();
        if w == 0 {
            return Err(PdfError::Damaged);
        }
        rest = rest.get(w..).unwrap_or_default();
    }
    if rest.starts_with(b"obj") { Ok(XrefKind::Stream) } else { Err(PdfError::Damaged) }
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' | b'\0')
}

fn trim_end_white(bytes: &[u8]) -> &[u8] {
    let end = bytes.iter().rposition(|b| !is_white(*b)).map_or(0, |p| p + 1);
    bytes.get(..end).unwrap_or_default()
}

fn parse_usize(digits: &[u8]) -> Option<usize> {
    digits.iter().try_fold(0usize, |acc, d| {
        if d.is_ascii_digit() { acc.checked_mul(10)?.checked_add(usize::from(d - b'0')) } else { None }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pades::testpdf::minimal_pdf;

    const DER: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x05];

    fn sign(pdf: &[u8], name: &str) -> Vec<u8> {
        let req = SignatureRequest::signature(name, 64);
        prepare(pdf, &req).and_then(|p| p.embed(DER)).unwrap()
    }

    #[test]
    fn dates() {
        assert_eq!(PdfDate::utc(2024, 2, 29, 23, 59, 58).unwrap().as_str(), "D:20240229235958Z");
        assert!(PdfDate::utc(2023, 2, 29, 0, 0, 0).is_err());
        assert!(PdfDate::utc(2023, 13, 1, 0, 0, 0).is_err());
        assert!(PdfDate::utc(2023, 1, 1, 24, 0, 0).is_err());
        assert_eq!(PdfDate::from_unix(0).unwrap().as_str(), "D:19700101000000Z");
        assert_eq!(PdfDate::from_unix(1_709_251_199).unwrap().as_str(), "D:20240229235959Z");
        assert_eq!(PdfDate::from_unix(951_782_400).unwrap().as_str(), "D:20000229000000Z");
        assert_eq!(PdfDate::from_unix(-1).unwrap().as_str(), "D:19691231235959Z");
        assert!(PdfDate::from_unix(i64::MAX).is_err());
        assert!(PdfDate::from_unix(i64::MIN).is_err());
        assert!(PdfDate::parse("D:20240101120000+02'00'").is_ok());
        assert!(PdfDate::parse("20240101").is_err());
        assert!(PdfDate::parse("D:2024)").is_err());
    }

    #[test]
    fn strings_are_escaped_and_non_ascii_is_utf16() {
        let mut out = Vec::new();
        write_text_string(&mut out, r"a(b)c\d");
        assert_eq!(out, br"(a\(b\)c\\d)");
        out.clear();
        write_text_string(&mut out, "Київ");
        assert_eq!(out, b"<FEFF041A043804570432>");
        assert_eq!(decode_text(&[0xfe, 0xff, 0x04, 0x1a, 0x04, 0x38, 0x04, 0x57, 0x04, 0x32]), "Київ");
        assert_eq!(decode_text(b"caf\xe9 \x80"), "café \u{2022}");
        out.clear();
        write_name(&mut out, b"A B#");
        assert_eq!(out, b"/A#20B#23");
    }

    #[test]
    fn ber_lengths() {
        assert_eq!(trim_to_ber(vec![0x30, 0x03, 0x02, 0x01, 0x05, 0, 0, 0]), DER);
        assert_eq!(trim_to_ber(vec![0; 8]), Vec::<u8>::new());
        // Indefinite length with an end-of-contents, then padding.
        assert_eq!(
            trim_to_ber(vec![0x30, 0x80, 0x02, 0x01, 0x05, 0, 0, 0, 0]),
            vec![0x30, 0x80, 0x02, 0x01, 0x05, 0, 0]
        );
        // Long form.
        let mut long = vec![0x04, 0x81, 0x80];
        long.extend([7u8; 0x80]);
        long.extend([0u8; 10]);
        assert_eq!(trim_to_ber(long).len(), 3 + 0x80);
        // Claims more than there is: left alone.
        assert_eq!(trim_to_ber(vec![0x30, 0x10, 1, 2]), vec![0x30, 0x10, 1, 2]);
        // Deep indefinite nesting is bounded.
        let deep: Vec<u8> = std::iter::repeat_n([0x30u8, 0x80], 10_000).flatten().collect();
        assert_eq!(trim_to_ber(deep.clone()), deep);
    }

    #[test]
    fn prepare_appends_one_revision_and_embed_fills_the_gap() {
        let original = minimal_pdf("Hello");
        let mut req = SignatureRequest::signature("Signature1", 32);
        req.reason = Some("Approval (final)".into());
        req.location = Some("Київ".into());
        req.signer_name = Some("Test Signer".into());
        req.signing_time = Some(PdfDate::utc(2024, 5, 1, 10, 0, 0).unwrap());
        let prepared = prepare(&original, &req).unwrap();
        assert!(prepared.as_bytes().starts_with(&original));
        let br = prepared.byte_range();
        assert_eq!(br[0], 0);
        assert_eq!(prepared.as_bytes()[br[1]], b'<');
        assert_eq!(prepared.as_bytes()[br[2] - 1], b'>');
        assert_eq!(br[2] - br[1], 2 + 64);
        assert_eq!(br[2] + br[3], prepared.as_bytes().len());
        assert_eq!(prepared.reserved(), 32);
        let signed = prepared.signed_bytes();
        assert_eq!(signed.len(), br[1] + br[3]);
        let file = prepared.embed(DER).unwrap();
        assert_eq!(revisions(&file).len(), 2);

        let found = find_signatures(&file).unwrap();
        assert_eq!(found.len(), 1);
        let sig = &found[0];
        assert_eq!(sig.field_name, "Signature1");
        assert_eq!(sig.sub_filter, "ETSI.CAdES.detached");
        assert!(!sig.is_doc_timestamp);
        assert_eq!(sig.byte_range, br);
        assert!(sig.byte_range_valid && sig.covers_whole_revision && sig.covers_whole_file);
        assert_eq!(sig.later_revisions, 0);
        assert_eq!(sig.contents, DER);
        assert_eq!(sig.signing_time.as_deref(), Some("D:20240501100000Z"));
        assert_eq!(sig.reason.as_deref(), Some("Approval (final)"));
        assert_eq!(sig.location.as_deref(), Some("Київ"));
        assert_eq!(sig.name.as_deref(), Some("Test Signer"));
        assert_eq!(sig.signed_bytes(&file).unwrap(), signed);
    }

    #[test]
    fn too_large_and_empty_signatures_are_refused() {
        let prepared = prepare(&minimal_pdf("x"), &SignatureRequest::signature("S", 4)).unwrap();
        assert_eq!(prepared.clone().embed(DER), Err(PdfError::SignatureTooLarge { needed: 5, reserved: 4 }));
        assert_eq!(prepared.clone().embed(&[]), Err(PdfError::EmptySignature));
        assert!(prepared.embed(&DER[..4]).is_ok());
        assert!(matches!(
            prepare(&minimal_pdf("x"), &SignatureRequest::signature("S", 0)),
            Err(PdfError::Reserve { .. })
        ));
    }

    #[test]
    fn field_names_are_unique_and_simple() {
        let once = sign(&minimal_pdf("x"), "Sig");
        assert_eq!(
            prepare(&once, &SignatureRequest::signature("Sig", 64)).unwrap_err(),
            PdfError::FieldExists("Sig".into())
        );
        for bad in ["", "a.b", "a\nb"] {
            assert!(matches!(prepare(&once, &SignatureRequest::signature(bad, 64)), Err(PdfError::FieldName(_))));
        }
    }

    #[test]
    fn second_signature_leaves_the_first_intact() {
        let once = sign(&minimal_pdf("two"), "First");
        let twice = sign(&once, "Second");
        assert!(twice.starts_with(&once));
        let found = find_signatures(&twice).unwrap();
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].field_name, "First");
        assert!(found[0].covers_whole_revision && !found[0].covers_whole_file);
        assert_eq!(found[0].revision_end, once.len());
        assert_eq!(found[0].later_revisions, 1);
        assert_eq!(found[1].field_name, "Second");
        assert!(found[1].covers_whole_file);
        assert_eq!(found[1].later_revisions, 0);
    }

    #[test]
    fn doc_timestamp_has_its_own_type_and_no_signer_entries() {
        let mut req = SignatureRequest::doc_timestamp("TS", 64);
        req.reason = Some("ignored".into());
        req.signing_time = Some(PdfDate::utc(2024, 1, 1, 0, 0, 0).unwrap());
        let file = prepare(&minimal_pdf("ts"), &req).unwrap().embed(DER).unwrap();
        let found = find_signatures(&file).unwrap();
        assert_eq!(found.len(), 1);
        assert!(found[0].is_doc_timestamp);
        assert_eq!(found[0].sub_filter, "ETSI.RFC3161");
        assert_eq!(found[0].reason, None);
        assert_eq!(found[0].signing_time, None);
        assert!(memchr::memmem::find(&file, b"/Type /DocTimeStamp").is_some());
    }

    #[test]
    fn tampering_after_signing_is_reported() {
        let mut file = sign(&minimal_pdf("t"), "S");
        // Extra bytes appended: the signature no longer covers the whole file.
        file.extend_from_slice(b"% appended\n");
        let found = find_signatures(&file).unwrap();
        assert!(found[0].covers_whole_revision && !found[0].covers_whole_file);
        // A byte range whose gap is more than the <hex> of /Contents.
        let mut file = sign(&minimal_pdf("t"), "S");
        let br = find_signatures(&file).unwrap()[0].byte_range;
        let at = memchr::memmem::find(&file, b"/ByteRange ").unwrap() + 11;
        let mut patch = format!("[0 {} {} {}", br[1] - 1, br[2], br[3]).into_bytes();
        patch.resize(BYTE_RANGE_WIDTH - 1, b' ');
        patch.push(b']');
        file[at..at + BYTE_RANGE_WIDTH].copy_from_slice(&patch);
        let found = find_signatures(&file).unwrap();
        assert!(found[0].byte_range_valid && !found[0].covers_whole_revision && !found[0].covers_whole_file);
    }

    #[test]
    fn revisions_end_after_the_eol() {
        assert_eq!(revisions(b"%PDF-1.7\n%%EOF\r\nxx%%EOF"), vec![16, 23]);
        assert!(revisions(b"").is_empty());
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(find_signatures(b"").is_err());
        assert!(find_signatures(b"%PDF-1.7\n").is_err());
        assert!(prepare(b"hello", &SignatureRequest::signature("S", 10)).is_err());
        let mut no_eof = minimal_pdf("x");
        no_eof.truncate(no_eof.len() - 7);
        assert_eq!(prepare(&no_eof, &SignatureRequest::signature("S", 10)), Err(PdfError::Damaged));
    }
}
