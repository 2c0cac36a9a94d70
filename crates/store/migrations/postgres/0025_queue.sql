-- The electronic queue at an office (issue 21 §6): a ticket per booking
-- checked in on its day, numbered per office and day; called to a desk once.
CREATE TABLE queue_tickets (
    id            BIGSERIAL PRIMARY KEY,
    unit_id       BIGINT NOT NULL REFERENCES org_units(id),
    day           DATE NOT NULL,
    number        BIGINT NOT NULL,
    service       TEXT NOT NULL,
    booking_id    BIGINT NOT NULL UNIQUE REFERENCES bookings(id),
    -- SHA-256 of the ticket's link token (the phone's page); the token is not kept.
    token_hash    TEXT NOT NULL UNIQUE,
    -- The booked time: the queue is called in its order, then by check-in.
    starts_at     TIMESTAMPTZ NOT NULL,
    -- 'waiting', 'called', 'served', 'missed'.
    status        TEXT NOT NULL,
    desk          BIGINT,
    checked_in_at TIMESTAMPTZ NOT NULL,
    called_at     TIMESTAMPTZ,
    finished_at   TIMESTAMPTZ,
    called_by     TEXT,
    UNIQUE (unit_id, day, number)
);
CREATE INDEX queue_tickets_waiting ON queue_tickets (unit_id, day, status, starts_at);
