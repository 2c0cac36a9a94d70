//! The PDF side of PAdES checked by tools we did not write: `qpdf --check`
//! finds no errors in our incremental updates (after a classic table, after a
//! cross-reference stream, on a linearized file, twice in a row), and
//! poppler's `pdfsig` lists our signature fields. Plus the object layouts we
//! must update in place, and robustness against random and damaged input.
//! The tool tests are skipped with a notice without the tools, failed under CI=true.
use std::path::Path;
use std::process::Command;

use dossier_crypto::pades::pdf::{
    FoundSignature, PdfDate, PdfError, SignatureRequest, SubFilter, find_signatures, prepare, revisions,
};
use dossier_crypto::pades::testpdf::{assemble, minimal_pdf};
use proptest::prelude::*;

/// A stand-in for a CMS: a DER SEQUENCE holding INTEGER 5.
const DER: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x05];

fn tool(name: &str) -> bool {
    let ok = Command::new(name).arg("--version").output().is_ok_and(|o| o.status.success() || !o.stderr.is_empty());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the {name} command is missing");
    }
    if !ok {
        eprintln!("skipping: no {name} command");
    }
    ok
}

fn sign(pdf: &[u8], field: &str) -> Vec<u8> {
    let mut req = SignatureRequest::signature(field, 256);
    req.signing_time = Some(PdfDate::utc(2025, 3, 14, 9, 26, 53).unwrap());
    req.reason = Some("Test (with parentheses) \\ backslash".into());
    req.location = Some("Львів".into());
    prepare(pdf, &req).unwrap().embed(DER).unwrap()
}

/// `qpdf --check` exits 0 (no errors, no warnings) and says so.
fn assert_qpdf_clean(pdf: &[u8], dir: &Path) {
    let path = dir.join("check.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("qpdf").arg("--check").arg(&path).output().unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "qpdf --check failed ({:?}):\n{text}", out.status.code());
    assert!(text.contains("No syntax or stream encoding errors"), "{text}");
    assert!(!text.contains("WARNING"), "{text}");
}

/// The field names `pdfsig` lists (it always exits 0, so its text is parsed).
fn pdfsig_fields(pdf: &[u8], dir: &Path) -> Vec<String> {
    let path = dir.join("sig.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdfsig").arg(&path).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines().filter_map(|l| l.trim().strip_prefix("- Signature Field Name: ")).map(str::to_owned).collect()
}

fn qpdf(args: &[&str], input: &[u8], dir: &Path) -> Vec<u8> {
    let (inp, outp) = (dir.join("in.pdf"), dir.join("out.pdf"));
    std::fs::write(&inp, input).unwrap();
    let status = Command::new("qpdf").args(args).arg(&inp).arg(&outp).status().unwrap();
    assert!(status.success(), "qpdf {args:?} failed");
    std::fs::read(outp).unwrap()
}

fn assert_whole(sig: &FoundSignature, file: &[u8]) {
    assert!(sig.byte_range_valid && sig.covers_whole_revision && sig.covers_whole_file, "{sig:?}");
    assert_eq!(sig.later_revisions, 0);
    assert_eq!(sig.byte_range[0], 0);
    assert_eq!(sig.revision_end, file.len());
    assert_eq!(sig.contents, DER);
}

#[test]
fn one_signature_passes_qpdf_and_pdfsig() {
    let original = minimal_pdf("Dossier: one signature");
    let file = sign(&original, "Signature1");
    assert!(file.starts_with(&original));
    let found = find_signatures(&file).unwrap();
    assert_eq!(found.len(), 1);
    assert_whole(&found[0], &file);
    assert_eq!(found[0].reason.as_deref(), Some("Test (with parentheses) \\ backslash"));
    assert_eq!(found[0].location.as_deref(), Some("Львів"));
    assert_eq!(found[0].signing_time.as_deref(), Some("D:20250314092653Z"));
    assert_eq!(revisions(&file), vec![original.len(), file.len()]);

    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        assert_qpdf_clean(&file, dir.path());
    }
    if tool("pdfsig") {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(pdfsig_fields(&file, dir.path()), ["Signature1"]);
    }
}

