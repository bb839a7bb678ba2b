-- Which job a client's Idempotency-Key created, per principal. A key disappears with its job.
CREATE TABLE idempotency_keys (
    principal   text        NOT NULL,
    key         text        NOT NULL,
    -- digest of the request body, to detect a key reused with another request
    fingerprint text        NOT NULL,
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (principal, key)
);

-- Lets the ON DELETE CASCADE from jobs find a job's keys without scanning the table.
CREATE INDEX idempotency_keys_job_id_idx ON idempotency_keys (job_id);
