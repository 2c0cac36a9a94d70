-- Notifications (issue 19): who asked to be told (a subscription with the
-- citizen's consent, or a system's webhook) and the transactional outbox —
-- a message is written in the same transaction as the stage change that
-- causes it, and workers deliver it, retrying, until it is sent or dead.
CREATE TABLE subscriptions (
    id                INTEGER PRIMARY KEY,
    -- NULL: a system's webhook, told of every case.
    person_id         BLOB REFERENCES persons(id),
    -- NULL: every case of the person.
    certificate_id    BLOB REFERENCES certificates(id),
    channel           TEXT NOT NULL,
    -- E-mail address, chat or user id, webhook URL; NULL until a chat is linked.
    address           TEXT,
    -- A webhook's signing secret.
    secret            TEXT,
    lang              TEXT NOT NULL,
    -- 'pending' (awaits the opt-in or the chat link), 'active', 'ended'.
    status            TEXT NOT NULL,
    -- Until when the opt-in or deep-link token (an HMAC over the id and
    -- this time, never stored) may link or confirm it.
    link_expires_at   TEXT,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    active_at         TEXT,
    ended_at          TEXT,
    ended_reason      TEXT
);
-- A stage change looks up the person's subscriptions and the systems' (person_id IS NULL).
CREATE INDEX subscriptions_person ON subscriptions (person_id, status);

CREATE TABLE notifications (
    id               INTEGER PRIMARY KEY,
    subscription_id  BIGINT NOT NULL REFERENCES subscriptions(id),
    person_id        BLOB,
    channel          TEXT NOT NULL,
    -- The case (an application number) and what happened to it, when.
    case_ref         TEXT NOT NULL,
    topic            TEXT NOT NULL,
    occurred_at      TEXT NOT NULL,
    unit_id          BIGINT,
    payload          TEXT NOT NULL,
    -- 'pending', 'sent', 'dead'.
    status           TEXT NOT NULL,
    attempts         BIGINT NOT NULL DEFAULT 0,
    next_attempt_at  TEXT NOT NULL,
    claimed_until    TEXT,
    last_error       TEXT,
    receipt          TEXT,
    created_at       TEXT NOT NULL,
    sent_at          TEXT,
    -- One message per event and recipient, however often the event is written.
    UNIQUE (subscription_id, case_ref, topic, occurred_at)
);
CREATE INDEX notifications_due ON notifications (next_attempt_at) WHERE status = 'pending';
CREATE INDEX notifications_person ON notifications (person_id);

-- Every delivery attempt and its answer: the receipts staff see.
CREATE TABLE notification_attempts (
    notification_id  BIGINT NOT NULL REFERENCES notifications(id),
    at               TEXT NOT NULL,
    outcome          TEXT NOT NULL,
    detail           TEXT
);
CREATE INDEX notification_attempts_of ON notification_attempts (notification_id);

-- Updates a bot platform sent us, so a replayed one is ignored.
CREATE TABLE chat_updates (
    channel    TEXT NOT NULL,
    update_id  TEXT NOT NULL,
    at         TEXT NOT NULL,
    PRIMARY KEY (channel, update_id)
);
