-- The proof of holding a lease (issue 12): the SHA-256 (hex) of the token handed to the worker
-- that claimed the task. The token itself is never stored. Tasks leased before this version have
-- no hash: no report can prove holding them, so they end through lease expiry (and are retried).
ALTER TABLE job_tasks ADD COLUMN lease_token_hash text
    CHECK (lease_token_hash IS NULL OR lease_token_hash ~ '^[0-9a-f]{64}$');
