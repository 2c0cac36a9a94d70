-- Walk-in tickets (issue 21 §6): the office's reception gives a ticket to a
-- citizen who comes without a booking, so a ticket's booking may be NULL.
-- SQLite cannot drop a NOT NULL in place: the table is rebuilt as it was,
-- with that one change.
CREATE TABLE queue_tickets_new (
    id            INTEGER PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES org_units(id),
    day           TEXT NOT NULL,
    number        BIGINT NOT NULL,
    service       TEXT NOT NULL,
    -- NULL: a walk-in, given by the office's staff.
    booking_id    BIGINT UNIQUE REFERENCES bookings(id),
    token_hash    TEXT NOT NULL UNIQUE,
    -- The booked time, or a walk-in's arrival: the queue is called in its order, then by check-in.
    starts_at     TEXT NOT NULL,
    status        TEXT NOT NULL,
    desk          BIGINT,
    checked_in_at TEXT NOT NULL,
    called_at     TEXT,
    finished_at   TEXT,
    called_by     TEXT,
    UNIQUE (unit_id, day, number)
);
INSERT INTO queue_tickets_new (id, unit_id, day, number, service, booking_id, token_hash, starts_at, status, desk,
                               checked_in_at, called_at, finished_at, called_by)
    SELECT id, unit_id, day, number, service, booking_id, token_hash, starts_at, status, desk,
           checked_in_at, called_at, finished_at, called_by
    FROM queue_tickets;
DROP TABLE queue_tickets;
ALTER TABLE queue_tickets_new RENAME TO queue_tickets;
CREATE INDEX queue_tickets_waiting ON queue_tickets (unit_id, day, status, starts_at);
