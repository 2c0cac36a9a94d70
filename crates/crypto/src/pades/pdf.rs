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
//!             /Rect [0 0 0 0] /F 132 /P <first page> /AP << /N A 0 R >> >>
//! A 0 obj  empty Form XObject, /BBox [0 0 0 0]
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

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId, StringFormat};

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

/// A PDF date string (`D:YYYYMMDDHHmmSSZ` and its shorter or offset forms).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PdfDate(String);

impl PdfDate {
    /// A UTC time, written `D:YYYYMMDDHHmmSSZ`.
    pub fn utc(year: u16, month: u8, day: u8, hour: u8, minute: u8, second: u8) -> Result<Self, PdfError> {
        if year > 9999 {
            return Err(PdfError::Date("year beyond 9999"));
        }
        if !(1..=12).contains(&month) {
            return Err(PdfError::Date("month"));
        }
        if day == 0 || day > days_in_month(year, month) {
            return Err(PdfError::Date("day"));
        }
        if hour > 23 || minute > 59 || second > 59 {
            return Err(PdfError::Date("time of day"));
        }
        Ok(PdfDate(format!("D:{year:04}{month:02}{day:02}{hour:02}{minute:02}{second:02}Z")))
    }

    /// A time given as seconds since the Unix epoch, in UTC.
    pub fn from_unix(seconds: i64) -> Result<Self, PdfError> {
        let days = seconds.div_euclid(86_400);
        let secs = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(days);
        let year = u16::try_from(year).map_err(|_| PdfError::Date("year out of range"))?;
        // The remainders are below 24, 60 and 60, so the casts cannot truncate.
        PdfDate::utc(year, month, day, (secs / 3600) as u8, (secs / 60 % 60) as u8, (secs % 60) as u8)
    }

    /// A time from the system clock's representation, in UTC.
    pub fn from_system_time(time: std::time::SystemTime) -> Result<Self, PdfError> {
        let seconds = match time.duration_since(std::time::UNIX_EPOCH) {
            Ok(after) => i64::try_from(after.as_secs()).map_err(|_| PdfError::Date("out of range"))?,
            Err(before) => {
                let d = before.duration();
                let whole = i64::try_from(d.as_secs()).map_err(|_| PdfError::Date("out of range"))?;
                // Round towards the past so a fractional second stays in the right second.
                -whole - i64::from(d.subsec_nanos() > 0)
            }
        };
        PdfDate::from_unix(seconds)
    }

