-- Schedules (issue 15): a job template started on a cron rule in a time zone.
CREATE TABLE schedules (
    id                            uuid        PRIMARY KEY,
    project                       text        NOT NULL,
    name                          text        NOT NULL,
    cron                          text        NOT NULL,
    -- a ZoneId (Europe/Berlin, UTC): DST is the zone's, so an offset would be wrong half the year
    time_zone                     text        NOT NULL,
    -- the JobDefinition a tick submits, written and read by ScheduleRows (the jobs table's own
    -- column formats for labels, input, command, env and the Kubernetes placement)
    job_template                  jsonb       NOT NULL CHECK (jsonb_typeof(job_template) = 'object'),
    concurrency_policy            text        NOT NULL
                                              CHECK (concurrency_policy IN ('ALLOW', 'FORBID', 'REPLACE')),
    starting_deadline_seconds     integer     CHECK (starting_deadline_seconds >= 1),
    max_catch_up                  integer     NOT NULL CHECK (max_catch_up BETWEEN 0 AND 100),
    suspend                       boolean     NOT NULL,
    successful_jobs_history_limit integer     NOT NULL CHECK (successful_jobs_history_limit >= 0),
    failed_jobs_history_limit     integer     NOT NULL CHECK (failed_jobs_history_limit >= 0),
    created_by                    text        NOT NULL,
    created_at                    timestamptz NOT NULL,
    -- when the spec last changed: ticks before it are never caught up
    updated_at                    timestamptz NOT NULL,
    last_scheduled_time           timestamptz,
    next_run_time                 timestamptz,
    -- no foreign key: history limits delete old jobs, and the schedule then shows none
    last_job_id                   uuid,
    version                       bigint      NOT NULL CHECK (version >= 1),
    CONSTRAINT schedules_project_name_key UNIQUE (project, name)
);

-- The tick loop's question, "which unsuspended schedules are due", as an index range.
CREATE INDEX schedules_due_idx ON schedules (next_run_time) WHERE NOT suspend;

-- One row per tick a schedule handled. The primary key is what makes a tick happen once across
-- server replicas even if two of them computed it: the second insert does nothing and the tick is
-- not started again.
CREATE TABLE schedule_ticks (
    schedule_id    uuid        NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    scheduled_time timestamptz NOT NULL,
    claimed_at     timestamptz NOT NULL,
    -- null only inside the claiming transaction, before the tick's outcome is written
    outcome        text        CHECK (outcome IN ('STARTED', 'SKIPPED')),
    -- no foreign key either: the job may be deleted by the history limits; this is the record
    job_id         uuid,
    PRIMARY KEY (schedule_id, scheduled_time)
);
