-- The pension record (issue 21 §2): employers, the reports they send, the
-- insurance periods and the monthly earnings the reports bring, and the
-- mistakes citizens report in their record.
CREATE TABLE employers (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE employer_reports (
    id           BLOB PRIMARY KEY,
    employer     TEXT NOT NULL REFERENCES employers(code),
    rows_count   INTEGER NOT NULL,
    received_by  TEXT NOT NULL,
    received_at  TEXT NOT NULL
);

CREATE TABLE insurance_periods (
    id         BLOB PRIMARY KEY,
    person_id  BLOB NOT NULL REFERENCES persons(id),
    employer   TEXT NOT NULL REFERENCES employers(code),
    kind       TEXT NOT NULL,
    starts_on  TEXT NOT NULL,
    ends_on    TEXT,
    -- The report that opened it, and the one that closed it.
    opened_by  BLOB NOT NULL REFERENCES employer_reports(id),
    closed_by  BLOB REFERENCES employer_reports(id)
);
CREATE INDEX insurance_periods_person ON insurance_periods (person_id, employer);
CREATE INDEX insurance_periods_employer ON insurance_periods (employer, person_id);

-- One row per person, employer and month (yyyymm); amounts in kopecks. The
-- import checks the person, so no foreign key slows the bulk insert.
CREATE TABLE earnings (
    person_id     BLOB NOT NULL,
    employer      TEXT NOT NULL,
    month         INTEGER NOT NULL,
    wage          INTEGER NOT NULL,
    contribution  INTEGER NOT NULL,
    report_id     BLOB NOT NULL,
    PRIMARY KEY (person_id, employer, month)
) WITHOUT ROWID;
CREATE INDEX earnings_employer_month ON earnings (employer, month);

CREATE TABLE record_corrections (
    id           BLOB PRIMARY KEY,
    person_id    BLOB NOT NULL REFERENCES persons(id),
    unit_path    TEXT NOT NULL,
    reported_by  TEXT NOT NULL,
    year         INTEGER,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL,
    answer       TEXT,
    created_at   TEXT NOT NULL,
    resolved_at  TEXT
);
CREATE INDEX record_corrections_open ON record_corrections (status, unit_path);