    /// Accepts a date string as found in a PDF (`D:` then at least the year);
    /// only its character set and length are checked.
    pub fn parse(text: &str) -> Result<Self, PdfError> {
        let rest = text.strip_prefix("D:").ok_or(PdfError::Date("must start with D:"))?;
        if rest.len() < 4 || rest.len() > 30 {
            return Err(PdfError::Date("length"));
        }
        if !rest.bytes().take(4).all(|b| b.is_ascii_digit()) {
            return Err(PdfError::Date("year"));
        }
        if !rest.bytes().all(|b| b.is_ascii_digit() || b"Z+-'".contains(&b)) {
            return Err(PdfError::Date("unexpected character"));
        }
        Ok(PdfDate(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PdfDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn is_leap(year: u16) -> bool {
    (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400)
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 31,
    }
}

/// Proleptic Gregorian (year, month, day) of a count of days since 1970-01-01
/// (the era-based conversion: 400-year eras of 146 097 days, years from March).
fn civil_from_days(days: i64) -> (i64, u8, u8) {
    let z = days.saturating_add(719_468);
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097); // day of era, 0..=146_096
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365; // year of era, 0..=399
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100); // day of year from March 1st, 0..=365
    let mp = (5 * doy + 2) / 153; // month from March, 0..=11
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe.saturating_add(era.saturating_mul(400)) + i64::from(month <= 2);
    (year, month as u8, day as u8)
}

/// What to put into the new signature field.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    widget.extend_from_slice(
        format!(
            " /V {} 0 R /Rect [0 0 0 0] /F 132 /P {} {} R /AP << /N {} 0 R >> >>",
            sig_id.0, page_id.0, page_id.1, ap_id.0
        )
        .as_bytes(),
    );
    write_indirect(&mut out, widget_id, &widget);

    offsets.insert(ap_id.0, (0, out.len()));
    write_indirect(
        &mut out,
        ap_id,
        b"<< /Type /XObject /Subtype /Form /BBox [0 0 0 0] /Resources << >> /Length 0 >>\nstream\n\nendstream",
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

/// Appends a revision that adds validation data to the document security
/// store (`/DSS` `/Certs`, `/CRLs` and `/OCSPs`, ETSI EN 319 142-1 §5.4.2): what a
/// verifier needs to check the signatures later without fetching anything
/// (PAdES B-LT once the signatures are B-T). Data already in the store is
/// not added twice.
pub fn add_dss(pdf: &[u8], data: &ValidationData) -> Result<Vec<u8>, PdfError> {
    let Update { doc, prev_xref, kind, root_id, next_id } = Update::open(pdf)?;
    let mut catalog = doc.get_dictionary(root_id).map_err(|_| PdfError::Malformed("no catalog"))?.clone();
    let existing = catalog.get(b"DSS").ok().cloned();
    let dss_id = match &existing {
        Some(Object::Reference(id)) if doc.get_dictionary(*id).is_ok() => Some(*id),
        _ => None,
    };
    let mut dss = deref_dict(&doc, existing.as_ref()).cloned().unwrap_or_default();
    let mut next = next_id;
    let parts = [(&b"Certs"[..], &data.certs), (b"CRLs", &data.crls), (b"OCSPs", &data.ocsps)];
    let mut out = Vec::with_capacity(pdf.len() + parts.iter().flat_map(|p| p.1).map(Vec::len).sum::<usize>() + 4096);
    out.extend_from_slice(pdf);
    if !matches!(out.last(), Some(b'\n' | b'\r')) {
        out.push(b'\n');
    }
    let mut offsets: BTreeMap<u32, (u16, usize)> = BTreeMap::new();
    for (key, items) in parts {
        let mut array: Vec<Object> = deref_array(&doc, dss.get(key).ok()).map(<[Object]>::to_vec).unwrap_or_default();
        let held: Vec<Vec<u8>> = array
            .iter()
            .filter_map(|o| match doc.dereference(o).ok()?.1 {
                Object::Stream(s) => Some(s.content.clone()),
                _ => None,
            })
            .collect();
        let mut added: Vec<&[u8]> = Vec::new();
        for item in items {
            if held.contains(item) || added.contains(&item.as_slice()) {
                continue;
            }
            added.push(item);
            let id = (next, 0);
            next = next.checked_add(1).filter(|n| *n < 8_388_607).ok_or(PdfError::Malformed("object numbers"))?;
            offsets.insert(id.0, (0, out.len()));
            let mut body = format!("<< /Length {} >>\nstream\n", item.len()).into_bytes();
            body.extend_from_slice(item);
            body.extend_from_slice(b"\nendstream");
            write_indirect(&mut out, id, &body);
            array.push(Object::Reference(id));
        }
        if !array.is_empty() {
            dss.set(key, array);
        }
    }
    let mut changed = Changed::default();
    match dss_id {
        Some(id) => changed.put(id, Object::Dictionary(dss))?,
        None => {
            catalog.set("DSS", dss);
            changed.put(root_id, Object::Dictionary(catalog))?;
        }
    }
    let xref_id = if kind == XrefKind::Stream {
        let id = (next, 0);
        next += 1;
        Some(id)
    } else {
        None
    };
    finish_revision(&mut out, &mut offsets, &changed, &doc.trailer, root_id, next, prev_xref, xref_id)?;
    Ok(out)
}

/// What a document's security store holds (DER).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ValidationData {
    pub certs: Vec<Vec<u8>>,
    pub crls: Vec<Vec<u8>>,
    /// OCSP responses (`OCSPResponse`, as fetched).
    pub ocsps: Vec<Vec<u8>>,
}

impl ValidationData {
    pub fn is_empty(&self) -> bool {
        self.certs.is_empty() && self.crls.is_empty() && self.ocsps.is_empty()
    }
}

/// The certificates, CRLs and OCSP responses of the document security store, if any.
pub fn dss_contents(pdf: &[u8]) -> Result<ValidationData, PdfError> {
    dss_in(&load(pdf)?)
}

