-- Digitization of paper (issue 20): a dossier is the case a person's papers
-- came in with, named by its dossier code (Circular 01/2018/TT-VPCP art. 19:
-- <agency code>-YYMMDD-NNNN). The day's number comes from a counter per
-- agency and day, taken in the transaction that opens the dossier, so two
-- counters never hand out the same number and a failed opening takes none.
CREATE TABLE digitization_sequences (
    agency  TEXT NOT NULL,
    day     TEXT NOT NULL,
    last    BIGINT NOT NULL,
    PRIMARY KEY (agency, day)
);

CREATE TABLE digitization_dossiers (
    id           BLOB PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    agency       TEXT NOT NULL,
    received_on  TEXT NOT NULL,
    sequence     BIGINT NOT NULL,
    -- The office that received the papers: its staff see the dossier.
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    -- The procedure the papers came for (the national procedure code).
    procedure    TEXT NOT NULL,
    -- The person, once known (a dossier may be opened before they are registered).
    person_id    BLOB REFERENCES persons(id),
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX digitization_dossiers_unit ON digitization_dossiers (unit_id, created_at);
CREATE INDEX digitization_dossiers_person ON digitization_dossiers (person_id) WHERE person_id IS NOT NULL;

-- A digitized document: one paper of the dossier, its pages and what was
-- read off them. Its result code (a configured scheme over the dossier code
-- and the ordinal) is unique and never reused: the ordinal is the next in
-- the dossier, taken in the transaction that adds it.
CREATE TABLE digitized_documents (
    id           BLOB PRIMARY KEY,
    dossier_id   BLOB NOT NULL REFERENCES digitization_dossiers(id),
    ordinal      BIGINT NOT NULL,
    result_code  TEXT NOT NULL UNIQUE,
    kind         TEXT NOT NULL,
    -- 'recognising' (pages wait for OCR), 'review' (a person must look),
    -- 'ready' (every field accepted or decided).
    status       TEXT NOT NULL,
    pages        BIGINT NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    UNIQUE (dossier_id, ordinal)
);

-- One page: the scan (an encrypted blob) and its recognition, a job claimed
-- by the OCR workers like the outbox's messages.
CREATE TABLE digitized_pages (
    document_id     BLOB NOT NULL REFERENCES digitized_documents(id),
    page_no         BIGINT NOT NULL,
    image_sha256    TEXT NOT NULL,
    media_type      TEXT NOT NULL,
    width           BIGINT NOT NULL,
    height          BIGINT NOT NULL,
    dpi             REAL NOT NULL,
    -- 'pending', 'done', 'failed' (its attempts ran out: a person reads it).
    status          TEXT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at TEXT NOT NULL,
    claimed_until   TEXT,
    last_error      TEXT,
    -- The recognised words (JSON) and their mean confidence.
    text            TEXT,
    confidence      REAL,
    PRIMARY KEY (document_id, page_no)
);
CREATE INDEX digitized_pages_due ON digitized_pages (next_attempt_at) WHERE status = 'pending';

-- Each field of a document as extraction left it and as a person decided it.
CREATE TABLE digitized_fields (
    document_id  BLOB NOT NULL REFERENCES digitized_documents(id),
    field        TEXT NOT NULL,
    position     BIGINT NOT NULL,
    value        TEXT,
    read_text    TEXT NOT NULL,
    confidence   REAL NOT NULL,
    page_no      BIGINT,
    bbox         TEXT,
    problems     TEXT NOT NULL,
    -- 'accepted' (as read), 'review', 'confirmed', 'corrected'.
    status       TEXT NOT NULL,
    decided_by   TEXT,
    decided_at   TEXT,
    PRIMARY KEY (document_id, field)
);

-- Search over recognised text (issue 20 §7): each document's words in the
-- search form (lower case, Latin letters without diacritics, apostrophes
-- removed — dossier_domain::text::search_form), so `nguyen` finds `Nguyễn`
-- and `марьяна` finds `Мар’яна`.
CREATE VIRTUAL TABLE digitized_search USING fts5(body, document_id UNINDEXED, tokenize = 'unicode61');
