-- The delivery log's retention (serve --webhook-log-retention-hours): settled deliveries by the
-- time they settled, so forgetting the old ones is an index range, not a scan of the whole log.
CREATE INDEX webhook_deliveries_settled_idx
    ON webhook_deliveries (updated_at) WHERE status <> 'PENDING';
