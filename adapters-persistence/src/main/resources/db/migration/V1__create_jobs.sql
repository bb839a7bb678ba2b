-- Jobs, their timelines and the per-status summary that keeps list counts cheap.
--
-- Conventions: snake_case columns; enums are stored as their Java names in text columns (easy to
-- read with psql, no ALTER TYPE when a value is added); every instant is a timestamptz and the
-- domain already truncates instants to microseconds, so stored and in-memory values are equal.

CREATE TABLE jobs (
    id                   uuid        PRIMARY KEY,
    -- JobDefinition, flattened
    name                 text        NOT NULL,
    -- name.toLowerCase(Locale.ROOT), written by the adapter. The search filter is a substring match
    -- on this column, which reproduces JobFilter.matches exactly whatever the database's LC_CTYPE.
    search_name          text        NOT NULL,
    type                 text        NOT NULL,
    project              text        NOT NULL,
    labels               jsonb       NOT NULL DEFAULT '{}'::jsonb
                                     CHECK (jsonb_typeof(labels) = 'object'),
    -- kept as text, not jsonb: the job gets back exactly the document it was submitted with
    input                text        NOT NULL,
    max_attempts         integer     NOT NULL CHECK (max_attempts >= 1),
    priority             integer     NOT NULL,
    queue                text        NOT NULL,
    -- no CHECK: runtimes are added as the product grows (Kubernetes next)
    runtime              text        NOT NULL,
    timeout_seconds      integer     CHECK (timeout_seconds IS NULL OR timeout_seconds >= 1),
    parallelism          integer     NOT NULL CHECK (parallelism >= 1),
    -- lifecycle
    status               text        NOT NULL CHECK (status IN ('PENDING', 'SUSPENDED', 'QUEUED',
                                         'RUNNING', 'STOPPING', 'SUCCEEDED', 'FAILED', 'STOPPED',
                                         'TIMED_OUT', 'REJECTED')),
    run_id               integer     NOT NULL CHECK (run_id >= 1),
    attempt              integer     NOT NULL CHECK (attempt >= 1),
    progress             smallint    CHECK (progress BETWEEN 0 AND 100),
    created_by           text        NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    queued_at            timestamptz,
    started_at           timestamptz,
    finished_at          timestamptz,
    error_reason         text,
    error_message        text,
    desired_state        text        NOT NULL CHECK (desired_state IN ('RUNNING', 'STOPPED')),
    stop_mode            text        CHECK (stop_mode IN ('GRACEFUL', 'IMMEDIATE', 'FORCE')),
    stop_timeout_seconds integer,
    checkpoint_id        text,
    -- optimistic lock: every successful write sets version = expected + 1
    version              bigint      NOT NULL CHECK (version >= 1),
    CONSTRAINT jobs_error_message_needs_reason
        CHECK (error_message IS NULL OR error_reason IS NOT NULL)
);

-- The default list sort (-created_at, id descending as the tie-breaker): an index scan in order
-- that stops after LIMIT + 1 rows, and the keyset predicate (created_at, id) < (:c, :id) becomes
-- an index range condition.
CREATE INDEX jobs_created_at_id_idx ON jobs (created_at DESC, id DESC);

-- Listing one status (the most common filter, e.g. ?status=FAILED) in the default sort.
CREATE INDEX jobs_status_created_at_idx ON jobs (status, created_at DESC, id DESC);

-- Listing one project (and every caller limited to a few projects) in the default sort.
CREATE INDEX jobs_project_created_at_idx ON jobs (project, created_at DESC, id DESC);

-- Listing one job type in the default sort.
CREATE INDEX jobs_type_created_at_idx ON jobs (type, created_at DESC, id DESC);

-- For leasing: the next job of a queue in a status is the highest priority, oldest one.
CREATE INDEX jobs_queue_status_priority_idx ON jobs (queue, status, priority DESC, created_at);

-- Label selectors "k=v" are evaluated as labels @> '{"k":"v"}', which jsonb_path_ops indexes
-- (smaller and faster than the default jsonb_ops; existence checks are not index-assisted).
CREATE INDEX jobs_labels_idx ON jobs USING gin (labels jsonb_path_ops);

-- "My jobs" lists (created_by filter).
CREATE INDEX jobs_created_by_idx ON jobs (created_by);


-- The timeline: one row per event, appended in the same transaction as the job write.
CREATE TABLE job_events (
    id            bigserial   PRIMARY KEY,
    job_id        uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    -- position within the job, 1-based; assigned while the job row is locked by the write
    seq           integer     NOT NULL,
    occurred_at   timestamptz NOT NULL,
    -- event type and statuses without CHECKs: the timeline must keep old values readable
    event_type    text        NOT NULL,
    from_status   text,
    to_status     text        NOT NULL,
    source        text        NOT NULL,
    message       text,
    error_reason  text,
    error_message text,
    run_id        integer     NOT NULL,
    attempt       integer     NOT NULL
);

-- A job's timeline in order (oldest or newest first), its count, and the cascade on delete.
CREATE INDEX job_events_job_id_id_idx ON job_events (job_id, id);


-- Number of jobs per (project, type, status), so status counts and totals of lists filtered only
-- by status/type/project need no scan of jobs. Maintained by the trigger below in the same
-- transaction as every insert, status/project/type change and delete, whoever writes the job.
-- Rows are never removed (a count of 0 is kept), so the upsert never has to recreate them.
CREATE TABLE job_status_counts (
    project text   NOT NULL,
    type    text   NOT NULL,
    status  text   NOT NULL,
    count   bigint NOT NULL,
    PRIMARY KEY (project, type, status)
);

CREATE FUNCTION job_status_counts_add(p_project text, p_type text, p_status text, p_delta bigint)
RETURNS void LANGUAGE sql AS $$
    INSERT INTO job_status_counts AS c (project, type, status, count)
    VALUES (p_project, p_type, p_status, p_delta)
    ON CONFLICT (project, type, status) DO UPDATE SET count = c.count + EXCLUDED.count;
$$;

CREATE FUNCTION jobs_maintain_status_counts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM job_status_counts_add(NEW.project, NEW.type, NEW.status, 1);
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM job_status_counts_add(OLD.project, OLD.type, OLD.status, -1);
    ELSIF (OLD.project, OLD.type, OLD.status) < (NEW.project, NEW.type, NEW.status) THEN
        -- A count row is a hot row; touching the two rows of a transition always in key order
        -- means two transactions can wait for each other here but never deadlock.
        PERFORM job_status_counts_add(OLD.project, OLD.type, OLD.status, -1);
        PERFORM job_status_counts_add(NEW.project, NEW.type, NEW.status, 1);
    ELSE
        PERFORM job_status_counts_add(NEW.project, NEW.type, NEW.status, 1);
        PERFORM job_status_counts_add(OLD.project, OLD.type, OLD.status, -1);
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER jobs_status_counts_on_insert_delete
    AFTER INSERT OR DELETE ON jobs
    FOR EACH ROW EXECUTE FUNCTION jobs_maintain_status_counts();

CREATE TRIGGER jobs_status_counts_on_update
    AFTER UPDATE OF project, type, status ON jobs
    FOR EACH ROW
    WHEN (OLD.project IS DISTINCT FROM NEW.project
          OR OLD.type IS DISTINCT FROM NEW.type
          OR OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION jobs_maintain_status_counts();
