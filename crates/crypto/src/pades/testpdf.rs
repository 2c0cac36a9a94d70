//! Small, valid PDFs written byte by byte, for tests here and in other crates.

/// A one-page A4 PDF showing `text` in Helvetica (characters outside
/// WinAnsi's Latin-1 range become `?`), with a classic cross-reference table,
/// an `/Info` dictionary and an `/ID`.
pub fn minimal_pdf(text: &str) -> Vec<u8> {
    let shown: Vec<u8> =
        text.chars().map(|c| u8::try_from(u32::from(c)).ok().filter(|b| *b >= 0x20).unwrap_or(b'?')).collect();
    let mut content = b"BT /F1 24 Tf 72 760 Td ".to_vec();
    content.push(b'(');
    for b in shown {
        if matches!(b, b'(' | b')' | b'\\') {
            content.push(b'\\');
        }
        content.push(b);
    }
    content.extend_from_slice(b") Tj ET\n");
    let mut stream = format!("<< /Length {} >>\nstream\n", content.len()).into_bytes();
    stream.extend_from_slice(&content);
    stream.extend_from_slice(b"endstream");
    assemble(
        &[
            b"<< /Type /Catalog /Pages 2 0 R >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>"
                .to_vec(),
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>".to_vec(),
            stream,
            b"<< /Producer (Dossier test PDF) >>".to_vec(),
        ],
        b"/Root 1 0 R /Info 6 0 R",
    )
}

/// A PDF 1.7 file of the given object bodies, numbered from 1, with a classic
/// cross-reference table; `trailer` holds the trailer entries besides `/Size`
/// and `/ID` (at least `/Root`). The `/ID` is derived from the content.
pub fn assemble(objects: &[Vec<u8>], trailer: &[u8]) -> Vec<u8> {
    let mut out = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, body) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
        out.extend_from_slice(body);
        out.extend_from_slice(b"\nendobj\n");
    }
    let id = fnv1a(&out);
    let xref = out.len();
    out.extend_from_slice(format!("xref\n0 {}\n0000000000 65535 f\r\n", objects.len() + 1).as_bytes());
    for offset in offsets {
        out.extend_from_slice(format!("{offset:010} 00000 n\r\n").as_bytes());
    }
    out.extend_from_slice(format!("trailer\n<< /Size {} ", objects.len() + 1).as_bytes());
    out.extend_from_slice(trailer);
    out.extend_from_slice(format!(" /ID [<{id:016X}{id:016X}> <{id:016X}{id:016X}>] >>\n").as_bytes());
    out.extend_from_slice(format!("startxref\n{xref}\n%%EOF\n").as_bytes());
    out
}

/// FNV-1a: a content fingerprint for the test file's /ID, not a security hash.
fn fnv1a(data: &[u8]) -> u64 {
    data.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0000_0100_0000_01b3))
}
