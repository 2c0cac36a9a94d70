-- How an office receives by appointment (issue 21 §6): its hours, services and
-- places as the JSON form of dossier_domain::appointment::Reception; NULL
-- receives by the fund's default ([appointments] in the configuration).
ALTER TABLE org_units ADD COLUMN reception TEXT;
