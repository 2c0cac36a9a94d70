-- Every code look-up (document request, identification) asks by code alone,
-- used or not: the partial index of live codes cannot answer it.
CREATE INDEX hub_codes_code ON hub_codes (code);