#[test]
fn two_signatures_in_sequence() {
    let once = sign(&minimal_pdf("two"), "Author");
    let twice = sign(&once, "Approver");
    assert!(twice.starts_with(&once));
    let found = find_signatures(&twice).unwrap();
    assert_eq!(found.iter().map(|s| s.field_name.as_str()).collect::<Vec<_>>(), ["Author", "Approver"]);
    let first = &found[0];
    assert!(first.covers_whole_revision && !first.covers_whole_file);
    assert_eq!(first.later_revisions, 1);
    assert_eq!(first.revision_end, once.len());
    assert_eq!(first.byte_range, find_signatures(&once).unwrap()[0].byte_range);
    assert_whole(&found[1], &twice);
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        assert_qpdf_clean(&twice, dir.path());
    }
    if tool("pdfsig") {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(pdfsig_fields(&twice, dir.path()), ["Author", "Approver"]);
    }
}

#[test]
fn signature_then_document_timestamp() {
    let signed = sign(&minimal_pdf("B-T then LTA"), "Signature1");
    let stamped = prepare(&signed, &SignatureRequest::doc_timestamp("Timestamp1", 512)).unwrap().embed(DER).unwrap();
    let found = find_signatures(&stamped).unwrap();
    assert_eq!(found.len(), 2);
    assert!(!found[0].is_doc_timestamp && found[1].is_doc_timestamp);
    assert_eq!(found[1].sub_filter, SubFilter::EtsiRfc3161.name());
    assert_whole(&found[1], &stamped);
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        assert_qpdf_clean(&stamped, dir.path());
    }
}

#[test]
fn after_a_cross_reference_stream_we_write_one() {
    if !tool("qpdf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let compressed = qpdf(&["--object-streams=generate"], &minimal_pdf("object streams"), dir.path());
    let tail = &compressed[compressed.len().saturating_sub(200)..];
    assert!(!tail.windows(7).any(|w| w == b"trailer"), "qpdf should have written an xref stream");
    let once = sign(&compressed, "Signature1");
    let added = &once[compressed.len()..];
    assert!(added.windows(11).any(|w| w == b"/Type /XRef"));
    assert!(!added.windows(7).any(|w| w == b"trailer"));
    assert_qpdf_clean(&once, dir.path());
    let twice = sign(&once, "Signature2");
    assert_qpdf_clean(&twice, dir.path());
    let found = find_signatures(&twice).unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].later_revisions, 1);
    assert_whole(&found[1], &twice);
    if tool("pdfsig") {
        assert_eq!(pdfsig_fields(&twice, dir.path()), ["Signature1", "Signature2"]);
    }
}

#[test]
fn linearized_input() {
    if !tool("qpdf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let linearized = qpdf(&["--linearize"], &minimal_pdf("linearized"), dir.path());
    let file = sign(&linearized, "Signature1");
    assert_qpdf_clean(&file, dir.path());
    assert_whole(&find_signatures(&file).unwrap()[0], &file);
}

/// Inline /AcroForm with a /Fields array object, an /Annots array object, a
/// text field already there, and a nested field whose last part is our name.
#[test]
fn existing_form_and_annotations_are_extended_in_place() {
    let objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields 6 0 R /DA (/Helv 0 Tf 0 g) >> >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots 4 0 R >>".to_vec(),
        b"[5 0 R 8 0 R]".to_vec(),
        b"<< /Type /Annot /Subtype /Widget /FT /Tx /T (Name) /V (Jo) /Rect [10 10 100 30] /F 4 /P 3 0 R >>".to_vec(),
        b"[5 0 R 7 0 R]".to_vec(),
        b"<< /T (Group) /FT /Sig /Kids [8 0 R] >>".to_vec(),
        b"<< /T (Sig) /Parent 7 0 R /Type /Annot /Subtype /Widget /Rect [0 0 0 0] /F 4 /P 3 0 R >>".to_vec(),
    ];
    let original = assemble(&objects, b"/Root 1 0 R");
    // "Group.Sig" is taken, and it is an unsigned signature field: not reported.
    assert!(find_signatures(&original).unwrap().is_empty());
    assert_eq!(
        prepare(&original, &SignatureRequest::signature("Group", 100)).unwrap_err(),
        PdfError::FieldExists("Group".into())
    );
    assert_eq!(
        prepare(&original, &SignatureRequest::signature("Name", 100)).unwrap_err(),
        PdfError::FieldExists("Name".into())
    );
    let file = sign(&original, "Sig");
    let added = String::from_utf8_lossy(&file[original.len()..]).into_owned();
    // The page is untouched: the arrays it and the form point to are re-written;
    // the catalog is, for the SigFlags of its inline AcroForm.
    assert!(added.contains("4 0 obj\n[5 0 R 8 0 R 10 0 R]"), "{added}");
    assert!(added.contains("6 0 obj\n[5 0 R 7 0 R 10 0 R]"), "{added}");
    assert!(added.contains("/AcroForm << /Fields 6 0 R /DA (/Helv 0 Tf 0 g) /SigFlags 3 >>"), "{added}");
    assert!(!added.contains("\n3 0 obj"), "{added}");
    let found = find_signatures(&file).unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].field_name, "Sig");
    assert_whole(&found[0], &file);
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        assert_qpdf_clean(&file, dir.path());
    }
}

