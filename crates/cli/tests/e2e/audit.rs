//! The audit trail tried as a database administrator would (issue 22 §4):
//! the tail cut and the head moved, an entry edited and every later hash
//! recomputed. The chains alone stay "intact"; the signed checkpoints kept
//! outside the database — and a copy exported elsewhere — catch both.
use std::path::Path;
use std::process::Command;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::support::*;

/// `dossier audit ARGS --data-dir DATA` with the demo PIN: (success, stdout + stderr).
fn audit(data: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new(bin())
        .arg("audit")
        .args(args)
        .arg("--data-dir")
        .arg(data)
        .env("DOSSIER_CA_PIN", "2026")
        .env("DOSSIER_LOG", "error")
        .output()
        .unwrap();
    (out.status.success(), out_text(&out))
}

fn verdict(data: &Path, extra: &[&str]) -> (bool, Value) {
    let (ok, out) = audit(data, &[&["verify", "--json"], extra].concat());
    (ok, serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}")))
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_dir(&e.path(), &target)
        } else {
            std::fs::copy(e.path(), target).map(|_| ()).unwrap()
        }
    }
}

async fn db(data: &Path) -> sqlx::SqlitePool {
    sqlx::SqlitePool::connect(&format!("sqlite://{}", data.join("dossier.db").display())).await.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_tail_and_a_recomputed_chain_pass_the_chain_check_and_are_caught_by_the_signed_checkpoints() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("fund");
    dossier_ok(&["demo", "--seed-only", "--data-dir", data.to_str().unwrap()], &[]);

    let (ok, out) = audit(&data, &["checkpoint"]);
    assert!(ok && out.contains("change log: checkpoint of entry"), "{out}");
    let (ok, again) = audit(&data, &["checkpoint"]);
    assert!(ok && again.contains("already has its checkpoint"), "one checkpoint per head: {again}");
    let (ok, v) = verdict(&data, &[]);
    assert!(ok, "{v:#}");
    let change = &v["report"]["logs"][0];
    let n = change["entries"].as_i64().unwrap();
    assert_eq!(change["covered"]["seq"].as_i64(), Some(n), "the checkpoint covers the whole chain: {v:#}");
    let logs = v["report"]["logs"].as_array().unwrap();
    let points = logs.iter().filter(|l| l["entries"].as_i64() > Some(0)).count();
    assert_eq!(v["believed"].as_u64(), Some(points as u64), "one per chain with entries: {v:#}");

    // OpenSSL reads the checkpoint: a CMS signed by the fund's seal under the centre, carrying the head.
    let record = walk_files(&data.join("blobs/records/audit-checkpoints/change")).pop().expect("a checkpoint record");
    let chain = dir.path().join("chain.pem");
    let pem = [std::fs::read(data.join("ca/root.pem")).unwrap(), std::fs::read(data.join("ca/issuing.pem")).unwrap()];
    std::fs::write(&chain, pem.concat()).unwrap();
    if openssl_available() {
        let o = openssl(
            &[
                "cms",
                "-verify",
                "-inform",
                "DER",
                "-in",
                record.to_str().unwrap(),
                "-CAfile",
                chain.to_str().unwrap(),
                "-purpose",
                "any",
            ],
            dir.path(),
        );
        assert!(o.status.success(), "{}", out_text(&o));
        let body: Value = serde_json::from_slice(&o.stdout).unwrap();
        assert_eq!(body["head_hash"], change["head_hash"], "{body}");
        assert_eq!(body["seq"].as_i64(), Some(n));
    }

    // Copied out of the fund's storage: what an administrator cannot reach.
    let outside = dir.path().join("outside");
    let (ok, out) = audit(&data, &["export", outside.to_str().unwrap()]);
    assert!(ok && out.contains(&format!("{points} checkpoint(s) copied")), "{out}");
    let (ok, out) = audit(&data, &["export", outside.to_str().unwrap()]);
    assert!(
        ok && out.contains(&format!("0 checkpoint(s) copied to {}, {points} already there", outside.display())),
        "{out}"
    );
    let empty_blobs = dir.path().join("no-checkpoints");
    let without_store =
        |d: &Path, extra: &[&str]| verdict(d, &[&["--blobs", empty_blobs.to_str().unwrap()], extra].concat());

    // 1. The last entries deleted and the head moved onto the new last entry.
    let cut = dir.path().join("cut");
    copy_dir(&data, &cut);
    let keep = n - 3;
    let pool = db(&cut).await;
    sqlx::query("DELETE FROM audit_log WHERE seq > $1").bind(keep).execute(&pool).await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = $1, hash = (SELECT hash FROM audit_log WHERE seq = $1) WHERE id = 1")
        .bind(keep)
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
    let (ok, v) = without_store(&cut, &[]);
    assert!(ok, "the chain alone cannot tell: {v:#}");
    let (ok, v) = verdict(&cut, &[]);
    assert!(!ok);
    let broken = &v["report"]["logs"][0]["first_broken"];
    assert_eq!(broken["seq"].as_i64(), Some(keep + 1), "{v:#}");
    let reason = broken["reason"].as_str().unwrap();
    assert!(reason.contains("removed from the end") && reason.contains("no entry is covered"), "{reason}");
    let (ok, v) = without_store(&cut, &["--checkpoints", outside.to_str().unwrap()]);
    assert!(!ok, "the exported copy catches it too: {v:#}");
    let (_, text) = audit(&cut, &["verify"]);
    assert!(text.contains(&format!("change log BROKEN at entry {}", keep + 1)), "{text}");

    // 2. Entry 5 edited and every later hash recomputed: a chain that checks out by itself.
    let recomputed = dir.path().join("recomputed");
    copy_dir(&data, &recomputed);
    let pool = db(&recomputed).await;
    type Row = (i64, DateTime<Utc>, String, String, String, String);
    let rows: Vec<Row> = sqlx::query_as("SELECT seq, at, actor, action, subject, details FROM audit_log ORDER BY seq")
        .fetch_all(&pool)
        .await
        .unwrap();
    let mut prev = dossier_store::audit::GENESIS.to_owned();
    for (seq, at, actor, action, subject, details) in rows {
        let details = if seq == 5 { r#"{"rewritten":true}"#.to_owned() } else { details };
        let hash = dossier_store::audit::entry_hash(&prev, seq, at, &actor, &action, &subject, &details);
        sqlx::query("UPDATE audit_log SET details = $1, prev_hash = $2, hash = $3 WHERE seq = $4")
            .bind(&details)
            .bind(&prev)
            .bind(&hash)
            .bind(seq)
            .execute(&pool)
            .await
            .unwrap();
        prev = hash;
    }
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&prev).execute(&pool).await.unwrap();
    pool.close().await;
    let (ok, v) = without_store(&recomputed, &[]);
    assert!(ok, "a recomputed chain passes the chain check: {v:#}");
    let (ok, v) = verdict(&recomputed, &[]);
    assert!(!ok);
    let broken = &v["report"]["logs"][0]["first_broken"];
    assert_eq!(broken["seq"].as_i64(), Some(n), "caught at the checkpointed head: {v:#}");
    assert!(broken["reason"].as_str().unwrap().contains("rewritten"), "{v:#}");

    // A forged checkpoint (signed by someone else) is refused, not believed.
    let forged = dir.path().join("forged");
    std::fs::create_dir_all(forged.join("change")).unwrap();
    std::fs::write(forged.join("change/x.p7m"), b"not a signature").unwrap();
    let (ok, v) = verdict(&data, &["--checkpoints", forged.to_str().unwrap()]);
    assert!(!ok && v["refused"][0]["reason"].as_str().unwrap().contains("not valid"), "{v:#}");
}

fn walk_files(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().map(|e| e.path()).collect();
    out.sort();
    out
}

/// `serve` keeps checkpoints by itself: one at start, one at SIGTERM.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_signs_a_checkpoint_at_start_and_at_shutdown() {
    if !embedded_store_only("checkpoints counted in the blob folder") {
        return;
    }
    let mut server = Server::start();
    let records = server.data().join("blobs/records/audit-checkpoints/change");
    let count = || std::fs::read_dir(&records).map(|d| d.count()).unwrap_or(0);
    for _ in 0..100 {
        if count() > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let at_start = count();
    assert!(at_start >= 1, "a checkpoint at start");
    login(&server, "district").await; // a change (the session) after it
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "a clean stop on SIGTERM: {status:?}");
    assert!(count() > at_start, "a checkpoint at shutdown");
    let (ok, v) = verdict(server.data(), &[]);
    assert!(ok, "{v:#}");
    let change = &v["report"]["logs"][0];
    assert_eq!(change["covered"]["seq"], change["entries"], "nothing left uncovered at shutdown: {v:#}");
}
