-- A person's reported mistakes are read on every view of their account; without
-- this index each view scanned every correction the fund holds.
CREATE INDEX record_corrections_person ON record_corrections (person_id, created_at);
