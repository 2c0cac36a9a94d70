-- The number on the applicant's identity paper, as the counter typed it: the
-- receipt's QR code carries it (SPEC §2.5). Empty when the counter had none.
ALTER TABLE digitization_dossiers ADD COLUMN applicant TEXT;
-- A page turned upright before recognition: `image_sha256` is then the upright
-- copy (what was read, what the result shows) and `received_sha256` the scan as
-- it came in, kept as evidence and watched by the fixity check; `correction`
-- says what was done ("turned 180°, deskewed -4.2°").
ALTER TABLE digitized_pages ADD COLUMN received_sha256 TEXT;
ALTER TABLE digitized_pages ADD COLUMN correction TEXT;
