-- The report import asks which months an employer already reported for the
-- people of a report by the primary key (person, employer, month); the index
-- by employer and month served only that question, and every monthly row
-- written paid for it.
DROP INDEX earnings_employer_month;
