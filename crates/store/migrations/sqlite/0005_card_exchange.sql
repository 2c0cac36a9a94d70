-- The card exchange with the bank, the personalizer and the certification
-- centre (regulation 26-1, §IV). Keep in step with postgres/0006_card_exchange.sql.

-- One row per step of a card: which party reported it to whom, the payload
-- exactly as it was sealed (canonical JSON) and the fund's CAdES seal over
-- those bytes, so the exchange can be proven later.
CREATE TABLE card_messages (
    id              BLOB PRIMARY KEY,
    certificate_id  BLOB NOT NULL REFERENCES certificates(id),
    event           TEXT NOT NULL,
    sender          TEXT NOT NULL,
    recipient       TEXT NOT NULL,
    unit_id         BIGINT NOT NULL REFERENCES org_units(id),
    actor           TEXT NOT NULL,
    payload         TEXT NOT NULL,
    seal            BLOB,
    at              TEXT NOT NULL
);
CREATE INDEX card_messages_certificate ON card_messages (certificate_id, at);
-- A partner's queue: the cards whose issue branch is in its subtree, by stage.
CREATE INDEX certificates_card_queue ON certificates (form, stage, issue_unit_id);
