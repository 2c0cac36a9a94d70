//! The restore drill (issue 22 §5): a fund backed up, restored into an empty
//! database and blob store with its keys brought separately, the audit trail
//! verified against its checkpoints and every blob read back — on SQLite and,
//! when `DOSSIER_TEST_PG_URL` is set, on PostgreSQL through pg_dump and
//! pg_restore, with the documents in a Garage cluster when `DOSSIER_TEST_S3`
//! names one. A damaged backup, a target that is not empty and a missing
//! master key are refused before anything is written.
use std::path::Path;
use std::process::Command;

use crate::support::*;

/// Where a fund keeps its data beyond its folder: a database URL and a blob store, when given.
#[derive(Clone, Copy, Default)]
struct Place<'a> {
    database: Option<&'a str>,
    blobs: Option<&'a str>,
}

/// `dossier ARGS` with the demo PIN, at `place`: (success, output).
fn dossier(args: &[&str], data: &Path, place: Place) -> (bool, String) {
    let mut cmd = Command::new(bin());
    cmd.args(args).arg("--data-dir").arg(data).env("DOSSIER_CA_PIN", "2026").env("DOSSIER_LOG", "error");
    if let Some(url) = place.database {
        cmd.arg("--database-url").arg(url);
    }
    if let Some(blobs) = place.blobs {
        cmd.arg("--blobs").arg(blobs);
    }
    let out = cmd.output().unwrap();
    (out.status.success(), out_text(&out))
}

/// The keys an operator keeps apart from backups, brought to the new place.
fn bring_keys(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    std::fs::copy(from.join("master.key"), to.join("master.key")).unwrap();
    for dir in ["ca", "keys"] {
        let status = Command::new("cp").arg("-a").arg(from.join(dir)).arg(to).status().unwrap();
        assert!(status.success());
    }
}

fn drill(dir: &Path, source: Place, target: Place) {
    let (src, backup, dst) = (dir.join("src"), dir.join("backup"), dir.join("dst"));
    if source.database.is_some() {
        // Outside the embedded default the master key is the operator's to give, never generated.
        std::fs::create_dir_all(&src).unwrap();
        std::fs::write(src.join("master.key"), "4d".repeat(32)).unwrap();
    }
    let (ok, out) = dossier(&["demo", "--seed-only"], &src, source);
    assert!(ok, "{out}");
    let (ok, out) = dossier(&["audit", "checkpoint"], &src, source);
    assert!(ok, "{out}");
    let (ok, out) = dossier(&["backup", backup.to_str().unwrap()], &src, source);
    assert!(ok && out.contains("keys are not in it"), "{out}");
    for key in ["master.key", "ca/root.key.json", "ca/issuing.key.json"] {
        let name = Path::new(key).file_name().unwrap();
        let found = std::fs::read_dir(&backup).unwrap().flatten().any(|e| e.file_name() == name);
        assert!(!found && !backup.join(key).exists(), "{key} must not be in a backup");
    }
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    let files = manifest["files"].as_array().unwrap();
    assert!(files.iter().any(|f| f["path"].as_str().unwrap().starts_with("blobs/records/audit-checkpoints/")));
    let (ok, again) = dossier(&["backup", backup.to_str().unwrap()], &src, source);
    assert!(!ok && again.contains("not empty"), "a backup never overwrites one: {again}");

    // Without the master key, nothing is restored.
    let (ok, out) = dossier(&["restore", backup.to_str().unwrap()], &dst, target);
    assert!(!ok && out.contains("master key"), "{out}");
    bring_keys(&src, &dst);
    let (ok, out) = dossier(&["restore", backup.to_str().unwrap()], &dst, target);
    assert!(ok, "{out}");
    assert!(out.contains("change log intact") && out.contains("held to 1 checkpoint"), "{out}");
    assert!(out.contains("read back intact") && !out.contains("FAILED"), "{out}");
    let (ok, out) = dossier(&["fixity"], &dst, target);
    assert!(ok, "{out}");
    // Restoring again into what is now a fund's data is refused.
    let (ok, out) = dossier(&["restore", backup.to_str().unwrap()], &dst, target);
    assert!(!ok && (out.contains("not empty") || out.contains("already exists")), "{out}");
}

#[test]
fn a_backup_restores_into_an_empty_place_and_passes_the_drill() {
    let dir = tempfile::tempdir().unwrap();
    drill(dir.path(), Place::default(), Place::default());

    // One byte changed in a stored object: the whole restore is refused, naming it.
    let backup = dir.path().join("backup");
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(backup.join("manifest.json")).unwrap()).unwrap();
    let victim = manifest["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_owned())
        .find(|p| p.starts_with("blobs/blobs/"))
        .unwrap();
    let mut bytes = std::fs::read(backup.join(&victim)).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(backup.join(&victim), bytes).unwrap();
    let fresh = dir.path().join("fresh");
    bring_keys(&dir.path().join("src"), &fresh);
    let (ok, out) = dossier(&["restore", backup.to_str().unwrap()], &fresh, Place::default());
    assert!(!ok && out.contains(&format!("{victim} differs")), "{out}");
    assert!(!fresh.join("dossier.db").exists() && !fresh.join("blobs").exists(), "nothing written");
}

#[test]
fn a_postgresql_fund_with_its_documents_on_s3_restores_through_pg_dump_and_pg_restore() {
    let Some(src) = fresh_pg("dossier_backup_src") else { return };
    let dst = fresh_pg("dossier_backup_dst").unwrap();
    // The documents in the test's Garage cluster, under prefixes of this run's own.
    let s3 = std::env::var("DOSSIER_TEST_S3").ok();
    assert!(s3.is_some() || std::env::var("CI").as_deref() != Ok("true"), "CI=true but DOSSIER_TEST_S3 is not set");
    let blobs = s3.map(|b| [format!("{b}/{}", src.name()), format!("{b}/{}", dst.name())]);
    let dir = tempfile::tempdir().unwrap();
    drill(
        dir.path(),
        Place { database: Some(&src.url), blobs: blobs.as_ref().map(|b| b[0].as_str()) },
        Place { database: Some(&dst.url), blobs: blobs.as_ref().map(|b| b[1].as_str()) },
    );
}
