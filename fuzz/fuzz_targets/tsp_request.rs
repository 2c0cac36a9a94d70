//! RFC 3161: the TSA answering arbitrary requests, and the client side reading
//! arbitrary responses and tokens (TSTInfo, nonce check, token verification).
#![no_main]
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::{signed, tsp};
use dossier_fuzz::{CONTENT, trust, tsa};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = tsa().respond(data);
    let _ = tsp::tst_info(data);
    let _ = tsp::token_from_response(data, 1);
    let _ = signed::verify_token(&SoftwareProvider, data, CONTENT, trust());
});
