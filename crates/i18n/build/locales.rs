//! Build script of every crate that owns a part of the message catalogue: it
//! embeds each `locales/<lang>.ftl` of the crate, so adding a language is
//! adding a file (and `dossier_i18n::part!` picks it up).

use std::path::Path;
use std::{env, fs};

fn main() {
    let manifest = env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out = env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    let dir = Path::new(&manifest).join("locales");
    // A directory here makes cargo rerun the script when any file in it changes, is added or removed.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut files: Vec<(String, String)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ftl"))
        .filter_map(|path| {
            let code = path.file_stem()?.to_str()?.to_owned();
            Some((code, path.to_str()?.to_owned()))
        })
        .collect();
    files.sort();
    let entries: String =
        files.iter().map(|(code, path)| format!("    ({code:?}, include_str!({path:?})),\n")).collect();
    fs::write(Path::new(&out).join("locales.rs"), format!("&[\n{entries}]\n")).expect("OUT_DIR is writable");
}
