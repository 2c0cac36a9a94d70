//! The audit trail: append-only logs where every entry carries the hash of
//! the one before it, so editing, deleting or reordering any row breaks the
//! chain from that point on. `dossier audit verify` walks them.
//!
//! There are two chains, [`Log::Change`] and [`Log::Access`]. Changes are
//! appended inside the transaction that makes them. Reads (and refused
//! attempts) go to the access log, group-committed; on SQLite it lives in its
//! own file, so auditing reads does not write to the main database — which
//! would otherwise make every reader drop its page cache on each commit.
//!
//! hash(n) = SHA-256(prev_hash ‖ seq ‖ at ‖ actor ‖ action ‖ subject ‖ details),
//! each field length-prefixed so no two different entries hash alike. Times are
//! truncated to microseconds (what both databases keep) before hashing.
//!
//! A chain alone cannot stop whoever writes the database: they can edit an
//! entry and recompute every later hash, or cut the tail and move the head.
//! So the heads are also kept outside it, as [`Checkpoint`]s the fund signs
//! and time-stamps (the app writes them to the blob store); the
//! [`Verifier`] holds the chain to every checkpoint it is given.
use chrono::{DateTime, SubsecRound, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// Which chain an entry belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Log {
    /// Every change, appended in the same transaction as the change.
    Change,
    /// Every read of personal data and every refused attempt.
    Access,
}

impl Log {
    pub const ALL: [Log; 2] = [Log::Change, Log::Access];
    pub fn table(self) -> &'static str {
        match self {
            Log::Change => "audit_log",
            Log::Access => "access_log",
        }
    }
    pub fn head(self) -> &'static str {
        match self {
            Log::Change => "audit_head",
            Log::Access => "access_head",
        }
    }
    pub fn name(self) -> &'static str {
        match self {
            Log::Change => "change log",
            Log::Access => "access log",
        }
    }
    /// The name in checkpoint object names and exports.
    pub fn slug(self) -> &'static str {
        match self {
            Log::Change => "change",
            Log::Access => "access",
        }
    }
}

/// A chain's head as the fund vouched for it at `at`: the body a checkpoint
/// signs. Everything up to `seq` is fixed by `head_hash`, so a later chain
/// that does not reach `seq`, or reaches it with another hash, was rewritten.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    pub log: Log,
    pub seq: i64,
    pub head_hash: String,
    pub at: DateTime<Utc>,
}

impl Checkpoint {
    /// The object name it is kept under: per chain, ordered by `seq`.
    pub fn name(&self) -> String {
        format!("{}/{:020}.p7m", self.log.slug(), self.seq)
    }
}

/// The `prev_hash` of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AuditEntry {
    pub log: Log,
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
    pub prev_hash: String,
    pub hash: String,
}

/// An entry before it is chained.
#[derive(Debug, Clone)]
pub struct PendingEntry {
    pub actor: String,
    pub action: String,
    pub subject: String,
    pub details: String,
}

impl PendingEntry {
    pub fn new(actor: &str, action: &str, subject: impl ToString, details: serde_json::Value) -> Self {
        PendingEntry {
            actor: actor.to_owned(),
            action: action.to_owned(),
            subject: subject.to_string(),
            details: details.to_string(),
        }
    }
}