/// [`dss_contents`] of a document already parsed.
pub(crate) fn dss_in(doc: &Document) -> Result<ValidationData, PdfError> {
    let catalog = doc.catalog().map_err(|_| PdfError::Malformed("no catalog"))?;
    let Some(dss) = deref_dict(doc, catalog.get(b"DSS").ok()) else {
        return Ok(ValidationData::default());
    };
    let streams = |key: &[u8]| -> Vec<Vec<u8>> {
        deref_array(doc, dss.get(key).ok())
            .unwrap_or_default()
            .iter()
            .filter_map(|o| match doc.dereference(o).ok()?.1 {
                Object::Stream(s) => {
                    let mut s = s.clone();
                    // Writers may compress the stored DER.
                    let _ = s.decompress();
                    Some(s.content)
                }
                _ => None,
            })
            .collect()
    };
    Ok(ValidationData { certs: streams(b"Certs"), crls: streams(b"CRLs"), ocsps: streams(b"OCSPs") })
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

/// Writes the signature dictionary as object `number`; returns the offsets of
/// the `/ByteRange` placeholder's `[` and of the `/Contents` `<`.
fn write_signature_dict(out: &mut Vec<u8>, number: u32, req: &SignatureRequest) -> (usize, usize) {
    let timestamp = req.sub_filter == SubFilter::EtsiRfc3161;
    out.extend_from_slice(format!("{number} 0 obj\n<<\n").as_bytes());
    out.extend_from_slice(if timestamp { b"/Type /DocTimeStamp\n" } else { b"/Type /Sig\n" });
    out.extend_from_slice(
        format!("/Filter /Adobe.PPKLite\n/SubFilter /{}\n/ByteRange ", req.sub_filter.name()).as_bytes(),
    );
    let range_at = out.len();
    let zeros = "0".repeat(BYTE_RANGE_DIGITS);
    let placeholder = format!("[0 {zeros} {zeros} {zeros}]");
    debug_assert_eq!(placeholder.len(), BYTE_RANGE_WIDTH);
    out.extend_from_slice(placeholder.as_bytes());
    out.extend_from_slice(b"\n/Contents ");
    let contents_at = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', 2 * req.reserve));
    out.extend_from_slice(b">\n");
    if let Some(mdp) = req.certify.filter(|_| !timestamp) {
        out.extend_from_slice(
            format!(
                "/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P {} /V /1.2 >> >>]\n",
                mdp.p()
            )
            .as_bytes(),
        );
    }
    if !timestamp {
        if let Some(time) = &req.signing_time {
            out.extend_from_slice(b"/M ");
            write_literal(out, time.as_str().as_bytes());
            out.push(b'\n');
        }
        for (key, value) in [("Name", &req.signer_name), ("Reason", &req.reason), ("Location", &req.location)] {
            if let Some(value) = value {
                out.extend_from_slice(format!("/{key} ").as_bytes());
                write_text_string(out, value);
                out.push(b'\n');
            }
        }
    }
    out.extend_from_slice(b">>\nendobj\n");
    (range_at, contents_at)
}

fn write_indirect(out: &mut Vec<u8>, id: ObjectId, body: &[u8]) {
    out.extend_from_slice(format!("{} {} obj\n", id.0, id.1).as_bytes());
    out.extend_from_slice(body);
    out.extend_from_slice(b"\nendobj\n");
}

/// Consecutive runs of object numbers: (first, count).
fn runs(numbers: impl Iterator<Item = u32>) -> Vec<(u32, u32)> {
    let mut runs: Vec<(u32, u32)> = Vec::new();
    for n in numbers {
        match runs.last_mut() {
            Some((first, count)) if first.checked_add(*count) == Some(n) => *count += 1,
            _ => runs.push((n, 1)),
        }
    }
    runs
}

fn write_xref_table(out: &mut Vec<u8>, offsets: &BTreeMap<u32, (u16, usize)>, trailer: &Dictionary) {
    out.extend_from_slice(b"xref\n");
    for (first, count) in runs(offsets.keys().copied()) {
        out.extend_from_slice(format!("{first} {count}\n").as_bytes());
        for n in first..first + count {
            if let Some((generation, offset)) = offsets.get(&n) {
                out.extend_from_slice(format!("{offset:010} {generation:05} n\r\n").as_bytes());
            }
        }
    }
    out.extend_from_slice(b"trailer\n");
    write_object(out, &Object::Dictionary(trailer.clone()));
    out.push(b'\n');
}

fn write_xref_stream(out: &mut Vec<u8>, id: ObjectId, offsets: &mut BTreeMap<u32, (u16, usize)>, mut dict: Dictionary) {
    offsets.insert(id.0, (id.1, out.len()));
    let max_offset = offsets.values().map(|(_, o)| *o).max().unwrap_or(0);
    let width = (1..=8usize).find(|w| *w == 8 || max_offset >> (8 * w) == 0).unwrap_or(8);
    let mut data = Vec::with_capacity(offsets.len() * (width + 3));
    for (generation, offset) in offsets.values() {
        data.push(1);
        data.extend_from_slice(&(*offset as u64).to_be_bytes()[8 - width..]);
        data.extend_from_slice(&generation.to_be_bytes());
    }
    let index: Vec<Object> =
        runs(offsets.keys().copied()).into_iter().flat_map(|(f, c)| [Object::from(f), Object::from(c)]).collect();
    dict.set("Type", Object::Name(b"XRef".to_vec()));
    dict.set("W", vec![Object::from(1), Object::from(width as i64), Object::from(2)]);
    dict.set("Index", index);
    dict.set("Length", data.len() as i64);
    let mut body = Vec::new();
    write_object(&mut body, &Object::Dictionary(dict));
    body.extend_from_slice(b"\nstream\n");
    body.extend_from_slice(&data);
    body.extend_from_slice(b"\nendstream");
    write_indirect(out, id, &body);
}

/// Serialises a parsed object (dictionaries keep their key order).
fn write_object(out: &mut Vec<u8>, object: &Object) {
    match object {
        Object::Null => out.extend_from_slice(b"null"),
        Object::Boolean(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Object::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        Object::Real(r) => {
            let text = if r.is_finite() { r.to_string() } else { "0".to_owned() };
            out.extend_from_slice(text.as_bytes());
        }
        Object::Name(name) => write_name(out, name),
        Object::String(bytes, StringFormat::Literal) => write_literal(out, bytes),
        Object::String(bytes, StringFormat::Hexadecimal) => write_hex(out, bytes),
        Object::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b' ');
                }
                write_object(out, item);
            }
            out.push(b']');
        }
        Object::Dictionary(dict) => write_dict(out, dict),
        Object::Stream(stream) => {
            let mut dict = stream.dict.clone();
            dict.set("Length", stream.content.len() as i64);
            write_dict(out, &dict);
            out.extend_from_slice(b"\nstream\n");
            out.extend_from_slice(&stream.content);
            out.extend_from_slice(b"\nendstream");
        }
        Object::Reference((n, g)) => out.extend_from_slice(format!("{n} {g} R").as_bytes()),
    }
}

