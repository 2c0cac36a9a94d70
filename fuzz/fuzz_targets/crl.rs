//! CRL import (DER or PEM) and certificate lists (one DER certificate or a PEM
//! chain), including the report summary of each certificate read.
#![no_main]
use dossier_crypto::validation::{CertSummary, TrustContext, certificates_from_pem_or_der};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = TrustContext::default().add_crl(data);
    if let Ok(certs) = certificates_from_pem_or_der(data) {
        for c in &certs {
            let _ = CertSummary::of(c);
        }
    }
});