/// An indirect /AcroForm without /SigFlags and inline /Annots: the AcroForm object is
/// re-written (SigFlags 3), the page gets the widget, the catalog stays.
#[test]
fn indirect_acroform_is_rewritten() {
    let objects = [
        b"<< /Type /Catalog /Pages 2 0 R /AcroForm 4 0 R >>".to_vec(),
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [] >>".to_vec(),
        b"<< /Fields [] /SigFlags 1 >>".to_vec(),
    ];
    let original = assemble(&objects, b"/Root 1 0 R");
    let file = sign(&original, "S");
    let added = String::from_utf8_lossy(&file[original.len()..]).into_owned();
    assert!(added.contains("4 0 obj\n<< /Fields [6 0 R] /SigFlags 3 >>"), "{added}");
    assert!(added.contains("3 0 obj\n<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Annots [6 0 R] >>"));
    assert!(!added.contains("\n1 0 obj"), "{added}");
    assert_whole(&find_signatures(&file).unwrap()[0], &file);
    if tool("qpdf") {
        let dir = tempfile::tempdir().unwrap();
        assert_qpdf_clean(&file, dir.path());
    }
}

#[test]
fn too_large_cms_is_refused_and_reserve_is_bounded() {
    let prepared = prepare(&minimal_pdf("x"), &SignatureRequest::signature("S", 3)).unwrap();
    assert_eq!(prepared.reserved(), 3);
    assert_eq!(prepared.embed(DER).unwrap_err(), PdfError::SignatureTooLarge { needed: 5, reserved: 3 });
    let huge = SignatureRequest::signature("S", dossier_crypto::pades::pdf::MAX_RESERVE + 1);
    assert!(matches!(prepare(&minimal_pdf("x"), &huge), Err(PdfError::Reserve { .. })));
}

#[test]
fn encrypted_input_is_refused() {
    if !tool("qpdf") {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let encrypted = qpdf(&["--encrypt", "", "owner", "256", "--"], &minimal_pdf("secret"), dir.path());
    assert_eq!(prepare(&encrypted, &SignatureRequest::signature("S", 64)).unwrap_err(), PdfError::Encrypted);
}

fn signed_sample() -> Vec<u8> {
    sign(&sign(&minimal_pdf("fuzz"), "A"), "B")
}

/// A signed file whose first revision has object streams and a compressed
/// cross-reference stream (made by qpdf once), or `None` without qpdf.
fn signed_compressed_sample() -> Option<&'static [u8]> {
    static SAMPLE: std::sync::OnceLock<Option<Vec<u8>>> = std::sync::OnceLock::new();
    SAMPLE
        .get_or_init(|| {
            if !tool("qpdf") {
                return None;
            }
            let dir = tempfile::tempdir().unwrap();
            let compressed = qpdf(&["--object-streams=generate"], &minimal_pdf("fuzz"), dir.path());
            Some(sign(&sign(&compressed, "A"), "B"))
        })
        .as_deref()
}

