//! PKCS#10 request parsing (DER or PEM) and proof-of-possession check.
#![no_main]
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::x509::verify_request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = verify_request(&SoftwareProvider, data);
});
