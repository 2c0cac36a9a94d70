-- Signature requests are deleted a while after they expire (decided or not):
-- the statement a citizen signed and its CMS are the fund's to keep, not the
-- hub's. The purge finds them by expiry.
CREATE INDEX hub_signature_requests_expiry ON hub_signature_requests (expires_at);
