//! Modification analysis over revisions written by hand: each test appends one
//! incremental update to a signed one-page document ("Pay 100 UAH") and names
//! the attack or the legitimate change it makes. The CMS is a stand-in — the
//! analysis looks only at the objects; `pades_attacks.rs` runs a corpus made
//! by pyHanko through the whole validation.
use dossier_crypto::pades::changes::{ChangeKind, Modifications, analyse};
use dossier_crypto::pades::pdf::{DocMdp, SignatureRequest, find_signatures, prepare};
use dossier_crypto::pades::testpdf::minimal_pdf;
use proptest::prelude::*;

/// A stand-in for a CMS: a DER SEQUENCE holding INTEGER 5.
const DER: &[u8] = &[0x30, 0x03, 0x02, 0x01, 0x05];

fn sign(pdf: &[u8], field: &str, certify: Option<DocMdp>) -> Vec<u8> {
    let mut req = SignatureRequest::signature(field, 64);
    req.certify = certify;
    prepare(pdf, &req).unwrap().embed(DER).unwrap()
}

fn signed() -> Vec<u8> {
    sign(&minimal_pdf("Pay 100 UAH"), "Signature1", None)
}

/// The body of the newest definition of object `number` (between `obj` and `endobj`).
fn body(pdf: &[u8], number: u32) -> String {
    let text = String::from_utf8_lossy(pdf);
    let head = format!("\n{number} 0 obj\n");
    let start = text.rfind(&head).unwrap() + head.len();
    let end = start + text[start..].find("endobj").unwrap();
    text[start..end].trim().to_owned()
}

