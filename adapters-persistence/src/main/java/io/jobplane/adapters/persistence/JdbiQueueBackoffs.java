package io.jobplane.adapters.persistence;

import io.jobplane.application.port.out.QueueBackoffs;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/**
 * The end of the earliest retry backoff in some queues, from the small partial index {@code
 * job_tasks_backoff_idx} (V11): only retried tasks (attempt > 1) that wait in a queue are in it,
 * because only a retry sets {@code available_at} in the future. So the read costs a few index pages
 * however long the queues are, and the index costs the submit path nothing.
 */
public final class JdbiQueueBackoffs implements QueueBackoffs {

  // one index probe per queue, each the first entry after now (a LATERAL per queue, so the planner
  // cannot choose to read every entry of several queues and sort them)
  static final String NEXT_RETRY =
      "SELECT min(next.available_at) AS next_retry"
          + " FROM unnest(CAST(:queues AS text[])) AS q(name)"
          + " CROSS JOIN LATERAL ("
          + "   SELECT t.available_at FROM job_tasks t"
          + "    WHERE t.queue = q.name AND t.status = 'QUEUED' AND t.job_claimable"
          + "      AND t.attempt > 1 AND t.available_at > :now"
          + "    ORDER BY t.available_at LIMIT 1) AS next";

  private final Jdbi jdbi;

  public JdbiQueueBackoffs(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public Optional<Instant> nextRetry(List<String> queues, Instant now) {
    // min() answers one row, NULL when no queue has a task in backoff
    return Optional.ofNullable(
        jdbi.withHandle(
            h ->
                h.createQuery(NEXT_RETRY)
                    .bind("queues", queues.toArray(String[]::new))
                    .bind("now", JobRows.ts(now))
                    .map((rs, ctx) -> JobRows.instant(rs, "next_retry"))
                    .one()));
  }
}
