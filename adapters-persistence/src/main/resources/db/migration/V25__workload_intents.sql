-- Issue 17, Kubernetes writes after commit: the transactional outbox of cluster calls. A REST
-- submit, stop, restart or delete of a Kubernetes job stores its change and one intent here in the
-- same transaction; a relay performs the cluster call after the commit (at once, and again from a
-- periodic pass for what a crash or a cluster outage left behind) and deletes the intent. The
-- resource's name is deterministic (namespace and name of the placement), so a repeated call finds
-- its own earlier result instead of creating a second resource.
CREATE TABLE workload_intents (
    id              bigserial   PRIMARY KEY,
    -- no foreign key: a DELETE intent outlives the job's row, which is gone when it is written
    job_id          uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('LAUNCH', 'STOP', 'RESTART', 'DELETE')),
    namespace       text        NOT NULL,
    resource_name   text        NOT NULL,
    created_at      timestamptz NOT NULL,
    -- when a relay may take it: now when written, the end of a relay's lease while one holds it,
    -- the next try after a failed call
    next_attempt_at timestamptz NOT NULL,
    attempts        integer     NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    last_error      text
);

-- A job's intents are performed one at a time in the order they were written: only the oldest
-- of a job is due (NOT EXISTS an older one of the same job).
CREATE INDEX workload_intents_job_idx ON workload_intents (job_id, id);
CREATE INDEX workload_intents_due_idx ON workload_intents (next_attempt_at, id);
