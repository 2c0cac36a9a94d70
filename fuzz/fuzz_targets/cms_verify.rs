//! CMS SignedData verification (CAdES, B-T time-stamps, chain and CRL checks)
//! on arbitrary bytes, as an attached and as a detached signature.
#![no_main]
use dossier_crypto::signed::{VerifyInput, verify};
use dossier_crypto::software::SoftwareProvider;
use dossier_fuzz::{CONTENT, trust};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify(&SoftwareProvider, data, &VerifyInput::attached(), trust());
    // Detached content given in two parts, as a PDF's byte ranges are.
    let parts: [&[u8]; 2] = CONTENT.split_at(CONTENT.len() / 2).into();
    let _ = verify(&SoftwareProvider, data, &VerifyInput::detached(&parts), trust());
});
