-- A digitized document's result: the signed, searchable PDF/A made once its
-- pages are recognised (an encrypted blob by its SHA-256), and when.
ALTER TABLE digitized_documents ADD COLUMN result_sha256 TEXT;
ALTER TABLE digitized_documents ADD COLUMN result_at TIMESTAMPTZ;
-- The fixity check walks the results by document id.
CREATE INDEX digitized_documents_results ON digitized_documents (id) WHERE result_sha256 IS NOT NULL;