/// Appends an incremental update defining `objects` (number, body); `root`
/// replaces the trailer's /Root.
fn append(pdf: &[u8], objects: &[(u32, String)], root: Option<u32>) -> Vec<u8> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let size = doc.trailer.get(b"Size").unwrap().as_i64().unwrap() as u32;
    let root = root.unwrap_or(doc.trailer.get(b"Root").unwrap().as_reference().unwrap().0);
    let text = String::from_utf8_lossy(pdf);
    let prev: usize = text[text.rfind("startxref").unwrap() + 9..].split_whitespace().next().unwrap().parse().unwrap();
    let mut out = pdf.to_vec();
    let mut entries = Vec::new();
    for (number, body) in objects {
        entries.push((*number, out.len()));
        out.extend_from_slice(format!("{number} 0 obj\n{body}\nendobj\n").as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(b"xref\n");
    for (number, offset) in &entries {
        out.extend_from_slice(format!("{number} 1\n{offset:010} 00000 n\r\n").as_bytes());
    }
    let new_size = entries.iter().map(|(n, _)| n + 1).max().unwrap_or(0).max(size);
    out.extend_from_slice(
        format!("trailer\n<< /Size {new_size} /Root {root} 0 R /Prev {prev} >>\nstartxref\n{xref}\n%%EOF\n").as_bytes(),
    );
    out
}

fn analyse_first(pdf: &[u8]) -> Modifications {
    let first = &find_signatures(pdf).unwrap()[0];
    analyse(pdf, first.revision_end, &first.field_name)
}

fn kinds(m: &Modifications) -> Vec<ChangeKind> {
    m.changes.iter().map(|c| c.kind).collect()
}

fn next_number(pdf: &[u8]) -> u32 {
    lopdf::Document::load_mem(pdf).unwrap().trailer.get(b"Size").unwrap().as_i64().unwrap() as u32
}

fn stream(text: &str) -> String {
    format!("<< /Length {} >>\nstream\n{text}\nendstream", text.len() + 1)
}

fn refused(m: &Modifications, kind: ChangeKind) {
    assert!(!m.allowed(), "{m:?}");
    assert!(kinds(m).contains(&kind), "expected {kind:?} in {m:?}");
}

#[test]
fn nothing_after_the_signature_is_no_change() {
    let m = analyse_first(&signed());
    assert!(m.changes.is_empty() && m.allowed());
}

#[test]
fn attack_content_stream_replaced() {
    let pdf = signed();
    let attacked = append(&pdf, &[(5, stream("BT /F1 24 Tf 72 760 Td (Pay 900000 UAH) Tj ET"))], None);
    refused(&analyse_first(&attacked), ChangeKind::PageContentChanged);
}

#[test]
fn attack_font_redefined() {
    let pdf = signed();
    let font = "<< /Type /Font /Subtype /Type1 /BaseFont /Courier /Encoding /WinAnsiEncoding >>".to_owned();
    refused(&analyse_first(&append(&pdf, &[(4, font)], None)), ChangeKind::ResourceChanged);
}

#[test]
fn attack_page_added() {
    let pdf = signed();
    let n = next_number(&pdf);
    let page = format!("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents {} 0 R >>", n + 1);
    let pages = format!("<< /Type /Pages /Kids [3 0 R {n} 0 R] /Count 2 >>");
    let attacked = append(&pdf, &[(n, page), (n + 1, stream("BT ET")), (2, pages)], None);
    refused(&analyse_first(&attacked), ChangeKind::PageTreeChanged);
}

#[test]
fn attack_root_pointed_at_a_hidden_page_tree() {
    let pdf = signed();
    let n = next_number(&pdf);
    let catalog = body(&pdf, 1).replace("/Pages 2 0 R", &format!("/Pages {} 0 R", n + 1));
    let pages = format!("<< /Type /Pages /Kids [{} 0 R] /Count 1 >>", n + 2);
    let page = format!(
        "<< /Type /Page /Parent {} 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents {} 0 R >>",
        n + 1,
        n + 3
    );
    let content = stream("BT /F1 24 Tf 72 760 Td (Pay 900000 UAH) Tj ET");
    let attacked = append(&pdf, &[(n, catalog), (n + 1, pages), (n + 2, page), (n + 3, content)], Some(n));
    refused(&analyse_first(&attacked), ChangeKind::CatalogChanged);
}

#[test]
fn attack_javascript_on_opening() {
    let pdf = signed();
    let catalog = body(&pdf, 1).replacen("<<", "<< /OpenAction << /S /JavaScript /JS (app.alert\\(1\\)) >>", 1);
    refused(&analyse_first(&append(&pdf, &[(1, catalog)], None)), ChangeKind::ActionAdded);
}

#[test]
fn attack_bytes_after_the_last_eof() {
    let mut pdf = signed();
    pdf.extend_from_slice(b"\nBT (Pay 900000 UAH) Tj ET\n");
    refused(&analyse_first(&pdf), ChangeKind::BytesAfterEnd);
}

#[test]
fn attack_signature_value_replaced() {
    let pdf = signed();
    let sig = find_signatures(&pdf).unwrap();
    assert_eq!(sig.len(), 1);
    // The signature dictionary is the first object of the signature's revision.
    let n = next_number(&minimal_pdf("Pay 100 UAH"));
    let replaced = body(&pdf, n).replace("/Type /Sig", "/Type /Sig /Reason (Approved)");
    refused(&analyse_first(&append(&pdf, &[(n, replaced)], None)), ChangeKind::SignatureChanged);
}

#[test]
fn attack_signature_removed_from_the_page() {
    let pdf = signed();
    let page = body(&pdf, 3);
    let start = page.find("/Annots").unwrap();
    let end = start + page[start..].find(']').unwrap() + 1;
    let stripped = format!("{}{}", &page[..start], &page[end..]);
    refused(&analyse_first(&append(&pdf, &[(3, stripped)], None)), ChangeKind::SignatureChanged);
}

#[test]
fn a_second_signature_is_allowed() {
    let pdf = sign(&signed(), "Signature2", None);
    let m = analyse_first(&pdf);
    assert!(m.allowed(), "{m:?}");
    assert_eq!(kinds(&m), vec![ChangeKind::SignatureAdded]);
    assert_eq!(m.changes[0].detail, "Signature2");
}

fn comment_added(pdf: &[u8]) -> Vec<u8> {
    let n = next_number(pdf);
    let note = "<< /Type /Annot /Subtype /Text /Rect [100 100 120 120] /Contents (Checked) >>".to_owned();
    let page = body(pdf, 3).replacen("/Annots [", &format!("/Annots [{n} 0 R "), 1);
    append(pdf, &[(n, note), (3, page)], None)
}

#[test]
fn a_comment_added_without_certification_is_reported_and_not_permitted() {
    let m = analyse_first(&comment_added(&signed()));
    assert_eq!(kinds(&m), vec![ChangeKind::AnnotationAdded]);
    assert!(!m.allowed(), "{m:?}");
}

#[test]
fn docmdp_3_permits_comments() {
    let certified = sign(&minimal_pdf("Pay 100 UAH"), "Certification", Some(DocMdp::Annotate));
    let m = analyse_first(&comment_added(&certified));
    assert_eq!(m.doc_mdp, Some(3));
    assert_eq!(kinds(&m), vec![ChangeKind::AnnotationAdded]);
    assert!(m.allowed(), "{m:?}");
}

#[test]
fn an_unreachable_object_or_new_information_is_no_change() {
    let pdf = signed();
    let n = next_number(&pdf);
    let m = analyse_first(&append(
        &pdf,
        &[(n, stream("BT (Pay 900000 UAH) Tj ET")), (6, "<< /Producer (Another tool) >>".into())],
        None,
    ));
    assert!(m.changes.is_empty(), "{m:?}");
}

#[test]
fn docmdp_2_permits_signing_but_not_comments() {
    let certified = sign(&minimal_pdf("Pay 100 UAH"), "Certification", Some(DocMdp::FillForms));
    let approved = sign(&certified, "Approval", None);
    let m = analyse_first(&approved);
    assert_eq!(m.doc_mdp, Some(2));
    assert!(m.allowed(), "{m:?}");

    let m = analyse_first(&comment_added(&certified));
    assert!(!m.allowed(), "{m:?}");
    assert_eq!(kinds(&m), vec![ChangeKind::AnnotationAdded]);
}

#[test]
fn docmdp_1_forbids_another_signature_and_only_the_first_signature_certifies() {
    let certified = sign(&minimal_pdf("Pay 100 UAH"), "Certification", Some(DocMdp::NoChanges));
    let mut req = SignatureRequest::signature("Approval", 64);
    assert!(prepare(&certified, &req).is_err());
    req.certify = Some(DocMdp::Annotate);
    assert!(prepare(&signed(), &req).is_err());
}

#[test]
fn attack_a_page_tree_listing_itself_is_judged_not_walked_for_ever() {
    let pdf = signed();
    let pages = "<< /Type /Pages /Kids [2 0 R 2 0 R 2 0 R 3 0 R] /Count 1 >>".to_owned();
    refused(&analyse_first(&append(&pdf, &[(2, pages)], None)), ChangeKind::PageTreeChanged);
}

#[test]
fn signing_finds_the_first_page_of_a_tree_that_lists_itself() {
    let pages = "<< /Type /Pages /Kids [2 0 R 2 0 R 2 0 R 3 0 R] /Count 1 >>".to_owned();
    let pdf = append(&minimal_pdf("Pay 100 UAH"), &[(2, pages)], None);
    // On a thread, so that a walk that never ends fails the test instead of hanging it.
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let _ = tx.send(prepare(&pdf, &SignatureRequest::signature("Signature1", 64)).is_ok());
    });
    assert_eq!(rx.recv_timeout(std::time::Duration::from_secs(30)), Ok(true));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// Whatever follows the signed revision, the analysis answers (no panic)
    /// and never calls a non-white-space tail "no change".
    #[test]
    fn any_tail_is_judged(tail in proptest::collection::vec(any::<u8>(), 1..400)) {
        let mut pdf = signed();
        pdf.extend_from_slice(&tail);
        let m = analyse_first(&pdf);
        if tail.iter().any(|b| !b.is_ascii_whitespace() && *b != 0) {
            prop_assert!(!m.allowed());
        }
    }
}
