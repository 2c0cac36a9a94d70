//! Finding the signatures of a file: its revisions, the signature fields of
//! the AcroForm (walked with bounds against hostile trees), each `/Contents`
//! read from the byte-range gap and checked against what the parser read.
use super::*;

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
pub(super) fn pdf_doc_char(b: u8) -> char {
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

pub(super) fn range_valid([a, b, c, d]: [usize; 4], len: usize) -> bool {
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
/// The whole file is scanned (a copy a citizen shares is ~100 KB): with
/// memchr's vectorised search rather than a byte at a time, which was 1.4 %
/// of the sharing intake's CPU (BENCHMARKS.md).
pub(super) fn eof_markers(pdf: &[u8]) -> Vec<(usize, usize)> {
    memchr::memmem::find_iter(pdf, b"%%EOF")
        .map(|pos| {
            let mut end = pos + 5;
            if pdf.get(end) == Some(&b'\r') {
                end += 1;
            }
            if pdf.get(end) == Some(&b'\n') {
                end += 1;
            }
            (pos, end)
        })
        .collect()
}

/// Every signature field with a value, in field-tree order.
pub fn find_signatures(pdf: &[u8]) -> Result<Vec<FoundSignature>, PdfError> {
    signatures_in(&parse(pdf)?, pdf)
}

/// A PDF parsed once for everything a validation reads from it (a file
/// without the `%PDF-` header is not taken for one).
pub(crate) fn parse(pdf: &[u8]) -> Result<Document, PdfError> {
    if memchr::memmem::find(pdf.get(..pdf.len().min(1024)).unwrap_or_default(), b"%PDF-").is_none() {
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

pub(super) fn describe(
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
pub(super) fn decode_strict_hex(gap: &[u8]) -> Option<Vec<u8>> {
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
pub(super) fn trim_to_ber(mut raw: Vec<u8>) -> Vec<u8> {
    if raw.iter().all(|b| *b == 0) {
        return Vec::new();
    }
    if let Some(len) = ber_element_len(&raw, 0) {
        raw.truncate(len);
    }
    raw
}

/// The length of the BER element at the start of `data` (definite or indefinite length).
pub(super) fn ber_element_len(data: &[u8], depth: usize) -> Option<usize> {
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
pub(super) struct FieldNode<'a> {
    /// Fully qualified name.
    pub(super) name: String,
    /// `/FT`, inherited from ancestors when absent.
    field_type: Option<Vec<u8>>,
    dict: &'a Dictionary,
}

/// Visits every node of the field tree under `fields` (depth-first, in order),
/// bounded in depth and size and safe against reference cycles.
pub(super) fn walk_fields<'a>(doc: &'a Document, fields: &'a [Object], mut visit: impl FnMut(FieldNode<'a>)) {
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
    use proptest::prelude::*;

    use super::*;

    /// Every place `%%EOF` starts, one window at a time: the plain reading.
    fn markers_by_windows(pdf: &[u8]) -> Vec<usize> {
        pdf.windows(5).enumerate().filter(|(_, w)| *w == b"%%EOF").map(|(i, _)| i).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// Files made of markers and their pieces, so markers, near misses
        /// (`%%%EOF`, `%%EO`) and line ends meet often.
        #[test]
        fn eof_markers_are_every_marker_with_its_line_end(
            pieces in proptest::collection::vec(
                prop::sample::select(vec!["%%EOF", "%", "%%", "EOF", "%%EO", "\r", "\n", "\r\n", "x"]), 0..120)
        ) {
            let pdf = pieces.concat().into_bytes();
            let found = eof_markers(&pdf);
            prop_assert_eq!(found.iter().map(|m| m.0).collect::<Vec<_>>(), markers_by_windows(&pdf));
            for (pos, end) in found {
                let after = &pdf[pos + 5..];
                let line_end = if after.starts_with(b"\r\n") {
                    2
                } else {
                    usize::from(after.first().is_some_and(|b| b"\r\n".contains(b)))
                };
                prop_assert_eq!(end, pos + 5 + line_end);
            }
        }
    }
}
