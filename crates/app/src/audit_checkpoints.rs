//! Checkpoints of the audit trail (issue 22 §4). Whoever can write the
//! database can edit an entry and recompute every later hash, or cut the
//! tail and move the head, and the chains alone still look intact. So every
//! few minutes and at shutdown the fund signs each chain's head with its
//! document seal, has the signature time-stamped (RFC 3161), and keeps it
//! outside the database: a write-once record in the blob store
//! (`records/audit-checkpoints/{change|access}/{seq}.p7m`), which
//! `dossier audit export` copies anywhere. `dossier audit verify` holds the
//! chains to every checkpoint it can read: a cut tail leaves a checkpoint
//! beyond the end, a recomputed chain meets a checkpoint whose hash it no
//! longer has, and each is reported with the first entry no checkpoint
//! still vouches for.
//!
//! Why signed chain heads rather than a Merkle tree (Certificate
//! Transparency's design): the chains exist and every write already appends
//! to them in its own transaction; a checkpoint of a head fixes every entry
//! before it, which is what catches a rewrite. A Merkle tree would add
//! compact proofs of one entry to an outside party; with the chain, that
//! party needs the entries from it to the next checkpoint. Worth adding when
//! someone outside the fund asks for such proofs (docs/decisions.md).
use dossier_crypto::signed::{self, VerifyInput};
use dossier_crypto::software::SoftwareProvider;
use dossier_crypto::validation::{Indication, TrustContext};
use dossier_store::Store;
use dossier_store::audit::{Checkpoint, VerifyReport};
use dossier_store::blobs::BlobStore;
use sha2::{Digest, Sha256};
use x509_cert::Certificate;
use x509_cert::der::Encode;

use crate::App;
use crate::error::{AppError, AppResult, ErrorKind};

/// Where checkpoints are kept among the blob store's records.
pub const RECORDS: &str = "audit-checkpoints";

/// Signs and keeps a checkpoint of every chain whose head has none yet.
/// Returns the checkpoints written (none when nothing moved). Several
/// servers may race: a record is written once, the loser's is dropped.
pub async fn checkpoint(app: &App) -> AppResult<Vec<Checkpoint>> {
    if app.trust.seal().is_none() {
        return Err(AppError::new(ErrorKind::Unavailable, "seal_missing", "audit.seal_missing"));
    }
    let mut written = Vec::new();
    for (log, seq, head_hash) in app.store.audit_heads().await? {
        let point = Checkpoint { log, seq, head_hash, at: chrono::Utc::now() };
        let name = format!("{RECORDS}/{}", point.name());
        if seq == 0 || app.blobs.has_record(&name).await? {
            continue;
        }
        let body = serde_json::to_vec(&point).map_err(|_| AppError::internal())?;
        let trust = app.trust.clone();
        let signed = tokio::task::spawn_blocking(move || {
            let seal = trust.seal().ok_or(dossier_crypto::CryptoError::Malformed { what: "no seal" })?;
            let cms = seal.seal_attached(&body)?;
            match trust.tsa() {
                Some(tsa) => signed::add_signature_timestamp(&cms, tsa),
                None => Ok(cms),
            }
        })
        .await
        .map_err(|_| AppError::internal())?
        .map_err(|e| {
            tracing::error!(error = %e, "signing an audit checkpoint failed");
            AppError::internal()
        })?;
        if app.blobs.put_record(&name, &signed).await? {
            tracing::info!(log = log.slug(), seq, "audit checkpoint kept");
            written.push(point);
        }
    }
    Ok(written)
}

/// A checkpoint that could not be believed, and why: it is not held to.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Refused {
    pub name: String,
    pub reason: String,
}

/// What `dossier audit verify` found.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Verdict {
    pub report: VerifyReport,
    /// Checkpoints read and believed (the blob store's and any exported copy's).
    pub believed: usize,
    pub refused: Vec<Refused>,
}

impl Verdict {
    /// Intact: both chains hold to every believed checkpoint and no record was refused.
    pub fn intact(&self) -> bool {
        self.report.first_broken().is_none() && self.refused.is_empty()
    }
}

/// Walks both chains held to every checkpoint in the blob store and in
/// `exported` (`(name, bytes)`, e.g. a folder `dossier audit export` wrote).
/// A checkpoint is believed when its signature is valid under `trust` and
/// its signer is one of `signers` (the fund's seal certificates): anyone else
/// may hold a certificate from the same centre.
pub async fn verify(
    store: &dyn Store,
    blobs: &BlobStore,
    exported: Vec<(String, Vec<u8>)>,
    trust: &TrustContext,
    signers: &[Certificate],
) -> AppResult<Verdict> {
    let mut records = blobs.records(RECORDS).await?;
    records.extend(exported);
    let mut points = Vec::new();
    let mut refused = Vec::new();
    for (name, der) in records {
        match believe(&der, trust, signers) {
            Ok(p) => points.push(p),
            Err(reason) => refused.push(Refused { name, reason }),
        }
    }
    let believed = points.len();
    points.sort_by(|a, b| (a.log.slug(), a.seq).cmp(&(b.log.slug(), b.seq)));
    points.dedup();
    let report = store.audit_verify(&points).await?;
    Ok(Verdict { report, believed, refused })
}

/// The checkpoint a record holds, if its seal is the fund's and valid.
fn believe(der: &[u8], trust: &TrustContext, signers: &[Certificate]) -> Result<Checkpoint, String> {
    let verified = signed::verify(&SoftwareProvider, der, &VerifyInput::attached(), trust);
    if verified.report.indication != Indication::TotalPassed || !verified.other_signers.is_empty() {
        let why = verified.report.sub_indication.map(|s| format!("{s:?}")).unwrap_or_default();
        return Err(format!("the seal is not valid ({:?} {why})", verified.report.indication));
    }
    let signer = verified.report.signer.as_ref().map(|s| s.fingerprint.as_str()).unwrap_or_default();
    let fingerprint =
        |c: &Certificate| c.to_der().map(|d| base16ct::lower::encode_string(&Sha256::digest(d))).unwrap_or_default();
    if !signers.iter().any(|c| fingerprint(c) == signer) {
        return Err("sealed by a certificate that is not the fund's seal".to_owned());
    }
    let body = verified.content.ok_or("no signed content")?;
    let point: Checkpoint = serde_json::from_slice(&body).map_err(|e| format!("not a checkpoint: {e}"))?;
    let hex_hash = point.head_hash.len() == 64 && point.head_hash.bytes().all(|b| b.is_ascii_hexdigit());
    if point.seq < 1 || !hex_hash {
        return Err("not a checkpoint: no entry or no hash".to_owned());
    }
    Ok(point)
}

/// Every checkpoint record, to copy outside the fund's storage.
pub async fn export(blobs: &BlobStore) -> AppResult<Vec<(String, Vec<u8>)>> {
    Ok(blobs.records(RECORDS).await?)
}
