-- Search answers newest first and stops at the page (issue 20 §7: p99 ≤ 50 ms
-- over 100 000 documents). The planner used to walk every document in scope by
-- time and test each one's text. Now a text row carries its office (a
-- dossier's office never changes) and its place in the order texts were read —
-- the order SQLite's FTS5 rowids already keep — so the text index finds the
-- matches, the office filter needs no join, and only the page's rows are
-- sorted out and joined.
ALTER TABLE digitized_search ADD COLUMN unit_id BIGINT,
    ADD COLUMN read_seq BIGINT GENERATED ALWAYS AS IDENTITY;
UPDATE digitized_search s SET unit_id = ds.unit_id
    FROM digitized_documents d JOIN digitization_dossiers ds ON ds.id = d.dossier_id
    WHERE d.id = s.document_id;
ALTER TABLE digitized_search ALTER COLUMN unit_id SET NOT NULL;
