-- Signature requests: a fund (an acquirer) asks one citizen to sign a text
-- with their personal key in the wallet. The text is kept as the fund sent
-- it; `signature` is the CMS SignedData (content attached) once signed. A
-- request is decided once (status leaves 'waiting' by a conditional UPDATE);
-- a waiting request past `expires_at` reads as expired.
CREATE TABLE hub_signature_requests (
    id           UUID PRIMARY KEY,
    acquirer_id  TEXT NOT NULL REFERENCES hub_acquirers(id),
    citizen_id   UUID NOT NULL REFERENCES hub_citizens(id),
    title        TEXT NOT NULL,
    document     TEXT NOT NULL,
    return_url   TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('waiting', 'signed', 'declined')),
    signature    BYTEA,
    created_at   TIMESTAMPTZ NOT NULL,
    expires_at   TIMESTAMPTZ NOT NULL,
    decided_at   TIMESTAMPTZ,
    CHECK ((status = 'signed') = (signature IS NOT NULL))
);
CREATE INDEX hub_signature_requests_acquirer ON hub_signature_requests (acquirer_id, created_at);
CREATE INDEX hub_signature_requests_citizen ON hub_signature_requests (citizen_id, status);

-- A signature request names its citizen by RNOKPP.
CREATE INDEX hub_citizens_rnokpp ON hub_citizens (rnokpp);
