-- The certification centre (SQLite). Keep in step with
-- postgres/0003_certification_centre.sql.

-- Last day the person's ID card is valid: the QES on the card may not outlive it.
ALTER TABLE persons ADD COLUMN id_card_expires TEXT;

-- Every certificate the issuing CA signed. Exactly one of person / unit is the
-- subject; card keys also name the card application they were certified for.
CREATE TABLE ca_certificates (
    serial               TEXT PRIMARY KEY,
    profile              TEXT NOT NULL,
    person_id            BLOB REFERENCES persons(id),
    unit_id              BIGINT REFERENCES org_units(id),
    card_application_id  BLOB REFERENCES certificates(id),
    subject              TEXT NOT NULL,
    not_before           TEXT NOT NULL,
    not_after            TEXT NOT NULL,
    der                  BLOB NOT NULL,
    issued_by            TEXT NOT NULL,
    issued_at            TEXT NOT NULL,
    revoked_at           TEXT,
    revocation_reason    TEXT,
    revoked_by           TEXT,
    CHECK ((person_id IS NULL) <> (unit_id IS NULL)),
    CHECK ((revoked_at IS NULL) = (revocation_reason IS NULL))
);
CREATE INDEX ca_certificates_person ON ca_certificates (person_id);
CREATE INDEX ca_certificates_unit ON ca_certificates (unit_id);
CREATE INDEX ca_certificates_revoked ON ca_certificates (revoked_at) WHERE revoked_at IS NOT NULL;

-- Published CRLs, numbered by the `ca.crl_number` counter; `revocations` is
-- the `ca.revocations` counter the CRL covers, so a later revocation makes it stale.
CREATE TABLE ca_crls (
    crl_number   BIGINT PRIMARY KEY,
    this_update  TEXT NOT NULL,
    next_update  TEXT NOT NULL,
    revocations  BIGINT NOT NULL,
    der          BLOB NOT NULL
);
