-- API tokens issued through POST /api/v1/tokens (issue 12). Only the SHA-256 of each secret is
-- kept: whoever reads this table learns which tokens exist, not how to present one.
CREATE TABLE api_tokens (
    id           uuid        PRIMARY KEY,
    name         text        NOT NULL,
    token_sha256 bytea       NOT NULL UNIQUE,
    roles        text[]      NOT NULL,
    projects     text[],     -- NULL: every project
    created_at   timestamptz NOT NULL,
    expires_at   timestamptz, -- NULL: never
    last_used_at timestamptz,
    revoked_at   timestamptz
);

-- the name is the caller's name (created_by, idempotency scope): two live tokens never share one
CREATE UNIQUE INDEX api_tokens_live_name ON api_tokens (name) WHERE revoked_at IS NULL;

-- GET /api/v1/tokens lists the newest first
CREATE INDEX api_tokens_created ON api_tokens (created_at DESC, id);
