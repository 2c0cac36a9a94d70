-- Regulation 26-1 §III.9 and §IV.4. `valid_until`: until when a certificate
-- serves as the pension certificate — paper the pension's fixed term (NULL:
-- unlimited), a card its own validity or the pension's or disability's term if
-- that ends first; what is flagged before expiry. `card_expires_on`: a card's
-- own last day (at most three years, fixed when its face is sealed for the
-- personalizer), printed on its back and bounding its chip keys' certificates.
ALTER TABLE certificates ADD COLUMN valid_until DATE;
ALTER TABLE certificates ADD COLUMN card_expires_on DATE;
-- Paper certificates already on file take their pension's term. Cards on file get
-- both dates when their face is next sealed for the personalizer; until then
-- their keys are bounded by three years from certification.
UPDATE certificates SET valid_until = (data::jsonb ->> 'pension_until')::date WHERE form = 'paper';
CREATE INDEX certificates_valid_until ON certificates (valid_until, unit_path) WHERE valid_until IS NOT NULL;
