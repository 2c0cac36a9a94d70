-- A resumable import run says what it imports: people (at a district) or
-- the pensions paid before Dossier (for the people under a unit).
ALTER TABLE import_runs ADD COLUMN kind TEXT NOT NULL DEFAULT 'people';
