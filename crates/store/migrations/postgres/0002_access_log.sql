-- The access log: reads of personal data and refused attempts, hash-chained
-- like audit_log but with its own head, so auditing reads never waits for the
-- change log's lock. (SQLite keeps it in a separate file: see sqlite/access/.)
CREATE TABLE access_log (
    seq        BIGINT PRIMARY KEY,
    at         TIMESTAMPTZ NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX access_log_subject ON access_log (subject, seq);

CREATE TABLE access_head (
    id    INTEGER PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO access_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
