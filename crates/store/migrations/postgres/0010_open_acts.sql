-- A certificate listed in an open act (acceptance-transfer or destruction)
-- waits for that act: every step of a paper certificate first looks up
-- whether an open act lists it, so the lists are indexed by certificate.
CREATE INDEX transfer_act_items_certificate ON transfer_act_items (certificate_id);
CREATE INDEX destruction_items_certificate ON destruction_items (certificate_id);
