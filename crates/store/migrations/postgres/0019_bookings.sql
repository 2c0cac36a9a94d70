-- Appointments at an office, booked without registration (issue 21 §6).
-- One row per slot that has ever been booked: its places taken, raised and
-- lowered only by a conditional UPDATE in the booking's own transaction, so
-- racing citizens cannot book past the slot's capacity.
CREATE TABLE booking_slots (
    unit_id    BIGINT NOT NULL REFERENCES org_units(id),
    service    TEXT NOT NULL,
    starts_at  TIMESTAMPTZ NOT NULL,
    booked     BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (unit_id, service, starts_at)
);

CREATE TABLE bookings (
    id          BIGSERIAL PRIMARY KEY,
    -- SHA-256 of the booking code: the code itself is the citizen's key and is not kept.
    code_hash   TEXT NOT NULL UNIQUE,
    unit_id     BIGINT NOT NULL REFERENCES org_units(id),
    service     TEXT NOT NULL,
    starts_at   TIMESTAMPTZ NOT NULL,
    -- 'booked' or 'cancelled'.
    status      TEXT NOT NULL,
    name        TEXT NOT NULL,
    email       TEXT,
    phone       TEXT,
    lang        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    changed_at  TIMESTAMPTZ NOT NULL,
    -- When the reminder is due (NULL: booked too late for one).
    remind_at   TIMESTAMPTZ
);
-- An office's day list, and the reminders due.
CREATE INDEX bookings_office_day ON bookings (unit_id, starts_at);
CREATE INDEX bookings_reminders ON bookings (remind_at) WHERE status = 'booked';

-- A booking's e-mail: confirmation, reminder and cancellation go through the outbox.
ALTER TABLE subscriptions ADD COLUMN booking_id BIGINT REFERENCES bookings(id);
CREATE INDEX subscriptions_booking ON subscriptions (booking_id) WHERE booking_id IS NOT NULL;
