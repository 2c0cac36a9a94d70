-- A citizen follows one document they shared from their wallet (issue 19):
-- such a subscription names the request, not a person (the copy may not be
-- matched to anyone yet), and is told only of that request.
ALTER TABLE subscriptions ADD COLUMN request_id BLOB REFERENCES sharing_requests(id);
CREATE INDEX subscriptions_request ON subscriptions (request_id) WHERE request_id IS NOT NULL;
