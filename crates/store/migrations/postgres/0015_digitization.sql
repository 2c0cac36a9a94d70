-- Digitization of paper (issue 20): a dossier is the case a person's papers
-- came in with, named by its dossier code (Circular 01/2018/TT-VPCP art. 19:
-- <agency code>-YYMMDD-NNNN). The day's number comes from a counter per
-- agency and day, taken in the transaction that opens the dossier, so two
-- counters never hand out the same number and a failed opening takes none.
CREATE TABLE digitization_sequences (
    agency  TEXT NOT NULL,
    day     DATE NOT NULL,
    last    BIGINT NOT NULL,
    PRIMARY KEY (agency, day)
);

CREATE TABLE digitization_dossiers (
    id           UUID PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    agency       TEXT NOT NULL,
    received_on  DATE NOT NULL,
    sequence     BIGINT NOT NULL,
    -- The office that received the papers: its staff see the dossier.
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    -- The procedure the papers came for (the national procedure code).
    procedure    TEXT NOT NULL,
    -- The person, once known (a dossier may be opened before they are registered).
    person_id    UUID REFERENCES persons(id),
    created_by   TEXT NOT NULL,
    created_at   TIMESTAMPTZ NOT NULL
);
CREATE INDEX digitization_dossiers_unit ON digitization_dossiers (unit_id, created_at);
CREATE INDEX digitization_dossiers_person ON digitization_dossiers (person_id) WHERE person_id IS NOT NULL;