fn write_dict(out: &mut Vec<u8>, dict: &Dictionary) {
    out.extend_from_slice(b"<<");
    for (key, value) in dict.iter() {
        out.push(b' ');
        write_name(out, key);
        out.push(b' ');
        write_object(out, value);
    }
    out.extend_from_slice(b" >>");
}

fn write_name(out: &mut Vec<u8>, name: &[u8]) {
    out.push(b'/');
    for &b in name {
        if (0x21..=0x7e).contains(&b) && !b"#()<>[]{}/%".contains(&b) {
            out.push(b);
        } else {
            out.push(b'#');
            out.push(HEX[usize::from(b >> 4)]);
            out.push(HEX[usize::from(b & 0x0f)]);
        }
    }
}

/// A string as a literal `(…)` when it is printable ASCII, else as `<hex>`.
pub(crate) fn write_literal(out: &mut Vec<u8>, bytes: &[u8]) {
    if !bytes.iter().all(|b| (0x20..0x7f).contains(b)) {
        write_hex(out, bytes);
        return;
    }
    out.push(b'(');
    for &b in bytes {
        if matches!(b, b'(' | b')' | b'\\') {
            out.push(b'\\');
        }
        out.push(b);
    }
    out.push(b')');
}

fn write_hex(out: &mut Vec<u8>, bytes: &[u8]) {
    out.push(b'<');
    for &b in bytes {
        out.push(HEX[usize::from(b >> 4)]);
        out.push(HEX[usize::from(b & 0x0f)]);
    }
    out.push(b'>');
}

