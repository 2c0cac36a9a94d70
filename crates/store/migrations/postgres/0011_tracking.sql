-- Public status look-up (issue 19): offices say when they are open; failed
-- look-ups are counted per key (a client, a case number) so a limit holds
-- across app servers and numbers cannot be enumerated.
ALTER TABLE org_units ADD COLUMN opening_hours TEXT;
CREATE TABLE lookup_failures (
    key           TEXT PRIMARY KEY,
    window_start  TIMESTAMPTZ NOT NULL,
    failures      BIGINT NOT NULL
);
