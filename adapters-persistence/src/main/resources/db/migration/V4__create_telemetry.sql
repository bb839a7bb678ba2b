-- What running tasks report (issue 3): logs, errors, checkpoints, the latest metrics, output
-- preview records and progress samples. Every row belongs to a job and goes with it (ON DELETE
-- CASCADE). Retention (enforced by the adapter on every append, in the same transaction): at most
-- 10,000 log lines, 1,000 errors and 1,000 output records per job, 100 progress samples per run.
-- bigserial ids grow in append order and are the keyset cursors and the trimming order.

CREATE TABLE job_logs (
    id          bigserial   PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id      integer     NOT NULL,
    task_index  integer     NOT NULL CHECK (task_index >= 0),
    logged_at   timestamptz NOT NULL,
    level       text        NOT NULL CHECK (level IN ('INFO', 'WARN', 'ERROR')),
    stream      text        NOT NULL CHECK (stream IN ('STDOUT', 'STDERR')),
    operator_id text,
    message     text        NOT NULL
);

-- reading in order after a cursor, trimming the oldest, and the cascade
CREATE INDEX job_logs_job_id_id_idx ON job_logs (job_id, id);
-- the level, task and operator filters in cursor order
CREATE INDEX job_logs_job_level_idx ON job_logs (job_id, level, id);
CREATE INDEX job_logs_job_task_idx ON job_logs (job_id, task_index, id);
CREATE INDEX job_logs_job_operator_idx ON job_logs (job_id, operator_id, id)
    WHERE operator_id IS NOT NULL;
-- since/until
CREATE INDEX job_logs_job_logged_at_idx ON job_logs (job_id, logged_at);


CREATE TABLE job_errors (
    id          bigserial   PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id      integer     NOT NULL,
    task_index  integer     NOT NULL CHECK (task_index >= 0),
    occurred_at timestamptz NOT NULL,
    level       text        NOT NULL CHECK (level IN ('ERROR', 'WARNING')),
    operator_id text,
    message     text        NOT NULL,
    details     text,
    record      text
);

CREATE INDEX job_errors_job_id_id_idx ON job_errors (job_id, id);
CREATE INDEX job_errors_job_level_idx ON job_errors (job_id, level, id);
CREATE INDEX job_errors_job_operator_idx ON job_errors (job_id, operator_id, id)
    WHERE operator_id IS NOT NULL;


-- One row per checkpoint id of a job; a later report of the same id replaces it.
CREATE TABLE job_checkpoints (
    job_id           uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    checkpoint_id    text        NOT NULL,
    run_id           integer     NOT NULL,
    task_index       integer     NOT NULL CHECK (task_index >= 0),
    checkpoint_epoch bigint      NOT NULL CHECK (checkpoint_epoch >= 0),
    state            text        NOT NULL CHECK (state IN ('IN_PROGRESS', 'COMPLETED', 'FAILED')),
    started_at       timestamptz NOT NULL,
    finished_at      timestamptz,
    size_bytes       bigint      CHECK (size_bytes IS NULL OR size_bytes >= 0),
    backend          text,
    location         text,
    operator_states  jsonb       NOT NULL DEFAULT '[]'::jsonb
                                 CHECK (jsonb_typeof(operator_states) = 'array'),
    PRIMARY KEY (job_id, checkpoint_id)
);

-- newest epoch first, optionally only completed ones
CREATE INDEX job_checkpoints_job_epoch_idx ON job_checkpoints (job_id, checkpoint_epoch DESC);
CREATE INDEX job_checkpoints_job_state_epoch_idx
    ON job_checkpoints (job_id, state, checkpoint_epoch DESC);


-- The latest snapshot each task of a run reported (task-wide values and operators), replaced on
-- every report; aggregation happens when it is read.
CREATE TABLE job_metrics (
    job_id     uuid    NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id     integer NOT NULL,
    task_index integer NOT NULL CHECK (task_index >= 0),
    snapshot   jsonb   NOT NULL CHECK (jsonb_typeof(snapshot) = 'object'),
    PRIMARY KEY (job_id, run_id, task_index)
);


CREATE TABLE job_output_records (
    id          bigserial   PRIMARY KEY,
    job_id      uuid        NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id      integer     NOT NULL,
    task_index  integer     NOT NULL CHECK (task_index >= 0),
    emitted_at  timestamptz NOT NULL,
    operator_id text,
    -- text, not jsonb: the preview shows the record exactly as the task sent it
    record      text        NOT NULL
);

CREATE INDEX job_output_records_job_id_id_idx ON job_output_records (job_id, id);
CREATE INDEX job_output_records_job_operator_idx ON job_output_records (job_id, operator_id, id);


CREATE TABLE job_progress_samples (
    id         bigserial        PRIMARY KEY,
    job_id     uuid             NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
    run_id     integer          NOT NULL,
    task_index integer          NOT NULL CHECK (task_index >= 0),
    sampled_at timestamptz      NOT NULL,
    progress   double precision NOT NULL CHECK (progress BETWEEN 0 AND 100)
);

-- the newest samples of each task of a run (estimates) and trimming per run
CREATE INDEX job_progress_samples_job_run_idx
    ON job_progress_samples (job_id, run_id, task_index, id);
-- trimming a run to its newest 100 samples
CREATE INDEX job_progress_samples_job_run_id_idx ON job_progress_samples (job_id, run_id, id);


-- Live watch (SSE) reads job_events by id after the client's Last-Event-ID. Ids come from a
-- sequence, so a transaction can commit an event with a lower id after a watcher has already seen
-- a higher one. Remembering the writing transaction lets the feed hand out only events whose
-- transaction is older than every transaction still running (pg_snapshot_xmin), so nothing is ever
-- skipped. Set as a default afterwards, so existing rows (NULL, long committed) need no rewrite.
ALTER TABLE job_events ADD COLUMN writer_xid xid8;
ALTER TABLE job_events ALTER COLUMN writer_xid SET DEFAULT pg_current_xact_id();
