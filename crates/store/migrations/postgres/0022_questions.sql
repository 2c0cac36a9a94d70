-- Questions without registration (issue 21 §6): found by the hash of their
-- tracking number, answered by the office's staff within the term; the
-- answer goes by e-mail through the outbox (the question's subscription).
CREATE TABLE questions (
    id           BIGSERIAL PRIMARY KEY,
    unit_id      BIGINT NOT NULL REFERENCES org_units(id),
    unit_path    TEXT NOT NULL,
    code_hash    TEXT NOT NULL UNIQUE,
    subject      TEXT NOT NULL,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    lang         TEXT NOT NULL,
    text         TEXT NOT NULL,
    status       TEXT NOT NULL,
    answer       TEXT,
    asked_at     TIMESTAMPTZ NOT NULL,
    due_at       TIMESTAMPTZ NOT NULL,
    answered_at  TIMESTAMPTZ
);
CREATE INDEX questions_open ON questions (status, unit_path, due_at);

ALTER TABLE subscriptions ADD COLUMN question_id BIGINT REFERENCES questions(id);
CREATE INDEX subscriptions_question ON subscriptions (question_id) WHERE question_id IS NOT NULL;
