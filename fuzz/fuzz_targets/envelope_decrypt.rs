//! CMS EnvelopedData opening (DER and BER, KARI / ECDH, key unwrap, AES-CBC)
//! on arbitrary bytes, with a fixed AgencyEncryption recipient.
#![no_main]
use dossier_crypto::envelope::decrypt;
use dossier_fuzz::recipient;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (cert, key) = recipient();
    let _ = decrypt(data, cert, key);
});
