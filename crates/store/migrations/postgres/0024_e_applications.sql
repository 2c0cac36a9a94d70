-- E-applications from the personal account (issue 21 §4): the text the
-- citizen signed and the wallet's signature, the files, the decision.
CREATE TABLE e_applications (
    id                UUID PRIMARY KEY,
    person_id         UUID NOT NULL REFERENCES persons(id),
    -- The office that decides (the person's) and its path, for scoped inboxes.
    unit_id           BIGINT NOT NULL,
    unit_path         TEXT NOT NULL,
    kind              TEXT NOT NULL,
    data              TEXT NOT NULL,
    statement         TEXT NOT NULL,
    -- 'signing', 'submitted', 'granted', 'refused', 'abandoned'.
    status            TEXT NOT NULL,
    filed_by          TEXT NOT NULL,
    by_representative BOOLEAN NOT NULL,
    lang              TEXT NOT NULL,
    hub_request_id    TEXT,
    signature         BYTEA,
    signer            TEXT,
    created_at        TIMESTAMPTZ NOT NULL,
    submitted_at      TIMESTAMPTZ,
    due_on            DATE,
    decided_at        TIMESTAMPTZ,
    decided_by        TEXT,
    reasons           TEXT,
    decision_sha256   TEXT,
    certificate_id    UUID REFERENCES certificates(id)
);
CREATE INDEX e_applications_inbox ON e_applications (status, unit_path, due_on);
CREATE INDEX e_applications_person ON e_applications (person_id, created_at);

CREATE TABLE e_application_files (
    e_application_id  UUID NOT NULL REFERENCES e_applications(id),
    position          BIGINT NOT NULL,
    name              TEXT NOT NULL,
    content_type      TEXT NOT NULL,
    sha256            TEXT NOT NULL,
    size              BIGINT NOT NULL,
    source            TEXT NOT NULL,
    PRIMARY KEY (e_application_id, position)
);

-- The address a citizen gave on an application: told of its decision only.
ALTER TABLE subscriptions ADD COLUMN e_application_id UUID REFERENCES e_applications(id);
