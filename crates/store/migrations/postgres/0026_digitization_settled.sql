-- What the OCR workers' sweep looks for after a crash, each found without
-- reading the whole table: documents still being recognised (one whose pages
-- have all settled but whose worker died before extraction), and documents
-- extracted but not yet sealed (the worker died before the signed result).
-- Keep in step with sqlite/0024.
CREATE INDEX digitized_documents_recognising ON digitized_documents (id) WHERE status = 'recognising';
CREATE INDEX digitized_documents_unsealed ON digitized_documents (id)
    WHERE result_sha256 IS NULL AND status <> 'recognising';