/// Both entry points on damaged input: no panic, and what succeeds is consistent.
fn exercise(input: &[u8]) -> Result<(), TestCaseError> {
    if let Ok(found) = find_signatures(input) {
        for sig in found {
            // A valid range can always be sliced; an invalid one is an error, not a panic.
            prop_assert_eq!(sig.signed_bytes(input).is_ok(), sig.byte_range_valid);
        }
    }
    if let Ok(prepared) = prepare(input, &SignatureRequest::signature("C", 16)) {
        prop_assert!(prepared.as_bytes().starts_with(input));
        let _ = prepared.embed(DER);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_never_panic(data in proptest::collection::vec(any::<u8>(), 0..2048), header in any::<bool>()) {
        let mut input = if header { b"%PDF-1.7\n".to_vec() } else { Vec::new() };
        input.extend(data);
        let _ = find_signatures(&input);
        let _ = prepare(&input, &SignatureRequest::signature("S", 16));
        let _ = revisions(&input);
    }

    #[test]
    fn truncations_never_panic(cut in any::<prop::sample::Index>()) {
        let sample = signed_sample();
        exercise(&sample[..cut.index(sample.len() + 1)])?;
        if let Some(sample) = signed_compressed_sample() {
            exercise(&sample[..cut.index(sample.len() + 1)])?;
        }
    }

    #[test]
    fn byte_flips_never_panic(flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..8)) {
        let samples = [Some(signed_sample()), signed_compressed_sample().map(<[u8]>::to_vec)];
        for mut input in samples.into_iter().flatten() {
            for (at, byte) in &flips {
                let i = at.index(input.len());
                input[i] = *byte;
            }
            exercise(&input)?;
        }
    }
}

/// Structures meant to exhaust the stack or loop: deep nesting, reference
/// cycles, field trees that contain themselves, a page tree that does.
#[test]
fn hostile_structures_give_errors_or_results() {
    let deep = |open: &str, close: &str| {
        let mut body = b"<< /Type /Catalog /Pages 2 0 R /X ".to_vec();
        body.extend(open.repeat(200_000).bytes());
        body.extend(close.repeat(200_000).bytes());
        body.extend(b" >>");
        assemble(
            &[body, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(), b"<< /Type /Page /Parent 2 0 R >>".to_vec()],
            b"/Root 1 0 R",
        )
    };
    for input in [deep("[", "]"), deep("<< /A ", " >>"), deep("(", ")")] {
        let _ = find_signatures(&input);
        let _ = prepare(&input, &SignatureRequest::signature("S", 16));
    }
    let cyclic = assemble(
        &[
            b"<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [4 0 R 5 0 R 6 0 R] >> >>".to_vec(),
            b"<< /Type /Pages /Kids [2 0 R 3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /Annots 7 0 R >>".to_vec(),
            b"<< /T (a) /FT /Sig /Kids [4 0 R 5 0 R] /V 4 0 R >>".to_vec(),
            b"<< /T (b) /Kids [4 0 R] /V << /ByteRange [0 -1 99999999999999999999 3] /Contents 5 0 R >> >>".to_vec(),
            b"6 0 R".to_vec(),
            b"7 0 R".to_vec(),
        ],
        b"/Root 1 0 R",
    );
    let found = find_signatures(&cyclic).unwrap();
    assert!(found.iter().all(|s| !s.byte_range_valid && !s.covers_whole_revision));
    assert!(prepare(&cyclic, &SignatureRequest::signature("S", 16)).is_err());
}

/// A certification signature with DocMDP P=1 forbids another signature, but a
/// document time-stamp may still be added.
#[test]
fn certified_no_changes_refuses_signatures_but_not_timestamps() {
    let objects = |p: u8| {
        vec![
            b"<< /Type /Catalog /Pages 2 0 R /Perms << /DocMDP 4 0 R >> >>".to_vec(),
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_vec(),
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>".to_vec(),
            format!(
                "<< /Type /Sig /Reference [<< /Type /SigRef /TransformMethod /DocMDP \
                 /TransformParams << /Type /TransformParams /P {p} /V /1.2 >> >>] >>"
            )
            .into_bytes(),
        ]
    };
    let locked = assemble(&objects(1), b"/Root 1 0 R");
    assert_eq!(prepare(&locked, &SignatureRequest::signature("S", 64)).unwrap_err(), PdfError::ChangesNotPermitted);
    assert!(prepare(&locked, &SignatureRequest::doc_timestamp("T", 64)).is_ok());
    assert!(prepare(&assemble(&objects(2), b"/Root 1 0 R"), &SignatureRequest::signature("S", 64)).is_ok());
}
