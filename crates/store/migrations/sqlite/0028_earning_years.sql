-- Each person's earnings summed by year and employer (issue 21 benchmark): the
-- account page and the statements read forty rows for forty years instead of
-- scanning 480 monthly ones. The report import adds to it in the transaction
-- that writes the months; `months` is the bitmask of the months reported
-- (a month is reported once per employer, so adding is the union).
CREATE TABLE earning_years (
    person_id     BLOB NOT NULL,
    year          INTEGER NOT NULL,
    employer      TEXT NOT NULL,
    wage          INTEGER NOT NULL,
    contribution  INTEGER NOT NULL,
    months        INTEGER NOT NULL,
    PRIMARY KEY (person_id, year, employer)
) WITHOUT ROWID;
INSERT INTO earning_years (person_id, year, employer, wage, contribution, months)
SELECT person_id, month / 100, employer, SUM(wage), SUM(contribution), SUM(1 << (month % 100 - 1))
FROM earnings GROUP BY person_id, month / 100, employer;
