-- The certification centre (PostgreSQL). Keep in step with
-- sqlite/0002_certification_centre.sql.

-- Last day the person's ID card is valid: the QES on the card may not outlive it.
ALTER TABLE persons ADD COLUMN id_card_expires DATE;

-- Every certificate the issuing CA signed. Exactly one of person / unit is the
-- subject; card keys also name the card application they were certified for.
CREATE TABLE ca_certificates (
    serial               TEXT PRIMARY KEY,
    profile              TEXT NOT NULL,
    person_id            UUID REFERENCES persons(id),
    unit_id              BIGINT REFERENCES org_units(id),
    card_application_id  UUID REFERENCES certificates(id),
    subject              TEXT NOT NULL,
    not_before           TIMESTAMPTZ NOT NULL,
    not_after            TIMESTAMPTZ NOT NULL,
    der                  BYTEA NOT NULL,
    issued_by            TEXT NOT NULL,
    issued_at            TIMESTAMPTZ NOT NULL,
    revoked_at           TIMESTAMPTZ,
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
    this_update  TIMESTAMPTZ NOT NULL,
    next_update  TIMESTAMPTZ NOT NULL,
    revocations  BIGINT NOT NULL,
    der          BYTEA NOT NULL
);