/// A text string: printable ASCII as an escaped literal, anything else as
/// UTF-16BE with a byte-order mark (written in hex so no byte needs escaping).
pub(crate) fn write_text_string(out: &mut Vec<u8>, text: &str) {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        write_literal(out, text.as_bytes());
    } else {
        let mut bytes = vec![0xfe, 0xff];
        bytes.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        write_hex(out, &bytes);
    }
}

/// Decodes a PDF text string: UTF-16BE or UTF-8 with a byte-order mark, else PDFDocEncoding.
pub fn decode_text(bytes: &[u8]) -> String {
    if let Some(utf16) = bytes.strip_prefix(&[0xfe, 0xff]) {
        let units: Vec<u16> =
            utf16.chunks(2).map(|c| u16::from_be_bytes([c[0], c.get(1).copied().unwrap_or(0)])).collect();
        return String::from_utf16_lossy(&units);
    }
    if let Some(utf8) = bytes.strip_prefix(&[0xef, 0xbb, 0xbf]) {
        return String::from_utf8_lossy(utf8).into_owned();
    }
    bytes.iter().map(|&b| pdf_doc_char(b)).collect()
}

/// PDFDocEncoding (ISO 32000-1 Annex D): Latin-1 with its own 0x18–0x1F and 0x80–0xA0.
fn pdf_doc_char(b: u8) -> char {
    const LOW: [char; 8] =
        ['\u{02d8}', '\u{02c7}', '\u{02c6}', '\u{02d9}', '\u{02dd}', '\u{02db}', '\u{02da}', '\u{02dc}'];
    const HIGH: [char; 33] = [
        '\u{2022}', '\u{2020}', '\u{2021}', '\u{2026}', '\u{2014}', '\u{2013}', '\u{0192}', '\u{2044}', '\u{2039}',
        '\u{203a}', '\u{2212}', '\u{2030}', '\u{201e}', '\u{201c}', '\u{201d}', '\u{2018}', '\u{2019}', '\u{201a}',
        '\u{2122}', '\u{fb01}', '\u{fb02}', '\u{0141}', '\u{0152}', '\u{0160}', '\u{0178}', '\u{017d}', '\u{0131}',
        '\u{0142}', '\u{0153}', '\u{0161}', '\u{017e}', '\u{fffd}', '\u{20ac}',
    ];
    match b {
        0x18..=0x1f => LOW[usize::from(b - 0x18)],
        0x80..=0xa0 => HIGH[usize::from(b - 0x80)],
        0xad => '\u{fffd}',
        _ => char::from(b),
    }
}

/// A signature field found in a PDF, with what a verifier checks before the CMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FoundSignature {
    /// Fully qualified field name (partial names joined by periods).
    pub field_name: String,
    /// `/SubFilter` of the signature dictionary, without the slash (empty when missing).
    pub sub_filter: String,
    /// `/Type /DocTimeStamp` or `/SubFilter /ETSI.RFC3161`.
    pub is_doc_timestamp: bool,
    /// `/ByteRange` as written; `[0; 4]` when it is not four non-negative integers.
    pub byte_range: [usize; 4],
    /// Whether the byte range lies in the file, ascending, the two ranges not overlapping.
    /// When false, do not slice the file with it (use [`FoundSignature::signed_bytes`]).
    pub byte_range_valid: bool,
    /// The CMS: the hex of the byte-range gap (or, failing that, the parsed
    /// `/Contents`), cut to the length its outer DER/BER header gives; the zero
    /// padding after it is dropped (an all-zero placeholder gives nothing).
    pub contents: Vec<u8>,
    /// `/M`
    pub signing_time: Option<String>,
    pub reason: Option<String>,
    pub location: Option<String>,
    /// `/Name`
    pub name: Option<String>,
    /// The byte range is valid, starts at 0, its gap is exactly `<hex>` of this
    /// signature's `/Contents`, and it ends where a revision ends (after `%%EOF`).
    pub covers_whole_revision: bool,
    /// `byte_range[2] + byte_range[3]`.
    pub revision_end: usize,
    /// [`covers_whole_revision`](Self::covers_whole_revision) and the revision ends the file.
    pub covers_whole_file: bool,
    /// `%%EOF` markers after the signed revision: revisions appended after signing.
    pub later_revisions: usize,
}

