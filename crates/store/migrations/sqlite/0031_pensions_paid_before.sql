-- Pensions the fund paid before Dossier (issue 21 §5): moved over from its
-- previous system, they were granted by no e-application here, so a
-- pension's application may be NULL. SQLite cannot drop a NOT NULL in
-- place: the table is rebuilt as it was, with that one change.
CREATE TABLE pensions_new (
    person_id         BLOB PRIMARY KEY REFERENCES persons(id),
    kind              TEXT NOT NULL,
    -- The monthly amount in kopecks.
    amount            BIGINT NOT NULL CHECK (amount > 0),
    since             TEXT NOT NULL,
    -- dossier_domain::e_application::Delivery as JSON.
    delivery          TEXT NOT NULL,
    delivery_since    TEXT NOT NULL,
    -- The granted application that last changed it; NULL: imported.
    e_application_id  BLOB REFERENCES e_applications(id),
    updated_at        TEXT NOT NULL
);
INSERT INTO pensions_new (person_id, kind, amount, since, delivery, delivery_since, e_application_id, updated_at)
    SELECT person_id, kind, amount, since, delivery, delivery_since, e_application_id, updated_at FROM pensions;
DROP TABLE pensions;
ALTER TABLE pensions_new RENAME TO pensions;
