-- Statements issued on demand (issue 21 §5): the signed PDF is a blob; a
-- verification code (its hash kept) lets anyone holding the paper check it.
CREATE TABLE statements (
    id           UUID PRIMARY KEY,
    person_id    UUID NOT NULL REFERENCES persons(id),
    kind         TEXT NOT NULL,
    code_hash    TEXT NOT NULL UNIQUE,
    blob_sha256  TEXT NOT NULL,
    issued_at    TIMESTAMPTZ NOT NULL,
    issued_to    TEXT NOT NULL
);
CREATE INDEX statements_person ON statements (person_id);
