-- Each person's earnings summed by year and employer (issue 21 benchmark): the
-- account page and the statements read forty rows for forty years instead of
-- scanning 480 monthly ones. The report import adds to it in the transaction
-- that writes the months; `months` is the bitmask of the months reported
-- (a month is reported once per employer, so adding is the union).
CREATE TABLE earning_years (
    person_id     UUID NOT NULL,
    year          BIGINT NOT NULL,
    employer      TEXT NOT NULL,
    wage          BIGINT NOT NULL,
    contribution  BIGINT NOT NULL,
    months        BIGINT NOT NULL,
    PRIMARY KEY (person_id, year, employer)
);
INSERT INTO earning_years (person_id, year, employer, wage, contribution, months)
SELECT person_id, month / 100, employer, SUM(wage), SUM(contribution),
       SUM(CAST(1 AS BIGINT) << CAST(month % 100 - 1 AS INTEGER))
FROM earnings GROUP BY person_id, month / 100, employer;