/// The canonical time of an entry (what is stored and hashed).
pub fn canonical_time(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

fn time_text(at: DateTime<Utc>) -> String {
    let at = canonical_time(at);
    crate::stored_time::micros_utc(at).unwrap_or_else(|| at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string())
}

pub fn entry_hash(
    prev_hash: &str,
    seq: i64,
    at: DateTime<Utc>,
    actor: &str,
    action: &str,
    subject: &str,
    details: &str,
) -> String {
    hash_fields(prev_hash, seq, &time_text(at), actor, action, subject, details)
}

fn hash_fields(prev_hash: &str, seq: i64, at: &str, actor: &str, action: &str, subject: &str, details: &str) -> String {
    let mut h = Sha256::new();
    let seq = seq.to_string();
    for field in [prev_hash, seq.as_str(), at, actor, action, subject, details] {
        h.update((field.len() as u64).to_be_bytes());
        h.update(field.as_bytes());
    }
    base16ct::lower::encode_string(&h.finalize())
}

/// Chains pending entries after `(head_seq, head_hash)`.
pub fn chain(
    log: Log,
    head_seq: i64,
    head_hash: &str,
    at: DateTime<Utc>,
    pending: Vec<PendingEntry>,
) -> Vec<AuditEntry> {
    let at = canonical_time(at);
    // One timestamp for the whole batch, formatted once.
    let at_text = time_text(at);
    let mut prev = head_hash.to_owned();
    let mut out = Vec::with_capacity(pending.len());
    for (i, p) in pending.into_iter().enumerate() {
        let seq = head_seq + 1 + i as i64;
        let hash = hash_fields(&prev, seq, &at_text, &p.actor, &p.action, &p.subject, &p.details);
        out.push(AuditEntry {
            log,
            seq,
            at,
            actor: p.actor,
            action: p.action,
            subject: p.subject,
            details: p.details,
            prev_hash: std::mem::replace(&mut prev, hash.clone()),
            hash,
        });
    }
    out
}

/// Chains pending entries after `(head_seq, head_hash)`, stamped now.
pub fn chain_now(log: Log, head_seq: i64, head_hash: &str, pending: Vec<PendingEntry>) -> Vec<AuditEntry> {
    chain(log, head_seq, head_hash, Utc::now(), pending)
}

/// Result of walking one chain.
#[derive(Debug, Clone, Serialize)]
pub struct LogReport {
    pub log: Log,
    pub entries: i64,
    pub head_hash: String,
    /// The first entry that does not fit, and why.
    pub first_broken: Option<BrokenLink>,
    /// Checkpoints the chain was held to and matched.
    pub checkpoints: usize,
    /// The newest matching checkpoint: entries up to its `seq` are vouched
    /// for outside the database; later ones are not (yet).
    pub covered: Option<Checkpoint>,
}

impl LogReport {
    /// The first entry no matching checkpoint vouches for.
    pub fn first_uncovered(&self) -> i64 {
        self.covered.as_ref().map_or(1, |c| c.seq + 1)
    }
}

/// Result of walking every chain.
#[derive(Debug, Clone, Serialize)]
pub struct VerifyReport {
    pub logs: Vec<LogReport>,
}

impl VerifyReport {
    /// Entries in all chains.
    pub fn entries(&self) -> i64 {
        self.logs.iter().map(|l| l.entries).sum()
    }
    /// The first broken link of the first broken chain.
    pub fn first_broken(&self) -> Option<(Log, &BrokenLink)> {
        self.logs.iter().find_map(|l| l.first_broken.as_ref().map(|b| (l.log, b)))
    }
    pub fn of(&self, log: Log) -> Option<&LogReport> {
        self.logs.iter().find(|l| l.log == log)
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// Incremental verifier: feed entries in `seq` order.
pub struct Verifier {
    expected_seq: i64,
    prev_hash: String,
    count: i64,
    broken: Option<BrokenLink>,
    /// Checkpoints still ahead, by `seq` descending (the next one last).
    ahead: Vec<Checkpoint>,
    matched: usize,
    covered: Option<Checkpoint>,
}

impl Default for Verifier {
    fn default() -> Self {
        Self::against(Vec::new())
    }
}

impl Verifier {
    /// A verifier that also holds the chain to `checkpoints` (of this chain;
    /// several for one `seq` are each held to it).
    pub fn against(mut checkpoints: Vec<Checkpoint>) -> Self {
        checkpoints.sort_by(|a, b| b.seq.cmp(&a.seq).then(b.at.cmp(&a.at)));
        Verifier {
            expected_seq: 1,
            prev_hash: GENESIS.to_owned(),
            count: 0,
            broken: None,
            ahead: checkpoints,
            matched: 0,
            covered: None,
        }
    }

    fn not_covered(&self) -> String {
        match &self.covered {
            Some(c) => format!("entries after {} are covered by no matching checkpoint", c.seq),
            None => "no entry is covered by a matching checkpoint".to_owned(),
        }
    }

    /// Holds the entry just accepted to the checkpoints made at its `seq`.
    fn check_point(&mut self, e: &AuditEntry) -> Option<String> {
        while self.ahead.last().is_some_and(|c| c.seq < e.seq) {
            self.ahead.pop(); // before the first entry: cannot happen for a chain fed from 1
        }
        while self.ahead.last().is_some_and(|c| c.seq == e.seq) {
            let c = self.ahead.pop()?;
            if c.head_hash != e.hash {
                return Some(format!(
                    "the entry differs from the head the checkpoint of {} vouches for: the chain was \
                     rewritten and its hashes recomputed; {}",
                    c.at.format("%Y-%m-%dT%H:%M:%SZ"),
                    self.not_covered()
                ));
            }
            self.matched += 1;
            self.covered = Some(c);
        }
        None
    }

    /// Returns false once a broken link was found (the caller may stop).
    pub fn feed(&mut self, e: &AuditEntry) -> bool {
        if self.broken.is_some() {
            return false;
        }
        self.count += 1;
        let reason = if e.seq != self.expected_seq {
            Some(format!("expected entry {} but found {} (entries missing or reordered)", self.expected_seq, e.seq))
        } else if e.prev_hash != self.prev_hash {
            Some(
                "prev_hash does not match the previous entry's hash (an earlier entry was changed or removed)"
                    .to_owned(),
            )
        } else if entry_hash(&e.prev_hash, e.seq, e.at, &e.actor, &e.action, &e.subject, &e.details) != e.hash {
            Some("the entry's content does not match its hash (the entry was edited)".to_owned())
        } else {
            self.check_point(e)
        };
        if let Some(reason) = reason {
            self.broken = Some(BrokenLink { seq: e.seq, reason });
            return false;
        }
        self.expected_seq += 1;
        self.prev_hash = e.hash.clone();
        true
    }

    /// Checks the stored head against the last entry seen, and that no
    /// checkpoint vouches for entries the chain no longer has.
    pub fn finish(mut self, log: Log, head_seq: i64, head_hash: &str) -> LogReport {
        if self.broken.is_none() && (head_seq != self.expected_seq - 1 || head_hash != self.prev_hash) {
            self.broken = Some(BrokenLink {
                seq: head_seq,
                reason: "the chain head does not match the last entry (entries were removed from the end)".to_owned(),
            });
        }
        if self.broken.is_none()
            && let Some(beyond) = self.ahead.first()
        {
            self.broken = Some(BrokenLink {
                seq: self.expected_seq,
                reason: format!(
                    "the chain ends at entry {} but the checkpoint of {} vouches for {} entries: entries were \
                     removed from the end; {}",
                    self.expected_seq - 1,
                    beyond.at.format("%Y-%m-%dT%H:%M:%SZ"),
                    beyond.seq,
                    self.not_covered()
                ),
            });
        }
        LogReport {
            log,
            entries: self.count,
            head_hash: self.prev_hash,
            first_broken: self.broken,
            checkpoints: self.matched,
            covered: self.covered,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Vec<AuditEntry> {
        let p = |i: i32| PendingEntry::new("ivan", "person.read", format!("person:{i}"), serde_json::json!({"i": i}));
        chain(Log::Change, 0, GENESIS, Utc::now(), (0..5).map(p).collect())
    }

    #[test]
    fn intact_chain_verifies() {
        let entries = sample();
        let mut v = Verifier::default();
        assert!(entries.iter().all(|e| v.feed(e)));
        let last = entries.last().unwrap();
        let r = v.finish(Log::Change, last.seq, &last.hash);
        assert!(r.first_broken.is_none());
        assert_eq!(r.entries, 5);
    }

    #[test]
    fn edited_entry_is_caught_at_its_seq() {
        let mut entries = sample();
        entries[2].details = r#"{"i":99}"#.into();
        let mut v = Verifier::default();
        for e in &entries {
            v.feed(e);
        }
        let last = entries.last().unwrap();
        assert_eq!(v.finish(Log::Change, last.seq, &last.hash).first_broken.unwrap().seq, 3);
    }

    #[test]
    fn removed_entry_is_caught() {
        let mut entries = sample();
        entries.remove(1);
        let mut v = Verifier::default();
        for e in &entries {
            v.feed(e);
        }
        let last = entries.last().unwrap();
        assert_eq!(v.finish(Log::Change, last.seq, &last.hash).first_broken.unwrap().seq, 3);
    }

    fn checkpoint(e: &AuditEntry) -> Checkpoint {
        Checkpoint { log: Log::Change, seq: e.seq, head_hash: e.hash.clone(), at: Utc::now() }
    }

    fn walk(entries: &[AuditEntry], checkpoints: Vec<Checkpoint>) -> LogReport {
        let mut v = Verifier::against(checkpoints);
        for e in entries {
            v.feed(e);
        }
        let last = entries.last().unwrap();
        v.finish(Log::Change, last.seq, &last.hash)
    }

    #[test]
    fn a_chain_that_matches_its_checkpoints_is_covered_up_to_the_newest() {
        let entries = sample();
        let r = walk(&entries, vec![checkpoint(&entries[3]), checkpoint(&entries[1])]);
        assert!(r.first_broken.is_none(), "{r:?}");
        assert_eq!((r.checkpoints, r.first_uncovered()), (2, 5));
        assert_eq!(walk(&entries, vec![]).first_uncovered(), 1);
    }

    #[test]
    fn a_recomputed_chain_is_caught_by_the_checkpoint_after_the_edit() {
        let entries = sample();
        let points = vec![checkpoint(&entries[0]), checkpoint(&entries[3])];
        // The administrator edits entry 3 and recomputes every later hash: the chain itself is intact.
        let mut pending: Vec<PendingEntry> = entries
            .iter()
            .map(|e| PendingEntry {
                actor: e.actor.clone(),
                action: e.action.clone(),
                subject: e.subject.clone(),
                details: e.details.clone(),
            })
            .collect();
        pending[2].details = r#"{"i":99}"#.into();
        let forged = chain(Log::Change, 0, GENESIS, entries[0].at, pending);
        assert!(walk(&forged, vec![]).first_broken.is_none(), "a recomputed chain passes the chain check alone");
        let r = walk(&forged, points);
        let broken = r.first_broken.clone().unwrap();
        assert_eq!(broken.seq, 4, "caught at the checkpointed entry after the edit");
        assert!(broken.reason.contains("rewritten") && broken.reason.contains("after 1"), "{}", broken.reason);
        assert_eq!(r.first_uncovered(), 2);
    }

    #[test]
    fn a_cut_tail_with_the_head_moved_is_caught_by_a_checkpoint_beyond_it() {
        let entries = sample();
        let points = vec![checkpoint(&entries[1]), checkpoint(&entries[4])];
        // The last two entries deleted and the head set to the new last entry.
        let r = walk(&entries[..3], points);
        let broken = r.first_broken.clone().unwrap();
        assert_eq!(broken.seq, 4);
        assert!(
            broken.reason.contains("removed from the end") && broken.reason.contains("5 entries"),
            "{}",
            broken.reason
        );
        assert_eq!(r.first_uncovered(), 3);
    }

    #[test]
    fn truncated_tail_is_caught_by_head() {
        let entries = sample();
        let mut v = Verifier::default();
        for e in &entries[..4] {
            v.feed(e);
        }
        let last = entries.last().unwrap();
        assert!(v.finish(Log::Change, last.seq, &last.hash).first_broken.is_some());
    }
}
