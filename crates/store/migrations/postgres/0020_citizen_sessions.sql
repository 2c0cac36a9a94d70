-- Citizens signed in through an OpenID provider (issue 21 §1). A login in
-- flight keeps its state, nonce and PKCE verifier for ten minutes, under the
-- hash of the browser's cookie; a session keeps who the provider vouched for.
CREATE TABLE citizen_logins (
    id_hash        TEXT PRIMARY KEY,
    state          TEXT NOT NULL,
    nonce          TEXT NOT NULL,
    pkce_verifier  TEXT NOT NULL,
    expires_at     TIMESTAMPTZ NOT NULL
);

CREATE TABLE citizen_sessions (
    token_hash  TEXT PRIMARY KEY,
    issuer      TEXT NOT NULL,
    subject     TEXT NOT NULL,
    rnokpp      TEXT NOT NULL,
    name        TEXT NOT NULL,
    csrf        TEXT NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL,
    expires_at  TIMESTAMPTZ NOT NULL
);

-- Whom a signed-in citizen represents: their RNOKPP among the representatives.
CREATE INDEX representatives_rnokpp ON representatives (rnokpp) WHERE rnokpp IS NOT NULL;
