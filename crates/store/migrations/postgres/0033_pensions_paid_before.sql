-- Pensions the fund paid before Dossier (issue 21 §5): moved over from its
-- previous system, they were granted by no e-application here.
ALTER TABLE pensions ALTER COLUMN e_application_id DROP NOT NULL;
COMMENT ON COLUMN pensions.e_application_id IS 'The granted application that last changed it; NULL: imported.';
