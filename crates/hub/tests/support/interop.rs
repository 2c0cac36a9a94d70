//! Checking a sharing package with tools we did not write: OpenSSL decrypts
//! both parts with the branch's key and verifies the hub's signatures inside
//! against the CA root; pyHanko judges the PAdES copy; another fund's key
//! opens nothing. Used by `sharing_interop.rs` (a sealed sample) and
//! `hub_flow.rs` (a package captured from the hub's delivery). Skipped
//! without the tools, failed under CI=true.
use std::path::Path;
use std::process::{Command, Output};

use dossier_crypto::container::PinContainer;
use dossier_crypto::software::SoftwareKey;
use dossier_crypto::testing::Party;
use dossier_crypto::x509::to_pem;
use dossier_sharing::package::Package;
use x509_cert::Certificate;

pub fn tool(name: &str, args: &[&str]) -> bool {
    let ok = Command::new(name).args(args).output().is_ok_and(|o| o.status.success());
    if !ok && std::env::var("CI").as_deref() == Ok("true") {
        panic!("CI=true but the {name} command is missing");
    }
    if !ok {
        eprintln!("skipping: no {name} command");
    }
    ok
}

fn run(cmd: &str, args: &[&str], dir: &Path) -> Output {
    Command::new(cmd).args(args).current_dir(dir).output().unwrap()
}

fn text(out: &Output) -> String {
    format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr))
}

/// Writes the certificate and its key as PKCS#8 PEM for OpenSSL (through a
/// PIN container: the crate never exports bare keys).
fn export(dir: &Path, name: &str, cert: &Certificate, key: &SoftwareKey) {
    std::fs::write(dir.join(format!("{name}.pem")), to_pem(cert).unwrap()).unwrap();
    let sealed = PinContainer::seal_with_iterations(key, "1234", 3, 1000).unwrap();
    std::fs::write(dir.join(format!("{name}.sealed")), &sealed.encrypted_pkcs8_pem).unwrap();
    let out = run(
        "openssl",
        &["pkey", "-in", &format!("{name}.sealed"), "-passin", "pass:1234", "-out", &format!("{name}.key")],
        dir,
    );
    assert!(out.status.success(), "{}", text(&out));
}

/// Opens `package` with `openssl cms -decrypt` (branch key) and `-verify`
/// (against `root`), checks that `other`'s key opens neither part, and has
/// pyHanko validate the PDF. Returns the PDF and the metadata JSON as OpenSSL
/// produced them, or `None` when OpenSSL is not installed (outside CI).
pub fn open_with_tools(
    package: &Package,
    branch: &Party,
    other: &Party,
    root: &Certificate,
) -> Option<(Vec<u8>, Vec<u8>)> {
    if !tool("openssl", &["version"]) {
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    export(p, "branch", &branch.certificate, &branch.key);
    export(p, "other", &other.certificate, &other.key);
    std::fs::write(p.join("root.pem"), to_pem(root).unwrap()).unwrap();
    std::fs::write(p.join("doc.pdf.p7s.p7e"), &package.file).unwrap();
    std::fs::write(p.join("metadata.json.p7s.p7e"), &package.metadata).unwrap();

    for (sealed, signed, plain) in
        [("doc.pdf.p7s.p7e", "doc.pdf.p7s", "doc.pdf"), ("metadata.json.p7s.p7e", "meta.p7s", "meta.json")]
    {
        let dec = ["cms", "-decrypt", "-inform", "DER", "-in", sealed, "-recip", "branch.pem", "-inkey", "branch.key"];
        let out = run("openssl", &[&dec[..], &["-out", signed]].concat(), p);
        assert!(out.status.success(), "openssl cms -decrypt: {}", text(&out));
        let verify = ["cms", "-verify", "-inform", "DER", "-in", signed, "-CAfile", "root.pem", "-purpose", "any"];
        let out = run("openssl", &[&verify[..], &["-out", plain]].concat(), p);
        assert!(out.status.success(), "openssl cms -verify: {}", text(&out));
        assert!(text(&out).contains("Verification successful"), "{}", text(&out));

        // Another fund's key opens nothing.
        let dec = ["cms", "-decrypt", "-inform", "DER", "-in", sealed, "-recip", "other.pem", "-inkey", "other.key"];
        let out = run("openssl", &[&dec[..], &["-out", "stolen"]].concat(), p);
        assert!(!out.status.success(), "another fund's key decrypted the package");
    }

    if tool("pyhanko", &["--version"]) {
        let args = [
            "sign",
            "validate",
            "--trust",
            "root.pem",
            "--trust-replace",
            "--no-revocation-check",
            "--pretty-print",
            "doc.pdf",
        ];
        let out = run("pyhanko", &args, p);
        assert!(out.status.success() && text(&out).contains("judged VALID"), "{}", text(&out));
    }
    Some((std::fs::read(p.join("doc.pdf")).unwrap(), std::fs::read(p.join("meta.json")).unwrap()))
}
