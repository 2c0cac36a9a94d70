//! PDF signature discovery and PAdES validation on hostile PDFs: lopdf's
//! parser, our field-tree walk, ByteRange checks, the CMS inside /Contents;
//! and preparing an incremental update on the same input.
#![no_main]
use dossier_crypto::pades::pdf::{SignatureRequest, find_signatures, prepare, revisions};
use dossier_crypto::pades::validate::verify_pdf;
use dossier_crypto::software::SoftwareProvider;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = revisions(data);
    if let Ok(found) = find_signatures(data) {
        for f in &found {
            let _ = f.signed_bytes(data);
        }
    }
    let _ = verify_pdf(&SoftwareProvider, data, dossier_fuzz::trust());
    if let Ok(prepared) = prepare(data, &SignatureRequest::signature("Fuzz", 64)) {
        let _ = prepared.embed(&[0x30, 0x03, 0x02, 0x01, 0x05]);
    }
});