impl FoundSignature {
    /// The bytes the byte range names, or an error when it is not valid for `pdf`.
    pub fn signed_bytes(&self, pdf: &[u8]) -> Result<Vec<u8>, PdfError> {
        let [a, b, c, d] = self.byte_range;
        if !self.byte_range_valid || !range_valid(self.byte_range, pdf.len()) {
            return Err(PdfError::Malformed("invalid /ByteRange"));
        }
        let first = pdf.get(a..a + b).ok_or(PdfError::Malformed("invalid /ByteRange"))?;
        let second = pdf.get(c..c + d).ok_or(PdfError::Malformed("invalid /ByteRange"))?;
        Ok([first, second].concat())
    }
}

fn range_valid([a, b, c, d]: [usize; 4], len: usize) -> bool {
    match (a.checked_add(b), c.checked_add(d)) {
        (Some(first_end), Some(second_end)) => first_end <= c && second_end <= len,
        _ => false,
    }
}

/// End offsets of every revision: after each `%%EOF` and the end-of-line that follows it.
///
/// Every `%%EOF` in the file counts, also one inside stream data or the extra
/// one of a linearized file: for reporting revisions added after a signature,
/// counting too many is the safe side.
pub fn revisions(pdf: &[u8]) -> Vec<usize> {
    eof_markers(pdf).into_iter().map(|(_, end)| end).collect()
}

/// (offset of `%%EOF`, end of the revision) for each marker in the file.
fn eof_markers(pdf: &[u8]) -> Vec<(usize, usize)> {
    let mut markers = Vec::new();
    let mut from = 0;
    while let Some(pos) = find(pdf, b"%%EOF", from) {
        let mut end = pos + 5;
        if pdf.get(end) == Some(&b'\r') {
            end += 1;
        }
        if pdf.get(end) == Some(&b'\n') {
            end += 1;
        }
        markers.push((pos, end));
        from = pos + 5;
    }
    markers
}

/// First `needle` at or after `from`. Jumps between occurrences of the
/// needle's first byte: the files searched are mostly hex digits and stream
/// data, where `%` is rare, so few places are compared in full.
fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    loop {
        at += haystack.get(at..)?.iter().position(|&b| b == first)?;
        if haystack.get(at + 1..at + needle.len()) == Some(rest) {
            return Some(at);
        }
        at += 1;
    }
}

/// Every signature field with a value, in field-tree order.
pub fn find_signatures(pdf: &[u8]) -> Result<Vec<FoundSignature>, PdfError> {
    signatures_in(&parse(pdf)?, pdf)
}

/// A PDF parsed once for everything a validation reads from it (a file
/// without the `%PDF-` header is not taken for one).
pub(crate) fn parse(pdf: &[u8]) -> Result<Document, PdfError> {
    if find(pdf.get(..pdf.len().min(1024)).unwrap_or_default(), b"%PDF-", 0).is_none() {
        return Err(PdfError::NotPdf("no %PDF- header"));
    }
    load(pdf)
}

/// [`find_signatures`] in `doc`, the parsed `pdf`.
pub(crate) fn signatures_in(doc: &Document, pdf: &[u8]) -> Result<Vec<FoundSignature>, PdfError> {
    let encrypted = doc.encryption_state.is_some();
    let markers = eof_markers(pdf);
    let catalog = doc.catalog().map_err(|_| PdfError::Malformed("no catalog"))?;
    let Some(form) = deref_dict(doc, catalog.get(b"AcroForm").ok()) else {
        return Ok(Vec::new());
    };
    let Some(fields) = deref_array(doc, form.get(b"Fields").ok()) else {
        return Ok(Vec::new());
    };
    let mut found = Vec::new();
    walk_fields(doc, fields, |node| {
        if node.field_type.as_deref() != Some(b"Sig") {
            return;
        }
        if let Some(sig) = deref_dict(doc, node.dict.get(b"V").ok()) {
            found.push(describe(doc, pdf, &markers, encrypted, node.name, sig));
        }
    });
    Ok(found)
}

