-- Codes a branch presented that were refused, kept for the guessing limit's
-- window: in the database, so every hub process behind a balancer counts the
-- same refusals (the limit does not multiply with the processes). A branch's
-- older rows are deleted as it gets new ones.
CREATE TABLE hub_code_refusals (
    branch_id  TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX hub_code_refusals_branch ON hub_code_refusals (branch_id, at);
