-- Certificate production and issue (PostgreSQL). Keep in step with
-- sqlite/0004_production.sql.

-- Every certificate runs against one deadline at a time (set by
-- dossier_domain::production on each transition), so "what is late" is an
-- index range. `batch_id` is the last batch that moved it.
ALTER TABLE certificates ADD COLUMN due_at TIMESTAMPTZ;
ALTER TABLE certificates ADD COLUMN stage_at TIMESTAMPTZ;
ALTER TABLE certificates ADD COLUMN batch_id UUID;
UPDATE certificates SET stage_at = updated_at;
CREATE INDEX certificates_stage_path ON certificates (stage, unit_path);
CREATE INDEX certificates_due ON certificates (due_at) WHERE due_at IS NOT NULL;
CREATE INDEX certificates_batch ON certificates (batch_id) WHERE batch_id IS NOT NULL;
CREATE INDEX certificates_number_no ON certificates (certificate_no) WHERE certificate_no IS NOT NULL;
ALTER TABLE certificate_events ADD COLUMN batch_id UUID;
CREATE INDEX certificate_events_batch ON certificate_events (batch_id) WHERE batch_id IS NOT NULL;
-- The duplicate check looks people up by name and birth date.
CREATE INDEX persons_name_birth ON persons (name_key, birth_date);

-- One batch per week, level (district → region → central) and unit: the
-- unique key is what makes a repeated weekly run a no-op.
CREATE TABLE production_batches (
    id            UUID PRIMARY KEY,
    week          TEXT NOT NULL,
    level         TEXT NOT NULL,
    unit_id       BIGINT NOT NULL REFERENCES org_units(id),
    unit_path     TEXT COLLATE "C" NOT NULL,
    cutoff        TIMESTAMPTZ NOT NULL,
    submitted_at  TIMESTAMPTZ NOT NULL,
    items         BIGINT NOT NULL,
    held          BIGINT NOT NULL,
    created_by    TEXT NOT NULL,
    UNIQUE (week, level, unit_id)
);
CREATE INDEX production_batches_path ON production_batches (unit_path, week);

-- Strict-accountability blanks of form 2, one per produced paper certificate.
CREATE TABLE blank_usage (
    blank_no        TEXT PRIMARY KEY,
    certificate_id  UUID NOT NULL REFERENCES certificates(id),
    used_at         TIMESTAMPTZ NOT NULL,
    used_by         TEXT NOT NULL
);

-- Appointments by order: responsible persons for acts, commission members
-- and chairs, heads of territorial bodies.
CREATE TABLE appointments (
    id           UUID PRIMARY KEY,
    account_id   UUID NOT NULL REFERENCES accounts(id),
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    duty         TEXT NOT NULL,
    order_no     TEXT NOT NULL,
    valid_from   DATE NOT NULL,
    valid_until  DATE,
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX appointments_unit ON appointments (unit_id, duty);

-- Acceptance-transfer acts (form 3): central → region, region → district.
CREATE TABLE transfer_acts (
    id              UUID PRIMARY KEY,
    number          TEXT NOT NULL UNIQUE,
    from_unit_id    BIGINT NOT NULL REFERENCES org_units(id),
    to_unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    to_unit_path    TEXT COLLATE "C" NOT NULL,
    status          TEXT NOT NULL,
    sent_by         TEXT NOT NULL,
    sent_at         TIMESTAMPTZ NOT NULL,
    accepted_by     TEXT,
    accepted_at     TIMESTAMPTZ,
    discrepancies   TEXT
);
CREATE INDEX transfer_acts_to ON transfer_acts (to_unit_id, sent_at);
CREATE INDEX transfer_acts_from ON transfer_acts (from_unit_id, sent_at);

CREATE TABLE transfer_act_items (
    act_id          UUID NOT NULL REFERENCES transfer_acts(id),
    line            BIGINT NOT NULL,
    certificate_id  UUID NOT NULL REFERENCES certificates(id),
    certificate_no  TEXT NOT NULL,
    PRIMARY KEY (act_id, certificate_id)
);

-- The issue journal (form 6) of a district office: columns 1–4 on acceptance
-- by act, the rest on issue.
CREATE TABLE journal_entries (
    unit_id          BIGINT NOT NULL REFERENCES org_units(id),
    line             BIGINT NOT NULL,
    certificate_id   UUID NOT NULL UNIQUE REFERENCES certificates(id),
    certificate_no   TEXT NOT NULL,
    act_id           UUID NOT NULL REFERENCES transfer_acts(id),
    holder_name      TEXT NOT NULL,
    received_at      TIMESTAMPTZ NOT NULL,
    issued_at        TIMESTAMPTZ,
    issued_by        TEXT,
    recipient_name   TEXT,
    recipient        TEXT,
    signature        TEXT,
    PRIMARY KEY (unit_id, line)
);
CREATE INDEX journal_entries_received ON journal_entries (unit_id, received_at);

-- Destruction acts (§I.4, §III.8): the commission, the list, the signatures.
CREATE TABLE destruction_acts (
    id            UUID PRIMARY KEY,
    number        TEXT NOT NULL UNIQUE,
    unit_id       BIGINT NOT NULL REFERENCES org_units(id),
    order_no      TEXT NOT NULL,
    members       TEXT NOT NULL,
    status        TEXT NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TIMESTAMPTZ NOT NULL,
    completed_at  TIMESTAMPTZ
);

CREATE TABLE destruction_items (
    act_id          UUID NOT NULL REFERENCES destruction_acts(id),
    line            BIGINT NOT NULL,
    certificate_id  UUID NOT NULL REFERENCES certificates(id),
    reason          TEXT NOT NULL,
    PRIMARY KEY (act_id, certificate_id)
);

CREATE TABLE destruction_signatures (
    act_id      UUID NOT NULL REFERENCES destruction_acts(id),
    account_id  UUID NOT NULL REFERENCES accounts(id),
    signed_at   TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (act_id, account_id)
);