fn describe(
    doc: &Document,
    pdf: &[u8],
    markers: &[(usize, usize)],
    encrypted: bool,
    field_name: String,
    sig: &Dictionary,
) -> FoundSignature {
    let name_of = |key: &[u8]| match sig.get(key).ok().and_then(|o| doc.dereference(o).ok()) {
        Some((_, Object::Name(n))) => Some(String::from_utf8_lossy(n).into_owned()),
        _ => None,
    };
    let text_of = |key: &[u8]| match sig.get(key).ok().and_then(|o| doc.dereference(o).ok()) {
        Some((_, Object::String(s, _))) => Some(decode_text(s)),
        _ => None,
    };
    let sub_filter = name_of(b"SubFilter").unwrap_or_default();
    let is_doc_timestamp = name_of(b"Type").as_deref() == Some("DocTimeStamp") || sub_filter == "ETSI.RFC3161";

    let parsed_range = deref_array(doc, sig.get(b"ByteRange").ok()).and_then(|items| {
        let numbers: Vec<usize> =
            items.iter().filter_map(|o| o.as_i64().ok()).filter_map(|n| usize::try_from(n).ok()).collect();
        <[usize; 4]>::try_from(numbers).ok().filter(|_| items.len() == 4)
    });
    let byte_range = parsed_range.unwrap_or([0; 4]);
    let byte_range_valid = parsed_range.is_some() && range_valid(byte_range, pdf.len());
    let parsed_contents = match sig.get(b"Contents").ok().and_then(|o| doc.dereference(o).ok()) {
        Some((_, Object::String(s, _))) => Some(s.clone()),
        _ => None,
    };
    let gap_contents = if byte_range_valid {
        pdf.get(byte_range[0] + byte_range[1]..byte_range[2]).and_then(decode_strict_hex)
    } else {
        None
    };
    let contents_match = match (&gap_contents, &parsed_contents) {
        // lopdf decrypts strings of encrypted files, but /Contents is never encrypted.
        (Some(gap), Some(parsed)) => encrypted || gap == parsed,
        _ => false,
    };
    let revision_end = byte_range[2].saturating_add(byte_range[3]);
    let at_revision_end = markers.iter().any(|&(pos, end)| revision_end == end || revision_end == pos + 5);
    let covers_whole_revision = byte_range_valid && byte_range[0] == 0 && contents_match && at_revision_end;
    let raw = gap_contents.or(parsed_contents).unwrap_or_default();
    FoundSignature {
        field_name,
        sub_filter,
        is_doc_timestamp,
        byte_range,
        byte_range_valid,
        contents: trim_to_ber(raw),
        signing_time: text_of(b"M"),
        reason: text_of(b"Reason"),
        location: text_of(b"Location"),
        name: text_of(b"Name"),
        covers_whole_revision,
        revision_end,
        covers_whole_file: covers_whole_revision && revision_end == pdf.len(),
        later_revisions: markers.iter().filter(|(pos, _)| *pos >= revision_end).count(),
    }
}

/// `<hex>` with nothing else: an even number of hex digits, no white space.
fn decode_strict_hex(gap: &[u8]) -> Option<Vec<u8>> {
    let digits = gap.strip_prefix(b"<")?.strip_suffix(b">")?;
    if !digits.len().is_multiple_of(2) {
        return None;
    }
    digits
        .chunks_exact(2)
        .map(|pair| {
            let hi = char::from(pair[0]).to_digit(16)?;
            let lo = char::from(pair[1]).to_digit(16)?;
            u8::try_from(hi * 16 + lo).ok()
        })
        .collect()
}

/// Cuts the zero padding after the first BER/DER element; an all-zero
/// placeholder becomes empty, and anything unparsable is returned as is.
fn trim_to_ber(mut raw: Vec<u8>) -> Vec<u8> {
    if raw.iter().all(|b| *b == 0) {
        return Vec::new();
    }
    if let Some(len) = ber_element_len(&raw, 0) {
        raw.truncate(len);
    }
    raw
}

