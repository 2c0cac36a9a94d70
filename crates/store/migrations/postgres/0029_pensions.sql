-- The pension each person is paid (issue 21 §5): written when staff grant a
-- pension assignment, its route changed by a granted delivery change; the
-- statement of the pension's kind and amount reads it.
CREATE TABLE pensions (
    person_id         UUID PRIMARY KEY REFERENCES persons(id),
    kind              TEXT NOT NULL,
    -- The monthly amount in kopecks.
    amount            BIGINT NOT NULL CHECK (amount > 0),
    since             DATE NOT NULL,
    -- dossier_domain::e_application::Delivery as JSON.
    delivery          TEXT NOT NULL,
    delivery_since    DATE NOT NULL,
    -- The granted application that last changed it.
    e_application_id  UUID NOT NULL REFERENCES e_applications(id),
    updated_at        TIMESTAMPTZ NOT NULL
);
