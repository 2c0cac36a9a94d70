-- The hub as the citizens' OpenID provider: an acquirer (a fund) is also a
-- relying party; its one redirect URI is matched exactly. Authorization codes
-- live a minute, are kept as their hash and are taken once.
ALTER TABLE hub_acquirers ADD COLUMN login_redirect_uri TEXT;

CREATE TABLE hub_login_codes (
    code_hash       TEXT PRIMARY KEY,
    acquirer_id     TEXT NOT NULL REFERENCES hub_acquirers(id),
    citizen_id      UUID NOT NULL REFERENCES hub_citizens(id),
    redirect_uri    TEXT NOT NULL,
    code_challenge  TEXT NOT NULL,
    nonce           TEXT NOT NULL,
    auth_time       TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL
);
