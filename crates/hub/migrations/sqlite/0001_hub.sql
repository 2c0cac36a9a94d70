-- The hub's own database (SPEC §2.1): wallet users and their issued documents,
-- acquirers with branches and offers, sharing codes, document requests and the
-- delivery outbox. Never shared with the fund's database.
CREATE TABLE hub_citizens (
    id             BLOB PRIMARY KEY,
    login          TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    display_name   TEXT NOT NULL,
    rnokpp         TEXT NOT NULL,
    created_at     TEXT NOT NULL
);

CREATE TABLE hub_sessions (
    token_hash  TEXT PRIMARY KEY,
    citizen_id  BLOB NOT NULL REFERENCES hub_citizens(id),
    expires_at  TEXT NOT NULL
);

-- Issued digital documents: data in the public metadata shape, signed by the registry.
CREATE TABLE hub_documents (
    id                  BLOB PRIMARY KEY,
    citizen_id          BLOB NOT NULL REFERENCES hub_citizens(id),
    doc_type            TEXT NOT NULL,
    data                TEXT NOT NULL,
    registry_signature  BLOB NOT NULL,
    issued_at           TEXT NOT NULL,
    UNIQUE (citizen_id, doc_type)
);

-- The citizen's personal signing key: a PIN container, opened only to sign a consent.
CREATE TABLE hub_citizen_keys (
    citizen_id       BLOB PRIMARY KEY REFERENCES hub_citizens(id),
    container        TEXT NOT NULL,
    certificate_pem  TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);

CREATE TABLE hub_acquirers (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    endpoint    TEXT NOT NULL,
    token_hash  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE hub_branches (
    id                   TEXT PRIMARY KEY,
    acquirer_id          TEXT NOT NULL REFERENCES hub_acquirers(id),
    name                 TEXT NOT NULL,
    address              TEXT NOT NULL,
    scopes               TEXT NOT NULL,
    encryption_cert_pem  TEXT NOT NULL,
    created_at           TEXT NOT NULL
);
CREATE INDEX hub_branches_acquirer ON hub_branches (acquirer_id);

CREATE TABLE hub_offers (
    id          TEXT PRIMARY KEY,
    branch_id   TEXT NOT NULL REFERENCES hub_branches(id),
    name        TEXT NOT NULL,
    scopes      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE hub_codes (
    id          BLOB PRIMARY KEY,
    code        TEXT NOT NULL,
    citizen_id  BLOB NOT NULL REFERENCES hub_citizens(id),
    doc_type    TEXT NOT NULL,
    issued_at   TEXT NOT NULL,
    used_at     TEXT
);
-- Unique among unused codes: a used code may be drawn again later.
CREATE UNIQUE INDEX hub_codes_live ON hub_codes (code) WHERE used_at IS NULL;
CREATE INDEX hub_codes_issued ON hub_codes (issued_at);

CREATE TABLE hub_requests (
    id              BLOB PRIMARY KEY,
    acquirer_id     TEXT NOT NULL REFERENCES hub_acquirers(id),
    branch_id       TEXT NOT NULL REFERENCES hub_branches(id),
    request_id      TEXT NOT NULL,
    barcode         TEXT,
    citizen_id      BLOB REFERENCES hub_citizens(id),
    doc_type        TEXT NOT NULL,
    status          TEXT NOT NULL,
    deeplink_token  TEXT UNIQUE,
    consent         BLOB,
    requested_at    TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    UNIQUE (acquirer_id, request_id)
);
CREATE INDEX hub_requests_citizen ON hub_requests (citizen_id, status);
CREATE INDEX hub_requests_status ON hub_requests (status, requested_at);

-- Only the sealed (encrypted) package; deleted once acknowledged.
CREATE TABLE hub_outbox (
    request_pk       BLOB PRIMARY KEY REFERENCES hub_requests(id),
    endpoint         TEXT NOT NULL,
    file_name        TEXT NOT NULL,
    file             BLOB NOT NULL,
    metadata         BLOB NOT NULL,
    attempts         INTEGER NOT NULL,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT
);
CREATE INDEX hub_outbox_due ON hub_outbox (next_attempt_at);

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
CREATE TABLE audit_head (
    id    INTEGER PRIMARY KEY,
    seq   BIGINT NOT NULL,
    hash  TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
