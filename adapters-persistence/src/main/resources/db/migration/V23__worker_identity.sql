-- Issue 16, worker identity and targeting.

-- A worker's row (V5, upserted by its claims) also keeps what it declared and who it is for: its
-- labels (a JSON object, validated as job labels are), the projects its token is limited to (NULL:
-- an unscoped token, listed to unscoped callers only) and the types it claims (NULL: any).
ALTER TABLE workers
    ADD COLUMN labels   jsonb  NOT NULL DEFAULT '{}'::jsonb CHECK (jsonb_typeof(labels) = 'object'),
    ADD COLUMN projects text[],
    ADD COLUMN types    text[];

-- GET /api/v1/workers: the tasks a worker holds, by worker.
CREATE INDEX job_tasks_running_worker_idx ON job_tasks (worker_id) WHERE status = 'RUNNING';
