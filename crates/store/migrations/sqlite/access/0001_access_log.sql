-- The access log: reads of personal data and refused attempts, hash-chained
-- like audit_log. It lives in its own database file next to the main one, so
-- auditing a read never writes the main file (which would make every reader
-- of the main file drop its page cache at its next transaction).
CREATE TABLE access_log (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
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
