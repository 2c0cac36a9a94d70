-- The pension record (issue 21 §2): employers, the reports they send, the
-- insurance periods and the monthly earnings the reports bring, and the
-- mistakes citizens report in their record.
CREATE TABLE employers (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE employer_reports (
    id           UUID PRIMARY KEY,
    employer     TEXT NOT NULL REFERENCES employers(code),
    rows_count   BIGINT NOT NULL,
    received_by  TEXT NOT NULL,
    received_at  TIMESTAMPTZ NOT NULL
);

CREATE TABLE insurance_periods (
    id         UUID PRIMARY KEY,
    person_id  UUID NOT NULL REFERENCES persons(id),
    employer   TEXT NOT NULL REFERENCES employers(code),
    kind       TEXT NOT NULL,
    starts_on  DATE NOT NULL,
    ends_on    DATE,
    -- The report that opened it, and the one that closed it.
    opened_by  UUID NOT NULL REFERENCES employer_reports(id),
    closed_by  UUID REFERENCES employer_reports(id)
);
CREATE INDEX insurance_periods_person ON insurance_periods (person_id, employer);
CREATE INDEX insurance_periods_employer ON insurance_periods (employer, person_id);

-- One row per person, employer and month (yyyymm); amounts in kopecks. The
-- import checks the person, so no foreign key slows the bulk insert.
CREATE TABLE earnings (
    person_id     UUID NOT NULL,
    employer      TEXT NOT NULL,
    month         BIGINT NOT NULL,
    wage          BIGINT NOT NULL,
    contribution  BIGINT NOT NULL,
    report_id     UUID NOT NULL,
    PRIMARY KEY (person_id, employer, month)
);
CREATE INDEX earnings_employer_month ON earnings (employer, month);

CREATE TABLE record_corrections (
    id           UUID PRIMARY KEY,
    person_id    UUID NOT NULL REFERENCES persons(id),
    unit_path    TEXT NOT NULL,
    reported_by  TEXT NOT NULL,
    year         BIGINT,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL,
    answer       TEXT,
    created_at   TIMESTAMPTZ NOT NULL,
    resolved_at  TIMESTAMPTZ
);
CREATE INDEX record_corrections_open ON record_corrections (status, unit_path);
