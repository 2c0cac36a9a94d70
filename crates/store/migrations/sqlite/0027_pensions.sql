-- The pension each person is paid (issue 21 §5): written when staff grant a
-- pension assignment, its route changed by a granted delivery change; the
-- statement of the pension's kind and amount reads it.
CREATE TABLE pensions (
    person_id         BLOB PRIMARY KEY REFERENCES persons(id),
    kind              TEXT NOT NULL,
    -- The monthly amount in kopecks.
    amount            BIGINT NOT NULL CHECK (amount > 0),
    since             TEXT NOT NULL,
    -- dossier_domain::e_application::Delivery as JSON.
    delivery          TEXT NOT NULL,
    delivery_since    TEXT NOT NULL,
    -- The granted application that last changed it.
    e_application_id  BLOB NOT NULL REFERENCES e_applications(id),
    updated_at        TEXT NOT NULL
);
