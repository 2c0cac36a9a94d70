-- Foundation schema (SQLite). Keep in step with postgres/0001_foundation.sql:
-- same tables and columns; SQLite's storage classes here.

CREATE TABLE org_units (
    id          INTEGER PRIMARY KEY,
    parent_id   BIGINT REFERENCES org_units(id),
    kind        TEXT NOT NULL,
    code        TEXT NOT NULL UNIQUE,
    name_uk     TEXT NOT NULL,
    name_en     TEXT NOT NULL,
    address     TEXT,
    path        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX org_units_path ON org_units (path);

CREATE TABLE accounts (
    id             BLOB PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    full_name      TEXT NOT NULL,
    role           TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES org_units(id),
    password_hash  TEXT NOT NULL,
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   TEXT,
    active         INTEGER NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash  TEXT PRIMARY KEY,
    account_id  BLOB NOT NULL REFERENCES accounts(id),
    csrf        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL
);
CREATE INDEX sessions_account ON sessions (account_id);

CREATE TABLE api_tokens (
    id          BLOB PRIMARY KEY,
    account_id  BLOB NOT NULL REFERENCES accounts(id),
    name        TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL,
    revoked_at  TEXT
);

CREATE TABLE documents (
    id            BLOB PRIMARY KEY,
    person_id     BLOB,
    kind          TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    sha256        TEXT NOT NULL,
    size          BIGINT NOT NULL,
    source        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX documents_person ON documents (person_id);

CREATE TABLE persons (
    id                 BLOB PRIMARY KEY,
    unit_id            BIGINT NOT NULL REFERENCES org_units(id),
    unit_path          TEXT NOT NULL,
    rnokpp             TEXT UNIQUE,
    religious_refusal  INTEGER NOT NULL,
    passport           TEXT,
    id_card            TEXT,
    unzr               TEXT,
    account_no         TEXT,
    okzo               TEXT,
    surname            TEXT NOT NULL,
    given_name         TEXT NOT NULL,
    patronymic         TEXT,
    name_key           TEXT NOT NULL,
    birth_date         TEXT NOT NULL,
    sex                TEXT NOT NULL,
    capacity           TEXT NOT NULL,
    idp                INTEGER NOT NULL,
    photo_id           BLOB REFERENCES documents(id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX persons_refusal_passport ON persons (passport) WHERE religious_refusal = 1;
CREATE INDEX persons_passport ON persons (passport);
CREATE INDEX persons_id_card ON persons (id_card);
CREATE INDEX persons_unzr ON persons (unzr);
CREATE INDEX persons_account_no ON persons (account_no);
CREATE INDEX persons_okzo ON persons (okzo);
CREATE INDEX persons_name_key ON persons (name_key);
CREATE INDEX persons_unit_path ON persons (unit_path);

CREATE TABLE representatives (
    id                BLOB PRIMARY KEY,
    person_id         BLOB NOT NULL REFERENCES persons(id),
    kind              TEXT NOT NULL,
    surname           TEXT NOT NULL,
    given_name        TEXT NOT NULL,
    patronymic        TEXT,
    institution_name  TEXT,
    rnokpp            TEXT,
    resident          INTEGER NOT NULL,
    proof_document    TEXT NOT NULL,
    active            INTEGER NOT NULL,
    created_at        TEXT NOT NULL
);
CREATE INDEX representatives_person ON representatives (person_id);

CREATE TABLE certificates (
    id              BLOB PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    person_id       BLOB NOT NULL REFERENCES persons(id),
    unit_id         BIGINT NOT NULL REFERENCES org_units(id),
    unit_path       TEXT NOT NULL,
    pension_kind    TEXT NOT NULL,
    form            TEXT NOT NULL,
    issue_unit_id   BIGINT NOT NULL REFERENCES org_units(id),
    stage           TEXT NOT NULL,
    data            TEXT NOT NULL,
    certificate_no  TEXT,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX certificates_person ON certificates (person_id);
CREATE INDEX certificates_unit_path ON certificates (unit_path, created_at);

CREATE TABLE certificate_events (
    id              INTEGER PRIMARY KEY,
    certificate_id  BLOB NOT NULL REFERENCES certificates(id),
    event           TEXT NOT NULL,
    from_stage      TEXT,
    to_stage        TEXT NOT NULL,
    actor           TEXT NOT NULL,
    note            TEXT,
    at              TEXT NOT NULL
);
CREATE INDEX certificate_events_cert ON certificate_events (certificate_id);

CREATE TABLE counters (
    name   TEXT PRIMARY KEY,
    value  BIGINT NOT NULL
);

CREATE TABLE audit_log (
    seq        BIGINT PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    subject    TEXT NOT NULL,
    details    TEXT NOT NULL,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
CREATE INDEX audit_log_subject ON audit_log (subject, seq);

-- The head of the hash chain: one row, locked by every append so the chain
-- never forks under concurrent writers.
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE import_runs (
    id           BLOB PRIMARY KEY,
    file_sha256  TEXT NOT NULL,
    file_name    TEXT NOT NULL,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    actor        TEXT NOT NULL,
    rows_done    BIGINT NOT NULL,
    rows_ok      BIGINT NOT NULL,
    rows_failed  BIGINT NOT NULL,
    started_at   TEXT NOT NULL,
    finished_at  TEXT
);
CREATE INDEX import_runs_file ON import_runs (file_sha256);

CREATE TABLE import_errors (
    run_id   BLOB NOT NULL REFERENCES import_runs(id),
    line     BIGINT NOT NULL,
    field    TEXT NOT NULL,
    message  TEXT NOT NULL,
    PRIMARY KEY (run_id, line, field)
);
