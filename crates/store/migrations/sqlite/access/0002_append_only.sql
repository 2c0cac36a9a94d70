-- The access log only appends: `seq` becomes the rowid (as BIGINT PRIMARY
-- KEY it was a second B-tree beside the table), and the index by subject
-- leaves the log for a file of its own, built behind it
-- (crates/db/src/access_index.rs) — so a read's commit writes no page but the
-- log's last ones and the head.
CREATE TABLE access_log_appended (
    seq        INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
INSERT INTO access_log_appended (seq, at, actor, action, subject, details, prev_hash, hash)
    SELECT seq, at, actor, action, subject, details, prev_hash, hash FROM access_log ORDER BY seq;
DROP TABLE access_log;
ALTER TABLE access_log_appended RENAME TO access_log;
