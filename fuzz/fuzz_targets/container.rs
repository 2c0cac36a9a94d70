//! PIN containers: JSON and encrypted PKCS#8 PEM import, then opening with the
//! PIN (PBES2 decryption, PKCS#8 key parsing, the retry counter).
#![no_main]
use der::pem::LineEnding;
use dossier_crypto::container::PinContainer;
use dossier_fuzz::{PIN, cheap_to_open};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut parsed = vec![PinContainer::from_json(&text), PinContainer::from_encrypted_pem(&text, 3)];
    // The bytes as DER too, put in PEM here, so mutations reach the PBES2
    // parameters directly rather than through base64.
    if let Ok(pem) = der::pem::encode_string("ENCRYPTED PRIVATE KEY", LineEnding::LF, data) {
        parsed.push(PinContainer::from_encrypted_pem(&pem, 3));
    }
    for mut c in parsed.into_iter().flatten() {
        // PBKDF2 counts are the input's to choose; skip the slow ones so a
        // run explores parsers rather than hashing (the seeds use 1000).
        if cheap_to_open(&c.encrypted_pkcs8_pem) {
            let _ = c.open(PIN);
        }
    }
});
