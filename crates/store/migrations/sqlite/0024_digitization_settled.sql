-- Documents still being recognised, for the OCR workers' sweep: one whose
-- pages have all settled but whose worker died before extraction is found
-- without reading the whole table. Keep in step with postgres/0026.
CREATE INDEX digitized_documents_recognising ON digitized_documents (id) WHERE status = 'recognising';
