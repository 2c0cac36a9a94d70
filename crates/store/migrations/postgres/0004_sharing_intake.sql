-- Document sharing, the fund's intake (PostgreSQL). Keep in step with
-- sqlite/0003_sharing_intake.sql.

-- Org units registered as branches with the hub; scopes = comma-separated
-- public document-type names.
CREATE TABLE sharing_branches (
    unit_id        BIGINT PRIMARY KEY REFERENCES org_units(id),
    branch_id      TEXT NOT NULL UNIQUE,
    name           TEXT NOT NULL,
    scopes         TEXT NOT NULL,
    registered_at  TIMESTAMPTZ NOT NULL
);

-- Requests this fund made. `id` is the requestId sent to the hub. A barcode
-- belongs to at most one live request (the partial unique index), so two
-- specialists typing the same code at once cannot both hold it.
CREATE TABLE sharing_requests (
    id             UUID PRIMARY KEY,
    barcode        TEXT NOT NULL,
    branch_id      TEXT NOT NULL,
    unit_id        BIGINT NOT NULL REFERENCES org_units(id),
    document_type  TEXT NOT NULL,
    account_id     UUID REFERENCES accounts(id),
    requested_by   TEXT NOT NULL,
    status         TEXT NOT NULL,
    last_error     TEXT,
    hub_attempts   INTEGER NOT NULL DEFAULT 0,
    next_check_at  TIMESTAMPTZ NOT NULL,
    created_at     TIMESTAMPTZ NOT NULL,
    updated_at     TIMESTAMPTZ NOT NULL,
    delivered_at   TIMESTAMPTZ,
    document_id    UUID REFERENCES documents(id)
);
CREATE UNIQUE INDEX sharing_requests_live_barcode ON sharing_requests (barcode)
    WHERE status IN ('submitting', 'waiting_consent', 'approved');
CREATE INDEX sharing_requests_due ON sharing_requests (next_check_at)
    WHERE status IN ('submitting', 'waiting_consent', 'approved');

-- Delivered copies with their provenance, one per request (a repeated
-- delivery finds its row and is acknowledged again). The PDF and the hub's
-- signed metadata are ordinary encrypted documents; person_id NULL with
-- review = 'pending' is the review queue.
CREATE TABLE sharing_copies (
    request_id            UUID PRIMARY KEY REFERENCES sharing_requests(id),
    document_id           UUID NOT NULL REFERENCES documents(id),
    metadata_document_id  UUID NOT NULL REFERENCES documents(id),
    person_id             UUID REFERENCES persons(id),
    hub_fingerprint       TEXT NOT NULL,
    formed_at             TEXT NOT NULL,
    stamp                 JSONB NOT NULL,
    report                JSONB NOT NULL,
    consent               TEXT,
    received_at           TIMESTAMPTZ NOT NULL,
    review                TEXT NOT NULL,
    reviewed_by           TEXT,
    reviewed_at           TIMESTAMPTZ,
    CHECK ((person_id IS NULL) = (review = 'pending'))
);
CREATE INDEX sharing_copies_pending ON sharing_copies (received_at) WHERE review = 'pending';

-- Typed codes, for the rate limit on guessing (per specialist, per branch).
CREATE TABLE sharing_code_attempts (
    account_id  UUID,
    branch_id   TEXT NOT NULL,
    failed      BOOLEAN NOT NULL,
    at          TIMESTAMPTZ NOT NULL
);
CREATE INDEX sharing_code_attempts_account ON sharing_code_attempts (account_id, at) WHERE failed;
CREATE INDEX sharing_code_attempts_branch ON sharing_code_attempts (branch_id, at) WHERE failed;
