-- Webhooks (issue 15, part 3): a project's subscriptions to its jobs' events, and the outbox of
-- their deliveries.
--
-- Every job event of every path (REST submit/stop/restart, the worker protocol, the sweeper, the
-- operator's mirror, schedules) is appended to job_events by one statement (JobDao.APPEND_EVENTS).
-- The trigger below turns those rows into delivery rows for the webhooks whose filter matches, in
-- that statement and so in the transaction of the transition: a committed transition has its
-- deliveries, a rolled-back one has none, whoever wrote it. The relay (WebhookRelayService) sends
-- them after the commit.

CREATE TABLE webhooks (
    id                 uuid        PRIMARY KEY,
    project            text        NOT NULL,
    url                text        NOT NULL CHECK (length(url) <= 2048),
    -- the filter; an empty array lets every status or type through
    statuses           text[]      NOT NULL DEFAULT '{}',
    job_types          text[]      NOT NULL DEFAULT '{}',
    -- the label selector as the client wrote it (null: any labels), and parsed for the trigger:
    -- [{"key": k, "op": "EQUALS"|"NOT_EQUALS"|"EXISTS"|"NOT_EXISTS", "value": v}, ...]
    label_selector     text,
    label_requirements jsonb       NOT NULL DEFAULT '[]'::jsonb
                                   CHECK (jsonb_typeof(label_requirements) = 'array'),
    -- the signing secret, sealed like secret_values (V14): AES-256-GCM under the server key
    secret_key_id      text        NOT NULL,
    secret_nonce       bytea       NOT NULL CHECK (octet_length(secret_nonce) = 12),
    secret_ciphertext  bytea       NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    updated_by         text        NOT NULL
);

-- The trigger's lookup (the webhooks of a job's project) and the listings.
CREATE INDEX webhooks_project_idx ON webhooks (project, created_at, id);

CREATE TABLE webhook_deliveries (
    -- the CloudEvent id: stable across retries and redeliveries, receivers deduplicate on it
    id                 uuid        PRIMARY KEY DEFAULT gen_random_uuid(),
    -- the order deliveries were written in (the order of the events), and the log's cursor
    seq                bigserial   NOT NULL UNIQUE,
    webhook_id         uuid        NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    -- the event as it happened; no reference to jobs, a log entry outlives the job's later changes
    job_id             uuid        NOT NULL,
    job_name           text        NOT NULL,
    project            text        NOT NULL,
    job_type           text        NOT NULL,
    event_type         text        NOT NULL,
    from_status        text,
    to_status          text        NOT NULL,
    run_id             integer     NOT NULL,
    attempt            integer     NOT NULL,
    occurred_at        timestamptz NOT NULL,
    -- progress
    status             text        NOT NULL DEFAULT 'PENDING'
                                   CHECK (status IN ('PENDING', 'DELIVERED', 'FAILED')),
    -- attempts started (a claim counts one; it also fences a stale claim's result out)
    attempts           integer     NOT NULL DEFAULT 0,
    -- when a pending delivery is due: its first try, its next retry, or the end of its claim
    next_attempt_at    timestamptz NOT NULL,
    -- the retry window (DeliveryBackoff.WINDOW) runs from here: the event, or the last redelivery
    window_start       timestamptz NOT NULL,
    last_response_code integer,
    last_error         text,
    updated_at         timestamptz NOT NULL
);

-- The relay's claim: the due pending deliveries, oldest first. Delivered and failed rows leave it.
CREATE INDEX webhook_deliveries_due_idx
    ON webhook_deliveries (next_attempt_at, seq) WHERE status = 'PENDING';

-- A webhook's log, newest first.
CREATE INDEX webhook_deliveries_webhook_idx ON webhook_deliveries (webhook_id, seq DESC);

-- LabelSelector.matches, on the parsed requirements and a job's labels.
CREATE FUNCTION webhook_labels_match(p_requirements jsonb, p_labels jsonb)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT coalesce(bool_and(CASE r->>'op'
        WHEN 'EQUALS' THEN coalesce(p_labels->>(r->>'key') = r->>'value', false)
        WHEN 'NOT_EQUALS' THEN (p_labels->>(r->>'key')) IS DISTINCT FROM (r->>'value')
        WHEN 'EXISTS' THEN (p_labels->(r->>'key')) IS NOT NULL
        WHEN 'NOT_EXISTS' THEN (p_labels->(r->>'key')) IS NULL
        ELSE false
    END), true)
    FROM jsonb_array_elements(p_requirements) AS r;
$$;

-- One statement-level run per append: the events of the statement, joined with their jobs (the
-- rows just written in the same transaction) and the matching webhooks of each job's project.
-- Times are the events' own (the server's clock), like every other time the relay compares.
-- A project without webhooks costs one index probe per statement.
CREATE FUNCTION webhooks_enqueue_deliveries() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    written bigint;
BEGIN
    INSERT INTO webhook_deliveries (webhook_id, job_id, job_name, project, job_type, event_type,
        from_status, to_status, run_id, attempt, occurred_at, next_attempt_at, window_start,
        updated_at)
    SELECT w.id, e.job_id, j.name, j.project, j.type, e.event_type, e.from_status, e.to_status,
        e.run_id, e.attempt, e.occurred_at, e.occurred_at, e.occurred_at, e.occurred_at
    FROM new_events e
    JOIN jobs j ON j.id = e.job_id
    JOIN webhooks w ON w.project = j.project
    WHERE (cardinality(w.statuses) = 0 OR e.to_status = ANY (w.statuses))
      AND (cardinality(w.job_types) = 0 OR j.type = ANY (w.job_types))
      AND webhook_labels_match(w.label_requirements, j.labels)
    ORDER BY e.id, w.id;
    GET DIAGNOSTICS written = ROW_COUNT;
    IF written > 0 THEN
        -- the relays hear of it after the commit (V15: 'w', a webhook delivery was queued)
        PERFORM jobplane_signal('w');
    END IF;
    RETURN NULL;
END;
$$;

CREATE TRIGGER job_events_enqueue_webhooks
    AFTER INSERT ON job_events
    REFERENCING NEW TABLE AS new_events
    FOR EACH STATEMENT EXECUTE FUNCTION webhooks_enqueue_deliveries();