/// The length of the BER element at the start of `data` (definite or indefinite length).
fn ber_element_len(data: &[u8], depth: usize) -> Option<usize> {
    if depth > 64 {
        return None;
    }
    let tag = *data.first()?;
    let mut pos = 1;
    if tag & 0x1f == 0x1f {
        // High tag number: base-128 continuation bytes.
        loop {
            let b = *data.get(pos)?;
            pos += 1;
            if b & 0x80 == 0 {
                break;
            }
            if pos > 6 {
                return None;
            }
        }
    }
    let first = *data.get(pos)?;
    pos += 1;
    if first == 0x80 {
        if tag & 0x20 == 0 {
            return None; // indefinite length only for constructed encodings
        }
        loop {
            let rest = data.get(pos..)?;
            if rest.starts_with(&[0, 0]) {
                return Some(pos + 2);
            }
            pos = pos.checked_add(ber_element_len(rest, depth + 1)?)?;
        }
    }
    let len = if first < 0x80 {
        usize::from(first)
    } else {
        let n = usize::from(first & 0x7f);
        if n > 4 {
            return None;
        }
        let bytes = data.get(pos..pos + n)?;
        pos += n;
        bytes.iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b))
    };
    let total = pos.checked_add(len)?;
    (total <= data.len()).then_some(total)
}

/// A node of the field tree.
struct FieldNode<'a> {
    /// Fully qualified name.
    name: String,
    /// `/FT`, inherited from ancestors when absent.
    field_type: Option<Vec<u8>>,
    dict: &'a Dictionary,
}

/// Visits every node of the field tree under `fields` (depth-first, in order),
/// bounded in depth and size and safe against reference cycles.
fn walk_fields<'a>(doc: &'a Document, fields: &'a [Object], mut visit: impl FnMut(FieldNode<'a>)) {
    let mut seen: HashSet<ObjectId> = HashSet::new();
    let mut budget = MAX_FIELD_NODES;
    // (node, parent name, inherited /FT, depth); pushed in reverse to visit in order.
    let mut stack: Vec<(&'a Object, String, Option<Vec<u8>>, usize)> =
        fields.iter().rev().map(|o| (o, String::new(), None, 0)).collect();
    while let Some((object, parent, inherited, depth)) = stack.pop() {
        if budget == 0 {
            return;
        }
        budget -= 1;
        let Ok((id, Object::Dictionary(dict))) = doc.dereference(object) else {
            continue;
        };
        if let Some(id) = id
            && !seen.insert(id)
        {
            continue;
        }
        let partial = match dict.get(b"T").ok().and_then(|o| doc.dereference(o).ok()) {
            Some((_, Object::String(s, _))) => Some(decode_text(s)),
            _ => None,
        };
        let name = match (partial, parent.is_empty()) {
            (Some(p), true) => p,
            (Some(p), false) => format!("{parent}.{p}"),
            (None, _) => parent,
        };
        let field_type = match dict.get(b"FT").ok().and_then(|o| doc.dereference(o).ok()) {
            Some((_, Object::Name(n))) => Some(n.clone()),
            _ => inherited,
        };
        if depth < MAX_FIELD_DEPTH
            && let Some(kids) = deref_array(doc, dict.get(b"Kids").ok())
        {
            for kid in kids.iter().rev() {
                stack.push((kid, name.clone(), field_type.clone(), depth + 1));
            }
        }
        visit(FieldNode { name, field_type, dict });
    }
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
        assert!(find(&file, b"/Type /DocTimeStamp", 0).is_some());
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
        let at = find(&file, b"/ByteRange ", 0).unwrap() + 11;
        let mut patch = format!("[0 {} {} {}", br[1] - 1, br[2], br[3]).into_bytes();
        patch.resize(BYTE_RANGE_WIDTH - 1, b' ');
        patch.push(b']');
        file[at..at + BYTE_RANGE_WIDTH].copy_from_slice(&patch);
        let found = find_signatures(&file).unwrap();
        assert!(found[0].byte_range_valid && !found[0].covers_whole_revision && !found[0].covers_whole_file);
    }

    #[test]
    fn find_matches_a_plain_search() {
        let hay = b"%%%EO%%EOF %PDF-%%EOF\n%%EO";
        for needle in [&b"%%EOF"[..], b"%PDF-", b"%", b"EO", b"%%EO", b"x", b"%%EOF\n%%EOF"] {
            for from in 0..=hay.len() + 1 {
                let plain =
                    hay.get(from..).and_then(|h| h.windows(needle.len()).position(|w| w == needle)).map(|p| p + from);
                assert_eq!(find(hay, needle, from), plain, "{needle:?} from {from}");
            }
        }
        assert_eq!(find(hay, b"", 0), None);
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
