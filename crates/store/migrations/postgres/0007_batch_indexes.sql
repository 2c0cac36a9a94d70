-- The weekly run touches every certificate of a batch; each index on a column
-- it changes costs a B-tree delete and insert per certificate.
-- * A batch's certificates are found by stage and unit path (the index the
--   run already uses) with the batch id as a filter; the batch index is gone.
-- * The card queue indexes cards only, so paper stage changes do not touch it.
DROP INDEX certificates_batch;
DROP INDEX certificates_card_queue;
CREATE INDEX certificates_card_queue ON certificates (stage, issue_unit_id) WHERE form = 'card';
-- Deadlines by office: a batch's certificates share their deadline, so with the
-- office in the key the ones a batch moves sit together (one page, not one
-- per certificate), and "late in this scope" is answered from the index alone.
DROP INDEX certificates_due;
CREATE INDEX certificates_due ON certificates (due_at, unit_path) WHERE due_at IS NOT NULL;
