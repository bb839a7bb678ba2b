-- Issue 3, why a queued job waits: worker presence. Every claim (POST /api/v1/leases) upserts its
-- worker's row in the claim's transaction. A worker is active for a queue when it polled it within
-- the last 30 s (QueueWait.ACTIVE_WINDOW); older rows are kept (and shown nowhere yet).
CREATE TABLE workers (
    worker_id       text        PRIMARY KEY,
    hostname        text,
    -- the queues of the worker's latest claim
    queues          text[]      NOT NULL,
    first_seen_at   timestamptz NOT NULL,
    last_seen_at    timestamptz NOT NULL,
    -- max_tasks of the latest claim (the bundled worker asks for its free slots)
    tasks_requested integer     NOT NULL CHECK (tasks_requested >= 0),
    -- leases the latest claim got
    tasks_leased    integer     NOT NULL CHECK (tasks_leased >= 0)
);

-- Active workers of a queue: queues @> ARRAY[queue] AND last_seen_at >= now - 30 s.
CREATE INDEX workers_queues_idx ON workers USING gin (queues);
CREATE INDEX workers_last_seen_idx ON workers (last_seen_at);
